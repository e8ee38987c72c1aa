/**
 * The wasm kernels, written with ./emit.ts. Read each beside its CPU twin in src/cpu/kernels.ts (same names:
 * W, b, Z, A, delta, dW, db). Addresses are byte offsets into the one linear memory; sizes are in elements.
 *
 * The three matmul-shaped kernels (forward, backward, gradW) are one packed GEMM (pack_lhs, pack_rhs, micro,
 * gemm): ./gemm.ts, whose GemmKernels this file's Kernels extends.
 *
 * The epilogues and the elementwise kernels compute in float64 from the float32 values, with the host's
 * Math.exp / Math.log / Math.tanh (imported), exactly as the oracle does — so they add no difference of their own.
 *
 * SIMD_EXACT — NOTE: relu and identity's epilogues run four neighbours at once in float32 (f32x4) and give the
 * float64 path's bits: z = sum + b rounded once to float32 is the float64 sum rounded to float32 (53 ≥ 2·24 + 2 bits,
 * so rounding twice is innocuous for + and ·), the sum of two float32s is 0 only where it is exactly 0 (so z > 0 is
 * the same test on either), and relu, relu' only choose between z, +0 and 1 (delta · 1 and delta · +0 are exact,
 * the sign of a 0 and a NaN kept). relu's scalar f64 select is a branch on x64 (V8), mispredicted on about half of
 * a ReLU layer's z: config c's four epilogues took 0.64 ms of the profile's 6.2 ms softmax-CE step (1 thread).
 */
import { type Activation, LEAKY_SLOPE, type Loss } from '../spec.ts';
import {
  type Code, Func, ModuleBuilder, call, f32, f32At, f32x4, f64, f64c, f64t, f64x2, forRange, forSteps, get, i32, i32c, i32t, ifThen, select, seq,
  set, v128, v128t,
} from './emit.ts';
import { type BarrierOptions, barrierFunc } from './barrier.ts';
import { type GemmOptions, GemmKernels, transpose4 } from './gemm.ts';

/** Examples gathered side by side (gather): 16 f32 are one 64-byte cache line of the batch's rows. */
const GATHER_BLOCK = 16;

/** NOTE: tanh is evaluated on z clamped to [−15, 15], as the oracle does (TANH_CLAMP in src/cpu/kernels.ts). */
const TANH_CLAMP = 15;

/**
 * The float64 arithmetic of an elementwise kernel, on one element (f64) or on two neighbours at once (f64x2: each
 * lane the same IEEE operation as the scalar, so the results are bitwise the scalar's). `load(base)` is element k
 * (and k + 1) of the f32 array at `base`, promoted; `store` demotes to f32; `splat` a scalar f64 for every lane.
 */
interface Lanes {
  load(base: number): Code;
  store(base: number, value: Code): Code;
  splat(x: Code): Code;
  add(a: Code, b: Code): Code;
  sub(a: Code, b: Code): Code;
  mul(a: Code, b: Code): Code;
  div(a: Code, b: Code): Code;
  sqrt(a: Code): Code;
}

/**
 * for k in [from, to): body — written once against Lanes, run on pairs (f64x2) while two elements remain, then on the
 * last one alone (f64) when to − from is odd. `body(L, g)` gets a local g of the lanes' type.
 */
function elementwise(fn: Func, from: Code, to: Code, body: (L: Lanes, g: number) => Code): Code {
  const k = fn.local(i32t), pairs = fn.local(i32t), gv = fn.local(v128t), gs = fn.local(f64t);
  const at = (base: number): Code => f32At(base, k);
  const pair: Lanes = {
    load: (base) => f64x2.promoteLow(v128.load64Zero(at(base))),
    store: (base, value) => v128.store64Low(at(base), f64x2.demoteZero(value)),
    splat: f64x2.splat, add: f64x2.add, sub: f64x2.sub, mul: f64x2.mul, div: f64x2.div, sqrt: f64x2.sqrt,
  };
  const one: Lanes = {
    load: (base) => f64.promote(f32.load(at(base))),
    store: (base, value) => f32.store(at(base), f32.demote(value)),
    splat: (x) => x, add: f64.add, sub: f64.sub, mul: f64.mul, div: f64.div, sqrt: f64.sqrt,
  };
  return forSteps(k, pairs, from, to, 2, body(pair, gv), body(one, gs));
}

export interface KernelOptions extends GemmOptions {
  /**
   * The barrier's wait: spin `spins` times on the generation word, then sleep on it (memory.atomic.wait32) until
   * the last thread to arrive notifies. `mainWaits`: thread 0 (the caller) sleeps too — false where waiting throws
   * (a browser's main thread), where it only spins. `stallMs`: thread 0's give-up (./barrier.ts). Default: { spins:
   * BARRIER_SPINS, mainWaits: false, stallMs: BARRIER_STALL_MS }.
   */
  barrier?: BarrierOptions;
}

const typedIf = (cond: Code, then: Code, otherwise: Code): Code => [...cond, 0x04, f64t, ...then, 0x05, ...otherwise, 0x0b];

/**
 * The kernels of one module: the GEMM's (GemmKernels, ./gemm.ts) and the rest. Functions are declared on first use,
 * so a module holds only the epilogues its net needs.
 */
export class Kernels extends GemmKernels {
  readonly exp: Func;
  readonly log: Func;
  readonly tanh: Func;
  /** performance.now (ms), for the barrier's stall watch (thread 0 only, past its spins). */
  readonly now: Func;

  constructor(m: ModuleBuilder, override readonly options: KernelOptions) {
    super(m, options);
    this.exp = m.importFunc('exp', [f64t], [f64t]);
    this.log = m.importFunc('log', [f64t], [f64t]);
    this.tanh = m.importFunc('tanh', [f64t], [f64t]);
    this.now = m.importFunc('now', [], [f64t]);
  }

  /** f(z) in float64 from the f64 local z (not softmax: the output kernel applies it, see `output`). Twin: activate(). */
  activate(activation: Activation, z: number): Code {
    switch (activation) {
      case 'identity': return get(z);
      case 'relu': return select(get(z), f64c(0), f64.gt(get(z), f64c(0)));
      case 'leaky_relu': return select(get(z), f64.mul(f64c(LEAKY_SLOPE), get(z)), f64.gt(get(z), f64c(0)));
      case 'tanh': return call(this.tanh, f64.min(f64.max(get(z), f64c(-TANH_CLAMP)), f64c(TANH_CLAMP)));
      // NOTE: stable sigmoid: 1/(1 + e^−z) for z ≥ 0, e^z/(1 + e^z) for z < 0; neither overflows.
      case 'sigmoid': return typedIf(
        f64.ge(get(z), f64c(0)),
        f64.div(f64c(1), f64.add(f64c(1), call(this.exp, f64.neg(get(z))))),
        seq(
          call(this.exp, get(z)), [0x22, z], // local.tee z ← e^z (z is not needed after)
          f64.div([], f64.add(f64c(1), get(z))),
        ),
      );
      case 'softmax': throw new Error('softmax is applied per column by the output kernel');
    }
  }

  /** f'(a) in float64 from the f64 local a, written in terms of a as the lectures do. Twin: activatePrime(). */
  activatePrime(activation: Activation, a: number): Code {
    switch (activation) {
      case 'identity': return f64c(1);
      case 'sigmoid': return f64.mul(get(a), f64.sub(f64c(1), get(a)));
      case 'relu': return select(f64c(1), f64c(0), f64.gt(get(a), f64c(0)));
      case 'leaky_relu': return select(f64c(1), f64c(LEAKY_SLOPE), f64.gt(get(a), f64c(0)));
      case 'tanh': return f64.sub(f64c(1), f64.mul(get(a), get(a)));
      case 'softmax': throw new Error('softmax is only an output activation; its delta is A − Y');
    }
  }

  /**
   * forward epilogue (twin: the loop after `dots` in forward()): rows r0 … r1−1 of Z hold W·A_prev; per
   * output z = sum + b_i (b at `b`, stride bstride: 1 per-unit, 0 shared or none), Z = z, A = f(z).
   * Softmax leaves A to the output kernel (its whole column is needed).
   */
  forwardEpilogue(activation: Activation): Func {
    return this.once(`forward_${activation}`, () => {
      const fn = this.m.func(`forward_${activation}`, [i32t, i32t, i32t, i32t, i32t, i32t, i32t], []);
      const [Z, A, b, bstride, r0, r1, N] = [0, 1, 2, 3, 4, 5, 6];
      const i = fn.local(i32t), k = fn.local(i32t), end = fn.local(i32t), bias = fn.local(f64t), z = fn.local(f64t);
      const quads = fn.local(i32t), bias4 = fn.local(v128t), z4 = fn.local(v128t);
      const biasAt = i32.add(get(b), i32.mul(i32.mul(get(i), get(bstride)), i32c(4)));
      const one = seq(
        set(z, f64.add(f64.promote(f32.load(f32At(Z, k))), get(bias))),
        f32.store(f32At(Z, k), f32.demote(get(z))),
        activation === 'softmax' ? [] : f32.store(f32At(A, k), f32.demote(this.activate(activation, z))),
      );
      // relu and identity: four neighbours at once (exact, see SIMD_EXACT), the row's last N mod 4 one by one.
      const four = activation === 'relu' || activation === 'identity' ? seq(
        set(z4, f32x4.add(v128.load(f32At(Z, k)), get(bias4))),
        v128.store(f32At(Z, k), get(z4)),
        v128.store(f32At(A, k), activation === 'relu' ? v128.and(get(z4), f32x4.gt(get(z4), v128.zero())) : get(z4)),
      ) : undefined;
      fn.body = forRange(i, get(r0), get(r1), seq(
        set(bias, f64.promote(f32.load(biasAt))),
        set(end, i32.mul(i32.add(get(i), i32c(1)), get(N))),
        four
          ? seq(set(bias4, f32x4.splat(f32.load(biasAt))), forSteps(k, quads, i32.mul(get(i), get(N)), get(end), 4, four, one))
          : forRange(k, i32.mul(get(i), get(N)), get(end), one),
      ));
      return fn;
    });
  }

  /** backward epilogue (twin: the last line of backward()): delta[k] = sum · f'(A[k]) for k in [k0, k1). */
  backwardEpilogue(activation: Activation): Func {
    return this.once(`backward_${activation}`, () => {
      const fn = this.m.func(`backward_${activation}`, [i32t, i32t, i32t, i32t], []);
      const [delta, A, k0, k1] = [0, 1, 2, 3];
      const k = fn.local(i32t), a = fn.local(f64t), quads = fn.local(i32t);
      const one = seq(
        set(a, f64.promote(f32.load(f32At(A, k)))),
        f32.store(f32At(delta, k),
          f32.demote(f64.mul(f64.promote(f32.load(f32At(delta, k))), this.activatePrime(activation, a)))),
      );
      // relu: four at once, delta · (1 where A > 0, else +0) — exact (SIMD_EXACT); the last (k1 − k0) mod 4 one by one.
      const ONE: Code = [0x43, 0x00, 0x00, 0x80, 0x3f]; // f32.const 1
      const four = activation === 'relu'
        ? v128.store(f32At(delta, k), f32x4.mul(v128.load(f32At(delta, k)), v128.and(f32x4.splat(ONE), f32x4.gt(v128.load(f32At(A, k)), v128.zero()))))
        : undefined;
      fn.body = four ? forSteps(k, quads, get(k0), get(k1), 4, four, one) : forRange(k, get(k0), get(k1), one);
      return fn;
    });
  }

  /** scale(dW, k0, k1, scale): dW[k] = scale · dW[k], dW holding the sums (twin: dW = scale · S in gradW()). Two at a time (elementwise()). */
  get scale(): Func {
    return this.once('scale', () => {
      const fn = this.m.func('scale', [i32t, i32t, i32t, f64t], []);
      const [dW, k0, k1, scale] = [0, 1, 2, 3];
      fn.body = elementwise(fn, get(k0), get(k1), (L) => L.store(dW, L.mul(L.splat(get(scale)), L.load(dW))));
      return fn;
    });
  }

  /** reduce_rows(src, out, r0, r1, cols, scale): out[r] = scale · Σ_c src[r·cols + c], summed in float64. Twin: reduceRows(). */
  get reduceRows(): Func {
    return this.once('reduce_rows', () => {
      const fn = this.m.func('reduce_rows', [i32t, i32t, i32t, i32t, i32t, f64t], []);
      const [src, out, r0, r1, cols, scale] = [0, 1, 2, 3, 4, 5];
      const r = fn.local(i32t), sum = fn.local(f64t);
      fn.body = forRange(r, get(r0), get(r1), seq(
        call(this.sum, i32.add(get(src), i32.mul(i32.mul(get(r), get(cols)), i32c(4))), get(cols)), [0x21, sum],
        f32.store(f32At(out, r), f32.demote(f64.mul(get(scale), get(sum)))),
      ));
      return fn;
    });
  }

  /** sum(src, count) → Σ src[k] in float64, k ascending (reduce_rows' row sum; the loss Σ_c L_c). */
  get sum(): Func {
    return this.once('sum', () => {
      const fn = this.m.func('sum', [i32t, i32t], [f64t]);
      const [src, count] = [0, 1];
      const k = fn.local(i32t), s = fn.local(f64t);
      fn.body = seq(
        forRange(k, i32c(0), get(count), set(s, f64.add(get(s), f64.promote(f32.load(f32At(src, k)))))),
        get(s),
      );
      return fn;
    });
  }

  /**
   * output (twin: softmaxColumns() + output()), columns c0 … c1−1: the per-example loss and δ_L.
   *   mse  L_c = ½ Σ_i (a − y)²,  δ = (a − y)·f'(a);  bce  L_c = Σ_i max(z, 0) − z·y + log(1 + e^−|z|),  δ = a − y
   *   softmax-cross-entropy  A[:, c] = softmax(Z[:, c]) (max subtracted), L_c = Σ_i y_i (logsumexp(z) − z_i),  δ = a − y
   * The oracle walks one column at a time; here every pass walks the rows (i outer, c inner: contiguous), with
   * each column's running max, Σ e^(z−max), logsumexp and L_c in float64 at `stats` (4 arrays of N). Each column's
   * sums still run over i ascending with the oracle's operations, so the results are the oracle's, bitwise.
   * NOTE: a column walk strides by N floats — 4 KiB at N = 1024, so every element of a column falls in the same
   * L1 set and the walk missed L1 and L2 on every load (config d: 31 ms for mse's one pass, 65 ms for softmax-CE).
   */
  output(loss: Loss, activation: Activation): Func {
    return this.once(`output_${loss}_${activation}`, () => {
      const fn = this.m.func(`output_${loss}_${activation}`, [i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t], []);
      const [Z, A, Y, delta, lossPerExample, stats, M, N, c0, c1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const c = fn.local(i32t), i = fn.local(i32t), at = fn.local(i32t);
      const a = fn.local(f64t), y = fn.local(f64t), z = fn.local(f64t), aMinusY = fn.local(f64t);
      const load = (base: number): Code => f64.promote(f32.load(f32At(base, at)));
      /** Column c's slot of stats array `k` (0 max, 1 Σ e^(z−max), 2 logsumexp, 3 L_c). */
      const stat = (k: number): Code => i32.add(get(stats), i32.shl(i32.add(get(c), i32.mul(get(N), i32c(k))), i32c(3)));
      const MAX = 0, SUM = 1, LSE = 2, L = 3;
      const getStat = (k: number): Code => f64.load(stat(k));
      const setStat = (k: number, v: Code): Code => f64.store(stat(k), v);
      const overColumns = (body: Code): Code => forRange(c, get(c0), get(c1), body);
      /** for i < M, for c in [c0, c1): body (with at = i·N + c). */
      const overRows = (body: Code): Code => forRange(i, i32c(0), get(M), overColumns(seq(
        set(at, i32.add(i32.mul(get(i), get(N)), get(c))), body)));
      const softmax = seq(
        overColumns(seq(setStat(MAX, f64c(-Infinity)), setStat(SUM, f64c(0)))),
        overRows(setStat(MAX, f64.max(getStat(MAX), load(Z)))),
        overRows(setStat(SUM, f64.add(getStat(SUM), call(this.exp, f64.sub(load(Z), getStat(MAX)))))),
        overColumns(setStat(LSE, f64.add(getStat(MAX), call(this.log, getStat(SUM))))),
        overRows(seq(
          f32.store(f32At(A, at), f32.demote(f64.div(call(this.exp, f64.sub(load(Z), getStat(MAX))), getStat(SUM)))),
          setStat(L, f64.add(getStat(L), f64.mul(load(Y), f64.sub(getStat(LSE), load(Z))))),
        )),
      );
      let perUnit: Code;
      if (loss === 'mse') {
        perUnit = seq(
          set(aMinusY, f64.sub(get(a), get(y))),
          setStat(L, f64.add(getStat(L), f64.mul(f64.mul(f64c(0.5), get(aMinusY)), get(aMinusY)))),
          f32.store(f32At(delta, at), f32.demote(f64.mul(get(aMinusY), this.activatePrime(activation, a)))),
        );
      } else {
        perUnit = seq(
          loss === 'bce'
            // NOTE: BCE from the logit z: max(z, 0) − z·y + log(1 + e^−|z|), exact at a = 0 and a = 1.
            ? setStat(L, f64.add(getStat(L), f64.add(f64.sub(f64.max(get(z), f64c(0)), f64.mul(get(z), get(y))),
              call(this.log, f64.add(f64c(1), call(this.exp, f64.neg(f64.abs(get(z))))))))) : [],
          f32.store(f32At(delta, at), f32.demote(f64.sub(get(a), get(y)))),
        );
      }
      fn.body = seq(
        overColumns(setStat(L, f64c(0))),
        loss === 'softmax-cross-entropy' ? softmax : [],
        overRows(seq(set(a, load(A)), set(y, load(Y)), set(z, load(Z)), perUnit)),
        overColumns(f32.store(f32At(lossPerExample, c), f32.demote(getStat(L)))),
      );
      return fn;
    });
  }

  /** sgd(p, dW, k0, k1, lr): p[k] ← p[k] − lr·dW[k] (twin: sgd()). Two at a time (elementwise()). */
  get sgd(): Func {
    return this.once('sgd', () => {
      const fn = this.m.func('sgd', [i32t, i32t, i32t, i32t, f64t], []);
      const [p, dW, k0, k1, lr] = [0, 1, 2, 3, 4];
      fn.body = elementwise(fn, get(k0), get(k1), (L) => L.store(p, L.sub(L.load(p), L.mul(L.splat(get(lr)), L.load(dW)))));
      return fn;
    });
  }

  /**
   * gather(src, dst, order, start, count, rows): dst[j·count + c] = src[order[start + c]·rows + j] for j < rows,
   * c < count — a batch's examples, picked from the data set in `order` (u32), into the net's X or Y (rows × count,
   * a column per example). The data set is example-major (n × rows: an example's values side by side, as
   * WasmTrainer.upload lays it out); the result is gather()'s (src/cpu/kernels.ts) on the engine layout, bitwise.
   * NOTE: from the engine layout (rows × n) every value of a batch is in its own cache line (8 000 × 784 MNIST:
   * 0.8 ms a batch of 128, a third of fit's time); from example-major rows it reads 3 kB runs. Blocks of
   * GATHER_BLOCK examples: each row j writes GATHER_BLOCK neighbours of dst at once, four examples' four rows at a
   * time (transpose4), the rows past the last multiple of 4 and a block's last examples mod 4 one by one.
   */
  get gather(): Func {
    return this.once('gather', () => {
      const fn = this.m.func('gather', [i32t, i32t, i32t, i32t, i32t, i32t], [], true);
      const [src, dst, order, start, count, rows] = [0, 1, 2, 3, 4, 5];
      const c0 = fn.local(i32t), end = fn.local(i32t), j = fn.local(i32t), c = fn.local(i32t), quadsEnd = fn.local(i32t), rows4 = fn.local(i32t);
      const rv = [0, 1, 2, 3].map(() => fn.local(v128t)), tv = [0, 1, 2, 3].map(() => fn.local(v128t));
      // order[start + c + q] and dst[(j + q)·count + c] as addresses
      const example = (q: number): Code => i32.load(i32.add(get(order), i32.shl(i32.add(get(start), i32.add(get(c), i32c(q))), i32c(2))));
      const to = (q: number): Code => i32.add(get(dst), i32.shl(i32.add(i32.mul(i32.add(get(j), i32c(q)), get(count)), get(c)), i32c(2)));
      const from = (q: number): Code => i32.add(get(src), i32.shl(i32.add(i32.mul(example(q), get(rows)), get(j)), i32c(2)));
      const oneByOne = f32.store(to(0), f32.load(from(0)));
      // Four examples' four rows j … j + 3 at a time: each example's four values loaded side by side, transposed
      // (transpose4) into four rows' four examples, stored side by side.
      const fourByFour = seq(
        ...rv.map((r, q) => set(r, v128.load(from(q)))),
        transpose4(rv, tv),
        ...rv.map((r, q) => v128.store(to(q), get(r))),
      );
      fn.body = seq(
        set(rows4, i32.and(get(rows), i32c(-4))),
        forRange(c0, i32c(0), get(count), seq(
          set(end, select(i32.add(get(c0), i32c(GATHER_BLOCK)), get(count), i32.lt_s(i32.add(get(c0), i32c(GATHER_BLOCK)), get(count)))),
          set(quadsEnd, i32.add(get(c0), i32.and(i32.sub(get(end), get(c0)), i32c(-4)))),
          forRange(j, i32c(0), get(rows4), forRange(c, get(c0), get(quadsEnd), fourByFour, 4), 4),
          // the last rows mod 4 of those examples, then the block's last examples mod 4 at every row: one by one
          forRange(j, get(rows4), get(rows), forRange(c, get(c0), get(quadsEnd), oneByOne)),
          forRange(j, i32c(0), get(rows), forRange(c, get(quadsEnd), get(end), oneByOne)),
        ), GATHER_BLOCK),
      );
      return fn;
    });
  }

  /**
   * momentum(p, dW, buf, count, lr, mu, weightDecay, nesterov, first) (twin: momentum()): torch.optim.SGD, elementwise:
   *   g = dW + weightDecay·p;  if mu ≠ 0: buf ← g (first step) or mu·buf + g;  g ← g + mu·buf (nesterov) or buf;  p ← p − lr·g.
   * float64 arithmetic, rounded to float32 where the twin stores into its Float32Array and read back from there, so
   * the results are the twin's bitwise. The twin's `weightDecay !== 0` and `mu !== 0` are branches here too
   * (NOTE: dW + 0·p is not dW when p is ±∞ or dW is −0). Two elements at a time (elementwise()).
   */
  get momentum(): Func {
    return this.once('momentum', () => {
      const fn = this.m.func('momentum', [i32t, i32t, i32t, i32t, f64t, f64t, f64t, i32t, i32t], [], true);
      const [p, dW, buf, count, lr, mu, weightDecay, nesterov, first] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
      fn.body = elementwise(fn, i32c(0), get(count), (L, g) => seq(
        set(g, L.load(dW)),
        ifThen(f64.ne(get(weightDecay), f64c(0)), set(g, L.add(get(g), L.mul(L.splat(get(weightDecay)), L.load(p))))),
        ifThen(f64.ne(get(mu), f64c(0)), seq(
          ifThen(get(first), L.store(buf, get(g)), L.store(buf, L.add(L.mul(L.splat(get(mu)), L.load(buf)), get(g)))),
          ifThen(get(nesterov), set(g, L.add(get(g), L.mul(L.splat(get(mu)), L.load(buf)))), set(g, L.load(buf))),
        )),
        L.store(p, L.sub(L.load(p), L.mul(L.splat(get(lr)), get(g)))),
      ));
      return fn;
    });
  }

  /**
   * adam(p, dW, m, v, count, lr, beta1, beta2, eps, weightDecay, decoupled, stepSize, bias2Sqrt) (twin: adam()):
   *   AdamW: p ← p·(1 − lr·weightDecay), g = dW;   Adam: g = dW + weightDecay·p
   *   m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²;  p ← p − stepSize·m / (√v / bias2Sqrt + eps)
   * In the twin's order, float64 with float32 stores (as momentum); f64.sqrt is IEEE's correctly rounded root, as
   * Math.sqrt. Two elements at a time (elementwise()).
   */
  get adam(): Func {
    return this.once('adam', () => {
      const fn = this.m.func('adam', [i32t, i32t, i32t, i32t, i32t, f64t, f64t, f64t, f64t, f64t, i32t, f64t, f64t], [], true);
      const [p, dW, m, v, count, lr, beta1, beta2, eps, weightDecay, decoupled, stepSize, bias2Sqrt] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
      fn.body = elementwise(fn, i32c(0), get(count), (L, g) => seq(
        set(g, L.load(dW)),
        ifThen(get(decoupled),
          L.store(p, L.mul(L.load(p), L.splat(f64.sub(f64c(1), f64.mul(get(lr), get(weightDecay)))))),
          ifThen(f64.ne(get(weightDecay), f64c(0)), set(g, L.add(get(g), L.mul(L.splat(get(weightDecay)), L.load(p)))))),
        L.store(m, L.add(L.mul(L.splat(get(beta1)), L.load(m)), L.mul(L.splat(f64.sub(f64c(1), get(beta1))), get(g)))),
        L.store(v, L.add(L.mul(L.splat(get(beta2)), L.load(v)), L.mul(L.mul(L.splat(f64.sub(f64c(1), get(beta2))), get(g)), get(g)))),
        L.store(p, L.sub(L.load(p), L.div(L.mul(L.splat(get(stepSize)), L.load(m)),
          L.add(L.div(L.sqrt(L.load(v)), L.splat(get(bias2Sqrt))), L.splat(get(eps)))))),
      ));
      return fn;
    });
  }

  /** The barrier (./barrier.ts barrierFunc), declared once per module. */
  get barrier(): Func {
    return this.once('barrier', () => barrierFunc(this.m, this.now, this.options.barrier));
  }
}
