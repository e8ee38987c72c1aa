/**
 * `npm run bench -- --browser chromium|firefox [--firefox-webgpu]` (bench/bench.ts browserOf): a bad value or a flag
 * that would do nothing is one line naming the flag, on stderr, exit 2, before any browser starts, as the bench's other
 * argument errors; the Firefox run's environment names its prefs (bench/labels.ts envLine), and bench:compare warns
 * that the browser differs between a Chromium and a Firefox run (bench/compare.ts comparability) on the committed
 * runs of stop 63.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { comparability, sameBrowser } from '../bench/compare.ts';
import { envLine, type RunEnv } from '../bench/labels.ts';
import type { BenchResult } from '../bench/report.ts';
import { firefoxPrefs } from '../src/node/firefox.ts';

const refused = (argv: string[], runner: 'browser' | 'node' = 'browser'): string => {
  try {
    parseArgs(argv, runner);
  } catch (err) {
    return (err as Error).message;
  }
  return 'taken';
};

describe('--browser and --firefox-webgpu', () => {
  it('a browser the runner does not drive is refused, naming the flag and the two it takes (a near miss guessed)', () => {
    expect(refused(['--browser', 'safari'])).toBe("--browser wants one of chromium, firefox, got 'safari'");
    expect(refused(['--browser', 'firefx'])).toBe("--browser wants one of chromium, firefox, got 'firefx'; did you mean 'firefox'?");
    expect(refused(['--browser', 'Firefox'])).toMatch(/^--browser wants one of chromium, firefox, got 'Firefox'/);
  });

  it('the runner: one line on stderr and exit 2, nothing on stdout, before a browser starts', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--browser', 'safari'], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', "--browser wants one of chromium, firefox, got 'safari'\n"]);
  });

  // read63c: it printed the BiDi note, a progress line, then the BackpropError's stack and fields (10 lines).
  it('no Firefox where FIREFOX_PATH points: that one line on stderr, exit 1, nothing on stdout, no stack', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--browser', 'firefox'], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000, env: { ...process.env, FIREFOX_PATH: '/nonexistent/firefox' } });
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', 'FIREFOX_PATH is set to /nonexistent/firefox, which does not exist\n']);
  });

  it('flags that would do nothing are refused: --firefox-webgpu without --browser firefox, either on a runner with no browser', () => {
    expect(refused(['--firefox-webgpu'])).toBe("--firefox-webgpu switches Firefox's WebGPU pref on: give it with --browser firefox");
    expect(refused(['--browser', 'chromium', '--firefox-webgpu'])).toBe("--firefox-webgpu switches Firefox's WebGPU pref on: give it with --browser firefox (got --browser chromium, whose WebGPU is on already)");
    expect(refused(['--quick', '--browser', 'firefox'], 'node')).toBe('--browser is for the browser runner (npm run bench) only: the node runner runs no browser');
    expect(refused(['--quick', '--firefox-webgpu'], 'node')).toBe('--firefox-webgpu is for the browser runner (npm run bench) only: the node runner runs no browser');
  });

  it('taken: the browser and the pref in the options; without --browser, none (Chromium, as before the flag)', () => {
    expect(parseArgs(['--quick', '--browser', 'firefox', '--firefox-webgpu'], 'browser')).toMatchObject({ browser: 'firefox', firefoxWebgpu: true });
    const plain = parseArgs(['--quick', '--browser', 'firefox'], 'browser');
    expect([plain.browser, plain.firefoxWebgpu]).toEqual(['firefox', undefined]);
    const none = parseArgs(['--quick'], 'browser');
    expect(['browser' in none, 'firefoxWebgpu' in none]).toEqual([false, false]);
  });
});

describe("a Firefox run's environment", () => {
  const base: RunEnv = { runner: 'browser', browser: 'firefox/153.8.0', cpu: { model: 'AMD EPYC', cores: 2 } };
  it("names the prefs set (WebGPU's two, as src/node/firefox.ts's NOTE gives them), or says none were", () => {
    // The two prefs that switch Linux Firefox's WebGPU on and let it take lavapipe (on the GPU blocklist).
    expect(firefoxPrefs({ webgpu: true })).toEqual({ 'dom.webgpu.enabled': true, 'gfx.webgpu.ignore-blocklist': true });
    expect(firefoxPrefs()).toEqual({});
    const on = envLine({ ...base, firefox: { prefs: firefoxPrefs({ webgpu: true }) }, webgpu: { available: true, vendor: 'mesa', architecture: 'llvmpipe' } });
    expect(on).toContain(' · Firefox prefs dom.webgpu.enabled=true gfx.webgpu.ignore-blocklist=true · ');
    // Chromium's hint about a hidden adapter name (its developer-features flag) is no advice for Firefox.
    expect(on).not.toContain('Chromium shows it');
    expect(envLine({ ...base, firefox: { prefs: {} } })).toContain(' · Firefox prefs as shipped');
    // Firefox names no adapter (vendor, architecture and description empty, as firefox-63-ab-webgpu.json's): said so.
    const blank = { vendor: '', architecture: '', adapterDescription: '', isFallbackAdapter: true };
    const unnamed = envLine({ ...base, webgpu: { available: true, ...blank }, jax: { version: '0.1.25', wasmWorkers: 1, webgpuAdapter: blank } });
    expect(unnamed).toContain('WebGPU adapter unnamed (fallback)');
    expect(unnamed).toContain('webgpu adapter unnamed (fallback)');
  });

  it('bench:compare between the committed Chromium and Firefox quick runs of stop 63 warns that the browser differs', () => {
    const read = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', name), 'utf8')) as BenchResult;
    const chromium = read('chromium-63-quick.json');
    const firefox = read('firefox-63-quick.json');
    expect(chromium.env.browser).toMatch(/^Chrome\//);
    expect(firefox.env.browser).toMatch(/^firefox\//);
    expect(firefox.env.chromium).toBeUndefined();
    expect(firefox.env.firefox).toEqual({ prefs: {} });
    expect(comparability(chromium, firefox)).toContain(`browser differs: A ${JSON.stringify(chromium.env.browser)}, B ${JSON.stringify(firefox.env.browser)}`);
  });

  // read63c: Firefox's adapter (vendor, architecture and description all '', fallback, kernels 'blocked', as
  // firefox-63-quick-webgpu.json records it) was " (fallback), kernels blocked" in bench:compare's warning, a blank
  // where the name goes; envLine already said "unnamed".
  it("bench:compare names Firefox's unnamed adapter 'unnamed', as the environment line does, not a blank", () => {
    const read = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', name), 'utf8')) as BenchResult;
    const warnings = comparability(read('chromium-63-quick.json'), read('firefox-63-quick-webgpu.json'));
    expect(warnings).toContain('WebGPU adapter differs: A "google swiftshader \\"SwiftShader Device (Subzero)\\" (fallback), kernels blocked-subgroup", B "unnamed (fallback), kernels blocked"');
  });

  // ffleft64: `npm run bench -- --browser firefox` recorded the driver's "firefox/153.8.0" (committed stop-63 runs), the
  // page run by hand in the same Firefox its user agent's "Firefox/153.0"; bench:compare warned "browser differs"
  // between two runs of one browser. Now both record the page's form; compare takes the committed form as the same.
  it("bench:compare takes a committed driver run's firefox/153.8.0 and a page run's Firefox/153.0 for one browser", () => {
    const read = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', name), 'utf8')) as BenchResult;
    const driver = read('firefox-63-quick.json');
    expect(driver.env.browser).toBe('firefox/153.8.0');
    expect(driver.env.userAgent).toBe('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0');
    // The page's form of that agent, by hand: the Firefox/ token as it stands.
    const page = { ...driver, env: { ...driver.env, browser: 'Firefox/153.0' } };
    expect(comparability(driver, page).filter((w) => w.startsWith('browser'))).toEqual([]);
    expect(comparability(page, driver).filter((w) => w.startsWith('browser'))).toEqual([]);
    const older = { ...driver, env: { ...driver.env, browser: 'Firefox/152.0' } };
    expect(comparability(driver, older)).toContain('browser differs: A "firefox/153.8.0", B "Firefox/152.0"');
  });

  it('sameBrowser: names without case; a reduced version (every part after the major 0) matches its major; two full versions must be equal', () => {
    expect(sameBrowser('Chrome/156.0.0.0', 'Chrome/156.0.8078.114')).toBe(true);
    expect(sameBrowser('Firefox/153.0', 'firefox/153.8.0')).toBe(true);
    expect(sameBrowser('Chrome/156.0.8078.114', 'Chrome/156.0.8078.129')).toBe(false);
    expect(sameBrowser('Firefox/153.0.1', 'firefox/153.8.0')).toBe(false);
    expect(sameBrowser('Firefox/153.0', 'Firefox/154.0')).toBe(false);
    expect(sameBrowser('Firefox/153.0', 'Chrome/153.0.0.0')).toBe(false);
    expect(sameBrowser('Firefox/153.0', undefined)).toBe(false);
    expect(sameBrowser(undefined, undefined)).toBe(true);
    expect(sameBrowser('WebKit on Linux (WebKitGTK or WPE; its agent says Version/60.5)', 'Safari/60.5')).toBe(false);
    // read64a: Safari's Version/ is its release, never reduced: 18.0 and 18.1 are two Safaris (and 18.0 no wildcard).
    expect(sameBrowser('Safari/18.0', 'Safari/18.1')).toBe(false);
    expect(sameBrowser('Safari/18.0', 'Safari/18.0.1')).toBe(false);
    expect(sameBrowser('Safari/18.0', 'Safari/18.0')).toBe(true);
  });

  // ffleft64: README's "In Firefox." said --firefox-webgpu sets "the pref"; it sets two (firefoxPrefs).
  it("README's In Firefox. paragraph names each pref --firefox-webgpu sets", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const start = readme.indexOf('**In Firefox.** `npm run bench -- --browser firefox`');
    expect(start).toBeGreaterThan(0);
    const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
    const prefs = Object.keys(firefoxPrefs({ webgpu: true }));
    expect(prefs).toHaveLength(2);
    for (const pref of prefs) expect(paragraph).toContain(`\`${pref}\``);
    expect(paragraph).not.toMatch(/sets\s+the\s+pref\b/);
  });
});
