/**
 * The course lab's data and views, in Node: the seeded 2-D toy sets, the grid layout, the MNIST subset and its
 * Vite virtual module, the decision-boundary classification and the confusion matrix (on hand-set nets whose
 * answers are known).
 */
import { describe, expect, it, vi } from 'vitest';
import { Model } from '../src/model.ts';
import { validateNet, type Net, type Params } from '../src/spec.ts';
import { minus } from '../src/notation/numbers.ts';
import {
  BOUNDARY_WORK, CHUNK_FLOATS, MIN_BOUNDARY_COLS, boundaryColumns, boundaryWorkLimit, chunkColumns, classifyGrid, classifyPoints, contourSegments, dataExtent, forwardWork,
} from '../src/lab/boundary.ts';
import { confusionMatrix } from '../src/lab/confusion.ts';
import * as evalModule from '../src/lab/eval.ts';
import { argmaxColumn } from '../src/lab/eval.ts';

// The boundary's forward passes are counted: the real predict, spied.
vi.mock('../src/lab/eval.ts', { spy: true });
import { DATASETS_2D, generate2D, gridInputs, type Dataset2DKind } from '../src/lab/datasets.ts';
import { mnistSpecData, type MnistPart } from '../src/lab/mnist.ts';
import { loadPresetWith, MENU_CHARS, PRESETS, showPreset, type PresetData } from '../src/lab/presets.ts';
import { digitImages, mnistSubset as readSubset } from '../src/node/mnist.ts';
import { MNIST_MODULE_ID, mnistSubset as mnistPlugin } from '../src/node/mnist-plugin.ts';

const KINDS: Dataset2DKind[] = ['xor', 'circle', 'moons', 'spiral', 'spirals3', 'blobs', 'blobs5'];
const CLASSES: Record<Dataset2DKind, number> = { xor: 2, circle: 2, moons: 2, spiral: 2, spirals3: 3, blobs: 3, blobs5: 5 };

function counts(labels: ArrayLike<number>, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (let c = 0; c < labels.length; c++) out[labels[c]]++;
  return out;
}

describe('2-D toy data sets', () => {
  it('lists every kind once, with its class count', () => {
    expect(DATASETS_2D.map((d) => d.kind).sort()).toEqual([...KINDS].sort());
    for (const d of DATASETS_2D) expect(d.classes).toBe(CLASSES[d.kind]);
  });

  for (const kind of KINDS) {
    it(`${kind}: deterministic for a seed, n rows of width 2, balanced, y consistent with labels, in about [−1, 1]²`, () => {
      const n = 201;
      const a = generate2D(kind, n, 7);
      expect(generate2D(kind, n, 7)).toEqual(a);
      expect(generate2D(kind, n, 8).x).not.toEqual(a.x);
      expect(a.kind).toBe(kind);
      expect(a.x).toHaveLength(n);
      expect(a.y).toHaveLength(n);
      expect(a.labels).toHaveLength(n);
      for (const row of a.x) {
        expect(row).toHaveLength(2);
        for (const v of row) {
          expect(Number.isFinite(v)).toBe(true);
          expect(Math.abs(v)).toBeLessThan(1.6);
        }
      }
      const per = counts(a.labels, a.classes);
      expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
      a.labels.forEach((label, c) => {
        if (a.classes === 2) {
          expect(a.y[c]).toEqual([label]);
        } else {
          expect(a.y[c]).toHaveLength(a.classes);
          expect(a.y[c].indexOf(1)).toBe(label);
          expect(a.y[c].reduce((s, v) => s + v, 0)).toBe(1);
        }
      });
    });
  }

  it('noise 0 gives the clean shapes (circle: inner disc r ≤ 0.5, ring 0.7 ≤ r ≤ 1; xor: quadrant signs)', () => {
    const circle = generate2D('circle', 400, 3, 0);
    circle.x.forEach(([a, b], c) => {
      const r = Math.hypot(a, b);
      if (circle.labels[c] === 0) expect(r).toBeLessThanOrEqual(0.5 + 1e-12);
      else expect(r).toBeGreaterThanOrEqual(0.7 - 1e-12);
    });
    const xor = generate2D('xor', 400, 3, 0);
    xor.x.forEach(([a, b], c) => expect(a * b < 0 ? 1 : 0).toBe(xor.labels[c]));
  });

  it('noise 0: five blobs sit on five centres 72° apart at radius 0.55; three spirals keep arm k at angle 2.5π·r + 2πk/3', () => {
    const blobs = generate2D('blobs5', 50, 3, 0);
    blobs.x.forEach(([a, b], c) => {
      const angle = Math.PI / 2 + (blobs.labels[c] * 2 * Math.PI) / 5;
      expect(a).toBeCloseTo(0.55 * Math.cos(angle), 12);
      expect(b).toBeCloseTo(0.55 * Math.sin(angle), 12);
    });
    const spirals = generate2D('spirals3', 60, 3, 0);
    spirals.x.forEach(([a, b], c) => {
      const r = Math.hypot(a, b);
      const angle = 1.25 * 2 * Math.PI * r + (spirals.labels[c] * 2 * Math.PI) / 3;
      expect(a).toBeCloseTo(r * Math.cos(angle), 9);
      expect(b).toBeCloseTo(r * Math.sin(angle), 9);
    });
  });

  it('xor with n = 4 is exactly the truth table on {0, 1}²', () => {
    const d = generate2D('xor', 4, 123);
    expect(d.x).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(d.y).toEqual([[0], [1], [1], [0]]);
    expect(d.labels).toEqual([0, 1, 1, 0]);
    expect(d.classes).toBe(2);
  });

  it('rejects bad arguments', () => {
    expect(() => generate2D('xor', 0, 1)).toThrow(RangeError);
    expect(() => generate2D('circle', 10, 1, -1)).toThrow(RangeError);
    expect(() => generate2D('nope' as Dataset2DKind, 10, 1)).toThrow(RangeError);
  });

  it('gridInputs: a 2 × 2 grid in engine layout (row 0 of x1, then row 1 of x2; pixel order, top row first)', () => {
    // Extent [0, 2] × [0, 2]: cell centres at 0.5 and 1.5. Pixels: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
    const X = gridInputs([0, 2, 0, 2], 2, 2);
    expect(Array.from(X)).toEqual([
      0.5, 1.5, 0.5, 1.5, // x1 of pixels 0 … 3
      1.5, 1.5, 0.5, 0.5, // x2 of pixels 0 … 3 (top row has the larger x2)
    ]);
  });

  it('a 2-8-1 tanh/sigmoid net learns the circle (bce, lr 0.5, 500 steps) to ≥ 95 % training accuracy', async () => {
    const data = generate2D('circle', 200, 1);
    const model = await Model.create(
      {
        inputs: 2,
        layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
        loss: 'bce',
        init: { scheme: 'xavier', seed: 1 },
        lr: 0.5,
        x: data.x,
        y: data.y,
      },
      { backend: 'cpu' },
    );
    await model.train({ steps: 500 });
    const predicted = classifyPoints(model.net, await model.getParams(), data.x);
    const accuracy = predicted.filter((p, c) => p === data.labels[c]).length / data.x.length;
    model.dispose();
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("each generated set's preset names it in its text by the menu's title, not its id (it read \"Generated spirals3 data\")", async () => {
    for (const d of DATASETS_2D.filter((x) => x.kind !== 'xor')) {
      const p = PRESETS.find((x) => x.id === d.kind);
      const description = (await p!.load()).spec.description ?? '';
      expect(description, d.kind).toMatch(new RegExp(`^${d.title}: generated data \\(\\d+ points, seed 7\\); `));
      expect(p!.title.startsWith(d.title), d.kind).toBe(true);
    }
  });

  it('the Preset menu shortens a long title to its part before ": " (the 300 px column cut "Lecture 003 (classification): the sa"); the rest goes under it', () => {
    const lecture = PRESETS.find((p) => p.id === 'lecture-classification')!;
    expect([lecture.label, lecture.rest]).toEqual(['Lecture 003 (classification)', 'the same 2-2-1 net with sigmoids and binary cross-entropy']);
    for (const p of PRESETS) {
      expect(p.label.length, p.id).toBeLessThanOrEqual(MENU_CHARS);
      expect(p.rest === '' ? p.label : `${p.label}: ${p.rest}`, p.id).toBe(p.title);
    }
    // A short title stays whole, with no line under the menu.
    expect(PRESETS.find((p) => p.id === 'moons')).toMatchObject({ label: 'Two moons: 2-8-1', rest: '' });
  });

  it('a preset that fails to load puts the Preset menu back on the net still on the page (the preset before, or your own), or on the preset where its net went on before the throw; the error thrown on', async () => {
    // The page's menu and the line under it, as presets.ts reads them (the select has taken the option chosen before
    // its 'change' fires: main.ts loads it then).
    const menu = { value: '' };
    const rest = { textContent: '', hidden: true };
    vi.stubGlobal('document', { getElementById: (id: string) => (id === 'preset' ? menu : id === 'preset-title' ? rest : null) });
    try {
      // The net on the page, as main.ts's page.session: a load puts a new one on.
      let onPage: object = {};
      const net = () => onPage;
      const loaded: string[] = [];
      const load = async (d: PresetData) => { loaded.push(d.spec.name ?? ''); onPage = {}; };
      await loadPresetWith('lecture-classification', load, net);
      expect([menu.value, rest.textContent, rest.hidden]).toEqual(['lecture-classification', 'the same 2-2-1 net with sigmoids and binary cross-entropy', false]);
      // MNIST's file not fetched: its load rejects, nothing else loads, the menu names the lecture still on the page.
      const mnist = PRESETS.find((p) => p.id === 'mnist')!;
      const gone = new Error('Failed to fetch dynamically imported module: mnist-subset');
      const spy = vi.spyOn(mnist, 'load').mockRejectedValueOnce(gone);
      menu.value = 'mnist';
      await expect(loadPresetWith('mnist', load, net)).rejects.toBe(gone);
      expect([menu.value, rest.textContent, rest.hidden]).toEqual(['lecture-classification', 'the same 2-2-1 net with sigmoids and binary cross-entropy', false]);
      expect(loaded).toEqual([expect.stringMatching(/^lecture/)]);
      spy.mockRestore();
      // Your own net on the page (an edit, a file: load() put the menu on ''), a preset the page refuses: back to ''.
      showPreset('');
      menu.value = 'moons';
      const refused = new Error('refused');
      await expect(loadPresetWith('moons', async () => { throw refused; }, net)).rejects.toBe(refused);
      expect([menu.value, rest.hidden]).toEqual(['', true]);
      await loadPresetWith('moons', load, net);
      expect(menu.value).toBe('moons');
      // A load that throws after its net went on (a view drawn after main.ts's showInstead): that net stays on the
      // page, and the menu names its preset, not the one before.
      menu.value = 'lecture-classification';
      const late = new Error('drawn after the switch');
      await expect(loadPresetWith('lecture-classification', async () => { onPage = {}; throw late; }, net)).rejects.toBe(late);
      expect([menu.value, rest.textContent, rest.hidden]).toEqual(['lecture-classification', 'the same 2-2-1 net with sigmoids and binary cross-entropy', false]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('MNIST subset', () => {
  it('mnistSubset: requested counts, labels c mod 10, bytes within 1/510 of the package floats', () => {
    const perDigit = 5;
    const offset = 3;
    const s = readSubset(perDigit, offset);
    expect(s.count).toBe(50);
    expect(s.images).toHaveLength(50 * 784);
    expect(s.labels).toHaveLength(50);
    for (let c = 0; c < s.count; c++) {
      const d = c % 10;
      expect(s.labels[c]).toBe(d);
      const floats = digitImages(d);
      const base = (offset + Math.floor(c / 10)) * 784;
      for (let p = 0; p < 784; p++) {
        const v = s.images[c * 784 + p];
        expect(Math.abs(v / 255 - floats[base + p])).toBeLessThanOrEqual(1 / 510 + 1e-9);
      }
    }
    expect(Math.max(...s.images)).toBeGreaterThan(200); // actual ink, not an all-zero buffer
    expect(readSubset(perDigit, offset)).toEqual(s);
  });

  it('mnistSpecData: pixels / 255 and one-hot labels', () => {
    const s = readSubset(2);
    const part: MnistPart = { count: s.count, images: s.images, labels: s.labels };
    const { x, y } = mnistSpecData(part, 3, 4);
    expect(x).toHaveLength(4);
    expect(x[0]).toHaveLength(784);
    expect(x[1][400]).toBeCloseTo(s.images[4 * 784 + 400] / 255, 12);
    expect(y).toEqual([3, 4, 5, 6].map((d) => Array.from({ length: 10 }, (_, k) => (k === d ? 1 : 0))));
    expect(() => mnistSpecData(part, 18, 3)).toThrow(RangeError);
  });

  it('the Vite plugin resolves virtual:mnist-subset and loads 100 + 20 digits per class as base64', () => {
    const plugin = mnistPlugin();
    const resolveId = plugin.resolveId as (id: string) => string | undefined;
    const load = plugin.load as (id: string) => string | undefined;
    const resolved = resolveId.call(undefined, MNIST_MODULE_ID);
    expect(resolved).toBeTypeOf('string');
    expect(resolveId.call(undefined, './other.ts')).toBeUndefined();
    expect(load.call(undefined, 'other')).toBeUndefined();
    const source = load.call(undefined, resolved!);
    expect(source).toBeTypeOf('string');
    const parts: Record<string, { count: number; images: string; labels: string }> = {};
    for (const m of source!.matchAll(/^export const (train|test) = (.*);$/gm)) parts[m[1]] = JSON.parse(m[2]);
    expect(Object.keys(parts).sort()).toEqual(['test', 'train']);
    const expected = { train: readSubset(100, 0), test: readSubset(20, 100) };
    for (const name of ['train', 'test'] as const) {
      const part = parts[name];
      expect(part.count).toBe(expected[name].count);
      // Buffer.equals: a deep toEqual over ~1 MB of bytes takes seconds.
      expect(Buffer.from(part.images, 'base64').equals(expected[name].images)).toBe(true);
      expect(Buffer.from(part.labels, 'base64').equals(expected[name].labels)).toBe(true);
    }
    expect(source).toMatch(/^export default \{ train, test \};$/m);
  });
});

/** A validated net with parameters set by hand (W row-major units × fanIn per layer). */
function handNet(spec: unknown, W: number[][], b: number[][]): { net: Net; params: Params } {
  return { net: validateNet(spec), params: { W: W.map((w) => Float32Array.from(w)), b: b.map((v) => Float32Array.from(v)) } };
}

describe('decision boundary (pure part)', () => {
  const { net, params } = handNet(
    { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' },
    [[10, 0]], // p = σ(10·x1): the boundary is the line x1 = 0
    [[0]],
  );

  it('classifyGrid: left of x1 = 0 is class 0, right is class 1, p = σ(10·x1) per cell', () => {
    const cols = 10;
    const rows = 6;
    const grid = classifyGrid(net, params, [-1, 1, -1, 1], cols, rows);
    expect(grid.outputs).toBe(1);
    expect(grid.label).toHaveLength(cols * rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const x1 = -1 + ((c + 0.5) / cols) * 2;
        expect(grid.label[r * cols + c]).toBe(c < cols / 2 ? 0 : 1);
        expect(grid.score[r * cols + c]).toBeCloseTo(1 / (1 + Math.exp(-10 * x1)), 5);
      }
    }
  });

  it('classifyPoints agrees, and the contour of p − 0.5 is the vertical line x1 = 0', () => {
    expect(classifyPoints(net, params, [[-0.3, 0.9], [0.2, -0.9], [-0.01, 0]])).toEqual([0, 1, 0]);
    const cols = 8;
    const rows = 5;
    const grid = classifyGrid(net, params, [-1, 1, -1, 1], cols, rows);
    const seg = contourSegments(grid.raw.map((v) => v - 0.5), cols, rows);
    expect(seg.length).toBe(4 * (rows - 1)); // one segment per row of squares
    for (let s = 0; s < seg.length; s += 2) expect(seg[s]).toBeCloseTo(cols / 2, 5); // x = 4 cells: x1 = 0
  });

  it('softmax nets classify by argmax (three half-planes by x1)', () => {
    // Outputs z = (−10·x1, 0, 10·x1): class 0 for x1 < 0, class 2 for x1 > 0.
    const soft = handNet(
      { inputs: 2, layers: [{ units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy' },
      [[-10, 0, 0, 0, 10, 0]],
      [[0, 0, 0]],
    );
    const grid = classifyGrid(soft.net, soft.params, [-1, 1, -1, 1], 4, 1);
    expect(Array.from(grid.label)).toEqual([0, 0, 2, 2]);
    for (const s of grid.score) expect(s).toBeGreaterThan(0.5);
  });

  it('argmaxColumn: the column\'s argmax, the first on ties; one output: 1 from 0.5 up (NaN: 0)', () => {
    // 3 outputs × 4 examples, engine layout out[k * n + c]: column 1 ties classes 1 and 2, column 3 ties all three.
    const out = [0.1, 0.2, 0.9, 0.5, 0.7, 0.6, 0.0, 0.5, 0.2, 0.6, 0.0, 0.5];
    expect([0, 1, 2, 3].map((c) => argmaxColumn(out, 3, 4, c))).toEqual([1, 1, 0, 0]);
    expect([0.49, 0.5, 1, NaN].map((v) => argmaxColumn([v], 1, 1, 0))).toEqual([0, 1, 1, 0]);
  });

  it('dataExtent pads the bounding box and matches the aspect ratio', () => {
    const [xmin, xmax, ymin, ymax] = dataExtent([[-1, -0.5], [1, 0.5]], 1);
    expect(xmin).toBeLessThan(-1);
    expect(xmax).toBeGreaterThan(1);
    expect(xmax - xmin).toBeCloseTo(ymax - ymin, 12);
    expect((xmin + xmax) / 2).toBeCloseTo(0, 12);
  });
});

describe('decision boundary of a wide net (bounded memory and work)', () => {
  const H = 3000;
  const wide = handNet(
    { inputs: 2, layers: [{ units: H, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' },
    [Array.from({ length: 2 * H }, (_, k) => Math.sin(0.7 * k)), Array.from({ length: H }, (_, k) => Math.cos(1.3 * k) / 30)],
    [Array.from({ length: H }, (_, k) => Math.sin(k)), [0.1]],
  );

  it('classifyGrid runs the forward pass in chunks of at most 2²⁰ / 3000 = 349 points, with the answer of one pass over all', () => {
    expect(chunkColumns(wide.net)).toBe(349);
    const predict = vi.mocked(evalModule.predict);
    predict.mockClear();
    const extent: [number, number, number, number] = [-2, 2, -1.5, 1.5];
    const grid = classifyGrid(wide.net, wide.params, extent, 40, 30);
    const sizes = predict.mock.calls.map((call) => call[3]);
    expect(sizes).toEqual([349, 349, 349, 153]); // 1200 cells
    for (const n of sizes) expect(H * n).toBeLessThanOrEqual(CHUNK_FLOATS);
    const whole = evalModule.predict(wide.net, wide.params, gridInputs(extent, 40, 30), 1200);
    expect(Array.from(grid.raw)).toEqual(Array.from(whole));
    predict.mockClear();
    const points = Array.from({ length: 400 }, (_, k): [number, number] => [Math.sin(k), Math.cos(3 * k)]);
    const labels = classifyPoints(wide.net, wide.params, points);
    expect(predict.mock.calls.map((call) => call[3])).toEqual([349, 51]);
    expect(labels).toHaveLength(400);
  });

  it('boundaryColumns: 100 cells across for a small net, fewer for a wide one within BOUNDARY_WORK, none past it', () => {
    const small = validateNet({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
    // Σ units × (fan-in + 16): 4 × 18 + 1 × 20.
    expect(forwardWork(small)).toBe(92);
    expect(boundaryColumns(small, 1.6, 4)).toBe(100);
    const net10k = validateNet({ inputs: 2, layers: [{ units: 10_000, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const cols = boundaryColumns(net10k, 1.6, 4);
    expect(cols).toBeLessThan(100);
    expect(cols).toBeGreaterThanOrEqual(MIN_BOUNDARY_COLS);
    expect(forwardWork(net10k) * (cols * Math.round(cols / 1.6) + 4)).toBeLessThanOrEqual(BOUNDARY_WORK);
    const net100k = validateNet({ inputs: 2, layers: [{ units: 100_000, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
    expect(boundaryColumns(net100k, 1.6, 4)).toBe(0);
    expect(forwardWork(net100k)).toBeGreaterThan(boundaryWorkLimit(1.6, 4));
    expect(forwardWork(net10k)).toBeLessThanOrEqual(boundaryWorkLimit(1.6, 4));
  });
});

describe("the boundary's axis numbers (minus, src/notation/numbers.ts)", () => {
  it('writes a negative number with the text minus sign (−), as the rest of the page (its ticks drew "-1")', () => {
    expect([minus(String(-1)), minus(String(2)), minus((-1.25).toFixed(1)), minus((0.5).toFixed(1))]).toEqual(['−1', '2', '−1.3', '0.5']);
  });
});

describe('confusion matrix', () => {
  /**
   * A fake part: digit c lights pixel `lit[c]` only. The net's output k is pixel k (identity W on the first ten
   * pixels, softmax), so its prediction is the lit pixel.
   */
  function fakePart(labels: number[], lit: number[]): MnistPart {
    const images = new Uint8Array(labels.length * 784);
    lit.forEach((p, c) => (images[c * 784 + p] = 255));
    return { count: labels.length, images, labels: Uint8Array.from(labels) };
  }
  const W = new Array<number>(10 * 784).fill(0);
  for (let k = 0; k < 10; k++) W[k * 784 + k] = 1;
  const { net, params } = handNet(
    { inputs: 784, layers: [{ units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy' },
    [W],
    [new Array<number>(10).fill(0)],
  );

  it('counts true against predicted on a hand-made net', () => {
    const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 3, 7];
    const lit = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 5, 3, 1]; // two mistakes: 3 → 5, 7 → 1
    const r = confusionMatrix(net, params, fakePart(labels, lit));
    expect(r.predicted).toEqual(lit);
    expect(r.accuracy).toBeCloseTo(11 / 13, 12);
    expect(r.matrix[3][5]).toBe(1);
    expect(r.matrix[7][1]).toBe(1);
    expect(r.matrix[3][3]).toBe(2);
    const per = counts(labels, 10);
    r.matrix.forEach((row, t) => expect(row.reduce((a, b) => a + b, 0)).toBe(per[t]));
    expect(r.matrix.flat().reduce((a, b) => a + b, 0)).toBe(13);
    // `count` evaluates only a prefix.
    const first10 = confusionMatrix(net, params, fakePart(labels, lit), 10);
    expect(first10.accuracy).toBe(1);
    expect(first10.predicted).toHaveLength(10);
  });

  it('on real digits, in more than one chunk: rows sum to the class counts', () => {
    const s = readSubset(60); // 600 digits: two predict() chunks
    const r = confusionMatrix(net, params, { count: s.count, images: s.images, labels: s.labels });
    expect(r.predicted).toHaveLength(600);
    r.matrix.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBe(60));
    const diagonal = r.matrix.reduce((sum, row, t) => sum + row[t], 0);
    expect(r.accuracy).toBeCloseTo(diagonal / 600, 12);
  });

  it('rejects a net of the wrong shape', () => {
    const small = handNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' }, [[1, 0]], [[0]]);
    expect(() => confusionMatrix(small.net, small.params, fakePart([0], [0]))).toThrow(RangeError);
  });
});

describe('chunkColumns (review mutants4)', () => {
  it('at least one column a chunk, even for a layer wider than CHUNK_FLOATS', () => {
    const net = validateNet({ inputs: 2, loss: 'mse', layers: [{ units: CHUNK_FLOATS + 1, activation: 'tanh' }, { units: 1, activation: 'identity' }] });
    expect(chunkColumns(net)).toBe(1);
  });
});

describe('boundaryWorkLimit (review mutants4)', () => {
  it('boundaryWorkLimit is the threshold boundaryColumns applies: a net of exactly that work is drawn, one more is not', () => {
    for (const [aspect, points] of [[1.6, 4], [1, 0], [2.5, 100]] as const) {
      const limit = boundaryWorkLimit(aspect, points);
      // One unit over `fanIn` inputs: forwardWork = fanIn + UNIT_WORK (16).
      const net = (work: number) => validateNet({ inputs: work - 16, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
      expect(forwardWork(net(limit))).toBe(limit);
      expect(boundaryColumns(net(limit), aspect, points), `aspect ${aspect}`).toBeGreaterThan(0);
      expect(boundaryColumns(net(limit + 1), aspect, points), `aspect ${aspect}`).toBe(0);
    }
  });
});
