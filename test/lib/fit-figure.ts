/**
 * The figure a fit check uses: the least budget (host or device bytes) that checkFitBudget takes for these counts,
 * found by bisection on checkFitBudget itself (not summed from the formulas it uses).
 */
import { checkFitBudget } from '../../src/budget.ts';
import type { Net } from '../../src/spec.ts';

export function fitFigure(kind: 'host' | 'device', net: Net, nTrain: number, nVal: number, batchSize: number, options: Omit<Parameters<typeof checkFitBudget>[4], 'budget' | 'device'> = {}): number {
  const ok = (bytes: number): boolean => {
    const budget = { hostBytes: kind === 'host' ? bytes : 2 ** 52, deviceBytes: kind === 'device' ? bytes : 2 ** 52, fileBytes: 1 };
    try {
      checkFitBudget(net, nTrain, nVal, batchSize, { ...options, budget, device: kind === 'device' });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0; // refused
  let hi = 2 ** 52; // taken
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
