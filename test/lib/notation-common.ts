/**
 * What the test/notation-*.test.ts files share: the lecture's 2-2-1 spec (and the same net with no notation of its
 * own), parameter and derivative ids, a CPU run in the shape explain takes, and the class and field of a throw.
 */
import { lecture } from '../../src/lectures/index.ts';
import { Model } from '../../src/model.ts';
import type { MatrixRun } from '../../src/notation/matrix.ts';
import type { ParamId } from '../../src/notation/names.ts';
import { type NetworkSpec, validateSpec } from '../../src/spec.ts';

export const spec221 = lecture('lecture-2-2-1').worked.spec;
/** The 2-2-1 lecture net with no notation of its own: the default (flat) convention must give the lecture's names. */
export const bare221 = (): NetworkSpec => {
  const s = structuredClone(spec221);
  delete s.notation;
  return s;
};

export const W = (layer: number, row: number, col: number): ParamId => ({ kind: 'W', layer, row, col });
export const B = (layer: number, index: number): ParamId => ({ kind: 'b', layer, index });
export const lossWrt = (param: ParamId) => ({ kind: 'deriv', of: 'loss', wrt: { kind: 'param', param } }) as const;

export async function cpuRun(spec: NetworkSpec): Promise<MatrixRun & { loss: number }> {
  const model = await Model.create(spec, { backend: 'cpu' });
  const g = await model.grad();
  model.dispose();
  const batch = validateSpec(spec).batch!;
  return { backend: 'cpu', n: batch.n, X: batch.X, A: g.A, delta: g.delta, dW: g.dW, db: g.db, loss: g.loss };
}

/** The class and field of what f throws (or 'nothing thrown'). */
export function named(f: () => unknown): { name: string; field: unknown } {
  try {
    f();
  } catch (err) {
    return { name: (err as Error).name, field: (err as { field?: unknown }).field };
  }
  return { name: 'nothing thrown', field: undefined };
}
