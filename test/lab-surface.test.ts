/**
 * The lab's loss surface grid (src/lab/surface-grid.ts, `lossGrid`) on the CPU: on the 2-2-1 lecture net its centre
 * is the lecture's loss, its axes are centred and symmetric, and its slopes at the centre have the signs and
 * sizes of the lecture's gradients ∂L/∂w5 = 0.0822 and ∂L/∂b1 = 0.0284 (the shared bias). The 3-D drawing
 * itself needs a browser (the lab's browser tests).
 */
import { describe, expect, it, vi } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { type SurfaceArgs, DEFAULT_RESOLUTION, axisText, fmt, heatmapTicks, lossGrid, type TickLabel } from '../src/lab/surface-grid.ts';
import { choiceOf, defaultSurfaceParams, matrixShape, nextParam, readChoice, readChoices, selectionFor, surfaceMatrices } from '../src/lab/surface-params.ts';
import { lossAt } from '../src/lab/eval.ts';
import { lecture } from '../src/lectures/index.ts';
import { CONVENTIONS, Naming, paramKey, type ParamId } from '../src/notation/names.ts';
import * as symbols from '../src/notation/symbols.ts';
import { batchFrom, validateNet, validateSpec } from '../src/spec.ts';

// The names' keys are counted (the lab's Naming of a wide net must not index every parameter): the real symKeys, spied.
vi.mock('../src/notation/symbols.ts', { spy: true });

const spec = lecture('lecture-2-2-1').worked.spec;
const valid = validateSpec(spec);
const net = valid.net;
const params = valid.params!;
const batch = batchFrom(net, spec.x, spec.y);
const naming = new Naming(net, spec.notation);
const w5 = naming.resolveParam('w5', 'test');
const w6 = naming.resolveParam('w6', 'test');
const b1 = naming.resolveParam('b1', 'test');

function args(p1: ParamId, p2: ParamId, names: [string, string], extra: Partial<SurfaceArgs> = {}): SurfaceArgs {
  return { net, params, X: batch.X, Y: batch.Y, n: batch.n, p1, p2, names, ...extra };
}

/** Central finite-difference slopes at the grid's centre along θ1 (a row) and θ2 (a column). */
function centreSlopes(g: ReturnType<typeof lossGrid>): [number, number] {
  const c = (g.res - 1) / 2;
  const at = (i1: number, i2: number) => g.values[i2 * g.res + i1];
  return [
    (at(c + 1, c) - at(c - 1, c)) / (g.axis1[c + 1] - g.axis1[c - 1]),
    (at(c, c + 1) - at(c, c - 1)) / (g.axis2[c + 1] - g.axis2[c - 1]),
  ];
}

describe('lossGrid on the 2-2-1 lecture net', () => {
  it('resolves the lecture names to the parameters the grid varies', () => {
    expect(w5).toEqual({ kind: 'W', layer: 1, row: 0, col: 0 });
    expect(w6).toEqual({ kind: 'W', layer: 1, row: 0, col: 1 });
    expect(b1).toEqual({ kind: 'b', layer: 0, index: 0 });
  });

  const g = lossGrid(args(w5, w6, ['w5', 'w6']));
  const c = (g.res - 1) / 2;

  it('is res × res (default 41) with one axis value per grid point on each side', () => {
    expect(g.res).toBe(DEFAULT_RESOLUTION);
    expect(g.values.length).toBe(g.res * g.res);
    expect(g.axis1.length).toBe(g.res);
    expect(g.axis2.length).toBe(g.res);
    expect(g.values.every(Number.isFinite)).toBe(true);
  });

  it("has the lecture's loss at its centre: L = ½(0.01 − 0.7514)² = 0.2748 (mean over 1 example)", () => {
    expect(g.current).toBeCloseTo(0.2748, 4);
    expect(g.current).toBe(lossAt(net, params, batch.X, batch.Y, batch.n));
    expect(g.values[c * g.res + c]).toBe(Math.fround(g.current));
  });

  it('centres its axes on the current θ, symmetrically, with the default half-width max(1, 2·|θ|)', () => {
    expect(g.axis1[c]).toBe(params.W[1][0]);
    expect(g.axis2[c]).toBe(params.W[1][1]);
    for (let i = 0; i < g.res; i++) {
      expect(g.axis1[i] - g.axis1[c]).toBeCloseTo(-(g.axis1[g.res - 1 - i] - g.axis1[c]), 12);
      expect(g.axis2[i] - g.axis2[c]).toBeCloseTo(-(g.axis2[g.res - 1 - i] - g.axis2[c]), 12);
      if (i > 0) expect(g.axis1[i]).toBeGreaterThan(g.axis1[i - 1]);
    }
    // w5 = 0.40 and w6 = 0.45: 2·|θ| < 1, so the half-width is 1.
    expect(g.axis1[g.res - 1] - g.axis1[0]).toBeCloseTo(2, 12);
    expect(g.axis2[g.res - 1] - g.axis2[0]).toBeCloseTo(2, 12);
  });

  it('lays values out row-major with θ1 fastest: values[i2·res + i1] = L(axis1[i1], axis2[i2])', () => {
    const p = { W: params.W.map((w) => w.slice()), b: params.b.map((b) => b.slice()) };
    p.W[1][0] = g.axis1[3];
    p.W[1][1] = g.axis2[30];
    expect(g.values[30 * g.res + 3]).toBe(Math.fround(lossAt(net, p, batch.X, batch.Y, batch.n)));
  });

  it("rises with w5 at the centre, as the lecture's ∂L/∂w5 = +0.0822 says, and with w6", () => {
    const [d5, d6] = centreSlopes(g);
    expect(d5).toBeGreaterThan(0);
    expect(d6).toBeGreaterThan(0);
    // Loss rises monotonically along w5 over the neighbourhood of the centre.
    for (let i = c - 3; i < c + 3; i++) expect(g.values[c * g.res + i + 1]).toBeGreaterThan(g.values[c * g.res + i]);
    // A narrow grid gives the slope itself: the lecture's 0.0822 (∂L/∂w6 = 0.7414 × 0.1868 × a_h2 = 0.0827).
    const [n5, n6] = centreSlopes(lossGrid(args(w5, w6, ['w5', 'w6'], { radius: 1e-2, resolution: 3 })));
    expect(n5).toBeCloseTo(0.0822, 3);
    expect(n6).toBeCloseTo(0.0827, 3);
  });

  it('varies a bias id: the shared b1, slope ∂L/∂b1 = 0.0134 + 0.0150 = 0.0284 (both paths)', () => {
    const gb = lossGrid(args(b1, w5, ['b1', 'w5'], { radius: 1e-2, resolution: 5 }));
    const cb = (gb.res - 1) / 2;
    expect(gb.axis1[cb]).toBe(params.b[0][0]);
    expect(gb.values[cb * gb.res + cb]).toBe(Math.fround(gb.current));
    const [db1, dw5] = centreSlopes(gb);
    expect(db1).toBeCloseTo(0.0284, 3);
    expect(dw5).toBeCloseTo(0.0822, 3);
    // Default half-width for b1 = 0.35 is 1 as well: 2·|θ| = 0.7.
    const wide = lossGrid(args(b1, w5, ['b1', 'w5']));
    expect(wide.axis1[wide.res - 1] - wide.axis1[0]).toBeCloseTo(2, 12);
  });

  it('leaves the parameters as they were', () => {
    const before = [...params.W.flatMap((w) => [...w]), ...params.b.flatMap((b) => [...b])];
    lossGrid(args(w5, b1, ['w5', 'b1'], { resolution: 7 }));
    expect([...params.W.flatMap((w) => [...w]), ...params.b.flatMap((b) => [...b])]).toEqual(before);
  });

  it('raises an even resolution by one so that the centre is a grid point; takes radius as given', () => {
    const e = lossGrid(args(w5, w6, ['w5', 'w6'], { resolution: 10, radius: 0.5 }));
    expect(e.res).toBe(11);
    expect(e.axis1[0]).toBeCloseTo(params.W[1][0] - 0.5, 6);
    expect(e.axis2[10]).toBeCloseTo(params.W[1][1] + 0.5, 6);
  });

  it('widens the default half-width to take in a training path', () => {
    const e = lossGrid(args(w5, w6, ['w5', 'w6'], { resolution: 5, path: [[-3, 0.45], [0.4, 0.45]] }));
    expect(e.axis1[0]).toBeLessThanOrEqual(-3);
    expect(e.axis2[e.res - 1] - e.axis2[0]).toBeCloseTo(2, 12);
  });

  it('rejects a parameter the net does not have, the same parameter twice and a bad resolution or radius', () => {
    expect(() => lossGrid(args({ kind: 'W', layer: 1, row: 0, col: 2 }, w6, ['w?', 'w6']))).toThrow(/W\[1\]\[0\]\[2\] is not a parameter/);
    expect(() => lossGrid(args({ kind: 'b', layer: 0, index: 1 }, w6, ['b?', 'w6']))).toThrow(/b\[0\]\[1\] is not a parameter/);
    expect(() => lossGrid(args(w5, w5, ['w5', 'w5']))).toThrow(/must differ from p1/);
    expect(() => lossGrid(args(w5, w6, ['w5', 'w6'], { resolution: 1 }))).toThrow(/resolution/);
    expect(() => lossGrid(args(w5, w6, ['w5', 'w6'], { radius: 0 }))).toThrow(/radius/);
  });
});

/** MNIST's net (the lab's preset): 784-32-10, 25 450 parameters. */
const mnist = validateNet({ inputs: 784, layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy' });

describe("the loss surface's parameter pickers (surface-params.ts)", () => {
  it('offer a menu of two entries a layer, however many parameters (MNIST: 4 for 25 450)', () => {
    expect(surfaceMatrices(mnist).map((m) => m.label)).toEqual(['W₁ (32 × 784)', 'b₁ (32)', 'W₂ (10 × 32)', 'b₂ (10)']);
    expect(surfaceMatrices(net).map((m) => m.label)).toEqual(['W₁ (2 × 2)', 'b₁ (shared)', 'W₂ (1 × 2)', 'b₂ (1)']);
  });

  it('reach every parameter: each of the lecture net\'s, and MNIST\'s last weight and last bias', () => {
    const all = new Naming(net, spec.notation).params();
    expect(all).toHaveLength(8);
    for (const p of all) expect(readChoice(net, choiceOf(p), 'surface.p1')).toEqual(p);
    expect(readChoice(mnist, { matrix: 'W:0', row: '31', col: '783' }, 'surface.p1')).toEqual({ kind: 'W', layer: 0, row: 31, col: 783 });
    expect(readChoice(mnist, { matrix: 'b:1', row: '9', col: '' }, 'surface.p2')).toEqual({ kind: 'b', layer: 1, index: 9 });
    // Walking the flat order from the first weight visits every parameter once, as Naming.params() lists them.
    const walked: string[] = [];
    for (let p: ParamId | undefined = { kind: 'W', layer: 0, row: 0, col: 0 }; p; p = nextParam(mnist, p)) walked.push(paramKey(p));
    expect(walked).toEqual(new Naming(mnist, undefined).params().map(paramKey));
    expect(walked).toHaveLength(25_450);
  });

  it('default to the first two weights of the output layer: w5 and w6 in the 2-2-1 lecture, W₂[0][0] and W₂[0][1] in MNIST', () => {
    expect(defaultSurfaceParams(net)).toEqual([w5, w6]);
    expect(defaultSurfaceParams(mnist)).toEqual([{ kind: 'W', layer: 1, row: 0, col: 0 }, { kind: 'W', layer: 1, row: 0, col: 1 }]);
    // A one-output layer with one input: the next parameter is its bias.
    const thin = validateNet({ inputs: 3, layers: [{ units: 1, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
    expect(defaultSurfaceParams(thin)).toEqual([{ kind: 'W', layer: 1, row: 0, col: 0 }, { kind: 'b', layer: 0, index: 0 }]);
  });

  // The page's Draw said "BackpropError (field: surface): choose two different parameters", where every other
  // refusal of the panel is a SpecError naming its field (surface.p1.row: …).
  it('the same parameter twice is a SpecError naming surface.p2 and the parameter; two different ones are read', () => {
    expect(readChoices(mnist, { matrix: 'W:1', row: '2', col: '5' }, { matrix: 'b:0', row: '7', col: '' })).toEqual([{ kind: 'W', layer: 1, row: 2, col: 5 }, { kind: 'b', layer: 0, index: 7 }]);
    const same = () => readChoices(mnist, { matrix: 'W:1', row: '2', col: '5' }, { matrix: 'W:1', row: '2', col: '5' });
    expect(same).toThrow(SpecError);
    expect(same).toThrow(/^surface\.p2: is W₂\[2\]\[5\], the parameter surface\.p1 is too: choose two different parameters$/);
    // Each field's own refusal first, naming it.
    expect(() => readChoices(mnist, { matrix: 'W:1', row: '99', col: '0' }, { matrix: 'W:1', row: '99', col: '0' })).toThrow(/^surface\.p1\.row:/);
  });

  it('refuse a row, column or matrix outside the net with a SpecError naming the field', () => {
    const bad = (c: { matrix: string; row: string; col: string }) => () => readChoice(mnist, c, 'surface.p1');
    expect(bad({ matrix: 'W:0', row: '32', col: '0' })).toThrow(SpecError);
    expect(bad({ matrix: 'W:0', row: '32', col: '0' })).toThrow(/^surface\.p1\.row: the row of W₁ \(32 × 784\) must be a whole number 0 … 31, got '32'/);
    expect(bad({ matrix: 'W:0', row: '0', col: '784' })).toThrow(/^surface\.p1\.col: .*0 … 783/);
    expect(bad({ matrix: 'W:0', row: '1.5', col: '0' })).toThrow(/^surface\.p1\.row:/);
    expect(bad({ matrix: 'W:0', row: '', col: '0' })).toThrow(/^surface\.p1\.row:/);
    expect(bad({ matrix: 'W:0', row: '-1', col: '0' })).toThrow(/^surface\.p1\.row:/);
    expect(bad({ matrix: 'b:1', row: '10', col: '' })).toThrow(/^surface\.p1\.index: .*0 … 9/);
    expect(bad({ matrix: 'W:2', row: '0', col: '0' })).toThrow(/^surface\.p1: 'W:2' is not a weight matrix or bias vector of this net; it has W:0, b:0, W:1, b:1/);
  });

  it("say that typed text is not a number (the field's badInput, as the other fields read it), not \"got ''\"", () => {
    // The browser hands over '1e' typed in a number field as '' with validity.badInput set.
    const typed = { value: '', validity: { badInput: true } };
    expect(() => readChoice(mnist, { matrix: 'W:0', row: typed, col: '0' }, 'surface.p1')).toThrow(/^surface\.p1\.row: must be a number; what is typed there is not one \(text, or beyond ±1\.8e308\)$/);
    expect(() => readChoice(mnist, { matrix: 'W:0', row: '0', col: typed }, 'surface.p1')).toThrow(/^surface\.p1\.col: must be a number; what is typed there is not one \(text, or beyond ±1\.8e308\)$/);
    expect(() => readChoice(mnist, { matrix: 'b:1', row: typed, col: '' }, 'surface.p2')).toThrow(/^surface\.p2\.index: must be a number; what is typed there is not one \(text, or beyond ±1\.8e308\)$/);
    // An empty field is said to be empty; a field holding a number is read as before.
    expect(() => readChoice(mnist, { matrix: 'W:0', row: { value: '', validity: { badInput: false } }, col: '0' }, 'surface.p1')).toThrow(/^surface\.p1\.row: must be a number, got an empty field$/);
    expect(readChoice(mnist, { matrix: 'W:0', row: { value: '31', validity: { badInput: false } }, col: { value: '783' } }, 'surface.p1')).toEqual({ kind: 'W', layer: 0, row: 31, col: 783 });
  });
});

describe('the selected parameter on another net (selectionFor)', () => {
  const xor = validateNet({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
  const w1 = naming.resolveParam('w1', 'test');

  it("another net's shapes: its default, w5 on the 2-2-1, whatever was selected on the last net", () => {
    // W₁[0][0] of XOR's 2-4-1 exists in the 2-2-1 too (there w1), but it is not the parameter the student chose.
    const xorFirst: ParamId = { kind: 'W', layer: 0, row: 0, col: 0 };
    expect(selectionFor(xor, net, xorFirst)).toEqual(w5);
    expect(selectionFor(xor, net, { kind: 'b', layer: 0, index: 0 })).toEqual(w5);
    // The same units and fan-ins, another bias mode (the 2-2-1 without biases): another net.
    const nobias = validateSpec(lecture('lecture-2-2-1-nobias').worked.spec).net;
    expect(selectionFor(nobias, net, w1)).toEqual(w5);
    // Nothing selected yet (the page's first net): the default.
    expect(selectionFor(undefined, net, undefined)).toEqual(w5);
  });

  it('the same shapes (the same net going on, an edit of its activations, New seed): the same parameter stays selected', () => {
    expect(selectionFor(net, net, w1)).toEqual(w1);
    expect(selectionFor(net, net, b1)).toEqual(b1);
    const relu = validateNet({ ...spec, layers: spec.layers.map((l) => ({ ...l, activation: 'relu' as const })) });
    expect(selectionFor(net, relu, w6)).toEqual(w6);
  });
});

describe('Naming of a wide net (the lab names one parameter, not all of them)', () => {
  it('784-1024-10: naming and resolving a parameter indexes no other parameter (814 090 of them)', () => {
    const wide = validateNet({ inputs: 784, layers: [{ units: 1024, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
    const keys = vi.mocked(symbols.symKeys);
    keys.mockClear();
    const nm = new Naming(wide, undefined);
    const p: ParamId = { kind: 'W', layer: 0, row: 1000, col: 700 };
    const name = symbols.symText(nm.param(p));
    expect(name).toBe(`w${1000 * 784 + 700 + 1}`);
    expect(nm.resolveParam(name, 'param')).toEqual(p);
    expect(nm.resolveParam(`∂L/∂${name}`, 'param')).toEqual(p);
    expect(nm.paramCount()).toBe(814_090);
    // The loss, the learning rate, 784 inputs and 10 targets, and the one parameter named: not 814 090 parameters.
    expect(keys.mock.calls.length).toBeLessThan(1_000);
  });

  it('resolves every name as a Naming that indexed them all does, in every convention (units past 9: w¹₁₀,₃)', () => {
    const deep = validateNet({ inputs: 3, layers: [{ units: 11, activation: 'tanh' }, { units: 12, activation: 'relu', bias: 'shared' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
    for (const convention of CONVENTIONS) {
      // A notation (even an empty one) indexes every name when it is made, to refuse clashes: the reference.
      const eager = new Naming(deep, {}, convention);
      const names = [...eager.params().map((p) => symbols.symText(eager.param(p))), ...eager.known().nodes];
      expect(names.length).toBe(3 * 11 + 11 + 11 * 12 + 1 + 12 * 2 + 2 + 3 + 2 + 2 * (11 + 12 + 2));
      // Lazy: a fresh Naming per name (every 5th), so that each lookup is the first (no name handed out before).
      for (const text of names.filter((_, k) => k % 5 === 0)) expect(new Naming(deep, undefined, convention).resolve(text, 'name')).toEqual(eager.resolve(text, 'name'));
      // After handing out names: the same answers, and a name it has not handed out still resolves.
      const lazy = new Naming(deep, undefined, convention);
      for (const p of lazy.params().slice(0, 20)) lazy.param(p);
      for (const text of names) expect(lazy.resolve(text, 'name')).toEqual(eager.resolve(text, 'name'));
      expect(() => lazy.param({ kind: 'W', layer: 0, row: 11, col: 0 })).toThrow(/W\[0\]\[11\]\[0\] is not a parameter of this net/);
      expect(() => lazy.param({ kind: 'b', layer: 1, index: 1 })).toThrow(/b\[1\]\[1\] is not a parameter of this net/);
    }
  });
});

describe('surface params (review mutants4)', () => {
  const net = validateNet({ inputs: 2, loss: 'mse', layers: [{ units: 3, activation: 'tanh', bias: 'none' }, { units: 2, activation: 'identity', bias: 'shared' }] });

  it('a shared bias is one value: index 0 only', () => {
    expect(matrixShape(net, 'b:1')).toEqual({ rows: 1, cols: 0 });
    expect(readChoice(net, { matrix: 'b:1', row: '0', col: '' }, 'surface.p1')).toEqual({ kind: 'b', layer: 1, index: 0 });
    expect(() => readChoice(net, { matrix: 'b:1', row: '1', col: '' }, 'surface.p1')).toThrow(expect.objectContaining({ name: 'SpecError', field: 'surface.p1.index' }));
  });

  it('a layer without a bias has no bias vector: the choice b:0 is refused naming the field, not its index', () => {
    expect(surfaceMatrices(net).map((m) => m.value)).toEqual(['W:0', 'W:1', 'b:1']);
    expect(matrixShape(net, 'b:0')).toBeUndefined();
    expect(() => readChoice(net, { matrix: 'b:0', row: '0', col: '' }, 'surface.p2')).toThrow(expect.objectContaining({ name: 'SpecError', field: 'surface.p2' }));
  });
});

describe("the surface's numbers (fmt, axisText)", () => {
  it('writes a negative number with the text minus sign (−), as the rest of the page: it read "w17 ∈ [-2.247, 0.749]"', () => {
    expect(axisText('w17', [-2.247, -0.749, 0.749])).toBe('w17 ∈ [−2.247, 0.749]');
    expect([fmt(-8.373), fmt(2.791), fmt(-0.0000015), fmt(0.0000015), fmt(-123456), fmt(0)]).toEqual(['−8.373', '2.791', '−1.50e-6', '1.50e-6', '−1.23e+5', '0']);
  });
});

describe("the heatmap's tick values (heatmapTicks)", () => {
  /** A label's box on the canvas: 12 px system-ui, at most 7.5 px a character (digits and − are ~6.7), 12 px tall. */
  const rect = (t: TickLabel) => {
    const w = 7.5 * t.text.length;
    const h = 12;
    const left = t.align === 'left' ? t.x : t.align === 'center' ? t.x - w / 2 : t.x - w;
    const top = t.baseline === 'top' ? t.y : t.baseline === 'middle' ? t.y - h / 2 : t.y - h;
    return { left, top, right: left + w, bottom: top + h };
  };
  /** How far apart two boxes lie: the larger of the horizontal and vertical gaps (negative when they overlap). */
  const gap = (a: ReturnType<typeof rect>, b: ReturnType<typeof rect>) => Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom);

  it('the two in the bottom-left corner lie at least 4 px apart (θ1\'s −8.373 and θ2\'s −2.247 nearly touched)', () => {
    const box = { left: 76, top: 12, width: 300, height: 240 };
    const ticks = heatmapTicks(box, ['−8.373', '−2.791', '2.791'], ['−2.247', '−0.749', '0.749']);
    expect(ticks.map((t) => t.text)).toEqual(['−8.373', '−2.791', '2.791', '−2.247', '−0.749', '0.749']);
    expect(gap(rect(ticks[0]), rect(ticks[3]))).toBeGreaterThanOrEqual(4);
    // No two labels meet, and each stays by its end of the axis: θ1's within the box's width, θ2's within its height.
    for (let i = 0; i < ticks.length; i++) for (let j = i + 1; j < ticks.length; j++) expect(gap(rect(ticks[i]), rect(ticks[j])), `${ticks[i].text} / ${ticks[j].text}`).toBeGreaterThan(0);
    for (const t of ticks.slice(0, 3)) expect([rect(t).left >= box.left, rect(t).right <= box.left + box.width], t.text).toEqual([true, true]);
    for (const t of ticks.slice(3)) expect([rect(t).top >= box.top, rect(t).bottom <= box.top + box.height], t.text).toEqual([true, true]);
  });
});
