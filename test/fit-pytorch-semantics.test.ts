/**
 * fit's semantics where a PyTorch or Keras user would ask (README §Training on data: fit, §Optimisers, "Against
 * PyTorch and Keras"), on cpu and wasm — only the claims no other test file checks:
 * - a validation fraction holds out Math.round(fraction · n) examples from the end (README §The spec's `validation`):
 *   0.25 of 10 holds out 3 (2.5 rounds up), 0.24 of 10 holds out 2 (where Keras' validation_split, which trains on
 *   ⌊n·(1 − fraction)⌋, holds out 3);
 * - a fit with the same optimiser name and other settings (a new lr, weightDecay) goes on with the state: t, Adam's
 *   m and v (bias correction at the running t) and momentum's buf (buf ← mu·buf + g, not buf ← g, at the new fit's
 *   first step), as changing `param_group['lr']` between steps does in PyTorch — against a float64 reference of
 *   torch.optim.SGD / Adam written here from their documented algorithms, not from src/.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import type { OptimizerSpec } from '../src/train/optimizers.ts';
import { bits } from './lib/fit-nets.ts';

const BACKENDS = ['cpu', 'wasm'] as const;

/** A 3-2 identity net under mse (mean): L_c = ½·Σ_i (a_i − y_i)², a = W·x + b. */
const SPEC: NetworkSpec = { inputs: 3, layers: [{ units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 4 } };
const X = [[0.5, -1, 0.25], [1, 0.5, -0.5], [-0.75, 0.25, 1], [0.2, -0.3, 0.9], [-1, -0.5, 0.1]];
const Y = [[1, -1], [0.5, 0], [-0.5, 1], [0, 0.25], [0.75, -0.25]];

describe('a validation fraction holds out Math.round(fraction · n) examples from the end', () => {
  // n = 10, batches of 1 (so t counts the training examples), shuffle false.
  const x = Array.from({ length: 10 }, (_, c) => [c / 10 - 0.5, (c % 3) / 3]);
  const y = x.map(([a, b]) => [a - b]);
  const net: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 2 } };
  // By hand: 0.25 · 10 = 2.5 → 3 held out, 7 trained on; 0.24 · 10 = 2.4 → 2 held out, 8 trained on.
  for (const [fraction, held] of [[0.25, 3], [0.24, 2]] as const) {
    for (const backend of BACKENDS) {
      it(`${fraction} of 10 holds out the last ${held} (${backend}): bitwise the fit on the first ${10 - held} with the last ${held} as {x, y}`, async () => {
        const run = { batchSize: 1, epochs: 1, shuffle: false, optimizer: { name: 'sgd', lr: 0.1 } } as const;
        const a = await Model.create(net, { backend });
        const b = await Model.create(net, { backend });
        try {
          const ha = await a.fit({ ...run, x, y, validation: fraction });
          const hb = await b.fit({ ...run, x: x.slice(0, 10 - held), y: y.slice(0, 10 - held), validation: { x: x.slice(10 - held), y: y.slice(10 - held) } });
          expect(a.optimizerState()!.t).toBe(10 - held);
          expect(bits(await a.getParams())).toBe(bits(await b.getParams()));
          expect([ha[0].loss, ha[0].valLoss]).toEqual([hb[0].loss, hb[0].valLoss]);
        } finally {
          a.dispose();
          b.dispose();
        }
      });
    }
  }
});

/**
 * float64 reference, written from the PyTorch docs' algorithm boxes (torch.optim.SGD: buf ← g at t = 1, else
 * buf ← μ·buf + g (dampening 0), g ← buf; torch.optim.Adam: g ← g + λθ, m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g²,
 * θ ← θ − γ·(m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)), over fits given as [optimizer, epochs], each fit's
 * settings taking over at its first step while t, buf, m and v go on. Batches of B in the given order (shuffle false),
 * the last one partial, its gradient the mean over its own examples: dW = (1/k)·Σ_c (a_c − y_c)·x_cᵀ, db = (1/k)·Σ_c (a_c − y_c).
 */
function reference(W0: Float32Array, b0: Float32Array, B: number, fits: [OptimizerSpec, number][]): number[] {
  const p = [...W0, ...b0]; // W (2 × 3, row-major) then b (2)
  const buf = p.map(() => 0), m = p.map(() => 0), v = p.map(() => 0);
  let t = 0;
  for (const [o, epochs] of fits) {
    for (let e = 0; e < epochs; e++) {
      for (let s = 0; s < X.length; s += B) {
        const rows = X.slice(s, s + B).map((x, c) => ({ x, y: Y[s + c] }));
        const g = p.map(() => 0);
        for (const { x, y } of rows) {
          for (let i = 0; i < 2; i++) {
            const d = p[i * 3] * x[0] + p[i * 3 + 1] * x[1] + p[i * 3 + 2] * x[2] + p[6 + i] - y[i];
            for (let j = 0; j < 3; j++) g[i * 3 + j] += d * x[j] / rows.length;
            g[6 + i] += d / rows.length;
          }
        }
        t++;
        for (let q = 0; q < p.length; q++) {
          const gq = g[q] + (o.weightDecay ?? 0) * p[q];
          if (o.name === 'momentum') {
            buf[q] = t === 1 ? gq : (o.momentum ?? 0.9) * buf[q] + gq;
            p[q] -= o.lr! * buf[q];
          } else {
            const b1 = o.beta1 ?? 0.9, b2 = o.beta2 ?? 0.999;
            m[q] = b1 * m[q] + (1 - b1) * gq;
            v[q] = b2 * v[q] + (1 - b2) * gq * gq;
            p[q] -= o.lr! * (m[q] / (1 - b1 ** t)) / (Math.sqrt(v[q] / (1 - b2 ** t)) + (o.eps ?? 1e-8));
          }
        }
      }
    }
  }
  return p;
}

describe("a fit with the same optimiser and other settings goes on with its state (PyTorch's param_group['lr'] changed between steps)", () => {
  const CASES: [string, [OptimizerSpec, number][]][] = [
    ['adam lr 0.05 then lr 0.01 with weightDecay 0.1', [[{ name: 'adam', lr: 0.05 }, 2], [{ name: 'adam', lr: 0.01, weightDecay: 0.1 }, 2]]],
    ['momentum 0.9 lr 0.1 then lr 0.02', [[{ name: 'momentum', lr: 0.1, momentum: 0.9 }, 1], [{ name: 'momentum', lr: 0.02, momentum: 0.9 }, 2]]],
  ];
  for (const [what, fits] of CASES) {
    for (const backend of BACKENDS) {
      it(`${what} (${backend}): t, and the slots, carry over; within float32 rounding of the float64 reference`, async () => {
        const B = 2; // 5 examples: batches of 2, 2, 1
        const model = await Model.create(SPEC, { backend });
        try {
          const start = await model.getParams();
          for (const [optimizer, epochs] of fits) await model.fit({ x: X, y: Y, batchSize: B, epochs, shuffle: false, optimizer });
          const steps = fits.reduce((s, [, e]) => s + 3 * e, 0);
          expect(model.optimizerState()!.t).toBe(steps);
          const want = reference(start.W[0], start.b[0], B, fits);
          // A fresh state at the second fit (t from 1, m = v = buf = 0) moves these parameters by 1e-3 or more.
          const got = await model.getParams();
          [...got.W[0], ...got.b[0]].forEach((g, q) => {
            expect(Math.abs(g - want[q]), `parameter ${q}: ${g} against ${want[q]}`).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[q])));
          });
        } finally {
          model.dispose();
        }
      });
    }
  }
});
