/**
 * The lecture fixtures and the logic that checks their claims against what an engine computed.
 *
 * Backend-agnostic: it takes GradResult-like objects (plain arrays or Float32Arrays, e.g. the CPU's, or a
 * WebGPU readback shipped out of a browser page) and returns one result per claim (per example for
 * per-example formula claims). Pure and synchronous, apart from `collectRuns`, which drives any
 * Model-like object.
 *
 * Two kinds of claim (see test/fixtures/*.claims.json):
 * - numeric: a value the lecture prints, at the decimals it prints it. Passes when
 *   |engine − printed| ≤ ½·10^(−decimals) (or, with `exact`, at float32 precision: 1e-6·max(1, |printed|)).
 *   With an `erratum`, passes when the engine matches `erratum.correct` (½·10^(−correctDecimals)) AND
 *   differs from the printed value by more than the printed tolerance: the test proves the erratum is real.
 * - formula: a formula the lecture prints, evaluated in plain JS by test/lib/formulas.ts (by `id`) on the
 *   fixture's numbers, per example. Tolerance 1e-6 + 1e-5·|value| (float32 engine vs float64 formula).
 *   With an `erratum`, the printed formula (and every listed reading) must differ from the engine by more
 *   than that, or not be evaluable at all (it names a weight the net does not have), and the corrected
 *   formula must match.
 *
 * The fixtures are imported as JSON modules, so this works in Node and in a Vite-served page alike.
 * Nothing here (or anywhere in the project) reads the lecture notes themselves: `source` is only a string.
 */
import type { NetworkSpec } from '../../src/spec.ts';
import { LECTURE_FORMULAS } from './formulas.ts';

import study from '../fixtures/lecture-study-hours-w7.json';
import studyClaims from '../fixtures/lecture-study-hours-w7.claims.json';
import net221 from '../fixtures/lecture-2-2-1.json';
import net221Claims from '../fixtures/lecture-2-2-1.claims.json';
import nobias from '../fixtures/lecture-2-2-1-nobias.json';
import nobiasClaims from '../fixtures/lecture-2-2-1-nobias.claims.json';
import regression from '../fixtures/lecture-regression.json';
import regressionClaims from '../fixtures/lecture-regression.claims.json';
import classification from '../fixtures/lecture-classification.json';
import classificationClaims from '../fixtures/lecture-classification.claims.json';
import relu from '../fixtures/lecture-relu-exercise.json';
import reluClaims from '../fixtures/lecture-relu-exercise.claims.json';

export type QuantityKind =
  | 'loss' // the reduced loss
  | 'Z' | 'A' | 'delta' // per layer, unit, example
  | 'dW' | 'db' // gradients (W row-major units × fanIn: row = unit, col = unit below)
  | 'W' | 'b' // parameters after one step()
  | 'dLdA' // ∂L/∂A: output layer from A and y (mse: A − y; bce: (A − y)/(A(1 − A))); hidden: Σ_i W_{l+1}[i][j]·δ_{l+1}[i]
  | 'fprime' // f'(z) written through A, as the lectures write it: σ' = A(1 − A), tanh' = 1 − A², relu' = [A > 0], identity' = 1
  | 'paramCount'; // number of trainable parameters (sizes of dW and db)

export interface Quantity {
  of: QuantityKind;
  layer?: number;
  unit?: number;
  row?: number;
  col?: number;
  index?: number;
}

export interface NumericErratum {
  printed: number;
  correct: number;
  correctDecimals: number;
  why: string;
}

export interface FormulaErratum {
  printed: string;
  correct: string;
  readings?: string[];
  why: string;
}

interface ClaimBase {
  name: string;
  quantity: Quantity;
  source: string;
  line: number;
  quote: string;
  note?: string;
}

export interface NumericClaim extends ClaimBase {
  printed: number;
  decimals: number;
  exact?: boolean;
  erratum?: NumericErratum;
}

export interface FormulaClaim extends ClaimBase {
  id: string;
  formula: string;
  /** Which examples of the fixture the claim is checked on (default: all). */
  examples?: number[];
  erratum?: FormulaErratum;
}

export type Claim = NumericClaim | FormulaClaim;

export interface ClaimsFile {
  spec: string;
  source: string;
  description: string;
  claims: Claim[];
  typos?: { line: number; quote: string; note: string }[];
}

export interface LectureFixture {
  /** The spec file name without .json; the key of LECTURE_FORMULAS. */
  id: string;
  specFile: string;
  claimsFile: string;
  spec: NetworkSpec;
  claims: ClaimsFile;
}

function fixture(specFile: string, claimsFile: string, spec: unknown, claims: unknown): LectureFixture {
  return { id: specFile.replace(/\.json$/, ''), specFile, claimsFile, spec: spec as NetworkSpec, claims: claims as ClaimsFile };
}

/** Every lecture fixture, in lecture order (000 … 004). Files live in test/fixtures/. */
export const LECTURE_FIXTURES: readonly LectureFixture[] = [
  fixture('lecture-study-hours-w7.json', 'lecture-study-hours-w7.claims.json', study, studyClaims),
  fixture('lecture-2-2-1.json', 'lecture-2-2-1.claims.json', net221, net221Claims),
  fixture('lecture-2-2-1-nobias.json', 'lecture-2-2-1-nobias.claims.json', nobias, nobiasClaims),
  fixture('lecture-regression.json', 'lecture-regression.claims.json', regression, regressionClaims),
  fixture('lecture-classification.json', 'lecture-classification.claims.json', classification, classificationClaims),
  fixture('lecture-relu-exercise.json', 'lecture-relu-exercise.claims.json', relu, reluClaims),
];

/** The fixture file names (specs and claims), relative to test/fixtures/. */
export const FIXTURE_FILES: readonly string[] = LECTURE_FIXTURES.flatMap((f) => [f.specFile, f.claimsFile]);

export function isFormulaClaim(c: Claim): c is FormulaClaim {
  return 'formula' in c;
}

type Vec = ArrayLike<number>;

/** What a forward/backward pass returns (src/model.ts GradResult, or the same shape from elsewhere). */
export interface GradResultLike {
  loss: number;
  Z: Vec[];
  A: Vec[];
  delta: Vec[];
  dW: Vec[];
  db: Vec[];
  params?: { W: Vec[]; b: Vec[] };
}

/** The engine runs the claims are checked against. */
export interface EngineRuns {
  /** grad() on the fixture's whole batch, from the fixture's parameters. */
  batch: GradResultLike;
  /** step() at the fixture's lr from the fixture's parameters: `params` are those after the update. */
  step: GradResultLike & { params: { W: Vec[]; b: Vec[] } };
  /** grad() on each example alone (N = 1): perExample[c] is for x[c], y[c]. */
  perExample: GradResultLike[];
}

export interface ClaimResult {
  name: string;
  /** For per-example (formula) claims: which example. */
  example?: number;
  /** The value the lecture prints, or its printed formula evaluated (NaN when not evaluable). */
  printed: number;
  engine: number;
  tolerance: number;
  ok: boolean;
  erratum?: {
    correct: number;
    correctTolerance: number;
    matchesCorrect: boolean;
    differsFromPrinted: boolean;
    printedEvaluable: boolean;
    readings: { value: number; differs: boolean }[];
  };
}

/** The fan-in of layer l. */
function fanIn(spec: NetworkSpec, l: number): number {
  return l === 0 ? spec.inputs : spec.layers[l - 1].units;
}

function at(arrays: Vec[], l: number, i: number, what: string): number {
  const a = arrays[l];
  if (!a || i < 0 || i >= a.length) throw new Error(`${what}[${l}][${i}] is out of range`);
  return a[i];
}

interface Where {
  spec: NetworkSpec;
  /** The examples the result holds, and the column the claim is about. */
  n: number;
  col: number;
  /** y for that column (one entry per output unit). */
  y: number[];
}

/** Read one quantity from an engine result. */
export function engineValue(q: Quantity, r: GradResultLike, w: Where): number {
  const l = q.layer ?? 0;
  const unitCol = (unit: number | undefined) => (unit ?? 0) * w.n + w.col;
  const last = w.spec.layers.length - 1;
  switch (q.of) {
    case 'loss':
      return r.loss;
    case 'Z':
      return at(r.Z, l, unitCol(q.unit), 'Z');
    case 'A':
      return at(r.A, l, unitCol(q.unit), 'A');
    case 'delta':
      return at(r.delta, l, unitCol(q.unit), 'delta');
    case 'dW':
      return at(r.dW, l, (q.row ?? 0) * fanIn(w.spec, l) + (q.col ?? 0), 'dW');
    case 'db':
      return at(r.db, l, q.index ?? 0, 'db');
    case 'W':
      if (!r.params) throw new Error('a W claim needs the parameters after step()');
      return at(r.params.W, l, (q.row ?? 0) * fanIn(w.spec, l) + (q.col ?? 0), 'params.W');
    case 'b':
      if (!r.params) throw new Error('a b claim needs the parameters after step()');
      return at(r.params.b, l, q.index ?? 0, 'params.b');
    case 'fprime': {
      const a = at(r.A, l, unitCol(q.unit), 'A');
      switch (w.spec.layers[l].activation) {
        case 'sigmoid': return a * (1 - a);
        case 'tanh': return 1 - a * a;
        case 'relu': return a > 0 ? 1 : 0;
        case 'identity': case 'linear': return 1;
        default: throw new Error(`fprime of ${w.spec.layers[l].activation} is not a scalar`);
      }
    }
    case 'dLdA': {
      const unit = q.unit ?? 0;
      if (l === last) {
        const a = at(r.A, l, unitCol(unit), 'A');
        const y = w.y[unit];
        if (w.spec.loss === 'mse') return a - y; // ∂[½(a − y)²]/∂a
        if (w.spec.loss === 'bce') return (a - y) / (a * (1 - a)); // ∂[−y log a − (1 − y) log(1 − a)]/∂a
        throw new Error(`dLdA is not defined here for ${w.spec.loss}`);
      }
      // ∂L/∂A_l[j] = Σ_i W_{l+1}[i][j]·δ_{l+1}[i], with W_{l+1} the fixture's (pre-step) parameters.
      const Wn = w.spec.params!.W[l + 1];
      let sum = 0;
      for (let i = 0; i < Wn.length; i++) sum += Wn[i][unit] * at(r.delta, l + 1, i * w.n + w.col, 'delta');
      return sum;
    }
    case 'paramCount':
      return r.dW.reduce((s, a) => s + a.length, 0) + r.db.reduce((s, a) => s + a.length, 0);
  }
}

const halfUnit = (decimals: number): number => 0.5 * 10 ** -decimals;
const formulaTolerance = (v: number): number => 1e-6 + 1e-5 * Math.abs(v);

function numericTolerance(c: NumericClaim): number {
  return c.exact ? 1e-6 * Math.max(1, Math.abs(c.printed)) : halfUnit(c.decimals);
}

function checkNumeric(c: NumericClaim, runs: EngineRuns, spec: NetworkSpec): ClaimResult {
  const r = c.quantity.of === 'W' || c.quantity.of === 'b' ? runs.step : runs.batch;
  const n = spec.x?.length ?? 1;
  if (n !== 1 && ['Z', 'A', 'delta', 'fprime', 'dLdA'].includes(c.quantity.of)) {
    throw new Error(`numeric claim '${c.name}' is per example but the fixture has ${n} examples`);
  }
  const engine = engineValue(c.quantity, r, { spec, n, col: 0, y: spec.y?.[0] ?? [] });
  const tolerance = numericTolerance(c);
  if (!c.erratum) {
    return { name: c.name, printed: c.printed, engine, tolerance, ok: Math.abs(engine - c.printed) <= tolerance };
  }
  const e = c.erratum;
  const correctTolerance = halfUnit(e.correctDecimals);
  const matchesCorrect = Math.abs(engine - e.correct) <= correctTolerance;
  const differsFromPrinted = Math.abs(engine - c.printed) > tolerance;
  return {
    name: c.name, printed: c.printed, engine, tolerance,
    ok: matchesCorrect && differsFromPrinted && e.printed === c.printed,
    erratum: { correct: e.correct, correctTolerance, matchesCorrect, differsFromPrinted, printedEvaluable: true, readings: [] },
  };
}

function checkFormula(fixtureId: string, c: FormulaClaim, runs: EngineRuns, spec: NetworkSpec): ClaimResult[] {
  const lecture = LECTURE_FORMULAS[fixtureId];
  const entry = lecture?.formulas[c.id];
  if (!entry) throw new Error(`no formula '${c.id}' for ${fixtureId} in test/lib/formulas.ts`);
  if (!!c.erratum !== !!entry.correct) throw new Error(`formula '${c.id}': an erratum needs a corrected formula and vice versa`);
  if ((c.erratum?.readings?.length ?? 0) !== (entry.readings?.length ?? 0)) throw new Error(`formula '${c.id}': readings differ`);
  const examples = c.examples ?? (spec.x ?? []).map((_, i) => i);
  return examples.map((ex) => {
    const r = runs.perExample[ex];
    if (!r) throw new Error(`no per-example run for example ${ex}`);
    const engine = engineValue(c.quantity, r, { spec, n: 1, col: 0, y: spec.y![ex] });
    const v = lecture.vars(spec, ex);
    const printed = entry.printed(v);
    if (!entry.correct) {
      const tolerance = formulaTolerance(printed);
      return { name: c.name, example: ex, printed, engine, tolerance, ok: Math.abs(engine - printed) <= tolerance };
    }
    const correct = entry.correct(v);
    const tolerance = formulaTolerance(correct);
    const printedEvaluable = Number.isFinite(printed);
    const differs = (value: number) => !Number.isFinite(value) || Math.abs(engine - value) > tolerance;
    const readings = (entry.readings ?? []).map((f) => {
      const value = f(v);
      return { value, differs: differs(value) };
    });
    const matchesCorrect = Math.abs(engine - correct) <= tolerance;
    const differsFromPrinted = differs(printed);
    return {
      name: c.name, example: ex, printed, engine, tolerance,
      ok: matchesCorrect && differsFromPrinted && readings.every((x) => x.differs),
      erratum: { correct, correctTolerance: tolerance, matchesCorrect, differsFromPrinted, printedEvaluable, readings },
    };
  });
}

/** Check every claim of a lecture fixture against the engine runs. */
export function checkClaims(f: LectureFixture, runs: EngineRuns): ClaimResult[] {
  return f.claims.claims.flatMap((c) => (isFormulaClaim(c) ? checkFormula(f.id, c, runs, f.spec) : [checkNumeric(c, runs, f.spec)]));
}

/** A one-line account of a result, for assertion messages and logs. */
export function describeResult(r: ClaimResult): string {
  const ex = r.example === undefined ? '' : ` [example ${r.example}]`;
  const base = `${r.name}${ex}: printed ${r.printed}, engine ${r.engine}, tolerance ${r.tolerance}`;
  if (!r.erratum) return `${base} → ${r.ok ? 'ok' : 'MISMATCH'}`;
  const e = r.erratum;
  return `${base}; erratum: correct ${e.correct} (${e.matchesCorrect ? 'matches' : 'DOES NOT MATCH'}), printed ${
    e.printedEvaluable ? (e.differsFromPrinted ? 'differs' : 'DOES NOT DIFFER') : 'not evaluable'
  }${e.readings.length ? `, readings ${e.readings.map((x) => `${x.value} ${x.differs ? 'differs' : 'DOES NOT DIFFER'}`).join(', ')}` : ''} → ${r.ok ? 'ok' : 'FAIL'}`;
}

/** The parts of Model that collectRuns uses. */
export interface ModelLike {
  grad(x?: number[][], y?: number[][]): Promise<GradResultLike>;
  step(lr?: number): Promise<GradResultLike & { params: { W: Vec[]; b: Vec[] } }>;
  dispose(): void;
}

/** Run a fixture on fresh models: grad() on the batch and on each example, and one step() at the spec's lr. */
export async function collectRuns(create: (spec: NetworkSpec) => Promise<ModelLike>, spec: NetworkSpec): Promise<EngineRuns> {
  const a = await create(spec);
  const b = await create(spec);
  try {
    const batch = await a.grad();
    const perExample: GradResultLike[] = [];
    for (let c = 0; c < (spec.x?.length ?? 0); c++) perExample.push(await a.grad([spec.x![c]], [spec.y![c]]));
    const step = await b.step();
    return { batch, step, perExample };
  } finally {
    a.dispose();
    b.dispose();
  }
}
