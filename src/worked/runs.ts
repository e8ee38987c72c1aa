/**
 * Running a worked example's spec on a matrix backend for the checker: grad() on the batch and on each
 * example alone, and one step() at the spec's lr. Backend-agnostic (a Model, or a WebGPU page behind the
 * same three calls).
 */
import type { NetworkSpec } from '../spec.ts';
import type { MatrixRuns, PassLike } from './sources.ts';

type Vec = ArrayLike<number>;

/** What the runs need from a model. */
export interface ModelLike {
  grad(x?: number[][], y?: number[][]): Promise<PassLike>;
  step(lr?: number): Promise<PassLike & { params: { W: Vec[]; b: Vec[] } }>;
  dispose(): void;
}

export async function collectRuns(create: (spec: NetworkSpec) => Promise<ModelLike>, spec: NetworkSpec): Promise<MatrixRuns> {
  const a = await create(spec);
  const b = await create(spec);
  try {
    const batch = await a.grad();
    const perExample: PassLike[] = [];
    for (let c = 0; c < (spec.x?.length ?? 0); c++) perExample.push(await a.grad([spec.x![c]], [spec.y![c]]));
    const step = await b.step();
    return { batch, step, perExample };
  } finally {
    a.dispose();
    b.dispose();
  }
}
