/**
 * The numerical gradient check (CS231n's "gradient check"): ∂L/∂p ≈ (L(p + h) − L(p − h)) / 2h for each W and b entry,
 * the loss L taken from the scalar engine's own float64 forward pass (./scalar-forward.ts: Z = W·A + b, A = f(Z), then
 * the loss, unit by unit), compared with an analytic dW or db by the relative error |a − n| / max(|a|, |n|).
 * README, "Scalar notation beside the matrix form: explain" (explain --numeric) and "CLI" (grad --numeric).
 *
 * NOTE on h: the centred difference is L′(p) + h²·L‴(p)/6 + O(h⁴) (truncation), and each of L(p ± h) carries its float64
 * rounding, ~ε·|L| with ε = 2⁻⁵³ ≈ 1.1e-16, which the division by 2h magnifies to ~ε·|L|/h. Their sum is smallest near
 * h = (3ε·|L|/|L‴|)^(1/3) ≈ 7e-6 for |L|, |L‴| of order 1 — the lecture nets' — so h = 1e-5 (NUMERIC_H) gives an error of
 * ~2e-11 + 1e-11 (h²/6 = 1.7e-11, ε/h = 1.1e-11): six orders below GRAD_CHECK_REL, and far below the float32
 * rounding of a backend's dW (~1e-7 relative), the analytic side the check is about. A smaller h (1e-8) trades
 * truncation for rounding (~1e-8); float32 would need h ~ 1e-2 (CS231n's notes work in double; so does this). The
 * divisor is the step float64 makes, (p + h) − (p − h) (a subtraction without rounding for h ≪ |p|: Sterbenz's
 * lemma), not 2h: p ± h round to p's float64 grid, off 2h by up to ulp(p) — 16 % at p = 10⁶, h = 1e-10. An h at
 * or below half p's ulp moves p not at all (p + h = p): refused (checkNumericRun), as the difference would be 0 or
 * one-sided and the check would blame the analytic side for its own step.
 * NOTE on kinks: relu and leaky relu have a kink at z = 0, where f′ jumps (1 to 0, 1 to 0.01). If some z of a kinked
 * layer lies within the step of p's change on either side of 0, L(p + h) and L(p − h) are on different pieces and their
 * difference is neither side's slope (CS231n: "kinks in the objective"); the analytic side takes f′(0) = 0 (relu's
 * [z > 0]). Such an entry is flagged (`kink`: the unit whose z changed side) and not judged ✓ or ✗.
 */
import { describe } from '../checks.ts';
import { LimitError, NotationError } from '../errors.ts';
import type { Net } from '../spec.ts';
import { checkKnownKeys } from '../suggest.ts';
import { isParamOf, paramPlace, type ParamId } from './ids.ts';
import { ScalarEngine } from './scalar.ts';
import { scalarForward } from './scalar-forward.ts';

/** The default h of the centred difference, in float64 (the NOTE on h at the top of this file). */
export const NUMERIC_H = 1e-5;
/**
 * An entry passes (✓) when its relative error is at most this: CS231n's "usually okay" bound (1e-2 … 1e-4
 * "uncomfortable", above 1e-2 wrong). The analytic side is a backend's float32 dW or db, ~1e-7 relative off in each
 * rounding, so the 1e-7 CS231n hopes for in double is out of its reach; a gradient off by 0.1 % (1e-3) or of the wrong
 * sign (2) fails.
 */
export const GRAD_CHECK_REL = 1e-4;
/**
 * …or when |a − n| is at most this: the absolute part of explain's float32 bound (src/notation/matrix.ts float32Bound),
 * where both are ~0 and the relative error of two roundings of 0 means nothing.
 */
export const GRAD_CHECK_ABS = 1e-6;
/** A check of every entry takes 2 forward passes over the batch per entry: beyond this many multiply-adds it is refused. */
export const MAX_NUMERIC_WORK = 100_000_000;

/** numericGrad's options; another key is a NotationError naming it (`options.hh`). */
export interface NumericGradOptions {
  /** h of (L(p + h) − L(p − h)) / 2h, finite and > 0 (default NUMERIC_H, 1e-5). */
  h?: number;
  /** The entries to differentiate (0-based W[layer][row][col], b[layer][index]); default every W and b entry. */
  params?: readonly ParamId[];
}

const OPTION_KEYS: readonly string[] = ['h', 'params'];

/** Where a difference crosses a kink: the unit whose z is on one side of 0 at p − h and on the other at p + h (0-based). */
export interface Kink {
  /** The unit's layer, 0-based. */
  layer: number;
  /** The unit within it, 0-based. */
  unit: number;
  /** The example, 0-based. */
  example: number;
}

/** One entry's centred difference. */
export interface NumericEntry {
  /** The parameter, 0-based. */
  param: ParamId;
  /** h used. */
  h: number;
  /** (L(p + h) − L(p − h)) / 2h, 2h as float64 holds it: (p + h) − (p − h). */
  value: number;
  /** L(p + h), the reduced loss. */
  plus: number;
  /** L(p − h). */
  minus: number;
  /** The first unit whose z changed side of a relu or leaky relu kink between p − h and p + h; undefined when none did. */
  kink?: Kink;
}

/** numericGrad's result: h, the loss at the parameters, and one entry per parameter differentiated. */
export interface NumericGrad {
  /** The net (validated). */
  net: Net;
  /** h used. */
  h: number;
  /** L at the spec's parameters, float64 (reduced over the batch). */
  loss: number;
  /** One per parameter, W then b, layer by layer (or in the order `params` gave). */
  entries: NumericEntry[];
}

/** The reduced loss and, per kinked layer, whether each unit's z > 0 (one flag per example and unit), at W, b. */
function lossAt(engine: ScalarEngine, W: number[][][], b: number[][]): { loss: number; on: (boolean[] | undefined)[] } {
  const net = engine.net;
  let total = 0;
  const on: (boolean[] | undefined)[] = net.layers.map((l) => (l.activation === 'relu' || l.activation === 'leaky_relu' ? [] : undefined));
  for (let c = 0; c < engine.n; c++) {
    const f = scalarForward(net, W, b, engine.x[c], engine.y[c]);
    total += f.loss;
    on.forEach((flags, l) => { if (flags) for (const z of f.z[l]) flags.push(z > 0); });
  }
  return { loss: engine.scale * total, on };
}

/** Every W and b entry of the net, W then b, layer by layer (a shared bias is one entry, none none). */
export function allParams(net: Net): ParamId[] {
  const out: ParamId[] = [];
  net.layers.forEach((layer, l) => {
    for (let i = 0; i < layer.units; i++) for (let j = 0; j < layer.fanIn; j++) out.push({ kind: 'W', layer: l, row: i, col: j });
  });
  net.layers.forEach((layer, l) => {
    const count = layer.bias === 'per-unit' ? layer.units : layer.bias === 'shared' ? 1 : 0;
    for (let k = 0; k < count; k++) out.push({ kind: 'b', layer: l, index: k });
  });
  return out;
}

/** A NotationError naming `h` unless it is a finite number > 0. */
export function checkH(h: unknown, field = 'h'): asserts h is number {
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0) throw new NotationError(field, `must be a finite number > 0 (the step of (L(p + h) − L(p − h)) / 2h; default ${NUMERIC_H}), got ${describe(h)}`);
}

/**
 * A check of `params` on `engine`'s batch with step `h`, before its first forward pass: at most MAX_NUMERIC_WORK
 * multiply-adds (2 forward passes per entry), else a LimitError naming `fields.work`; and an h that moves every entry
 * both ways in float64 (p + h ≠ p ≠ p − h), else a NotationError naming `fields.h`. numericGrad's checks, and
 * explain's (src/notation/explain.ts) before any backend runs.
 */
export function checkNumericRun(engine: ScalarEngine, h: number, params: readonly ParamId[], fields: { h: string; work: string } = { h: 'h', work: 'params' }): void {
  const net = engine.net;
  const perPass = engine.n * net.layers.reduce((s, l) => s + l.units * (l.fanIn + 1), 0);
  const work = 2 * params.length * perPass;
  if (work > MAX_NUMERIC_WORK) {
    throw new LimitError(fields.work, `the centred difference of ${params.length} entries takes ${work.toExponential(1)} multiply-adds (2 forward passes each over ${engine.n} example${engine.n === 1 ? '' : 's'}), more than ${MAX_NUMERIC_WORK.toExponential(0)}: check fewer entries (explain --param NAME --numeric)`);
  }
  for (const p of params) {
    const v = p.kind === 'W' ? engine.W[p.layer][p.row][p.col] : engine.b[p.layer][p.index];
    if (v + h === v || v - h === v) {
      throw new NotationError(fields.h, `is ${h}, below the float64 resolution of ${paramPlace(net, p).replace(/ \(shared.*$/, ' (shared)')} = ${v} (p + h or p − h rounds to p: the difference would be 0 or one-sided); here h ≥ ${(Math.abs(v) * Number.EPSILON).toPrecision(2)} moves it (default ${smallText(NUMERIC_H)})`);
    }
  }
}

/**
 * The centred difference (L(p + h) − L(p − h)) / 2h of the loss for every W and b entry of `spec` (or those `params`
 * names), in float64 on the scalar engine's forward pass — the parameters as the spec writes them, as explain's scalar
 * total takes them. Everything is checked before the first forward pass.
 * @throws {NotationError} naming `options` or an unknown option (`options.hh`), `h` (not finite and > 0, or below an
 * entry's float64 resolution: p ± h = p) or `params` (`params[0]`: not an entry of this net).
 * @throws {SpecError} a bad spec, as the scalar engine names it (`params` or `x` when it has none).
 * @throws {LimitError} naming `params` when 2 forward passes per entry exceed MAX_NUMERIC_WORK multiply-adds.
 */
export function numericGrad(spec: unknown, options: NumericGradOptions = {}): NumericGrad {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new NotationError('options', `must be an object {${OPTION_KEYS.join(', ')}} or undefined, got ${describe(options)}`);
  checkKnownKeys(options, OPTION_KEYS, 'options.', `numericGrad takes ${OPTION_KEYS.join(', ')}`, NotationError, 'unknown option');
  const h = options.h ?? NUMERIC_H;
  checkH(h);
  const engine = new ScalarEngine(spec);
  const net = engine.net;
  if (options.params !== undefined && !Array.isArray(options.params)) throw new NotationError('params', `must be an array of {kind: 'W', layer, row, col} or {kind: 'b', layer, index}, got ${describe(options.params)}`);
  const params = options.params ?? allParams(net);
  params.forEach((p, k) => {
    if (!isParamOf(net, p)) throw new NotationError(`params[${k}]`, `is not a W or b entry of this net (0-based W[layer][row][col], b[layer][index]), got ${describe(p)}`);
  });
  checkNumericRun(engine, h, params);
  // Copies: the engine's own W and b stay as the spec gives them.
  const W = engine.W.map((m) => m.map((row) => row.slice()));
  const b = engine.b.map((v) => v.slice());
  const at = lossAt(engine, W, b);
  const entries = params.map((p): NumericEntry => {
    const row = p.kind === 'W' ? W[p.layer][p.row] : b[p.layer];
    const k = p.kind === 'W' ? p.col : p.index;
    const keep = row[k];
    const up = keep + h;
    const down = keep - h;
    row[k] = up;
    const plus = lossAt(engine, W, b);
    row[k] = down;
    const minus = lossAt(engine, W, b);
    row[k] = keep;
    const entry: NumericEntry = { param: p, h, value: (plus.loss - minus.loss) / (up - down), plus: plus.loss, minus: minus.loss };
    for (let l = 0; l < net.layers.length && entry.kink === undefined; l++) {
      const up = plus.on[l];
      const down = minus.on[l];
      if (!up || !down) continue;
      const at2 = up.findIndex((v, i) => v !== down[i]);
      if (at2 >= 0) entry.kink = { layer: l, unit: at2 % net.layers[l].units, example: Math.floor(at2 / net.layers[l].units) };
    }
    return entry;
  });
  return { net, h, loss: at.loss, entries };
}

/** h or a tolerance as a line writes it: 1e-5, 1e-4 (String(1e-5) is 0.00001), 0.01 from 1e-3 on. */
export function smallText(v: number): string {
  return v < 1e-3 ? v.toExponential() : String(v);
}

/** A relative error as every check's line writes it: 2 significant digits (1.4e-11); NaN or Infinity as such. */
export function relText(v: number): string {
  return Number.isFinite(v) ? v.toExponential(1) : String(v);
}

/** |a − n| / max(|a|, |n|): 0 when both are 0, NaN when either is not finite. */
export function relativeError(a: number, n: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(n)) return NaN;
  const m = Math.max(Math.abs(a), Math.abs(n));
  return m === 0 ? 0 : Math.abs(a - n) / m;
}

/** Whether an analytic value a and a numeric one n agree: relativeError ≤ GRAD_CHECK_REL or |a − n| ≤ GRAD_CHECK_ABS. */
export function agrees(a: number, n: number): boolean {
  return relativeError(a, n) <= GRAD_CHECK_REL || Math.abs(a - n) <= GRAD_CHECK_ABS;
}

/** One entry's check: the analytic value, the numeric one, their relative error and the verdict. */
export interface GradCheckRow {
  /** The parameter, 0-based. */
  param: ParamId;
  /** The analytic gradient (a backend's dW or db entry). */
  analytic: number;
  /** The centred difference. */
  numeric: number;
  /** relativeError(analytic, numeric). */
  relErr: number;
  /** 'ok' (✓: relErr ≤ GRAD_CHECK_REL or |a − n| ≤ GRAD_CHECK_ABS), 'bad' (✗, or not finite), 'kink' (the difference crosses one: not judged). */
  status: 'ok' | 'bad' | 'kink';
}

/**
 * The numeric gradient beside an analytic one (`Model.grad()`'s dW and db, engine layout: dW[l][row·fanIn + col],
 * db[l][index]), entry by entry.
 * @throws {NotationError} naming `analytic` when it has not the net's layers and entries.
 */
export function gradCheck(numeric: NumericGrad, analytic: {
  /** ∂L/∂W per layer, (units × fanIn) row-major. */
  dW: readonly ArrayLike<number>[];
  /** ∂L/∂b per layer (one value for a shared bias, none for none). */
  db: readonly ArrayLike<number>[];
}): GradCheckRow[] {
  const net = numeric.net;
  const fits = Array.isArray(analytic?.dW) && Array.isArray(analytic?.db) && analytic.dW.length === net.layers.length && analytic.db.length === net.layers.length
    && net.layers.every((l, i) => analytic.dW[i]?.length === l.units * l.fanIn && analytic.db[i]?.length === (l.bias === 'per-unit' ? l.units : l.bias === 'shared' ? 1 : 0));
  if (!fits) throw new NotationError('analytic', `must be {dW, db} of this net (${net.layers.map((l) => `${l.units}×${l.fanIn}`).join(', ')}), as Model.grad() returns them`);
  return numeric.entries.map((e) => {
    const p = e.param;
    const a = p.kind === 'W' ? analytic.dW[p.layer][p.row * net.layers[p.layer].fanIn + p.col] : analytic.db[p.layer][p.index];
    return { param: p, analytic: a, numeric: e.value, relErr: relativeError(a, e.value), status: e.kink ? 'kink' : agrees(a, e.value) ? 'ok' : 'bad' };
  });
}
