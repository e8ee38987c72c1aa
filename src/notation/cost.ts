/**
 * The cost of notation: multiplications per example for every gradient of a net, written per path (the
 * scalar chain rule, one product per path) versus the matrix form (backprop: δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f',
 * dW_l = δ_l·A_{l−1}ᵀ). Both start from the same forward values and the same local derivatives f'; neither
 * counts additions, nor the 1/N of a mean (one multiplication per parameter in both).
 *
 * Per path (layers l = 1 … L, n_l units, n_0 inputs), for a parameter of layer l:
 *   paths   = own · Π_{m=l+1}^{L} n_m        (own = n_l for a shared bias, else 1; the loss sums over outputs)
 *   factors = t + 2(L − l) + 1               (t = 2: ∂L/∂a·∂a/∂z at the output; t = 1: ∂L/∂z for softmax-CE;
 *                                              two per layer crossed: a weight and an f'; one at the bottom)
 *   multiplications = paths · (factors − 1), summed over every parameter.
 * Matrix form:
 *   backward = [mse: n_L for (a − y)·f'] + Σ_{l<L} (n_{l+1}·n_l + n_l)   (W_{l+1}ᵀ·δ_{l+1}, then ⊙ f')
 *            + Σ_l n_l·n_{l−1}                                            (δ_l·A_{l−1}ᵀ; db needs none)
 *   forward  = Σ_l n_l·n_{l−1}   (shared by both forms, reported for scale)
 * The per-path count grows like the product of the widths (exponential in depth); the matrix count like
 * the sum of their products (linear in depth): the matrix form reuses each δ for every path through it.
 */
import { NotationError } from '../errors.ts';
import { describe, isObject } from '../checks.ts';
import { BIAS_MODES, LOSSES, type Loss, type Net } from '../spec.ts';
import { checkKnownKeys } from '../suggest.ts';

export interface LayerCost {
  /** 1-based layer. */
  layer: number;
  params: number;
  /** Paths per weight of this layer (per example). */
  pathsPerWeight: number;
  /** Factors on each path. */
  factors: number;
  multiplications: number;
}

/** What the scalar notation costs against the matrix form for one architecture, per example: the paths over every parameter, the multiplications of the per-path expansion, of the matrix backward pass (delta and dW) and of the forward pass (README, "Cost of notation"). */
export interface NotationCost {
  /** Trainable parameters: every W_l and b_l entry. */
  params: number;
  /** Paths over every parameter, per example. */
  paths: number;
  /** Multiplications of the per-path expansion of every gradient, per example. */
  scalar: number;
  /** Multiplications of the matrix backward pass (δ and dW), per example. */
  matrix: number;
  /** Multiplications of the forward pass (W·A), per example, shared by both. */
  forward: number;
  /** The cost of each layer l = 1 … L. */
  layers: LayerCost[];
}

/** A net's shape as notationCost takes it: inputs, the units of each layer, the loss and the bias mode. */
export interface Architecture {
  /** Number of inputs (units of A_0 = X). */
  inputs: number;
  /** Units per layer, l = 1 … L. */
  widths: readonly number[];
  /** The loss (mse, bce or softmax-cross-entropy). */
  loss: Loss;
  /** Every layer's bias mode (default 'per-unit'). */
  bias?: 'per-unit' | 'shared' | 'none';
}

export function architectureOf(net: Net): Architecture & { biases: ('per-unit' | 'shared' | 'none')[] } {
  return { inputs: net.inputs, widths: net.layers.map((l) => l.units), loss: net.loss, biases: net.layers.map((l) => l.bias) };
}

const ARCHITECTURE_KEYS = ['inputs', 'widths', 'loss', 'bias', 'biases'] as const;

/** `v` if it is a positive integer, else a NotationError naming `field`. */
function positive(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) return v;
  throw new NotationError(field, `must be a positive integer, ${v === undefined ? 'missing' : `got ${describe(v)}`}`);
}

/** `v` if it is one of `allowed`, else a NotationError naming `field` that lists them. */
function oneOfNotation(v: unknown, allowed: readonly string[], field: string): void {
  if (typeof v !== 'string' || !allowed.includes(v)) throw new NotationError(field, `must be one of ${allowed.map((x) => `'${x}'`).join(', ')}, ${v === undefined ? 'missing' : `got ${describe(v)}`}`);
}

/** notationCost's argument checked: an object of ARCHITECTURE_KEYS, each of its type (a NotationError naming `architecture.…`). */
function checkArchitecture(a: unknown): void {
  if (!isObject(a)) throw new NotationError('architecture', `must be an architecture {inputs, widths, loss, bias?, biases?} (architectureOf(net)), got ${describe(a)}`);
  checkKnownKeys(a, ARCHITECTURE_KEYS, 'architecture.', `an architecture has ${ARCHITECTURE_KEYS.join(', ')}`, NotationError);
  positive(a.inputs, 'architecture.inputs');
  const widths = a.widths;
  if (!Array.isArray(widths) || widths.length === 0) throw new NotationError('architecture.widths', `must be a non-empty array of each layer's units, ${widths === undefined ? 'missing' : `got ${describe(widths)}`}`);
  widths.forEach((w, l) => positive(w, `architecture.widths[${l}]`));
  oneOfNotation(a.loss, LOSSES, 'architecture.loss');
  if (a.bias !== undefined) oneOfNotation(a.bias, BIAS_MODES, 'architecture.bias');
  const biases = a.biases;
  if (biases === undefined) return;
  if (!Array.isArray(biases) || biases.length !== widths.length) {
    throw new NotationError('architecture.biases', `must be an array of ${widths.length} bias modes (one per layer, as widths), got ${describe(biases)}`);
  }
  biases.forEach((b, l) => oneOfNotation(b, BIAS_MODES, `architecture.biases[${l}]`));
}

/**
 * The counts above for a net (its bias modes) or an architecture (one bias mode for every layer, default per-unit).
 * @throws {NotationError} naming `architecture` (not an object) or its field: `architecture.inputs`, `.widths[l]` (a
 * positive integer), `.loss`, `.bias`, `.biases[l]` (a bias mode; `.biases` one per layer), an unknown key by its name.
 */
export function notationCost(architecture: Architecture & {
  /** Each layer's bias mode, input side first (a net's, from architectureOf); before `bias` where given. */
  biases?: readonly ('per-unit' | 'shared' | 'none')[];
}): NotationCost {
  checkArchitecture(architecture);
  const a = architecture;
  const L = a.widths.length;
  const n = (l: number) => (l === 0 ? a.inputs : a.widths[l - 1]); // 1-based widths, n(0) = inputs
  const top = a.loss === 'softmax-cross-entropy' ? 1 : 2;
  const layers: LayerCost[] = [];
  let scalar = 0;
  let paths = 0;
  let params = 0;
  for (let l = 1; l <= L; l++) {
    let above = 1;
    for (let m = l + 1; m <= L; m++) above *= n(m);
    const factors = top + 2 * (L - l) + 1;
    const weights = n(l) * n(l - 1);
    const bias = a.biases?.[l - 1] ?? a.bias ?? 'per-unit';
    const biasValues = bias === 'per-unit' ? n(l) : bias === 'shared' ? 1 : 0;
    // A per-unit bias has the paths of one weight; a shared bias those of every unit it feeds.
    const biasPaths = bias === 'per-unit' ? n(l) * above : bias === 'shared' ? n(l) * above : 0;
    const layerPaths = weights * above + biasPaths;
    const mults = layerPaths * (factors - 1);
    layers.push({ layer: l, params: weights + biasValues, pathsPerWeight: above, factors, multiplications: mults });
    scalar += mults;
    paths += layerPaths;
    params += weights + biasValues;
  }
  let matrix = a.loss === 'mse' ? n(L) : 0;
  let forward = 0;
  for (let l = 1; l <= L; l++) {
    matrix += n(l) * n(l - 1);
    forward += n(l) * n(l - 1);
    if (l < L) matrix += n(l + 1) * n(l) + n(l);
  }
  return { params, paths, scalar, matrix, forward, layers };
}

/** 12 345 678 → "12 345 678"; ≥ 1e15 in exponent form. */
export function groupDigits(v: number): string {
  if (v >= 1e15) return v.toExponential(2);
  return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
