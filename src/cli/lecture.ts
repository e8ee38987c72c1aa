/**
 * The lecture's printed values for the demo: the numeric claims of a worked-example file (src/lectures/),
 * each resolved through the lecture's notation, how to read the same quantity out of one engine step, and the
 * checker's verdict on it (src/worked/check.ts), so the demo can put the lecture, the CPU and WebGPU side by side.
 */
import { lecture as lectureById } from '../lectures/index.ts';
import type { Naming, ParamId, Ref } from '../notation/names.ts';
import { symText } from '../notation/symbols.ts';
import type { NetworkSpec } from '../spec.ts';
import { checkPrepared, prepare, type Prepared, type Status } from '../worked/check.ts';
import { claimPrinted } from '../worked/report.ts';
import { matrixSource, type ValueSource } from '../worked/sources.ts';
import { isFormulaClaim, type NumericErratum } from '../worked/worked.ts';
import type { PlainGrad, PlainParams } from './browser.ts';

/** What the demo prints of a numeric claim (its verdict is the checker's: Lecture.prepared, verdicts). */
export interface Claim {
  /** The claim's name in the lecture's notation ("∂L/∂w5", "new w5"). */
  name: string;
  /** What the name means. */
  ref: Ref;
  printed: number;
  decimals: number;
  /** The value as the lecture prints it, by check's own path (claimPrinted: 0.0150 keeps its zero, −0.00150). */
  printedText: string;
  line?: number;
  erratum?: NumericErratum;
}

/** One step's results: the pass before the update (loss, Z, A, delta, dW, db) and the updated params. */
export type StepResult = PlainGrad & { params: PlainParams };

export interface Lecture {
  /** The worked-example file, from the project root. */
  file: string;
  /** The worked example's title ("Lecture 001: the 2-2-1 sigmoid net, …"). */
  title: string;
  /** The notes it transcribes, as a path in the repository (../shared/lectures/…, which a package does not ship). */
  source: string;
  spec: NetworkSpec;
  naming: Naming;
  /** The numeric claims (formula claims are checked by `backprop check` and the tests). */
  claims: Claim[];
  /** The same claims prepared for the checker (src/worked/check.ts), in the same order: the demo's verdicts are its. */
  prepared: Prepared;
  /**
   * The updates the notes print only as a formula, its result not (lecture 001's new w1 = 0.15 − (0.0001 × 0.00067),
   * line 168): the formula as printed and its line, for the demo's row of that update (unprintedUpdates).
   */
  updateFormulas: { ref: Ref; printedText: string; line?: number }[];
}

/** A lecture's worked example (src/lectures/<id>.worked.json), its numeric claims resolved. */
export function loadLecture(id: string): Lecture {
  const { file, worked } = lectureById(id);
  const all = prepare(worked);
  const prepared: Prepared = { ...all, claims: all.claims.filter((c) => !isFormulaClaim(c.claim) && !c.claim.examples) };
  const claims = prepared.claims.flatMap(({ claim: c, ref }): Claim[] =>
    isFormulaClaim(c) ? [] : [{ name: c.name, ref, printed: c.printed, decimals: c.decimals, printedText: claimPrinted(c), line: c.line, erratum: c.erratum }]);
  const updateFormulas = all.claims.flatMap(({ claim: c, ref }) => (isFormulaClaim(c) && ref.kind === 'updated' && !c.erratum ? [{ ref, printedText: claimPrinted(c), line: c.line }] : []));
  return { file, title: worked.title, source: worked.source, spec: worked.spec, naming: all.naming, claims, prepared, updateFormulas };
}

/** The row label of a claim: its name, and for an updated parameter the update ("new w5 = w5 − η·∂L/∂w5"). */
export function label(claim: Claim, naming: Naming): string {
  return claim.ref.kind === 'updated' ? updateLabel(naming, claim.ref.param) : claim.name;
}

/** "new w5 = w5 − η·∂L/∂w5", in the lecture's names. */
function updateLabel(naming: Naming, param: ParamId): string {
  const p = symText(naming.param(param));
  return `new ${p} = ${p} − ${symText(naming.lr)}·∂${symText(naming.loss)}/∂${p}`;
}

/** One step of a one-example spec (the pass before the update, and the update) as the checker's value source. */
export function stepSource(r: StepResult, spec: NetworkSpec): ValueSource {
  return matrixSource(r.backend, spec, { batch: r, step: r, perExample: [r] });
}

/**
 * Rows for the updated parameters whose value the lecture does not print, so the demo still shows every updated w and
 * b; `formula`, where the notes print the update as a formula without its result (`formulas`: Lecture.updateFormulas,
 * the first of a parameter's, not an erratum's), that formula as printed and its line.
 */
export function unprintedUpdates(naming: Naming, claims: Claim[], formulas: Lecture['updateFormulas'] = []): { name: string; ref: Ref; formula?: { printedText: string; line?: number } }[] {
  const key = (p: ParamId) => JSON.stringify(p);
  const claimed = new Set(claims.flatMap((c) => (c.ref.kind === 'updated' ? [key(c.ref.param)] : [])));
  return naming.params().filter((p) => !claimed.has(key(p))).map((p) => {
    const f = formulas.find((x) => x.ref.kind === 'updated' && key(x.ref.param) === key(p));
    return { name: updateLabel(naming, p), ref: { kind: 'updated', param: p }, ...(f ? { formula: { printedText: f.printedText, line: f.line } } : {}) };
  });
}

/**
 * The checker's verdict on each claim (in `lecture.claims` order) for values from `source`: the demo judges
 * with `backprop check`'s own rule and tolerances (src/worked/check.ts checkPrepared), never a rule of its own.
 */
export function verdicts(lecture: Lecture, source: ValueSource): Status[] {
  return checkPrepared(lecture.prepared, source).checks.map((c) => c.status);
}
