/**
 * The resource budget: what a net will need, computed from its shapes alone (before anything is allocated),
 * and refused with a LimitError naming the field and the bytes when it is over the budget.
 *
 * Counted in float32 values (4 bytes), with
 *   P   = Σ_l (units_l·fanIn_l + bias values_l)       every W_l and b_l
 *   Act = Σ_l units_l · n                              one of Z, A or delta for every layer
 *   D   = (inputs + outputs) · n                       the batch X and Y
 * host   = 4·(6·P + 2·D + 6·Act + n) + scratch        P: as given, the model's CPU copy, the backend's W/b, dW/db,
 *          the saved copy for a restore and a readback; D: the batch and the backend's copy; Act: Z, A, delta and
 *          their readback; scratch: the CPU matmuls' transposes (float32) and sums (float64), sized by the largest layer
 * device = 4·(D + 6·Act + n + 1) + 5·P_256 + 4·U + 256·(S_net + 1 + 2c) + 64
 *          X, Y; Z, A, delta and their staging buffers; the per-example losses and the loss (WebGPU only); params,
 *          grads, backup, a params and a grads staging buffer, each P_256 = Σ_l (⌈4·units·fanIn/256⌉ + ⌈4·bias
 *          values/256⌉)·256 bytes (W_l and b_l each at a 256-byte offset); the row sums of shared biases (U = Σ units);
 *          one 256-byte uniform block per dispatch, S_net = 3L + Σ_l (1 per-unit bias, 2 shared, 0 none) and the loss's,
 *          and per optimiser chunk (c = ⌈P_256 / 2²⁷⌉, 2²⁷ the least maxStorageBufferBindingSize) sgd's and max |θ|'s
 *          (a backend's updateLimits lowered below the device's, as tests do, make more chunks than c: outside the count);
 *          64 for the placeholder bindings and the 4-byte loss, max |θ| and their staging. A fused net (src/webgpu/
 *          fused.ts) holds less: its X … losses packed in one buffer, and a desc of two blocks for the dims
 * These are upper bounds of what src/cpu/backend.ts and src/webgpu/net.ts allocate (the WebGPU host side holds
 * less than the CPU's; test/dawn/fit-buffers.ts measures a step net's device buffers at their peak against it).
 * A fit is counted as its trainer at batches of B — needs(net, B), plus, with k = 0 (sgd), 1 (momentum), 2 (adam,
 * adamw) optimiser slots (fitTrainerNeeds),
 *   host   += 4·4k·P
 *   device += 2k·P_256 + 2·(256·(S_net + 1 + c) + 64) + 112 + 256·S·(1 + c)
 * — and its data (fitDataNeeds); predict and evaluate as such a trainer and their data as its validation set. That is
 * the call's own: not the model's step net (train's, grad's, step's: needs(net, n) at its own batch n, checked when it
 * was made), which stays through a fit, predict or evaluate (src/model.ts trainerFor drops only a spare one). When a
 * fit ends its trainer lets go of the example order (BackendTrainer.dropOrder) and keeps its nets and optimiser
 * state, which a predict or evaluate after it is counted on. Spec files are read up to `fileBytes`.
 *
 * A backend with a host memory of its own (wasm) counts its nets a second time against the host budget (OwnMemory):
 * that memory from the backend's layout and thread count (src/wasm/budget.ts), which the portable host count above
 * does not bound (narrow layers at large batches), and what stays beside it in JS (ownHostBytes; fit's: checkFitBudget).
 * The spec's check keeps the portable count alone: it knows neither the backend nor its threads.
 *
 * The default budget (DEFAULT_BUDGET) is changed for the whole process with setBudget(), or for one model with
 * ModelOptions.budget; the CLI reads BACKPROP_MAX_HOST_BYTES, BACKPROP_MAX_DEVICE_BYTES, BACKPROP_MAX_FILE_BYTES.
 */
import { describe } from './checks.ts';
import { LimitError } from './errors.ts';
import { biasLength } from './params.ts';
import { unknownKeyError } from './suggest.ts';
import type { Net } from './spec.ts';
import { type OptimizerName, STATE_SLOTS } from './train/optimizers.ts';
import { MIN_SLOTS, STEPS_PER_SUBMISSION } from './webgpu/sizes.ts';

/** The resource budget (README, "Resource budget"): the most bytes one model may need on the CPU and the GPU, and the largest file the CLI reads. Past it: LimitError, before anything is allocated. */
export interface Budget {
  /** Most bytes of CPU memory one model may need (parameters, batch, activations, copies, scratch). Default 2 GiB (2³¹ bytes). */
  hostBytes: number;
  /** Most bytes of GPU buffers one model may need. Default 2 GiB (2³¹ bytes). */
  deviceBytes: number;
  /** Largest spec or worked-example file the CLI reads, in bytes. Default 256 MiB (2²⁸ bytes). */
  fileBytes: number;
}

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** The default budget: 2 GiB host, 2 GiB device, 256 MiB files (frozen; setBudget changes the process-wide copy). */
export const DEFAULT_BUDGET: Readonly<Budget> = Object.freeze({ hostBytes: 2 * GiB, deviceBytes: 2 * GiB, fileBytes: 256 * MiB });

let current: Budget = { ...DEFAULT_BUDGET };

/** The process-wide budget (a copy). */
export function getBudget(): Budget {
  return { ...current };
}

/**
 * Change the process-wide budget (fields not given keep their value). Each must be a whole number of bytes 1 … 2⁵³ − 1,
 * as BACKPROP_MAX_* (budgetFromEnv) require; every value is checked before any is set.
 * @throws {LimitError} naming `budget.KEY`: an unknown key, or a value that is not a whole number 1 … 2⁵³ − 1.
 */
export function setBudget(budget: Partial<Budget>): Budget {
  current = resolveBudget(budget, current);
  return getBudget();
}

/**
 * No budget at all: the package's own checks that must not apply one (loadCheckpoint's spec check: the load applies
 * its caller's). Not exported from the entry: a caller's budget is whole bytes (resolveBudget).
 */
export const NO_BUDGET: Budget = Object.freeze({ hostBytes: Infinity, deviceBytes: Infinity, fileBytes: Infinity });

/**
 * `partial` over `base`, validated: a LimitError naming the field when a value is not a whole number of bytes
 * 1 … 2⁵³ − 1 (setBudget, the budget option of Model.create and validateSpec: as BACKPROP_MAX_* in budgetFromEnv).
 */
export function resolveBudget(partial: Partial<Budget> | undefined, base: Budget = current): Budget {
  const out = { ...base };
  if (partial === undefined) return out;
  if (partial === NO_BUDGET) return { ...NO_BUDGET };
  if (typeof partial !== 'object' || partial === null) throw new LimitError('budget', 'must be an object {hostBytes, deviceBytes, fileBytes}');
  for (const key of Object.keys(partial)) {
    if (key !== 'hostBytes' && key !== 'deviceBytes' && key !== 'fileBytes') throw unknownKeyError(key, ['hostBytes', 'deviceBytes', 'fileBytes'], 'budget.', 'a budget has hostBytes, deviceBytes, fileBytes', LimitError);
    const v: unknown = partial[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > Number.MAX_SAFE_INTEGER) {
      throw new LimitError(`budget.${key}`, `must be a whole number of bytes 1 … 2⁵³ − 1, got ${describe(v)}`);
    }
    out[key] = v;
  }
  return out;
}

/** What a net with batches of n examples (0: no batch yet) needs, in bytes, and where it comes from. */
export interface Needs {
  hostBytes: number;
  deviceBytes: number;
  /** Float32 values of the parameters (P), of one per-layer activation array over the batch (Act), of the batch (D). */
  params: number;
  activations: number;
  data: number;
  /** The layer holding the most parameters (where the field to name when parameters dominate is found: checkBudget). */
  largestLayer: number;
}

export function needs(net: Net, n: number): Needs {
  let P = 0;
  let units = 0;
  let largestLayer = 0;
  let largest = -1;
  let T1 = 0;
  let T2 = 0;
  let S = 0;
  net.layers.forEach((layer, l) => {
    const p = layer.units * layer.fanIn + biasLength(layer);
    P += p;
    if (p > largest) {
      largest = p;
      largestLayer = l;
    }
    units += layer.units;
    T1 = Math.max(T1, n * layer.fanIn, layer.units * layer.fanIn);
    T2 = Math.max(T2, n * layer.units);
    S = Math.max(S, layer.units * n, layer.fanIn * n, layer.units * layer.fanIn);
  });
  const outputs = net.layers[net.layers.length - 1].units;
  // No batch (n 0): none, also where Σ units overflows to Infinity (Infinity × 0 is NaN: the field was x, the bytes NaN).
  const Act = n === 0 ? 0 : units * n;
  const D = n === 0 ? 0 : (net.inputs + outputs) * n;
  const scratch = 4 * (T1 + T2) + 8 * S;
  const { P256, U, S_net, c } = deviceLayout(net);
  return {
    hostBytes: 4 * (6 * P + 2 * D + 6 * Act + n) + scratch,
    deviceBytes: 4 * (D + 6 * Act + n + 1) + 5 * P256 + 4 * U + BLOCK * (S_net + 1 + 2 * c) + 64,
    params: P,
    activations: Act,
    data: D,
    largestLayer,
  };
}

/** WebGPU's uniform blocks and aligned offsets: 256 bytes. */
const BLOCK = 256;

/**
 * What WebGPU's layout of a net takes beyond its values (see the header): P_256, the bytes of a params-sized buffer
 * (every W_l and b_l at a 256-byte offset); U = Σ units; S_net = 3L + Σ_l (1 per-unit bias, 2 shared, 0 none); c, the
 * optimiser chunks (2²⁷ bytes, the least maxStorageBufferBindingSize, each at most).
 */
function deviceLayout(net: Net): { P256: number; U: number; S_net: number; c: number } {
  const blocks = (bytes: number): number => Math.ceil(bytes / BLOCK) * BLOCK;
  let P256 = 0;
  let U = 0;
  let biasSlots = 0;
  for (const layer of net.layers) {
    P256 += blocks(4 * layer.units * layer.fanIn) + blocks(4 * biasLength(layer));
    U += layer.units;
    biasSlots += layer.bias === 'per-unit' ? 1 : layer.bias === 'shared' ? 2 : 0;
  }
  return { P256, U, S_net: 3 * net.layers.length + biasSlots, c: Math.max(1, Math.ceil(P256 / 2 ** 27)) };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes / 1024;
  let k = 0;
  while (v >= 1024 && k < units.length - 1) {
    v /= 1024;
    k++;
  }
  return `${v.toPrecision(3)} ${units[k]} (${bytes.toExponential(3)} bytes)`;
}

/**
 * The field to name when the parameters dominate: the largest layer's (units × fanIn) larger factor — its `units`, or,
 * when its fan-in is larger, what sets that: `inputs` for the first layer (a 2-2-1 net with inputs 1e9), else the
 * layer below's `units`. A tie names the layer's own units.
 */
function paramsField(net: Net, l: number): string {
  const layer = net.layers[l];
  if (layer.fanIn <= layer.units) return `layers[${l}].units`;
  return l === 0 ? 'inputs' : `layers[${l - 1}].units`;
}

/** What a fit's trainer places beside its net in a backend's own memory: its training and validation examples, its optimiser slots (k). */
export interface FitResident {
  /** Training examples (their data set and the epoch's order). */
  nTrain: number;
  /** Validation examples, or predict's and evaluate's (their data set and predict's identity order). */
  nVal: number;
  /** Optimiser slots, k: 0 (sgd), 1 (momentum), 2 (adam, adamw), each as many values as the parameters. */
  slots: number;
}

/**
 * A backend whose nets live in a host memory of its own, laid out by the backend (wasm: one WebAssembly.Memory,
 * src/wasm/budget.ts): what that memory grows to for a net, from the backend's layout (its thread count included),
 * which the portable count (needs) does not bound. Its nets are counted as that memory and what stays beside it in JS
 * (ownHostBytes), in addition to the portable count: a Backend's `ownMemory`.
 */
export interface OwnMemory {
  /** What the memory is, for messages. */
  readonly name: string;
  /** Bytes of the memory a step net of n examples takes, or with `fit`, fit's trainer at batches of n and what it places beside it. */
  memoryBytes(net: Net, n: number, fit?: FitResident): number;
}

/**
 * The host bytes of a step net of n examples on a backend with its own memory: the memory (own.memoryBytes) and,
 * beside it in JS, 4·(4·P + D + 3·Act) — the portable count's terms that are not the backend's (given parameters, the
 * model's copy, the saved copy for a restore and a readback; the batch; the readback of Z, A, delta).
 */
export function ownHostBytes(net: Net, n: number, own: OwnMemory): { hostBytes: number; memoryBytes: number } {
  const memoryBytes = own.memoryBytes(net, n);
  return { hostBytes: besideOwn(needs(net, n)) + memoryBytes, memoryBytes };
}

/** A net's bytes beside a backend's own memory, in JS (ownHostBytes): 4·(4·P + D + 3·Act). */
const besideOwn = (need: Needs): number => 4 * (4 * need.params + need.data + 3 * need.activations);

/**
 * The host bytes of fit's trainer at batches of `batchSize` on a backend with its own memory (checkFitBudget's second
 * count; predict's and evaluate's examples as `fit.nVal`): the memory (own.memoryBytes with `fit`: the net at B, the
 * data sets, order, identity and optimiser slots) and, beside it in JS, the counts of checkFitBudget less what is in
 * that memory — the net's (ownHostBytes), 3 of the 4 optimiser states, 2 of the 3 D_fit and the epoch's order, the
 * validation pass's A_L and losses — and `heldHostBytes` (checkFitBudget's `held`).
 */
export function ownFitHostBytes(net: Net, fit: FitResident, batchSize: number, own: OwnMemory, heldHostBytes = 0): number {
  const net1 = needs(net, batchSize);
  const { nTrain, nVal, slots } = fit;
  const outputs = net.layers[net.layers.length - 1].units;
  const D = (net.inputs + outputs) * (nTrain + nVal);
  const js = besideOwn(net1) + 4 * 3 * slots * net1.params + 4 * (2 * D + nTrain + (outputs + 1) * nVal) + heldHostBytes;
  return js + own.memoryBytes(net, batchSize, fit);
}

/** The knobs a LimitError names (the bench, which reads none of them, names its own: bench/configs.ts). */
export const HOST_KNOB = 'setBudget({hostBytes}), ModelOptions.budget or BACKPROP_MAX_HOST_BYTES';
export const DEVICE_KNOB = 'setBudget({deviceBytes}), ModelOptions.budget or BACKPROP_MAX_DEVICE_BYTES';

/**
 * Refuse (LimitError) a net and batch size that need more than the budget: host memory always, device memory
 * too when `device` is true, and with `own` (a backend with its own memory: wasm) that memory and what stays beside it
 * (ownHostBytes) against the host budget too. The field is the one that sets the largest layer's size (paramsField)
 * when the parameters dominate, else `batchField` (the batch size is the lever). Allocates nothing.
 */
export function checkBudget(net: Net, n: number, options: { device?: boolean; budget?: Budget; batchField?: string; own?: OwnMemory } = {}): Needs {
  const budget = options.budget ?? current;
  const need = needs(net, n);
  const field = need.params >= need.activations + need.data ? paramsField(net, need.largestLayer) : (options.batchField ?? 'x');
  const units = net.layers.reduce((sum, layer) => sum + layer.units, 0);
  const parts = `${need.params} parameters${n > 0 ? `, ${n} example${n === 1 ? '' : 's'} × ${units} unit${units === 1 ? '' : 's'}` : ', no batch yet'}`;
  if (!(need.hostBytes <= budget.hostBytes)) {
    throw new LimitError(field, `this net needs ${formatBytes(need.hostBytes)} of host memory (${parts}), over the host budget of ${formatBytes(budget.hostBytes)} (${HOST_KNOB})`);
  }
  if (options.own) {
    const own = ownHostBytes(net, n, options.own);
    if (!(own.hostBytes <= budget.hostBytes)) {
      throw new LimitError(field, `this net needs ${formatBytes(own.hostBytes)} of host memory (${parts}): ${formatBytes(own.memoryBytes)} of ${options.own.name} and ${formatBytes(own.hostBytes - own.memoryBytes)} beside it, over the host budget of ${formatBytes(budget.hostBytes)} (${HOST_KNOB})`);
    }
  }
  if (options.device && !(need.deviceBytes <= budget.deviceBytes)) {
    throw new LimitError(field, `this net needs ${formatBytes(need.deviceBytes)} of GPU memory (${parts}), over the device budget of ${formatBytes(budget.deviceBytes)} (${DEVICE_KNOB})`);
  }
  return need;
}

/** What fit's resident data needs beyond the trainer's net: see checkFitBudget. */
export interface FitDataNeeds {
  hostBytes: number;
  deviceBytes: number;
}

/**
 * fit's data, from the example counts alone: the training set (nTrain) and the validation set (nVal), each
 * example inputs + outputs values, D_fit = (inputs + outputs)·(nTrain + nVal):
 *   host   = 4·(3·D_fit + 2·nTrain + (outputs + 1)·nVal)   D_fit three times: the data as converted (engine
 *            layout, or a typed x kept example-major until a trainer reads X, src/columns.ts ExampleMajorBatch), a
 *            held-out fraction's two sides (copies; a typed x's: views until the trainer reads X), the wasm
 *            trainer's copy in its memory — all three at once only while the trainer uploads: during the epochs the
 *            fit holds two (the call lets go of the whole set, resolveFit). The CPU trainer keeps fit's sets (upload's
 *            `keep`) and WebGPU's copy is on the device: two at most on their hosts, one during a CPU fit's epochs.
 *            Each epoch's order and the trainer's copy; the validation pass's A_L and per-example losses (its
 *            identity order, nVal more, fits in the third D_fit, which the epochs do not hold)
 *   device = 4·(D_fit + nTrain + (outputs + 2)·nVal)         X and Y of both sets, the order; the validation pass's
 *            identity order, A_L and per-example losses (WebGPU: src/webgpu/train.ts upload, writeOrder, predict)
 */
export function fitDataNeeds(net: Net, nTrain: number, nVal: number): FitDataNeeds {
  const outputs = net.layers[net.layers.length - 1].units;
  const D = (net.inputs + outputs) * (nTrain + nVal);
  return { hostBytes: 4 * (3 * D + 2 * nTrain + (outputs + 1) * nVal), deviceBytes: 4 * (D + nTrain + (outputs + 2) * nVal) };
}

/**
 * What fit's trainer holds past needs(net, B), with k = 0, 1, 2 optimiser slots (sgd; momentum; adam, adamw):
 *   host   = 4·4k·P      the optimiser state: the trainer's (CPU; wasm: in its memory; WebGPU: on the device,
 *                         uploaded one slot at a time), the model's, the model's from before the fit (a failed fit
 *                         puts it back) and read()'s new copy while the model's last one is held
 *   device = 2k·P_256 + 2·(256·(S_net + 1 + c) + 64) + 112 + 256·S·(1 + c)
 *            the optimiser state and read()'s staging of it, P_256 bytes each (the trainer's params, grads, backup
 *            and read()'s staging of the params are four of needs' five params-sized buffers); at most two
 *            partial-batch nets (on the main one's buffers: src/webgpu/net.ts smaller) each with its S_net + 1 + c
 *            uniform blocks and 64 bytes of placeholders and epoch-sum dims; the main net's epoch-sum dims (16), the
 *            epoch sums, their staging and the state placeholders (96); the per-step slots, S = max(16, min(4096,
 *            max(batches per submission, ⌈nVal / B⌉))) (4096: STEPS_PER_SUBMISSION, the most
 *            WebGpuBackend.stepsPerSubmission takes), a gather slot and c optimiser slots each
 */
export function fitTrainerNeeds(net: Net, batchSize: number, nVal: number, optimizer: OptimizerName, batchesPerSubmission: number): { hostBytes: number; deviceBytes: number } {
  const k = STATE_SLOTS[optimizer].length;
  const P = needs(net, 0).params;
  const { P256, S_net, c } = deviceLayout(net);
  const S = Math.max(MIN_SLOTS, Math.min(STEPS_PER_SUBMISSION, Math.max(batchesPerSubmission, Math.ceil(nVal / batchSize))));
  const perNet = BLOCK * (S_net + 1 + c) + 64;
  return {
    hostBytes: 4 * 4 * k * P,
    deviceBytes: 2 * k * P256 + 2 * perNet + 112 + BLOCK * S * (1 + c),
  };
}

/** The calls whose data checkFitBudget counts: fit's sets, or predict's and evaluate's examples (as a validation pass). */
export type BudgetedCall = 'fit' | 'predict' | 'evaluate';

/**
 * Refuse (LimitError) a fit whose data set — uploaded once and kept for the whole fit — together with the
 * trainer's net at batches of `batchSize` (needs(net, batchSize)) and what a fit's trainer holds past it
 * (fitTrainerNeeds: `optimizer`, default sgd, and `batchesPerSubmission`, default 16) is over the budget: host
 * memory always, device memory when `device`. The field is `validation.x` when the validation set alone takes the total over, else `x`.
 * Called on the counts before the data is read or anything allocated; predict and evaluate call it too (`what`
 * names the call in the message; their n examples given as nTrain, nVal 0): their data is uploaded whole and
 * predicted as fit's validation set is, so it is counted as one (fitDataNeeds(net, 0, n): its A_L and losses; on
 * WebGPU an identity order and both read back through buffers of their own), on a trainer counted as fit's
 * (fitTrainerNeeds with n as its validation pass: `optimizer` the trainer's a fit left, `batchesPerSubmission` 0).
 * `held`: what a fit paused in its onEpoch holds besides that trainer (its data sets and order: fitDataNeeds), for a
 * predict or evaluate called there — its data comes on top of the fit's. `own`: a backend with its own memory (wasm),
 * whose trainer is counted again as that memory (its net at B, data sets, order, identity and optimiser slots:
 * OwnMemory.memoryBytes with `fit`) and the counts above less what is in it, against the host budget. `restoreBest`:
 * fit's earlyStopping.restoreBest, whose copy of the best epoch (parameters and optimiser state) is host memory too.
 */
export function checkFitBudget(net: Net, nTrain: number, nVal: number, batchSize: number, options: {
  device?: boolean; budget?: Budget; maxBindingBytes?: number; what?: BudgetedCall; optimizer?: OptimizerName; batchesPerSubmission?: number;
  held?: FitDataNeeds; own?: OwnMemory; restoreBest?: boolean;
} = {}): void {
  const what = options.what ?? 'fit';
  // predict and evaluate run on a trainer too (the fit's, or one made for them): their examples as its validation pass.
  const predicted = what !== 'fit';
  const budget = options.budget ?? current;
  const net1 = needs(net, batchSize);
  const more = fitTrainerNeeds(net, batchSize, predicted ? nTrain : nVal, options.optimizer ?? 'sgd', options.batchesPerSubmission ?? 16);
  const held = options.held ?? { hostBytes: 0, deviceBytes: 0 };
  // earlyStopping.restoreBest: the best epoch's parameters and optimiser state, kept on the host beside the last
  // epoch's until the fit ends (src/train/fit.ts fitModel): 4·(1 + k)·P bytes more, in JS on every backend.
  const kept = options.restoreBest ? 4 * (1 + STATE_SLOTS[options.optimizer ?? 'sgd'].length) * net1.params : 0;
  const trainer = { hostBytes: net1.hostBytes + more.hostBytes + held.hostBytes + kept, deviceBytes: net1.deviceBytes + more.deviceBytes + held.deviceBytes };
  const data = predicted ? fitDataNeeds(net, 0, nTrain) : fitDataNeeds(net, nTrain, nVal);
  const without = fitDataNeeds(net, nTrain, 0);
  const outputs = net.layers[net.layers.length - 1].units;
  const parts = `${nTrain}${predicted ? '' : ' training'}${nVal > 0 ? ` + ${nVal} validation` : ''} example${nTrain + nVal === 1 ? '' : 's'} × (${net.inputs} + ${outputs}) values, uploaded once, and the net at batches of ${batchSize}`;
  const check = (kind: 'host' | 'device', need: number, needWithout: number, limit: number, knob: string, memory = kind === 'host' ? 'host memory' : 'GPU memory'): void => {
    if (need <= limit) return;
    const field = nVal > 0 && needWithout <= limit ? 'validation.x' : 'x';
    throw new LimitError(field, `${what}'s data needs ${formatBytes(need)} of ${memory} (${parts}), over the ${kind} budget of ${formatBytes(limit)} (${knob})`);
  };
  check('host', trainer.hostBytes + data.hostBytes, trainer.hostBytes + without.hostBytes, budget.hostBytes, HOST_KNOB);
  if (options.own) {
    const own = options.own;
    const slots = STATE_SLOTS[options.optimizer ?? 'sgd'].length;
    const ownFit = (nT: number, nV: number): number => ownFitHostBytes(net, { nTrain: nT, nVal: nV, slots }, batchSize, own, held.hostBytes + kept);
    const [nT, nV] = predicted ? [0, nTrain] : [nTrain, nVal];
    check('host', ownFit(nT, nV), ownFit(nT, 0), budget.hostBytes, HOST_KNOB, `host memory, ${own.name} and what stays beside it in all`);
  }
  if (options.device) check('device', trainer.deviceBytes + data.deviceBytes, trainer.deviceBytes + without.deviceBytes, budget.deviceBytes, DEVICE_KNOB);
  // NOTE: WebGPU uploads each data set's X and Y as one storage buffer each, bound whole by the gather kernel. Past
  // the device's binding limit that is a GPU validation error, not a typed one: refuse it here, from the counts.
  const maxBinding = options.maxBindingBytes;
  if (maxBinding === undefined) return;
  const sets = [['x', 'y', nTrain], ['validation.x', 'validation.y', nVal]] as const;
  for (const [xField, yField, n] of sets) {
    for (const [field, width] of [[xField, net.inputs], [yField, outputs]] as const) {
      const bytes = 4 * width * n;
      if (bytes > maxBinding) {
        throw new LimitError(field, `${n} examples × ${width} values = ${formatBytes(bytes)} in one GPU buffer, more than this device's maxStorageBufferBindingSize / maxBufferSize (${formatBytes(maxBinding)}): ${what} fewer examples at a time, or on wasm or cpu`);
      }
    }
  }
}

/** The budget from BACKPROP_MAX_HOST_BYTES, BACKPROP_MAX_DEVICE_BYTES, BACKPROP_MAX_FILE_BYTES (CLI). */
export function budgetFromEnv(env: Record<string, string | undefined>): Partial<Budget> {
  const out: Partial<Budget> = {};
  const read = (name: string, key: keyof Budget): void => {
    const raw = env[name];
    if (raw === undefined || raw === '') return;
    // Digits only, as the CLI's integer flags: not '1.5', '0x100', ' 500' or '1e9' (Number() takes them all).
    const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(v >= 1 && v <= Number.MAX_SAFE_INTEGER)) throw new LimitError(name, `must be a whole number of bytes 1 … 2⁵³ − 1 in decimal digits, got '${raw}'`);
    out[key] = v;
  };
  read('BACKPROP_MAX_HOST_BYTES', 'hostBytes');
  read('BACKPROP_MAX_DEVICE_BYTES', 'deviceBytes');
  read('BACKPROP_MAX_FILE_BYTES', 'fileBytes');
  return out;
}
