/**
 * fit's lrSchedule option (README, "Training on data: fit" and "Optimisers"): the learning rate each epoch's steps
 * use, as PyTorch's torch.optim.lr_scheduler with `scheduler.step()` called once after each epoch. Its check
 * (checkLrSchedule, before any work; checkScheduleLr against the optimiser's lr when the fit runs), the lr of an epoch
 * of the closed-form schedules (scheduledLr), and the plateau count of one fit (plateauStepper, fed one history entry
 * per epoch, as ReduceLROnPlateau.step(metric)). runFit (./fit.ts) hands each epoch's lr to the trainer in the
 * optimiser config (./optimizers.ts stepScalars: Adam's stepSize lr/(1 − β1^t), AdamW's 1 − lr·weightDecay), as
 * PyTorch's schedulers set the param group's lr.
 *
 * With `base` the optimiser's lr and `e` the epoch counted from 0 across every fit of the model (EpochLog.epoch − 1):
 *   step         base · gamma^⌊e / stepSize⌋                             (StepLR)
 *   exponential  base · gamma^e                                           (ExponentialLR)
 *   cosine       minLr + (base − minLr) · (1 + cos(π·e / epochs)) / 2     (CosineAnnealingLR, T_max = epochs)
 *   warmup       base · (startFactor + (1 − startFactor) · min(epochs, e) / epochs)   (LinearLR, end_factor 1)
 *   plateau      base at the fit's first epoch; after an epoch whose monitored value did not improve for more than
 *                `patience` epochs, lr ← max(lr·factor, minLr) where that lowers it by more than eps (ReduceLROnPlateau)
 *
 * NOTE: the first four are PyTorch's closed forms (`_get_closed_form_lr`), not the chainable `get_lr` that
 * `scheduler.step()` runs: that one multiplies the last lr (step, exponential, warmup) or scales it by a ratio of
 * cosines (cosine), and its floats drift from the closed form in the last bits (a float64 transcription of both:
 * cosine base 0.1, T_max 10, epochs 3 … 9 differ by 1 ulp, 11 and 12 by 25; StepLR 0.1, gamma 0.1, its 4th decay by
 * 1 ulp) — below float32's resolution, which the kernels' lr has on WebGPU. The closed form is a function of the epoch alone: a
 * fit of k epochs then one of N − k runs the lrs of one fit of N, and a checkpoint resumes the schedule from its
 * epoch count, with no schedule state to keep. Past `epochs`, cosine rises again (the formula is periodic, as
 * PyTorch's); Keras' CosineDecay holds at its floor.
 */
import { describe, integerIn, isObject, oneOf } from '../checks.ts';
import { SpecError } from '../errors.ts';
import type { Net } from '../spec.ts';
import { checkKnownKeys } from '../suggest.ts';
import { checkMonitor, isAccuracyMonitor } from './early-stop.ts';
import type { EarlyStoppingMonitor, EpochLog } from './fit-types.ts';

/** The schedules lrSchedule names. */
export type LrScheduleName = 'step' | 'exponential' | 'cosine' | 'warmup' | 'plateau';
/** lrSchedule.name's values (the order of the README's table). */
export const LR_SCHEDULES: readonly LrScheduleName[] = ['step', 'exponential', 'cosine', 'warmup', 'plateau'];

/** StepLR: the lr times gamma every stepSize epochs. */
export interface StepSchedule {
  /** 'step'. */
  name: 'step';
  /** Epochs between decays (PyTorch's step_size), an integer ≥ 1. */
  stepSize: number;
  /** The factor of each decay, in (0, 1] (default 0.1). */
  gamma?: number;
}

/** ExponentialLR: the lr times gamma every epoch. */
export interface ExponentialSchedule {
  /** 'exponential'. */
  name: 'exponential';
  /** The factor of each epoch, in (0, 1]. */
  gamma: number;
}

/** CosineAnnealingLR: from the optimiser's lr down to minLr over `epochs` epochs (rising again after, as PyTorch's). */
export interface CosineSchedule {
  /** 'cosine'. */
  name: 'cosine';
  /** Epochs from the lr down to minLr (PyTorch's T_max), an integer ≥ 1. */
  epochs: number;
  /** The floor (PyTorch's eta_min), 0 … the optimiser's lr (default 0). */
  minLr?: number;
}

/** LinearLR with end_factor 1: a linear warm-up from startFactor times the lr up to the lr. */
export interface WarmupSchedule {
  /** 'warmup'. */
  name: 'warmup';
  /** Epochs of the warm-up (PyTorch's total_iters), an integer ≥ 1 (default 5). */
  epochs?: number;
  /** The first epoch's factor, in (0, 1] (default 1/3). */
  startFactor?: number;
}

/** ReduceLROnPlateau, per fit: the lr times factor once the monitor has not improved for more than patience epochs. */
export interface PlateauSchedule {
  /** 'plateau'. */
  name: 'plateau';
  /** The history field watched (default 'valLoss'); losses fall (PyTorch's mode 'min'), accuracies rise ('max'). */
  monitor?: EarlyStoppingMonitor;
  /** new lr = lr · factor, in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement allowed, an integer ≥ 0 (default 10): the lr falls after the (patience + 1)th. */
  patience?: number;
  /** The least change that counts as an improvement, ≥ 0 (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): a loss improves where value < best·(1 − threshold); 'abs': where value < best − threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs after a reduction whose lack of improvement is not counted, an integer ≥ 0 (default 0). */
  cooldown?: number;
  /** The lr never falls below it, ≥ 0 (default 0). */
  minLr?: number;
  /** A reduction smaller than eps is not made, ≥ 0 (default 1e-8). */
  eps?: number;
}

/** fit's lrSchedule option: a schedule by name and its fields (PyTorch's defaults where it has one). */
export type LrSchedule = StepSchedule | ExponentialSchedule | CosineSchedule | WarmupSchedule | PlateauSchedule;

/** lrSchedule as checked: every field filled in. */
export type LrScheduleConfig =
  | { name: 'step'; stepSize: number; gamma: number }
  | { name: 'exponential'; gamma: number }
  | { name: 'cosine'; epochs: number; minLr: number }
  | { name: 'warmup'; epochs: number; startFactor: number }
  | { name: 'plateau'; monitor: EarlyStoppingMonitor; factor: number; patience: number; threshold: number; thresholdMode: 'rel' | 'abs'; cooldown: number; minLr: number; eps: number };

const KEYS: Readonly<Record<LrScheduleName, readonly string[]>> = {
  step: ['name', 'stepSize', 'gamma'],
  exponential: ['name', 'gamma'],
  cosine: ['name', 'epochs', 'minLr'],
  warmup: ['name', 'epochs', 'startFactor'],
  plateau: ['name', 'monitor', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'],
};

/** A finite number in [lo, hi] (open at an end where `open` says so): a SpecError naming the field. */
function numberIn(v: unknown, field: string, lo: number, hi: number, open: { lo?: boolean; hi?: boolean } = {}, what = ''): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (open.lo ? v > lo : v >= lo) && (open.hi ? v < hi : v <= hi);
  if (ok) return v;
  const range = hi === Infinity ? `${open.lo ? '>' : '≥'} ${lo}` : `in ${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}`;
  throw new SpecError(field, `must be a number ${range}${what}, ${v === undefined ? 'missing' : `got ${describe(v)}`}`);
}

/**
 * lrSchedule read once (each field asked once) and checked: a SpecError naming the field — `lrSchedule` (not an
 * object), `lrSchedule.name` (unknown, with a did-you-mean), an unknown key for that schedule, a bad value
 * (`lrSchedule.gamma`, …), an accuracy monitor where the net's loss has none. Whether a validation monitor has a
 * validation set is the fit's check (early-stop.ts monitorHasData); minLr against the optimiser's lr is checkScheduleLr.
 */
export function checkLrSchedule(v: unknown, net: Net): LrScheduleConfig {
  if (!isObject(v)) throw new SpecError('lrSchedule', `must be an object {name, …} (name one of ${LR_SCHEDULES.map((n) => `'${n}'`).join(', ')}), got ${describe(v)}`);
  const name = oneOf(v.name, LR_SCHEDULES, 'lrSchedule.name');
  checkKnownKeys(v, KEYS[name], 'lrSchedule.', `'${name}' has ${KEYS[name].join(', ')}`, SpecError, `unknown option of the '${name}' schedule`);
  const o: Record<string, unknown> = {};
  for (const key of KEYS[name]) if (key !== 'name') o[key] = v[key]; // name read once, above
  const f = (key: string) => `lrSchedule.${key}`;
  const count = (key: string, lo: number, fallback?: number): number => (o[key] === undefined && fallback !== undefined ? fallback : integerIn(o[key], f(key), lo, Infinity));
  const num = (key: string, fallback: number | undefined, lo: number, hi: number, open: { lo?: boolean; hi?: boolean } = {}, what = ''): number =>
    (o[key] === undefined && fallback !== undefined ? fallback : numberIn(o[key], f(key), lo, hi, open, what));
  switch (name) {
    case 'step': return { name, stepSize: count('stepSize', 1), gamma: num('gamma', 0.1, 0, 1, { lo: true }) };
    case 'exponential': return { name, gamma: num('gamma', undefined, 0, 1, { lo: true }) };
    case 'cosine': return { name, epochs: count('epochs', 1), minLr: num('minLr', 0, 0, Infinity) };
    case 'warmup': return { name, epochs: count('epochs', 1, 5), startFactor: num('startFactor', 1 / 3, 0, 1, { lo: true }) };
    case 'plateau': {
      const monitor = checkMonitor(o.monitor, net, f('monitor'));
      const thresholdMode = o.thresholdMode === undefined ? 'rel' : oneOf(o.thresholdMode, ['rel', 'abs'] as const, f('thresholdMode'));
      return {
        name, monitor, factor: num('factor', 0.1, 0, 1, { lo: true, hi: true }), patience: count('patience', 0, 10), threshold: num('threshold', 1e-4, 0, Infinity),
        thresholdMode, cooldown: count('cooldown', 0, 0), minLr: num('minLr', 0, 0, Infinity), eps: num('eps', 1e-8, 0, Infinity),
      };
    }
  }
}

/**
 * The schedule against the optimiser's lr the fit runs with (known when it runs: the last fit's, or the spec's):
 * cosine's minLr above it would raise the lr past the one the optimiser was checked with (a float32 on WebGPU),
 * a SpecError naming lrSchedule.minLr.
 */
export function checkScheduleLr(config: LrScheduleConfig, lr: number): void {
  if (config.name === 'cosine' && config.minLr > lr) {
    throw new SpecError('lrSchedule.minLr', `is ${config.minLr}, above the optimiser's lr ${lr}: cosine runs from the lr down to minLr`);
  }
}

/** The lr of epoch `e` (0-based, counted across fits) of a closed-form schedule (not plateau: plateauStepper), from `base`. */
export function scheduledLr(config: Exclude<LrScheduleConfig, { name: 'plateau' }>, base: number, e: number): number {
  switch (config.name) {
    case 'step': return base * config.gamma ** Math.floor(e / config.stepSize);
    case 'exponential': return base * config.gamma ** e;
    case 'cosine': return config.minLr + (base - config.minLr) * (1 + Math.cos(Math.PI * e / config.epochs)) / 2;
    case 'warmup': return base * (config.startFactor + (1 - config.startFactor) * Math.min(config.epochs, e) / config.epochs);
  }
}

/**
 * ReduceLROnPlateau's count over one fit, from `base`: `lr` is the lr of the next epoch; `see` takes an epoch's
 * history entry (after its validation pass) as PyTorch's step(metric): best starts at +∞ (a loss) or −∞ (an
 * accuracy); an improvement (rel: value < best·(1 − threshold), or > best·(1 + threshold) for an accuracy; abs:
 * value < best − threshold, or > best + threshold) sets best and zeroes the bad epochs, any other epoch adds one; in
 * cooldown the counter steps down and the bad epochs are zeroed; past `patience` bad epochs, lr ← max(lr·factor,
 * minLr) where lr − that > eps, cooldown starts and the bad epochs are zeroed.
 */
export function plateauStepper(config: Extract<LrScheduleConfig, { name: 'plateau' }>, base: number): { readonly lr: number; see(entry: EpochLog): void } {
  const max = isAccuracyMonitor(config.monitor);
  let best = max ? -Infinity : Infinity;
  let bad = 0;
  let cooldown = 0;
  let lr = base;
  const better = (a: number): boolean => {
    if (config.thresholdMode === 'rel') return max ? a > best * (config.threshold + 1) : a < best * (1 - config.threshold);
    return max ? a > best + config.threshold : a < best - config.threshold;
  };
  return {
    get lr() {
      return lr;
    },
    see(entry: EpochLog): void {
      const value = entry[config.monitor] ?? NaN; // present: checkMonitor and monitorHasData saw to that
      if (better(value)) {
        best = value;
        bad = 0;
      } else bad++;
      if (cooldown > 0) {
        cooldown--;
        bad = 0;
      }
      if (bad > config.patience) {
        const reduced = Math.max(lr * config.factor, config.minLr);
        if (lr - reduced > config.eps) lr = reduced;
        cooldown = config.cooldown;
        bad = 0;
      }
    },
  };
}

/**
 * The lrs of a fit's epochs, one at a time: `at(e)` the lr of the fit's epoch `first + e` (first: the epochs the
 * model trained before), `see(entry)` after each (plateau's count; nothing for the closed forms). Without a schedule,
 * `base` every epoch.
 */
export function lrSequence(config: LrScheduleConfig | undefined, base: number, first: number): { at(e: number): number; see(entry: EpochLog): void } {
  if (config?.name === 'plateau') {
    const p = plateauStepper(config, base);
    return { at: () => p.lr, see: (entry) => p.see(entry) };
  }
  return { at: (e) => (config ? scheduledLr(config, base, first + e) : base), see: () => {} };
}
