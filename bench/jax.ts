/**
 * jax-js (@jax-js/jax 0.1.25) as a bench system: `jax-webgpu` and `jax-wasm`. One step is a jitted
 *   step(params, x, y) = [loss, params − lr·∂loss/∂params]      (valueAndGrad, then the same plain SGD as ours)
 * from the shared start (W transposed to fanIn × units as for TF.js; a shared bias is a scalar), examples as rows,
 * the loss written as tfTrainer's (per example first, then over the batch; see bench/systems.ts).
 *
 * NOTE: jax-js functions consume their arguments (reference counting): every array passed in that is used again
 * goes in as `.ref`. Work is lazy: `train` waits for the parameters (blockUntilReady) and reads the loss back,
 * so the timed call covers the work it issued.
 * NOTE: `train` waits for the parameters every JAX_WAIT_EVERY steps too, as a jax-js user's loop does (jax-js's own
 * MNIST demo awaits blockUntilReady(params) after each step). Until an array is waited for or read, jax-js 0.1.25
 * dispatches nothing: each array carries the set of undispatched executes it depends on, copied into every
 * output, and those hold their buffers. A call of N steps issued unwaited cost O(N) a step: config a on its wasm
 * main thread took 0.22 ms a step in calls of 10, 1.42 ms in calls of 557, 5.7 ms in calls of 2000, against
 * 0.09–0.18 ms a step at any length waited every 1, 4, 8 or 16 steps (Chromium, this 2-core machine, 2026-12-05; README).
 * Every 8 rather than every step: on webgpu a wait is a GPU round trip (every step: 2.1–2.2 ms a step on config a
 * against 1.0–1.2 ms every 8); 8 was about as fast as any interval on wasm (0 and 1 workers) and webgpu alike.
 * NOTE: jax-js builds its wasm worker pool (one worker per navigator.hardwareConcurrency, none without
 * SharedArrayBuffer, i.e. outside a cross-origin-isolated page) when its module loads: loadJax sets the count
 * before the import, once per page; 0 (--jax-wasm-workers 0, jaxWorkers=0) leaves it without a pool on any page.
 */
import type * as JAX from '@jax-js/jax';
import { LEAKY_SLOPE, type Layer } from '../src/spec.ts';
import type { BenchConfig, Materialized } from './configs.ts';
import { flatParams } from './agree-params.ts';
import { adapterNames } from './report.ts';
import { jaxDevicesWithin, type NoAnswerError } from './page/limits.ts';
import { type Trainer, type TrainResult, transpose } from './systems.ts';

type Jax = typeof JAX;
type Arr = JAX.Array;

const JAX_VERSION = '0.1.25';

export interface JaxEnv {
  version: string;
  /** Devices init() started (e.g. wasm, webgpu). */
  devices: string[];
  /** Wasm workers: the count asked for (0: no pool, its main thread), 0 without SharedArrayBuffer (no pool). */
  wasmWorkers: number;
  /**
   * The adapter of jax-js's webgpu device (its GPUDevice's adapterInfo; jax-js asks navigator.gpu.requestAdapter for
   * powerPreference 'high-performance'), or a sentence saying why it is not known. Absent without a webgpu device.
   */
  webgpuAdapter?: { vendor: string; architecture: string; device: string; adapterDescription: string; isFallbackAdapter?: boolean } | string;
  /** Why jax-js has no webgpu device, where it is known (its set-up gave no answer in time, or was not tried). */
  webgpuError?: string;
}

/** What jax-js's webgpu device says about its adapter (GPUDevice.adapterInfo, where the browser has it). */
function jaxAdapter(jax: Jax): JaxEnv['webgpuAdapter'] {
  const fallback = "navigator.gpu's adapter for powerPreference 'high-performance' (jax-js's request; the browser does not say which)";
  try {
    const info = (jax.getWebGPUDevice() as GPUDevice & { adapterInfo?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).adapterInfo;
    if (!info) return fallback;
    return {
      ...adapterNames(info),
      ...(info.isFallbackAdapter !== undefined ? { isFallbackAdapter: info.isFallbackAdapter } : {}),
    };
  } catch {
    return fallback;
  }
}

let loaded: Promise<{ jax: Jax; env: JaxEnv }> | null = null;

/**
 * What jax-js's module is shown as navigator.hardwareConcurrency while it loads: `workers`, or for 0 a getter that
 * throws. jax-js 0.1.25 sizes its pool as max(1, hardwareConcurrency || 4) (0 would give 4 workers), inside a
 * try whose catch leaves the wasm backend without a pool (createWorkerPool): its kernels then run whole on the
 * calling thread, the page's main thread, as on a page without SharedArrayBuffer (its memory stays shared here).
 */
export function hardwareConcurrencyShown(workers: number): PropertyDescriptor {
  return {
    configurable: true,
    get: () => {
      if (workers === 0) throw new Error('jax-wasm 0 workers: no worker pool');
      return workers;
    },
  };
}

/**
 * Import jax-js once, showing it `workers` as navigator.hardwareConcurrency while its module loads (0: no pool), and
 * start its wasm device, then its webgpu device within GPU_PROBE_MS (page/limits.ts jaxDevicesWithin; not tried with
 * `skipWebgpu`, WebGPU's own NoAnswerError). The first call's arguments hold (bench/page/main.ts env() makes it).
 */
export function loadJax(workers: number, skipWebgpu?: NoAnswerError): Promise<{ jax: Jax; env: JaxEnv; noAnswer?: NoAnswerError }> {
  if (!loaded) {
    loaded = (async () => {
      Object.defineProperty(navigator, 'hardwareConcurrency', hardwareConcurrencyShown(workers));
      let jax: Jax;
      try {
        jax = await import('@jax-js/jax');
      } finally {
        delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
      }
      const { devices, webgpuError, noAnswer } = await jaxDevicesWithin((...d) => jax.init(...d), skipWebgpu);
      const pool = typeof SharedArrayBuffer !== 'undefined' && typeof Worker !== 'undefined';
      const gpu = devices.includes('webgpu') ? { webgpuAdapter: jaxAdapter(jax) } : webgpuError !== undefined ? { webgpuError } : {};
      return { jax, env: { version: JAX_VERSION, devices, wasmWorkers: pool ? workers : 0, ...gpu }, ...(noAnswer ? { noAnswer } : {}) };
    })();
  }
  return loaded;
}


type Params = { W: Arr[]; b: Arr[] };

/** `train` waits for the parameters (jax.blockUntilReady) after every this many steps (see the NOTE above). */
export const JAX_WAIT_EVERY = 8;

export async function jaxTrainer(workers: number, device: 'wasm' | 'webgpu', c: BenchConfig, m: Materialized): Promise<Trainer> {
  const { jax, env } = await loadJax(workers);
  if (!env.devices.includes(device)) throw new Error(`jax-js could not start its ${device} device (it has ${env.devices.join(', ')})`);
  const np = jax.numpy;
  const { net } = m;
  const n = c.batch;
  const outputs = net.layers[net.layers.length - 1].units;
  const scale = net.reduction === 'mean' ? 1 / n : 1;
  const on = { device };
  const layers = net.layers;
  // Layers without a bias carry none (b is only read where the layer has one).
  const params: Params = {
    W: layers.map((layer, l) => np.array(transpose(m.params.W[l], layer.units, layer.fanIn), { shape: [layer.fanIn, layer.units], ...on })),
    b: layers.map((layer, l) => (layer.bias === 'per-unit' ? np.array(m.params.b[l], { shape: [layer.units], ...on })
      : np.array(new Float32Array([layer.bias === 'shared' ? m.params.b[l][0] : 0]), { shape: [], ...on }))),
  };
  const x = np.array(m.X, { shape: [n, net.inputs], ...on });
  const y = np.array(m.Y, { shape: [n, outputs], ...on });
  const last = layers.length - 1;

  const act = (z: Arr, activation: Layer['activation']): Arr => {
    switch (activation) {
      case 'identity': return z;
      case 'sigmoid': return jax.nn.sigmoid(z);
      case 'relu': return jax.nn.relu(z);
      case 'leaky_relu': return jax.nn.leakyRelu(z, LEAKY_SLOPE);
      case 'tanh': return np.tanh(z);
      case 'softmax': return jax.nn.softmax(z, -1);
    }
  };
  // Consumes p, xb and yb.
  const lossFn = (p: Params, xb: Arr, yb: Arr): Arr => {
    let a = xb;
    let z: Arr | null = null;
    layers.forEach((layer, l) => {
      let zl = np.matmul(a, p.W[l]);
      if (layer.bias !== 'none') zl = zl.add(p.b[l]);
      else p.b[l].dispose();
      // The output layer of a bce / softmax-CE net keeps its Z (the loss is taken from the logits, as ours).
      if (l < last || net.loss === 'mse') a = act(zl, layer.activation);
      else z = zl;
    });
    const total = (perElement: Arr): Arr => np.sum(np.sum(perElement, 1));
    switch (net.loss) {
      case 'mse':
        return total(np.square(a.sub(yb))).mul(0.5 * scale);
      case 'bce':
        return total(jax.nn.relu(z!.ref).sub(z!.ref.mul(yb)).add(np.log1p(np.exp(np.negative(np.abs(z!)))))).mul(scale);
      case 'softmax-cross-entropy':
        return total(yb.mul(jax.nn.logSoftmax(z!, -1))).mul(-scale);
    }
  };
  const grads = jax.valueAndGrad(lossFn);
  const step = jax.jit((p: Params, xb: Arr, yb: Arr): [Arr, Params] => {
    const [loss, g] = grads(jax.tree.ref(p), xb, yb);
    const next = jax.tree.map((w: Arr, dw: Arr) => w.sub(dw.mul(c.lr)), p, g) as Params;
    return [loss, next];
  });
  let state = params;

  return {
    description: `jax-js ${JAX_VERSION} ${device}${device === 'wasm' ? `, ${env.wasmWorkers} worker(s)` : ''} (jit of valueAndGrad + SGD)`,
    async train(steps: number): Promise<TrainResult> {
      let loss: Arr | null = null;
      for (let k = 0; k < steps; k++) {
        loss?.dispose();
        const [l, next] = step(state, x.ref, y.ref);
        loss = l;
        state = next;
        if ((k + 1) % JAX_WAIT_EVERY === 0 && k + 1 < steps) await jax.blockUntilReady(state);
      }
      await jax.blockUntilReady(state);
      // data() waits for the loss and consumes it.
      const value = (await loss!.data())[0];
      return { loss: value };
    },
    async params() {
      // Each W back to our layout (fanIn × units → units × fanIn); data() consumes, so each goes in as `.ref`.
      const W = await Promise.all(layers.map(async (layer, l) => transpose(await state.W[l].ref.data() as Float32Array, layer.fanIn, layer.units)));
      const b = await Promise.all(layers.map(async (layer, l) => (layer.bias === 'none' ? [] : await state.b[l].ref.data() as Float32Array)));
      return flatParams(W, b);
    },
    dispose() {
      jax.tree.dispose(state);
      x.dispose();
      y.dispose();
      step.dispose();
    },
  };
}
