/**
 * The bench page's table from Run on (bench/page/table.ts pageTable with the run's plan): its ratio columns from the
 * run's peers, a row for each config × system to come, "running…" (in a fit config only the fit under way's),
 * "waiting", "skipped: …" (a row the run will skip) and "not run". The table through a run's rows (its columns, a fit's
 * row) is test/bench-page.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CONFIGS } from '../bench/configs.ts';
import type { EpochStat, FitRun } from '../bench/fit-systems.ts';
import { measureAll, type ProgressSink } from '../bench/measure.ts';
import { pageTable, type TablePlan } from '../bench/page/table.ts';
import { type Driver, QUICK_POLICY, type Row } from '../bench/protocol.ts';
import type { SystemId } from '../bench/systems.ts';
import { stubDriver } from './lib/bench-stub.ts';
import { type BenchResult, describeConfigs, markdown } from '../bench/report.ts';

const byId = (id: string) => ALL_CONFIGS.find((c) => c.id === id)!;

describe('the page\'s table stands at Run: its ratio columns and its rows to come (review bench48)', () => {
  const ok = (system: Row['system'], config: string, ratios: Row['ratios'] = {}): Row => ({
    system, config, status: 'ok', agreeSteps: 10, finalLoss: 0.125, stepsPerSec: 1e3, msPerStep: { median: 1, min: 1, max: 1 }, ratios,
  });
  const fitting = (system: Row['system'], fits?: number): Row => {
    const epochs = [{ epoch: 1, at: 0.5, loss: 2.1116, testAccuracy: 0.578 }];
    return { system, config: 'qe-sgd', status: 'ok', agreeSteps: 0, finalLoss: 2.1116, epochs, ...(fits ? { fits: Array.from({ length: fits }, () => ({ epochs })) } : {}) };
  };
  const md = (rows: Row[]): string => markdown({ mode: 'custom', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY,
    configs: describeConfigs([...new Set(rows.map((r) => r.config))].map(byId)), rows, targets: [], ok: false, failures: [], seconds: 0 } as unknown as BenchResult);
  /** Each body row's config, system and agreement cells (where a row to come says running… or waiting). */
  const who = (t: { head: string[]; body: string[][] }): string[][] => t.body.map((c) => [c[t.head.indexOf('config')], c[t.head.indexOf('system')], c[t.head.indexOf('agreement')]]);

  it('the `vs X` columns are the run\'s peers from Run on (one came with each peer\'s first row), and a peer that erred or was skipped keeps its column, its cells "—"', () => {
    const plan: TablePlan = { configs: ['a'].map(byId), systems: ['ours-cpu', 'jax-wasm', 'ours-wasm', 'tfjs-wasm'] };
    // TF.js's backends before jax-js's, as the Markdown orders them; ours-cpu and ours-wasm are not peers.
    expect(pageTable([], { policy: QUICK_POLICY, plan }).head.slice(-2)).toEqual(['vs tfjs-wasm', 'vs jax-wasm']);
    // The run ended: tfjs-wasm erred, jax-wasm was skipped; the same columns as at Run, and as the Markdown's.
    const rows = [ok('ours-cpu', 'a', { 'tfjs-wasm': 120 }), { ...ok('jax-wasm', 'a'), status: 'skipped', error: 'not in this browser' } as Row,
      ok('ours-wasm', 'a', { 'tfjs-wasm': 2 }), { system: 'tfjs-wasm', config: 'a', status: 'error', agreeSteps: 10, error: 'Error: boom' } as Row];
    const ended = pageTable(rows, { policy: QUICK_POLICY, goals: {}, plan });
    expect(ended.head).toEqual(pageTable([], { policy: QUICK_POLICY, plan }).head);
    expect(ended.head).toEqual(pageTable(rows).head);
    expect(md(rows)).toContain('| vs tfjs-wasm | vs jax-wasm |');
    expect(ended.body.map((c) => c.slice(-2))).toEqual([['120×', '—'], ['—', '—'], ['2.00×', '—'], ['—', '—']]);
    expect(ended.head.filter((_, k) => ended.right[k]).slice(-2)).toEqual(['vs tfjs-wasm', 'vs jax-wasm']);
    // A run without a peer: none.
    expect(pageTable([], { policy: QUICK_POLICY, plan: { configs: ['a'].map(byId), systems: ['ours-cpu', 'ours-wasm'] } }).head.some((h) => h.startsWith('vs '))).toBe(false);
  });

  it('a row that came while the run goes on has "…" in its `vs X` cells (its ratios come at the run\'s end), not the "—" of a peer that erred or was skipped', () => {
    const plan: TablePlan = { configs: ['a', 'b-mse'].map(byId), systems: ['ours-wasm', 'ours-cpu', 'tfjs-cpu'] };
    // As the page has them mid-run: a's rows came, without ratios or agreement (protocol.ts computes both at the end).
    const came = (['ours-wasm', 'ours-cpu', 'tfjs-cpu'] as const).map((system) => ({ ...ok(system, 'a'), ratios: undefined }));
    const mid = pageTable(came, { policy: QUICK_POLICY, plan });
    const vs = mid.head.indexOf('vs tfjs-cpu');
    expect(mid.body.map((c) => [c[mid.head.indexOf('system')], c[mid.head.indexOf('agreement')], c[vs]]).slice(0, 3))
      .toEqual([['ours-wasm', '…', '…'], ['ours-cpu', '…', '…'], ['tfjs-cpu', '…', '—']]);
    // The run ended (goals given) or failed: the cells are the ratios, "—" where there is none.
    expect(pageTable(came, { policy: QUICK_POLICY, plan, goals: {} }).body.slice(0, 3).map((c) => c[vs])).toEqual(['—', '—', '—']);
    expect(pageTable(came, { policy: QUICK_POLICY, plan, failed: true }).body.slice(0, 3).map((c) => c[vs])).toEqual(['—', '—', '—']);
    expect(pageTable([ok('ours-wasm', 'a', { 'tfjs-cpu': 448 })], { policy: QUICK_POLICY, plan }).body[0][vs]).toBe('448×');
    // The peer's row of that config erred (or was skipped): "—" at once, not "…" until the end (review48c).
    const peerErred = [...came.slice(0, 2), { system: 'tfjs-cpu', config: 'a', status: 'error', agreeSteps: 10, error: 'boom' } as Row];
    expect(pageTable(peerErred, { policy: QUICK_POLICY, plan }).body.slice(0, 2).map((c) => c[vs])).toEqual(['—', '—']);
  });

  it('a row to come names its wasm count once the environment is known, as its row will (its system cell did not change when the row came)', () => {
    const plan: TablePlan = { configs: ['a'].map(byId), systems: ['ours-wasm', 'jax-wasm', 'ours-cpu'] };
    const system = (t: ReturnType<typeof pageTable>): string[] => t.body.map((c) => c[t.head.indexOf('system')]);
    expect(system(pageTable([], { policy: QUICK_POLICY, plan }))).toEqual(['ours-wasm', 'jax-wasm', 'ours-cpu']);
    const env = { wasm: { threads: 2 }, jax: { wasmWorkers: 0 } };
    expect(system(pageTable([], { policy: QUICK_POLICY, plan, env }))).toEqual(['ours-wasm (2 threads)', 'jax-wasm (0 workers: its main thread)', 'ours-cpu']);
  });

  it('at Run the table has its heads and a row for each config × system to come, in the run\'s order: "running…" in the config under way, "waiting" after it', () => {
    const plan: TablePlan = { configs: ['a', 'qe-sgd'].map(byId), systems: ['ours-webgpu', 'ours-cpu', 'jax-wasm'], webgpuVariants: ['tiled', 'auto'] };
    const systems = ['ours-webgpu (tiled)', 'ours-webgpu (auto)', 'ours-cpu', 'jax-wasm'];
    const atRun = pageTable([], { policy: QUICK_POLICY, plan });
    expect(atRun.head).toEqual(['config', 'system', 'time/step (median)', 'steps/s', 'loss after N (e: epoch 1)', 'test accuracy (e)', 'fit time (e)', 'time to goal (e)', 'agreement', 'vs jax-wasm']);
    expect(who(atRun)).toEqual([...systems.map((s) => ['a', s, 'running…']), ...systems.map((s) => ['qe-sgd', s, 'waiting'])]);
    // A row to come has its config and system, its state, and nothing else yet.
    for (const cells of atRun.body) {
      expect(cells).toHaveLength(atRun.head.length);
      expect(cells.filter((c) => c !== '')).toHaveLength(3);
    }
    // a's rows came (in the run's order); e's fits go one by one, its skipped rows coming with the first: the rows that
    // came keep their order, then e's still to come.
    const a = [{ ...ok('ours-webgpu', 'a'), variant: 'tiled' } as Row, { ...ok('ours-webgpu', 'a'), variant: 'auto' } as Row, ok('ours-cpu', 'a'), ok('jax-wasm', 'a')];
    // The fits go one system after another: the first to fit runs, the others wait (they all said running…: bench49).
    expect(who(pageTable(a, { policy: QUICK_POLICY, plan })).slice(4)).toEqual(systems.map((s, k) => ['qe-sgd', s, k === 0 ? 'running…' : 'waiting']));
    const skipped = (variant: 'tiled' | 'auto'): Row => ({ system: 'ours-webgpu', variant, config: 'qe-sgd', status: 'skipped', agreeSteps: 0, error: 'no WebGPU' });
    const mid = pageTable([...a, skipped('tiled'), skipped('auto'), fitting('ours-cpu')], { policy: QUICK_POLICY, plan });
    expect(who(mid).slice(4)).toEqual([['qe-sgd', 'ours-webgpu (tiled)', 'skipped: no WebGPU'], ['qe-sgd', 'ours-webgpu (auto)', 'skipped: no WebGPU'], ['qe-sgd', 'ours-cpu', '…'], ['qe-sgd', 'jax-wasm', 'running…']]);
    // The run ended: its rows alone.
    const all = [...a, skipped('tiled'), skipped('auto'), fitting('ours-cpu'), fitting('jax-wasm')];
    expect(pageTable(all, { policy: QUICK_POLICY, goals: {}, plan }).body).toHaveLength(all.length);
    // The run failed after a's rows (ui.ts start's catch): the rows that came stand, those to come say they did not run.
    expect(who(pageTable(a, { policy: QUICK_POLICY, plan, failed: true })).slice(4)).toEqual(systems.map((s) => ['qe-sgd', s, 'not run']));
  });

  it('with fits=2 the fit config is under way until its second round: the next config waits while every system has its first fit\'s row', () => {
    const policy = { ...QUICK_POLICY, fits: 2 };
    const plan: TablePlan = { configs: ['qe-sgd', 'a'].map(byId), systems: ['ours-cpu', 'jax-wasm'] };
    expect(who(pageTable([fitting('ours-cpu', 1), fitting('jax-wasm', 1)], { policy, plan })).slice(2)).toEqual([['a', 'ours-cpu', 'waiting'], ['a', 'jax-wasm', 'waiting']]);
    expect(who(pageTable([fitting('ours-cpu', 2), fitting('jax-wasm', 2)], { policy, plan })).slice(2)).toEqual([['a', 'ours-cpu', 'running…'], ['a', 'jax-wasm', 'running…']]);
  });

  it('in a fit config only the fit under way says running…, the systems after it waiting (they fit one after another; a timed step\'s systems run round-robin, all running…)', () => {
    const plan: TablePlan = { configs: ['qe-sgd', 'a'].map(byId), systems: ['ours-cpu', 'ours-wasm', 'jax-wasm'] };
    // At Run: the first system's fit runs; the timed step's config waits.
    expect(who(pageTable([], { policy: QUICK_POLICY, plan }))).toEqual([
      ['qe-sgd', 'ours-cpu', 'running…'], ['qe-sgd', 'ours-wasm', 'waiting'], ['qe-sgd', 'jax-wasm', 'waiting'],
      ['a', 'ours-cpu', 'waiting'], ['a', 'ours-wasm', 'waiting'], ['a', 'jax-wasm', 'waiting']]);
    // ours-cpu's fit came: ours-wasm's runs, jax-wasm's waits.
    expect(who(pageTable([fitting('ours-cpu')], { policy: QUICK_POLICY, plan })).slice(1, 3)).toEqual([['qe-sgd', 'ours-wasm', 'running…'], ['qe-sgd', 'jax-wasm', 'waiting']]);
    // ours-cpu's fit erred: the same, the next system fits.
    const erred: Row = { system: 'ours-cpu', config: 'qe-sgd', status: 'error', agreeSteps: 0, error: 'boom' };
    expect(who(pageTable([erred], { policy: QUICK_POLICY, plan })).slice(1, 3)).toEqual([['qe-sgd', 'ours-wasm', 'running…'], ['qe-sgd', 'jax-wasm', 'waiting']]);
    // Two fits a system (round-robin rounds): round 1 as above; once round 1 has come, round 2 refits rows that are
    // there, so no row to come runs, and the next config still waits.
    const policy = { ...QUICK_POLICY, fits: 2 };
    expect(who(pageTable([fitting('ours-cpu', 1)], { policy, plan })).slice(1)).toEqual([
      ['qe-sgd', 'ours-wasm', 'running…'], ['qe-sgd', 'jax-wasm', 'waiting'], ['a', 'ours-cpu', 'waiting'], ['a', 'ours-wasm', 'waiting'], ['a', 'jax-wasm', 'waiting']]);
    const round1 = [fitting('ours-cpu', 1), fitting('ours-wasm', 1), fitting('jax-wasm', 1)];
    expect(who(pageTable(round1, { policy, plan })).slice(3)).toEqual([['a', 'ours-cpu', 'waiting'], ['a', 'ours-wasm', 'waiting'], ['a', 'jax-wasm', 'waiting']]);
    // Once e's rows came: a's repetitions go round-robin, all three run.
    expect(who(pageTable(round1.map((r) => fitting(r.system)), { policy: QUICK_POLICY, plan })).slice(3)).toEqual([['a', 'ours-cpu', 'running…'], ['a', 'ours-wasm', 'running…'], ['a', 'jax-wasm', 'running…']]);
  });

  it('while a fit config runs (measureAll, fits=2), the row to come that says running… is the system the status line names: none once its row is there', async () => {
    const systems: SystemId[] = ['ours-cpu', 'tfjs-cpu', 'ours-wasm', 'jax-wasm'];
    const policy = { ...QUICK_POLICY, fits: 2 };
    const c = byId('qe-sgd');
    const plan: TablePlan = { configs: [c], systems };
    let line = '';
    let sofar: Row[] = [];
    const seen: [string, string[]][] = [];
    const epochs: EpochStat[] = Array.from({ length: c.fit!.epochs }, (_, k) => ({ epoch: k + 1, at: k + 1, loss: 2, testAccuracy: 0.5 }));
    const driver: Driver = {
      ...stubDriver({}),
      fit: async (): Promise<FitRun> => {
        const t = pageTable(sofar, { policy, plan });
        const running = t.body.filter((cells) => cells[t.head.indexOf('agreement')] === 'running…').map((cells) => cells[t.head.indexOf('system')]);
        seen.push([line.split(' · ')[1], running]);
        return { description: 'x', epochs };
      },
    };
    const sink: ProgressSink = { show: (text) => void (line = text), done: () => undefined, rows: (rows) => void (sofar = rows) };
    await measureAll(driver, { mode: 'custom', systems, policy }, [c], { runner: 'browser', cpu: { model: 'x', cores: 2 } }, 'test', sink);
    // tfjs-cpu does not fit (it is skipped); round 2 refits rows that came in round 1.
    expect(seen).toEqual([['ours-cpu', ['ours-cpu']], ['ours-wasm', ['ours-wasm']], ['jax-wasm', ['jax-wasm']], ['ours-cpu', []], ['ours-wasm', []], ['jax-wasm', []]]);
  });

  it('a row the run will skip is drawn as it will come from Run on ("skipped: …"), and is not the fit under way nor keeps its config under way', () => {
    // tfjs-cpu does not fit (systems.ts unsupported): the fit under way is ours-cpu's, then jax-wasm's.
    const plan: TablePlan = { configs: ['qe-sgd'].map(byId), systems: ['ours-cpu', 'tfjs-cpu', 'jax-wasm'] };
    const why = 'skipped: config qe-sgd runs on ours-webgpu, ours-wasm, ours-cpu, tfjs-webgl, jax-webgpu, jax-wasm (the systems with a fit of their own here)';
    const atRun = pageTable([], { policy: QUICK_POLICY, plan });
    expect(who(atRun)).toEqual([['qe-sgd', 'ours-cpu', 'running…'], ['qe-sgd', 'tfjs-cpu', why], ['qe-sgd', 'jax-wasm', 'waiting']]);
    // Its row as it comes (with ours-cpu's fit, as measureAll sends it) reads the same as it did to come.
    const skipped: Row = { system: 'tfjs-cpu', config: 'qe-sgd', status: 'skipped', agreeSteps: byId('qe-sgd').agreeSteps, error: why.slice('skipped: '.length) };
    const mid = pageTable([fitting('ours-cpu'), skipped], { policy: QUICK_POLICY, plan });
    expect(who(mid)).toEqual([['qe-sgd', 'ours-cpu', '…'], ['qe-sgd', 'tfjs-cpu', why], ['qe-sgd', 'jax-wasm', 'running…']]);
    expect(mid.body[1]).toEqual(atRun.body[1]);
    // Config f on a fallback adapter (known once the run's environment is): its GPU systems skip it unless the run
    // asked for it (npm run bench --gpu-sized-on-fallback); ours-cpu skips it on any adapter. At Run, before the
    // environment, the adapter is not known.
    const f: TablePlan = { configs: ['f'].map(byId), systems: ['ours-webgpu', 'ours-cpu'] };
    const fallback = 'skipped: config f skipped on a software GPU (the fallback adapter or SwiftShader; npm run bench -- --configs f --gpu-sized-on-fallback runs it; the bench page\'s form and links cannot ask for it)';
    const gpu = 'skipped: config f is for GPU systems (412 GFLOP a step)';
    const env = { runner: 'browser' as const, webgpu: { available: true, isFallbackAdapter: true } };
    expect(who(pageTable([], { policy: QUICK_POLICY, plan: f }))).toEqual([['f', 'ours-webgpu', 'running…'], ['f', 'ours-cpu', gpu]]);
    expect(who(pageTable([], { policy: QUICK_POLICY, plan: f, env }))).toEqual([['f', 'ours-webgpu', fallback], ['f', 'ours-cpu', gpu]]);
    expect(who(pageTable([], { policy: QUICK_POLICY, plan: { ...f, gpuSizedOnFallback: true }, env }))).toEqual([['f', 'ours-webgpu', 'running…'], ['f', 'ours-cpu', gpu]]);
    // A config every system skips passes at once: the next config is the one under way.
    const matmulFirst: TablePlan = { configs: ['q-matmul', 'a'].map(byId), systems: ['ours-cpu', 'ours-wasm'] };
    const matmulWhy = 'skipped: the bare matmul row is for GPU systems (ours-webgpu, tfjs-webgpu, tfjs-webgl, jax-webgpu)';
    expect(who(pageTable([], { policy: QUICK_POLICY, plan: matmulFirst }))).toEqual([['q-matmul', 'ours-cpu', matmulWhy], ['q-matmul', 'ours-wasm', matmulWhy], ['a', 'ours-cpu', 'running…'], ['a', 'ours-wasm', 'running…']]);
    // The run failed: what was to come did not come, skipped ones included.
    expect(who(pageTable([], { policy: QUICK_POLICY, plan, failed: true })).map((c) => c[2])).toEqual(['not run', 'not run', 'not run']);
  });
});
