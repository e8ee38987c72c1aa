/**
 * The Fit panel's defaults and fields and the Train controls' wiring (src/lab/training.ts) in Node, on the stand-in
 * DOM of test/lib/fake-dom.ts (the views it redraws are stubbed: no run happens here). Expected values from README and
 * the functions' rules: SGD and momentum take the net's lr, Adam and AdamW 0.01; the batch is the lab's mini-batch
 * size when it trains in mini-batches, else 32 or every example when fewer; an lr the student typed stays when the
 * optimiser changes; at most 100 000 steps a Train and 10 000 epochs a Fit; an empty field is a SpecError under `fit.`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpecError } from '../src/errors.ts';
import type { LabSession } from '../src/lab/session.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { trainingPanel } from './lib/training-panel.ts';

vi.mock('../src/lab/views.ts', () => ({ drawAll: () => {}, drawChartSoon: () => {}, recordValidation: () => {} }));

const { page } = await import('../src/lab/page.ts');
const { fitDefaults, fitSettings, showFitSettings, wireTraining } = await import('../src/lab/training.ts');

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;

/** A session as fitDefaults reads it: the net's lr, its examples, its batches and the lab's batch size. */
const session = (o: { lr: number; examples: number; batchSize: number }): LabSession =>
  ({ lr: o.lr, batches: Math.ceil(o.examples / o.batchSize), lab: { x: { length: o.examples }, batchSize: o.batchSize } }) as unknown as LabSession;


beforeEach(() => {
  els = trainingPanel();
  wireTraining(async () => {});
});
afterEach(() => {
  page.session = null;
  vi.unstubAllGlobals();
});

describe('the Fit panel\'s defaults for the net loaded', () => {
  it('the menu is the optimisers by their labels, Adam chosen; the fields\' max are 100 000 steps and 10 000 epochs', () => {
    const menu = el('fit-optimizer');
    expect(menu.children.map((o) => [o.value, o.textContent])).toEqual([['sgd', 'SGD'], ['momentum', 'momentum'], ['adam', 'Adam'], ['adamw', 'AdamW']]);
    expect(menu.value).toBe('adam');
    expect(el('train-steps').max).toBe('100000');
    expect(el('fit-epochs').max).toBe('10000');
  });

  it('Adam: lr 0.01; a net in mini-batches of 20 (of 200): batch 20', () => {
    page.session = session({ lr: 0.5, examples: 200, batchSize: 20 });
    fitDefaults();
    expect([el('fit-lr').value, el('fit-batch').value]).toEqual(['0.01', '20']);
  });

  it('full batch: 32 of 200 examples, or all 4 of XOR\'s', () => {
    page.session = session({ lr: 0.5, examples: 200, batchSize: 200 });
    fitDefaults();
    expect(el('fit-batch').value).toBe('32');
    page.session = session({ lr: 1, examples: 4, batchSize: 4 });
    fitDefaults();
    expect(el('fit-batch').value).toBe('4');
  });

  it('SGD chosen: the lr follows to the net\'s (0.5) while the field holds Adam\'s default; the batch stays', () => {
    page.session = session({ lr: 0.5, examples: 200, batchSize: 200 });
    fitDefaults();
    el('fit-batch').value = '50';
    el('fit-optimizer').value = 'sgd';
    el('fit-optimizer').dispatch('change');
    expect([el('fit-lr').value, el('fit-batch').value]).toEqual(['0.5', '50']);
    // Back to Adam: its default again.
    el('fit-optimizer').value = 'adam';
    el('fit-optimizer').dispatch('change');
    expect(el('fit-lr').value).toBe('0.01');
  });

  it('an lr typed stays when the optimiser changes', () => {
    page.session = session({ lr: 0.5, examples: 200, batchSize: 200 });
    fitDefaults();
    el('fit-lr').value = '0.003';
    el('fit-optimizer').value = 'sgd';
    el('fit-optimizer').dispatch('change');
    expect(el('fit-lr').value).toBe('0.003');
  });

  it('a link\'s settings: its lr, the SGD default for the net (0.5), follows the optimiser; another lr stays', () => {
    page.session = session({ lr: 0.5, examples: 200, batchSize: 200 });
    fitDefaults();
    showFitSettings({ optimizer: { name: 'sgd', lr: 0.5 }, batchSize: 10, epochs: 3 });
    expect([el('fit-optimizer').value, el('fit-lr').value, el('fit-batch').value, el('fit-epochs').value]).toEqual(['sgd', '0.5', '10', '3']);
    el('fit-optimizer').value = 'adam';
    el('fit-optimizer').dispatch('change');
    expect(el('fit-lr').value).toBe('0.01');
    showFitSettings({ optimizer: { name: 'sgd', lr: 0.2 }, batchSize: 10, epochs: 3 });
    el('fit-optimizer').value = 'adam';
    el('fit-optimizer').dispatch('change');
    expect(el('fit-lr').value).toBe('0.2');
  });
});

describe('the Fit panel\'s fields as read', () => {
  it('as typed: optimiser, lr, batch and epochs', () => {
    el('fit-optimizer').value = 'momentum';
    el('fit-lr').value = '0.05';
    el('fit-batch').value = '16';
    el('fit-epochs').value = '7';
    expect(fitSettings()).toEqual({ optimizer: { name: 'momentum', lr: 0.05 }, batchSize: 16, epochs: 7 });
  });

  it.each([['fit-lr', 'fit.optimizer.lr'], ['fit-batch', 'fit.batchSize'], ['fit-epochs', 'fit.epochs']])('#%s empty: SpecError(%s)', (id, field) => {
    for (const f of ['fit-lr', 'fit-batch', 'fit-epochs']) el(f).value = '1';
    el(id).value = '';
    let err: unknown;
    try {
      fitSettings();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).field).toBe(field);
    expect((err as SpecError).message).toBe(`${field}: must be a number, got an empty field`);
  });
});

describe("the Fit panel's early stop", () => {
  const fields = () => [el('fitstop-es').hidden, el('fit-patience').disabled, el('fit-restore').disabled];
  afterEach(() => {
    page.data = null;
  });
  const typed = () => {
    el('fit-optimizer').value = 'adam';
    for (const [id, v] of [['fit-lr', '0.01'], ['fit-batch', '4'], ['fit-epochs', '20']]) el(id).value = v;
  };

  it('off, with why, where the data set has no validation split; on where it has one', () => {
    page.session = session({ lr: 0.5, examples: 200, batchSize: 200 });
    page.data = { validation: undefined } as unknown as typeof page.data;
    fitDefaults();
    expect(fields()).toEqual([true, true, true]);
    expect(el('fit').title).toMatch(/^Fit has no early stop here: it watches the validation loss, and this data set has no validation split/);
    // A patience left in the field (a link's) is not used while it is off.
    typed();
    el('fit-patience').value = '3';
    expect(fitSettings().earlyStop).toBeUndefined();
    page.data = { validation: { x: [[0]], y: [[0]], labels: [0] } } as unknown as typeof page.data;
    fitDefaults();
    expect(fields()).toEqual([false, false, false]);
    expect(el('fit').title).toBe('');
  });

  it('read: a patience (keep the best epoch ticked or not); empty or 0 is off; a link\'s settings shown and read back', () => {
    page.session = session({ lr: 0.5, examples: 200, batchSize: 200 });
    page.data = { validation: { x: [[0]], y: [[0]], labels: [0] } } as unknown as typeof page.data;
    fitDefaults();
    typed();
    el('fit-patience').value = '3';
    el('fit-restore').checked = true;
    expect(fitSettings().earlyStop).toEqual({ patience: 3, restoreBest: true });
    el('fit-restore').checked = false;
    expect(fitSettings().earlyStop).toEqual({ patience: 3, restoreBest: false });
    for (const off of ['', '0']) {
      el('fit-patience').value = off;
      expect(fitSettings().earlyStop).toBeUndefined();
    }
    // Text the browser cannot read as a number is named, not taken as off.
    el('fit-patience').value = ''; // as the browser hands it over
    el('fit-patience').validity = { badInput: true };
    expect(() => fitSettings()).toThrow(/^fit\.earlyStop\.patience: must be a number; what is typed there is not one/);
    el('fit-patience').validity = { badInput: false };
    const link = { optimizer: { name: 'sgd', lr: 0.5 }, batchSize: 10, epochs: 30, earlyStop: { patience: 5, restoreBest: true } } as const;
    showFitSettings({ ...link, optimizer: { ...link.optimizer }, earlyStop: { ...link.earlyStop } });
    expect(fitSettings()).toEqual(link);
    showFitSettings({ optimizer: { name: 'sgd', lr: 0.5 }, batchSize: 10, epochs: 30 });
    expect([el('fit-patience').value, el('fit-restore').checked]).toEqual(['', false]);
  });
});

describe("the Fit panel's lr schedule", () => {
  afterEach(() => {
    page.data = null;
  });

  it('the menu: constant (chosen), cosine, step, plateau — plateau off without a validation split; read and shown as a link\'s', () => {
    const menu = el('fit-schedule');
    expect(menu.children.map((o) => [o.value, o.textContent])).toEqual([['constant', 'constant'], ['cosine', 'cosine'], ['step', 'step'], ['plateau', 'plateau']]);
    expect(menu.value).toBe('constant');
    page.session = session({ lr: 0.5, examples: 200, batchSize: 200 });
    page.data = { validation: undefined } as unknown as typeof page.data;
    fitDefaults();
    const plateau = () => menu.children.find((o) => o.value === 'plateau')!.disabled;
    expect(plateau()).toBe(true);
    page.data = { validation: { x: [[0]], y: [[0]], labels: [0] } } as unknown as typeof page.data;
    fitDefaults();
    expect(plateau()).toBe(false);
    el('fit-optimizer').value = 'adam';
    for (const [id, v] of [['fit-lr', '0.01'], ['fit-batch', '4'], ['fit-epochs', '20']]) el(id).value = v;
    expect(fitSettings().lrSchedule).toBeUndefined(); // constant: none
    const link = { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 20, lrSchedule: 'cosine' } as const;
    showFitSettings({ ...link, optimizer: { ...link.optimizer } });
    expect(menu.value).toBe('cosine');
    expect(fitSettings()).toEqual(link);
    showFitSettings({ ...link, optimizer: { ...link.optimizer }, lrSchedule: undefined }); // an old link: constant
    expect(menu.value).toBe('constant');
  });
});

describe('Stop and a held Enter', () => {
  it('a repeated Enter or Space on Stop does nothing; a fresh press, or another key repeated, is left alone', () => {
    const stop = el('stop');
    expect(stop.dispatch('keydown', { key: 'Enter', repeat: true })).toBe(false);
    expect(stop.dispatch('keydown', { key: ' ', repeat: true })).toBe(false);
    expect(stop.dispatch('keydown', { key: 'Enter', repeat: false })).toBe(true);
    expect(stop.dispatch('keydown', { key: 'Tab', repeat: true })).toBe(true);
  });
});
