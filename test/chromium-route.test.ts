/**
 * Which Chromium launchChromium starts (src/node/chromium.ts), and the one line saying so: CHROME_PATH honoured,
 * BACKPROP_CHROMIUM=bundled skipping the system's browser and =system refusing the fallback, a system browser that does
 * not start or offers no WebGPU adapter replaced by the bundled one with a notice naming why, and no notice at all when
 * the system's browser ran. A user who reads "system" while the bundled Chromium ran (or the reverse) is told the
 * wrong thing about where their numbers came from.
 *
 * puppeteer-core and @sparticuz/chromium are stand-ins here (no browser starts): `launch` records the executable and
 * flags it was given and returns a browser whose probe page answers as the test says; the bundled package's
 * executablePath is a fixed fake path. The real bundled browser is exercised in test/browser/bundled-chromium.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackpropError } from '../src/errors.ts';
import { BUNDLED_CHROMIUM_PACKAGE, installArg, launchChromium } from '../src/node/chromium.ts';

const BUNDLED = '/fake/sparticuz/chromium';
/** What the stand-ins do and saw. */
const fake = vi.hoisted(() => ({
  launches: [] as { executablePath?: string; args?: string[] }[],
  closed: [] as string[],
  /** executable paths whose launch throws */
  failing: new Set<string>(),
  adapter: true,
  status: 200,
  bundledCalls: 0,
  /** When set, which paths exist (else the real file system answers). */
  exists: undefined as ((p: string) => boolean) | undefined,
}));

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return { ...real, existsSync: (p: string) => (fake.exists ? fake.exists(p) : real.existsSync(p)) };
});

vi.mock('puppeteer-core', () => ({
  default: {
    launch: async (o: { executablePath?: string; args?: string[] }) => {
      fake.launches.push({ executablePath: o.executablePath, args: o.args });
      if (o.executablePath && fake.failing.has(o.executablePath)) throw new Error('spawn failed\nsecond line');
      const path = o.executablePath ?? '';
      return {
        path,
        newPage: async () => ({
          goto: async () => ({ ok: () => fake.status >= 200 && fake.status < 300, status: () => fake.status }),
          // The probe's own function runs, against a navigator.gpu whose requestAdapter answers as the test says.
          evaluate: async (fn: () => Promise<boolean>) => fn(),
          close: async () => {},
        }),
        close: async () => {
          fake.closed.push(path);
        },
      };
    },
  },
}));
vi.mock('@sparticuz/chromium', () => ({
  default: {
    executablePath: async () => {
      fake.bundledCalls++;
      return '/fake/sparticuz/chromium';
    },
  },
}));

const dir = mkdtempSync(join(tmpdir(), 'chromium-route-'));
const system = join(dir, 'chromium');
writeFileSync(system, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let notices: string[];
beforeEach(() => {
  fake.launches.length = 0;
  fake.closed.length = 0;
  fake.failing.clear();
  fake.adapter = true;
  fake.status = 200;
  fake.bundledCalls = 0;
  fake.exists = undefined;
  notices = [];
  vi.stubEnv('BACKPROP_CHROMIUM', '');
  vi.stubEnv('CHROME_ARGS', '');
  vi.stubEnv('CHROME_PATH', system);
  // navigator.gpu is there either way: only requestAdapter's answer (an adapter or null) says whether there is one.
  vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => (fake.adapter ? {} : null) } });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const notice = (l: string) => notices.push(l);
const paths = () => fake.launches.map((l) => l.executablePath);
const bundledNotice = (why: string) => `backprop: ${why} — using the headless Chromium bundled in ${BUNDLED_CHROMIUM_PACKAGE} (${BUNDLED}).`;
const caught = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('launchChromium: which browser, and the line saying which', () => {
  it('CHROME_PATH that exists: that browser, with the WebGPU flag and CHROME_ARGS, and no notice', async () => {
    vi.stubEnv('CHROME_ARGS', '--one  --two');
    const browser = (await launchChromium({ notice, args: ['--mine'] })) as unknown as { path: string };
    expect(browser.path).toBe(system);
    expect(paths()).toEqual([system]);
    const args = fake.launches[0]!.args!;
    expect(args).toContain('--enable-unsafe-webgpu');
    expect(args.slice(-3)).toEqual(['--mine', '--one', '--two']);
    expect(notices).toEqual([]);
    expect(fake.bundledCalls).toBe(0);
  });

  it('a probe page whose adapter is there: the system browser stays, no notice', async () => {
    const browser = (await launchChromium({ notice, probeUrl: 'http://127.0.0.1:1/probe' })) as unknown as { path: string };
    expect(browser.path).toBe(system);
    expect(fake.closed).toEqual([]);
    expect(notices).toEqual([]);
  });

  it('a system browser without a WebGPU adapter: closed, the bundled one started, one notice naming the path', async () => {
    fake.adapter = false;
    const browser = (await launchChromium({ notice, probeUrl: 'http://127.0.0.1:1/probe' })) as unknown as { path: string };
    expect(paths()).toEqual([system, BUNDLED]);
    expect(browser.path).toBe(BUNDLED);
    expect(fake.closed).toEqual([system]);
    expect(notices).toEqual([bundledNotice(`the system Chromium (${system}) offers no WebGPU adapter`)]);
    const args = fake.launches[1]!.args!;
    expect(args).toContain('--enable-unsafe-webgpu');
    expect(args).toContain('--headless=new');
  });

  it('a probe page that answers 404: not taken as an adapter, the bundled one with a notice naming the status', async () => {
    fake.status = 404;
    await launchChromium({ notice, probeUrl: 'http://127.0.0.1:1/missing' });
    expect(paths()).toEqual([system, BUNDLED]);
    expect(fake.closed).toEqual([system]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('answered 404');
  });

  it('a system browser that does not start: the bundled one, the notice giving the first line of why', async () => {
    fake.failing.add(system);
    await launchChromium({ notice });
    expect(paths()).toEqual([system, BUNDLED]);
    expect(notices).toEqual([bundledNotice('the system Chromium did not start (spawn failed)')]);
  });

  it('CHROME_PATH naming no file: not replaced by a usual install path; the bundled one, the notice naming CHROME_PATH', async () => {
    const missing = join(dir, 'no-such-chromium');
    vi.stubEnv('CHROME_PATH', missing);
    await launchChromium({ notice });
    expect(paths()).toEqual([BUNDLED]);
    expect(notices).toEqual([bundledNotice(`CHROME_PATH is set to ${missing}, which does not exist`)]);
  });

  it('CHROME_PATH unset: the first usual install path that exists, no notice', async () => {
    vi.stubEnv('CHROME_PATH', '');
    fake.exists = (p) => p === '/usr/bin/google-chrome' || p === '/snap/bin/chromium';
    await launchChromium({ notice });
    expect(paths()).toEqual(['/usr/bin/google-chrome']);
    expect(notices).toEqual([]);
  });

  it('CHROME_PATH unset and no usual path: the bundled one, the notice saying none was found (not that one did not start)', async () => {
    vi.stubEnv('CHROME_PATH', '');
    fake.exists = () => false;
    await launchChromium({ notice });
    expect(paths()).toEqual([BUNDLED]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^backprop: no Chromium found \(looked at CHROME_PATH and \/usr\/bin\/chromium, .*\) — using the headless Chromium bundled in /);
  });

  it('BACKPROP_CHROMIUM=bundled: the system browser is never started, the notice says why', async () => {
    vi.stubEnv('BACKPROP_CHROMIUM', 'bundled');
    await launchChromium({ notice, probeUrl: 'http://127.0.0.1:1/probe' });
    expect(paths()).toEqual([BUNDLED]);
    expect(notices).toEqual([bundledNotice('BACKPROP_CHROMIUM=bundled')]);
  });

  it('bundled: true: the same, its own reason', async () => {
    await launchChromium({ notice, bundled: true });
    expect(paths()).toEqual([BUNDLED]);
    expect(notices).toEqual([bundledNotice('asked for the bundled Chromium')]);
  });

  it('BACKPROP_CHROMIUM=system: no fallback — a BROWSER error with the reason, the bundled one never asked for', async () => {
    vi.stubEnv('BACKPROP_CHROMIUM', 'system');
    fake.adapter = false;
    const err = await caught(launchChromium({ notice, probeUrl: 'http://127.0.0.1:1/probe' }));
    expect(err).toBeInstanceOf(BackpropError);
    expect((err as BackpropError).code).toBe('BROWSER');
    expect((err as BackpropError).message).toBe(`the system Chromium (${system}) offers no WebGPU adapter (BACKPROP_CHROMIUM=system: no fallback)`);
    expect(paths()).toEqual([system]);
    expect(fake.closed).toEqual([system]);
    expect(fake.bundledCalls).toBe(0);
    expect(notices).toEqual([]);
  });

  it('BACKPROP_CHROMIUM misspelt: refused before any browser starts', async () => {
    vi.stubEnv('BACKPROP_CHROMIUM', 'bundle');
    const err = await caught(launchChromium({ notice }));
    expect(err).toBeInstanceOf(BackpropError);
    expect((err as BackpropError).field).toBe('BACKPROP_CHROMIUM');
    expect(paths()).toEqual([]);
    expect(fake.bundledCalls).toBe(0);
  });

  it('without a notice option, the one line goes to stderr', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => written.push(String(s)) > 0);
    await launchChromium({ bundled: true });
    expect(written).toEqual([`${bundledNotice('asked for the bundled Chromium')}\n`]);
  });

  it('the bundled package missing too: one BROWSER error with why the system one failed and both ways out, no notice', async () => {
    vi.resetModules();
    vi.doMock('@sparticuz/chromium', () => {
      throw new Error("Cannot find package '@sparticuz/chromium'");
    });
    try {
      const fresh = (await import('../src/node/chromium.ts')).launchChromium;
      fake.failing.add(system);
      const err = await caught(fresh({ notice }));
      expect(err).toBeInstanceOf(Error);
      expect((err as BackpropError).code).toBe('BROWSER');
      const install = installArg(BUNDLED_CHROMIUM_PACKAGE);
      expect((err as Error).message).toBe(
        `the system Chromium did not start (spawn failed); and npm package ${BUNDLED_CHROMIUM_PACKAGE} is not installed ` +
          `(npm install ${install} (npm install -g ${install} for a global backprop-webgpu)). Install Chromium (Debian: apt-get install chromium) or set CHROME_PATH.`,
      );
      expect(paths()).toEqual([system]);
      expect(notices).toEqual([]);
    } finally {
      vi.doUnmock('@sparticuz/chromium');
      vi.resetModules();
    }
  });
});
