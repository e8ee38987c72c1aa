/**
 * The bench page from a keyboard and a screen reader (a11y57): what is heard while a run goes on (bench/page/voice.ts
 * RunVoice), where the focus goes at Run, Stop and the run's end (focusAtStart, focusAtEnd), a config box's
 * description (bench/page/boxes.ts), the charts' names (table.ts chartNames) and the page's regions (src/lab/bench.html).
 * The page is plain objects here, as test/bench-page-attempt.test.ts's: each write logged with the status line's busy
 * mark at that moment.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Row, STOPPED_REASON } from '../bench/protocol.ts';
import type { BenchResult } from '../bench/report.ts';
import { checkboxLabels } from '../bench/page/boxes.ts';
import { RunStop, STOPPING } from '../bench/page/stop.ts';
import { chartNames, pageCharts } from '../bench/page/table.ts';
import { AGAIN, focusAtEnd, focusAtStart, RunVoice, type VoicePage } from '../bench/page/voice.ts';

/** A page whose every write is logged: `status: TEXT (busy)` / `said: TEXT`. */
function loggedPage(): VoicePage & { log: string[]; busy: boolean } {
  const page = {
    log: [] as string[],
    busy: false,
    status: {
      text: '' as string | null,
      get textContent(): string | null { return this.text; },
      set textContent(t: string | null) { this.text = t; page.log.push(`status: ${t}${page.busy ? ' (busy)' : ''}`); },
      setAttribute(name: string, value: string) { if (name === 'aria-busy') page.busy = value === 'true'; },
      removeAttribute(name: string) { if (name === 'aria-busy') page.busy = false; },
    },
    said: {
      text: '' as string | null,
      get textContent(): string | null { return this.text; },
      set textContent(t: string | null) { this.text = t; page.log.push(`said: ${t}`); },
    },
  };
  return page;
}

describe('RunVoice: what a screen reader hears of a run', () => {
  it('a run stopped by Stop: its start, each config\'s rows and the press heard on #said, its progress not, its last line after busy ends', () => {
    const page = loggedPage();
    const voice = new RunVoice(page);
    // As ui.ts wires it: Stop's line is the voice's (RunStop's say).
    const stop = new RunStop({ button: { disabled: true }, say: (text) => voice.stopping(text) });
    stop.begin();
    // The set-up over (runInPage tells it before measureAll): a press now stops after the measurement under way.
    stop.measuring();
    voice.begin('starting: a, b-mse on ours-cpu …');
    voice.progress(stop.line('1/8 a · ours-cpu · setup'));
    voice.progress(stop.line('2/8 a · ours-cpu · rep 1/5'));
    voice.rows([{ status: 'ok' }], 2);
    stop.press();
    voice.progress(stop.line('3/8 b-mse · ours-cpu · setup'));
    stop.end();
    voice.end('stopped after 1.0 s: 1 row ran and agreed (1 not run)');
    expect(page.log).toEqual([
      'status: starting: a, b-mse on ours-cpu … (busy)',
      'said: starting: a, b-mse on ours-cpu …',
      'status: 1/8 a · ours-cpu · setup (busy)',
      'status: 2/8 a · ours-cpu · rep 1/5 (busy)',
      'said: 1 of 2 rows done',
      `status: ${STOPPING} (busy)`,
      `said: ${STOPPING}`,
      `status: ${STOPPING}: 3/8 b-mse · ours-cpu · setup (busy)`,
      // Not busy when the last line is written: a change a screen reader hears; #said emptied.
      'status: stopped after 1.0 s: 1 row ran and agreed (1 not run)',
      'said: ',
    ]);
  });

  it('the same words twice between runs (nothing to run, Run pressed again) change the line each time, so both are heard', () => {
    const page = loggedPage();
    const voice = new RunVoice(page);
    const why = 'nothing to run: no config selected — tick at least one system and one config';
    voice.say(why);
    voice.say(why);
    voice.say(why);
    expect(page.log).toEqual([`status: ${why}`, `status: ${why}${AGAIN}`, `status: ${why}`]);
    // A run's last line the same as the line before it (a run that failed as the last one did) changes too.
    voice.end(why);
    expect(page.log.at(-2)).toBe(`status: ${why}${AGAIN}`);
  });

  it('the rows line counts the run\'s rows done: ran, erred or skipped, not those a press of Stop left not run', () => {
    const page = loggedPage();
    const voice = new RunVoice(page);
    const ok = { status: 'ok' as const };
    voice.rows([ok], 1);
    voice.rows([ok, { status: 'error', error: 'x' }, { status: 'skipped', error: 'not on this adapter' }, { status: 'skipped', error: STOPPED_REASON }], 12);
    expect(page.log).toEqual(['said: 1 of 1 row done', 'said: 3 of 12 rows done']);
  });
});

describe('focus at Run, Stop and the run\'s end', () => {
  const el = (name: string): { name: string; focus(): void } => ({ name, focus() {} });
  const [run, stop, body, box] = [el('run'), el('stop'), el('body'), el('a checkbox')];

  it('Run pressed with the focus on it (the keyboard): Stop gets it; a Run from elsewhere (a link, a driver) moves nothing', () => {
    expect(focusAtStart(run, run, stop)).toBe(stop);
    expect(focusAtStart(body, run, stop)).toBeNull();
    expect(focusAtStart(box, run, stop)).toBeNull();
  });

  it('the end: Run gets a focus on Stop, or lost to the page by a press of Stop; a focus elsewhere, or lost otherwise, stays', () => {
    const page = { body, stop, run };
    expect(focusAtEnd(stop, page, false)).toBe(run);
    expect(focusAtEnd(body, page, true)).toBe(run);
    expect(focusAtEnd(null, page, true)).toBe(run);
    // A reader in the table (the focus on the page, Stop never pressed from it) or on a box is not moved.
    expect(focusAtEnd(body, page, false)).toBeNull();
    expect(focusAtEnd(box, page, true)).toBeNull();
  });
});

describe('a config box describes its config to a screen reader', () => {
  it('the title is on the box (its description), not only on the label (a mouse\'s tooltip)', () => {
    const made = checkboxLabels({
      label: () => ({ title: '', children: [] as unknown[], append(...n: unknown[]) { this.children.push(...n); } }),
      input: () => ({ type: '', name: '', value: '', checked: false, title: '' }),
    }, 'config', [{ value: 'a', title: 'a: the XOR net' }, { value: 'b-mse' }], ['b-mse']);
    const box = (k: number): { type: string; name: string; value: string; checked: boolean; title: string } => made[k].children[0] as never;
    expect(made.map((l) => [l.title, l.children[1]])).toEqual([['a: the XOR net', ' a'], ['', ' b-mse']]);
    expect([0, 1].map((k) => ({ ...box(k) }))).toEqual([
      { type: 'checkbox', name: 'config', value: 'a', checked: false, title: 'a: the XOR net' },
      { type: 'checkbox', name: 'config', value: 'b-mse', checked: true, title: '' },
    ]);
  });
});

describe('the charts\' names say what they show', () => {
  const row = (config: string, system: Row['system'], stepsPerSec?: number, epochs?: [number, number][]): Row => ({
    config, system, status: 'ok', agreeSteps: 10, ...(stepsPerSec ? { stepsPerSec } : {}),
    ...(epochs ? { epochs: epochs.map(([at, testAccuracy], k) => ({ epoch: k + 1, at, loss: 1, testAccuracy })) } : {}),
  });
  const result = {
    env: { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } },
    configs: [{ id: 'a' }, { id: 'b-mse' }, { id: 'qe-sgd' }] as BenchResult['configs'],
    rows: [
      row('a', 'tfjs-cpu', 2054), row('a', 'ours-cpu', 1.5e6), row('a', 'scalar', 40_000),
      row('b-mse', 'ours-cpu', 594),
      // The fits: ours-cpu ends at 93%, tfjs-cpu at 95% (the highest) although it was ahead of ours at no epoch but
      // the last; a one-epoch fit is not drawn, so not named.
      row('qe-sgd', 'ours-cpu', undefined, [[1, 0.9], [2.5, 0.93]]), row('qe-sgd', 'tfjs-cpu', undefined, [[2, 0.88], [4, 0.95]]),
      row('qe-sgd', 'jax-wasm', undefined, [[3, 0.99]]),
    ],
  };

  it('steps/s: each config\'s fastest and slowest bar (one bar: that one); time to accuracy: each config\'s highest final accuracy', () => {
    // By hand: a's bars 1.5e6 (1.50M), 40 000 (40.0k), 2054; b-mse's one bar, 594.
    expect(chartNames(result)).toEqual({
      steps: 'Chart of steps/s per config and system, log scale — a: fastest ours-cpu 1.50M, slowest tfjs-cpu 2054; b-mse: ours-cpu 594. The table above gives each bar\'s figure.',
      tta: 'Chart of test accuracy against seconds, one line per system\'s fit — final test accuracy qe-sgd: highest tfjs-cpu 95.0% after 4.00 s. The table above gives each fit\'s accuracy and time.',
    });
  });

  const whole = (r: typeof result): BenchResult => ({ ...r, tool: 'backprop-webgpu bench', version: 1, date: '2026-12-07T00:00:00.000Z', mode: 'quick', command: 'x', policy: {} as BenchResult['policy'], systems: ['ours-cpu'], targets: [], ok: true, failures: [], failedRows: [], seconds: 1 }) as BenchResult;
  /** An attribute's text as a browser reads it: the five XML entities back to their characters. */
  const unescaped = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
  /** Each chart's role="img" attribute text, as written (up to its closing quote). */
  const labels = (html: string): string[] => [...html.matchAll(/<span role="img" aria-label="([^"]*)"><svg\b/g)].map((m) => m[1]);

  it('the page wraps each chart in a role="img" with that name', () => {
    const names = labels(pageCharts(whole(result))).map(unescaped);
    expect(names[0]).toBe(chartNames(result).steps);
    expect(names[1]).toBe(chartNames(result).tta);
  });

  it('a name with a quote, <, > or & is escaped in the attribute: the whole name is the label, nothing of it read as markup', () => {
    // A config id that is all the characters an attribute must not hold as they are.
    const odd = 'x"<b>&\'y';
    const r = { ...result, configs: [{ id: odd }] as BenchResult['configs'], rows: [row(odd, 'ours-cpu', 594), row(odd, 'tfjs-cpu', undefined, [[1, 0.5], [2, 0.75]])] };
    const html = pageCharts(whole(r));
    expect(labels(html)).toEqual([
      'Chart of steps/s per config and system, log scale — x&quot;&lt;b&gt;&amp;&#39;y: ours-cpu 594. The table above gives each bar&#39;s figure.',
      'Chart of test accuracy against seconds, one line per system&#39;s fit — final test accuracy x&quot;&lt;b&gt;&amp;&#39;y: highest tfjs-cpu 75.0% after 2.00 s. The table above gives each fit&#39;s accuracy and time.',
    ]);
    expect(html).not.toContain('<b>');
  });
});

describe('the page\'s HTML (src/lab/bench.html)', () => {
  const html = readFileSync(new URL('../src/lab/bench.html', import.meta.url), 'utf8');
  const tag = (id: string): string => html.match(new RegExp(`<[a-z]+ id="${id}"[^>]*>`))?.[0] ?? `#${id} missing`;

  it('#said: a live region, visually hidden (heard, not seen); #error takes the focus (tabindex -1)', () => {
    expect(tag('said')).toMatch(/role="status"/);
    expect(tag('said')).toMatch(/class="visually-hidden"/);
    expect(html).toMatch(/\.visually-hidden \{[^}]*clip: rect\(0 0 0 0\)/);
    expect(tag('error')).toMatch(/role="alert"/);
    expect(tag('error')).toMatch(/tabindex="-1"/);
  });

  it('the boxes that scroll sideways (a Tab stop then) are named regions', () => {
    expect(['table', 'targets', 'chart'].map((id) => tag(id).match(/role="region" aria-label="([^"]+)"/)?.[1])).toEqual(['Results table', 'Targets table', 'Charts']);
  });
});
