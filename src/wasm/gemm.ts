/**
 * The packed GEMM of the wasm kernels (./kernels.ts's Kernels extends GemmKernels), written with ./emit.ts.
 * Addresses are byte offsets into the one linear memory; sizes are in elements.
 *
 * The three matmul-shaped kernels (forward, backward, gradW) are one packed GEMM, in shaders/matmul.wgsl's names:
 * out (R × C) = lhs (R × K) · rhs (K × C), summed over k < K:
 *   pack_lhs  the operand whose rows are out's rows, in strips of MR rows: strip[k·MR + r] = lhs[i0 + r][k]
 *   pack_rhs  the operand whose columns are out's columns, in panels of NR = 4·NV columns: panel[k·NR + j] = rhs[k][j0 + j]
 *   micro     one MR × NR block of out in MR·NV f32x4 accumulators (registers): for k ascending, acc += splat(lhs)·rhs
 *   gemm      every block of a range of out's rows (a thread's share), panels in cache-sized groups, K in blocks of KC
 * Either operand may be read transposed (strides rs, cs), so no kernel transposes a matrix first. Padding
 * rows and columns are zeros, and every output's sum runs over k = 0, 1, …, K−1 in one f32 accumulator with the
 * same instruction whichever block it falls in — so a result does not depend on how rows are split between
 * threads (bitwise). NOTE: the sum is float32 (the oracle sums in float64): the same reordering of float32
 * products the WebGPU kernels make, within test/lib/tolerance.ts's dot-product bound.
 */
import {
  type Code, Func, ModuleBuilder, block, br, brIf, call, f32, f32At, f32t, f32x4, forRange, forSteps, get, i32, i32c, i32t,
  ifThen, loop, ret, select, seq, set, v128, v128t,
} from './emit.ts';

/**
 * The micro block: MR rows (broadcast from the packed lhs strip) × NV f32x4 vectors (NR = 4·NV columns), MR·NV
 * accumulators + NV + 1 registers (+ 1 for the product without FMA). V8 on x64 leaves 15 xmm registers.
 */
export interface Tiling {
  readonly MR: number;
  readonly NV: number;
  /**
   * K block: full blocks of out sum KC terms of k at a time (the strip's MR × KC and the panel's KC × NR floats stay in
   * L1), their accumulators stored to out and loaded back for the next block — exact (an f32 store and load change
   * nothing), so every output is still one f32 sum over k ascending. 0: no K blocking.
   */
  readonly KC: number;
}

/**
 * Measured (config d, one thread, CPU time, Node 20 V8, mul + add): 4×2 23 GFLOP/s, 4×3 19, 5×2 18, 6×2 19.5.
 * 2026-12-02 (src/node/wasm-profile.ts-style runs, load 8–12 on 2 cores): 4×2 stays best in Chromium too (4×3 spills:
 * ~10 GFLOP/s); KC 256 against none showed no difference beyond the noise at K = 1024; it keeps a strip's and a
 * panel's K block in L1 (4 + 8 KiB) whatever K is (config f: K = 4096, a whole panel is 128 KiB).
 */
export const TILING: Tiling = Object.freeze({ MR: 4, NV: 2, KC: 256 });
/**
 * The tiling where a multiply-add is one instruction (relaxed SIMD's f32x4.relaxed_madd, Chromium): 6 × 2 is
 * 12 accumulators + 2 rhs vectors + 1 splat = 15 registers, all V8 leaves, with no product register to spill (with
 * mul + add, Node, it needs a 16th: 19.5 against 4 × 2's 23 GFLOP/s above), and 12 multiply-adds for every 8 loads
 * against 4 × 2's 8 for 6. NOTE measured 2026-12-05 21:45–21:50 UTC in Chromium, one thread, each GEMM of the profile
 * (`src/wasm/profile.ts` with `tiling`, the best of 2–3 rounds, load ~1.5): config d's 1024³ products 66–70 against
 * 62–64 GFLOP/s (5 × 2 60–62, 3 × 3 65–66), the whole d step 163 against 178 ms, c's 4.8 against 5.1 ms, e's 0.8
 * against 0.9 ms. The tiling changes no result: every output is the same f32 sum over k ascending (above).
 */
export const RELAXED_TILING: Tiling = Object.freeze({ MR: 6, NV: 2, KC: 256 });

/** The tiling of a backend whose multiply-add is `simd`'s: RELAXED_TILING with relaxed SIMD, else TILING. */
export function tilingFor(simd: 'relaxed' | 'simd'): Tiling {
  return simd === 'relaxed' ? RELAXED_TILING : TILING;
}
/** Floats of packed B one group of panels may take (kept in L2 while every strip of A passes over it). */
const B_BLOCK_FLOATS = 96 * 1024;

/** What the GEMM is built with: ./kernels.ts's KernelOptions adds the barrier's. */
export interface GemmOptions {
  /** f32x4.relaxed_madd (the engine has relaxed SIMD) or f32x4.mul + f32x4.add. */
  relaxed: boolean;
  tiling: Tiling;
}

/** f32.const 0 — pack's padding. */
const F32_ZERO: Code = [0x43, 0, 0, 0, 0];

const typedIfF32 = (cond: Code, then: Code, otherwise: Code): Code => [...cond, 0x04, f32t, ...then, 0x05, ...otherwise, 0x0b];

/**
 * transpose4(r, t): the four f32x4 locals r = rows [a0 a1 a2 a3], [b0 …], [c0 …], [d0 …] become the columns
 * [a0 b0 c0 d0], [a1 b1 c1 d1], [a2 …], [a3 …], through the temporaries t: pairs of rows interleaved
 * (t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3), then their halves joined.
 */
export function transpose4(r: number[], t: number[]): Code {
  const lo: [number, number, number, number] = [0, 4, 1, 5], hi: [number, number, number, number] = [2, 6, 3, 7];
  const first: [number, number, number, number] = [0, 1, 4, 5], second: [number, number, number, number] = [2, 3, 6, 7];
  return seq(
    set(t[0], v128.shuffle32(get(r[0]), get(r[1]), lo)), set(t[1], v128.shuffle32(get(r[0]), get(r[1]), hi)),
    set(t[2], v128.shuffle32(get(r[2]), get(r[3]), lo)), set(t[3], v128.shuffle32(get(r[2]), get(r[3]), hi)),
    set(r[0], v128.shuffle32(get(t[0]), get(t[2]), first)), set(r[1], v128.shuffle32(get(t[0]), get(t[2]), second)),
    set(r[2], v128.shuffle32(get(t[1]), get(t[3]), first)), set(r[3], v128.shuffle32(get(t[1]), get(t[3]), second)),
  );
}

/**
 * The GEMM's kernels of one module (pack_lhs, pack_rhs, micro, gemm), each declared on first use. ./kernels.ts's
 * Kernels extends it with the rest, so a module's functions are declared in the order its program first uses them.
 */
export class GemmKernels {
  private readonly made = new Map<string, Func>();
  readonly MR: number;
  readonly NV: number;
  readonly NR: number;

  constructor(readonly m: ModuleBuilder, readonly options: GemmOptions) {
    this.MR = options.tiling.MR;
    this.NV = options.tiling.NV;
    this.NR = 4 * this.NV;
  }

  /** The kernel `key`, made (and so declared in the module) the first time it is asked for. */
  protected once(key: string, make: () => Func): Func {
    let fn = this.made.get(key);
    if (!fn) {
      fn = make();
      this.made.set(key, fn);
    }
    return fn;
  }

  /**
   * The one strip packer, the body of pack_lhs and pack_rhs (the same loops with the strides swapped): for each
   * group of `width` lines (rows of lhs, columns of rhs) first = from, from + width, … < to, lines at or past `limit`
   * zeros, and each k < K, the `width` elements of those lines at k, written in order (k, then the group's lines).
   * `origin` is the element index in src of line `first` at k, `along` the local holding the stride between lines,
   * `kstep` the one holding the stride between k and k + 1.
   * A whole group (no zeros) goes four lanes at a time where a stride is 1: lines side by side (`along` 1: a k's
   * `width` elements are neighbours, copied as they are) or k side by side (`kstep` 1: four k of four lines loaded,
   * transposed (transpose4) and stored as four k's of those lines; the last K mod 4 one by one). A copy: the packed
   * operands are the same bits either way (NOTE: one by one, config c's packs took 0.43 of a 5.5 ms step on 1 thread).
   */
  private stripPacker(fn: Func, o: {
    dst: number; src: number; first: number; line: number; k: number; real: number; sp: number;
    width: number; from: Code; to: Code; limit: Code; K: Code; origin: Code; along: number; kstep: number;
  }): Code {
    const w = o.width;
    const rv = [0, 1, 2, 3].map(() => fn.local(v128t)), tv = [0, 1, 2, 3].map(() => fn.local(v128t));
    const quads = fn.local(i32t);
    // Whole quads of lines go four lanes at a time; the last w mod 4 lines (MR = 6 or 5: 2 or 1) one float at a time.
    const groups = Array.from({ length: Math.floor(w / 4) }, (_, g) => g);
    const rest = Array.from({ length: w % 4 }, (_, r) => 4 * groups.length + r);
    const atK = set(o.sp, i32.add(get(o.src), i32.shl(o.origin, i32c(2))));
    const next = (ks: number): Code => set(o.dst, i32.add(get(o.dst), i32c(ks * w * 4)));
    const oneByOne = seq(
      atK,
      forRange(o.line, i32c(0), i32c(w), seq(
        f32.store(f32At(o.dst, o.line), typedIfF32(i32.lt_s(get(o.line), get(o.real)),
          f32.load(i32.add(get(o.sp), i32.shl(i32.mul(get(o.line), get(o.along)), i32c(2)))), F32_ZERO)),
      )),
      next(1),
    );
    const linesSideBySide = seq(
      atK,
      ...groups.map((g) => v128.store(get(o.dst), v128.load(get(o.sp), 16 * g), 16 * g)),
      ...rest.map((line) => f32.store(get(o.dst), f32.load(get(o.sp), 4 * line), 4 * line)),
      next(1),
    );
    const lineAt = (line: number): Code => i32.add(get(o.sp), i32.shl(i32.mul(i32c(line), get(o.along)), i32c(2)));
    const kSideBySide = seq(
      atK,
      ...groups.map((g) => seq(
        ...rv.map((r, q) => set(r, v128.load(lineAt(4 * g + q)))),
        transpose4(rv, tv),
        ...rv.map((r, q) => v128.store(get(o.dst), get(r), 4 * (q * w + 4 * g))),
      )),
      // line `line` at k + q (kstep 1: the next float) to its place in k + q's row of the strip
      ...rest.flatMap((line) => [0, 1, 2, 3].map((q) => f32.store(get(o.dst), f32.load(lineAt(line), 4 * q), 4 * (q * w + line)))),
      next(4),
    );
    return forRange(o.first, o.from, o.to, seq(
      // real = min(width, limit − first): the group's real lines; the rest are zeros.
      set(o.real, i32.sub(o.limit, get(o.first))),
      ifThen(i32.gt_s(get(o.real), i32c(w)), set(o.real, i32c(w))),
      ifThen(i32.eq(get(o.real), i32c(w)),
        ifThen(i32.eq(get(o.along), i32c(1)),
          forRange(o.k, i32c(0), o.K, linesSideBySide),
          ifThen(i32.eq(get(o.kstep), i32c(1)),
            forSteps(o.k, quads, i32c(0), o.K, 4, kSideBySide, oneByOne),
            forRange(o.k, i32c(0), o.K, oneByOne))),
        forRange(o.k, i32c(0), o.K, oneByOne)),
    ), w);
  }

  /**
   * pack_lhs(dst, src, rs, cs, r0, r1, R, K): the strips of rows r0 … r1−1 (r0 a multiple of MR) of lhs, where
   * lhs[i][k] = src[i·rs + k·cs]; rows at or past R are zeros. Writes run in order (k, then the strip's MR rows):
   * NOTE: reading a column of a row-major matrix (the backward's Wᵀ: cs = W's row length) down its rows strides 4 KiB
   * at 1024 columns, all in one L1 set; this order reads MR neighbours at a time instead.
   */
  get packLhs(): Func {
    return this.once('pack_lhs', () => {
      const fn = this.m.func('pack_lhs', [i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t], []);
      const [dst, src, rs, cs, r0, r1, R, K] = [0, 1, 2, 3, 4, 5, 6, 7];
      const i0 = fn.local(i32t), r = fn.local(i32t), k = fn.local(i32t), rows = fn.local(i32t), sp = fn.local(i32t);
      fn.body = this.stripPacker(fn, {
        dst, src, first: i0, line: r, k, real: rows, sp, width: this.MR, from: get(r0), to: get(r1), limit: get(R), K: get(K),
        origin: i32.add(i32.mul(get(i0), get(rs)), i32.mul(get(k), get(cs))), along: rs, kstep: cs,
      });
      return fn;
    });
  }

  /**
   * pack_rhs(dst, src, rs, cs, K, C): every panel of this.NR columns of rhs, rhs[k][j] = src[k·rs + j·cs], panel after
   * panel (each K × this.NR, written in order); columns at or past C are zeros.
   */
  get packRhs(): Func {
    return this.once('pack_rhs', () => {
      const fn = this.m.func('pack_rhs', [i32t, i32t, i32t, i32t, i32t, i32t], []);
      const [dst, src, rs, cs, K, C] = [0, 1, 2, 3, 4, 5];
      const j0 = fn.local(i32t), k = fn.local(i32t), jj = fn.local(i32t), cols = fn.local(i32t), sp = fn.local(i32t);
      fn.body = this.stripPacker(fn, {
        dst, src, first: j0, line: jj, k, real: cols, sp, width: this.NR, from: i32c(0), to: get(C), limit: get(C), K: get(K),
        origin: i32.add(i32.mul(get(k), get(rs)), i32.mul(get(j0), get(cs))), along: cs, kstep: rs,
      });
      return fn;
    });
  }

  /**
   * micro(lhs, rhs, K, out, ldc, rows, cols, tile, more): out[0:rows][0:cols] (row stride ldc) = Σ_k lhs-strip ⊗
   * rhs-panel, plus out's own values when `more` (a full block's later K blocks).
   * A full block is stored straight from the accumulators; an edge block goes through `tile` (MR × NR floats).
   */
  get micro(): Func {
    return this.once('micro', () => {
      const fn = this.m.func('micro', [i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t], []);
      const [lhs, rhs, K, out, ldc, rows, cols, tile, more] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
      const acc = Array.from({ length: this.MR }, () => Array.from({ length: this.NV }, () => fn.local(v128t)));
      const rv = Array.from({ length: this.NV }, () => fn.local(v128t));
      const s = fn.local(v128t);
      const left = fn.local(i32t), r = fn.local(i32t), q = fn.local(i32t), row = fn.local(i32t);
      const madd = (x: Code, y: Code, z: Code): Code => (this.options.relaxed ? f32x4.relaxedMadd(x, y, z) : f32x4.add(f32x4.mul(x, y), z));
      const step: Code[] = [];
      for (let v = 0; v < this.NV; v++) step.push(set(rv[v], v128.load(get(rhs), v * 16)));
      for (let rr = 0; rr < this.MR; rr++) {
        step.push(set(s, v128.load32Splat(get(lhs), rr * 4)));
        for (let v = 0; v < this.NV; v++) step.push(set(acc[rr][v], madd(get(s), get(rv[v]), get(acc[rr][v]))));
      }
      const storeTo = (base: Code, stride: Code): Code => seq(...acc.flatMap((accR, rr) => accR.map((x, v) =>
        v128.store(i32.add(base, i32.mul(i32c(rr * 4), stride)), get(x), v * 16))));
      fn.body = seq(
        // A full block's later K blocks go on from the sums stored in out (`more`); every other call starts at 0.
        ifThen(get(more),
          seq(...acc.flatMap((accR, rr) => accR.map((x, v) => set(x, v128.load(i32.add(get(out), i32.mul(i32c(rr * 4), get(ldc))), v * 16))))),
          seq(...acc.flat().map((x) => set(x, v128.zero())))),
        set(left, get(K)), // the terms still to add (K ≥ 1)
        loop(
          ...step,
          set(lhs, i32.add(get(lhs), i32c(this.MR * 4))),
          set(rhs, i32.add(get(rhs), i32c(this.NR * 4))),
          set(left, i32.sub(get(left), i32c(1))),
          brIf(0, get(left)),
        ),
        ifThen(i32.and(i32.eq(get(rows), i32c(this.MR)), i32.eq(get(cols), i32c(this.NR))),
          seq(storeTo(get(out), get(ldc)), ret)),
        storeTo(get(tile), i32c(this.NR)),
        forRange(r, i32c(0), get(rows), seq(
          set(row, i32.add(get(out), i32.mul(i32.mul(get(r), get(ldc)), i32c(4)))),
          forRange(q, i32c(0), get(cols), f32.store(
            i32.add(get(row), i32.mul(get(q), i32c(4))),
            f32.load(i32.add(get(tile), i32.mul(i32.add(i32.mul(get(r), i32c(this.NR)), get(q)), i32c(4)))))),
        )),
      );
      return fn;
    });
  }

  /**
   * gemm(lhs, rhs, out, ldc, r0, r1, R, C, K, tile): rows r0 … r1−1 of out (R × C, row stride ldc) from the packed
   * strips `lhs` (of those rows) and panels `rhs`. Panels go in groups that fit in L2; each strip passes over a group.
   */
  get gemm(): Func {
    return this.once('gemm', () => {
      const fn = this.m.func('gemm', [i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t], []);
      const [lhs, rhs, out, ldc, r0, r1, R, C, K, tile] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const panels = fn.local(i32t), group = fn.local(i32t), g0 = fn.local(i32t), g1 = fn.local(i32t);
      const i0 = fn.local(i32t), lhsAt = fn.local(i32t), j = fn.local(i32t), k0 = fn.local(i32t), kc = fn.local(i32t), kn = fn.local(i32t);
      const rows = fn.local(i32t), cols = fn.local(i32t), outAt = fn.local(i32t);
      const min = (x: Code, y: Code): Code => select(x, y, i32.lt_s(x, y));
      const panel = (k: Code): Code => i32.add(get(rhs), i32.mul(i32.add(i32.mul(get(j), get(K)), k), i32c(this.NR * 4)));
      // Groups of `group` panels (g0 = 0, group, 2·group, …), then K blocks (k0 = 0, kc, 2·kc, …): while loops.
      fn.body = seq(
        set(kc, this.options.tiling.KC > 0 ? min(i32c(this.options.tiling.KC), get(K)) : get(K)),
        set(panels, i32.div_u(i32.add(get(C), i32c(this.NR - 1)), i32c(this.NR))),
        set(group, i32.div_u(i32c(B_BLOCK_FLOATS), i32.mul(get(kc), i32c(this.NR)))),
        ifThen(i32.eqz(get(group)), set(group, i32c(1))),
        set(g0, i32c(0)),
        block(loop(
          brIf(1, i32.ge_s(get(g0), get(panels))),
          set(g1, min(i32.add(get(g0), get(group)), get(panels))),
          set(k0, i32c(0)),
          block(loop(
            brIf(1, i32.ge_s(get(k0), get(K))),
            set(kn, min(get(kc), i32.sub(get(K), get(k0)))),
            set(lhsAt, get(lhs)),
            forRange(i0, get(r0), get(r1), seq(
              set(rows, min(i32c(this.MR), i32.sub(get(R), get(i0)))),
              forRange(j, get(g0), get(g1), seq(
                set(cols, min(i32c(this.NR), i32.sub(get(C), i32.mul(get(j), i32c(this.NR))))),
                set(outAt, i32.add(get(out), i32.mul(i32.add(i32.mul(get(i0), get(ldc)), i32.mul(get(j), i32c(this.NR))), i32c(4)))),
                ifThen(i32.and(i32.eq(get(rows), i32c(this.MR)), i32.eq(get(cols), i32c(this.NR))),
                  // A full block: this K block's terms, on from the sums in out after the first.
                  call(this.micro, i32.add(get(lhsAt), i32.mul(get(k0), i32c(this.MR * 4))), panel(get(k0)), get(kn), get(outAt), get(ldc),
                    get(rows), get(cols), get(tile), i32.gt_s(get(k0), i32c(0))),
                  // An edge block: all K terms at once, in the first K block's pass.
                  ifThen(i32.eqz(get(k0)),
                    call(this.micro, get(lhsAt), panel(i32c(0)), get(K), get(outAt), get(ldc), get(rows), get(cols), get(tile), i32c(0)))),
              )),
              set(lhsAt, i32.add(get(lhsAt), i32.mul(get(K), i32c(this.MR * 4)))),
            ), this.MR),
            set(k0, i32.add(get(k0), get(kn))),
            br(0),
          )),
          set(g0, get(g1)),
          br(0),
        )),
      );
      return fn;
    });
  }
}
