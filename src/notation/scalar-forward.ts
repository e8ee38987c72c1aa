/**
 * The scalar engine's own forward pass (src/notation/scalar.ts): float64, one example at a time, unit by unit, as the
 * lectures write it. It reads nothing from the matrix code (src/cpu, src/webgpu): agreement between the two is evidence.
 * NOTE: as scalar.ts's NOTEs say, 1 − a of a sigmoid unit is computed as σ(−z), not as 1 − σ(z) (BCE's ∂L/∂ŷ and ŷ(1 − ŷ)
 * stay finite and non-zero while σ(z) rounds to 1); tanh is not clamped (the matrix kernels clamp z to ±15; in float64
 * that changes tanh by < 2e-13).
 */
import { type Activation, LEAKY_SLOPE, type Net } from '../spec.ts';

/** One example's forward pass: z and a of every layer, 1 − a beside a, and the example's loss L_c. */
export interface Forward {
  z: Float64Array[];
  a: Float64Array[];
  /** 1 − a, computed as σ(−z) for sigmoid units (the NOTE above). */
  oneMinusA: Float64Array[];
  loss: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** f(z) of every activation but softmax: src/cpu/kernels.ts activate(), without its tanh clamp (the NOTE above). */
function activate(activation: Activation, z: number): number {
  switch (activation) {
    case 'identity': return z;
    case 'sigmoid': return sigmoid(z);
    case 'relu': return z > 0 ? z : 0;
    case 'leaky_relu': return z > 0 ? z : LEAKY_SLOPE * z;
    case 'tanh': return Math.tanh(z);
    case 'softmax': throw new Error('softmax is applied to the whole layer');
  }
}

/** b_l[i] of the bias kind of layer l: its own (per-unit), the layer's one (shared), or 0 (none). */
function bias(net: Net, b: readonly number[][], l: number, i: number): number {
  const layer = net.layers[l];
  return layer.bias === 'per-unit' ? b[l][i] : layer.bias === 'shared' ? b[l][0] : 0;
}

/** One example (its x row, its y row): z = Σ_j w·a_prev + b, unit by unit, then a = f(z); the per-example loss. */
export function scalarForward(net: Net, W: readonly number[][][], b: readonly number[][], x: readonly number[], y: readonly number[]): Forward {
  const z: Float64Array[] = [];
  const a: Float64Array[] = [];
  const oneMinusA: Float64Array[] = [];
  let prev: ArrayLike<number> = x;
  net.layers.forEach((layer, l) => {
    const zl = new Float64Array(layer.units);
    const al = new Float64Array(layer.units);
    const ol = new Float64Array(layer.units);
    for (let i = 0; i < layer.units; i++) {
      let sum = bias(net, b, l, i);
      for (let j = 0; j < layer.fanIn; j++) sum += W[l][i][j] * prev[j];
      zl[i] = sum;
    }
    if (layer.activation === 'softmax') {
      const max = zl.reduce((m, v) => Math.max(m, v), -Infinity); // not Math.max(...zl): a wide layer overflows the argument list
      let total = 0;
      for (let i = 0; i < layer.units; i++) total += Math.exp(zl[i] - max);
      for (let i = 0; i < layer.units; i++) { al[i] = Math.exp(zl[i] - max) / total; ol[i] = 1 - al[i]; }
    } else {
      for (let i = 0; i < layer.units; i++) {
        al[i] = activate(layer.activation, zl[i]);
        ol[i] = layer.activation === 'sigmoid' ? sigmoid(-zl[i]) : 1 - al[i];
      }
    }
    z.push(zl);
    a.push(al);
    oneMinusA.push(ol);
    prev = al;
  });
  const L = net.layers.length - 1;
  let loss = 0;
  const zL = z[L];
  const aL = a[L];
  if (net.loss === 'mse') {
    for (let k = 0; k < zL.length; k++) loss += 0.5 * (aL[k] - y[k]) ** 2;
  } else if (net.loss === 'bce') {
    // NOTE: from the logit, −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|).
    for (let k = 0; k < zL.length; k++) loss += Math.max(zL[k], 0) - zL[k] * y[k] + Math.log1p(Math.exp(-Math.abs(zL[k])));
  } else {
    const max = zL.reduce((m, v) => Math.max(m, v), -Infinity);
    let total = 0;
    for (let k = 0; k < zL.length; k++) total += Math.exp(zL[k] - max);
    const lse = max + Math.log(total);
    for (let k = 0; k < zL.length; k++) loss += y[k] * (lse - zL[k]);
  }
  return { z, a, oneMinusA, loss };
}
