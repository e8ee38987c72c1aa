/**
 * A model's step nets (src/model.ts): the backend nets that train, step and grad run on, one per batch size — the
 * current one, and a spare of the other size last used — each with the batch last written to it; and running a step
 * net with its parameters saved, so that a call that fails or diverges puts them back.
 */
import type { Backend, BackendNet, ReadRequest, Readback } from './backend.ts';
import { maxAbsOf } from './backend.ts';
import { needs, ownHostBytes } from './budget.ts';
import type { CallLimits } from './calls.ts';
import { DivergedError, LimitError } from './errors.ts';
import type { Batch, Net, Params } from './spec.ts';

/** The step nets of one model: the current one (`current`) and the spare, made on `backend` for `net`. */
export class StepNets {
  private compiled: BackendNet | null = null;
  /** The batch last written to `compiled`. */
  private uploaded: Batch | undefined;
  /**
   * The step net of the other batch size last used, kept so that two alternating sizes swap instead of compiling
   * (see resize), with the batch last written to it. Its parameters are stale: `known` is written on swap-in.
   */
  private spare: { net: BackendNet; uploaded: Batch | undefined } | null = null;

  /** `limits`: what the nets are checked against (host always, device on WebGPU, a backend's own memory on wasm), as the model's calls are. */
  constructor(private readonly backend: Backend, private readonly net: Net, private readonly limits: CallLimits) {}

  /** The step net of the batch size last used; null before the first, and after drop. */
  get current(): BackendNet | null {
    return this.compiled;
  }

  /**
   * Make the current net one of `n` examples holding the parameters `known`, when the current one is of another size
   * or there is none: the spare if it has that size, else a new net.
   */
  resize(n: number, known: Params): void {
    const compiled = this.compiled;
    const spare = this.spare;
    if (compiled && spare && spare.net.n === n) {
      // The spare has this size: its parameters are stale, so it gets `known` as a new net would (a write that
      // throws leaves both nets where they were), and the net it replaces becomes the spare, with its batch.
      spare.net.writeParams(known);
      this.spare = { net: compiled, uploaded: this.uploaded };
      this.compiled = spare.net;
      this.uploaded = spare.uploaded;
    } else {
      // NOTE: at most two nets live, and a net is made only while at most one lives: a size that matches
      // neither disposes both first, so that the new one can take their memory (the wasm backend places
      // first-fit; a net made while others live sits above them, and sizes that keep changing would climb to
      // the 2 GiB limit). A net made with no other live sits at the bottom, the one made next right above it,
      // and nothing is placed while both live: the memory stays within two nets, and two sizes that alternate
      // (the lab's last, smaller batch of a pass) swap without compiling. The old net is kept (the spare once the
      // new one is made) only when both fit the budget together; if the new one cannot be made beside it
      // (LimitError), the old goes and it is tried once more alone. Any other failure beside it leaves the model
      // as it was. If a net made alone fails, the model is left with no net, its parameters in `known` and its
      // batch as before: the next call makes a net for that batch again.
      const keep = compiled && !spare && this.fitsTwo(compiled.n, n) ? compiled : null;
      if (!keep) this.drop();
      let next: BackendNet;
      try {
        next = this.backend.compile(this.net, n);
      } catch (err) {
        if (!(err instanceof LimitError) || !keep) throw err;
        this.drop();
        next = this.backend.compile(this.net, n);
      }
      try {
        next.writeParams(known);
      } catch (err) {
        next.dispose();
        throw err;
      }
      if (this.compiled) this.spare = { net: this.compiled, uploaded: this.uploaded };
      this.compiled = next;
      this.uploaded = undefined;
    }
  }

  /** The current net (made by resize for `batch`'s size), holding `batch`: written to it unless it is the batch last written. */
  holding(batch: Batch): BackendNet {
    const compiled = this.compiled!;
    if (this.uploaded !== batch) {
      compiled.writeBatch(batch);
      this.uploaded = batch;
    }
    return compiled;
  }

  /** Dispose both step nets (the current and the spare); the parameters stay in the model's `known`. */
  drop(): void {
    const nets = [this.compiled, this.spare?.net];
    this.compiled = null;
    this.spare = null;
    this.uploaded = undefined;
    for (const net of nets) net?.dispose();
  }

  /** Dispose the spare (the current net stays). */
  dropSpare(): void {
    this.spare?.net.dispose();
    this.spare = null;
  }

  /** Whether step nets of sizes a and b fit the budget together (host always, device on WebGPU, a backend's own memory: wasm). */
  private fitsTwo(a: number, b: number): boolean {
    const na = needs(this.net, a);
    const nb = needs(this.net, b);
    const { device, budget, own } = this.limits;
    const ownFits = !own || ownHostBytes(this.net, a, own).hostBytes + ownHostBytes(this.net, b, own).hostBytes <= budget.hostBytes;
    return ownFits && na.hostBytes + nb.hostBytes <= budget.hostBytes && (!device || na.deviceBytes + nb.deviceBytes <= budget.deviceBytes);
  }
}

/** runChecked's GPU check (Model's, WebGPU only; see there). */
export interface StepCheck {
  /** End the call's error section: rejects with the GpuValidationError where the device reported an error. */
  check(): Promise<void>;
  /** After that error: whether the model keeps the net (its parameters are put back then). */
  keepsNet(): boolean;
}

/**
 * Save the parameters, run, then read back `request` and check it: the loss (computed before the last update) must be
 * finite and, after an update, so must every parameter (read.maxAbs, the backend's max |θ| reduction read with the
 * loss), else DivergedError. Whatever throws — the run (a wasm thread failed: WasmThreadError, leaving the parameters
 * as the partial run did), the read or the check — the saved parameters are put back first: the call changes nothing
 * (unless the backend is gone). NOTE: the read too: one that failed after the run (a WebGPU staging buffer that could
 * not be mapped) left the run's updates in the net, the call rejected, and the next call went on from them.
 * `gpu` (Model's, WebGPU only): `check` ends the call's error section and rejects where the device reported an error —
 * the same then, but the parameters are put back only where the model keeps the net (`keepsNet`). NOTE: the model drops
 * the others (src/model-watch.ts watched), and a put-back onto a buffer the error left invalid was an error of its own,
 * made after the section ended: another call's on a shared backend (a model's fit queued behind the failing train rejected with
 * it, a tmp probe on Dawn 2026-12-06).
 */
export async function runChecked(
  compiled: BackendNet, steps: number, lr: number, update: boolean, request: ReadRequest, what: string, gpu?: StepCheck,
): Promise<Readback & { maxAbs: number }> {
  compiled.saveParams();
  let gpuFailed = false;
  try {
    compiled.run(steps, lr, update);
    let read: Readback;
    if (gpu) {
      // NOTE: the check starts as soon as read() has made and submitted its copies (before its first await), so that
      // the error section's pops go back and forth while the map waits (a probe in headless Chromium on SwiftShader,
      // 2026-12-06, train calls of 1 and 1 000 steps on the 2-2-1 net: popped after the map, medians 2.0 against 1.7 ms
      // and 2.6 against 2.4 ms a call; popped here, no difference past this loaded 2-core machine's noise). It is judged
      // before the values: what a GPU error left in them (zeros, NaN) is no divergence, nor what the map of a buffer it
      // left invalid threw.
      const [r, checked] = await Promise.allSettled([compiled.read(request), gpu.check()]);
      if (checked.status === 'rejected') {
        gpuFailed = true;
        throw checked.reason;
      }
      if (r.status === 'rejected') throw r.reason;
      read = r.value;
    } else {
      read = await compiled.read(request);
    }
    let maxAbs = read.maxAbs;
    // A backend that does not reduce on its own: compute it from its parameters.
    if (update && maxAbs === undefined) maxAbs = maxAbsOf((await compiled.read({ params: true })).params!);
    if (!Number.isFinite(read.loss) || (update && !Number.isFinite(maxAbs))) throw new DivergedError(read.loss ?? NaN, what, { maxAbs, updates: update });
    return { ...read, maxAbs: maxAbs ?? NaN };
  } catch (err) {
    try {
      if (!gpuFailed || gpu!.keepsNet()) compiled.restoreParams();
    } catch {
      // The backend was disposed with the failure (WasmThreadError.disposed): nothing left to restore.
    }
    throw err;
  }
}
