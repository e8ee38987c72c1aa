/**
 * The training run as data: a spec's run fields (batchSize, epochs, shuffle, validation, optimizer), validated for
 * validateSpec (src/spec.ts), whose defaults model.fit takes (src/train/ runs it). Each error names its field.
 */
import { SpecError } from './errors.ts';
import { type OptimizerConfig, resolveOptimizer } from './train/optimizers.ts';
import { describe, integerIn } from './checks.ts';
import { checkKnownKeys } from './suggest.ts';

/** A spec's run fields, validated; absent fields stay undefined (fit's own defaults apply). */
export interface RunSpec {
  /** Examples per mini-batch (positive integer); fit's default when undefined is 32. */
  batchSize?: number;
  /** Epochs per fit call (positive integer); fit's default when undefined is 1. */
  epochs?: number;
  /** false (the given order) or {seed}; fit's default when undefined is {seed: 0}. */
  shuffle?: false | {
    /** The seed of the per-epoch permutations, an integer 0 … 2³² − 1. */
    seed: number;
  };
  /** A fraction in (0, 1) of the examples held out from the end for validation. */
  validation?: number;
  /** The optimiser, resolved (defaults filled in). */
  optimizer?: OptimizerConfig;
}

/** Validate a shuffle value (fit option or spec field). */
export function checkShuffle(v: unknown, field = 'shuffle'): false | { seed: number } {
  if (v === false) return false;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SpecError(field, `must be false or {seed}, got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  checkKnownKeys(o, ['seed'], `${field}.`, 'shuffle has seed', SpecError);
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
    throw new SpecError(field, `must be ${wanted}, got ${describe(v)}`);
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
      throw new SpecError('batchSize', `is ${run.batchSize}, more than the ${n} ${run.validation === undefined ? '' : 'training '}example${n === 1 ? '' : 's'} of x`);
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
