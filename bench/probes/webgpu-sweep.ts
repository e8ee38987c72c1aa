/**
 * A researcher's sweep on WebGPU in one page (README, "A sweep in one process"): a 64-32-10 net on 1 000 synthetic
 * rows × {sgd, adam} × lr {1e-2, 0.1} × seeds {1, 2} × 3 epochs, batch 50, in headless Chromium (SwiftShader without
 * a GPU), with the page's WebGPU calls counted (./webgpu-sweep-count.js). Phases (./webgpu-sweep-page.js), each
 * printed as JSON with the GPU process's RSS after it:
 * - sweep: per model the buffers and bytes its fit makes, what dispose() leaves, its bits, and its worst relative
 *   difference from the same fit on the CPU; repro: four configs again, bit for bit;
 * - isolation: bad fit options (a typed error naming the field, and the WebGPU work each made), then the model and the
 *   next one as in the sweep; abort2: a fit stopped from onBatch mid-epoch against the CPU stopped there, then continued,
 *   and one stopped by a timer;
 * - shared, sharediso, timing: models on one shared WebGpuBackend (devices requested, bits, a bad fit's isolation,
 *   concurrent fits, and the time per model against a device per model);
 * - big, bigdrop, gc: five 784-256-10 models fitted on 8 000 rows, disposed (big) or dropped without dispose()
 *   (bigdrop); gc forces the garbage collector (--js-flags=--expose-gc).
 *
 *   node --import ./bin/register-source.mjs bench/probes/webgpu-sweep.ts [phase,phase,…]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { launchChromium } from '../../src/node/chromium.ts';
import { HARNESS_PATH, startServer } from '../../src/node/server.ts';

const here = (file: string): string => readFileSync(new URL(file, import.meta.url), 'utf8');
const phases = (process.argv[2] ?? 'sweep,repro,isolation,abort2,shared,sharediso,timing,big,bigdrop,gc,big').split(',');
const served = await startServer();
const browser = await launchChromium({ args: ['--js-flags=--expose-gc'], protocolTimeout: 900_000 });
const root = browser.process()?.pid;

/** The RSS (MiB) of Chromium's GPU process (SwiftShader's buffers live there): a --type=gpu-process below `root`. */
function gpuRssMiB(): number {
  const parent = (pid: string | number): number => Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  for (const d of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('--type=gpu-process')) continue;
      let pid = Number(d);
      for (let k = 0; k < 5 && pid > 1 && pid !== root; k++) pid = parent(pid);
      if (pid === root) return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${d}/status`, 'utf8'))?.[1]) / 1024;
    } catch {
      // the process ended meanwhile
    }
  }
  return NaN;
}

try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[page] ${String(e)}`));
  await page.evaluateOnNewDocument(here('./webgpu-sweep-count.js'));
  await page.goto(new URL(HARNESS_PATH, served.url).href);
  const body = here('./webgpu-sweep-page.js');
  const t0 = Date.now();
  for (const name of phases) {
    const result = await page.evaluate(`(async (name, arg) => { ${body} })(${JSON.stringify(name)}, ${JSON.stringify({ gpuRss: gpuRssMiB() })})`);
    console.log(`== ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s) GPU process RSS ${gpuRssMiB().toFixed(1)} MiB`);
    console.log(JSON.stringify(result));
  }
} finally {
  await browser.close();
  await served.close();
}
