/**
 * A Model's parts as the code beside its class works on them (ModelParts: its CPU copy of the parameters, its step
 * nets, its fit state), the read-back of that copy from the step net (syncKnown), and the GPU-error handling around
 * its calls (watched, stepCheck): on WebGPU, a GPU error during a call rejects it with GpuValidationError naming it,
 * the model as before the call. The class itself is src/model.ts.
 */
import type { Backend } from './backend.ts';
import { type GpuWatch, gpuWatched } from './calls.ts';
import type { StepCheck, StepNets } from './step-nets.ts';
import type { FitHost } from './train/fit.ts';

/**
 * A Model's parts (src/model.ts): fitModel's host (src/train/fit.ts FitHost: its net, CPU copy, fit state, trainer and
 * queue's pause) and, for the functions below, its backend, its step nets and the train() steps its CPU copy lacks.
 */
export interface ModelParts extends FitHost {
  readonly backend: Backend;
  /** The step nets of train, step and grad (src/step-nets.ts). */
  readonly nets: StepNets;
  /** train() steps run since `known` was read (train does not read parameters back). */
  stepsSinceKnown: number;
}

/** The parameters as they are now, in `known`: read back from the step net when train() ran since (`always`: whenever there is one). */
export async function syncKnown(model: ModelParts, always = false): Promise<void> {
  const current = model.nets.current;
  if (current && (always || model.stepsSinceKnown > 0)) {
    model.known = (await current.read({ params: true })).params!;
    model.stepsSinceKnown = 0;
  }
}

/**
 * The call `what`'s work in a GpuWatch (src/calls.ts gpuWatched: a GPU error is a GpuValidationError naming the
 * call; `watch` null on cpu and wasm). After one: the CPU copy as before the call (a read in it may have kept what the
 * error left) — but where the call replaced the step net that held train() steps the copy lacked (prepare, for a batch
 * of another size), the copy prepare read from it first (a net that worked before the call) is kept; then the step
 * nets go where that copy holds their parameters (no train() steps since), and the fit trainer where no fit holds it
 * (the model holds its optimiser state), so that a net or trainer with a buffer the device could not make is not
 * reused. NOTE: the copy from before that read counted its steps again, and kept the net the call had made: every
 * later call failed on it (tmp probe on Dawn, 2026-12-06).
 */
export function watched<T>(model: ModelParts, what: string, work: (watch: GpuWatch | null) => Promise<T>): Promise<T> {
  // cpu and wasm: no section, so nothing to save for an error (gpuWatched would run work(null) and drop it).
  if (!model.backend.errorSection) return work(null);
  const saved = { known: model.known, steps: model.stepsSinceKnown, net: model.nets.current };
  return gpuWatched(model.backend, what, work, () => {
    if (model.disposed) return;
    const replaced = saved.steps > 0 && model.stepsSinceKnown === 0 && model.nets.current !== saved.net;
    if (!replaced) [model.known, model.stepsSinceKnown] = [saved.known, saved.steps];
    if (model.stepsSinceKnown === 0) model.nets.drop();
    else model.nets.current?.dropReads?.(); // kept for its train() steps: not a staging buffer the call made invalid
    if (model.fit.held) return;
    model.fit.trainer?.dispose();
    model.fit.trainer = null;
  });
}

/**
 * train, step and grad's GPU check (runChecked; none on cpu and wasm): the step net's parameters are put back after a
 * GPU error only where the model keeps it (watched: train() steps in it that the CPU copy lacks, no read since).
 */
export function stepCheck(model: ModelParts, watch: GpuWatch | null): StepCheck | undefined {
  return watch ? { check: () => watch.check(), keepsNet: () => model.stepsSinceKnown > 0 } : undefined;
}
