/**
 * What the test/fit-*.test.ts files share: seeded nets of every activation (leaky_relu: the 4th), loss and bias mode, a data set for
 * each, the optimisers they train with, and the bits of a net's parameters (for bitwise comparisons; the
 * test/lifecycle-*.test.ts files compare with them too).
 */
import { mulberry32 } from '../../src/init.ts';
import type { NetworkSpec, Params } from '../../src/spec.ts';
import type { FitOptions } from '../../src/train/fit.ts';
import type { OptimizerSpec } from '../../src/train/optimizers.ts';

export const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));

/** A seeded data set for a net: x in [−1, 1], y fitting its loss. */
export function dataFor(spec: NetworkSpec, n: number, seed: number): { x: number[][]; y: number[][] } {
  const rand = mulberry32(seed);
  const outputs = spec.layers[spec.layers.length - 1].units;
  const x = Array.from({ length: n }, () => Array.from({ length: spec.inputs }, () => 2 * rand() - 1));
  const y = x.map((row, c) => {
    if (spec.loss === 'softmax-cross-entropy') return Array.from({ length: outputs }, (_, j) => (j === c % outputs ? 1 : 0));
    if (spec.loss === 'bce') return Array.from({ length: outputs }, (_, j) => (row[j % row.length] > 0 ? 1 : 0));
    return Array.from({ length: outputs }, (_, j) => Math.sin(row[0] + j));
  });
  return { x, y };
}

/**
 * 4-6 tanh-3 softmax and 8-16 sigmoid-2 identity mse, xavier: nets whose tanh or sigmoid units saturate on saturatedFit's inputs (dataFor's × 10): some f'(Z) below 1e-4, where
 * the engines' f' from their float32 A moves by ~1e-7 (forward64.ts deltaBounds64's NOTE). fitBounds' allowance for
 * that rounding is checked on wasm (test/fit-bounds.test.ts) and on WebGPU (test/dawn/run.ts: its A_ULPS assumption).
 */
export const SATURATED: NetworkSpec[] = [
  { inputs: 4, layers: [{ units: 6, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 3 } },
  { inputs: 8, layers: [{ units: 16, activation: 'sigmoid' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 3 } },
];

/** The fit of a SATURATED net: 12 examples of dataFor (seed 7) with x × 10, batches of 4, 2 epochs (6 steps). */
export function saturatedFit(spec: NetworkSpec, optimizer: OptimizerSpec): FitOptions & { x: number[][] } {
  const data = dataFor(spec, 12, 7);
  return { x: data.x.map((row) => row.map((v) => 10 * v)), y: data.y, batchSize: 4, epochs: 2, shuffle: { seed: 3 }, optimizer };
}

export const NETS: [string, NetworkSpec][] = [
  ['3-5 tanh-4 relu (shared)-3 softmax (none), mean', {
    inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 4, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
    loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 },
  }],
  ['2-4 sigmoid-1 sigmoid, bce, sum', {
    inputs: 2, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', reduction: 'sum', init: { scheme: 'xavier', seed: 2 },
  }],
  ['4-3 identity-2 identity, mse', {
    inputs: 4, layers: [{ units: 3, activation: 'identity', bias: 'none' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 9 },
  }],
  ['3-5 leaky_relu-2 sigmoid, bce, mean', {
    inputs: 3, layers: [{ units: 5, activation: 'leaky_relu' }, { units: 2, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'he', seed: 4 },
  }],
];

export const OPTIMIZERS: OptimizerSpec[] = [
  { name: 'sgd', lr: 0.1, weightDecay: 0.01 },
  { name: 'momentum', lr: 0.05, momentum: 0.9 },
  { name: 'momentum', lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.001 },
  { name: 'adam', lr: 0.01, weightDecay: 0.001 },
  { name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
];
