/**
 * The engine's parameters as data: the Params type (W and b of every layer, Float32Arrays in engine layout) and
 * cloneParams. Its own leaf (it imports nothing) so that src/train/optimizers.ts, whose states are Params, need not
 * import src/spec.ts, which imports it; src/spec.ts re-exports both.
 */

/** Parameters in engine layout: W[l] row-major (units × fanIn); b[l] of length units, 1 or 0 by bias mode. */
export interface Params {
  /** W[l] (units × fanIn) row-major: W[0] is W₁. */
  W: Float32Array[];
  /** b[l]: units values (per-unit), 1 (shared) or 0 (none). */
  b: Float32Array[];
}

/** A copy of `p` (every W[l] and b[l]), sharing no array with it. */
export function cloneParams(p: Params): Params {
  return { W: p.W.map((w) => w.slice()), b: p.b.map((b) => b.slice()) };
}
