/**
 * How a fit that does not finish leaves the model (fitModel, ./fit.ts): its callbacks and signal wrapped to tell a
 * stop from a failure (stopTracking); after a stop, the model keeps its last finished step (keepStopped); after a
 * failure, the model as before the call (putBack).
 */
import type { BackendTrainer } from '../backend.ts';
import { maxAbsOf } from '../backend.ts';
import type { GpuWatch } from '../calls.ts';
import type { FitHost, FitPlan } from './fit.ts';
import type { EpochLog, FitOptions, FitProgress } from './fit-types.ts';

/** A fit's record of a rejection of a promise its onBatch returned, and the promises' fit lists it is in (lateStops). */
interface LateBox {
  late?: { err: unknown };
  joined: Set<Set<LateBox>>;
}

/**
 * The fits waiting on each promise (or thenable) their onBatch returned, by that promise: one reaction on it,
 * however many fits return it; a fit leaves the lists it is in when it ends (stopTracking's `release`), and a promise
 * that settles leaves the map. NOTE: a reaction per return (before 2026-12-06) held the fit's closures — the model
 * with its parameters — for as long as the promise stayed pending: a long-lived promise every onBatch returns (a
 * cancel that rejects on Stop) kept every model fitted with it, 247 KB a fit of a 200-256-1 net over 20
 * submissions on cpu (test/fit-resources.test.ts).
 */
const lateStops = new WeakMap<object, Set<LateBox>>();

/**
 * Have `box` told when `p` rejects (before its fit ends); one reaction per promise, made on its first watch. The box
 * joins before `then` is called: a thenable may call back at once, inside `then`.
 */
function watchLate(p: PromiseLike<unknown>, box: LateBox): void {
  const known = lateStops.get(p);
  const boxes = known ?? new Set<LateBox>();
  boxes.add(box);
  box.joined.add(boxes);
  if (known) return;
  lateStops.set(p, boxes);
  const settled = (err?: { err: unknown }): void => {
    for (const b of boxes) {
      if (err) b.late ??= err;
      b.joined.delete(boxes);
    }
    boxes.clear();
    lateStops.delete(p);
  };
  try {
    p.then(() => settled(), (err: unknown) => settled({ err }));
  } catch (err) {
    // A thenable whose then throws fails the fit, as before; kept in the map, the next fit to return it would never call it.
    settled();
    throw err;
  }
}

/**
 * fit's callbacks and signal, wrapped to record a stop — what onEpoch, onBatch or the signal's own throwIfAborted
 * threw (whatever it throws: a signal-like object need not throw its reason) — as it happens; `stopped()` tells a stop
 * from a failure. onBatch is not awaited (the model is mid-epoch): a promise it returns that rejects stops the fit at
 * the next `check()`. `watch`: the fit call's (src/calls.ts GpuWatch; null on cpu and wasm), checked before onEpoch
 * and opened again after it. `release()` when the fit has ended: what onBatch's promises reject with afterwards is
 * no longer this fit's (lateStops).
 */
export function stopTracking(model: FitHost, options: Pick<FitOptions, 'onEpoch' | 'onBatch' | 'signal'>, watch: GpuWatch | null) {
  let callbackThrew = false;
  let signalStopped = false;
  const box: LateBox = { joined: new Set() };
  const onEpoch = options.onEpoch && (async (entry: EpochLog) => {
    if (watch) await watch.check(); // a GPU error in the epoch is a failure, not a stop: onEpoch does not see its epoch
    try {
      // The fit's error section ended before onEpoch (check), another opens after: calls in onEpoch do not wait for it.
      const work = () => options.onEpoch!(entry);
      await (watch ? model.paused(work).finally(() => watch.reopen()) : model.paused(work));
    } catch (err) {
      callbackThrew = true; // pause itself does not throw: what onEpoch threw
      throw err;
    }
  });
  const onBatch = options.onBatch && ((progress: FitProgress) => {
    let r: unknown;
    try {
      r = options.onBatch!(progress);
    } catch (err) {
      callbackThrew = true;
      throw err;
    }
    if (typeof (r as PromiseLike<unknown> | undefined)?.then === 'function') watchLate(r as PromiseLike<unknown>, box);
  });
  const check = (): void => {
    if (box.late) {
      callbackThrew = true;
      throw box.late.err;
    }
  };
  const given = options.signal;
  const signal = given && {
    get aborted() { return given.aborted; },
    get reason() { return given.reason; },
    throwIfAborted() {
      try {
        given.throwIfAborted();
      } catch (err) {
        signalStopped = given.aborted;
        throw err;
      }
    },
  };
  const release = (): void => {
    for (const boxes of box.joined) boxes.delete(box);
    box.joined.clear();
  };
  return { onEpoch, onBatch, check, signal, release, stopped: (): boolean => callbackThrew || signalStopped };
}

/** A failed fit: the model as it was before the call (`before`); the trainer, which may hold a torn run, goes. */
export function putBack(model: FitHost, before: Pick<FitHost, 'known'> & Pick<FitHost['fit'], 'state' | 'optimizer' | 'epochs'>, trainer: BackendTrainer): void {
  const f = model.fit;
  Object.assign(f, { state: before.state, optimizer: before.optimizer, epochs: before.epochs });
  model.known = before.known;
  f.trainer = null;
  try {
    model.writeStepParams(before.known); // it got each finished epoch's parameters: those before the call
  } catch {
    // A disposed backend or a lost device, as below.
  }
  try {
    trainer.dispose();
  } catch {
    // A disposed backend (WasmThreadError.disposed) or a lost device: `known` is the CPU copy; the next call says so.
  }
}


/**
 * After a stop, the CPU copies take the parameters (and state) of the last finished step — unless one is ±Infinity
 * or NaN (a run diverging before the epoch's end, where runFit checks): the last finished epoch's stay then, checked
 * (kept, the model answered NaN, later fits diverged, save() was refused). A stop before the first step leaves them
 * (and the optimiser) as they were: the trainer holds a fresh state of another optimiser then. NOTE: not after a
 * finished fit, which onEpochDone left holding its last epoch: a second read, failing there (a lost device),
 * rejected a fit that had finished.
 */
export async function keepStopped(model: FitHost, plan: FitPlan, trainer: BackendTrainer): Promise<void> {
  const f = model.fit;
  if (f.trainer !== trainer) return;
  try {
    const r = await trainer.read();
    if ([r.params, ...Object.values(r.state.slots)].every((p) => Number.isFinite(maxAbsOf(p)))) {
      model.known = r.params;
      f.optimizer = plan.optimizer;
      f.state = r.state;
      model.writeStepParams(model.known);
    }
  } catch {
    // The error that stopped the fit is the one to report.
  }
}
