/**
 * `train --plot`'s SVG (src/cli/plot.ts): well-formed XML, every drawn point where the layout its module comment
 * documents puts it — the mapping written here from those numbers (plot area x 72 … 696, 240 high, the loss panel
 * from y = 80, the accuracy panel from y = 400; the loss axis the finite losses' [min, max] widened by 5 % of the span,
 * log10 past a decade, then to its next ticks; accuracy −4 … 104 %), not by calling the module's own scales.
 */
import { describe, expect, it } from 'vitest';
import { compact, learningCurvesSvg, plotTitle, type PlotEpoch } from '../src/cli/plot.ts';

/**
 * A minimal XML well-formedness check: an optional declaration, then elements whose tags balance, attributes quoted,
 * no raw '<' or bare '&' (only &name; / &#n;) in text or attribute values, one root. Returns the problem, or ''.
 */
function xmlProblem(doc: string): string {
  let s = doc.replace(/^<\?xml [^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const badAmp = /&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)/;
  while (s.length > 0) {
    const lt = s.indexOf('<');
    const textPart = lt < 0 ? s : s.slice(0, lt);
    if (badAmp.test(textPart)) return `bare & in text '${textPart}'`;
    if (stack.length === 0 && textPart.trim() !== '') return `text outside the root: '${textPart}'`;
    if (lt < 0) break;
    s = s.slice(lt);
    const close = /^<\/([A-Za-z][\w:.-]*)\s*>/.exec(s);
    if (close) {
      if (stack.pop() !== close[1]) return `</${close[1]}> closes nothing open`;
      s = s.slice(close[0].length);
      continue;
    }
    const open = /^<([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(s);
    if (!open) return `not a tag: '${s.slice(0, 40)}'`;
    for (const m of open[2].matchAll(/=\s*("[^"]*"|'[^']*')/g)) if (badAmp.test(m[1])) return `bare & in attribute ${m[1]}`;
    const names = [...open[2].matchAll(/([A-Za-z_:][\w:.-]*)\s*=/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) return `an attribute twice in <${open[1]}>`;
    if (stack.length === 0 && ++roots > 1) return 'more than one root';
    if (open[3] !== '/') stack.push(open[1]);
    s = s.slice(open[0].length);
  }
  return stack.length ? `<${stack.join('>, <')}> not closed` : roots === 1 ? '' : 'no root';
}

/** Every drawn run of a series: a polyline's points, or a circle's one point, in document order. */
function runs(svg: string, series: string): [number, number][][] {
  const out: [number, number][][] = [];
  for (const m of svg.matchAll(/<(polyline|circle) data-series="(\w+)" ([^>]*)>/g)) {
    if (m[2] !== series) continue;
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[3])![1];
    out.push(m[1] === 'circle' ? [[Number(attr('cx')), Number(attr('cy'))]] : attr('points').split(' ').map((p) => p.split(',').map(Number) as [number, number]));
  }
  return out;
}

/** The documented mapping, written from the layout's numbers. */
const X0 = 72;
const PLOT_W = 624;
const H = 240;
const LOSS_TOP = 80;
const ACC_TOP = 400;
function xOf(epoch: number, first: number, last: number): number {
  return last === first ? X0 + PLOT_W / 2 : X0 + (PLOT_W * (epoch - first)) / (last - first);
}
/**
 * The loss axis: [min, max] of the finite losses, widened by 5 % of the span; past a decade `log`, the axis's ends as
 * losses, [bottom, top] — the ticks next beyond the widened span, worked out by hand in each test.
 */
function lossY(v: number, finite: number[], log?: [number, number]): number {
  if (log) return LOSS_TOP + (H * (Math.log10(log[1]) - Math.log10(v))) / (Math.log10(log[1]) - Math.log10(log[0]));
  const a = Math.min(...finite);
  const b = Math.max(...finite);
  const lo = a - 0.05 * (b - a);
  const hi = b + 0.05 * (b - a);
  return LOSS_TOP + (H * (hi - v)) / (hi - lo);
}
const accY = (a: number): number => ACC_TOP + (H * (104 - 100 * a)) / 108;

function expectPoints(got: [number, number][][], want: [number, number][][]): void {
  expect(got.map((r) => r.length)).toEqual(want.map((r) => r.length));
  // The SVG's coordinates have 2 decimals: within 0.005 px.
  got.forEach((r, i) => r.forEach(([x, y], j) => {
    expect(Math.abs(x - want[i][j][0]), `run ${i} point ${j} x`).toBeLessThanOrEqual(0.0051);
    expect(Math.abs(y - want[i][j][1]), `run ${i} point ${j} y`).toBeLessThanOrEqual(0.0051);
  }));
}

const TITLE = ['2-4-1 net, bce, momentum lr 0.1', 'backend: CPU (in Node)'];

describe('learningCurvesSvg', () => {
  const full: PlotEpoch[] = [
    { epoch: 1, loss: 0.9, accuracy: 0.5, valLoss: 1.0, valAccuracy: 0 },
    { epoch: 2, loss: 0.6, accuracy: 0.75, valLoss: 0.8, valAccuracy: 0.5 },
    { epoch: 3, loss: 0.45, accuracy: 1, valLoss: 0.7, valAccuracy: 1 },
  ];

  it('the well-formedness check itself refuses what is not XML', () => {
    expect(xmlProblem('<a><b></a></b>')).not.toBe('');
    expect(xmlProblem('<a x="1 < 2"/>')).not.toBe('');
    expect(xmlProblem('<a>x & y</a>')).not.toBe('');
    expect(xmlProblem('<a>x</a><b/>')).not.toBe('');
    expect(xmlProblem('<a x="1" x="2"/>')).not.toBe('');
    expect(xmlProblem('<a><b/>')).not.toBe('');
    expect(xmlProblem('<?xml version="1.0"?>\n<a b="&amp;">&lt;&#39;</a>\n')).toBe('');
  });

  it('every series where the layout puts it: x by epoch, loss on a linear axis (max / min = 1/0.45 ≈ 2.2), accuracy in %', () => {
    const svg = learningCurvesSvg(full, TITLE);
    expect(xmlProblem(svg)).toBe('');
    expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="720" height="688" /);
    const losses = [0.9, 0.6, 0.45, 1.0, 0.8, 0.7];
    const at = (key: 'loss' | 'valLoss', y: (v: number) => number) => [full.map((e) => [xOf(e.epoch, 1, 3), y(e[key]!)] as [number, number])];
    expectPoints(runs(svg, 'loss'), at('loss', (v) => lossY(v, losses)));
    expectPoints(runs(svg, 'valLoss'), at('valLoss', (v) => lossY(v, losses)));
    // By hand: the axis is 0.45 − 0.0275 … 1 + 0.0275 (span 0.605); epoch 1's 0.9 at 80 + 240·0.1275/0.605 = 130.58, x 72.
    expect(runs(svg, 'loss')[0][0]).toEqual([72, 130.58]);
    expectPoints(runs(svg, 'accuracy'), [full.map((e) => [xOf(e.epoch, 1, 3), accY(e.accuracy!)])]);
    expectPoints(runs(svg, 'valAccuracy'), [full.map((e) => [xOf(e.epoch, 1, 3), accY(e.valAccuracy!)])]);
    // By hand: 50 % at 400 + 240·54/108 = 520, epoch 2 at 72 + 312 = 384.
    expect(runs(svg, 'accuracy')[0][0][1]).toBe(520);
    expect(runs(svg, 'accuracy')[0][1][0]).toBe(384);
    // Validation dashed, training not; both in the legends; the axis labels.
    expect(svg).toMatch(/<polyline data-series="valLoss" [^>]*stroke-dasharray=/);
    expect(svg).not.toMatch(/<polyline data-series="loss" [^>]*stroke-dasharray=/);
    expect([...svg.matchAll(/data-legend="(\w+)">([^<]*)</g)].map((m) => [m[1], m[2]])).toEqual([
      ['loss', 'training loss'], ['valLoss', 'validation loss'], ['accuracy', 'training accuracy'], ['valAccuracy', 'validation accuracy'],
    ]);
    expect(svg).toMatch(/>loss<\/text>/);
    expect(svg).toMatch(/>accuracy %<\/text>/);
    expect(svg.match(/>epoch<\/text>/g)).toHaveLength(2);
    // The title's lines, each as given.
    expect(svg).toContain(`>${TITLE[0]}</text>`);
    expect(svg).toContain(`>${TITLE[1]}</text>`);
  });

  it('log scale past a decade: max / min = 10 is linear, 10.01 is log (the axis says so)', () => {
    const two = (a: number, b: number): PlotEpoch[] => [{ epoch: 1, loss: b }, { epoch: 2, loss: a }];
    const ten = learningCurvesSvg(two(1, 10), TITLE);
    expect(ten).toMatch(/>loss<\/text>/);
    expect(ten).not.toMatch(/log scale/);
    expectPoints(runs(ten, 'loss'), [[[72, lossY(10, [1, 10])], [696, lossY(1, [1, 10])]]]);
    const past = learningCurvesSvg(two(1, 10.01), TITLE);
    expect(past).toMatch(/>loss \(log scale\)<\/text>/);
    // By hand: log10 spans 0 … 1.000434, padded 5 %: −0.05 … 1.0505, under 3 decades, so the ticks 1, 2, 5 × 10^k:
    // widened to 0.5 … 20. 10.01 at 80 + 240·log10(20/10.01)/log10(40) = 125.03, 1 at 80 + 240·log10(20)/log10(40) = 274.9.
    expectPoints(runs(past, 'loss'), [[[72, lossY(10.01, [1, 10.01], [0.5, 20])], [696, lossY(1, [1, 10.01], [0.5, 20])]]]);
    expect(runs(past, 'loss')[0].map((p) => p[1])).toEqual([125.03, 274.9]);
    // A loss of 0 has no logarithm: linear whatever the ratio.
    expect(learningCurvesSvg(two(0, 5), TITLE)).not.toMatch(/log scale/);
    // Three decades (padded: −3.15 … 0.15): ticks at the powers of ten only, the axis 1e-4 … 10, labelled compactly,
    // each at its place on the axis.
    const wide = learningCurvesSvg(two(0.001, 1), TITLE);
    const ticks = [...wide.matchAll(/<text x="66" y="([\d.]+)" text-anchor="end"[^>]*>([^<]*)</g)].map((m) => [m[2], Number(m[1])] as const);
    expect(ticks.map((t) => t[0])).toEqual(['1e-4', '0.001', '0.01', '0.1', '1', '10']);
    for (const [label, y] of ticks) expect(Math.abs(y - 4 - lossY(Number(label), [0.001, 1], [1e-4, 10]))).toBeLessThanOrEqual(0.0051);
  });

  it('a log axis is labelled at its bottom and top: widened to the ticks next beyond the losses', () => {
    // The labels of the loss axis and their y (baseline 4 below the tick): the lowest must be the bottom's (80 + 240),
    // the highest the top's.
    const labels = (first: number, last: number) => {
      const svg = learningCurvesSvg([{ epoch: 1, loss: first }, { epoch: 2, loss: last }], TITLE);
      const got = [...svg.matchAll(/<text x="66" y="([\d.]+)" text-anchor="end"[^>]*>([^<]*)</g)].map((m) => [m[2], Number(m[1]) - 4] as const);
      expect([got[0][1], got.at(-1)![1]]).toEqual([LOSS_TOP + H, LOSS_TOP]);
      return { svg, got };
    };
    // 20 … 0.015 by hand: log10 1.301 … −1.824, padded 5 % of 3.125: −1.980 … 1.457; 3 decades or more: powers of ten,
    // so 0.01 … 100. Before: 0.1 was the lowest label, 58 px above the bottom, and the last loss below every label.
    const three = labels(20, 0.015);
    expect(three.got.map((t) => t[0])).toEqual(['0.01', '0.1', '1', '10', '100']);
    for (const [label, y] of three.got) expect(Math.abs(y - lossY(Number(label), [], [0.01, 100]))).toBeLessThanOrEqual(0.0051);
    expectPoints(runs(three.svg, 'loss'), [[[72, lossY(20, [], [0.01, 100])], [696, lossY(0.015, [], [0.01, 100])]]]);
    // 0.49 … 0.045: log10 −0.310 … −1.347, padded: −1.399 (0.0399) … −0.258 (0.552); under 3 decades 1, 2, 5 × 10^k: 0.02 … 1.
    expect(labels(0.49, 0.045).got.map((t) => t[0])).toEqual(['0.02', '0.05', '0.1', '0.2', '0.5', '1']);
    // 1e5 … 1.5e-5: log10 5 … −4.824, padded: −5.315 … 5.491, 10.8 decades: every 2nd power of ten (⌈10.8/8⌉), 1e-6 … 1e6.
    expect(labels(1e5, 1.5e-5).got.map((t) => t[0])).toEqual(['1e-6', '1e-4', '0.01', '1', '100', '10000', '1e6']);
  });

  it('validation and accuracy only where the history has them', () => {
    const svg = learningCurvesSvg([{ epoch: 1, loss: 0.3 }, { epoch: 2, loss: 0.2 }], TITLE);
    expect(xmlProblem(svg)).toBe('');
    expect(runs(svg, 'loss')).toHaveLength(1);
    for (const key of ['valLoss', 'accuracy', 'valAccuracy']) {
      expect(runs(svg, key)).toEqual([]);
      expect(svg).not.toContain(`data-legend="${key}"`);
    }
    expect(svg).not.toMatch(/accuracy/);
    // One panel: 80 + 240 + 48 high.
    expect(svg).toMatch(/ height="368" viewBox="0 0 720 368"/);
    // Accuracy without validation: the accuracy panel with its one series.
    const acc = learningCurvesSvg([{ epoch: 1, loss: 0.3, accuracy: 0.25 }, { epoch: 2, loss: 0.2, accuracy: 0.5 }], TITLE);
    expect([runs(acc, 'accuracy').length, runs(acc, 'valAccuracy').length, runs(acc, 'valLoss').length]).toEqual([1, 0, 0]);
    expectPoints(runs(acc, 'accuracy'), [[[72, accY(0.25)], [696, accY(0.5)]]]);
  });

  it('a validation curve is told from its training curve by colour as well as dash, in both panels', () => {
    const svg = learningCurvesSvg([{ epoch: 1, loss: 0.3, valLoss: 0.4, accuracy: 0.5, valAccuracy: 0.4 }, { epoch: 2, loss: 0.2, valLoss: 0.3, accuracy: 0.6, valAccuracy: 0.5 }], TITLE);
    const stroke = (key: string) => /stroke="(#[0-9a-f]{6})"/.exec(new RegExp(`<polyline data-series="${key}"[^>]*>`).exec(svg)?.[0] ?? '')?.[1];
    const [loss, valLoss, accuracy, valAccuracy] = ['loss', 'valLoss', 'accuracy', 'valAccuracy'].map(stroke);
    expect(loss).toBeDefined();
    expect(valLoss).toBeDefined();
    // Review cmut54: every curve in the training colour left only the dash to tell them apart.
    expect(valLoss).not.toBe(loss);
    expect([accuracy, valAccuracy]).toEqual([loss, valLoss]);
  });

  it('one epoch: points (circles) in the middle, no line; validation hollow', () => {
    const svg = learningCurvesSvg([{ epoch: 7, loss: 0.5, valLoss: 0.6, accuracy: 0.8, valAccuracy: 0.7 }], TITLE);
    expect(xmlProblem(svg)).toBe('');
    expect(svg).not.toContain('<polyline');
    // One value per axis: the loss axis is 0.5 … 0.6 widened by 0.005: 0.5 at 80 + 240·0.105/0.11 = 309.09.
    expectPoints(runs(svg, 'loss'), [[[384, lossY(0.5, [0.5, 0.6])]]]);
    expect(runs(svg, 'loss')[0][0][1]).toBe(309.09);
    expectPoints(runs(svg, 'valAccuracy'), [[[384, accY(0.7)]]]);
    expect(svg).toMatch(/<circle data-series="valLoss" [^>]*fill="#ffffff"/);
    expect(svg).toMatch(/<text x="384" y="338" text-anchor="middle"[^>]*>7</);
    // A flat loss (one series, one epoch): v ± v/10.
    const flat = learningCurvesSvg([{ epoch: 1, loss: 2 }], TITLE);
    expect(runs(flat, 'loss')).toEqual([[[384, 200]]]); // 80 + 240·0.2/0.4
  });

  it('escapes every text: a title with <&> and quotes stays text', () => {
    const svg = learningCurvesSvg(full, [`xor <&> "x" 'y': 2-4-1 net`, 'backend: CPU (in Node)']);
    expect(xmlProblem(svg)).toBe('');
    expect(svg).toContain('>xor &lt;&amp;&gt; &quot;x&quot; &#39;y&#39;: 2-4-1 net</text>');
    expect(svg).not.toContain('<&>');
    expect(svg).toMatch(/<title>learning curves — xor &lt;&amp;&gt; /);
  });

  it('a non-finite loss is not drawn: the line breaks there, a lone value is a point, the legend counts them', () => {
    const h: PlotEpoch[] = [
      { epoch: 1, loss: 0.5 }, { epoch: 2, loss: NaN }, { epoch: 3, loss: 0.4 }, { epoch: 4, loss: 0.3 }, { epoch: 5, loss: Infinity },
    ];
    const svg = learningCurvesSvg(h, TITLE);
    expect(xmlProblem(svg)).toBe('');
    expect(svg).not.toMatch(/NaN|Infinity/);
    const finite = [0.5, 0.4, 0.3];
    const at = (e: number, v: number): [number, number] => [xOf(e, 1, 5), lossY(v, finite)];
    expectPoints(runs(svg, 'loss'), [[at(1, 0.5)], [at(3, 0.4), at(4, 0.3)]]);
    expect(svg).toMatch(/<circle data-series="loss" /);
    expect(svg).toContain('data-legend="loss">training loss (2 not finite, not drawn)<');
    // Every loss non-finite: the axes and the legend, nothing drawn.
    const none = learningCurvesSvg([{ epoch: 1, loss: NaN }, { epoch: 2, loss: -Infinity }], TITLE);
    expect(xmlProblem(none)).toBe('');
    expect(runs(none, 'loss')).toEqual([]);
    expect(none).toContain('training loss (2 not finite, not drawn)');
  });

  it("a third title line (train's backend description) moves the panels 20 down; a long line is squeezed, not cut off", () => {
    const two = learningCurvesSvg(full, TITLE);
    const three = learningCurvesSvg(full, [...TITLE.slice(0, 1), 'backend: wasm (WebAssembly, in Node)', '(WebAssembly: f32x4 SIMD, 1 thread)']);
    expect(xmlProblem(three)).toBe('');
    expect(three).toMatch(/ height="708" /);
    for (const key of ['loss', 'valLoss', 'accuracy', 'valAccuracy']) {
      expectPoints(runs(three, key), runs(two, key).map((r) => r.map(([x, y]) => [x, y + 20] as [number, number])));
    }
    expect(three).toMatch(/<text x="72" y="64" [^>]*>\(WebAssembly: f32x4 SIMD, 1 thread\)</);
    expect(two).not.toContain('textLength');
    const long = learningCurvesSvg(full, ['n'.repeat(120), 'backend: CPU (in Node)']);
    expect(long).toMatch(/<text x="72" y="24" [^>]*textLength="640" lengthAdjust="spacingAndGlyphs">n{120}</);
  });

  it('a long run: 100 000 epochs with validation draw (a spread of 200 000 losses into Math.min overflowed the stack)', () => {
    const history: PlotEpoch[] = Array.from({ length: 100_000 }, (_, k) => ({ epoch: k + 1, loss: 1 / (k + 1), valLoss: 2 / (k + 1) }));
    const svg = learningCurvesSvg(history, ['long']);
    expect(svg).toContain('loss (log scale)'); // 1 … 1e-5 and 2 … 2e-5: five decades
  });

  it('loss tick labels never read alike: a loss that barely moves gets the digits that tell its ticks apart', () => {
    // lecture-2-2-1's spec at its lr 1e-4, two epochs (train --json): four ticks, all labelled 0.2748. By hand: the span
    // 3.37e-6 widened 5 % each side, over 6 steps is 6.2e-7, so steps of 1e-6 (1, 2, 5 × 10^k): 0.274808 … 0.274811.
    const losses = [0.2748110890388489, 0.27480772137641907];
    const svg = learningCurvesSvg(losses.map((loss, i) => ({ epoch: i + 1, loss })), TITLE);
    const ticks = [...svg.matchAll(/<text x="66" y="([\d.]+)" text-anchor="end"[^>]*>([^<]*)</g)].map((m) => [m[2], Number(m[1])] as const);
    expect(ticks.map((t) => t[0])).toEqual(['0.274808', '0.274809', '0.27481', '0.274811']);
    for (const [label, y] of ticks) expect(Math.abs(y - 4 - lossY(Number(label), losses))).toBeLessThanOrEqual(0.0051);
    // Where 4 digits tell them apart, 4 it is.
    expect(learningCurvesSvg([{ epoch: 1, loss: 0.9 }, { epoch: 2, loss: 0.45 }], TITLE)).toMatch(/>0\.5<\/text>/);
  });

  it('an empty history is refused', () => {
    expect(() => learningCurvesSvg([], TITLE)).toThrow(RangeError);
  });

  it('epoch ticks: the first and last epoch always labelled, in full, the round ones between them where 30 px (7 a digit of the last, past 4) or more from both', () => {
    // The labels under the loss panel (bottom 80 + 240 = 320, labels at 338), and their x.
    const labels = (first: number, last: number) => {
      const h: PlotEpoch[] = Array.from({ length: last - first + 1 }, (_, i) => ({ epoch: first + i, loss: 1 / (i + 1) }));
      const svg = learningCurvesSvg(h, TITLE);
      const got = [...svg.matchAll(/<text x="([\d.]+)" y="338" text-anchor="middle"[^>]*>([^<]*)</g)].map((m) => [m[2], Number(m[1])] as const);
      for (const [label, x] of got) expect(Math.abs(x - xOf(Number(label), first, last)), label).toBeLessThanOrEqual(0.0051);
      return got.map((g) => g[0]);
    };
    // 1 … 37: steps of 5 (36 / 10 = 3.6 → 5); 35 at 72 + 624·34/36 = 661.33, 34.67 px from 37's 696: kept.
    expect(labels(1, 37)).toEqual(['1', '5', '10', '15', '20', '25', '30', '35', '37']);
    // 1 … 41: 40 at 72 + 624·39/40 = 680.4, 15.6 px from 41's 696: left out; 5 at 72 + 624·4/40 = 134.4, 62.4 px from 1's.
    expect(labels(1, 41)).toEqual(['1', '5', '10', '15', '20', '25', '30', '35', '41']);
    // 1 … 11: 10 / 10 = 1 exactly, a step of 1 itself (the step is the first of 1, 2, 5 × 10^k that is ≥ the span / 10):
    // every epoch, 62.4 px apart (review cmut54: a step of 2 there labelled every other).
    expect(labels(1, 11)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    // 3 … 8: steps of 1, every epoch.
    expect(labels(3, 8)).toEqual(['3', '4', '5', '6', '7', '8']);
    expect(labels(4, 5)).toEqual(['4', '5']);
    expect(labels(7, 7)).toEqual(['7']);
    // The last epoch in full: 1 … 12345 labelled 12350 (compact's 4 significant digits). Steps of 2000 (12344 / 10 =
    // 1234.4 → 2000); 12000 at 72 + 624·11999/12344 = 678.56, 17.4 px from 696: left out.
    expect(labels(1, 12345)).toEqual(['1', '2000', '4000', '6000', '8000', '10000', '12345']);
    // Six digits: not 1e5 and 1.06e5; 100000 at 72 + 624·99999/105999 = 660.69 is 35.3 px from 106000's 696, under
    // 7 px a digit (42): the two 6-digit labels (~40 px wide) would overlap there.
    expect(labels(1, 106000)).toEqual(['1', '20000', '40000', '60000', '80000', '106000']);
  });

  it("the title's first line: the lr written compactly (1e30, not 1e+30); the shape once where the name carries it", () => {
    const adam = (lr: number) => ({ name: 'adam', lr });
    expect(plotTitle('xor', [2, 4, 1], 'bce', adam(1e30))).toBe('xor: 2-4-1 net, bce, adam lr 1e30');
    expect(plotTitle(undefined, [2, 4, 1], 'bce', adam(1e-3))).toBe('2-4-1 net, bce, adam lr 0.001');
    // 0.1234567 to 4 significant digits by hand: 0.1235.
    expect(plotTitle('', [2, 4, 1], 'mse', adam(0.1234567))).toBe('2-4-1 net, mse, adam lr 0.1235');
    // --data mnist's net: its name is the shape's, said once.
    expect(plotTitle('mnist-784-128-10', [784, 128, 10], 'softmax-cross-entropy', adam(1e-3))).toBe('mnist-784-128-10: softmax-cross-entropy, adam lr 0.001');
    expect(plotTitle('2-4-1', [2, 4, 1], 'bce', adam(0.5))).toBe('2-4-1: bce, adam lr 0.5');
    // Only part of a run of the name's: not the shape, which is kept.
    for (const name of ['net-12-4-1', '2-4-1-2', 'x2-4-10', 'mnist-784-128-10']) {
      expect(plotTitle(name, [2, 4, 1], 'bce', adam(0.5))).toBe(`${name}: 2-4-1 net, bce, adam lr 0.5`);
    }
  });

  it('compact numbers: 4 significant digits at most, exponents outside 1e-3 … 1e5', () => {
    expect([0, 1, 0.5, 0.001, 123.456, 99999, 1e5, 1e-5, 2.5e-4, -0.25].map(compact)).toEqual(['0', '1', '0.5', '0.001', '123.5', '1e5', '1e5', '1e-5', '2.5e-4', '-0.25']);
    // In exponent form too (1.2345e-5 at 4 digits is 1.235e-5, or 1.234e-5 where 1.2345 is stored just under: both 4).
    expect([1.2345e-5, 6.789e7].map(compact).map((s) => s.split('e')[0].replace(/\D/g, '').length)).toEqual([4, 4]);
  });
});
