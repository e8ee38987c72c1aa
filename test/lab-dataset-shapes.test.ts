/**
 * The 2-D toy sets' clean shapes (noise 0) against the formulas their docs publish, for the sets that
 * test/lab-data.test.ts does not check point by point (moons, two spirals, three blobs, xor's range), and how the
 * Gaussian jitter enters each coordinate. Expected values are worked here in float64 from the formulas, never read
 * from src/lab/datasets.ts.
 */
import { describe, expect, it } from 'vitest';
import { generate2D } from '../src/lab/datasets.ts';

describe('2-D toy sets: the clean shapes of the published formulas', () => {
  it("xor: every coordinate keeps |xi| in [0.15, 0.95], clear of the axes (class by quadrant: x1·x2 > 0 is class 0)", () => {
    const d = generate2D('xor', 400, 5, 0);
    for (const row of d.x) {
      for (const v of row) {
        expect(Math.abs(v)).toBeGreaterThanOrEqual(0.15 - 1e-12);
        expect(Math.abs(v)).toBeLessThanOrEqual(0.95 + 1e-12);
      }
    }
  });

  it('moons: sklearn make_moons mapped by (u − 0.5) / 1.5, (v − 0.25) / 1.5: class 0 on the upper unit arc, class 1 on the lower arc centred at (1, 0.5)', () => {
    const d = generate2D('moons', 300, 11, 0);
    const seen = [0, 0];
    d.x.forEach(([x1, x2], c) => {
      // Back to make_moons' own coordinates: u = 1.5·x1 + 0.5, v = 1.5·x2 + 0.25.
      const u = 1.5 * x1 + 0.5;
      const v = 1.5 * x2 + 0.25;
      if (d.labels[c] === 0) {
        // Outer arc (cos t, sin t), t ∈ [0, π]: radius 1 about (0, 0), v ≥ 0.
        expect(Math.hypot(u, v)).toBeCloseTo(1, 9);
        expect(v).toBeGreaterThanOrEqual(-1e-12);
      } else {
        // Inner arc (1 − cos t, 0.5 − sin t): radius 1 about (1, 0.5), v ≤ 0.5.
        expect(Math.hypot(u - 1, v - 0.5)).toBeCloseTo(1, 9);
        expect(v).toBeLessThanOrEqual(0.5 + 1e-12);
      }
      // The stated range: [−1, 1] × [−0.5, 0.5].
      expect(Math.abs(x1)).toBeLessThanOrEqual(1 + 1e-12);
      expect(Math.abs(x2)).toBeLessThanOrEqual(0.5 + 1e-12);
      seen[d.labels[c]]++;
    });
    expect(seen).toEqual([150, 150]);
  });

  it('two spirals: radius t, angle 1.75 turns · t + π·k (the second arm rotated by π)', () => {
    const d = generate2D('spiral', 80, 4, 0);
    d.x.forEach(([a, b], c) => {
      const r = Math.hypot(a, b);
      const angle = 1.75 * 2 * Math.PI * r + Math.PI * d.labels[c];
      expect(a).toBeCloseTo(r * Math.cos(angle), 9);
      expect(b).toBeCloseTo(r * Math.sin(angle), 9);
    });
  });

  it('three blobs: centres at 90°, 210°, 330° on the circle of radius 0.55', () => {
    const d = generate2D('blobs', 9, 2, 0);
    // cos 90° = 0, sin 90° = 1; cos 210° = −√3/2, sin 210° = −1/2; cos 330° = √3/2, sin 330° = −1/2.
    const centres = [[0, 0.55], [-0.55 * Math.sqrt(3) / 2, -0.275], [0.55 * Math.sqrt(3) / 2, -0.275]];
    d.x.forEach(([a, b], c) => {
      expect(a).toBeCloseTo(centres[d.labels[c]][0], 12);
      expect(b).toBeCloseTo(centres[d.labels[c]][1], 12);
    });
  });
});

describe('2-D toy sets: small n and the default noise', () => {
  it('xor with n = 1, 2, 3 gives n jittered quadrant points, not the 4-row truth table (only n = 4 is that)', () => {
    for (const n of [1, 2, 3]) {
      const d = generate2D('xor', n, 6, 0);
      expect(d.x, `n = ${n}`).toHaveLength(n);
      expect(d.labels).toEqual([0, 1, 0].slice(0, n)); // class c mod 2
      // Quadrant points with |xi| ≥ 0.15, not the corners of {0, 1}².
      d.x.forEach(([a, b], c) => {
        expect(Math.min(Math.abs(a), Math.abs(b))).toBeGreaterThanOrEqual(0.15 - 1e-12);
        expect(a * b < 0 ? 1 : 0).toBe(d.labels[c]);
      });
    }
  });

  it('at the default noise, blobs stay blobs: ≥ 95 % of 600 points lie nearest their own centre', () => {
    // Centres 0.55·(cos, sin)(90° + 360°k/K). Three blobs: neighbours 0.55·√3 ≈ 0.953 apart; five: 2·0.55·sin 36° ≈ 0.647.
    for (const [kind, K] of [['blobs', 3], ['blobs5', 5]] as const) {
      const centres = Array.from({ length: K }, (_, k) => {
        const t = Math.PI / 2 + (2 * Math.PI * k) / K;
        return [0.55 * Math.cos(t), 0.55 * Math.sin(t)];
      });
      const d = generate2D(kind, 600, 21);
      const nearestOwn = d.x.filter(([a, b], c) => {
        const dist = centres.map(([u, v]) => Math.hypot(a - u, b - v));
        return dist.indexOf(Math.min(...dist)) === d.labels[c];
      }).length;
      expect(nearestOwn / 600, kind).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe('2-D toy sets: the jitter', () => {
  it('noise is the standard deviation of independent Gaussian jitter per coordinate, on the same clean points whatever its level', () => {
    for (const kind of ['circle', 'blobs5'] as const) {
      const clean = generate2D(kind, 200, 9, 0).x;
      const j1 = generate2D(kind, 200, 9, 0.1).x.map((r, c) => [r[0] - clean[c][0], r[1] - clean[c][1]]);
      const j2 = generate2D(kind, 200, 9, 0.2).x.map((r, c) => [r[0] - clean[c][0], r[1] - clean[c][1]]);
      // Twice the noise: twice the jitter, draw for draw (the point sequence does not depend on the level).
      j2.forEach((r, c) => {
        expect(r[0]).toBeCloseTo(2 * j1[c][0], 9);
        expect(r[1]).toBeCloseTo(2 * j1[c][1], 9);
      });
      // Its size: the sample sd of 400 N(0, 0.1²) draws lies within 0.1 ± 20 % (≈ 5 standard errors of 0.0035).
      const all = j1.flat();
      const sd = Math.sqrt(all.reduce((s, v) => s + v * v, 0) / all.length);
      expect(sd, kind).toBeGreaterThan(0.08);
      expect(sd, kind).toBeLessThan(0.12);
      // Independent per coordinate: the two jitters of a point are not the same draw.
      const same = j1.filter((r) => Math.abs(r[0] - r[1]) < 1e-12).length;
      expect(same, kind).toBe(0);
    }
  });
});
