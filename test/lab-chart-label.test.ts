/**
 * The loss chart's y-axis label fits the canvas (src/lab/loss-chart.ts yAxisLabel): the rotated label is centred on
 * the plot, so it has twice the distance from that centre to the nearer canvas edge. In the lab a Fit on WebGPU wraps
 * the header to two lines and the chart's canvas gets ~172 px, where "loss per example (log scale)" (~160 px at 12 px)
 * was cut off at the top. Widths here are a stand-in font's, 6 px a character, so every room below is worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { LossChart, xAxisLabel, yAxisLabel } from '../src/lab/loss-chart.ts';

const six = (t: string): number => 6 * t.length;

describe('yAxisLabel: the longest wording that fits', () => {
  it('log axis: 28 characters (168 px) need 168 px; 20 (120 px) the next; 10 (60 px) the last', () => {
    expect(yAxisLabel(true, 168, six)).toBe('loss per example (log scale)');
    expect(yAxisLabel(true, 167, six)).toBe('loss / example (log)');
    expect(yAxisLabel(true, 120, six)).toBe('loss / example (log)');
    expect(yAxisLabel(true, 119, six)).toBe('loss (log)');
    // Nothing fits: the shortest all the same (a label is better than none).
    expect(yAxisLabel(true, 10, six)).toBe('loss (log)');
  });

  it('linear axis: "loss per example" (96 px), "loss / example" (84 px), "loss" (24 px)', () => {
    expect(yAxisLabel(false, 96, six)).toBe('loss per example');
    expect(yAxisLabel(false, 95, six)).toBe('loss / example');
    expect(yAxisLabel(false, 83, six)).toBe('loss');
  });
});

/** The text LossChart.draw writes after rotating (the y-axis label) on a W × H canvas measured by `six`. */
function drawnYLabel(H: number, validation = false): string {
  const texts: string[] = [];
  let rotated = false;
  const ctx = new Proxy({}, {
    get: (_, name) => {
      if (name === 'measureText') return (t: string) => ({ width: six(t) });
      if (name === 'rotate') return () => { rotated = true; };
      if (name === 'restore') return () => { rotated = false; };
      if (name === 'fillText') return (t: string) => { if (rotated) texts.push(t); };
      return () => undefined;
    },
    set: () => true,
  });
  const canvas = {
    width: 400, height: H,
    getBoundingClientRect: () => ({ width: 400, height: H }),
    style: { setProperty: () => undefined },
    getContext: () => ctx,
    setAttribute: () => undefined,
  } as unknown as HTMLCanvasElement;
  const points = [{ step: 0, loss: 0.7 }, { step: 35, loss: 0.69 }];
  new LossChart(canvas).draw(points, 'WebGPU', validation ? points : []);
  expect(texts).toHaveLength(1);
  return texts[0];
}

describe('LossChart.draw: the y label inside the canvas', () => {
  it('a 172 px chart (the lab after a Fit on WebGPU): centre (12 + 172 − 34) / 2 = 75 px, room 150 → the 120 px wording', () => {
    expect(drawnYLabel(172)).toBe('loss / example (log)');
  });

  it('a 320 px chart: centre 149 px, room 298 → the whole "loss per example (log scale)"', () => {
    expect(drawnYLabel(320)).toBe('loss per example (log scale)');
  });

  it('with a validation curve the legend row moves the plot down 16 px: at 172 px the centre is 83, room 166 < 168', () => {
    expect(drawnYLabel(172, true)).toBe('loss / example (log)');
    // 174 px: centre 84, room 168 — the whole label fits exactly.
    expect(drawnYLabel(174, true)).toBe('loss per example (log scale)');
  });
});

/**
 * The step axis's label fits too (xAxisLabel): in the lab, a curve trained on WebGPU, wasm, the CPU and WebGPU again
 * was labelled "step (WebGPU, then wasm, then CPU, then WebGPU)", ~290 px at 12 px on a ~326 px canvas, its centre
 * 185 px from the left: both ends were cut off. Room is twice the distance from the plot's centre to the nearer edge.
 * Widths by the six-px stand-in; every count below is by hand.
 */
describe('xAxisLabel: the longest wording of the runs that fits', () => {
  const four = 'WebGPU, then wasm, then CPU, then WebGPU';
  it('47 characters (282 px) whole; the arrows, 35 (210 px); then the latest runs after an ellipsis; then "step"', () => {
    expect(xAxisLabel(four, 282, six)).toBe('step (WebGPU, then wasm, then CPU, then WebGPU)');
    expect(xAxisLabel(four, 281, six)).toBe('step (WebGPU → wasm → CPU → WebGPU)');
    expect(xAxisLabel(four, 210, six)).toBe('step (WebGPU → wasm → CPU → WebGPU)');
    // "step (… → wasm → CPU → WebGPU)": 6 + 4 + 19 + 1 = 30 characters, 180 px.
    expect(xAxisLabel(four, 209, six)).toBe('step (… → wasm → CPU → WebGPU)');
    // "step (… → CPU → WebGPU)": 23 characters, 138 px; "step (… → WebGPU)": 17, 102 px.
    expect(xAxisLabel(four, 179, six)).toBe('step (… → CPU → WebGPU)');
    expect(xAxisLabel(four, 137, six)).toBe('step (… → WebGPU)');
    expect(xAxisLabel(four, 101, six)).toBe('step');
  });

  it('one backend: "step (wasm)" (66 px) where it fits, else "step"', () => {
    expect(xAxisLabel('wasm', 66, six)).toBe('step (wasm)');
    expect(xAxisLabel('wasm', 65, six)).toBe('step');
  });
});

/** The text LossChart.draw writes for the step axis on a W px wide canvas measured by `six`. */
function drawnXLabel(W: number, backend: string): string {
  const texts: string[] = [];
  const ctx = new Proxy({}, {
    get: (_, name) => {
      if (name === 'measureText') return (t: string) => ({ width: six(t) });
      if (name === 'fillText') return (t: string) => { texts.push(t); };
      return () => undefined;
    },
    set: () => true,
  });
  const canvas = {
    width: W, height: 200,
    getBoundingClientRect: () => ({ width: W, height: 200 }),
    style: { setProperty: () => undefined },
    getContext: () => ctx,
    setAttribute: () => undefined,
  } as unknown as HTMLCanvasElement;
  new LossChart(canvas).draw([{ step: 0, loss: 0.7 }, { step: 35, loss: 0.69 }], backend);
  const step = texts.filter((t) => t.startsWith('step'));
  expect(step).toHaveLength(1);
  return step[0];
}

describe('LossChart.draw: the step label inside the canvas', () => {
  const four = 'WebGPU, then wasm, then CPU, then WebGPU';
  it('a 300 px chart: centre (58 + 300 − 14) / 2 = 172 px, room 2 × 128 = 256 → the 210 px arrows', () => {
    expect(drawnXLabel(300, four)).toBe('step (WebGPU → wasm → CPU → WebGPU)');
  });
  it('a 400 px chart: centre 222 px, room 356 → the whole 282 px label', () => {
    expect(drawnXLabel(400, four)).toBe('step (WebGPU, then wasm, then CPU, then WebGPU)');
  });
});

/**
 * The y tick labels clear the rotated axis label. That label is 12 px text turned at x = 14 and drawn 6 px before it,
 * so it covers x 8 … 20; a tick label is right-aligned 6 px left of the plot. In the lab, the lecture net's 200 steps
 * (L 0.2748 → 0.2742, log axis, labels 0.2742 … 0.2748) drew "0.2748" over "loss per example": at the fixed 58 px
 * margin a 6-character label starts at 52 − 36 = 16 px (six-px stand-in), inside the axis label.
 */
function tickLabelLefts(points: { step: number; loss: number }[]): { text: string; left: number }[] {
  const out: { text: string; left: number }[] = [];
  const state: Record<string | symbol, unknown> = {};
  let rotated = false;
  const ctx = new Proxy(state, {
    get: (target, name) => {
      if (name in target) return target[name];
      if (name === 'measureText') return (t: string) => ({ width: six(t) });
      if (name === 'rotate') return () => { rotated = true; };
      if (name === 'restore') return () => { rotated = false; };
      if (name === 'fillText') return (t: string, x: number) => { if (!rotated && target.textAlign === 'right') out.push({ text: t, left: x - six(t) }); };
      return () => undefined;
    },
    set: (target, name, v) => { target[name] = v; return true; },
  });
  const canvas = {
    width: 340, height: 170,
    getBoundingClientRect: () => ({ width: 340, height: 170 }),
    style: { setProperty: () => undefined },
    getContext: () => ctx,
    setAttribute: () => undefined,
  } as unknown as HTMLCanvasElement;
  new LossChart(canvas).draw(points, 'wasm');
  return out;
}

describe('LossChart.draw: y tick labels right of the axis label', () => {
  it('the lecture net, 0.2748 → 0.2742 on a log axis: every label starts right of x = 20', () => {
    const labels = tickLabelLefts([{ step: 0, loss: 0.27481 }, { step: 199, loss: 0.27414 }]);
    expect(labels.map((l) => l.text)).toContain('0.2748');
    for (const l of labels) expect(l.left).toBeGreaterThanOrEqual(20);
  });

  it('short labels keep the 58 px margin: 0.2, 0.4, 0.6 (18 px) end at 52 px', () => {
    const labels = tickLabelLefts([{ step: 0, loss: 0.7 }, { step: 199, loss: 0.09 }]);
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l.left + six(l.text)).toBe(52);
  });
});
