/**
 * The network spec: a JSON description of a net, its parameters and a batch, and its validation.
 *
 * Layout (the README's "Matrix layout"): examples are columns. A_0 = X is (inputs × n), row-major,
 * so X[j * n + c] is input j of example c. W_l is (units_l × units_{l−1}), row-major: W_l[i][j]
 * connects unit j of layer l−1 to unit i of layer l. Arrays are 0-based: W[0] is W_1.
 */
import {
  EmptyBatchError,
  LabelRangeError,
  LimitError,
  NonFiniteError,
  ShapeError,
  SpecError,
} from './errors.ts';
import { type OptimizerConfig, type OptimizerName, type OptimizerSpec, resolveOptimizer } from './train/optimizers.ts';
import { type Budget, checkBudget, exampleCount } from './budget.ts';

export type Activation = 'identity' | 'sigmoid' | 'relu' | 'tanh' | 'softmax';
export type ActivationName = Activation | 'linear';
export type Loss = 'mse' | 'bce' | 'softmax-cross-entropy';
export type Reduction = 'mean' | 'sum';
export type BiasMode = 'per-unit' | 'shared' | 'none';
export type InitScheme = 'xavier' | 'he' | 'uniform';

export const ACTIVATIONS: readonly ActivationName[] = ['identity', 'linear', 'sigmoid', 'relu', 'tanh', 'softmax'];
export const LOSSES: readonly Loss[] = ['mse', 'bce', 'softmax-cross-entropy'];
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum'];
export const BIAS_MODES: readonly BiasMode[] = ['per-unit', 'shared', 'none'];
export const INIT_SCHEMES: readonly InitScheme[] = ['xavier', 'he', 'uniform'];

export interface LayerSpec {
  units: number;
  activation: ActivationName;
  bias?: BiasMode;
}

/** Parameters as people write them: W[l][i][j], and b[l] an array (per-unit), a number (shared) or [] (none). */
export interface ParamsSpec {
  W: number[][][];
  b: (number[] | number)[];
}

export interface NetworkSpec {
  inputs: number;
  layers: LayerSpec[];
  loss: Loss;
  reduction?: Reduction;
  params?: ParamsSpec;
  init?: { scheme: InitScheme; seed: number };
  /** One row per example. */
  x?: number[][];
  /** One row per example. */
  y?: number[][];
  lr?: number;
  /** The training run (model.fit's defaults; see RunSpec and validateRun). */
  batchSize?: number;
  epochs?: number;
  shuffle?: false | { seed: number };
  /** A fraction in (0, 1) of the data held out (from the end) for validation. */
  validation?: number;
  optimizer?: OptimizerName | OptimizerSpec;
  /** Free text, ignored by the engine. */
  name?: string;
  description?: string;
  source?: string;
  /** Naming and labels for the scalar notation; opaque to the engine. */
  notation?: Record<string, unknown>;
}

/** A validated layer: Z = W·A_prev + b, A = f(Z). */
export interface Layer {
  units: number;
  fanIn: number;
  activation: Activation;
  bias: BiasMode;
}

/** A validated net, without data or parameters. */
export interface Net {
  inputs: number;
  layers: Layer[];
  loss: Loss;
  reduction: Reduction;
}

/** Parameters in engine layout: W[l] row-major (units × fanIn); b[l] of length units, 1 or 0 by bias mode. */
export interface Params {
  W: Float32Array[];
  b: Float32Array[];
}

/** A batch in engine layout: X (inputs × n) and Y (outputs × n), row-major, one column per example. */
export interface Batch {
  n: number;
  X: Float32Array;
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

const KNOWN_KEYS = new Set([...NET_KEYS, 'params', 'init', 'x', 'y', 'lr', ...TEXT_KEYS, ...RUN_KEYS]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `v` if it is an integer lo … hi (a bound may be ±Infinity), else a SpecError naming `field`: "must be a positive
 * integer" (1 … ∞), "a non-negative integer" (0 … ∞), "an integer" (unbounded) or "an integer lo … hi", then `note`
 * in parentheses when given, then what it got. The one integer option check of the engine.
 */
export function integerIn(v: unknown, field: string, lo: number, hi: number, note?: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) return v;
  const range = hi !== Infinity ? (lo === -Infinity ? `an integer ≤ ${hi}` : `an integer ${lo} … ${hi}`)
    : lo === 1 ? 'a positive integer'
      : lo === 0 ? 'a non-negative integer'
        : lo === -Infinity ? 'an integer' : `an integer ≥ ${lo}`;
  throw new SpecError(field, `must be ${range}${note ? ` (${note})` : ''}, got ${describe(v)}`);
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new SpecError(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

/**
 * An options argument (of a backend's create, Model.create): undefined (→ {}) or a plain object whose keys are all in
 * `known`. SpecError naming the argument (`field`) or the unknown key (`prefix` + key) otherwise.
 */
export function checkOptions(v: unknown, field: string, known: readonly string[], prefix = ''): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new SpecError(field, `must be an object, got ${describe(v)}`);
  for (const key of Object.keys(v)) if (!known.includes(key)) throw new SpecError(`${prefix}${key}`, `unknown option; known: ${known.join(', ')}`);
  return v;
}

/** A number finite as float32 (what float32() accepts without a word): the loops' cheap test before naming an element. */
function isFloat32(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(Math.fround(v));
}

/** The largest finite float32, 3.4028234663852886e38: larger magnitudes are stored as ±Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A number that is finite as float32 (what every array stores): NaN, ±Infinity and |v| past the float32 range
 * are a NonFiniteError naming `field`. Checked on the value as stored (Math.fround), not on the float64 given.
 */
export function float32(v: unknown, field: string): number {
  if (typeof v !== 'number') throw new SpecError(field, `must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new NonFiniteError(field, v);
  if (!Number.isFinite(Math.fround(v))) throw new NonFiniteError(field, v, `outside the float32 range (|v| ≤ ${FLOAT32_MAX}): it would be stored as ${Math.fround(v)}`);
  return v;
}

/** A short description of a bad value for a message (JSON.stringify says "null" for Infinity and NaN). */
export function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return 'null';
  return typeof v;
}

const finite = float32;

/** Validate the architecture part of a spec (inputs, layers, loss, reduction). */
export function validateNet(spec: unknown): Net {
  if (!isObject(spec)) throw new SpecError('spec', 'must be a JSON object');
  for (const key of Object.keys(spec)) {
    if (!KNOWN_KEYS.has(key)) throw new SpecError(key, `unknown key; known keys are ${[...KNOWN_KEYS].join(', ')}`);
  }
  const inputs = integerIn(spec.inputs, 'inputs', 1, Infinity);
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw new SpecError('layers', 'must be a non-empty array of {units, activation, bias}');
  }
  if (spec.layers.length > MAX_LAYERS) throw new LimitError('layers', `${spec.layers.length} layers; at most ${MAX_LAYERS} are supported`);
  const loss = oneOf(spec.loss, LOSSES, 'loss');
  const reduction = spec.reduction === undefined ? 'mean' : oneOf(spec.reduction, REDUCTIONS, 'reduction');
  const layers: Layer[] = [];
  let fanIn = inputs;
  // NOTE: plain loops, not forEach, everywhere input is read: forEach skips the holes of a sparse array.
  for (let l = 0; l < spec.layers.length; l++) {
    const raw: unknown = spec.layers[l];
    const f = `layers[${l}]`;
    if (!isObject(raw)) throw new SpecError(f, 'must be an object {units, activation, bias}');
    for (const key of Object.keys(raw)) {
      if (!['units', 'activation', 'bias'].includes(key)) throw new SpecError(`${f}.${key}`, 'unknown key; a layer has units, activation, bias');
    }
    const units = integerIn(raw.units, `${f}.units`, 1, Infinity);
    const name = oneOf(raw.activation, ACTIVATIONS, `${f}.activation`);
    const activation: Activation = name === 'linear' ? 'identity' : name;
    const bias = raw.bias === undefined ? 'per-unit' : oneOf(raw.bias, BIAS_MODES, `${f}.bias`);
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
  if (loss === 'bce' && layers[last].activation !== 'sigmoid') {
    throw new SpecError(`layers[${last}].activation`, "loss 'bce' needs the output layer's activation to be 'sigmoid'");
  }
  return { inputs, layers, loss, reduction };
}

/** Number of bias values layer `layer` holds: units (per-unit), 1 (shared) or 0 (none). */
export function biasLength(layer: Layer): number {
  return layer.bias === 'per-unit' ? layer.units : layer.bias === 'shared' ? 1 : 0;
}

/** Array nesting shown in a shape before it is cut with "…" (shapeOf iterates: any depth is safe). */
const SHAPE_DEPTH = 8;

/** The shape of a (nested) array along its first elements, e.g. "[3][2]"; "number" for a non-array. */
export function shapeOf(v: unknown): string {
  if (!Array.isArray(v)) return v === null ? 'null' : typeof v;
  let out = '';
  let cur: unknown = v;
  for (let depth = 0; Array.isArray(cur); depth++) {
    if (depth === SHAPE_DEPTH) return `${out}…`;
    out += `[${cur.length}]`;
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return out;
}

/** Validate `params` against the net and convert it to engine layout. */
export function paramsFromSpec(net: Net, raw: unknown, field = 'params'): Params {
  if (!isObject(raw)) throw new SpecError(field, 'must be an object {W, b}');
  for (const key of Object.keys(raw)) {
    if (key !== 'W' && key !== 'b') throw new SpecError(`${field}.${key}`, 'unknown key; params has W and b');
  }
  const L = net.layers.length;
  const rawW: unknown = raw.W;
  const rawB: unknown = raw.b;
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
    let values: unknown[];
    if (layer.bias === 'shared' && typeof rb === 'number') values = [rb];
    else if (Array.isArray(rb)) values = rb;
    else throw new ShapeError(fb, layer.bias === 'shared' ? 'a number (shared bias)' : `[${n}]`, shapeOf(rb));
    if (values.length !== n) {
      const want = layer.bias === 'none' ? '[] (bias: none)' : layer.bias === 'shared' ? 'a number (shared bias)' : `[${n}]`;
      throw new ShapeError(fb, want, shapeOf(rb));
    }
    b.push(Float32Array.from(values, (v, i) => finite(v, `${fb}[${i}]`)));
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
  if (!Array.isArray(rows)) throw new ShapeError(field, `[examples][${features}]`, shapeOf(rows));
  if (rows.length === 0) throw new EmptyBatchError(field);
  const n = rows.length;
  const data = new Float32Array(features * n);
  for (let c = 0; c < n; c++) {
    const row: unknown = rows[c];
    if (!Array.isArray(row) || row.length !== features) {
      throw new ShapeError(`${field}[${c}]`, `[${features}]`, shapeOf(row));
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
export type DataInput = number[][] | { examples: number; data: Float32Array | Float64Array | number[] };

/** Convert x or y (rows or example-major typed array) to engine layout, validating everything. */
export function toColumns(input: DataInput, features: number, field: string): { n: number; data: Float32Array };
/** Input of unknown type (parsed JSON, a caller's value): validated the same way (a typed error naming `field`). */
export function toColumns(input: unknown, features: number, field: string): { n: number; data: Float32Array };
export function toColumns(input: unknown, features: number, field: string): { n: number; data: Float32Array } {
  if (isObject(input) && 'examples' in input && 'data' in input) {
    const n = integerIn(input.examples, `${field}.examples`, 0, Infinity);
    const src = input.data;
    if (n === 0) throw new EmptyBatchError(field);
    if (!(src instanceof Float32Array || src instanceof Float64Array || Array.isArray(src))) {
      throw new SpecError(`${field}.data`, 'must be a Float32Array, Float64Array or number[]');
    }
    if (src.length !== n * features) {
      throw new ShapeError(`${field}.data`, `${n}×${features} = ${n * features} values (example-major)`, `${src.length} values`);
    }
    const data = new Float32Array(features * n);
    // NOTE: this is a transpose (example-major in, one row per feature out). Walking it in blocks of TILE examples
    // writes TILE neighbours of a row at a time instead of one value per cache line; with MNIST's 8 000 × 784 the
    // plain walk took about twice as long.
    const TILE = 16;
    for (let c0 = 0; c0 < n; c0 += TILE) {
      const cEnd = Math.min(c0 + TILE, n);
      for (let j = 0; j < features; j++) {
        for (let c = c0; c < cEnd; c++) {
          const v = src[c * features + j];
          // Numbers only: no Number() coercion of strings, null, booleans or [], and a hole reads as undefined.
          // The element's name is built only for the error (built for each of fit's millions of values, it cost
          // more than the first epoch's training).
          data[j * n + c] = isFloat32(v) ? v : throwFirstBad(src, n, features, field);
        }
      }
    }
    return { n, data };
  }
  return columnsFromRows(input, features, field);
}

/** The error for the first bad value of example-major `src` in reading order (x[c][j], c first), as float32() words it. */
function throwFirstBad(src: ArrayLike<unknown>, n: number, features: number, field: string): never {
  for (let c = 0; c < n; c++) {
    for (let j = 0; j < features; j++) float32(src[c * features + j], `${field}[${c}][${j}]`);
  }
  throw new Error(`internal: ${field} has a bad value that float32() accepts`);
}

/**
 * Validate x and y together for `net` and return the batch in engine layout. Every error names `${prefix}x…` or
 * `${prefix}y…` (fit's validation set: prefix 'validation.').
 */
export function batchFrom(net: Net, x: unknown, y: unknown, prefix = ''): Batch {
  const X = toColumns(x, net.inputs, `${prefix}x`);
  const outputs = net.layers[net.layers.length - 1].units;
  const Y = toColumns(y, outputs, `${prefix}y`);
  if (X.n !== Y.n) throw new ShapeError(`${prefix}y`, `${X.n} examples (as many as ${prefix}x)`, `${Y.n} examples`);
  if (net.loss !== 'mse') {
    for (let k = 0; k < Y.data.length; k++) {
      const v = Y.data[k];
      if (v < 0 || v > 1) {
        const j = Math.floor(k / Y.n);
        const c = k % Y.n;
        throw new LabelRangeError(`${prefix}y[${c}][${j}]`, v, net.loss);
      }
    }
  }
  if (net.loss === 'softmax-cross-entropy') {
    // δ_L = A − Y is the gradient of softmax + cross-entropy only when every label row sums to 1.
    for (let c = 0; c < Y.n; c++) {
      let sum = 0;
      for (let j = 0; j < outputs; j++) sum += Y.data[j * Y.n + c];
      if (Math.abs(sum - 1) > 1e-5) {
        throw new LabelRangeError(`${prefix}y[${c}]`, sum, 'softmax-cross-entropy', 'needs each label row to sum to 1 (this row sums to the value shown)');
      }
    }
  }
  return { n: X.n, X: X.data, Y: Y.data };
}

export interface ValidSpec {
  net: Net;
  params: Params | undefined;
  init: { scheme: InitScheme; seed: number } | undefined;
  batch: Batch | undefined;
  lr: number | undefined;
  run: RunSpec;
}

/** Validate a whole spec: every field, every shape, every number. Throws a SpecError/ShapeError/… naming the field. */
export function validateSpec(spec: unknown, budget?: Budget): ValidSpec {
  const net = validateNet(spec);
  const s = spec as Record<string, unknown>;
  // The budget from the shapes alone, before params, init or the batch allocate anything.
  checkBudget(net, exampleCount(s.x), { budget });
  if (s.params !== undefined && s.init !== undefined) throw new SpecError('init', 'give either params or init, not both');
  const params = s.params === undefined ? undefined : paramsFromSpec(net, s.params);
  let init: ValidSpec['init'];
  if (s.init !== undefined) {
    if (!isObject(s.init)) throw new SpecError('init', 'must be an object {scheme, seed}');
    for (const key of Object.keys(s.init)) {
      if (key !== 'scheme' && key !== 'seed') throw new SpecError(`init.${key}`, 'unknown key; init has scheme and seed');
    }
    const scheme = oneOf(s.init.scheme, INIT_SCHEMES, 'init.scheme');
    // mulberry32 takes 32 bits: a larger seed would be reduced mod 2³² (1 and 2³² + 1 the same weights), so refuse it.
    const seed = integerIn(s.init.seed, 'init.seed', 0, 0xffffffff, '2³² − 1; the generator takes 32 bits');
    init = { scheme, seed };
  }
  if ((s.x === undefined) !== (s.y === undefined)) throw new SpecError(s.x === undefined ? 'x' : 'y', 'x and y go together');
  const batch = s.x === undefined ? undefined : batchFrom(net, s.x, s.y);
  let lr: number | undefined;
  if (s.lr !== undefined) {
    lr = finite(s.lr, 'lr');
    if (lr < 0) throw new SpecError('lr', `must be ≥ 0, got ${lr}`);
  }
  for (const key of ['name', 'description', 'source'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'string') throw new SpecError(key, `must be a string, got ${describe(s[key])}`);
  }
  if (s.notation !== undefined && !isObject(s.notation)) throw new SpecError('notation', 'must be an object');
  return { net, params, init, batch, lr, run: validateRun(s, lr, batch?.n) };
}

/** Check engine-layout params against a net (used by setParams with typed arrays). */
export function checkParams(net: Net, p: Params, field = 'params'): void {
  if (!Array.isArray(p.W) || p.W.length !== net.layers.length) throw new ShapeError(`${field}.W`, `${net.layers.length} matrices`, String(p.W?.length));
  if (!Array.isArray(p.b) || p.b.length !== net.layers.length) throw new ShapeError(`${field}.b`, `${net.layers.length} vectors`, String(p.b?.length));
  net.layers.forEach((layer, l) => {
    const w = p.W[l];
    if (!(w instanceof Float32Array) || w.length !== layer.units * layer.fanIn) {
      throw new ShapeError(`${field}.W[${l}]`, `Float32Array(${layer.units}×${layer.fanIn})`, w instanceof Float32Array ? `Float32Array(${w.length})` : typeof w);
    }
    const b = p.b[l];
    if (!(b instanceof Float32Array) || b.length !== biasLength(layer)) {
      throw new ShapeError(`${field}.b[${l}]`, `Float32Array(${biasLength(layer)})`, b instanceof Float32Array ? `Float32Array(${b.length})` : typeof b);
    }
    w.forEach((v, k) => { if (!Number.isFinite(v)) throw new NonFiniteError(`${field}.W[${l}][${Math.floor(k / layer.fanIn)}][${k % layer.fanIn}]`, v); });
    b.forEach((v, k) => { if (!Number.isFinite(v)) throw new NonFiniteError(`${field}.b[${l}][${k}]`, v); });
  });
}

export function cloneParams(p: Params): Params {
  return { W: p.W.map((w) => w.slice()), b: p.b.map((b) => b.slice()) };
}

// ——— The training run as data (model.fit's defaults; src/train/ runs it) ———

/** A spec's run fields, validated; absent fields stay undefined (fit's own defaults apply). */
export interface RunSpec {
  batchSize?: number;
  epochs?: number;
  shuffle?: false | { seed: number };
  validation?: number;
  optimizer?: OptimizerConfig;
}

/** Validate a shuffle value (fit option or spec field). */
export function checkShuffle(v: unknown, field = 'shuffle'): false | { seed: number } {
  if (v === false) return false;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SpecError(field, `must be false or {seed}, got ${JSON.stringify(v)}`);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) if (key !== 'seed') throw new SpecError(`${field}.${key}`, 'unknown key; shuffle has seed');
  // As init.seed: mulberry32 takes 32 bits, so a seed outside 0 … 2³² − 1 would alias one inside (−1 and 2³² − 1
  // the same order); refuse it rather than reduce it.
  return { seed: integerIn(o.seed, `${field}.seed`, 0, 0xffffffff, '2³² − 1; the generator takes 32 bits') };
}

/**
 * Validate a validation fraction. fit's option may also be {x, y} (fit checks that form itself), so its message offers
 * both; a spec's field is a fraction only (`inSpec`), and its message says where a separate set goes.
 */
export function checkFraction(v: unknown, field = 'validation', inSpec = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v >= 1) {
    const wanted = inSpec ? 'a fraction in (0, 1) of x, y held out from the end (a separate set {x, y} is model.fit\'s validation option)' : 'a fraction in (0, 1) or {x, y}';
    throw new SpecError(field, `must be ${wanted}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Validate the run fields of a spec: batchSize and epochs positive integers, shuffle false or {seed},
 * validation a fraction in (0, 1), optimizer a name or {name, lr, momentum, nesterov, beta1, beta2, eps,
 * weightDecay} (defaults filled in; its lr defaults to the spec's lr). With `examples` (the spec's x): the fraction
 * must leave one example on each side, and batchSize fit the training side. Each error names its field.
 */
export function validateRun(s: Record<string, unknown>, lr: number | undefined, examples?: number): RunSpec {
  const run: RunSpec = {};
  if (s.batchSize !== undefined) run.batchSize = integerIn(s.batchSize, 'batchSize', 1, Infinity);
  if (s.epochs !== undefined) run.epochs = integerIn(s.epochs, 'epochs', 1, Infinity);
  if (s.shuffle !== undefined) run.shuffle = checkShuffle(s.shuffle);
  if (s.validation !== undefined) run.validation = checkFraction(s.validation, 'validation', true);
  if (s.optimizer !== undefined) run.optimizer = resolveOptimizer(s.optimizer, lr);
  if (examples !== undefined) {
    // The examples fit trains on by default: x less the held-out fraction (fit checks again with its own data).
    const n = examples - (run.validation === undefined ? 0 : heldOut(run.validation, examples));
    if (run.batchSize !== undefined && run.batchSize > n) {
      throw new SpecError('batchSize', `is ${run.batchSize}, more than the ${n} ${run.validation === undefined ? '' : 'training '}examples of x`);
    }
  }
  return run;
}

/** The examples of n that a validation fraction holds out (rounded); a SpecError unless it leaves one on each side. */
export function heldOut(fraction: number, n: number): number {
  const held = Math.round(fraction * n);
  if (held < 1 || held >= n) throw new SpecError('validation', `holds out ${held} of ${n} examples; it must leave at least one on each side`);
  return held;
}
