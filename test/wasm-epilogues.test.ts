/**
 * The wasm step's elementwise kernels (src/wasm/kernels.ts: the forward epilogue, the backward epilogue, dW's scale,
 * SGD) against their formulas written here in float64, bitwise: relu and identity run four neighbours at a time in
 * float32 SIMD and scale and SGD two at a time in float64 SIMD (SIMD_EXACT), with the row's or range's remainder one
 * by one — so every length from 1 to 11 and every start from 0 to 3 is run, on values that bite (±0, a sum that
 * rounds, denormals, overflow to ±∞, NaN).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/init.ts';
import { type Code, Func, ModuleBuilder, call, get } from '../src/wasm/emit.ts';
import { type KernelOptions, Kernels } from '../src/wasm/kernels.ts';
import { wasmBackend } from './lib/wasm-checks.ts';

afterAll(async () => (await wasmBackend()).dispose());

interface Ops {
  forward_relu(Z: number, A: number, b: number, bstride: number, r0: number, r1: number, N: number): void;
  forward_identity(Z: number, A: number, b: number, bstride: number, r0: number, r1: number, N: number): void;
  forward_tanh(Z: number, A: number, b: number, bstride: number, r0: number, r1: number, N: number): void;
  backward_relu(delta: number, A: number, k0: number, k1: number): void;
  scale(dW: number, k0: number, k1: number, scale: number): void;
  sgd(p: number, dW: number, k0: number, k1: number, lr: number): void;
}

/** Each kernel behind an exported function of its own name that passes its parameters on. */
function module(o: KernelOptions & { shared: boolean; maxPages: number }): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory(1, o.maxPages, o.shared);
  const k = new Kernels(m, o);
  const kernels: [string, Func][] = [
    ['forward_relu', k.forwardEpilogue('relu')], ['forward_identity', k.forwardEpilogue('identity')], ['forward_tanh', k.forwardEpilogue('tanh')],
    ['backward_relu', k.backwardEpilogue('relu')], ['scale', k.scale], ['sgd', k.sgd],
  ];
  for (const [name, kernel] of kernels) {
    const f = m.func(name, kernel.params, [], true);
    f.body = call(kernel, ...kernel.params.map((_, i): Code => get(i)));
  }
  return m.bytes();
}

const SIZE = 64;
// Values that bite, then random ones of many magnitudes.
const special = [0, -0, 1, 2 ** -24, -1, 1.5 * 2 ** -24, 1e-40, -1e-40, 2 ** -149, -(2 ** -149), 3e38, -3e38, 3.3e38, NaN, Infinity, -Infinity];
const valuesFor = (seed: number): Float32Array => {
  const r = mulberry32(seed);
  return Float32Array.from({ length: SIZE }, (_, k) => (k % 3 === 0 ? special[(k / 3 + seed) % special.length] : (r() - 0.5) * 10 ** Math.floor(r() * 10 - 5)));
};
/** The same float32 bits, or both NaN (a NaN's payload is the engine's). */
const sameBits = (a: Float32Array, b: Float32Array): string[] => {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const bad: string[] = [];
  for (let k = 0; k < a.length; k++) {
    if (Number.isNaN(a[k]) && Number.isNaN(b[k])) continue;
    if (ua[k] !== ub[k]) bad.push(`[${k}] ${Object.is(a[k], -0) ? '-0' : a[k]} ≠ ${Object.is(b[k], -0) ? '-0' : b[k]}`);
  }
  return bad;
};

async function setup() {
  const backend = await wasmBackend();
  const ops = backend.instantiate(module) as unknown as Ops;
  const r = backend.reserve(4 * (SIZE * 4 + 16), 'test arrays');
  const at = (q: number): number => r.at + q * (SIZE * 4 + 16);
  const view = (q: number): Float32Array => new Float32Array(backend.memory.buffer, at(q), SIZE);
  return { ops, at, view, done: () => backend.release(r.id) };
}

describe('the elementwise kernels equal their float64 formulas bitwise (SIMD_EXACT)', () => {
  // Rows r0 … r1 − 1 of N columns: z = fround(Z + b_i), A = f(z); every row's length N = 1 … 11 (0 to 2 quads and 0 to 3 left).
  it.each([['relu', (z: number) => (z > 0 ? z : 0)], ['identity', (z: number) => z], ['tanh', (z: number) => Math.tanh(Math.min(Math.max(z, -15), 15))]] as const)(
    'forward epilogue %s: N = 1 … 11, rows 1 … 2 of 4, per-unit and shared bias, z = −0',
    async (activation, f) => {
      const { ops, at, view, done } = await setup();
      const bad: string[] = [];
      try {
        for (let N = 1; N <= 11; N++) for (const [bstride, negZero] of [[1, false], [0, false], [1, true]] as const) {
          const Z = valuesFor(N * 2 + bstride).subarray(0, 4 * N);
          const b = valuesFor(100 + N).subarray(0, 4);
          // z = −0 (Z = −0 and b = −0, the only float32 sum that is −0) in every other element: relu +0, identity −0.
          if (negZero) { b.fill(-0); Z.forEach((_, k) => { if (k % 2 === 0) Z[k] = -0; }); }
          view(0).set(Z); view(1).fill(7); view(2).set(b);
          ops[`forward_${activation}`](at(0), at(1), at(2), bstride, 1, 3, N);
          const wantZ = Float32Array.from(Z);
          const wantA = new Float32Array(4 * N).fill(7);
          for (let i = 1; i < 3; i++) for (let c = 0; c < N; c++) {
            const z = Z[i * N + c] + b[i * bstride];
            wantZ[i * N + c] = z;
            wantA[i * N + c] = f(z);
          }
          for (const [what, got, want] of [['Z', view(0).subarray(0, 4 * N), wantZ], ['A', view(1).subarray(0, 4 * N), wantA]] as const) {
            bad.push(...sameBits(got, want).map((s) => `N ${N} bstride ${bstride}${negZero ? ' b −0' : ''} ${what}${s}`));
          }
        }
      } finally {
        done();
      }
      expect(bad).toEqual([]);
    },
  );

  // Ranges [k0, k1) for k0 = 0 … 3 and k1 − k0 = 0 … 11: the SIMD loop's quads start anywhere, the remainder one by one.
  const ranges = Array.from({ length: 4 }, (_, k0) => Array.from({ length: 12 }, (_, len) => [k0, k0 + len] as const)).flat();

  it('backward epilogue relu: delta · (1 where A > 0, else 0)', async () => {
    const { ops, at, view, done } = await setup();
    const bad: string[] = [];
    try {
      for (const [k0, k1] of ranges) {
        const delta = valuesFor(k0 * 31 + k1);
        const A = valuesFor(k1 * 17 + k0 + 1);
        view(0).set(delta); view(1).set(A);
        ops.backward_relu(at(0), at(1), k0, k1);
        const want = Float32Array.from(delta, (d, k) => (k >= k0 && k < k1 ? d * (A[k] > 0 ? 1 : 0) : d));
        bad.push(...sameBits(view(0), want).map((s) => `[${k0}, ${k1}) delta${s}`));
      }
    } finally {
      done();
    }
    expect(bad).toEqual([]);
  });

  it('scale: dW · scale (1/256, 1/200, 1/3)', async () => {
    const { ops, at, view, done } = await setup();
    const bad: string[] = [];
    try {
      for (const s of [1 / 256, 1 / 200, 1 / 3]) for (const [k0, k1] of ranges) {
        const dW = valuesFor(k0 * 13 + k1 + 7);
        view(0).set(dW);
        ops.scale(at(0), k0, k1, s);
        const want = Float32Array.from(dW, (d, k) => (k >= k0 && k < k1 ? s * d : d));
        bad.push(...sameBits(view(0), want).map((x) => `scale ${s} [${k0}, ${k1}) dW${x}`));
      }
    } finally {
      done();
    }
    expect(bad).toEqual([]);
  });

  it('sgd: p − lr · dW (lr 0.1, 1e-3, 0.3)', async () => {
    const { ops, at, view, done } = await setup();
    const bad: string[] = [];
    try {
      for (const lr of [0.1, 1e-3, 0.3]) for (const [k0, k1] of ranges) {
        const p = valuesFor(k0 * 5 + k1 + 11);
        const dW = valuesFor(k1 * 3 + k0 + 13);
        view(0).set(p); view(1).set(dW);
        ops.sgd(at(0), at(1), k0, k1, lr);
        const want = Float32Array.from(p, (w, k) => (k >= k0 && k < k1 ? w - lr * dW[k] : w));
        bad.push(...sameBits(view(0), want).map((x) => `lr ${lr} [${k0}, ${k1}) p${x}`));
      }
    } finally {
      done();
    }
    expect(bad).toEqual([]);
  });
});
