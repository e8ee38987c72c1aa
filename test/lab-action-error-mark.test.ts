/**
 * Which control an action's error marks (src/lab/device-panel.ts showActionError, fields.ts actionControl): the
 * editor's, Steps, the Fit panel's where the action read them (Apply, Train, Fit), none where the action read a file or
 * a link. Importing a spec file with "lr": -1 is a SpecError naming `lr`, the file's field: it marked the editor's lr
 * input — which holds the page's net's own, valid η — aria-invalid and described by the notice. On the stand-in DOM of
 * test/lib/fake-dom.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { showActionError } from '../src/lab/device-panel.ts';
import { importedData } from '../src/lab/files.ts';
import { FakeElement, fakeDocument } from './lib/fake-dom.ts';

const els = new Map<string, FakeElement>();
const el = (id: string): FakeElement => els.get(id)!;

beforeEach(() => {
  els.clear();
  for (const id of ['notice', 'notice-text', 'device-why', 'lr', 'train-steps']) {
    const e = new FakeElement(id === 'lr' || id === 'train-steps' ? 'input' : 'div');
    e.id = id;
    els.set(id, e);
  }
  vi.stubGlobal('document', { ...fakeDocument, body: { dataset: {} }, getElementById: (id: string) => els.get(id) ?? null });
});
afterEach(() => vi.unstubAllGlobals());

/** The file's error, as the Import action gets it (file-actions.ts: importedData of the file). */
function importError(): unknown {
  const spec = { name: 'mine', inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, x: [[0]], y: [[1]], lr: -1 };
  try {
    importedData(JSON.stringify(spec), 'mine.json', null);
  } catch (err) {
    return err;
  }
  throw new Error('the file was taken');
}

describe("an action's error marks the page's control only where the action read it", () => {
  it('Import of a spec whose lr is −1: the notice says lr, the editor\'s lr input is not marked', () => {
    const err = importError();
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).field).toBe('lr');
    showActionError('Import', err);
    expect(el('notice-text').textContent).toMatch(/lr/);
    expect(el('lr').getAttribute('aria-invalid')).toBeNull();
    expect(el('lr').getAttribute('aria-describedby')).toBeNull();
  });

  it("the editor's Apply with lr −1: its lr input marked, described by the notice; the next error (Import) unmarks it", () => {
    showActionError('Apply', new SpecError('lr', 'must be ≥ 0, got -1'));
    expect(el('lr').getAttribute('aria-invalid')).toBe('true');
    expect(el('lr').getAttribute('aria-describedby')).toBe('notice-text');
    showActionError('Import', importError());
    expect(el('lr').getAttribute('aria-invalid')).toBeNull();
  });

  it('a link (Open link, the first Load) marks nothing either; Train marks Steps', () => {
    showActionError('Open link', new SpecError('lr', 'must be ≥ 0, got -1'));
    showActionError('Load', new SpecError('lr', 'must be ≥ 0, got -1'));
    expect(el('lr').getAttribute('aria-invalid')).toBeNull();
    showActionError('Train', new SpecError('steps', 'must be an integer 1 … 100000, got 0'));
    expect(el('train-steps').getAttribute('aria-invalid')).toBe('true');
  });
});
