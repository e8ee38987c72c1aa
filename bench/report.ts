/**
 * A run's outputs formatted, with no file access (the bench page shares it): the result object's shape, the
 * terminal table, the Markdown table, and the files' texts (outputTexts; the steps/s chart is bench/chart.ts, the
 * time-to-accuracy one bench/epochs.ts; the row labels and the environment line bench/labels.ts). Writing them under the output folder (bench/results/ by default) is bench/output.ts.
 */
import { type BenchConfig, flopsPerStep, isFitRow, runFlopsPerStep } from './configs.ts';
import { lossHead, matmulNote, matmulShapeOf } from './matmul-rows.ts';
import { withoutPlainError } from '../src/checks.ts';
import { offOnParamsAlone } from './agree-params.ts';
import { svgChart } from './chart.ts';
import { epochsMarkdown, epochsSvg } from './epochs.ts';
import { agreeStepsOf, fmtMs, fmtSeconds, isReference, isStopped, offAfterEpoch1, type Policy, type Row, STOPPED_REASON } from './protocol.ts';
import { type TargetCheck } from './targets.ts';
import { PEER_SYSTEMS, type SystemId } from './systems.ts';
import { countLabel, envLine, fmtNum, netOn, plural, rowLabel, type RunEnv, systemLabel } from './labels.ts';

export interface BenchResult {
  tool: 'backprop-webgpu bench';
  version: 1;
  date: string;
  mode: string;
  command: string;
  env: RunEnv;
  policy: Policy;
  configs: (Pick<BenchConfig, 'id' | 'title' | 'inputs' | 'batch' | 'loss' | 'lr' | 'agreeSteps' | 'rtol' | 'atol'> & {
    layers: string;
    /** The issue's count, 6·batch·Σ in·out (configs.ts flopsPerStep): the GFLOP/s column's. */
    flopsPerStep: number;
    /** What our step runs, no δ for the inputs (configs.ts runFlopsPerStep; absent in results written before it). */
    runFlopsPerStep?: number;
    data: string;
  })[];
  systems: SystemId[];
  rows: Row[];
  targets: TargetCheck[];
  /** Config e: the goal accuracy per config (bench/epochs.ts). */
  goals?: Record<string, number>;
  /** --peak-gflops: the device's float32 peak. */
  peakGflops?: number;
  ok: boolean;
  /** Each failure as one line of text: `config label: reason` (failureText of `failedRows`' entry, in its order). */
  failures: string[];
  /** The same failures with their rows (config, system and what its label names), for readers that group them (absent in results written before it). */
  failedRows?: Failure[];
  seconds: number;
  /**
   * The run was stopped before it finished (the bench page's Stop): a partial run. Its rows that did not run are
   * skipped with `error` "not run (the run was stopped)" (protocol.ts isStopped), no target is judged from them, and
   * `ok` speaks of the rows that ran. Absent in a whole run.
   */
  stopped?: true;
}

/** A failed row: its config, the fields its label is made of (systemLabel), whether it erred or disagreed, and why. */
export interface Failure extends Pick<Row, 'config' | 'system' | 'variant' | 'threads' | 'netThreads'> {
  status: 'error' | 'wrong';
  /** An error's text (the row's `error`), or how it disagreed with its reference. */
  reason: string;
}

/** A failure as `failures` words it: `b-mse ours-webgpu (subgroup): LimitError: …`, an error's text as errorText gives it. */
export function failureText(f: Failure): string {
  return `${f.config} ${systemLabel(f)}: ${f.status === 'error' ? errorText(f.reason) : f.reason}`;
}

/** A fit's round before its error (measure.ts, epochs.ts). */
const FIT_ROUND = /^fit \d+ of \d+: /;

/**
 * A row's error as the tables, the status line and `failures` say it: the row's `error` (its thrown error's name and
 * message) without a plain Error's "Error: ", which only doubled the cell's own prefix ("error: Error: jax-js could not
 * start …"); a named error keeps its name, which says what kind it was ("LimitError: …", "OperationError: …"). The
 * JSON's `error` keeps the name either way.
 */
export function errorText(error: string | undefined): string {
  const text = error ?? '';
  const round = FIT_ROUND.exec(text)?.[0] ?? '';
  const rest = text.slice(round.length);
  return `${round}${withoutPlainError(rest)}`;
}

/** A tolerance, readably: 1e-4, 2.4e-5 (not 0.00002384185791015625), 0.05; two significant digits. */
export function fmtTol(x: number): string {
  const two = Number(x.toPrecision(2));
  return x === 0 || x >= 0.01 ? String(two) : two.toExponential();
}

/** The run's configs as its results describe them; with the run's policy, N as its rows ran it (--steps: agreeStepsOf). */
export function describeConfigs(configs: BenchConfig[], policy?: Pick<Policy, 'agreeSteps'>): BenchResult['configs'] {
  return configs.map((c) => ({
    id: c.id, title: c.title, inputs: c.inputs, batch: c.batch, loss: c.loss, lr: c.lr, agreeSteps: policy ? agreeStepsOf(c, policy) : c.agreeSteps, rtol: c.rtol, atol: c.atol,
    layers: c.layers.map((l) => `${l.units} ${l.activation}${l.bias === 'per-unit' ? '' : ` (bias ${l.bias})`}`).join(', '),
    flopsPerStep: flopsPerStep(c),
    runFlopsPerStep: runFlopsPerStep(c),
    data: c.data.kind,
  }));
}

const fmtRatio = (x: number | undefined): string => (x === undefined ? '—' : x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);

/**
 * A target's ratio as fmtRatio writes it, with more decimals where that rounding would land on the other side of the
 * target (1.9919 against 2 reads "1.992×", not "2.00×" beside "not met").
 */
export function targetRatio(got: number, want: number): string {
  const text = fmtRatio(got);
  if ((Number(text.slice(0, -1)) >= want) === (got >= want)) return text;
  for (let d = 3; d < 12; d++) {
    const more = got.toFixed(d);
    if ((Number(more) >= want) === (got >= want)) return `${more}×`;
  }
  return `${got}×`;
}
/** A loss to float32's precision, 7 significant digits (the tables' loss after N). */
export const fmtLoss = (x: number | undefined): string => (x === undefined ? '—' : x.toPrecision(7));

/**
 * The parameter check's sentence, only where it ran: not in a run of config e or f alone, nor under a runner without
 * Driver.params, nor in a run before 2026-12-06 (fair-run-46 and before: judged on the loss alone) rendered again.
 * Its reference: the loss's (`ref = …`); in a run of several page loads with ours-cpu, ours-cpu's in every load (the
 * later loads ran it as the reference alone: measure.ts RunPlan.oracleReference); where a row's parameters were judged
 * against another row than its loss (a run before that, fair-run-52 among them: each later load's first row with a
 * loss; or one whose reference-only ours-cpu failed), those references, named.
 */
function paramsNote(rows: Row[], env: RunEnv): string {
  const judged = rows.filter((r) => r.paramsAgreement);
  if (!judged.length) return '';
  const scope = ', on nets of at most 2²² (within rtol·max|θ_ref| + atol: bench/agree-params.ts).';
  const other = [...new Set(judged.filter((r) => r.agreement && refLabel(r.paramsAgreement!, env) !== refLabel(r.agreement, env)).map((r) => refLabel(r.paramsAgreement!, env)))];
  if (other.length) {
    const why = rows.some((r) => r.system === 'ours-cpu') ? 'not ours-cpu (a run made before the later loads ran ours-cpu as the reference alone, 2026-12-06, or one where that ours-cpu failed)' : 'ours-cpu not being in the run';
    return ` Every parameter after N is compared too${scope} The page loads without an ours-cpu row judged their rows' parameters against their own first row with a loss, ${other.join(', ')}, ${why}.`;
  }
  const loads = env.wasmPasses?.length ?? 1;
  if (loads > 1 && judged.every((r) => r.paramsAgreement!.ref === 'ours-cpu')) {
    return ` Every parameter after N is compared too, against ours-cpu's in every page load (the ${loads - 1 > 1 ? `${loads - 1} later loads` : 'later load'}, without an ours-cpu row, ran it as the reference alone: its N steps and parameters, untimed, no row)${scope}`;
  }
  return ` Every parameter after N is compared too${scope}`;
}

/** The agreement reference's row label: its system, with its variant or its thread count where the row had one. */
export function refLabel(a: Pick<NonNullable<Row['agreement']>, 'ref' | 'refVariant' | 'refThreads'>, env?: Pick<RunEnv, 'webgpu'>): string {
  return rowLabel({ system: a.ref, variant: a.refVariant, threads: a.refThreads }, env);
}

/** A target's own side: its row label, with its count where the peer's is another or none (config e: `ours-wasm (2 threads)`). */
export function targetOwn(t: TargetCheck, env?: Pick<RunEnv, 'webgpu'>): string {
  return `${rowLabel({ system: t.system, variant: t.variant }, env)}${t.systemThreads !== undefined ? ` (${countLabel(t.system, t.systemThreads)})` : ''}`;
}

/** The heads of a run's target verdicts: the Markdown's targets table and the bench page's (table.ts targetTable). */
export const TARGET_HEAD = ['target', 'wanted', 'measured', 'met'] as const;

/** A met time-to-accuracy target's measured cell where the peer never reached the goal (no finite ratio). */
export const NEVER_REACHED = '∞ (the peer never reached the goal)';

/** One target's verdict as the Markdown and the bench page word it (targetVerdicts). */
export interface TargetVerdict {
  /** `qe-adam: ours-wasm vs jax-wasm (both 1) (time to accuracy)`: the config, our row, the peer and their counts. */
  target: string;
  /** `≥ 2×` */
  wanted: string;
  /** targetRatio's `1.29×`; NEVER_REACHED where ours reached config e's goal and the peer did not; else `—` (no ratio). */
  measured: string;
  met: 'yes' | 'no';
}

/**
 * A run's target verdicts, one a target in the run's order, in the words of the Markdown's targets table, which the
 * bench page shows too (one wording: `markdown` and table.ts `targetTable` both take it from here). None for a run
 * without targets.
 */
export function targetVerdicts(result: Pick<BenchResult, 'targets' | 'env' | 'goals'>): TargetVerdict[] {
  return result.targets.map((t) => ({
    target: `${t.config}: ${targetOwn(t, result.env)} vs ${t.versus}${t.threads !== undefined ? ` (both ${t.threads})` : t.versusThreads !== undefined ? ` (vs ${countLabel(t.versus, t.versusThreads)})` : ''}${result.goals?.[t.config] !== undefined ? ' (time to accuracy)' : ''}`,
    wanted: `≥ ${t.want}×`,
    measured: measuredText(t),
    met: t.met ? 'yes' : 'no',
  }));
}

/**
 * A target's measured ratio as the targets table and the terminal's `target …` line write it: targetRatio's `1.29×`;
 * NEVER_REACHED where ours reached config e's goal and the peer did not — got is Infinity in the run (epochs.ts
 * timeToAccuracy), null once written as JSON (latest.json): it read 'Infinity×', or '—' beside 'yes' from the JSON —;
 * else `—` (no ratio).
 */
export function measuredText(t: Pick<TargetCheck, 'got' | 'want' | 'met'>): string {
  return t.got !== null && Number.isFinite(t.got) ? targetRatio(t.got, t.want) : t.met ? NEVER_REACHED : '—';
}

/**
 * What the targets table's time-to-accuracy lines compare, where one of the run's targets is a time-to-accuracy one (its
 * config has a goal: the rows targetVerdicts marks "(time to accuracy)"); else null — a run whose targets are all
 * steps/s ones said it under them too, whenever the run had goals.
 */
export function targetsNote(result: Pick<BenchResult, 'targets' | 'goals'>): string | null {
  return result.targets.some((t) => result.goals?.[t.config] !== undefined) ? 'Time-to-accuracy targets: the fastest peer\'s seconds to the goal ÷ our fastest system\'s (≥ 2×: ours in at most half the time); a row with a thread or worker count only against rows of the same count or of none, one line per count.' : null;
}

/** A ratio cell; against a peer row whose count the row does not share (ours-webgpu vs jax-wasm), that count. */
export function ratioCell(r: Row, peer: SystemId): string {
  const x = r.ratios?.[peer];
  const vt = r.ratioThreads?.[peer];
  return x !== undefined && vt !== undefined && vt !== r.threads ? `${fmtRatio(x)} (vs ${countLabel(peer, vt)})` : fmtRatio(x);
}

/**
 * The reference the agreement was judged against (protocol.ts agree): ours-cpu, the CPU oracle, where it ran; else
 * the config's first row with a loss — named, per config where they differ.
 */
function agreementRef(rows: Row[], env: RunEnv): string {
  const byConfig = new Map<string, string>();
  for (const r of rows) if (r.agreement && !byConfig.has(r.config)) byConfig.set(r.config, refLabel(r.agreement, env));
  const other = [...byConfig].filter(([, ref]) => ref !== 'ours-cpu');
  if (!other.length) return 'ref = ours-cpu';
  const refs = [...new Set(other.map(([, ref]) => ref))];
  if (other.length === byConfig.size && refs.length === 1) return `ref = ${refs[0]} (ours-cpu was not in the run: the first row with a loss)`;
  return `ref = ours-cpu, or where it did not run the first row with a loss: ${other.map(([c, ref]) => `${c} ${ref}`).join(', ')}`;
}

function statusOf(r: Row): string {
  if (r.status === 'error') return `ERROR ${errorText(r.error)}`;
  // A stopped run's rows not run say so here; other skipped rows say why in the JSON (the row's error).
  if (r.status === 'skipped') return isStopped(r) ? `skipped: ${STOPPED_REASON}` : 'skipped';
  const a = r.agreement;
  const agreeText = a ? (isReference(r) ? 'ref' : `${a.relErr.toExponential(1)}`) : '';
  // A loss within tolerance whose parameters are not (bench/agree-params.ts): the cell says which failed.
  const p = offOnParamsAlone(r);
  if (r.status === 'wrong' && p) return `WRONG ${agreeText}, params off ${p.absErr.toExponential(1)}`;
  // Epoch 1 agrees, a later epoch does not (protocol.ts offAfterEpoch1, as summarize's failure): the cell names the epoch.
  const later = offAfterEpoch1(a);
  if (r.status === 'wrong' && later) return `WRONG ${agreeText}, epoch ${later.offAt} off`;
  return r.status === 'wrong' ? `WRONG ${agreeText}` : agreeText;
}

interface Column {
  head: string;
  cell: (r: Row) => string;
  right?: boolean;
}

/**
 * An uncapped, calibrated row whose median repetition lasted under half the target (policy.targetRepMs): its
 * calibration stopped short (protocol.ts step 3) or the system sped up after it. Its ms/step carries more of each
 * call's fixed cost (the loss read back) than the other rows'. Not with --rep-steps (no target then).
 */
export function shortReps(r: Row, policy: Policy): boolean {
  return r.repMs !== undefined && !r.capped && policy.fixedStepsPerRep === undefined && r.repMs.median < policy.targetRepMs / 2;
}

/** The reps×steps cell's marks: `*` capped, `†` repetitions under half the target (shortReps). */
const SHORT_MARK = '†';
/**
 * A row timed while the bench page's tab was hidden (Row.hiddenReps: page/hidden.ts): the page's time/step and fit
 * time, the Markdown's reps×steps, its note under the table and the page's status line (page/table.ts doneLine).
 */
export const HIDDEN_MARK = '‡';
/** How much of a row's timed work the tab was hidden during: '1 of 10 timed repetitions', '1 of 3 fits'. */
const hiddenCount = (r: Row): string => (isFitRow(r) ? `${r.hiddenReps} of ${plural(r.fits?.length ?? 1, 'fit')}` : `${r.hiddenReps} of ${plural(r.reps ?? 0, 'timed repetition')}`);
export const HIDDEN_WORDS = 'the tab was hidden during some of its timed repetitions or fits (the JSON\'s hiddenReps): a browser throttles a hidden tab, so its times may be slower than in front — rerun with the tab in front';

/**
 * Whether a run table has the step columns (time/step … reps×steps, `vs X`) — the Markdown's, the terminal's and the
 * page's (table.ts, on the run's planned rows): not for a run of fit configs alone (e, qe: no row timed in steps): they
 * were columns of dashes, its `vs X` ratios too. The Markdown's note under the table explains them only where they stand.
 */
export const hasStepColumns = (rows: readonly Pick<Row, 'config' | 'epochs'>[]): boolean => rows.some((r) => !isFitRow(r)) || rows.length === 0;

function columns(rows: Row[], policy: Policy, env: RunEnv): Column[] {
  const stepped = hasStepColumns(rows);
  const step = (c: Column): Column[] => (stepped ? [c] : []);
  const cols: Column[] = [
    { head: 'config', cell: (r) => r.config },
    { head: 'system', cell: (r) => rowLabel(r, env) },
    ...step({ head: 'time/step median', cell: (r) => (r.msPerStep ? fmtMs(r.msPerStep.median) : '—'), right: true }),
    ...step({ head: 'min–max', cell: (r) => (r.msPerStep ? `${fmtMs(r.msPerStep.min)}–${fmtMs(r.msPerStep.max)}` : '—'), right: true }),
    ...step({ head: 'steps/s', cell: (r) => fmtNum(r.stepsPerSec), right: true }),
    ...step({ head: 'examples/s', cell: (r) => fmtNum(r.examplesPerSec), right: true }),
    ...step({ head: 'GFLOP/s', cell: (r) => fmtNum(r.gflops), right: true }),
    ...step({ head: 'GPU time/step', cell: (r) => (r.gpuMsPerStep ? fmtMs(r.gpuMsPerStep.median) : '—'), right: true }),
    ...step({ head: 'reps×steps', cell: (r) => (r.reps ? `${r.reps}×${r.stepsPerRep}${r.capped ? '*' : ''}${shortReps(r, policy) ? SHORT_MARK : ''}${r.hiddenReps ? HIDDEN_MARK : ''}` : '—'), right: true }),
    { head: lossHead(rows), cell: (r) => fmtLoss(r.finalLoss), right: true },
    { head: 'rel. err', cell: statusOf },
  ];
  if (stepped) for (const tf of peersIn(rows)) cols.push({ head: `vs ${tf}`, cell: (r) => ratioCell(r, tf), right: true });
  return cols;
}

/**
 * The peers with a row in `rows`: a `vs X` ratio column each (the Markdown, the terminal and the page's table, which
 * passes the rows its run will have, one a system, so that its columns stand from Run on).
 */
export const peersIn = (rows: readonly Pick<Row, 'system'>[]): SystemId[] => PEER_SYSTEMS.filter((s) => rows.some((r) => r.system === s));

export function terminalTable(result: BenchResult): string {
  const cols = columns(result.rows, result.policy, result.env);
  const cells = result.rows.map((r) => cols.map((c) => c.cell(r)));
  const width = cols.map((c, k) => Math.max(c.head.length, ...cells.map((row) => [...row[k]].length)));
  const pad = (s: string, k: number): string => (cols[k].right ? s.padStart(width[k]) : s.padEnd(width[k]));
  const lines = [cols.map((c, k) => pad(c.head, k)).join('  '), width.map((w) => '─'.repeat(w)).join('  ')];
  let last = '';
  for (const [i, row] of cells.entries()) {
    if (last && result.rows[i].config !== last) lines.push('');
    last = result.rows[i].config;
    lines.push(row.map((s, k) => pad(s, k)).join('  '));
  }
  return lines.join('\n');
}

/**
 * A WebGPU adapter's names as a run's env records them (env.webgpu, jax-js's webgpuAdapter): vendor, architecture,
 * device, and as adapterDescription the adapter's description, else its device name. NOTE: Chromium fills device and
 * description only with --enable-webgpu-developer-features, which npm run bench passes (measured, headless Chromium
 * 156 on SwiftShader: '0xc0de' and 'SwiftShader Device (Subzero)' with it, '' and '' without): a page in a plain
 * browser is named by vendor and architecture alone ('google swiftshader'), and envLine says why.
 */
export function adapterNames(info: { vendor: string; architecture: string; device: string; description: string }): { vendor: string; architecture: string; device: string; adapterDescription: string } {
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, adapterDescription: info.description || info.device };
}

/**
 * Lines "d-mse ours-webgpu: 812 GFLOP/s = 1.6% of the 51 000 GFLOP/s float32 peak" for configs d and f, with --peak-gflops;
 * each row by its rowLabel (`ours-webgpu (tiled)` in a run of --webgpu-variants, `ours-webgpu (auto: tiled)`, the wasm rows' counts).
 * A row of ours on a net (not the bare matmul) also gets its share on the FLOPs its step runs (runShare).
 */
export function peakLines(result: BenchResult): string[] {
  const peak = result.peakGflops;
  const gpu = !peak ? [] : result.rows
    .filter((r) => (r.config.startsWith('d') || r.config.startsWith('f')) && r.gflops)
    .map((r) => `${r.config} ${rowLabel(r, result.env)}: ${fmtNum(r.gflops)} GFLOP/s = ${((100 * r.gflops!) / peak).toPrecision(3)}% of the ${peak} GFLOP/s float32 peak${runShare(result, r, peak)}`);
  return [...gpu, ...wasmPeakLines(result)];
}

/**
 * "; on the FLOPs its step runs (no δ for the inputs): 30 GFLOP/s = 75%" for a row of ours whose config's step runs
 * fewer FLOPs than the GFLOP/s column counts (configs.ts runFlopsPerStep: 5/6 on d and f); '' for the peers (their
 * autodiff's work is theirs to say), the bare matmul and results written before runFlopsPerStep.
 */
function runShare(result: BenchResult, r: Row, peak: number): string {
  // NOTE: configs?.: a caller may pass rows alone (the peak lines of a result assembled by hand).
  const c = result.configs?.find((x) => x.id === r.config);
  if (!r.system.startsWith('ours-') || !c?.runFlopsPerStep || c.runFlopsPerStep === c.flopsPerStep) return '';
  const run = (r.gflops! * c.runFlopsPerStep) / c.flopsPerStep;
  return `; on the FLOPs its step runs (no δ for the inputs): ${fmtNum(run)} GFLOP/s = ${((100 * run) / peak).toPrecision(3)}%`;
}

/**
 * Lines "d-mse ours-wasm: 36 GFLOP/s = 90% of the 40 GFLOP/s wasm FMA peak (1 thread); on the FLOPs its step runs (no δ
 * for the inputs): 30 GFLOP/s = 75%": every ours-wasm row against the peak the page measured, on the GFLOP/s column's
 * count and on what the step runs (configs.ts runFlopsPerStep; the count alone passed 100 % on q-ce, whose first layer
 * is nearly all its work). Results written before runFlopsPerStep give the first share alone.
 */
export function wasmPeakLines(result: BenchResult): string[] {
  const w = result.env.wasm as { peakGflops?: number; threads?: number; simd?: string } | undefined;
  const peak = w?.peakGflops;
  if (!peak) return [];
  return result.rows
    .filter((r) => r.system === 'ours-wasm' && r.gflops)
    .map((r) => {
      const p = r.wasmPeakGflops ?? peak;
      const t = r.threads ?? w.threads;
      return `${r.config} ours-wasm: ${fmtNum(r.gflops)} GFLOP/s = ${((100 * r.gflops!) / p).toPrecision(3)}% of the ${fmtNum(p)} GFLOP/s wasm ${w.simd} FMA peak (${t} thread${t === 1 ? '' : 's'}${netOn({ threads: t, netThreads: r.netThreads })})${runShare(result, r, p)}`;
    });
}

/** How config e's fits (--fits) ran: in rounds of page loads (npm run bench) or round-robin in one page. */
export const fitsHow = (p: Policy): string => (p.fitRounds ? 'each in page loads of its own (--fits: a round of page loads a fit)'
  // NOTE: in one page a peer's later fits reuse what its first compiled (README, --fits): said where the figures are.
  : 'round-robin across the systems in one page, where a peer\'s later fits reuse what its first compiled (--fits)');

/**
 * How the rows of configs a–d were timed: repetitions, their calibrated length or fixed steps, the cap rule's budget;
 * and config e's fits. `ran.steps` false (config e alone: no row timed in repetitions): config e's part alone.
 */
export function policyLine(p: Policy, ran: { repMs: boolean; fit: boolean; steps?: boolean } = { repMs: true, fit: true }): string {
  const fits = (p.fits ?? 1) > 1 ? `config e: ${p.fits} fits per system, ${fitsHow(p)}, each row the median of its fits` : 'config e: one fit per system, the systems one after another';
  // Config e alone times no repetitions: the calibration rule (and, without repMs, the rule before 2026-12-03) is not its.
  if (ran.steps === false) return `Timing: ${fits}.`;
  const calibration = ran.repMs
    ? `their steps calibrated toward ${p.targetRepMs} ms (a warm-up call of that many lasted ≥ ${p.targetRepMs / 2} ms at a steady speed after a warm-up, or a calibration bound was hit: at most ${p.maxStepsPerRep} steps; \`†\`: a median repetition under ${p.targetRepMs / 2} ms)`
    // Results written before 2026-12-03 (no repMs): one calibration call sized the repetitions.
    : `their steps calibrated toward ${p.targetRepMs} ms from the first warm-up call that lasted ≥ ${p.targetRepMs / 2} ms (the rule before 2026-12-03; at most ${p.maxStepsPerRep} steps)`;
  const length = p.fixedStepsPerRep !== undefined
    ? `${p.fixedStepsPerRep} steps each (--rep-steps: no calibration, no cap rule)`
    // A capped row never runs more than --reps (protocol.ts prepareRow): with --reps 1, one repetition, not max(2, …).
    : `${calibration}; a row whose repetitions would take over ${p.rowBudgetMs / 1000} s gets ${p.reps < p.minReps ? plural(p.reps, 'repetition') : `max(${p.minReps}, ⌊${p.rowBudgetMs / 1000} s / step time⌋) repetitions`} of one step (\`*\`)`;
  return `Timing: ${plural(p.reps, 'timed repetition')} a row, ${length}${ran.fit ? `; ${fits}` : ''}.`;
}

export function markdown(result: BenchResult): string {
  const cols = columns(result.rows, result.policy, result.env);
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const out: string[] = [];
  out.push(`# Benchmark: ${result.mode} run, ${result.date}${result.stopped ? ' (stopped: a partial run)' : ''}`, '');
  const notRun = result.rows.filter(isStopped).length;
  if (result.stopped) out.push(`**Stopped**: the run was stopped before it finished (the bench page's Stop), ${plural(notRun, 'row')} not run (\`${STOPPED_REASON}\` in the table; \`"stopped": true\` in the JSON); no target is judged from a row that did not run.`, '');
  const hidden = result.rows.filter((r) => r.hiddenReps);
  if (hidden.length) out.push(`**Tab hidden** (\`${HIDDEN_MARK}\`): ${hidden.map((r) => `${r.config} ${rowLabel(r, result.env)} (${hiddenCount(r)})`).join(', ')}: ${HIDDEN_WORDS}.`, '');
  out.push(envLine(result.env), '');
  // A run whose every row was skipped (config f on a software GPU) agreed on nothing: it says so, as the page's status line.
  const skips = result.rows.filter((r) => r.status === 'skipped').length;
  const agreed = result.rows.some((r) => r.status === 'ok') ? 'every system agreed' : `nothing ran${skips ? ` (${skips} skipped)` : ''}`;
  out.push(`Command: \`${result.command}\` · ${fmtSeconds(result.seconds)} · ${result.ok ? agreed : `FAILED: ${result.failures.join('; ')}`}`, '');
  // Results written before the policy was recorded (and hand-built test results) have none.
  if (result.policy) out.push(policyLine(result.policy, { repMs: result.rows.some((r) => r.repMs), fit: result.rows.some(isFitRow), steps: !result.rows.every(isFitRow) }), '');
  out.push('| config | layers | batch | loss | lr | N | tolerance | FLOP/step |', '|---|---|---|---|---|---|---|---|');
  for (const c of result.configs) {
    const m = matmulShapeOf(c.id);
    // A bare matmul has no net, loss, learning rate or N (one product, the same at any N): its shapes, and C[0][0]'s tolerance.
    if (m) out.push(`| ${c.id} | bare matmul (${m.R}×${m.K})·(${m.K}×${m.C}) | — | — | — | — | C[0][0]: rtol ${fmtTol(c.rtol)} | ${fmtNum(c.flopsPerStep)} |`);
    else out.push(`| ${c.id} | ${c.inputs} → ${esc(c.layers)} | ${c.batch} | ${c.loss} | ${c.lr} | ${c.agreeSteps} | rtol ${fmtTol(c.rtol)} + atol ${fmtTol(c.atol)} | ${fmtNum(c.flopsPerStep)} |`);
  }
  const matmuls = result.configs.filter((c) => matmulShapeOf(c.id)).map((c) => c.id);
  if (matmuls.length) out.push('', matmulNote(matmuls));
  out.push('');
  out.push(`| ${cols.map((c) => c.head).join(' | ')} |`, `|${cols.map((c) => (c.right ? '---:' : '---')).join('|')}|`);
  for (const r of result.rows) out.push(`| ${cols.map((c) => esc(c.cell(r))).join(' | ')} |`);
  out.push('');
  const short = result.rows.filter((r) => shortReps(r, result.policy));
  const shortNote = short.length
    ? ` \`${SHORT_MARK}\`: the median repetition lasted under half the ${result.policy.targetRepMs} ms target (${short.map((r) => `${r.config} ${rowLabel(r, result.env)} ${fmtMs(r.repMs!.median)}`).join(', ')}): calibration stopped short or the system sped up after it, so its ms/step carries more of each call's fixed cost; each row's \`repMs\` (the repetitions' wall time) is in the JSON.`
    : '';
  // The step columns' sentences (reps×steps, vs X, the round-robin) only where the table has them (hasStepColumns):
  // under a run of fit configs alone they explained columns it no longer has.
  const stepped = hasStepColumns(result.rows);
  out.push(`${stepped ? `\`reps×steps\`: timed repetitions × steps per repetition (\`*\`: capped, see bench/protocol.ts).${shortNote} ` : ''}\`rel. err\`: |loss − ref| / |ref| after N steps, ${agreementRef(result.rows, result.env)}.${paramsNote(result.rows, result.env)}` + (stepped ? ' `vs X`: steps/s ÷ X\'s steps/s, wasm rows only against X\'s row of the same thread count; `(vs 1 worker)`: against that row of X. Repetitions ran round-robin across a config\'s systems; each row\'s `times` are in the JSON.' : '')
    + (result.rows.some((r) => r.system === 'jax-wasm' && r.threads === 0) ? ` \`jax-wasm (0 workers: its main thread)\`: ${result.env.crossOriginIsolated === false ? 'not cross-origin isolated, ' : '--jax-wasm-workers 0 (or jaxWorkers=0): '}jax-js has no worker pool and runs each kernel on the page's main thread, one thread of compute, so it is paired with the 1-thread rows.` : '')
    + (result.rows.some((r) => r.variant !== undefined) ? ` \`ours-webgpu (V)\`: ours-webgpu with kernel variant V (--webgpu-variants), its rows in the same round-robin; \`auto\` is the engine's choice for this adapter (${String(result.env.webgpu?.variant ?? 'unknown')}), and only its row (or the only one) is held to the targets.` : ''));
  const verdicts = targetVerdicts(result);
  if (verdicts.length) {
    out.push('', `| ${TARGET_HEAD.join(' | ')} |`, '|---|---:|---:|---|');
    for (const v of verdicts) out.push(`| ${v.target} | ${v.wanted} | ${v.measured} | ${v.met} |`);
    const note = targetsNote(result);
    if (note) out.push('', note);
  }
  const peak = peakLines(result);
  if (peak.length) out.push('', ...peak.map((l) => `- ${l}`));
  out.push(...epochsMarkdown(result.rows, result.configs, result.goals ?? {}, (r) => rowLabel(r, result.env), result.policy ? fitsHow(result.policy) : undefined));
  const kernels = result.rows.filter((r) => r.inspect && Array.isArray(r.inspect.kernels));
  if (kernels.length) {
    out.push('', '## ours-webgpu, one step split into one timed pass per dispatch', '');
    for (const r of kernels) {
      const ks = r.inspect!.kernels as { label: string; count: number; us: number; bytes: number; workgroups: number }[];
      const total = ks.reduce((s, k) => s + k.us, 0);
      out.push(`**${r.config}**${r.variant !== undefined ? ` ${rowLabel(r, result.env)}` : ''} — ${r.inspect!.dispatchesPerStep} dispatches, ${fmtMs(total / 1000)} GPU (timed per dispatch; the unsplit step: ${r.gpuMsPerStep ? fmtMs(r.gpuMsPerStep.median) : '—'})`, '');
      out.push('| dispatch | GPU µs | share | bytes bound | workgroups |', '|---|---:|---:|---:|---:|');
      for (const k of ks) out.push(`| ${esc(k.label)} | ${k.us.toFixed(1)} | ${((100 * k.us) / total).toFixed(0)}% | ${fmtNum(k.bytes)} | ${k.workgroups} |`);
      out.push('');
    }
  }
  const tfInfo = result.rows.filter((r) => r.inspect && typeof r.inspect.kernelsPerStep === 'number');
  if (tfInfo.length) {
    out.push('', '## TF.js per step (tf.profile of one step)', '', '| config | system | kernels | tensors allocated | GPU ms/step (tf.time) |', '|---|---|---:|---:|---:|');
    for (const r of tfInfo) {
      const i = r.inspect!;
      out.push(`| ${r.config} | ${r.system} | ${i.kernelsPerStep} | ${i.tensorsAllocatedPerStep} | ${typeof i.gpuMsPerStep === 'number' ? fmtMs(i.gpuMsPerStep) : '—'} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * A run's files' texts, as `npm run bench` writes them (bench/output.ts: NAME.json, .md, .svg, and -tta.svg when
 * ttaSvg drew a chart) and the bench page offers them for download: the steps/s chart for every run, as the runner
 * writes it (a run of config e alone: its axes and environment, no bar).
 */
export function outputTexts(result: BenchResult): { json: string; md: string; svg: string; tta: string | null } {
  return { json: `${JSON.stringify(result, null, 2)}\n`, md: markdown(result), svg: svgChart(result), tta: ttaSvg(result) };
}

/**
 * The time-to-accuracy chart (config e, or the quick run's qe: its title says which), or null when the run had no e
 * rows of more than one epoch (epochsSvg).
 */
export function ttaSvg(result: BenchResult): string | null {
  // The configs of the panels drawn (epochsSvg: rows of more than one epoch).
  const groups = [...new Set(result.rows.filter((r) => (r.epochs?.length ?? 0) > 1).map((r) => (r.config.startsWith('qe') ? 'qe' : 'e')))];
  const which = `config${groups.length > 1 ? 's' : ''} ${groups.join(' and ') || 'e'}`;
  return epochsSvg(result.rows, result.configs, result.goals ?? {}, `test accuracy vs seconds (${which}) — ${result.mode} run ${result.date.slice(0, 10)}`, (r) => rowLabel(r, result.env), envLine(result.env));
}
