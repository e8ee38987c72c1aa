/**
 * The scalar notation's paths (src/notation/): the per-path chain rule against the matrix form (CPU float32 oracle
 * and the float64 matrix code) on the lecture nets and on random nets up to depth 4, the grouping of paths
 * (expansions), the cost of notation, and nets the lectures do not cover. WebGPU: test/browser/notation.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { gradFloat64 } from '../src/cpu/backend.ts';
import { LECTURES } from '../src/lectures/index.ts';
import { architectureOf, notationCost } from '../src/notation/cost.ts';
import { explain, explainer } from '../src/notation/explain.ts';
import { costText, latexBlocks } from '../src/notation/format.ts';
import { Naming, type ParamId, paramKey } from '../src/notation/names.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { symText } from '../src/notation/symbols.ts';
import { type NetworkSpec, validateNet, validateSpec } from '../src/spec.ts';
import { notationCases, randomSpec } from './lib/notation-nets.ts';
import { describeCase } from './lib/random-nets.ts';
import { cut } from './lib/readme-text.ts';
import { B, W, bare221, cpuRun, lossWrt, spec221 } from './lib/notation-common.ts';
import { ELEMENTWISE } from './lib/activations.ts';

/**
 * NOTE: how far a float32 matrix backend may be from the float64 scalar engine, stated here rather than imported from
 * the code under test (explain flags with src/notation/matrix.ts float32Bound; importing it would let a looser bound
 * there loosen these checks too). Each path product is a chain of ≤ ~20 float32 roundings (2⁻²⁴ ≈ 6e-8 each) of
 * float32 forward values (SwiftShader's exp/tanh ~1e-6 relative), so each term is good to ~1e-5 relative, and the
 * terms' errors add to at most 1e-5 of mass = Σ|terms|; 1e-6 absolute covers gradients that round near zero.
 */
const F32_BOUND = (mass: number): number => 1e-6 + 1e-5 * mass;

function entry(run: { dW: ArrayLike<number>[]; db: ArrayLike<number>[] }, spec: NetworkSpec, p: ParamId): number {
  const fanIn = p.layer === 0 ? spec.inputs : spec.layers[p.layer - 1].units;
  return p.kind === 'W' ? run.dW[p.layer][p.row * fanIn + p.col] : run.db[p.layer][p.index];
}

describe('the per-path chain rule equals the matrix form', () => {
  const agree = async (spec: NetworkSpec, label: string) => {
    const engine = new ScalarEngine(spec);
    const naming = new Naming(engine.net, undefined);
    const cpu = await cpuRun(spec);
    const valid = validateSpec(spec);
    const f64 = gradFloat64(engine.net, engine.W.map((m) => Float64Array.from(m.flat())), engine.net.layers.map((layer, l) => Float64Array.from(engine.b[l].slice(0, layer.bias === 'per-unit' ? layer.units : layer.bias === 'shared' ? 1 : 0))), Float64Array.from(valid.batch!.X.keys(), (k) => engine.x[k % engine.n][Math.floor(k / engine.n)]), Float64Array.from(valid.batch!.Y.keys(), (k) => engine.y[k % engine.n][Math.floor(k / engine.n)]), engine.n);
    expect(Math.abs(engine.loss() - cpu.loss), `${label}: loss`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(engine.loss()));
    let params = 0;
    for (const p of naming.params()) {
      const { value, mass } = engine.derivative(lossWrt(p));
      const what = `${label}: ∂L/∂${paramKey(p)}`;
      expect(Math.abs(value - entry(cpu, spec, p)), `${what} vs cpu float32`).toBeLessThanOrEqual(F32_BOUND(mass));
      expect(Math.abs(value - entry(f64, spec, p)), `${what} vs float64 matrix code`).toBeLessThanOrEqual(1e-12 * mass + 1e-15);
      params++;
    }
    // Per example: ∂L_c/∂p and δ (∂L_c/∂z) of every unit, against the CPU's per-example pass and its δ columns.
    for (let c = 0; c < engine.n; c++) {
      const one = await cpuRun({ ...spec, x: [engine.x[c]], y: [engine.y[c]] });
      for (const p of naming.params()) {
        const { value, mass } = engine.derivative(lossWrt(p), c);
        expect(Math.abs(value - entry(one, spec, p)), `${label}: ∂L_${c}/∂${paramKey(p)}`).toBeLessThanOrEqual(F32_BOUND(mass));
      }
      engine.net.layers.forEach((layer, l) => {
        for (let i = 0; i < layer.units; i++) {
          const { value, mass } = engine.derivative({ kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'z', layer: l, unit: i } } }, c);
          expect(Math.abs(value - cpu.delta[l][i * engine.n + c]), `${label}: δ[${l}][${i}] example ${c}`).toBeLessThanOrEqual(F32_BOUND(mass));
        }
      });
    }
    return params;
  };

  it.each(LECTURES.map((l) => [l.id, l.worked.spec] as const))('%s: every parameter, batch and per example', async (id, spec) => {
    expect(await agree(spec, id)).toBe(validateSpec(spec).net.layers.reduce((s, l) => s + l.units * l.fanIn + (l.bias === 'per-unit' ? l.units : l.bias === 'shared' ? 1 : 0), 0));
  });

  const cases = notationCases(24);
  it('the random cases cover depth 1–4, every loss, hidden activation, bias mode and both reductions', () => {
    for (const d of [1, 2, 3, 4]) expect(cases.some((c) => c.hidden.length + 1 === d), `depth ${d}`).toBe(true);
    for (const loss of ['mse', 'bce', 'softmax-cross-entropy']) expect(cases.some((c) => c.loss === loss)).toBe(true);
    for (const a of ELEMENTWISE) expect(cases.some((c) => c.hidden.length > 0 && c.hiddenActivation === a), a).toBe(true);
    for (const b of ['per-unit', 'shared', 'none']) expect(cases.some((c) => c.bias === b)).toBe(true);
    for (const r of ['mean', 'sum']) expect(cases.some((c) => c.reduction === r)).toBe(true);
    expect(cases.some((c) => c.batch > 1)).toBe(true);
  });
  it.each(cases.map((c) => [describeCase(c), c] as const))('%s', async (label, c) => {
    expect(await agree(randomSpec(c), label)).toBeGreaterThan(0);
  });
});

describe('expansions', () => {
  it('∂L/∂b1 of the 2-2-1 lecture is "from h1" + "from h2", each one path of five factors, with the lecture\'s values', () => {
    const engine = new ScalarEngine(spec221);
    const e = engine.expand(lossWrt(B(0, 0)));
    const [ex] = e.examples;
    expect(ex.groups.map((g) => [g.word, g.via])).toEqual([['from', { layer: 0, unit: 0 }], ['from', { layer: 0, unit: 1 }]]);
    // Lecture 001, lines 255 and 261: 0.0134 (from h1) and 0.0150 (from h2), 0.0284 in all (line 265).
    expect(ex.groups.map((g) => g.value.toFixed(4))).toEqual(['0.0134', '0.0150']);
    expect(e.total.toFixed(4)).toBe('0.0284');
    for (const g of ex.groups) expect(g.paths.map((p) => p.values.length)).toEqual([5]);
  });

  it('∂L/∂w1 is one path: ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂a_h1 · ∂a_h1/∂z_h1 · ∂z_h1/∂w1 = 0.7414 × 0.1868 × 0.40 × 0.2413 × 0.05', () => {
    const engine = new ScalarEngine(spec221);
    const e = engine.expand(lossWrt(W(0, 0, 0)));
    const path = e.examples[0].groups[0].paths[0];
    expect(e.chain.factors(path.units).map((f) => f.kind)).toEqual(['dL/da', 'da/dz', 'dz/da', 'da/dz', 'dz/dp']);
    // Lecture 001, lines 80, 76, 143, 148, 154.
    expect(path.values.map((v) => v.toFixed(4))).toEqual(['0.7414', '0.1868', '0.4000', '0.2413', '0.0500']);
  });

  it('a first-layer weight of a 2-3-3-2 net has 3·2 paths, grouped by the layer-2 unit they pass through', () => {
    const spec = randomSpec({ seed: 4, inputs: 2, hidden: [3, 3], outputs: 2, hiddenActivation: 'sigmoid', outputActivation: 'sigmoid', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 1 });
    const engine = new ScalarEngine(spec);
    const e = engine.expand(lossWrt(W(0, 1, 0)));
    expect(e.pathsPerExample).toBe(6);
    const groups = e.examples[0].groups;
    expect(groups.map((g) => [g.word, g.via?.layer, g.via?.unit, g.paths.length])).toEqual([['via', 1, 0, 2], ['via', 1, 1, 2], ['via', 1, 2, 2]]);
    expect(groups.reduce((s, g) => s + g.value, 0)).toBeCloseTo(e.total, 15);
  });

  it('refuses an expansion with too many paths, naming the field', () => {
    const spec = randomSpec({ seed: 5, inputs: 2, hidden: [64, 256, 256], outputs: 40, hiddenActivation: 'relu', outputActivation: 'identity', loss: 'mse', bias: 'none', reduction: 'mean', batch: 1 });
    const engine = new ScalarEngine(spec);
    expect(() => engine.derivative(lossWrt(W(0, 0, 0)), undefined, '--param')).toThrow(/--param: the per-path expansion has 2\.62e\+6 paths/);
  });
});

describe('cost of notation', () => {
  it('the counted multiplications are those of the actual expansions (paths × (factors − 1))', () => {
    for (const c of notationCases(24)) {
      const engine = new ScalarEngine(randomSpec(c));
      const naming = new Naming(engine.net, undefined);
      let paths = 0;
      let mults = 0;
      for (const p of naming.params()) {
        const e = engine.expand(lossWrt(p), 0);
        for (const g of e.examples[0].groups) for (const path of g.paths) { paths++; mults += path.values.length - 1; }
      }
      const cost = notationCost(architectureOf(engine.net));
      expect([cost.paths, cost.scalar], describeCase(c)).toEqual([paths, mults]);
    }
  });

  it('2-2-1 lecture: 30 multiplications per path vs 11 in matrix form (counted by hand from the README formulas)', () => {
    // Per path: w1…w4 one path of 5 factors (4 mults each), b1 two such paths, w5, w6, b2 one path of 3 (2 each):
    // 16 + 8 + 6 = 30. Matrix: (a − y)·f' 1, W₂ᵀδ₂ 2 and ⊙f' 2, δ₁·Xᵀ 4, δ₂·A₁ᵀ 2: 11.
    const c = notationCost(architectureOf(validateSpec(spec221).net));
    expect([c.scalar, c.matrix, c.forward]).toEqual([30, 11, 6]);
  });

  it('a 1-1 net costs 1 forward multiplication: the cost lines count it in the singular (costText)', () => {
    // By hand: one weight, one bias; forward z = w·x: 1 multiplication. Matrix: (a − y)·f' 1, δ·Xᵀ 1: 2.
    const text = costText(notationCost({ inputs: 1, widths: [1], loss: 'mse' }), 'a 1-1 net');
    expect(text).toContain('matrix form (δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f\', dW_l = δ_l·A_{l−1}ᵀ): 2 multiplications');
    expect(text).toContain('(the forward pass, 1 multiplication, is shared by both)');
  });

  it("README's Cost of notation table is notationCost's for each net it names (parameters, paths, both counts, ratio)", () => {
    // Each row's net is read from its name: widths joined by '-', softmax-CE where the row says so (else mse), a
    // shared first-layer bias where it says 'shared b1'. The 2-2-1 row is also counted by hand in the test above.
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const rows = cut(readme, '| net | parameters | paths | multiplications, path by path | matrix form | ratio |').split('\n').slice(2);
    const body = rows.slice(0, rows.findIndex((l) => !l.startsWith('|')));
    expect(body).toHaveLength(7);
    for (const line of body) {
      const [net, ...nums] = line.slice(1, -1).split('|').map((c) => c.trim());
      const [inputs, ...widths] = /^[\d-]+/.exec(net!)![0].split('-').map(Number);
      const loss = net!.includes('softmax-CE') ? 'softmax-cross-entropy' : 'mse';
      const biases = widths.map((_, l) => (l === 0 && net!.includes('shared b1') ? 'shared' : 'per-unit') as 'shared' | 'per-unit');
      const c = notationCost({ inputs: inputs!, widths, loss, biases });
      const [params, paths, scalar, matrix] = nums.slice(0, 4).map((n) => Number(n.replace(/ /g, '')));
      expect([params, paths, scalar, matrix], net).toEqual([c.params, c.paths, c.scalar, c.matrix]);
      expect(nums[4], net).toBe(`${(c.scalar / c.matrix).toFixed(1)}×`);
    }
  });

  it('grows exponentially with depth per path, linearly in matrix form', () => {
    const at = (depth: number) => notationCost({ inputs: 4, widths: [...Array(depth - 1).fill(4), 1], loss: 'mse' });
    for (let d = 2; d <= 6; d++) expect(at(d).scalar / at(d - 1).scalar).toBeGreaterThan(4);
    // One more 4-unit hidden layer adds 4·4 (its W) + 4·4 + 4 (Wᵀδ, ⊙f') = 36 multiplications, at any depth.
    for (let d = 3; d <= 6; d++) expect(at(d).matrix - at(d - 1).matrix).toBe(36);
  });
});

describe('nets the lectures do not cover: deeper, wider, own names (review deep34)', () => {
  it('from-to names a path group by the unit\'s o also for units 10 on (via o_2,10, as via o29), not by the bare index pair 2,10', () => {
    // README: a unit is called by z's subscript when it is a label (z_h1 → h1), else by its a's name; from-to's a of
    // unit j of layer l is o_{lj}, pairs from 10 on with a comma (o_2,10, as w¹_10,3). A 2-2-12-1 net: a first-layer
    // weight's 12 paths part at layer 2's units, o21 … o29, o_2,10, o_2,11, o_2,12.
    const net = validateNet({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }, { units: 12, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const n = new Naming(net, undefined, 'from-to');
    const want = [...Array.from({ length: 9 }, (_, i) => `o2${i + 1}`), 'o_2,10', 'o_2,11', 'o_2,12'];
    expect(Array.from({ length: 12 }, (_, unit) => n.unitLabel({ layer: 1, unit }))).toEqual(want);
    expect(n.resolve('∂L/∂w¹₁₁ via o_2,10', 't')).toEqual({ ...lossWrt(W(0, 0, 0)), via: { layer: 1, unit: 9 } });
    const spec: NetworkSpec = {
      inputs: 2, layers: net.layers.map((l) => ({ units: l.units, activation: 'sigmoid' as const })), loss: 'mse',
      init: { scheme: 'xavier', seed: 3 }, x: [[0.5, -0.5]], y: [[0.2]],
    };
    const text = explain(spec, { param: 'w¹₁₁', convention: 'from-to' }, [], 'text');
    expect(text.match(/^ {2}via [^:]+:$/gm)?.map((s) => s.trim().slice(4, -1))).toEqual(want);
  });

  it('δ of a unit whose z the spec names with another letter keeps that letter: p1 and q1 give δ_p1 and δ_q1, not δ1 twice', () => {
    // δ = ∂L/∂z of the unit (README: δ_h1 = ∂L/∂z_h1). z names p1, p2 (layer 1) and q1 (layer 2) are unique, so their δ
    // must be: δ1 named both p1's and q1's, and "δ1" resolved to layer 1's unit.
    const net = validateNet({ inputs: 1, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const n = new Naming(net, { z: [['p1', 'p2'], ['q1']] });
    const dz = (layer: number, unit: number) => ({ kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'z', layer, unit } } });
    expect([symText(n.delta(0, 0)), symText(n.delta(0, 1)), symText(n.delta(1, 0))]).toEqual(['δ_p1', 'δ_p2', 'δ_q1']);
    expect(n.resolve('δ_q1', 't')).toEqual(dz(1, 0));
    expect(n.resolve('delta_p2', 't')).toEqual(dz(0, 1));
    // A z written z… keeps the convention's δ: δ_h1, δ²₁, δ11.
    expect(symText(new Naming(net, undefined).delta(0, 0))).toBe('δ_h1');
    expect(symText(new Naming(net, undefined, 'to-from').delta(1, 0))).toBe('δ²₁');
    expect(symText(new Naming(net, undefined, 'from-to').delta(0, 0))).toBe('δ11');
    // z names that are unique but give one δ (p1, and z_p1: δ_p1 twice) are refused as a name given twice is.
    expect(() => new Naming(net, { z: [['p1', 'p2'], ['z_p1']] })).toThrow(expect.objectContaining({ field: 'notation', message: expect.stringMatching(/δ_p1.*unique/) }));
  });

  it('LaTeX: tanh\' of a unit named with a layer superscript (to-from\'s a²₁) renders: squared in parentheses, not a²₁ then ^2', () => {
    // ∂a/∂z of tanh is 1 − a². to-from names a^{2}_{1}; a^{2}_{1}^{2} is a KaTeX double-superscript error.
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'tanh' }, { units: 1, activation: 'tanh' }], loss: 'mse',
      params: { W: [[[0.5]], [[-0.7]]], b: [[0.1], [0.2]] }, x: [[0.3]], y: [[0.4]],
    };
    for (const convention of ['flat', 'to-from', 'from-to'] as const) {
      const [block] = latexBlocks(explainer(spec, { param: convention === 'flat' ? 'w1' : 'w¹₁₁', convention }).doc([]));
      expect(() => katex.renderToString(block, { throwOnError: true, displayMode: true }), `${convention}: ${block}`).not.toThrow();
    }
    expect(latexBlocks(explainer(spec, { param: 'w¹₁₁', convention: 'to-from' }).doc([]))[0]).toContain('1 - \\left(a^{2}_{1}\\right)^{2}');
  });

  it('LaTeX: a loss named with a subscript (Mazur\'s E_total) over a batch renders: the example\'s index goes outside it', async () => {
    // Per example the loss is E_total,c: L_{t}_{1} is a KaTeX double-subscript error, {E_{total}}_{1} is not.
    const spec: NetworkSpec = { ...bare221(), notation: { loss: 'E_total' }, x: [[0.05, 0.1], [0.2, -0.3]], y: [[0.01], [0.99]] };
    const blocks = latexBlocks(explainer(spec, { param: 'w5' }).doc([await cpuRun(spec)]));
    expect(blocks).toHaveLength(1);
    expect(() => katex.renderToString(blocks[0], { throwOnError: true, displayMode: true })).not.toThrow();
    // The text says so too: (E_total)₁, not E_total₁ (one subscript "total1"); a plain L stays L₁.
    const text = explain(spec, { param: 'w5' }, [await cpuRun(spec)], 'text');
    expect(text).toMatch(/∂\(E_total\)₁\/∂w5 = /);
    expect(text).not.toMatch(/E_total[₁₂]/);
    const plain = explain({ ...spec, notation: undefined }, { param: 'w5' }, [await cpuRun(spec)], 'text');
    expect(plain).toMatch(/∂L₁\/∂w5 = /);
  });
});
