/**
 * Finding and launching Chromium for the WebGPU path (Node side). Never downloads a browser. In order:
 * 1. the system's: CHROME_PATH, else the usual install paths;
 * 2. when none is found, it does not start, or (given a probe page) it offers no WebGPU adapter: the headless
 *    Chromium shipped inside the npm package @sparticuz/chromium (a devDependency of this repository; a user of
 *    the package installs it to get this fallback), with one line on stderr saying so.
 * BACKPROP_CHROMIUM=bundled skips 1 (the tests use it to check the bundled path where a system one exists);
 * BACKPROP_CHROMIUM=system skips 2 (the system's browser or none).
 * puppeteer-core (an optional peer dependency) drives either; loaded lazily, with a clear error when missing.
 */
import { existsSync } from 'node:fs';
import type { Browser, LaunchOptions } from 'puppeteer-core';
import { messageOf } from '../checks.ts';
import { BackpropError } from '../errors.ts';
import { valueGuess } from '../suggest.ts';
import { DAWN_PACKAGE } from '../webgpu/gpu.ts';

const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/** The npm package with a Chromium inside, used when the system has none that works. */
export const BUNDLED_CHROMIUM_PACKAGE = '@sparticuz/chromium';

/**
 * What to put after `npm install` for puppeteer-core or the bundled Chromium on this Node: puppeteer-core 25 declares
 * Node ≥ 22.12 and @sparticuz/chromium 147.0.1 and later Node ≥ 22.17, so a bare `npm install puppeteer-core` on Node
 * 20 takes a version that does not support it. Below those, the versions this repository develops with (24, 143).
 */
export function installArg(pkg: 'puppeteer-core' | typeof BUNDLED_CHROMIUM_PACKAGE, node: string = process.versions.node): string {
  const [major, minor] = node.split('.').map(Number);
  const [needMajor, needMinor, last] = pkg === 'puppeteer-core' ? [22, 12, '24'] : [22, 17, '143'];
  return major > needMajor || (major === needMajor && minor >= needMinor) ? pkg : `${pkg}@${last}`;
}

/** `npm install P (npm install -g P for a global backprop-webgpu)`, P for this Node (installArg). */
const installLine = (pkg: 'puppeteer-core' | typeof BUNDLED_CHROMIUM_PACKAGE): string =>
  `npm install ${installArg(pkg)} (npm install -g ${installArg(pkg)} for a global backprop-webgpu)`;

/** The system's Chromium: CHROME_PATH, else the first usual path that exists; BROWSER error naming what to install. */
function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new BackpropError('BROWSER', `CHROME_PATH is set to ${fromEnv}, which does not exist`);
  }
  const found = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  throw new BackpropError(
    'BROWSER',
    `no Chromium found (looked at CHROME_PATH and ${CHROMIUM_CANDIDATES.join(', ')}). ` +
      `Install one (Debian: apt-get install chromium), set CHROME_PATH, or ${installLine(BUNDLED_CHROMIUM_PACKAGE)}.`,
  );
}

/**
 * Flags: --enable-unsafe-webgpu gives headless Chromium a WebGPU adapter (SwiftShader when there is no GPU);
 * the rest keep a root/CI run quiet and offline.
 */
const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** What the bundled Chromium needs, and no more (its package's own serverless flags, --single-process …, are not). */
const BUNDLED_CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--enable-unsafe-webgpu', '--no-zygote'];

type Puppeteer = typeof import('puppeteer-core').default;

/**
 * puppeteer-core, loaded; else a BROWSER error saying what to install. `dawnMissing`: the caller tried Dawn first and
 * the npm package webgpu did not load (the CLI's route, src/cli/webgpu.ts), so either package would give it WebGPU and
 * the message names both, each once. Elsewhere (the bench, BACKPROP_WEBGPU=browser, Dawn installed without an adapter)
 * only Chromium will do: the message names puppeteer-core alone.
 */
export async function loadPuppeteer(dawnMissing = false): Promise<Puppeteer> {
  try {
    return (await import('puppeteer-core')).default;
  } catch (err) {
    const why = messageOf(err).split('\n')[0].replace(/\.$/, '');
    const install = `npm install ${installArg('puppeteer-core')}`;
    const advice = dawnMissing
      ? `Either npm install ${DAWN_PACKAGE} (WebGPU on Dawn in Node) or ${install} (headless Chromium) gives WebGPU`
      : `Headless Chromium needs it: ${install}`;
    throw new BackpropError('BROWSER', `the npm package puppeteer-core did not load: ${why}. ${advice}; for a global backprop-webgpu, install it with npm install -g.`);
  }
}

/** Unpack (once, into the temp folder) and return the bundled Chromium's path; BROWSER error when the package is absent. */
export async function bundledChromiumPath(): Promise<string> {
  let mod: { default: { executablePath(): Promise<string> } };
  try {
    const name = BUNDLED_CHROMIUM_PACKAGE;
    mod = (await import(name)) as typeof mod;
  } catch {
    throw new BackpropError('BROWSER', `npm package ${BUNDLED_CHROMIUM_PACKAGE} is not installed (${installLine(BUNDLED_CHROMIUM_PACKAGE)})`);
  }
  return mod.default.executablePath();
}

export interface LaunchChromiumOptions {
  /** Extra flags (CHROME_ARGS, space-separated, are added too). */
  args?: string[];
  protocolTimeout?: number;
  /** A page (that exists) on 127.0.0.1 to ask for a WebGPU adapter: a system browser without one is dropped for the bundled one. */
  probeUrl?: string;
  /** Skip the system's browser (as BACKPROP_CHROMIUM=bundled does). */
  bundled?: boolean;
  /** Where the one line about using the bundled Chromium goes (default stderr). */
  notice?: (line: string) => void;
  /** Dawn was tried first and the npm package webgpu did not load: a missing puppeteer-core's error names both (loadPuppeteer). */
  dawnMissing?: boolean;
}

/** Does this browser give a page at `url` a WebGPU adapter? */
async function hasWebGpuAdapter(browser: Browser, url: string): Promise<boolean> {
  const page = await browser.newPage();
  try {
    const response = await page.goto(url);
    // A 404 is an error page (chrome-error://, not a secure context): no adapter for the wrong reason.
    if (!response?.ok()) throw new Error(`the WebGPU probe page ${url} answered ${response?.status() ?? 'nothing'}`);
    return await page.evaluate(async () => Boolean(navigator.gpu && (await navigator.gpu.requestAdapter())));
  } finally {
    await page.close();
  }
}

/**
 * BACKPROP_CHROMIUM as set: unset (or empty), 'bundled' or 'system'. Another value is refused, not read as unset: a
 * misspelt 'sytem' would otherwise fall back without a word.
 */
export function chromiumChoice(env: Record<string, string | undefined> = process.env): 'bundled' | 'system' | undefined {
  const v = env.BACKPROP_CHROMIUM;
  if (v === undefined || v === '') return undefined;
  if (v === 'bundled' || v === 'system') return v;
  throw new BackpropError('BROWSER', `BACKPROP_CHROMIUM must be bundled, system or unset, got '${v}'${valueGuess(v, ['bundled', 'system'])}`, 'BACKPROP_CHROMIUM');
}

/** The system Chromium, else the bundled one (see the top of this file). */
export async function launchChromium(o: LaunchChromiumOptions = {}): Promise<Browser> {
  const choice = chromiumChoice();
  const puppeteer = await loadPuppeteer(o.dawnMissing);
  const extra = (process.env.CHROME_ARGS ?? '').split(' ').filter(Boolean);
  const base: LaunchOptions = { headless: true, protocolTimeout: o.protocolTimeout ?? 600_000 };
  let why: string;
  if (o.bundled || choice === 'bundled') {
    why = o.bundled ? 'asked for the bundled Chromium' : 'BACKPROP_CHROMIUM=bundled';
  } else {
    let browser: Browser | undefined;
    try {
      const executablePath = findChromium();
      browser = await puppeteer.launch({ ...base, executablePath, args: [...CHROMIUM_ARGS, ...(o.args ?? []), ...extra] });
      if (!o.probeUrl || (await hasWebGpuAdapter(browser, o.probeUrl))) return browser;
      why = `the system Chromium (${executablePath}) offers no WebGPU adapter`;
    } catch (err) {
      why = err instanceof BackpropError ? err.message.split('. ')[0] : `the system Chromium did not start (${messageOf(err).split('\n')[0]})`;
    }
    await browser?.close().catch(() => {});
    if (choice === 'system') throw new BackpropError('BROWSER', `${why} (BACKPROP_CHROMIUM=system: no fallback)`);
  }
  let executablePath: string;
  try {
    executablePath = await bundledChromiumPath();
  } catch (err) {
    throw new BackpropError('BROWSER', `${why}; and ${messageOf(err)}. Install Chromium (Debian: apt-get install chromium) or set CHROME_PATH.`);
  }
  (o.notice ?? ((l: string) => process.stderr.write(`${l}\n`)))(`backprop: ${why} — using the headless Chromium bundled in ${BUNDLED_CHROMIUM_PACKAGE} (${executablePath}).`);
  return puppeteer.launch({ ...base, executablePath, args: [...BUNDLED_CHROMIUM_ARGS, ...(o.args ?? []), ...extra] });
}
