/**
 * Checkpoints: a model's parameters, optimiser state and epoch count in one safetensors file (./safetensors.ts).
 *   tensors   W_l (units × fanIn) and b_l (its bias length; none for bias 'none'), l = 1 … L (the lectures'
 *             numbering); optimizer.t (I64, the step count); optimizer.<slot>.W_l / .b_l (buf, or m and v)
 *   metadata  format "backprop-webgpu/checkpoint 1"; spec: the net, its top-level lr and its run fields as JSON
 *             (the spec format, without params, init and data); epochs: the epochs trained so far, in decimal digits
 *             (the next fit's shuffle continues there); and any other string entries the writer added (saveCheckpoint's
 *             `metadata`: train --save's `run`), which loadCheckpoint hands back as they are
 * Values are stored bitwise (float32), so save → load → continue equals the uninterrupted run.
 */
import { NO_BUDGET, type Budget } from '../budget.ts';
import { BackpropError, LimitError, NonFiniteError, ShapeError, SpecError } from '../errors.ts';
import type { Net, NetworkSpec, Params, RunSpec } from '../spec.ts';
import { NET_KEYS, RUN_KEYS, TEXT_KEYS, biasLength, validateSpec } from '../spec.ts';
import { describe as describeValue, integerIn, isObject } from '../checks.ts';
import { checkNet, checkParams } from '../engine-form.ts';
import { type OptimizerConfig, type OptimizerState, STATE_SLOTS } from './optimizers.ts';
import { decodeSafetensors, encodeSafetensors, type Tensor } from './safetensors.ts';

/** The `format` metadata of a checkpoint file (safetensors) that saveCheckpoint writes and loadCheckpoint requires. */
export const CHECKPOINT_FORMAT = 'backprop-webgpu/checkpoint 1';

/**
 * The epoch count and the optimiser's step count a model may reach: 2⁵³ − 1 (Number.MAX_SAFE_INTEGER), the most
 * loadCheckpoint accepts. Past it a double no longer counts by one (2⁵³ + 1 rounds to 2⁵³), so a fit that would go
 * past it is refused before it starts (checkFitCounts), and every checkpoint a model saves loads again.
 */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** The metadata keys of the format itself (saveCheckpoint writes them, loadCheckpoint reads them); other entries are the writer's. */
const CHECKPOINT_KEYS: readonly string[] = ['format', 'spec', 'epochs'];

/** What loadCheckpoint reads: the spec, the net, W and b, the optimiser state, the epochs trained and the other metadata. */
export interface Checkpoint {
  /** The spec as stored (net, lr, run fields). */
  spec: NetworkSpec;
  /** The net the spec describes (validated): its layers, loss and reduction. */
  net: Net;
  /** The stored top-level lr (train/step's default); undefined in a checkpoint written before lr was stored. */
  lr: number | undefined;
  /** The stored run fields (batchSize, epochs, shuffle, validation, optimizer). */
  run: RunSpec;
  /** W and b from the tensors W_1 … W_L, b_1 … b_L, engine layout. */
  params: Params;
  /** The optimiser state (t and its slots), undefined when the checkpoint has none. */
  state: OptimizerState | undefined;
  /** Epochs trained (the metadata `epochs`). */
  epochs: number;
  /** The metadata entries besides the format's own (CHECKPOINT_KEYS), as stored: train --save's `run`; {} for Model.save's. */
  metadata: Record<string, string>;
}

/** The spec keys a checkpoint stores: the net, the top-level lr, the run fields and free text (never params, init, x, y). */
const SPEC_KEYS: readonly string[] = [...NET_KEYS, 'lr', ...RUN_KEYS, ...TEXT_KEYS];

/** The spec of a net, its top-level lr and its run fields (no params, no data). */
export function specOfNet(net: Net, run: RunSpec, optimizer: OptimizerConfig | undefined, lr: number | undefined): NetworkSpec {
  const spec: NetworkSpec = {
    inputs: net.inputs,
    layers: net.layers.map((l) => ({ units: l.units, activation: l.activation, bias: l.bias })),
    loss: net.loss,
    reduction: net.reduction,
  };
  if (lr !== undefined) spec.lr = lr;
  if (run.batchSize !== undefined) spec.batchSize = run.batchSize;
  if (run.epochs !== undefined) spec.epochs = run.epochs;
  if (run.shuffle !== undefined) spec.shuffle = run.shuffle;
  if (run.validation !== undefined) spec.validation = run.validation;
  const o = optimizer ?? run.optimizer;
  if (o) {
    const { name, lr, momentum, nesterov, beta1, beta2, eps, weightDecay } = o;
    if (name === 'sgd') spec.optimizer = { name, lr, weightDecay };
    else if (name === 'momentum') spec.optimizer = { name, lr, momentum, nesterov, weightDecay };
    else spec.optimizer = { name, lr, beta1, beta2, eps, weightDecay };
  }
  return spec;
}

function paramTensors(net: Net, p: Params, prefix: string, out: Record<string, Tensor>): void {
  net.layers.forEach((layer, l) => {
    out[`${prefix}W_${l + 1}`] = { dtype: 'F32', shape: [layer.units, layer.fanIn], data: p.W[l] };
    if (biasLength(layer) > 0) out[`${prefix}b_${l + 1}`] = { dtype: 'F32', shape: [biasLength(layer)], data: p.b[l] };
  });
}

/**
 * The checkpoint of `net`: `spec` (its SPEC_KEYS are stored), `params`, the optimiser `state` (or none) and `epochs`.
 * Checked at entry (cheap checks, so that it does not write what loadCheckpoint refuses): the spec valid and of this net, params and
 * every state slot Float32Arrays of the net's shapes with finite values (all 0 when state.t is 0; Adam's v ≥ 0), state.name the spec optimizer's, state.t and
 * epochs integers 0 … 2⁵³ − 1 (a SpecError / ShapeError / NonFiniteError naming the argument: spec, params.W[0],
 * state.t, epochs, …). `metadata`: more string entries for the file's header (loadCheckpoint returns them), none of
 * them a key of the format's own (CHECKPOINT_KEYS: format, spec, epochs).
 * @throws {SpecError} a bad argument, named: `spec` (not valid, or of another net), `state.name`, `state.t`, `epochs`, a slot value (Adam's `v` < 0, non-zero at `state.t` 0),
 * `metadata` (not a plain object: a Map too), `metadata.KEY` (a key of the format's own, or a value that is not a string).
 * @throws {ShapeError} `params` or a state slot not a Float32Array of the net's shape (`params.W[0]`). {@link NonFiniteError} a NaN or ±Infinity in one.
 */
export function saveCheckpoint(
  given: Net, spec: NetworkSpec, params: Params, state: OptimizerState | undefined, epochs: number, metadata: Record<string, string> = {},
): Uint8Array {
  // The validated net: its keys in validateNet's order, so that the comparison with the spec's below is of content.
  const net = checkNet(given);
  integerIn(epochs, 'epochs', 0, Number.MAX_SAFE_INTEGER);
  // A plain object only: a Map's entries are not its keys, so it would write nothing without a word.
  const plain = isObject(metadata) && [Object.prototype, null].includes(Object.getPrototypeOf(metadata) as object | null);
  if (!plain) throw new SpecError('metadata', `must be a plain object of strings, got ${describeValue(metadata)}`);
  const extra = { ...metadata }; // read once: what is checked is what is written
  for (const key of Object.keys(extra)) {
    if (CHECKPOINT_KEYS.includes(key)) throw new SpecError(`metadata.${key}`, `is a key of the checkpoint format's own (${CHECKPOINT_KEYS.join(', ')}): saveCheckpoint writes it`);
    if (typeof extra[key] !== 'string') throw new SpecError(`metadata.${key}`, `must be a string, got ${describeValue(extra[key])}`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new SpecError('spec', 'must be a network spec object');
  // The spec's keys a checkpoint holds (SPEC_KEYS): a whole spec may be given — its params are the tensors, and
  // init, x and y do not belong in a checkpoint.
  const stored = Object.fromEntries(Object.entries(spec).filter(([key]) => SPEC_KEYS.includes(key)));
  // No budget here (the model exists already): the load applies its caller's.
  const valid = validateSpec(stored, NO_BUDGET);
  if (JSON.stringify(valid.net) !== JSON.stringify(net)) throw new SpecError('spec', `is of another net (${describe(valid.net)}), not net (${describe(net)})`);
  checkParams(net, params, 'params');
  if (state !== undefined) {
    const o = valid.run.optimizer;
    if (!o || state.name !== o.name) throw new SpecError('state.name', `must be the spec's optimizer (${o ? `'${o.name}'` : 'none'}), got ${describeValue(state.name)}`);
    integerIn(state.t, 'state.t', 0, Number.MAX_SAFE_INTEGER);
    for (const slot of STATE_SLOTS[o.name]) {
      checkParams(net, state.slots?.[slot], `state.slots.${slot}`);
      // The value rules readState applies on load (slotRule), so that save never writes what load refuses.
      const rule = slotRule(o.name, slot, state.t === 0, 'state.t');
      const { W, b } = state.slots[slot];
      for (const [key, arrays] of [['W', W], ['b', b]] as const) {
        arrays.forEach((a, l) => a.forEach((v, i) => {
          const why = rule(v);
          if (why !== undefined) throw new SpecError(`state.slots.${slot}.${key}[${l}][${i}]`, `is ${v}; ${why}`);
        }));
      }
    }
  }
  const tensors: Record<string, Tensor> = {};
  paramTensors(net, params, '', tensors);
  if (state) {
    tensors['optimizer.t'] = { dtype: 'I64', shape: [], data: BigInt64Array.of(BigInt(state.t)) };
    for (const slot of STATE_SLOTS[state.name]) paramTensors(net, state.slots[slot], `optimizer.${slot}.`, tensors);
  }
  return encodeSafetensors(tensors, { format: CHECKPOINT_FORMAT, spec: JSON.stringify(stored), epochs: String(epochs), ...extra });
}

/** Why a (finite) stored value is refused, or undefined when it is fine. */
type Rule = (v: number) => string | undefined;

/**
 * The rule of an optimiser slot's values, on load and on save alike: with no step run (`noStep`: t = 0, the field
 * named `tField`) every value is 0; Adam's / AdamW's v (the running mean of g²) is ≥ 0.
 */
function slotRule(name: string, slot: string, noStep: boolean, tField: string): Rule {
  return (v) => noStep && v !== 0 ? `${tField} is 0 (no step ran), so every state value must be 0`
    : slot === 'v' && v < 0 ? `${name}'s v (the running mean of g²) must be ≥ 0`
      : undefined;
}

/**
 * The params-shaped tensors `prefix`W_l, `prefix`b_l of a net, each checked: present, F32 of the layer's shape,
 * that many values, every value finite (NonFiniteError naming the element, e.g. checkpoint.W_1[2][0]) and passing
 * `rule` (SpecError naming the element).
 */
function readParams(net: Net, tensors: Record<string, Tensor>, prefix: string, rule?: Rule): Params {
  const want = (name: string, shape: number[]): Float32Array => {
    const t = tensors[name];
    if (!t) throw new ShapeError(`checkpoint.${name}`, `[${shape}]`, 'missing');
    if (t.dtype !== 'F32' || t.shape.join() !== shape.join()) throw new ShapeError(`checkpoint.${name}`, `F32 [${shape}]`, `${t.dtype} [${t.shape}]`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) throw new ShapeError(`checkpoint.${name}`, `${count} values (F32 [${shape}])`, `${t.data.length} values`);
    const data = t.data as Float32Array;
    for (let k = 0; k < count; k++) {
      const v = data[k];
      const why = Number.isFinite(v) ? rule?.(v) : 'every value must be finite';
      if (why === undefined) continue;
      const field = `checkpoint.${name}${shape.length === 2 ? `[${Math.floor(k / shape[1])}][${k % shape[1]}]` : `[${k}]`}`;
      throw Number.isFinite(v) ? new SpecError(field, `is ${v}; ${why}`) : new NonFiniteError(field, v, why);
    }
    return data;
  };
  const W: Float32Array[] = [];
  const b: Float32Array[] = [];
  net.layers.forEach((layer, l) => {
    W.push(want(`${prefix}W_${l + 1}`, [layer.units, layer.fanIn]));
    b.push(biasLength(layer) > 0 ? want(`${prefix}b_${l + 1}`, [biasLength(layer)]) : new Float32Array(0));
  });
  return { W, b };
}

/**
 * Validate the spec stored in a checkpoint (`budget`: the caller's, as Model.create would use). It holds only
 * SPEC_KEYS; an error in it names checkpoint.spec.<field> (a SpecError, or a ShapeError); a LimitError of the budget
 * is passed on as it is (it names the budget option).
 */
function validateStoredSpec(raw: unknown, budget: Budget | undefined): ReturnType<typeof validateSpec> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SpecError('checkpoint.spec', 'the metadata spec is not a JSON object');
  for (const key of Object.keys(raw)) {
    if (!SPEC_KEYS.includes(key)) {
      throw new SpecError(`checkpoint.spec.${key}`, `a checkpoint's spec holds ${SPEC_KEYS.join(', ')} only (its parameters are its tensors; init, x and y do not belong in it)`);
    }
  }
  try {
    return validateSpec(raw, budget);
  } catch (err) {
    if (!(err instanceof BackpropError) || err instanceof LimitError || err.field === undefined) throw err;
    const field = `checkpoint.spec.${err.field}`;
    if (err instanceof ShapeError) throw new ShapeError(field, err.expected, err.actual);
    throw new SpecError(field, err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message);
  }
}

/** The metadata epochs: decimal digits only (no '', sign, leading zero as in '010', '0x10', '1e3' or '1.5'), 0 … MAX_COUNT. */
function readEpochs(text: string | undefined): number {
  const epochs = Number(text);
  if (text === undefined || !/^(0|[1-9][0-9]*)$/.test(text) || !(epochs <= MAX_COUNT)) {
    throw new SpecError('checkpoint.epochs', `must be an integer 0 … ${MAX_COUNT} in decimal digits, ${text === undefined ? 'missing from the metadata' : `got ${JSON.stringify(text)}`}`);
  }
  return epochs;
}

/**
 * The optimiser state, if the checkpoint has optimizer.t: t an integer 0 … MAX_COUNT (0 is a state before any step —
 * written by saveCheckpoint, or by an earlier version's fit stopped before its first step; Model.save no longer makes
 * one — so every slot value must then be 0); every slot value finite; Adam's and AdamW's v ≥ 0 (a sum of squares).
 */
function readState(valid: ReturnType<typeof validateSpec>, tensors: Record<string, Tensor>): OptimizerState | undefined {
  const t = tensors['optimizer.t'];
  if (!t) return undefined;
  const o = valid.run.optimizer;
  if (!o) throw new SpecError('checkpoint.spec.optimizer', 'optimizer state without an optimizer in the spec');
  if (t.dtype !== 'I64' || t.shape.length !== 0 || t.data.length !== 1) throw new ShapeError('checkpoint.optimizer.t', 'I64 []', `${t.dtype} [${t.shape}]`);
  const steps = t.data[0] as bigint;
  if (steps < 0n || steps > BigInt(MAX_COUNT)) {
    throw new SpecError('checkpoint.optimizer.t', `must be an integer 0 … ${MAX_COUNT} (the optimiser's step count), got ${steps}`);
  }
  const slots: Record<string, Params> = {};
  for (const slot of STATE_SLOTS[o.name]) {
    slots[slot] = readParams(valid.net, tensors, `optimizer.${slot}.`, slotRule(o.name, slot, steps === 0n, 'optimizer.t'));
  }
  return { name: o.name, t: Number(steps), slots };
}

/**
 * Parse and check a checkpoint: the file (./safetensors.ts), its format, its spec (validated with `budget`, as
 * Model.create would), its parameters (each F32 of its shape, finite), its optimiser state (readState) and epochs;
 * the other metadata entries are returned as they are.
 * With `net`, the checkpoint must be of that net (same inputs, layers, loss, reduction). Every error is typed and
 * names the field (checkpoint, checkpoint.spec.…, checkpoint.W_1[0][2], checkpoint.optimizer.t, checkpoint.epochs);
 * it is thrown before anything is changed.
 * @throws {SpecError} a truncated or malformed file (`checkpoint`), a bad or other net's spec (`checkpoint.spec…`), an unknown tensor (`checkpoint.W_3`), a bad `checkpoint.optimizer.t` or `checkpoint.epochs`.
 * @throws {ShapeError} a tensor missing or of the wrong shape (`checkpoint.W_2`). {@link NonFiniteError} a NaN or ±Infinity in a parameter or slot.
 * @throws {LimitError} the stored net past `budget`.
 */
export function loadCheckpoint(bytes: Uint8Array | ArrayBuffer, given?: Net, budget?: Budget): Checkpoint {
  const net = given === undefined ? undefined : checkNet(given);
  let raw: unknown;
  let checked: ReturnType<typeof validateSpec> | undefined;
  // The format and the spec (the budget with it) from the header, before any tensor is copied (decodeSafetensors).
  const { tensors, metadata } = decodeSafetensors(bytes, (metadata) => {
    if (metadata.format !== CHECKPOINT_FORMAT) {
      const got = metadata.format === undefined ? 'missing from the metadata' : `got ${JSON.stringify(metadata.format)}`;
      throw new SpecError('checkpoint.format', `expected "${CHECKPOINT_FORMAT}", ${got}`);
    }
    try {
      raw = JSON.parse(metadata.spec ?? '');
    } catch {
      throw new SpecError('checkpoint.spec', 'the metadata has no valid spec JSON');
    }
    checked = validateStoredSpec(raw, budget);
    if (net && JSON.stringify(checked.net) !== JSON.stringify(net)) {
      throw new SpecError('checkpoint.spec', `the checkpoint is of another net (${describe(checked.net)}), not this one (${describe(net)})`);
    }
  });
  const valid = checked!;
  const params = readParams(valid.net, tensors, '');
  const epochs = readEpochs(metadata.epochs);
  const state = readState(valid, tensors);
  checkNoOtherTensors(valid.net, state, tensors);
  const others = Object.fromEntries(Object.entries(metadata).filter(([key]) => !CHECKPOINT_KEYS.includes(key)));
  return { spec: raw as NetworkSpec, net: valid.net, lr: valid.lr, run: valid.run, params, state, epochs, metadata: others };
}

/**
 * Every tensor of the checkpoint is one read above: a tensor of another name (W_3 of a 2-layer net, b_1 of a layer
 * without bias, optimizer.buf.W_1 beside an Adam state) is a SpecError naming it, and optimiser slots without
 * optimizer.t (the state's step count) a ShapeError naming checkpoint.optimizer.t — never state dropped in silence.
 */
function checkNoOtherTensors(net: Net, state: OptimizerState | undefined, tensors: Record<string, Tensor>): void {
  const names = new Set<string>();
  const add = (prefix: string) => net.layers.forEach((layer, l) => {
    names.add(`${prefix}W_${l + 1}`);
    if (biasLength(layer) > 0) names.add(`${prefix}b_${l + 1}`);
  });
  add('');
  if (state) {
    names.add('optimizer.t');
    for (const slot of STATE_SLOTS[state.name]) add(`optimizer.${slot}.`);
  }
  for (const name of Object.keys(tensors)) {
    if (names.has(name)) continue;
    if (!state && name.startsWith('optimizer.')) {
      throw new ShapeError('checkpoint.optimizer.t', `I64 [] (the step count of the optimiser state ${name})`, 'missing');
    }
    const stateNames = state ? `, optimizer.t and optimizer.${STATE_SLOTS[state.name].join('/')}.… (its ${state.name} state)` : ' (no optimiser state)';
    throw new SpecError(`checkpoint.${name}`, `is not a tensor of this checkpoint: it holds W_1 … W_${net.layers.length} and their biases${stateNames} only`);
  }
}

/**
 * Before a fit of `epochs` epochs of `batches` optimiser steps each, on a model that has trained `trained` epochs and
 * whose optimiser state (the one this fit continues, else none: 0) is at step `t`: a SpecError naming `epochs` when
 * either count would pass MAX_COUNT. Nothing has changed when it throws.
 */
export function checkFitCounts(trained: number, t: number, epochs: number, batches: number): void {
  // NOTE: the sums are doubles; one past MAX_COUNT rounds to ≥ 2⁵³ (rounding is monotone), so `>` still sees it.
  if (trained + epochs > MAX_COUNT) {
    throw new SpecError('epochs', `this model has trained ${trained} epochs; ${epochs} more would pass ${MAX_COUNT} (2⁵³ − 1), the most a model counts (and a checkpoint stores)`);
  }
  if (t + epochs * batches > MAX_COUNT) {
    throw new SpecError('epochs', `the optimiser state is at step ${t}; ${epochs} epoch(s) of ${batches} step(s) would pass ${MAX_COUNT} (2⁵³ − 1), the most a model counts (and a checkpoint stores)`);
  }
}

/**
 * The net in one line, with every field the comparisons above look at (fanIn follows from the units), so that two
 * nets that differ never read the same: bias modes other than per-unit and the reduction were left out, and a net of
 * another reduction was "of another net (2-1 sigmoid, bce), not this one (2-1 sigmoid, bce)".
 */
function describe(net: Net): string {
  const layers = net.layers.map((l) => `${l.units} ${l.activation}${l.bias === 'per-unit' ? '' : ` (bias ${l.bias})`}`);
  return `${net.inputs}-${layers.join('-')}, ${net.loss}, reduction ${net.reduction}`;
}
