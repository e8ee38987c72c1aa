/**
 * Config e's systems (time to accuracy, bench/epochs.ts): each trains the same start on the same MNIST split in
 * the same batch order through its own training loop, and reports per epoch the wall time since the start (the
 * first epoch includes compiles and the data upload; ours's also the making of its backend: oursFit), the mean
 * training loss (each batch's loss before its update, weighted by the batch's size) and the test accuracy (argmax
 * of the output over the test digits):
 *
 *   ours-*      Model.fit({shuffle: {seed}, validation: test, optimizer}) — its own order, epochOrder (src/train/fit.ts)
 *   tfjs-*      tf.Sequential + model.fit(x, y, {epochs: 1, shuffle: false}) once per epoch, on tensors permuted
 *               by the same epochOrder (tf.gather), then model.predict(test) in one batch (its default: 32)
 *   jax-*       a jitted valueAndGrad + SGD / Adam step per batch, the batch gathered in that order on the host
 *
 * Adam is PyTorch's (src/train/optimizers.ts) everywhere: β1 0.9, β2 0.999, eps 1e-8 (configs.ts ADAM).
 */
import type * as JAX from '@jax-js/jax';
import type * as TF from '@tensorflow/tfjs';
import type { Backend, BackendKind } from '../src/backend.ts';
import { createBackend } from '../src/backends.ts';
import { Model } from '../src/model.ts';
import { LEAKY_SLOPE, type Layer } from '../src/spec.ts';
import type { Standardize } from '../src/train/bytes.ts';
import { epochOrder } from '../src/train/fit.ts';
import { FIT_MEASURE } from '../src/train/timing.ts';
import { type MnistBytes, mnistData } from '../src/train/mnist.ts';
import { ADAM, type BenchConfig, type FitConfig, type Materialized } from './configs.ts';
import { JAX_WAIT_EVERY, loadJax } from './jax.ts';
import { transpose } from './systems.ts';

/** One epoch as every system reports it. `at`: seconds since the system started (data upload and compiles included). */
export interface EpochStat {
  epoch: number;
  at: number;
  loss: number;
  testAccuracy: number;
}

/** Example-major digits: X (n × 784: standardised pixels, or pixels / 255 in [0, 1]) and one-hot Y (n × 10). */
export interface Digits {
  n: number;
  X: Float32Array;
  Y: Float32Array;
}

/** The first `n` digits of one part of the split, as fit takes them (src/train/mnist.ts mnistData: standardised pixels, or pixels / 255 without `standardize`; one-hot). */
export function digitsOf(part: MnistBytes, n: number, standardize?: Standardize): Digits {
  if (n > part.count) throw new RangeError(`the MNIST split has ${part.count} digits in this part; asked for ${n}`);
  const d = mnistData(part, 0, n, standardize ?? 'unit');
  return { n, X: d.x.data, Y: d.y.data };
}

/** One of ours's fit phases as fit's User Timing measures give it (src/train/timing.ts): its name and milliseconds. */
export interface FitPhase {
  phase: string;
  ms: number;
}

export interface FitRun {
  description: string;
  epochs: EpochStat[];
  /** ours-*: the fit's phases in order (data, trainer, upload, epoch N, validation N), where the engine records them. */
  phases?: FitPhase[];
  /** The fit overlapped a period the bench page was hidden (page/hidden.ts watchHidden); absent otherwise. */
  hidden?: boolean;
}

/** One fit of a row (config e with --fits N > 1, bench/epochs.ts): its epochs and phases, and its time to the goal. */
export interface FitRecord {
  epochs: EpochStat[];
  fitPhases?: FitPhase[];
  /** Seconds to the run's goal (bench/epochs.ts timeToAccuracy), null when never reached. */
  timeToAccuracy?: number | null;
}

export interface FitInput {
  config: BenchConfig & { fit: FitConfig };
  m: Materialized;
  train: Digits;
  test: Digits;
  /** Called after each epoch (the page's progress line). */
  onEpoch?: (e: EpochStat) => void;
}

/** Correct rows of example-major outputs (n × classes) against one-hot labels: argmax, the first maximum on ties. */
function correctRows(out: ArrayLike<number>, Y: Float32Array, n: number, classes: number): number {
  let correct = 0;
  for (let c = 0; c < n; c++) {
    let ia = 0;
    let iy = 0;
    for (let i = 1; i < classes; i++) {
      if (out[c * classes + i] > out[c * classes + ia]) ia = i;
      if (Y[c * classes + i] > Y[c * classes + iy]) iy = i;
    }
    if (ia === iy) correct++;
  }
  return correct;
}

const order = (f: FitConfig, n: number, epoch: number): Uint32Array => epochOrder(n, { seed: f.shuffleSeed }, epoch);

/**
 * The `backprop fit: …` measures made from now on (a PerformanceObserver; none where the engine has no observer):
 * `take()` gives them in order, those not yet delivered included (takeRecords), as phases of ms rounded to 0.1.
 */
function fitPhases(): { take: () => FitPhase[]; stop: () => void } | undefined {
  if (typeof PerformanceObserver !== 'function') return undefined;
  const got: FitPhase[] = [];
  const keep = (entries: PerformanceEntryList) => {
    for (const e of entries) if (e.name.startsWith(FIT_MEASURE)) got.push({ phase: e.name.slice(FIT_MEASURE.length), ms: Math.round(10 * e.duration) / 10 });
  };
  const observer = new PerformanceObserver((list) => keep(list.getEntries()));
  observer.observe({ entryTypes: ['measure'] });
  return {
    take: () => {
      keep(observer.takeRecords());
      return got.slice();
    },
    stop: () => observer.disconnect(),
  };
}

/**
 * Our engine: Model.fit with the test digits as its validation set (their accuracy is its valAccuracy). Its clock
 * starts before `make` makes the backend (a WebGPU device and its shader pipelines, or the wasm module and its
 * threads), the model and the weights' upload: epoch 1 includes our compiles and creation, as jax-js's includes its
 * weights' upload and jit compiles and TF.js's its shader compiles (the page's shared backends are not used here).
 * The backend made is disposed at the end. `now`: the clock in ms (tests give a fake one).
 */
export async function oursFit(kind: BackendKind, input: FitInput, make: () => Promise<Backend> = async () => (await createBackend(kind)).backend,
  now: () => number = () => performance.now()): Promise<FitRun> {
  const { config: c, m, train, test } = input;
  const f = c.fit;
  const phases = fitPhases();
  const t0 = now();
  const backend = await make();
  let model: Model | undefined;
  try {
    model = await Model.create({ inputs: c.inputs, layers: c.layers, loss: c.loss, reduction: c.reduction, init: { scheme: 'uniform', seed: 1 } }, { backend: kind, shared: backend });
    if (model.kind !== kind) throw new Error(`asked for ${kind}, got ${model.kind}`);
    await model.setParams(m.params);
    const epochs: EpochStat[] = [];
    await model.fit({
      x: { examples: train.n, data: train.X }, y: { examples: train.n, data: train.Y },
      validation: { x: { examples: test.n, data: test.X }, y: { examples: test.n, data: test.Y } },
      batchSize: c.batch, epochs: f.epochs, shuffle: { seed: f.shuffleSeed },
      optimizer: f.optimizer === 'adam' ? { name: 'adam', lr: c.lr, ...ADAM } : { name: 'sgd', lr: c.lr },
      onEpoch: (e) => {
        const s: EpochStat = { epoch: e.epoch, at: (now() - t0) / 1000, loss: e.loss, testAccuracy: e.valAccuracy ?? NaN };
        epochs.push(s);
        input.onEpoch?.(s);
      },
    });
    const run: FitRun = { description: `${model.backend.description}, Model.fit (backend made inside the clock)`, epochs };
    const seen = phases?.take();
    if (seen?.length) run.phases = seen;
    return run;
  } finally {
    phases?.stop();
    model?.dispose();
    backend.dispose();
  }
}

type Tf = typeof TF;

/**
 * TF.js: a Sequential of dense layers from the shared start (kernels fanIn × units), the output layer linear and
 * the loss softmax-CE from the logits, −mean_c Σ_i y·logSoftmax(z) (as ours; TF.js's categoricalCrossentropy
 * takes probabilities and clips them). yieldEvery 'never': no frame yields inside fit (its fastest setting).
 */
export async function tfFit(tf: Tf, backend: 'webgl' | 'webgpu' | 'wasm' | 'cpu', input: FitInput): Promise<FitRun> {
  const { config: c, m, train, test } = input;
  const f = c.fit;
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not initialise its ${backend} backend`);
  await tf.ready();
  if (c.loss !== 'softmax-cross-entropy') throw new Error(`config ${c.id}: the TF.js fit runs softmax-CE nets only`);
  const { net } = m;
  const outputs = net.layers[net.layers.length - 1].units;
  const hidden = (a: Layer['activation']): 'relu' | 'sigmoid' | 'tanh' | 'linear' => {
    if (a === 'leaky_relu') throw new Error(`config ${c.id}: leaky_relu has no TF.js dense activation (a LeakyReLU layer would shift the layers' weights)`);
    return a === 'identity' || a === 'softmax' ? 'linear' : a;
  };
  // Refused before the model is built (a refusal after it left the Sequential undisposed): an activation with no
  // dense twin, a shared bias.
  const activations = net.layers.map((layer, l) => (l === net.layers.length - 1 ? 'linear' : hidden(layer.activation)));
  if (net.layers.some((layer) => layer.bias === 'shared')) throw new Error(`config ${c.id}: a shared bias has no TF.js dense layer`);
  const model = tf.sequential();
  // NOTE: everything after the Sequential inside the try whose finally disposes it: a throw in setWeights or compile
  // (a shape TF.js refuses) left the model's variables, and the weights being set, held for the page's life.
  let optimizer: TF.Optimizer | undefined;
  const data: TF.Tensor[] = [];
  try {
    net.layers.forEach((layer, l) => {
      model.add(tf.layers.dense({
        units: layer.units, activation: activations[l], useBias: layer.bias !== 'none',
        ...(l === 0 ? { inputShape: [net.inputs] } : {}),
      }));
    });
    net.layers.forEach((layer, l) => {
      const W = tf.tensor2d(transpose(m.params.W[l], layer.units, layer.fanIn), [layer.fanIn, layer.units]);
      const weights = layer.bias === 'per-unit' ? [W, tf.tensor1d(m.params.b[l])] : [W];
      try {
        model.layers[l].setWeights(weights);
      } finally {
        // NOTE: setWeights shares the tensors' data with the layer's variables and does not take them over: disposed
        // here, else model.dispose() leaves every parameter held (on webgpu GPU buffers) after each fit the page runs.
        tf.dispose(weights);
      }
    });
    const loss = (y: TF.Tensor, z: TF.Tensor): TF.Scalar => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(z)), 1))) as TF.Scalar;
    optimizer = f.optimizer === 'adam' ? tf.train.adam(c.lr, ADAM.beta1, ADAM.beta2, ADAM.eps) : tf.train.sgd(c.lr);
    model.compile({ optimizer, loss });
    const epochs: EpochStat[] = [];
    const t0 = performance.now();
    const xAll = tf.tensor2d(train.X, [train.n, net.inputs]);
    data.push(xAll);
    const yAll = tf.tensor2d(train.Y, [train.n, outputs]);
    data.push(yAll);
    const xTest = tf.tensor2d(test.X, [test.n, net.inputs]);
    data.push(xTest);
    for (let e = 0; e < f.epochs; e++) {
      const idx = tf.tensor1d(Int32Array.from(order(f, train.n, e)), 'int32');
      const xs = tf.gather(xAll, idx);
      const ys = tf.gather(yAll, idx);
      const h = await model.fit(xs, ys, { batchSize: c.batch, epochs: 1, shuffle: false, verbose: 0, yieldEvery: 'never' });
      tf.dispose([idx, xs, ys]);
      // In one batch, as jax-js's one jitted predict (ours's validation runs batches of the fit's 128, on WebGPU in as few
      // submissions as it can): model.predict's default is batches of 32 (63 passes and a concat for 2 000 digits each
      // epoch, inside TF.js's clock).
      const z = model.predict(xTest, { batchSize: test.n }) as TF.Tensor;
      const out = await z.data();
      z.dispose();
      const s: EpochStat = { epoch: e + 1, at: (performance.now() - t0) / 1000, loss: h.history.loss[0] as number, testAccuracy: correctRows(out, test.Y, test.n, outputs) / test.n };
      epochs.push(s);
      input.onEpoch?.(s);
    }
    return { description: `TF.js ${tf.version.tfjs} ${backend}, model.fit`, epochs };
  } finally {
    tf.dispose(data);
    model.dispose();
    optimizer?.dispose();
  }
}

type Arr = JAX.Array;
type P = { W: Arr[]; b: Arr[] };

/**
 * jax-js: jitted steps on batches gathered on the host in the shared order. SGD: p ← p − lr·g. Adam (PyTorch's):
 * m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², p ← p − stepSize·m / (√v / bias2Sqrt + eps) with stepSize =
 * lr / (1 − β1^t) and bias2Sqrt = √(1 − β2^t) computed on the host in float64 and passed in as scalars (one trace).
 * NOTE: jax-js consumes arguments: every array used twice is passed as `.ref`. The loop waits for the parameters (and
 * Adam's moments and the loss sum) every JAX_WAIT_EVERY batches, as bench/jax.ts's train (its NOTE: jax-js is lazy).
 */
export async function jaxFit(workers: number, device: 'wasm' | 'webgpu', input: FitInput): Promise<FitRun> {
  const { config: c, m, train, test } = input;
  const f = c.fit;
  const { jax, env } = await loadJax(workers);
  if (!env.devices.includes(device)) throw new Error(`jax-js could not start its ${device} device (it has ${env.devices.join(', ')})`);
  if (c.loss !== 'softmax-cross-entropy') throw new Error(`config ${c.id}: the jax-js fit runs softmax-CE nets only`);
  const np = jax.numpy;
  const on = { device };
  const { net } = m;
  const layers = net.layers;
  const inputs = net.inputs;
  const outputs = layers[layers.length - 1].units;
  const last = layers.length - 1;
  const act = (z: Arr, a: Layer['activation']): Arr => {
    // NOTE: every activation by name (a ternary chain's last arm ran any other one as identity); softmax is the loss's.
    switch (a) {
      case 'relu': return jax.nn.relu(z);
      case 'leaky_relu': return jax.nn.leakyRelu(z, LEAKY_SLOPE);
      case 'sigmoid': return jax.nn.sigmoid(z);
      case 'tanh': return np.tanh(z);
      case 'identity': case 'softmax': return z;
    }
  };
  const forward = (p: P, x: Arr): Arr => {
    let a = x;
    layers.forEach((layer, l) => {
      const z = np.matmul(a, p.W[l]).add(p.b[l]);
      a = l < last ? act(z, layer.activation) : z;
    });
    return a;
  };
  // Mean over the batch of −Σ_i y·logSoftmax(z): per example first, then over the batch (ours's order).
  const lossFn = (p: P, x: Arr, y: Arr): Arr => np.mean(np.sum(y.mul(jax.nn.logSoftmax(forward(p, x), -1)), 1)).mul(-1);
  const grads = jax.valueAndGrad(lossFn);
  const sgd = jax.jit((p: P, x: Arr, y: Arr): [Arr, P] => {
    const [loss, g] = grads(jax.tree.ref(p), x, y);
    return [loss, jax.tree.map((w: Arr, dw: Arr) => w.sub(dw.mul(c.lr)), p, g) as P];
  });
  const adam = jax.jit((p: P, mo: P, ve: P, x: Arr, y: Arr, stepSize: Arr, bias2Sqrt: Arr): [Arr, P, P, P] => {
    const [loss, g] = grads(jax.tree.ref(p), x, y);
    const m2 = jax.tree.map((a: Arr, dw: Arr) => a.mul(ADAM.beta1).add(dw.mul(1 - ADAM.beta1)), mo, jax.tree.ref(g)) as P;
    const v2 = jax.tree.map((a: Arr, dw: Arr) => a.mul(ADAM.beta2).add(np.square(dw).mul(1 - ADAM.beta2)), ve, g) as P;
    const p2 = jax.tree.map((w: Arr, a: Arr, b: Arr) => w.sub(a.mul(stepSize.ref).div(np.sqrt(b).div(bias2Sqrt.ref).add(ADAM.eps))), p, jax.tree.ref(m2), jax.tree.ref(v2)) as P;
    stepSize.dispose();
    bias2Sqrt.dispose();
    return [loss, p2, m2, v2];
  });
  const predict = jax.jit((p: P, x: Arr): Arr => forward(p, x));
  const zerosLike = (): P => ({
    W: layers.map((l) => np.zeros([l.fanIn, l.units], on)),
    b: layers.map((l) => np.zeros([l.units], on)),
  });
  const epochs: EpochStat[] = [];
  const t0 = performance.now();
  let state: P = {
    W: layers.map((l, k) => np.array(transpose(m.params.W[k], l.units, l.fanIn), { shape: [l.fanIn, l.units], ...on })),
    b: layers.map((l, k) => np.array(m.params.b[k], { shape: [l.units], ...on })),
  };
  let mo = f.optimizer === 'adam' ? zerosLike() : null;
  let ve = f.optimizer === 'adam' ? zerosLike() : null;
  const xTest = np.array(test.X, { shape: [test.n, inputs], ...on });
  let t = 0;
  try {
    for (let e = 0; e < f.epochs; e++) {
      const ord = order(f, train.n, e);
      let lossSum: Arr | null = null;
      for (let k = 0; k < train.n; k += c.batch) {
        const nb = Math.min(c.batch, train.n - k);
        const xb = new Float32Array(nb * inputs);
        const yb = new Float32Array(nb * outputs);
        for (let r = 0; r < nb; r++) {
          const src = ord[k + r];
          xb.set(train.X.subarray(src * inputs, (src + 1) * inputs), r * inputs);
          yb.set(train.Y.subarray(src * outputs, (src + 1) * outputs), r * outputs);
        }
        const x = np.array(xb, { shape: [nb, inputs], ...on });
        const y = np.array(yb, { shape: [nb, outputs], ...on });
        let loss: Arr;
        if (mo && ve) {
          t++;
          const stepSize = np.array(new Float32Array([c.lr / (1 - ADAM.beta1 ** t)]), { shape: [], ...on });
          const bias2Sqrt = np.array(new Float32Array([Math.sqrt(1 - ADAM.beta2 ** t)]), { shape: [], ...on });
          [loss, state, mo, ve] = adam(state, mo, ve, x, y, stepSize, bias2Sqrt);
        } else {
          [loss, state] = sgd(state, x, y);
        }
        const weighted = loss.mul(nb);
        lossSum = lossSum ? lossSum.add(weighted) : weighted;
        // As train's loop (bench/jax.ts JAX_WAIT_EVERY): an epoch of unwaited batches slows each one.
        if ((k / c.batch + 1) % JAX_WAIT_EVERY === 0) await jax.blockUntilReady([state, lossSum, ...(mo && ve ? [mo, ve] : [])]);
      }
      const sum = (await lossSum!.data())[0];
      const z = predict(jax.tree.ref(state), xTest.ref);
      const out = await z.data();
      const s: EpochStat = { epoch: e + 1, at: (performance.now() - t0) / 1000, loss: sum / train.n, testAccuracy: correctRows(out, test.Y, test.n, outputs) / test.n };
      epochs.push(s);
      input.onEpoch?.(s);
    }
    return { description: `jax-js ${env.version} ${device}${device === 'wasm' ? `, ${env.wasmWorkers} worker(s)` : ''}, jitted step loop`, epochs };
  } finally {
    jax.tree.dispose(state);
    if (mo) jax.tree.dispose(mo);
    if (ve) jax.tree.dispose(ve);
    xTest.dispose();
    sgd.dispose();
    adam.dispose();
    predict.dispose();
  }
}
