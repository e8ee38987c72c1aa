/**
 * The lab's session where two things meet (Node, CPU and wasm backends): Stop pressed while a Fit fails, a device lost
 * in the middle of a Train, Verify after the page's GPU was lost, a backend switch in the middle of a pass.
 */
import { describe, expect, it, vi } from 'vitest';
import { DeviceLostError, DivergedError } from '../src/errors.ts';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import { trainStoppedLine } from '../src/lab/words.ts';
import type { FitOptions } from '../src/train/fit.ts';
import type { NetworkSpec } from '../src/spec.ts';
import type { WebGpuBackend } from '../src/webgpu/backend.ts';
import { xorSpec } from './lib/lab-nets.ts';

/** A 2-2000-1 net (8001 parameters, past TRAIL_MAX_PARAMS: Train reads its weights back only at the end). */
function wide(): NetworkSpec {
  return { ...xorSpec(), layers: [{ units: 2000, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], lr: 0.5 };
}

/** ŷ = w·x, MSE, x = 10 (four times): an SGD step at lr 1e38 takes w to −8e39, past float32 (a DivergedError after the step). */
function oneWeight(): NetworkSpec {
  return {
    inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse',
    params: { W: [[[0.5]]], b: [[]] }, x: [[10], [10], [10], [10]], y: [[1], [1], [1], [1]], lr: 0.001,
  };
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
    const lost = new DeviceLostError('unknown', 'lost in a test');
    const train = s.model.train.bind(s.model);
    let chunks = 0;
    vi.spyOn(s.model, 'train').mockImplementation((o) => (++chunks === 3 ? Promise.reject(lost) : train(o)));
    vi.spyOn(s.model, 'getParams').mockRejectedValue(lost);
    let progressed = 0;
    await expect(s.train(100, (done) => { progressed = done; })).rejects.toBe(lost);
    expect(progressed, 'two chunks ran (1 step, then 10)').toBe(11);
    // What the page then moves to wasm (main.ts afterDeviceLoss: toSpec) is these weights at this step count.
    expect(Array.from(s.params.W[1])).toEqual(start.W);
    expect({ steps: s.steps, points: s.history.length }).toEqual({ steps: start.steps, points: start.points });
    expect(s.history.every((p) => p.step < s.steps)).toBe(true);
    // The failed Train's line (training.ts: the session's count after less before) keeps none of the 11 it ran.
    expect(trainStoppedLine({ kept: s.steps - start.steps, ran: progressed, asked: 100, where: 'WebGPU' }))
      .toBe('Train stopped after 0 of 100 steps on WebGPU (11 more steps ran, lost with the device)');
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
    const lost = new DeviceLostError('unknown', 'lost in a test');
    const train = s.model.train.bind(s.model);
    let chunks = 0;
    vi.spyOn(s.model, 'train').mockImplementation((o) => (++chunks === 3 ? Promise.reject(lost) : train(o)));
    vi.spyOn(s.model, 'getParams').mockRejectedValue(lost);
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
    b.continueFrom(a);
    expect(b.currentRows()).toEqual(next);
    // An edit of the batch size is another cut of the data: its first mini-batch.
    const c = await LabSession.open(checkLabSpec(a.toSpec(), 2), 'cpu', null);
    c.continueFrom(a);
    expect(c.currentRows().x).toEqual(xorSpec().x!.slice(0, 2));
    for (const s of [a, b, c]) s.dispose();
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
});
