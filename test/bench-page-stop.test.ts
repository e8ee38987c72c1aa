/**
 * The bench page's Stop (stop57a): a full run takes minutes, and reload was the only way to end one, losing every
 * finished row. Stop (bench/page/stop.ts) is enabled only while a run goes on; it aborts the run's signal, which
 * measureAll reads between units of work (bench/measure.ts, protocol.ts measureConfig, epochs.ts measureFits): the
 * call under way finishes, no other starts, every open system is closed, the finished rows are kept, the others are
 * skipped "not run (the run was stopped)", the state is `stopped` (attempt.ts endAttempt), the result, its JSON and
 * its Markdown say it is a partial run, and no target is judged from a row that did not run. The page itself is a
 * plain object here, as test/bench-page-attempt.test.ts's; the drivers are stubs that log their calls (no timing
 * is asserted).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import type { EpochStat } from '../bench/fit-systems.ts';
import { measureAll, type ProgressSink } from '../bench/measure.ts';
import type { Driver } from '../bench/protocol.ts';
import { type BenchResult, markdown, outputTexts } from '../bench/report.ts';
import type { SystemId } from '../bench/systems.ts';
import { endAttempt } from '../bench/page/attempt.ts';
import { RunStop, STOPPING } from '../bench/page/stop.ts';
import { doneLine, pageFiles, pageTable } from '../bench/page/table.ts';

const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };
const NOT_RUN = 'not run (the run was stopped)';

/**
 * A driver whose every call is logged ('open ours-cpu', 'train 0', 'close 0', 'fit jax-wasm'); a train call lasts
 * `msPerStep[system]` a step and returns the loss 1 (every system agrees); `pressAt(call)` runs at the start of each
 * call, before it returns (a press of Stop while that call is under way).
 */
function loggingDriver(msPerStep: Partial<Record<SystemId, number>>, pressAt: (call: string) => void, epochs?: EpochStat[]) {
  const log: string[] = [];
  const systems: SystemId[] = [];
  const call = (text: string): void => {
    log.push(text);
    pressAt(text);
  };
  const driver: Driver = {
    open: async (system) => {
      call(`open ${system}`);
      return { id: systems.push(system) - 1, description: system };
    },
    train: async (id, steps) => {
      call(`train ${id}`);
      return { loss: 1, ms: steps * msPerStep[systems[id]]! };
    },
    close: async (id) => void log.push(`close ${id}`),
    params: async (id) => {
      call(`params ${id}`);
      return new Float32Array(9);
    },
    ...(epochs ? { fit: async (system: SystemId) => (call(`fit ${system}`), { description: system, epochs }) } : {}),
  };
  return { driver, log };
}

/** A progress sink that records whether the run said it was done (the bar to the end). */
const sink = (): ProgressSink & { ended: boolean } => {
  const s = { ended: false, show: () => undefined, done: () => void (s.ended = true) };
  return s;
};

/** a then b-mse on ours-cpu and tfjs-cpu: 1 step a repetition, 2 repetitions, no calibration (each row's calls known). */
const plan = (): ReturnType<typeof parseArgs> => ({ ...parseArgs(['--configs', 'a,b-mse', '--systems', 'ours-cpu,tfjs-cpu', '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true });
const cells = (r: BenchResult): string[] => r.rows.map((x) => `${x.config} ${x.system} ${x.status}${x.error ? `: ${x.error}` : ''}`);

describe('the Stop button (bench/page/stop.ts RunStop)', () => {
  it('is on the page, disabled at load, named for a screen reader as stopping the run', () => {
    const html = readFileSync('src/lab/bench.html', 'utf8');
    const button = /<button id="stop"[^>]*>([^<]*)<\/button>/.exec(html);
    expect(button?.[0]).toMatch(/ disabled[ >]/);
    expect(button?.[0]).toContain('aria-label="Stop the run"');
    // WCAG's label in name: the accessible name holds the visible word.
    expect(button?.[1]).toBe('Stop');
  });

  it('disabled before a run, enabled while it goes on, disabled after a press and after the run; a run again gets a fresh signal', () => {
    const said: string[] = [];
    const page = { button: { disabled: false }, say: (t: string) => void said.push(t) };
    const stop = new RunStop(page);
    expect(page.button.disabled).toBe(true);
    // Pressed between runs (a stale click): nothing happens.
    stop.press();
    expect(said).toEqual([]);
    const first = stop.begin();
    expect([page.button.disabled, first.aborted]).toEqual([false, false]);
    // The run's set-up is over, its measurements begin (a press during the set-up: test/bench-page-stop-setup.test.ts).
    stop.measuring();
    expect(stop.line('3/12 a · ours-cpu · rep 1/5')).toBe('3/12 a · ours-cpu · rep 1/5');
    stop.press();
    expect([first.aborted, page.button.disabled]).toEqual([true, true]);
    expect(said).toEqual([STOPPING]);
    // The unit under way still reports: its line says the run is stopping.
    expect(stop.line('3/12 a · ours-cpu · rep 1/5')).toBe(`${STOPPING}: 3/12 a · ours-cpu · rep 1/5`);
    stop.end();
    expect(page.button.disabled).toBe(true);
    // Run pressed again: a new signal, not the stopped run's, and Stop enabled again.
    const second = stop.begin();
    expect([second === first, second.aborted, page.button.disabled]).toEqual([false, false, false]);
    expect(stop.line('x')).toBe('x');
    stop.end();
    expect(page.button.disabled).toBe(true);
  });
});

describe('a run stopped mid-way (measure.ts measureAll with the page\'s signal)', () => {
  it('stopped during b-mse\'s first call: a\'s rows kept, b-mse\'s not run, its open system closed, no call after the one under way', async () => {
    const stop = new AbortController();
    // Calls: a: open 0, train 0 (N), params 0, open 1, train 1 (N), params 1, 4 repetitions, close 0, close 1; b-mse:
    // open 2, train 2 (N) ← Stop, then params 2, the rest of that row's preparation (a unit: open, N steps, parameters).
    const { driver, log } = loggingDriver({ 'ours-cpu': 1, 'tfjs-cpu': 200 }, (c) => (c === 'train 2' ? stop.abort() : undefined));
    const o = plan();
    const progress = sink();
    const result = await measureAll(driver, o, o.configs, env, 'test', progress, stop.signal);
    expect(log.slice(log.indexOf('train 2'))).toEqual(['train 2', 'params 2', 'close 2']);
    expect(cells(result)).toEqual(['a ours-cpu ok', 'a tfjs-cpu ok', `b-mse ours-cpu skipped: ${NOT_RUN}`, `b-mse tfjs-cpu skipped: ${NOT_RUN}`]);
    // a's rows whole: 2 repetitions each, ours-cpu 1 ms a step (1000 steps/s), tfjs-cpu 200 ms (5 steps/s).
    expect(result.rows.slice(0, 2).map((r) => [r.reps, r.stepsPerSec])).toEqual([[2, 1000], [2, 5]]);
    // b-mse's ours-cpu had its agreement run: dropped, not half a row.
    expect(result.rows[2].finalLoss).toBeUndefined();
    expect([result.stopped, result.ok, progress.ended]).toEqual([true, true, false]);
    // Targets from a alone (1000 / 5 = 200 ≥ 100: met); b-mse's ours-cpu vs tfjs-cpu (≥ 2) neither met nor missed.
    expect(result.targets.map((t) => [t.config, t.system, t.versus, t.got, t.met])).toEqual([['a', 'ours-cpu', 'tfjs-cpu', 200, true]]);
    expect(doneLine(result)).toMatch(/^stopped after \S+ s: 2 rows ran and agreed \(2 not run\)$/);
    // The page's table: the rows not run say so in the agreement column.
    const { head, body } = pageTable(result.rows, { policy: o.policy, env: result.env, goals: {} });
    expect(body.map((row) => row[head.indexOf('agreement')])).toEqual(['reference (the others are judged against it)', 'agrees with ours-cpu (rel. err 0.0e+0)', `skipped: ${NOT_RUN}`, `skipped: ${NOT_RUN}`]);
  });

  it('stopped during the first timed repetition: that repetition ends, no other starts, both systems closed, every row not run', async () => {
    const stop = new AbortController();
    let trains = 0;
    const { driver, log } = loggingDriver({ 'ours-cpu': 1, 'tfjs-cpu': 2 }, (c) => {
      // Trains 1 and 2: the agreement runs; 3: ours-cpu's first timed repetition.
      if (c.startsWith('train') && ++trains === 3) stop.abort();
    });
    const o = plan();
    const result = await measureAll(driver, o, o.configs, env, 'test', sink(), stop.signal);
    expect(log).toEqual(['open ours-cpu', 'train 0', 'params 0', 'open tfjs-cpu', 'train 1', 'params 1', 'train 0', 'close 0', 'close 1']);
    expect(result.rows.map((r) => r.error)).toEqual([NOT_RUN, NOT_RUN, NOT_RUN, NOT_RUN]);
    expect(result.targets).toEqual([]);
    expect(result.stopped).toBe(true);
    expect(doneLine(result)).toMatch(/^stopped after \S+ s: nothing ran \(4 not run\)$/);
  });

  it('stopped before the first row (Stop while the page loads the digits): no call at all, not even the reference-only ours-cpu', async () => {
    const stop = new AbortController();
    stop.abort();
    const { driver, log } = loggingDriver({ 'ours-wasm': 1, 'tfjs-wasm': 1, 'ours-cpu': 1 }, () => undefined);
    // A later page load of npm run bench: ours-cpu as the agreement's reference alone on a and b-mse (its parameters compared).
    const o = { ...parseArgs(['--configs', 'a,b-mse', '--systems', 'ours-wasm,tfjs-wasm', '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true, oracleReference: true };
    const result = await measureAll(driver, o, o.configs, env, 'test', sink(), stop.signal);
    expect(log).toEqual([]);
    expect(result.rows.map((r) => r.error)).toEqual([NOT_RUN, NOT_RUN, NOT_RUN, NOT_RUN]);
    // The same plan unstopped does call the reference (so the empty log above is the stop's doing).
    const whole = loggingDriver({ 'ours-wasm': 1, 'tfjs-wasm': 1, 'ours-cpu': 1 }, () => undefined);
    const done = await measureAll(whole.driver, o, o.configs, env, 'test', sink(), new AbortController().signal);
    expect(whole.log.slice(0, 3)).toEqual(['open ours-cpu', 'train 0', 'params 0']);
    expect(done.stopped).toBeUndefined();
  });

  it('a whole run (no signal, as the Node and Dawn runners; or one never aborted) is not marked stopped and says done', async () => {
    const o = plan();
    const progress = sink();
    const result = await measureAll(loggingDriver({ 'ours-cpu': 1, 'tfjs-cpu': 200 }, () => undefined).driver, o, o.configs, env, 'test', progress);
    expect('stopped' in result).toBe(false);
    expect(result.rows.every((r) => r.status === 'ok')).toBe(true);
    expect(progress.ended).toBe(true);
    expect(doneLine(result)).toMatch(/^done in /);
    expect(JSON.parse(outputTexts(result).json)).not.toHaveProperty('stopped');
    expect(markdown(result)).not.toMatch(/stopped/i);
  });
});

describe('a fit config stopped between fits (epochs.ts measureFits)', () => {
  // qe-sgd: 2 epochs; every system's fit the same (their losses and accuracies agree).
  const epochs: EpochStat[] = [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.8 }, { epoch: 2, at: 2, loss: 0.4, testAccuracy: 0.9 }];
  const o = { ...parseArgs(['--configs', 'qe-sgd', '--systems', 'jax-wasm,ours-cpu,ours-wasm'], 'browser'), quiet: true };

  it('the fit under way finishes, the next never starts; no goal and no time-to-accuracy verdict from the fits that ran', async () => {
    const stop = new AbortController();
    const { driver, log } = loggingDriver({}, (c) => (c === 'fit ours-cpu' ? stop.abort() : undefined), epochs);
    const result = await measureAll(driver, o, o.configs, env, 'test', sink(), stop.signal);
    expect(log).toEqual(['fit jax-wasm', 'fit ours-cpu']);
    expect(cells(result)).toEqual(['qe-sgd jax-wasm ok', 'qe-sgd ours-cpu ok', `qe-sgd ours-wasm skipped: ${NOT_RUN}`]);
    // jax-wasm's fit gives a goal (0.9 − 0.005) that ours-cpu reaches at 2 s as jax-wasm does: a verdict "no" (ratio 1 < 2)
    // in a whole run; ours-wasm never fitted, so none here.
    expect([result.targets, result.goals]).toEqual([[], undefined]);
    expect(result.rows.map((r) => r.timeToAccuracy)).toEqual([undefined, undefined, undefined]);
    expect(markdown(result)).toContain('No goal, so no time to it: the goal is the best peer\'s final accuracy − 0.5 point, and the run was stopped before every system fitted qe-sgd.');
    const { head, body } = pageTable(result.rows, { policy: o.policy, env: result.env, goals: {} });
    expect(body.slice(0, 2).map((row) => row[head.indexOf('time to goal (e)')])).toEqual(['no goal: run stopped', 'no goal: run stopped']);
    // The same fits unstopped: the verdict the stop withholds.
    const whole = await measureAll(loggingDriver({}, () => undefined, epochs).driver, o, o.configs, env, 'test', sink());
    expect(whole.targets.map((t) => [t.config, t.versus, t.got, t.met])).toEqual([['qe-sgd', 'jax-wasm', 1, false]]);
  });

  it('with fits=2, a row of one fit of two is not run (never half a row)', async () => {
    const stop = new AbortController();
    // Round 1: jax-wasm, ours-cpu, ours-wasm; round 2: jax-wasm, ours-cpu ← Stop; ours-wasm's second fit never starts.
    // (Stopped at jax-wasm's second fit instead, ours-cpu — the reference — would have one fit of two, and jax-wasm,
    // then unjudged, would be not run too: test/bench-stop-reference.test.ts.)
    let fits = 0;
    const { driver, log } = loggingDriver({}, (c) => (c.startsWith('fit') && ++fits === 5 ? stop.abort() : undefined), epochs);
    const two = { ...o, policy: { ...o.policy, fits: 2 } };
    const result = await measureAll(driver, two, two.configs, env, 'test', sink(), stop.signal);
    expect(log).toEqual(['fit jax-wasm', 'fit ours-cpu', 'fit ours-wasm', 'fit jax-wasm', 'fit ours-cpu']);
    expect(cells(result)).toEqual(['qe-sgd jax-wasm ok', 'qe-sgd ours-cpu ok', `qe-sgd ours-wasm skipped: ${NOT_RUN}`]);
    expect(result.rows.slice(0, 2).map((r) => r.fits?.length)).toEqual([2, 2]);
  });
});

describe('the stopped run\'s end on the page, and its files', () => {
  it('endAttempt: the result in window.benchResults, the state stopped for a stopped run, done for a whole one', () => {
    const page = { globals: {} as { benchResults?: BenchResult }, dataset: {} as { state?: string } };
    const stopped = { rows: [], stopped: true } as unknown as BenchResult;
    expect(endAttempt(stopped, page)).toBe('stopped');
    expect([page.dataset.state, page.globals.benchResults]).toEqual(['stopped', stopped]);
    const whole = { rows: [] } as unknown as BenchResult;
    endAttempt(whole, page);
    expect([page.dataset.state, page.globals.benchResults]).toEqual(['done', whole]);
  });

  it('the downloaded JSON and Markdown say it is a partial run, and which rows did not run', async () => {
    const stop = new AbortController();
    const { driver } = loggingDriver({ 'ours-cpu': 1, 'tfjs-cpu': 200 }, (c) => (c === 'train 2' ? stop.abort() : undefined));
    const o = plan();
    const result = await measureAll(driver, o, o.configs, env, 'test', sink(), stop.signal);
    const files = pageFiles(result);
    const json = JSON.parse(files['dl-json'].text!) as BenchResult;
    expect(json.stopped).toBe(true);
    expect(json.rows.map((r) => r.error)).toEqual([undefined, undefined, NOT_RUN, NOT_RUN]);
    const md = files['dl-md'].text!.split('\n');
    expect(md[0]).toMatch(/^# Benchmark: custom run, \S+ \(stopped: a partial run\)$/);
    expect(md[2]).toBe('**Stopped**: the run was stopped before it finished (the bench page\'s Stop), 2 rows not run (`not run (the run was stopped)` in the table; `"stopped": true` in the JSON); no target is judged from a row that did not run.');
    expect(md.filter((l) => l.startsWith('| b-mse | ours-cpu') || l.startsWith('| b-mse | tfjs-cpu')).map((l) => l.includes(`| skipped: ${NOT_RUN} |`))).toEqual([true, true]);
    // The targets table: a's line only.
    expect(md.filter((l) => /^\| (a|b-mse): /.test(l))).toEqual([expect.stringMatching(/^\| a: ours-cpu vs tfjs-cpu \| ≥ 100× \| 200× \| yes \|$/)]);
  });
});
