/**
 * The network diagram's pure model (no DOM, so Node tests check it): `diagramModel(view)` places every unit,
 * input, weight edge, bias box, "⋯ +k" marker and summarised strip in viewBox units, with their labels,
 * tooltips and aria-labels, and writes the caption. src/lab/diagram.ts turns the model into SVG.
 *
 * Layout (examples are columns everywhere in the engine): X is (inputs × n) and Z[l], A[l], delta[l] are
 * (units × n) row-major, so A[l][i * n + c] is unit i of layer l+1 for example c. W[l] is (units × fanIn)
 * row-major: W[l][i * fanIn + j] connects unit j of layer l (layer 0 is X = A_0) to unit i of layer l+1.
 *
 * Big layers (MNIST: 784 inputs) draw at most MAX_SHOWN slots: the first 8 units, a "⋯ +k" marker, the
 * last unit, and only the edges between drawn units; the caption says so. Nets with more than COMPACT_ABOVE
 * slots in a column use smaller circles so that they fit a screen's height (the <svg> is at most 80vh tall).
 * Per-unit biases sit right above their unit (drawn top to bottom: beside it, a box wider than tall turned); a shared
 * bias is one box above the gap before its layer.
 * With `summarise`, layers wider than MAX_SHOWN are one strip of cells and 784 inputs the 28 × 28 image.
 */
import { paramRole } from '../notation/format.ts';
import { fmtGiven, fmtValue } from '../notation/numbers.ts';
import { type ParamId, paramKey } from '../notation/names.ts';
import { symText } from '../notation/symbols.ts';
import { NODE_STROKE, nodeText } from './node-text.ts';
import { binned, perCell, range } from './strip.ts';
import type { DiagramBias, DiagramEdge, DiagramMarker, DiagramModel, DiagramNode, DiagramStrip, DiagramValues, DiagramView, ColumnInfo, Segment, StripShade } from './diagram-types.ts';
import { type Palette, rgbOf } from './palette.ts';

// The types live in ./diagram-types.ts; every importer of this module keeps finding them here.
export type { DiagramValues, DiagramView, DiagramStrip, StripShade, DiagramNode, DiagramMarker, Segment, DiagramEdge, DiagramBias, ColumnInfo, DiagramModel } from './diagram-types.ts';

// ——— the pure model ———

/** Colours of a weight or bias by its sign. */
export const POSITIVE = '#2563eb';
export const NEGATIVE = '#ea580c';
export const ZERO = '#9ca3af';

/** At most this many slots per column: the first MAX_SHOWN − 2 units, a "⋯ +k" marker, the last unit. */
export const MAX_SHOWN = 10;
/** Weight names are written on the edges of a layer that draws at most this many edges. */
const LABEL_EDGES_UP_TO = 16;
/** Font size of the weights' names (viewBox units), and the width of one of their characters, in em, at most. */
export const EDGE_LABEL_SIZE = 13;
export const LABEL_CHAR = 0.65;
/** Where along its edge (from the source) a weight's name may go: the first place clear of the names placed before it. */
const LABEL_AT = [0.3, 0.4, 0.2, 0.5, 0.6];

/** Sizes in viewBox units. The name and the z / a / δ lines are written inside each circle. */
interface Geometry {
  radius: number;
  /** Between column centres. */
  colGap: number;
  /** One slot of a column: a node and, above it, its per-unit bias box. */
  slot: number;
  biasSize: number;
  /**
   * Space between a node and the per-unit bias box above it: the box's painted edge (BIAS_STROKE_SELECTED)
   * as far from its unit's circle (NODE_STROKE) as from the circle of the slot above.
   */
  biasGap: number;
}

/** Stroke widths (viewBox units) of a bias's box (selected: the wider one); a node's circle's is NODE_STROKE. */
export const BIAS_STROKE = 2;
export const BIAS_STROKE_SELECTED = 3;
/** A bias's name's baseline below its box's centre, in em: its capitals and digits (0.76 em tall) are centred. */
export const BIAS_NAME_DY = 0.36;
/** Font size (viewBox units) of the "⋯ +k" markers (bold). */
export const MARKER_SIZE = 15;

/** The least room (viewBox units) between a bias box's painted edge and a circle's: the diagram test's bound. */
export const BIAS_CLEARANCE = 2;

/**
 * The widest a per-unit bias box may lie along its unit's axis — the row, drawn top to bottom — and keep BIAS_CLEARANCE
 * from its own circle and the next one, both strokes selected: 45 in the normal layout, 15 in the dense one.
 */
function uprightRoom(geo: Geometry): number {
  const centre = geo.radius + geo.biasGap + geo.biasSize / 2; // from its unit's centre; the next unit's is geo.slot away
  const edge = (gap: number): number => gap - NODE_STROKE / 2 - BIAS_STROKE_SELECTED / 2 - BIAS_CLEARANCE;
  return 2 * Math.min(edge(centre - geo.radius), edge(geo.slot - centre - geo.radius));
}

/**
 * A bias's box and name: the name's size (not below the weights' names, EDGE_LABEL_SIZE: the dense layouts' 18-unit
 * squares gave 8.4, ~5 px on screen), and a box as tall as `biasSize` and wide enough for the name at LABEL_CHAR em a
 * character inside its selected stroke (the dense layout's 14-unit square was narrower than "b33" at 13: a name with
 * a thin frame). NOTE: only the width grows, so the box clears the circles above and below it as the square did.
 */
function biasBox(geo: Geometry, name: string): { width: number; height: number; nameSize: number } {
  const nameSize = Math.max((geo.biasSize / 30) * (name.length > 3 ? 11 : 14), EDGE_LABEL_SIZE);
  const width = Math.max(geo.biasSize, Math.ceil(name.length * LABEL_CHAR * nameSize + BIAS_STROKE_SELECTED + 1));
  return { width, height: geo.biasSize, nameSize };
}

/**
 * Small nets (at most COMPACT_ABOVE slots in every column): big circles, values readable on a phone. A per-unit
 * bias box's painted edge is 9.5 units from both circles, selected (biasGap 22 touched the circle above: XOR's 2-4-1).
 */
const NORMAL: Geometry = { radius: 48, colGap: 190, slot: 150, biasSize: 30, biasGap: 12 };
/**
 * Tall nets (5 … 10 slots in a column): smaller circles with the name and one value (the latest of a, δ), so
 * that ten units fit a 1280 × 800 workspace legibly (the rest of a unit's values are in its tooltip). NOTE: the
 * square is 14, 2.5 units clear of both circles, selected: an 18-unit square touched the circle above (MNIST expanded on a
 * phone), and a taller slot would shrink every name of MNIST's drawing at 1280 × 800 (the lab test's 9 px). The box is 14
 * tall and as wide as its name needs (biasBox).
 */
const DENSE: Geometry = { radius: 30, colGap: 170, slot: 84, biasSize: 14, biasGap: 5 };
/** Side of the 28 × 28 input image (viewBox units), and the width of a strip. */
const IMAGE_SIDE = 168;
const STRIP_WIDTH = 30;
export const COMPACT_ABOVE = 4;
/** Room above the top slot for the shared-bias boxes. */
const TOP = 44;
const MIN_WIDTH = 1;
const MAX_WIDTH = 6;

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

/**
 * A negative weight's dash pattern for an edge `width` wide (viewBox units), so that its sign is not its hue alone
 * (WCAG 1.4.1: under achromatopsia, in a forced-colours theme or a greyscale print the blue and the orange were one
 * line). The edge's round caps add half its width to each end of a dash, so the gap is the width and 3 more (3 left
 * open), the dash the width and 6 (twice the width and 6 seen): a long dash, unlike a bias's thin 5 3 line.
 */
export function negativeDash(v: number, width: number): string | undefined {
  return v < 0 ? `${Math.round((width + 6) * 100) / 100} ${Math.round((width + 3) * 100) / 100}` : undefined;
}
/** A negative bias's box edge (butt ends: the gap is as written), its sign told by more than its hue as a weight's is. */
export const NEGATIVE_BOX_DASH = '4 2.5';
const boxDash = (v: number): string | undefined => (v < 0 ? NEGATIVE_BOX_DASH : undefined);

/** Stroke width for |w| in a layer whose largest |w| is `max`: MIN_WIDTH … MAX_WIDTH px. */
function strokeWidth(w: number, max: number): number {
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

/** Where the columns and slots go: the sizes every placing step below shares. */
interface Layout {
  /** The example (column of X, Z, A, delta) the nodes show, clamped to the batch. */
  c: number;
  /** Units per column: the inputs, then each layer's. */
  counts: number[];
  /** Columns drawn as a strip (or, 784 inputs, as an image): no slots, no single edges. */
  stripped: boolean[];
  slots: Slot[][];
  /** The inputs drawn as the 28 × 28 image. */
  image: boolean;
  /** Slots in the tallest column. */
  tallest: number;
  geo: Geometry;
  /** Half the width a column's nodes or strip take. */
  half: (col: number) => number;
  /** Centre x of column `col`. */
  colX: (col: number) => number;
  /** Centre y of slot k of a column with `len` slots, the columns centred on each other; the node sits low in its slot. */
  slotY: (k: number, len: number) => number;
  width: number;
}

function layoutOf(view: DiagramView): Layout {
  const { net, n } = view;
  const c = Math.min(Math.max(0, Math.floor(view.example)), Math.max(0, n - 1));
  const counts = [net.inputs, ...net.layers.map((layer) => layer.units)];
  const stripped = counts.map((count) => Boolean(view.summarise) && count > MAX_SHOWN);
  const slots = counts.map((count, col) => (stripped[col] ? [] : columnSlots(count)));
  const image = stripped[0] && net.inputs === 784;
  const tallest = Math.max(1, ...slots.map((s) => s.length));
  const geo = tallest > COMPACT_ABOVE || stripped.some(Boolean) ? DENSE : NORMAL;
  const half = (col: number): number => (stripped[col] ? (col === 0 && image ? IMAGE_SIDE / 2 : STRIP_WIDTH / 2) : geo.radius);
  const marginX = half(0) + 12;
  const gapAfter = (col: number): number => Math.max(geo.colGap, half(col) + half(col + 1) + 90);
  const colXs = counts.map((_, col) => marginX + counts.slice(0, col).reduce((sum, _c, k) => sum + gapAfter(k), 0));
  const width = colXs[colXs.length - 1] + half(counts.length - 1) + 12;
  const slotY = (k: number, len: number): number => TOP + geo.slot - geo.radius - 8 + (k + (tallest - len) / 2) * geo.slot;
  return { c, counts, stripped, slots, image, tallest, geo, half, colX: (col) => colXs[col], slotY, width };
}

/** The inputs and units drawn one by one, the "⋯ +k" markers, and where each drawn unit sits (for the edges). */
function placeUnits(view: DiagramView, lay: Layout): { nodes: DiagramNode[]; markers: DiagramMarker[]; at: Map<string, { x: number; y: number }> } {
  const { naming, n, values } = view;
  const { c, geo } = lay;
  const decimals = view.decimals ?? 4;
  const nodes: DiagramNode[] = [];
  const markers: DiagramMarker[] = [];
  /** Position of drawn unit `index` of column `col`, keyed `${col}:${index}`. */
  const at = new Map<string, { x: number; y: number }>();
  const dash = '–';
  const fmt = (v: number | undefined): string => (v === undefined ? dash : fmtValue(v, decimals));
  lay.slots.forEach((column, col) => {
    column.forEach((entry, k) => {
      const x = lay.colX(col);
      const y = lay.slotY(k, column.length);
      if (entry.kind === 'more') {
        // Written along its layer (turned: up a column, left to right), between the circle before it and the next unit's
        // bias box (or circle), and centred there. Across a column, "⋮ +775 more" was crossed by the steep weights of
        // x784 under it (MNIST at 390 × 844); along a row, at the slot's centre, it ran over x8 and x784, "⋯ +23 more"
        // over b32.
        const before = y - geo.slot + geo.radius + NODE_STROKE / 2;
        const perUnit = col > 0 && view.net.layers[col - 1].bias === 'per-unit';
        const after = y + geo.slot - geo.radius - (perUnit ? geo.biasGap + geo.biasSize + BIAS_STROKE_SELECTED / 2 : NODE_STROKE / 2);
        markers.push({ column: col, x, y: (before + after) / 2, hidden: entry.hidden, text: `⋯ +${entry.hidden}`, turned: true });
        return;
      }
      const i = entry.index;
      at.set(`${col}:${i}`, { x, y });
      if (col === 0) {
        const name = symText(naming.node({ kind: 'x', index: i }));
        const v = i * n + c < view.X.length ? fmtGiven(view.X[i * n + c], decimals) : dash;
        const short = geo === DENSE && i * n + c < view.X.length ? fmtValue(view.X[i * n + c], 2) : v;
        nodes.push({ key: `x:${i}`, kind: 'input', column: 0, index: i, x, y, r: geo.radius, name, lines: [short], title: `${name} = ${v}`, text: nodeText(geo.radius, name, [short]) });
        return;
      }
      const l = col - 1;
      const z = valueAt(values.Z, l, i, n, c);
      const a = valueAt(values.A, l, i, n, c);
      const d = valueAt(values.delta, l, i, n, c);
      const zName = symText(naming.node({ kind: 'z', layer: l, unit: i }));
      const aName = symText(naming.node({ kind: 'a', layer: l, unit: i }));
      const dName = symText(naming.delta(l, i));
      const own = naming.unitLabel({ layer: l, unit: i });
      const meaning = l === view.net.layers.length - 1 ? view.outputLabels?.[i] : undefined;
      const name = meaning?.name ?? own;
      // Dense layouts: the latest value only (δ after Backward, else a), to 2 decimals; all three in the tooltip.
      const lines = geo === DENSE ? (d !== undefined ? [`δ ${fmtValue(d, 2)}`] : a !== undefined ? [`a ${fmtValue(a, 2)}`] : []) : [`z ${fmt(z)}`, `a ${fmt(a)}`, `δ ${fmt(d)}`];
      nodes.push({
        key: `z:${l}:${i}`, kind: 'unit', column: col, index: i, x, y, r: geo.radius, name, lines,
        title: `${meaning ? `${meaning.title} (${own}): ` : ''}${zName} = ${fmt(z)}, ${aName} = ${fmt(a)}, ${dName} = ${fmt(d)}`, text: nodeText(geo.radius, name, lines),
      });
    });
  });
  return { nodes, markers, at };
}

/** The body's vertical extent: from the top circle's top to the bottom circle's bottom, at least the image's side. */
function bodyOf(lay: Layout): { top: number; bottom: number; height: number } {
  const { radius, slot } = lay.geo;
  const top = TOP + slot - radius - 8 - radius;
  const bottom = TOP + (lay.tallest - 1) * slot + slot - radius - 8 + radius;
  return { top, bottom, height: Math.max(bottom - top, IMAGE_SIDE) };
}

/** Strips: each summarised column as a column of cells spanning the body (the image: a square, centred). */
function placeStrips(view: DiagramView, lay: Layout): DiagramStrip[] {
  const { n, values } = view;
  const { c, image } = lay;
  const body = bodyOf(lay);
  const strips: DiagramStrip[] = [];
  lay.counts.forEach((count, col) => {
    if (!lay.stripped[col]) return;
    const x = lay.colX(col);
    const y = body.top + (body.bottom - body.top) / 2;
    if (col === 0) {
      const vals = Array.from({ length: count }, (_, j) => (j * n + c < view.X.length ? view.X[j * n + c] : 0));
      const side = image ? IMAGE_SIDE : STRIP_WIDTH;
      const cells = image ? { values: vals, per: 1 } : binned(vals);
      const shade: StripShade = { kind: 'ink' };
      const [lo, hi] = range(vals);
      strips.push({
        column: 0, x, y, w: side, h: image ? IMAGE_SIDE : body.height, rows: image ? 28 : cells.values.length, cols: image ? 28 : 1, kind: image ? 'image' : 'strip',
        cells: cells.values, shade,
        title: image ? `The input: example ${c + 1} as a 28 × 28 image (${count} inputs)` : `${count} inputs of example ${c + 1}, from ${fmtValue(lo, 2)} to ${fmtValue(hi, 2)}${perCell(cells.per, 'inputs')}`,
      });
      return;
    }
    const l = col - 1;
    const a = Array.from({ length: count }, (_, i) => valueAt(values.A, l, i, n, c));
    const known = a.filter((v): v is number => v !== undefined);
    const [lo, hi] = range(known);
    const top = Math.max(Math.abs(lo), Math.abs(hi)) || 0;
    const cells = binned(a);
    const shade: StripShade = { kind: 'signed', top };
    strips.push({
      column: col, x, y, w: STRIP_WIDTH, h: body.height, rows: cells.values.length, cols: 1, kind: 'strip',
      cells: cells.values, shade,
      title: known.length
        ? `${count} units of layer ${col}: their activations a for example ${c + 1}, from ${fmtValue(lo, 2)} to ${fmtValue(hi, 2)} (blue positive, orange negative)${perCell(cells.per, 'units')}`
        : `${count} units of layer ${col} (press Forward to colour them by their activations)${perCell(cells.per, 'units')}`,
    });
  });
  return strips;
}

/**
 * Every weight drawn one by one as an edge, every bias as a box, and between a summarised column and its
 * neighbour one shaded band for all of that layer's weights.
 */
function placeWeights(
  view: DiagramView, lay: Layout, placed: { nodes: DiagramNode[]; at: Map<string, { x: number; y: number }>; strips: DiagramStrip[] },
): { edges: DiagramEdge[]; biases: DiagramBias[]; bands: string[] } {
  const { net, naming, values } = view;
  const { radius, colGap, biasSize, biasGap } = lay.geo;
  const decimals = view.decimals ?? 4;
  const { at } = placed;
  /** The vertical extent a column occupies (a strip: its height; units: first to last drawn circle). */
  const extent = (col: number): [number, number] => {
    const st = placed.strips.find((x) => x.column === col);
    if (st) return [st.y - st.h / 2, st.y + st.h / 2];
    const ys = placed.nodes.filter((nd) => nd.column === col).map((nd) => nd.y);
    return [Math.min(...ys) - radius / 2, Math.max(...ys) + radius / 2];
  };
  const edges: DiagramEdge[] = [];
  const biases: DiagramBias[] = [];
  const bands: string[] = [];
  net.layers.forEach((layer, l) => {
    if (lay.stripped[l] || lay.stripped[l + 1]) {
      const [a0, a1] = extent(l);
      const [b0, b1] = extent(l + 1);
      const x0 = lay.colX(l) + lay.half(l) + 2;
      const x1 = lay.colX(l + 1) - lay.half(l + 1) - 2;
      bands.push(`${r2(x0)},${r2(a0)} ${r2(x1)},${r2(b0)} ${r2(x1)},${r2(b1)} ${r2(x0)},${r2(a1)}`);
      return;
    }
    const W = view.params.W[l];
    const maxW = maxAbs(W);
    const drawnRows = lay.slots[l + 1].flatMap((s) => (s.kind === 'unit' ? [s.index] : []));
    const drawnCols = lay.slots[l].flatMap((s) => (s.kind === 'unit' ? [s.index] : []));
    // Dense layouts name at most 8 edges of a layer: more names crowd near the source units.
    const labelled = drawnRows.length * drawnCols.length <= (lay.geo === DENSE ? 8 : LABEL_EDGES_UP_TO);
    /** The names placed so far in this layer, as boxes (centre, half sizes) in the drawing as it will be turned. */
    const names: { x: number; y: number; hx: number; hy: number }[] = [];
    // Names sit near the source end, where the edges leaving one node are still apart; one that would meet a name
    // placed before it moves along its edge (XOR's w2 and w5 crossed at 0.3 of theirs when drawn top to bottom).
    const labelOn = (seg: Segment, name: string): { x: number; y: number } => {
      const wide = (name.length * LABEL_CHAR * EDGE_LABEL_SIZE) / 2 + 2;
      const high = EDGE_LABEL_SIZE / 2 + 2;
      const [hx, hy] = view.layout === 'rows' ? [high, wide] : [wide, high];
      const at = (t: number) => ({ x: seg.x1 + (seg.x2 - seg.x1) * t, y: seg.y1 + (seg.y2 - seg.y1) * t, hx, hy });
      const clear = (b: ReturnType<typeof at>) => names.every((o) => Math.abs(o.x - b.x) >= o.hx + b.hx || Math.abs(o.y - b.y) >= o.hy + b.hy);
      const box = LABEL_AT.map(at).find(clear) ?? at(LABEL_AT[0]);
      names.push(box);
      return { x: box.x, y: box.y };
    };
    for (const i of drawnRows) {
      const to = at.get(`${l + 1}:${i}`)!;
      for (const j of drawnCols) {
        const from = at.get(`${l}:${j}`)!;
        const p: ParamId = { kind: 'W', layer: l, row: i, col: j };
        const w = W[i * layer.fanIn + j];
        const seg = between(from.x, from.y, radius, to.x, to.y, radius);
        const name = symText(naming.param(p));
        edges.push({
          ...seg, param: p, key: paramKey(p), name, value: w,
          color: colorOf(w), width: strokeWidth(w, maxW), dash: negativeDash(w, strokeWidth(w, maxW)),
          label: labelled ? labelOn(seg, name) : undefined,
          ariaLabel: paramLabel(view, p, w, gradOf(values, p, layer.fanIn), decimals),
          selected: sameParam(view.selected, p),
        });
      }
    }
    const b = view.params.b[l];
    if (layer.bias === 'shared') {
      // One square above the gap before the layer's column, with a line to every drawn unit.
      const p: ParamId = { kind: 'b', layer: l, index: 0 };
      const x = lay.colX(l + 1) - colGap / 2;
      const y = TOP / 2 + 4;
      const name = symText(naming.param(p));
      const box = biasBox(lay.geo, name);
      biases.push({
        param: p, key: paramKey(p), name, value: b[0], x, y, ...box, turned: false, color: colorOf(b[0]), dash: boxDash(b[0]),
        lines: drawnRows.map((i) => {
          const to = at.get(`${l + 1}:${i}`)!;
          return between(x, y, biasSize / 2, to.x, to.y, radius);
        }),
        ariaLabel: paramLabel(view, p, b[0], gradOf(values, p, layer.fanIn), decimals),
        selected: sameParam(view.selected, p),
      });
    } else if (layer.bias === 'per-unit') {
      // One box right above each drawn unit (incoming edges arrive from the left, so none cross it). Drawn top to
      // bottom, that is the gap between two units of a row, where the box's width lies along the row: a box wider than
      // that gap holds turns with the layout (its name reads bottom to top; 25 units of "b33" ran over both circles and
      // their weights in the dense layout's 22 between). The normal layout's gap holds a 3-character name upright.
      const room = uprightRoom(lay.geo);
      for (const i of drawnRows) {
        const p: ParamId = { kind: 'b', layer: l, index: i };
        const to = at.get(`${l + 1}:${i}`)!;
        const x = to.x;
        const y = to.y - radius - biasGap - biasSize / 2;
        const name = symText(naming.param(p));
        const box = biasBox(lay.geo, name);
        biases.push({
          param: p, key: paramKey(p), name, value: b[i], x, y, ...box, turned: view.layout === 'rows' && box.width > room, color: colorOf(b[i]), dash: boxDash(b[i]),
          lines: [between(x, y, biasSize / 2, to.x, to.y, radius)],
          ariaLabel: paramLabel(view, p, b[i], gradOf(values, p, layer.fanIn), decimals),
          selected: sameParam(view.selected, p),
        });
      }
    }
  });
  return { edges, biases, bands };
}

/** What each column draws, the caption saying what is not drawn one by one, and the SVG's title. */
function describeColumns(view: DiagramView, lay: Layout): { columns: ColumnInfo[]; caption: string; description: string; title: string } {
  const { counts, stripped, slots } = lay;
  const columns: ColumnInfo[] = counts.map((total, col) => {
    const shown = stripped[col] ? 0 : slots[col].filter((s) => s.kind === 'unit').length;
    return { column: col, total, shown, hidden: total - shown, what: col === 0 ? 'inputs' : col === counts.length - 1 ? 'outputs' : `units of layer ${col}` };
  });
  const elided = columns.filter((ci) => ci.hidden > 0 && !stripped[ci.column]);
  const summarised = columns.filter((ci) => stripped[ci.column]);
  const parts = [
    ...(elided.length ? [`Showing ${elided.map((ci) => `${ci.shown} of ${ci.total} ${ci.what}`).join(', ')}, and only the weights between the units shown.`] : []),
    ...(summarised.length ? [`${summarised.map((ci) => `${ci.total} ${ci.what}`).join(' and ')} drawn as ${lay.image ? 'the input image and ' : ''}a strip; the grey bands are all their weights.`] : []),
  ];
  // NOTE: no "Select one to explain its gradient": the lab's hint right under the caption says how (click, or Tab and
  // Enter), and every line of the caption is height the drawing gives up.
  const description = parts.length === 0
    ? 'Every weight is an edge (blue +, dashed orange −, width ∝ |w|); boxes are biases.'
    : parts.join(' ');
  // The page's caption adds what its Expand toggle does; the drawing's description (a file's <desc>) does not.
  const caption = summarised.length ? `${description} Expand to select them one by one.` : description;
  const hiddenText = [...elided.map((ci) => `${ci.hidden} ${ci.what} not drawn`), ...summarised.map((ci) => `${ci.total} ${ci.what} summarised`)];
  const title = `${counts.join('-')} net, example ${lay.c + 1} of ${view.n}${hiddenText.length > 0 ? ` (${hiddenText.join(', ')})` : ''}`;
  return { columns, caption, description, title };
}

type Drawn = Pick<DiagramModel, 'nodes' | 'markers' | 'edges' | 'biases' | 'strips' | 'bands'>;

/**
 * Layers top → bottom: swap x and y of everything, in place (circles, square boxes and text keep their shape; a bias box
 * marked `turned` turns, its name with it; a marker, written along its column, is written along its row).
 */
function turnToRows(d: Drawn): void {
  for (const p of [...d.nodes, ...d.markers, ...d.biases, ...d.strips]) [p.x, p.y] = [p.y, p.x];
  for (const b of d.biases) if (b.turned) [b.width, b.height] = [b.height, b.width];
  for (const st of d.strips) if (st.kind === 'strip') [st.w, st.h, st.rows, st.cols] = [st.h, st.w, st.cols, st.rows];
  const swap = (sg: Segment) => { [sg.x1, sg.y1, sg.x2, sg.y2] = [sg.y1, sg.x1, sg.y2, sg.x2]; };
  for (const e of d.edges) {
    swap(e);
    if (e.label) e.label = { x: e.label.y, y: e.label.x };
  }
  for (const b of d.biases) b.lines.forEach(swap);
  for (const mk of d.markers) mk.turned = false;
  for (let k = 0; k < d.bands.length; k++) d.bands[k] = d.bands[k].split(' ').map((pt) => pt.split(',').reverse().join(',')).join(' ');
}

/** Everything the diagram draws, with positions in viewBox units. Pure: no DOM. */
export function diagramModel(view: DiagramView): DiagramModel {
  const lay = layoutOf(view);
  const { nodes, markers, at } = placeUnits(view, lay);
  const strips = placeStrips(view, lay);
  const { edges, biases, bands } = placeWeights(view, lay, { nodes, at, strips });
  const { columns, caption, description, title } = describeColumns(view, lay);
  if (view.layout === 'rows') turnToRows({ nodes, markers, edges, biases, strips, bands });
  return { ...frameOf(lay, view.layout ?? 'columns'), nodes, markers, edges, biases, strips, bands, columns, title, caption, description };
}

/** The drawing's size in a layout: its body, turned for 'rows' (the caption is not in it). */
function frameOf(lay: Layout, layout: 'columns' | 'rows'): Pick<DiagramModel, 'width' | 'height'> {
  const body = bodyOf(lay);
  const long = Math.max(TOP + lay.tallest * lay.geo.slot, body.top + body.height + 8);
  return layout === 'rows' ? { width: long, height: lay.width } : { width: lay.width, height: long };
}

/** diagramModel(view)'s width and height in either layout (viewBox units), without placing anything. */
export function diagramSizes(view: DiagramView): Record<'columns' | 'rows', { width: number; height: number }> {
  const lay = layoutOf(view);
  return { columns: frameOf(lay, 'columns'), rows: frameOf(lay, 'rows') };
}

/** diagramModel(view)'s caption (the same in either layout), without placing anything. */
export function diagramCaption(view: DiagramView): string {
  return describeColumns(view, layoutOf(view)).caption;
}

/** `from` t of the way to `to` (t in 0 … 1), each channel rounded: "rgb(r,g,b)". */
function mix(from: string, to: string, t: number): string {
  const [a, b] = [rgbOf(from), rgbOf(to)];
  return `rgb(${a.map((c, k) => Math.round(c + (b[k] - c) * t)).join(',')})`;
}

/**
 * A strip cell's colour in palette `pal` (StripShade says how). An input's: from the ink (1 − v) of the way to the
 * paper, so that the light one is 255 · (1 − v) exactly as it was (black on white, 1 black); light ink on the dark
 * background in DARK. An activation's: blue for positive, orange for negative, stronger with |v| / top.
 */
export function stripColour(v: number | undefined, shade: StripShade, pal: Palette): string {
  if (shade.kind === 'ink') return mix(pal.digits.ink, pal.digits.paper, 1 - Math.min(1, Math.max(0, v ?? 0)));
  if (v === undefined) return pal.diagram.stripUnknown;
  const t = shade.top > 0 ? Math.min(1, Math.abs(v) / shade.top) : 0;
  return mix(pal.diagram.stripZero, v >= 0 ? pal.diagram.positive : pal.diagram.negative, t);
}

/** A viewBox coordinate rounded to 2 decimals (shorter SVG). */
export const r2 = (v: number): number => Math.round(v * 100) / 100;
