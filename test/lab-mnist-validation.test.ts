/**
 * MNIST's held-out digits as Fit's validation set (src/lab/presets.ts fitValidation, src/lab/training.ts): the Fit
 * panel's early-stop row shows on the MNIST preset's data (it has no `validation` of your data's, only `heldOut`, the
 * confusion matrix's digits), and Fit hands those digits to the session's fit as validation rows. Node, on the
 * stand-in DOM of test/lib/fake-dom.ts, the views stubbed, the Fit panel's rule check standing aside. Expected rows by
 * hand from mnistSpecData's rule (README "The course lab"): x = pixel / 255 (51 is 0.2, 255 is 1), y one-hot on the label.
 * Then, on the same stand-ins, the Fit line after early stopping (review mut64b).
 */
import { describe, expect, it, vi } from 'vitest';
import { confusionTable } from '../src/lab/confusion.ts';
import type { MnistPart } from '../src/lab/mnist.ts';
import type { LabSession } from '../src/lab/session.ts';
import { FakeEl } from './lib/fake-table.ts';
import { queuedFrames } from './lib/import-dialog.ts';
import { fillFit, wiredPanelEachTest } from './lib/training-panel.ts';

vi.mock('../src/lab/views.ts', () => ({ drawAll: () => {}, drawChartSoon: () => {}, recordValidation: () => {} }));
vi.mock('../src/lab/files.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/lab/files.ts')>();
  return { ...real, checkFitSettings: (_lab: unknown, f: ReturnType<typeof real.checkFitSettings>) => f };
});

const { page } = await import('../src/lab/page.ts');
const { fitDefaults, wireTraining } = await import('../src/lab/training.ts');
const { fitValidation } = await import('../src/lab/presets.ts');

const panel = wiredPanelEachTest(wireTraining, page);
const el = panel.el;

/** Two held-out digits: a 9 whose first pixel is 51 and last 255, then a blank 0. */
function twoDigits(): MnistPart {
  const images = new Uint8Array(2 * 784);
  images[0] = 51;
  images[783] = 255;
  return { count: 2, images, labels: Uint8Array.from([9, 0]) };
}

/** The rows the digits are by hand. */
function expectDigitRows(v: { x: number[][]; y: number[][] } | undefined): void {
  expect(v?.x).toHaveLength(2);
  expect(v!.x[0][0]).toBeCloseTo(0.2, 15);
  expect(v!.x[0][783]).toBe(1);
  expect(v!.x[0].slice(1, 783).every((p) => p === 0)).toBe(true);
  expect(v!.x[1].every((p) => p === 0)).toBe(true);
  expect(v!.y).toEqual([[0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
}

/** MNIST's data as the preset gives it: the held-out digits, no validation split of your data's. */
const mnistData = (heldOut: MnistPart) => ({ kind: 'mnist', heldOut }) as unknown as typeof page.data;

/** A session as fitNow reads it (MNIST's: 1000 digits in batches of 100), its fit logging one epoch of each asked. */
function session(asked: { validation?: unknown; earlyStopping?: unknown; lrSchedule?: unknown }[]): LabSession {
  return {
    kind: 'wasm', history: [] as { loss: number }[], steps: 0, lr: 1, batches: 10, lab: { x: { length: 1000 }, batchSize: 100 },
    async fit(o: { epochs: number; validation?: unknown; earlyStopping?: unknown }, onEpoch: (e: { epoch: number; loss: number; valLoss: number }, done: number) => void) {
      asked.push(o);
      const logs = Array.from({ length: o.epochs }, (_, k) => ({ epoch: k + 1, loss: 1 / (k + 1), valLoss: 2 / (k + 1), lr: 0.01 / 2 ** k }));
      logs.forEach((e, k) => onEpoch(e, k + 1));
      return logs;
    },
  } as unknown as LabSession;
}

describe("MNIST's held-out digits as Fit's validation set", () => {
  it('fitValidation: the digits as rows (the same rows for the same part), your data\'s split first, none without either', () => {
    const part = twoDigits();
    const rows = fitValidation({ heldOut: part });
    expectDigitRows(rows);
    expect(rows!.labels).toEqual([9, 0]);
    expect(fitValidation({ heldOut: part })).toBe(rows);
    const yours = { x: [[1]], y: [[0]], labels: [0] };
    expect(fitValidation({ validation: yours, heldOut: part })).toBe(yours);
    expect(fitValidation({ validation: { x: [], y: [], labels: [] } })).toBeUndefined();
    expect(fitValidation({ heldOut: { count: 0, images: new Uint8Array(0), labels: new Uint8Array(0) } })).toBeUndefined();
    expect(fitValidation(null)).toBeUndefined();
  });

  it('the early-stop row shows on MNIST, its fields on and the Fit button without the why-not title', () => {
    page.session = session([]);
    page.data = mnistData(twoDigits());
    fitDefaults();
    expect([el('fitstop-es').hidden, el('fit-patience').disabled, el('fit-restore').disabled]).toEqual([false, false, false]);
    expect(el('fit').title).toBe('');
  });

  it('Fit on MNIST gives the session\'s fit the digits as validation, with the panel\'s early stop; its line says the validation loss', async () => {
    const asked: { validation?: { x: number[][]; y: number[][] }; earlyStopping?: unknown }[] = [];
    page.session = session(asked);
    page.data = mnistData(twoDigits());
    fitDefaults();
    fillFit(panel.els(), 2);
    el('fit-patience').value = '3';
    el('fit-restore').checked = true;
    const { paint } = queuedFrames();
    el('fit').click();
    await paint();
    await panel.running();
    expect(asked).toHaveLength(1);
    expectDigitRows(asked[0].validation);
    expect(asked[0].earlyStopping).toEqual({ patience: 3, restoreBest: true });
    // Epoch 2's validation loss, 2 / 2.
    expect(el('train-out').textContent).toMatch(/; validation loss 1\.000\.$/);
  });

  it('Fit with the panel\'s plateau schedule: the session\'s fit gets it, and the line names it and the last epoch\'s lr', async () => {
    const asked: { lrSchedule?: unknown }[] = [];
    page.session = session(asked);
    page.data = mnistData(twoDigits());
    fitDefaults();
    fillFit(panel.els(), 3);
    el('fit-schedule').value = 'plateau';
    const { paint } = queuedFrames();
    el('fit').click();
    await paint();
    await panel.running();
    expect(asked[0].lrSchedule).toBe('plateau');
    // The stand-in's lrs 0.01, 0.005, 0.0025: the last, at 3 significant digits.
    expect(el('train-out').textContent).toMatch(/^3 epochs of Adam \(lr 0\.01, plateau ×0\.5 to lr 0\.00250, batch 100\) on /);
  });

  it('a plateau left in the menu (a link\'s) on data without a validation split: refused naming fit.lrSchedule before the fit or the stage line', async () => {
    const asked: unknown[] = [];
    page.session = session(asked as { validation?: unknown }[]);
    page.data = { validation: undefined } as unknown as typeof page.data;
    fitDefaults();
    fillFit(panel.els(), 3);
    el('fit-schedule').value = 'plateau';
    el('stage-out').textContent = 'before';
    el('fit').click();
    await expect(panel.running()).rejects.toThrow(/^fit\.lrSchedule: plateau lowers the lr when the validation loss stops falling/);
    expect([asked, el('stage-out').textContent]).toEqual([[], 'before']);
  });

  it("the confusion matrix's caption says its digits are Fit's validation set too", () => {
    const doc = { createElement: (tag: string) => new FakeEl(tag) } as unknown as Document;
    // 2 digits of class 0 right, 1 of class 1 called 0: 2 of 3, 66.7 %.
    const matrix = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (t === 0 && p === 0 ? 2 : t === 1 && p === 0 ? 1 : 0)));
    const table = confusionTable(doc, { matrix, accuracy: 2 / 3 }) as unknown as FakeEl;
    expect(table.all().find((e) => e.tag === 'caption')?.textContent)
      .toBe("Accuracy 66.7 % (2 of 3 held-out digits, Fit's validation set). Rows: true digit; columns: predicted digit.");
  });
});

// The Fit line and the stage line after a Fit with early stopping (training.ts fitNow, words.ts fittedStage), on a
// stand-in session whose fit returns a history made by hand (fit counts epochs across fits: a second Fit's are the
// model's 21 …). Review mut64b (reviews/mut64b.md): each expectation pins a mutant the other Node tests let through.
interface Epoch { epoch: number; loss: number; valLoss: number; earlyStop?: { stopped: boolean; bestEpoch: number } }

/** A session (your data: 1000 rows in batches of 100) whose fit logs `logs` and leaves the curve at 0.5 → 0.25. */
function stoppingSession(logs: Epoch[]): LabSession {
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

async function fitWith(logs: Epoch[], asked: number, patience: string, keep: boolean): Promise<void> {
  page.session = stoppingSession(logs);
  page.data = { kind: 'own', validation: { x: [[1]], y: [[0]], labels: [0] } } as unknown as typeof page.data;
  fitDefaults();
  fillFit(panel.els(), asked);
  el('fit-patience').value = patience;
  el('fit-restore').checked = keep;
  const { paint } = queuedFrames();
  el('fit').click();
  await paint();
  await panel.running();
}

describe('the Fit line after early stopping, worked by hand', () => {
  it("a second Fit (the model's epochs 21 … 32 of 50 asked) stopped, the best the model's 29th kept: this Fit's epoch 9, its validation loss, the bar full", async () => {
    await fitWith(epochs(21, 32, { stopped: true, bestEpoch: 29 }), 50, '3', true);
    const line = el('train-out').textContent;
    // 29 − 32 + 12 = 9; 3 epochs after it (10, 11, 12); validation loss 1 / 29 = 0.03448 (4 digits).
    expect(line).toContain(' (stopped early: the validation loss did not improve for 3 epochs after epoch 9; the net holds epoch 9, the best): loss ');
    expect(line).toMatch(/ \(epoch 9's mean, the epoch kept\); validation loss 0\.03448\.$/);
    expect(el('stage-out').textContent).toMatch(/^Fitted 12 epochs; the net holds epoch 9, the best\. /);
    expect([el('train-progress').value, el('train-progress').max]).toEqual([12, 12]);
  });

  it('a Fit that ran all 20 asked, its best the last: the last epoch\'s mean, no epoch "held"', async () => {
    await fitWith(epochs(1, 20, { stopped: false, bestEpoch: 20 }), 20, '3', true);
    // 1 / 20 = 0.05000.
    expect(el('train-out').textContent).toMatch(/ \(the best epoch, 20, kept\): loss .* \(the last epoch's mean\); validation loss 0\.05000\.$/);
    expect(el('stage-out').textContent).toMatch(/^Fitted 20 epochs\. /);
  });

  it('Stop before early stopping (3 of 10 epochs, no mark) with keep the best epoch: the line says the best was not kept', async () => {
    await fitWith(epochs(1, 3), 10, '5', true);
    expect(el('train-out').textContent).toContain(' (stopped: by Stop, not early stop, so the best epoch was not kept): loss ');
    // Without keep the best epoch: the plain Stop mark.
    await fitWith(epochs(1, 3), 10, '5', false);
    expect(el('train-out').textContent).toContain(' (stopped): loss ');
  });
});
