/**
 * Confusion matrices: MNIST's of a 784-input, 10-output net on a part of the lab's subset, and any classification's on
 * your data's rows (rowsConfusion; class-confusion.ts shows them), computed by the CPU oracle in chunks and tallied by
 * class-tally.ts; an accessible table of one; and MNIST's strip of sample digits with their predictions.
 */
import type { Net, Params } from '../spec.ts';
import { SpecError } from '../errors.ts';
import { chunkColumns } from './boundary.ts';
import { accuracyOf, classesOf, predictedClasses, tallyConfusion } from './class-tally.ts';
import { predict } from './eval.ts';
import { palette, type Palette, rgbOf } from './palette.ts';
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

/** Rows per predict() call: bounds the activations held at once (units × CHUNK floats per layer). */
const CHUNK = 512;

/**
 * The class of each of `total` examples by the engine's rule (class-tally.ts predictedClasses), on the CPU from the
 * current weights, CHUNK examples (fewer for a wide net: chunkColumns) per forward pass; `fill` writes examples
 * start … start + n − 1 into X in the engine's layout (feature j of example c at X[j·n + c]).
 */
function predictedInChunks(net: Net, params: Params, total: number, fill: (X: Float32Array, start: number, n: number) => void): number[] {
  const K = net.layers[net.layers.length - 1].units;
  const per = Math.min(CHUNK, chunkColumns(net));
  const predicted: number[] = [];
  for (let start = 0; start < total; start += per) {
    const n = Math.min(per, total - start);
    const X = new Float32Array(net.inputs * n);
    fill(X, start, n);
    predicted.push(...predictedClasses(predict(net, params, X, n), K, n));
  }
  return predicted;
}

/** Evaluate the first `count` digits of `part` (default: all) and tally true against predicted classes. */
export function confusionMatrix(net: Net, params: Params, part: MnistPart, count?: number): ConfusionResult {
  const K = net.layers[net.layers.length - 1].units;
  if (net.inputs !== MNIST_PIXELS || K !== MNIST_CLASSES) {
    throw new RangeError(`the confusion matrix needs a net with ${MNIST_PIXELS} inputs and ${MNIST_CLASSES} outputs, this one has ${net.inputs} and ${K}`);
  }
  const total = Math.min(count ?? part.count, part.count);
  const predicted = predictedInChunks(net, params, total, (X, start, n) => {
    for (let c = 0; c < n; c++) {
      const base = (start + c) * MNIST_PIXELS;
      for (let j = 0; j < MNIST_PIXELS; j++) X[j * n + c] = part.images[base + j] / 255;
    }
  });
  return resultOf(tallyConfusion(Array.from(part.labels.subarray(0, total)), predicted, K), predicted);
}

/**
 * Any classification's confusion matrix on rows x (n rows of net.inputs features) of true classes `labels`: a net of
 * one output (sigmoid, BCE) tells 2 classes apart (class 1 at ŷ ≥ 0.5), one of K outputs K (the argmax).
 */
export function rowsConfusion(net: Net, params: Params, x: readonly (readonly number[])[], labels: readonly number[]): ConfusionResult {
  if (labels.length !== x.length) throw new SpecError('confusion.labels', `has ${labels.length} classes for ${x.length} rows`);
  const bad = x.findIndex((r) => r.length !== net.inputs);
  if (bad >= 0) throw new SpecError(`confusion.x[${bad}]`, `has ${x[bad].length} features, the net ${net.inputs} inputs`);
  const K = net.layers[net.layers.length - 1].units;
  const predicted = predictedInChunks(net, params, x.length, (X, start, n) => {
    for (let c = 0; c < n; c++) {
      const row = x[start + c];
      for (let j = 0; j < net.inputs; j++) X[j * n + c] = row[j];
    }
  });
  return resultOf(tallyConfusion(labels, predicted, classesOf(K)), predicted);
}

function resultOf(matrix: number[][], predicted: number[]): ConfusionResult {
  const { right, total } = accuracyOf(matrix);
  return { matrix, accuracy: total === 0 ? 0 : right / total, predicted };
}

/**
 * A count's cell shading: its share of its row as the opacity of blue (a hit, on the diagonal) or orange (a miss) over
 * the table's white, and the text colour where it is not the page's (--fg); none for a zero. In the dark scheme
 * (`pal` DARK) the same share over the dark panel (palette.ts confusion.base), written as the colour that mix paints
 * (#rrggbb, whatever lies under the table), its text worked for it.
 */
export function cellShade(hit: boolean, v: number, rowTotal: number, pal: Palette = palette()): { background: string; color: string | undefined } | undefined {
  if (!(v > 0)) return undefined;
  const share = rowTotal === 0 ? 0 : v / rowTotal;
  // NOTE: a floor of 0.12 keeps a single mistake visible in a row of 100.
  const alpha = 0.12 + 0.88 * share;
  const rgb = hit ? [0, 114, 178] : [230, 159, 0];
  const base = rgbOf(pal.confusion.base);
  // The text: the page's text where it reads at 4.5:1 (light: L ≥ 0.273, --fg #1f2937; dark: L ≤ 0.138, #e5e7eb),
  // else white on a cell dark enough for it, else black (light: between relative luminance 0.179 and 0.273 neither
  // white nor --fg does: white on 11 of 20 hits was 2.5:1).
  const painted = rgb.map((c, i) => Math.round(base[i] + (c - base[i]) * Number(alpha.toFixed(3))));
  const L = luminance(painted);
  const { fgMin, fgMax } = pal.confusion;
  return {
    background: pal.name === 'light' ? `rgba(${rgb.join(', ')}, ${alpha.toFixed(3)})` : `#${painted.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
    color: L >= fgMin && L <= fgMax ? undefined : L < WHITE_TEXT_BELOW ? '#fff' : '#000',
  };
}

/** Where white text stops reading at 4.5:1 and black does: 1.05 / (L + 0.05) = (L + 0.05) / 0.05, L = 0.179. */
const WHITE_TEXT_BELOW = 0.179;

/** WCAG's relative luminance of an sRGB colour (channels 0 … 255). */
function luminance(rgb: readonly number[]): number {
  const lin = (c: number): number => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
}

/** How a confusion table names its classes and what its caption says (the default: MNIST's digits). */
export interface ConfusionLabels {
  /** Class k's name, as its row and column header say it and its cells' titles. */
  names: readonly string[];
  /** The caption's text (class-tally.ts confusionCaption for a classification of your data). */
  caption: string;
  /** The corner's words ("true ↓ / predicted →"). */
  corner?: string;
}

/**
 * The confusion matrix as a <table>: a caption with the accuracy, row headers (true class) and column headers
 * (predicted class), each cell shaded by its share of the row — blue on the diagonal (right), orange off it
 * (mistakes) — and titled with the count in words. MNIST's without `labels`: digits 0 … 9, "Accuracy … (… of 200 held-out
 * digits, Fit's validation set)" (its held-out digits are both: presets.ts fitValidation).
 */
export function confusionTable(doc: Document, result: Pick<ConfusionResult, 'matrix' | 'accuracy'>, labels?: ConfusionLabels): HTMLTableElement {
  const K = result.matrix.length;
  const { right: correct, total } = accuracyOf(result.matrix);
  const names = labels?.names ?? Array.from({ length: K }, (_, k) => String(k));

  const table = doc.createElement('table');
  table.className = 'confusion';
  const caption = doc.createElement('caption');
  caption.textContent = labels?.caption ?? `Accuracy ${percent(result.accuracy)} (${correct} of ${total} held-out digits, Fit's validation set). Rows: true digit; columns: predicted digit.`;
  table.append(caption);

  const head = doc.createElement('thead');
  const headRow = doc.createElement('tr');
  const corner = doc.createElement('th');
  corner.scope = 'col';
  corner.textContent = labels?.corner ?? 'true ↓ / predicted →';
  corner.className = 'confusion-corner';
  headRow.append(corner);
  for (let p = 0; p < K; p++) {
    const th = doc.createElement('th');
    th.scope = 'col';
    th.textContent = names[p];
    headRow.append(th);
  }
  head.append(headRow);
  table.append(head);

  const body = doc.createElement('tbody');
  result.matrix.forEach((row, t) => {
    const tr = doc.createElement('tr');
    const th = doc.createElement('th');
    th.scope = 'row';
    th.textContent = names[t];
    tr.append(th);
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((v, p) => {
      const td = doc.createElement('td');
      td.textContent = String(v);
      td.title = `true ${names[t]}, predicted ${names[p]}: ${v} of ${rowTotal}`;
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
  return table;
}

/** Replace `host`'s content with MNIST's confusion matrix (confusionTable). */
export function renderConfusion(host: HTMLElement, result: ConfusionResult): void {
  host.replaceChildren(confusionTable(host.ownerDocument, result));
}

/** Draw digit `c` of `part` on a 28 × 28 canvas: dark ink on white. */
/** Digit c of `part` on a 28 × 28 canvas: ink on paper (palette.ts digits: black on white; light on dark in the dark scheme). */
function digitCanvas(doc: Document, part: MnistPart, c: number, pal: Palette): HTMLCanvasElement {
  const canvas = doc.createElement('canvas');
  canvas.width = 28;
  canvas.height = 28;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(28, 28);
    const paper = rgbOf(pal.digits.paper);
    const ink = rgbOf(pal.digits.ink);
    for (let p = 0; p < MNIST_PIXELS; p++) {
      // 0 = background, 255 = ink: paper + (ink − paper) × pixel / 255 (light: 255 − pixel, as it was).
      const t = part.images[c * MNIST_PIXELS + p] / 255;
      for (let ch = 0; ch < 3; ch++) img.data[4 * p + ch] = Math.round(paper[ch] + (ink[ch] - paper[ch]) * t);
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
  const pal = palette();
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
    const canvas = digitCanvas(doc, part, c, pal);
    canvas.style.cssText = `width:56px;height:56px;image-rendering:pixelated;border:1px solid ${pal.digits.frame}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `handwritten ${truth}`);
    // A wrong guess's words in dark orange (style.css .mnist-sample.wrong > span, lighter in the dark scheme).
    const label = doc.createElement('span');
    label.textContent = `true ${truth} → predicted ${guess}${wrong ? ' ✗' : ''}`;
    item.append(canvas, label);
    list.append(item);
  }
  host.replaceChildren(list);
}
