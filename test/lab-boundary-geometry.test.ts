/**
 * The decision boundary's pure geometry (src/lab/boundary.ts), each expected value worked by hand in a comment: the
 * view's extent (dataExtent), where marching squares puts a crossing on each edge of a cell and how it resolves a
 * saddle (contourSegments), a diverged net's cells (NaN: "no idea", class 0 as the engine counts it), and the chunk width of a net whose widest layer
 * is its output.
 */
import { describe, expect, it } from 'vitest';
import { chunkColumns, classifyGrid, classifyPoints, contourSegments, dataExtent } from '../src/lab/boundary.ts';
import { validateNet } from '../src/spec.ts';
import { countCorrect } from '../src/train/accuracy.ts';

describe('dataExtent: the bounding box padded by 15 % (at least 0.1 a side), widened to the aspect', () => {
  const points = [[-1, -0.5], [1, 0.5]];

  it('aspect 1: half-widths 1.15 (1 · 1.15 > 1 + 0.1) and 0.6 (0.5 + 0.1 > 0.5 · 1.15), the height widened to 1.15', () => {
    // hx = max(1 · 1.15, 1 + 0.1) = 1.15; hy = max(0.5 · 1.15, 0.5 + 0.1) = 0.6; hx / hy > 1, so hy = hx / 1 = 1.15.
    const e = dataExtent(points, 1);
    [-1.15, 1.15, -1.15, 1.15].forEach((v, k) => expect(e[k], `extent[${k}]`).toBeCloseTo(v, 12));
  });

  it('aspect 2: the width widened instead, to 2 · 0.6 = 1.2', () => {
    // hx / hy = 1.15 / 0.6 ≈ 1.92 < 2, so hx = hy · 2 = 1.2 and hy stays 0.6.
    const e = dataExtent(points, 2);
    [-1.2, 1.2, -0.6, 0.6].forEach((v, k) => expect(e[k], `extent[${k}]`).toBeCloseTo(v, 12));
  });

  it('a point with a non-finite coordinate is left out of the box (a diverged point does not blow up the view)', () => {
    // Box of (0, 0), (2, 1): centre (1, 0.5); hx = max(1.15, 1.1) = 1.15, hy = max(0.575, 0.6) = 0.6, then hy = 1.15.
    const e = dataExtent([[0, 0], [NaN, 5], [2, 1], [3, Infinity]], 1);
    [1 - 1.15, 1 + 1.15, 0.5 - 1.15, 0.5 + 1.15].forEach((v, k) => expect(e[k], `extent[${k}]`).toBeCloseTo(v, 12));
  });
});

describe('contourSegments: crossings by linear interpolation, in cell units (centre of cell (r, c) at (c + 0.5, r + 0.5))', () => {
  it('a crossing on the top and bottom edges sits a quarter of the way from the left centre when the values are −1 and 3', () => {
    // 2 × 2 field, rows [−1, 3] and [−1, 3]: zero at t = −1 / (−1 − 3) = 0.25 along each row, x = 0.5 + 0.25.
    expect(contourSegments([-1, 3, -1, 3], 2, 2)).toEqual([0.75, 0.5, 0.75, 1.5]);
  });

  it('a crossing on the right and left edges sits a quarter of the way down when the top is −1 and the bottom 3', () => {
    // Rows [−1, −1] and [3, 3]: zero at t = 0.25 down each column, y = 0.5 + 0.25; edges in order top, right, bottom, left.
    expect(contourSegments([-1, -1, 3, 3], 2, 2)).toEqual([1.5, 0.75, 0.5, 0.75]);
  });

  it('a saddle whose centre (mean 0) sides with the top-left corner cuts off the other two: top–right and bottom–left', () => {
    // tl = 1, tr = −1, bl = −1, br = 1: every edge crosses at its middle. The mean 0 counts as ≥ 0, like tl and br,
    // so the positive diagonal tl–br is joined and the segments go round tr (top → right) and bl (bottom → left).
    expect(contourSegments([1, -1, -1, 1], 2, 2)).toEqual([1, 0.5, 1.5, 1, 1, 1.5, 0.5, 1]);
    // tl = 1, tr = −3, bl = −3, br = 1: mean −1 < 0 sides with tr and bl, so tl and br are cut off: left → top, right → bottom.
    // Top: t = 1 / (1 + 3) = 0.25 → (0.75, 0.5); right: t = −3 / (−3 − 1) = 0.75 → (1.5, 1.25);
    // bottom: t = 0.75 from bl → (1.25, 1.5); left: t = 0.25 from tl → (0.5, 0.75).
    expect(contourSegments([1, -3, -3, 1], 2, 2)).toEqual([0.5, 0.75, 0.75, 0.5, 1.5, 1.25, 1.25, 1.5]);
  });

  it('a cell with a NaN corner (a diverged net) draws no segment', () => {
    expect(contourSegments([NaN, 1, -1, 1], 2, 2)).toEqual([]);
  });
});

describe('classifyGrid: the class-1 threshold and a wide softmax net in chunks', () => {
  it('an output of exactly 0.5 is class 1 ("class 1 when the output is ≥ 0.5", as argmaxColumn and the confusion matrix say)', () => {
    // W = 0, b = 0: p = σ(0) = 0.5 in every cell.
    const net = validateNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const params = { W: [Float32Array.from([0, 0])], b: [Float32Array.from([0])] };
    expect(Array.from(classifyGrid(net, params, [-1, 1, -1, 1], 2, 2).label)).toEqual([1, 1, 1, 1]);
    expect(classifyPoints(net, params, [[0.3, -0.7]])).toEqual([1]);
  });

  it('a 2-3000-3 net over 40 × 30 cells (chunks of 2²⁰ / 3000 = 349): every output row lands in its own cells', () => {
    // Hidden unit 0 computes a = tanh(x1); the other 2999 have W = 0, b = 0 (a = 0). Outputs z = (−10a, 0, 10a):
    // softmax, class 0 left of x1 = 0, class 2 right of it; the winner's probability is e^{10|a|} / (e^{10|a|} + 1 + e^{−10|a|}).
    const H = 3000;
    const W1 = new Float32Array(H * 2);
    W1[0] = 1;
    const W2 = new Float32Array(3 * H);
    W2[0] = -10;
    W2[2 * H] = 10;
    const net = validateNet({ inputs: 2, layers: [{ units: H, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
    const params = { W: [W1, W2], b: [new Float32Array(H), new Float32Array(3)] };
    expect(chunkColumns(net)).toBe(349);
    const cols = 40;
    const rows = 30;
    const grid = classifyGrid(net, params, [-2, 2, -1.5, 1.5], cols, rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const x1 = -2 + ((c + 0.5) / cols) * 4; // never 0: the centres are ±0.05, ±0.15, …
        const a = Math.abs(Math.tanh(x1));
        const p = Math.exp(10 * a) / (Math.exp(10 * a) + 1 + Math.exp(-10 * a));
        expect(grid.label[r * cols + c], `cell ${r}, ${c}`).toBe(x1 < 0 ? 0 : 2);
        expect(grid.score[r * cols + c]).toBeCloseTo(p, 5);
      }
    }
  });
});

describe('classifyGrid of a diverged net', () => {
  it('NaN outputs score 0.5 ("no idea", painted white), not 0 or 1', () => {
    const net = validateNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const grid = classifyGrid(net, { W: [Float32Array.from([NaN, 0])], b: [Float32Array.from([0])] }, [-1, 1, -1, 1], 3, 2);
    expect(Array.from(grid.score)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('NaN outputs are class 0, as the engine counts them (A ≥ 0.5 is false for NaN): the training accuracy is evaluate\'s', () => {
    // A net whose weights diverged to NaN mid-training (Model refuses NaN parameters; train can reach them).
    const net = validateNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const params = { W: [Float32Array.from([NaN, 0])], b: [Float32Array.from([0])] };
    expect(Array.from(classifyGrid(net, params, [-1, 1, -1, 1], 3, 2).label)).toEqual([0, 0, 0, 0, 0, 0]);
    const predicted = classifyPoints(net, params, [[0, 0], [1, 1], [-1, 0.5]]);
    expect(predicted).toEqual([0, 0, 0]);
    // The engine's count (fit's history, evaluate) on the same NaN outputs against labels (1, 0, 1): 1 of 3 right.
    const labels = [1, 0, 1];
    expect(countCorrect(net, Float32Array.from([NaN, NaN, NaN]), Float32Array.from(labels), 3)).toBe(1);
    expect(predicted.filter((p, c) => p === labels[c]).length).toBe(1);
  });
});

describe('chunkColumns of a net whose widest layer is its output', () => {
  it('a 2-5000 softmax net: ⌊2²⁰ / 5000⌋ = 209 points a chunk (the output units count, not only the fan-ins)', () => {
    const net = validateNet({ inputs: 2, layers: [{ units: 5000, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
    expect(chunkColumns(net)).toBe(209); // 1 048 576 / 5000 = 209.7
  });
});
