/**
 * Any classification's confusion matrix (src/lab/class-tally.ts, confusion.ts rowsConfusion and confusionTable,
 * class-confusion.ts classRows): the tally of true against predicted class for any K, from outputs; one sigmoid
 * output's threshold at exactly 0.5 (class 1, as the decision boundary colours it); each class's recall; the caption;
 * the rows the Output tallies. Every count below is worked by hand from the outputs written here.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { classifyPoints } from '../src/lab/boundary.ts';
import { classRows } from '../src/lab/class-confusion.ts';
import { classNamesFor, confusionCaption, labelsFromTargets, predictedClasses, recalls, tallyConfusion } from '../src/lab/class-tally.ts';
import { confusionTable, rowsConfusion } from '../src/lab/confusion.ts';
import { validateNet } from '../src/spec.ts';
import { FakeEl } from './lib/fake-table.ts';

/**
 * 6 rows, K = 3 (engine layout out[k·6 + c]); columns, their argmax, their true class:
 *   c0 (0.7, 0.2, 0.1) → 0, true 0 ✓      c3 (0.5, 0.5, 0)   → 0 (a tie: the first), true 1 ✗
 *   c1 (0.1, 0.8, 0.1) → 1, true 1 ✓      c4 (0.2, 0.1, 0.7) → 2, true 2 ✓
 *   c2 (0.3, 0.3, 0.4) → 2, true 1 ✗      c5 (0.6, 0.3, 0.1) → 0, true 2 ✗
 * Rows of the matrix (true 0, 1, 2): [1, 0, 0], [1, 1, 1], [1, 0, 1]; 3 of 6 right; recall 1/1, 1/3, 1/2.
 */
const OUT3 = [
  0.7, 0.1, 0.3, 0.5, 0.2, 0.6,
  0.2, 0.8, 0.3, 0.5, 0.1, 0.3,
  0.1, 0.1, 0.4, 0.0, 0.7, 0.1,
];
const LABELS3 = [0, 1, 1, 1, 2, 2];

describe('the tally for any K, from outputs', () => {
  it('6 rows, K = 3: predicted 0, 1, 2, 0, 2, 0; the matrix [[1,0,0],[1,1,1],[1,0,1]]', () => {
    expect(predictedClasses(Float32Array.from(OUT3), 3, 6)).toEqual([0, 1, 2, 0, 2, 0]);
    expect(tallyConfusion(LABELS3, predictedClasses(Float32Array.from(OUT3), 3, 6), 3)).toEqual([[1, 0, 0], [1, 1, 1], [1, 0, 1]]);
  });

  it("one sigmoid output (BCE): class 1 at ŷ ≥ 0.5, exactly 0.5 included; just under it and NaN class 0; a 2 × 2 matrix", () => {
    // ŷ: 0.5 → 1, 0.49999997 (float32's next below 0.5) → 0, 0.9 → 1, 0.1 → 0, NaN → 0, 1 → 1.
    const out = Float32Array.from([0.5, 0.49999997, 0.9, 0.1, NaN, 1]);
    expect(out[1]).toBeLessThan(0.5);
    expect(predictedClasses(out, 1, 6)).toEqual([1, 0, 1, 0, 0, 1]);
    // True 1, 1, 0, 0, 1, 1: true 0 → predicted 1 (c2), 0 (c3); true 1 → 1 (c0), 0 (c1), 0 (c4), 1 (c5).
    expect(tallyConfusion([1, 1, 0, 0, 1, 1], predictedClasses(out, 1, 6), 2)).toEqual([[1, 1], [2, 2]]);
  });

  it('a net of ŷ = σ(0) = 0.5 everywhere: its rows class 1, as the decision boundary colours those points', () => {
    const net = validateNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const params = { W: [Float32Array.from([0, 0])], b: [Float32Array.from([0])] };
    const x = [[0.3, -0.7], [2, 5]];
    const r = rowsConfusion(net, params, x, [1, 0]);
    expect(r.predicted).toEqual([1, 1]);
    expect(r.predicted).toEqual(classifyPoints(net, params, x));
    expect(r.matrix).toEqual([[0, 1], [0, 1]]);
    expect(r.accuracy).toBe(0.5);
  });

  it('1 100 rows through a 3-3 softmax net (chunks of 512, 512, 76): row c predicted (c mod 7) mod 3, every chunk its own rows', () => {
    // W the identity, b = 0: output k = softmax(x)_k, so the argmax is the one feature set to 1 (k = (c mod 7) mod 3).
    const net = validateNet({ inputs: 3, layers: [{ units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
    const params = { W: [Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1])], b: [new Float32Array(3)] };
    const x = Array.from({ length: 1100 }, (_, c) => [0, 1, 2].map((k) => (k === (c % 7) % 3 ? 1 : 0)));
    // True class c mod 3: count, for each (c mod 3, (c mod 7) mod 3), the rows c < 1100 — by c mod 21 (both repeat
    // every 21): in 0 … 20, t = c mod 3 and p = (c mod 7) mod 3 give each pair (t, p) as below.
    const per21 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (let c = 0; c < 21; c++) per21[c % 3][(c % 7) % 3]++;
    // 1100 = 52 × 21 + 8: 52 full cycles, then c mod 21 = 0 … 7.
    const want = per21.map((row) => row.map((v) => 52 * v));
    for (let c = 0; c < 8; c++) want[c % 3][(c % 7) % 3]++;
    const r = rowsConfusion(net, params, x, x.map((_, c) => c % 3));
    expect(r.matrix).toEqual(want);
    expect(r.predicted.slice(1095)).toEqual([1095, 1096, 1097, 1098, 1099].map((c) => (c % 7) % 3));
  });

  it('bad input: a class out of range, lengths that differ, a row of the wrong width, named before any work', () => {
    expect(() => tallyConfusion([0, 3, 1], [0, 1, 1], 3)).toThrow(SpecError);
    expect(() => tallyConfusion([0, 3, 1], [0, 1, 1], 3)).toThrow('confusion.labels[1]: needs a class 0 … 2, got 3');
    expect(() => tallyConfusion([0, 1], [0, 2], 2)).toThrow('confusion.predicted[1]');
    expect(() => tallyConfusion([0, 1], [0], 2)).toThrow('confusion.predicted: has 1 classes for 2 labelled rows');
    expect(() => tallyConfusion([0], [0], 1)).toThrow('confusion.classes');
    expect(() => predictedClasses(new Float32Array(5), 3, 2)).toThrow('confusion.outputs');
    const net = validateNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const params = { W: [new Float32Array(2)], b: [new Float32Array(1)] };
    expect(() => rowsConfusion(net, params, [[1, 2], [3]], [0, 1])).toThrow('confusion.x[1]: has 1 features, the net 2 inputs');
    expect(() => rowsConfusion(net, params, [[1, 2]], [0, 1])).toThrow('confusion.labels');
  });
});

describe('recall and the caption', () => {
  const matrix = [[1, 0, 0], [1, 1, 1], [1, 0, 1]];

  it('recall is each row: 1 of 1, 1 of 3, 1 of 2 (not the columns: 1 of 3, 1 of 1, 1 of 2)', () => {
    expect(recalls(matrix)).toEqual([{ right: 1, total: 1 }, { right: 1, total: 3 }, { right: 1, total: 2 }]);
  });

  it('the caption: the rows, the accuracy 3 of 6, what rows and columns are, and each class named with its recall', () => {
    expect(confusionCaption('Training rows', matrix, ['setosa', 'versicolor', 'virginica'])).toBe(
      "Training rows: accuracy 50.0 % (3 of 6). Rows: true class; columns: predicted class. Recall, each true class's share predicted right — setosa: 100.0 % (1 of 1); versicolor: 33.3 % (1 of 3); virginica: 50.0 % (1 of 2).");
  });

  it('a class with no rows (a small validation set) says so, not NaN %; names for every class or "class k"', () => {
    expect(confusionCaption('Validation rows', [[2, 0], [0, 0]], ['fail', 'pass'])).toBe(
      "Validation rows: accuracy 100.0 % (2 of 2). Rows: true class; columns: predicted class. Recall, each true class's share predicted right — fail: 100.0 % (2 of 2); pass: no rows.");
    expect(classNamesFor(2, ['fail', 'pass'])).toEqual(['fail', 'pass']);
    expect(classNamesFor(3, ['a', 'b'])).toEqual(['class 0', 'class 1', 'class 2']);
    expect(() => confusionCaption('Training rows', matrix, ['a', 'b'])).toThrow('confusion.names');
  });
});

describe('which rows the Output tallies (classRows)', () => {
  const bce = validateNet({ inputs: 5, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
  const ce = validateNet({ inputs: 4, layers: [{ units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
  const mse = validateNet({ inputs: 4, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' });
  const x5 = [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]];
  const x4 = [[1, 2, 3, 4], [4, 3, 2, 1], [0, 0, 0, 0]];

  it('labels from targets: 0 / 1 in one column, or one-hot; anything else none', () => {
    expect(labelsFromTargets([[0], [1], [1]])).toEqual([0, 1, 1]);
    expect(labelsFromTargets([[0, 0, 1], [1, 0, 0]])).toEqual([2, 0]);
    expect(labelsFromTargets([[0.5]])).toBeUndefined();
    expect(labelsFromTargets([[1, 1, 0]])).toBeUndefined();
    expect(labelsFromTargets([[0, 0, 0]])).toBeUndefined();
    expect(labelsFromTargets([])).toBeUndefined();
  });

  it('5 features, pass / fail (BCE): the training rows, and the validation rows where there are some', () => {
    const lab = { x: x5, y: [[1], [0]] };
    expect(classRows({ net: bce, lab } as never, { kind: 'custom' })).toEqual([{ which: 'Training rows', x: x5, labels: [1, 0] }]);
    const validation = { x: [[0, 0, 0, 0, 0]], y: [[1]], labels: [1] };
    expect(classRows({ net: bce, lab } as never, { kind: 'custom', validation })?.map((r) => [r.which, r.labels])).toEqual([['Training rows', [1, 0]], ['Validation rows', [1]]]);
  });

  it('3 classes one-hot: labels from the rows; none for MNIST, a regression, or outputs that do not match the classes', () => {
    const lab = { x: x4, y: [[1, 0, 0], [0, 0, 1], [0, 1, 0]] };
    expect(classRows({ net: ce, lab } as never, { kind: 'custom' })?.[0].labels).toEqual([0, 2, 1]);
    expect(classRows({ net: ce, lab } as never, { kind: 'mnist' })).toBeUndefined();
    expect(classRows({ net: mse, lab: { x: x4, y: [[0], [1], [1]] } } as never, { kind: 'custom' })).toBeUndefined();
    expect(classRows({ net: ce, lab: { x: x4, y: [[1, 0], [0, 1], [1, 0]] } } as never, { kind: 'custom' })).toBeUndefined();
  });
});

describe('the table: class names, <th scope>, the caption', () => {

  it("3 classes: a header per predicted class and per true class named with the CSV's names; counts as the matrix", () => {
    const doc = { createElement: (tag: string) => new FakeEl(tag) } as unknown as Document;
    const names = ['setosa', 'versicolor', 'virginica'];
    const table = confusionTable(doc, { matrix: [[1, 0, 0], [1, 1, 1], [1, 0, 1]], accuracy: 0.5 }, { names, caption: 'the caption' }) as unknown as FakeEl;
    const els = table.all();
    expect(els.find((e) => e.tag === 'caption')?.textContent).toBe('the caption');
    const th = els.filter((e) => e.tag === 'th');
    expect(th.map((e) => [e.scope, e.textContent])).toEqual([
      ['col', 'true ↓ / predicted →'], ['col', 'setosa'], ['col', 'versicolor'], ['col', 'virginica'],
      ['row', 'setosa'], ['row', 'versicolor'], ['row', 'virginica'],
    ]);
    const td = els.filter((e) => e.tag === 'td');
    expect(td.map((e) => e.textContent)).toEqual(['1', '0', '0', '1', '1', '1', '1', '0', '1']);
    expect(td[5].title).toBe('true versicolor, predicted virginica: 1 of 3');
    expect(td[4].className).toBe('confusion-hit');
    expect(td[3].className).toBe('confusion-miss');
  });
});
