/**
 * The barriers between a run's phases (./program.ts, ./peak.ts): every thread waits at one until all have arrived;
 * thread 0 gives up on a thread that stops arriving (a worker that died during the run). Declared once per module
 * through Kernels.barrier (./kernels.ts); WasmNet.run (./net.ts) resets their words before each run.
 */
import { type Code, type Func, type ModuleBuilder, block, br, brIf, call, drop, f64, f64c, f64t, get, i32, i32c, i32t, i64c, ifThen, loop, ret, seq, set } from './emit.ts';

/** The barrier's wait, compiled into every module that has a barrier (./backend.ts WasmOptions.barrier). */
export interface BarrierOptions {
  spins: number;
  mainWaits: boolean;
  /** Thread 0 gives up on a missing thread after this long at a barrier with no thread arriving (ms; BARRIER_STALL_MS). */
  stallMs: number;
}

/**
 * Spins before a barrier sleeps: a quiet machine's phases end within them, so a step takes no wake-up; on a loaded
 * one the thread then stops burning the CPU that the thread it waits for needs.
 * NOTE: 2 000 spins measured 1.1–1.45× slower a step with 2 threads on a quiet machine (bench page, b/c/d-mse;
 * README "How the wasm path runs", Barriers).
 */
export const BARRIER_SPINS = 20000;

/** The longest a barrier sleeps before it looks at the generation and abort words again (1 ms, in ns). */
const BARRIER_WAIT_NS = 1_000_000;

/**
 * How long thread 0 waits at a barrier while no thread arrives before it takes a missing thread for lost (a worker
 * that died during the run: ended from outside, out of memory, crashed) and ends the run (WasmThreadError, `stalled`).
 * NOTE: the time runs from the last arrival at that barrier, not from the start of the phase, yet a thread can lag
 * by up to a whole phase: shares are whole strips of MR rows (./program.ts share), so a phase with fewer strips
 * than threads (≤ 4 units on 2 threads) gives thread 0 none, and it waits while a worker does the whole phase. So
 * stallMs must exceed the longest phase; 30 s is far past any phase of a net that fits wasm's memory here (a choice,
 * not a measurement: config d's whole step is ~0.24 s on 1 thread); a machine loaded far past its cores, or a
 * worker paused in a debugger, can lag longer: raise it there (WasmOptions.barrier.stallMs). Too low, and a live but late worker is
 * taken for dead: the run is given up and the backend disposed. Only thread 0 watches, and only past its spins
 * (Kernels.barrierWait): a barrier that ends within them does nothing more than before but one store (its arrival
 * word).
 */
export const BARRIER_STALL_MS = 30_000;

/**
 * The most one look at the clock adds to a barrier's stalled time (ms), where thread 0 spins: a thread 0 that was
 * itself not running (a descheduled thread, a suspended machine) counts that gap as at most this, not against the
 * thread it waits for. (Where it sleeps it counts its timed-out 1 ms waits instead, which cannot run ahead either.)
 */
const STALL_STEP_MS = 100;

/**
 * Where thread 0 only spins (a page's main thread), it reads the clock once every this many spins past its spins
 * (a power of 2): a clock read is a call to the host, many times a spin's cost.
 */
const STALL_LOOK_SPINS = 4096;

const DEFAULT_BARRIER: BarrierOptions = { spins: BARRIER_SPINS, mainWaits: false, stallMs: BARRIER_STALL_MS };

/** Barrier words from `ctl` (i32): [count, generation, abort, thread 0's waits, then each thread's arrival]. */
export const ctlWords = (threads: number): number => 4 + threads;

/**
 * Before a run, on its barrier words (ctlWords(threads) of them): no count, no abort, no waits, and every arrival
 * word one behind the generation (so that no thread counts as arrived at the run's first barrier before it has).
 */
export function resetBarrier(words: Int32Array): void {
  words[0] = 0;
  words[2] = 0;
  words[3] = 0;
  words.fill(words[1] - 1, 4);
}

/**
 * barrier(ctl, nthreads, tid): every thread waits here until all have arrived. ctl: ctlWords(nthreads) i32 words,
 * [count, generation, abort, the times thread 0 entered a wait, each thread's arrival]. An arriving thread writes
 * the generation it arrives at to its arrival word, then counts itself in; the last to arrive resets the count,
 * bumps the generation and wakes the sleepers. The others spin on the generation (options.spins), then go on
 * waiting in barrier_wait. The order of arrival changes nothing but the time. One thread: returns at once.
 * NOTE: the spin loop calls nothing and holds nothing else: with the waits and thread 0's stall watch (its loop,
 * its cmpxchg) in the same loop, though never reached in the spins, a step of 2 threads took longer:
 * `npx tsx src/node/wasm-threads.ts --steps 200`, 5 runs each interleaved with the code before the watch, load
 * ~5 on 2 cores, b-mse medians: calling thread sleeping 1.53 ms against 1.22, spinning 1.60 against 1.29.
 */
export function barrierFunc(m: ModuleBuilder, now: Func, options: BarrierOptions = DEFAULT_BARRIER): Func {
  const wait = barrierWait(m, now, options);
  const fn = m.func('barrier', [i32t, i32t, i32t], []);
  const [ctl, nthreads, tid] = [0, 1, 2];
  const gen = fn.local(i32t), spins = fn.local(i32t);
  const genAddr = i32.add(get(ctl), i32c(4));
  fn.body = seq(
    ifThen(i32.le_s(get(nthreads), i32c(1)), ret),
    set(gen, i32.atomicLoad(genAddr)),
    i32.store(i32.add(get(ctl), i32.shl(get(tid), i32c(2))), get(gen), 16), // the arrival word
    ifThen(i32.eq(i32.atomicAdd(get(ctl), i32c(1)), i32.sub(get(nthreads), i32c(1))),
      seq(
        i32.atomicStore(get(ctl), i32c(0)),
        drop(i32.atomicAdd(genAddr, i32c(1))),
        drop(i32.atomicNotify(genAddr, i32c(-1))),
        ret,
      )),
    block(
      block(loop(
        brIf(2, i32.ne(i32.atomicLoad(genAddr), get(gen))),
        brIf(2, i32.atomicLoad(i32.add(get(ctl), i32c(8)))), // a thread failed: leave (the caller throws)
        set(spins, i32.add(get(spins), i32c(1))),
        brIf(0, i32.lt_s(get(spins), i32c(options.spins))),
      )),
      call(wait, get(ctl), get(nthreads), get(tid), get(gen)),
    ),
  );
  return fn;
}

/**
 * barrier_wait(ctl, nthreads, tid, gen): a barrier's wait after its spins, until the generation moves from `gen` or
 * abort is raised. Workers (tid > 0) sleep on the generation (memory.atomic.wait32, 1 ms at a time); thread 0 sleeps
 * too where it may (options.mainWaits: not a browser's main thread, which only spins), counting its waits in
 * ctl[3].
 * Thread 0 also watches the count: after options.stallMs with no thread arriving, it raises abort to
 * −(t + 1) for the first thread t that has not arrived (its arrival word is not `gen`; t = nthreads where every
 * thread arrived and the last did not release the barrier) and wakes the sleepers, so
 * that every thread leaves and WasmNet.run throws instead of waiting for a dead worker forever. Where it sleeps,
 * each wait that times out adds its 1 ms to the stalled time — no clock: a wait that timed out took at least that
 * long, so the count never runs ahead of the time. Where it only spins, every STALL_LOOK_SPINS spins it reads the
 * clock (the host's performance.now, imported as `now`), each look adding at most STALL_STEP_MS.
 */
function barrierWait(m: ModuleBuilder, hostNow: Func, options: BarrierOptions): Func {
  const fn = m.func('barrier_wait', [i32t, i32t, i32t, i32t], []);
  const [ctl, nthreads, tid, gen] = [0, 1, 2, 3];
  const seen = fn.local(i32t), looks = fn.local(i32t), missing = fn.local(i32t);
  const now = fn.local(f64t), last = fn.local(f64t), stalled = fn.local(f64t);
  const genAddr = i32.add(get(ctl), i32c(4));
  const abortAddr = i32.add(get(ctl), i32c(8));
  // NOTE: a 1 ms timeout, not -1 (forever): a failing worker raises abort and notifies, and a notify that lands
  // between this thread's abort check and its wait would wake no one; the loop re-checks both.
  const wait = i32.atomicWait(genAddr, get(gen), i64c(BARRIER_WAIT_NS));
  // The stalled time: back to 0 when the count has moved since the last look (and at the first look: `seen`
  // starts at 0, and the count, thread 0 counted in, is not 0 before the generation moves), else `more`.
  const look = (more: Code): Code => ifThen(i32.ne(i32.atomicLoad(get(ctl)), get(seen)),
    seq(set(seen, i32.atomicLoad(get(ctl))), set(stalled, f64c(0))),
    set(stalled, f64.add(get(stalled), more)));
  // Past stallMs with the generation not moved: abort, naming the first thread not arrived, or — every arrival word
  // at `gen`: a thread that wrote its word, then stopped before counting itself in or, the last to arrive, before
  // moving the generation — none, as −(nthreads + 1): no one count or release moved in stallMs, so it is as lost as a
  // thread that never arrived. Unless a thread failed first; the loop then leaves on abort.
  const giveUp = ifThen(f64.gt(get(stalled), f64c(options.stallMs)), seq(
    set(missing, i32c(1)),
    block(loop(
      brIf(1, i32.ge_s(get(missing), get(nthreads))),
      brIf(1, i32.ne(i32.atomicLoad(i32.add(i32.add(get(ctl), i32c(16)), i32.shl(get(missing), i32c(2)))), get(gen))),
      set(missing, i32.add(get(missing), i32c(1))),
      br(0),
    )),
    set(stalled, f64c(0)),
    ifThen(i32.eq(i32.atomicLoad(genAddr), get(gen)), seq(
      drop(i32.atomicCmpxchg(abortAddr, i32c(0), i32.sub(i32c(-1), get(missing)))),
      drop(i32.atomicNotify(genAddr, i32c(-1))),
    )),
  ));
  const thread0 = options.mainWaits
    ? seq(
      drop(i32.atomicAdd(i32.add(get(ctl), i32c(12)), i32c(1))),
      ifThen(i32.eq(wait, i32c(2)), seq(look(f64c(BARRIER_WAIT_NS / 1e6)), giveUp)))
    : seq(
      set(looks, i32.add(get(looks), i32c(1))),
      ifThen(i32.eqz(i32.and(get(looks), i32c(STALL_LOOK_SPINS - 1))), seq(
        set(now, call(hostNow)),
        look(f64.min(f64.sub(get(now), get(last)), f64c(STALL_STEP_MS))),
        set(last, get(now)),
        giveUp,
      )));
  fn.body = block(loop(
    brIf(1, i32.ne(i32.atomicLoad(genAddr), get(gen))),
    brIf(1, i32.atomicLoad(abortAddr)),
    ifThen(i32.eqz(get(tid)), thread0, drop(wait)),
    br(0),
  ));
  return fn;
}
