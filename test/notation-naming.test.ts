/**
 * The scalar notation's names (src/notation/names.ts): the naming conventions, default names that clash, a name
 * given twice, which parameters have names, and the lazy index.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { explain } from '../src/notation/explain.ts';
import { Naming, type ParamId } from '../src/notation/names.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { symText } from '../src/notation/symbols.ts';
import { NotationError } from '../src/errors.ts';
import { checkWorked } from '../src/worked/check.ts';
import { parseWorked } from '../src/worked/worked.ts';
import { type NetworkSpec, validateNet, validateSpec } from '../src/spec.ts';
import { randomSpec } from './lib/notation-nets.ts';
import { B, W, bare221, lossWrt, named, spec221 } from './lib/notation-common.ts';

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
    // explain's path groups: "via a²₁" above ∂L₁/∂z²₁ · ∂z²₁/∂a¹₁ … (example 1's loss L₁), not the flat "via o1".
    const tofrom = explain(s232, { param: 'w¹₁₁', convention: 'to-from' }, [], 'text');
    expect(tofrom).toMatch(/via a²₁:\n\s+∂L₁\/∂z²₁ · ∂z²₁\/∂a¹₁/);
    expect(tofrom).not.toMatch(/via o\d/);
    const fromto = explain(s232, { param: 'w¹₁₁', convention: 'from-to' }, [], 'text');
    expect(fromto).toMatch(/via ŷ1:\n\s+∂L₁\/∂z21 · ∂z21\/∂o11/);
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
