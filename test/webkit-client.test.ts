/**
 * test/browser/webkit.ts's WebDriver call against a driver that takes the connection and never answers (a hung
 * WebKitWebDriver): with a time limit it rejects, so launchWebKit's start-up and close end their Xvfb and driver
 * rather than waiting on fetch's own 5-minute limit (a worker killed meanwhile leaves them running). And an answer
 * that is a WebDriver error (its JSON shape, W3C WebDriver §6.6 "Handling errors") is thrown with its error code.
 * stop ends a driver's process group even after the driver itself exited. findMiniBrowser: Debian puts MiniBrowser
 * under its multiarch folder, so an arm64 CI has it under aarch64-linux-gnu.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findMiniBrowser, stop, webdriverCall } from './browser/webkit.ts';

let servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

function listen(s: Server | ReturnType<typeof createHttpServer>): Promise<string> {
  servers.push(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as { port: number }).port}`)));
}

describe('webdriverCall', () => {
  it('a driver that never answers: rejected at the time limit (not left waiting)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((c) => { sockets.push(c); });
    const base = await listen(silent);
    try {
      await expect(webdriverCall('GET', `${base}/status`, undefined, 300)).rejects.toThrow(/abort|timeout/i);
    } finally {
      for (const c of sockets) c.destroy();
    }
  }, 10_000);

  it("a WebDriver error answer is thrown with its code and message; a value is returned", async () => {
    const http = createHttpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/session/x/element') {
        res.statusCode = 404;
        res.end(JSON.stringify({ value: { error: 'no such element', message: 'none matched #nope', stacktrace: '' } }));
      } else res.end(JSON.stringify({ value: { ready: true, message: '' } }));
    });
    const base = await listen(http);
    await expect(webdriverCall('POST', `${base}/session/x/element`, { using: 'css selector', value: '#nope' }, 5_000))
      .rejects.toThrow('WebDriver POST /session/x/element: no such element: none matched #nope');
    expect(await webdriverCall('GET', `${base}/status`, undefined, 5_000)).toEqual({ ready: true, message: '' });
  });
});

describe('findMiniBrowser', () => {
  it("finds MiniBrowser in any multiarch folder (arm64's too), and nothing where there is none", () => {
    const lib = mkdtempSync(join(tmpdir(), 'wk-lib-'));
    try {
      mkdirSync(join(lib, 'aarch64-linux-gnu', 'webkit2gtk-4.1'), { recursive: true });
      expect(findMiniBrowser(lib)).toBeUndefined();
      writeFileSync(join(lib, 'aarch64-linux-gnu', 'webkit2gtk-4.1', 'MiniBrowser'), '');
      expect(findMiniBrowser(lib)).toBe(join(lib, 'aarch64-linux-gnu', 'webkit2gtk-4.1', 'MiniBrowser'));
      expect(findMiniBrowser(join(lib, 'nowhere'))).toBeUndefined();
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });
});

/** Whether `pid` still runs (a zombie, exited but not yet reaped, does not). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('stop', () => {
  it('ends the process group of a leader that has already exited (a crashed driver\'s MiniBrowser)', async () => {
    // The leader starts a child in its group (as WebKitWebDriver starts MiniBrowser), names it, and exits.
    const leader = spawn('sh', ['-c', 'sleep 60 & echo $!'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    leader.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    await new Promise((r) => leader.once('exit', r));
    const child = Number(out.trim());
    expect(running(child)).toBe(true);
    stop(leader);
    const end = Date.now() + 5_000;
    while (running(child) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const left = running(child);
    if (left) process.kill(child, 'SIGKILL');
    expect(left).toBe(false);
  });
});
