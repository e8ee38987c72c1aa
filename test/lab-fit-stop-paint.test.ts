/**
 * A Fit's end said and painted before the closing redraw (src/lab/training.ts fitNow, words.ts fitDrawingLine): when
 * the fit returns — Stop pressed, or every epoch run — the line under the progress bar says so, a frame and a task are
 * let by (dom.ts afterPaintOrLater), and only then is everything drawn again (summarise → drawAll). That redraw was a
 * 1.3 s task at a 10× CPU slowdown with "epoch 7 of 50" on the screen after Stop. Node, on the stand-in DOM of
 * test/lib/fake-dom.ts, the frames queued (test/lib/import-dialog.ts queuedFrames); drawAll is a spy that
 * counts its calls; the Fit panel's rule check stands aside.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunAction } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { fillFit, trainingPanel } from './lib/training-panel.ts';
import { queuedFrames } from './lib/import-dialog.ts';

/** Each time drawAll ran. */
const drawn: number[] = [];
vi.mock('../src/lab/views.ts', () => ({
  drawAll: () => { drawn.push(drawn.length + 1); },
  drawChartSoon: () => {},
  recordValidation: () => {},
}));
vi.mock('../src/lab/files.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/lab/files.ts')>();
  return { ...real, checkFitSettings: (_lab: unknown, f: ReturnType<typeof real.checkFitSettings>) => f };
});

const { page } = await import('../src/lab/page.ts');
const { wireTraining } = await import('../src/lab/training.ts');
const { fitDrawingLine } = await import('../src/lab/words.ts');

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;
let running: Promise<void> | undefined;
/** Resolves each epoch's wait: the test runs the fit's epochs one by one. */
let nextEpoch: (() => void) | undefined;

/** A session whose fit runs an epoch each time the test lets it, and returns the epochs done once its signal aborts. */
const session = (): LabSession => ({
  kind: 'wasm', history: [] as { loss: number }[], steps: 0, lab: {},
  async fit(o: { epochs: number }, onEpoch: (e: { loss: number }, done: number) => void, signal: AbortSignal) {
    const logs: { loss: number }[] = [];
    for (let k = 1; k <= o.epochs && !signal.aborted; k++) {
      await new Promise<void>((r) => { nextEpoch = r; });
      if (signal.aborted) break;
      (this as { history: { loss: number }[] }).history.push({ loss: 1 / k });
      logs.push({ loss: 1 / k });
      onEpoch({ loss: 1 / k }, k);
    }
    return logs;
  },
}) as unknown as LabSession;

beforeEach(() => {
  els = trainingPanel();
  drawn.length = 0;
  running = undefined;
  const run: RunAction = (_what, work) => (running = work());
  wireTraining(run);
  page.session = session();
  fillFit(els, 50);
});
afterEach(() => {
  page.session = null;
  vi.unstubAllGlobals();
});

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the line a Fit ends on', () => {
  it('stopped after 2 of 50 epochs, or all 3 done', () => {
    expect(fitDrawingLine({ done: 2, asked: 50, where: 'wasm' })).toBe('Fit on wasm stopped after 2 of 50 epochs: drawing the views from the weights it left…');
    expect(fitDrawingLine({ done: 0, asked: 1, where: 'CPU' })).toBe('Fit on CPU stopped after 0 of 1 epoch: drawing the views from the weights it left…');
    // A Fit that ran every epoch: a sentence ("Fit on WebGPU 3 epochs done" read as a fragment), 1 epoch singular.
    expect(fitDrawingLine({ done: 1, asked: 1, where: 'CPU' })).toBe('Fit on CPU finished its 1 epoch: drawing the views from the weights it left…');
    expect(fitDrawingLine({ done: 3, asked: 3, where: 'WebGPU' })).toBe('Fit on WebGPU finished its 3 epochs: drawing the views from the weights it left…');
  });
});

describe('Stop during a Fit', () => {
  it('says "stopped after 2 of 50 epochs", lets a frame paint it, then redraws and sums up', async () => {
    const { paint } = queuedFrames();
    el('fit').click();
    await paint(); // the "Fitting 50 epochs" line's frame: the fit starts
    for (let k = 0; k < 2; k++) { nextEpoch!(); await tick(); }
    expect(el('train-out').textContent).toMatch(/^Fit on WebAssembly SIMD: epoch 2 of 50, loss /);
    el('stop').click();
    nextEpoch!();
    await tick();
    const stopped = 'Fit on WebAssembly SIMD stopped after 2 of 50 epochs: drawing the views from the weights it left…';
    expect(el('train-out').textContent).toBe(stopped);
    expect(drawn).toEqual([]); // not redrawn before that line's frame
    await paint();
    await running;
    expect(drawn).toEqual([1]);
    expect(el('train-out').textContent).toMatch(/^2 epochs of Adam \(lr 0\.01, batch 100\) on WebAssembly SIMD in [0-9.]+ s \(stopped\): loss 1\.0000 before → 0\.50000 \(the last epoch's mean\)\.$/);
    // Busy (one line an epoch, not read) until the summary: a screen reader reads that, not the line before it.
    expect(el('train-out').getAttribute('aria-busy')).toBeNull();
  });

  it('the line is aria-busy while it waits for its frame', async () => {
    const { paint } = queuedFrames();
    el('fit').click();
    await paint();
    nextEpoch!();
    await tick();
    el('stop').click();
    nextEpoch!();
    await tick();
    expect(el('train-out').getAttribute('aria-busy')).toBe('true');
    await paint();
    await running;
  });
});

describe("the summary's time", () => {
  it("is the fit's, from its start to its end, not the paint of the line after it (a clock set by hand)", async () => {
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      el('fit-epochs').value = '2';
      const { paint } = queuedFrames();
      el('fit').click();
      clock = 1000; // the fit's start: read after the "Fitting" line's frame
      await paint();
      nextEpoch!();
      await tick();
      clock = 3500; // the fit's end: 2.5 s after its start
      nextEpoch!();
      await tick();
      expect(el('train-out').textContent).toBe('Fit on WebAssembly SIMD finished its 2 epochs: drawing the views from the weights it left…');
      clock = 9000; // the frame that paints that line comes 5.5 s later: not the fit's time
      await paint();
      await running;
      expect(el('train-out').textContent).toMatch(/^2 epochs of Adam \(lr 0\.01, batch 100\) on WebAssembly SIMD in 2\.50 s: loss /);
    } finally {
      now.mockRestore();
    }
  });
});
