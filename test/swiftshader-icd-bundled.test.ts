/**
 * findAnySwiftShaderIcd (src/node/dawn.ts), the SwiftShader driver Dawn's rerun uses: a system Chromium's first
 * (findSwiftShaderIcd: CHROME_PATH's folder, then /usr/lib/chromium …), and only where there is none the one beside the
 * bundled Chromium (@sparticuz/chromium, unpacked on first use) — and that one only where its manifest exists. Review
 * surv55 (hmut54's leftovers): a mutant asking the bundled Chromium first, or naming its manifest without looking,
 * passed every test. Stand-ins only: the bundled Chromium's path (vi.mock of src/node/chromium.ts) is a file in a
 * temporary folder, and the system folders are hidden from existsSync (vi.mock of node:fs), so that a machine with
 * Chromium installed answers as one without; no GPU, no browser.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const SYSTEM_DIRS = ['/usr/lib/chromium', '/usr/lib/chromium-browser', '/opt/google/chrome', '/opt/chromium'];
/** The system folders' manifests that existsSync says exist, in this test (stand-ins: nothing is written there). */
const present = new Set<string>();
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  const existsSync = (p: import('node:fs').PathLike): boolean =>
    SYSTEM_DIRS.some((d) => String(p).startsWith(`${d}/`)) ? present.has(String(p)) : real.existsSync(p);
  return { ...real, existsSync, default: { ...real, existsSync } };
});

/** What the stand-in bundledChromiumPath answers (a path, or an error: the package not installed), and how often it was asked. */
const bundled = { path: '' as string | Error, asked: 0 };
vi.mock('../src/node/chromium.ts', async (original) => ({
  ...await original<typeof import('../src/node/chromium.ts')>(),
  bundledChromiumPath: async () => {
    bundled.asked++;
    if (bundled.path instanceof Error) throw bundled.path;
    return bundled.path;
  },
}));

const { findAnySwiftShaderIcd } = await import('../src/node/dawn.ts');

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'swiftshader-bundled-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  bundled.asked = 0;
  present.clear();
  vi.stubEnv('CHROME_PATH', '');
});
afterEach(() => vi.unstubAllEnvs());

/** A folder `name` with a browser file `chrome`, and with the manifest vk_swiftshader_icd.json where `icd`. */
function chromeDir(name: string, icd: boolean): { chrome: string; manifest: string } {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, 'chrome'), '');
  if (icd) writeFileSync(join(d, 'vk_swiftshader_icd.json'), '{}');
  return { chrome: join(d, 'chrome'), manifest: join(d, 'vk_swiftshader_icd.json') };
}

describe('findAnySwiftShaderIcd: the system\'s first, then the bundled Chromium\'s where its manifest exists', () => {
  it('no system driver (the system folders hidden, no CHROME_PATH): the bundled Chromium\'s manifest, beside its executable', async () => {
    const b = chromeDir('bundled-with', true);
    bundled.path = b.chrome;
    expect(await findAnySwiftShaderIcd()).toBe(b.manifest);
    expect(bundled.asked).toBe(1);
  });

  it('no system driver, and the bundled Chromium without a manifest: null, not a path to a file that is not there', async () => {
    bundled.path = chromeDir('bundled-without', false).chrome;
    expect(await findAnySwiftShaderIcd()).toBeNull();
  });

  it("a system driver (CHROME_PATH's folder) and a bundled one: the system's, the bundled Chromium not even asked (not unpacked)", async () => {
    const system = chromeDir('system', true);
    bundled.path = chromeDir('bundled-too', true).chrome;
    vi.stubEnv('CHROME_PATH', system.chrome);
    expect(await findAnySwiftShaderIcd()).toBe(system.manifest);
    expect(bundled.asked).toBe(0);
  });

  it('no system driver, and no bundled Chromium (its package not installed): null', async () => {
    bundled.path = new Error('npm package @sparticuz/chromium is not installed');
    expect(await findAnySwiftShaderIcd()).toBeNull();
    expect(bundled.asked).toBe(1);
  });
});

describe('findSwiftShaderIcd: CHROME_PATH\'s folder, then the system folders in their order', () => {
  it("CHROME_PATH's manifest before /usr/lib/chromium's (both there)", async () => {
    const own = chromeDir('own', true);
    present.add('/usr/lib/chromium/vk_swiftshader_icd.json');
    vi.stubEnv('CHROME_PATH', own.chrome);
    expect(await findAnySwiftShaderIcd()).toBe(own.manifest);
  });

  it("CHROME_PATH's folder without one: /usr/lib/chromium's; with /usr/lib/chromium's gone too, /opt/google/chrome's before /opt/chromium's", async () => {
    vi.stubEnv('CHROME_PATH', chromeDir('own-without', false).chrome);
    for (const d of ['/usr/lib/chromium', '/opt/google/chrome', '/opt/chromium']) present.add(`${d}/vk_swiftshader_icd.json`);
    expect(await findAnySwiftShaderIcd()).toBe('/usr/lib/chromium/vk_swiftshader_icd.json');
    present.delete('/usr/lib/chromium/vk_swiftshader_icd.json');
    expect(await findAnySwiftShaderIcd()).toBe('/opt/google/chrome/vk_swiftshader_icd.json');
    expect(bundled.asked).toBe(0);
  });
});
