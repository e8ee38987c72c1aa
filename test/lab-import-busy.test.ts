/**
 * The Your data dialog on a big table (src/lab/import-panel.ts): each long synchronous step — Read's parse of a text of
 * BUSY_CHARS (1 000 000) characters or more, Train on this data's data set and load of BUSY_ROWS (20 000) rows or more —
 * comes after a line saying what it does, written and painted first (a frame and a task: dom.ts afterPaint). 100 000
 * rows × 20 columns blocked the page ~0.8 s at Read and ~1.7 s at Train on this data with nothing on screen. The work is
 * counted (parseTable's and buildDataset's calls) around the frames, on the stand-in DOM of test/lib/fake-dom.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresetData } from '../src/lab/presets.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { BIG, importDialogDom, queuedFrames, SMALL } from './lib/import-dialog.ts';

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;


let used: PresetData[];
let frames: (() => void)[];
let paint: () => Promise<void>;
const calls = { parse: 0, build: 0 };

async function panel() {
  vi.doMock('../src/lab/table.ts', async (importOriginal) => {
    const real = await importOriginal<typeof import('../src/lab/table.ts')>();
    return {
      ...real,
      parseTable: (...a: Parameters<typeof real.parseTable>) => { calls.parse++; return real.parseTable(...a); },
      buildDataset: (...a: Parameters<typeof real.buildDataset>) => { calls.build++; return real.buildDataset(...a); },
    };
  });
  const { ImportPanel } = await import('../src/lab/import-panel.ts');
  return new ImportPanel(async (data) => { used.push(data); });
}

beforeEach(() => {
  vi.resetModules();
  els = importDialogDom();
  used = [];
  ({ frames, paint } = queuedFrames());
  calls.parse = 0;
  calls.build = 0;
});
afterEach(() => {
  vi.doUnmock('../src/lab/table.ts');
  vi.unstubAllGlobals();
});

describe('Read of a big text', () => {
  it('says what it reads, painted before the parse; then offers the columns', async () => {
    expect(BIG.length).toBe(1_012_012);
    const p = await panel();
    const done = p.read(BIG, 'big.csv');
    expect(el('import-out').textContent).toBe('Reading 44 001 lines (1.0 million characters)…');
    expect(el('table-use').disabled).toBe(true);
    expect(calls.parse).toBe(0);
    expect(frames).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(calls.parse).toBe(0);
    await paint();
    await done;
    expect(calls.parse).toBe(1);
    expect(el('import-out').textContent).toBe('');
    expect(el('task-out').textContent).toMatch(/^44000 rows, 2 features; label 'label' is 2 classes/);
    expect(el('table-use').disabled).toBe(false);
  });

  it('a small text is read at once, no frame waited for', async () => {
    const p = await panel();
    p.read(SMALL, 'small.csv');
    expect(calls.parse).toBe(1);
    expect(frames).toHaveLength(0);
    expect(el('task-out').textContent).toMatch(/^4 rows, 2 features/);
  });
});

describe('Train on this data with a big table', () => {
  it('says it builds the data set, painted before it is built, then that it loads the net, painted before the load', async () => {
    const p = await panel();
    const read = p.read(BIG, 'big.csv');
    await paint();
    await read;
    el('table-use').dispatch('click');
    expect(el('import-out').textContent).toBe('Building the data set from 44 000 rows…');
    expect(el('table-use').disabled).toBe(true);
    // Tasks and microtasks run, no frame: nothing is built before the line could be painted.
    await new Promise((r) => setTimeout(r, 5));
    expect(calls.build).toBe(0);
    expect(frames).toHaveLength(1);
    await paint();
    expect(calls.build).toBe(1);
    expect(el('import-out').textContent).toBe('Loading the net with 44 000 training examples…');
    expect(used).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(used).toHaveLength(0);
    await paint();
    expect(used).toHaveLength(1);
    expect(el('import-out').textContent).toBe('');
  });

  it('a small table is built and handed over at once', async () => {
    const p = await panel();
    p.read(SMALL, 'small.csv');
    el('table-use').dispatch('click');
    expect(calls.build).toBe(1);
    expect(frames).toHaveLength(0);
    await vi.waitFor(() => expect(used).toHaveLength(1));
  });
});
