/**
 * The course lab's network diagram: an SVG of the net with the live values of one example — inputs, then
 * every layer as a column left → right; each unit shows its name and its z, a and δ; every weight is an edge
 * (colour by sign, width by |w|) and every bias value a small square; each edge and bias is a button that
 * selects that parameter (click, or Enter/Space after Tab), so the lab can explain its gradient.
 *
 * Split in two so that Node tests need no DOM: `diagramModel(view)` is pure (positions, labels,
 * aria-labels, which units are elided) and `NetworkDiagram.render` only turns that model into SVG.
 *
 * Layout (examples are columns everywhere in the engine): X is (inputs × n) and Z[l], A[l], delta[l] are
 * (units × n) row-major, so A[l][i * n + c] is unit i of layer l+1 for example c. W[l] is (units × fanIn)
 * row-major: W[l][i * fanIn + j] connects unit j of layer l (layer 0 is X = A_0) to unit i of layer l+1.
 *
 * Big layers (MNIST: 784 inputs) draw at most MAX_SHOWN slots: the first 8 units, a "⋮ +k more" marker, the
 * last unit, and only the edges between drawn units; the caption says so. Nets with more than COMPACT_ABOVE
 * slots in a column use smaller circles so that they fit a screen's height (the <svg> is at most 80vh tall).
 * Per-unit biases sit right above their unit; a shared bias is one square above the gap before its layer.
 *
 * CSS classes (all optional — presentation attributes give a readable default without any stylesheet):
 *   .network-diagram     the <svg>
 *   .nd-node             a unit or input: <g data-node="z:<layer>:<unit>"> (inputs: data-node="x:<index>");
 *                        .nd-input / .nd-unit tell which
 *   .nd-node-circle, .nd-node-name, .nd-node-values   its circle, its name, its z / a / δ lines
 *   .nd-edge             a weight: <g role="button" tabindex="0" data-param="W[l][i][j]">; .selected when chosen
 *   .nd-edge-line        the visible line (stroke = sign colour, stroke-width = |w|)
 *   .nd-edge-hit         the wide transparent line that takes the clicks
 *   .nd-selection        a copy of the selected parameter's line(s) drawn on top (no clicks, aria-hidden)
 *   .nd-edge-outline     the dark outline under the selected parameter's line(s), in .nd-selection
 *   .nd-edge-label       a weight's name on its edge (small nets only)
 *   .nd-bias             a bias value: <g role="button" tabindex="0" data-param="b[l][i]">; .selected when chosen
 *   .nd-bias-box, .nd-bias-name, .nd-bias-line   its square, its name, its edge(s) to the unit(s) it feeds
 *   .nd-more             the "⋮ +k more" marker of an elided layer
 *   .nd-caption          the caption under the diagram
 */
import { fmtGiven, fmtValue, paramRole } from '../notation/format.ts';
import { type Naming, type ParamId, paramKey } from '../notation/names.ts';
import { symText } from '../notation/symbols.ts';
import type { Net, Params } from '../spec.ts';

/** Whatever stage the lab has reached: forward fills Z and A; backward fills delta, dW and db. */
export interface DiagramValues {
  Z?: ArrayLike<number>[];
  A?: ArrayLike<number>[];
  delta?: ArrayLike<number>[];
  dW?: ArrayLike<number>[];
  db?: ArrayLike<number>[];
}

export interface DiagramView {
  net: Net;
  naming: Naming;
  params: Params;
  /** Inputs (inputs × n), row-major: X[j * n + c]. */
  X: ArrayLike<number>;
  /** Examples in the batch. */
  n: number;
  /** Which example (column) the nodes show. */
  example: number;
  /** Missing values are shown as "–". */
  values: DiagramValues;
  selected?: ParamId;
  /** Decimals of the numbers shown (default 4). */
  decimals?: number;
  /**
   * Layers wider than MAX_SHOWN as one strip of cells (each unit's activation for the example), and 784 inputs
   * as the 28 × 28 image of the example, instead of MAX_SHOWN slots with a "⋮ +k more" marker (default false).
   */
  summarise?: boolean;
  /** 'columns' (default): layers left → right. 'rows': layers top → bottom, for a wide, low box (the workspace). */
  layout?: 'columns' | 'rows';
}

/** A wide layer drawn as a strip of cells (or the inputs as an image): centre (x, y), size w × h. */
export interface DiagramStrip {
  column: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Cells in reading order (rows × cols; a strip is count × 1, or 1 × count in the 'rows' layout). */
  rows: number;
  cols: number;
  /** One colour per cell. */
  colours: string[];
  kind: 'strip' | 'image';
  /** Accessible description: what it stands for and its range. */
  title: string;
}

// ——— the pure model ———

/** Colours of a weight or bias by its sign. */
export const POSITIVE = '#2563eb';
export const NEGATIVE = '#ea580c';
export const ZERO = '#9ca3af';

/** At most this many slots per column: the first MAX_SHOWN − 2 units, a "⋮ +k more" marker, the last unit. */
export const MAX_SHOWN = 10;
/** Weight names are written on the edges of a layer that draws at most this many edges. */
export const LABEL_EDGES_UP_TO = 16;

/** Sizes in viewBox units. The name and the z / a / δ lines are written inside each circle. */
interface Geometry {
  radius: number;
  /** Between column centres. */
  colGap: number;
  /** One slot of a column: a node and, above it, its per-unit bias square. */
  slot: number;
  biasSize: number;
  /** Space between a node and the per-unit bias square above it. */
  biasGap: number;
}

/** Small nets (at most COMPACT_ABOVE slots in every column): big circles, values readable on a phone. */
const NORMAL: Geometry = { radius: 48, colGap: 190, slot: 150, biasSize: 30, biasGap: 22 };
/**
 * Tall nets (5 … 10 slots in a column): smaller circles with the name and one value (the latest of a, δ), so
 * that ten units fit a 1280 × 800 workspace legibly (the rest of a unit's values are in its tooltip).
 */
const DENSE: Geometry = { radius: 30, colGap: 170, slot: 84, biasSize: 18, biasGap: 4 };
/** Side of the 28 × 28 input image (viewBox units), and the width of a strip. */
const IMAGE_SIDE = 168;
const STRIP_WIDTH = 30;
export const COMPACT_ABOVE = 4;
/** Room above the top slot for the shared-bias squares. */
const TOP = 44;
const CAPTION_LINE = 18;
/** Average width of a caption character (13 px sans-serif), for wrapping. */
const CAPTION_CHAR = 6.6;
const MIN_WIDTH = 1;
const MAX_WIDTH = 6;

/** A unit or an input, at its centre (x, y). */
export interface DiagramNode {
  /** data-node: "z:<layer>:<unit>" for a unit (layer 0-based, as W[layer]), "x:<index>" for an input. */
  key: string;
  kind: 'input' | 'unit';
  /** Column: 0 for the inputs, l + 1 for layer index l. */
  column: number;
  /** Index within its column (input j or unit i). */
  index: number;
  x: number;
  y: number;
  r: number;
  /** Its name: x1, h1, out, CGPA. */
  name: string;
  /** The value lines under its name, inside the circle: ["0.05"] for an input, ["z 0.3775", "a 0.5933", "δ 0.0363"] for a unit. */
  lines: string[];
  /** Tooltip and accessible description, in the net's names: "z_h1 = 0.3775, a_h1 = 0.5933, δ_h1 = –". */
  title: string;
}

/** The "⋮ +k more" marker standing in for the units a big layer does not draw. */
export interface DiagramMarker {
  column: number;
  x: number;
  y: number;
  hidden: number;
  text: string;
}

export interface Segment { x1: number; y1: number; x2: number; y2: number }

/** One weight, from the edge of its source circle to the edge of its target circle. */
export interface DiagramEdge extends Segment {
  param: ParamId;
  /** paramKey(param): the data-param attribute. */
  key: string;
  name: string;
  value: number;
  color: string;
  width: number;
  /** Where its name is written, when it is (small layers only). */
  label: { x: number; y: number } | undefined;
  ariaLabel: string;
  selected: boolean;
}

/** One bias value: a square at (x, y) (its centre) with a line to each unit it feeds. */
export interface DiagramBias {
  param: ParamId;
  key: string;
  name: string;
  value: number;
  x: number;
  y: number;
  size: number;
  color: string;
  lines: Segment[];
  ariaLabel: string;
  selected: boolean;
}

/** What a column draws: `shown` of `total` units. */
export interface ColumnInfo {
  column: number;
  total: number;
  shown: number;
  hidden: number;
  what: string;
}

export interface DiagramModel {
  width: number;
  height: number;
  nodes: DiagramNode[];
  markers: DiagramMarker[];
  edges: DiagramEdge[];
  biases: DiagramBias[];
  /** Wide layers summarised (summarise: true), and the shaded bands that stand for their weights. */
  strips: DiagramStrip[];
  bands: string[];
  columns: ColumnInfo[];
  /** "2-2-1 net, example 1 of 1 …" — the SVG's <title>. */
  title: string;
  /** Shown under the diagram; says which units are not drawn, if any. */
  caption: string;
  /** The caption wrapped to the diagram's width, with the baseline of its first line. */
  captionLines: string[];
  captionY: number;
}

/** Words of `text` in lines of at most `chars` characters (a longer word gets a line of its own). */
export function wrapText(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** One slot of a column: a unit (by index) or the marker for the units in between. */
export type Slot = { kind: 'unit'; index: number } | { kind: 'more'; hidden: number };

/** The slots of a column of `count` units: all of them, or the first MAX_SHOWN − 2, a marker and the last. */
export function columnSlots(count: number, max = MAX_SHOWN): Slot[] {
  const slots: Slot[] = [];
  if (count <= max) {
    for (let i = 0; i < count; i++) slots.push({ kind: 'unit', index: i });
    return slots;
  }
  const head = max - 2;
  for (let i = 0; i < head; i++) slots.push({ kind: 'unit', index: i });
  slots.push({ kind: 'more', hidden: count - head - 1 });
  slots.push({ kind: 'unit', index: count - 1 });
  return slots;
}

const colorOf = (v: number): string => (v > 0 ? POSITIVE : v < 0 ? NEGATIVE : ZERO);

/** Stroke width for |w| in a layer whose largest |w| is `max`: MIN_WIDTH … MAX_WIDTH px. */
export function strokeWidth(w: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(w)) return MIN_WIDTH;
  return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * Math.min(Math.abs(w) / max, 1);
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) if (Math.abs(a[k]) > m) m = Math.abs(a[k]);
  return m;
}

/** Value of unit `unit` of a (units × n) array for example c, or undefined when the array is not there. */
function valueAt(m: ArrayLike<number>[] | undefined, layer: number, unit: number, n: number, c: number): number | undefined {
  const arr = m?.[layer];
  if (!arr || arr.length < (unit + 1) * n) return undefined;
  return arr[unit * n + c];
}

const sameParam = (a: ParamId | undefined, b: ParamId): boolean => a !== undefined && paramKey(a) === paramKey(b);

/** A segment from circle (x1, y1) to circle (x2, y2), cut at both radii. */
function between(x1: number, y1: number, r1: number, x2: number, y2: number, r2: number): Segment {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  return { x1: x1 + (dx / len) * r1, y1: y1 + (dy / len) * r1, x2: x2 - (dx / len) * r2, y2: y2 - (dy / len) * r2 };
}

/** "w5 = 0.4000 (feeds z_out from a_h1); ∂L/∂w5 = 0.0822" — the gradient only when it has been computed. */
function paramLabel(view: DiagramView, p: ParamId, value: number, grad: number | undefined, decimals: number): string {
  const name = symText(view.naming.param(p));
  const role = paramRole(p, view.naming, view.net);
  const g = grad === undefined ? '' : `; ∂${symText(view.naming.loss)}/∂${name} = ${fmtValue(grad, decimals)}`;
  return `${name} = ${fmtValue(value, decimals)} (${role})${g}`;
}

function gradOf(values: DiagramValues, p: ParamId, fanIn: number): number | undefined {
  if (p.kind === 'W') {
    const g = values.dW?.[p.layer];
    const k = p.row * fanIn + p.col;
    return g && k < g.length ? g[k] : undefined;
  }
  const g = values.db?.[p.layer];
  return g && p.index < g.length ? g[p.index] : undefined;
}

/** Everything the diagram draws, with positions in viewBox units. Pure: no DOM. */
export function diagramModel(view: DiagramView): DiagramModel {
  const { net, naming, n, values } = view;
  const decimals = view.decimals ?? 4;
  const c = Math.min(Math.max(0, Math.floor(view.example)), Math.max(0, n - 1));
  const counts = [net.inputs, ...net.layers.map((layer) => layer.units)];
  /** Columns drawn as a strip (or, 784 inputs, as an image): no slots, no single edges. */
  const stripped = counts.map((count) => Boolean(view.summarise) && count > MAX_SHOWN);
  const slots = counts.map((count, col) => (stripped[col] ? [] : columnSlots(count)));
  const image = stripped[0] && net.inputs === 784;
  const tallest = Math.max(1, ...slots.map((s) => s.length));
  const geo = tallest > COMPACT_ABOVE || stripped.some(Boolean) ? DENSE : NORMAL;
  const { radius, colGap, biasSize, biasGap } = geo;
  const slotHeight = geo.slot;
  const half = (col: number): number => (stripped[col] ? (col === 0 && image ? IMAGE_SIDE / 2 : STRIP_WIDTH / 2) : radius);
  const marginX = half(0) + 12;
  const gapAfter = (col: number): number => Math.max(colGap, half(col) + half(col + 1) + 90);
  const colXs = counts.map((_, col) => marginX + counts.slice(0, col).reduce((sum, _c, k) => sum + gapAfter(k), 0));
  const width = colXs[colXs.length - 1] + half(counts.length - 1) + 12;
  const colX = (col: number): number => colXs[col];
  /** Slot k of a column with `len` slots, the columns centred on each other; the node sits low in its slot. */
  const slotY = (k: number, len: number): number => TOP + slotHeight - radius - 8 + (k + (tallest - len) / 2) * slotHeight;

  const nodes: DiagramNode[] = [];
  const markers: DiagramMarker[] = [];
  /** Position of drawn unit `index` of column `col`, for the edges. */
  const at = new Map<string, { x: number; y: number }>();
  const dash = '–';
  const fmt = (v: number | undefined): string => (v === undefined ? dash : fmtValue(v, decimals));

  slots.forEach((column, col) => {
    column.forEach((entry, k) => {
      const x = colX(col);
      const y = slotY(k, column.length);
      if (entry.kind === 'more') {
        markers.push({ column: col, x, y, hidden: entry.hidden, text: `⋮ +${entry.hidden} more` });
        return;
      }
      const i = entry.index;
      at.set(`${col}:${i}`, { x, y });
      if (col === 0) {
        const name = symText(naming.node({ kind: 'x', index: i }));
        const v = i * n + c < view.X.length ? fmtGiven(view.X[i * n + c], decimals) : dash;
        const short = geo === DENSE && i * n + c < view.X.length ? fmtValue(view.X[i * n + c], 2) : v;
        nodes.push({ key: `x:${i}`, kind: 'input', column: 0, index: i, x, y, r: radius, name, lines: [short], title: `${name} = ${v}` });
        return;
      }
      const l = col - 1;
      const z = valueAt(values.Z, l, i, n, c);
      const a = valueAt(values.A, l, i, n, c);
      const d = valueAt(values.delta, l, i, n, c);
      const zName = symText(naming.node({ kind: 'z', layer: l, unit: i }));
      const aName = symText(naming.node({ kind: 'a', layer: l, unit: i }));
      const dName = symText(naming.delta(l, i));
      nodes.push({
        key: `z:${l}:${i}`, kind: 'unit', column: col, index: i, x, y, r: radius,
        name: naming.unitLabel({ layer: l, unit: i }),
        // Dense layouts: the latest value only (δ after Backward, else a), to 2 decimals; all three in the tooltip.
        lines: geo === DENSE ? (d !== undefined ? [`δ ${fmtValue(d, 2)}`] : a !== undefined ? [`a ${fmtValue(a, 2)}`] : []) : [`z ${fmt(z)}`, `a ${fmt(a)}`, `δ ${fmt(d)}`],
        title: `${zName} = ${fmt(z)}, ${aName} = ${fmt(a)}, ${dName} = ${fmt(d)}`,
      });
    });
  });

  // Strips: a column of cells spanning the tallest column (the image: a square, centred).
  const strips: DiagramStrip[] = [];
  const bodyTop = TOP + slotHeight - radius - 8 - radius;
  const bodyBottom = TOP + (tallest - 1) * slotHeight + slotHeight - radius - 8 + radius;
  const bodyHeight = Math.max(bodyBottom - bodyTop, IMAGE_SIDE);
  counts.forEach((count, col) => {
    if (!stripped[col]) return;
    const x = colX(col);
    const y = bodyTop + (bodyBottom - bodyTop) / 2;
    if (col === 0) {
      const vals = Array.from({ length: count }, (_, j) => (j * n + c < view.X.length ? view.X[j * n + c] : 0));
      const colours = vals.map((v) => ink(v));
      const side = image ? IMAGE_SIDE : STRIP_WIDTH;
      strips.push({
        column: 0, x, y, w: side, h: image ? IMAGE_SIDE : bodyHeight, rows: image ? 28 : count, cols: image ? 28 : 1, colours, kind: image ? 'image' : 'strip',
        title: image ? `The input: example ${c + 1} as a 28 × 28 image (${count} inputs)` : `${count} inputs of example ${c + 1}, from ${fmtValue(Math.min(...vals), 2)} to ${fmtValue(Math.max(...vals), 2)}`,
      });
      return;
    }
    const l = col - 1;
    const a = Array.from({ length: count }, (_, i) => valueAt(values.A, l, i, n, c));
    const known = a.filter((v): v is number => v !== undefined);
    const top = known.length ? Math.max(...known.map(Math.abs)) : 0;
    strips.push({
      column: col, x, y, w: STRIP_WIDTH, h: bodyHeight, rows: count, cols: 1, kind: 'strip',
      colours: a.map((v) => (v === undefined ? '#e5e7eb' : signed(v, top))),
      title: known.length
        ? `${count} units of layer ${col}: their activations a for example ${c + 1}, from ${fmtValue(Math.min(...known), 2)} to ${fmtValue(Math.max(...known), 2)} (blue positive, orange negative)`
        : `${count} units of layer ${col} (press Forward to colour them by their activations)`,
    });
  });
  /** The vertical extent a column occupies (a strip: its height; units: first to last drawn circle). */
  const extent = (col: number): [number, number] => {
    const st = strips.find((x) => x.column === col);
    if (st) return [st.y - st.h / 2, st.y + st.h / 2];
    const ys = nodes.filter((nd) => nd.column === col).map((nd) => nd.y);
    return [Math.min(...ys) - radius / 2, Math.max(...ys) + radius / 2];
  };
  const bands: string[] = [];

  const edges: DiagramEdge[] = [];
  const biases: DiagramBias[] = [];
  net.layers.forEach((layer, l) => {
    if (stripped[l] || stripped[l + 1]) {
      // All of this layer's weights as one shaded band between the two columns.
      const [a0, a1] = extent(l);
      const [b0, b1] = extent(l + 1);
      const x0 = colX(l) + half(l) + 2;
      const x1 = colX(l + 1) - half(l + 1) - 2;
      bands.push(`${r2(x0)},${r2(a0)} ${r2(x1)},${r2(b0)} ${r2(x1)},${r2(b1)} ${r2(x0)},${r2(a1)}`);
      return;
    }
    const W = view.params.W[l];
    const maxW = maxAbs(W);
    const drawnRows = slots[l + 1].flatMap((s) => (s.kind === 'unit' ? [s.index] : []));
    const drawnCols = slots[l].flatMap((s) => (s.kind === 'unit' ? [s.index] : []));
    // Dense layouts name at most 8 edges of a layer: more names crowd near the source units.
    const labelled = drawnRows.length * drawnCols.length <= (geo === DENSE ? 8 : LABEL_EDGES_UP_TO);
    for (const i of drawnRows) {
      const to = at.get(`${l + 1}:${i}`)!;
      for (const j of drawnCols) {
        const from = at.get(`${l}:${j}`)!;
        const p: ParamId = { kind: 'W', layer: l, row: i, col: j };
        const w = W[i * layer.fanIn + j];
        const seg = between(from.x, from.y, radius, to.x, to.y, radius);
        // Names sit near the source end, where the edges leaving one node are still apart.
        const t = 0.3;
        edges.push({
          ...seg, param: p, key: paramKey(p), name: symText(naming.param(p)), value: w,
          color: colorOf(w), width: strokeWidth(w, maxW),
          label: labelled ? { x: seg.x1 + (seg.x2 - seg.x1) * t, y: seg.y1 + (seg.y2 - seg.y1) * t } : undefined,
          ariaLabel: paramLabel(view, p, w, gradOf(values, p, layer.fanIn), decimals),
          selected: sameParam(view.selected, p),
        });
      }
    }
    const b = view.params.b[l];
    if (layer.bias === 'shared') {
      // One square above the gap before the layer's column, with a line to every drawn unit.
      const p: ParamId = { kind: 'b', layer: l, index: 0 };
      const x = colX(l + 1) - colGap / 2;
      const y = TOP / 2 + 4;
      biases.push({
        param: p, key: paramKey(p), name: symText(naming.param(p)), value: b[0], x, y, size: biasSize, color: colorOf(b[0]),
        lines: drawnRows.map((i) => {
          const to = at.get(`${l + 1}:${i}`)!;
          return between(x, y, biasSize / 2, to.x, to.y, radius);
        }),
        ariaLabel: paramLabel(view, p, b[0], gradOf(values, p, layer.fanIn), decimals),
        selected: sameParam(view.selected, p),
      });
    } else if (layer.bias === 'per-unit') {
      // One square right above each drawn unit (incoming edges arrive from the left, so none cross it).
      for (const i of drawnRows) {
        const p: ParamId = { kind: 'b', layer: l, index: i };
        const to = at.get(`${l + 1}:${i}`)!;
        const x = to.x;
        const y = to.y - radius - biasGap - biasSize / 2;
        biases.push({
          param: p, key: paramKey(p), name: symText(naming.param(p)), value: b[i], x, y, size: biasSize, color: colorOf(b[i]),
          lines: [between(x, y, biasSize / 2, to.x, to.y, radius)],
          ariaLabel: paramLabel(view, p, b[i], gradOf(values, p, layer.fanIn), decimals),
          selected: sameParam(view.selected, p),
        });
      }
    }
  });

  const columns: ColumnInfo[] = counts.map((total, col) => {
    const shown = stripped[col] ? 0 : slots[col].filter((s) => s.kind === 'unit').length;
    return { column: col, total, shown, hidden: total - shown, what: col === 0 ? 'inputs' : col === counts.length - 1 ? 'outputs' : `units of layer ${col}` };
  });
  const elided = columns.filter((ci) => ci.hidden > 0 && !stripped[ci.column]);
  const summarised = columns.filter((ci) => stripped[ci.column]);
  const parts = [
    ...(elided.length ? [`Showing ${elided.map((ci) => `${ci.shown} of ${ci.total} ${ci.what}`).join(', ')}, and only the weights between the units shown.`] : []),
    ...(summarised.length ? [`${summarised.map((ci) => `${ci.total} ${ci.what}`).join(' and ')} drawn as ${image ? 'the input image and ' : ''}a strip; the grey bands are all their weights. Expand to select them one by one.`] : []),
  ];
  const caption = parts.length === 0
    ? 'Every weight is an edge (blue positive, orange negative, width ∝ |w|); squares are biases. Select one to explain its gradient.'
    : `${parts.join(' ')} Select an edge or bias to explain its gradient.`;
  const shape = counts.join('-');
  const hiddenText = [...elided.map((ci) => `${ci.hidden} ${ci.what} not drawn`), ...summarised.map((ci) => `${ci.total} ${ci.what} summarised`)];
  const title = `${shape} net, example ${c + 1} of ${n}${hiddenText.length > 0 ? ` (${hiddenText.join(', ')})` : ''}`;
  let bodyW = width;
  let bodyH = Math.max(TOP + tallest * slotHeight, bodyTop + bodyHeight + 8);
  if (view.layout === 'rows') {
    // Layers top → bottom: swap x and y of everything (circles, squares and text keep their shape).
    for (const p of [...nodes, ...markers, ...biases, ...strips]) [p.x, p.y] = [p.y, p.x];
    for (const st of strips) if (st.kind === 'strip') [st.w, st.h, st.rows, st.cols] = [st.h, st.w, st.cols, st.rows];
    const swap = (sg: Segment) => { [sg.x1, sg.y1, sg.x2, sg.y2] = [sg.y1, sg.x1, sg.y2, sg.x2]; };
    for (const e of edges) {
      swap(e);
      if (e.label) e.label = { x: e.label.y, y: e.label.x };
    }
    for (const b of biases) b.lines.forEach(swap);
    for (const mk of markers) mk.text = mk.text.replace('⋮', '⋯');
    for (let k = 0; k < bands.length; k++) bands[k] = bands[k].split(' ').map((pt) => pt.split(',').reverse().join(',')).join(' ');
    [bodyW, bodyH] = [bodyH, bodyW];
  }
  const captionLines = wrapText(caption, Math.floor((bodyW - 16) / CAPTION_CHAR));
  const captionY = bodyH + 10;
  const height = captionY + captionLines.length * CAPTION_LINE;
  return { width: bodyW, height, nodes, markers, edges, biases, strips, bands, columns, title, caption, captionLines, captionY };
}

/** A grey level for an input value in [0, 1] (dark ink on white: 1 is black). */
function ink(v: number): string {
  const g = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
  return `rgb(${g},${g},${g})`;
}

/** Blue for positive, orange for negative, stronger with |v| / top. */
function signed(v: number, top: number): string {
  const t = top > 0 ? Math.min(1, Math.abs(v) / top) : 0;
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t);
  return v >= 0 ? `rgb(${mix(243, 37)},${mix(244, 99)},${mix(246, 235)})` : `rgb(${mix(243, 234)},${mix(244, 88)},${mix(246, 12)})`;
}

// ——— SVG ———

const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const INK = '#111827';
const MUTED = '#4b5563';

type Attrs = Record<string, string | number>;

/**
 * The focus ring of an edge or bias (the browser's default is a box around the whole group): the wide hit
 * line turns visible. In the SVG itself so that the diagram needs no stylesheet; a page's CSS may override it.
 */
const FOCUS_CSS = '.nd-edge,.nd-bias{outline:none}.nd-edge:focus-visible .nd-edge-hit,.nd-bias:focus-visible .nd-edge-hit{stroke:rgba(17,24,39,.28)}.nd-bias:focus-visible .nd-bias-box{stroke-width:4}';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;
const segAttrs = (s: Segment): Attrs => ({ x1: r2(s.x1), y1: r2(s.y1), x2: r2(s.x2), y2: r2(s.y2) });

/** Text with a white halo, so it stays readable over edges. */
function haloText(x: number, y: number, text: string, attrs: Attrs): SVGTextElement {
  return svg('text', { x: r2(x), y: r2(y), 'text-anchor': 'middle', stroke: '#ffffff', 'stroke-width': 4, 'stroke-linejoin': 'round', 'paint-order': 'stroke', ...attrs }, text);
}

function button(cls: string, key: string, ariaLabel: string, selected: boolean): SVGGElement {
  const g = svg('g', { class: selected ? `${cls} selected` : cls, tabindex: 0, role: 'button', 'aria-label': ariaLabel, 'aria-pressed': String(selected), 'data-param': key, cursor: 'pointer' });
  g.append(svg('title', {}, ariaLabel));
  return g;
}

function edgeEl(e: DiagramEdge): SVGGElement {
  const g = button('nd-edge', e.key, e.ariaLabel, e.selected);
  g.append(svg('line', { ...segAttrs(e), class: 'nd-edge-line', stroke: e.color, 'stroke-width': r2(e.width), 'stroke-linecap': 'round', 'stroke-opacity': e.selected ? 1 : 0.85 }));
  g.append(svg('line', { ...segAttrs(e), class: 'nd-edge-hit', stroke: 'transparent', 'stroke-width': 12, 'pointer-events': 'stroke' }));
  return g;
}

function biasEl(b: DiagramBias): SVGGElement {
  const g = button('nd-bias', b.key, b.ariaLabel, b.selected);
  for (const s of b.lines) {
    g.append(svg('line', { ...segAttrs(s), class: 'nd-bias-line', stroke: b.color, 'stroke-width': 1.5, 'stroke-dasharray': '5 3' }));
    g.append(svg('line', { ...segAttrs(s), class: 'nd-edge-hit', stroke: 'transparent', 'stroke-width': 12, 'pointer-events': 'stroke' }));
  }
  const half = b.size / 2;
  g.append(svg('rect', {
    class: 'nd-bias-box', x: r2(b.x - half), y: r2(b.y - half), width: b.size, height: b.size, rx: 4,
    fill: b.selected ? '#fef3c7' : '#ffffff', stroke: b.selected ? INK : b.color, 'stroke-width': b.selected ? 3 : 2,
  }));
  g.append(svg('text', { class: 'nd-bias-name', x: r2(b.x), y: r2(b.y + b.size / 6), 'text-anchor': 'middle', 'font-size': r2((b.size / 30) * (b.name.length > 3 ? 11 : 14)), 'font-family': FONT, fill: INK, 'pointer-events': 'none' }, b.name));
  return g;
}

/** A strip of cells (a wide layer) or the input image: one rect per cell, pixel-crisp, with its description. */
function stripEl(st: DiagramStrip): SVGGElement {
  const g = svg('g', { class: `nd-strip nd-${st.kind}`, role: 'img', 'aria-label': st.title, 'data-strip': st.column, 'shape-rendering': 'crispEdges' });
  g.append(svg('title', {}, st.title));
  const x0 = st.x - st.w / 2;
  const y0 = st.y - st.h / 2;
  const cw = st.w / st.cols;
  const ch = st.h / st.rows;
  st.colours.forEach((colour, k) => {
    const r = Math.floor(k / st.cols);
    const col = k % st.cols;
    g.append(svg('rect', { x: r2(x0 + col * cw), y: r2(y0 + r * ch), width: r2(cw + 0.3), height: r2(ch + 0.3), fill: colour }));
  });
  g.append(svg('rect', { x: r2(x0), y: r2(y0), width: r2(st.w), height: r2(st.h), fill: 'none', stroke: INK, 'stroke-width': 1.5 }));
  return g;
}

/** A node: its circle, its name and, inside the circle under the name, its value lines. */
function nodeEl(nd: DiagramNode): SVGGElement {
  const g = svg('g', { class: `nd-node nd-${nd.kind}`, 'data-node': nd.key });
  g.append(svg('title', {}, nd.title));
  g.append(svg('circle', { class: 'nd-node-circle', cx: nd.x, cy: nd.y, r: nd.r, fill: nd.kind === 'input' ? '#f3f4f6' : '#ffffff', stroke: INK, 'stroke-width': 2 }));
  // Fonts scale with the circle, but not below 0.85 of the normal size (dense layouts show fewer lines instead).
  const k = Math.max(nd.r / 48, 0.85);
  const nameSize = k * (nd.name.length <= 4 ? 18 : nd.name.length <= 6 ? 14 : 11);
  const lineHeight = k * 16;
  // Baselines: the name, then one line per value, the block centred on the circle's centre.
  const blockHeight = nameSize + nd.lines.length * lineHeight;
  const nameBaseline = nd.y - blockHeight / 2 + nameSize * 0.8;
  g.append(svg('text', { class: 'nd-node-name', x: nd.x, y: r2(nameBaseline), 'text-anchor': 'middle', 'font-size': r2(nameSize), 'font-weight': 700, 'font-family': FONT, fill: INK }, nd.name));
  const longest = Math.max(0, ...nd.lines.map((line) => line.length));
  const values = svg('g', { class: 'nd-node-values', 'font-family': MONO, 'font-size': r2(k * (longest <= 8 ? 14 : 12)), fill: MUTED, 'text-anchor': 'middle' });
  nd.lines.forEach((line, i) => values.append(svg('text', { x: nd.x, y: r2(nameBaseline + 4 * k + (i + 1) * lineHeight) }, line)));
  g.append(values);
  return g;
}

function modelToSvg(m: DiagramModel): SVGSVGElement {
  const root = svg('svg', {
    class: 'network-diagram', viewBox: `0 0 ${m.width} ${m.height}`, width: '100%', role: 'group',
    'aria-label': m.title, preserveAspectRatio: 'xMidYMid meet', style: 'display:block',
  });
  root.append(svg('title', {}, `${m.title}. ${m.caption}`));
  // The buttons stay in parameter order (w1 … then b1 …), which is the Tab order; the selected one is
  // drawn again on top, outlined, in a layer that takes no clicks and is hidden from assistive technology.
  const edgeLayer = svg('g', { class: 'nd-edges' });
  for (const e of m.edges) edgeLayer.append(edgeEl(e));
  const selection = svg('g', { class: 'nd-selection', 'pointer-events': 'none', 'aria-hidden': 'true' });
  for (const e of m.edges.filter((x) => x.selected)) {
    selection.append(
      svg('line', { ...segAttrs(e), class: 'nd-edge-outline', stroke: INK, 'stroke-width': r2(e.width + 5), 'stroke-linecap': 'round' }),
      svg('line', { ...segAttrs(e), stroke: e.color, 'stroke-width': r2(e.width), 'stroke-linecap': 'round' }),
    );
  }
  for (const b of m.biases.filter((x) => x.selected)) {
    for (const s of b.lines) selection.append(svg('line', { ...segAttrs(s), class: 'nd-edge-outline', stroke: INK, 'stroke-width': 5, 'stroke-linecap': 'round' }));
  }
  const labels = svg('g', { class: 'nd-edge-labels', 'pointer-events': 'none', 'font-family': FONT, 'font-size': 13, fill: INK });
  for (const e of m.edges) if (e.label) labels.append(haloText(e.label.x, e.label.y + 4, e.name, { class: 'nd-edge-label', 'font-weight': e.selected ? 700 : 400 }));
  const nodeLayer = svg('g', { class: 'nd-nodes' });
  for (const nd of m.nodes) nodeLayer.append(nodeEl(nd));
  for (const mk of m.markers) {
    nodeLayer.append(haloText(mk.x, mk.y + 5, mk.text, { class: 'nd-more', 'font-family': FONT, 'font-size': 15, 'font-weight': 600, fill: MUTED }));
  }
  const biasLayer = svg('g', { class: 'nd-biases' });
  for (const b of m.biases) biasLayer.append(biasEl(b));
  const bandLayer = svg('g', { class: 'nd-bands', 'aria-hidden': 'true' });
  for (const pts of m.bands) bandLayer.append(svg('polygon', { points: pts, fill: '#94a3b8', 'fill-opacity': 0.22, stroke: '#94a3b8', 'stroke-opacity': 0.5 }));
  for (const st of m.strips) nodeLayer.append(stripEl(st));
  const caption = svg('text', { class: 'nd-caption', 'text-anchor': 'middle', 'font-family': FONT, 'font-size': 13, fill: MUTED });
  m.captionLines.forEach((line, k) => caption.append(svg('tspan', { x: r2(m.width / 2), y: m.captionY + 13 + k * 18 }, line)));
  root.append(svg('style', {}, FOCUS_CSS), bandLayer, edgeLayer, selection, biasLayer, nodeLayer, labels, caption);
  return root;
}

/**
 * The diagram in a host element. Clicks and Enter/Space on an edge or bias call onSelect with its ParamId;
 * the host decides what is selected and calls render again (the diagram keeps no selection of its own).
 */
export class NetworkDiagram {
  private byKey = new Map<string, ParamId>();
  /** Wide layers one unit at a time (the "Expand" toggle) instead of as strips. */
  private expanded = false;
  private last: DiagramView | null = null;
  private layout: 'rows' | 'columns' = 'columns';

  /**
   * Tall nets in a host of fixed size (CSS: --diagram-fit: box, the 1280 × 800 workspace) wider than tall run top →
   * bottom; elsewhere (a phone: the host is as tall as its SVG) layers go left → right.
   */
  private layoutFor(view: DiagramView): 'rows' | 'columns' {
    const tall = [view.net.inputs, ...view.net.layers.map((l) => l.units)].some((u) => u > COMPACT_ABOVE);
    if (!tall || getComputedStyle(this.host).getPropertyValue('--diagram-fit').trim() !== 'box') return 'columns';
    const box = this.host.getBoundingClientRect();
    return box.height >= 150 && box.width / box.height > 1.15 ? 'rows' : 'columns';
  }

  constructor(private readonly host: HTMLElement, private readonly onSelect: (p: ParamId) => void) {
    // A new size may call for the other layout (a window resized, a phone turned): draw again when it does.
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(() => {
        if (this.last && this.layoutFor(this.last) !== this.layout) this.render(this.last);
      }).observe(host);
    }
    host.addEventListener('click', (ev) => {
      const p = this.paramOf(ev.target);
      if (p) this.onSelect(p);
    });
    host.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      const p = this.paramOf(ev.target);
      if (!p) return;
      ev.preventDefault(); // Space would scroll the page
      this.onSelect(p);
    });
  }

  private paramOf(target: EventTarget | null): ParamId | undefined {
    if (!(target instanceof Element)) return undefined;
    const key = target.closest('[data-param]')?.getAttribute('data-param');
    return key ? this.byKey.get(key) : undefined;
  }

  /**
   * Draw the view, replacing what was there; keyboard focus stays on the same parameter. Unless the view says,
   * wide layers are strips (with an Expand toggle) and tall nets in a wide, low host run top → bottom.
   */
  render(view: DiagramView): void {
    this.last = view;
    const wide = [view.net.inputs, ...view.net.layers.map((l) => l.units)].some((u) => u > MAX_SHOWN);
    this.layout = this.layoutFor(view);
    const model = diagramModel({ summarise: wide && !this.expanded, layout: this.layout, ...view });
    this.byKey = new Map([...model.edges, ...model.biases].map((x) => [x.key, x.param]));
    const active = document.activeElement;
    const focused = active instanceof Element && this.host.contains(active) ? active.getAttribute('data-param') : null;
    const parts: Node[] = [modelToSvg(model)];
    if (wide) {
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'strip-toggle';
      toggle.setAttribute('aria-pressed', String(this.expanded));
      toggle.textContent = this.expanded ? 'Summarise wide layers' : `Expand wide layers (${MAX_SHOWN} units each)`;
      toggle.addEventListener('click', () => {
        this.expanded = !this.expanded;
        if (this.last) this.render(this.last);
        this.host.querySelector<HTMLButtonElement>('.strip-toggle')?.focus();
      });
      parts.push(toggle);
    }
    this.host.replaceChildren(...parts);
    if (focused) {
      const again = [...this.host.querySelectorAll<SVGGElement>('[data-param]')].find((el) => el.getAttribute('data-param') === focused);
      again?.focus({ preventScroll: true });
    }
  }
}
