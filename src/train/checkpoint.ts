/**
 * Checkpoints: a model's parameters, optimiser state and epoch count in one safetensors file (./safetensors.ts).
 *   tensors   W_l (units × fanIn) and b_l (its bias length; none for bias 'none'), l = 1 … L (the lectures'
 *             numbering); optimizer.t (I64, the step count); optimizer.<slot>.W_l / .b_l (buf, or m and v)
 *   metadata  format "backprop-webgpu/checkpoint 1"; spec: the net and its run fields as JSON (the spec format,
 *             without params and data); epochs: the epochs trained so far (the next fit's shuffle continues there)
 * Values are stored bitwise (float32), so save → load → continue equals the uninterrupted run.
 */
import { ShapeError, SpecError } from '../errors.ts';
import type { Net, NetworkSpec, Params, RunSpec } from '../spec.ts';
import { biasLength, validateSpec } from '../spec.ts';
import { type OptimizerConfig, type OptimizerState, STATE_SLOTS } from './optimizers.ts';
import { decodeSafetensors, encodeSafetensors, type Tensor } from './safetensors.ts';

export const CHECKPOINT_FORMAT = 'backprop-webgpu/checkpoint 1';

export interface Checkpoint {
  spec: NetworkSpec;
  params: Params;
  state: OptimizerState | undefined;
  epochs: number;
}

/** The spec of a net and its run fields (no params, no data). */
export function specOfNet(net: Net, run: RunSpec, optimizer: OptimizerConfig | undefined): NetworkSpec {
  const spec: NetworkSpec = {
    inputs: net.inputs,
    layers: net.layers.map((l) => ({ units: l.units, activation: l.activation, bias: l.bias })),
    loss: net.loss,
    reduction: net.reduction,
  };
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

export function saveCheckpoint(net: Net, spec: NetworkSpec, params: Params, state: OptimizerState | undefined, epochs: number): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  paramTensors(net, params, '', tensors);
  if (state) {
    tensors['optimizer.t'] = { dtype: 'I64', shape: [], data: BigInt64Array.of(BigInt(state.t)) };
    for (const slot of STATE_SLOTS[state.name]) paramTensors(net, state.slots[slot], `optimizer.${slot}.`, tensors);
  }
  return encodeSafetensors(tensors, { format: CHECKPOINT_FORMAT, spec: JSON.stringify(spec), epochs: String(epochs) });
}

function readParams(net: Net, tensors: Record<string, Tensor>, prefix: string): Params {
  const W: Float32Array[] = [];
  const b: Float32Array[] = [];
  net.layers.forEach((layer, l) => {
    const want = (name: string, shape: number[]): Float32Array => {
      const t = tensors[name];
      if (!t) throw new ShapeError(`checkpoint.${name}`, `[${shape}]`, 'missing');
      if (t.dtype !== 'F32' || t.shape.join() !== shape.join()) throw new ShapeError(`checkpoint.${name}`, `F32 [${shape}]`, `${t.dtype} [${t.shape}]`);
      return t.data as Float32Array;
    };
    W.push(want(`${prefix}W_${l + 1}`, [layer.units, layer.fanIn]));
    b.push(biasLength(layer) > 0 ? want(`${prefix}b_${l + 1}`, [biasLength(layer)]) : new Float32Array(0));
  });
  return { W, b };
}

/**
 * Parse and check a checkpoint. With `net`, the checkpoint must be of that net (same inputs, layers, loss,
 * reduction): a ShapeError / SpecError naming the field otherwise. Throws before anything is changed.
 */
export function loadCheckpoint(bytes: Uint8Array, net?: Net): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.format !== CHECKPOINT_FORMAT) throw new SpecError('checkpoint.format', `expected "${CHECKPOINT_FORMAT}", got ${JSON.stringify(metadata.format)}`);
  let raw: unknown;
  try {
    raw = JSON.parse(metadata.spec ?? '');
  } catch {
    throw new SpecError('checkpoint.spec', 'the metadata has no valid spec JSON');
  }
  const valid = validateSpec(raw);
  if (net && JSON.stringify(valid.net) !== JSON.stringify(net)) {
    throw new SpecError('checkpoint.spec', `the checkpoint is of another net (${describe(valid.net)}), not this one (${describe(net)})`);
  }
  const params = readParams(valid.net, tensors, '');
  const epochs = Number(metadata.epochs ?? '0');
  if (!Number.isInteger(epochs) || epochs < 0) throw new SpecError('checkpoint.epochs', `must be a non-negative integer, got ${metadata.epochs}`);
  let state: OptimizerState | undefined;
  const t = tensors['optimizer.t'];
  if (t) {
    const o = valid.run.optimizer;
    if (!o) throw new SpecError('checkpoint.spec.optimizer', 'optimizer state without an optimizer in the spec');
    if (t.dtype !== 'I64' || t.data.length !== 1) throw new ShapeError('checkpoint.optimizer.t', 'I64 []', `${t.dtype} [${t.shape}]`);
    const slots: Record<string, Params> = {};
    for (const slot of STATE_SLOTS[o.name]) slots[slot] = readParams(valid.net, tensors, `optimizer.${slot}.`);
    state = { name: o.name, t: Number(t.data[0]), slots };
  }
  return { spec: raw as NetworkSpec, params, state, epochs };
}

function describe(net: Net): string {
  return `${net.inputs}-${net.layers.map((l) => `${l.units} ${l.activation}`).join('-')}, ${net.loss}`;
}
