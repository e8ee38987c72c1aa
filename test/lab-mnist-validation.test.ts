/**
 * MNIST's held-out digits as Fit's validation set (src/lab/presets.ts fitValidation, src/lab/training.ts): the Fit
 * panel's early-stop row shows on the MNIST preset's data (it has no `validation` of your data's, only `heldOut`, the
 * confusion matrix's digits), and Fit hands those digits to the session's fit as validation rows. Node, on the
 * stand-in DOM of test/lib/fake-dom.ts, the views stubbed, the Fit panel's rule check standing aside. Expected rows by
 * hand from mnistSpecData's rule (README "The course lab"): x = pixel / 255 (51 is 0.2, 255 is 1), y one-hot on the label.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { confusionTable } from '../src/lab/confusion.ts';
import type { MnistPart } from '../src/lab/mnist.ts';
import type { RunAction } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { FakeEl } from './lib/fake-table.ts';
import { queuedFrames } from './lib/import-dialog.ts';
import { fillFit, trainingPanel } from './lib/training-panel.ts';

vi.mock('../src/lab/views.ts', () => ({ drawAll: () => {}, drawChartSoon: () => {}, recordValidation: () => {} }));
vi.mock('../src/lab/files.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/lab/files.ts')>();
  return { ...real, checkFitSettings: (_lab: unknown, f: ReturnType<typeof real.checkFitSettings>) => f };
});

const { page } = await import('../src/lab/page.ts');
const { fitDefaults, wireTraining } = await import('../src/lab/training.ts');
const { fitValidation } = await import('../src/lab/presets.ts');

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;
let running: Promise<void> | undefined;

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
function session(asked: { validation?: unknown; earlyStopping?: unknown }[]): LabSession {
  return {
    kind: 'wasm', history: [] as { loss: number }[], steps: 0, lr: 1, batches: 10, lab: { x: { length: 1000 }, batchSize: 100 },
    async fit(o: { epochs: number; validation?: unknown; earlyStopping?: unknown }, onEpoch: (e: { epoch: number; loss: number; valLoss: number }, done: number) => void) {
      asked.push(o);
      const logs = Array.from({ length: o.epochs }, (_, k) => ({ epoch: k + 1, loss: 1 / (k + 1), valLoss: 2 / (k + 1) }));
      logs.forEach((e, k) => onEpoch(e, k + 1));
      return logs;
    },
  } as unknown as LabSession;
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
    expect([el('fitstop').hidden, el('fit-patience').disabled, el('fit-restore').disabled]).toEqual([false, false, false]);
    expect(el('fit').title).toBe('');
  });

  it('Fit on MNIST gives the session\'s fit the digits as validation, with the panel\'s early stop; its line says the validation loss', async () => {
    const asked: { validation?: { x: number[][]; y: number[][] }; earlyStopping?: unknown }[] = [];
    page.session = session(asked);
    page.data = mnistData(twoDigits());
    fitDefaults();
    fillFit(els, 2);
    el('fit-patience').value = '3';
    el('fit-restore').checked = true;
    const { paint } = queuedFrames();
    el('fit').click();
    await paint();
    await running;
    expect(asked).toHaveLength(1);
    expectDigitRows(asked[0].validation);
    expect(asked[0].earlyStopping).toEqual({ patience: 3, restoreBest: true });
    // Epoch 2's validation loss, 2 / 2.
    expect(el('train-out').textContent).toMatch(/; validation loss 1\.000\.$/);
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
