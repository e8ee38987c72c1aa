/**
 * The wasm backend: WebAssembly SIMD (f32x4; the relaxed-SIMD fused multiply-add where the engine has it),
 * on worker threads over one shared WebAssembly.Memory where the page may share memory (cross-origin
 * isolated; always in Node), on the calling thread alone otherwise. Checked against the CPU oracle
 * (test/wasm.test.ts, test/browser/wasm.test.ts).
 *
 * One memory per backend. `compile(net, n)` places the net's arrays in it (./program.ts `layoutOf`), growing
 * it once if needed, and builds the net's module (kernels + a `run` with the net's sizes as constants), which
 * every thread instantiates. A run is one call into wasm per thread for all its steps; no step allocates.
 * Nets (and fit's reservations) are placed first-fit: in the lowest gap between live ones that holds them, else after
 * the last; disposing one frees its space for the next (so a step net and a fit trainer that change size in turn
 * do not climb the memory).
 */
import { type Backend, type BackendTrainer, checkCompile, checkTrainer } from '../backend.ts';
import { DisposedError, LimitError, SpecError, WasmThreadError, WasmUnavailableError } from '../errors.ts';
import type { Net } from '../spec.ts';
import { checkOptions, describe, integerIn, oneOf } from '../checks.ts';
import { type OwnMemory, formatBytes } from '../budget.ts';
import { wasmMemory } from './budget.ts';
import { ModuleBuilder, f32x4, get, v128t } from './emit.ts';
import { type Layout, HOST_IMPORTS, PAGE, type RunMode, layoutOf, layoutOn, netModule } from './program.ts';
import { BARRIER_SPINS, BARRIER_STALL_MS, type BarrierOptions, ctlWords, resetBarrier } from './barrier.ts';
import { type Tiling, tilingFor } from './gemm.ts';
import { PEAK_CHAINS, PEAK_FLOPS_PER_ITERATION, peakModule } from './peak.ts';
import { MAX_THREADS, netThreads } from './limits.ts';
import { WorkerPool } from './threads.ts';
import { WasmTrainer } from './train.ts';
import { type NetViews, type RunFn, WasmNet } from './net.ts';
import type { OptimizerName } from '../train/optimizers.ts';

/** The largest memory a backend may grow to (pages of 64 KiB): 2 GiB. */
const MAX_PAGES = 32768;

/**
 * After a thread of a run fails, the longest the calling thread waits for the others to leave the run (each leaves
 * at its next barrier, so within one phase); past it the backend is disposed (WasmThreadError.disposed).
 */
export const LEAVE_TIMEOUT_MS = 10_000;

export { MAX_THREADS } from './limits.ts';

/**
 * A backend dropped without dispose() — a model made in a loop and left to the garbage collector — ends its workers
 * when the engine collects it: each held its threads and, through them, its shared memory for the life of the
 * process (a sweep of 48 wasm models, MNIST 784-128-10 on 2 threads, grew by a thread and about 17 MiB each;
 * test/wasm-unreachable.test.ts). The pool references no backend, so holding it here keeps none alive; dispose()
 * unregisters. When the engine collects is its own affair: dispose() is still the way to free them at once.
 */
const unreachable = new FinalizationRegistry<WorkerPool>((pool) => pool.terminate());

export type SimdKind = 'relaxed' | 'simd';

/** Does this engine validate a module with f32x4 SIMD (and with f32x4.relaxed_madd)? */
export function simdSupport(): { simd: boolean; relaxed: boolean } {
  const probe = (relaxed: boolean): boolean => {
    const m = new ModuleBuilder();
    const fn = m.func('f', [v128t], [v128t], true);
    fn.body = relaxed ? f32x4.relaxedMadd(get(0), get(0), get(0)) : f32x4.add(get(0), get(0));
    try {
      return typeof WebAssembly === 'object' && WebAssembly.validate(m.bytes());
    } catch {
      return false;
    }
  };
  return { simd: probe(false), relaxed: probe(true) };
}

/** Can this page share memory with workers (SharedArrayBuffer: cross-origin isolated, or Node)? */
function canShare(): { ok: boolean; why: string } {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  // Isolated and still none: the browser's own policy (WebKitGTK 2.50), which no header changes (test/lab-device-no-sab.test.ts).
  if (typeof SharedArrayBuffer === 'undefined' && isolated === true) return { ok: false, why: 'the browser offers no SharedArrayBuffer on this page though it is cross-origin isolated, so no wasm threads (nothing the server sends changes that)' };
  if (typeof SharedArrayBuffer === 'undefined') return { ok: false, why: 'no SharedArrayBuffer: the page is not cross-origin isolated, no COOP/COEP headers' };
  if (isolated === false) return { ok: false, why: 'the page is not cross-origin isolated (COOP/COEP headers)' };
  if (typeof Worker === 'undefined' && !(typeof process !== 'undefined' && process.versions?.node)) return { ok: false, why: 'no Worker here' };
  return { ok: true, why: '' };
}

/**
 * May this thread sleep in Atomics.wait / memory.atomic.wait32? Not a browser's main thread (it throws there,
 * before comparing the value); Node's main thread, workers, and a backend made in a Web Worker may.
 */
function callerMayWait(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function hardwareThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

export interface WasmOptions {
  /** Threads (the calling thread included), 1 … MAX_THREADS. Default: the machine's hardware threads, at most 8; 1 without shared memory. */
  threads?: number;
  /** 'auto' (default): relaxed SIMD where the engine validates it. 'simd' forces f32x4.mul + f32x4.add. */
  simd?: 'auto' | SimdKind;
  /**
   * The GEMM's block (./gemm.ts Tiling), for tests and measurement: MR 1 … 8 rows, NV 1 … 4 vectors, KC 0 (no K
   * blocking) or 1 … 65 536. Default: the SIMD kind's (tilingFor: 6 × 2 with relaxed SIMD, 4 × 2 without). No result
   * depends on it (every output is the same f32 sum over k ascending); its speed and the packs' padding do.
   */
  tiling?: Tiling;
  /**
   * The barriers' wait (./barrier.ts), for tests and measurement (src/node/wasm-threads.ts): `spins` before
   * a thread sleeps (default BARRIER_SPINS); `callerSleeps: false` keeps the calling thread spinning even where it
   * could sleep (default: it sleeps where it may), in the barriers and while it waits for the workers after a failure;
   * `stallMs`: how long the calling thread waits at a barrier with no thread arriving before it takes a missing worker
   * for dead, ends the run and disposes the backend (WasmThreadError `stalled`; default BARRIER_STALL_MS, 30 s).
   */
  barrier?: { spins?: number; callerSleeps?: boolean; stallMs?: number };
}

export class WasmBackend implements Backend {
  readonly kind = 'wasm' as const;
  readonly description: string;
  readonly simd: SimdKind;
  /** The GEMM's block (BackendOptions' `tiling`, or the SIMD kind's). */
  readonly tiling: Tiling;
  /** Threads a net may use (1 = the calling thread only). */
  readonly threads: number;
  /** Why there are no worker threads, when there are none. */
  readonly singleThreadReason: string | null;
  /** @internal */
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared (threads possible). */
  readonly shared: boolean;
  /** What the memory takes for a net, from its layout with this backend's threads (./budget.ts): the budget's own count. */
  readonly ownMemory: OwnMemory;
  private readonly pool: WorkerPool | null;
  /**
   * @internal The barriers' wait (./barrier.ts): spins, then sleep; thread 0 sleeps too where it may
   * (callerMayWait), and gives up on a missing thread after stallMs with no arrival.
   */
  readonly barrier: BarrierOptions;
  /** Live placements' [start, end) in memory, by start. */
  private readonly placed: { id: number; start: number; end: number }[] = [];
  private nextId = 1;
  private disposed = false;
  /** Test-only (injectFault): the thread that fails in the next multi-thread run, after how many steps. */
  private fault: Fault | null = null;

  private constructor(memory: WebAssembly.Memory, pool: WorkerPool | null, simd: SimdKind, tiling: Tiling, threads: number, singleThreadReason: string | null,
    barrier: BarrierOptions) {
    this.memory = memory;
    this.barrier = barrier;
    this.shared = memory.buffer.constructor.name === 'SharedArrayBuffer';
    this.pool = pool;
    this.simd = simd;
    this.tiling = tiling;
    this.threads = threads;
    this.ownMemory = wasmMemory(threads, tiling);
    this.singleThreadReason = singleThreadReason;
    const simdText = simd === 'relaxed' ? 'f32x4 SIMD with relaxed-SIMD FMA' : 'f32x4 SIMD (no relaxed SIMD: mul + add)';
    const threadText = threads > 1 ? `${threads} threads on shared memory` : `1 thread${singleThreadReason ? ` (${singleThreadReason})` : ''}`;
    this.description = `WebAssembly: ${simdText}, ${threadText}`;
  }

  /**
   * Throws SpecError naming the option for an unknown option or a bad value (before anything is made);
   * WasmUnavailableError when the engine has no WebAssembly SIMD (or relaxed SIMD was asked for and it has none).
   */
  static async create(options: WasmOptions = {}): Promise<WasmBackend> {
    const o = checkOptions(options, 'options', ['threads', 'simd', 'barrier', 'tiling']);
    const choice = o.simd === undefined ? 'auto' : oneOf(o.simd, ['auto', 'relaxed', 'simd'] as const, 'simd');
    const wanted = integerIn(o.threads === undefined ? Math.min(8, hardwareThreads()) : o.threads, 'threads', 1, MAX_THREADS);
    const barrier = checkOptions(o.barrier, 'barrier', ['spins', 'callerSleeps', 'stallMs'], 'barrier.');
    const spins = integerIn(barrier.spins ?? BARRIER_SPINS, 'barrier.spins', 0, 2 ** 31 - 1, '2³¹ − 1');
    if (barrier.callerSleeps !== undefined && typeof barrier.callerSleeps !== 'boolean') {
      throw new SpecError('barrier.callerSleeps', `must be true or false, got ${describe(barrier.callerSleeps)}`);
    }
    const stallMs = integerIn(barrier.stallMs ?? BARRIER_STALL_MS, 'barrier.stallMs', 1, 2 ** 31 - 1, 'milliseconds; 2³¹ − 1');
    let given: Tiling | undefined;
    if (o.tiling !== undefined) {
      const t = checkOptions(o.tiling, 'tiling', ['MR', 'NV', 'KC'], 'tiling.');
      given = Object.freeze({ MR: integerIn(t.MR, 'tiling.MR', 1, 8), NV: integerIn(t.NV, 'tiling.NV', 1, 4), KC: integerIn(t.KC, 'tiling.KC', 0, 65536) });
    }
    // An engine without WebAssembly at all (V8 with its JIT off, --jitless: Chromium then defines no WebAssembly) is
    // said as such: "does not validate f32x4 SIMD" read as an old engine, one SIMD short (the bench page's line).
    if (typeof WebAssembly !== 'object') throw new WasmUnavailableError('this engine has no WebAssembly at all (WebAssembly is not defined: V8 without its JIT, --jitless, has none)');
    const support = simdSupport();
    if (!support.simd) throw new WasmUnavailableError('this engine does not validate f32x4 SIMD');
    if (choice === 'relaxed' && !support.relaxed) throw new WasmUnavailableError('relaxed SIMD was asked for but this engine does not validate f32x4.relaxed_madd');
    const simd: SimdKind = choice === 'auto' ? (support.relaxed ? 'relaxed' : 'simd') : choice;
    const share = canShare();
    const threads = share.ok ? wanted : 1;
    const reason = share.ok ? null : share.why;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: share.ok });
    const pool = threads > 1 ? await WorkerPool.create(memory, threads - 1) : null;
    const backend = new WasmBackend(memory, pool, simd, given ?? tilingFor(simd), threads, reason, { spins, mainWaits: share.ok && barrier.callerSleeps !== false && callerMayWait(), stallMs });
    if (pool) unreachable.register(backend, pool, backend);
    return backend;
  }

  /** @internal */
  check(what: string): void {
    if (this.disposed) throw new DisposedError(what);
  }

  /** Where `bytes` (a multiple of 16) go: the lowest gap between live placements that holds them, else after the last. */
  private spot(bytes: number): number {
    let at = 16;
    for (const p of this.placed) {
      if (p.start - at >= bytes) return at;
      at = Math.max(at, p.end);
    }
    return at;
  }

  /** Record a placement, keeping `placed` ordered by start. */
  private place(id: number, start: number, end: number): void {
    const k = this.placed.findIndex((p) => p.start > start);
    this.placed.splice(k < 0 ? this.placed.length : k, 0, { id, start, end });
  }

  /**
   * Grow the memory (once) so that it reaches byte `end`. Past MAX_PAGES, or when the engine refuses to grow it:
   * LimitError naming `field` and `what` (nothing placed, nothing changed).
   */
  private reach(end: number, field: string, what: string): void {
    const needPages = Math.ceil(end / PAGE);
    const havePages = this.memory.buffer.byteLength / PAGE;
    const limit = (why: string): LimitError => new LimitError(field, `${what} needs wasm memory up to ${formatBytes(end)} (${needPages} pages of 64 KiB), ${why}: use fewer examples at a time, or the cpu backend`);
    if (needPages > MAX_PAGES) throw limit(`more than the ${MAX_PAGES} pages (2 GiB) a wasm memory can hold`);
    if (needPages > havePages) {
      try {
        this.memory.grow(needPages - havePages);
      } catch (err) {
        if (err instanceof RangeError) throw limit(`and this engine could not grow the memory to that (${err.message})`);
        throw err;
      }
    }
  }

  /**
   * @internal `bytes` of memory (16-aligned) for fit's trainer (its data set, order, optimiser slots), placed like a
   * net; `release(id)` frees it. The memory may grow (views of it must be remade). LimitError naming `field` when
   * it cannot.
   */
  reserve(bytes: number, what: string, field = 'x'): { id: number; at: number } {
    this.check('this wasm backend');
    const size = Math.ceil(bytes / 16) * 16;
    const at = this.spot(size);
    const end = at + size;
    this.reach(end, field, what);
    const id = this.nextId++;
    this.place(id, at, end);
    return { id, at };
  }

  /** @internal A module on this backend's memory, on the calling thread only (fit's gather: every batch's optimiser runs in its net's run). */
  instantiate(make: (o: { relaxed: boolean; tiling: Tiling; shared: boolean; maxPages: number }) => Uint8Array<ArrayBuffer>): WebAssembly.Exports {
    const bytes = make({ relaxed: this.simd === 'relaxed', tiling: this.tiling, shared: this.shared, maxPages: MAX_PAGES });
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: this.memory, ...HOST_IMPORTS } }).exports;
  }

  compile(given: Net, n: number): WasmNet {
    this.check('this wasm backend');
    const net = checkCompile(given, n);
    // Every offset in a layout is 16-aligned from its base: its size is the same wherever it goes.
    const size = layoutOf(net, n, 16, this.threads, this.tiling).end - 16;
    return this.build(net, n, layoutOf(net, n, this.spot(size), this.threads, this.tiling));
  }

  /**
   * @internal For fit's partial batches (./train.ts): a net of n < on.n examples of `net` (on's net) on on's arrays
   * (./program.ts layoutOn): the same W, b, dW, db; X, Y, Z, A, delta and the rest at on's addresses, each a
   * rows × n matrix at n's stride (not on's first n columns: a run writes them before it reads them). Only its
   * barrier words, zero bias, loss and optimiser block are its own; nothing is copied.
   */
  compileOn(net: Net, on: WasmNet, n: number): WasmNet {
    this.check('this wasm backend');
    if (!(Number.isInteger(n) && n >= 1 && n < on.n)) throw new Error(`internal: a net of ${n} examples on one of ${on.n}`);
    const size = layoutOn(on.layout, net, n, 16, this.threads, this.tiling).end - 16;
    return this.build(net, n, layoutOn(on.layout, net, n, this.spot(size), this.threads, this.tiling));
  }

  /** The net's module on `layout`, its memory reached and placed. */
  private build(net: Net, n: number, layout: Layout): WasmNet {
    this.reach(layout.end, 'x', `this net (${[net.inputs, ...net.layers.map((layer) => layer.units)].join('-')}) at a batch of ${n} examples`);
    const bytes = netModule(net, n, layout, { relaxed: this.simd === 'relaxed', tiling: this.tiling, barrier: this.barrier, shared: this.shared, maxPages: MAX_PAGES });
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory, ...HOST_IMPORTS } });
    const id = this.nextId++;
    this.pool?.compile(id, module);
    this.place(id, layout.base, layout.end);
    return new WasmNet(this, id, net, n, layout, instance.exports.run as RunFn, this.threadsFor(net, n));
  }

  /**
   * The threads a net of `net` at a batch of `n` examples runs on here: this backend's, or 1 where a step is under
   * THREAD_MIN_WORK multiply-adds (Σ units·fanIn·n, forward only). What `description` says is the backend's count;
   * the bench and the lab say when a net runs on fewer.
   */
  threadsFor(net: Net, n: number): number {
    return netThreads(net, n, this.threads);
  }

  /** fit's trainer (./train.ts): the wasm step kernels, with gather and the optimisers on the wasm memory. */
  trainer(net: Net, batchSize: number, optimizer: OptimizerName): BackendTrainer {
    this.check('this wasm backend');
    return new WasmTrainer(this, checkTrainer(net, batchSize, optimizer), batchSize, optimizer);
  }

  /** @internal Forget a net (or a reservation): its module in the workers, and its memory. */
  release(id: number): void {
    this.pool?.drop(id);
    const k = this.placed.findIndex((p) => p.id === id);
    if (k >= 0) this.placed.splice(k, 1);
  }

  /** @internal Start workers 1 … nt−1 on a run (the caller is thread 0); `fault`: injectFault's, for this run. */
  startWorkers(id: number, steps: number, lr: number, mode: RunMode, nt: number, layout: Layout, fault: Fault | null): void {
    this.pool?.run(id, steps, lr, mode, nt, layout.ctl, layout.ctl + 8, fault);
  }

  /**
   * @internal Test-only hook (test/wasm-abort.test.ts): in the next run of `tid + 1` or more threads on this backend,
   * thread `tid` (0: the calling thread; 1 … threads−1: that worker) runs `after` steps in step with the others,
   * then throws. Valid input cannot make a thread trap, so this is how the abort path is exercised.
   * `how` 'exit' (a worker only): the worker ends itself there instead, inside the run, as a worker that dies
   * mid-run would (the barrier's stall watch ends that run: WasmThreadError `stalled`). 'exit-releasing': it first
   * waits for every other thread to arrive at the next barrier, counts itself in as the last, and ends before
   * releasing them (a worker dying inside the barrier: WasmThreadError `stalled`, thread −1).
   */
  injectFault(tid: number, after = 0, how: 'throw' | 'exit' | 'exit-releasing' = 'throw'): void {
    const first = how === 'throw' ? 0 : 1;
    if (!Number.isInteger(tid) || tid < first || tid >= this.threads) throw new RangeError(`tid must be an integer in ${first} … ${this.threads - 1}, got ${tid}`);
    if (!Number.isInteger(after) || after < 0) throw new RangeError(`after must be a whole number of steps, got ${after}`);
    this.fault = { tid, after, exit: how !== 'throw', releasing: how === 'exit-releasing' };
  }

  /** @internal The injected fault for a run on `nt` threads (taken: it applies once), or null. */
  takeFault(nt: number): Fault | null {
    const fault = this.fault;
    if (!fault || nt < 2 || fault.tid >= nt) return null;
    this.fault = null;
    return fault;
  }

  /**
   * @internal Test-only hook (test/wasm-abort.test.ts): end worker `tid` (1 … threads−1) between runs, as a worker
   * that dies without throwing would (WorkerPool.kill), and resolve once the backend has seen it go. The next run
   * on this backend throws WasmThreadError.
   */
  async killWorker(tid: number): Promise<void> {
    this.check('this wasm backend');
    if (!this.pool || !Number.isInteger(tid) || tid < 1 || tid >= this.threads) throw new RangeError(`tid must be a worker's thread id, 1 … ${this.threads - 1}, got ${tid}`);
    if (!await this.pool.kill(tid)) throw new Error(`worker ${tid} was ended but no event said so within 1 s (a browser tells nothing when a worker is ended from outside)`);
  }

  /**
   * A worker that ended or failed outside a run (WorkerPool.lost: its thread id and what happened), or null. Such
   * a backend cannot run: its next run disposes it and throws WasmThreadError (`disposed` true).
   */
  get lostWorker(): { thread: number; reason: string } | null {
    return this.pool?.lost ?? null;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * @internal Before any run: when a worker was lost outside a run (lostWorker), dispose the backend and throw
   * WasmThreadError, rather than start a run that would wait at a barrier for that worker forever.
   */
  checkWorkers(): void {
    const lost = this.pool?.lost;
    if (!lost) return;
    this.dispose();
    throw new WasmThreadError(lost.thread, this.threads, `it ${lost.reason}, outside a run`, true, { betweenRuns: true });
  }

  /** @internal The last error a worker reported. */
  get workerError(): string | null {
    return this.pool?.lastError ?? null;
  }

  /**
   * @internal Workers inside a run (or told to start one) now: 0 once WasmNet.run has thrown WasmThreadError — but
   * not after a stall (`stalled`): the dead worker never leaves, and the backend is disposed without waiting for it.
   */
  get workersInRun(): number {
    return this.pool?.inRun ?? 0;
  }

  /**
   * @internal After thread `thread` of an `nt`-thread run failed (the abort word is raised): wait for the workers to
   * leave the run, at most LEAVE_TIMEOUT_MS, and make the error to throw. When they do not all leave in time the
   * backend is disposed (its workers end), so that no later run can meet a worker still inside this one.
   */
  threadFailed(thread: number, nt: number, own: unknown): WasmThreadError {
    const left = this.pool?.waitIdle(LEAVE_TIMEOUT_MS, this.barrier.mainWaits) ?? true;
    if (!left) this.dispose();
    const message = thread === 0 ? String(own) : this.workerError ?? 'its message has not arrived yet (WasmBackend.workerError will hold it)';
    return new WasmThreadError(thread, nt, message, !left, thread === 0 ? { cause: own } : undefined);
  }

  /**
   * @internal After the calling thread gave up on thread `thread` of an `nt`-thread run at a barrier (it stopped
   * arriving: the abort word is −(thread + 1)): dispose the backend at once, without waiting for the workers to
   * leave (the lost one never would), and make the error to throw.
   */
  threadStalled(thread: number, nt: number): WasmThreadError {
    this.dispose();
    const stallMs = this.barrier.stallMs;
    // thread = nt (./barrier.ts): every thread had arrived, and the one counting itself in or releasing stopped.
    if (thread >= nt) {
      const why = `every thread had arrived at a barrier, and the last to arrive stopped before releasing the others (no progress there in ${stallMs} ms, barrier.stallMs): it died during the run, or is stuck`;
      return new WasmThreadError(-1, nt, why, true, { stalled: true });
    }
    const why = `it did not reach a barrier within ${stallMs} ms of the last thread to arrive there (barrier.stallMs): it died during the run, or is stuck`;
    return new WasmThreadError(thread, nt, why, true, { stalled: true });
  }

  /**
   * The f32x4 multiply-add peak of `threads` threads at once (./peak.ts: 12 independent accumulators, no loads),
   * in GFLOP/s: the best of `reps` timed calls of `iterations` per thread, after warm-up calls that let the
   * engine compile the loop with its optimising tier. For the benchmark's "share of peak" column.
   */
  async measurePeak(threads: number, iterations = 2_000_000, reps = 3): Promise<number> {
    this.check('this wasm backend');
    this.checkWorkers();
    if (!Number.isInteger(threads) || threads < 1 || threads > this.threads) throw new RangeError(`threads must be an integer in 1 … ${this.threads}, got ${threads}`);
    const ctlBytes = Math.ceil(ctlWords(this.threads) / 4) * 16;
    const size = ctlBytes + 16 * PEAK_CHAINS * this.threads;
    const ctl = this.spot(size);
    const sink = ctl + ctlBytes;
    const end = ctl + size;
    this.reach(end, 'threads', 'the peak loop');
    new Float32Array(this.memory.buffer, sink, 4 * PEAK_CHAINS * this.threads).fill(1e-3);
    const words = new Int32Array(this.memory.buffer, ctl, ctlWords(this.threads)).fill(0);
    const bytes = peakModule({ relaxed: this.simd === 'relaxed', tiling: this.tiling, barrier: this.barrier, shared: this.shared, maxPages: MAX_PAGES }, ctl, sink);
    const module = new WebAssembly.Module(bytes);
    const run = new WebAssembly.Instance(module, { env: { memory: this.memory, ...HOST_IMPORTS } }).exports.run as RunFn;
    const id = this.nextId++;
    this.pool?.compile(id, module);
    this.place(id, ctl, end);
    const call = (n: number): number => {
      resetBarrier(words);
      const t0 = performance.now();
      if (threads > 1) this.pool?.run(id, n, 0, 0, threads, ctl, ctl + 8);
      run(n, 0, 0, 0, threads);
      const ms = performance.now() - t0;
      const failed = Atomics.load(words, 2);
      if (failed < 0) throw this.threadStalled(-failed - 1, threads);
      return ms;
    };
    try {
      for (let k = 0; k < 4; k++) {
        call(iterations / 8);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      let best = Infinity;
      for (let k = 0; k < reps; k++) best = Math.min(best, call(iterations));
      return (threads * iterations * PEAK_FLOPS_PER_ITERATION) / best / 1e6;
    } finally {
      this.release(id);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    unreachable.unregister(this);
    this.pool?.terminate();
  }
}

/**
 * A test-only fault (WasmBackend.injectFault): thread `tid` throws (or, a worker, ends itself: `exit`) after `after`
 * steps; `releasing`: it ends as the last thread counted in at the next barrier, before releasing it.
 */
export interface Fault {
  tid: number;
  after: number;
  exit: boolean;
  releasing: boolean;
}

// The net a compile makes (./net.ts), for importers of this module.
export { WasmNet, type NetViews };
