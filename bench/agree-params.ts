/**
 * The agreement's second check: every parameter after the N agreement steps against the reference's.
 *
 * NOTE: the loss alone misses some wrong trainers. On config a (the 2-2-1 lecture net on XOR, N = 10) the loss hardly
 * depends on the hidden layer's weights yet: a hidden dW half its size moves the loss after N 9.0e-5 relative and a dW
 * applied one step late 7.4e-6, both under rtol 1e-4. On c-mse (lr 0.003) a sign error in the output layer's db moves
 * it 3.8e-5 and an output bias never updated 4.0e-5; on c-ce a sign error in the db of either hidden layer (5.3e-5,
 * 3.6e-5) or of the output layer (7.6e-5), the first hidden or the output bias never updated (4.8e-5, 5.5e-5). Each of
 * those moved a parameter 17× to 410× this check's tolerance; a skipped step or a frozen W moved the loss more than
 * rtol on a, b and c (2026-12-06, an independent float64 trainer of the configs with each bug injected; README's
 * "Agreement").
 * So each system of a net of at most AGREE_PARAMS_MAX parameters (a–d; not f) hands its parameters back after the
 * agreement run (untimed: Driver.params), and each must be within rtol·max|θ_ref| + atol of the reference's.
 * The parameters stay in the page: measureAll drops them from the rows once it has judged them (the results file
 * would hold 2·10⁶ numbers a row on d), and a row's verdict (Row.paramsAgreement) outlives them, so the agreement of
 * merged page loads (measure.ts summarize, in Node) keeps it.
 */
import { paramCount } from '../src/params.ts';
import { type BenchConfig, netOf } from './configs.ts';
import type { Row } from './protocol.ts';

/** The nets whose parameters the agreement compares: up to 2²² (config d has 2.1·10⁶, config f 3.4·10⁷). */
export const AGREE_PARAMS_MAX = 2 ** 22;

/** Whether the agreement compares config `c`'s parameters (at most AGREE_PARAMS_MAX; not a fit, not a bare matmul). */
export function comparesParams(c: BenchConfig): boolean {
  return !c.fit && !c.matmul && paramCount(netOf(c)) <= AGREE_PARAMS_MAX;
}

/**
 * The parameters as every system hands them back: each layer's W (units × fanIn, row-major: the engine's layout)
 * then its b (biasLength values: per unit, one shared, or none), layer after layer.
 */
export function flatParams(W: ArrayLike<number>[], b: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(W.reduce((n, w, l) => n + w.length + (b[l]?.length ?? 0), 0));
  let at = 0;
  W.forEach((w, l) => {
    out.set(w, at);
    at += w.length;
    out.set(b[l] ?? [], at);
    at += b[l]?.length ?? 0;
  });
  return out;
}

/** The largest |θ − θ_ref| and its tolerance, rtol·max|θ_ref| + atol; a length mismatch or a non-finite value fails. */
export function paramsAgreement(own: Float32Array, ref: Float32Array, rtol: number, atol: number): { absErr: number; tol: number; ok: boolean } {
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  const tol = rtol * scale + atol;
  if (own.length !== ref.length) return { absErr: Infinity, tol, ok: false };
  let absErr = 0;
  let finite = true;
  for (let k = 0; k < own.length; k++) {
    const d = Math.abs(own[k] - ref[k]);
    if (!Number.isFinite(d)) finite = false;
    else absErr = Math.max(absErr, d);
  }
  return { absErr: finite ? absErr : Infinity, tol, ok: finite && Number.isFinite(tol) && absErr <= tol };
}

/**
 * The parameters' verdict of a row whose loss agreed and whose parameters did not (undefined otherwise): the one case
 * where the reports name the parameters as what failed (measure.ts summarize, report.ts, the page's table).
 */
export function offOnParamsAlone(r: Row): NonNullable<Row['paramsAgreement']> | undefined {
  const a = r.agreement;
  const p = r.paramsAgreement;
  return a && a.absErr <= a.tol && p?.ok === false ? p : undefined;
}
