/**
 * The lecture claims against a matrix backend (the CPU oracle in Node, WebGPU in headless Chromium).
 *
 * The lectures live in ONE place: the worked-example files of src/lectures/ (spec, every printed number and
 * formula, the errata). Each claim's name is resolved through the lecture's notation; its value is read from
 * the backend's runs (src/worked/sources.ts matrixSource: grad() on the batch and on each example, one
 * step()); printed formulas are evaluated on the scalar engine's float64 values (independent of the
 * backend) — the checker of `backprop check` (src/worked/check.ts), with a float32 source.
 *
 * A claim passes when it matches (printed value within ½·10^−decimals, formula within 1e-6 + 1e-5·|v|),
 * or — with an erratum — when the erratum is confirmed: the printed value (or formula, and every listed
 * reading) is wrong and the correction matches.
 */
import { LECTURES, type Lecture } from '../../src/lectures/index.ts';
import { type ClaimCheck, checkPrepared, prepare } from '../../src/worked/check.ts';
import { collectRuns, type ModelLike } from '../../src/worked/runs.ts';
import { type MatrixRuns, matrixSource } from '../../src/worked/sources.ts';

export { LECTURES, collectRuns };
export type { ClaimCheck, Lecture, MatrixRuns, ModelLike };

/** Check every claim of a lecture against a backend's runs; one result per claim and example. */
export function checkLecture(l: Lecture, backend: string, runs: MatrixRuns): ClaimCheck[] {
  return checkPrepared(prepare(l.worked), matrixSource(backend, l.worked.spec, runs)).checks;
}

/** A one-line account of a result, for assertion messages. */
export function describeCheck(k: ClaimCheck): string {
  const ex = k.example === undefined ? '' : ` [example ${k.example + 1}]`;
  const shown = k.shown.unresolved.length ? `not evaluable (no ${k.shown.unresolved.join(', ')})` : String(k.shown.value);
  const base = `line ${k.claim.line ?? '?'} ${k.claim.name}${ex}: printed ${shown}, engine ${k.value}, tolerance ${k.tolerance} → ${k.status}`;
  if (!k.erratum) return base;
  const e = k.erratum;
  return `${base}; erratum: correct ${e.correct} (${e.matchesCorrect ? 'matches' : 'DOES NOT MATCH'}), printed ${k.matches ? 'MATCHES' : 'differs'}${e.readings.length ? `, readings ${e.readings.map((r) => `${r.value} ${r.differs ? 'differs' : 'DOES NOT DIFFER'}`).join(', ')}` : ''}`;
}

/** Does the result pass: a claim that matches, or a recorded erratum that is confirmed? */
export function passes(k: ClaimCheck): boolean {
  return k.claim.erratum ? k.status === 'known-erratum' : k.status === 'match';
}
