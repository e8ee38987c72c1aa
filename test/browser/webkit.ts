/**
 * WebKit for the browser tests that check a third engine: WebKitGTK's layout and JavaScriptCore's wasm, Safari's
 * engine (not Safari: WebKitGTK has no WebGPU, and 2.50 offers no SharedArrayBuffer even on a cross-origin isolated
 * page). Debian's `webkit2gtk-driver` (apt: /usr/bin/WebKitWebDriver, a W3C WebDriver classic server, and
 * MiniBrowser), under `xvfb` where there is no display; never downloaded. There is no puppeteer for WebKit: the
 * client below is the few WebDriver classic commands the tests use, over fetch. Each launch starts its own Xvfb (when
 * DISPLAY is unset) and WebKitWebDriver on free ports/displays, and `close` ends both, whatever failed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const DRIVER = '/usr/bin/WebKitWebDriver';
const XVFB = '/usr/bin/Xvfb';

/**
 * MiniBrowser (Debian's libwebkit2gtk-4.1-0, which webkit2gtk-driver depends on) in `lib`'s multiarch folder:
 * x86_64-linux-gnu, aarch64-linux-gnu, … (.ci/run sets REQUIRE_WEBKIT=1 wherever the driver is, whatever the arch).
 */
export function findMiniBrowser(lib = '/usr/lib'): string | undefined {
  let dirs: string[];
  try {
    dirs = readdirSync(lib);
  } catch {
    return undefined;
  }
  return dirs.map((d) => join(lib, d, 'webkit2gtk-4.1', 'MiniBrowser')).find((p) => existsSync(p));
}

/**
 * Why the WebKit files are skipped here, or undefined when they run. REQUIRE_WEBKIT=1 (CI, where .ci/run installs
 * webkit2gtk-driver and xvfb) makes a missing piece throw instead: a skip there would hide an unchecked engine.
 */
export function webkitSkipReason(): string | undefined {
  const missing = [DRIVER, ...(process.env.DISPLAY ? [] : [XVFB])].filter((p) => !existsSync(p));
  if (!findMiniBrowser()) missing.push('/usr/lib/*/webkit2gtk-4.1/MiniBrowser');
  if (missing.length === 0) return undefined;
  const why = `no ${missing.join(', ')} (Debian: apt-get install webkit2gtk-driver xvfb)`;
  if (process.env.REQUIRE_WEBKIT === '1') throw new Error(`REQUIRE_WEBKIT=1 but ${why}`);
  return why;
}

/** A WebDriver classic session in MiniBrowser. */
export interface WebKitSession {
  /** The browser's version (the session's capabilities). */
  readonly version: string;
  navigate(url: string): Promise<void>;
  /** execute/sync: `body` is a function body; its `arguments` are `args`. */
  execute<T>(body: string, args?: unknown[]): Promise<T>;
  /** execute/async: `body` calls `arguments[arguments.length - 1]` with the result. */
  executeAsync<T>(body: string, args?: unknown[]): Promise<T>;
  /** A WebDriver element click on the first element `selector` matches: a user's click (a gesture the clipboard honours). */
  click(selector: string): Promise<void>;
  /** WebDriver key input sent to the focused element (`\uE007`: Enter; `\uE004`: Tab). */
  keys(text: string): Promise<void>;
  setWindowSize(width: number, height: number): Promise<void>;
  /** The viewport as a PNG. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Xvfb on a display it picks itself (-displayfd): that display's name. */
function startXvfb(): Promise<{ proc: ChildProcess; display: string }> {
  const proc = spawn(XVFB, ['-displayfd', '1', '-screen', '0', '1920x1200x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('Xvfb named no display within 20 s')), 20_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      stop(proc);
      reject(err);
    };
    proc.once('error', fail);
    proc.once('exit', (code) => fail(new Error(`Xvfb exited (${code}) before naming a display`)));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        resolve({ proc, display: `:${m[1]}` });
      }
    });
  });
}

/**
 * End a process this file started, and its children (MiniBrowser under WebKitWebDriver): its own process group — even
 * where the leader has exited (a driver that crashed leaves its MiniBrowser in the group); an empty group is ESRCH.
 */
export function stop(proc: ChildProcess | undefined): void {
  if (!proc?.pid) return;
  try {
    process.kill(-proc.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

type Json = { value: unknown };

/**
 * One WebDriver command: its `value`, or its error thrown. `timeoutMs`: a driver that took the connection and never
 * answers rejects it then (fetch's own limit is 5 minutes a response): /status while it starts, the new session,
 * the session's DELETE in close, so a hung WebKitWebDriver still gets its processes ended (test/webkit-client.test.ts).
 */
export async function webdriverCall<T>(method: string, url: string, body?: unknown, timeoutMs?: number): Promise<T> {
  const r = await fetch(url, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
  });
  const j = (await r.json()) as Json;
  const v = j.value as { error?: string; message?: string } | null;
  if (v && typeof v === 'object' && 'error' in v && v.error) throw new Error(`WebDriver ${method} ${url.replace(/^http:\/\/[^/]+/, '')}: ${v.error}: ${v.message ?? ''}`);
  return j.value as T;
}

export async function launchWebKit(): Promise<WebKitSession> {
  const skip = webkitSkipReason();
  const miniBrowser = findMiniBrowser();
  if (skip || !miniBrowser) throw new Error(skip ?? 'no MiniBrowser');
  let xvfb: { proc: ChildProcess; display: string } | undefined;
  let driver: ChildProcess | undefined;
  let sessionUrl: string | undefined;
  const stopAll = (): void => {
    stop(driver);
    stop(xvfb?.proc);
  };
  process.once('exit', stopAll);
  try {
    if (!process.env.DISPLAY) xvfb = await startXvfb();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    driver = spawn(DRIVER, [`--port=${port}`], { stdio: 'ignore', detached: true, env: { ...process.env, ...(xvfb ? { DISPLAY: xvfb.display } : {}) } });
    const started = Date.now();
    for (;;) {
      if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
      const ready = await webdriverCall<{ ready?: boolean }>('GET', `${base}/status`, undefined, 2_000).catch(() => undefined);
      if (ready?.ready) break;
      if (Date.now() - started > 20_000) throw new Error('WebKitWebDriver did not answer /status within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const s = await webdriverCall<{ sessionId: string; capabilities: { browserVersion?: string } }>('POST', `${base}/session`, {
      capabilities: { alwaysMatch: { browserName: 'MiniBrowser', timeouts: { script: 180_000, pageLoad: 60_000 }, 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } } },
    }, 45_000);
    const at = `${base}/session/${s.sessionId}`;
    sessionUrl = at;
    return {
      version: s.capabilities.browserVersion ?? 'unknown',
      navigate: async (url) => { await webdriverCall('POST', `${at}/url`, { url }); },
      execute: (script, args = []) => webdriverCall('POST', `${at}/execute/sync`, { script, args }),
      executeAsync: (script, args = []) => webdriverCall('POST', `${at}/execute/async`, { script, args }),
      click: async (selector) => {
        const el = await webdriverCall<Record<string, string>>('POST', `${at}/element`, { using: 'css selector', value: selector });
        await webdriverCall('POST', `${at}/element/${Object.values(el)[0]}/click`, {});
      },
      keys: async (text) => {
        const el = await webdriverCall<Record<string, string>>('GET', `${at}/element/active`);
        await webdriverCall('POST', `${at}/element/${Object.values(el)[0]}/value`, { text });
      },
      setWindowSize: async (width, height) => { await webdriverCall('POST', `${at}/window/rect`, { width, height }); },
      screenshot: async () => Buffer.from(await webdriverCall<string>('GET', `${at}/screenshot`), 'base64'),
      close: async () => {
        try {
          await webdriverCall('DELETE', at, undefined, 10_000);
        } catch {
          // the processes go below either way
        } finally {
          stopAll();
          process.removeListener('exit', stopAll);
        }
      },
    };
  } catch (err) {
    if (sessionUrl) await webdriverCall('DELETE', sessionUrl, undefined, 10_000).catch(() => undefined);
    stopAll();
    process.removeListener('exit', stopAll);
    throw err;
  }
}
