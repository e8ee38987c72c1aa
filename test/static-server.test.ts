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
    mkdirSync(join(dir, 'site-x'), { recursive: true });
    writeFileSync(join(dir, 'site-x', 'secret.js'), 'outside');
    writeFileSync(join(root, 'data.json'), '{}');
    const served = await startStaticServer(root);
    try {
      expect(await get(served.url, '/browser/harness.html')).toBe(200);
      // Before: decodeURIComponent threw URIError in the request listener, an uncaught exception that ended the process.
      expect(await get(served.url, '/%E0%A4%A')).toBe(400);
      expect(await get(served.url, '/browser/%')).toBe(400);
      expect(await get(served.url, '/../secret.js')).toBe(404);
      expect(await get(served.url, '/%2e%2e/secret.js')).toBe(404);
      // An encoded slash is no segment to the URL parser (it keeps `..%2f`), but decoded it climbs out of the root:
      // the root check alone refuses it, and a sibling folder whose name starts with the root's is outside it too.
      expect(await get(served.url, '/..%2fsecret.js')).toBe(404);
      expect(await get(served.url, '/..%2fsite-x%2fsecret.js')).toBe(404);
      expect(await get(served.url, '/data.json')).toBe(404);
      expect(await get(served.url, '/browser/harness.html')).toBe(200);
    } finally {
      await served.close();
    }
  });
});

describe('startStaticServer: what it serves', () => {
  it('the harness page it names, each type with its content type, cross-origin isolated (COOP same-origin, COEP require-corp)', async () => {
    const root = join(dir, 'typed');
    mkdirSync(join(root, 'browser'), { recursive: true });
    writeFileSync(join(root, 'browser', 'harness.html'), '<!doctype html><p>harness');
    writeFileSync(join(root, 'browser', 'harness.js'), 'export {};');
    const served = await startStaticServer(root);
    try {
      // The page the CLI opens (Served.harness), relative to the server's URL.
      expect(served.harness).toBeDefined();
      const page = await fetch(new URL(served.harness!, served.url));
      expect(page.status).toBe(200);
      expect(await page.text()).toBe('<!doctype html><p>harness');
      const script = await fetch(new URL('browser/harness.js', served.url));
      expect(script.status).toBe(200);
      expect(await script.text()).toBe('export {};');
      // A module script needs a JavaScript MIME type (HTML spec); the page is HTML; both UTF-8.
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      // SharedArrayBuffer for the wasm threads: the page and what it loads must be cross-origin isolated.
      for (const res of [page, script]) {
        expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      }
    } finally {
      await served.close();
    }
  });
});
