/**
 * Where ours's fit of config e spends its time, in headless Chromium, page load after page load: the bench page's
 * fit of one system (`?configs=…&systems=ours-wasm|ours-webgpu|ours-cpu&autorun=1`, as bench/probes/fit-epochs.ts),
 * with its row's `fitPhases` (fit's User Timing measures, src/train/timing.ts: the data at the call, the trainer, the
 * upload, each epoch and each validation pass, as the bench keeps them: bench/fit-systems.ts), in ms. "before" is the
 * rest of epoch 1 as the bench clocks it: the making of the backend, Model.create, setParams (and the gaps between
 * fit's phases, well under 1 ms each).
 *
 *   node --import ./bin/register-source.mjs bench/probes/fit-phases.ts [config] [system] [threads] [page loads]   # e-sgd ours-wasm 2 3
 */
import { launchChromium } from '../../src/node/chromium.ts';
import { firstEpochPhases, phaseLine } from '../epochs.ts';
import type { FitPhase } from '../fit-systems.ts';
import { BENCH_PAGE, startBenchServer } from '../server.ts';

const [config = 'e-sgd', system = 'ours-wasm', threads = '2', loads = '3'] = process.argv.slice(2);
const served = await startBenchServer();
const browser = await launchChromium({ args: ['--enable-webgpu-developer-features'], protocolTimeout: 900_000 });
try {
  for (let k = 0; k < Number(loads); k++) {
    const page = await browser.newPage();
    const query = `configs=${config}&systems=${system}${system === 'ours-wasm' ? `&oursWasmThreads=${threads}` : ''}&autorun=1`;
    await page.goto(new URL(`${BENCH_PAGE}?${query}`, served.url).href);
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), { timeout: 600_000, polling: 200 });
    const error = await page.evaluate('window.benchError') as string | undefined;
    if (error !== undefined) throw new Error(`the bench page stopped: ${error}`);
    const { phases, first } = await page.evaluate('({ phases: window.benchResults.rows[0].fitPhases, first: window.benchResults.rows[0].epochs[0].at })') as { phases?: FitPhase[]; first: number };
    if (!phases?.length) throw new Error('the row has no fitPhases (not one of ours, or an engine without performance.measure)');
    const before = 1000 * first - firstEpochPhases(phases).reduce((sum, p) => sum + p.ms, 0);
    console.log(`${config} ${system}${system === 'ours-wasm' ? ` (${threads} thread${threads === '1' ? '' : 's'})` : ''}, load ${k + 1}: epoch 1 ${(1000 * first).toFixed(1)} ms, of which before the fit ${before.toFixed(1)}; ${phaseLine(phases)}`);
    await page.close();
  }
} finally {
  await browser.close();
  await served.close();
}
