/**
 * The run itself, shared by every runner — the bench page (bench/page/main.ts: a run from its form, a link or
 * `npm run bench`), Node (bench/node.ts) and Dawn (bench/dawn.ts): every config × system measured through a
 * Driver with a progress line, then agreement, ratios, targets and the result object (latest.json). Browser-safe.
 */
import type { BenchConfig } from './configs.ts';
import { comparesParams, offOnParamsAlone } from './agree-params.ts';
import { laterEpochsText } from './agree-epochs.ts';
import { addFit, measureFits, timeToAccuracy } from './epochs.ts';
import { agree, configUnits, type Driver, type Entrant, FIT_ACCURACY_SLACK, isStopped, measureConfig, offAfterEpoch1, type Policy, referenceRun, type Row, skippedRow, stoppedRow } from './protocol.ts';
import { checkTargets, ratios, type TargetCheck } from './targets.ts';
import { type BenchResult, describeConfigs, type Failure, failureText, refLabel } from './report.ts';
import { countOf, type RunEnv, systemLabel } from './labels.ts';
import { type SystemId, unsupported, type WebGpuVariant } from './systems.ts';
import { isSoftwareAdapter } from '../src/webgpu/software-adapter.ts';

/** What a run measures (bench/bench.ts BenchOptions has these and more). */
export interface RunPlan {
  mode: 'full' | 'quick' | 'custom';
  systems: SystemId[];
  policy: Policy;
  peakGflops?: number;
  /** Run config f on a fallback (software) adapter too. */
  gpuSizedOnFallback?: boolean;
  /**
   * --webgpu-variants (the page's webgpuVariants=): ours-webgpu's kernel variants, one row each, in the same
   * round-robin as the other systems. Undefined: one ours-webgpu row, the engine's 'auto', without a variant.
   */
  webgpuVariants?: WebGpuVariant[];
  /**
   * Run ours-cpu, the oracle, as the agreement's reference alone where `systems` lacks it (bench/browser.ts: the later
   * page loads of a run with several wasm counts, whose first load has the ours-cpu row): on each config whose
   * parameters are compared (agree-params.ts comparesParams: a–d), before the config's rows, its N agreement steps and
   * its parameters, untimed (protocol.ts referenceRun), so that every row's parameters are judged against the
   * oracle's, which stay in the page; no calibration, no repetitions, no fit (config e's agreement is judged in Node,
   * summarize, against the first load's ours-cpu row), no row. The loss is judged again there against that row too.
   */
  oracleReference?: boolean;
}

/** The rows a run has for each system: ours-webgpu once per asked variant (RunPlan.webgpuVariants), the others once. */
export function entrantsOf(systems: readonly SystemId[], variants: readonly WebGpuVariant[] | undefined): Entrant[] {
  return systems.flatMap((system) => (system === 'ours-webgpu' && variants?.length ? variants.map((variant) => ({ system, variant })) : [{ system }]));
}

/**
 * Why a run skips `system` on config `c`, or null (systems.ts unsupported, with the run's adapter: config f on a
 * software one — a fallback adapter, or SwiftShader by name: src/webgpu/software-adapter.ts — unless
 * `gpuSizedOnFallback`; and its runner, the browser's when `env` has none): measureAll's skipped rows, and the bench
 * page's rows to come (page/table.ts pageTable), which say so before the row comes.
 */
export function skipReason(system: SystemId, c: BenchConfig, gpuSizedOnFallback: boolean | undefined, env?: Pick<Partial<RunEnv>, 'webgpu' | 'runner'>): string | null {
  const w = env?.webgpu;
  const text = (k: string): string | undefined => {
    const v = w?.[k];
    return typeof v === 'string' ? v : undefined;
  };
  // A software adapter by the engine's test (the fallback flag, or SwiftShader by name); the env keeps the adapter's
  // own description as adapterDescription (report.ts adapterNames), `description` being the engine's.
  const fallback = w !== undefined && isSoftwareAdapter({
    isFallbackAdapter: w.isFallbackAdapter === true, vendor: text('vendor'), architecture: text('architecture'), device: text('device'),
    description: text('description'), adapterDescription: text('adapterDescription'),
  });
  return unsupported(system, c, { fallback, allowFallback: gpuSizedOnFallback === true }, env?.runner);
}


/** Where progress goes: a terminal line (bench/bench.ts Progress) or the page's bar; fraction in [0, 1]. */
export interface ProgressSink {
  show(text: string, fraction?: number): void;
  done(): void;
  /** Every row so far, after each config (config e: after each system) — the page's table and chart fill in from it. */
  rows?(rows: Row[]): void;
}

/**
 * A stopped run's rows of config `c` (in --systems order), with every finished row made not run (protocol.ts
 * stoppedRow) where the row a whole run would judge them against — ours-cpu's, or without it the first system's that
 * did not err or skip — is one the stop left not run: judged instead against another finished row (agree's fallback,
 * "ours-cpu was not in the run"), a row whose loss ours-cpu's agreement steps had already shown wrong read `ok`, and
 * its timings counted. Rows that erred, or were skipped, stay as they are. In a run not stopped, the rows as given.
 */
export function unjudgedStopped(rows: Row[], c: BenchConfig, policy: Pick<Policy, 'agreeSteps'>): Row[] {
  const candidates = rows.filter((r) => r.status === 'ok' || isStopped(r));
  const reference = candidates.find((r) => r.system === 'ours-cpu') ?? candidates[0];
  if (!reference || !isStopped(reference)) return rows;
  return rows.map((r) => (r.status === 'ok' ? stoppedRow(r, c, policy) : r));
}

/**
 * Measure every config × system, then agreement, ratios and targets. `stop` (the bench page's Stop; the Node and Dawn
 * runners pass none) ends the run at the next boundary between units of work — before a row's preparation, a timed
 * repetition or a fit, never inside one (measureConfig, measureFits) — the rows finished kept, every other row not run
 * (protocol.ts stoppedRow: skipped, "not run (the run was stopped)") — a finished row whose reference did not run too
 * (unjudgedStopped) —, and the result marked `stopped`.
 */
export async function measureAll(driver: Driver, o: RunPlan, configs: BenchConfig[], env: RunEnv, command: string, progress: ProgressSink, stop?: AbortSignal): Promise<BenchResult> {
  const t0 = Date.now();
  const rows: Row[] = [];
  const wasm = env.wasm as { threads?: number; peakGflops?: number } | undefined;
  const whyNot = (system: SystemId, c: BenchConfig): string | null => skipReason(system, c, o.gpuSizedOnFallback, env);
  // The progress line's k/total counts units of work, so that it and the bar only move forward: a fit (config e) is one
  // unit (its epochs move the bar within it), policy.fits a system; any other config configUnits a system, as
  // measureConfig counts them (its repetitions go round-robin across the systems); a skipped system none.
  const fits = o.policy.fits ?? 1;
  const unitsOf = (c: BenchConfig, runnable: number): number => runnable * (c.fit ? fits : configUnits(o.policy));
  const entrants = entrantsOf(o.systems, o.webgpuVariants);
  const total = configs.reduce((n, c) => n + unitsOf(c, entrants.filter((e) => !whyNot(e.system, c)).length), 0);
  let base = 0;
  for (const c of configs) {
    const these: Row[] = [];
    const label = (row: Row): Row => {
      // The thread (worker) count of the wasm rows: ratios and targets pair only rows of the same count (targets.ts).
      const system = row.system;
      const threads = countOf(system, env);
      if (threads !== undefined) row.threads = threads;
      if (system === 'ours-wasm' && wasm?.peakGflops) row.wasmPeakGflops = wasm.peakGflops;
      return row;
    };
    const runnable: Entrant[] = [];
    for (const e of entrants) {
      const why = whyNot(e.system, c);
      if (why) these.push(skippedRow(e, c, o.policy, why));
      else runnable.push(e);
    }
    const units = unitsOf(c, runnable.length);
    // `done`: how much of this config is done (measureConfig), or of this system's fit (measureEpochs).
    const line = (system: SystemId, variant: WebGpuVariant | undefined, from: number, span: number) => (phase: string, done = 0): void => {
      const at = from + done * span;
      progress.show(`${Math.min(from + span, Math.floor(at) + 1)}/${total} ${c.id} · ${systemLabel({ system, variant })} · ${phase}`, at / total);
    };
    if (stop?.aborted) {
      // Stopped before this config: its rows that would run are not run (those it skips say why, as ever).
      these.push(...runnable.map((e) => label(stoppedRow(e, c, o.policy))));
    } else if (c.fit) {
      // Config e: one system's fit after another (each is its own timed run), policy.fits rounds of them (round-robin).
      const skipped = [...these];
      these.push(...(await measureFits(driver.fit?.bind(driver), runnable, c, fits, ({ system, variant }, k) => line(system, variant, base + k, 1), (rs) => progress.rows?.([...rows, ...skipped, ...rs.map(label)]), stop)).map(label));
      // A finished fit whose reference's fits the stop cut short is not run either (unjudgedStopped).
      if (stop?.aborted) these.splice(0, these.length, ...unjudgedStopped(these, c, o.policy).map(label));
    } else {
      // RunPlan.oracleReference: ours-cpu's N steps and parameters before the config's rows open, no row. Before, not
      // after: the garbage its arrays leave (d: tens of MB) is then collected before the rows' calibration and settle,
      // not in the next config's timed repetitions or config e's cold fits, which have no settle.
      const oracle = o.oracleReference && runnable.length && !stop?.aborted && driver.params && comparesParams(c) && !o.systems.includes('ours-cpu') && !whyNot('ours-cpu', c)
        ? [await referenceRun(driver, 'ours-cpu', c, o.policy, line('ours-cpu', undefined, base, 0))] : [];
      these.push(...(await measureConfig(driver, runnable, c, o.policy, (system, variant) => line(system, variant, base, units), stop)).map(label));
      // Before agree: a finished row whose reference the stop left not run is not run, never judged against another.
      if (stop?.aborted && !oracle.length) these.splice(0, these.length, ...unjudgedStopped(these, c, o.policy).map(label));
      // Each row's parameters judged now (its paramsAgreement, which summarize keeps), then dropped: they stay out of the
      // results, and a config's do not wait in memory for the next's (bench/agree-params.ts).
      agree([...these, ...oracle], c);
      for (const r of these) delete r.agreeParams;
    }
    base += units;
    // In --systems order, each system's rows (ours-webgpu's variants) in the order asked.
    const rank = (r: Row): number => entrants.findIndex((e) => e.system === r.system && e.variant === r.variant);
    rows.push(...these.sort((x, y) => rank(x) - rank(y)));
    progress.rows?.([...rows]);
  }
  const { targets, goals, failures, failedRows } = summarize(rows, configs);
  // Stopped after the last unit began: nothing was left not run, and the run is whole.
  const stopped = rows.some(isStopped);
  // A stopped run's bar stays where it stopped.
  if (!stopped) progress.done();
  return {
    tool: 'backprop-webgpu bench',
    version: 1,
    date: new Date().toISOString(),
    mode: o.mode,
    command,
    env,
    policy: o.policy,
    configs: describeConfigs(configs, o.policy),
    systems: o.systems,
    rows,
    targets,
    ...(Object.keys(goals).length ? { goals } : {}),
    ...(o.peakGflops ? { peakGflops: o.peakGflops } : {}),
    ok: failures.length === 0,
    failures,
    failedRows,
    seconds: (Date.now() - t0) / 1000,
    ...(stopped ? { stopped: true as const } : {}),
  };
}

/**
 * Agreement per config (every row against ours-cpu, else the first with a loss), ratios, the targets (config e's
 * time-to-accuracy checks among them) and the failures of a run's rows. Rows marked wrong before are judged again.
 */
export function summarize(rows: Row[], configs: BenchConfig[]): { targets: TargetCheck[]; goals: Record<string, number>; failures: string[]; failedRows: Failure[] } {
  for (const c of configs) {
    const these = rows.filter((r) => r.config === c.id);
    for (const r of these) {
      if (r.status === 'wrong') r.status = 'ok';
      delete r.agreement;
    }
    agree(these, c);
  }
  ratios(rows);
  const targets = checkTargets(rows, configs);
  const goals: Record<string, number> = {};
  for (const c of configs.filter((x) => x.fit)) {
    const t = timeToAccuracy(rows, c);
    if (!t) continue;
    goals[c.id] = t.goal;
    targets.push(...t.checks);
  }
  const failed: Failure[] = [];
  for (const r of rows) {
    if (r.status !== 'error' && r.status !== 'wrong') continue;
    const a = r.agreement;
    const ref = a ? refLabel(a) : undefined;
    const params = offOnParamsAlone(r);
    const later = offAfterEpoch1(a);
    const reason = r.status === 'error' ? `${r.error}`
      : params ? `parameters after ${r.agreeSteps} steps off ${refLabel(params)}'s by up to ${params.absErr.toExponential(2)} (> ${params.tol.toExponential(2)}), its loss within tolerance`
      : later ? laterEpochsText(later, ref!)
      : a && a.absErr <= a.tol && a.accuracyExamplesOff !== undefined ? `epoch-1 test accuracy ${a.accuracyExamplesOff} test examples off ${ref}'s (> ${FIT_ACCURACY_SLACK}: another batch order?)`
      : `loss ${r.finalLoss} vs ${ref} ${a?.refLoss} (rel. err ${a?.relErr.toExponential(2)} > tolerance)`;
    // What the row's label is made of (an absent one is left out of the JSON).
    const { config, system, variant, threads, netThreads } = r;
    failed.push({ config, system, variant, threads, netThreads, status: r.status, reason });
  }
  return { targets, goals, failures: failed.map(failureText), failedRows: failed };
}

/**
 * `npm run bench --fits N`: N rounds of page loads (each round a whole run with one fit a system: `rounds[k]`) as one
 * result whose config e rows hold the rounds' fits, as the page's fits=N rows do (bench/epochs.ts measureFits): the
 * fits in round order, epochs their per-epoch median, finalLoss and fitPhases fit 1's; the other configs' rows round
 * 1's (later rounds run config e alone). NOTE: each fit in a page load of its own, so that every system's fit is cold:
 * in one page the peers' later fits reuse what their first compiled (e-run-43, 2026-12-05: jax-js wasm's SGD fits took
 * 0.60, 0.41, 0.41 s to the goal in one page, its epoch 1 0.32 against 0.14 s), which the issue's time to accuracy
 * includes ("compile included"). A row that failed in any round keeps the round's error; a skipped row stays skipped.
 */
export function mergeFitRounds(rounds: BenchResult[], configs: BenchConfig[]): BenchResult {
  const key = (r: Row): string => `${r.config}|${r.system}|${r.threads ?? ''}|${r.variant ?? ''}`;
  const fitIds = new Set(configs.filter((c) => c.fit).map((c) => c.id));
  // The n-th row of a key in round 1 pairs with the n-th of it in each round: a wasm pass may repeat a count of an
  // earlier page load's (--ours-wasm-threads 1,1,2: ours-wasm on 1 thread in page loads 1 and 2), each row its own.
  const nth = (rows: Row[], row: Row): number => rows.filter((r) => key(r) === key(row)).indexOf(row);
  const rows = rounds[0].rows.map((row): Row => {
    // A system that skips config e (tfjs-cpu, scalar: bench/systems.ts unsupported) skips it in every round.
    if (!fitIds.has(row.config) || row.status === 'skipped') return row;
    const n = nth(rounds[0].rows, row);
    const same = rounds.map((round) => round.rows.filter((r) => key(r) === key(row))[n]);
    // A disagreeing fit ('wrong') is kept: agreement is checked again over every fit (summarize).
    const failed = same.find((r) => r === undefined || r.status === 'error' || !r.epochs);
    if (failed !== undefined) {
      const k = same.indexOf(failed);
      return { ...row, status: 'error', error: `fit ${k + 1} of ${rounds.length}: ${failed?.error ?? 'no such row in that page load'}` };
    }
    // Each round's fit added as the page's measureFits adds its fits (addFit: fits, medians, fit 1's loss and phases).
    const { timeToAccuracy: _t, epochs: _e, fitPhases: _p, hiddenReps: _h, ...merged } = row;
    for (const r of same) addFit(merged, { description: r!.description!, epochs: r!.epochs!, ...(r!.fitPhases ? { phases: r!.fitPhases } : {}), ...(r!.hiddenReps ? { hidden: true } : {}) }, rounds.length);
    return merged;
  });
  return { ...summarized(rounds, rows, configs), policy: { ...rounds[0].policy, fits: rounds.length, fitRounds: true } };
}

/** Page loads' rows as one result: the first load's, with the rows given, their agreement and targets (summarize) and the loads' seconds. */
function summarized(results: BenchResult[], rows: Row[], configs: BenchConfig[]): BenchResult {
  const { targets, goals, failures, failedRows } = summarize(rows, configs);
  return {
    ...results[0],
    rows,
    targets,
    ...(Object.keys(goals).length ? { goals } : {}),
    ok: failures.length === 0,
    failures,
    failedRows,
    seconds: results.reduce((s, r) => s + r.seconds, 0),
  };
}

/**
 * Several page loads of one run as one result (the wasm passes: jax-js sizes its worker pool when its module loads,
 * so another worker count needs another page): rows in config order, each config's rows in pass order, then
 * agreement, ratios and targets over all of them; the first pass's env, with each pass's counts in env.wasmPasses.
 */
export function mergeRuns(results: BenchResult[], configs: BenchConfig[]): BenchResult {
  const [first] = results;
  const rows = configs.flatMap((c) => results.flatMap((r) => r.rows.filter((x) => x.config === c.id)));
  return {
    ...summarized(results, rows, configs),
    env: { ...first.env, wasmPasses: results.map((r) => ({ oursWasmThreads: (r.env.wasm as { threads?: number } | undefined)?.threads, jaxWasmWorkers: (r.env.jax as { wasmWorkers?: number } | undefined)?.wasmWorkers })) },
    systems: [...new Set(results.flatMap((r) => r.systems))],
    // A page load its Stop ended (the last: runPasses): the run is partial, as measureAll marks one.
    ...(rows.some(isStopped) ? { stopped: true as const } : {}),
  };
}
