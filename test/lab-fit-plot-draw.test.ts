/**
 * The Output's one-feature curve and ŷ-against-y plots as drawn (src/lab/fit-plot.ts drawCurve, drawParity,
 * drawFitOutput) on a recording 2-D context (test/lib/recording-context.ts). The canvas is 220 × 220 and the data are
 * picked so that the plot's scale is 10 canvas pixels a unit: every position below is worked by hand from the extents'
 * rule (fit-stats.ts: the points' and the line's range, 5 % a side) and the canvas mapping (x to the right, y up).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawCurve, drawFitOutput, drawParity, type CurveArgs } from '../src/lab/fit-plot.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';
import { FakeElement } from './lib/fake-dom.ts';
import { recording, type Call } from './lib/recording-context.ts';

/** A 220 × 220 canvas on a recording context; its attributes (aria-label) kept. */
function canvasOf(): { canvas: HTMLCanvasElement; calls: Call[]; attrs: Map<string, string> } {
  const { ctx, calls } = recording();
  const attrs = new Map<string, string>();
  const canvas = { width: 220, height: 220, getContext: () => ctx, setAttribute: (k: string, v: string) => void attrs.set(k, v) } as unknown as HTMLCanvasElement;
  return { canvas, calls, attrs };
}

/** The path calls (moveTo, lineTo) of the first stroke in `colour`: from its strokeStyle to its stroke(). */
function firstStroke(calls: Call[], colour: string): Call[] {
  const from = calls.findIndex((c) => c[0] === 'set strokeStyle' && c[1] === colour);
  expect(from).toBeGreaterThanOrEqual(0);
  const to = calls.findIndex((c, i) => i > from && c[0] === 'stroke');
  return calls.slice(from, to).filter((c) => c[0] === 'moveTo' || c[0] === 'lineTo');
}

function expectPath(path: Call[], want: [string, number, number][]): void {
  expect(path.map((c) => c[0])).toEqual(want.map((w) => w[0]));
  want.forEach(([, x, y], j) => {
    expect(path[j][1] as number).toBeCloseTo(x, 9);
    expect(path[j][2] as number).toBeCloseTo(y, 9);
  });
}

// Points (1, 0) and (21, 20); the line sampled at x = 1, 11, 21 with values 0, 10, 20. The y range 0 … 20 padded by
// 1 a side is −1 … 21; x is given as 0 … 22. On 220 px: canvas x = 10·x, canvas y = 10·(21 − y).
const base: CurveArgs = { x: [1, 21], y: [[0], [20]], xRange: [0, 22], xs: [1, 11, 21], line: [0, 10, 20], K: 1, names: ['x', 'ŷ'], outputNames: ['ŷ'] };
const VERMILION = '#D55E00';

describe('drawCurve', () => {
  it('the net\'s line: y up the canvas (y = 0 at 210 px, y = 20 at 10 px)', () => {
    const { canvas, calls } = canvasOf();
    drawCurve(canvas, base);
    expectPath(firstStroke(calls, VERMILION), [['moveTo', 10, 210], ['lineTo', 110, 110], ['lineTo', 210, 10]]);
  });

  it('a diverged sample (NaN) breaks the line: the next sample starts a new piece, no segment across the gap', () => {
    const { canvas, calls } = canvasOf();
    drawCurve(canvas, { ...base, line: [0, NaN, 20] });
    expectPath(firstStroke(calls, VERMILION), [['moveTo', 10, 210], ['moveTo', 210, 10]]);
  });

  it('the accessible name: the training rows counted (not the samples), the validation row\'s target in the y range', () => {
    const { canvas, attrs } = canvasOf();
    // A validation row at y = 40: the y range 0 … 40, padded by 2 a side: −2 … 42.
    drawCurve(canvas, { ...base, valX: [11], valY: [[40]] });
    const label = attrs.get('aria-label')!;
    expect(label).toContain('over x from 0.00 to 22.00');
    expect(label).toContain('with the 2 training rows and 1 validation rows (hollow) as points');
    expect(label).toContain('; ŷ from −2.00 to 42.00.');
  });

  it('two outputs: both lines in the y range, the second dashed as its legend swatch is', () => {
    const { canvas, calls, attrs } = canvasOf();
    // Output 2's line reaches 40: the y range 0 … 40 over the points and both lines, −2 … 42 padded.
    drawCurve(canvas, { ...base, y: [[0, 0], [20, 20]], line: [0, 10, 20, 0, 20, 40], K: 2, outputNames: ['ŷ1', 'ŷ2'] });
    expect(attrs.get('aria-label')).toContain('ŷ1, ŷ2 as 2 lines');
    expect(attrs.get('aria-label')).toContain('from −2.00 to 42.00.');
    // Output 2's dash (7, 4): on its line and on its legend row, twice.
    expect(calls.filter((c) => c[0] === 'setLineDash' && JSON.stringify(c[1]) === '[7,4]').length).toBe(2);
  });

  it('the legend goes to a corner where no point or line sample lies under it (not over the top-right point)', () => {
    const { canvas, calls } = canvasOf();
    drawCurve(canvas, base);
    const set = calls.findIndex((c) => c[0] === 'set fillStyle' && c[1] === 'rgba(255, 255, 255, 0.9)');
    const box = calls.slice(set).find((c) => c[0] === 'fillRect')!;
    const [x, y, w, h] = box.slice(1) as number[];
    for (const [px, py] of [[10, 210], [110, 110], [210, 10]]) expect(px >= x && px <= x + w && py >= y && py <= y + h).toBe(false);
  });
});

describe('drawParity', () => {
  it('the line y = x from the extent\'s low corner to its high corner', () => {
    const { canvas, calls } = canvasOf();
    // Targets 0, 20 and outputs 0, 20: −1 … 21 on both axes; canvas x = 10·(x + 1), y = 10·(21 − y).
    drawParity(canvas, { y: [[0], [20]], A: [0, 20], K: 1, outputs: 1, names: ['target y', 'output ŷ'], outputNames: ['ŷ'] });
    expectPath(firstStroke(calls, '#4b5563'), [['moveTo', 0, 220], ['lineTo', 220, 0]]);
  });
});

describe('drawFitOutput: the work limit, the thinning note, several outputs', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** The page's elements on the stand-in DOM; the canvas has no layout (fitCanvas: 1 px a CSS px). */
  function page(): { canvas: FakeElement; out: FakeElement; calls: Call[]; attrs: Map<string, string> } {
    const { ctx, calls } = recording();
    const canvas = new FakeElement('canvas');
    const attrs = canvas.attributes;
    Object.assign(canvas, { width: 220, height: 220, getContext: () => ctx, getBoundingClientRect: () => ({ width: 0, height: 0 }) });
    const out = new FakeElement('p');
    const els = new Map<string, FakeElement>([['fit-plot', canvas], ['fit-out', out], ['predictions', new FakeElement('div')]]);
    vi.stubGlobal('document', { getElementById: (id: string) => els.get(id) ?? null, createElement: (tag: string) => new FakeElement(tag) });
    return { canvas, out, calls, attrs };
  }

  /** A session of `spec` on rows x, y (no validation rows). */
  function draw(spec: Parameters<typeof validateSpec>[0], x: number[][], y: number[][]): void {
    const v = validateSpec(spec);
    const s = { net: v.net, params: v.params!, lab: { x, y } };
    drawFitOutput(s as never, {} as never, new Naming(v.net, undefined), undefined);
  }

  // 1-H-1 net: forwardWork = H·(1 + 16) + 1·(H + 16) = 18·H + 16 (boundary.ts UNIT_WORK 16). H = 10 000: 180 016 a
  // row. 1 500 rows: 2.70e8 ≤ 3e8 (BOUNDARY_WORK); with the line's 241 samples, 1 741 passes: 3.13e8 > 3e8.
  const H = 10_000;
  const wide = { inputs: 1, loss: 'mse', layers: [{ units: H, activation: 'relu' }, { units: 1, activation: 'linear' }], params: { W: [Array.from({ length: H }, () => [0]), [Array.from({ length: H }, () => 0)]], b: [Array.from({ length: H }, () => 0), [0]] } } as const;

  it('past the work limit, the line\'s samples counted: not plotted, the canvas hidden, said why', () => {
    const { canvas, out } = page();
    const rows = Array.from({ length: 1500 }, (_, c) => [c]);
    draw(wide as never, rows, rows.map(() => [0]));
    expect(canvas.hidden).toBe(true);
    expect(out.textContent).toMatch(/^Not plotted: a forward pass for each of the 1 500 rows/);
  });

  // A 1-1 identity net (w = 1, b = 0) on n rows x = c, y = c: a perfect fit.
  const identity = { inputs: 1, loss: 'mse', layers: [{ units: 1, activation: 'linear' }], params: { W: [[[1]]], b: [[0]] } } as const;

  it.each([[2000, false], [2001, true]])('%i rows: the note on thinned points only past 2 000 rows (%s)', (n, note) => {
    const { out } = page();
    const rows = Array.from({ length: n }, (_, c) => [c]);
    draw(identity as never, rows, rows);
    expect(out.textContent!.includes('The points: at most 2 000 of the training rows')).toBe(note);
  });

  it('8 outputs, 7 drawn: every drawn line over its own samples in the y range; the scores said pooled over the 8', () => {
    const { out, attrs } = page();
    // Output k = (k + 1)·x. Rows x = 0 and 2, targets 0: x over −0.1 … 2.1 (5 % a side), so the 7th drawn line (7x)
    // runs −0.7 … 14.7; with the targets 0: −0.7 … 14.7, padded by 0.77: −1.47 … 15.47.
    const K = 8;
    const spec = { inputs: 1, loss: 'mse', layers: [{ units: K, activation: 'linear' }], params: { W: [Array.from({ length: K }, (_, k) => [k + 1])], b: [Array.from({ length: K }, () => 0)] } };
    draw(spec as never, [[0], [2]], [Array(K).fill(0), Array(K).fill(0)]);
    expect(attrs.get('aria-label')).toContain('ŷ6, ŷ7 as 7 lines over x1 from −0.10 to 2.10');
    expect(attrs.get('aria-label')).toMatch(/; outputs from −1\.47 to 15\.47\.$/);
    expect(out.textContent).toContain('(the first 7 of its 8 outputs; the table has them all)');
    expect(out.textContent).toContain('; each score over the 8 outputs pooled');
  });
});
