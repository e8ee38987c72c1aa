/**
 * Fair comparisons (the benchmarker's review, stop 38): jax-js wasm on its main thread on any page (--jax-wasm-workers 0, jaxWorkers=0), config e's
 * time-to-accuracy target at the same thread count, ours' epoch-1 clock around the making of its backend, the
 * threads an ours-wasm row used, and what the page's results and the Markdown name (version, commit, kernels).
 * No timing is asserted: clocks are fakes, drivers stubs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, usage } from '../bench/bench.ts';
import { ALL_CONFIGS, type BenchConfig, CONFIG_A, CONFIG_E, type FitConfig, startOf } from '../bench/configs.ts';
import { timeToAccuracy } from '../bench/epochs.ts';
import { type EpochStat, oursFit } from '../bench/fit-systems.ts';
import { hardwareConcurrencyShown } from '../bench/jax.ts';
import { summarize } from '../bench/measure.ts';
import { pageBuild } from '../bench/page-build.ts';
import { queryOf, readQuery } from '../bench/page/query.ts';
import { type Driver, measureConfig, QUICK_POLICY, type Row, SETTLE_MS } from '../bench/protocol.ts';
import { ratios } from '../bench/targets.ts';
import { type BenchResult, markdown } from '../bench/report.ts';
import { envLine, type RunEnv, systemLabel } from '../bench/labels.ts';
import type { SystemId } from '../bench/systems.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import { stubDriver } from './lib/bench-stub.ts';

describe('jax-wasm on its main thread on a cross-origin-isolated page (review bench38 item 1)', () => {
  it('--jax-wasm-workers takes 0 (alone or in a list); --ours-wasm-threads and an empty item still do not', () => {
    expect(parseArgs(['--quick', '--jax-wasm-workers', '0'], 'browser').jaxWasmWorkers).toBe(0);
    const o = parseArgs(['--configs', 'a', '--systems', 'ours-webgpu,ours-wasm,jax-wasm', '--jax-wasm-workers', '0,1'], 'browser');
    expect([o.jaxWasmWorkers, o.wasmPasses]).toEqual([0, [{ jaxWasmWorkers: 1, oursWasmThreads: 1 }]]);
    expect(() => parseArgs(['--quick', '--jax-wasm-workers', '0,,1'], 'browser')).toThrow("--jax-wasm-workers wants a non-negative integer or a list (0,2), got '0,,1'");
    expect(() => parseArgs(['--quick', '--jax-wasm-workers', '-1'], 'browser')).toThrow(/non-negative integer/);
    expect(() => parseArgs(['--quick', '--ours-wasm-threads', '0'], 'browser')).toThrow("--ours-wasm-threads wants a positive integer or a list (1,2), got '0'");
  });

  it('the page\'s link takes jaxWorkers=0 and writes it back; its other counts stay positive', () => {
    const { query, errors } = readQuery('?configs=a&jaxWorkers=0');
    expect(errors).toEqual([]);
    expect(query.jaxWorkers).toBe(0);
    expect(queryOf(query)).toBe('?configs=a&jaxWorkers=0');
    expect(readQuery('?tfjsThreads=0').errors.map((e) => e.message)).toEqual(["the link's tfjsThreads: wants a positive integer, got '0'"]);
  });

  it('0 workers: jax-js is shown a hardwareConcurrency that throws, which its pool sizing catches (no pool); n: n', () => {
    const shown = (n: number): { hardwareConcurrency: number } => Object.defineProperty({}, 'hardwareConcurrency', hardwareConcurrencyShown(n)) as { hardwareConcurrency: number };
    expect(shown(2).hardwareConcurrency).toBe(2);
    expect(() => shown(0).hardwareConcurrency).toThrow(/no worker pool/);
    // jax-js 0.1.25's createWorkerPool reads it inside a try whose catch returns null (no pool); showing it 0 gives
    // max(1, 0 || 4) = 4 workers. If jax-js changes this, loadJax(0) no longer means its main thread.
    const dist = readFileSync(join(dirname(createRequire(import.meta.url).resolve('@jax-js/jax')), 'backend-CnjgxpXq.js'), 'utf8');
    const pool = dist.slice(dist.indexOf('function createWorkerPool('), dist.indexOf('function createWorkerPool(') + 400);
    expect(pool).toMatch(/if \(!hasSharedArrayBuffer\(\)\) return null;\s*try \{\s*return new WasmWorkerPool\(memory, Math\.max\(1, typeof navigator !== "undefined" && navigator\.hardwareConcurrency \|\| 4\)\);\s*\} catch \{\s*return null;/);
  });
});

const ep = (at: number[], acc: number[]): EpochStat[] => at.map((t, k) => ({ epoch: k + 1, at: t, loss: 0.5, testAccuracy: acc[k] }));
const fitRow = (system: SystemId, at: number[], threads?: number): Row => ({
  system, config: 'e-adam', status: 'ok', agreeSteps: 1, finalLoss: 0.5, epochs: ep(at, at.map((_, k) => (k === at.length - 1 ? 0.94 : 0.9))),
  ...(threads !== undefined ? { threads } : {}),
});

describe('config e\'s target pairs rows at the same thread count (review bench38 item 2)', () => {
  it('the fair run\'s e-adam: ours-wasm on 1 thread against jax-wasm on 1 worker, on 2 against 2 — not 2 threads against 1 worker', () => {
    // The fair run's seconds to the goal: ours-wasm 1.77 / 1.54 (1 / 2 threads), jax-wasm 3.67 / 4.43 (1 / 2 workers).
    const rows = [fitRow('ours-wasm', [0.5, 1.77], 1), fitRow('ours-webgpu', [3, 10.22]), fitRow('jax-wasm', [1, 3.67], 1),
      fitRow('ours-wasm', [0.4, 1.54], 2), fitRow('jax-wasm', [1.2, 4.43], 2), fitRow('tfjs-webgl', [4, 16.19])];
    const { checks } = timeToAccuracy(rows, CONFIG_E[1])!;
    // 3.67 / 1.77 = 2.07; 4.43 / 1.54 = 2.88 (fastest vs fastest would be 3.67 / 1.54 = 2.38, ours on 2 threads vs 1 worker).
    expect(checks.map((c) => [c.system, c.threads, c.versus, c.got?.toFixed(2)])).toEqual([['ours-wasm', 1, 'jax-wasm', '2.07'], ['ours-wasm', 2, 'jax-wasm', '2.88']]);
  });

  it('a count against rows of none: ours-wasm on 2 threads beside jax-wasm on 1 worker only meets the peers without a count, and the line names both sides', () => {
    const rows = [fitRow('ours-cpu', [2, 4]), fitRow('ours-wasm', [0.4, 1.5], 2), fitRow('jax-wasm', [1, 3.6], 1), fitRow('tfjs-webgl', [4, 16])];
    const { checks } = timeToAccuracy(rows, CONFIG_E[1])!;
    // Count 1: ours-cpu (none) 4 s vs jax-wasm (1 worker) 3.6 s → 0.9; count 2: ours-wasm (2 threads) 1.5 s vs tfjs-webgl 16 s → 10.67.
    expect(checks.map((c) => [c.system, c.systemThreads, c.versus, c.versusThreads, c.got?.toFixed(2), c.met])).toEqual([
      ['ours-cpu', undefined, 'jax-wasm', 1, '0.90', false], ['ours-wasm', 2, 'tfjs-webgl', undefined, '10.67', true]]);
    const { targets, goals } = summarize(rows, [CONFIG_E[1]]);
    const md = markdown({ mode: 'custom', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, configs: [], rows, targets, goals, ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
    expect(md).toContain('| e-adam: ours-cpu vs jax-wasm (vs 1 worker) (time to accuracy) | ≥ 2× | 0.90× | no |');
    expect(md).toContain('| e-adam: ours-wasm (2 threads) vs tfjs-webgl (time to accuracy) | ≥ 2× |');
    // A row whose net ran on 1 of its 2 threads (netThreads: too small to split) is paired and named by the 1 it ran
    // on, as its label says (review bench47 item 5): not `ours-wasm (2 threads)` against the 1-worker row.
    const small = [{ ...fitRow('ours-wasm', [0.4, 1.5], 2), netThreads: 1 }, fitRow('jax-wasm', [1, 3.6], 1)];
    expect(timeToAccuracy(small, CONFIG_E[1])!.checks.map((c) => [c.system, c.threads, c.systemThreads, c.versus, c.versusThreads])).toEqual([['ours-wasm', 1, undefined, 'jax-wasm', undefined]]);
  });

  it('without counted rows, one line: our fastest against the fastest peer', () => {
    const rows = [fitRow('ours-cpu', [2, 4]), fitRow('ours-webgpu', [1, 3]), fitRow('tfjs-webgl', [4, 16]), fitRow('jax-webgpu', [3, 9])];
    expect(timeToAccuracy(rows, CONFIG_E[1])!.checks.map((c) => [c.system, c.versus, c.got])).toEqual([['ours-webgpu', 'jax-webgpu', 3]]);
  });
});

describe('ours\' epoch 1 includes making its backend (review bench38 item 3)', () => {
  it('the clock starts before the backend is made, and the backend made is disposed', async () => {
    const c: BenchConfig & { fit: FitConfig } = { ...CONFIG_E[0], batch: 4, fit: { epochs: 1, train: 8, test: 4, optimizer: 'sgd', shuffleSeed: 1 } } as BenchConfig & { fit: FitConfig };
    const { net, params } = startOf(c);
    const digits = (n: number) => ({ n, X: new Float32Array(n * 784).fill(0.5), Y: Float32Array.from({ length: n * 10 }, (_, k) => (k % 10 === 0 ? 1 : 0)) });
    let clock = 0;
    let made: CpuBackend | undefined;
    // Making the backend takes 7 s on the fake clock; the epoch itself none.
    const run = await oursFit('cpu', { config: c, m: { net, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: digits(8), test: digits(4) },
      async () => {
        clock += 7000;
        made = new CpuBackend();
        return made;
      }, () => clock);
    expect(run.epochs.map((e) => e.at)).toEqual([7]);
    expect(made!.isDisposed).toBe(true);
  });
});

describe('the threads an ours-wasm row used (review bench38 item 4)', () => {
  it('config a on 2 threads ran on 1: its label says so, and it is paired with the peers\' 1-count rows', () => {
    const row = (system: SystemId, stepsPerSec: number, threads: number, netThreads?: number): Row => ({
      system, config: 'a', status: 'ok', agreeSteps: 10, stepsPerSec, threads, ...(netThreads !== undefined ? { netThreads } : {}) });
    const rows = [row('ours-wasm', 1000, 2, 1), row('jax-wasm', 10, 1), row('jax-wasm', 20, 2)];
    ratios(rows);
    expect(systemLabel(rows[0])).toBe('ours-wasm (2 threads asked, 1 used: net under THREAD_MIN_WORK)');
    // 1000 / 10: against jax-wasm on 1 worker (it computed on 1 thread), not 1000 / 20 against the 2-worker row.
    expect([rows[0].ratios?.['jax-wasm'], rows[0].ratioThreads?.['jax-wasm']]).toEqual([100, 1]);
  });

  it('of two peer rows computing on one thread (jax-wasm on 1 worker and on 0: --jax-wasm-workers 1,0), ours is paired with the faster', () => {
    const row = (system: SystemId, stepsPerSec: number, threads?: number): Row => ({
      system, config: 'a', status: 'ok', agreeSteps: 10, stepsPerSec, ...(threads !== undefined ? { threads } : {}) });
    for (const order of [[1, 0], [0, 1]]) {
      // 1 worker: 300 steps/s; 0 workers (its main thread): 800 steps/s, whichever pass ran first.
      const jax = order.map((w) => row('jax-wasm', w === 0 ? 800 : 300, w));
      const rows = [row('ours-wasm', 1600, 1), row('ours-webgpu', 8000), ...jax];
      ratios(rows);
      expect([rows[0].ratios?.['jax-wasm'], rows[1].ratios?.['jax-wasm'], rows[1].ratioThreads?.['jax-wasm']]).toEqual([2, 10, 0]);
    }
  });

  it("a peer row that disagreed (status 'wrong', its steps/s kept) is never the yardstick, however fast (review38c)", () => {
    const row = (system: SystemId, stepsPerSec: number, threads: number, status: Row['status'] = 'ok'): Row => ({ system, config: 'a', status, agreeSteps: 10, stepsPerSec, threads });
    const rows = [row('ours-wasm', 1600, 1), row('jax-wasm', 300, 1), row('jax-wasm', 800, 0, 'wrong')];
    ratios(rows);
    // 1600 / 300 against the 1-worker row that agreed, not 1600 / 800 against the main-thread row that did not.
    expect([rows[0].ratios?.['jax-wasm'], rows[0].ratioThreads?.['jax-wasm']]).toEqual([1600 / 300, 1]);
  });
});

describe('what the page\'s results and the Markdown name (review bench38 items 5 and 6)', () => {
  const root = process.cwd();
  it('the page\'s build stamp: the package version and the commit, put into the built page by vite.config.ts\'s define', async () => {
    const stamp = pageBuild(root);
    expect(stamp.version).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    expect(stamp.commit).toBe(execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim());
    const config = (await import('../vite.config.ts')).default as unknown as (env: { mode: string; command: string }) => { define?: Record<string, string> };
    const defined = config({ mode: 'lab', command: 'build' }).define?.__BENCH_PAGE_BUILD__;
    expect(JSON.parse(defined ?? 'null')).toMatchObject({ version: stamp.version, commit: stamp.commit });
  });

  it('the env line names the version and the build\'s commit where no driver gave one, and the kernels auto picked', () => {
    const build = { version: '0.1.0', commit: 'abc1234', dirty: false, built: '2026-12-05T08:00:00.000Z' };
    const page: RunEnv = { runner: 'browser', cpu: { model: 'x', cores: 2 }, build, webgpu: { available: true, vendor: 'google', architecture: 'swiftshader', adapterDescription: 'S', variant: 'blocked-subgroup' } };
    const line = envLine(page);
    expect(line).toContain('backprop-webgpu 0.1.0 · commit abc1234 (the page\'s build, 2026-12-05T08:00:00.000Z)');
    expect(line).toContain('WebGPU adapter google swiftshader "S", ours-webgpu kernels blocked-subgroup (picked by auto)');
    // npm run bench's driver gives the working tree's commit: that one, the version still the build's.
    expect(envLine({ ...page, git: { commit: 'def5678', dirty: true } })).toContain('backprop-webgpu 0.1.0 · commit def5678 (dirty) · ');
  });
});

describe('--help says what the command line accepts (review bench38 item 7)', () => {
  const help = usage('browser').replace(/\s+/g, ' ');
  it('every config group --configs accepts, the quick set\'s q, qe and qm among them', () => {
    const groups = [...new Set(ALL_CONFIGS.map((c) => c.group))];
    expect(groups).toEqual(expect.arrayContaining(['q', 'qe', 'qm']));
    for (const name of groups) expect(help, name).toMatch(new RegExp(`(^|[ (,])${name}( |,|\\)|$)`));
    expect(help).toContain('q = q-mse and q-ce');
  });

  it('--quick\'s repetitions and row budget, and --ours-wasm-threads\' list', () => {
    const quick = / --quick .*?(?= --configs )/.exec(help)![0];
    expect(quick).toContain(`${QUICK_POLICY.reps} of about ${QUICK_POLICY.targetRepMs} ms each, a ${QUICK_POLICY.rowBudgetMs / 1000} s row budget`);
    expect(/ --ours-wasm-threads .*?(?= --webgpu-variants )/.exec(help)![0]).toContain('or a list (1,2)');
  });
});

describe('work deferred by the warm-ups runs before the first timed repetition, for every system alike (review rep51)', () => {
  const policy = { ...QUICK_POLICY, targetRepMs: 10, rowBudgetMs: 1000, maxStepsPerRep: 1000 };

  it('measureConfig settles once, after every system\'s agreement run and calibration and before any repetition', async () => {
    const systems: SystemId[] = ['ours-webgpu', 'ours-cpu', 'jax-wasm'];
    const log: string[] = [];
    const stub = stubDriver({});
    const names = new Map<number, SystemId>();
    const driver: Driver = {
      ...stub,
      open: async (system, config) => {
        const o = await stub.open(system, config);
        names.set(o.id, system);
        return o;
      },
      train: async (id, steps) => {
        log.push(`train ${names.get(id)}`);
        return stub.train(id, steps);
      },
      settle: async (ms) => {
        log.push(`settle ${ms}`);
      },
    };
    const rows = await measureConfig(driver, systems, CONFIG_A, policy, () => () => undefined);
    expect(rows.map((r) => [r.system, r.status, r.times?.length])).toEqual(systems.map((s) => [s, 'ok', policy.reps]));
    expect(log.filter((x) => x.startsWith('settle'))).toEqual([`settle ${SETTLE_MS}`]);
    // After the settle: exactly the round-robin's repetitions, the first system's first.
    const after = log.slice(log.indexOf(`settle ${SETTLE_MS}`) + 1);
    expect(after).toEqual(Array.from({ length: policy.reps }, () => systems.map((s) => `train ${s}`)).flat());
    // Before it: every system's warm-up (its agreement run and calibration calls), one system after another.
    const before = log.slice(0, log.indexOf(`settle ${SETTLE_MS}`));
    expect(new Set(before)).toEqual(new Set(systems.map((s) => `train ${s}`)));
  });

  it('waits past V8\'s 1 s metrics delay in the page; a Node runner without settle is not made to wait', async () => {
    expect(SETTLE_MS).toBeGreaterThan(1000);
    const rows = await measureConfig(stubDriver({}), ['ours-cpu'], CONFIG_A, policy, () => () => undefined);
    expect(rows[0].times).toHaveLength(policy.reps);
    expect(readFileSync(join(import.meta.dirname, '..', 'bench', 'page', 'run.ts'), 'utf8')).toMatch(/\n {4}settle: \(ms: number\) => new Promise<void>\(\(resolve\) => setTimeout\(resolve, ms\)\),/);
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`an untimed wait of ${SETTLE_MS / 1000} s`);
  });
});
