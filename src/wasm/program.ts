/**
 * One net's wasm module: where its arrays live in linear memory (`Layout`), and its exported
 * `run(steps, lr, mode, tid, nthreads)` — whole steps, the same kernel order as the CPU's step()
 * (src/cpu/step.ts), with the net's sizes and addresses as constants:
 *
 *   forward (per layer) → output → backward (last−1 … 1) → dW, db (per layer) → loss (and a shared bias's db)
 *   → SGD (mode RUN_MODE.update: train's) or fit's optimiser (RUN_MODE.optimise: the settings in the net's block)
 *
 * Mode RUN_MODE.forward stops after the output (A_L, the per-example losses and δ_L: fit's predict, which needs no
 * gradients).
 *
 * Every thread runs the same `run` with its own tid. Each phase splits its outputs by rows (strips of MR rows;
 * the output kernel by examples, fit's optimiser by elements) — never a sum — and ends at a barrier. A GEMM's packed rhs is shared: each thread
 * packs its share of the panels, and they meet before the GEMM reads them all. A thread's packed lhs and tile and
 * nothing else are its own (`scratch`).
 */
import { reductionScale } from '../backend.ts';
import type { Net } from '../spec.ts';
import { biasLength, paramCount } from '../spec.ts';
import { type Code, ModuleBuilder, call, f64, f64c, f64t, forRange, get, i32, i32c, i32t, ifThen, ret, select, seq, set } from './emit.ts';
import { ctlWords } from './barrier.ts';
import { type Tiling } from './gemm.ts';
import { type KernelOptions, Kernels } from './kernels.ts';

export const PAGE = 65536;

/**
 * What `run` does each step: the whole step without the update, with SGD after it (train's), forward and output only
 * (fit's predict), or the whole step with fit's optimiser after it (its settings in the net's block, OPT_BLOCK).
 */
export const RUN_MODE = { step: 0, update: 1, forward: 2, optimise: 3 } as const;
export type RunMode = (typeof RUN_MODE)[keyof typeof RUN_MODE];

/**
 * Byte offsets in a net's optimiser block (Layout.opt), which fit's trainer writes before a run in RUN_MODE.optimise:
 * the settings of its momentum or adam kernel (./kernels.ts) for this step, where its slots are, and which kernel.
 * mu and beta1 share a word: the momentum kernel reads one, the adam kernel the other.
 */
export const OPT_BLOCK = { lr: 0, mu: 8, beta1: 8, beta2: 16, eps: 24, weightDecay: 32, stepSize: 40, bias2Sqrt: 48, slots: 56, kind: 60, nesterov: 64, first: 68, decoupled: 72, bytes: 80 } as const;
/** OPT_BLOCK.kind: the momentum kernel (SGD too: with mu = 0 it reads and writes no buf) or the adam kernel. */
export const OPT_KIND = { momentum: 0, adam: 1 } as const;

export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;
const ceilTo = (x: number, m: number): number => Math.ceil(x / m) * m;

export interface LayerLayout {
  W: number;
  b: number;
  dW: number;
  db: number;
  Z: number;
  A: number;
  delta: number;
  /** Row sums of δ before a shared bias's db (0 unless the bias is shared). */
  rowSums: number;
}

/** Byte addresses of one net's arrays, from `base`. */
export interface Layout {
  base: number;
  /**
   * Barrier words (i32, ./barrier.ts ctlWords): [count, generation, abort (0; the failed thread's id + 1; −(id + 1)
   * for a thread that stopped arriving), thread 0's waits, each thread's arrival].
   */
  ctl: number;
  /** 16 zero bytes: the bias of a layer without one. */
  zero: number;
  /** The loss of the last step, float64. */
  loss: number;
  X: number;
  Y: number;
  lossPerExample: number;
  /** The output kernel's per-example float64 running values: 4 arrays of n (./kernels.ts `output`). */
  outputStats: number;
  /** fit's optimiser step (RUN_MODE.optimise): its settings, written by the trainer before each run (OPT_BLOCK). */
  opt: number;
  layers: LayerLayout[];
  /** Per-thread scratch: thread t's is at scratch + t·scratchBytes: the tile, then its packed lhs. */
  scratch: number;
  scratchBytes: number;
  packLhsOffset: number;
  /** The packed rhs of the GEMM running, one for all threads (each packs its share of the panels). */
  packRhs: number;
  /** One past the last byte. */
  end: number;
}

/** The packed-operand sizes (floats) of every GEMM of a step: the largest strip set (lhs) and panel set (rhs). */
function packSizes(net: Net, n: number, MR: number, NR: number): { lhs: number; rhs: number } {
  let lhs = 0;
  let rhs = 0;
  const gemm = (R: number, C: number, K: number) => {
    lhs = Math.max(lhs, ceilTo(R, MR) * K);
    rhs = Math.max(rhs, ceilTo(C, NR) * K);
  };
  net.layers.forEach((layer, l) => {
    gemm(layer.units, n, layer.fanIn); // forward: Z (units × n), K = fanIn
    gemm(layer.units, layer.fanIn, n); // dW (units × fanIn), K = n
    if (l > 0) gemm(layer.fanIn, n, layer.units); // backward into layer l−1: δ (fanIn × n), K = units
  });
  return { lhs, rhs };
}

export function layoutOf(net: Net, n: number, base: number, threads: number, { MR, NV }: Tiling): Layout {
  const NR = 4 * NV;
  let at = base;
  const take = (floats: number, bytesPer = 4): number => {
    const addr = at;
    at += align16(floats * bytesPer);
    return addr;
  };
  const ctl = take(ctlWords(threads));
  const zero = take(4);
  const loss = take(1, 8);
  const X = take(net.inputs * n);
  const Y = take(net.layers[net.layers.length - 1].units * n);
  const lossPerExample = take(n);
  const outputStats = take(4 * n, 8);
  const opt = take(OPT_BLOCK.bytes / 4);
  const layers = net.layers.map((layer) => ({
    W: take(layer.units * layer.fanIn),
    b: take(biasLength(layer)),
    dW: take(layer.units * layer.fanIn),
    db: take(biasLength(layer)),
    Z: take(layer.units * n),
    A: take(layer.units * n),
    delta: take(layer.units * n),
    rowSums: layer.bias === 'shared' ? take(layer.units) : 0,
  }));
  const pack = packSizes(net, n, MR, NR);
  const packRhs = take(pack.rhs);
  const packLhsOffset = align16(MR * NR * 4);
  const scratchBytes = packLhsOffset + align16(pack.lhs * 4);
  const scratch = at;
  at += scratchBytes * threads;
  return { base, ctl, zero, loss, X, Y, lossPerExample, outputStats, opt, layers, packRhs, scratch, scratchBytes, packLhsOffset, end: at };
}

/**
 * The layout of a net of n examples on the arrays of `on`, a layout of the same net at a larger batch (fit's partial
 * batches, ./train.ts): its own barrier words, zero bias, loss and optimiser block at `base` (what a net writes
 * outside its step, or keeps across runs); X, Y, the losses, the output stats, every W, b, dW, db, Z, A, delta, row
 * sums, the packed rhs and the scratch at on's, each no larger at n (packSizes grows with n), the scratch at n's stride.
 */
export function layoutOn(on: Layout, net: Net, n: number, base: number, threads: number, tiling: Tiling): Layout {
  const own = layoutOf(net, n, base, threads, tiling);
  const opt = align16(own.loss + 8);
  return { ...on, base, ctl: own.ctl, zero: own.zero, loss: own.loss, opt, scratchBytes: own.scratchBytes, packLhsOffset: own.packLhsOffset, end: opt + align16(OPT_BLOCK.bytes) };
}

export interface ModuleOptions extends KernelOptions {
  /** Shared memory (threads) or not; its maximum in pages. */
  shared: boolean;
  maxPages: number;
  /**
   * Profiling (./profile.ts): import `env.mark(i32)` and call it on thread 0 after each kernel of a step, with
   * the kernel's index in `labels` (filled here). Off in the backend: its modules import no `mark`.
   */
  profile?: { labels: string[] };
}

/** The module of one net: the kernels it needs and its `run`. Returns the wasm bytes. */
export function netModule(net: Net, n: number, mem: Layout, options: ModuleOptions): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory(1, options.maxPages, options.shared);
  const markFn = options.profile ? m.importFunc('mark', [i32t], []) : null;
  const k = new Kernels(m, options);
  const MR = k.MR;
  const run = m.func('run', [i32t, f64t, i32t, i32t, i32t], [], true);
  const [steps, lr, mode, tid, nt] = [0, 1, 2, 3, 4];
  const s = run.local(i32t), r0 = run.local(i32t), r1 = run.local(i32t), c0 = run.local(i32t), c1 = run.local(i32t);
  const tile = run.local(i32t), packLhs = run.local(i32t);
  const NR = k.NR;
  const layers = net.layers;
  const last = layers.length - 1;
  const scale = reductionScale(net, n);

  /** lo, hi (r0, r1 unless given) ← this thread's share of `total` outputs, split in units of `unit` (MR-row strips, NR-column panels, or 1). */
  const share = (total: number, unit: number, lo = r0, hi = r1): Code => {
    const units = Math.ceil(total / unit);
    const edge = (t: Code): Code => i32.mul(i32.div_u(i32.mul(t, i32c(units)), get(nt)), i32c(unit));
    return seq(
      set(lo, edge(get(tid))),
      set(hi, edge(i32.add(get(tid), i32c(1)))),
      set(hi, select(get(hi), i32c(total), i32.lt_s(get(hi), i32c(total)))),
      set(lo, select(get(lo), i32c(total), i32.lt_s(get(lo), i32c(total)))),
    );
  };
  // After each barrier: leave the run when a thread has failed (the abort word, ctl[2]), so that every thread is out
  // within one phase of a failure rather than computing the remaining steps unsynchronised (WasmNet.run waits for them).
  const barrier = seq(call(k.barrier, i32c(mem.ctl), get(nt), get(tid)), ifThen(i32.atomicLoad(i32c(mem.ctl + 8)), ret));
  /** Profiling only: thread 0 reports that the kernel `label` has ended. */
  const mark = (label: string): Code => {
    if (!markFn || !options.profile) return [];
    const labels = options.profile.labels;
    return ifThen(i32.eqz(get(tid)), call(markFn, i32c(labels.push(label) - 1)));
  };
  /**
   * out (R × C, rows r0 … r1−1) = lhs (R × K) · rhs (K × C), packing both operands first (./gemm.ts). Each operand
   * is read through its strides, lhs(r, k) = lhs.src[r·rs + k·cs] and rhs(k, c) = rhs.src[k·rs + c·cs] (floats), so a
   * transpose is only swapped strides: W_{l+1}ᵀ in backward is rs 1, cs units_l; A_{l−1}ᵀ in dW is rs 1, cs n. The rhs
   * is packed once for all threads: panel p (NR columns) sits at packRhs + p·K·NR floats, so this thread's columns
   * c0 … c1−1 (whole panels) pack on their own from column c0; then the threads meet, and each GEMM reads every panel.
   * NOTE: each thread packed the whole rhs before (MNIST's X, 784 × 128, twice a step: ~0.04 ms each on one thread).
   * Config e on 2 threads, later epochs (`bench/probes/fit-epochs.ts e-sgd|e-adam 2 2`, the two versions in turn, 6
   * page loads each, 2026-12-05 12:26 UTC): SGD median 0.0610 against 0.0628 s, Adam 0.0668 against 0.0698 s.
   */
  const gemm = (what: string, out: number, R: number, C: number, K: number,
    lhs: { src: number; rs: number; cs: number }, rhs: { src: number; rs: number; cs: number }): Code => seq(
    share(C, NR, c0, c1),
    call(k.packRhs, i32.add(i32c(mem.packRhs), i32.mul(get(c0), i32c(K * 4))), i32.add(i32c(rhs.src), i32.mul(get(c0), i32c(rhs.cs * 4))),
      i32c(rhs.rs), i32c(rhs.cs), i32c(K), i32.sub(get(c1), get(c0))),
    barrier,
    mark(`${what} pack_rhs`),
    call(k.packLhs, get(packLhs), i32c(lhs.src), i32c(lhs.rs), i32c(lhs.cs), get(r0), get(r1), i32c(R), i32c(K)),
    mark(`${what} pack_lhs`),
    call(k.gemm, get(packLhs), i32c(mem.packRhs), i32c(out), i32c(C), get(r0), get(r1), i32c(R), i32c(C), i32c(K), get(tile)),
    mark(`${what} gemm ${R}×${C}×${K}`),
  );

  const step: Code[] = [];
  // forward: Z_l = W_l·A_{l−1} (W_l and A_{l−1} read along their rows), then the epilogue's + b_l and A_l = f(Z_l).
  layers.forEach((layer, l) => {
    const { units: M, fanIn: K } = layer;
    const at = mem.layers[l];
    const prev = l === 0 ? mem.X : mem.layers[l - 1].A;
    const bias = layer.bias === 'none' ? { b: mem.zero, stride: 0 } : { b: at.b, stride: layer.bias === 'per-unit' ? 1 : 0 };
    step.push(
      share(M, MR),
      gemm(`forward ${l + 1}`, at.Z, M, n, K, { src: at.W, rs: K, cs: 1 }, { src: prev, rs: n, cs: 1 }),
      call(k.forwardEpilogue(layer.activation), i32c(at.Z), i32c(at.A), i32c(bias.b), i32c(bias.stride), get(r0), get(r1), i32c(n)),
      mark(`forward ${l + 1} epilogue (${layer.activation})`),
      barrier,
    );
  });
  // output: L_c and delta_L = ∂L_c/∂Z_L per example c.
  const out = mem.layers[last];
  step.push(
    share(n, 1),
    call(k.output(net.loss, layers[last].activation), i32c(out.Z), i32c(out.A), i32c(mem.Y), i32c(out.delta), i32c(mem.lossPerExample), i32c(mem.outputStats),
      i32c(layers[last].units), i32c(n), get(r0), get(r1)),
    mark(`output (${net.loss}, ${layers[last].activation})`),
    barrier,
  );
  // Everything after the output: skipped in RUN_MODE.forward.
  const afterOutput: Code[] = [];
  // backward: delta_l = W_{l+1}ᵀ·delta_{l+1} (W_{l+1}ᵀ: W_{l+1} read down its columns, rs 1, cs Kn), then ⊙ f'(A_l).
  for (let l = last - 1; l >= 0; l--) {
    const next = layers[l + 1];
    const { units: Mn, fanIn: Kn } = next;
    afterOutput.push(
      share(Kn, MR),
      gemm(`backward ${l + 1}`, mem.layers[l].delta, Kn, n, Mn, { src: mem.layers[l + 1].W, rs: 1, cs: Kn }, { src: mem.layers[l + 1].delta, rs: n, cs: 1 }),
      layers[l].activation === 'identity' ? [] // f' = 1: δ is the sum
        : call(k.backwardEpilogue(layers[l].activation), i32c(mem.layers[l].delta), i32c(mem.layers[l].A), i32.mul(get(r0), i32c(n)), i32.mul(get(r1), i32c(n))),
      mark(`backward ${l + 1} epilogue (${layers[l].activation}')`),
      barrier,
    );
  }
  // dW_l = scale·delta_l·A_{l−1}ᵀ (A_{l−1}ᵀ: A_{l−1} read down its columns, rs 1, cs n), db_l = scale·rowsum(delta_l)
  // (a shared bias: the row sums here, their sum with the loss below).
  layers.forEach((layer, l) => {
    const { units: M, fanIn: K } = layer;
    const at = mem.layers[l];
    const prev = l === 0 ? mem.X : mem.layers[l - 1].A;
    afterOutput.push(
      // The GEMM before this one (layer l − 1's) must be done with the shared packed rhs before this one packs.
      l > 0 ? barrier : [],
      share(M, MR),
      gemm(`dW ${l + 1}`, at.dW, M, K, n, { src: at.delta, rs: n, cs: 1 }, { src: prev, rs: 1, cs: n }),
      call(k.scale, i32c(at.dW), i32.mul(get(r0), i32c(K)), i32.mul(get(r1), i32c(K)), f64c(scale)),
      mark(`dW ${l + 1} scale`),
      layer.bias === 'per-unit' ? call(k.reduceRows, i32c(at.delta), i32c(at.db), get(r0), get(r1), i32c(n), f64c(scale)) : [],
      layer.bias === 'shared' ? call(k.reduceRows, i32c(at.delta), i32c(at.rowSums), get(r0), get(r1), i32c(n), f64c(1)) : [],
      mark(`db ${l + 1}`),
    );
  });
  afterOutput.push(barrier);
  // Thread 0: L = scale·Σ_c L_c, and a shared bias's db_l = scale·Σ_i rowsum(delta_l)_i.
  const lastThings: Code[] = [f64.store(i32c(mem.loss), f64.mul(f64c(scale), call(k.sum, i32c(mem.lossPerExample), i32c(n))))];
  layers.forEach((layer, l) => {
    if (layer.bias === 'shared') lastThings.push(call(k.reduceRows, i32c(mem.layers[l].rowSums), i32c(mem.layers[l].db), i32c(0), i32c(1), i32c(layer.units), f64c(scale)));
  });
  afterOutput.push(ifThen(i32.eqz(get(tid)), seq(...lastThings)), mark('loss'));
  // SGD (when updating): W_l ← W_l − lr·dW_l, b_l ← b_l − lr·db_l.
  const sgd: Code[] = [barrier];
  layers.forEach((layer, l) => {
    const { units: M, fanIn: K } = layer;
    const at = mem.layers[l];
    sgd.push(share(M, 1), call(k.sgd, i32c(at.W), i32c(at.dW), i32.mul(get(r0), i32c(K)), i32.mul(get(r1), i32c(K)), get(lr)));
    const nb = biasLength(layer);
    if (nb > 0) sgd.push(share(nb, 1), call(k.sgd, i32c(at.b), i32c(at.db), get(r0), get(r1), get(lr)));
  });
  sgd.push(barrier);
  afterOutput.push(ifThen(i32.eq(get(mode), i32c(RUN_MODE.update)), seq(...sgd, mark('sgd'))));
  afterOutput.push(ifThen(i32.eq(get(mode), i32c(RUN_MODE.optimise)), seq(...optimiserPhase(net, mem, k, share, get(r0), get(r1), barrier))));
  step.push(ifThen(i32.ne(get(mode), i32c(RUN_MODE.forward)), seq(...afterOutput)));

  run.body = seq(
    set(tile, i32.add(i32c(mem.scratch), i32.mul(get(tid), i32c(mem.scratchBytes)))),
    set(packLhs, i32.add(get(tile), i32c(mem.packLhsOffset))),
    forRange(s, i32c(0), get(steps), seq(...step)),
  );
  return m.bytes();
}

/**
 * fit's optimiser step inside the run (RUN_MODE.optimise), after the gradients: every W_l, b_l (in the order of the
 * trainer's slots: W_0, b_0, W_1, …) split between the threads by elements, each part through the momentum or adam
 * kernel with the settings of the block at mem.opt — elementwise, so each element is the CPU trainer's
 * optimizerStep's bitwise (src/cpu/train.ts). Every batch of fit's wasm trainer (src/wasm/train.ts) runs it: a
 * partial last batch's net too, on the full net's arrays (layoutOn).
 */
function optimiserPhase(net: Net, mem: Layout, k: Kernels, share: (total: number, unit: number) => Code, r0: Code, r1: Code, barrier: Code): Code[] {
  const o = (field: keyof typeof OPT_BLOCK): Code => i32c(mem.opt + OPT_BLOCK[field]);
  const total = paramCount(net);
  const kind = i32.load(o('kind'));
  const out: Code[] = [barrier];
  let offset = 0;
  net.layers.forEach((layer, l) => {
    const at = mem.layers[l];
    // As the CPU's optimizerStep: each parameter array `param` with its gradient `dW` (dW_l for W_l, db_l for b_l).
    for (const [param, dW, count] of [[at.W, at.dW, layer.units * layer.fanIn], [at.b, at.db, biasLength(layer)]] as const) {
      if (count === 0) continue;
      const el = (base: number): Code => i32.add(i32c(base), i32.mul(r0, i32c(4)));
      const slot = (s: number): Code => i32.add(i32.load(o('slots')), i32.add(i32c((s * total + offset) * 4), i32.mul(r0, i32c(4))));
      const part = i32.sub(r1, r0);
      out.push(share(count, 1), ifThen(i32.eq(kind, i32c(OPT_KIND.adam)),
        call(k.adam, el(param), el(dW), slot(0), slot(1), part, f64.load(o('lr')), f64.load(o('beta1')), f64.load(o('beta2')), f64.load(o('eps')),
          f64.load(o('weightDecay')), i32.load(o('decoupled')), f64.load(o('stepSize')), f64.load(o('bias2Sqrt'))),
        call(k.momentum, el(param), el(dW), slot(0), part, f64.load(o('lr')), f64.load(o('mu')),
          f64.load(o('weightDecay')), i32.load(o('nesterov')), i32.load(o('first')))));
      offset += count;
    }
  });
  out.push(barrier);
  return out;
}

/** The host functions every module made with ./kernels.ts imports (besides the memory); the workers make their own (./threads.ts). */
export const HOST_IMPORTS = { exp: Math.exp, log: Math.log, tanh: Math.tanh, now: () => performance.now() };
