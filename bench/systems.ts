/**
 * The systems under test, each behind one small interface: `train(k)` runs k full SGD steps (forward, loss,
 * backward, update) from wherever the previous call left the weights, reads the loss of the last step back
 * (computed before that step's update, as Model.train does) and resolves with it. The caller times the call,
 * so the final readback is inside the timed region.
 *
 *   ours-webgpu, ours-wasm, ours-cpu   Model.train({steps: k}) — k steps in one submission (src/model.ts); ours-wasm
 *                            on the page's one WasmBackend (its thread count: --ours-wasm-threads, stated in the row)
 *   tfjs-webgpu, -webgl, -wasm, -cpu  TF.js 4.22: k × optimizer.minimize(loss) with a custom loss, cost read at the end
 *   jax-webgpu, jax-wasm     jax-js 0.1.25: k × a jitted valueAndGrad + SGD step (bench/jax.ts)
 *   scalar                   the notation issue's scalar engine (src/notation/scalar.ts): every ∂L/∂p as a sum
 *                            over chain-rule paths, float64, then SGD — small configs only (see SCALAR_MAX_PATHS)
 *
 * Runs in the bench page and in Node (bench/node.ts: the CPU systems without a browser). TF.js is passed in
 * (`tf`), so this file imports only its types.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Backend, BackendKind } from '../src/backend.ts';
import { KERNEL_VARIANTS } from '../src/webgpu/variants.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { Model } from '../src/model.ts';
import type { ParamId } from '../src/notation/names.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { biasLength, LEAKY_SLOPE, type Layer } from '../src/spec.ts';
import { flatParams } from './agree-params.ts';
import { type BenchConfig, FIT_SYSTEMS, GPU_SIZED_SYSTEMS, MATMUL_SYSTEMS, type Materialized, netOf } from './configs.ts';

export type SystemId =
  | 'ours-webgpu' | 'ours-wasm' | 'ours-cpu' | 'tfjs-webgpu' | 'tfjs-webgl' | 'tfjs-wasm' | 'tfjs-cpu' | 'jax-webgpu' | 'jax-wasm' | 'scalar';
export const SYSTEMS: SystemId[] = ['ours-webgpu', 'ours-wasm', 'ours-cpu', 'tfjs-webgpu', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu', 'jax-webgpu', 'jax-wasm', 'scalar'];
const TF_SYSTEMS: SystemId[] = ['tfjs-webgpu', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu'];
/** The systems a browser without WebGPU cannot run (the bench page unticks them, and gives up on them when WebGPU does not answer). */
export const WEBGPU_SYSTEMS: readonly SystemId[] = SYSTEMS.filter((s) => s.endsWith('-webgpu'));
/** The systems a browser without WebAssembly cannot run (V8 with its JIT off, --jitless, defines none). */
export const WASM_SYSTEMS: readonly SystemId[] = SYSTEMS.filter((s) => s.endsWith('-wasm'));

/** The bench's runners: npm run bench (the page in Chromium), npm run bench:node, npm run bench:dawn. */
export type Runner = 'browser' | 'node' | 'dawn';
/** The systems each runner has (the Dawn runner: our engine only — WebGPU through the npm package webgpu, and the CPU reference). */
export const RUNNER_SYSTEMS: Record<Runner, SystemId[]> = {
  browser: SYSTEMS,
  node: ['ours-cpu', 'tfjs-wasm', 'tfjs-cpu', 'scalar'],
  dawn: ['ours-webgpu', 'ours-cpu'],
};
/**
 * ours-webgpu's kernel variants, which --webgpu-variants and the page's webgpuVariants= run side by side, one
 * ours-webgpu row each: 'auto' (the engine's choice for the adapter: env.webgpu.variant names it) and the engine's own
 * list (src/webgpu/variants.ts, which has no WGSL import, so bench/node.ts may load it without Vite).
 */
export const WEBGPU_VARIANTS = ['auto', ...KERNEL_VARIANTS] as const;
export type WebGpuVariant = (typeof WEBGPU_VARIANTS)[number];

/** Why a config, a system or a kernel variant may be named only once in a list. */
const ONCE = { configs: 'each config runs once', systems: 'a system is one row per config', variants: 'each variant is one ours-webgpu row' } as const;
const givenTwice = (k: keyof typeof ONCE, name: string): string => `'${name}' given twice (${ONCE[k]})`;
/**
 * The first item of a list given again, if one is. NOTE: one pass with a Set: items.indexOf per item was quadratic (a
 * bench page link of 200 000 configs froze the page for a minute).
 */
function repeated(items: string[]): string | undefined {
  const seen = new Set<string>();
  for (const s of items) {
    if (seen.has(s)) return s;
    seen.add(s);
  }
  return undefined;
}

/**
 * A --configs or --systems list as given, or the bench page's configs= or systems= (one rule for both): its items,
 * trimmed, empty ones left out, and the error for an item named twice (absent when none is) — two ours-cpu rows would
 * each be "ref", and a config named twice ran once. Both readers report an unknown item before one named twice (as
 * for variants, readVariantList).
 */
export function readNameList(k: 'configs' | 'systems', given: string): { items: string[]; twice?: string } {
  const items = given.split(',').map((s) => s.trim()).filter(Boolean);
  const again = repeated(items);
  return again === undefined ? { items } : { items, twice: givenTwice(k, again) };
}

/**
 * A --webgpu-variants (or the page's webgpuVariants=) list as given: its items, trimmed, empty ones left out (as
 * readNameList leaves them: `auto,` is `auto`; a list of none is its callers' error), those not a variant, and the
 * error for a variant given twice (absent when none is). Both readers report the unknown ones first.
 */
export function readVariantList(given: string): { items: string[]; unknown: string[]; twice?: string } {
  const items = given.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.filter((s) => !(WEBGPU_VARIANTS as readonly string[]).includes(s));
  const again = repeated(items);
  return again === undefined ? { items, unknown } : { items, unknown, twice: givenTwice('variants', again) };
}

/** The peers every row is compared with (a `vs X` column each): TF.js's backends and jax-js's. */
export const PEER_SYSTEMS: SystemId[] = [...TF_SYSTEMS, 'jax-webgpu', 'jax-wasm'];

/**
 * The scalar engine enumerates, for every parameter, every path from the loss down to it, for every example:
 * Σ_l (units_l·fanIn_l + biases_l)·(Π_{s>l} units_s)·n paths per step: 32 for config a, 4·10⁶ for the reduced b
 * (seconds per step), 6·10⁷ for b. It runs on configs with at most SCALAR_MAX_PATHS and is reported as skipped on
 * the others.
 */
const SCALAR_MAX_PATHS = 100_000;

function scalarPathsPerStep(c: BenchConfig): number {
  const net = netOf(c);
  let total = 0;
  net.layers.forEach((layer, l) => {
    const above = net.layers.slice(l + 1).reduce((p, x) => p * x.units, 1);
    total += (layer.units * layer.fanIn + biasLength(layer)) * above;
  });
  return total * c.batch;
}

/**
 * Why configs with a fit (e, qe: each system's own fit, which runs in the bench page) do not run on `runner`, one of
 * the Node and Dawn runners: `ids` (their ids) and the sentence after them. unsupported's skip reason and the command
 * line's refusal (bench/bench.ts refuseUnused) both say it.
 */
export function fitOnlyInBrowser(ids: string[], runner: Runner): string {
  return `${ids.join(', ')} ${ids.length > 1 ? 'are' : 'is'} time to accuracy (each system's own fit), which only the browser runner (npm run bench) has, not the ${runner} runner`;
}

/**
 * Why `system` does not run `config`, or null when it does. Each reason names only systems `runner` has (the browser
 * runner's, all of them, when not given): the bare matmul's its GPU systems; config e's the fit systems, which are the
 * browser runner's alone — each system's own fit runs in the bench page, so on the Node and Dawn runners no system runs
 * e or qe, ours-cpu and ours-webgpu included.
 */
export function unsupported(system: SystemId, c: BenchConfig, gpu?: { fallback: boolean; allowFallback: boolean }, runner: Runner = 'browser'): string | null {
  if (c.fit) {
    if (runner !== 'browser') return `config ${fitOnlyInBrowser([c.id], runner)}`;
    if (!FIT_SYSTEMS.includes(system)) return `config ${c.id} runs on ${FIT_SYSTEMS.join(', ')} (the systems with a fit of their own here)`;
  }
  if (c.matmul && !MATMUL_SYSTEMS.includes(system)) {
    const here = RUNNER_SYSTEMS[runner].filter((s) => MATMUL_SYSTEMS.includes(s));
    return `the bare matmul row is for GPU systems (${here.length ? here.join(', ') : `the ${runner} runner has none`})`;
  }
  if (c.group === 'f') {
    if (!GPU_SIZED_SYSTEMS.includes(system)) return 'config f is for GPU systems (412 GFLOP a step)';
    // The browser runner is also the bench page run from its form or a link, which cannot ask for it: say the command.
    if (gpu?.fallback && !gpu.allowFallback) {
      return `config f skipped on a software GPU (the fallback adapter or SwiftShader; ${runner === 'dawn' ? 'npm run bench:dawn' : 'npm run bench'} -- --configs ${c.id} --gpu-sized-on-fallback runs it${runner === 'browser' ? '; the bench page\'s form and links cannot ask for it' : ''})`;
    }
  }
  if (system === 'scalar') {
    const paths = scalarPathsPerStep(c);
    if (paths > SCALAR_MAX_PATHS) return `${paths.toExponential(1)} chain-rule paths per step > ${SCALAR_MAX_PATHS} (small configs only)`;
  }
  return null;
}

export interface TrainResult {
  loss: number;
}

export interface Trainer {
  readonly description: string;
  /** ours-wasm: the threads its net runs on (WasmBackend.threadsFor): 1 where a step is too small to split. */
  readonly netThreads?: number;
  train(steps: number): Promise<TrainResult>;
  /** The parameters now, in bench/agree-params.ts flatParams' layout (the agreement of a small net): never inside a timed call. */
  params?(): Promise<Float32Array>;
  /** Facts measured once after timing (kernels per step, tensors, …): never inside a timed call. */
  inspect?(): Promise<Record<string, unknown>>;
  /** GPU time of `steps` steps by the system's own timer (TF.js webgpu: tf.time's kernelMs), null if it has none. */
  kernelMs?(steps: number): Promise<number | null>;
  /**
   * Make this system current before a call, untimed (drivers call it before `train`'s clock starts). TF.js's backend
   * is global and a config's systems are open together (repetitions go round-robin, bench/protocol.ts): without it
   * tfjs-webgpu's steps would run on tfjs-webgl's backend when that one was opened or ran last.
   */
  activate?(): Promise<void>;
  dispose(): void;
}

/** TF.js on `backend` now (a no-op when it already is). */
export async function useTfBackend(tf: Tf, backend: string): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not initialise its ${backend} backend`);
}

/** Our engine through its public API: the Model, its parameters set to the shared start, the batch given once. */
export async function oursTrainer(kind: BackendKind, c: BenchConfig, m: Materialized, shared?: Backend): Promise<Trainer> {
  const spec = {
    inputs: c.inputs,
    layers: c.layers,
    loss: c.loss,
    reduction: c.reduction,
    init: { scheme: 'uniform' as const, seed: 1 },
  };
  const model = await Model.create(spec, { backend: kind, shared });
  if (model.kind !== kind) throw new Error(`asked for ${kind}, got ${model.kind}`);
  await model.setParams(m.params);
  const n = c.batch;
  let first = true;
  const backend = model.backend;
  return {
    description: backend.description,
    ...(backend instanceof WasmBackend ? { netThreads: backend.threadsFor(model.net, n) } : {}),
    async train(steps: number): Promise<TrainResult> {
      // The batch is validated and uploaded by the first call only (the agreement run, never timed).
      const data = first ? { x: { examples: n, data: m.X }, y: { examples: n, data: m.Y } } : {};
      first = false;
      const { loss } = await model.train({ steps, lr: c.lr, ...data });
      return { loss };
    },
    async params() {
      const p = await model.getParams();
      return flatParams(p.W, p.b);
    },
    dispose: () => model.dispose(),
  };
}

/**
 * The scalar engine (float64, one number at a time): each step builds a ScalarEngine on the current parameters
 * and the batch, reads the loss and ∂L/∂p of every parameter (the sum over its chain-rule paths, reduced over
 * the batch), and applies SGD in float64.
 */
export async function scalarTrainer(c: BenchConfig, m: Materialized): Promise<Trainer> {
  const { net } = m;
  const n = c.batch;
  const outputs = net.layers[net.layers.length - 1].units;
  const W = net.layers.map((layer, l) => Array.from({ length: layer.units }, (_, i) => Array.from(m.params.W[l].subarray(i * layer.fanIn, (i + 1) * layer.fanIn))));
  const b = m.params.b.map((v) => Array.from(v));
  const x = Array.from({ length: n }, (_, e) => Array.from(m.X.subarray(e * net.inputs, (e + 1) * net.inputs)));
  const y = Array.from({ length: n }, (_, e) => Array.from(m.Y.subarray(e * outputs, (e + 1) * outputs)));
  const params: ParamId[] = [];
  net.layers.forEach((layer, l) => {
    for (let i = 0; i < layer.units; i++) for (let j = 0; j < layer.fanIn; j++) params.push({ kind: 'W', layer: l, row: i, col: j });
    const nb = layer.bias === 'per-unit' ? layer.units : layer.bias === 'shared' ? 1 : 0;
    for (let k = 0; k < nb; k++) params.push({ kind: 'b', layer: l, index: k });
  });
  const layers = c.layers;
  const grads = new Float64Array(params.length);
  const step = (): number => {
    const e = new ScalarEngine({ inputs: c.inputs, layers, loss: c.loss, reduction: c.reduction, params: { W, b }, x, y });
    const loss = e.loss();
    params.forEach((p, k) => {
      grads[k] = e.derivative({ kind: 'deriv', of: 'loss', wrt: { kind: 'param', param: p } }).value;
    });
    params.forEach((p, k) => {
      if (p.kind === 'W') W[p.layer][p.row][p.col] -= c.lr * grads[k];
      else b[p.layer][p.index] -= c.lr * grads[k];
    });
    return loss;
  };
  return {
    description: 'scalar engine (src/notation/scalar.ts, float64, chain-rule paths)',
    async train(steps: number): Promise<TrainResult> {
      let loss = NaN;
      for (let k = 0; k < steps; k++) loss = step();
      return { loss };
    },
    params: async () => flatParams(W.map((rows) => rows.flat()), b),
    dispose() {},
  };
}

type Tf = typeof TF;
type T2 = TF.Tensor2D;

/** Row-major (rows × cols) → its transpose (cols × rows): our W (units × fanIn) → a TF dense kernel (fanIn × units). */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) t[k * rows + r] = a[r * cols + k];
  return t;
}

/**
 * TF.js on `backend`: variables from the shared start (W transposed to TF's fanIn × units; a shared bias is a
 * scalar variable broadcast over the layer), examples as rows, and the loss written to match ours exactly:
 *   mse   scale · Σ_c ½ Σ_i (a − y)²                       scale = 1/n (mean) or 1 (sum)
 *   bce   scale · Σ_c Σ_i [max(z, 0) − z·y + log(1 + e^−|z|)]  (from the logit, as ours)
 *   softmax-CE  −scale · Σ_c Σ_i y ⊙ logSoftmax(z)
 * One step is optimizer.minimize(loss) with plain SGD (tf.train.sgd(lr)).
 */
export async function tfTrainer(tf: Tf, backend: 'cpu' | 'wasm' | 'webgpu' | 'webgl', c: BenchConfig, m: Materialized): Promise<Trainer> {
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not initialise its ${backend} backend`);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`TF.js is on ${tf.getBackend()}, not ${backend}`);
  const { net } = m;
  const n = c.batch;
  const outputs = net.layers[net.layers.length - 1].units;
  const scale = net.reduction === 'mean' ? 1 / n : 1;
  // NOTE: tf.variable shares its initial tensor's data and does not take it over: the tensor is disposed here, else
  // disposing the variable leaves the data held (on webgpu a GPU buffer per parameter each time a page reruns).
  const variable = (init: TF.Tensor, name: string): TF.Variable => {
    const v = tf.variable(init, true, name);
    init.dispose();
    return v;
  };
  const vars = net.layers.map((layer: Layer, l) => ({
    layer,
    W: variable(tf.tensor2d(transpose(m.params.W[l], layer.units, layer.fanIn), [layer.fanIn, layer.units]), `W${l + 1}_${backend}_${c.id}`),
    b: layer.bias === 'per-unit' ? variable(tf.tensor1d(m.params.b[l]), `b${l + 1}_${backend}_${c.id}`)
      : layer.bias === 'shared' ? variable(tf.scalar(m.params.b[l][0]), `b${l + 1}_${backend}_${c.id}`)
      : null,
  }));
  const varList = vars.flatMap((v) => (v.b ? [v.W, v.b] : [v.W]));
  const x = tf.tensor2d(m.X, [n, net.inputs]);
  const y = tf.tensor2d(m.Y, [n, outputs]);
  const optimizer = tf.train.sgd(c.lr);
  const last = vars.length - 1;

  const act = (z: T2, activation: Layer['activation']): T2 => {
    switch (activation) {
      case 'identity': return z;
      case 'sigmoid': return tf.sigmoid(z);
      case 'relu': return tf.relu(z);
      case 'leaky_relu': return tf.leakyRelu(z, LEAKY_SLOPE);
      case 'tanh': return tf.tanh(z);
      case 'softmax': return tf.softmax(z);
    }
  };
  const lossFn = (): TF.Scalar => {
    let a: T2 = x;
    let z: T2 = x;
    vars.forEach((v, l) => {
      z = tf.matMul(a, v.W);
      if (v.b) z = tf.add(z, v.b);
      if (l < last || net.loss === 'mse') a = act(z, v.layer.activation);
    });
    // Per example first (Σ over units, axis 1), then over the batch — ours's order. One flat tf.sum over all
    // n·units terms is not the same number: TF.js-wasm sums 1M float32 terms (config d) 5.6e-4 off.
    const total = (perElement: TF.Tensor): TF.Scalar => tf.sum(tf.sum(perElement, 1));
    switch (net.loss) {
      case 'mse':
        return tf.mul(total(tf.square(tf.sub(a, y))), 0.5 * scale);
      case 'bce':
        return tf.mul(total(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))), scale);
      case 'softmax-cross-entropy':
        return tf.mul(total(tf.mul(y, tf.logSoftmax(z))), -scale);
    }
  };
  const step = (returnCost: boolean): TF.Scalar | null => optimizer.minimize(lossFn, returnCost, varList);

  const activate = (): Promise<void> => useTfBackend(tf, backend);
  return {
    description: `TF.js ${tf.version.tfjs} ${backend}`,
    activate,
    async train(steps: number): Promise<TrainResult> {
      await activate(); // a no-op when the driver has called it (every driver does, before its clock starts)
      for (let k = 0; k < steps - 1; k++) step(false);
      const cost = step(true)!;
      const loss = (await cost.data())[0];
      cost.dispose();
      return { loss };
    },
    async params() {
      // Each kernel back to our layout (fanIn × units → units × fanIn); a shared bias is its scalar, no bias none.
      const W = await Promise.all(vars.map(async (v) => transpose(await v.W.data() as Float32Array, v.layer.fanIn, v.layer.units)));
      return flatParams(W, await Promise.all(vars.map(async (v) => (v.b ? await v.b.data() as Float32Array : []))));
    },
    async inspect() {
      await activate();
      const start = tf.memory().numTensors;
      const profile = await tf.profile(() => step(true)!);
      tf.dispose(profile.result as TF.Tensor);
      return {
        kernelsPerStep: profile.kernels.length,
        tensorsAllocatedPerStep: profile.kernels.reduce((s, k) => s + k.outputShapes.length, 0),
        tensorsLeakedPerStep: tf.memory().numTensors - start,
      };
    },
    async kernelMs(steps: number) {
      await activate();
      const info = await tf.time(() => {
        for (let k = 0; k < steps; k++) step(false);
      });
      return typeof info.kernelMs === 'number' ? info.kernelMs : null;
    },
    dispose() {
      tf.dispose([x, y, ...varList]);
      optimizer.dispose();
    },
  };
}
