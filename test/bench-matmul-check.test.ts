/**
 * The bare matmul's product check (bench/matmul.ts checkProduct) on a product that is not square: the float64 dot of
 * row r of A (R × K) with column c of B (K × C), the bound γ_K with the inner size K, and README's 256 sampled entries.
 * The other checks (test/bench-rules.test.ts) use a 2 × 2 × 2 product with a symmetric B, where a transposed B or a γ
 * of R instead of K gives the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { checkProduct } from '../bench/matmul.ts';

describe('checkProduct on a 2 × 3 by 3 × 4 product (worked by hand)', () => {
  const s = { R: 2, K: 3, C: 4 };
  // A = [[1, 2, 3], [4, 5, 6]], B = [[1, 0, 2, 1], [0, 1, 1, 2], [3, 1, 0, 1]], row-major.
  const A = Float32Array.of(1, 2, 3, 4, 5, 6);
  const B = Float32Array.of(1, 0, 2, 1, 0, 1, 1, 2, 3, 1, 0, 1);
  // C = A·B: row 0: 1·1 + 2·0 + 3·3 = 10, 0 + 2 + 3 = 5, 2 + 2 + 0 = 4, 1 + 4 + 3 = 8;
  //          row 1: 4 + 0 + 18 = 22, 0 + 5 + 6 = 11, 8 + 5 + 0 = 13, 4 + 10 + 6 = 20.
  // Every term is ≥ 0, so Σ|terms| of an entry is the entry itself.
  const C = [10, 5, 4, 8, 22, 11, 13, 20];
  // K = 3: γ₃ = 3u / (1 − 3u), u = 2⁻²⁴.
  const g3 = (3 * 2 ** -24) / (1 - 3 * 2 ** -24);

  it('the exact product passes with no error, every one of its 8 entries checked', () => {
    expect(checkProduct(s, A, B, C)).toMatchObject({ ok: true, worst: 0, entries: 8 });
  });

  it('a product that read B column-major (a wrong transpose) fails', () => {
    // B's 12 values read as 4 columns of 3: column c is B[3c … 3c + 2]. Row 0 of A against them: 1·1 + 2·0 + 3·2 = 7,
    // 1·1 + 2·0 + 3·1 = 4, 1·1 + 2·2 + 3·3 = 14, 1·1 + 2·0 + 3·1 = 4; row 1: 4 + 0 + 12 = 16, 4 + 0 + 6 = 10,
    // 4 + 10 + 18 = 32, 4 + 0 + 6 = 10.
    expect(checkProduct(s, A, B, [7, 4, 14, 4, 16, 10, 32, 10]).ok).toBe(false);
  });

  it('the bound is γ_K with K = 3 (the inner size), not γ_R: 0.9·γ₃·Σ|terms| passes, 1.1·γ₃·Σ|terms| fails', () => {
    // On the corner C[0][3] = 8 (the corners are always sampled).
    const within = checkProduct(s, A, B, [10, 5, 4, 8 + 0.9 * g3 * 8, 22, 11, 13, 20]);
    expect(within.ok).toBe(true);
    expect(within.worst).toBeCloseTo(0.9, 6);
    expect(within.at).toEqual([0, 3]);
    const past = checkProduct(s, A, B, [10, 5, 4, 8, 22, 11, 13, 20 + 1.1 * g3 * 20]);
    expect(past).toMatchObject({ ok: false, at: [1, 3] });
    expect(past.worst).toBeCloseTo(1.1, 6);
  });
});

describe('checkProduct samples README\'s 256 entries of a larger product', () => {
  it('q-matmul\'s 96 × 80 output: 256 entries checked', () => {
    const s = { R: 96, K: 1, C: 80 };
    // K = 1: C = A·B is the outer product of all-ones: every entry 1, exact.
    expect(checkProduct(s, new Float32Array(96).fill(1), new Float32Array(80).fill(1), new Float32Array(96 * 80).fill(1)))
      .toMatchObject({ ok: true, entries: 256 });
  });
});
