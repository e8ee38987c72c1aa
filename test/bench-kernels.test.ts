/**
 * The CPU kernels' register-blocked loops (src/cpu/kernels.ts `dots`, made for the benchmark, issue 4) give
 * bitwise the results of the plain triple loops they replaced — the loops written here as the reference, one
 * output at a time, summing in ascending order in float64 — for every shape (block remainders included), every
 * activation and bias mode, in float32 and float64. Speed is not tested here (npm run bench measures it).
 */
import { describe, expect, it } from 'vitest';
import { activate, activatePrime, type Arr, backward, biasAt, forward, gradW, scratchFor, softmaxColumns } from '../src/cpu/kernels.ts';
import { mulberry32 } from '../src/init.ts';
import type { Activation, BiasMode } from '../src/spec.ts';
import { ELEMENTWISE } from './lib/activations.ts';

function forwardPlain(W: Arr, b: Arr, biasMode: BiasMode, A_prev: Arr, Z: Arr, A: Arr, M: number, K: number, N: number, activation: Activation): void {
  for (let i = 0; i < M; i++) {
    for (let c = 0; c < N; c++) {
      let sum = 0;
      for (let j = 0; j < K; j++) sum += W[i * K + j] * A_prev[j * N + c];
      const z = sum + biasAt(b, biasMode, i);
      Z[i * N + c] = z;
      if (activation !== 'softmax') A[i * N + c] = activate(activation, z);
    }
  }
  if (activation === 'softmax') softmaxColumns(Z, A, M, N);
}

function backwardPlain(W_next: Arr, delta_next: Arr, A: Arr, delta: Arr, M: number, K: number, N: number, activation: Activation): void {
  for (let j = 0; j < K; j++) {
    for (let c = 0; c < N; c++) {
      let sum = 0;
      for (let i = 0; i < M; i++) sum += W_next[i * K + j] * delta_next[i * N + c];
      delta[j * N + c] = sum * activatePrime(activation, A[j * N + c]);
    }
  }
}

function gradWPlain(delta: Arr, A_prev: Arr, dW: Arr, M: number, K: number, N: number, scale: number): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < K; j++) {
      let sum = 0;
      for (let c = 0; c < N; c++) sum += delta[i * N + c] * A_prev[j * N + c];
      dW[i * K + j] = scale * sum;
    }
  }
}

/** Same bits, −0 and NaN payload included. */
function sameBits(a: Arr, b: Arr): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
  return true;
}

// The spec's activations (test/lib/activations.ts: an activation added there is here too), softmax last.
const ACTS: Activation[] = [...ELEMENTWISE, 'softmax'];
const BIASES: BiasMode[] = ['per-unit', 'shared', 'none'];
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 33];

describe('CPU kernels: register-blocked loops are bitwise the plain loops', () => {
  for (const Ctor of [Float32Array, Float64Array]) {
    it(`forward, backward and gradW on ${SIZES.length}³ shapes (${Ctor.name})`, () => {
      const rand = mulberry32(Ctor === Float32Array ? 4 : 64);
      const fill = (n: number, lo = -1, hi = 1): Arr => {
        const a = new Ctor(n);
        for (let k = 0; k < n; k++) a[k] = lo + (hi - lo) * rand();
        return a;
      };
      let checked = 0;
      for (const M of SIZES) {
        for (const K of SIZES) {
          for (const N of SIZES) {
            const act = ACTS[checked % ACTS.length];
            // Every (activation, bias) pair in turn: the bias moves on once per round of ACTS, whatever their counts.
            const bias = BIASES[Math.floor(checked / ACTS.length) % BIASES.length];
            const scratch = scratchFor(M, K, N, Ctor);
            const W = fill(M * K);
            const b = fill(M);
            const Ap = fill(K * N);
            const [Z1, A1, Z2, A2] = [new Ctor(M * N), new Ctor(M * N), new Ctor(M * N), new Ctor(M * N)];
            forward(W, b, bias, Ap, Z1, A1, M, K, N, act, scratch);
            forwardPlain(W, b, bias, Ap, Z2, A2, M, K, N, act);
            expect(sameBits(Z1, Z2) && sameBits(A1, A2), `forward ${M}×${K}×${N} ${act} ${bias}`).toBe(true);

            const hidden = act === 'softmax' ? 'relu' : act;
            const Ak = fill(K * N, act === 'relu' ? -1 : 0, 1);
            const dn = fill(M * N);
            const [d1, d2] = [new Ctor(K * N), new Ctor(K * N)];
            backward(W, dn, Ak, d1, M, K, N, hidden, scratch);
            backwardPlain(W, dn, Ak, d2, M, K, N, hidden);
            expect(sameBits(d1, d2), `backward ${M}×${K}×${N} ${hidden}`).toBe(true);

            const [g1, g2] = [new Ctor(M * K), new Ctor(M * K)];
            gradW(dn, Ap, g1, M, K, N, 1 / N, scratch);
            gradWPlain(dn, Ap, g2, M, K, N, 1 / N);
            expect(sameBits(g1, g2), `gradW ${M}×${K}×${N}`).toBe(true);
            checked++;
          }
        }
      }
      expect(checked).toBe(SIZES.length ** 3);
    });
  }

  it('without a scratch argument, and on one big layer (784 × 128, batch 64)', () => {
    const rand = mulberry32(9);
    const [M, K, N] = [128, 784, 64];
    const W = Float32Array.from({ length: M * K }, () => rand() - 0.5);
    const Ap = Float32Array.from({ length: K * N }, () => rand());
    const b = Float32Array.from({ length: M }, () => rand() - 0.5);
    const [Z1, A1, Z2, A2] = [new Float32Array(M * N), new Float32Array(M * N), new Float32Array(M * N), new Float32Array(M * N)];
    forward(W, b, 'per-unit', Ap, Z1, A1, M, K, N, 'relu');
    forwardPlain(W, b, 'per-unit', Ap, Z2, A2, M, K, N, 'relu');
    expect(sameBits(Z1, Z2) && sameBits(A1, A2)).toBe(true);
    const [g1, g2] = [new Float32Array(M * K), new Float32Array(M * K)];
    gradW(Z1, Ap, g1, M, K, N, 1 / N);
    gradWPlain(Z1, Ap, g2, M, K, N, 1 / N);
    expect(sameBits(g1, g2)).toBe(true);
  });
});
