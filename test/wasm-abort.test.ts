/**
 * The wasm backend's abort path (src/wasm/net.ts WasmNet.run, src/wasm/threads.ts): when one thread of a
 * 3-thread run fails — a worker, or the calling thread (thread 0) — run throws WasmThreadError naming the thread,
 * only after every worker has left the run, and the net runs again (the same bits as a 1-thread run).
 * A thread is made to fail mid-run through WasmBackend.injectFault, a test-only hook (valid input cannot make a thread trap).
 * Bounded, so that a regression fails instead of hanging CI: a worker that never leaves makes run give up after
 * LEAVE_TIMEOUT_MS (10 s) and dispose the backend (`disposed`); a thread stuck at a barrier (no one raised abort)
 * is freed by the watchdog below, which raises the abort word itself (as "thread 99") when a run has not ended
 * after WATCHDOG_MS, and the test fails.
 * A worker that dies between runs (WasmBackend.killWorker, test-only) makes the next run throw WasmThreadError
 * (betweenRuns) before it starts, and disposes the backend; without that check the run would wait for the dead
 * worker at its first barrier until the watchdog freed it.
 * A worker that dies during a run (WasmBackend.injectFault(tid, after, 'exit'), test-only: the worker ends itself
 * after `after` steps, inside the run, with no abort and no message) makes the run throw WasmThreadError (`stalled`,
 * naming that worker) once the calling thread has waited barrier.stallMs at a barrier with no thread arriving, and
 * disposes the backend; without the barrier's stall watch the run waits for the dead worker until the watchdog
 * frees it, and the test fails.
 * The page's one backend (src/wasm/shared.ts sharedWasm), once disposed so, is made anew for the next model.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DisposedError, WasmThreadError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { type Params, validateSpec } from '../src/spec.ts';
import type { OptimizerState } from '../src/train/optimizers.ts';
import { WasmBackend, type WasmNet } from '../src/wasm/backend.ts';
import { randomSpec } from './lib/random-nets.ts';
import { sharedWasm } from '../src/wasm/shared.ts';

const WATCHDOG_MS = 5000;
/** Failing runs per case: whether a worker is still out when run throws is a race, so a missing wait shows in some. */
const FAILURES = 5;

/** The elements where two sets of parameters differ bitwise (a count: a deep diff of 32 768 floats takes minutes to print). */
function differing(a: Params, b: Params): number {
  let n = 0;
  for (const key of ['W', 'b'] as const) {
    a[key].forEach((x, l) => {
      const bits = (v: Float32Array) => new Uint32Array(v.buffer, v.byteOffset, v.length);
      const [p, q] = [bits(x), bits(b[key][l])];
      n += Math.abs(p.length - q.length);
      for (let i = 0; i < Math.min(p.length, q.length); i++) if (p[i] !== q[i]) n++;
    });
  }
  return n;
}
/** Waits on `done` for `ms`; if the run has not ended by then, raises its abort word (thread 99) and wakes the sleepers. */
const watchdog = new Worker(`
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ memory, ctl, done, ms }) => {
  const words = new Int32Array(memory);
  const fired = Atomics.wait(done, 0, 0, ms) === 'timed-out';
  if (fired) { Atomics.store(words, (ctl >> 2) + 2, 100); Atomics.notify(words, (ctl >> 2) + 1); }
  parentPort.postMessage(fired);
});`, { eval: true });
afterAll(() => watchdog.terminate());

/**
 * `work` (runs of `net`) under the watchdog: what it threw (null if nothing) and the workers still in the run at
 * that moment (read before anything else runs). Throws if the watchdog had to free a stuck thread.
 */
async function guarded(b: WasmBackend, net: WasmNet, work: () => unknown): Promise<{ error: unknown; workersInRun: number }> {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const fired = new Promise<boolean>((resolve) => watchdog.once('message', resolve));
  watchdog.postMessage({ memory: b.memory.buffer, ctl: net.layout.ctl, done, ms: WATCHDOG_MS });
  let error: unknown = null;
  let workersInRun = 0;
  try {
    await work();
  } catch (err) {
    workersInRun = b.workersInRun;
    error = err;
  }
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  if (await fired) throw new Error(`the run had not ended after ${WATCHDOG_MS} ms (a thread stuck at a barrier, or workers that did not leave): the watchdog raised abort`);
  return { error, workersInRun };
}

const guardedRun = (b: WasmBackend, net: WasmNet, steps: number, lr: number) => guarded(b, net, () => net.run(steps, lr, true));

const raw = randomSpec({
  seed: 7101, inputs: 5, hidden: [9], outputs: 3, hiddenActivation: 'tanh', outputActivation: 'softmax',
  loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 12,
});
const spec = validateSpec(raw);

/**
 * Thread `tid` of 3 fails after `after` of `steps` steps, FAILURES times (each run must throw with every worker out:
 * the errors, and the most workers seen in a run as it threw); then the same net runs 3 steps on 3 threads and on 1.
 */
async function failAndRunAgain(tid: number, after: number, steps: number, callerSleeps: boolean) {
  const b = await WasmBackend.create({ threads: 3, barrier: { callerSleeps } });
  try {
    expect(b.threads).toBe(3);
    expect(b.barrier.mainWaits).toBe(callerSleeps);
    const net = b.compile(spec.net, spec.batch!.n);
    net.setThreads(3);
    net.writeParams(spec.params!);
    net.writeBatch(spec.batch!);
    const errors: unknown[] = [];
    let workersInRun = 0;
    for (let k = 0; k < FAILURES; k++) {
      b.injectFault(tid, after);
      const r = await guardedRun(b, net, steps, raw.lr!);
      errors.push(r.error);
      workersInRun = Math.max(workersInRun, r.workersInRun);
    }
    const again = async (threads: number) => {
      net.setThreads(threads);
      net.writeParams(spec.params!);
      const r = await guardedRun(b, net, 3, raw.lr!);
      if (r.error) throw r.error;
      return net.read({ loss: true, params: true });
    };
    return { b, errors, workersInRun, again };
  } catch (err) {
    b.dispose();
    throw err;
  }
}

/** A 64-512-10 net of 32 examples, fit in batches of 8 with Adam: enough work a batch that fit's nets run on 2 threads. */
function fitNet(seed: number) {
  const big = randomSpec({
    seed, inputs: 64, hidden: [512], outputs: 10, hiddenActivation: 'relu', outputActivation: 'softmax',
    loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 32,
  });
  return { big, data: { x: big.x, y: big.y, batchSize: 8, optimizer: 'adam' as const } };
}

describe('wasm: a failing thread aborts the run, which throws WasmThreadError and leaves the net usable', () => {
  // The calling thread sleeps in its waits (Node's default) or spins (as on a page's main thread, where it may not
  // sleep). Failing after 0 steps, thread 0 throws before the workers have even had their message: run must wait.
  for (const [tid, after, callerSleeps] of [[2, 3, true], [0, 3, true], [0, 0, false]] as const) {
    const who = tid === 0 ? 'the calling thread (thread 0)' : `a worker (thread ${tid})`;
    // Thread 0 fails in a run of 2^30 steps: the workers must leave at their next barrier, not run the steps unsynchronised.
    const steps = tid === 0 ? 2 ** 30 : 10;
    it(`${who} fails after ${after} of ${steps} steps on 3 threads (the calling thread ${callerSleeps ? 'sleeps' : 'spins'})`, async () => {
      const { b, errors, workersInRun, again } = await failAndRunAgain(tid, after, steps, callerSleeps);
      try {
        for (const error of errors) {
          expect(error).toBeInstanceOf(WasmThreadError);
          expect(error).toMatchObject({ code: 'WASM_THREAD', thread: tid, threads: 3, disposed: false });
        }
        expect(String((errors[0] as Error).message)).toMatch(tid === 0 ? /thread 0 of 3 \(the calling thread\): Error: a fault injected/ : /thread 2 of 3 \(a worker\)/);
        expect(workersInRun).toBe(0);
        if (tid > 0) await vi.waitFor(() => expect(b.workerError).toMatch(/a fault injected by a test/), { timeout: 5000 });
        const three = await again(3);
        const one = await again(1);
        expect(Number.isFinite(three.loss)).toBe(true);
        expect(three.loss).toBe(one.loss);
        expect(differing(three.params!, one.params!)).toBe(0);
      } finally {
        b.dispose();
      }
    });
  }

  it('Model.train: a worker failing after 2 of 5 steps rejects with WasmThreadError; the parameters are those before the call, and the next train runs as usual', async () => {
    // 64-512-10, batch 8: 303 104 multiply-adds a forward pass, above THREAD_MIN_WORK, so the model's net runs on 2 threads.
    const big = randomSpec({
      seed: 7102, inputs: 64, hidden: [512], outputs: 10, hiddenActivation: 'relu', outputActivation: 'softmax',
      loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 8,
    });
    const b = await WasmBackend.create({ threads: 2 });
    const model = await Model.create(big, { shared: b });
    const reference = await Model.create(big, { shared: b });
    try {
      await model.train({ steps: 1 });
      await reference.train({ steps: 1 });
      const net = (model as unknown as { nets: { current: WasmNet } }).nets.current; // its barrier words, for the watchdog
      expect(net.threads).toBe(2);
      const before = await model.getParams();
      b.injectFault(1, 2);
      const { error, workersInRun } = await guarded(b, net, () => model.train({ steps: 5 }));
      expect(error).toMatchObject({ name: 'WasmThreadError', code: 'WASM_THREAD', thread: 1, threads: 2, disposed: false });
      expect(workersInRun).toBe(0);
      expect(differing(await model.getParams(), before)).toBe(0);
      const again = await guarded(b, net, () => model.train({ steps: 2 }));
      expect(again.error).toBe(null);
      await reference.train({ steps: 2 });
      expect(differing(await model.getParams(), await reference.getParams())).toBe(0);
    } finally {
      model.dispose();
      reference.dispose();
      b.dispose();
    }
  });

  it('Model.fit: a worker failing in the second epoch of the call rejects with WasmThreadError; parameters, optimiser state and epoch count are those before the call, and the next fit equals a run without the failure', async () => {
    const { big, data } = fitNet(7103);
    const b = await WasmBackend.create({ threads: 2 });
    const model = await Model.create(big, { shared: b });
    const reference = await Model.create(big, { shared: b });
    const bitsOf = (s: OptimizerState | undefined) => s && { t: s.t, slots: Object.values(s.slots).map((p) => [...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)))) };
    try {
      await model.fit({ ...data, epochs: 1 });
      await reference.fit({ ...data, epochs: 1 });
      // The trainer fit made (reused by the next fit: same batch size and optimiser): its barrier words, for the watchdog.
      const net = (model as unknown as { fitState: { trainer: { main: WasmNet } } }).fitState.trainer.main;
      expect(net.threads).toBe(2);
      const before = { params: await model.getParams(), state: bitsOf(model.optimizerState()), epochs: model.epochsTrained };
      const { error } = await guarded(b, net, () => model.fit({ ...data, epochs: 3, onEpoch: () => b.injectFault(1, 0) }));
      expect(error).toMatchObject({ name: 'WasmThreadError', code: 'WASM_THREAD', thread: 1, threads: 2, disposed: false });
      expect(differing(await model.getParams(), before.params)).toBe(0);
      expect(bitsOf(model.optimizerState())).toEqual(before.state);
      expect(model.epochsTrained).toBe(before.epochs);
      await model.fit({ ...data, epochs: 2 });
      await reference.fit({ ...data, epochs: 2 });
      expect(model.epochsTrained).toBe(3);
      expect(differing(await model.getParams(), await reference.getParams())).toBe(0);
      expect(bitsOf(model.optimizerState())).toEqual(bitsOf(reference.optimizerState()));
      expect(Number.isFinite((await model.train({ steps: 1 })).loss)).toBe(true);
    } finally {
      model.dispose();
      reference.dispose();
      b.dispose();
    }
  });

  // The calling thread sleeps in its waits (Node's) or only spins (a page's main thread): both must see the stall.
  // After 0 steps of the net's first run: the dead worker never reached a barrier of this net (its arrival word must
  // not pass for the first generation's). 'exit-releasing': the worker ends inside a barrier, the last to arrive,
  // after counting itself in and before moving the generation: every arrival word is the barrier's, so no thread is
  // missing, and the count never moves again. stallMs 300: far below the watchdog's 5 s, far above the phases of
  // this 5-9-3 net of 12 examples.
  const dies = [
    [3, true, 'exit', { thread: 2 }, /thread 2 of 3 \(a worker\): it did not reach a barrier within 300 ms/],
    [0, false, 'exit', { thread: 2 }, /thread 2 of 3 \(a worker\): it did not reach a barrier within 300 ms/],
    [2, true, 'exit-releasing', { thread: -1 }, /one of the 2 workers \(which one cannot be told\): every thread had arrived at a barrier/],
    [2, false, 'exit-releasing', { thread: -1 }, /one of the 2 workers \(which one cannot be told\): every thread had arrived at a barrier/],
  ] as const;
  for (const [after, callerSleeps, how, who, message] of dies) {
    it(`a worker that dies after ${after} steps of a run${how === 'exit-releasing' ? ', inside the next barrier as the last to arrive' : ''} (the calling thread ${callerSleeps ? 'sleeps' : 'spins'}): the run throws WasmThreadError (stalled, thread ${who.thread}) and the backend is disposed`, async () => {
      const b = await WasmBackend.create({ threads: 3, barrier: { callerSleeps, stallMs: 300 } });
      try {
        const net = b.compile(spec.net, spec.batch!.n);
        net.setThreads(3);
        net.writeParams(spec.params!);
        net.writeBatch(spec.batch!);
        if (after > 0) expect((await guardedRun(b, net, 3, raw.lr!)).error).toBe(null);
        b.injectFault(2, after, how);
        const { error } = await guardedRun(b, net, 10, raw.lr!);
        expect(error).toBeInstanceOf(WasmThreadError);
        expect(error).toMatchObject({ code: 'WASM_THREAD', ...who, threads: 3, disposed: true, stalled: true, betweenRuns: false });
        expect((error as Error).message).toMatch(message);
        expect(b.isDisposed).toBe(true);
        expect(() => net.run(1, raw.lr!, true)).toThrow(DisposedError);
      } finally {
        b.dispose();
      }
    });
  }

  // A worker dies between runs (WasmBackend.killWorker, before the call), or during the call: it ends itself in the
  // call's second epoch, at the start of a batch's run, before that run's first barrier (injectFault(1, 0, 'exit')).
  for (const [when, seed] of [['between runs', 7104], ['during the call', 7105]] as const) {
    const kind = when === 'between runs' ? { betweenRuns: true, stalled: false } : { betweenRuns: false, stalled: true };
    it(`Model.fit with a worker that dies ${when}: WasmThreadError (disposed, ${when === 'between runs' ? 'betweenRuns' : 'stalled'}), the next call DisposedError, and rebuild() goes on from the parameters before the failed call`, async () => {
      const { big, data } = fitNet(seed);
      const b = await WasmBackend.create({ threads: 2, barrier: { stallMs: 300 } });
      const model = await Model.create(big, { shared: b });
      try {
        await model.fit({ ...data, epochs: 1 });
        const net = (model as unknown as { fitState: { trainer: { main: WasmNet } } }).fitState.trainer.main;
        expect(net.threads).toBe(2);
        const before = await model.getParams();
        if (when === 'between runs') await b.killWorker(1);
        const onEpoch = () => b.injectFault(1, 0, 'exit');
        const { error } = await guarded(b, net, () => model.fit(when === 'between runs' ? { ...data, epochs: 1 } : { ...data, epochs: 3, onEpoch }));
        expect(error).toMatchObject({ name: 'WasmThreadError', thread: 1, threads: 2, disposed: true, ...kind });
        expect(b.isDisposed).toBe(true);
        await expect(model.fit({ ...data, epochs: 1 })).rejects.toBeInstanceOf(DisposedError);
        expect(differing(model.lastKnownParams().params, before)).toBe(0);
        expect(model.epochsTrained).toBe(1);
        const next = await model.rebuild({ backend: 'wasm' });
        try {
          expect(differing(await next.getParams(), before)).toBe(0);
          expect(next.epochsTrained).toBe(1);
          expect((await next.fit({ ...data, epochs: 1 }))[0].epoch).toBe(2);
        } finally {
          next.dispose();
        }
      } finally {
        model.dispose();
        b.dispose();
      }
    });
  }

  it('a worker that dies between runs (ended through WasmBackend.killWorker): the next run throws WasmThreadError at once and the backend is disposed', async () => {
    const b = await WasmBackend.create({ threads: 3 });
    const model = await Model.create(raw, { shared: b });
    try {
      const net = b.compile(spec.net, spec.batch!.n);
      net.setThreads(3);
      net.writeParams(spec.params!);
      net.writeBatch(spec.batch!);
      expect((await guardedRun(b, net, 3, raw.lr!)).error).toBe(null);
      expect(b.lostWorker).toBe(null);
      await b.killWorker(2);
      expect(b.lostWorker).toMatchObject({ thread: 2, reason: expect.stringMatching(/ended \(exit code \d+\)/) });
      const { error } = await guardedRun(b, net, 3, raw.lr!);
      expect(error).toBeInstanceOf(WasmThreadError);
      expect(error).toMatchObject({ code: 'WASM_THREAD', thread: 2, threads: 3, disposed: true, betweenRuns: true });
      expect((error as Error).message).toMatch(/lost between runs: thread 2 of 3 \(a worker\): it ended/);
      expect(b.isDisposed).toBe(true);
      expect(() => net.run(1, raw.lr!, true)).toThrow(DisposedError);
      await expect(model.train({ steps: 1 })).rejects.toBeInstanceOf(DisposedError);
    } finally {
      model.dispose();
      b.dispose();
    }
  });

  it("the page's one backend (sharedWasm: the lab's, the bench page's), once disposed as a dying worker disposes it, is made anew for the next model", async () => {
    const first = await sharedWasm();
    expect(await sharedWasm()).toBe(first);
    const model = await Model.create(raw, { shared: first });
    try {
      first.dispose(); // what WasmThreadError `disposed` leaves (a stalled worker, one lost between runs)
      await expect(model.train({ steps: 1 })).rejects.toBeInstanceOf(DisposedError);
      const next = await sharedWasm();
      expect(next).not.toBe(first);
      expect(next.isDisposed).toBe(false);
      const again = await Model.create(raw, { shared: next });
      expect(Number.isFinite((await again.train({ steps: 1 })).loss)).toBe(true);
      again.dispose();
      expect(await sharedWasm()).toBe(next);
    } finally {
      model.dispose();
      (await sharedWasm()).dispose();
    }
  });
});
