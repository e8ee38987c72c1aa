/**
 * The bench page's "Compare two runs" to a keyboard and a screen reader (a11y62; bench/page/compare-ui.ts, voice.ts,
 * src/lab/bench.html): a pick's outcome heard through the page's voice (`compared: N rows, K warnings`, or the note
 * of what to pick), the error line an alert, the box a named region that scrolls sideways as the results boxes do, each
 * input labelled, and the focus on Download comparison or in the box handed to A's input when they are emptied. On the
 * stand-in DOM of test/lib/fake-dom.ts; the files are fair-run-57.json's header (a committed run) with hand-built
 * rows, as test/bench-page-compare.test.ts's. Expected lines worked by hand in the comments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { comparedLine, setUpCompare } from '../bench/page/compare-ui.ts';
import { AGAIN, RunVoice } from '../bench/page/voice.ts';
import type { BenchResult } from '../bench/report.ts';
import type { Row } from '../bench/row.ts';
import { FakeElement } from './lib/fake-dom.ts';

const base = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-57.json'), 'utf8')) as BenchResult;
const step = (config: string, system: Row['system'], ms: number): Row =>
  ({ config, system, status: 'ok', agreeSteps: 10, times: [ms, ms, ms], msPerStep: { median: ms, min: ms, max: ms }, reps: 3 });
const file = (name: string, r: BenchResult | string): { name: string; size: number; text(): Promise<string> } => {
  const text = typeof r === 'string' ? r : JSON.stringify(r);
  return { name, size: text.length, text: async () => text };
};
// A: a full run of two rows; B: the same two pairs, a quick run (mode differs: one warning, fair-run-57's header
// otherwise the same on both sides, as in test/bench-page-compare.test.ts).
const A = { ...base, rows: [step('b-mse', 'ours-webgpu', 11), step('b-ce', 'ours-cpu', 5)] };
const B = { ...base, mode: 'quick' as const, rows: [step('b-mse', 'ours-webgpu', 14), step('b-ce', 'ours-cpu', 2)] };

/** An element with the table methods compare-ui.ts draws with. */
class El extends FakeElement {
  private child(tag: string): El {
    const c = new El(tag);
    this.append(c);
    return c;
  }
  createCaption(): El { return this.child('caption'); }
  createTHead(): El { return this.child('thead'); }
  createTBody(): El { return this.child('tbody'); }
  insertRow(): El { return this.child('tr'); }
}

let doc: { createElement(tag: string): El; activeElement: unknown; body: El };
let e: { a: El; b: El; error: El; box: El; download: El };
let said: string[];
let pageRun: BenchResult | undefined;

/** A pick in `input` (or none: cleared), then its read's awaits run out. */
async function pick(input: El, f: ReturnType<typeof file> | null): Promise<void> {
  Object.assign(input, { files: f ? [f] : [] });
  input.dispatch('change');
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

beforeEach(() => {
  doc = { createElement: (tag) => new El(tag), activeElement: null, body: new El('body') };
  vi.stubGlobal('document', doc);
  e = { a: new El('input'), b: new El('input'), error: new El('p'), box: new El('div'), download: new El('button') };
  // focus() moves the document's focus, as a browser's does.
  for (const x of Object.values(e)) x.focus = () => { doc.activeElement = x; };
  said = [];
  pageRun = undefined;
});
afterEach(() => vi.unstubAllGlobals());

const wire = (): ReturnType<typeof setUpCompare> =>
  setUpCompare(e as never, () => pageRun, () => {}, (text) => said.push(text));

describe('a pick\'s outcome heard', () => {
  it('comparedLine: rows and warnings counted, one of each singular', () => {
    expect(comparedLine(2, 1)).toBe('compared: 2 rows, 1 warning');
    expect(comparedLine(1, 0)).toBe('compared: 1 row, 0 warnings');
  });

  it('A picked: the note of what to pick; B picked: the comparison, 2 rows and 1 warning (the modes differ)', async () => {
    wire();
    await pick(e.a, file('a.json', A));
    expect(said).toEqual(['A is read: run the benchmark on this page, or pick a second saved run as B, to compare it with.']);
    await pick(e.b, file('b.json', B));
    expect(said.at(-1)).toBe('compared: 2 rows, 1 warning');
    expect(e.box.hidden).toBe(false);
  });

  it('a bad file says nothing through the voice: its line is in #cmp-error, an alert', async () => {
    wire();
    await pick(e.a, file('notes.json', 'not json'));
    expect(said).toEqual([]);
    expect(e.error.hidden).toBe(false);
    expect(e.error.textContent).toMatch(/^notes\.json: /);
  });

  it('refresh (a run\'s end, ui.ts) draws without speaking and hands back its line, said after the run\'s last line', async () => {
    const box = wire();
    await pick(e.a, file('a.json', A));
    said.length = 0;
    pageRun = B;
    expect(box.refresh()).toBe('compared: 2 rows, 1 warning');
    expect(said).toEqual([]);
  });
});

describe('RunVoice note: the hidden line, heard again with the same words', () => {
  it('writes #said, not the status line; the same line twice changes it', () => {
    const page = { status: { textContent: '2/2 a · ours-cpu · rep 5/5' as string | null, setAttribute() {}, removeAttribute() {} }, said: { textContent: '' as string | null } };
    const voice = new RunVoice(page);
    voice.end('done after 3.0 s');
    voice.note('compared: 2 rows, 1 warning');
    expect(page.said.textContent).toBe('compared: 2 rows, 1 warning');
    voice.note('compared: 2 rows, 1 warning');
    expect(page.said.textContent).toBe(`compared: 2 rows, 1 warning${AGAIN}`);
    expect(page.status.textContent).toBe('done after 3.0 s');
  });
});

describe('the focus when the comparison is emptied', () => {
  it('on Download comparison, disabled as the run starts (B was the last run): handed to A\'s input', async () => {
    const box = wire();
    await pick(e.a, file('a.json', A));
    pageRun = B;
    box.refresh();
    expect(e.download.disabled).toBe(false);
    e.download.focus();
    pageRun = undefined;
    box.refresh();
    expect(e.download.disabled).toBe(true);
    expect(doc.activeElement).toBe(e.a);
  });

  it('elsewhere (Run): left where it is', async () => {
    const box = wire();
    await pick(e.a, file('a.json', A));
    pageRun = B;
    box.refresh();
    const run = new El('button');
    doc.activeElement = run;
    pageRun = undefined;
    box.refresh();
    expect(doc.activeElement).toBe(run);
  });
});

describe('the section\'s HTML (src/lab/bench.html)', () => {
  const html = readFileSync(new URL('../src/lab/bench.html', import.meta.url), 'utf8');
  const tag = (id: string): string => html.match(new RegExp(`<[a-z]+ id="${id}"[^>]*>`))?.[0] ?? `#${id} missing`;

  it('each file input inside its visible label; the error line an alert; the box a named region, hidden while empty', () => {
    for (const id of ['cmp-a', 'cmp-b']) expect(html, id).toMatch(new RegExp(`<label>[^<]+<input type="file" id="${id}"[^>]*></label>`));
    expect(tag('cmp-error')).toMatch(/role="alert"/);
    expect(tag('compare')).toMatch(/role="region" aria-label="Comparison table" hidden/);
  });

  it('the box scrolls sideways in its own box, as #table does (a Tab stop then, hence the name)', () => {
    expect(html).toMatch(/#compare \{ max-width: 100%; overflow-x: auto; \}/);
  });
});
