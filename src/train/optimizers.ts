/**
 * The optimisers of `fit`: their names, defaults, validation and the per-step scalars, in one place (the README's
 * update equations name these). The formulas are PyTorch's `torch.optim.SGD`, `Adam` and `AdamW` with one
 * parameter group (every W_l and b_l alike), dampening 0, maximize false, amsgrad false:
 *
 *   sgd       g = dW + weightDecay·p;                                      p ← p − lr·g
 *   momentum  g = dW + weightDecay·p;  buf ← g (t = 1) or mu·buf + g (t > 1);
 *             g ← g + mu·buf (nesterov) or buf;                            p ← p − lr·g
 *   adam      g = dW + weightDecay·p;  m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²;
 *             stepSize = lr / (1 − beta1^t);  bias2Sqrt = √(1 − beta2^t);  p ← p − stepSize·m / (√v / bias2Sqrt + eps)
 *   adamw     p ← p·(1 − lr·weightDecay), then adam with g = dW
 *
 * t counts the optimiser's steps (1 for the first). The kernels: shaders/update.wgsl with OPT momentum ↔
 * momentum() (sgd and momentum: torch.optim.SGD is one algorithm, mu = 0 is plain SGD) and OPT adam ↔ adam() (adam
 * and adamw) in src/cpu/kernels.ts. The per-step scalars (stepSize, bias2Sqrt) are computed here in float64, as
 * PyTorch computes them in Python floats.
 */
import { NonFiniteError, SpecError } from '../errors.ts';
import { describe, FLOAT32_MAX, oneOf } from '../checks.ts';
import { cloneParams, type Params } from '../params.ts';
import { checkKnownKeys } from '../suggest.ts';

/** The smallest normal float32, 2⁻¹²⁶ ≈ 1.1755e-38: WGSL lets an implementation flush smaller magnitudes to 0. */
const FLOAT32_MIN_NORMAL = 2 ** -126;

/** The optimisers fit runs: 'sgd', 'momentum' (slot buf), 'adam' and 'adamw' (slots m, v), each updating W and b from dW and db. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw';
/** The optimiser names a spec's `optimizer` (or fit's) may use. */
export const OPTIMIZERS: readonly OptimizerName[] = Object.freeze(['sgd', 'momentum', 'adam', 'adamw']);

/** As written in a spec or passed to fit: every field but name optional. */
export interface OptimizerSpec {
  /** 'sgd', 'momentum', 'adam' or 'adamw'. */
  name: OptimizerName;
  /** Learning rate, ≥ 0. Default: the spec's top-level lr, else 1e-3. */
  lr?: number;
  /** mu of 'momentum' (buf ← mu·buf + g), in [0, 1). Default 0.9; 'momentum' only. */
  momentum?: number;
  /** Nesterov momentum (g ← g + mu·buf). Default false; 'momentum' only. */
  nesterov?: boolean;
  /** Adam's decay of m, in [0, 1). Default 0.9; 'adam', 'adamw' only. */
  beta1?: number;
  /** Adam's decay of v, in [0, 1). Default 0.999; 'adam', 'adamw' only. */
  beta2?: number;
  /** Adam's eps (added to √v / bias2Sqrt), > 0. Default 1e-8; 'adam', 'adamw' only. */
  eps?: number;
  /** Weight decay, ≥ 0: g = dW + weightDecay·p (adamw: p ← p·(1 − lr·weightDecay)). Default 0, 0.01 for adamw. */
  weightDecay?: number;
}

/** Every field resolved (defaults filled in). */
export interface OptimizerConfig {
  /** The optimiser. */
  name: OptimizerName;
  /** Learning rate (the optimiser's, else the spec's lr, else 1e-3). */
  lr: number;
  /** mu of 'momentum' (0.9 unless given; 0 for the others). */
  momentum: number;
  /** Nesterov momentum (false unless given). */
  nesterov: boolean;
  /** Adam's beta1 (0.9 unless given). */
  beta1: number;
  /** Adam's beta2 (0.999 unless given). */
  beta2: number;
  /** Adam's eps (1e-8 unless given). */
  eps: number;
  /** Weight decay (0 unless given; 0.01 for adamw). */
  weightDecay: number;
}

/**
 * Defaults: PyTorch's, except momentum (0.9 for 'momentum'; PyTorch's 0 would make it 'sgd'). lr: the optimiser's
 * own, else the spec's top-level lr, else 1e-3 (PyTorch's default for all four). weightDecay: 0.01 for adamw
 * (PyTorch's AdamW default), 0 otherwise.
 */
export const OPTIMIZER_DEFAULTS = Object.freeze({ lr: 1e-3, momentum: 0.9, beta1: 0.9, beta2: 0.999, eps: 1e-8, adamwWeightDecay: 0.01 } as const);

/** Optimiser state slots, each shaped like the parameters: momentum keeps buf; adam and adamw keep m and v. */
export const STATE_SLOTS: Readonly<Record<OptimizerName, readonly string[]>> = Object.freeze({
  sgd: Object.freeze([]), momentum: Object.freeze(['buf']), adam: Object.freeze(['m', 'v']), adamw: Object.freeze(['m', 'v']),
});

/** Optimiser state in engine layout: the step count t (0 before the first step) and each slot shaped like Params. */
export interface OptimizerState {
  /** The optimiser the state belongs to. */
  name: OptimizerName;
  /** Optimiser steps taken (0 before the first; one per mini-batch). */
  t: number;
  /** The state slots by name (STATE_SLOTS: buf; m and v), each shaped like W and b. */
  slots: Record<string, Params>;
}

const KEYS = ['name', 'lr', 'momentum', 'nesterov', 'beta1', 'beta2', 'eps', 'weightDecay'];

function num(v: unknown, field: string): number {
  if (typeof v !== 'number') throw new SpecError(field, `must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new NonFiniteError(field, v);
  return v;
}

/**
 * Validate an optimizer field (a name or {name, lr, …}) and fill in the defaults. `lr` is the spec's top-level lr.
 * Throws SpecError naming the field: unknown name or key, lr < 0, momentum outside [0, 1), beta1 or beta2 outside [0, 1),
 * eps ≤ 0, weightDecay < 0, nesterov without momentum — and a value that is fine in float64 but not as the
 * float32 the WebGPU kernel reads (see f32 below).
 * @throws {SpecError} naming the field (`optimizer`, `optimizer.lr`, `optimizer.beta1`, …).
 * @throws {NonFiniteError} naming the field for a NaN or ±Infinity (`optimizer.lr`, or `lr` for the spec's lr).
 */
export function resolveOptimizer(raw: unknown, lr: number | undefined, field = 'optimizer'): OptimizerConfig {
  const spec = typeof raw === 'string' ? { name: raw } : raw;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new SpecError(field, `must be an optimiser name (${OPTIMIZERS.join(', ')}) or {name, lr, momentum, nesterov, beta1, beta2, eps, weightDecay}`);
  }
  checkKnownKeys(spec, KEYS, `${field}.`, `an optimizer has ${KEYS.join(', ')}`, SpecError);
  // Each field read once (a getter or Proxy asked once, as every spec field and option is): what is checked below is
  // what is used.
  const o: Record<string, unknown> = {};
  for (const key of KEYS) o[key] = (spec as Record<string, unknown>)[key];
  const name = oneOf(o.name, OPTIMIZERS, `${field}.name`);
  const get = (key: string, fallback: number): number => (o[key] === undefined ? fallback : num(o[key], `${field}.${key}`));
  // NOTE: the CPU and wasm kernels take these in float64, update.wgsl as float32 (written with setFloat32): a value
  // whose float32 is ±Infinity (lr, weightDecay past 3.4e38), 1 (momentum, beta1 or beta2 just under 1: m or buf would never
  // forget) or 0 (eps below 2⁻¹²⁶, flushed: 0/0 where v = m = 0) would run another optimiser on WebGPU only. Refuse them.
  const f32 = (key: string, v: number, at = `${field}.${key}`): number => {
    // A NaN or ±Infinity that got here is the fallback lr (the spec's, unchecked by num): a NonFiniteError as num gives,
    // not "NaN is outside the float32 range" (a NaN is not a number, not out of range).
    if (!Number.isFinite(v)) throw new NonFiniteError(at, v);
    if (!Number.isFinite(Math.fround(v))) throw new SpecError(at, `${v} is outside the float32 range (≤ ${FLOAT32_MAX}): the WebGPU update would use ${Math.fround(v)}`);
    return v;
  };
  // Where the optimiser has no lr of its own and takes the spec's, an error about it names the spec's `lr`.
  const lrField = o.lr === undefined && lr !== undefined ? 'lr' : `${field}.lr`;
  const rate = f32('lr', get('lr', lr ?? OPTIMIZER_DEFAULTS.lr), lrField);
  if (rate < 0) throw new SpecError(lrField, `must be ≥ 0, got ${rate}`);
  const unit = (key: string, v: number): number => {
    if (v < 0 || v >= 1) throw new SpecError(`${field}.${key}`, `must be in [0, 1), got ${v}`);
    if (Math.fround(v) === 1) throw new SpecError(`${field}.${key}`, `${v} rounds to 1 in float32 (the largest float32 below 1 is ${Math.fround(1 - 2 ** -24)}): the WebGPU update would use 1`);
    return v;
  };
  const onlyFor = (key: string, names: OptimizerName[]): void => {
    if (o[key] !== undefined && !names.includes(name)) throw new SpecError(`${field}.${key}`, `does not apply to '${name}' (only to ${names.join(', ')})`);
  };
  onlyFor('momentum', ['momentum']);
  onlyFor('nesterov', ['momentum']);
  onlyFor('beta1', ['adam', 'adamw']);
  onlyFor('beta2', ['adam', 'adamw']);
  onlyFor('eps', ['adam', 'adamw']);
  const momentum = name === 'momentum' ? unit('momentum', get('momentum', OPTIMIZER_DEFAULTS.momentum)) : 0;
  if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') throw new SpecError(`${field}.nesterov`, `must be true or false, got ${describe(o.nesterov)}`);
  const nesterov = o.nesterov === true;
  if (nesterov && momentum === 0) throw new SpecError(`${field}.nesterov`, 'Nesterov momentum needs momentum > 0');
  const beta1 = unit('beta1', get('beta1', OPTIMIZER_DEFAULTS.beta1));
  const beta2 = unit('beta2', get('beta2', OPTIMIZER_DEFAULTS.beta2));
  const eps = f32('eps', get('eps', OPTIMIZER_DEFAULTS.eps));
  if (eps <= 0) throw new SpecError(`${field}.eps`, `must be > 0, got ${eps}`);
  if (eps < FLOAT32_MIN_NORMAL) throw new SpecError(`${field}.eps`, `${eps} is below the smallest normal float32 (${FLOAT32_MIN_NORMAL}): WebGPU may flush it to 0, and 0/0 where v = m = 0`);
  // The largest step size is that of step 1, lr / (1 − beta1): it goes to the kernel as a float32 too.
  if (name === 'adam' || name === 'adamw') {
    const first = rate / (1 - beta1);
    if (!Number.isFinite(Math.fround(first))) throw new SpecError(lrField, `${rate} / (1 − beta1) = ${first}, the step size of step 1, is outside the float32 range (≤ ${FLOAT32_MAX})`);
  }
  const weightDecay = f32('weightDecay', get('weightDecay', name === 'adamw' ? OPTIMIZER_DEFAULTS.adamwWeightDecay : 0));
  if (weightDecay < 0) throw new SpecError(`${field}.weightDecay`, `must be ≥ 0, got ${weightDecay}`);
  return { name, lr: rate, momentum, nesterov, beta1, beta2, eps, weightDecay };
}

/**
 * The scalars of optimiser step t (1-based), computed in float64 as PyTorch does.
 * @throws {SpecError} naming `config` when it is not an optimiser config (finite lr, beta1, beta2), `config.lr`,
 * `config.beta1` or `config.beta2` outside resolveOptimizer's ranges (lr ≥ 0, betas in [0, 1)), `t` when it is not a
 * positive integer (step 0 would be a step size of Infinity).
 */
export function stepScalars(o: OptimizerConfig, t: number): {
  /** Adam's step size lr / (1 − beta1^t). */
  stepSize: number;
  /** Adam's √(1 − beta2^t), which divides √v. */
  bias2Sqrt: number;
  /** t = 1: momentum's first step sets buf ← g. */
  first: boolean;
} {
  // An exported helper: a config that is not one is a SpecError naming it, not a TypeError or a NaN step size.
  // Each field read once: what is checked is what is used.
  const { lr, beta1, beta2 } = (typeof o === 'object' && o !== null ? o : {}) as Partial<OptimizerConfig>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!finite(lr) || !finite(beta1) || !finite(beta2)) {
    throw new SpecError('config', `must be an optimiser config (resolveOptimizer's result, with finite lr, beta1, beta2), got ${describe(o)}`);
  }
  // In resolveOptimizer's ranges: beta1 = 1 made a step size of Infinity, beta2 > 1 a bias2Sqrt of NaN, lr < 0 or a
  // beta past 1 a negative step size — returned as numbers.
  if (lr < 0) throw new SpecError('config.lr', `must be ≥ 0 (resolveOptimizer's range), got ${lr}`);
  for (const [key, v] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (v < 0 || v >= 1) throw new SpecError(`config.${key}`, `must be in [0, 1) (resolveOptimizer's range), got ${v}`);
  }
  // t = 0 would divide by 1 − beta1⁰ = 0 (stepSize Infinity): a SpecError naming t instead.
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) throw new SpecError('t', `must be a positive integer (the 1-based step), got ${describe(t)}`);
  return { stepSize: lr / (1 - beta1 ** t), bias2Sqrt: Math.sqrt(1 - beta2 ** t), first: t === 1 };
}

/** A zero state for `name` with slots shaped like `like`. */
export function zeroState(name: OptimizerName, like: Params): OptimizerState {
  const slots: Record<string, Params> = {};
  for (const s of STATE_SLOTS[name]) slots[s] = { W: like.W.map((w) => new Float32Array(w.length)), b: like.b.map((b) => new Float32Array(b.length)) };
  return { name, t: 0, slots };
}

/** A copy of an optimiser state (its t and every slot), sharing no array with it. */
export function cloneState(s: OptimizerState): OptimizerState {
  return { name: s.name, t: s.t, slots: Object.fromEntries(Object.entries(s.slots).map(([k, p]) => [k, cloneParams(p)])) };
}
