/**
 * What a screen reader hears from the bench page while a run goes on, and where the keyboard's focus goes (ui.ts hands
 * over the page; no DOM here: test/bench-page-voice.test.ts).
 *
 * Two live regions: the visible status line (#status, role status) and a visually hidden one for the run's moments
 * (#said, role status). The status line is busy while a run rewrites it (a line per unit of work, ~40 for a quick run:
 * too chatty to hear), and its busy mark is taken off before the run's last line is written, so that line (done,
 * stopped, failed) is a change in a live region that is not busy: heard wherever a screen reader honours aria-busy
 * (written while busy, it was heard only where the reader re-reads a region when busy ends). The moments — the run
 * starting, each config's rows in, Stop pressed — go to #said: the status line said them while busy, so they were
 * never heard (a press of Stop was answered by silence). A line the status line already holds (nothing to run, twice)
 * is written with a no-break space toggled at its end, so that it changes and is heard again (the lab's announce,
 * src/lab/dom.ts).
 *
 * Focus: Run and Stop are disabled in turn, and a disabled button loses the focus to the page (a keyboard user's
 * place, and a screen reader's, went to the top of the page, unsaid). Run pressed from the keyboard hands the focus
 * to Stop (enabled for the run); at the run's end, a focus on Stop (disabled then), or lost to the page by a press of
 * Stop, goes to Run.
 */

import { AGAIN, announce } from '../../src/lab/dom.ts';
import { isStopped, type Row } from '../protocol.ts';

export { AGAIN };

/** The page as the run's voice touches it: the status line (#status) and the hidden live line (#said). */
export interface VoicePage {
  status: { textContent: string | null; setAttribute(name: string, value: string): void; removeAttribute(name: string): void };
  said: { textContent: string | null };
}

/** The hidden line after each config's rows (a fit config: each system's fit) while a run goes on. */
export function rowsLine(done: number, total: number): string {
  return `${done} of ${total} row${total === 1 ? '' : 's'} done`;
}

/** One page's voice: the status line and the hidden live line, for a run and between runs. */
export class RunVoice {
  constructor(private readonly page: VoicePage) {}

  /** A line heard at once, between runs (nothing to run): the status line, a second time too. */
  say(text: string): void {
    announce(this.page.status, text);
  }

  /**
   * A line heard at once on the hidden line, the status line left as it is (its run's last line stays shown): the
   * "Compare two runs" box's outcome (./compare-ui.ts, `compared: 2 rows, 1 warning`), which is drawn under the charts,
   * out of a screen reader's way. The same words twice are heard twice (announce).
   */
  note(text: string): void {
    announce(this.page.said, text);
  }

  /** A run starts: the status line busy with `line`, which the hidden line says. */
  begin(line: string): void {
    this.page.status.setAttribute('aria-busy', 'true');
    this.page.status.textContent = line;
    this.page.said.textContent = line;
  }

  /** A progress line: shown, not heard (the status line is busy). */
  progress(line: string): void {
    this.page.status.textContent = line;
  }

  /**
   * A config's rows in (a fit config: a system's fit): how many of the run's `total` rows are done, heard. The rows a
   * press of Stop left not run (protocol.ts isStopped) are not done: a stopped run said "6 of 6 rows done" before
   * "stopped … (3 not run)". Nor is a fit row with fewer of its `fits` (the policy's, config e's --fits / fits=) than
   * asked: measureFits hands on each row from its first fit, and with fits=2 the line said "3 of 3 rows done" while
   * the second round ran.
   */
  rows(rows: readonly Pick<Row, 'status' | 'error' | 'fits'>[], total: number, fits = 1): void {
    const done = rows.filter((r) => !isStopped(r) && (r.status !== 'ok' || (r.fits?.length ?? fits) >= fits));
    this.page.said.textContent = rowsLine(done.length, total);
  }

  /** Stop pressed: shown and heard. */
  stopping(line: string): void {
    this.page.status.textContent = line;
    this.page.said.textContent = line;
  }

  /** The run ended (done, stopped or failed): the status line no longer busy, then its last line, heard; the hidden one emptied. */
  end(line: string): void {
    this.page.status.removeAttribute('aria-busy');
    announce(this.page.status, line);
    this.page.said.textContent = '';
  }
}

/** Something that can take the focus. */
export interface Focusable {
  focus(): void;
}

/** Run pressed: where the focus goes — Stop, when Run had it (Run is disabled for the run); else it stays (null). */
export function focusAtStart<T extends Focusable>(active: unknown, run: unknown, stop: T): T | null {
  return active === run ? stop : null;
}

/**
 * The run ended: where the focus goes — Run (enabled again) when the focus is on Stop (disabled now), or when it was
 * lost to the page (`body`, or none) by a press of Stop that had the focus (`stopHadFocus`); else it stays where it
 * is (null): a reader reading the table as it fills in is not moved.
 */
export function focusAtEnd<T extends Focusable>(active: unknown, page: { body: unknown; stop: unknown; run: T }, stopHadFocus: boolean): T | null {
  if (active === page.stop) return page.run;
  return stopHadFocus && (active === null || active === undefined || active === page.body) ? page.run : null;
}
