/**
 * test/browser/webkit.ts webkitSkipReason, the WebKit files' skip (mut63: no Node test reached it): it names each piece
 * that is missing — WebKitWebDriver, Xvfb (only where there is no DISPLAY to use instead), MiniBrowser — with the
 * Debian packages to install; none missing, no skip; REQUIRE_WEBKIT=1 (CI) makes a missing piece throw. The file
 * system is a stand-in: the paths listed in `present` exist, /usr/lib holds the folders in `libDirs`.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const present = new Set<string>();
let libDirs: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    existsSync: (p: string) => present.has(p),
    readdirSync: (p: string) => { if (p === '/usr/lib') return libDirs; throw new Error(`ENOENT: ${p}`); },
  };
});

const { webkitSkipReason } = await import('./browser/webkit.ts');

const MINI = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const APT = '(Debian: apt-get install webkit2gtk-driver xvfb)';

beforeEach(() => {
  present.clear();
  libDirs = ['x86_64-linux-gnu'];
  vi.unstubAllEnvs();
  vi.stubEnv('REQUIRE_WEBKIT', '');
  vi.stubEnv('DISPLAY', '');
});

describe('webkitSkipReason', () => {
  it('all three there: no skip', () => {
    for (const p of ['/usr/bin/WebKitWebDriver', '/usr/bin/Xvfb', MINI]) present.add(p);
    expect(webkitSkipReason()).toBeUndefined();
  });

  it('each missing piece named, in order: the driver, Xvfb, MiniBrowser', () => {
    expect(webkitSkipReason()).toBe(`no /usr/bin/WebKitWebDriver, /usr/bin/Xvfb, /usr/lib/*/webkit2gtk-4.1/MiniBrowser ${APT}`);
    present.add('/usr/bin/WebKitWebDriver');
    present.add('/usr/bin/Xvfb');
    expect(webkitSkipReason()).toBe(`no /usr/lib/*/webkit2gtk-4.1/MiniBrowser ${APT}`);
  });

  it('with a DISPLAY, Xvfb is not needed', () => {
    present.add('/usr/bin/WebKitWebDriver');
    present.add(MINI);
    expect(webkitSkipReason()).toBe(`no /usr/bin/Xvfb ${APT}`);
    vi.stubEnv('DISPLAY', ':0');
    expect(webkitSkipReason()).toBeUndefined();
  });

  it('REQUIRE_WEBKIT=1: a missing piece throws, naming it', () => {
    present.add('/usr/bin/WebKitWebDriver');
    present.add('/usr/bin/Xvfb');
    vi.stubEnv('REQUIRE_WEBKIT', '1');
    expect(() => webkitSkipReason()).toThrow(`REQUIRE_WEBKIT=1 but no /usr/lib/*/webkit2gtk-4.1/MiniBrowser ${APT}`);
  });
});
