/**
 * The bench page's config e reads the site's MNIST digits file, gzip, and unpacks it with DecompressionStream
 * (bench/page/mnist.ts) where the server sent it as it is. DecompressionStream came after the pages' minimum (README
 * "The course lab": Safari 15.4, Firefox 98): Safari 16.4, Firefox 113 (MDN). There its absence read as a corrupt
 * file ("its gzip stream is corrupt: ReferenceError: DecompressionStream is not defined", and "npm run build writes
 * it"), a file that was fine. The page's module runs here in Node with a stand-in window, document and fetch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

/** The first bytes of any gzip file (RFC 1952: ID1 ID2, deflate, no flags): what the page tests before unpacking. */
const GZIP_HEAD = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);

describe('config e on a browser without DecompressionStream (Safari < 16.4, Firefox < 113)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('says the browser cannot unpack the digits file and how to get past it, not that the file is corrupt', async () => {
    vi.resetModules();
    vi.stubGlobal('window', {});
    vi.stubGlobal('document', { baseURI: 'https://host/bench/bench.html' });
    vi.stubGlobal('fetch', async () => new Response(GZIP_HEAD, { status: 200 }));
    vi.stubGlobal('DecompressionStream', undefined);
    const { mnistSplit } = await import('../bench/page/mnist.ts');
    const err = await mnistSplit().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).not.toMatch(/corrupt/);
    expect(message).toBe(
      'this browser cannot unpack https://host/bench/mnist-digits.bin.gz (it has no DecompressionStream: Chrome 80, Safari 16.4, Firefox 113): ' +
        'update it, or have the server send the file with Content-Encoding: gzip',
    );
  });
});
