/**
 * The bench page's Run and its alert around the one run at a time (bench/page/stop.ts RunStop, left58): Run stays
 * disabled while any run goes on — on a driven page (?driven=1) a Run pressed before the page was set up, with a
 * driver's run begun meanwhile, had Run enabled again mid-run when the set-up ended (ui.ts) — and a run refused
 * while another goes on (RunUnderWayError, in the alert at the top) is taken off the alert when the run under way
 * ends (it stood until the next Run). The page is plain objects, as test/bench-page-stop.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { RunStop, RunUnderWayError } from '../bench/page/stop.ts';

function page(runDisabled = false) {
  return { button: { disabled: false }, say: () => undefined, run: { disabled: runDisabled }, alert: { textContent: '' as string | null, hidden: true } };
}

describe('Run is disabled while any run goes on', () => {
  it('from a run\'s begin to its end; the page being set up meanwhile (enableRun) leaves it disabled', () => {
    // A driven page: Run pressed before set-up disabled Run; a driver's run begins; then the set-up ends.
    const p = page(true);
    const stop = new RunStop(p);
    stop.begin();
    expect(p.run.disabled).toBe(true);
    stop.enableRun();
    expect(p.run.disabled).toBe(true);
    stop.end();
    expect(p.run.disabled).toBe(false);
  });

  it('between runs, the set-up ending enables Run; a run begun disables it', () => {
    const p = page(true);
    const stop = new RunStop(p);
    stop.enableRun();
    expect(p.run.disabled).toBe(false);
    stop.begin();
    expect([p.run.disabled, stop.running]).toEqual([true, true]);
    stop.end();
    expect([p.run.disabled, stop.running]).toEqual([false, false]);
  });
});

describe('a run refused while another goes on: in the alert until that run ends', () => {
  it('said in the alert at once, gone at the run\'s end; Run and Stop as the run under way has them', () => {
    const p = page();
    const stop = new RunStop(p);
    stop.begin();
    expect(() => stop.begin()).toThrow(RunUnderWayError);
    expect(p.alert.hidden).toBe(false);
    expect(p.alert.textContent).toMatch(/^a run is already under way on this page: this one started nothing/);
    // The run under way keeps its Stop, and Run stays disabled.
    expect([p.button.disabled, p.run.disabled]).toEqual([false, true]);
    stop.end();
    expect(p.alert.hidden).toBe(true);
  });

  it('another message put in the alert since (a set-up that failed) stays at the run\'s end', () => {
    const p = page();
    const stop = new RunStop(p);
    stop.begin();
    expect(() => stop.begin()).toThrow(RunUnderWayError);
    Object.assign(p.alert, { textContent: 'the page could not set up: no WebAssembly', hidden: false });
    stop.end();
    expect(p.alert).toEqual({ textContent: 'the page could not set up: no WebAssembly', hidden: false });
  });
});
