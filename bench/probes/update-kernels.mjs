/**
 * Probe: the elementwise update kernels (sgd, momentum, adam: shaders/update.wgsl, one override OPT each) and the
 * max |θ| reduction (max_abs.wgsl) as they are now against a git revision's (default 0f8c41b: sgd.wgsl,
 * momentum.wgsl and adam.wgsl, one file each; both sides vec4s, two per invocation), in Node on Dawn (npm package
 * `webgpu`) with Chromium's SwiftShader. Run (Debian's chromium ships SwiftShader's Vulkan driver):
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium \
 *     node bench/probes/update-kernels.mjs [parameters = 407296] [revision = 0f8c41b]
 *
 * NOTE: the default, 407 296, is config b's params buffer in bytes, not floats: 4× config b (784-128-10: 101 824
 * floats with the 256-byte padding). Give 101824 for config b's size; the README's figures are at the default.
 * Each pair runs on the same random data and is checked bitwise (every buffer the kernel writes). Time is the CPU
 * time of every thread but Node's main one (SwiftShader's workers), min of 5 interleaved repetitions of 10
 * dispatches, as bench/probes/swiftshader-blocks.mjs. max |θ| is the same file on both sides: its row shows the
 * noise. (The vec4 kernels against the f32 loops before them: this probe at d4638d7, revision be8ccf7.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { probeDevice, workerNs } from './dawn.mjs';

const N = Number(process.argv[2] ?? 407296);
const REV = process.argv[3] ?? '0f8c41b';
if (!(N > 0 && N % 64 === 0)) throw new Error(`parameters: a positive multiple of 64 (whole 256-byte blocks, as the params buffer), got ${process.argv[2]}`);
const root = new URL('../../', import.meta.url);
const now = (f) => readFileSync(new URL(`shaders/${f}`, root), 'utf8');
const then = (f) => execFileSync('git', ['show', `${REV}:shaders/${f}`], { cwd: root }).toString();

const device = await probeDevice([], `; ${N} parameters; before = ${REV}`);
const U = GPUBufferUsage;

function rand(n, seed, positive = false) {
  let s = seed;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; a[i] = positive ? s / 2 ** 32 : s / 2 ** 32 - 0.5; }
  return a;
}
/** p, dW, and two state buffers (buf or m, v; v ≥ 0), fresh copies of the same data for each kernel. */
const DATA = [rand(N, 1), rand(N, 2), rand(N, 3), rand(N, 4, true)];
function buffers() {
  return DATA.map((d) => {
    const b = device.createBuffer({ size: N * 4, usage: U.STORAGE | U.COPY_SRC | U.COPY_DST });
    device.queue.writeBuffer(b, 0, d);
    return b;
  });
}
function uniform(words) {
  const dv = new DataView(new ArrayBuffer(64));
  words.forEach(([type, x], i) => (type === 'f' ? dv.setFloat32(4 * i, x, true) : dv.setUint32(4 * i, x, true)));
  const b = device.createBuffer({ size: 64, usage: U.UNIFORM | U.COPY_DST });
  device.queue.writeBuffer(b, 0, dv.buffer);
  return b;
}
async function readAll(list) {
  const out = [];
  for (const b of list) {
    const r = device.createBuffer({ size: b.size, usage: U.MAP_READ | U.COPY_DST });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(b, 0, r, 0, b.size);
    device.queue.submit([enc.finish()]);
    await r.mapAsync(GPUMapMode.READ);
    out.push(new Uint32Array(r.getMappedRange().slice(0)));
    r.destroy();
  }
  return out;
}

// Each side: its file, override constants, uniform words (count first, in vec4s) and how many of p, dW, s1, s2 it
// binds after the uniform (max_abs: p and the result). momentum: lr, weight decay, mu, nesterov, first. adam: lr,
// weight decay, beta1, beta2, eps, step size, √(1 − beta2^t), decoupled — in update.wgsl after momentum's fields, and
// there then 1 − beta1, 1 − beta2, decay.
const V = N / 4;
const MOMENTUM = [['f', 0.01], ['f', 1e-3], ['f', 0.9], ['u', 0], ['u', 0]];
const ADAM = [['f', 0.9], ['f', 0.999], ['f', 1e-8], ['f', 1e-2], ['f', 0.0447], ['u', 0]];
const KERNELS = [
  {
    name: 'sgd', state: 0,
    before: { file: 'sgd.wgsl', words: [['u', V], ['f', 0.01]], bind: 2 },
    now: { file: 'update.wgsl', constants: { OPT: 0 }, words: [['u', V], ['f', 0.01]], bind: 4 },
  },
  {
    name: 'momentum', state: 1,
    before: { file: 'momentum.wgsl', words: [['u', V], ...MOMENTUM], bind: 3 },
    now: { file: 'update.wgsl', constants: { OPT: 1 }, words: [['u', V], ...MOMENTUM], bind: 4 },
  },
  {
    name: 'adam', state: 2,
    before: { file: 'adam.wgsl', words: [['u', V], ['f', 1e-3], ['f', 0], ...ADAM], bind: 4 },
    // then 1 − beta1, 1 − beta2 and AdamW's decay, which update.wgsl now takes from the host: here the values the
    // old kernels computed in float32, so that before and now stay bitwise comparable
    now: { file: 'update.wgsl', constants: { OPT: 2 }, words: [['u', V], ['f', 1e-3], ['f', 0], ['f', 0], ['u', 0], ['u', 0], ...ADAM, ['f', Math.fround(1 - Math.fround(0.9))], ['f', Math.fround(1 - Math.fround(0.999))], ['f', 1]], bind: 4 },
  },
  { name: 'max |θ|', reduce: true, before: { file: 'max_abs.wgsl', words: [['u', V]] }, now: { file: 'max_abs.wgsl', words: [['u', V]] } },
];
const rows = [];
for (const k of KERNELS) {
  const pair = [];
  for (const [when, side, code] of [['before', k.before, then(k.before.file)], ['now', k.now, now(k.now.file)]]) {
    // sgd/momentum/adam: 2 vec4s per invocation of 64; max_abs: ≥ 4 vec4s per invocation, ≤ 1024 groups.
    const groups = k.reduce ? Math.max(1, Math.min(1024, Math.ceil(V / (4 * 64)))) : Math.ceil(V / (2 * 64));
    const module = device.createShaderModule({ label: `${side.file} ${when}`, code });
    for (const m of (await module.getCompilationInfo()).messages) console.log(`${side.file} ${when}:${m.lineNum}:${m.linePos} ${m.type} ${m.message}`);
    const [p, dW, s1, s2] = buffers();
    const result = device.createBuffer({ size: 16, usage: U.STORAGE | U.COPY_SRC | U.COPY_DST });
    const bound = k.reduce ? [p, result] : [p, dW, s1, s2].slice(0, side.bind);
    const types = k.reduce ? ['read-only-storage', 'storage'] : ['storage', 'read-only-storage', 'storage', 'storage'];
    const layout = device.createBindGroupLayout({
      entries: [{ type: 'uniform' }, ...types.slice(0, bound.length).map((type) => ({ type }))].map((buffer, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer })),
    });
    const pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main', constants: { WG: 64, ...side.constants } },
    });
    const bindGroup = device.createBindGroup({
      layout,
      entries: [uniform(side.words), ...bound].map((b, binding) => ({ binding, resource: { buffer: b } })),
    });
    const go = async (n) => {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < n; i++) {
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(groups); pass.end();
      }
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    };
    await go(1);
    pair.push({ when, go, written: await readAll(k.reduce ? [result] : [p, s1, s2].slice(0, 1 + k.state)), ms: [] });
  }
  const same = pair[0].written.every((a, i) => a.length === pair[1].written[i].length && a.every((x, j) => x === pair[1].written[i][j]));
  rows.push({ k, pair, same });
}
for (let rep = 0; rep < 5; rep++) {
  for (const { pair } of rows) for (const r of pair) {
    const t0 = workerNs();
    await r.go(10);
    r.ms.push((workerNs() - t0) / 1e6 / 10);
  }
}
for (const { k, pair, same } of rows) {
  const [a, b] = pair.map((r) => Math.min(...r.ms));
  console.log(`${k.name.padEnd(10)} before ${a.toFixed(2)} ms  now ${b.toFixed(2)} ms  ${(a / b).toFixed(2)}× less  ${same ? 'bitwise equal' : 'DIFFERENT RESULTS'}`);
}
process.exit(rows.every((r) => r.same) ? 0 : 1);
