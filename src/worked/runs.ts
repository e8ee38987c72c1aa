/**
 * Running a worked example's spec on a matrix backend for the checker: grad() on the batch and on each
 * example alone, and one step() at the spec's lr. Backend-agnostic (a Model, or a WebGPU page behind the
 * same three calls).
 */
import { checkedRows, type NetworkSpec, validateSpec } from '../spec.ts';
import type { MatrixRuns, PassLike } from './sources.ts';

type Vec = ArrayLike<number>;

/**
 * A spec's x or y as rows, one per example, with the numbers as given: rows copied (float64), and the {examples, data}
 * form (README, "The network spec") cut into rows by checkedRows — a number[]'s or Float64Array's values as written
 * (float64), not read back from the validated batch's float32 engine layout: the same data in either form gives the
 * scalar engine (explain, check) the same values. `given` has been validated (validateSpec); `field` names it.
 */
export function batchRows(given: unknown, features: number, field: string): number[][] {
  if (Array.isArray(given)) return (given as number[][]).map((r) => r.slice());
  return checkedRows(given, features, field);
}

/** A validated spec's x and y as rows (batchRows); none without a batch. */
export function specRows(spec: NetworkSpec): { x: number[][]; y: number[][] } {
  const valid = validateSpec(spec);
  const b = valid.batch;
  if (!b) return { x: [], y: [] };
  return { x: batchRows(spec.x, valid.net.inputs, 'x'), y: batchRows(spec.y, valid.net.layers[valid.net.layers.length - 1].units, 'y') };
}

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
    // Rows also for the {examples, data} form: spec.x.length was undefined there, so no example had its own pass.
    const { x, y } = specRows(spec);
    for (let c = 0; c < x.length; c++) perExample.push(await a.grad([x[c]], [y[c]]));
    const step = await b.step();
    return { batch, step, perExample };
  } finally {
    a.dispose();
    b.dispose();
  }
}
