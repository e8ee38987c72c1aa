/**
 * The bench page's "Compare two runs" box (src/lab/bench.html #compare-runs; README "Comparing two runs"): A a saved
 * results file ("Compare with a saved run…"), B a second saved file where one is picked, else this page's finished
 * run (window.benchResults). The comparison is ./compare-view.ts's (../compare.ts's pure functions), drawn as the
 * results table is drawn (ui.ts renderRows: a caption, column heads, config and system as row headers, numbers
 * right-aligned) in #compare, which scrolls sideways as #table does, the warnings above it, the rule under it; a
 * Download comparison (Markdown) of compareMarkdown's text. Bad input — a file of 50 MB or more (refused by its size
 * before it is read), not JSON, not a results file, two format versions — is the CompareInputError's one line in
 * #cmp-error (the page's error style, role alert: heard), the comparison box emptied; the run's table, charts and
 * downloads untouched. A screen reader hears the outcome of a pick through the page's voice (./voice.ts note):
 * `compared: 2 rows, 1 warning`, or the note of what to pick; ui.ts says a run's (refresh's line) after the run's last
 * line. The box and Download comparison, emptied and disabled while they have the focus, hand it to A's input (a
 * disabled button's focus went to the page).
 */
import { messageOf } from '../../src/checks.ts';
import type { BenchResult } from '../report.ts';
import { CompareInputError } from '../compare.ts';
import { comparePicked, type CompareSide, comparisonTable, readPicked } from './compare-view.ts';

export interface CompareElements {
  a: HTMLInputElement;
  b: HTMLInputElement;
  error: HTMLElement;
  box: HTMLElement;
  download: HTMLButtonElement;
}

export interface CompareBox {
  /**
   * Draws the comparison again: the page's run began (B gone) or ended (B there). Returns what a screen reader is to
   * hear of it (comparedLine, or the note of what to pick), null where the box is emptied or #cmp-error (an alert) speaks.
   */
  refresh(): string | null;
}

/** What a screen reader hears of a drawn comparison: its rows and warnings. */
export function comparedLine(rows: number, warnings: number): string {
  return `compared: ${rows} row${rows === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): HTMLElementTagNameMap[K] => Object.assign(document.createElement(tag), props);

/**
 * Wires the two file inputs; `pageRun` is the page's finished run (window.benchResults), `download` saves a file, `say`
 * a pick's outcome to a screen reader (./voice.ts RunVoice note).
 */
export function setUpCompare(e: CompareElements, pageRun: () => BenchResult | undefined, download: (name: string, type: string, text: string) => void, say: (text: string) => void): CompareBox {
  let a: CompareSide | null = null;
  let b: CompareSide | null = null;
  /** Each input's latest pick: a pick read after a later one began is dropped. */
  const picks = { a: 0, b: 0 };

  const clear = (): void => {
    const active = document.activeElement;
    if (active && (active === e.download || e.box.contains(active))) e.a.focus();
    e.box.replaceChildren();
    e.box.hidden = true;
    e.download.disabled = true;
    e.download.onclick = null;
  };
  const fail = (err: unknown): void => {
    clear();
    e.error.textContent = err instanceof CompareInputError ? err.message : `the comparison failed: ${messageOf(err)}`;
    e.error.hidden = false;
  };

  const refresh = (): string | null => {
    e.error.hidden = true;
    e.error.textContent = '';
    let c: ReturnType<typeof comparePicked>;
    try {
      c = comparePicked(a, b, pageRun());
    } catch (err) {
      fail(err);
      return null;
    }
    if (c === null) {
      clear();
      return null;
    }
    if (typeof c === 'string') {
      clear();
      e.box.append(el('p', { className: 'note', textContent: c }));
      e.box.hidden = false;
      return c;
    }
    const t = comparisonTable(c);
    const table = el('table');
    table.createCaption().textContent = t.caption;
    table.createTHead().insertRow().append(...t.head.map((h) => el('th', { textContent: h, scope: 'col' })));
    const tbody = table.createTBody();
    for (const cells of t.rows) {
      tbody.insertRow().append(...cells.map((text, j) => Object.assign(t.rowHeader[j] ? el('th', { scope: 'row' }) : el('td'), { textContent: text, className: t.right[j] ? 'num' : '' })));
    }
    const parts: Node[] = t.facts.map((line) => el('p', { className: 'note', textContent: line }));
    if (t.warnings.length) {
      parts.push(el('p', { className: 'warn', textContent: 'Not comparable as they stand:' }));
      const list = el('ul', { className: 'warnings' });
      list.append(...t.warnings.map((w) => el('li', { textContent: `warning: ${w}` })));
      parts.push(list);
    }
    parts.push(table, el('p', { className: 'note rule', textContent: t.rule }));
    e.box.replaceChildren(...parts);
    e.box.hidden = false;
    e.download.disabled = false;
    e.download.onclick = () => download(t.markdown.name, 'text/markdown', t.markdown.text);
    return comparedLine(t.rows.length, t.warnings.length);
  };
  /** A pick's refresh, its line heard. */
  const refreshSaid = (): void => {
    const line = refresh();
    if (line !== null) say(line);
  };

  const watch = (input: HTMLInputElement, side: 'a' | 'b'): void => {
    input.addEventListener('change', () => {
      const pick = ++picks[side];
      const file = input.files?.[0];
      const set = (s: CompareSide | null): void => {
        if (side === 'a') a = s;
        else b = s;
      };
      if (!file) {
        set(null);
        return refreshSaid();
      }
      readPicked(file).then((s) => {
        if (pick !== picks[side]) return;
        set(s);
        refreshSaid();
      }, (err: unknown) => {
        if (pick !== picks[side]) return;
        set(null);
        fail(err);
      });
    });
  };
  watch(e.a, 'a');
  watch(e.b, 'b');
  return { refresh };
}
