/**
 * The network spec: a JSON description of a net, its parameters and a batch, and its validation.
 *
 * Layout (the README's "Matrix layout"): examples are columns. A_0 = X is (inputs × n), row-major,
 * so X[j * n + c] is input j of example c. W_l is (units_l × units_{l−1}), row-major: W_l[i][j]
 * connects unit j of layer l−1 to unit i of layer l. Arrays are 0-based: W[0] is W_1.
 *
 * Reading the data forms once is src/data.ts; the helpers the checks share, src/checks.ts; a net or parameters given
 * in the engine's form (a Net by hand, setParams's Float32Arrays, a checkpoint's), src/engine-form.ts; the Params type,
 * cloneParams, biasLength and paramCount (re-exported here), src/params.ts.
 */
import { EmptyBatchError, LabelRangeError, LimitError, NonFiniteError, ShapeError, SpecError } from './errors.ts';
import type { OptimizerName, OptimizerSpec } from './train/optimizers.ts';
import { type Budget, checkBudget, resolveBudget } from './budget.ts';
import { lectureIdError, specHolderError } from './spec-holders.ts';
import { type RunSpec, validateRun } from './run-spec.ts';

export { type RunSpec, checkFraction, checkShuffle, heldOut } from './run-spec.ts';
import { checkGiven, type DataRead, readData, typedArrayKind, typedLength } from './data.ts';
import { ExampleMajorBatch, arrayColumns, typedColumns, typedExamples } from './columns.ts';
import { describe, elementsOf, float32, float32Text, integerIn, isFloat32, isObject, oneOf, shapeOf } from './checks.ts';
import { type Params, biasLength } from './params.ts';
import { checkKnownKeys, unknownKeyError } from './suggest.ts';

export { biasLength, cloneParams, paramCount, type Params } from './params.ts';

/** The activation f_l of a layer, A_l = f_l(Z_l), as the engine stores it ('linear' is read as 'identity'); 'softmax' only on the output layer with loss 'softmax-cross-entropy'. */
export type Activation = 'identity' | 'sigmoid' | 'relu' | 'leaky_relu' | 'tanh' | 'softmax';
/** An activation as a spec may spell it: an Activation, or 'linear' (an alias of 'identity'). */
export type ActivationName = Activation | 'linear';
/** The loss L: 'mse', 'bce' (output activation 'sigmoid') or 'softmax-cross-entropy' (output activation 'softmax'). */
export type Loss = 'mse' | 'bce' | 'softmax-cross-entropy';
/** How the per-example losses L_c are combined over the batch: 'mean' (scale = 1/N, the default) or 'sum' (scale = 1); dW and db carry the same scale. */
export type Reduction = 'mean' | 'sum';
/** A layer's b: 'per-unit' (one b per unit, the default), 'shared' (one number for the layer) or 'none' (no b). */
export type BiasMode = 'per-unit' | 'shared' | 'none';
/** How `init` draws W and b from a seed: 'xavier', 'he' or 'uniform' (once on the CPU, so every backend starts from the same weights). */
export type InitScheme = 'xavier' | 'he' | 'uniform';

/** leaky_relu's slope for z ≤ 0: f(z) = z for z > 0, else 0.01·z; f' = 1 for z > 0 (a > 0), else 0.01. Every backend reads this one. */
export const LEAKY_SLOPE = 0.01;

/** The activation names a spec may use (`layers[l].activation`), 'linear' included. */
export const ACTIVATIONS: readonly ActivationName[] = Object.freeze(['identity', 'linear', 'sigmoid', 'relu', 'leaky_relu', 'tanh', 'softmax']);
/** The loss names a spec may use (`loss`). */
export const LOSSES: readonly Loss[] = Object.freeze(['mse', 'bce', 'softmax-cross-entropy']);
/** The reductions a spec may use (`reduction`). */
export const REDUCTIONS: readonly Reduction[] = Object.freeze(['mean', 'sum']);
/** The bias modes a spec may use (`layers[l].bias`). */
export const BIAS_MODES: readonly BiasMode[] = Object.freeze(['per-unit', 'shared', 'none']);
/** The init schemes a spec may use (`init.scheme`). */
export const INIT_SCHEMES: readonly InitScheme[] = Object.freeze(['xavier', 'he', 'uniform']);

/** One layer of a spec: its units, its activation f_l, and its b (`bias`, default 'per-unit'). */
export interface LayerSpec {
  /** Units in the layer (positive integer): the rows of W_l, Z_l, A_l, delta_l. */
  units: number;
  /** f_l: identity (alias linear), sigmoid, relu, leaky_relu (0.01·z for z ≤ 0), tanh, or softmax (output layer with softmax-cross-entropy only). */
  activation: ActivationName;
  /** b_l: 'per-unit' (default, units values), 'shared' (one value) or 'none'. */
  bias?: BiasMode;
}

/** Parameters as people write them: W[l][i][j], and b[l] an array (per-unit), a number (shared) or [] (none). */
export interface ParamsSpec {
  /** W[l][i][j]: weight from unit j of layer l to unit i of layer l + 1 (W[0] is W₁, (units × fanIn)). */
  W: number[][][];
  /** b[l]: an array of units values (per-unit), a number (shared) or [] (none). */
  b: (number[] | number)[];
}

/** The network spec (README, "The network spec"): the net, optional W and b (`params`) or `init`, a batch (`x`, `y`: rows, one per example, or example-major `{examples, data}`: DataInput), `lr`, and fit's run defaults. `validateSpec` checks it; an error names the field. */
export interface NetworkSpec {
  /** Number of inputs (positive integer): the rows of X = A_0. */
  inputs: number;
  /** The layers l = 1 … L, input side first (at most 1000). */
  layers: LayerSpec[];
  /** mse, bce (output activation sigmoid) or softmax-cross-entropy (output activation softmax). */
  loss: Loss;
  /** mean (default: scale 1/N) or sum (scale 1) over the batch. */
  reduction?: Reduction;
  /** W and b as people write them (instead of init). */
  params?: ParamsSpec;
  /** Instead of params: {scheme: xavier | he | uniform, seed} (seed an integer 0 … 2³² − 1); generated once on the CPU. */
  init?: {
    /** How W is drawn: 'xavier', 'he' or 'uniform' (b starts at 0). */
    scheme: InitScheme;
    /** The generator's seed, an integer 0 … 2³² − 1: the same seed, the same W. */
    seed: number;
  };
  /** The inputs: one row per example (number[][]), or example-major {examples, data} (DataInput). */
  x?: DataInput;
  /** The labels: one row per example (number[][]), or example-major {examples, data} (DataInput). */
  y?: DataInput;
  /** Learning rate for SGD (train/step's default; also the default optimizer.lr). */
  lr?: number;
  /** The training run (model.fit's defaults; see RunSpec and validateRun). */
  batchSize?: number;
  /** fit's default epochs (positive integer; default 1). */
  epochs?: number;
  /** fit's default order: false (the given order) or {seed} (a seeded permutation per epoch, seed 0 … 2³² − 1; default {seed: 0}). */
  shuffle?: false | {
    /** The seed of the per-epoch permutations, an integer 0 … 2³² − 1. */
    seed: number;
  };
  /** A fraction in (0, 1) of the data held out (from the end) for validation. */
  validation?: number;
  /** fit's default optimiser: 'sgd', 'momentum', 'adam', 'adamw' or {name, lr, …} (default 'sgd' with lr). */
  optimizer?: OptimizerName | OptimizerSpec;
  /** Free text, ignored by the engine. */
  name?: string;
  /** Free text, ignored by the engine. */
  description?: string;
  /** Where the example comes from (free text, ignored by the engine). */
  source?: string;
  /** Naming and labels for the scalar notation; opaque to the engine. */
  notation?: Record<string, unknown>;
}

/**
 * A NetworkSpec whose x and y, where given, are rows (one number[] per example): what the lectures hold (their files
 * are rows by construction) and the course lab works on (it converts an {examples, data} spec to rows once, on
 * import). Narrower than NetworkSpec, and assignable to it: pass one wherever a NetworkSpec is taken.
 */
export interface RowsSpec extends NetworkSpec {
  /** The inputs, one row per example. */
  x?: number[][];
  /** The labels, one row per example. */
  y?: number[][];
}

/** A validated layer: Z = W·A_prev + b, A = f(Z). */
export interface Layer {
  /** Units in the layer: the rows of W_l, Z_l, A_l, delta_l. */
  readonly units: number;
  /** Units of the layer below (inputs for the first): the columns of W_l. */
  readonly fanIn: number;
  /** f_l, resolved (linear is identity). */
  readonly activation: Activation;
  /** b_l's mode: 'per-unit' (units values), 'shared' (one) or 'none'. */
  readonly bias: BiasMode;
}

/**
 * A validated net, without data or parameters. Frozen (validateNet): a model checks every later input against its
 * `net`, so a net changed after validation would have it check data against a net it does not run.
 */
export interface Net {
  /** Number of inputs: the rows of X = A_0. */
  readonly inputs: number;
  /** The layers l = 1 … L (index l − 1). */
  readonly layers: readonly Layer[];
  /** The loss. */
  readonly loss: Loss;
  /** mean (scale 1/N) or sum (scale 1). */
  readonly reduction: Reduction;
}

/** A batch in engine layout: X (inputs × n) and Y (outputs × n), row-major, one column per example. */
export interface Batch {
  /** Examples N: the columns of X and Y. */
  n: number;
  /** X = A_0, (inputs × N) row-major, one column per example. */
  X: Float32Array;
  /** Y, (outputs × N) row-major, one column per example. */
  Y: Float32Array;
}

/** The spec fields of the net itself. */
export const NET_KEYS = ['inputs', 'layers', 'loss', 'reduction'] as const;
/** The spec fields of a training run (validateRun). */
export const RUN_KEYS = ['batchSize', 'epochs', 'shuffle', 'validation', 'optimizer'] as const;
/** Free text and notation settings, which the engine ignores. */
export const TEXT_KEYS = ['name', 'description', 'source', 'notation'] as const;
/** The most layers a net may have (each is a few dispatches per step on WebGPU, and a few arrays on the CPU). */
export const MAX_LAYERS = 1000;

const LAYER_KEYS: readonly string[] = ['units', 'activation', 'bias'];
const PARAM_KEYS: readonly string[] = ['W', 'b'];
const KNOWN_KEYS = new Set([...NET_KEYS, 'params', 'init', 'x', 'y', 'lr', ...TEXT_KEYS, ...RUN_KEYS]);

/**
 * `spec` as an object of known keys, else a SpecError: naming `spec` (a lecture's id, a lecture or its worked example
 * passed where the spec belongs is told what to pass: ./spec-holders.ts), or the first unknown key.
 */
function specObject(spec: unknown): Record<string, unknown> {
  if (!isObject(spec)) throw lectureIdError(spec, 'worked.spec') ?? new SpecError('spec', 'must be a JSON object');
  for (const key of Object.keys(spec)) {
    if (!KNOWN_KEYS.has(key)) throw specHolderError(spec) ?? unknownKeyError(key, [...KNOWN_KEYS], '', `known keys are ${[...KNOWN_KEYS].join(', ')}`, SpecError);
  }
  return spec;
}

const finite = float32;

/** Validate the architecture part of a spec (inputs, layers, loss, reduction). */
export function validateNet(raw: unknown): Net {
  const spec = specObject(raw);
  const inputs = integerIn(spec.inputs, 'inputs', 1, Infinity);
  // Each field read once (a getter or Proxy is asked once): what is checked is what is used.
  const rawLayers: unknown = spec.layers;
  const count: unknown = Array.isArray(rawLayers) ? rawLayers.length : undefined;
  if (!Array.isArray(rawLayers) || typeof count !== 'number' || !(count > 0)) {
    throw new SpecError('layers', 'must be a non-empty array of {units, activation, bias}');
  }
  if (count > MAX_LAYERS) throw new LimitError('layers', `${count} layers; at most ${MAX_LAYERS} are supported`);
  const loss = oneOf(spec.loss, LOSSES, 'loss');
  const rawReduction: unknown = spec.reduction;
  const reduction = rawReduction === undefined ? 'mean' : oneOf(rawReduction, REDUCTIONS, 'reduction');
  const layers: Layer[] = [];
  let fanIn = inputs;
  // NOTE: plain loops, not forEach, everywhere input is read: forEach skips the holes of a sparse array.
  for (let l = 0; l < count; l++) {
    const raw: unknown = rawLayers[l];
    const f = `layers[${l}]`;
    if (!isObject(raw)) throw new SpecError(f, 'must be an object {units, activation, bias}');
    checkKnownKeys(raw, LAYER_KEYS, `${f}.`, 'a layer has units, activation, bias', SpecError);
    const units = integerIn(raw.units, `${f}.units`, 1, Infinity);
    const name = oneOf(raw.activation, ACTIVATIONS, `${f}.activation`);
    const activation: Activation = name === 'linear' ? 'identity' : name;
    const rawBias: unknown = raw.bias;
    const bias = rawBias === undefined ? 'per-unit' : oneOf(rawBias, BIAS_MODES, `${f}.bias`);
    layers.push({ units, fanIn, activation, bias });
    fanIn = units;
  }
  const last = layers.length - 1;
  layers.forEach((layer, l) => {
    if (layer.activation === 'softmax' && !(l === last && loss === 'softmax-cross-entropy')) {
      throw new SpecError(`layers[${l}].activation`, "'softmax' is only allowed on the output layer with loss 'softmax-cross-entropy'");
    }
  });
  if (loss === 'softmax-cross-entropy' && layers[last].activation !== 'softmax') {
    throw new SpecError(`layers[${last}].activation`, "loss 'softmax-cross-entropy' needs the output layer's activation to be 'softmax'");
  }
  // NOTE: softmax over one unit is e^z / e^z = 1 whatever z, and its only label row must sum to 1: the loss is 0 and
  // δ_L = A − Y = 0 for every example, so nothing ever trains (and accuracy's argmax over one row is always right).
  if (layers[last].activation === 'softmax' && layers[last].units < 2) {
    throw new SpecError(`layers[${last}].units`, "a 'softmax' output needs at least 2 units: over 1 unit it is always 1 (loss 0, no gradient); for two classes use 1 'sigmoid' unit with loss 'bce', or 2 'softmax' units");
  }
  if (loss === 'bce' && layers[last].activation !== 'sigmoid') {
    throw new SpecError(`layers[${last}].activation`, "loss 'bce' needs the output layer's activation to be 'sigmoid'");
  }
  const net: Net = Object.freeze({ inputs, layers: Object.freeze(layers.map((layer) => Object.freeze(layer))), loss, reduction });
  VALID_NETS.add(net);
  return net;
}

/** The nets validateNet made: frozen, so still valid; checkNet hands them back as they are (no copy, no re-check). */
const VALID_NETS = new WeakSet<object>();

/** Whether validateNet made `net` (so it is a valid Net, frozen): checkNet's test (src/engine-form.ts). */
export function madeByValidateNet(net: object): boolean {
  return VALID_NETS.has(net);
}

/** The own keys of a params object: W and b only (both forms), else a SpecError naming `${field}.key`. */
export function checkParamKeys(raw: unknown, field: string): asserts raw is Record<string, unknown> {
  if (!isObject(raw)) throw new SpecError(field, 'must be an object {W, b}');
  checkKnownKeys(raw, PARAM_KEYS, `${field}.`, 'params has W and b', SpecError);
}

/** Validate `params` (the spec form: nested arrays) against the net and convert it to engine layout. */
export function paramsFromSpec(net: Net, raw: unknown, field = 'params'): Params {
  checkParamKeys(raw, field);
  return nestedParams(net, raw.W, raw.b, field);
}

/** The nested form (W[l][i][j]; b[l] an array, a number for a shared bias, [] for none), every element read once. */
export function nestedParams(net: Net, rawW: unknown, rawB: unknown, field: string): Params {
  const L = net.layers.length;
  if (!Array.isArray(rawW) || rawW.length !== L) {
    throw new ShapeError(`${field}.W`, `one matrix per layer (${L})`, shapeOf(rawW));
  }
  if (!Array.isArray(rawB) || rawB.length !== L) {
    throw new ShapeError(`${field}.b`, `one entry per layer (${L})`, shapeOf(rawB));
  }
  const W: Float32Array[] = [];
  const b: Float32Array[] = [];
  net.layers.forEach((layer, l) => {
    const fw = `${field}.W[${l}]`;
    const rows: unknown = rawW[l];
    const expected = `[${layer.units}][${layer.fanIn}]`;
    if (!Array.isArray(rows) || rows.length !== layer.units) throw new ShapeError(fw, expected, shapeOf(rows));
    const w = new Float32Array(layer.units * layer.fanIn);
    for (let i = 0; i < layer.units; i++) {
      const row: unknown = rows[i];
      if (!Array.isArray(row) || row.length !== layer.fanIn) throw new ShapeError(`${fw}[${i}]`, `[${layer.fanIn}]`, shapeOf(row));
      for (let j = 0; j < layer.fanIn; j++) w[i * layer.fanIn + j] = finite(row[j], `${fw}[${i}][${j}]`);
    }
    W.push(w);
    const fb = `${field}.b[${l}]`;
    const rb: unknown = rawB[l];
    const n = biasLength(layer);
    const values = layer.bias === 'shared' && typeof rb === 'number' ? [rb] : elementsOf(rb, n);
    if (values === undefined || values.length !== n) {
      const want = layer.bias === 'none' ? '[] (bias: none)' : layer.bias === 'shared' ? 'a number (shared bias)' : `[${n}]`;
      throw new ShapeError(fb, want, shapeOf(rb));
    }
    // A loop over the copy, not Float32Array.from(rb): that would follow the caller's Symbol.iterator.
    const bias = new Float32Array(n);
    for (let i = 0; i < n; i++) bias[i] = finite(values[i], `${fb}[${i}]`);
    b.push(bias);
  });
  return { W, b };
}

/** Convert engine-layout parameters back to the spec's nested arrays (numbers are the float32 values). */
export function paramsToSpec(net: Net, p: Params): ParamsSpec {
  return {
    W: net.layers.map((layer, l) => toRows(p.W[l], layer.units, layer.fanIn)),
    b: net.layers.map((layer, l) => (layer.bias === 'shared' ? p.b[l][0] : Array.from(p.b[l]))),
  };
}

/** Row-major (rows × cols) → nested rows. */
export function toRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) row.push(data[r * cols + c]);
    out.push(row);
  }
  return out;
}

/** Example-major rows (one row per example) → engine layout (features × n), checking shape and finiteness. */
export function columnsFromRows(rows: unknown, features: number, field: string): { n: number; data: Float32Array } {
  return rowsToColumns(readData(rows, field), features, field);
}

/** The hint for one value per example where y has several outputs: class indices, where labels are one-hot rows. */
const classHint = (field: string, features: number): string => (/(^|\.)y$/.test(field) && features > 1 ? ` (one value per output unit: a class as a one-hot row of ${features})` : '');

/** Rows as read by readData (their count read once) → engine layout; each row, its length and each value read once. */
function rowsToColumns(d: DataRead, features: number, field: string): { n: number; data: Float32Array } {
  if (d.form !== 'rows') throw new ShapeError(field, `[examples][${features}]`, shapeOf(d.form === 'other' ? d.value : {}));
  const n = d.count;
  if (n === 0) throw new EmptyBatchError(field);
  const rows = d.rows;
  const data = new Float32Array(features * n);
  for (let c = 0; c < n; c++) {
    const row: unknown = rows[c];
    const length: unknown = Array.isArray(row) ? row.length : undefined;
    if (!Array.isArray(row) || length !== features) {
      // The two mistakes a row's shape alone does not explain: a typed array of the right length, class indices ([2], 2).
      const hint = ArrayBuffer.isView(row) ? ' (a row must be a plain array: give typed data as {examples, data})'
        : length === 1 || typeof row === 'number' ? classHint(field, features) : '';
      throw new ShapeError(`${field}[${c}]`, `[${features}]`, `${shapeOf(row)}${hint}`);
    }
    for (let j = 0; j < features; j++) {
      const v: unknown = row[j];
      // As in toColumns: the element's name is built only for the error.
      data[j * n + c] = isFloat32(v) ? v : float32(v, `${field}[${c}][${j}]`);
    }
  }
  return { n, data };
}

/** Data as rows (number[][]) or as an example-major Float32Array with its example count. */
export type DataInput = number[][] | {
  /** The number of examples, n. */
  examples: number;
  /** Example-major, n × features values: example c's feature j at c × features + j. */
  data: Float32Array | Float64Array | number[];
};

/**
 * x or y as rows, one per example: rows as given (the same array), {examples, data} cut into `examples` rows of
 * `features` values (its numbers as given: a number[]'s or Float64Array's stay float64). Checked first as toColumns
 * checks it: a typed error naming `field` (`x.data`, `y[2]`, …). Where one place must hand on rows from a spec that
 * may hold either form (the lab's import, the benchmark's --spec).
 */
export function dataAsRows(input: unknown, features: number, field: string): number[][] {
  const d = readData(input, field);
  toColumns(d, features, field); // refuses anything that is not x or y data ('other'), naming `field`
  return rowsOf(d, features, field);
}

/**
 * dataAsRows of an x or y already checked — a spec's that validateSpec accepted (the lab's checkLabSpec, the scalar
 * engine's batch) —, without checking (converting) it a second time: rows as given (the same array), {examples, data}
 * cut into rows, its numbers as given.
 */
export function checkedRows(input: unknown, features: number, field: string): number[][] {
  return rowsOf(readData(input, field), features, field);
}

/** x or y as read (readData), checked, as rows: dataAsRows's and checkedRows's. */
function rowsOf(d: DataRead, features: number, field: string): number[][] {
  if (d.form === 'examples') return toRows(d.data as ArrayLike<number>, d.count, features);
  if (d.form === 'rows') return d.rows as number[][];
  throw new ShapeError(field, `[examples][${features}]`, shapeOf(d.value)); // not reached: checked data is rows or examples
}

/**
 * Convert x or y (rows or example-major typed array) to engine layout, validating everything. The input is read
 * once (readData: the forms and their example count, as the budget counts them); a DataRead is converted as read.
 */
export function toColumns(input: DataInput, features: number, field: string): { n: number; data: Float32Array };
/** Input of unknown type (parsed JSON, a caller's value): validated the same way (a typed error naming `field`). */
export function toColumns(input: unknown, features: number, field: string): { n: number; data: Float32Array };
export function toColumns(input: unknown, features: number, field: string): { n: number; data: Float32Array } {
  const d = readData(input, field);
  if (d.form !== 'examples') return rowsToColumns(d, features, field);
  return exampleColumns(exampleData(d, features, field), features, field);
}

/** toColumns' conversion of a checked {examples, data} (exampleData's). */
function exampleColumns(e: ExampleData, features: number, field: string): { n: number; data: Float32Array } {
  return { n: e.n, data: e.typed ? typedColumns(e.typed, e.n, features, field) : arrayColumns(e.values, e.n, features, field) };
}

type ExampleData = { n: number; values: ArrayLike<unknown>; typed: Float32Array | Float64Array | undefined };

/** {examples, data} checked for its count and its data's kind and length (what toColumns checks before the values). */
function exampleData(d: DataRead & { form: 'examples' }, features: number, field: string): ExampleData {
  const n = integerIn(d.examples, `${field}.examples`, 0, Infinity);
  const src = d.data;
  if (n === 0) throw new EmptyBatchError(field);
  // The brand and length of a typed array from %TypedArray%'s own getters: a subclass's `length` cannot lie.
  const kind = typedArrayKind(src);
  let length: unknown;
  if (kind === 'Float32Array' || kind === 'Float64Array') length = typedLength(src);
  else if (Array.isArray(src)) length = src.length; // read once: a Proxy's answer is the one used
  else {
    // Another typed array (a Uint8Array of pixels or of class indices): the class hint for a y of one value per
    // example, else how to convert it.
    const other = kind !== undefined && kind !== 'BigInt64Array' && kind !== 'BigUint64Array';
    const hint = !other ? '' : typedLength(src) === n && classHint(field, features) !== '' ? classHint(field, features) : `; Float32Array.from(${field}.data) converts it`;
    throw new SpecError(`${field}.data`, `must be a Float32Array, Float64Array or number[], got ${describe(src)}${hint}`);
  }
  if (length !== n * features) {
    const hint = length === n ? classHint(field, features) : ''; // one value per example in y: class indices
    const values = (k: unknown): string => `${String(k)} value${k === 1 ? '' : 's'}`; // 1 value, 2 values
    throw new ShapeError(`${field}.data`, `${n}×${features} = ${values(n * features)} (example-major)`, `${values(length)}${hint}`);
  }
  const typed = kind === 'Float32Array' || kind === 'Float64Array' ? src as Float32Array | Float64Array : undefined;
  return { n, values: src as ArrayLike<unknown>, typed };
}

/**
 * x checked and copied: with `keepExamples` a typed {examples, data} stays example-major (ExampleMajorBatch's
 * input); anything else is converted to the engine layout as toColumns converts it. NOTE: {examples, data} is checked
 * once (exampleData): a number[] data's length is read once, as toColumns reads it (a Proxy's first answer is used).
 */
function xData(input: DataRead, features: number, field: string, keepExamples: boolean): { n: number; columns: Float32Array } | { n: number; examples: Float32Array } {
  const X = input.form === 'examples' ? exampleData(input, features, field) : undefined;
  if (keepExamples && X?.typed) return { n: X.n, examples: typedExamples(X.typed, X.n, features, field) };
  const { n, data } = X ? exampleColumns(X, features, field) : rowsToColumns(input, features, field);
  return { n, columns: data };
}

/**
 * Validate x and y together for `net` and return the batch in engine layout. Every error names `${prefix}x…` or
 * `${prefix}y…` (fit's validation set: prefix 'validation.').
 */
export function batchFrom(net: Net, x: unknown, y: unknown, prefix = ''): Batch {
  return checkedBatch(net, x, y, prefix, false);
}

/**
 * batchFrom for a data set a trainer uploads whole (fit's and evaluate's): the same checks and errors, but a typed
 * x is kept example-major until its engine layout is read (ExampleMajorBatch: the wasm trainer uploads it as it is).
 */
export function dataSetFrom(net: Net, x: unknown, y: unknown, prefix = ''): Batch {
  return checkedBatch(net, x, y, prefix, true);
}

function checkedBatch(net: Net, x: unknown, y: unknown, prefix: string, keepExamples: boolean): Batch {
  const xRead = readData(x, `${prefix}x`);
  const yRead = readData(y, `${prefix}y`);
  const X = xData(xRead, net.inputs, `${prefix}x`, keepExamples);
  const outputs = net.layers[net.layers.length - 1].units;
  const examples = (n: number): string => `${n} example${n === 1 ? '' : 's'}`;
  const mismatch = (n: number): ShapeError => new ShapeError(`${prefix}y`, `${examples(X.n)} (as many as ${prefix}x)`, examples(n));
  // y's count before y is converted: a y of more examples than x (which the budget counted) is refused unconverted.
  // An empty y (no rows, examples: 0) beside x's examples is that mismatch too, not an empty batch: x has examples.
  const yEmpty = yRead.form === 'rows' ? yRead.count === 0 : yRead.form === 'examples' && yRead.examples === 0;
  if ((yRead.count > 0 || yEmpty) && yRead.count !== X.n) throw mismatch(yRead.count);
  const Y = toColumns(yRead, outputs, `${prefix}y`);
  if (X.n !== Y.n) throw mismatch(Y.n);
  if (net.loss !== 'mse') {
    for (let k = 0; k < Y.data.length; k++) {
      const v = Y.data[k];
      if (v < 0 || v > 1) {
        const j = Math.floor(k / Y.n);
        const c = k % Y.n;
        throw new LabelRangeError(`${prefix}y[${c}][${j}]`, float32Text(v), net.loss);
      }
    }
  }
  if (net.loss === 'softmax-cross-entropy') {
    // δ_L = A − Y is the gradient of softmax + cross-entropy only when every label row sums to 1.
    for (let c = 0; c < Y.n; c++) {
      let sum = 0;
      for (let j = 0; j < outputs; j++) sum += Y.data[j * Y.n + c];
      if (Math.abs(sum - 1) > 1e-5) {
        // Shown as float32 text: the sum of stored labels 0.5 and 0.4 is 0.9000000059604645 in float64, read 0.9.
        throw new LabelRangeError(`${prefix}y[${c}]`, float32Text(Math.fround(sum)), 'softmax-cross-entropy', 'needs each label row to sum to 1 (this row sums to the value shown)');
      }
    }
  }
  return 'examples' in X ? new ExampleMajorBatch(X.n, net.inputs, X.examples, Y.data) : { n: X.n, X: X.columns, Y: Y.data };
}

/** What `validateSpec` returns: the net, W and b in the engine's form (or undefined: `init` or none), the batch X, Y, `lr`, and the run defaults fit takes. */
export interface ValidSpec {
  /** The validated net (frozen). */
  net: Net;
  /** W and b in engine layout, from `params`; undefined when the spec has init or neither. */
  params: Params | undefined;
  /** The spec's init ({scheme, seed}), undefined when it has none. */
  init: {
    /** 'xavier', 'he' or 'uniform'. */
    scheme: InitScheme;
    /** The generator's seed, an integer 0 … 2³² − 1. */
    seed: number;
  } | undefined;
  /** X and Y from the spec's x and y (engine layout, one column per example); undefined without x. */
  batch: Batch | undefined;
  /** The spec's lr, undefined when it has none. */
  lr: number | undefined;
  /** The run fields fit takes as defaults. */
  run: RunSpec;
}

/**
 * Validate a whole spec: every field, every shape, every number. Throws a SpecError/ShapeError/… naming the field.
 * Each field is read once (a getter or Proxy is asked once); the fields that cost nothing to check (lr, the text
 * fields, notation, init, the run fields) go first, then the budget from the example count, then params and x, y
 * are converted.
 * @throws {SpecError} a field missing, unknown, or of the wrong type or value (`layers[1].activation`).
 * @throws {ShapeError} `params` or x, y of the wrong shape. {@link NonFiniteError}, {@link LabelRangeError}, {@link EmptyBatchError} for their values.
 * @throws {LimitError} past the resource budget, or more than 1000 layers.
 */
export function validateSpec(raw: unknown, budget?: Partial<Budget>): ValidSpec {
  return validateSpecFor(raw, budget, {});
}

/**
 * What a caller cannot do without (Model.create, grad, the scalar engine, the lab): params or init, x and y. Each
 * is the message of the SpecError (`params`, `x`) thrown where the spec has none, before x, y or params are converted.
 */
export interface SpecNeeds {
  params?: string;
  batch?: string;
}

/** validateSpec, refusing a spec without what `needs` names before any conversion (validateSpec's own checks first). */
export function validateSpecFor(raw: unknown, budget: Partial<Budget> | undefined, needs: SpecNeeds & { batch: string }): ValidSpec & { batch: Batch };
export function validateSpecFor(raw: unknown, budget: Partial<Budget> | undefined, needs: SpecNeeds): ValidSpec;
export function validateSpecFor(raw: unknown, budget: Partial<Budget> | undefined, needs: SpecNeeds): ValidSpec {
  // The budget given checked first, as Model.create checks its option (not read as a net over "-1 bytes"), missing keys the process's.
  const limit = budget === undefined ? undefined : resolveBudget(budget);
  const spec = specObject(raw);
  const s: Record<string, unknown> = {};
  for (const key of KNOWN_KEYS) {
    const v: unknown = spec[key];
    if (v !== undefined) s[key] = v;
  }
  const net = validateNet(s);
  let lr: number | undefined;
  if (s.lr !== undefined) {
    lr = finite(s.lr, 'lr');
    if (lr < 0) throw new SpecError('lr', `must be ≥ 0, got ${lr}`);
  }
  for (const key of ['name', 'description', 'source'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'string') throw new SpecError(key, `must be a string, got ${describe(s[key])}`);
  }
  if (s.notation !== undefined && !isObject(s.notation)) throw new SpecError('notation', 'must be an object');
  if (s.params !== undefined && s.init !== undefined) throw new SpecError('init', 'give either params or init, not both');
  let init: ValidSpec['init'];
  if (s.init !== undefined) {
    const rawInit = s.init;
    if (!isObject(rawInit)) throw new SpecError('init', 'must be an object {scheme, seed}');
    checkKnownKeys(rawInit, ['scheme', 'seed'], 'init.', 'init has scheme and seed', SpecError);
    const scheme = oneOf(rawInit.scheme, INIT_SCHEMES, 'init.scheme');
    // mulberry32 takes 32 bits: a larger seed would be reduced mod 2³² (1 and 2³² + 1 the same weights), so refuse it.
    const seed = integerIn(rawInit.seed, 'init.seed', 0, 0xffffffff, '2³² − 1; the generator takes 32 bits');
    init = { scheme, seed };
  }
  if (needs.params !== undefined && s.params === undefined && init === undefined) throw new SpecError('params', needs.params);
  const pair = checkGiven(net, s.x, s.y, { call: 'the spec', optional: true, neither: 'give neither and pass x and y to each call' });
  if (needs.batch !== undefined && !pair) throw new SpecError('x', needs.batch);
  // x and y read once: the budget counts, and batchFrom converts, the same reads.
  const x = pair ? readData(s.x, 'x') : undefined;
  const y = pair ? readData(s.y, 'y') : undefined;
  // The run fields from the example count (a malformed x is left to batchFrom to name).
  const run = validateRun(s, lr, x !== undefined && x.count > 0 ? x.count : undefined);
  // The budget from the shapes alone, before params, init or the batch allocate anything.
  checkBudget(net, x?.count ?? 0, { budget: limit });
  const params = s.params === undefined ? undefined : paramsFromSpec(net, s.params);
  const batch = x === undefined ? undefined : batchFrom(net, x, y);
  return { net, params, init, batch, lr, run };
}
