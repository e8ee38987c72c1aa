/**
 * The Fit line and the stage line after a Fit with early stopping (src/lab/training.ts fitNow, words.ts fittedStage),
 * on a stand-in session whose fit returns a history made by hand (fit counts epochs across fits: a second Fit's are
 * the model's 21 …), in Node on the stand-in DOM of test/lib/fake-dom.ts, the views stubbed and the panel's rule check
 * standing aside (as test/lab-mnist-validation.test.ts). Review mut64b (reviews/mut64b.md): each expectation pins a
 * mutant the other Node tests let through — the epoch kept counted in this Fit, its validation loss, the bar full at
 * an early stop, "the last epoch's mean" where the best is the last, and a Stop before early stopping said.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunAction } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { queuedFrames } from './lib/import-dialog.ts';
import { fillFit, trainingPanel } from './lib/training-panel.ts';

vi.mock('../src/lab/views.ts', () => ({ drawAll: () => {}, drawChartSoon: () => {}, recordValidation: () => {} }));
vi.mock('../src/lab/files.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/lab/files.ts')>();
  return { ...real, checkFitSettings: (_lab: unknown, f: ReturnType<typeof real.checkFitSettings>) => f };
});

const { page } = await import('../src/lab/page.ts');
const { fitDefaults, wireTraining } = await import('../src/lab/training.ts');

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;
let running: Promise<void> | undefined;

interface Epoch { epoch: number; loss: number; valLoss: number; earlyStop?: { stopped: boolean; bestEpoch: number } }

/** A session (your data: 1000 rows in batches of 100) whose fit logs `logs` and leaves the curve at 0.5 → 0.25. */
function session(logs: Epoch[]): LabSession {
  const s = {
    kind: 'cpu', history: [] as { loss: number }[], steps: 0, lr: 1, batches: 10, lab: { x: { length: 1000 }, batchSize: 100 },
    async fit(_o: unknown, onEpoch: (e: Epoch, done: number) => void) {
      s.history.push({ loss: 0.5 }, { loss: 0.25 });
      logs.forEach((e, k) => onEpoch(e, k + 1));
      return logs;
    },
  };
  return s as unknown as LabSession;
}

/** Epochs `from` … `to` of the model, valLoss 1 / epoch, the last with `mark`. */
function epochs(from: number, to: number, mark?: Epoch['earlyStop']): Epoch[] {
  const out: Epoch[] = [];
  for (let k = from; k <= to; k++) out.push({ epoch: k, loss: 1, valLoss: 1 / k });
  if (mark) out[out.length - 1].earlyStop = mark;
  return out;
}

async function fit(logs: Epoch[], asked: number, patience: string, keep: boolean): Promise<void> {
  page.session = session(logs);
  page.data = { kind: 'own', validation: { x: [[1]], y: [[0]], labels: [0] } } as unknown as typeof page.data;
  fitDefaults();
  fillFit(els, asked);
  el('fit-patience').value = patience;
  el('fit-restore').checked = keep;
  const { paint } = queuedFrames();
  el('fit').click();
  await paint();
  await running;
}

beforeEach(() => {
  els = trainingPanel();
  running = undefined;
  const run: RunAction = (_what, work) => (running = work());
  wireTraining(run);
});
afterEach(() => {
  page.session = null;
  page.data = null;
  vi.unstubAllGlobals();
});

describe('the Fit line after early stopping, worked by hand', () => {
  it("a second Fit (the model's epochs 21 … 32 of 50 asked) stopped, the best the model's 29th kept: this Fit's epoch 9, its validation loss, the bar full", async () => {
    await fit(epochs(21, 32, { stopped: true, bestEpoch: 29 }), 50, '3', true);
    const line = el('train-out').textContent;
    // 29 − 32 + 12 = 9; 3 epochs after it (10, 11, 12); validation loss 1 / 29 = 0.03448 (4 digits).
    expect(line).toContain(' (stopped early: the validation loss did not improve for 3 epochs after epoch 9; the net holds epoch 9, the best): loss ');
    expect(line).toMatch(/ \(epoch 9's mean, the epoch kept\); validation loss 0\.03448\.$/);
    expect(el('stage-out').textContent).toMatch(/^Fitted 12 epochs; the net holds epoch 9, the best\. /);
    expect([el('train-progress').value, el('train-progress').max]).toEqual([12, 12]);
  });

  it('a Fit that ran all 20 asked, its best the last: the last epoch\'s mean, no epoch "held"', async () => {
    await fit(epochs(1, 20, { stopped: false, bestEpoch: 20 }), 20, '3', true);
    // 1 / 20 = 0.05000.
    expect(el('train-out').textContent).toMatch(/ \(the best epoch, 20, kept\): loss .* \(the last epoch's mean\); validation loss 0\.05000\.$/);
    expect(el('stage-out').textContent).toMatch(/^Fitted 20 epochs\. /);
  });

  it('Stop before early stopping (3 of 10 epochs, no mark) with keep the best epoch: the line says the best was not kept', async () => {
    await fit(epochs(1, 3), 10, '5', true);
    expect(el('train-out').textContent).toContain(' (stopped: by Stop, not early stop, so the best epoch was not kept): loss ');
    // Without keep the best epoch: the plain Stop mark.
    await fit(epochs(1, 3), 10, '5', false);
    expect(el('train-out').textContent).toContain(' (stopped): loss ');
  });
});
