/**
 * The same jobs in any JavaScript engine, each reduced to a hash of its bytes, for comparing engines bit for bit
 * (bench/probes/cross-engine-bits.ts runs them in Node, Chromium, Firefox and WebKit; test/browser/cross-engine-bits.test.ts
 * a subset). Browser-safe (no Node APIs): a page imports this module from the Vite dev server.
 * - init: initParams for several nets × schemes × seeds (Box–Muller's Math.log/cos/sqrt for he);
 * - data: generate2D for every lab data set at a few seeds (Math.cos/sin, Box–Muller jitter);
 * - fit: a few epochs of fit on cpu and on wasm, every activation and loss, SGD and Adam (Math.exp/tanh/log…);
 * - lecture: each lecture's worked example, grad on cpu and wasm, and explain's text at 12 decimals (its most);
 * - scalar: the scalar notation's float64 values (z, a, L_c) of each lecture (Math.exp, tanh… in float64, never rounded to float32);
 * - libm: Math.exp/log/cos/sin/tanh/log1p/expm1/pow over seeded doubles (the raw functions the jobs above use).
 */
import { type ActivationName, initParams, type InitScheme, type Loss, Model, mulberry32, type NetworkSpec, validateSpec } from '../../src/index.ts';
import { DATASETS_2D, generate2D } from '../../src/lab/datasets.ts';
import { LECTURES } from '../../src/lectures/index.ts';
import { explain, ScalarEngine } from '../../src/notation/index.ts';
import { WasmBackend } from '../../src/wasm/backend.ts';

/**
 * Where a job runs: the CPU oracle; wasm as 'auto' makes it (relaxed SIMD's fused multiply-add where the engine
 * validates it, so engines with and without relaxed SIMD differ by design); wasm with plain SIMD (mul + add: the
 * same arithmetic in every engine). wasm on 1 thread (WebKit offers no SharedArrayBuffer; the count changes no bit).
 */
export type JobBackend = 'cpu' | 'wasm' | 'wasm-simd';

async function modelOn(spec: unknown, backend: JobBackend): Promise<Model> {
  if (backend === 'cpu') return Model.create(spec, { backend });
  if (backend === 'wasm') return Model.create(spec, { backend, threads: 1 });
  return Model.create(spec, { backend: 'wasm', shared: await plainSimd() });
}

let plain: Promise<WasmBackend> | undefined;
/** One plain-SIMD wasm backend (1 thread) for every wasm-simd job. */
const plainSimd = (): Promise<WasmBackend> => (plain ??= WasmBackend.create({ simd: 'simd', threads: 1 }));

/** The SIMD kind 'auto' gives in this engine ('relaxed' or 'simd'). */
export async function autoSimd(): Promise<string> {
  const b = await WasmBackend.create({ threads: 1 });
  try {
    return b.simd;
  } finally {
    b.dispose();
  }
}

/** One job's result: its name, the FNV-1a hash of its bytes, how many values, and (on request) the values themselves. */
export interface JobResult {
  name: string;
  hash: string;
  count: number;
  values?: number[];
}

/** FNV-1a (32 bits) of the bytes of `data`, as 8 hex digits. */
export function fnv1a(data: ArrayBufferView): string {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function result(name: string, values: Float32Array | Float64Array, keep: boolean): JobResult {
  return { name, hash: fnv1a(values), count: values.length, ...(keep ? { values: Array.from(values) } : {}) };
}

const concat32 = (parts: readonly Float32Array[]): Float32Array => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let k = 0;
  for (const p of parts) { out.set(p, k); k += p.length; }
  return out;
};

const INIT_NETS: readonly NetworkSpec[] = [
  { inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' },
  { inputs: 784, layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy' },
  { inputs: 3, layers: [{ units: 5, activation: 'leaky_relu' }, { units: 4, activation: 'identity' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy' },
];
const SCHEMES: readonly InitScheme[] = ['he', 'xavier', 'uniform'];
const SEEDS = [0, 1, 42, 0xffffffff] as const;

/** A wide net for the probe's he init only (670 000 weights a seed): hashes, never values (too many to carry). */
const BIG_NET: NetworkSpec = { inputs: 784, layers: [{ units: 512, activation: 'relu' }, { units: 512, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy' };

/** he init of BIG_NET at seeds 0 … 3: `init-big/<seed>`. */
export function bigInitJobs(): JobResult[] {
  return [0, 1, 2, 3].map((seed) => result(`init-big/${seed}`, concat32(initParams(validateSpec(BIG_NET).net, 'he', seed).W), false));
}

/** initParams' W (b is zeros) for each net × scheme × seed: `init/<net>/<scheme>/<seed>`. */
export function initJobs(keep = false): JobResult[] {
  const out: JobResult[] = [];
  INIT_NETS.forEach((spec, n) => {
    for (const scheme of SCHEMES) {
      for (const seed of SEEDS) {
        const p = initParams(validateSpec(spec).net, scheme, seed);
        out.push(result(`init/${n}/${scheme}/${seed}`, concat32(p.W), keep));
      }
    }
  });
  return out;
}

/** generate2D's x (and labels) for every data set, 200 points, seeds 1, 7, 42: `data/<kind>/<seed>`. */
export function dataJobs(keep = false): JobResult[] {
  const out: JobResult[] = [];
  for (const { kind } of DATASETS_2D) {
    for (const seed of [1, 7, 42]) {
      const d = generate2D(kind, 200, seed);
      out.push(result(`data/${kind}/${seed}`, Float64Array.from([...d.x.flat(), ...d.labels]), keep));
      out.push(result(`data32/${kind}/${seed}`, Float32Array.from(d.x.flat()), keep)); // as a model takes x: float32
    }
  }
  return out;
}

interface FitNet { name: string; hidden: ActivationName; output: ActivationName; loss: Loss; kind: 'xor' | 'blobs' | 'moons' }
const FIT_NETS: readonly FitNet[] = [
  { name: 'sigmoid-mse', hidden: 'sigmoid', output: 'sigmoid', loss: 'mse', kind: 'moons' },
  { name: 'tanh-bce', hidden: 'tanh', output: 'sigmoid', loss: 'bce', kind: 'xor' },
  { name: 'relu-softmax', hidden: 'relu', output: 'softmax', loss: 'softmax-cross-entropy', kind: 'blobs' },
  { name: 'leaky-identity-mse', hidden: 'leaky_relu', output: 'identity', loss: 'mse', kind: 'moons' },
];

/** The spec of a fit job: 2-6-6-k, he init (seed 3), on 96 points of its data set. */
export function fitSpec(net: FitNet): NetworkSpec {
  const classes = DATASETS_2D.find((d) => d.kind === net.kind)!.classes;
  const out = classes === 2 ? 1 : classes;
  return {
    inputs: 2,
    layers: [{ units: 6, activation: net.hidden }, { units: 6, activation: net.hidden }, { units: out, activation: net.output }],
    loss: net.loss,
    init: { scheme: 'he', seed: 3 },
    lr: 0.3,
  };
}

/** 3 epochs of fit (batch 16, shuffle seed 5) on `backend` with SGD and with Adam: the parameters and each epoch's loss. */
export async function fitJobs(backend: JobBackend, keep = false, nets: readonly FitNet[] = FIT_NETS): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for (const net of nets) {
    const data = generate2D(net.kind, 96, 11);
    for (const optimizer of ['sgd', 'adam'] as const) {
      const model = await modelOn(fitSpec(net), backend);
      try {
        const history = await model.fit({ x: data.x, y: data.y, epochs: 3, batchSize: 16, shuffle: { seed: 5 }, optimizer: optimizer === 'adam' ? { name: 'adam', lr: 0.01 } : 'sgd' });
        const p = await model.getParams();
        out.push(result(`fit/${backend}/${net.name}/${optimizer}`, concat32([...p.W, ...p.b]), keep));
        out.push(result(`fit-loss/${backend}/${net.name}/${optimizer}`, Float64Array.from(history.map((e) => e.loss)), keep));
      } finally {
        model.dispose();
      }
    }
  }
  return out;
}

/** Each lecture's grad on `backend` (loss, Z, A, delta, dW, db) and, once, explain's text at 12 decimals (its most). */
export async function lectureJobs(backend: JobBackend, keep = false): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for (const l of LECTURES) {
    const model = await modelOn(l.worked.spec, backend);
    try {
      const g = await model.grad();
      out.push(result(`lecture/${backend}/${l.id}`, Float64Array.from([g.loss, ...concat32([...g.Z, ...g.A, ...g.delta, ...g.dW, ...g.db])]), keep));
    } finally {
      model.dispose();
    }
    if (backend === 'cpu') {
      const text = explain(l.worked, { decimals: 12 }, [], 'text');
      out.push({ name: `explain/${l.id}`, hash: fnv1a(new TextEncoder().encode(text)), count: text.length });
    }
  }
  return out;
}

/** The scalar notation's float64 values of each lecture: every example's z and a of every unit, and its loss L_c. */
export function scalarJobs(keep = false): JobResult[] {
  return LECTURES.map((l) => {
    const engine = new ScalarEngine(l.worked.spec);
    const values: number[] = [];
    for (let c = 0; c < engine.n; c++) {
      engine.net.layers.forEach((layer, L) => {
        for (let unit = 0; unit < layer.units; unit++) values.push(engine.nodeValue({ kind: 'z', layer: L, unit }, c), engine.nodeValue({ kind: 'a', layer: L, unit }, c));
      });
      values.push(engine.loss(c));
    }
    return result(`scalar/${l.id}`, Float64Array.from(values), keep);
  });
}

/** Every job: init (and the big net's), data, the scalar notation, fit and lecture on cpu, wasm and wasm-simd. */
export async function allJobs(keep = false): Promise<JobResult[]> {
  const out = [...initJobs(keep), ...bigInitJobs(), ...dataJobs(keep), ...scalarJobs(keep)];
  for (const backend of ['cpu', 'wasm', 'wasm-simd'] as const) out.push(...(await fitJobs(backend, keep)), ...(await lectureJobs(backend, keep)));
  return out;
}

/** The raw functions, each over its own seeded inputs (the domains the jobs above call them on, and wider). */
export const LIBM: Readonly<Record<string, { fn: (x: number) => number; input: (r: () => number) => number }>> = {
  exp: { fn: Math.exp, input: (r) => 80 * r() - 40 },
  log: { fn: Math.log, input: (r) => 1 - r() }, // Box–Muller's u: (0, 1], a multiple of 2⁻³²
  'log-wide': { fn: Math.log, input: (r) => (1 + r()) * 2 ** Math.floor(60 * r() - 30) }, // 2 ** an integer: exact in every engine
  cos: { fn: Math.cos, input: (r) => 2 * Math.PI * r() }, // Box–Muller's angle
  'cos-wide': { fn: Math.cos, input: (r) => 4 * Math.PI * r() - Math.PI }, // the data sets' angles (spiral: up to 3.5 turns + an arm)
  sin: { fn: Math.sin, input: (r) => 4 * Math.PI * r() - Math.PI },
  tanh: { fn: Math.tanh, input: (r) => 20 * r() - 10 },
  log1p: { fn: Math.log1p, input: (r) => r() },
  expm1: { fn: Math.expm1, input: (r) => 2 * r() - 1 },
  sqrt: { fn: Math.sqrt, input: (r) => 10 * r() },
  'pow-adam': { fn: (t) => 0.999 ** Math.floor(t), input: (r) => 1 + 100_000 * r() }, // Adam's β₂ᵗ
};

/** Each LIBM function over `n` inputs from mulberry32(seed): the outputs' bytes, as a Float64Array per function. */
export function libmOutputs(n: number, seed = 2026): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, { fn, input }] of Object.entries(LIBM)) {
    const r = mulberry32(seed);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = fn(input(r));
    out[name] = y;
  }
  return out;
}

/** The bytes of `v` as base64 (btoa: a page and Node alike). */
export function base64(v: Float64Array): string {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** What a page hands back, as JSON: every job with its values as float64 bytes (base64), or the LIBM outputs. */
export async function engineReport(part: 'jobs' | 'libm', n = 100_000): Promise<string> {
  if (part === 'libm') return JSON.stringify(Object.fromEntries(Object.entries(libmOutputs(n)).map(([k, v]) => [k, base64(v)])));
  const jobs = await allJobs(true);
  return JSON.stringify({ simd: await autoSimd(), jobs: jobs.map(({ values, ...j }) => ({ ...j, b64: values ? base64(Float64Array.from(values)) : '' })) });
}

/** The lab's data sets at seed 7 (200 points), as doubles: what test/browser/cross-engine-bits.test.ts holds to a bound. */
export function dataValues(): Record<string, number[]> {
  return Object.fromEntries(DATASETS_2D.map(({ kind }) => [kind, generate2D(kind, 200, 7).x.flat()]));
}

/**
 * The subset test/browser/cross-engine-bits.test.ts runs in each engine (a few seconds): init of two nets by every
 * scheme at two seeds, every data set as float32, fits on cpu and wasm-simd (SGD and Adam; tanh/BCE, relu/softmax-CE,
 * sigmoid/MSE), every lecture's grad on both, and every lecture's explain text; and the data sets' doubles.
 */
export async function testReport(): Promise<{ jobs: JobResult[]; data: Record<string, number[]> }> {
  const jobs = initJobs().filter((j) => !j.name.startsWith('init/1/') && /\/(1|4294967295)$/.test(j.name));
  jobs.push(...dataJobs().filter((j) => j.name.startsWith('data32/') && j.name.endsWith('/7')));
  for (const backend of ['cpu', 'wasm-simd'] as const) jobs.push(...(await fitJobs(backend, false, FIT_NETS.slice(0, 3))), ...(await lectureJobs(backend)));
  return { jobs, data: dataValues() };
}
