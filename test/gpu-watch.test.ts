/**
 * Model's error sections (src/calls.ts gpuWatched, Backend.errorSection) in Node without a GPU: a CPU backend given
 * WebGpuBackend's chain of sections (one open at a time, each opened once the one before has ended), whose section
 * reports an error when told to (`failNext`). The GPU side (real scopes, buffers left invalid) is
 * test/dawn/call-lifecycle.ts gpuErrorCalls; here, what the sections do to the calls:
 * - on cpu (no errorSection) a call's work is run as it is: gpuWatched returns work's own promise (no await of its own);
 * - no deadlock: a fit whose onEpoch calls predict, save and getParams on its model and a fit (with its own onEpoch
 *   calling the first model) and train on another model on the same backend, one that starts a fit there without
 *   waiting for it, onEpoch throwing, a signal, a fit refused before its first batch, dispose() in onEpoch — all
 *   settle, and no section is left open (the next one opens);
 * - an error in one call's section rejects that call alone (GpuValidationError naming it), the calls queued behind it
 *   on both models resolve;
 * - a fit stopped (its signal) after an error in its section since the last onEpoch is a failure: GpuValidationError,
 *   the parameters, epoch count and optimiser state from before the call.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorSection } from '../src/backend.ts';
import { gpuWatched } from '../src/calls.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import { GpuValidationError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec, Params } from '../src/spec.ts';

/** A CPU backend with a chain of error sections as WebGpuBackend's; `open` counts those open. */
class Sectioned extends CpuBackend {
  open = 0;
  /** The next section opened reports an error. */
  failNext = false;
  private last: Promise<void> = Promise.resolve();

  async errorSection(): Promise<ErrorSection> {
    const before = this.last;
    let release = (): void => undefined;
    this.last = new Promise<void>((resolve) => { release = resolve; });
    await before;
    this.open++;
    const caught = this.failNext ? 'validation error: injected' : null;
    this.failNext = false;
    let ended: Promise<string | null> | undefined;
    const end = (): Promise<string | null> => {
      this.open--;
      release();
      return Promise.resolve(caught);
    };
    return { end: () => (ended ??= end()) };
  }
}

const SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1,
  x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]],
};
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
/** How `p` settled: 'ok', the error's name and the call it names, or 'HUNG' after 5 s. */
const settled = (p: Promise<unknown>): Promise<string> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('HUNG'), 5000); });
  const ended = p.then(() => 'ok', (e: unknown) => (e instanceof Error ? `${e.name}${/during (\w+)/.exec(e.message)?.[0].replace('during', '') ?? ''}` : String(e)));
  return Promise.race([ended, hung]).finally(() => clearTimeout(timer));
};
/** Whether the backend's chain is free: a section opens (and ends) now. */
const free = (be: Sectioned): Promise<string> => settled(be.errorSection().then((s) => s.end()));

describe('Model error sections (a CPU backend with a chain of them)', () => {
  it('on cpu, gpuWatched returns the work\'s own promise', () => {
    const work = Promise.resolve(1);
    expect(gpuWatched(new CpuBackend(), 'train', () => work, () => undefined)).toBe(work);
  });

  it('calls in onEpoch, on the model and on another on the backend, and fits that end early, settle: no section left open', async () => {
    const be = new Sectioned();
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => Model.create(SPEC, { shared: be })));
    const ends: string[] = [];
    ends.push(await settled(a.fit({
      epochs: 2, batchSize: 2,
      onEpoch: async () => {
        await a.predict(X);
        await a.save();
        await a.getParams();
        await b.fit({ epochs: 1, batchSize: 2, onEpoch: async () => void (await a.predict(X)) });
        await b.train({ steps: 1 });
      },
    })));
    let started: Promise<unknown> | undefined;
    ends.push(await settled(a.fit({ epochs: 2, batchSize: 2, onEpoch: () => void (started ??= b.fit({ epochs: 2, batchSize: 2, onEpoch: () => a.getParams() })) })));
    ends.push(await settled(started!));
    ends.push(await settled(a.fit({ epochs: 2, batchSize: 2, onEpoch: () => { throw new RangeError('onEpoch'); } })));
    const stop = new AbortController();
    ends.push(await settled(a.fit({ epochs: 3, batchSize: 2, batchesPerSubmission: 1, signal: stop.signal, onBatch: () => stop.abort() })));
    ends.push(await settled(a.fit({ epochs: 1, batchSize: 5 })));
    ends.push(await settled(c.fit({ epochs: 3, batchSize: 2, onEpoch: () => c.dispose() })));
    expect(ends).toEqual(['ok', 'ok', 'ok', 'RangeError', 'AbortError', 'SpecError', 'DisposedError']);
    expect([be.open, await free(be)]).toEqual([0, 'ok']);
    a.dispose();
    b.dispose();
  });

  it('an error in one call\'s section rejects that call alone; the calls queued behind it resolve', async () => {
    const be = new Sectioned();
    const [a, b] = await Promise.all([0, 1].map(() => Model.create(SPEC, { shared: be })));
    be.failNext = true;
    const calls = [a.train({ steps: 1 }), a.predict(X), b.train({ steps: 1 }), b.fit({ epochs: 1, batchSize: 2 }), a.getParams()];
    expect(await Promise.all(calls.map(settled))).toEqual(['GpuValidationError train', 'ok', 'ok', 'ok', 'ok']);
    expect([be.open, await free(be)]).toEqual([0, 'ok']);
    a.dispose();
    b.dispose();
  });

  it('a fit stopped after an error in its section is a failure: the model as before the call', async () => {
    const be = new Sectioned();
    const m = await Model.create(SPEC, { shared: be });
    await m.fit({ epochs: 1, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 } });
    const before = `${bits(m.lastKnownParams().params)} ${m.epochsTrained} ${m.optimizerState()?.t}`;
    const stop = new AbortController();
    let batches = 0;
    const end = m.fit({
      epochs: 3, batchSize: 2, batchesPerSubmission: 1, signal: stop.signal,
      onEpoch: () => void (be.failNext = true), // the section opened after it reports an error
      onBatch: () => void (++batches === 3 && stop.abort()), // in the second epoch
    });
    await expect(end).rejects.toThrow(GpuValidationError);
    expect(`${bits(m.lastKnownParams().params)} ${m.epochsTrained} ${m.optimizerState()?.t}`).toBe(before);
    expect(await settled(m.fit({ epochs: 1, batchSize: 2 }))).toBe('ok');
    m.dispose();
  });
});
