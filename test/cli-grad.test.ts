/**
 * backprop grad, run as a user runs it: `node bin/backprop.js …` in a child process (test/lib/cli-run.ts): --json on
 * the CPU and wasm, and its tables. Expected numbers are the ones lecture 001 prints for its 2-2-1 example, each
 * checked to half a unit of its last printed digit.
 */
import { describe, expect, it } from 'vitest';
import { fmt, matrix, table } from '../src/cli/format.ts';
import { Model } from '../src/model.ts';
import { validateSpec } from '../src/spec.ts';
import { parityCases, randomSpec } from './lib/random-nets.ts';
import { compareWithin, parityBounds } from './lib/tolerance.ts';
import { type GradJson, cli, expectPrinted, gradJson, lecture, specFile } from './lib/cli-run.ts';

describe('backprop grad --backend wasm --json', () => {
  it('agrees with the oracle on a random net within the parity bound, and says it ran on wasm', async () => {
    const c = parityCases()[11];
    const spec = randomSpec(c);
    const r = cli('grad', specFile(spec), '--backend', 'wasm', '--json');
    expect(r.status, r.stderr).toBe(0);
    const wasm = JSON.parse(r.stdout) as GradJson;
    const valid = validateSpec(spec);
    const model = await Model.create(spec, { backend: 'cpu' });
    const cpu = await model.grad();
    model.dispose();
    // The bound of test/lib/tolerance.ts (wasm sums the same float32 products in another order).
    const b = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, cpu);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThanOrEqual(b.loss);
    valid.net.layers.forEach((_, l) => {
      expect(compareWithin(`dW${l + 1}`, wasm.grads.W[l].flat(), cpu.dW[l], b.dW[l]).violations).toEqual([]);
    });
    const text = cli('grad', specFile(spec), '--backend', 'wasm');
    expect(text.stdout).toMatch(/backend: wasm — WebAssembly: f32x4 SIMD/);
    // --json says what ran as the text's backend line does: wasm, on the threads the line counts ("1 thread", "N threads").
    const threads = Number(/^backend: wasm — WebAssembly: .*, (\d+) threads?\b/m.exec(text.stdout)![1]);
    expect([wasm.backend, wasm.threads, wasm.webgpuRoute, wasm.webgpuVariant]).toEqual(['wasm', threads, undefined, undefined]);
  }, 60_000);
});

describe('backprop grad --backend cpu --json', () => {
  it('gives the lecture 2-2-1 loss, activations and gradients', () => {
    const g = gradJson(lecture);
    // What ran: the CPU, nothing more to say (no threads, no route, no kernels).
    expect([g.backend, g.threads, g.webgpuRoute, g.webgpuVariant]).toEqual(['cpu', undefined, undefined, undefined]);
    expectPrinted(g.loss, '0.2748');
    expectPrinted(g.A[0][0][0], '0.5933'); // a_h1
    expectPrinted(g.A[0][0][1], '0.5969'); // a_h2
    expectPrinted(g.A[1][0][0], '0.7514'); // a_out
    const [[[w1, w2], [w3, w4]], [[w5, w6]]] = g.grads.W;
    expectPrinted(w1, '0.00067');
    // The lecture prints 0.00135 for w2, but its own product is 0.0134 × 0.10 = 0.00134 (an erratum).
    expectPrinted(w2, '0.00134');
    expectPrinted(w3, '0.00075');
    expectPrinted(w4, '0.00150'); // 'All gradients: w4 = .00150' (the w4 section's minus sign is an erratum)
    expectPrinted(w5, '0.0822');
    expectPrinted(w6, '0.0827');
    expectPrinted(g.grads.b[0], '0.0284'); // the shared b1: 0.0134 (via h1) + 0.0150 (via h2)
    expectPrinted((g.grads.b[1] as number[])[0], '0.1385');
  });

  it('reads a worked-example file as its spec (src/lectures/lecture-2-2-1.worked.json)', () => {
    const r = cli('grad', 'src/lectures/lecture-2-2-1.worked.json', '--backend', 'cpu', '--json');
    expect(r.status, r.stderr).toBe(0);
    const g = JSON.parse(r.stdout) as GradJson;
    expectPrinted(g.grads.W[1][0][0], '0.0822'); // ∂L/∂w5, lecture line 98
    expectPrinted(g.grads.W[0][0][0], '0.00067'); // ∂L/∂w1
    expectPrinted(g.grads.b[0], '0.0284'); // ∂L/∂b1 (shared): a single number
  });

  it('text: a layer\'s matrices and vectors carry the layer as a subscript (W₂, db₂), never a flat name like b2', () => {
    // In a 2-3-2 net the flat name b2 (explain, check) is b₁[1], one bias value; layer 2's bias vector is b₂.
    const s232 = {
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      params: { W: [[[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], [[0.7, -0.4, 0.3], [-0.2, 0.5, 0.9]]], b: [[0.1, -0.1, 0.05], [0, 0.2]] },
      x: [[1, 2], [-0.5, 0.3]], y: [[1, 0], [0, 1]],
    };
    const r = cli('grad', specFile(s232), '--backend', 'cpu');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[WbZA]\d|(?:dW|db|delta)\d/); // no W2, ∂L/∂b2, db2, Z1, A0, delta1
    for (const label of ['Z₂ = W₂·A₁ + b₂', 'A₂ = softmax(Z₂)', 'delta₂ = ∂L_c/∂Z₂', 'dW₂ = ∂L/∂W₂', 'db₂ = ∂L/∂b₂', 'db₁ = ∂L/∂b₁', 'A₀']) expect(r.stdout).toContain(label);
    // db₂'s unit 1 is explain's ∂L/∂b4 (−0.1794903, numpy float64 by the notation2 review); db₁'s unit 2 is ∂L/∂b2 (−0.1132357).
    // A bias vector's one column is headed by its name, as dW's columns by their input (was 'value 1').
    const db2 = r.stdout.slice(r.stdout.indexOf('db₂ = '));
    expect(db2).toMatch(/^db₂ = .*\n {4} +db₂\n {4}unit 1 +-0\.17949/);
    const db1 = r.stdout.slice(r.stdout.indexOf('db₁ = '));
    expect(db1).toMatch(/^db₁ = .*\n {4} +db₁\n {4}unit 1 .*\n {4}unit 2 +-0\.11323/);
    // The tables' numbers parse as printed (Number, a REPL, Python's float): an ASCII minus, not explain's typeset −
    // (U+2212), which Number reads as NaN (README: grad).
    const cells = r.stdout.split('\n').filter((l) => /^ {4}unit \d/.test(l)).flatMap((l) => l.trim().split(/ +/).slice(2));
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.filter((c) => !Number.isFinite(Number(c)))).toEqual([]);
    expect(cells.filter((c) => c.startsWith('-')).length).toBeGreaterThan(3);
    // The tables count from 1 and say which 0-based entry that is (explain's dW₂[0][0] is unit 1, in 1).
    expect(r.stdout).toContain('dW₂ = ∂L/∂W₂  (unit i, in j: dW₂[i−1][j−1])');
    expect(r.stdout).toContain('counted from 1, so unit 1, ex 1 is entry [0][0]');
    const shared = cli('grad', specFile(lecture), '--backend', 'cpu');
    expect(shared.stdout).toMatch(/db₁ = ∂L\/∂b₁ \(layer 1's one shared bias\) = 0\.02836/);
    // Counts agree with their nouns (they read "1 example(s)", "1 unit(s)").
    expect(r.stdout).toMatch(/\(softmax-cross-entropy, mean over 2 examples\)\n[^]*\nlayer 1: 3 units, tanh,/);
    expect(shared.stdout).toMatch(/\(mse, mean over 1 example\)\n[^]*\nlayer 2: 1 unit, sigmoid,/);
  });

  it('shapes A with one row per example and grads like the spec params', () => {
    const g = gradJson(lecture);
    expect(Object.keys(g).sort()).toEqual(['A', 'backend', 'grads', 'loss']); // the CPU: what ran is its backend alone
    expect(g.A.map((a) => [a.length, a[0].length])).toEqual([[1, 2], [1, 1]]);
    expect(g.grads.W.map((w) => [w.length, w[0].length])).toEqual([[2, 2], [1, 2]]);
    expect(typeof g.grads.b[0]).toBe('number'); // shared bias: one number
    expect(g.grads.b[1]).toHaveLength(1); // per-unit: one per unit

    // Three examples, the first the lecture's; an output layer without bias.
    const three = {
      ...lecture,
      layers: [lecture.layers[0], { units: 1, activation: 'sigmoid', bias: 'none' }],
      params: { W: lecture.params.W, b: [0.35, []] },
      x: [[0.05, 0.1], [1, -1], [0.5, 0.5]],
      y: [[0.01], [0.5], [0.99]],
    };
    const g3 = gradJson(three);
    expect(g3.A.map((a) => a.map((row) => row.length))).toEqual([[2, 2, 2], [1, 1, 1]]);
    expectPrinted(g3.A[0][0][0], '0.5933'); // example 0's hidden activations are the lecture's
    expectPrinted(g3.A[0][0][1], '0.5969');
    expect(g3.A[0][1][0]).not.toBeCloseTo(g3.A[0][0][0], 3);
    expect(g3.grads.b).toEqual([expect.any(Number), []]);
  });
});

describe("grad's tables: numbers, columns, alignment (src/cli/format.ts; review mutn)", () => {
  it('fmt: 7 significant digits below 10⁷, exponent form from 10⁷ on and below 10⁻⁴', () => {
    expect(fmt(1.23456789)).toBe('1.234568');
    expect(fmt(9_999_999)).toBe('9999999');
    expect(fmt(1e7)).toBe('1.0000e+7');
    expect(fmt(1e-4)).toBe('0.0001');
    expect(fmt(9.999e-5)).toBe('9.9990e-5');
  });

  it('table: right-aligned columns pad on the left', () => {
    expect(table([['a', '1'], ['bb', '22']], (c) => c === 1)).toBe('a    1\nbb  22');
  });

  it('matrix: the first 8 columns, then how many more', () => {
    const m = matrix('dW', Array.from({ length: 9 }, (_, j) => j + 1), 1, 9, 'unit', 'in');
    expect(m).toContain('in 8');
    expect(m).not.toContain('in 9');
    expect(m).toContain('… 1 more in column not shown');
    expect(matrix('dW', Array.from({ length: 10 }, (_, j) => j + 1), 1, 10, 'unit', 'in')).toContain('… 2 more in columns not shown');
  });
});
