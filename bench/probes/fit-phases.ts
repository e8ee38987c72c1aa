/**
 * Where ours's fit of config e spends its time, in headless Chromium, page load after page load: the bench page's
 * fit of one system (`?configs=…&systems=ours-wasm|ours-webgpu|ours-cpu&autorun=1`, as bench/probes/fit-epochs.ts),
 * with fit's User Timing measures (src/train/timing.ts: the data at the call, the trainer, the upload, each epoch and
 * each validation pass) collected by a PerformanceObserver, in ms. "before" is the rest of epoch 1 as the bench
 * clocks it: from the clock's start (the making of the backend, Model.create, setParams) to fit's first measure.
 *
 *   node --import ./bin/register-source.mjs bench/probes/fit-phases.ts [config] [system] [threads] [page loads]   # e-sgd ours-wasm 2 3
 */
import { launchChromium } from '../../src/node/chromium.ts';
import { FIT_MEASURE } from '../../src/train/timing.ts';
import { BENCH_PAGE, startBenchServer } from '../server.ts';

const [config = 'e-sgd', system = 'ours-wasm', threads = '2', loads = '3'] = process.argv.slice(2);
const served = await startBenchServer();
const browser = await launchChromium({ args: ['--enable-webgpu-developer-features'], protocolTimeout: 900_000 });
try {
  for (let k = 0; k < Number(loads); k++) {
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(`window.__phases = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name.startsWith(${JSON.stringify(FIT_MEASURE)})) window.__phases.push([e.name.slice(${FIT_MEASURE.length}), e.startTime, e.duration]); }).observe({ entryTypes: ['measure'] });`);
    const query = `configs=${config}&systems=${system}${system === 'ours-wasm' ? `&oursWasmThreads=${threads}` : ''}&autorun=1`;
    await page.goto(new URL(`${BENCH_PAGE}?${query}`, served.url).href);
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), { timeout: 600_000, polling: 200 });
    const error = await page.evaluate('window.benchError') as string | undefined;
    if (error !== undefined) throw new Error(`the bench page stopped: ${error}`);
    const phases = await page.evaluate('window.__phases') as [string, number, number][];
    const at = await page.evaluate('window.benchResults.rows[0].epochs.map((e) => e.at)') as number[];
    const v1 = phases.find(([name]) => name === 'validation 1') ?? phases.find(([name]) => name === 'epoch 1');
    if (!v1 || phases.length === 0) throw new Error(`no fit measures seen (${phases.length})`);
    const fitPart = v1[1] + v1[2] - phases[0][1];
    const shown = phases.filter(([name]) => !/^(epoch|validation) ([3-9]|\d\d)/.test(name)).map(([name, , d]) => `${name} ${d.toFixed(1)}`);
    console.log(`${config} ${system}${system === 'ours-wasm' ? ` (${threads} thread${threads === '1' ? '' : 's'})` : ''}, load ${k + 1}: epoch 1 ${(1000 * at[0]).toFixed(1)} ms = before ${(1000 * at[0] - fitPart).toFixed(1)} + ${shown.join(' | ')}`);
    await page.close();
  }
} finally {
  await browser.close();
  await served.close();
}
