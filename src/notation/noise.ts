/**
 * When a sum of explain's scalar engine is zero within its float64 rounding, and is printed as 0 at the sum's
 * decimals (0.0000) rather than as its rounding noise (src/notation/format.ts).
 *
 * NOTE: the rule. A sum v of the engine (a group's paths, an example's groups, ∂L/∂p over the examples) is printed
 * as 0 at its decimals — `0.0000`, never a signed tiny value, never −0.0000 — when
 *     |v| ≤ k·ε·S,   ε = 2⁻⁵³ (float64's unit roundoff),   k = 2·(P + F + max(U, 4)),
 * where P is the number of path products summed into v, F the factors per path, U the output layer's units, and S
 * the sum's size before cancellation: Σ over its paths of |path product|, with the loss factor's size in place of its
 * value — |a| + |y| for a − y (softmax-cross-entropy's ∂L/∂z, mse's ∂L/∂a), |y|/a + |1 − y|/(1 − a) for bce's
 * ∂L/∂a = −y/a + (1 − y)/(1 − a) — since a − y is itself a cancellation: computed from a, it is good to ε·(|a| + |y|),
 * not to ε·|a − y|.
 * Why k: to first order the float64 error of v is at most (P − 1)ε·S for the sum (any order of P − 1 additions),
 * (F − 1)ε·S for the products, and (max(U, 4) + 1)ε·S for the loss factor: a softmax output a_j = e_j / Σ_i e_i
 * carries the U − 1 roundings of its sum and one of the division (another output activation, or bce's two terms,
 * at most four: exp, add, divide, exp's own error), and a − y one more; the reduction's ·1/N one more. That is at
 * most (P + F + max(U, 4))·ε·S; k doubles it for the second-order terms.
 * The case it is for: a softmax output layer's shared bias, whose gradient Σ_j (a_j − y_j) = 1 − 1 is 0 exactly and
 * whose float64 value is ~1e-16 — also once the net has learnt and every a_j − y_j is tiny (1e-3 … 1e-12) while a_j
 * and y_j are not: why S takes |a| + |y|, not |a − y| (with |a − y| the bound missed those by a factor of 1e3 … 1e12).
 * Such a sum has no significant digit: its digits were noise, and no printing of its terms gave them by hand. A sum
 * past the bound keeps its digits, however small (1e-9 + 2e-9 = 3e-9: S is 3e-9 too).
 * Printing only: the engine's value is unchanged, "scalar total, float64" prints it in full, and the matrix line's
 * |scalar − backend| check (✓ / ✗ MISMATCH) compares the unrounded values, so no mismatch is hidden.
 * Scope: the bound counts the roundings of the loss factor, the products and the sums — what an exact zero of
 * Σ_j (a_j − y_j) leaves, times factors common to its paths (which scale the zero, not break it). A hidden factor's
 * own rounding (tanh's 1 − a² near saturation) is a relative error of its value, not counted; a cancellation that
 * comes from the data (two mirrored examples) carries such errors and may still print as digits.
 */
import type { Expansion, ExampleTerm, FactorDesc, GroupTerm, PathTerm, ScalarEngine } from './scalar.ts';

/** float64's unit roundoff. */
export const EPS = 2 ** -53;

/** The bounds of an expansion's sums, each a value's |v| at or below which it prints as 0 at its decimals. */
export interface NoiseBounds {
  /** A group's sum of its paths. */
  group(g: GroupTerm): number;
  /** An example's sum of its groups. */
  example(ex: ExampleTerm): number;
  /** ∂L/∂p, the (reduced) sum over the examples. */
  total: number;
}

/** Example c's path sizes before cancellation (see the NOTE); the loss factors' sizes are computed once per output unit. */
function pathSizer(e: Expansion, c: number, engine: ScalarEngine): (path: PathTerm) => number {
  const net = engine.net;
  const L = net.layers.length - 1;
  // The loss factor's size: |a| + |y| for a − y (softmax-CE's ∂L/∂z, mse's ∂L/∂a); |y|/a + |1 − y|/(1 − a) for bce's
  // ∂L/∂a = −y/a + (1 − y)/(1 − a), whose 1 − a the engine takes as σ(−z) (a 0/1 target leaves one term: no cancellation).
  const lossSize = Array.from({ length: net.layers[L].units }, (_, k) => {
    const av = engine.nodeValue({ kind: 'a', layer: L, unit: k }, c);
    const y = engine.y[c][k];
    if (net.loss !== 'bce') return Math.abs(av) + Math.abs(y);
    const oneMinusA = 1 / (1 + Math.exp(engine.nodeValue({ kind: 'z', layer: L, unit: k }, c)));
    return Math.abs(y) / av + Math.abs(1 - y) / oneMinusA;
  });
  const size = (f: FactorDesc, v: number): number => ((f.kind === 'dL/da' || f.kind === 'dL/dz') && Number.isFinite(lossSize[f.unit]) ? lossSize[f.unit] : Math.abs(v));
  return (path) => e.chain.factors(path.units, c).reduce((s, f, k) => s * size(f, path.values[k]), 1);
}

const bounds = new WeakMap<Expansion, NoiseBounds>();

/** The noise bounds of an expansion's sums (computed once per expansion). */
export function noiseBounds(e: Expansion, engine: ScalarEngine): NoiseBounds {
  let b = bounds.get(e);
  if (b) return b;
  const L = engine.net.layers.length - 1;
  const paths = (g: GroupTerm) => g.paths.length;
  const F = e.examples[0]?.groups[0]?.paths[0]?.values.length ?? 0;
  const k = (P: number) => 2 * (P + F + Math.max(engine.net.layers[L].units, 4));
  const groupSize = new Map<GroupTerm, number>();
  const exampleSize = new Map<ExampleTerm, number>();
  let totalSize = 0;
  let totalPaths = 0;
  for (const ex of e.examples) {
    const pathSize = pathSizer(e, ex.example, engine);
    let s = 0;
    for (const g of ex.groups) {
      const gs = g.paths.reduce((acc, p) => acc + pathSize(p), 0);
      groupSize.set(g, gs);
      s += gs;
    }
    exampleSize.set(ex, s);
    totalSize += s;
    totalPaths += ex.groups.reduce((n, g) => n + paths(g), 0);
  }
  b = {
    group: (g) => k(paths(g)) * EPS * (groupSize.get(g) ?? 0),
    example: (ex) => k(ex.groups.reduce((n, g) => n + paths(g), 0)) * EPS * (exampleSize.get(ex) ?? 0),
    total: k(totalPaths) * EPS * e.scale * totalSize,
  };
  bounds.set(e, b);
  return b;
}

/**
 * Is v, a sum whose noise bound is `bound`, zero within its float64 rounding? Also when it is exactly 0 from terms
 * that cancel (0.0000 + 0.0000 + 0.0000, not 0.0000 + 0.0000 + 0); not when a factor of every path is 0 (a dead relu's
 * [z > 0]: its bound is 0), which stays an exact 0.
 */
export const isNoise = (v: number, bound: number): boolean => bound > 0 && Math.abs(v) <= bound;

/** Zero at `decimals` decimals (at least one: a bare 0 reads as exact), as such a sum prints: 0.0000. */
export const zeroAt = (decimals: number): string => (0).toFixed(Math.min(Math.max(decimals, 1), 20));

/** What the scalar total's full line adds when the total is zero within its rounding (empty otherwise). */
export const noiseNote = (v: number, bound: number): string => (v !== 0 && isNoise(v, bound) ? ` (0 within its float64 rounding, ≤ ${bound.toExponential(1)})` : '');
