/**
 * The Train and Fit controls of src/lab/training.ts on the stand-in DOM of ./fake-dom.ts: the buttons, the number
 * fields (inputs of type number; early stop's patience and its checkbox), the stage and train lines, the progress bar and the optimiser menu, made afresh and
 * `document` and `Option` stubbed (the caller unstubs them). Returns the elements by id.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { RunAction } from '../../src/lab/page.ts';
import { FakeElement, FakeSelect } from './fake-dom.ts';

const IDS = ['train', 'stop', 'fit', 'train-steps', 'fit-epochs', 'fit-lr', 'fit-batch', 'fit-patience', 'fit-restore', 'fitstop', 'fitstop-es', 'train-out', 'stage-out', 'train-progress'];

/** An option as `new Option(text, value, defaultSelected, selected)` makes it. */
function option(text: string, value: string, _defaultSelected?: boolean, selected?: boolean): FakeElement {
  return Object.assign(new FakeElement('option'), { textContent: text, value, selected: selected ?? false });
}

export function trainingPanel(): Map<string, FakeElement> {
  const els = new Map<string, FakeElement>();
  for (const id of IDS) {
    const e = new FakeElement(id === 'fitstop' ? 'div' : id === 'fitstop-es' ? 'span' : id.startsWith('fit-') || id === 'train-steps' ? 'input' : 'button');
    if (e.tagName === 'input') e.type = id === 'fit-restore' ? 'checkbox' : 'number';
    e.id = id;
    els.set(id, e);
  }
  const menu = new FakeSelect();
  menu.id = 'fit-optimizer';
  els.set('fit-optimizer', menu);
  const schedule = new FakeSelect();
  schedule.id = 'fit-schedule';
  els.set('fit-schedule', schedule);
  vi.stubGlobal('document', { getElementById: (id: string) => els.get(id) ?? null });
  vi.stubGlobal('Option', option);
  return els;
}

/** The Fit panel's fields as a student fills them: Adam, lr 0.01, batch 100, `epochs` epochs. */
export function fillFit(els: Map<string, FakeElement>, epochs: number): void {
  els.get('fit-optimizer')!.value = 'adam';
  els.get('fit-lr')!.value = '0.01';
  els.get('fit-batch')!.value = '100';
  els.get('fit-epochs')!.value = String(epochs);
}

/**
 * Before each test a fresh panel, wired (`wire`: training.ts's wireTraining) with a run that keeps the action's promise
 * (`running()`); after each, the page's session and data cleared (`page`: page.ts's) and the globals unstubbed.
 */
export function wiredPanelEachTest(wire: (run: RunAction) => void, page: { session: unknown; data: unknown }): { el: (id: string) => FakeElement; els: () => Map<string, FakeElement>; running: () => Promise<void> | undefined } {
  let els = new Map<string, FakeElement>();
  let running: Promise<void> | undefined;
  beforeEach(() => {
    els = trainingPanel();
    running = undefined;
    wire((_what, work) => (running = work()));
  });
  afterEach(() => {
    page.session = null;
    page.data = null;
    vi.unstubAllGlobals();
  });
  return { el: (id) => els.get(id)!, els: () => els, running: () => running };
}
