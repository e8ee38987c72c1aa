/**
 * The scalar notation (src/notation/): naming conventions, the per-path chain rule against the matrix form
 * (CPU float32 oracle and the float64 matrix code) on the lecture nets and on random nets up to depth 4,
 * the grouping of paths, the cost of notation, explain's output (the lecture's numbers beside the matrix
 * line), KaTeX rendering of every LaTeX block, and bad input. WebGPU: test/browser/notation.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runGrad } from '../src/cli/grad.ts';
import { runTrain } from '../src/cli/train.ts';
import { gradFloat64 } from '../src/cpu/backend.ts';
import { LECTURES, lecture } from '../src/lectures/index.ts';
import { Model } from '../src/model.ts';
import { architectureOf, groupDigits, notationCost } from '../src/notation/cost.ts';
import { explain, explainer, mismatches, specOf } from '../src/notation/explain.ts';
import { evalExpr, namesIn, parseExpr } from '../src/notation/expr.ts';
import { factorView, fmtExact, fmtGiven, fmtValue, latexBlocks, latexNumber } from '../src/notation/format.ts';
import { fmtSig, handResult, holds } from '../src/notation/hand.ts';
import type { MatrixRun } from '../src/notation/matrix.ts';
import { Naming, type ParamId, paramKey } from '../src/notation/names.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { symText } from '../src/notation/symbols.ts';
import { NotationError } from '../src/errors.ts';
import { checkWorked } from '../src/worked/check.ts';
import { parseWorked, WORKED_FORMAT } from '../src/worked/worked.ts';
import { type NetworkSpec, validateNet, validateSpec } from '../src/spec.ts';
import { notationCases, randomSpec } from './lib/notation-nets.ts';
import { describeCase } from './lib/random-nets.ts';

const spec221 = lecture('lecture-2-2-1').worked.spec;
/** The 2-2-1 lecture net with no notation of its own: the default (flat) convention must give the lecture's names. */
const bare221 = (): NetworkSpec => {
  const s = structuredClone(spec221);
  delete s.notation;
  return s;
};

const W = (layer: number, row: number, col: number): ParamId => ({ kind: 'W', layer, row, col });
const B = (layer: number, index: number): ParamId => ({ kind: 'b', layer, index });
const lossWrt = (param: ParamId) => ({ kind: 'deriv', of: 'loss', wrt: { kind: 'param', param } }) as const;

/**
 * NOTE: how far a float32 matrix backend may be from the float64 scalar engine, stated here rather than imported from
 * the code under test (explain flags with src/notation/matrix.ts float32Bound; importing it would let a looser bound
 * there loosen these checks too). Each path product is a chain of ≤ ~20 float32 roundings (2⁻²⁴ ≈ 6e-8 each) of
 * float32 forward values (SwiftShader's exp/tanh ~1e-6 relative), so each term is good to ~1e-5 relative, and the
 * terms' errors add to at most 1e-5 of mass = Σ|terms|; 1e-6 absolute covers gradients that round near zero.
 */
const F32_BOUND = (mass: number): number => 1e-6 + 1e-5 * mass;

async function cpuRun(spec: NetworkSpec): Promise<MatrixRun & { loss: number }> {
  const model = await Model.create(spec, { backend: 'cpu' });
  const g = await model.grad();
  model.dispose();
  const batch = validateSpec(spec).batch!;
  return { backend: 'cpu', n: batch.n, X: batch.X, A: g.A, delta: g.delta, dW: g.dW, db: g.db, loss: g.loss };
}

function entry(run: { dW: ArrayLike<number>[]; db: ArrayLike<number>[] }, spec: NetworkSpec, p: ParamId): number {
  const fanIn = p.layer === 0 ? spec.inputs : spec.layers[p.layer - 1].units;
  return p.kind === 'W' ? run.dW[p.layer][p.row * fanIn + p.col] : run.db[p.layer][p.index];
}

describe('default names that clash are refused (Naming indexes lazily only where they cannot clash)', () => {
  // 12 layers of 2 units (the last 1), layer 11's bias shared: from-to names it b11 (layer and unit numbers run
  // together, no unit), as it names layer 1's unit 1 bias b11.
  const deep = validateNet({
    inputs: 2, loss: 'mse',
    layers: [...Array.from({ length: 10 }, () => ({ units: 2, activation: 'sigmoid' as const })), { units: 2, activation: 'sigmoid' as const, bias: 'shared' as const }, { units: 1, activation: 'sigmoid' as const }],
  });

  it("from-to on a 12-layer net with a shared bias: 'b11' twice, a NotationError when the Naming is made", () => {
    expect(() => new Naming(deep, undefined, 'from-to')).toThrow(/b11.*unique|unique.*b11/);
  });
});

describe('naming conventions', () => {
  it('flat: the default names are the 2-2-1 lecture\'s (z_h1 = x1·w1 + x2·w2 + b1, z_h2 = x1·w3 + x2·w4 + b1, z_out = a_h1·w5 + a_h2·w6 + b2)', () => {
    const engine = new ScalarEngine(bare221());
    const n = new Naming(engine.net, undefined);
    expect(n.convention).toBe('flat');
    const expected: [string, ParamId][] = [['w1', W(0, 0, 0)], ['w2', W(0, 0, 1)], ['w3', W(0, 1, 0)], ['w4', W(0, 1, 1)], ['w5', W(1, 0, 0)], ['w6', W(1, 0, 1)], ['b1', B(0, 0)], ['b2', B(1, 0)]];
    for (const [name, p] of expected) expect(n.resolveParam(name, 'test'), name).toEqual(p);
    expect(n.known().nodes).toEqual(['x1', 'x2', 'y', 'z_h1', 'a_h1', 'z_h2', 'a_h2', 'z_out', 'ŷ']);
    expect(n.resolve('∂L/∂b1 from h2', 't')).toEqual({ ...lossWrt(B(0, 0)), via: { layer: 0, unit: 1 } });
  });

  it('to-from (Nielsen): w^l_jk feeds unit j of layer l from unit k of layer l−1', () => {
    const spec = randomSpec({ seed: 1, inputs: 3, hidden: [4], outputs: 2, hiddenActivation: 'tanh', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 1 });
    const n = new Naming(validateSpec(spec).net, { convention: 'to-from' });
    expect(n.resolveParam('w²₁₃', 't')).toEqual(W(1, 0, 2));
    expect(n.resolveParam('w^1_42', 't')).toEqual(W(0, 3, 1));
    expect(n.resolveParam('b²₂', 't')).toEqual(B(1, 1));
    expect(n.resolve('a²₁', 't')).toEqual({ kind: 'node', node: { kind: 'a', layer: 1, unit: 0 } });
    expect(n.resolve('δ¹₃', 't')).toEqual({ kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'z', layer: 0, unit: 2 } } });
  });

  it('default unit labels (path groups) follow the convention: z\'s subscript (z_h1 → h1), else a\'s name (a¹₁, o11, ŷ1)', () => {
    const s232: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      params: { W: [[[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], [[0.7, -0.4, 0.3], [-0.2, 0.5, 0.9]]], b: [[0.1, -0.1, 0.05], [0, 0.2]] },
      x: [[1, 2], [-0.5, 0.3]], y: [[1, 0], [0, 1]],
    };
    const net = validateSpec(s232).net;
    const labels = (c: 'flat' | 'to-from' | 'from-to') => {
      const n = new Naming(net, undefined, c);
      return net.layers.map((layer, l) => Array.from({ length: layer.units }, (_, i) => n.unitLabel({ layer: l, unit: i })));
    };
    expect(labels('flat')).toEqual([['h1', 'h2', 'h3'], ['o1', 'o2']]);
    expect(labels('to-from')).toEqual([['a¹₁', 'a¹₂', 'a¹₃'], ['a²₁', 'a²₂']]);
    expect(labels('from-to')).toEqual([['o11', 'o12', 'o13'], ['ŷ1', 'ŷ2']]);
    // explain's path groups: "via a²₁" above ∂L/∂z²₁ · ∂z²₁/∂a¹₁ …, not the flat "via o1".
    const tofrom = explain(s232, { param: 'w¹₁₁', convention: 'to-from' }, [], 'text');
    expect(tofrom).toMatch(/via a²₁:\n\s+∂L\/∂z²₁ · ∂z²₁\/∂a¹₁/);
    expect(tofrom).not.toMatch(/via o\d/);
    const fromto = explain(s232, { param: 'w¹₁₁', convention: 'from-to' }, [], 'text');
    expect(fromto).toMatch(/via ŷ1:\n\s+∂L\/∂z21 · ∂z21\/∂o11/);
    expect(fromto).not.toMatch(/via o\d:/);
    // A label names the same paths as the unit's z or a: "from a²₁" = "from z²₁".
    const n = new Naming(net, undefined, 'to-from');
    expect(n.resolve('∂L/∂w¹₁₁ via a²₁', 't')).toEqual(n.resolve('∂L/∂w¹₁₁ via z²₁', 't'));
    // A z with a layer superscript (z¹_a, to-from's way) is not "z_<label>": as z²₁ it is called by its a (review mut3 N8).
    const tanh21 = validateNet({ inputs: 1, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'tanh' }], loss: 'mse' });
    const zs = new Naming(tanh21, { z: [['z¹_a', 'z¹_b'], ['z²_o']] });
    expect([0, 1].map((unit) => zs.unitLabel({ layer: 0, unit }))).toEqual(['a_h1', 'a_h2']);
  });

  it('to-from with global numbering is the no-bias lecture\'s w_ij (w31 feeds z3 from A1)', () => {
    const l = lecture('lecture-2-2-1-nobias').worked.spec;
    const n = new Naming(validateSpec(l).net, l.notation);
    expect(n.resolveParam('w31', 't')).toEqual(W(1, 0, 0));
    expect(n.resolveParam('w12', 't')).toEqual(W(0, 0, 1));
    expect(n.resolveParam('w21', 't')).toEqual(W(0, 1, 0));
    expect(n.resolve('z3', 't')).toEqual({ kind: 'node', node: { kind: 'z', layer: 1, unit: 0 } });
    // The same net, from-to and to-from without the lecture's labels.
    const bare = new Naming(validateSpec(l).net, undefined, 'to-from');
    expect(bare.resolveParam('w²₁₂', 't')).toEqual(W(1, 0, 1));
  });

  it('global numbering numbers a weight\'s source unit across layers too, as its a: in a 2-2-2-1 net w53 feeds z5 from a3', () => {
    const net = validateNet({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    // Written from the convention (README: w_{jk} feeds z_j from a_k, units numbered across layers): layer 1 is z1, z2
    // (from the inputs x1, x2), layer 2 z3, z4 (from a1, a2), layer 3 z5 (from a3, a4). Was w51, w52 for the last layer:
    // "from a1", a unit two layers down.
    const tf = new Naming(net, { convention: 'to-from', numbering: 'global' });
    expect(tf.known().params).toEqual(['w11', 'w12', 'w21', 'w22', 'w31', 'w32', 'w41', 'w42', 'w53', 'w54', 'b1', 'b2', 'b3', 'b4', 'b5']);
    expect(tf.resolve('a3', 't')).toEqual({ kind: 'node', node: { kind: 'a', layer: 1, unit: 0 } });
    expect(tf.resolveParam('w54', 't')).toEqual(W(2, 0, 1));
    // from-to with global numbering: w_{kj}, from unit k to unit j.
    const ft = new Naming(net, { convention: 'from-to', numbering: 'global' });
    expect(ft.resolveParam('w35', 't')).toEqual(W(2, 0, 0));
    expect(ft.resolveParam('w13', 't')).toEqual(W(1, 0, 0));
  });

  it('a convention given (--convention, explain\'s convention) names everything its way: the spec\'s names are not mixed in, its decimals are kept', () => {
    const l = lecture('lecture-2-2-1').worked.spec;
    const net = validateSpec(l).net;
    // Nielsen's names, written from the convention table (README): was x1, x2, y, z¹₁, a_h1, z¹₂, a_h2, z²₁, ŷ — the
    // lecture's a beside to-from's z.
    expect(new Naming(net, l.notation, 'to-from').known().nodes).toEqual(['x1', 'x2', 'y', 'z¹₁', 'a¹₁', 'z¹₂', 'a¹₂', 'z²₁', 'a²₁']);
    const w = explain(l, { param: 'w²₁₁', convention: 'to-from' }, [], 'text');
    expect(w).toContain('∂L/∂w²₁₁ = ∂L/∂a²₁ · ∂a²₁/∂z²₁ · ∂z²₁/∂w²₁₁'); // was ∂L/∂ŷ · ∂ŷ/∂z²₁ · ∂z²₁/∂w²₁₁
    expect(w).toContain('= 0.7414 × 0.1868 × 0.5933'); // the lecture's 4 decimals (notation.decimals), ∂L/∂w5's factors
    expect(w).not.toMatch(/a_h|ŷ/);
    // The lectures' own inputs, targets, loss and numbering go too: x1, x2 not CGPA, IQ; L and y not E and y_t; w²₁₁ not the global w31.
    const nodes = (id: string, c: 'to-from' | 'from-to') => new Naming(validateSpec(lecture(id).worked.spec).net, lecture(id).worked.spec.notation, c).known();
    expect(nodes('lecture-classification', 'to-from').nodes.slice(0, 3)).toEqual(['x1', 'x2', 'y']);
    expect(nodes('lecture-2-2-1-nobias', 'to-from').params).toEqual(['w¹₁₁', 'w¹₁₂', 'w¹₂₁', 'w¹₂₂', 'w²₁₁', 'w²₁₂']);
    expect(explain(lecture('lecture-2-2-1-nobias').worked.spec, { param: 'w²₁₁', convention: 'from-to' }, [], 'text')).toMatch(/^ +∂L\/∂w²₁₁ = ∂L\/∂ŷ · .*\n += \(ŷ − y\) · /m); // not E, y_t
    // The header names the global numbering where the names use it (lecture 002's own), not where --convention drops it.
    const header = (opts: { convention?: 'to-from' }, format: 'text' | 'md') => explain(lecture('lecture-2-2-1-nobias').worked.spec, opts, [], format).split('\n').find((x) => x.includes('net, mse'));
    expect(header({}, 'text')).toMatch(/, convention to-from, numbering global$/);
    expect(header({}, 'md')).toMatch(/, convention \*\*to-from, numbering global\*\*\.$/);
    expect(header({ convention: 'to-from' }, 'text')).toMatch(/, convention to-from$/);
    // The spec's notation is still checked in full, as grad and train check it: its params too (were let through).
    expect(named(() => new Naming(net, { ...l.notation, params: { w9: 'W[5][0][0]' } }, 'to-from'))).toEqual({ name: 'NotationError', field: 'notation.params.w9' });
    expect(named(() => new Naming(net, { ...l.notation, a: [['a1', 'a2'], ['a1']] }, 'from-to'))).toEqual({ name: 'NotationError', field: 'notation' });
  });

  it('from-to is the regression lecture\'s w^l_kj: w¹₂₁ feeds O11 from IQ; there is no w²₂₂', () => {
    const l = lecture('lecture-regression').worked.spec;
    const n = new Naming(validateSpec(l).net, l.notation);
    expect(n.resolveParam('w¹₁₁', 't')).toEqual(W(0, 0, 0));
    expect(n.resolveParam('w¹₂₁', 't')).toEqual(W(0, 0, 1));
    expect(n.resolveParam('w¹₁₂', 't')).toEqual(W(0, 1, 0));
    expect(n.resolveParam('w²₂₁', 't')).toEqual(W(1, 0, 1));
    expect(n.resolveParam('b12', 't')).toEqual(B(0, 1));
    expect(() => n.resolve('w²₂₂', 'claims[7].name')).toThrow(/claims\[7\]\.name: 'w²₂₂' is not a name in this net .*w²₂₁/);
  });

  it('a spec may name single parameters (lecture 000\'s w7) and every spelling of a name resolves', () => {
    const l = lecture('lecture-study-hours-w7').worked.spec;
    const n = new Naming(validateSpec(l).net, l.notation);
    expect(n.resolveParam('w7', 't')).toEqual(W(0, 0, 0));
    const m = new Naming(validateSpec(spec221).net, spec221.notation);
    for (const s of ['∂L/∂w5', '\\frac{\\partial L}{\\partial w_{5}}', '∂Loss/∂w_5', '∂L/∂w5 ']) expect(m.resolve(s, 't'), s).toEqual(lossWrt(W(1, 0, 0)));
    for (const s of ['ŷ', 'y_hat', 'yhat', '\\hat{y}', 'a_out']) expect(m.resolve(s, 't'), s).toEqual({ kind: 'node', node: { kind: 'a', layer: 1, unit: 0 } });
    for (const s of ["w5'", 'w5′', 'new w5', 'New w5']) expect(m.resolve(s, 't'), s).toEqual({ kind: 'updated', param: W(1, 0, 0) });
    expect(m.resolve('trainable parameters', 't')).toEqual({ kind: 'count' });
  });

  it('bad names and bad notation are NotationErrors naming the field', () => {
    const net = validateSpec(spec221).net;
    const n = new Naming(net, spec221.notation);
    const bad = (fn: () => unknown, field: RegExp) => {
      try {
        fn();
      } catch (err) {
        expect((err as { code?: string }).code).toBe('NOTATION');
        expect((err as { field?: string }).field).toMatch(field);
        return;
      }
      throw new Error('no error');
    };
    bad(() => n.resolve('w9', '--param'), /^--param$/);
    bad(() => n.resolve("z_h1'", 'x'), /^x$/); // only a parameter has an updated value
    const engine = new ScalarEngine(spec221);
    const via = n.resolve('∂L/∂w5 from h1', 'x'); // resolves, but no path from w5 passes through h1
    bad(() => engine.derivative(via as Extract<typeof via, { kind: 'deriv' }>, undefined, 'x'), /^x$/);
    bad(() => new Naming(net, { frob: 1 }), /^notation\.frob$/);
    bad(() => new Naming(net, { convention: 'sideways' }), /^notation\.convention$/);
    bad(() => new Naming(net, { z: [['z1'], ['z2']] }), /^notation\.z\[0\]$/);
    bad(() => new Naming(net, { a: [['h', 'h'], ['o']] }), /^notation$/); // two units with one name
    bad(() => new Naming(net, { params: { w9: 'W[5][0][0]' } }), /^notation\.params\.w9$/);
    // Two parameters with one printed name (two spellings of w¹₁₁), or one parameter given two keys: refused naming
    // the second key (without the guard the first was 'notation', the second silently dropped 'p').
    bad(() => new Naming(net, { params: { 'w^1_11': 'W[0][0][0]', 'w¹₁₁': 'W[0][1][0]' } }), /^notation\.params\.w¹₁₁$/);
    bad(() => new Naming(net, { params: { 'p|r': 'W[0][0][0]', 'q|r': 'W[1][0][0]' } }), /^notation\.params\.q\|r$/);
    bad(() => new Naming(net, { params: { p: 'W[0][0][0]', q: 'W[0][0][0]' } }), /^notation\.params\.q$/);
    // The library's option is `convention` (as in ExplainOptions and README's API), the spec's notation.convention,
    // the CLI's --convention: each error names the one the caller gave.
    bad(() => new Naming(net, undefined, 'sideways' as never), /^convention$/);
    bad(() => explain(spec221, { param: 'w5', convention: 'sideways' as never }, [], 'text'), /^convention$/);
    bad(() => explain(spec221, { param: 'w5', convention: 'sideways' as never, fields: { param: '--param', decimals: '--decimals', convention: '--convention' } }, [], 'text'), /^--convention$/);
  });

  it('an unknown name lists at most 20 of each kind of name the net has, then how many more', () => {
    // 2-40-1: 161 parameters (120 weights, 41 biases), 85 nodes (x1, x2, y, z and a of 41 units), 41 units. A 2-12×12-1 net listed all 1 765 of its names on one line.
    const spec = randomSpec({ seed: 3, inputs: 2, hidden: [40], outputs: 1, hiddenActivation: 'tanh', outputActivation: 'sigmoid', loss: 'bce', bias: 'per-unit', reduction: 'mean', batch: 1 });
    const n = new Naming(validateSpec(spec).net, undefined);
    const message = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    const unknown = message(() => n.resolve('w999', '--param'));
    expect(unknown).toContain('parameters: w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15, w16, w17, w18, w19, w20, … and 141 more;');
    expect(unknown).toContain('nodes: x1, x2, y, z_h1, a_h1, z_h2, a_h2, z_h3, a_h3, z_h4, a_h4, z_h5, a_h5, z_h6, a_h6, z_h7, a_h7, z_h8, a_h8, z_h9, … and 65 more;');
    expect(unknown.length).toBeLessThan(600);
    const unit = message(() => n.resolve('∂L/∂w1 from h99', 'x'));
    expect(unit).toMatch(/units: h1, h2, .*, h20, … and 21 more$/);
    // A small net still lists every name (README: "an error listing the names it has").
    expect(message(() => new Naming(validateSpec(spec221).net, undefined).resolve('w9', 'p'))).toContain('parameters: w1, w2, w3, w4, w5, w6, b1, b2;');
    // Exactly 20 is still every name (review mut3 N10): a 2-19-1 net's units h1 … h19 and out.
    const n20 = new Naming(validateNet({ inputs: 2, layers: [{ units: 19, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' }), undefined);
    const all20 = [...Array.from({ length: 19 }, (_, i) => `h${i + 1}`), 'out'].join(', ');
    expect(message(() => n20.resolve('∂L/∂w1 from qq', 'x')).endsWith(`units: ${all20}`)).toBe(true);
  });

  it('delta_h1, the word grad prints (delta₁), names δ_h1 = ∂L/∂z_h1 as δ and \\delta do', () => {
    const flat = new Naming(validateSpec(spec221).net, undefined);
    const dz = (layer: number, unit: number) => ({ kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'z', layer, unit } } });
    for (const t of ['δ_h1', '\\delta_h1', 'delta_h1', 'delta_{h1}']) expect(flat.resolve(t, 'f'), t).toEqual(dz(0, 0));
    expect(flat.resolve('delta_out', 'f')).toEqual(dz(1, 0));
    const toFrom = new Naming(validateSpec(spec221).net, undefined, 'to-from');
    expect(toFrom.resolve('delta²₁', 'f')).toEqual(dz(1, 0));
    expect(() => flat.resolve('deltah1', 'f')).toThrow(NotationError); // a word, not delta + a name
    // In a claim, checked against lecture 001's δ_out = 0.1385 (line 158).
    const worked = parseWorked({ ...lecture('lecture-2-2-1').worked, claims: [{ name: 'delta_out', printed: 0.1385, decimals: 4 }], typos: undefined });
    expect(checkWorked(worked).checks.map((k) => k.status)).toEqual(['match']);
  });

  it('a matrix entry (W₂[0][0], dW₂[0][0], as explain prints them) or a name in the wrong case is told which name it is, and notation.params which place', () => {
    const message = (n: Naming, text: string): string => {
      try {
        n.resolveParam(text, '--param');
      } catch (err) {
        expect(err).toBeInstanceOf(NotationError);
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    // README's flat table: W₁ = [[w1, w2], [w3, w4]], W₂ = [[w5, w6]], the shared b₁ is b1, b₂[0] is b2.
    const flat = new Naming(validateSpec(spec221).net, undefined);
    expect(message(flat, 'W₂[0][0]')).toContain(': W₂[0][0] is an entry of the matrix form, w5 in this net\'s names; parameters:');
    expect(message(flat, 'W2[0][1]')).toContain('W2[0][1] is an entry of the matrix form, w6 in');
    expect(message(flat, 'W_1[1][0]')).toContain('W_1[1][0] is an entry of the matrix form, w3 in');
    expect(message(flat, 'dW₂[0][0]')).toContain('dW₂[0][0] is an entry of the matrix form, ∂L/∂w5 in');
    expect(message(flat, 'db₁[0]')).toContain('db₁[0] is an entry of the matrix form, ∂L/∂b1 in');
    expect(message(flat, 'b₂[0]')).toContain('b₂[0] is an entry of the matrix form, b2 in');
    expect(message(flat, 'W5')).toContain("did you mean 'w5'?");
    // Outside the net (W₂ is 1 × 2, b₁ one shared value): no hint, the plain list.
    for (const text of ['W₂[1][0]', 'W₃[0][0]', 'b₁[1]', 'W₂[0]']) expect(message(flat, text)).toMatch(/\(convention flat\); parameters:/);
    // from-to (README: w¹₂₁ feeds O11 from IQ, i.e. W₁[0][1]).
    const fromTo = new Naming(validateSpec(lecture('lecture-classification').worked.spec).net, undefined, 'from-to');
    expect(message(fromTo, 'W₁[0][1]')).toContain('W₁[0][1] is an entry of the matrix form, w¹₂₁ in');
    // notation.params takes the spec's 0-based place, W[1][0][0] for W₂[0][0] (README: `params` renames … 0-based places as in `params`).
    const place = (where: string): unknown => {
      try {
        return new Naming(validateSpec(spec221).net, { params: { wx: where } });
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(place('W₂[0][1]')).toBe('notation.params.wx: must be a place like "W[0][1][0]" (layer, row = unit fed, column = unit below; 0-based) or "b[1][0]", got \'W₂[0][1]\'; W₂[0][1] (layers from 1, as explain prints it) is "W[1][0][1]" here');
    expect(place('W₂[1][0]')).toMatch(/got 'W₂\[1\]\[0\]'$/); // not in the net: no hint
    expect(place('W[1][0][1]')).toBeInstanceOf(Naming);
  });
});

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
    for (const a of ['identity', 'sigmoid', 'relu', 'tanh']) expect(cases.some((c) => c.hidden.length > 0 && c.hiddenActivation === a), a).toBe(true);
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

  it("README's Cost of notation table is notationCost's for each net it names (parameters, paths, both counts, ratio)", () => {
    // Each row's net is read from its name: widths joined by '-', softmax-CE where the row says so (else mse), a
    // shared first-layer bias where it says 'shared b1'. The 2-2-1 row is also counted by hand in the test above.
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const from = readme.indexOf('| net | parameters | paths | multiplications, path by path | matrix form | ratio |');
    const rows = readme.slice(from).split('\n').slice(2);
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

/** A number as printed ("(−1.39891)", "0.05", "−101.8594"), exactly: num / 10^places. Independent of src/notation. */
function printed(s: string): { num: bigint; places: number } {
  const m = /^\(?([−-]?)(\d+)(?:\.(\d+))?\)?$/.exec(s.trim());
  if (!m) throw new Error(`not a printed number: '${s}'`);
  const num = BigInt(m[2] + (m[3] ?? ''));
  return { num: m[1] === '' ? num : -num, places: (m[3] ?? '').length };
}

/** Σ_k Π_j terms[k][j] / divisor, with the numbers as printed, is `result` within half a unit in result's last place. */
function byHand(terms: string[][], result: string, divisor = 1): boolean {
  const products = terms.map((t) => t.map(printed).reduce((a, b) => ({ num: a.num * b.num, places: a.places + b.places }), { num: 1n, places: 0 }));
  const places = Math.max(...products.map((p) => p.places));
  const sum = products.reduce((acc, p) => acc + p.num * 10n ** BigInt(places - p.places), 0n); // Σ = sum / 10^places
  const r = printed(result);
  // |sum/(10^places·N) − r/10^rp| ≤ ½·10^−rp  ⇔  2·|sum·10^rp − r·10^places·N| ≤ 10^places·N
  const scale = 10n ** BigInt(places) * BigInt(divisor);
  const diff = sum * 10n ** BigInt(r.places) - r.num * scale;
  return 2n * (diff < 0n ? -diff : diff) <= scale;
}

/** Every product and sum of numbers that explain's text prints, as [what, terms, result, divisor]. */
function printedArithmetic(text: string): [string, string[][], string, number][] {
  const out: [string, string[][], string, number][] = [];
  const lines = text.split('\n');
  const NUM = String.raw`\(?[−-]?\d+(?:\.\d+)?\)?`;
  const isNum = (s: string) => new RegExp(`^${NUM}$`).test(s.trim());
  /** "(1/N)·((a) × b + c × d)" → terms, divisor; undefined when something other than numbers is in it. */
  const parse = (expr: string): [string[][], number] | undefined => {
    let e = expr.trim();
    let divisor = 1;
    const scaled = /^\(1\/(\d+)\)·(.*)$/.exec(e);
    if (scaled) { divisor = Number(scaled[1]); e = scaled[2]; }
    if (/^\(.*\)$/.test(e) && !isNum(e) && !/^\([^()]*\) × /.test(e)) e = e.slice(1, -1);
    const terms = e.split(' + ').map((t) => t.split(' × ').map((f) => f.trim()));
    return terms.every((t) => t.every(isNum)) ? [terms, divisor] : undefined;
  };
  lines.forEach((line, i) => {
    const steps = /\(step by step: (.*)\)$/.exec(line);
    if (steps) {
      let prev = '';
      for (const step of steps[1].split('; ')) {
        const m = new RegExp(`^(?:(${NUM}) )?× (${NUM}) = (${NUM})$`).exec(step);
        if (!m) throw new Error(`line ${i + 1}: cannot read the step '${step}'`);
        out.push([`line ${i + 1}: ${step}`, [[m[1] ?? prev, m[2]]], m[3], 1]);
        prev = m[3];
      }
      return;
    }
    // "= a × b × c" then "= v": a path's factors and its product.
    const next = lines[i + 1] ?? '';
    const vals = /^\s+= (.* × .*)$/.exec(line);
    const val = new RegExp(`^\\s+= (${NUM})$`).exec(next);
    if (vals && val) {
      const p = parse(vals[1]);
      if (p) out.push([`lines ${i + 1}–${i + 2}: ${vals[1]} = ${val[1]}`, p[0], val[1], p[1]]);
      return;
    }
    // "… = NUMBERS = v" (matrix lines, sums over groups and examples): the last two parts of the line.
    const parts = line.replace(/\s+\((?:sum|mean) over \d+ examples\)$/, '').split(' = ');
    if (parts.length >= 3 && isNum(parts[parts.length - 1])) {
      const p = parse(parts[parts.length - 2]);
      if (p && (p[0].length > 1 || p[0][0].length > 1)) out.push([`line ${i + 1}: ${line.trim()}`, p[0], parts[parts.length - 1].trim(), p[1]]);
    }
  });
  return out;
}

/** The class and field of what f throws (or 'nothing thrown'). */
function named(f: () => unknown): { name: string; field: unknown } {
  try {
    f();
  } catch (err) {
    return { name: (err as Error).name, field: (err as { field?: unknown }).field };
  }
  return { name: 'nothing thrown', field: undefined };
}

describe('explain', () => {
  it('bad arguments to the library are typed errors naming them (not a TypeError, not another format)', async () => {
    const runs = [await cpuRun(spec221)];
    expect(named(() => explain(spec221, { param: 'w5' }, runs, 'pdf' as never))).toEqual({ name: 'NotationError', field: 'format' });
    expect(named(() => explain(spec221, null as never, runs, 'text'))).toEqual({ name: 'NotationError', field: 'options' });
    expect(named(() => explain(spec221, { param: 'w5' }, null as never, 'text'))).toEqual({ name: 'NotationError', field: 'runs' });
    // the library names its options; the CLI passes its flags' names (test/worked.test.ts: "--param")
    expect(named(() => explain(spec221, { param: 'w99' }, runs, 'text'))).toEqual({ name: 'NotationError', field: 'param' });
    expect(named(() => explain(spec221, { decimals: 13 }, runs, 'text'))).toEqual({ name: 'NotationError', field: 'decimals' });
    expect(named(() => checkWorked(null as never))).toEqual({ name: 'ClaimError', field: 'worked' });
    expect(named(() => lecture('nope'))).toEqual({ name: 'SpecError', field: 'id' });
    for (const format of ['text', 'md', 'latex'] as const) expect(explain(spec221, { param: 'w5' }, runs, format)).toContain('w');
  });

  it('a lecture {id, file, worked} where its worked example belongs is told to pass lecture(id).worked', () => {
    const l = lecture('lecture-2-2-1');
    const told = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return `${(err as Error).name} ${(err as Error).message}`;
      }
      return 'nothing thrown';
    };
    const hint = "this is a lecture {id, file, worked} (what lecture('lecture-2-2-1') returns), not a worked example or a spec: use its worked example, lecture('lecture-2-2-1').worked";
    // Was "SpecError id: unknown key; known keys are inputs, …", "ClaimError worked: … got object", "ClaimError file: unknown key".
    expect(told(() => explain(l, { param: 'w5' }, [], 'text'))).toBe(`SpecError spec: ${hint}`);
    expect(told(() => checkWorked(l as never))).toBe(`ClaimError worked: ${hint}`);
    expect(told(() => parseWorked(l, 'L.json'))).toBe(`ClaimError L.json: ${hint}`);
    // A lecture's id: was "SpecError spec: must be a JSON object".
    expect(told(() => explain('lecture-2-2-1', { param: 'w5' }, [], 'text'))).toBe("SpecError spec: 'lecture-2-2-1' is a lecture's id, not a network spec: pass its worked example, lecture('lecture-2-2-1').worked (import { lecture } from 'backprop-webgpu/lectures')");
    expect(told(() => explain('lecture-9', { param: 'w5' }, [], 'text'))).toBe('SpecError spec: must be a JSON object'); // not a lecture's id
    // Its worked example, and that written to a file and read back, still go through.
    expect(explain(JSON.parse(JSON.stringify(l.worked)), { param: 'w5' }, [], 'text')).toContain('= 0.7414 × 0.1868 × 0.5933');
  });

  it('Model.create / validateSpec / validateNet given a lecture, its worked example or its id is told to pass lecture(id).worked.spec', async () => {
    const l = lecture('lecture-2-2-1');
    const told = async (raw: unknown): Promise<string> => {
      try {
        (await Model.create(raw as NetworkSpec, { backend: 'cpu' })).dispose();
      } catch (err) {
        return `${(err as Error).name} ${(err as Error).message}`;
      }
      return 'nothing thrown';
    };
    // Were "SpecError format: unknown key; known keys are inputs, …" and "SpecError id: unknown key; …".
    expect(await told(l.worked)).toBe("SpecError spec: this is a worked example {format, id, title, source, description, spec, claims}, not a network spec: pass the spec it holds — for lecture('lecture-2-2-1').worked, lecture('lecture-2-2-1').worked.spec");
    expect(await told(l)).toBe("SpecError spec: this is a lecture {id, file, worked} (what lecture('lecture-2-2-1') returns), not a network spec: pass the spec of its worked example, lecture('lecture-2-2-1').worked.spec");
    expect(named(() => validateSpec(JSON.parse(JSON.stringify(l.worked))))).toEqual({ name: 'SpecError', field: 'spec' });
    expect(named(() => validateNet(l.worked))).toEqual({ name: 'SpecError', field: 'spec' }); // was 'format'
    // A lecture's id: was "SpecError spec: must be a JSON object".
    expect(await told('lecture-2-2-1')).toBe("SpecError spec: 'lecture-2-2-1' is a lecture's id, not a network spec: pass the spec of its worked example, lecture('lecture-2-2-1').worked.spec (import { lecture } from 'backprop-webgpu/lectures')");
    expect(() => validateNet('lecture-regression')).toThrow("lecture('lecture-regression').worked.spec");
    // What it says to pass goes through; a spec with one unknown key is still told that key.
    expect(await told(l.worked.spec)).toBe('nothing thrown');
    expect(await told({ ...l.worked.spec, claims: [] })).toMatch(/^SpecError claims: unknown key/);
  });

  it('a misspelt option or a run that is not {backend, n, X, A, delta, dW, db} of this net is a NotationError naming it', async () => {
    // A student's `parm` expanded every parameter instead of w5, the option dropped without a word.
    expect(named(() => explain(spec221, { parm: 'w5' } as never, [], 'text'))).toEqual({ name: 'NotationError', field: 'options.parm' });
    expect(named(() => explainer(spec221, { param: 'w5', backend: 'cpu' } as never))).toEqual({ name: 'NotationError', field: 'options.backend' });
    // naming not a Naming, decimals a Symbol: were TypeErrors (naming.params is not a function; a Symbol in a template).
    for (const naming of [5, {}, 'flat']) expect(named(() => explain(spec221, { naming } as never, [], 'text'))).toEqual({ name: 'NotationError', field: 'naming' });
    expect(named(() => explain(spec221, { decimals: Symbol('4') } as never, [], 'text'))).toEqual({ name: 'NotationError', field: 'decimals' });
    const model = await Model.create(spec221, { backend: 'cpu' });
    const grad = await model.grad();
    model.dispose();
    // model.grad()'s result as it is printed `= () = () = 0.0822` and `undefined: dW₂[0][0] = …` with a ✓.
    expect(named(() => explain(spec221, { param: 'w5' }, [grad as never], 'text'))).toEqual({ name: 'NotationError', field: 'runs[0].backend' });
    expect(named(() => explainer(spec221, { param: 'w5' }).doc([grad as never]))).toEqual({ name: 'NotationError', field: 'runs[0].backend' });
    const { X, n } = validateSpec(spec221).batch!;
    const run: MatrixRun = { backend: 'cpu', n, X, ...grad };
    const bad = (patch: Record<string, unknown>) => named(() => explain(spec221, { param: 'w5' }, [{ ...run, ...patch } as never], 'text'));
    expect(bad({ n: 2 })).toEqual({ name: 'NotationError', field: 'runs[0].n' });
    expect(bad({ X: undefined })).toEqual({ name: 'NotationError', field: 'runs[0].X' });
    expect(bad({ X: [0.05] })).toEqual({ name: 'NotationError', field: 'runs[0].X' }); // 2 inputs × 1 example
    expect(bad({ delta: [grad.delta[1]] })).toEqual({ name: 'NotationError', field: 'runs[0].delta' });
    expect(bad({ A: [grad.A[0], ['0.75']] })).toEqual({ name: 'NotationError', field: 'runs[0].A[1]' });
    expect(bad({ dW: [grad.dW[0], new Float32Array(1)] })).toEqual({ name: 'NotationError', field: 'runs[0].dW[1]' }); // W₂ is 1 × 2
    expect(bad({ db: [new Float32Array(2), grad.db[1]] })).toEqual({ name: 'NotationError', field: 'runs[0].db[0]' }); // b1 is shared: 1 value
    expect(named(() => explain(spec221, { param: 'w5' }, [run, null as never], 'text'))).toEqual({ name: 'NotationError', field: 'runs[1]' });
    // The form the message gives, grad's extra keys (loss, Z) included, is the CLI's matrix line (lecture 001: δ_out 0.1385, a_h1 0.5933).
    expect(explain(spec221, { param: 'w5' }, [run], 'text')).toMatch(/= δ₂\[0\] × A₁\[0\] = 0\.1385 × 0\.5933 = 0\.0822\n\s+cpu: dW₂\[0\]\[0\] = 0\.0821670\d+; .* ✓/);
  });

  it('prints the lecture\'s factors and values for w5 and w1, beside the matrix line', async () => {
    const runs = [await cpuRun(spec221)];
    const w5 = explain(spec221, { param: 'w5' }, runs, 'text');
    // Lecture 001, lines 94–98: ∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w5 = 0.7414 × 0.1868 × 0.5933 = 0.0822.
    expect(w5).toContain('∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w5');
    expect(w5).toMatch(/= 0\.7414 × 0\.1868 × 0\.5933\n\s+= 0\.0822\n/);
    // The matrix line: δ₂[0] × A₁[0], δ_out = 0.1385 (line 158).
    expect(w5).toMatch(/∂L\/∂W₂ = δ₂·A₁ᵀ; w5 is entry \[0\]\[0\].*\n\s+= δ₂\[0\] × A₁\[0\] = 0\.1385 × 0\.5933 = 0\.0822/);
    expect(w5).toMatch(/cpu: dW₂\[0\]\[0\] = 0\.0821670\d+; .* ✓/);
    const w1 = explain(spec221, { param: 'w1' }, runs, 'text');
    // Lines 129–166: 0.7414 × 0.1868 = 0.1385, × 0.40 = 0.0554, × 0.2413 = 0.0134, × 0.05 = 0.00067; step by step
    // each intermediate has four significant digits and is the product of the numbers printed before it, by hand:
    // 0.7414 × 0.1868 = 0.13849352, 0.1385 × 0.4 = 0.0554, 0.05540 × 0.2413 = 0.01336802, 0.01337 × 0.05 = 0.0006685.
    expect(w1).toContain('∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂a_h1 · ∂a_h1/∂z_h1 · ∂z_h1/∂w1');
    expect(w1).toMatch(/= 0\.7414 × 0\.1868 × 0\.4 × 0\.2413 × 0\.05\n\s+= 0\.00067\n/);
    expect(w1).toContain('0.7414 × 0.1868 = 0.1385; × 0.4 = 0.05540; × 0.2413 = 0.01337; × 0.05 = 0.0006685');
    expect(w1).toMatch(/= δ₁\[0\] × A₀\[0\] = 0\.0134 × 0\.05 = 0\.00067/);
  });

  it('every LaTeX block of every parameter of every lecture net (each convention) renders with KaTeX', async () => {
    let blocks = 0;
    for (const l of LECTURES) {
      const runs = [await cpuRun(l.worked.spec)];
      for (const convention of [undefined, 'flat', 'to-from', 'from-to'] as const) {
        const ex = explainer(l.worked.spec, { convention });
        expect(ex.params.length).toBe(new Naming(ex.engine.net, undefined).params().length);
        for (const b of latexBlocks(ex.doc(runs))) {
          expect(() => katex.renderToString(b, { throwOnError: true, displayMode: true }), b).not.toThrow();
          blocks++;
        }
      }
    }
    expect(blocks).toBeGreaterThan(100);
  });

  it('LaTeX renders for random nets with batches, many paths and negative values too', async () => {
    for (const c of notationCases(8, 9100)) {
      const spec = randomSpec(c);
      const ex = explainer(spec, {});
      for (const b of latexBlocks(ex.doc([await cpuRun(spec)]))) expect(() => katex.renderToString(b, { throwOnError: true, displayMode: true }), b).not.toThrow();
    }
  }, 30_000);

  it('Markdown has a table per parameter and the cost table', async () => {
    const md = explain(spec221, { param: 'b1' }, [await cpuRun(spec221)], 'md');
    expect(md).toContain('| group | path (loss → parameter) | = | values | product |');
    expect(md).toMatch(/\| from h1 \| `∂L\/∂ŷ · ∂ŷ\/∂z_out · ∂z_out\/∂a_h1 · ∂a_h1\/∂z_h1 · ∂z_h1\/∂b1` \|.*\| 0\.0134 \|/);
    expect(md).toContain('| 1 | 5 | 1 | 5 | 24 |');
  });

  it('every product and sum explain prints for every lecture checks by hand (within half a unit in the last place)', async () => {
    let checked = 0;
    const kinds = { steps: 0, paths: 0, sums: 0 };
    for (const l of LECTURES) {
      const run = await cpuRun(l.worked.spec);
      const text = explain(l.worked, {}, [run], 'text');
      // Past float32's precision too (review notation3: at --decimals 5 the regression lecture's b21 line read
      // ((−18.79100) + (−48.86500)) = −67.65601, the float32 sum).
      for (const decimals of [5, 6, 8]) {
        for (const [what, terms, result, divisor] of printedArithmetic(explain(l.worked, { decimals }, [run], 'text'))) {
          expect(byHand(terms, result, divisor), `${l.worked.id} --decimals ${decimals}: ${what}`).toBe(true);
        }
      }
      for (const [what, terms, result, divisor] of printedArithmetic(text)) {
        expect(byHand(terms, result, divisor), `${l.worked.id} ${what}`).toBe(true);
        checked++;
        if (what.includes('×') && !what.includes('lines')) kinds.steps++;
        else if (what.includes('lines')) kinds.paths++;
        else kinds.sums++;
      }
    }
    // 152 step and matrix equations (the reviewer's count), 61 path products, and the sums over groups and examples.
    expect(checked).toBeGreaterThan(230);
    expect(Object.values(kinds).every((k) => k > 10), JSON.stringify(kinds)).toBe(true);
    // A given input stays as written past 6 decimals (the lecture's CGPA 3.3, not its float32 3.29999995).
    const regression = LECTURES.find((l) => l.worked.id === 'lecture-regression')!;
    expect(explain(regression.worked, { decimals: 8, param: 'w¹₁₁' }, [await cpuRun(regression.worked.spec)], 'text')).toMatch(/× 3\.3 \+ \(−24\.\d+\) × 2\.9\) = /);
    // The checker itself: the classification lecture's old "0.0334 × 9 = 0.3003" and "−0.0495 × 8 = −0.3964" fail it.
    expect(byHand([['0.0334', '9']], '0.3003')).toBe(false);
    expect(byHand([['(−0.0495)', '8']], '−0.3964')).toBe(false);
    expect(byHand([['(−0.0495)', '8']], '−0.3960')).toBe(true);
    expect(byHand([['(−0.1547)'], ['0.3454']], '0.1908')).toBe(false);
  }, 30_000);

  it('LaTeX matrix lines state the parameter\'s derivative, never the parameter, and bold the layer\'s W, b, δ and A', async () => {
    const runs = [await cpuRun(spec221)];
    const w5 = explain(spec221, { param: 'w5' }, runs, 'latex');
    expect(w5).toContain('\\frac{\\partial L}{\\partial \\mathbf{W}_{2}} &= \\boldsymbol{\\delta}_{2} \\mathbf{A}_{1}^{\\top}:\\quad \\frac{\\partial L}{\\partial w_{5}} = \\left(\\boldsymbol{\\delta}_{2} \\mathbf{A}_{1}^{\\top}\\right)_{[0][0]} = ');
    const b2 = explain(spec221, { param: 'b2' }, runs, 'latex');
    expect(b2).toContain('\\frac{\\partial L}{\\partial \\mathbf{b}_{2}} &= \\boldsymbol{\\delta}_{2} \\mathbf{1}:\\quad \\frac{\\partial L}{\\partial b_{2}} = \\boldsymbol{\\delta}_{2}[0] = 0.1385');
    // The shared b1 of layer 1: the vector is \mathbf{b}_{1}, the lecture's parameter b_{1}.
    const b1 = explain(spec221, { param: 'b1' }, runs, 'latex');
    expect(b1).toContain('\\frac{\\partial L}{\\partial \\mathbf{b}_{1}} &= \\textstyle\\sum_i \\sum_c \\boldsymbol{\\delta}_{1}[i][c]:\\quad \\frac{\\partial L}{\\partial b_{1}} = \\boldsymbol{\\delta}_{1}[0] + \\boldsymbol{\\delta}_{1}[1] = 0.0134 + 0.0150 = 0.0284');
    for (const l of LECTURES) {
      for (const block of latexBlocks(explainer(l.worked.spec, {}).doc([await cpuRun(l.worked.spec)]))) {
        for (const row of block.split('\\\\\n').filter((r) => r.includes('\\quad '))) {
          if (row.includes('\\text{')) continue;
          expect(row, `${l.worked.id}: after the matrix, the entry is a derivative`).toMatch(/:\\quad \\frac\{\\partial /);
          expect(row, `${l.worked.id}: no value printed twice`).not.toMatch(/= (-?[\d.]+) = \1(?![\d.])/);
          expect(row, `${l.worked.id}: the matrix is bold`).toMatch(/^\\frac\{\\partial [^}]+\}\{\\partial \\mathbf\{[Wb]\}_\{\d+\}\}/);
        }
        expect(block, `${l.worked.id}: a \\frac in brackets has sized brackets`).not.toMatch(/(?<!\\left)\(\\frac/);
      }
    }
  });

  it('text output: every minus sign is U+2212, big counts are grouped, "1 example"', () => {
    const text = explain(lecture('lecture-study-hours-w7').worked, {}, [], 'text');
    expect(text).toMatch(/scalar total, float64: −4\.262175\d*e-5/);
    for (const l of LECTURES) {
      const t = explain(l.worked, {}, [], 'text');
      expect(t.split('\n').filter((line) => /(?<![\de])-\d/.test(line)), l.worked.id).toEqual([]);
    }
    const deep = randomSpec({ seed: 3, inputs: 10, hidden: [10, 10, 10, 10], outputs: 10, hiddenActivation: 'sigmoid', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 1 });
    expect(explainer(deep, {}).doc([]).note).toMatch(/^Not expanded: every gradient of this net has 1 222 210 paths per example \(× 1 example\) in all, more than 20 000;/);
  });

  it('a worked file of another format version is refused as check refuses it (same typed error)', () => {
    const other = { ...lecture('lecture-2-2-1').worked, format: 'backprop-worked-example/2' };
    const refusal = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return `${(err as Error).name} ${(err as { field?: string }).field}: ${(err as Error).message}`;
      }
      return 'accepted';
    };
    const fromCheck = refusal(() => parseWorked(other));
    expect(fromCheck).toBe(`ClaimError format: format: must be "${WORKED_FORMAT}", got "backprop-worked-example/2"`);
    expect(refusal(() => explainer(other, { param: 'w5' }))).toBe(fromCheck);
    expect(refusal(() => explainer(lecture('lecture-2-2-1').worked, { param: 'w5' }))).toBe('accepted');
  });

  it("a shared bias over a batch: the matrix line gives every δ term, each unit's row summed (text and LaTeX)", async () => {
    // Lecture 001's net (b1 shared by h1 and h2) on its example and a second one. The float64 reference, written from
    // the formulas with the lecture's weights (w1 … w6 = .15 .2 .25 .3 .4 .45, b1 = .35, b2 = .6; L_c = ½(ŷ − y)²):
    // δ_h = (ŷ − y)·ŷ(1 − ŷ)·w_out,h·a_h(1 − a_h), per example c.
    const x = [[0.05, 0.1], [0.2, 0.4]];
    const y = [0.01, 0.5];
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const delta = x.map(([x1, x2], c) => {
      const aH = [sig(0.15 * x1 + 0.2 * x2 + 0.35), sig(0.25 * x1 + 0.3 * x2 + 0.35)];
      const yHat = sig(0.4 * aH[0] + 0.45 * aH[1] + 0.6);
      return [0.4, 0.45].map((w, h) => (yHat - y[c]) * yHat * (1 - yHat) * w * aH[h] * (1 - aH[h]));
    });
    const spec = { ...spec221, x, y: y.map((v) => [v]) };
    const model = await Model.create(spec, { backend: 'cpu' });
    const grad = await model.grad();
    model.dispose();
    const { X, n } = validateSpec(spec).batch!;
    const run: MatrixRun = { backend: 'cpu', n, X, ...grad };
    const line = /= \(1\/2\)·\(\(δ₁\[0\]\[0\] \+ δ₁\[0\]\[1\]\) \+ \(δ₁\[1\]\[0\] \+ δ₁\[1\]\[1\]\)\) = \(1\/2\)·\(\((\S+) \+ (\S+)\) \+ \((\S+) \+ (\S+)\)\) = (\S+)\n/.exec(explain(spec, { param: 'b1' }, [run], 'text'));
    expect(line, 'the text matrix line with its numbers').not.toBeNull();
    // Row i of δ₁ is unit h(i+1) over the examples: δ₁[i][c] = delta[c][i]. Each within half a unit of its last digit.
    const printed = line!.slice(1, 5);
    [delta[0][0], delta[1][0], delta[0][1], delta[1][1]].forEach((want, k) => {
      const decimals = printed[k].split('.')[1].length;
      expect(Math.abs(Number(printed[k]) - want), `term ${k}: ${printed[k]} vs ${want}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
    });
    const total = (delta[0][0] + delta[0][1] + delta[1][0] + delta[1][1]) / 2;
    expect(Math.abs(Number(line![5]) - total)).toBeLessThanOrEqual(0.5 * 10 ** -line![5].split('.')[1].length);
    const latex = latexBlocks(explainer(spec, { param: 'b1' }).doc([run])).join('\n');
    expect(latex).toContain(`= \\tfrac{1}{2}\\left(\\left(${printed[0]} + ${printed[1]}\\right) + \\left(${printed[2]} + ${printed[3]}\\right)\\right) = ${line![5]}`);
  });

  it('bad input: an unknown parameter, a spec without data, bad decimals', () => {
    expect(() => explainer(spec221, { param: 'w9' })).toThrow(/^param: 'w9' is not a name in this net/);
    expect(() => explainer({ ...spec221, x: undefined, y: undefined }, {})).toThrow(/x: the scalar engine needs a batch/);
    expect(() => explainer({ ...spec221, layers: [{ units: 2, activation: 'sigmoidd' }, spec221.layers[1]] }, {})).toThrow(/layers\[0\]\.activation/);
    expect(() => explainer(spec221, { decimals: 99 })).toThrow(/^decimals: must be an integer 0 … 12/);
  });
});

describe('formulas', () => {
  const v: Record<string, number> = { A3: 0.6, y_t: 0.25, A1: 0.5, w31: 0.5, x1: 2, ŷ: 0.7, y: 1, 'w²₂₁': 0.7, IQ: 8, η: 0.1, '∂L/∂w²₁₁': 2, 'w²₁₁': 0.5 };
  const at = (f: string) => evalExpr(parseExpr(f, 'f'), (n) => (n === 'e' ? Math.E : v[n]));
  it('reads the lectures\' ways of writing products, powers, functions and derivatives', () => {
    expect(at('(A3 − y_t)(A3(1 − A3))(A1)')).toBeCloseTo(0.35 * 0.24 * 0.5, 15);
    expect(at('(A3 − y_t)(A3(1 − A3)) w31 A1(1 − A1) x1')).toBeCloseTo(0.35 * 0.24 * 0.5 * 0.25 * 2, 15);
    expect(at('−(y − ŷ)·w²₂₁·IQ')).toBeCloseTo(-0.3 * 0.7 * 8, 15);
    expect(at('½(y − ŷ)²')).toBeCloseTo(0.045, 15);
    expect(at('1/(1 + e^(−A1))')).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 15);
    expect(at('w²₁₁ − η·∂L/∂w²₁₁')).toBeCloseTo(0.3, 15);
    expect(at('−y log ŷ + (1 − y) log(1 − ŷ)')).toBeCloseTo(-Math.log(0.7), 15);
    expect(at('.7414 × .1868')).toBeCloseTo(0.7414 * 0.1868, 15);
    expect(namesIn(parseExpr('σ(z3)(1 − σ(z3)) + w¹₂₂', 'f'))).toEqual(['z3', 'z3', 'w¹₂₂']);
  });
  it('"∂L/∂b1 from h1" is one name in a formula, as in a claim\'s name (lecture 001, line 245)', () => {
    expect(namesIn(parseExpr('∂L/∂b1 from h1 + ∂L/∂b1 via h2', 'f'))).toEqual(['∂L/∂b1 from h1', '∂L/∂b1 via h2']);
    const worked = {
      format: WORKED_FORMAT, id: 'b1', title: 'b1 from h1 and h2', source: 'lecture 001', description: 'a test', spec: spec221,
      claims: [{ name: '∂L/∂b1', formula: '∂L/∂b1 from h1 + ∂L/∂b1 from h2', line: 245 }, { name: '∂L/∂b1 from h2', formula: '∂L/∂b1 − ∂L/∂b1 from h1', line: 261 }],
    };
    const [sum, part] = checkWorked(parseWorked(worked)).checks;
    expect([sum.status, part.status]).toEqual(['match', 'match']);
    // Lecture 001, lines 255–265: 0.0134 (from h1) + 0.0150 (from h2) = 0.0284.
    expect(sum.shown.value.toFixed(4)).toBe('0.0284');
    expect(part.shown.value.toFixed(4)).toBe('0.0150');
  });

  it('every factor explain prints for a tanh/sigmoid net reads back through the parser to its value (a_h1² is (a_h1)²)', () => {
    // 2-3-2 tanh → softmax-CE and 2-3-3-1 sigmoid (shared bias) → tanh → sigmoid/BCE: explain prints tanh' as
    // "1 − a_h1²" (flat), "1 − a¹₁²" (to-from), "1 − o11²" (from-to); check must read each as the factor's value.
    const s232: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      params: { W: [[[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], [[0.7, -0.4, 0.3], [-0.2, 0.5, 0.9]]], b: [[0.1, -0.1, 0.05], [0, 0.2]] },
      x: [[1, 2], [-0.5, 0.3]], y: [[1, 0], [0, 1]],
    };
    const s2331: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'sigmoid', bias: 'shared' }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      params: { W: [[[0.15, -0.2], [0.25, 0.3], [-0.35, 0.4]], [[0.5, -0.6, 0.7], [0.8, 0.9, -1], [0.11, 0.12, 0.13]], [[1.5, -2.5, 0.75]]], b: [0.35, [0.1, -0.2, 0.3], [0.05]] },
      x: [[0.05, 0.1], [1.5, -2]], y: [[1], [0]],
    };
    // One tanh output (mse): flat names it ŷ, a bare-letter name, whose square explain writes (ŷ)² (review diff7 item 1).
    const s221: NetworkSpec = {
      inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'tanh' }], loss: 'mse',
      params: { W: [[[0.3, -0.7], [0.45, 0.2]], [[0.9, -0.35]]], b: [[0.1, -0.2], [0.05]] }, x: [[0.6, -1.2], [0.25, 0.8]], y: [[0.4], [-0.3]],
    };
    let read = 0;
    const tanhTexts = new Set<string>();
    for (const spec of [s232, s2331, s221]) {
      const engine = new ScalarEngine(spec);
      for (const convention of ['flat', 'to-from', 'from-to'] as const) {
        const naming = new Naming(engine.net, undefined, convention);
        for (const p of naming.params()) {
          const ex = engine.expand(lossWrt(p), 1);
          for (const g of ex.examples[0].groups) {
            for (const path of g.paths) {
              ex.chain.factors(path.units).forEach((f, k) => {
                const text = factorView(f, naming, engine.net).text;
                if (f.kind === 'da/dz' && engine.net.layers[f.layer].activation === 'tanh') tanhTexts.add(text);
                const value = evalExpr(parseExpr(text, 'f'), (name) => engine.value(naming.resolve(name, 'f'), 1));
                expect(value, `${convention} ${paramKey(p)}: ${text}`).toBeCloseTo(path.values[k], 12);
                read++;
              });
            }
          }
        }
      }
    }
    expect(read).toBeGreaterThan(300);
    expect([...tanhTexts]).toEqual(expect.arrayContaining(['1 − a_h1²', '1 − a¹₁²', '1 − o11²', '1 − a_h21²', '1 − a²₁²', '1 − o21²', '1 − (ŷ)²']));
    // A bare letter with a combining mark (notation.a x̂: x + U+0302) is a bare-letter name too: (x̂)², as (ŷ)² (review mut3 N5).
    const hat: NetworkSpec = { ...s221, x: [[0.6, -1.2]], y: [[0.4]], notation: { a: [['x\u0302', 'b'], ['ŷ']] } };
    expect(explain(hat, { param: 'w1' }, [], 'text')).toContain('(1 − (x\u0302)²)');
    // Names whose tail holds digits, subscripts or commas still read as one name.
    expect(namesIn(parseExpr('a_h1,11² + a_h1,11 + w_{5}² + a¹₁² + A3² + w¹₂₁ + δ_h1 + y_t + a_h1₂', 'f'))).toEqual(['a_h1,11', 'a_h1,11', 'w_{5}', 'a¹₁', 'A3', 'w¹₂₁', 'δ_h1', 'y_t', 'a_h1₂']);
  });

  it('a malformed formula is a ClaimError naming the field', () => {
    expect(() => parseExpr('(A3 − y_t', 'claims[2].formula')).toThrow(/claims\[2\]\.formula: cannot read the formula .*a "\)" is missing/);
    expect(() => parseExpr('A3 ~ 2', 'f')).toThrow(/unexpected '~'/);
    // The token as written, not its JSON ('{"k":"op","s":")"}'): one ")" too many, a superscript with no base.
    expect(() => parseExpr('(ŷ − y)·ŷ(1 − ŷ)·a_h1)', 'f')).toThrow(/: unexpected '\)' after a complete formula$/);
    expect(() => parseExpr('a_h1 + y 0.5 )', 'f')).toThrow(/: unexpected '\)' after a complete formula$/);
    expect(() => parseExpr('1 − ²', 'f')).toThrow(/: unexpected '²'$/);
  });
});

describe('explain\'s mismatch detector (what text output marks ✗ MISMATCH)', () => {
  // ∂L/∂w5 of the 2-2-1 lecture is 0.0822 (one path; lecture 001 line 98). A float32 backend computes it to within a
  // few float32 roundings of its 5 factors: ~1e-8 absolute here (the float32 spacing at 0.08 is 7.5e-9; with
  // SwiftShader's ~1e-6-relative exp, ~1e-7). A matrix value 2e-5 away (2.4e-4 relative, >100× that) is not a float32
  // result; one 1e-9 away is.
  const shifted = async (delta: number): Promise<string[]> => {
    const run = await cpuRun(spec221);
    const dW = run.dW.map((w) => Float64Array.from(w));
    dW[1][0] += delta; // W₂[0][0] is w5
    return mismatches(explainer(spec221, { param: 'w5' }).doc([{ ...run, dW }]));
  };

  it('flags a matrix value 2e-5 from the scalar total, not one 1e-9 from it', async () => {
    expect(await shifted(0)).toEqual([]);
    expect(await shifted(1e-9)).toEqual([]);
    expect(await shifted(-1e-9)).toEqual([]);
    for (const delta of [2e-5, -2e-5, 1e-2]) {
      const bad = await shifted(delta);
      expect(bad, `${delta}`).toHaveLength(1);
      expect(bad[0]).toMatch(/^w5 on cpu: /);
    }
  });

  it('flags a matrix value that is NaN or ±Infinity', async () => {
    for (const delta of [NaN, Infinity, -Infinity]) {
      const bad = await shifted(delta);
      expect(bad, `${delta}`).toHaveLength(1);
      expect(bad[0]).toMatch(/^w5 on cpu: .*matrix (NaN|-?Infinity)/);
    }
  });
});

describe('the rounding rules of printed numbers (hand.ts NOTE, format.ts)', () => {
  it('holds: a result within half a unit in its last place, the half included', () => {
    // |0.25 − 0.2| = 0.05 = ½·10⁻¹: holds; 0.15 likewise; 0.26 and 0.1499 are past it.
    expect(holds([['0.25']], '0.2')).toBe(true);
    expect(holds([['0.15']], '0.2')).toBe(true);
    expect(holds([['0.26']], '0.2')).toBe(false);
    expect(holds([['0.1499']], '0.2')).toBe(false);
    // 0.5 × 0.25 = 0.125: exactly half a unit from 0.12 and from 0.13 at two decimals
    expect(holds([['0.5', '0.25']], '0.12')).toBe(true);
    expect(holds([['0.5', '0.25']], '0.13')).toBe(true);
    expect(holds([['0.5', '0.25']], '0.14')).toBe(false);
  });

  it('step by step: four significant digits, half away from zero; an exact tie gets one more decimal', () => {
    // 0.5 × 0.2469 = 0.12345 exactly, a tie at four significant digits (0.1234|5): shown exactly.
    expect(handResult([['0.5', '0.2469']], 4)).toBe('0.12345');
    expect(handResult([['−0.5', '0.2469']], 4)).toBe('−0.12345');
    // 0.5 × 0.24691 = 0.123455: past the tie, rounds up to 0.1235
    expect(handResult([['0.5', '0.24691']], 4)).toBe('0.1235');
    // 0.7414 × 0.1868 = 0.13849352 → 0.1385 (lecture 001's first intermediate)
    expect(handResult([['0.7414', '0.1868']], 4)).toBe('0.1385');
  });

  it('values given in the spec are shown as written only within one float32 rounding of it', () => {
    // fround(0.4) = 0.4000000059604645: 6e-9 from 0.4, within 0.4·2⁻²⁴ = 2.4e-8 (one float32 rounding): "0.4"
    expect(fmtGiven(Math.fround(0.4), 4)).toBe('0.4');
    expect(fmtGiven(Math.fround(0.05), 4)).toBe('0.05');
    // 0.40000012 is 1.2e-7 from 0.4, five float32 roundings: a computed value at 4 decimals
    expect(fmtGiven(0.40000012, 4)).toBe('0.4000');
  });

  it('a given input of 5 or 6 decimals is shown as written at 4 decimals; one of 7 at the lecture\'s rounding (README; review mut3 N16)', () => {
    const at = (x1: number) => explain({ ...spec221, x: [[x1, 0.1]] }, { param: 'w1' }, [], 'text');
    expect(at(0.12345)).toContain('× 0.12345\n');
    expect(at(0.123456)).toContain('× 0.123456\n');
    expect(at(0.1234567)).toContain('× 0.1235\n');
    // README says so, the six included.
    expect(readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8').replace(/\s+/g, ' ')).toContain('given values as written (the fewest decimals that give their float32 back: the lecture\'s 3.3, never 3.29999995) when they have at most six decimals (or `decimals`, if more)');
  });

  it('a value that is not finite is \\text{…} in LaTeX, −Infinity as NaN (review mut3 N19)', () => {
    expect(latexNumber('NaN')).toBe('\\text{NaN}');
    expect(latexNumber('−Infinity')).toBe('\\text{-Infinity}');
    expect(latexNumber('Infinity')).toBe('\\text{Infinity}');
  });

  it('a computed value of 1e7 or more keeps at least four significant digits (fmtSig), within half a unit of its last', () => {
    for (const v of [123456789.5, -98765432.1, 1.5e12 + 0.25]) {
      const shown = fmtSig(v, 4).replace('−', '-');
      const m = /^(-?)(\d)\.(\d+)e\+(\d+)$/.exec(shown);
      expect(m, `${v}: ${shown}`).not.toBeNull();
      const sig = 1 + m![3].length;
      expect(sig, `${v}: ${shown}`).toBeGreaterThanOrEqual(4);
      const unit = 10 ** (Number(m![4]) - m![3].length);
      expect(Math.abs(Number(shown) - v), `${v}: ${shown}`).toBeLessThanOrEqual(unit / 2);
      expect(fmtValue(v, 4)).toBe(fmtSig(v, 4));
    }
  });

  it("a given number (the lab's η) unrounded, its exponent without '+': the value it writes parses back to the number", () => {
    for (const v of [0.012345, 0.1, 1e30, 1.5e-7, 123456.789, 2 ** -20]) {
      const shown = fmtExact(v);
      expect(Number(shown), `${v}: ${shown}`).toBe(v);
      expect(shown, `${v}`).not.toMatch(/\+/);
    }
    expect(fmtExact(1e30)).toBe('1e30');
  });
});

describe('a spec\'s notation is checked by every command that reads a spec: grad and train as explain and check (review cli item 9)', () => {
  // The review's notation mutations: each one explain refuses with a NotationError naming the field.
  const BAD: [string, unknown][] = [
    ['notation.convention', { convention: 'xx' }],
    ['notation.decimals', { decimals: 1000 }],
    ['notation', { z: [['a', 'a'], ['q']] }], // a name given twice
    ['notation.params', { params: 'x' }],
    ['notation.units', { units: 5 }],
    ['notation.z', { z: [['a']] }], // one layer's names for a 2-layer net
  ];
  const caught = async (fn: () => unknown): Promise<{ name: string; code: unknown; field: unknown; message: string }> => {
    try {
      await fn();
    } catch (err) {
      return { name: (err as Error).name, code: (err as { code?: unknown }).code, field: (err as { field?: unknown }).field, message: (err as Error).message };
    }
    return { name: 'nothing thrown', code: undefined, field: undefined, message: '' };
  };

  it.each(BAD)('%s: grad and train refuse it with explain\'s NotationError, before printing anything; Model.create still ignores it', async (field, notation) => {
    const spec = { ...structuredClone(spec221), notation } as NetworkSpec;
    const expected = await caught(() => explainer(spec));
    expect(expected).toMatchObject({ name: 'NotationError', code: 'NOTATION', field });
    const printed: string[] = [];
    const write = (line: string) => void printed.push(line);
    expect(await caught(() => runGrad(spec, 'cpu', true, write))).toEqual(expected);
    expect(await caught(() => runTrain(spec, { json: true, epochs: '1' }, write, write))).toEqual(expected);
    expect(printed).toEqual([]);
    // The engine does not look inside notation (README, the spec's keys): the lab and Model.create are as before.
    const model = await Model.create(spec, { backend: 'cpu' });
    expect(Number.isFinite((await model.grad()).loss)).toBe(true);
    model.dispose();
  });

  it('backprop grad on such a spec: one error line, exit 2 (it printed the gradients, exit 0)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-notation-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ ...spec221, notation: { convention: 'xx' } }));
      const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin/backprop.js'), 'grad', file], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('error [NOTATION] notation.convention: must be flat, to-from or from-to, got "xx"\n');
      expect(r.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a name given twice: both halves of the message number layers and units from 1 (review cli item 13)', () => {
  const net = validateSpec(spec221).net;
  const message = (notation: unknown): string => {
    try {
      new Naming(net, notation);
    } catch (err) {
      return (err as Error).message;
    }
    return 'nothing thrown';
  };

  it('z of unit 2 of layer 1 named as unit 1 of layer 1 is; inputs and targets are counted from 1, parameters at their 0-based place', () => {
    expect(message({ z: [['a', 'a'], ['q']] })).toBe("notation: the name 'a' (z of unit 2 of layer 1) is also the name of z of unit 1 of layer 1; every name must be unique");
    expect(message({ a: [['p', 'q'], ['p']] })).toBe("notation: the name 'p' (a of unit 1 of layer 2) is also the name of a of unit 1 of layer 1; every name must be unique");
    expect(message({ inputs: ['p', 'q'], targets: ['q'] })).toBe("notation: the name 'q' (target 1) is also the name of input 2; every name must be unique");
    expect(message({ params: { x2: 'W[1][0][1]' } })).toBe("notation: the name 'x2' (parameter W[1][0][1]) is also the name of input 2; every name must be unique");
  });

  it('a name of the wrong kind says what it names in the same words', () => {
    const n = new Naming(net, spec221.notation);
    expect(() => n.resolve("x2'", 'p')).toThrow("p: 'x2'': only a parameter has an updated value (x2 is input 2)");
    expect(() => n.resolve('∂L/∂y', 'p')).toThrow("p: '∂L/∂y': the denominator must be a parameter, an input or a z or a of a unit, not target 1");
    expect(() => n.resolve('∂w5/∂z_h1', 'p')).toThrow("p: '∂w5/∂z_h1': the numerator must be the loss or a z or a of a unit, not parameter W[1][0][0]");
  });
});

// 2-3-2: W¹ 3 × 2, b¹ per-unit (3); W² 2 × 3, b² shared (1).
const namedNet = validateNet({
  inputs: 2, loss: 'mse',
  layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'identity', bias: 'shared' }],
});

describe('Naming.param: only a parameter of the net has a name (review mutants4)', () => {
  it.each<[string, ParamId]>([
    ['row = units', { kind: 'W', layer: 0, row: 3, col: 0 }],
    ['col = fanIn', { kind: 'W', layer: 0, row: 0, col: 2 }],
    ['row −1', { kind: 'W', layer: 0, row: -1, col: 0 }],
    ['col −1', { kind: 'W', layer: 1, row: 0, col: -1 }],
    ['row 0.5', { kind: 'W', layer: 0, row: 0.5, col: 0 }],
    ['col 1.5', { kind: 'W', layer: 1, row: 0, col: 1.5 }],
    ['b index = bias count (per-unit)', { kind: 'b', layer: 0, index: 3 }],
    ['b index 1 of a shared bias', { kind: 'b', layer: 1, index: 1 }],
    ['b index −1', { kind: 'b', layer: 0, index: -1 }],
    ['b index 0.5', { kind: 'b', layer: 0, index: 0.5 }],
  ])('%s: NotationError naming param', (_, p) => {
    for (const convention of ['flat', 'to-from', 'from-to'] as const) {
      expect(() => new Naming(namedNet, undefined, convention).param(p), convention).toThrow(expect.objectContaining({ name: 'NotationError', field: 'param' }));
    }
  });

  it('every parameter in range has a name', () => {
    const n = new Naming(namedNet, undefined);
    for (const p of n.params()) expect(() => n.param(p)).not.toThrow();
    expect(n.params()).toHaveLength(3 * 2 + 3 + 2 * 3 + 1);
  });
});

describe('the lazy index: a lookup that can be answered without indexing every name does not (review mutants4)', () => {
  const indexAll = () => vi.spyOn(Naming.prototype as unknown as { indexAll(): void }, 'indexAll');
  afterEach(() => vi.restoreAllMocks());

  it("a name param() handed out resolves from the cache, an earlier one too; an input's name from the first index", () => {
    const spy = indexAll();
    const n = new Naming(namedNet, undefined);
    const first = n.param({ kind: 'W', layer: 0, row: 1, col: 0 });
    n.param({ kind: 'W', layer: 1, row: 0, col: 2 });
    expect(n.resolveParam(symText(first), 't')).toEqual({ kind: 'W', layer: 0, row: 1, col: 0 });
    expect(n.resolve('x1', 't')).toEqual({ kind: 'node', node: { kind: 'x', index: 0 } });
    expect(spy).not.toHaveBeenCalled();
  });

  it('every name is indexed once, however many lookups need it', () => {
    const spy = indexAll();
    const n = new Naming(namedNet, undefined);
    expect(() => n.resolve('nosuchname', 't')).toThrow();
    expect(() => n.resolve('nosuchname2', 't')).toThrow();
    expect(n.resolve('z_h1', 't')).toMatchObject({ kind: 'node' });
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('parser, engine and naming edges (review mutn)', () => {
  const ev = (src: string): number => evalExpr(parseExpr(src, 'f'), () => NaN);

  it('+ and − associate to the left; a power takes a signed exponent; a sign applies to a power (−2² is −4)', () => {
    expect(ev('1 − 2 + 3')).toBe(2); // (1 − 2) + 3, not 1 − (2 + 3) = −4
    expect(ev('10 − 4 − 3')).toBe(3); // (10 − 4) − 3, not 10 − (4 − 3) = 9
    expect(ev('2^−1')).toBe(0.5);
    expect(ev('−2^2')).toBe(-4); // −(2²), as in mathematics
    expect(ev('− −3')).toBe(3);
    expect(ev('2 (3)^2')).toBe(18); // juxtaposition takes a power: 2·(3²)
    expect(ev('6 ÷ 3')).toBe(2);
    expect(ev('exp 0')).toBe(1); // a function applied to the number that follows, as to a name ("log ŷ")
  });

  it("σ', tanh' and relu' in a formula are the derivatives (float64 from the definitions; relu'(0) = 0 as the engine's)", () => {
    expect(ev("σ'(0)")).toBe(0.25); // σ(0) = ½: ½·(1 − ½)
    const s2 = Math.exp(-2) / (1 + Math.exp(-2)) ** 2; // σ'(z) = e^−z/(1 + e^−z)²
    expect(Math.abs(ev("σ'(2)") - s2)).toBeLessThan(1e-15);
    const sech2 = 4 / (Math.exp(0.5) + Math.exp(-0.5)) ** 2; // tanh' = sech² = 4/(eᶻ + e⁻ᶻ)²
    expect(Math.abs(ev("tanh'(0.5)") - sech2)).toBeLessThan(1e-15);
    expect([ev("relu'(0)"), ev("relu'(1e-300)"), ev("relu'(−1)")]).toEqual([0, 1, 0]);
  });

  // 1-1 sigmoid, BCE: z = w·x + b = 1·40 + 0 = 40, y = 0; σ(40) rounds to 1 in float64.
  const saturated: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', params: { W: [[[1]]], b: [[0]] }, x: [[40]], y: [[0]] };
  const valueOf = (spec: NetworkSpec, name: string): number => {
    const e = new ScalarEngine(spec);
    return e.value(new Naming(e.net, spec.notation).resolve(name, 'name'));
  };

  it('a saturated sigmoid: ∂ŷ/∂z = σ(z)·σ(−z) and BCE\'s ∂L/∂ŷ = (1 − y)/σ(−z) stay finite and non-zero (scalar.ts NOTE)', () => {
    const e40 = Math.exp(-40);
    const dadz = e40 / (1 + e40) ** 2; // σ(40)·σ(−40) = e^−40/(1 + e^−40)² ≈ 4.25e-18 (1 − σ(40) is 0 in float64)
    expect(Math.abs(valueOf(saturated, '∂ŷ/∂z_out') / dadz - 1)).toBeLessThan(1e-12);
    const dLda = 1 + Math.exp(40); // (1 − 0)/σ(−40) = 1 + e⁴⁰
    expect(Math.abs(valueOf(saturated, '∂L/∂ŷ') / dLda - 1)).toBeLessThan(1e-12);
    expect(Math.abs(valueOf(saturated, '∂L/∂w1') / (40 / (1 + e40)) - 1)).toBeLessThan(1e-12); // (ŷ − y)·x = σ(40)·40
  });

  it("relu'(0) = 0 in the engine, as on the CPU backend (src/cpu/kernels.ts)", async () => {
    // z_h1 = 1·0 + 0 = 0; ŷ = 2·relu(0) + 0 = 0, δ_out = ŷ − y = −1; ∂L/∂b1 = δ_out·w2·relu'(0)·1 = 0 (relu'(0) = 1: −2)
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'relu' }, { units: 1, activation: 'identity' }], loss: 'mse',
      params: { W: [[[1]], [[2]]], b: [[0], [0]] }, x: [[0]], y: [[1]],
    };
    expect(valueOf(spec, '∂a_h1/∂z_h1')).toBe(0);
    expect(valueOf(spec, '∂L/∂b1')).toBe(0);
    expect((await cpuRun(spec)).db[0][0]).toBe(0);
  });

  it('trainable parameters of the 2-2-1 lecture: w1 … w6, one shared b1, b2 = 8', () => {
    expect(valueOf(spec221, 'trainable parameters')).toBe(8);
  });

  it('a shared bias of a one-unit layer has one unit to part at: its paths are grouped "via" the layer above', () => {
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid', bias: 'shared' }, { units: 2, activation: 'sigmoid' }], loss: 'mse',
      params: { W: [[[0.5]], [[0.1], [0.2]]], b: [0.3, [0, 0]] }, x: [[1]], y: [[0, 1]],
    };
    const words = new ScalarEngine(spec).expand(lossWrt(B(0, 0))).examples[0].groups.map((g) => g.word);
    expect(words).toEqual(['via', 'via']);
    expect(new ScalarEngine(spec221).expand(lossWrt(B(0, 0))).examples[0].groups.map((g) => g.word)).toEqual(['from', 'from']);
  });

  it('index pairs: single digits up to 9 are run together (w¹₉₁), from 10 on with a comma (w¹ 10,1)', () => {
    const net = validateNet({ inputs: 1, layers: [{ units: 10, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const n = new Naming(net, undefined, 'to-from');
    expect(symText(n.param(W(0, 8, 0)))).toBe('w¹₉₁');
    expect(symText(n.param(W(0, 9, 0)))).toMatch(/^w¹_?(10|₁₀),(1|₁)$/); // not w¹₁₀₁: unit 10 from input 1, or unit 1 from input 01
  });

  it('a name with a comma between subscripts resolves however it is spelt: w¹₁₀,₃ (as names.ts writes it), w¹_10,3, w^1_{10,3}', () => {
    const net = validateNet({ inputs: 3, layers: [{ units: 10, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const n = new Naming(net, undefined, 'to-from');
    for (const spelling of ['w¹₁₀,₃', 'w¹_10,3', 'w^1_{10,3}']) expect(n.resolveParam(spelling, 'f'), spelling).toEqual(W(0, 9, 2)); // unit 10 from input 3
  });

  it('a formula reads w¹_10,3 (as names.ts prints it) and w¹₁₀,₃ as one name each (and w¹₁₀ + ₃ is still refused)', () => {
    expect(namesIn(parseExpr('2·w¹₁₀,₃ + w¹_10,3 + w¹_{10,3}² + w¹₁₂', 'f'))).toEqual(['w¹₁₀,₃', 'w¹_10,3', 'w¹_{10,3}', 'w¹₁₂']);
    const net = validateNet({ inputs: 3, layers: [{ units: 10, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const naming = new Naming(net, undefined, 'to-from');
    for (const name of namesIn(parseExpr('w¹₁₀,₃ − w¹_10,3', 'f'))) expect(naming.resolveParam(name, 'f'), name).toEqual(W(0, 9, 2)); // unit 10 from input 3
    expect(namesIn(parseExpr('max(w¹₁₀, w¹₂₃)', 'f'))).toEqual(['w¹₁₀', 'w¹₂₃']);
    expect(() => parseExpr('w¹₁₀ + ₃', 'f')).toThrow(/subscript/);
  });

  it("to-from: a shared bias is b^l (b^l_j without j: b¹); from-to writes it b_l (b1, as its b11, b12)", () => {
    const net = validateNet({ inputs: 1, layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    expect(symText(new Naming(net, undefined, 'to-from').param(B(0, 0)))).toBe('b¹');
    expect(symText(new Naming(net, undefined, 'from-to').param(B(0, 0)))).toBe('b1');
  });

  it('notation.params: a row equal to the layer\'s units is outside the net (W[0][2][0] of a 2-unit layer)', () => {
    const net = validateNet({ inputs: 1, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    expect(() => new Naming(net, { params: { q: 'W[0][2][0]' } })).toThrow(expect.objectContaining({ field: 'notation.params.q' }));
    expect(new Naming(net, { params: { q: 'W[0][1][0]' } }).resolveParam('q', 'f')).toEqual(W(0, 1, 0));
  });

  it('groupDigits: below 10¹⁵ grouped, from 10¹⁵ on in exponent form', () => {
    expect(groupDigits(999_999_999_999_999)).toBe('999 999 999 999 999');
    expect(groupDigits(1e15)).toBe('1.00e+15');
  });

  it('hand arithmetic divides by the mean\'s N: (0.1 + 0.3)/2 = 0.2', () => {
    expect(holds([['0.1'], ['0.3']], '0.2', 2)).toBe(true);
    expect(holds([['0.1'], ['0.3']], '0.4', 2)).toBe(false);
    expect(handResult([['0.1'], ['0.3']], 4, 2)).toBe('0.2000');
  });

  it('explain expands every parameter only while paths × examples ≤ 20 000 (a 1-1 net: 2 paths per example)', () => {
    // paths per example: w (1) + b (1) = 2; 2 × 10 000 = 20 000 is expanded, 2 × 10 001 = 20 002 is not
    const oneOne = (n: number): NetworkSpec => ({
      inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1]]], b: [[0]] },
      x: Array.from({ length: n }, () => [1]), y: Array.from({ length: n }, () => [0]),
    });
    expect(explainer(oneOne(10_000)).params).toHaveLength(2);
    expect(explainer(oneOne(10_001)).params).toHaveLength(0);
    expect(explainer(oneOne(10_001)).doc([]).note).toMatch(/2 paths per example \(× 10 001 examples\)/);
  });

  it("explain rounds to the spec's notation.decimals unless decimals is given", () => {
    const spec = { ...spec221, notation: { ...spec221.notation, decimals: 2 } };
    expect(explainer(spec).doc([]).decimals).toBe(2);
    expect(explainer(spec, { decimals: 3 }).doc([]).decimals).toBe(3);
  });

  it('a file in the worked-example format without spec or claims is refused as one (ClaimError naming spec)', () => {
    expect(() => specOf({ format: WORKED_FORMAT, id: 'x' })).toThrow(expect.objectContaining({ name: 'ClaimError', field: 'spec' }));
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
