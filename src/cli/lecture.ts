/**
 * The lecture's printed values for the demo: the numeric claims of a worked-example file (src/lectures/),
 * each resolved through the lecture's notation, and how to read the same quantity out of one engine step,
 * so the demo can put the lecture, the CPU and WebGPU side by side.
 */
import { lecture as lectureById } from '../lectures/index.ts';
import { Naming, type ParamId, type Ref } from '../notation/names.ts';
import { symText } from '../notation/symbols.ts';
import type { NetworkSpec } from '../spec.ts';
import { validateSpec } from '../spec.ts';
import { matrixSource } from '../worked/sources.ts';
import { claimField, isFormulaClaim, type NumericErratum } from '../worked/worked.ts';
import type { PlainGrad, PlainParams } from './browser.ts';

export interface Claim {
  /** The claim's name in the lecture's notation ("∂L/∂w5", "new w5"). */
  name: string;
  /** What the name means. */
  ref: Ref;
  printed: number;
  decimals: number;
  /** Checked at float32 precision rather than at the printed decimals. */
  exact?: boolean;
  line?: number;
  erratum?: NumericErratum;
}

/** One step's results: the pass before the update (loss, Z, A, delta, dW, db) and the updated params. */
export type StepResult = PlainGrad & { params: PlainParams };

export interface Lecture {
  /** The worked-example file, from the project root. */
  file: string;
  source: string;
  spec: NetworkSpec;
  naming: Naming;
  /** The numeric claims (formula claims are checked by `backprop check` and the tests). */
  claims: Claim[];
}

/** A lecture's worked example (src/lectures/<id>.worked.json), its numeric claims resolved. */
export function loadLecture(id: string): Lecture {
  const { file, worked } = lectureById(id);
  const naming = new Naming(validateSpec(worked.spec).net, worked.spec.notation);
  const claims: Claim[] = [];
  worked.claims.forEach((c, i) => {
    if (isFormulaClaim(c) || c.examples) return;
    claims.push({ name: c.name, ref: naming.resolve(c.name, `${file} ${claimField(i, c)}`), printed: c.printed, decimals: c.decimals, exact: c.exact, line: c.line, erratum: c.erratum });
  });
  return { file, source: worked.source, spec: worked.spec, naming, claims };
}

/** The row label of a claim: its name, and for an updated parameter the update ("new w5 = w5 − η·∂L/∂w5"). */
export function label(claim: Claim, naming: Naming): string {
  if (claim.ref.kind !== 'updated') return claim.name;
  const p = symText(naming.param(claim.ref.param));
  return `new ${p} = ${p} − ${symText(naming.lr)}·∂${symText(naming.loss)}/∂${p}`;
}

/** The engine's value of a claim from one step of a one-example spec (the pass before the update, and the update). */
export function valueOf(ref: Ref, r: StepResult, spec: NetworkSpec, field = 'claim'): number {
  return matrixSource(r.backend, spec, { batch: r, step: r, perExample: [r] }).value(ref, undefined, field);
}

/** Rows for the updated parameters the lecture does not print, so the demo still shows every updated w and b. */
export function unprintedUpdates(naming: Naming, claims: Claim[]): { name: string; ref: Ref }[] {
  const key = (p: ParamId) => JSON.stringify(p);
  const claimed = new Set(claims.flatMap((c) => (c.ref.kind === 'updated' ? [key(c.ref.param)] : [])));
  return naming.params().filter((p) => !claimed.has(key(p))).map((p) => {
    const s = symText(naming.param(p));
    return { name: `new ${s} = ${s} − ${symText(naming.lr)}·∂${symText(naming.loss)}/∂${s}`, ref: { kind: 'updated', param: p } };
  });
}

/**
 * ½ unit of the last printed digit (for an `exact` claim: float32 precision, 1e-6·max(1, |printed|)), plus two
 * float32 ulps of the value: the engine computes in float32, which cannot resolve 7 decimals near 0.5.
 */
export function tolerance(decimals: number, value: number, exact = false): number {
  const printed = exact ? 1e-6 * Math.max(1, Math.abs(value)) : 0.5 * 10 ** -decimals;
  return printed + Math.abs(value) * 2 ** -22;
}

export type Verdict = 'match' | 'mismatch' | 'erratum' | 'erratum-mismatch';

/**
 * Does `value` agree with the claim? An erratum is confirmed when the value matches the corrected value and
 * differs from the printed one (the same rule as the checker, src/worked/check.ts); anything else is 'erratum-mismatch'.
 */
export function judge(claim: Pick<Claim, 'printed' | 'decimals' | 'exact' | 'erratum'>, value: number): Verdict {
  const close = Math.abs(value - claim.printed) <= tolerance(claim.decimals, claim.printed, claim.exact);
  const e = claim.erratum;
  if (!e) return close ? 'match' : 'mismatch';
  return !close && Math.abs(value - e.correct) <= tolerance(e.correctDecimals, e.correct) ? 'erratum' : 'erratum-mismatch';
}
