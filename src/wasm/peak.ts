/**
 * The machine's f32x4 multiply-add peak, as the benchmark reports it (each wasm row as a share of it): a loop
 * of 12 independent f32x4 accumulators, each updated by one relaxed_madd (or mul + add without relaxed SIMD)
 * per iteration — no loads, no dependencies between the 12 — on 1 … T threads at once. 12 chains cover the
 * FMA latency × throughput of current x86 cores (4 cycles × 2 per cycle = 8, with room).
 *
 * The module has the nets' `run(steps, lr, mode, tid, nt)` signature, so the backend's threads run it like
 * a net: `steps` iterations per thread, then a barrier (the caller returns when every thread is done).
 */
import { ModuleBuilder, brIf, call, f32x4, f64t, get, i32, i32c, i32t, loop, seq, set, v128, v128t } from './emit.ts';
import { Kernels, type KernelOptions } from './kernels.ts';

export const PEAK_CHAINS = 12;

/** The peak loop's module; `ctl` is where its barrier words live (ctlWords(threads) i32s, ./barrier.ts), `sink` where it stores its sums (16·12 bytes per thread). */
export function peakModule(options: KernelOptions & { shared: boolean; maxPages: number }, ctl: number, sink: number): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory(1, options.maxPages, options.shared);
  const k = new Kernels(m, options);
  const run = m.func('run', [i32t, f64t, i32t, i32t, i32t], [], true);
  const [steps, , , tid, nt] = [0, 1, 2, 3, 4];
  const acc = Array.from({ length: PEAK_CHAINS }, () => run.local(v128t));
  const x = run.local(v128t), y = run.local(v128t), n = run.local(i32t);
  const base = i32.add(i32c(sink), i32.mul(get(tid), i32c(16 * PEAK_CHAINS)));
  const madd = (a: number, b: number, c: number) => (options.relaxed ? f32x4.relaxedMadd(get(a), get(b), get(c)) : f32x4.add(f32x4.mul(get(a), get(b)), get(c)));
  run.body = seq(
    // x, y and the chains start from memory (so the engine cannot fold the loop away); sums go back there.
    set(x, v128.load(base)),
    set(y, v128.load(base, 16)),
    ...acc.map((a, c) => set(a, v128.load(base, 16 * c))),
    set(n, get(steps)),
    loop(
      ...acc.map((a) => set(a, madd(x, y, a))),
      set(n, i32.sub(get(n), i32c(1))),
      brIf(0, i32.gt_s(get(n), i32c(0))),
    ),
    ...acc.map((a, c) => v128.store(base, get(a), 16 * c)),
    call(k.barrier, i32c(ctl), get(nt), get(tid)),
  );
  return m.bytes();
}

/** Flops one iteration of one thread makes: 12 chains × 4 lanes × (multiply + add). */
export const PEAK_FLOPS_PER_ITERATION = PEAK_CHAINS * 4 * 2;
