/**
 * The GEMM's packers (src/wasm/gemm.ts pack_lhs, pack_rhs) against their definitions, bitwise: a copy of the operand
 * into strips (MR rows) and panels (NR columns), k by k, lines past the operand's end zeros, nothing written past the
 * last strip or panel. Every stride kind the packer tells apart — k side by side, lines side by side, both strides 1,
 * neither 1 (no net's GEMM reads an operand that way, so test/wasm.test.ts and wasm-edges never take that path) — and
 * K 1 … 13 (the four-at-a-time paths' remainders), whole and partial groups. NOTE: through a net neither the padding nor the
 * neither-1 path shows (padding only meets outputs that are never stored), so this is where they are checked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type Code, Func, ModuleBuilder, call, get } from '../src/wasm/emit.ts';
import { RELAXED_TILING, TILING, type Tiling } from '../src/wasm/gemm.ts';
import { Kernels } from '../src/wasm/kernels.ts';
import { wasmBackend } from './lib/wasm-checks.ts';

afterAll(async () => (await wasmBackend()).dispose());

interface Ops {
  pack_lhs(dst: number, src: number, rs: number, cs: number, r0: number, r1: number, R: number, K: number): void;
  pack_rhs(dst: number, src: number, rs: number, cs: number, K: number, C: number): void;
}

const SRC = 1024;
const DST = 1024;
const SENTINEL = 0x7fc0beef; // a NaN's bits: any write over it shows

async function setup(tiling: Tiling) {
  const backend = await wasmBackend();
  const ops = backend.instantiate((o) => {
    const m = new ModuleBuilder();
    m.importMemory(1, o.maxPages, o.shared);
    const k = new Kernels(m, { ...o, tiling });
    for (const [name, kernel] of [['pack_lhs', k.packLhs], ['pack_rhs', k.packRhs]] as [string, Func][]) {
      const f = m.func(name, kernel.params, [], true);
      f.body = call(kernel, ...kernel.params.map((_, i): Code => get(i)));
    }
    return m.bytes();
  }) as unknown as Ops;
  const r = backend.reserve(4 * (SRC + DST), 'test arrays');
  const src = new Float32Array(backend.memory.buffer, r.at, SRC);
  // Distinct values, −0 and denormals among them: a copy keeps every bit.
  src.forEach((_, i) => { src[i] = i % 7 === 3 ? -0 : i % 11 === 5 ? (i + 1) * 2 ** -149 : (i + 1) * (i % 2 ? -0.375 : 1.25); });
  const dst = new Uint32Array(backend.memory.buffer, r.at + 4 * SRC, DST);
  const bits = new Uint32Array(src.buffer, src.byteOffset, SRC);
  return { ops, src: r.at, dst: r.at + 4 * SRC, out: dst, bits, done: () => backend.release(r.id) };
}

/**
 * The strides of `lines` lines of K values, line l's value k at l·along + k·kstep, of each kind the packer tells apart
 * (gemm.ts's stripPacker): k side by side (kstep 1), lines side by side (along 1), both 1, neither 1.
 */
const strides = (lines: number, K: number): [string, number, number][] => [
  ['k side by side', K, 1], ['lines side by side', 1, lines], ['both 1', 1, 1], ['neither 1', 2 * K + 1, 3],
];
const Ks = [1, 2, 3, 4, 5, 7, 8, 9, 13];

/** What `got` holds against `want` (bits), and that the word after it was not written. */
function compare(what: string, got: Uint32Array, want: number[]): string[] {
  const bad: string[] = [];
  want.forEach((w, q) => { if (got[q] !== w) bad.push(`${what} [${q}] ${got[q]!.toString(16)} ≠ ${w.toString(16)}`); });
  if (got[want.length] !== SENTINEL) bad.push(`${what}: written past the end`);
  return bad.slice(0, 3);
}

// The tiling without relaxed SIMD (4 × 2), with it (6 × 2: strips of 6 rows, four of them four at a time, two one by
// one), and 5 × 1 (NR 4: one quad of columns; one row past the quad).
const TILINGS: Tiling[] = [TILING, RELAXED_TILING, { MR: 5, NV: 1, KC: 7 }];

describe.each(TILINGS)('the packers copy their operand bitwise (src/wasm/gemm.ts), tiling %o', (tiling) => {
  const MR = tiling.MR;
  const NR = 4 * tiling.NV;
  it('pack_lhs: strips of MR rows, rows at or past R zeros, for every stride kind, K and thread share', async () => {
    const { ops, src, dst, out, bits, done } = await setup(tiling);
    const bad: string[] = [];
    try {
      // lhs is R × K, element [i][k] at i·rs + k·cs: its lines are rows (along rs), k along cs.
      for (const K of Ks) for (const R of [1, 3, 4, 5, 8, 9, 13]) for (const [kind, rs, cs] of strides(R, K)) {
        const end = Math.ceil(R / MR) * MR;
        // Every share a thread may get: all the rows, from the second strip, and the first strip alone.
        for (const [r0, r1] of [[0, end], [MR, end], [0, MR]]) {
          if (r0 >= r1) continue;
          out.fill(SENTINEL);
          ops.pack_lhs(dst, src, rs, cs, r0, r1, R, K);
          const want: number[] = [];
          for (let i0 = r0; i0 < r1; i0 += MR) for (let k = 0; k < K; k++) for (let r = 0; r < MR; r++) want.push(i0 + r < R ? bits[(i0 + r) * rs + k * cs]! : 0);
          bad.push(...compare(`${kind} (rs ${rs}, cs ${cs}) R ${R} K ${K} rows ${r0}…${r1 - 1}`, out, want));
        }
      }
    } finally {
      done();
    }
    expect(bad).toEqual([]);
  });

  it('pack_rhs: panels of NR columns, columns at or past C zeros, for every stride kind and K', async () => {
    const { ops, src, dst, out, bits, done } = await setup(tiling);
    const bad: string[] = [];
    try {
      // rhs is K × C, element [k][j] at k·rs + j·cs: its lines are columns (along cs), k along rs.
      for (const K of Ks) for (const C of [1, 3, 4, 7, 8, 9, 16, 17]) for (const [kind, cs, rs] of strides(C, K)) {
        out.fill(SENTINEL);
        ops.pack_rhs(dst, src, rs, cs, K, C);
        const want: number[] = [];
        for (let j0 = 0; j0 < C; j0 += NR) for (let k = 0; k < K; k++) for (let j = 0; j < NR; j++) want.push(j0 + j < C ? bits[k * rs + (j0 + j) * cs]! : 0);
        bad.push(...compare(`${kind} (rs ${rs}, cs ${cs}) C ${C} K ${K}`, out, want));
      }
    } finally {
      done();
    }
    expect(bad).toEqual([]);
  });
});
