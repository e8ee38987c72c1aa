/**
 * The bench page to a screen reader, what a11y57 left (src/lab/bench.html, bench/page/table.ts): the empty "Results
 * table" and "Charts" regions hidden until a run puts something in them (they were announced at load), the focused
 * alert named (its name was empty), and a time/step cell's mark (`†`, `*`) said in words (a bare "†" was read as
 * "dagger", or not at all). Expected words are the note under the table's (README, "In your own browser").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QUICK_POLICY, type Row } from '../bench/protocol.ts';
import { cellParts, pageTable, showCharts } from '../bench/page/table.ts';

describe('the page\'s regions and alert at load (src/lab/bench.html)', () => {
  const html = readFileSync(new URL('../src/lab/bench.html', import.meta.url), 'utf8');
  const tag = (id: string): string => html.match(new RegExp(`<[a-z]+ id="${id}"[^>]*>`))?.[0] ?? `#${id} missing`;

  it('"Results table" and "Charts" are hidden until a run draws them, as "Targets table" is', () => {
    for (const id of ['table', 'targets', 'chart']) expect(tag(id), id).toMatch(/ hidden[ >]/);
  });

  it('the alert (#error, focused at load) is named by its own text', () => {
    expect(tag('error')).toMatch(/ aria-labelledby="error"/);
  });
});

describe('showCharts: the charts\' region hidden while it holds no chart', () => {
  it('empty: hidden; a chart: shown; emptied again (the next Run): hidden', () => {
    const box = { innerHTML: 'old', hidden: false };
    showCharts(box, '');
    expect(box).toEqual({ innerHTML: '', hidden: true });
    showCharts(box, '<span role="img" aria-label="Chart">…</span>');
    expect(box).toEqual({ innerHTML: '<span role="img" aria-label="Chart">…</span>', hidden: false });
    showCharts(box, '');
    expect(box.hidden).toBe(true);
  });
});

describe('a time/step cell\'s marks said in words', () => {
  it('cellParts: the text, then each mark apart with the words read for it', () => {
    expect(cellParts('1.00 ms†')).toEqual([{ text: '1.00 ms' }, { mark: '†', said: ' (repetitions under half the target)' }]);
    expect(cellParts('2.50 ms*')).toEqual([{ text: '2.50 ms' }, { mark: '*', said: ' (capped)' }]);
    expect(cellParts('—')).toEqual([{ text: '—' }]);
  });

  it('pageTable: the time/step column alone is marked, and its cells carry the marks', () => {
    // 1 ms a step; a median repetition of 5 ms, under half QUICK_POLICY's 25 ms target: †. The other capped: *.
    const row = (system: Row['system'], extra: Partial<Row>): Row => ({ system, config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.25, stepsPerSec: 1e3, msPerStep: { median: 1, min: 1, max: 1 }, ...extra });
    const t = pageTable([row('ours-cpu', { repMs: { median: 5, min: 5, max: 5 } }), row('tfjs-cpu', { capped: true })], { policy: QUICK_POLICY, goals: {} });
    expect(t.head.filter((_, j) => t.marked[j])).toEqual(['time/step (median)']);
    const col = t.marked.indexOf(true);
    expect(t.body.map((cells) => cellParts(cells[col]))).toEqual([
      [{ text: '1.00 ms' }, { mark: '†', said: ' (repetitions under half the target)' }],
      [{ text: '1.00 ms' }, { mark: '*', said: ' (capped)' }],
    ]);
  });
});
