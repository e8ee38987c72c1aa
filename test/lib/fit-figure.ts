/**
 * The figure a budget check uses: the least budget (host or device bytes) that checkFitBudget (fitFigure) or
 * checkBudget (stepFigure) takes for these counts, found by bisection on the check itself (not summed from the
 * formulas it uses).
 */
import { checkBudget, checkFitBudget } from '../../src/budget.ts';
import type { Net } from '../../src/spec.ts';

/** The least bytes that `ok` takes, by bisection (`ok` is monotone: refused below some figure, taken from it on). */
function least(ok: (bytes: number) => boolean): number {
  let lo = 0; // refused
  let hi = 2 ** 52; // taken
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Whether `check` returns (rather than throws). */
function passes(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

export function fitFigure(kind: 'host' | 'device', net: Net, nTrain: number, nVal: number, batchSize: number, options: Omit<Parameters<typeof checkFitBudget>[4], 'budget' | 'device'> = {}): number {
  return least((bytes) => {
    const budget = { hostBytes: kind === 'host' ? bytes : 2 ** 52, deviceBytes: kind === 'device' ? bytes : 2 ** 52, fileBytes: 1 };
    return passes(() => checkFitBudget(net, nTrain, nVal, batchSize, { ...options, budget, device: kind === 'device' }));
  });
}

/** The device figure of Model.create's, train's, grad's and step's check for a batch of n (checkBudget: needs(net, n)). */
export function stepFigure(net: Net, n: number): number {
  return least((bytes) => passes(() => checkBudget(net, n, { device: true, budget: { hostBytes: 2 ** 52, deviceBytes: bytes, fileBytes: 1 } })));
}
