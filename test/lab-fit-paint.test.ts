/**
 * Fit's first words painted before its work (src/lab/training.ts fitNow): the stage line "Fitting N epochs on …"
 * is written, then a frame and a task are let by (dom.ts afterPaintOrLater: or 100 ms, where no frame comes: a page
 * not on screen), then the session's fit starts. Before, the fit began in the
 * click's own task: on MNIST (1000 × 784) Model.fit's loss before the run, its data packing and its first epoch ran
 * with the page frozen on "… Press Forward." (717 ms at a 6× CPU slowdown, a phone's, measured in Chromium before the
 * first epoch's line painted). Node, on the stand-in DOM of test/lib/fake-dom.ts, the frames
 * queued (test/lib/import-dialog.ts queuedFrames); the views are stubbed and the Fit panel's rule check stands aside
 * (what is counted here is when the session's fit is called, not what it is called with).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunAction } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { fillFit, trainingPanel } from './lib/training-panel.ts';
import { queuedFrames } from './lib/import-dialog.ts';

vi.mock('../src/lab/views.ts', () => ({ drawAll: () => {}, drawChartSoon: () => {}, recordValidation: () => {} }));
vi.mock('../src/lab/files.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/lab/files.ts')>();
  return { ...real, checkFitSettings: (_lab: unknown, f: ReturnType<typeof real.checkFitSettings>) => f };
});

const { page } = await import('../src/lab/page.ts');
const { wireTraining } = await import('../src/lab/training.ts');

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;
let fits: number;
let running: Promise<void> | undefined;

/** A session as fitNow reads it: where it trains, its curve and steps, and a fit that logs one epoch of each asked. */
const session = (): LabSession => ({
  kind: 'wasm', history: [] as { loss: number }[], steps: 0, lab: {},
  async fit(o: { epochs: number }, onEpoch: (e: { loss: number }, done: number) => void) {
    fits++;
    for (let k = 1; k <= o.epochs; k++) {
      (this as { history: { loss: number }[] }).history.push({ loss: 1 / k });
      onEpoch({ loss: 1 / k }, k);
    }
    return Array.from({ length: o.epochs }, (_, k) => ({ loss: 1 / (k + 1) }));
  },
}) as unknown as LabSession;

beforeEach(() => {
  els = trainingPanel();
  fits = 0;
  running = undefined;
  const run: RunAction = (_what, work) => (running = work());
  wireTraining(run);
  page.session = session();
  fillFit(els, 3);
});
afterEach(() => {
  page.session = null;
  vi.unstubAllGlobals();
});

describe('Fit pressed', () => {
  it('says what it fits, painted before the session\'s fit starts; then fits and sums up', async () => {
    const { frames, paint } = queuedFrames();
    el('fit').click();
    expect(el('stage-out').textContent).toBe('Fitting 3 epochs on WebAssembly SIMD: Forward and the other steps wait until the run ends (Stop ends it early).');
    expect(fits).toBe(0);
    expect(frames).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(fits).toBe(0); // no frame yet: the fit still waits
    await paint();
    await running;
    expect(fits).toBe(1);
    expect(el('train-out').textContent).toMatch(/^3 epochs of Adam \(lr 0\.01, batch 100\) on WebAssembly SIMD in [0-9.]+ s: loss 1\.0000 before → 0\.33333 \(the last epoch's mean\)\.$/);
    expect(el('stage-out').textContent).toBe('Fitted 3 epochs. Press Forward to see the new weights at work on an example.');
  });

  it('on a page that paints no frame (not on screen), the fit starts 100 ms on all the same', async () => {
    const { frames } = queuedFrames();
    el('fit').click();
    expect(frames).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(fits).toBe(0);
    await new Promise((r) => setTimeout(r, 120)); // 160 ms after the click, no frame run
    expect(fits).toBe(1);
    await running;
    expect(el('stage-out').textContent).toBe('Fitted 3 epochs. Press Forward to see the new weights at work on an example.');
  });
});

/**
 * Fit pressed with the panel's early stop (patience `patience`, keep the best epoch `restore`) on a session whose fit
 * runs epochs 1 … valLoss.length (loss 1/epoch, the validation losses given), its curve left ending at `curveEnd` (as
 * session.fit leaves it), the last entry marked `mark` (Model.fit's earlyStop; none: a Stop ended it). Returns what
 * the session's fit was asked for as earlyStopping.
 */
async function fitStopping(o: { patience: string; restore: boolean; valLoss: (number | undefined)[]; curveEnd: number; mark?: { stopped: boolean; bestEpoch: number } }): Promise<unknown> {
  let asked: unknown;
  page.session = {
    ...session(),
    async fit(f: { earlyStopping?: unknown }, onEpoch: (e: { loss: number }, done: number) => void) {
      asked = f.earlyStopping;
      const logs = o.valLoss.map((valLoss, k) => ({ epoch: k + 1, loss: 1 / (k + 1), ...(valLoss !== undefined && { valLoss }) }));
      logs.forEach((e, k) => onEpoch(e, k + 1));
      (this as unknown as { history: { loss: number }[] }).history.push({ loss: 1 }, { loss: o.curveEnd });
      return logs.map((e, k) => (k === logs.length - 1 && o.mark ? { ...e, earlyStop: o.mark } : e));
    },
  } as unknown as LabSession;
  fillFit(els, 20);
  el('fit-patience').value = o.patience;
  el('fit-restore').checked = o.restore;
  const { paint } = queuedFrames();
  el('fit').click();
  await paint();
  await running;
  return asked;
}

describe('Fit with early stop set', () => {
  it('passes the panel\'s early stop to the session\'s fit as earlyStopping, and its line says where it stopped, not "(stopped)"', async () => {
    // Epochs 1 … 5 of 20 run, the 2nd the best (kept): what Model.fit's history says of such a fit.
    const asked = await fitStopping({ patience: '3', restore: true, valLoss: [undefined, undefined, undefined, undefined, undefined], curveEnd: 0.5, mark: { stopped: true, bestEpoch: 2 } });
    expect(asked).toEqual({ patience: 3, restoreBest: true });
    expect(el('train-out').textContent).toMatch(/^5 epochs of Adam \(lr 0\.01, batch 100\) on WebAssembly SIMD in [0-9.]+ s \(stopped early: the validation loss did not improve for 3 epochs after epoch 2; the net holds epoch 2, the best\): loss /);
  });
});

describe('Fit with early stop, the best epoch kept', () => {
  // Epochs 1 … 5 of 20 run, the 2nd the best: validation losses 0.9, 0.4, 0.6, 0.7, 0.8.
  const valLoss = [0.9, 0.4, 0.6, 0.7, 0.8];
  const mark = { stopped: true, bestEpoch: 2 };
  it('its line gives the kept epoch\'s loss and validation loss, not the last epoch\'s the net no longer holds; the stage line names the epoch', async () => {
    // Kept: the session's curve goes back to epoch 2 (session.fit's cutCurves), so the line's loss after is epoch 2's;
    // its validation loss (0.4) must be epoch 2's too, not epoch 5's (0.8).
    await fitStopping({ patience: '3', restore: true, valLoss, curveEnd: 0.5, mark });
    expect(el('train-out').textContent).toMatch(/; the net holds epoch 2, the best\): loss 1\.0000 before → 0\.50000 \(epoch 2's mean, the epoch kept\); validation loss 0\.4000\.$/);
    // The stage line names the epoch the net holds: 5 epochs ran, the net went back to the 2nd (it said "Fitted 5 epochs.").
    expect(el('stage-out').textContent).toBe('Fitted 5 epochs; the net holds epoch 2, the best. Press Forward to see the new weights at work on an example.');
    // The bar full: the Fit is done (early stopping ended it), not cut short at 5 of 20 as a Stop leaves it.
    expect([el('train-progress').value, el('train-progress').max]).toEqual([5, 5]);
  });

  it('not kept: the last epoch\'s, as without early stop', async () => {
    await fitStopping({ patience: '3', restore: false, valLoss, curveEnd: 0.2, mark });
    expect(el('train-out').textContent).toMatch(/; epoch 2 was the best; the net holds the last\): loss 1\.0000 before → 0\.20000 \(the last epoch's mean\); validation loss 0\.8000\.$/);
    expect(el('stage-out').textContent).toBe('Fitted 5 epochs. Press Forward to see the new weights at work on an example.');
  });
});

describe('Fit with keep the best epoch, ended by Stop', () => {
  // Stop ends a fit before early stopping does: fit's history has no earlyStop mark and the net holds the last epoch
  // run (Model.fit restores the best only where early stopping ends it), which the line says where the box was ticked.
  for (const [restore, mark] of [[true, ' (stopped: by Stop, not early stop, so the best epoch was not kept)'], [false, ' (stopped)']] as const) {
    it(`keep the best epoch ${restore ? 'ticked: says it was not kept' : 'not ticked: "(stopped)" as without early stop'}`, async () => {
      await fitStopping({ patience: '5', restore, valLoss: [undefined, undefined, undefined], curveEnd: 1 / 3 });
      expect(el('train-out').textContent).toMatch(new RegExp(`^3 epochs of Adam \\(lr 0\\.01, batch 100\\) on WebAssembly SIMD in [0-9.]+ s${mark.replace(/[().,]/g, '\\$&')}: loss 1\\.0000 before → 0\\.33333 \\(the last epoch's mean\\)\\.$`));
    });
  }
});
