/**
 * The bench page's Stop button (ui.ts): enabled only while a run goes on (state `running`), disabled otherwise. Each
 * run gets a fresh AbortSignal (begin); Stop aborts it, and the run ends at the next boundary between units of work
 * (measure.ts measureAll's `stop`: before a row's preparation, a timed repetition or a fit, never inside one), its
 * finished rows kept, the others marked not run, the state `stopped` (attempt.ts endAttempt). No DOM here: ui.ts
 * hands over the button and the status line (test/bench-page-stop.test.ts).
 */

/** The page as Stop touches it: the button, and the status line. */
export interface StopPage {
  /** The Stop button (#stop). */
  button: { disabled: boolean };
  /** Puts a line on the status line. */
  say(text: string): void;
}

/** The status line's prefix from a press of Stop until the run ends. */
export const STOPPING = 'stopping after the measurement under way (the finished rows are kept)';

/** One page's Stop: one AbortController a run, none between runs. */
export class RunStop {
  private controller: AbortController | null = null;

  constructor(private readonly page: StopPage) {
    page.button.disabled = true;
  }

  /** A run starts: Stop enabled, and the signal the run reads between its units (a fresh one: a last run's stop is not this run's). */
  begin(): AbortSignal {
    this.controller = new AbortController();
    this.page.button.disabled = false;
    return this.controller.signal;
  }

  /** Stop pressed: the run's signal aborted, Stop disabled (pressed once is enough), the status line says so. Between runs, nothing. */
  press(): void {
    const c = this.controller;
    if (c === null || c.signal.aborted) return;
    c.abort();
    this.page.button.disabled = true;
    this.page.say(STOPPING);
  }

  /** A progress line while the run goes on: after a press of Stop, said as stopping (the unit under way still reports). */
  line(text: string): string {
    return this.controller?.signal.aborted ? `${STOPPING}: ${text}` : text;
  }

  /** The run ended (done, stopped or failed): Stop disabled until the next run. */
  end(): void {
    this.controller = null;
    this.page.button.disabled = true;
  }
}
