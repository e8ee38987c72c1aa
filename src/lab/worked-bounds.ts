/**
 * How big a worked example the lab checks (files.ts openedWorked: a file opened, or a share link's `&worked=`). Each
 * claim is within parseWorked's limits, but the work of checking them all multiplies: every name of the net, on every
 * example, every formula's characters on every example its claim names, each derivative's paths and its depth. A link of a few kilobytes (to a megabyte) froze
 * the page for seconds to minutes (test/lab-worked-link-hostile.test.ts); a net worked by hand is far within these
 * bounds (the lectures': at most 15 names × 2 examples, 3 021 formula characters × examples). `npx backprop check`
 * checks a bigger one.
 */
import { ClaimError, SpecError } from '../errors.ts';
import type { Net } from '../spec.ts';
import { EAGER_NAMES, nameCount } from '../notation/names.ts';
import { isFormulaClaim, type WorkedClaim } from '../worked/worked.ts';

/** The most names × examples the lab's scalar engine evaluates for a worked example (about a tenth of a second). */
export const MAX_WORKED_VALUES = 20_000_000;

/** The most formula characters × the examples each is evaluated on, over all claims (about a quarter of a second). */
export const MAX_WORKED_FORMULA = 1_000_000;

/**
 * The most paths the claims may expand in all, bounded from above: each claim's evaluations (one, and one more per
 * formula character, on each of its examples, every example for a claim of the batch) × the paths of the longest
 * chain (the product of the layers' units). The scalar engine expands a derivative path by path (up to MAX_PATHS,
 * 2 000 000, a second, for each one).
 */
export const MAX_WORKED_PATHS = 4_000_000;

/**
 * The most evaluations × layers: a path's factors are one a layer, so a deep, narrow net (a chain of 1 000 units: one
 * path, within MAX_WORKED_PATHS) costs its depth each evaluation — 20 000 claims of ∂L/∂w1 on it took 9 s (about
 * 0.45 µs a factor). At this bound about a second.
 */
export const MAX_WORKED_DEPTH = 2_000_000;

const CHECK_IT = 'check it with npx backprop check';

/**
 * A worked example's net (`net`, `examples` in its data) and `claims`, checked for size before any name resolves: a
 * SpecError naming `spec` for a net of more than EAGER_NAMES names (a claim's name resolves through every one) or of
 * more than MAX_WORKED_VALUES names × examples; a ClaimError naming `claims` for more than MAX_WORKED_FORMULA formula
 * characters × examples, MAX_WORKED_PATHS paths or MAX_WORKED_DEPTH evaluations × layers (a claim without examples is
 * on all `examples`).
 */
export function checkWorkedSize(net: Net, examples: number, claims: readonly WorkedClaim[]): void {
  const names = nameCount(net);
  if (names > EAGER_NAMES) throw new SpecError('spec', `the net has ${names} names (its weights, biases and each unit's z and a), more than the ${EAGER_NAMES} names the lab checks a worked example's claims on; ${CHECK_IT}`);
  if (names * examples > MAX_WORKED_VALUES) throw new SpecError('spec', `the net has ${names} names on ${examples} examples, ${names * examples} values, more than the ${MAX_WORKED_VALUES} the lab checks a worked example's claims on; ${CHECK_IT}`);
  let work = 0;
  let evaluations = 0;
  for (const c of claims) {
    const chars = !isFormulaClaim(c) ? 0 : c.formula.length + (c.erratum ? c.erratum.correct.length + (c.erratum.readings ?? []).reduce((sum, r) => sum + r.length, 0) : 0);
    // A claim without examples is about the batch: its L, ∂L/∂p and new p sum over every example (counted as one, 10
    // claims of ∂L/∂w1 on 2 000 examples, 2 000 000 paths each, opened after 13 s).
    const on = c.examples?.length ?? examples;
    work += chars * on;
    evaluations += (1 + chars) * on;
  }
  if (work > MAX_WORKED_FORMULA) throw new ClaimError('claims', `their formulas are ${work} characters × the examples each is evaluated on (all of them for a claim without examples), more than the ${MAX_WORKED_FORMULA} the lab checks; ${CHECK_IT}`);
  const paths = net.layers.reduce((p, l) => p * l.units, 1);
  if (evaluations * paths > MAX_WORKED_PATHS) {
    throw new ClaimError('claims', `${evaluations} evaluations (a claim, and each character of its formulas, on each of its examples: all of them without examples) of derivatives of up to ${paths} paths, more than the ${MAX_WORKED_PATHS} paths the lab expands; ${CHECK_IT}`);
  }
  const depth = net.layers.length;
  if (evaluations * depth > MAX_WORKED_DEPTH) {
    throw new ClaimError('claims', `${evaluations} evaluations (as above) through ${depth} layers, a factor a layer: ${evaluations * depth}, more than the ${MAX_WORKED_DEPTH} the lab works; ${CHECK_IT}`);
  }
}
