import { lecture } from '../../src/lectures/index.ts';
import type { SurfaceArgs } from '../../src/lab/surface-grid.ts';
import { Naming } from '../../src/notation/names.ts';
import { batchFrom, validateSpec } from '../../src/spec.ts';

/** The loss surface's arguments on lecture 001's 2-2-1 net, over w5 and w6, on a 5 × 5 grid (the surface-draw tests'). */
export function lectureSurfaceArgs(): SurfaceArgs {
  const spec = lecture('lecture-2-2-1').worked.spec;
  const valid = validateSpec(spec);
  const batch = batchFrom(valid.net, spec.x, spec.y);
  const naming = new Naming(valid.net, spec.notation);
  return {
    net: valid.net, params: valid.params!, X: batch.X, Y: batch.Y, n: batch.n,
    p1: naming.resolveParam('w5', 'test'), p2: naming.resolveParam('w6', 'test'), names: ['w5', 'w6'], resolution: 5,
  };
}
