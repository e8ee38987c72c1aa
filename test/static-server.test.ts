/**
 * src/node/server.ts startStaticServer: the server the installed package's CLI serves its built harness page from
 * (dist/lib/, for headless Chromium) and test/browser/package.test.ts its bundles. A request it cannot serve is
 * answered with an error status and the server goes on; none ends the process it runs in.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../src/node/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-static-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GET `path` as written (no normalisation by a client): its status, or the error that ended it. */
function get(url: string, path: string): Promise<number | string> {
  return new Promise((done) => {
    const req = request(`${url.replace(/\/$/, '')}${path}`, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 'no status'));
    });
    req.path = path;
    req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', (err) => done(err.message));
    req.end();
  });
}

describe('startStaticServer', () => {
  it('answers a path that does not decode with 400, one outside its folder or of another type with 404, and serves on', async () => {
    const root = join(dir, 'site');
    mkdirSync(join(root, 'browser'), { recursive: true });
    writeFileSync(join(root, 'browser', 'harness.html'), '<!doctype html>');
    writeFileSync(join(dir, 'secret.js'), 'outside');
    writeFileSync(join(root, 'data.json'), '{}');
    const served = await startStaticServer(root);
    try {
      expect(await get(served.url, '/browser/harness.html')).toBe(200);
      // Before: decodeURIComponent threw URIError in the request listener, an uncaught exception that ended the process.
      expect(await get(served.url, '/%E0%A4%A')).toBe(400);
      expect(await get(served.url, '/browser/%')).toBe(400);
      expect(await get(served.url, '/../secret.js')).toBe(404);
      expect(await get(served.url, '/%2e%2e/secret.js')).toBe(404);
      expect(await get(served.url, '/data.json')).toBe(404);
      expect(await get(served.url, '/browser/harness.html')).toBe(200);
    } finally {
      await served.close();
    }
  });
});
