/**
 * The lab's session where two things meet (Node, CPU and wasm backends): Stop pressed while a Fit fails, a device lost
 * in the middle of a Train, Verify after the page's GPU was lost, a backend switch in the middle of a pass or after a Fit.
 */
import { describe, expect, it, vi } from 'vitest';
import { DeviceLostError, DisposedError, DivergedError, GpuValidationError } from '../src/errors.ts';
import { generate2D } from '../src/lab/datasets.ts';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import { Model } from '../src/model.ts';
import { trainStopped } from '../src/lab/words.ts';
import type { FitOptions } from '../src/train/fit.ts';
import type { Params, RowsSpec } from '../src/spec.ts';
import type { WebGpuBackend } from '../src/webgpu/backend.ts';
import { xorSpec } from './lib/lab-nets.ts';

/** A 2-2000-1 net (8001 parameters, past TRAIL_MAX_PARAMS: Train reads its weights back only at the end). */
function wide(): RowsSpec {
  return { ...xorSpec(), layers: [{ units: 2000, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], lr: 0.5 };
}

/** ŷ = w·x, MSE, x = 10 (four times): an SGD step at lr 1e38 takes w to −8e39, past float32 (a DivergedError after the step). */
function oneWeight(): RowsSpec {
  return {
    inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse',
    params: { W: [[[0.5]]], b: [[]] }, x: [[10], [10], [10], [10]], y: [[1], [1], [1], [1]], lr: 0.001,
  };
}

/** The device lost in a Train's third chunk: that chunk and every read-back after it reject with the error returned. */
function loseDeviceAtThirdChunk(s: LabSession): DeviceLostError {
  const lost = new DeviceLostError('unknown', 'lost in a test');
  const train = s.model.train.bind(s.model);
  let chunks = 0;
  vi.spyOn(s.model, 'train').mockImplementation((o) => (++chunks === 3 ? Promise.reject(lost) : train(o)));
  vi.spyOn(s.model, 'getParams').mockRejectedValue(lost);
  return lost;
}

/** A page's WebGPU backend as the session's scoped() uses it: its `at`-th withErrorScopes throws `err` after the work resolved. */
function scopesFailingAt(at: number, err: Error): WebGpuBackend {
  let scopes = 0;
  return {
    lost: false,
    withErrorScopes: async <T>(_what: string, fn: () => Promise<T>): Promise<T> => {
      const value = await fn();
      if (++scopes === at) throw err;
      return value;
    },
  } as unknown as WebGpuBackend;
}

describe('LabSession: Stop, failures and switches meeting', () => {
  it('Stop pressed while the submission that diverges runs: the DivergedError is thrown, the count, curve and weights go back', async () => {
    const s = await LabSession.open(checkLabSpec(oneWeight()), 'cpu', null);
    await s.train(3, () => undefined);
    const state = () => ({ steps: s.steps, fits: s.fits, history: s.history.map((p) => p.step), W: Array.from(s.params.W[0]) });
    const before = state();
    const stop = new AbortController();
    // The page's Stop (training.ts) aborts with its own reason; here it lands once the epoch's one mini-batch has run,
    // before the epoch's end finds the weights non-finite (a click while the device finishes the submission).
    const fit = s.model.fit.bind(s.model);
    vi.spyOn(s.model, 'fit').mockImplementation((o?: FitOptions) => fit({
      ...o,
      onBatch: (p) => {
        void o?.onBatch?.(p);
        stop.abort(new Error('stopped'));
      },
    }));
    await expect(s.fit({ optimizer: { name: 'sgd', lr: 1e38 }, batchSize: 4, epochs: 3 }, () => undefined, stop.signal)).rejects.toBeInstanceOf(DivergedError);
    // Model.fit put back the weights from before it: so are the step count, the fits counted and the curve.
    expect(state()).toEqual(before);
    s.dispose();
  });

  it('the device lost in the middle of a Train of a big net: the step count and the curve go back to the weights the session still has', async () => {
    const s = await LabSession.open(checkLabSpec(wide()), 'cpu', null);
    expect(s.tracksTrail).toBe(false);
    await s.train(4, () => undefined);
    const start = { steps: s.steps, W: Array.from(s.params.W[1]), points: s.history.length };
    // Train reads nothing back between chunks of a big net; the third chunk finds the device gone, and so does the
    // read-back after it: the weights known on the CPU are those before this Train.
    const lost = loseDeviceAtThirdChunk(s);
    let progressed = 0;
    await expect(s.train(100, (done) => { progressed = done; })).rejects.toBe(lost);
    expect(progressed, 'two chunks ran (1 step, then 10)').toBe(11);
    // What the page then moves to wasm (main.ts afterDeviceLoss: toSpec) is these weights at this step count.
    expect(Array.from(s.params.W[1])).toEqual(start.W);
    expect({ steps: s.steps, points: s.history.length }).toEqual({ steps: start.steps, points: start.points });
    expect(s.history.every((p) => p.step < s.steps)).toBe(true);
    // The failed Train's line (training.ts: the session's count after less before) keeps none of the 11 it ran, and the
    // progress bar under it goes back to the steps kept with the line (it stayed at the 11 the last report gave).
    expect(trainStopped({ kept: s.steps - start.steps, ran: progressed, asked: 100, where: 'WebGPU' }))
      .toEqual({ line: 'Train stopped after 0 of 100 steps on WebGPU (11 more steps ran, lost with the device)', bar: 0 });
    s.dispose();
  });

  it('the device lost in the middle of a Train in mini-batches: the pass position goes back with the steps taken back', async () => {
    // 4 mini-batches of 1 example; after one step the next is mini-batch 1. The Train's first two steps run (mini-batches
    // 1, 2), the third finds the device gone: the weights are those after step 1, so the next step is mini-batch 1's
    // again. Before, the step count went back to 1 while the pass went on at mini-batch 3 (1 and 2 skipped).
    const s = await LabSession.open(checkLabSpec(wide(), 1), 'cpu', null);
    expect(s.tracksTrail).toBe(false);
    await s.train(1, () => undefined);
    const next = s.currentRows();
    expect(next.x).toEqual([xorSpec().x![1]]);
    const lost = loseDeviceAtThirdChunk(s);
    await expect(s.train(10, () => undefined)).rejects.toBe(lost);
    expect(s.steps).toBe(1);
    expect(s.currentRows()).toEqual(next);
    s.dispose();
  });

  it('Verify on the CPU after the page\'s GPU device was lost compares wasm with the CPU, as on a page without WebGPU', async () => {
    // The session keeps the page's WebGPU backend it was opened with; the device is lost later (a CPU session is not
    // moved: main.ts afterDeviceLoss moves only a WebGPU one). Only `lost` is read of a lost backend here.
    const gone = { kind: 'webgpu', lost: true, isDisposed: false } as unknown as WebGpuBackend;
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', gone);
    await s.train(5, () => undefined);
    const r = await s.verify();
    expect(r.against).toBe('wasm');
    expect(r.max).toBeLessThan(1e-5);
    s.dispose();
  });

  it('a backend switch in the middle of a pass goes on with the next mini-batch, not the first again', async () => {
    const a = await LabSession.open(checkLabSpec(xorSpec(), 1), 'cpu', null);
    await a.train(3, () => undefined); // mini-batches 0, 1, 2 of 4: the next is the last example
    const next = a.currentRows();
    expect(next.x).toEqual([xorSpec().x![3]]);
    const b = await LabSession.open(checkLabSpec({ ...a.toSpec(), name: 'xor' }, 1), 'wasm', null);
    await b.continueFrom(a);
    expect(b.currentRows()).toEqual(next);
    // An edit of the batch size is another cut of the data: its first mini-batch.
    const c = await LabSession.open(checkLabSpec(a.toSpec(), 2), 'cpu', null);
    await c.continueFrom(a);
    expect(c.currentRows().x).toEqual(xorSpec().x!.slice(0, 2));
    for (const s of [a, b, c]) s.dispose();
  });

  it('a Stop pressed before the fit starts (in the wait for its stage line to paint): no step, no evaluation pass', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const stop = new AbortController();
    stop.abort(new Error('stopped'));
    const evaluate = vi.spyOn(s.model, 'evaluate');
    // Batches of 2 of XOR's 4 examples: 2 steps an epoch, where the loss before the fit is an evaluation pass.
    const logs = await s.fit({ optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 2, epochs: 3 }, () => undefined, stop.signal);
    expect([logs.length, s.steps, s.history.length]).toEqual([0, 0, 0]);
    expect(evaluate).not.toHaveBeenCalled();
    s.dispose();
  });

  it('a Stop that is a stop still keeps the epochs finished', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const stop = new AbortController();
    const logs = await s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 4, epochs: 5 }, (_e, done) => {
      if (done === 2) stop.abort(new Error('stopped'));
    }, stop.signal);
    expect(logs).toHaveLength(2);
    expect(s.steps).toBe(2);
    expect(s.history).toHaveLength(2);
    s.dispose();
  });

  it('a backend switch after an Adam Fit carries the optimiser state and the epoch count: the next Fit continues the run', async () => {
    // 24 examples in mini-batches of 5 (a last one of 4): 5 steps an epoch, each epoch's order from the epoch count.
    const { x, y } = generate2D('xor', 24, 3);
    const spec: RowsSpec = { ...xorSpec(), x, y };
    const fit = (s: LabSession, epochs: number) => s.fit({ optimizer: { name: 'adam', lr: 0.05 }, batchSize: 5, epochs }, () => undefined);
    const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
    const relDiff = (a: Params, b: Params): number => Math.max(...[...a.W, ...a.b].flatMap((x, i) => Array.from(x, (v, q) => {
      const w = [...b.W, ...b.b][i][q];
      return Math.abs(v - w) / Math.max(1, Math.abs(w));
    })));
    // The run without a switch: 3 epochs, then 2, on the CPU.
    const whole = await LabSession.open(checkLabSpec(spec, 5), 'cpu', null);
    await fit(whole, 3);
    await fit(whole, 2);
    const a = await LabSession.open(checkLabSpec(spec, 5), 'cpu', null);
    await fit(a, 3);
    // The page's switch (main.ts switchBackend): the session's spec on another backend, then continueFrom.
    const onWasm = await LabSession.open(checkLabSpec(a.toSpec(), 5), 'wasm', null);
    const onCpu = await LabSession.open(checkLabSpec(a.toSpec(), 5), 'cpu', null);
    for (const s of [onWasm, onCpu]) {
      await s.continueFrom(a);
      expect([s.model.epochsTrained, s.model.optimizerState()?.t, s.fitRestarted], s.kind).toEqual([3, 15, null]);
      await fit(s, 2);
      expect([s.model.epochsTrained, s.model.optimizerState()?.t], s.kind).toEqual([5, 25]);
    }
    // On the CPU the switch changes nothing: bit for bit the run without one.
    expect(bits(onCpu.params)).toBe(bits(whole.params));
    // On wasm, within test/wasm-fit.test.ts's bound of a wasm fit against the CPU's (5e-6 relative a step: float32 sums
    // in another order) for the 10 steps after the switch. A fresh Adam from a's weights (what the switch gave before:
    // moments, bias correction and epoch 1's order again) is far outside it.
    const bound = 5e-6 * 10;
    expect(relDiff(onWasm.params, whole.params)).toBeLessThan(bound);
    const fresh = await LabSession.open(checkLabSpec(a.toSpec(), 5), 'cpu', null);
    await fit(fresh, 2);
    expect(relDiff(fresh.params, whole.params), 'the state restarted must differ').toBeGreaterThan(10 * bound);
    // Reset after the switch starts Fit's state afresh too (a new Model: LabSession.fitted came with the state).
    const again = await LabSession.open(checkLabSpec(a.toSpec(), 5), 'wasm', null);
    await again.continueFrom(a);
    await again.reset();
    expect([again.model.epochsTrained, again.model.optimizerState()]).toEqual([0, undefined]);
    // Another net (an edit of the loss: mse) starts Fit's state afresh, and so does a previous session that never fitted.
    const edited = await LabSession.open(checkLabSpec({ ...a.toSpec(), loss: 'mse' }, 5), 'cpu', null);
    await edited.continueFrom(a, { newCurve: true });
    const unfitted = await LabSession.open(checkLabSpec(a.toSpec(), 5), 'wasm', null);
    await unfitted.continueFrom(edited);
    for (const s of [edited, unfitted]) expect([s.model.epochsTrained, s.model.optimizerState(), s.steps]).toEqual([0, undefined, 15]);
    // The page says so where a Fit's state was there to go on (main.ts: the stage line, words.ts fitRestartedNote).
    expect([edited.fitRestarted, unfitted.fitRestarted]).toEqual(['another net', null]);
    for (const s of [whole, a, onWasm, onCpu, fresh, again, edited, unfitted]) s.dispose();
  });

  it('a Fit refused, or diverged in its first epoch, left no state to lose: an edit or a lost device after it says nothing of Fit starting afresh', async () => {
    const a = await LabSession.open(checkLabSpec(oneWeight()), 'cpu', null);
    const fit = (optimizer: { name: 'adam' | 'sgd'; lr: number; beta1?: number }) => a.fit({ optimizer, batchSize: 4, epochs: 1 }, () => undefined);
    await expect(fit({ name: 'adam', lr: 0.01, beta1: 2 })).rejects.toMatchObject({ name: 'SpecError' });
    await expect(fit({ name: 'sgd', lr: 1e38 })).rejects.toBeInstanceOf(DivergedError);
    expect([a.model.epochsTrained, a.model.optimizerState()]).toEqual([0, undefined]);
    const tanh = (s: LabSession) => LabSession.open(checkLabSpec({ ...s.toSpec(), layers: [{ units: 1, activation: 'tanh', bias: 'none' }] }), 'cpu', null);
    const edited = await tanh(a);
    await edited.continueFrom(a);
    const lost = new DeviceLostError('unknown', 'lost in a test');
    const save = vi.spyOn(a.model, 'save').mockRejectedValue(lost);
    const moved = await LabSession.open(checkLabSpec(a.toSpec()), 'wasm', null);
    await moved.continueFrom(a);
    expect([edited.fitRestarted, moved.fitRestarted]).toEqual([null, null]);
    // A Fit that ran an epoch has state to lose: the same edit and the same loss say so.
    save.mockRestore();
    await fit({ name: 'sgd', lr: 0.001 });
    const editedAfter = await tanh(a);
    await editedAfter.continueFrom(a);
    vi.spyOn(a.model, 'save').mockRejectedValue(lost);
    const movedAfter = await LabSession.open(checkLabSpec(a.toSpec()), 'wasm', null);
    await movedAfter.continueFrom(a);
    expect([editedAfter.fitRestarted, movedAfter.fitRestarted]).toEqual(['another net', 'device lost']);
    for (const s of [a, edited, moved, editedAfter, movedAfter]) s.dispose();
  });

  it('a switch after a Fit and a Train whose weights were lost with the device: the page goes on, Fit\'s state afresh', async () => {
    const a = await LabSession.open(checkLabSpec(wide()), 'cpu', null);
    await a.fit({ optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 1 }, () => undefined);
    const lost = loseDeviceAtThirdChunk(a);
    await expect(a.train(100, () => undefined)).rejects.toBe(lost);
    // Model.save reads the 11 steps back, from a device that is gone.
    vi.spyOn(a.model, 'save').mockRejectedValue(lost);
    const b = await LabSession.open(checkLabSpec(a.toSpec()), 'wasm', null);
    await b.continueFrom(a);
    expect([b.steps, b.model.epochsTrained, b.model.optimizerState(), b.fitRestarted]).toEqual([1, 0, undefined, 'device lost']);
    expect(Array.from(b.params.W[1])).toEqual(Array.from(a.params.W[1]));
    for (const s of [a, b]) s.dispose();
  });

  it('a switch after a Fit whose save fails for another reason than a lost device: the error is thrown, not taken for a loss', async () => {
    const a = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    await a.fit({ optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 1 }, () => undefined);
    const disposed = new DisposedError('model');
    const bug = new TypeError('a bug in save');
    const b = await LabSession.open(checkLabSpec(a.toSpec()), 'wasm', null);
    for (const err of [disposed, bug]) {
      vi.spyOn(a.model, 'save').mockRejectedValueOnce(err);
      await expect(b.continueFrom(a)).rejects.toBe(err);
    }
    for (const s of [a, b]) s.dispose();
  });

  it('a switch that fails (a save or a restore that throws) disposes the session it opened; the page\'s goes on', async () => {
    const a = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    await a.fit({ optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 1 }, () => undefined);
    const before = { steps: a.steps, W: Array.from(a.params.W[0]) };
    const saved = new DisposedError('model');
    const restored = new TypeError('a bug in restore');
    vi.spyOn(a.model, 'save').mockRejectedValueOnce(saved);
    const restore = vi.spyOn(Model.prototype, 'restore').mockRejectedValueOnce(restored);
    const create = vi.spyOn(Model, 'create');
    try {
      for (const err of [saved, restored]) {
        await expect(LabSession.openFrom(checkLabSpec(a.toSpec()), 'wasm', null, a)).rejects.toBe(err);
        // The model that session opened (on the page's one wasm memory) is freed: any call on it is refused.
        const opened = await (create.mock.results.at(-1)!.value as Promise<Model>);
        await expect(opened.getParams()).rejects.toBeInstanceOf(DisposedError);
      }
      expect(create).toHaveBeenCalledTimes(2);
    } finally {
      create.mockRestore();
      restore.mockRestore();
    }
    // The session switched from is as it was, and trains on.
    expect({ steps: a.steps, W: Array.from(a.params.W[0]) }).toEqual(before);
    await a.train(1, () => undefined);
    expect(a.steps).toBe(before.steps + 1);
    // Nothing failing: the session opened goes on from `a` (its Fit's state through the checkpoint).
    const b = await LabSession.openFrom(checkLabSpec(a.toSpec()), 'wasm', null, a);
    expect([b.steps, b.model.epochsTrained]).toEqual([a.steps, 1]);
    for (const s of [a, b]) s.dispose();
  });

  it('a Train chunk that ran before its error scope caught a GPU error: the step count and the curve keep its steps, as the weights do', async () => {
    // The session's WebGPU scopes (withErrorScopes) throw after the chunk's Model.train has resolved: the model ran and
    // counted the chunk's steps (its weights, read back after the Train, have them) while the session counted none.
    for (const batch of [undefined, 1]) {
      const caught = new GpuValidationError('lab train', 'validation error: a test');
      const s = await LabSession.open(checkLabSpec(xorSpec(), batch), 'cpu', scopesFailingAt(3, caught));
      s.kind = 'webgpu'; // its GPU work in the fake's scopes (scoped), the steps on the CPU
      // What the page's progress report (training.ts: the bar, the validation point) saw each time it was called.
      const reports: { done: number; W: number[]; last: number }[] = [];
      const report = (done: number) => { reports.push({ done, W: Array.from(s.params.W[0]), last: s.history.at(-1)!.step }); };
      await expect(s.train(100, report, () => false, 10)).rejects.toBe(caught);
      // The run the model made, without the failure: 21 steps full batch (chunks of 1, 10, 10), 3 in mini-batches of 1.
      const ran = batch === undefined ? 21 : 3;
      const plain = await LabSession.open(checkLabSpec(xorSpec(), batch), 'cpu', null);
      await plain.train(ran, () => undefined);
      expect(Array.from(s.params.W[0]), `batch ${batch}`).toEqual(Array.from(plain.params.W[0]));
      expect({ steps: s.steps, next: s.currentRows(), last: s.history.at(-1)!.step }, `batch ${batch}`)
        .toEqual({ steps: plain.steps, next: plain.currentRows(), last: plain.history.at(-1)!.step });
      // The loss surface's path ends at those weights too.
      expect(Array.from(s.trail.at(-1)!.W[0]), `batch ${batch}`).toEqual(Array.from(plain.params.W[0]));
      // The chunk counted is reported too, with its weights read back: the bar stopped a chunk short of the count the
      // line gives ("stopped after 21", the bar at 11) and the validation curve had no point for it.
      expect(reports.at(-1), `batch ${batch}`).toEqual({ done: ran, W: Array.from(plain.params.W[0]), last: plain.history.at(-1)!.step });
      expect(reports.map((r) => r.done), `batch ${batch}`).toEqual(batch === undefined ? [1, 11, 21] : [1, 2, 3]);
      for (const t of [s, plain]) t.dispose();
    }
  });

  it('a Fit that ran before its error scope caught a GPU error: the step count, the curve and the fits counted keep it, as the model does', async () => {
    // Model.fit resolved (its weights, optimiser state and epoch count are the fit's); the session took its epochs off.
    const caught = new GpuValidationError('lab fit', 'validation error: a test');
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', scopesFailingAt(1, caught));
    s.kind = 'webgpu';
    const options = { optimizer: { name: 'adam', lr: 0.05 }, batchSize: 4, epochs: 3 } as const;
    await expect(s.fit(options, () => undefined)).rejects.toBe(caught);
    const plain = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    await plain.fit(options, () => undefined);
    const state = (t: LabSession) => ({ W: Array.from(t.params.W[0]), epochs: t.model.epochsTrained, steps: t.steps, fits: t.fits, curve: t.history.map((p) => p.step) });
    expect(state(s)).toEqual(state(plain));
    for (const t of [s, plain]) t.dispose();
  });

  it('a Train whose read-back fails for another reason than a lost device: the error is thrown, the steps kept', async () => {
    // 2-2000-1: Train reads the weights back only at the end. The device is not lost: the steps are in the model.
    const s = await LabSession.open(checkLabSpec(wide()), 'cpu', null);
    for (const [k, err] of [new TypeError('a bug in the read-back'), new DisposedError('model')].entries()) {
      vi.spyOn(s.model, 'getParams').mockRejectedValueOnce(err);
      await expect(s.train(5, () => undefined)).rejects.toBe(err);
      expect({ steps: s.steps, points: s.history.length }).toEqual({ steps: 5 * (k + 1), points: 2 * (k + 1) });
    }
    s.dispose();
  });
});
