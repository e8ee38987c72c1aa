/**
 * The Your data dialog's elements (src/lab/index.html's ids that src/lab/import-panel.ts reads) on the stand-in DOM
 * of ./fake-dom.ts, for the dialog's Node tests: the number fields typed as a browser types them, hidden units 8 and
 * validation 0 % as the page starts them, `document` and `Option` stubbed (vi.unstubAllGlobals undoes it).
 */
import { vi } from 'vitest';
import { FakeElement, FakeSelect, fakeDocument, fakeOption } from './fake-dom.ts';

const IDS = ['import-dialog', 'table-read', 'table-text', 'import-table', 'drop-zone', 'feature-list', 'standardise', 'table-use', 'import-form', 'import-hidden', 'import-out', 'table-columns', 'task-out', 'validation'];
const INPUTS = ['import-hidden', 'validation', 'standardise', 'import-table'];
const NUMBERS = ['import-hidden', 'validation'];

/** The dialog's elements by id, `document.getElementById` answering from them. */
export function importDialogDom(): Map<string, FakeElement> {
  const els = new Map<string, FakeElement>();
  for (const id of IDS) {
    const e = new FakeElement(INPUTS.includes(id) ? 'input' : 'div');
    if (NUMBERS.includes(id)) e.type = 'number';
    e.id = id;
    els.set(id, e);
  }
  const label = new FakeSelect();
  label.id = 'label-column';
  els.set('label-column', label);
  els.get('import-hidden')!.value = '8';
  els.get('validation')!.value = '0';
  vi.stubGlobal('document', { ...fakeDocument, getElementById: (id: string) => els.get(id) ?? null });
  vi.stubGlobal('Option', fakeOption);
  return els;
}

/**
 * requestAnimationFrame stubbed to queue its callbacks (afterPaint's frame, dom.ts) until `paint` runs them and lets
 * their tasks run; `frames` is the queue, to count what waits.
 */
export function queuedFrames(): { frames: (() => void)[]; paint(): Promise<void> } {
  const frames: (() => void)[] = [];
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => { frames.push(f); return frames.length; });
  return {
    frames,
    async paint() {
      const queued = frames.splice(0);
      for (const f of queued) f();
      await new Promise((r) => setTimeout(r, 5));
    },
  };
}

/** 44 000 rows of 23 characters and a header of 12: 1 012 012 characters, 44 001 lines — past BUSY_CHARS and BUSY_ROWS. */
export const BIG = `x1,x2,label\n${Array.from({ length: 44_000 }, (_, k) => `0.${String(1_000_000 + k).slice(1)},0.7654321,${k % 2 ? 'yes' : 'no '}\n`).join('')}`;

/** Four rows: read at once. */
export const SMALL = 'x1,x2,label\n1,2,yes\n3,4,no\n5,6,yes\n7,8,no';
