/**
 * The loss surface's two parameters as the page offers them: a weight matrix or bias vector (W₁, b₁, W₂, b₂, …),
 * then the row and column of the entry. Any parameter of any net can be chosen, and the menu has two entries a
 * layer, however wide (MNIST 784-32-10: 4 entries for its 25 450 parameters); and the parameter selected on a net just
 * loaded (selectionFor). Pure: no DOM (views.ts draws it).
 */
import { SpecError } from '../errors.ts';
import { type Naming, paramKey, paramPlace, subDigits, type ParamId } from '../notation/names.ts';
import { symText } from '../notation/symbols.ts';
import { biasLength, type Net } from '../spec.ts';
import { readNumber, type FieldText } from './fields.ts';

/** One entry of the matrix menu: value "W:l" or "b:l" (layer l 0-based), label "W₂ (10 × 32)", "b₁ (32)". */
export interface MatrixOption { value: string; label: string }

/** A choice as the fields hold it: the menu's value, the row (a bias's index) and the column, as typed. */
export interface ParamChoice { matrix: string; row: string; col: string }

/** The menu: each layer's W, then its b where it has a bias. */
export function surfaceMatrices(net: Net): MatrixOption[] {
  const out: MatrixOption[] = [];
  net.layers.forEach((layer, l) => {
    const sub = subDigits(l + 1);
    out.push({ value: `W:${l}`, label: `W${sub} (${layer.units} × ${layer.fanIn})` });
    const nb = biasLength(net.layers[l]);
    if (nb > 0) out.push({ value: `b:${l}`, label: layer.bias === 'shared' ? `b${sub} (shared)` : `b${sub} (${nb})` });
  });
  return out;
}

/** The fields' values for a parameter (the column of a bias is empty). */
export function choiceOf(p: ParamId): ParamChoice {
  return p.kind === 'W' ? { matrix: `W:${p.layer}`, row: String(p.row), col: String(p.col) } : { matrix: `b:${p.layer}`, row: String(p.index), col: '' };
}

/** The row count and column count the fields allow for a menu value (columns 0 for a bias vector). */
export function matrixShape(net: Net, matrix: string): { rows: number; cols: number } | undefined {
  const m = /^([Wb]):(\d+)$/.exec(matrix);
  const l = m ? Number(m[2]) : -1;
  const layer = net.layers[l];
  if (!m || !layer) return undefined;
  if (m[1] === 'W') return { rows: layer.units, cols: layer.fanIn };
  const nb = biasLength(net.layers[l]);
  return nb > 0 ? { rows: nb, cols: 0 } : undefined;
}

/**
 * A row, column or index typed (its text, or the field: an input element, whose badInput readNumber reports — typed
 * text the browser cannot read, "1e", is '' to the page, and was refused as "got ''").
 */
function index(input: string | FieldText, size: number, field: string, what: string): number {
  const v = readNumber(input, field);
  if (!Number.isInteger(v) || v < 0 || v >= size) {
    throw new SpecError(field, `the ${what} must be a whole number 0 … ${size - 1}, got '${typeof input === 'string' ? input : input.value}'`);
  }
  return v;
}

/** What readChoice reads: the menu's value, and the row and column as text or as the fields themselves. */
export interface ChoiceFields { matrix: string; row: string | FieldText; col: string | FieldText }

/**
 * The parameter the fields name. SpecError naming `field` (e.g. "surface.p1") when the matrix is not one of this net's
 * or the row or column is empty, not a number, or not a whole number inside it.
 */
export function readChoice(net: Net, choice: ChoiceFields, field: string): ParamId {
  const shape = matrixShape(net, choice.matrix);
  if (!shape) throw new SpecError(field, `'${choice.matrix}' is not a weight matrix or bias vector of this net; it has ${surfaceMatrices(net).map((m) => m.value).join(', ')}`);
  const layer = Number(choice.matrix.slice(2));
  const sub = subDigits(layer + 1);
  if (shape.cols === 0) return { kind: 'b', layer, index: index(choice.row, shape.rows, `${field}.index`, `index into b${sub} (${shape.rows} values)`) };
  const row = index(choice.row, shape.rows, `${field}.row`, `row of W${sub} (${shape.rows} × ${shape.cols})`);
  const col = index(choice.col, shape.cols, `${field}.col`, `column of W${sub} (${shape.rows} × ${shape.cols})`);
  return { kind: 'W', layer, row, col };
}

/**
 * The surface's two parameters (readChoice of each, as surface.p1 and surface.p2): a SpecError naming `surface.p2`
 * when it is p1's parameter too — a surface needs two axes.
 */
export function readChoices(net: Net, first: ChoiceFields, second: ChoiceFields): [ParamId, ParamId] {
  const p1 = readChoice(net, first, 'surface.p1');
  const p2 = readChoice(net, second, 'surface.p2');
  if (paramKey(p1) === paramKey(p2)) throw new SpecError('surface.p2', `is ${paramPlace(net, p2)}, the parameter surface.p1 is too: choose two different parameters`);
  return [p1, p2];
}

/**
 * The parameter after p in the flat order (the weights layer by layer, W row by row, then the bias values layer by
 * layer), or undefined after the last.
 */
export function nextParam(net: Net, p: ParamId): ParamId | undefined {
  const L = net.layers.length;
  if (p.kind === 'W') {
    const { units, fanIn } = net.layers[p.layer];
    if (p.col + 1 < fanIn) return { ...p, col: p.col + 1 };
    if (p.row + 1 < units) return { ...p, row: p.row + 1, col: 0 };
    if (p.layer + 1 < L) return { kind: 'W', layer: p.layer + 1, row: 0, col: 0 };
    return firstBias(net, 0);
  }
  if (p.index + 1 < biasLength(net.layers[p.layer])) return { ...p, index: p.index + 1 };
  return firstBias(net, p.layer + 1);
}

function firstBias(net: Net, from: number): ParamId | undefined {
  for (let l = from; l < net.layers.length; l++) if (biasLength(net.layers[l]) > 0) return { kind: 'b', layer: l, index: 0 };
  return undefined;
}

/** The first weight of the output layer (w5 in the 2-2-1 lecture): the selected parameter of a net just loaded. */
export function defaultParam(net: Net): ParamId {
  return { kind: 'W', layer: net.layers.length - 1, row: 0, col: 0 };
}

/** The same layers: units, fan-in and bias mode (activations aside): each W_l[i][j] and b_l[i] of one is the other's. */
export function sameShapes(a: Net, b: Net): boolean {
  return a.layers.length === b.layers.length && a.layers.every((l, i) => {
    const m = b.layers[i];
    return l.units === m.units && l.fanIn === m.fanIn && l.bias === m.bias;
  });
}

/**
 * The selected parameter once `next` is on the page: the one selected on `before` when the two nets have the same
 * shapes (the same net going on: a backend switch, an edit of the same shapes, New seed), where it is the same W_l[i][j]
 * or b_l[i] with the same flat name; else `next`'s default. Not by position across shapes: W₁[0][0] of a 2-4-1 (w1)
 * went on as w1 of the 2-2-1, and by name neither (w5 is W₁[2][0] in a 2-4-1, W₂[0][0] in the 2-2-1).
 */
export function selectionFor(before: Net | undefined, next: Net, selected: ParamId | undefined): ParamId {
  return before && selected && sameShapes(before, next) ? selected : defaultParam(next);
}

/**
 * The surface's default: the first two weights of the output layer (w5 and w6 in the 2-2-1 lecture); the second is
 * the next parameter in the flat order (the first one again only for a net with a single parameter).
 */
export function defaultSurfaceParams(net: Net): [ParamId, ParamId] {
  const first = defaultParam(net);
  return [first, nextParam(net, first) ?? (net.layers.length > 1 ? { kind: 'W', layer: 0, row: 0, col: 0 } : first)];
}

/**
 * The surface's words for the net's notation: the two parameters' names and the loss's letter (the Notation tab's, so
 * lecture 2-2-1-nobias's surface says E where its notation writes E: "w5 = 0.45, w6 = 0.1: E = 0.2789").
 */
export function surfaceLabels(naming: Naming, p1: ParamId, p2: ParamId): { names: [string, string]; loss: string } {
  return { names: [symText(naming.param(p1)), symText(naming.param(p2))], loss: symText(naming.loss) };
}
