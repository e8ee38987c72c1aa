/**
 * The bench page's Stop button (ui.ts): enabled only while a run goes on (state `running`), disabled otherwise. Each
 * run gets a fresh AbortSignal (begin); Stop aborts it, and the run ends at the next boundary between units of work
 * (measure.ts measureAll's `stop`: before a row's preparation, a timed repetition or a fit, never inside one), its
 * finished rows kept, the others marked not run, the state `stopped` (attempt.ts endAttempt). Pressed while the run is
 * still setting up (the page's environment, config e's digits: setUpRun), before any measurement, it says so, the
 * digits are not loaded (or no longer waited for) and the run ends stopped with nothing measured. One run at a time:
 * begin refuses a second while one goes on (RunUnderWayError; a driver's window.benchRun during a form run), before
 * that run's page or Stop is touched. No DOM here: ui.ts hands over the button and the status line
 * (test/bench-page-stop.test.ts, test/bench-page-stop-setup.test.ts).
 */
import { untilStopped } from '../protocol.ts';

/** The page as Stop touches it: the button, and the status line; Run and the alert at the top where given. */
export interface StopPage {
  /** The Stop button (#stop). */
  button: { disabled: boolean };
  /** Puts a line on the status line. */
  say(text: string): void;
  /** The Run button (#run): disabled while any run goes on (the form's or a driver's), from begin to end. */
  run?: { disabled: boolean };
  /** The alert at the top (#error): a run refused while another goes on says so there until the run under way ends. */
  alert?: { textContent: string | null; hidden: boolean };
}

/** The status line's prefix from a press of Stop until the run ends, once the run measures. */
export const STOPPING = 'stopping after the measurement under way (the finished rows are kept)';
/** The status line's prefix from a press of Stop while the run still sets up (nothing measured yet). */
export const STOPPING_SETUP = 'stopping before the first measurement (nothing has been measured yet)';

/** A run asked for while another goes on on the page: nothing started, the run under way untouched. */
export class RunUnderWayError extends Error {
  constructor() {
    super('a run is already under way on this page: this one started nothing (wait for its end, state done, stopped or error, or press Stop)');
    this.name = 'RunUnderWayError';
  }
}

/** One page's Stop: one AbortController a run, none between runs. */
export class RunStop {
  private controller: AbortController | null = null;
  /** Whether the run under way has begun measuring (measuring()); before, it sets up. */
  private measures = false;
  /** The refusal begin put in the alert during the run under way (its text), taken off at the run's end. */
  private refusal: string | null = null;

  constructor(private readonly page: StopPage) {
    page.button.disabled = true;
  }

  /** Whether a run goes on (begun and not ended). */
  get running(): boolean {
    return this.controller !== null;
  }

  /**
   * A run starts: Stop enabled, Run disabled, and the signal the run reads between its units (a fresh one: a last
   * run's stop is not this run's). A RunUnderWayError while a run goes on (begun and not ended), said in the alert
   * until that run ends; nothing of that run changed.
   */
  begin(): AbortSignal {
    if (this.controller !== null) {
      const err = new RunUnderWayError();
      if (this.page.alert) Object.assign(this.page.alert, { textContent: err.message, hidden: false });
      this.refusal = err.message;
      throw err;
    }
    this.controller = new AbortController();
    this.measures = false;
    this.page.button.disabled = false;
    if (this.page.run) this.page.run.disabled = true;
    return this.controller.signal;
  }

  /** The page can run (set up): Run enabled, unless a run goes on (then at its end). A driven page's set-up, ended mid-run, had enabled it. */
  enableRun(): void {
    if (this.controller === null && this.page.run) this.page.run.disabled = false;
  }

  /**
   * The run's set-up is over: its measurements begin (a press from now on stops after the one under way). After a
   * press during the set-up nothing will be measured: the words stay the set-up's.
   */
  measuring(): void {
    if (this.controller !== null && !this.controller.signal.aborted) this.measures = true;
  }

  /** Stop pressed: the run's signal aborted, Stop disabled (pressed once is enough), the status line says so. Between runs, nothing. */
  press(): void {
    const c = this.controller;
    if (c === null || c.signal.aborted) return;
    c.abort();
    this.page.button.disabled = true;
    this.page.say(this.stopping());
  }

  /** A progress line while the run goes on: after a press of Stop, said as stopping (the unit under way still reports). */
  line(text: string): string {
    return this.controller?.signal.aborted ? `${this.stopping()}: ${text}` : text;
  }

  /**
   * The run ended (done, stopped or failed): Stop disabled until the next run, Run enabled, and a refusal said during
   * it taken off the alert (another message there since stays: a set-up that failed). Once the run has ended, nothing.
   */
  end(): void {
    if (this.controller === null) return;
    this.controller = null;
    this.measures = false;
    this.page.button.disabled = true;
    if (this.page.run) this.page.run.disabled = false;
    const alert = this.page.alert;
    if (alert && this.refusal !== null && alert.textContent === this.refusal) alert.hidden = true;
    this.refusal = null;
  }

  private stopping(): string {
    return this.measures ? STOPPING : STOPPING_SETUP;
  }
}

/** What a run sets up before its first measurement (run.ts runInPage gives the page's own). */
export interface RunSetUp<E, S> {
  /** The page's environment: set up once a page and kept (TF.js's, jax-js's and ours-wasm's counts), each GPU step within its limit. */
  env(): Promise<E>;
  /** Config e's digits, where the run has a fit config (absent: none). */
  digits?: () => Promise<S>;
  /** The progress line. */
  show(text: string): void;
}

/**
 * A run's set-up: the environment (waited for: the page's, set up once and kept for the runs after), then config e's
 * digits where the run has a fit. Stop pressed before the digits: they are not loaded; pressed while they load: no
 * longer waited for (the page's load goes on, kept for a later run; its failure is that run's) — split undefined, and
 * measureAll, its signal aborted, opens nothing and ends the run stopped. `loading`: the digits' progress line.
 */
export async function setUpRun<E, S>(steps: RunSetUp<E, S>, stop: AbortSignal | undefined, loading: string): Promise<{ env: E; split: S | undefined }> {
  const env = await steps.env();
  if (!steps.digits || stop?.aborted) return { env, split: undefined };
  steps.show(loading);
  return { env, split: await untilStopped(steps.digits(), stop) };
}
