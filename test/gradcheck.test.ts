/**
 * Finite-difference gradient check of the CPU oracle: gradFloat64 (the engine's kernels on Float64Arrays)
 * against central differences of the loss, in float64, on 24 seeded random nets that cover every
 * activation, loss, bias mode, reduction, and depths 1–4.
 *
 * The loss whose differences are taken is computed here, independently of the engine (plain loops written
 * from the definitions), and the engine's own float64 loss is checked against it too.
 */
import { describe, expect, it } from 'vitest';
import { gradFloat64 } from '../src/cpu/backend.ts';
import { initParams, mulberry32 } from '../src/init.ts';
import { softmax64 } from './lib/forward64.ts';
import { type Activation, type BiasMode, type InitScheme, type Loss, type Net, type Reduction, validateNet } from '../src/spec.ts';
import { ELEMENTWISE } from './lib/activations.ts';

const EPS = 1e-6;
/**
 * NOTE: the central difference (L(p + EPS) − L(p − EPS)) / 2·EPS differs from L′(p) by EPS²·|L‴|/6 (truncation,
 * ~1e-13 for these O(1) nets) plus the float64 rounding of the two losses, ~ε·|L|/EPS = 1.1e-16 · O(1) / 1e-6 ≈ 1e-10.
 * So 1e-8 absolute + 1e-6 relative is ~100× that error, and still catches a gradient element off by 0.1 %
 * (dW × 1.001 fails 23 of the 24 nets; the old 1e-5 + 1e-3 passed all) or with the wrong sign at |g| ≥ 1e-8.
 */
const ABS_TOL = 1e-8;
const REL_TOL = 1e-6;
/** Keep ReLU and leaky ReLU pre-activations at least this far from the kink (a central difference across it is neither side's f'). */
const RELU_MARGIN = 1e-3;

interface Case {
  name: string;
  net: Net;
  W: Float64Array[];
  b: Float64Array[];
  X: Float64Array; // engine layout: (inputs × n), X[j * n + c]
  Y: Float64Array; // (outputs × n)
  n: number;
  seed: number;
}

// ---------------------------------------------------------------- an independent float64 forward pass and loss

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function act(f: Activation, z: number): number {
  if (f === 'identity') return z;
  if (f === 'sigmoid') return sigmoid(z);
  if (f === 'relu') return Math.max(0, z);
  if (f === 'tanh') return Math.tanh(z);
  if (f === 'leaky_relu') return z > 0 ? z : 0.01 * z;
  throw new Error(f);
}

/** Returns per layer the pre-activations Z[l][c][i] and the loss (reduced). */
function reference(c: Case): { Z: number[][][]; loss: number } {
  const { net, n } = c;
  const Z: number[][][] = net.layers.map(() => []);
  let total = 0;
  for (let ex = 0; ex < n; ex++) {
    let a: number[] = [];
    for (let j = 0; j < net.inputs; j++) a.push(c.X[j * n + ex]);
    net.layers.forEach((layer, l) => {
      const z: number[] = [];
      for (let i = 0; i < layer.units; i++) {
        let s = layer.bias === 'per-unit' ? c.b[l][i] : layer.bias === 'shared' ? c.b[l][0] : 0;
        for (let j = 0; j < layer.fanIn; j++) s += c.W[l][i * layer.fanIn + j] * a[j];
        z.push(s);
      }
      Z[l].push(z);
      if (layer.activation === 'softmax') {
        a = softmax64(z);
      } else {
        a = z.map((v) => act(layer.activation, v));
      }
    });
    const out = net.layers[net.layers.length - 1].units;
    for (let i = 0; i < out; i++) {
      const y = c.Y[i * n + ex];
      const p = a[i];
      if (net.loss === 'mse') total += 0.5 * (p - y) ** 2;
      else if (net.loss === 'bce') total += -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
      else total += -y * Math.log(p);
    }
  }
  return { Z, loss: net.reduction === 'mean' ? total / n : total };
}

// ---------------------------------------------------------------- the 24 nets

const HIDDEN: readonly Activation[] = ELEMENTWISE;
const LOSS_KINDS: Loss[] = ['mse', 'bce', 'softmax-cross-entropy'];
const REDUCTIONS: Reduction[] = ['mean', 'sum'];
const BIASES: BiasMode[] = ['per-unit', 'shared', 'none'];
const SCHEMES: InitScheme[] = ['xavier', 'he', 'uniform'];

function makeCase(index: number, loss: Loss, reduction: Reduction, depth: number, seed: number): Case {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const inputs = int(1, 4);
  const layers: { units: number; activation: Activation; bias: BiasMode }[] = [];
  for (let l = 0; l < depth; l++) {
    const last = l === depth - 1;
    let activation: Activation;
    let units: number;
    if (!last) {
      activation = HIDDEN[(index + l) % HIDDEN.length];
      units = int(1, 4);
    } else if (loss === 'mse') {
      activation = HIDDEN[(index + 1) % HIDDEN.length];
      units = int(1, 3);
    } else if (loss === 'bce') {
      activation = 'sigmoid';
      units = int(1, 3);
    } else {
      activation = 'softmax';
      units = int(2, 4);
    }
    layers.push({ units, activation, bias: BIASES[(index + 2 * l) % 3] });
  }
  const net = validateNet({ inputs, layers, loss, reduction });
  const init = initParams(net, SCHEMES[index % 3], seed);
  const W = init.W.map((w) => Float64Array.from(w));
  const b = init.b.map((v) => Float64Array.from(v, () => rand() - 0.5)); // initParams' biases are 0: randomise them
  const n = int(1, 4);
  const X = Float64Array.from({ length: inputs * n }, () => 2 * rand() - 1);
  const out = layers[depth - 1].units;
  const Y = new Float64Array(out * n);
  for (let ex = 0; ex < n; ex++) {
    if (loss === 'mse') for (let i = 0; i < out; i++) Y[i * n + ex] = 2 * rand() - 1;
    else if (loss === 'bce') for (let i = 0; i < out; i++) Y[i * n + ex] = ex % 2 === 0 ? Math.round(rand()) : rand(); // hard and soft labels
    else if (ex % 2 === 0) Y[int(0, out - 1) * n + ex] = 1; // one-hot
    else {
      const w = Array.from({ length: out }, () => rand() + 0.05); // a soft target distribution
      const s = w.reduce((p, q) => p + q, 0);
      w.forEach((v, i) => (Y[i * n + ex] = v / s));
    }
  }
  const name = `#${index} ${loss}/${reduction} depth ${depth}: ${inputs}→${layers.map((L) => `${L.units} ${L.activation} (${L.bias})`).join(' → ')}, n = ${n}`;
  return { name, net, W, b, X, Y, n, seed };
}

/** True when every ReLU and leaky ReLU layer's pre-activations are at least RELU_MARGIN from 0 (its kink). */
function reluSafe(c: Case): boolean {
  const { Z } = reference(c);
  const kinked = (a: Activation): boolean => a === 'relu' || a === 'leaky_relu';
  return c.net.layers.every((layer, l) => !kinked(layer.activation) || Z[l].every((z) => z.every((v) => Math.abs(v) >= RELU_MARGIN)));
}

const CASES: Case[] = [];
{
  let index = 0;
  for (const loss of LOSS_KINDS) {
    for (const reduction of REDUCTIONS) {
      for (let depth = 1; depth <= 4; depth++) {
        let seed = 1000 + index;
        let c = makeCase(index, loss, reduction, depth, seed);
        for (let tries = 0; !reluSafe(c); tries++) {
          if (tries > 100) throw new Error(`no ReLU-safe net for case ${index}`);
          seed += 7919;
          c = makeCase(index, loss, reduction, depth, seed);
        }
        CASES.push(c);
        index++;
      }
    }
  }
}

describe('gradient check (float64 central differences)', () => {
  it('covers every activation, loss, bias mode, reduction and depth 1–4 on ≥ 20 nets', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    const hidden = new Set(CASES.flatMap((c) => c.net.layers.slice(0, -1).map((L) => L.activation)));
    const outputs = new Set(CASES.map((c) => c.net.layers[c.net.layers.length - 1].activation));
    const all = new Set([...hidden, ...outputs]);
    for (const a of [...ELEMENTWISE, 'softmax'] as const) expect(all.has(a), a).toBe(true);
    for (const a of HIDDEN) expect(hidden.has(a), `hidden ${a}`).toBe(true);
    for (const a of HIDDEN) expect(outputs.has(a), `mse output ${a}`).toBe(true);
    expect(new Set(CASES.map((c) => c.net.loss))).toEqual(new Set(LOSS_KINDS));
    expect(new Set(CASES.map((c) => c.net.reduction))).toEqual(new Set(REDUCTIONS));
    expect(new Set(CASES.flatMap((c) => c.net.layers.map((L) => L.bias)))).toEqual(new Set(BIASES));
    expect(new Set(CASES.map((c) => c.net.layers.length))).toEqual(new Set([1, 2, 3, 4]));
    expect(CASES.some((c) => c.n > 1 && c.net.reduction === 'mean')).toBe(true);
    expect(CASES.some((c) => c.n > 1 && c.net.reduction === 'sum')).toBe(true);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const engine = gradFloat64(c.net, c.W, c.b, c.X, c.Y, c.n);
    const ref = reference(c);
    expect(Math.abs(engine.loss - ref.loss), `loss: engine ${engine.loss}, reference ${ref.loss}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.loss)));

    const lossAt = (): number => reference(c).loss;
    const failures: string[] = [];
    let checked = 0;
    const check = (arr: Float64Array, analytic: Float64Array, what: string) => {
      for (let k = 0; k < arr.length; k++) {
        const keep = arr[k];
        arr[k] = keep + EPS;
        const plus = lossAt();
        arr[k] = keep - EPS;
        const minus = lossAt();
        arr[k] = keep;
        const fd = (plus - minus) / (2 * EPS);
        const diff = Math.abs(fd - analytic[k]);
        if (!(diff <= ABS_TOL + REL_TOL * Math.abs(fd))) failures.push(`${what}[${k}]: fd ${fd}, analytic ${analytic[k]}`);
        checked++;
      }
    };
    c.net.layers.forEach((_, l) => {
      check(c.W[l], engine.dW[l], `dW[${l}]`);
      check(c.b[l], engine.db[l], `db[${l}]`);
    });
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    // The differences did not cross a ReLU kink: the case is still ReLU-safe (params were restored).
    expect(reluSafe(c)).toBe(true);
  });
});
