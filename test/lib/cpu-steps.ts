/**
 * The CPU oracle's side of a "K steps on another backend = K CPU steps" check: the first grad and its parityBounds,
 * and for each K the CPU's parameters after K SGD steps with their kStepBounds and the K-th step's loss (computed
 * before its update) with its stepLossBound. See test/lib/tolerance.ts for what the bounds are.
 */
import type { GradResult } from '../../src/model.ts';
import { Model } from '../../src/model.ts';
import { type NetworkSpec, type Params, validateSpec } from '../../src/spec.ts';
import { type Bounds, compareWithin, describeViolations, kStepBounds, parityBounds, stepLossBound } from './tolerance.ts';

export interface AfterSteps {
  steps: number;
  /** The K-th step's loss (at the parameters after K − 1 updates) and its bound. */
  loss: number;
  lossBound: number;
  params: Params;
  bound: { W: Float64Array[]; b: Float64Array[] };
}

export async function cpuSteps(spec: NetworkSpec, lr: number, Ks: number[]): Promise<{ grad: GradResult; bounds: Bounds; after: AfterSteps[] }> {
  const valid = validateSpec(spec);
  const { X, Y, n } = valid.batch!;
  const boundsAt = (p: Params, g: GradResult): Bounds => parityBounds(valid.net, p, X, Y, n, g);
  const model = await Model.create(spec, { backend: 'cpu' });
  try {
    const start = await model.getParams();
    const grad = await model.grad();
    const bounds = boundsAt(start, grad);
    const after: AfterSteps[] = [];
    for (const K of Ks) {
      await model.setParams(start);
      if (K > 1) await model.train({ steps: K - 1, lr });
      const before = await model.getParams();
      const g = await model.grad();
      const { loss } = await model.train({ steps: 1, lr });
      const params = await model.getParams();
      after.push({
        steps: K, loss, lossBound: stepLossBound(boundsAt(before, g), g, kStepBounds(bounds, K - 1, lr, before)),
        params, bound: kStepBounds(bounds, K, lr, params),
      });
    }
    return { grad, bounds, after };
  } finally {
    model.dispose();
  }
}

/**
 * What differs between `after` (the CPU's K steps) and another backend's `loss` and `params` after the same K steps:
 * the K-th step's loss past its stepLossBound, and the first three parameters past their kStepBounds; a line each,
 * none where both are within (test/dawn/variants.ts checkNet, test/dawn/unreached.ts checkCompiled).
 */
export function afterStepsProblems(after: AfterSteps, loss: number, params: Params): string[] {
  const K = after.steps;
  const problems: string[] = [];
  if (!(Math.abs(loss - after.loss) <= after.lossBound)) problems.push(`train(${K}) loss: gpu ${loss} cpu ${after.loss} > ${after.lossBound}`);
  const v = after.params.W.flatMap((W, l) => [
    ...compareWithin(`W${l + 1}`, params.W[l]!, W, after.bound.W[l]!).violations,
    ...compareWithin(`b${l + 1}`, params.b[l]!, after.params.b[l]!, after.bound.b[l]!).violations,
  ]);
  if (v.length > 0) problems.push(`train(${K}) params: ${describeViolations(v.slice(0, 3)).replace(/\n/g, '; ')}`);
  return problems;
}
