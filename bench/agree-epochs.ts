/**
 * Config e's agreement after epoch 1: epochs 2 … K against the reference's, where K = min(fit.agreeEpochs, the
 * reference's epoch count).
 *
 * NOTE: epoch 1 alone (bench/protocol.ts agree) cannot see the batch order of later epochs: a system whose loop drew
 * epoch 1's order every epoch passed it. Measured with ours-cpu trained in epoch 1's order every epoch (Model.fit on
 * the digits permuted by epochOrder(…, 0), 2026-12-06, this machine): the epoch mean loss moves, against the shared
 * order's, qe-sgd 7.2e-2 and qe-adam 1.7e-2 at epoch 2; e-sgd 1.0e-2, 1.4e-2 at epochs 2 and 3 (test accuracy 3 and
 * 48 digits off); e-adam only 1.5e-3, 4.1e-3 at epochs 2 and 3. What the systems drift apart by in the shared order,
 * float32 differences compounding (every system: the published e runs bench/results/{e-run,fair-run-52,agree52}.json;
 * qe: npm run bench -- --configs qe --epochs 3, 2026-12-06): qe-sgd ≤ 1.1e-6 and qe-adam ≤ 7.6e-6 through epoch 3 (rtol
 * 1e-4), e-sgd 7.9e-7 and 2.0e-6 at epochs 2 and 3 (rtol 1e-3; 3.0e-5 by epoch 5, growing ~4× an epoch), e-adam
 * 6.5e-4 and 9.1e-4 — as large as another order's, so e-adam compares epoch 1 only (agreeEpochs 1) and its later
 * order is checked by the quick run's qe-adam, which runs the same loops. Test accuracy through those epochs: 0 test
 * examples apart in the shared order (FIT_ACCURACY_SLACK allows 2).
 */
import type { FitConfig } from './configs.ts';
import type { EpochStat } from './fit-systems.ts';

/** The later epochs' verdict: the last epoch compared, the worst loss rel. err and accuracy difference, the first epoch off. */
export interface LaterEpochsAgreement {
  /** The last epoch compared (2 … K). */
  through: number;
  /** The largest |L − L_ref| / |L_ref| over epochs 2 … through (Infinity where a loss is missing or not finite). */
  relErr: number;
  /** The largest test-accuracy difference over epochs 2 … through, in test examples. */
  examplesOff: number;
  /** The first epoch whose loss or accuracy is off (absent when every compared epoch agrees). */
  offAt?: number;
  ok: boolean;
}

/**
 * Epochs 2 … K of each of a row's fits (`fits`: one list of epochs a fit) against the reference's `ref`: each epoch's
 * mean training loss within rtol·|L_ref| + atol and its test accuracy within `slack` test examples. Undefined when
 * K < 2 (nothing after epoch 1 to compare).
 */
export function laterEpochsAgreement(fits: EpochStat[][], ref: EpochStat[], fit: FitConfig, tol: { rtol: number; atol: number }, slack: number): LaterEpochsAgreement | undefined {
  const through = Math.min(fit.agreeEpochs ?? 1, ref.length);
  if (through < 2) return undefined;
  let relErr = 0;
  let examplesOff = 0;
  let offAt: number | undefined;
  for (let k = 1; k < through; k++) {
    const want = ref[k];
    for (const epochs of fits) {
      const got = epochs[k];
      const lossErr = got && Number.isFinite(got.loss) && Number.isFinite(want.loss) ? Math.abs(got.loss - want.loss) : Infinity;
      // Accuracies are k / test; count the examples (rounded: k / test is not exact in float). A reference without an
      // accuracy at that epoch (a results file that has none) leaves its loss alone to judge, as epoch 1's check does.
      const off = !Number.isFinite(want.testAccuracy) ? 0
        : got && Number.isFinite(got.testAccuracy) ? Math.round(Math.abs(got.testAccuracy - want.testAccuracy) * fit.test) : Infinity;
      relErr = Math.max(relErr, lossErr / Math.max(Math.abs(want.loss), Number.MIN_VALUE));
      examplesOff = Math.max(examplesOff, off);
      if (offAt === undefined && !(lossErr <= tol.rtol * Math.abs(want.loss) + tol.atol && off <= slack)) offAt = k + 1;
    }
  }
  return { through, relErr, examplesOff, ...(offAt !== undefined ? { offAt } : {}), ok: offAt === undefined };
}

/** A failed later-epochs check in words: "epoch 2 off ours-cpu's (epochs 2–3: …): another batch order after epoch 1?". */
export function laterEpochsText(l: LaterEpochsAgreement, ref: string): string {
  const span = l.through === 2 ? 'epoch 2' : `epochs 2–${l.through}`;
  return `epoch ${l.offAt} off ${ref}'s (${span}: loss rel. err up to ${l.relErr.toExponential(2)}, test accuracy up to ${l.examplesOff} test examples off; epoch 1 agrees): another batch order after epoch 1?`;
}
