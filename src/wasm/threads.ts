/**
 * The wasm backend's worker threads: Web Workers in a browser, worker_threads in Node, all on one shared
 * WebAssembly.Memory. Each worker instantiates every net's module on that memory and, when told, runs the
 * net's `run` with its own thread id; the calling thread is thread 0 and runs its share at the same time
 * (./program.ts: the barriers in `run` keep the phases in step).
 *
 * NOTE: a worker instantiates the module the caller compiled (posted as a WebAssembly.Module), not its bytes: the
 * threads then share one compiled module, so each function is compiled once, and the engine's optimised code for it
 * (V8 tiers a hot function up in the background) serves every thread. Compiled from the bytes in each worker, every
 * module was compiled twice and tiered up twice on a 2-core machine that is computing meanwhile. Config e on 2
 * threads, the two versions in turn (`bench/probes/fit-epochs.ts e-adam 2 2`, 4 times each, 2026-12-05 11:50 UTC):
 * epoch 1 median 0.176 against 0.184 s, the whole fit 0.498 against 0.507 s — small, but less work every time.
 *
 * Workers start and report ready before the backend is made (a browser starts a worker only while the main
 * thread is free). After that, messages reach a worker while the main thread is in `run` (spinning, or sleeping
 * where it may: ./barrier.ts).
 */

/**
 * The worker's whole program (plain JavaScript, the same text in a browser and in Node). Messages:
 *   init {memory, busy}    keep the shared memory and the pool's busy word, answer ready
 *   compile {id, module}   instantiate a net's module (the caller's compiled WebAssembly.Module: the NOTE above)
 *   drop {id}              forget it
 *   run {id, steps, lr, mode, tid, nt, ctl, abort, fault, exit}   run the net's steps as thread tid of nt
 * On an error in run it raises the net's abort word to tid + 1 (unless a thread raised it first) and wakes the
 * sleepers, so the other threads leave their barriers, then reports the error. Whether run ends or fails, it then
 * takes 1 from `busy` and wakes whoever waits on it (the caller, after an abort: WorkerPool.waitIdle).
 * `fault` and `exit` are test-only hooks (WasmBackend.injectFault): −1, or the steps after which the worker throws
 * (fault) or ends itself inside the run, as a worker that dies would: no abort, no `busy` taken, no message (exit);
 * with `releasing`, it ends inside the next barrier, counted in as the last thread but not releasing the others.
 */
import type { RunMode } from './program.ts';

const WORKER_SOURCE = `
const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node);
// As CommonJS (require), or as an ES module where the parent runs with --input-type=module (getBuiltinModule, Node ≥ 20.16).
const port = isNode ? (typeof require === 'function' ? require : process.getBuiltinModule)('node:worker_threads').parentPort : self;
const post = (msg) => port.postMessage(msg);
let memory = null;
let busy = null;
const nets = new Map();
function run(msg) {
  if (msg.exit >= 0) {
    nets.get(msg.id).run(Math.min(msg.exit, msg.steps), msg.lr, msg.mode, msg.tid, msg.nt);
    if (msg.releasing && msg.exit < msg.steps) {
      // The barrier's arrival (./barrier.ts) as the last thread, without its release: count at nthreads, generation unmoved.
      const words = new Int32Array(memory.buffer);
      const ctl = msg.ctl >> 2;
      while (Atomics.load(words, ctl) !== msg.nt - 1);
      Atomics.store(words, ctl + 4 + msg.tid, Atomics.load(words, ctl + 1));
      Atomics.add(words, ctl, 1);
    }
    if (isNode) process.exit(70);
    close();
    return;
  }
  try {
    if (msg.fault >= 0) {
      nets.get(msg.id).run(Math.min(msg.fault, msg.steps), msg.lr, msg.mode, msg.tid, msg.nt);
      throw new Error('a fault injected by a test after ' + msg.fault + ' step(s) (WasmBackend.injectFault)');
    }
    nets.get(msg.id).run(msg.steps, msg.lr, msg.mode, msg.tid, msg.nt);
  } catch (err) {
    const words = new Int32Array(memory.buffer);
    Atomics.compareExchange(words, msg.abort >> 2, 0, msg.tid + 1);
    Atomics.notify(words, (msg.ctl >> 2) + 1);
    throw err;
  } finally {
    Atomics.sub(busy, 0, 1);
    Atomics.notify(busy, 0);
  }
}
function onMessage(msg) {
  try {
    if (msg.cmd === 'init') { memory = msg.memory; busy = msg.busy; post({ cmd: 'ready' }); }
    else if (msg.cmd === 'compile') {
      const env = { memory, exp: Math.exp, log: Math.log, tanh: Math.tanh, now: () => performance.now() };
      nets.set(msg.id, new WebAssembly.Instance(msg.module, { env }).exports);
    } else if (msg.cmd === 'drop') nets.delete(msg.id);
    else if (msg.cmd === 'run') run(msg);
  } catch (err) {
    post({ cmd: 'error', message: String((err && err.stack) || err) });
  }
}
if (isNode) port.on('message', onMessage); else self.onmessage = (e) => onMessage(e.data);
`;

type Message = Record<string, unknown>;

interface Port {
  post(msg: Message): void;
  /** Ends the worker; resolves once it has ended (Node), at once in a browser. */
  terminate(): Promise<unknown>;
}

/** A worker the pool lost outside a run: its thread id (1 … size) and what happened. */
export interface LostWorker {
  thread: number;
  reason: string;
}

export class WorkerPool {
  /** The error a worker reported in the last run (null if none, or if it has not arrived yet: it comes as a message). */
  lastError: string | null = null;
  /**
   * The first worker that ended or failed outside our control (Node: its `exit`, `error` or `messageerror` event;
   * a browser: `error` or `messageerror` — a browser tells nothing when a worker is ended from outside), or null.
   * A pool that lost a worker cannot run: its runs would wait at a barrier for that worker forever.
   * NOTE: events arrive on the calling thread's event loop, so a worker lost during a run (the calling thread is
   * inside it, not in its event loop) is not seen here until after that run. The run itself ends through the
   * barrier's stall watch (./barrier.ts, BARRIER_STALL_MS): thread 0 gives up on a thread that has not
   * arrived after stallMs with no arrival, raises the abort word, and WasmNet.run disposes the backend and throws
   * WasmThreadError (`stalled`). Why a timeout and not the exit itself: no other thread can see a worker's exit
   * while the calling thread is in wasm (Node sends it to the calling thread's event loop; a browser tells no one
   * when a worker is ended from outside), and a liveness word a worker writes would have to be written inside the
   * long kernels (a GEMM phase writes nothing for as long as it lasts), costing every phase; the watch costs one
   * store per barrier (each thread's arrival word) and reads the clock only once a barrier has spun out its spins.
   */
  lost: LostWorker | null = null;
  /** Workers inside a run, or told to run and not yet out (i32 on shared memory: `run` adds, each worker takes 1 when it leaves). */
  private readonly busy = new Int32Array(new SharedArrayBuffer(4));
  /** Set by terminate(): the workers' exits after it are ours, not losses. */
  private ending = false;

  private constructor(private readonly ports: Port[]) {}

  /** Record the first loss (not after terminate()). */
  private lose(thread: number, reason: string): void {
    if (!this.ending && !this.lost) this.lost = { thread, reason };
  }

  /** Workers inside a run (or told to start one) now. */
  get inRun(): number {
    return Atomics.load(this.busy, 0);
  }

  /**
   * Wait until no worker is inside a run (after an abort), for at most `ms`: sleeping where the caller may wait
   * (`mayWait`), spinning otherwise (a page's main thread). True when they all left in time.
   */
  waitIdle(ms: number, mayWait: boolean): boolean {
    const end = performance.now() + ms;
    for (let now = Atomics.load(this.busy, 0); now !== 0; now = Atomics.load(this.busy, 0)) {
      const left = end - performance.now();
      if (left <= 0) return false;
      // Returns at once when the count is no longer `now`; a worker's notify follows its change of the count.
      if (mayWait) Atomics.wait(this.busy, 0, now, left);
    }
    return true;
  }

  get size(): number {
    return this.ports.length;
  }

  /** Start `count` workers on `memory`; resolves when all are ready (rejects if one fails or ends first). */
  static async create(memory: WebAssembly.Memory, count: number): Promise<WorkerPool> {
    const ports: Port[] = [];
    const ready: Promise<void>[] = [];
    const nodeWorkers: { unref(): void }[] = [];
    let pool: WorkerPool | null = null;
    const onMessage = (msg: Message, resolve: () => void) => {
      if (msg.cmd === 'ready') resolve();
      else if (msg.cmd === 'error' && pool) pool.lastError = String(msg.message);
    };
    /** Worker `thread` failed or ended: before ready the pool is not made (reject), after it the pool has lost it. */
    const lost = (thread: number, reason: string, reject: (err: Error) => void) => {
      reject(new Error(`wasm worker ${thread} ${reason} before it was ready`));
      pool?.lose(thread, reason);
    };
    if (typeof window === 'undefined' && typeof process !== 'undefined' && process.versions?.node) {
      const moduleName = 'node:worker_threads';
      const { Worker } = (await import(/* @vite-ignore */ moduleName)) as typeof import('node:worker_threads');
      for (let k = 0; k < count; k++) {
        const w = new Worker(WORKER_SOURCE, { eval: true });
        nodeWorkers.push(w);
        ready.push(new Promise<void>((resolve, reject) => {
          w.on('message', (msg: Message) => onMessage(msg, resolve));
          w.on('error', (err) => lost(k + 1, `failed: ${String(err)}`, reject));
          w.on('messageerror', (err) => lost(k + 1, `could not read a message: ${String(err)}`, reject));
          w.on('exit', (code) => lost(k + 1, `ended (exit code ${code})`, reject));
        }));
        ports.push({ post: (msg) => w.postMessage(msg), terminate: () => w.terminate() });
      }
    } else {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
      for (let k = 0; k < count; k++) {
        const w = new Worker(url, { name: `backprop wasm thread ${k + 1}` });
        ready.push(new Promise<void>((resolve, reject) => {
          w.onmessage = (e: MessageEvent<Message>) => onMessage(e.data, resolve);
          w.onerror = (e) => lost(k + 1, `failed: ${e.message}`, reject);
          w.onmessageerror = () => lost(k + 1, 'could not read a message', reject);
        }));
        ports.push({ post: (msg) => w.postMessage(msg), terminate: async () => w.terminate() });
      }
      URL.revokeObjectURL(url);
    }
    pool = new WorkerPool(ports);
    for (const p of ports) p.post({ cmd: 'init', memory, busy: pool.busy });
    try {
      await Promise.all(ready);
    } catch (err) {
      pool.terminate();
      throw err;
    }
    // NOTE: Node's workers keep a process alive: unref'd once ready (before, the wait for `ready` needs them), after
    // their listeners (adding a 'message' listener refs a worker again), so a script that does not dispose still exits.
    for (const w of nodeWorkers) w.unref();
    return pool;
  }

  compile(id: number, module: WebAssembly.Module): void {
    for (const p of this.ports) p.post({ cmd: 'compile', id, module });
  }

  drop(id: number): void {
    for (const p of this.ports) p.post({ cmd: 'drop', id });
  }

  /**
   * Tell workers 1 … nt−1 to run their share (thread 0, the caller, runs its own). `fault`: test-only, the thread
   * that throws (or ends itself, `exit`) after `after` steps (WasmBackend.injectFault).
   */
  run(id: number, steps: number, lr: number, mode: RunMode, nt: number, ctl: number, abort: number,
    fault: { tid: number; after: number; exit: boolean; releasing: boolean } | null = null): void {
    // NOTE: add, not store: a worker of the last run may not have taken its 1 off yet (thread 0 returns at the last barrier).
    Atomics.add(this.busy, 0, nt - 1);
    this.lastError = null; // a failing worker's message is this run's, not an earlier one's
    for (let t = 1; t < nt; t++) {
      const mine = t === fault?.tid ? fault : null;
      this.ports[t - 1].post({ cmd: 'run', id, steps, lr, mode, tid: t, nt, ctl, abort, fault: mine && !mine.exit ? mine.after : -1, exit: mine?.exit ? mine.after : -1, releasing: mine?.releasing === true });
    }
  }

  terminate(): void {
    this.ending = true;
    for (const p of this.ports) void p.terminate();
  }

  /**
   * Test-only (WasmBackend.killWorker): end worker `thread` (1 … size) as if it had died between runs, and wait up to
   * 1 s for the pool to see it go (Node: its exit event). True when it did (a browser tells nothing: false there).
   */
  async kill(thread: number): Promise<boolean> {
    await this.ports[thread - 1].terminate();
    for (let k = 0; k < 100 && !this.lost; k++) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.lost !== null;
  }
}
