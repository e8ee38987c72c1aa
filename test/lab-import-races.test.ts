/**
 * Races in the Your data dialog (src/lab/import-panel.ts) while a big Read waits for its frame ("Reading …") or Train
 * on this data builds and loads ("Building the data set …"): a box ticked meanwhile turned Train on this data back on
 * (it could train the table read before, or load twice), and of two Reads the older big one, landing after its frame,
 * overwrote the newer. On the stand-in DOM of test/lib/fake-dom.ts, frames run by hand (as lab-import-busy).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresetData } from '../src/lab/presets.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { BIG, importDialogDom, queuedFrames, SMALL } from './lib/import-dialog.ts';

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;

/** 43 000 rows of 28 characters ('0.000000,0.1234567,0.000000' and a newline) and a header of 6: 1 204 006, also read after a frame. */
const BIG2 = `a,b,c\n${Array.from({ length: 43_000 }, (_, k) => `0.${String(1_000_000 + k).slice(1)},0.1234567,${k % 3}.000000\n`).join('')}`;

let used: PresetData[];
let useFails: Error | null;
let paint: () => Promise<void>;

/** parseTable's calls: a Read dropped parses nothing. */
let parsed: string[];

async function panel() {
  vi.doMock('../src/lab/table.ts', async (importOriginal) => {
    const real = await importOriginal<typeof import('../src/lab/table.ts')>();
    return { ...real, parseTable: (text: string) => { parsed.push(text.slice(0, text.indexOf('\n'))); return real.parseTable(text); } };
  });
  const { ImportPanel } = await import('../src/lab/import-panel.ts');
  return new ImportPanel(async (data) => {
    if (useFails) throw useFails;
    used.push(data);
  });
}

/** A panel that has read BIG (its frame painted, the read done): the Train on this data tests start here. */
async function bigRead() {
  const p = await panel();
  const read = p.read(BIG, 'big.csv');
  await paint();
  await read;
  return p;
}

/** A feature's box ticked or unticked, as the page dispatches it. */
function toggle(col: number): void {
  const box = el('feature-list').querySelectorAll('input')[col];
  box.checked = !box.checked;
  el('feature-list').dispatch('change');
}

beforeEach(() => {
  vi.resetModules();
  els = importDialogDom();
  el('standardise').checked = true;
  used = [];
  useFails = null;
  parsed = [];
  ({ paint } = queuedFrames());
});
afterEach(() => {
  vi.doUnmock('../src/lab/table.ts');
  vi.unstubAllGlobals();
});

describe('a box ticked while a big Read waits', () => {
  it('keeps Train on this data off and the Reading line; the table lands, then it is on', async () => {
    expect([BIG.length, BIG2.length]).toEqual([1_012_012, 1_204_006]);
    const p = await panel();
    p.read(SMALL, 'small.csv');
    expect(el('table-use').disabled).toBe(false);
    const done = p.read(BIG, 'big.csv');
    expect(el('table-use').disabled).toBe(true);
    // Unticked and ticked again: the small table's task line is worked, Train on this data stays off.
    toggle(0);
    toggle(0);
    expect(el('table-use').disabled).toBe(true);
    expect(el('import-out').textContent).toBe('Reading 44 001 lines (1.0 million characters)…');
    await paint();
    await done;
    expect(el('task-out').textContent).toMatch(/^44000 rows, 2 features/);
    expect(el('table-use').disabled).toBe(false);
  });
});

describe('a box ticked while a big table is built', () => {
  it('keeps Train on this data off and the Building line; loaded once', async () => {
    await bigRead();
    el('table-use').dispatch('click');
    expect(el('import-out').textContent).toBe('Building the data set from 44 000 rows…');
    toggle(0);
    toggle(0);
    expect(el('table-use').disabled).toBe(true);
    expect(el('import-out').textContent).toBe('Building the data set from 44 000 rows…');
    // Clicked again (Train on this data is off: a click the page would not give; the build does not start twice).
    el('table-use').dispatch('click');
    await paint();
    await paint();
    await vi.waitFor(() => expect(used).toHaveLength(1));
    await paint();
    expect(used).toHaveLength(1);
  });

  it('its load failing: Train on this data as the columns chosen meanwhile allow (every box unticked while it loads: off)', async () => {
    await bigRead();
    useFails = new Error('the backend refused');
    el('table-use').dispatch('click');
    await paint();
    expect(el('import-out').textContent).toBe('Loading the net with 44 000 training examples…');
    // Built from both features; both unticked while it loads.
    toggle(0);
    toggle(1);
    expect(el('table-use').disabled).toBe(true);
    await paint();
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('the backend refused'));
    expect(el('table-use').disabled).toBe(true);
    // One ticked again: on.
    toggle(1);
    expect(el('table-use').disabled).toBe(false);
  });

  it('its load failing, no box changed: Train on this data on again, to try once more', async () => {
    await bigRead();
    useFails = new Error('the backend refused');
    el('table-use').dispatch('click');
    expect(el('table-use').disabled).toBe(true);
    await paint();
    await paint();
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('the backend refused'));
    expect(el('table-use').disabled).toBe(false);
  });
});

/** A chosen file whose bytes come when `arrive` is called (a slow disk), or whose read fails then. */
function slowFile(name: string, text: string | null): { arrive: () => void } {
  let arrive = (): void => undefined;
  const bytes = new Promise<ArrayBuffer>((resolve, reject) => {
    arrive = () => (text === null ? reject(new Error('gone')) : resolve(new TextEncoder().encode(text).buffer as ArrayBuffer));
  });
  Object.assign(el('import-table'), { files: [{ name, arrayBuffer: () => bytes }] });
  el('import-table').dispatch('change');
  return { arrive };
}

describe('a chosen file whose bytes come after a newer Read', () => {
  it('does not land over it, read or refused', async () => {
    const p = await panel();
    const slow = slowFile('slow.csv', 'a,b,c\n1,2,0\n3,4,1\n5,6,0\n');
    const gone = slowFile('gone.csv', null);
    p.read(SMALL, 'small.csv');
    slow.arrive();
    gone.arrive();
    await new Promise((r) => setTimeout(r, 5));
    expect(parsed).toEqual(['x1,x2,label']);
    expect(el('task-out').textContent).toMatch(/^4 rows, 2 features; label 'label'/);
    expect([el('import-out').textContent, el('table-use').disabled]).toEqual(['', false]);
  });
});

describe('two Reads: only the latest lands', () => {
  it('a small Read after a big one waiting: the big one does not overwrite it', async () => {
    const p = await panel();
    const big = p.read(BIG, 'big.csv');
    p.read(SMALL, 'small.csv');
    expect(el('task-out').textContent).toMatch(/^4 rows, 2 features/);
    await paint();
    await big;
    expect(parsed).toEqual(['x1,x2,label']);
    expect(el('task-out').textContent).toMatch(/^4 rows, 2 features/);
    expect(el('table-use').disabled).toBe(false);
    el('table-use').dispatch('click');
    await vi.waitFor(() => expect(used).toHaveLength(1));
    expect(used[0].imported?.file).toBe('small.csv');
  });

  it('two big Reads in one wait: the second lands, the first is not parsed (its frame came first: it landed, then was overwritten)', async () => {
    const p = await panel();
    const first = p.read(BIG, 'big.csv');
    const second = p.read(BIG2, 'big2.csv');
    await paint();
    await Promise.all([first, second]);
    expect(parsed).toEqual(['a,b,c']);
    expect(el('task-out').textContent).toMatch(/^43000 rows, 2 features; label 'c'/);
  });
});
