/**
 * One CPU step as data and two functions: the state (W, b, X, Y, Z, A, delta, dW, db and the scratch, per layer),
 * the full step (forward, output, backward, grads, the SGD update) and the forward pass alone. Shared by the CPU net
 * (./backend.ts and its float64 gradFloat64), fit's CPU trainer (./train.ts) and the lab's CPU evaluations
 * (src/lab/eval.ts), so that neither of the first two
 * imports the other.
 */
import { reductionScale } from '../backend.ts';
import type { Net } from '../spec.ts';
import { biasLength } from '../spec.ts';
import { type Arr, backward, forward, gradW, output, reduceRows, type Scratch, sgd } from './kernels.ts';

type ArrCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** Everything one step reads and writes, per layer. */
export interface CpuState {
  net: Net;
  n: number;
  W: Arr[];
  b: Arr[];
  X: Arr;
  Y: Arr;
  Z: Arr[];
  A: Arr[];
  delta: Arr[];
  dW: Arr[];
  db: Arr[];
  lossPerExample: Arr;
  /** Row sums of δ for a shared bias, before they are summed into one value. */
  rowSums: Arr[];
  /** The matmul kernels' transposes and float64 sums, sized for the largest layer (see kernels.ts `Scratch`). */
  scratch: Scratch;
  /** The loss reduction's output (float64, as the kernels sum). */
  lossOut: Float64Array;
  loss: number;
}

export function createState(net: Net, n: number, Ctor: ArrCtor = Float32Array): CpuState {
  const perLayer = (size: (units: number, fanIn: number) => number) => net.layers.map((layer) => new Ctor(size(layer.units, layer.fanIn)));
  return {
    net,
    n,
    W: perLayer((u, k) => u * k),
    b: net.layers.map((layer) => new Ctor(biasLength(layer))),
    X: new Ctor(net.inputs * n),
    Y: new Ctor(net.layers[net.layers.length - 1].units * n),
    Z: perLayer((u) => u * n),
    A: perLayer((u) => u * n),
    delta: perLayer((u) => u * n),
    dW: perLayer((u, k) => u * k),
    db: net.layers.map((layer) => new Ctor(biasLength(layer))),
    lossPerExample: new Ctor(n),
    rowSums: perLayer((u) => u),
    scratch: {
      // forward: A_prevᵀ (n × fanIn); backward: W_{l+1}ᵀ (fanIn_{l+1} × units_{l+1}) and δ_{l+1}ᵀ (n × units_{l+1});
      // sums: Z (units × n), δ (fanIn × n), dW (units × fanIn).
      T1: new Ctor(Math.max(...net.layers.map((layer) => Math.max(n * layer.fanIn, layer.units * layer.fanIn)))),
      T2: new Ctor(Math.max(...net.layers.map((layer) => n * layer.units))),
      S: new Float64Array(Math.max(...net.layers.map((layer) => Math.max(layer.units * n, layer.fanIn * n, layer.units * layer.fanIn)))),
    },
    lossOut: new Float64Array(1),
    loss: NaN,
  };
}

/**
 * One full step: forward, output, backward, grads, and (if update) the SGD update.
 * Allocates nothing: every array it writes, the scratch included, is in the state.
 */
export function step(s: CpuState, lr: number, update: boolean): void {
  const { net, n: N, scratch } = s;
  const layers = net.layers;
  const last = layers.length - 1;
  const scale = reductionScale(net, N);

  for (let l = 0; l <= last; l++) {
    const layer = layers[l];
    forward(s.W[l], s.b[l], layer.bias, l === 0 ? s.X : s.A[l - 1], s.Z[l], s.A[l], layer.units, layer.fanIn, N, layer.activation, scratch);
  }
  output(net.loss, layers[last].activation, s.Z[last], s.A[last], s.Y, s.delta[last], s.lossPerExample, layers[last].units, N);
  for (let l = last - 1; l >= 0; l--) {
    const next = layers[l + 1];
    backward(s.W[l + 1], s.delta[l + 1], s.A[l], s.delta[l], next.units, next.fanIn, N, layers[l].activation, scratch);
  }
  for (let l = 0; l <= last; l++) {
    const layer = layers[l];
    gradW(s.delta[l], l === 0 ? s.X : s.A[l - 1], s.dW[l], layer.units, layer.fanIn, N, scale, scratch);
    if (layer.bias === 'per-unit') reduceRows(s.delta[l], s.db[l], layer.units, N, scale);
    if (layer.bias === 'shared') {
      reduceRows(s.delta[l], s.rowSums[l], layer.units, N, 1);
      reduceRows(s.rowSums[l], s.db[l], 1, layer.units, scale);
    }
  }
  reduceRows(s.lossPerExample, s.lossOut, 1, N, scale);
  // NOTE: reduceRows sums the per-example losses in float64 (lossOut). The WebGPU and wasm backends hand back a
  // float32 loss (reduce_rows.wgsl writes an f32 buffer; wasm rounds its float64 sum on read), so the float32
  // oracle rounds once, here, to match them; the float64 state (gradFloat64) keeps every bit: its finite
  // differences need them.
  s.loss = s.X instanceof Float32Array ? Math.fround(s.lossOut[0]) : s.lossOut[0];
  if (update) {
    for (let l = 0; l <= last; l++) {
      sgd(s.W[l], s.dW[l], lr);
      sgd(s.b[l], s.db[l], lr);
    }
  }
}

/** Forward and output only (predict / evaluate): Z, A, the per-example losses; no backward, no update. */
export function forwardOnly(s: CpuState): void {
  const { net, n: N, scratch } = s;
  const layers = net.layers;
  const last = layers.length - 1;
  for (let l = 0; l <= last; l++) {
    const layer = layers[l];
    forward(s.W[l], s.b[l], layer.bias, l === 0 ? s.X : s.A[l - 1], s.Z[l], s.A[l], layer.units, layer.fanIn, N, layer.activation, scratch);
  }
  output(net.loss, layers[last].activation, s.Z[last], s.A[last], s.Y, s.delta[last], s.lossPerExample, layers[last].units, N);
}
