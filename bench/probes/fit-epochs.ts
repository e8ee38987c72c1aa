/**
 * ours-wasm's config e fit in headless Chromium, page load after page load: epoch 1 (from the making of the backend,
 * as the bench's clock) and the mean of the later epochs, in seconds — what the bench page's fit of one system
 * reports (`?configs=…&systems=ours-wasm&oursWasmThreads=T&autorun=1`), without the peers. For comparing two
 * versions of the code on one machine: run it on each, one after the other, on a quiet machine.
 *
 *   node --import ./bin/register-source.mjs bench/probes/fit-epochs.ts [config] [threads] [page loads]   # e-sgd 2 3
 */
import { launchChromium } from '../../src/node/chromium.ts';
import { BENCH_PAGE, startBenchServer } from '../server.ts';

const [config = 'e-sgd', threads = '2', loads = '3'] = process.argv.slice(2);
const served = await startBenchServer();
const browser = await launchChromium({ args: ['--enable-webgpu-developer-features'], protocolTimeout: 900_000 });
try {
  for (let k = 0; k < Number(loads); k++) {
    const page = await browser.newPage();
    await page.goto(new URL(`${BENCH_PAGE}?configs=${config}&systems=ours-wasm&oursWasmThreads=${threads}&autorun=1`, served.url).href);
    // 'error' too (a query the page refuses, a system that failed): said at once, not waited on until the timeout.
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), { timeout: 600_000, polling: 200 });
    const error = await page.evaluate('window.benchError') as string | undefined;
    if (error !== undefined) throw new Error(`the bench page stopped: ${error}`);
    const at = await page.evaluate('window.benchResults.rows.map((row) => row.epochs.map((e) => e.at))') as number[][];
    for (const a of at) {
      const later = (a[a.length - 1] - a[0]) / (a.length - 1);
      console.log(`${config} ours-wasm (${threads} thread${threads === '1' ? '' : 's'}), load ${k + 1}: epoch 1 ${a[0].toFixed(3)} s, later epochs ${later.toFixed(4)} s each, total ${a[a.length - 1].toFixed(3)} s`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await served.close();
}
