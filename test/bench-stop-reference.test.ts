/**
 * A run stopped (the bench page's Stop) when the row a config's agreement is judged against — ours-cpu's, or without
 * it the first system's — did not run, while another row of the config finished: that row cannot be judged, so it is
 * not run either (bench/measure.ts unjudgedStopped). It was judged against itself instead ("ref", ok: true; the
 * Markdown saying ours-cpu "was not in the run"), although ours-cpu's agreement steps had already run and given
 * another loss: a wrong row read ok in a stopped run. Stub drivers (as test/bench-page-stop.test.ts's); the losses
 * made up: tfjs-cpu 2 against ours-cpu's 1, 100 % off (the tolerance of a is 1e-4 relative).
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { measureAll } from '../bench/measure.ts';
import type { Driver } from '../bench/protocol.ts';
import type { SystemId } from '../bench/systems.ts';
import type { BenchResult } from '../bench/report.ts';

const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };
const NOT_RUN = 'not run (the run was stopped)';
const sink = { show: () => undefined, done: () => undefined };
const cells = (r: BenchResult): string[] => r.rows.map((x) => `${x.system} ${x.status}${x.error ? `: ${x.error}` : ''}${x.agreement ? ` (${x.agreement.reference ? 'ref' : `vs ${x.agreement.ref}`}${x.agreement.ok ? '' : ', off'})` : ''}`);

/** A driver whose train calls return loss[system], 1 ms a step; Stop pressed during the `stopAt`-th train call. */
function driver(loss: Partial<Record<SystemId, number>>, stopAt: number, stop: AbortController): { driver: Driver; closed: number[] } {
  const systems: SystemId[] = [];
  const closed: number[] = [];
  let trains = 0;
  return {
    closed,
    driver: {
      open: async (system) => ({ id: systems.push(system) - 1, description: system }),
      train: async (id, steps) => {
        if (++trains === stopAt) stop.abort();
        return { loss: loss[systems[id]]!, ms: steps };
      },
      close: async (id) => void closed.push(id),
      params: async () => new Float32Array(9),
      // A fit (config e): every system's the same epochs; Stop pressed during the `stopAt`-th fit.
      fit: async (system) => {
        if (++trains === stopAt) stop.abort();
        return { description: system, epochs: [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.8 }, { epoch: 2, at: 2, loss: 0.4, testAccuracy: 0.9 }] };
      },
    },
  };
}

/** Config a, 1 step a repetition, 2 repetitions: train calls 1–2 the agreement steps, 3–6 the repetitions round-robin. */
const plan = (systems: string) => ({ ...parseArgs(['--configs', 'a', '--systems', systems, '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true });

describe('a stopped run whose reference row did not run', () => {
  it('tfjs-cpu finished, ours-cpu stopped after its agreement steps: tfjs-cpu not run, not its own reference', async () => {
    // Calls: 1 tfjs N, 2 ours N, 3 tfjs rep 1, 4 ours rep 1, 5 tfjs rep 2 ← Stop: tfjs whole (2 of 2), ours-cpu 1 of 2.
    const stop = new AbortController();
    const { driver: d, closed } = driver({ 'tfjs-cpu': 2, 'ours-cpu': 1 }, 5, stop);
    const o = plan('tfjs-cpu,ours-cpu');
    const result = await measureAll(d, o, o.configs, env, 'test', sink, stop.signal);
    expect(cells(result)).toEqual([`tfjs-cpu skipped: ${NOT_RUN}`, `ours-cpu skipped: ${NOT_RUN}`]);
    expect([result.stopped, result.targets]).toEqual([true, []]);
    // Both systems closed (tfjs-cpu by its finish, ours-cpu by the stop).
    expect([...closed].sort()).toEqual([0, 1]);
  });

  it('two rows finished, ours-cpu stopped: both not run — none judged against the other (a row off it was left "wrong" against a row not run)', async () => {
    // Calls: 1–3 the N steps, 4 tfjs rep 1, 5 wasm rep 1, 6 ours rep 1, 7 tfjs rep 2, 8 wasm rep 2 ← Stop: tfjs-cpu and
    // ours-wasm whole, ours-cpu 1 of 2. Losses 2, 3 and 1: each finished row off the other.
    const stop = new AbortController();
    const { driver: d } = driver({ 'tfjs-cpu': 2, 'ours-wasm': 3, 'ours-cpu': 1 }, 8, stop);
    const o = plan('tfjs-cpu,ours-wasm,ours-cpu');
    const result = await measureAll(d, o, o.configs, env, 'test', sink, stop.signal);
    expect(cells(result)).toEqual([`tfjs-cpu skipped: ${NOT_RUN}`, `ours-wasm skipped: ${NOT_RUN}`, `ours-cpu skipped: ${NOT_RUN}`]);
    expect([result.ok, result.failures]).toEqual([true, []]);
  });

  it('the same run not stopped: tfjs-cpu judged against ours-cpu, off (so the stop above hid a wrong row)', async () => {
    const stop = new AbortController();
    const { driver: d } = driver({ 'tfjs-cpu': 2, 'ours-cpu': 1 }, 0, stop);
    const o = plan('tfjs-cpu,ours-cpu');
    const result = await measureAll(d, o, o.configs, env, 'test', sink, stop.signal);
    expect(cells(result)).toEqual(['tfjs-cpu wrong (vs ours-cpu, off)', 'ours-cpu ok (ref)']);
  });

  it('ours-cpu finished, tfjs-cpu stopped: ours-cpu kept (the reference ran)', async () => {
    // Calls: 1 ours N, 2 tfjs N, 3 ours rep 1, 4 tfjs rep 1, 5 ours rep 2 ← Stop: ours whole, tfjs 1 of 2.
    const stop = new AbortController();
    const { driver: d } = driver({ 'tfjs-cpu': 2, 'ours-cpu': 1 }, 5, stop);
    const o = plan('ours-cpu,tfjs-cpu');
    const result = await measureAll(d, o, o.configs, env, 'test', sink, stop.signal);
    expect(cells(result)).toEqual(['ours-cpu ok (ref)', `tfjs-cpu skipped: ${NOT_RUN}`]);
  });

  it('no ours-cpu in the run: the first system is the reference; finished, it is kept, whichever system it is', async () => {
    // tfjs-cpu first, ours-wasm second: calls 1–2 the N steps, 3 tfjs rep 1, 4 wasm rep 1, 5 tfjs rep 2 ← Stop:
    // tfjs-cpu whole, ours-wasm 1 of 2; the reference (tfjs-cpu, the first system) ran: kept.
    const stop = new AbortController();
    const { driver: d } = driver({ 'tfjs-cpu': 1, 'ours-wasm': 1 }, 5, stop);
    const o = plan('tfjs-cpu,ours-wasm');
    const kept = await measureAll(d, o, o.configs, env, 'test', sink, stop.signal);
    expect(cells(kept)).toEqual(['tfjs-cpu ok (ref)', `ours-wasm skipped: ${NOT_RUN}`]);
    // Order swapped (ours-wasm first, the reference): Stop during call 5, ours-wasm's rep 2 — ours-wasm whole, tfjs-cpu not.
    const stop2 = new AbortController();
    const { driver: d2 } = driver({ 'tfjs-cpu': 1, 'ours-wasm': 1 }, 5, stop2);
    const o2 = plan('ours-wasm,tfjs-cpu');
    const swapped = await measureAll(d2, o2, o2.configs, env, 'test', sink, stop2.signal);
    expect(cells(swapped)).toEqual(['ours-wasm ok (ref)', `tfjs-cpu skipped: ${NOT_RUN}`]);
  });

  it('config e, 2 fits a system: ours-cpu with one fit of two, jax-wasm with both: jax-wasm not run (its reference did not run)', async () => {
    // Fits: 1 jax-wasm, 2 ours-cpu, 3 ours-wasm, 4 jax-wasm ← Stop: jax-wasm 2 of 2, ours-cpu and ours-wasm 1 of 2.
    const stop = new AbortController();
    const { driver: d } = driver({}, 4, stop);
    const o = { ...parseArgs(['--configs', 'qe-sgd', '--systems', 'jax-wasm,ours-cpu,ours-wasm'], 'browser'), quiet: true };
    const two = { ...o, policy: { ...o.policy, fits: 2 } };
    const result = await measureAll(d, two, two.configs, env, 'test', sink, stop.signal);
    expect(cells(result)).toEqual([`jax-wasm skipped: ${NOT_RUN}`, `ours-cpu skipped: ${NOT_RUN}`, `ours-wasm skipped: ${NOT_RUN}`]);
  });
});
