/**
 * The seeded initialisation (README §The spec: `init`, `{scheme: "xavier" | "he" | "uniform", seed}`; src/init.ts):
 * - mulberry32 is the published generator (Tommy Ettinger's mulberry32, in the JavaScript form bryc's PRNG collection
 *   gives), written again here from that text: the same floats for several seeds, so a seed draws the same weights and
 *   epoch orders in every version and on every engine;
 * - the schemes' scales from their papers, checked by their distributions on layers large enough that a wrong scale
 *   (a missing fan-out, a variance 1/fanIn instead of 2/fanIn) is far outside the sampling error:
 *   xavier W ~ U(−r, r), r = √(6 / (fanIn + fanOut)) (Glorot & Bengio 2010); he W ~ N(0, 2 / fanIn) (He et al. 2015);
 *   uniform W ~ U(−0.5, 0.5); b = 0 for every scheme.
 */
import { describe, expect, it } from 'vitest';
import { initParams, mulberry32 } from '../src/init.ts';
import { validateNet } from '../src/spec.ts';

/** mulberry32 as published (bryc, "PRNGs in JavaScript"): state a += 0x6D2B79F5, then the three xor-multiply rounds. */
function publishedMulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('mulberry32', () => {
  it('draws the published generator\'s floats (seeds 0, 1, 42, 2³² − 1; 1 000 draws each)', () => {
    for (const seed of [0, 1, 42, 0xffffffff]) {
      const ours = mulberry32(seed);
      const theirs = publishedMulberry32(seed);
      for (let k = 0; k < 1000; k++) expect(ours(), `seed ${seed}, draw ${k}`).toBe(theirs());
    }
  });
});

describe('initParams: the schemes\' scales', () => {
  // 100 → 300 → 50: fanIn ≠ fanOut in both layers, so r with fanIn alone (or fanOut alone) is another number.
  const net = validateNet({ inputs: 100, layers: [{ units: 300, activation: 'tanh' }, { units: 50, activation: 'sigmoid' }], loss: 'mse' });
  /** max |w|, the mean of w and the mean of w² over one layer's weights. */
  const stats = (w: Float32Array) => {
    let max = 0;
    let sum = 0;
    let sq = 0;
    for (const v of w) {
      max = Math.max(max, Math.abs(v));
      sum += v;
      sq += v * v;
    }
    return { max, mean: sum / w.length, meanSquare: sq / w.length };
  };

  it('xavier: every |w| < r = √(6 / (fanIn + fanOut)), the largest near r, mean w² = r²/3 (U(−r, r)); b = 0', () => {
    const p = initParams(net, 'xavier', 3);
    net.layers.forEach((layer, l) => {
      const r = Math.sqrt(6 / (layer.fanIn + layer.units));
      const { max, meanSquare } = stats(p.W[l]);
      expect(max, `layer ${l + 1}`).toBeLessThanOrEqual(Math.fround(r));
      expect(max, `layer ${l + 1}`).toBeGreaterThan(0.99 * r); // 15 000 or 30 000 draws: the largest is within 1e-3·r of r
      // NOTE: the mean of n draws of w² has a relative standard error of 0.89 / √n (w² has variance 4r⁴/45): 0.73 % at
      // n = 15 000, so 5 % is ~7 of them; r from fanIn alone is 2× (layer 1) or 1.07× (layer 2, whose max shows it).
      expect(meanSquare / (r * r / 3), `layer ${l + 1}`).toBeCloseTo(1, 1);
      expect(Array.from(p.b[l]).every((v) => v === 0)).toBe(true);
    });
  });

  it('he: mean w ≈ 0 and mean w² ≈ 2 / fanIn (N(0, 2 / fanIn)); b = 0', () => {
    const p = initParams(net, 'he', 5);
    net.layers.forEach((layer, l) => {
      const variance = 2 / layer.fanIn;
      const { mean, meanSquare } = stats(p.W[l]);
      // NOTE: the sample's mean w² has a relative standard error of √(2 / n) (≤ 1.2 % at n = 15 000): 5 % is > 4 of them,
      // and a variance of 1 / fanIn (half) or of 2 / (fanIn + fanOut) is far outside.
      expect(Math.abs(meanSquare / variance - 1), `layer ${l + 1}`).toBeLessThan(0.05);
      expect(Math.abs(mean) / Math.sqrt(variance), `layer ${l + 1}`).toBeLessThan(0.05);
      expect(Array.from(p.b[l]).every((v) => v === 0)).toBe(true);
    });
  });

  it('uniform: every w in [−0.5, 0.5), mean ≈ 0, mean w² ≈ 1/12 (U(−0.5, 0.5)); b = 0', () => {
    const p = initParams(net, 'uniform', 7);
    net.layers.forEach((layer, l) => {
      const { max, mean, meanSquare } = stats(p.W[l]);
      expect(max).toBeLessThanOrEqual(0.5);
      expect(Math.abs(mean), `layer ${l + 1}`).toBeLessThan(0.02); // standard error 0.0024 at n = 15 000
      expect(Math.abs(meanSquare * 12 - 1), `layer ${l + 1}`).toBeLessThan(0.05);
      expect(Array.from(p.b[l]).every((v) => v === 0)).toBe(true);
    });
  });
});
