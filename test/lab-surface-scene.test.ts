/**
 * The loss surface's scene and grid (src/lab/surface-grid.ts) on a hand-made net whose loss is worked here in float64:
 * a weight off the diagonal of a non-square W varies the entry W[row][col] (not its transpose), a row past the layer
 * is refused, and the scene's height scale (linear up to 3 decades, NaN on top), the current point's height and the
 * training path's runs (the last point kept, a run broken where θ2 leaves the grid).
 */
import { describe, expect, it } from 'vitest';
import { buildScene, type LossGrid, lossGrid, type SurfaceArgs } from '../src/lab/surface-grid.ts';
import type { ParamId } from '../src/notation/names.ts';
import { validateNet } from '../src/spec.ts';

/**
 * 2-3-1, identity units, no biases, MSE (L = ½ (ŷ − y)², one example): x = (1, 2), y = 0, W2 = (1, 10, 100), W1 = 0
 * but for the two parameters varied. So ŷ = Σ_i W2[i] · (W1[i][0] · 1 + W1[i][1] · 2).
 */
const net = validateNet({
  inputs: 2, loss: 'mse', reduction: 'mean',
  layers: [{ units: 3, activation: 'identity', bias: 'none' }, { units: 1, activation: 'identity', bias: 'none' }],
});
const params = { W: [new Float32Array(6), Float32Array.from([1, 10, 100])], b: [new Float32Array(0), new Float32Array(0)] };
const W1_20: ParamId = { kind: 'W', layer: 0, row: 2, col: 0 }; // feeds unit 2 (W2 = 100) from x1 = 1
const W1_01: ParamId = { kind: 'W', layer: 0, row: 0, col: 1 }; // feeds unit 0 (W2 = 1) from x2 = 2

function args(extra: Partial<SurfaceArgs> = {}): SurfaceArgs {
  return { net, params, X: Float32Array.from([1, 2]), Y: Float32Array.from([0]), n: 1, p1: W1_20, p2: W1_01, names: ['θ1', 'θ2'], radius: 1, resolution: 3, ...extra };
}

describe('lossGrid varies W[row][col] of a non-square matrix', () => {
  it('θ1 = W1[2][0], θ2 = W1[0][1] on axes −1, 0, 1: L = ½ (100·θ1 + 2·θ2)²', () => {
    const g = lossGrid(args());
    expect(g.axis1).toEqual([-1, 0, 1]);
    expect(g.axis2).toEqual([-1, 0, 1]);
    for (let i2 = 0; i2 < 3; i2++) {
      for (let i1 = 0; i1 < 3; i1++) {
        // e.g. θ1 = 1, θ2 = −1: ½ (100 − 2)² = 4802.
        const want = 0.5 * (100 * g.axis1[i1] + 2 * g.axis2[i2]) ** 2;
        expect(g.values[i2 * 3 + i1], `θ1 ${g.axis1[i1]}, θ2 ${g.axis2[i2]}`).toBeCloseTo(want, 3);
      }
    }
  });

  it('a row past the layer (W1[3][0] of a 3-unit layer) is a SpecError naming p1; the same parameter twice names p2', () => {
    expect(() => lossGrid(args({ p1: { kind: 'W', layer: 0, row: 3, col: 0 } }))).toThrow(/^p1: /);
    expect(() => lossGrid(args({ p2: W1_20 }))).toThrow(/^p2: must differ from p1/);
  });
});

/** A scene over `values` (3 × 3) given as the grid, with the current loss `current` (the path as given). */
function scene(values: number[], current: number, path?: [number, number][]) {
  const grid: LossGrid = { values: Float32Array.from(values), res: 3, axis1: [-1, 0, 1], axis2: [-1, 0, 1], current };
  return buildScene(args({ grid, path }));
}

describe('buildScene: heights and the path', () => {
  it('linear heights from the lowest (0) to the highest (1) finite loss; NaN is drawn on top (1), the current point at its own loss', () => {
    const s = scene([1, 2, 3, 1, NaN, 1, 1, 1, 1], 3);
    expect(s.scale.kind).toBe('linear');
    // (v − 1) / (3 − 1): 1 → 0, 2 → 0.5, 3 → 1.
    expect([s.scale.h(1), s.scale.h(2), s.scale.h(3), s.scale.h(NaN)]).toEqual([0, 0.5, 1, 1]);
    // The current loss 3 is the highest: the marker at the top, not at values[0]'s height 0.
    expect(s.here).toEqual([0, 1, 0]);
  });

  it('log heights only past 3 decades: 1 … 100 (2 decades) is linear, 1e−4 … 1 (4 decades) is log₁₀', () => {
    expect(scene([1, 100, 50, 1, 1, 1, 1, 1, 1], 1).scale.kind).toBe('linear');
    const log = scene([1e-4, 1, 1e-2, 1, 1, 1, 1, 1, 1], 1e-2).scale;
    expect(log.kind).toBe('log');
    // (log₁₀ 1e−2 − log₁₀ 1e−4) / 4 = 0.5.
    expect(log.h(1e-2)).toBeCloseTo(0.5, 6);
  });

  it('keeps the last point of a long path (402 points, every 2nd kept, the 402nd too)', () => {
    // Points along θ1 from −0.5 to 0.5 (θ2 = 0): surface x = θ1 / r1 with r1 = 1.
    const path = Array.from({ length: 402 }, (_, k): [number, number] => [-0.5 + k / 401, 0]);
    const s = scene(new Array<number>(9).fill(1), 1, path);
    expect(s.path).toHaveLength(1);
    const run = s.path[0];
    expect(run).toHaveLength(202); // k = 0, 2, …, 400 (201 points) and k = 401
    expect(run[run.length - 1][0]).toBeCloseTo(0.5, 12);
  });

  it('a path point with θ2 off the grid breaks the run there (as one with θ1 off the grid does)', () => {
    // r = 1: |θ2| = 5 is outside. Runs: the two points before it, the two after.
    const path: [number, number][] = [[0, 0], [0.1, 0.1], [0.2, 5], [0.3, 0.1], [0.4, 0.2]];
    const s = scene(new Array<number>(9).fill(1), 1, path);
    expect(s.path.map((r) => r.map((p) => p[0]))).toEqual([[0, 0.1], [0.3, 0.4]].map((r) => r.map((v) => expect.closeTo(v, 12))));
  });
});
