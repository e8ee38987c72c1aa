/**
 * The engine's parameters as data: the Params type (W and b of every layer, Float32Arrays in engine layout),
 * cloneParams, and their sizes (biasLength, paramCount). Its own leaf (it imports only types) so that
 * src/train/optimizers.ts, whose states are Params, and src/budget.ts, which counts them, need not import src/spec.ts,
 * which imports both; src/spec.ts re-exports all four.
 */
import type { Layer, Net } from './spec.ts';

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

/** Number of bias values layer `layer` holds: units (per-unit), 1 (shared) or 0 (none). */
export function biasLength(layer: Layer): number {
  return layer.bias === 'per-unit' ? layer.units : layer.bias === 'shared' ? 1 : 0;
}

/** The values of every W_l and b_l of `net`: P = Σ (units·fanIn + biasLength). */
export function paramCount(net: Net): number {
  return net.layers.reduce((sum, layer) => sum + layer.units * layer.fanIn + biasLength(layer), 0);
}
