/**
 * Probe (not part of the engine or of `npm run bench`): µs per step of config a's net (the lectures' 2-2-1,
 * sigmoid, MSE, XOR's 4 examples, lr 0.5) on ours-webgpu's fused kernel — main_lanes (shaders/train_lanes.wgsl,
 * 'auto' on a device with `subgroups`, as SwiftShader's) or main_tiny (shaders/train_tiny.wgsl, `tiny`) — in Node on
 * Dawn (npm package `webgpu`) with Chromium's SwiftShader; README "How the WebGPU path runs" quotes it. Run:
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium \
 *     node --import ./bin/register-source.mjs bench/probes/tiny-step.ts [steps a call] [calls] [auto|tiny|lanes]   # 200000 7 auto
 *
 * Each call is one `Model.train({ steps })` (its dispatches of fusedStepsPerDispatch steps, the loss and max |θ|
 * read back); wall time and the CPU time of SwiftShader's worker threads (bench/probes/dawn.mjs workerNs) per step,
 * each call's and the median and min over the calls after a warm-up call.
 */
import { FUSED_ENTRIES, tinyEntryFor } from '../../src/webgpu/fused.ts';
import { WebGpuBackend } from '../../src/webgpu/backend.ts';
import { Model } from '../../src/model.ts';
import { CONFIG_A, materialize } from '../configs.ts';
import { readFileSync, readdirSync } from 'node:fs';

/** Nanoseconds of CPU time used so far by every thread of this process but the main one (as bench/probes/dawn.mjs). */
function workerNs(): number {
  let t = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    if (Number(tid) === process.pid) continue;
    try { t += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { /* thread gone */ }
  }
  return t;
}

const [steps = 200_000, calls = 7] = process.argv.slice(2, 4).map(Number);
const entry = process.argv[4] ?? 'auto';
if (entry !== 'auto' && !(FUSED_ENTRIES as readonly string[]).includes(entry)) throw new Error(`entry: auto or one of ${FUSED_ENTRIES.join(', ')}, not ${entry}`);
const backend = await WebGpuBackend.create({ fusedEntry: entry as 'auto' });
const { net, X, Y } = materialize(CONFIG_A);
if (!('params' in CONFIG_A.weights)) throw new Error('config a starts from given weights');
const rows = (a: Float32Array, width: number): number[][] => Array.from({ length: a.length / width }, (_, r) => Array.from(a.subarray(r * width, (r + 1) * width)));
const model = await Model.create({
  inputs: net.inputs,
  layers: CONFIG_A.layers,
  loss: CONFIG_A.loss,
  lr: CONFIG_A.lr,
  params: CONFIG_A.weights.params,
  x: rows(X, net.inputs),
  y: rows(Y, 1),
}, { shared: backend });
await model.train({ steps: 10_000 });
console.log(`${backend.description}: fused entry point ${entry === 'auto' ? `auto: ${tinyEntryFor(backend.subgroups)}` : entry}`);
const wall: number[] = [];
const cpu: number[] = [];
for (let k = 0; k < calls; k++) {
  const t0 = performance.now();
  const c0 = workerNs();
  const r = await model.train({ steps });
  wall.push((performance.now() - t0) * 1000 / steps);
  cpu.push((workerNs() - c0) / 1000 / steps);
  console.log(`call ${k + 1}: ${wall[k].toFixed(3)} µs/step wall, ${cpu[k].toFixed(3)} worker CPU (loss ${r.loss.toExponential(4)})`);
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`${calls} calls of ${steps} steps: median ${median(wall).toFixed(3)} µs/step wall (min ${Math.min(...wall).toFixed(3)}), ` +
  `${median(cpu).toFixed(3)} worker CPU (min ${Math.min(...cpu).toFixed(3)})`);
model.dispose();
backend.dispose();
process.exit(0);
