/**
 * The Notation tab's finite-difference check (src/lab/numeric-check.ts), its pure part in Node, as the panel wires it
 * (explain-panel.ts explanationModel's `numeric`). Expected slopes are worked by hand here from the 2-2-1 lecture's
 * numbers (x = (0.05, 0.10), y = 0.01, w1…w6 = 0.15 … 0.45, b1 = 0.35 shared, b2 = 0.60, sigmoid, ½(y − ŷ)²): the net
 * of Matt Mazur's "A Step by Step Backpropagation Example", whose published ∂E/∂w5 is 0.082167041.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { explanationModel } from '../src/lab/explain-panel.ts';
import { checkEvery, decimalText, EVERY_CHUNK, EVERY_MAX, type NumericInputs, numericCheck, numericSection } from '../src/lab/numeric-check.ts';
import { lecture } from '../src/lectures/index.ts';
import { explain } from '../src/notation/explain.ts';
import { type ParamId, paramPlace } from '../src/notation/names.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { B, cpuRun, s232, W } from './lib/explain-nets.ts';
import { FakeElement } from './lib/fake-dom.ts';

const spec221 = lecture('lecture-2-2-1').worked.spec;

// The lecture's forward pass and the chain rule by hand (float64).
const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const aH1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
const aH2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
const yHat = sig(0.4 * aH1 + 0.45 * aH2 + 0.6);
const dOut = (yHat - 0.01) * yHat * (1 - yHat); // ∂L/∂z_out
const hand = {
  w5: dOut * aH1,
  w6: dOut * aH2,
  b2: dOut,
  w1: dOut * 0.4 * aH1 * (1 - aH1) * 0.05,
  b1: dOut * (0.4 * aH1 * (1 - aH1) + 0.45 * aH2 * (1 - aH2)),
};

const inputs = (spec: NetworkSpec, param: ParamId, run?: Awaited<ReturnType<typeof cpuRun>>): NumericInputs => {
  const m = explanationModel({ spec, param, run });
  if (!m.numeric) throw new Error(JSON.stringify(m));
  return m.numeric;
};
const check = (i: NumericInputs) => {
  const c = numericCheck(i);
  if ('error' in c) throw new Error(c.error);
  return c;
};

describe('the Notation tab\'s finite-difference check', () => {
  it('w5 of the 2-2-1: the measured slope is the hand-worked ∂L/∂w5 (Mazur: 0.082167041), agreeing with backprop in words', async () => {
    expect(hand.w5).toBeCloseTo(0.082167041, 9);
    const c = check(inputs(spec221, W(1, 0, 0), await cpuRun(spec221)));
    expect(Math.abs(c.numeric - hand.w5)).toBeLessThanOrEqual(1e-9);
    expect(c.status).toBe('ok');
    expect(c.relErr).toBeLessThan(1e-9);
    expect(c.words).toMatch(/^The slope of the loss measured by nudging w5 by ±0\.00001 agrees with backprop to \d\.\de-\d+ ✓ \(measured 0\.0821670\d+, chain rule 0\.0821670\d+\)\.$/);
    // The backend's float32 entry, as the matrix form shows it: within float32 rounding (~1e-7), not to 1e-11.
    expect(c.backend).toMatch(/^cpu's dW₂\[0\]\[0\] \(float32\), 0\.08216\d+, agrees with the measured slope to \d\.\de-\d+ ✓\.$/);
  });

  it('the formula line is explain --numeric\'s, word for word', () => {
    const c = check(inputs(spec221, W(1, 0, 0)));
    const cli = explain(spec221, { param: 'w5', numeric: {} }, [], 'text').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('numeric, float64:'));
    expect(cli).toHaveLength(1);
    expect(c.line).toBe(cli[0]);
    expect(c.line).toMatch(/^numeric, float64: ∂L\/∂w5 ≈ \(L\(w5 \+ h\) − L\(w5 − h\)\) \/ 2h = 0\.08216704\d* \(h = 1e-5\); relative error to the scalar total \d\.\de-\d+ ✓$/);
    expect(c.backend).toBeUndefined(); // before Backward: no backend entry
  });

  it('each parameter gets its own slope (the panel\'s wiring: the parameter shown, not another)', async () => {
    const run = await cpuRun(spec221);
    for (const [p, v] of [[W(1, 0, 1), hand.w6], [B(1, 0), hand.b2], [W(0, 0, 0), hand.w1], [B(0, 0), hand.b1]] as const) {
      const i = inputs(spec221, p, run);
      expect(i.param).toEqual(p);
      const c = check(i);
      expect(Math.abs(c.numeric - v), JSON.stringify(p)).toBeLessThanOrEqual(1e-9);
      expect(c.status).toBe('ok');
    }
  });

  it('a chain rule that is wrong is ✗ in words; the check measures, it does not copy', () => {
    const i = inputs(spec221, W(1, 0, 0));
    const c = check({ ...i, total: i.total * 1.01 });
    expect(c.status).toBe('bad');
    expect(c.words).toMatch(/^The slope of the loss measured by nudging w5 by ±0\.00001, 0\.0821670\d+, differs from backprop's 0\.0829\d+: relative error 9\.9e-3, more than 1e-4 ✗\.$/);
  });

  it('a relu kink: said in words, not judged (z = 0 exactly: the two sides\' slopes 1 and 0)', () => {
    // z = W·x + b = 1·0 + 0 = 0; L = ½(a − y)² with y = −1: at b + h, a = h, L = ½(1 + h)²; at b − h, a = 0, L = ½.
    const kink: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'relu' }, { units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1]], [[1]]], b: [[0], [0]] }, x: [[0]], y: [[-1]] };
    const c = check(inputs(kink, B(0, 0)));
    const h = 1e-5;
    expect(Math.abs(c.numeric - (0.5 * (1 + h) ** 2 - 0.5) / (2 * h))).toBeLessThanOrEqual(1e-9);
    expect(c.status).toBe('kink'); // the chain rule's total is 0 (relu′(0) = 0): ✗ if judged
    expect(c.words).toMatch(/^Not compared: nudging \S+ by ±0\.00001 moves \S+ \(example 1\) across 0, where relu bends\. The loss has a corner there/);
    expect(c.line).toContain('kink:');
  });

  it('h in words: 0.00001', () => {
    expect(decimalText(1e-5)).toBe('0.00001');
    expect(decimalText(0.25)).toBe('0.25');
  });
});

describe('check every parameter (small nets, after Backward)', () => {
  it('the 2-2-1: 8 entries against cpu\'s dW and db, the worst relative error named in the caption', async () => {
    const run = await cpuRun(spec221);
    const r = await checkEvery(inputs(spec221, W(1, 0, 0), run), () => true, () => Promise.resolve());
    if (!r) throw new Error('stopped');
    expect(r.rows.map((x) => x.name)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2']);
    expect(r.rows.every((x) => x.status === 'ok')).toBe(true);
    expect(Math.abs(r.rows[4].numeric - hand.w5)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.rows[7].numeric - hand.b2)).toBeLessThanOrEqual(1e-9);
    // The analytic column is the backend's (float32) dW and db, in the engine's layout.
    expect(r.rows[4].analytic).toBe(run.dW[1][0]);
    expect(r.rows[6].analytic).toBe(run.db[0][0]);
    const worst = Math.max(...r.rows.map((x) => x.relErr));
    expect(r.worst?.relErr).toBe(worst);
    expect(r.caption).toBe(`Every parameter's slope measured by nudging it by ±0.00001, against cpu's dW and db (float32): worst relative error ${worst.toExponential(1)} at ${r.worst!.name} (${paramPlace(validateNet(spec221), r.worst!.param)}) ✓.`);
  });

  it(`works ${EVERY_CHUNK} entries between pauses, stops when asked, and refuses without a run or past ${EVERY_MAX} entries`, async () => {
    const run = await cpuRun(s232);
    const seen: number[] = [];
    let pauses = 0;
    const r = await checkEvery(inputs(s232, W(0, 0, 0), run), (done, total) => { seen.push(done, total); return true; }, () => { pauses++; return Promise.resolve(); });
    expect(seen).toEqual([16, 17, 17, 17]); // 2·3 + 3·2 weights, 3 + 2 biases
    expect(pauses).toBe(1);
    expect(r?.rows.filter((x) => x.status === 'ok')).toHaveLength(17);
    expect(await checkEvery(inputs(s232, W(0, 0, 0), run), () => false, () => Promise.resolve())).toBeUndefined();
    await expect(checkEvery(inputs(s232, W(0, 0, 0)), () => true, () => Promise.resolve())).rejects.toThrow('Run Backward first');
    const wide: NetworkSpec = { inputs: 40, layers: [{ units: 8, activation: 'tanh' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, x: [Array.from({ length: 40 }, () => 0.1)], y: [Array.from({ length: 8 }, () => 0)] };
    await expect(checkEvery({ ...inputs(wide, W(0, 0, 0)), run }, () => true, () => Promise.resolve())).rejects.toThrow('328 parameters');
  });
});

describe('the section in the page (a stand-in DOM: test/lib/fake-dom.ts)', () => {
  class El extends FakeElement {
    readonly isConnected = true;
  }
  afterEach(() => { vi.unstubAllGlobals(); });
  const text = (e: FakeElement): string => [e.textContent ?? '', ...e.children.map(text)].join(' ');
  const button = (sec: FakeElement, label: string): FakeElement | undefined => sec.children.find((c) => c.className === 'explain-numeric-bar')?.children.find((c) => c.textContent === label);

  it('a labelled button fills a status region with the words and the CLI\'s line; Check every parameter after Backward gives the table', async () => {
    vi.stubGlobal('document', { createElement: (tag: string) => new El(tag) });
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
    const run = await cpuRun(spec221);
    const i = inputs(spec221, W(1, 0, 0), run);
    const sec = numericSection(i) as unknown as FakeElement;
    expect(sec.tagName).toBe('section');
    expect(sec.children[0].tagName).toBe('h3');
    const one = button(sec, 'Check by finite differences')!;
    expect(one.tagName).toBe('button');
    const hint = sec.byId(one.getAttribute('aria-describedby')!);
    expect(hint?.textContent).toBe('Is the chain rule\'s number the slope of L? Measure it without the chain rule: nudge w5 by ±0.00001, run the net forward twice, and divide the change in L by 2h.');
    const out = sec.children.find((c) => c.getAttribute('role') === 'status')!;
    expect(out.children).toHaveLength(0); // nothing worked before the press
    one.click();
    expect(text(out)).toContain('Measuring the slope of L at w5…');
    const c = check(i);
    await vi.waitFor(() => expect(out.children.map((e) => e.className)).toEqual(['explain-numeric-words ok', 'explain-numeric-words', 'explain-numeric-line']));
    expect(out.children[0].textContent).toBe(c.words);
    expect(out.children[1].textContent).toBe(c.backend);
    expect(out.children[2].children[0].textContent).toBe(c.line);
    button(sec, 'Check every parameter')!.click();
    await vi.waitFor(() => expect(out.children[0]?.tagName).toBe('table'));
    const table = out.children[0];
    expect(table.children[0].textContent).toMatch(/^Every parameter's slope measured by nudging it by ±0\.00001, against cpu's dW and db \(float32\): worst relative error/);
    expect(table.children[1].children[0].children.map((th) => th.textContent)).toEqual(['parameter', 'place', 'backprop (cpu, float32)', 'measured (float64)', 'relative error', 'verdict']);
    const rows = table.children[2].children;
    expect(rows.map((r) => r.children[0].textContent)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2']);
    expect(rows[4].children.map((d) => d.textContent).slice(0, 2)).toEqual(['w5', 'W₂[0][0]']);
    expect(rows.every((r) => r.children[5].textContent === '✓')).toBe(true);
    // Before Backward (no run): one parameter only.
    const before = numericSection(inputs(spec221, W(1, 0, 0))) as unknown as FakeElement;
    expect(button(before, 'Check every parameter')).toBeUndefined();
  });
});
