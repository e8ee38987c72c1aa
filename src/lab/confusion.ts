/**
 * MNIST results: the confusion matrix of a 784-input, 10-output net on a part of the lab's subset (computed
 * by the CPU oracle, in chunks), an accessible table of it, and a strip of sample digits with their predictions.
 */
import type { Net, Params } from '../spec.ts';
import { argmaxColumn, predict } from './eval.ts';
// NOTE: types only from ./mnist.ts: a value import would pull it into the main chunk, and the lab's presets import it
// dynamically (Vite warns when a module is imported both ways). The constants come from the pure src/train/mnist.ts.
import type { MnistPart } from './mnist.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../train/mnist.ts';
import { percent } from './words.ts';

export interface ConfusionResult {
  /** matrix[true][predicted]: how many digits of class `true` the net called `predicted`. */
  matrix: number[][];
  /** Fraction of the evaluated digits on the diagonal. */
  accuracy: number;
  /** The predicted class of each evaluated digit (example order of the part). */
  predicted: number[];
}

/** Digits per predict() call: bounds the activations held at once (units × CHUNK floats per layer). */
const CHUNK = 512;

/** The argmax of each column of an (K × n) output matrix (the first on ties). */
function argmaxColumns(out: Float32Array, K: number, n: number, into: number[]): void {
  for (let c = 0; c < n; c++) into.push(argmaxColumn(out, K, n, c));
}

/** Evaluate the first `count` digits of `part` (default: all) and tally true against predicted classes. */
export function confusionMatrix(net: Net, params: Params, part: MnistPart, count?: number): ConfusionResult {
  const K = net.layers[net.layers.length - 1].units;
  if (net.inputs !== MNIST_PIXELS || K !== MNIST_CLASSES) {
    throw new RangeError(`the confusion matrix needs a net with ${MNIST_PIXELS} inputs and ${MNIST_CLASSES} outputs, this one has ${net.inputs} and ${K}`);
  }
  const total = Math.min(count ?? part.count, part.count);
  const predicted: number[] = [];
  for (let start = 0; start < total; start += CHUNK) {
    const n = Math.min(CHUNK, total - start);
    // Engine layout: pixel j of digit c at X[j * n + c] (examples are columns).
    const X = new Float32Array(MNIST_PIXELS * n);
    for (let c = 0; c < n; c++) {
      const base = (start + c) * MNIST_PIXELS;
      for (let j = 0; j < MNIST_PIXELS; j++) X[j * n + c] = part.images[base + j] / 255;
    }
    argmaxColumns(predict(net, params, X, n), K, n, predicted);
  }
  const matrix = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let correct = 0;
  predicted.forEach((p, c) => {
    const t = part.labels[c];
    matrix[t][p]++;
    if (t === p) correct++;
  });
  return { matrix, accuracy: total === 0 ? 0 : correct / total, predicted };
}

/**
 * A count's cell shading: its share of its row as the opacity of blue (a hit, on the diagonal) or orange (a miss) over
 * the table's white, and the text colour where it is not the page's (--fg); none for a zero.
 */
export function cellShade(hit: boolean, v: number, rowTotal: number): { background: string; color: string | undefined } | undefined {
  if (!(v > 0)) return undefined;
  const share = rowTotal === 0 ? 0 : v / rowTotal;
  // NOTE: a floor of 0.12 keeps a single mistake visible in a row of 100.
  const alpha = 0.12 + 0.88 * share;
  const rgb = hit ? [0, 114, 178] : [230, 159, 0];
  // The text: white on a cell dark enough for it, else the page's text where it reads at 4.5:1, else black (between
  // relative luminance 0.179 and 0.273 neither white nor --fg #1f2937 does: white on 11 of 20 hits was 2.5:1).
  const L = luminance(rgb.map((c) => Math.round(255 + (c - 255) * Number(alpha.toFixed(3)))));
  return {
    background: `rgba(${rgb.join(', ')}, ${alpha.toFixed(3)})`,
    color: L < WHITE_TEXT_BELOW ? '#fff' : L < FG_TEXT_FROM ? '#000' : undefined,
  };
}

/**
 * Where white text stops reading at 4.5:1 and black does (1.05 / (L + 0.05) = (L + 0.05) / 0.05: L = 0.179), and where
 * the page's text colour #1f2937 (luminance 0.0216) starts to: (L + 0.05) / 0.0716 = 4.5, L = 0.272.
 */
const WHITE_TEXT_BELOW = 0.179;
const FG_TEXT_FROM = 0.273;

/** WCAG's relative luminance of an sRGB colour (channels 0 … 255). */
function luminance(rgb: readonly number[]): number {
  const lin = (c: number): number => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
}

/**
 * Replace `host`'s content with the confusion matrix as a <table>: a caption with the accuracy, row headers
 * (true digit) and column headers (predicted digit), each cell shaded by its share of the row — blue on the
 * diagonal (right), orange off it (mistakes) — and titled with the count in words.
 */
export function renderConfusion(host: HTMLElement, result: ConfusionResult): void {
  const doc = host.ownerDocument;
  const K = result.matrix.length;
  const total = result.matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const correct = result.matrix.reduce((s, row, t) => s + row[t], 0);

  const table = doc.createElement('table');
  table.className = 'confusion';
  const caption = doc.createElement('caption');
  caption.textContent = `Accuracy ${percent(result.accuracy)} (${correct} of ${total} digits). Rows: true digit; columns: predicted digit.`;
  table.append(caption);

  const head = doc.createElement('thead');
  const headRow = doc.createElement('tr');
  const corner = doc.createElement('th');
  corner.scope = 'col';
  corner.textContent = 'true ↓ / predicted →';
  corner.className = 'confusion-corner';
  headRow.append(corner);
  for (let p = 0; p < K; p++) {
    const th = doc.createElement('th');
    th.scope = 'col';
    th.textContent = String(p);
    headRow.append(th);
  }
  head.append(headRow);
  table.append(head);

  const body = doc.createElement('tbody');
  result.matrix.forEach((row, t) => {
    const tr = doc.createElement('tr');
    const th = doc.createElement('th');
    th.scope = 'row';
    th.textContent = String(t);
    tr.append(th);
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((v, p) => {
      const td = doc.createElement('td');
      td.textContent = String(v);
      td.title = `true ${t}, predicted ${p}: ${v} of ${rowTotal}`;
      const shade = cellShade(t === p, v, rowTotal);
      if (shade) {
        td.style.backgroundColor = shade.background;
        if (shade.color) td.style.color = shade.color;
      }
      td.className = t === p ? 'confusion-hit' : v > 0 ? 'confusion-miss' : 'confusion-zero';
      tr.append(td);
    });
    body.append(tr);
  });
  table.append(body);
  host.replaceChildren(table);
}

/** Draw digit `c` of `part` on a 28 × 28 canvas: dark ink on white. */
function digitCanvas(doc: Document, part: MnistPart, c: number): HTMLCanvasElement {
  const canvas = doc.createElement('canvas');
  canvas.width = 28;
  canvas.height = 28;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(28, 28);
    for (let p = 0; p < MNIST_PIXELS; p++) {
      const v = 255 - part.images[c * MNIST_PIXELS + p];
      img.data[4 * p] = v;
      img.data[4 * p + 1] = v;
      img.data[4 * p + 2] = v;
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }
  return canvas;
}

/**
 * Replace `host`'s content with the first `count` digits of `part` (28 × 28, shown at 2×), each captioned
 * "true 3 → predicted 5"; wrong ones get the class `wrong`, a ✗ and an orange border.
 */
export function renderSamples(host: HTMLElement, part: MnistPart, predicted: number[], count = 12): void {
  const doc = host.ownerDocument;
  const n = Math.min(count, part.count, predicted.length);
  const list = doc.createElement('ul');
  list.className = 'mnist-samples';
  list.style.cssText = 'display:flex;flex-wrap:wrap;gap:8px;list-style:none;margin:0;padding:0';
  for (let c = 0; c < n; c++) {
    const truth = part.labels[c];
    const guess = predicted[c];
    const wrong = truth !== guess;
    const item = doc.createElement('li');
    item.className = wrong ? 'mnist-sample wrong' : 'mnist-sample';
    // Fixed width, caption wrapping under the digit: a regular grid whether or not the ✗ is there.
    item.style.cssText = 'display:flex;flex-direction:column;align-items:center;gap:2px;width:84px;text-align:center;' +
      'font:12px/1.25 system-ui,sans-serif;padding:3px;border-radius:4px;' +
      `border:2px solid ${wrong ? '#D55E00' : 'transparent'}`;
    const canvas = digitCanvas(doc, part, c);
    canvas.style.cssText = 'width:56px;height:56px;image-rendering:pixelated;border:1px solid #ccc';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `handwritten ${truth}`);
    const label = doc.createElement('span');
    label.textContent = `true ${truth} → predicted ${guess}${wrong ? ' ✗' : ''}`;
    if (wrong) label.style.color = '#A33F00';
    item.append(canvas, label);
    list.append(item);
  }
  host.replaceChildren(list);
}
