/**
 * What the bench page's table, status line and environment block say, as plain strings, and the result its charts are
 * drawn from while a run goes on (no DOM: test/bench-report.test.ts, test/bench-page.test.ts and, for config e's rows,
 * test/bench-tta.test.ts check them in Node; ./ui.ts puts them on the page). Config e's rows (time to accuracy) have no ms/step: they show the test
 * accuracy, the fit's seconds (total, epoch 1 with its compiles, the later epochs' mean) and the time to the goal.
 */
import { offOnParamsAlone } from '../agree-params.ts';
import { type BenchConfig, isFitRow } from '../configs.ts';
import { firstEpochPhases, fitOrder, fitsSpread, noGoalWhy } from '../epochs.ts';
import { entrantsOf, skipReason } from '../measure.ts';
import { type Entrant, fmtMs, fmtSeconds, isReference, isStopped, type Policy, type Row, skippedRow } from '../protocol.ts';
import { type BenchResult, describeConfigs, errorText, failureText, fmtLoss, hasStepColumns, HIDDEN_MARK, HIDDEN_WORDS, outputTexts, peersIn, ratioCell, refLabel, shortReps, TARGET_HEAD, targetsNote, targetVerdicts, ttaSvg } from '../report.ts';
import { countOf, envLine, fmtNum, plural, rowLabel, type RunEnv, systemLabel } from '../labels.ts';
import { svgChart } from '../chart.ts';
import { escapeXml } from '../../src/svg.ts';
import { type SystemId, WASM_SYSTEMS, WEBGPU_SYSTEMS, type WebGpuVariant } from '../systems.ts';
import { lossHead, matmulNote, matmulShapeOf } from '../matmul-rows.ts';

/**
 * The page table's columns, each named once: `rows` the rows that fill it (fit: config e's, a fit's; step: the
 * timed-step rows, a–d, f, the bare matmul; none: every row), `number` a column of numbers, right-aligned as the
 * Markdown's so that magnitudes line up down a column; `rowHeader` a column that says what its row is (config,
 * system): the page draws its cells as row headers, so a screen reader names them with every cell of the row.
 */
interface Column {
  head: string;
  rowHeader?: boolean;
  rows?: 'fit' | 'step';
  number?: boolean;
  loss?: boolean;
  goal?: boolean;
  /** Its cells may end in the marks (rowCells: `*`, `†`, `‡`), said in words to a screen reader (cellParts). */
  marks?: boolean;
}

const COLUMNS: readonly Column[] = [
  { head: 'config', rowHeader: true },
  { head: 'system', rowHeader: true },
  { head: 'time/step (median)', rows: 'step', number: true, marks: true },
  { head: 'steps/s', rows: 'step', number: true },
  // Its head says what its rows hold (matmul-rows.ts lossHead: epoch 1's loss for e, C[0][0] for a bare matmul).
  { head: 'loss after N (e: epoch 1)', number: true, loss: true },
  { head: 'test accuracy (e)', rows: 'fit' },
  { head: 'fit time (e)', rows: 'fit', marks: true },
  { head: 'time to goal (e)', rows: 'fit', goal: true },
  { head: 'agreement' },
];
export const TABLE_HEAD: string[] = COLUMNS.map((c) => c.head);

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const sec = (x: number): string => `${x.toFixed(2)} s`;

/**
 * A fit's seconds: the total, and per epoch (epoch 1 includes uploads and compiles, so the later ones are averaged
 * apart); for ours, epoch 1's phases as fit measured them (fitPhases: data, trainer, upload, the batches, validation).
 */
function fitTime(r: Row): string {
  const e = r.epochs;
  if (!e?.length) return '—';
  const total = e[e.length - 1].at;
  const first = firstEpochPhases(r.fitPhases ?? []).map((p) => `${p.phase === 'epoch 1' ? 'batches' : p.phase.replace(/ 1$/, '')} ${Math.round(p.ms)}`);
  const phases = first.length ? ` — ${first.join(', ')} ms` : '';
  if (e.length === 1) return `${sec(total)} (1 epoch${phases})`;
  return `${sec(total)} (epoch 1 ${sec(e[0].at)}${phases}, then ${sec((total - e[0].at) / (e.length - 1))}/epoch)`;
}

/** The last epoch's test accuracy, with the epoch count. */
export function testAccuracy(r: Row): string {
  const e = r.epochs;
  if (!e?.length) return '—';
  return `${pct(e[e.length - 1].testAccuracy)} after ${e.length} epoch${e.length > 1 ? 's' : ''}`;
}

/** The agreement cell: against which system (ours-cpu, or the first with a loss when ours-cpu did not run: protocol.ts agree). */
function agreementCell(r: Row, a: NonNullable<Row['agreement']>, env?: Pick<RunEnv, 'webgpu'>): string {
  if (isReference(r)) return a.ok ? 'reference (the others are judged against it)' : `WRONG (the reference, loss ${r.finalLoss})`;
  const p = offOnParamsAlone(r);
  const params = !a.ok && p ? `; its parameters off ${refLabel(p, env)}'s by ${p.absErr.toExponential(1)}` : '';
  // Config e: epoch 1 within tolerance, a later epoch not (bench/agree-epochs.ts).
  const later = a.later?.ok === false ? `; epoch ${a.later.offAt} off: its loss rel. err up to ${a.later.relErr.toExponential(1)}, test accuracy up to ${a.later.examplesOff} test examples` : '';
  return `${a.ok ? 'agrees with' : 'WRONG vs'} ${refLabel(a, env)} (rel. err ${a.relErr.toExponential(1)}${params}${later})`;
}

/**
 * One table row's cells, in TABLE_HEAD's order (the system with its thread or worker count, and with the run's `env`
 * the kernels ours-webgpu's `auto` row ran, as the Markdown names it: labels.ts rowLabel). With the run's policy, the
 * ms/step carries the Markdown's marks: `*` capped, `†` repetitions under half the target (report.ts); it and a
 * fit's time `‡` where the tab was hidden during the row's timed work (Row.hiddenReps: bench/page/hidden.ts).
 */
export function rowCells(r: Row, policy?: Policy, env?: Pick<RunEnv, 'webgpu'>): string[] {
  const hidden = r.hiddenReps ? HIDDEN_MARK : '';
  const marks = `${r.capped ? '*' : ''}${policy && shortReps(r, policy) ? '†' : ''}${hidden}`;
  // One prefix: errorText leaves out a plain Error's "Error: " (it read "error: Error: jax-js could not start …").
  const agreement = r.status === 'skipped' ? `skipped: ${r.error}` : r.status === 'error' ? `error: ${errorText(r.error)}`
    : r.agreement ? agreementCell(r, r.agreement, env) : '…';
  const goal = r.timeToAccuracy === undefined ? '—' : `${r.timeToAccuracy === null ? 'not reached' : sec(r.timeToAccuracy)}${fitsSpread(r)}`;
  // The steps/s and the loss as the Markdown writes them (labels.ts fmtNum, report.ts fmtLoss: 5.43M, 0.1419940).
  return [r.config, rowLabel(r, env), r.msPerStep ? `${fmtMs(r.msPerStep.median)}${marks}` : '—', fmtNum(r.stepsPerSec),
    fmtLoss(r.finalLoss), testAccuracy(r), r.epochs?.length ? `${fitTime(r)}${hidden}` : fitTime(r), goal, agreement];
}

/**
 * What a run will run, known when Run is pressed (the page's request, RunRequest): its configs in run order, its
 * systems, ours-webgpu's kernel variants (one row each: measure.ts entrantsOf), and whether it runs config f on a
 * fallback adapter (npm run bench --gpu-sized-on-fallback): which rows it will skip (measure.ts skipReason).
 */
export interface TablePlan {
  configs: readonly BenchConfig[];
  systems: readonly SystemId[];
  webgpuVariants?: readonly WebGpuVariant[];
  gpuSizedOnFallback?: boolean;
}

/** What pageTable draws the rows with; each described there. */
export interface TableOptions {
  policy?: Policy;
  env?: Pick<RunEnv, 'webgpu' | 'wasm' | 'jax' | 'tfjs'> & Pick<Partial<RunEnv>, 'runner'>;
  goals?: Record<string, number>;
  plan?: TablePlan;
  /** The run failed (ui.ts start's catch): the plan's rows still to come will not come, and say "not run". */
  failed?: boolean;
}

/** The page's results table (pageTable), as ui.ts renderRows draws it. */
export interface PageTable {
  head: string[];
  body: string[][];
  /** Under the table: the marks' meanings (*, †, ‡), a config without a goal, the bare matmul's loss. */
  note: string;
  /** Which columns are numbers: right-aligned. */
  right: boolean[];
  /** Which columns' cells may end in a mark (`*`, `†`, `‡`): drawn with cellParts. */
  marked: boolean[];
  /** Which columns are row headers (`<th scope="row">`): the config and the system, what a row is. */
  rowHeader: boolean[];
  /** What the table is (its `<caption>`): a screen reader says it on entering the table. */
  caption: string;
}

/** What each mark of a time/step cell (rowCells) stands for, in the words of the note under the table. */
// NOTE: not "short repetitions" for †: those are the words of the form's quick checkbox, a whole run's choice.
const MARK_WORDS: Readonly<Record<string, string>> = { '*': 'capped', '†': 'repetitions under half the target', [HIDDEN_MARK]: 'timed while the tab was hidden' };

/** A piece of a cell as the page draws it (cellParts): text, or a mark that is seen and not read, with the words read instead. */
export type CellPart = { text: string } | { mark: string; said: string };

/**
 * A marked column's cell (PageTable.marked) in pieces: its text, then each mark at its end apart, with the words a
 * screen reader reads in its place (" (repetitions under half the target)"): ui.ts draws a mark hidden from it (aria-hidden) and the
 * words visually hidden. A bare "†" was read as "dagger", or not at all, and "*" as "star".
 */
export function cellParts(text: string): CellPart[] {
  const marks = /[*†‡]+$/.exec(text)?.[0] ?? '';
  const rest = text.slice(0, text.length - marks.length);
  return [...(rest ? [{ text: rest }] : []), ...[...marks].map((mark) => ({ mark, said: ` (${MARK_WORDS[mark]})` }))];
}

/** The results table's caption. */
export const TABLE_CAPTION = "The run's results: a row for each config on each system";

/**
 * A row still to come: its config and system (rowLabel, with the wasm count its row will carry once the run's environment
 * is known: countOf; it read `ours-wasm` until its row came as `ours-wasm (1 thread)`), its state where a row's state
 * shows (the agreement column: skipped, error …), the other cells empty.
 */
function comingCells(p: Entrant & { config: string }, state: 'running…' | 'waiting' | 'not run', env?: Pick<RunEnv, 'webgpu' | 'wasm' | 'jax' | 'tfjs'>): string[] {
  return COLUMNS.map((c) => (c.head === 'config' ? p.config : c.head === 'system' ? rowLabel({ ...p, threads: countOf(p.system, env) }, env) : c.head === 'agreement' ? state : ''));
}

/**
 * The page's table: TABLE_HEAD's columns, then a `vs X` ratio column for each peer with a row (as the Markdown's:
 * report.ts ratioCell, "(vs 1 worker)" where the peer row has a count the row has not). Config e's columns only when
 * the run has a fit config, and the timed step's (time/step, steps/s) only when it has another (configs.ts isFitRow, the
 * Markdown's rule): a column of dashes in every row only pushed the agreement and ratio columns off a laptop's width;
 * for the same reason no ratio column in a run of fits alone (a fit has no steps/s to divide).
 * The loss column's head says what its rows hold (a bare matmul's C[0][0]: matmul-rows.ts lossHead). Read a cell by
 * its head, not its place.
 * `plan`: the run's configs and systems (the page: known at Run). They decide the columns, the loss head and the ratio
 * columns (a peer in the run: every system gets a row per config, skipped or erred ones too, whose ratio cells are
 * "—") from Run on, so that they do not shift as the rows come (e's appeared with the first e row, a `vs X` with X's
 * first row); and after the rows that came, in their order, a row for each planned config × system still to come:
 * "running…" in the config under way (the first with a row still to run or a fit round to go: policy.fits), "waiting"
 * in the later ones (the status line says which system runs). In a fit config the systems fit one after another
 * (epochs.ts measureFits, in fitOrder's rounds), so "running…" only in the row of the fit under way, "waiting" in the
 * config's others; a timed step's repetitions go round-robin across the systems (protocol.ts measureConfig), so every
 * row to come of its config is running. A row the run will skip (measure.ts skipReason: the run's adapter once `env`
 * is known) is drawn as it will come, "skipped: …"; every row to come says "not run" once the run has `failed`.
 * Without a plan, the rows' configs and systems, and no rows to come. `goals`: the ended run's (BenchResult.goals, {} for none; undefined while it goes on, as goals are computed
 * at its end): a fitted row of a config without one says why in its time to goal, and the note says it in full (as
 * the Markdown's e section).
 */
export function pageTable(rows: Row[], { policy, env, goals, plan, failed = false }: TableOptions = {}): PageTable {
  const planned: Pick<Row, 'config' | 'epochs'>[] = plan ? plan.configs.map((c) => ({ config: c.id })) : rows;
  const entrants = plan ? entrantsOf(plan.systems, plan.webgpuVariants) : [];
  const rowOf = (config: string, e: Entrant): Row | undefined => rows.find((r) => r.config === config && r.system === e.system && r.variant === e.variant);
  const skipOf = (c: BenchConfig, e: Entrant): string | null => skipReason(e.system, c, plan?.gpuSizedOnFallback, env);
  // A row the run will skip, as measureAll will push it (protocol.ts skippedRow): "skipped: …", the system with its count.
  const comingSkip = (c: BenchConfig, e: Entrant): Row | undefined => {
    const why = skipOf(c, e);
    const threads = countOf(e.system, env);
    return why === null ? undefined : { ...skippedRow(e, c, policy ?? {}, why), ...(threads !== undefined ? { threads } : {}) };
  };
  const coming = (plan?.configs ?? []).flatMap((c) => entrants.filter((e) => !rowOf(c.id, e)).map((e) => ({ ...e, config: c.id, skipped: comingSkip(c, e) })));
  const fits = policy?.fits ?? 1;
  const fitsToGo = (config: string): boolean => rows.some((r) => r.config === config && r.status === 'ok' && r.fits !== undefined && r.fits.length < fits);
  const underWay = plan?.configs.find((c) => coming.some((p) => p.config === c.id && !p.skipped) || fitsToGo(c.id));
  // The fit under way in a fit config: measureFits' order (fitOrder: round k every system's fit k+1, the systems it
  // runs in the run's order, as the status line names them), the first not yet in its row; an erred row fits no more.
  const fitsIn = (r: Row | undefined): number => (r === undefined ? 0 : r.status !== 'ok' ? Infinity : r.fits?.length ?? (r.epochs ? 1 : 0));
  const nextFit = (c: BenchConfig): Entrant | undefined => {
    const these = entrants.filter((e) => skipOf(c, e) === null);
    return fitOrder(these.length, fits).map(({ fit, system }) => ({ fit, e: these[system] })).find(({ fit, e }) => fitsIn(rowOf(c.id, e)) <= fit)?.e;
  };
  const fitUnderWay = underWay?.fit ? nextFit(underWay) : undefined;
  const stateOf = (p: Entrant & { config: string }): 'running…' | 'waiting' | 'not run' => {
    if (failed) return 'not run';
    if (p.config !== underWay?.id) return 'waiting';
    if (!underWay.fit) return 'running…';
    return fitUnderWay?.system === p.system && fitUnderWay.variant === p.variant ? 'running…' : 'waiting';
  };
  const fitted = planned.some(isFitRow);
  const stepped = hasStepColumns(planned);
  const keep = COLUMNS.map((c) => (c.rows === 'fit' ? fitted : c.rows === 'step' ? stepped : true));
  const kept = <T>(cells: T[]): T[] => cells.filter((_, k) => keep[k]);
  const shown = kept([...COLUMNS]);
  const head = shown.map((c) => (c.loss ? lossHead(planned, fitted) : c.head));
  // A `vs X` cell is steps/s over X's (targets.ts ratios): a fit has none, so a run of fits alone has no ratio columns
  // (every cell was "—", as its ms/step and steps/s would be).
  const peers = stepped ? peersIn(plan ? entrants : rows) : [];
  // A config's reason for having no goal, once the run has ended (epochs.ts noGoalWhy), by config.
  const noGoal = new Map<string, ReturnType<typeof noGoalWhy>>();
  if (goals) for (const r of rows) if (r.epochs?.length && goals[r.config] === undefined && !noGoal.has(r.config)) noGoal.set(r.config, noGoalWhy(rows, r.config));
  const matmuls = [...new Set(rows.filter((r) => matmulShapeOf(r.config)).map((r) => r.config))];
  const notes = [
    ...(rows.some((r) => r.capped) ? ['*: capped, repetitions of one step (the row would have passed its time budget)'] : []),
    ...(policy && rows.some((r) => shortReps(r, policy)) ? [`†: the median repetition lasted under half the ${policy.targetRepMs} ms target (the JSON's repMs)`] : []),
    ...(rows.some((r) => r.hiddenReps) ? [`${HIDDEN_MARK}: ${HIDDEN_WORDS}`] : []),
    ...[...noGoal].flatMap(([config, why]) => (why ? [`no goal for ${config}, so no time to it: ${why.text}`] : [])),
    ...(matmuls.length ? [matmulNote(matmuls)] : []),
  ];
  // A row that came while the run goes on has no ratios yet (targets.ts ratios: at the run's end, with the agreement):
  // "…", as its agreement cell, not "—", which says the peer erred or was skipped — as it is at once where the peer's
  // row of that config came so. Its own peer column is "—" throughout.
  const peerFailed = (config: string, p: SystemId): boolean => rows.some((q) => q.config === config && q.system === p && (q.status === 'skipped' || q.status === 'error'));
  const ratioToCome = (r: Row, p: SystemId): boolean => Boolean(plan) && goals === undefined && !failed
    && r.status !== 'skipped' && r.status !== 'error' && Boolean(r.stepsPerSec) && r.ratios === undefined && r.system !== p && !peerFailed(r.config, p);
  const goalCell = (r: Row, cells: string[]): string[] => {
    const why = r.epochs?.length && r.timeToAccuracy === undefined ? noGoal.get(r.config) : undefined;
    return why ? cells.map((c, k) => (COLUMNS[k].goal ? `no goal: ${why.short}` : c)) : cells;
  };
  return {
    head: [...head, ...peers.map((p) => `vs ${p}`)],
    body: [
      ...rows.map((r) => [...kept(goalCell(r, rowCells(r, policy, env))), ...peers.map((p) => (ratioToCome(r, p) ? '…' : ratioCell(r, p)))]),
      ...coming.map(({ skipped, ...p }) => (skipped && !failed ? [...kept(rowCells(skipped, policy, env)), ...peers.map((q) => ratioCell(skipped, q))]
        : [...kept(comingCells(p, stateOf(p), env)), ...peers.map(() => '')])),
    ],
    note: notes.join(' · '),
    // Which columns are numbers (the ratio columns too): right-aligned, as the Markdown's.
    right: [...shown.map((c) => c.number === true), ...peers.map(() => true)],
    rowHeader: [...shown.map((c) => c.rowHeader === true), ...peers.map(() => false)],
    marked: [...shown.map((c) => c.marks === true), ...peers.map(() => false)],
    caption: TABLE_CAPTION,
  };
}

/**
 * Why a run cannot start, or null: the form must pick at least one system and one config, and with ours-webgpu at least
 * one of its kernel variants (`variants`: how many are ticked; undefined when ours-webgpu is not picked).
 */
export function nothingToRun(configs: number, systems: number, variants?: number): string | null {
  if (configs && systems && variants === 0) return 'nothing to run for ours-webgpu: no kernel variant selected — tick at least one (auto is the engine\'s choice), or untick ours-webgpu';
  if (configs && systems) return null;
  const missing = [systems ? '' : 'system', configs ? '' : 'config'].filter(Boolean).join(' and no ');
  return `nothing to run: no ${missing} selected — tick at least one system and one config`;
}

/**
 * The environment line of a driven page (driven=1: npm run bench opens the page so) until its driver's first request
 * sets TF.js's threads, jax-js's workers and ours-wasm's threads (then envBlock's, as a page without driven=1 shows);
 * a person who typed the link may still press Run.
 */
export const DRIVEN_LINE = 'driven=1: waiting for npm run bench to hand over its run (its request sets TF.js\'s threads, jax-js\'s workers and ours-wasm\'s threads). To run the form instead, press Run: the page sets up with this link\'s counts first.';

/**
 * The status line the moment Run is pressed, in place of the last run's "done …" line until the first progress line:
 * what is starting, in the run's order (ours-webgpu's kernel variants where the run has several).
 */
export function startLine(run: { configs: readonly { id: string }[]; systems: readonly SystemId[]; webgpuVariants?: readonly string[] }): string {
  const systems = run.systems.map((s) => (s === 'ours-webgpu' && run.webgpuVariants ? `${s} (${run.webgpuVariants.join(', ')})` : s));
  return `starting: ${run.configs.map((c) => c.id).join(', ')} on ${systems.join(', ')} …`;
}

/**
 * The status line after a run: failures, or how many rows ran and agreed (skipped rows are not agreement). A system's
 * error on several configs is said once, with its configs (a browser without WebGPU: one item per WebGPU system, not
 * one per row), from the rows the result's `failedRows` names; other failures (all of them in a result without `failedRows`)
 * as measure.ts words them, in its order. A stopped run (the page's Stop: BenchResult.stopped) reads `stopped after
 * 12.0 s: 3 rows ran and agreed (9 not run)`, its rows not run counted apart from the skipped ones.
 */
export function doneLine(result: BenchResult): string {
  // Rows timed while the tab was hidden (Row.hiddenReps): said after how the run ended, whatever that was.
  const hidden = result.rows.filter((r) => r.hiddenReps).length;
  return hidden ? `${endLine(result)}; the tab was hidden during ${plural(hidden, 'row')} (${HIDDEN_MARK}); their times may be throttled — rerun with the tab in front` : endLine(result);
}

function endLine(result: BenchResult): string {
  // A stopped run (the page's Stop) says so first, and how many rows it did not run; its skipped rows are the others.
  const notRun = result.rows.filter(isStopped).length;
  const ended = result.stopped ? 'stopped' : 'done';
  if (!result.ok) {
    const items = new Map<string, string[]>();
    for (const f of result.failedRows ?? result.failures) {
      const erred = typeof f !== 'string' && f.status === 'error';
      const key = typeof f === 'string' ? f : erred ? `${systemLabel(f)}: ${errorText(f.reason)}` : failureText(f);
      items.set(key, [...(items.get(key) ?? []), ...(erred ? [f.config] : [])]);
    }
    return `${ended}${result.stopped ? ` (${notRun} not run)` : ''}: ${[...items].map(([k, configs]) => (configs.length ? `${configs.join(', ')} ${k}` : k)).join('; ')}`;
  }
  const ran = result.rows.filter((r) => r.status === 'ok').length;
  const skipped = result.rows.filter((r) => r.status === 'skipped').length - notRun;
  const s = result.stopped ? `stopped after ${fmtSeconds(result.seconds)}` : `done in ${fmtSeconds(result.seconds)}`;
  const parts = [...(result.stopped ? [`${notRun} not run`] : []), ...(skipped ? [`${skipped} skipped`] : [])];
  const skip = parts.length ? ` (${parts.join(', ')})` : '';
  if (!ran) return `${s}: nothing ran${skip}`;
  return `${s}: ${plural(ran, 'row')} ran and agreed${skip}`;
}

/** The page's targets table: its caption, heads, rows (the target a row header), which rows missed, and the note under it. */
export interface TargetTable {
  caption: string;
  head: readonly string[];
  rows: string[][];
  /** Per row: the target not met (drawn as the run table's failed rows). */
  missed: boolean[];
  note: string | null;
}

/**
 * The finished run's target verdicts for the page (ui.ts puts them in #targets, under the run's table): the Markdown's
 * targets table, its words and numbers from the same function (report.ts targetVerdicts); null for a run without
 * targets (#targets then hidden).
 */
export function targetTable(result: Pick<BenchResult, 'targets' | 'env' | 'goals'>): TargetTable | null {
  const verdicts = targetVerdicts(result);
  if (!verdicts.length) return null;
  const missed = verdicts.filter((v) => v.met === 'no').length;
  return {
    caption: `Targets: ${verdicts.length - missed} of ${verdicts.length} met (how many times faster ours is than the peer, as the Markdown's targets table)`,
    head: TARGET_HEAD,
    rows: verdicts.map((v) => [v.target, v.wanted, v.measured, v.met]),
    missed: verdicts.map((v) => v.met === 'no'),
    note: targetsNote(result),
  };
}

/**
 * The result a chart is drawn from while the run goes on: its rows so far, with the run's own environment (the chart's
 * footer is the same as the finished run's), no targets or failures yet.
 */
export function runningResult(run: { mode: string; command: string; policy: Policy; configs: BenchConfig[]; systems: SystemId[] }, rows: Row[], env: RunEnv, date: string): BenchResult {
  return {
    tool: 'backprop-webgpu bench', version: 1, date, mode: run.mode, command: run.command, env, policy: run.policy,
    configs: describeConfigs(run.configs, run.policy), systems: run.systems, rows, targets: [], ok: true, failures: [], failedRows: [], seconds: 0,
  };
}


/**
 * The systems the form unticks once the page knows it has no WebGPU, or no WebAssembly (`webAssembly`: the page's own
 * `typeof WebAssembly`; true where not given): the ones that need it, which Run on the defaults would only fail; none
 * when it has both, or when the link named its systems (`systems=`: the link asked, the row says why).
 */
export function untickedUnavailable(linked: readonly SystemId[] | undefined, webgpu: boolean, webAssembly = true): SystemId[] {
  if (linked) return [];
  return [...(webgpu ? [] : WEBGPU_SYSTEMS), ...(webAssembly ? [] : WASM_SYSTEMS)];
}

/**
 * The page's environment block: envLine's facts (bench/labels.ts), then what to know before pressing Run: whether the
 * page is cross-origin isolated and, when not, the wasm counts it got in place of those its link asked for
 * (`jaxWorkers`: the link's, which jax-js's env does not keep); without WebGPU, or without WebAssembly (`webAssembly`:
 * the page's own `typeof WebAssembly`), why, and which systems cannot run.
 */
export function envBlock(env: RunEnv, jaxWorkers?: number, webAssembly = true, sharedMemory = true): string {
  const { crossOriginIsolated, webgpu, ...rest } = env;
  const gpu = webgpu as { available?: boolean; reason?: string } | undefined;
  const noGpu = gpu !== undefined && gpu.available !== true;
  // Each missing piece said once, below: envLine's own 'no WebGPU' and ours-wasm's error left out.
  const { wasm, ...others } = rest;
  const parts = [envLine({ ...(webAssembly ? rest : others), ...(noGpu ? {} : { webgpu }) })];
  // Without WebAssembly there are no wasm threads to make possible: 'no WebAssembly' below says so.
  // Isolated, yet no SharedArrayBuffer (`sharedMemory`: the page's own typeof SharedArrayBuffer; WebKitGTK 2.50): no
  // wasm threads either, and no header to send for them.
  if (crossOriginIsolated && (sharedMemory || !webAssembly)) parts.push(webAssembly ? 'cross-origin isolated (wasm threads possible)' : 'cross-origin isolated');
  else {
    const not = (asked: number | undefined, got: number, name: string): string => (asked !== undefined && asked !== got ? ` (not ${name}=${asked})` : '');
    const w = env.wasm as { threads?: number; threadsRequested?: number } | undefined;
    const t = env.tfjs as { wasmThreads?: number; wasmThreadsRequested?: number } | undefined;
    const j = env.jax as { wasmWorkers?: number } | undefined;
    const got = [
      w?.threads !== undefined ? `ours-wasm on ${w.threads} thread${w.threads === 1 ? '' : 's'}${not(w.threadsRequested, w.threads, 'oursWasmThreads')}` : '',
      t?.wasmThreads !== undefined ? `TF.js wasm on ${t.wasmThreads}${not(t.wasmThreadsRequested, t.wasmThreads, 'tfjsThreads')}` : '',
      j?.wasmWorkers !== undefined ? `jax-js wasm on ${j.wasmWorkers ? `${j.wasmWorkers} worker${j.wasmWorkers === 1 ? '' : 's'}` : 'the main thread'}${not(jaxWorkers, j.wasmWorkers, 'jaxWorkers')}` : '',
    ].filter(Boolean);
    const counts = got.length ? `: ${got.join(', ')}` : '';
    parts.push(crossOriginIsolated
      ? `cross-origin isolated, but the browser offers no SharedArrayBuffer here, so no wasm threads${counts} (no header changes that)`
      : `NOT cross-origin isolated, so no wasm threads${counts} (npm run preview sends the COOP/COEP headers that allow them)`);
  }
  if (noGpu) parts.push(`no WebGPU${gpu.reason ? ` (${gpu.reason})` : ''}: ${WEBGPU_SYSTEMS.join(', ')} cannot run in this browser (the form leaves them unticked unless the link names them; the other systems run)`);
  // A TF.js GPU backend whose set-up gave no answer in time (bench/page/limits.ts), WebGPU itself having answered: its
  // row says why too.
  const noAnswer = (env.tfjs as { noAnswer?: Record<string, string> } | undefined)?.noAnswer ?? {};
  for (const [name, why] of Object.entries(noAnswer)) parts.push(`${why}: tfjs-${name} cannot run (the other systems run)`);
  // Without it the line named ours-wasm's failure alone, and the form ticked all three: TF.js's and jax-js's rows
  // then failed with "could not initialise its wasm backend" and no word of why.
  if (!webAssembly) parts.push(`no WebAssembly (WebAssembly is not defined: V8 without its JIT, --jitless, has none): ${WASM_SYSTEMS.join(', ')} cannot run in this browser (the form leaves them unticked unless the link names them; the other systems run)`);
  return parts.join(' · ');
}

/**
 * The page's charts as drawn, each a standalone SVG or null: steps/s when some row has it (a–d, f), test accuracy vs
 * seconds when some row fitted (e).
 */
export function chartSvgs(result: BenchResult): { steps: string | null; tta: string | null } {
  return { steps: result.rows.some((r) => r.stepsPerSec) ? svgChart(result) : null, tta: ttaSvg(result) };
}

/** The page's download buttons (src/lab/bench.html). */
export const DOWNLOADS = ['dl-json', 'dl-md', 'dl-svg', 'dl-tta'] as const;

/**
 * Each download button's file: what `npm run bench` writes as NAME.json, .md, .svg and -tta.svg (report.ts
 * outputTexts), named bench-<date>.*; the steps/s chart for every run, as the runner writes it, so a run of config e
 * alone offers it too (its axes, no bar); the time-to-accuracy chart's text null when the run drew none (its button
 * hidden).
 */
export function pageFiles(result: BenchResult): Record<(typeof DOWNLOADS)[number], { name: string; type: string; text: string | null }> {
  const stamp = `bench-${result.date.replace(/[:.]/g, '-')}`;
  const { json, md, svg, tta } = outputTexts(result);
  return {
    'dl-json': { name: `${stamp}.json`, type: 'application/json', text: json },
    'dl-md': { name: `${stamp}.md`, type: 'text/markdown', text: md },
    'dl-svg': { name: `${stamp}.svg`, type: 'image/svg+xml', text: svg },
    'dl-tta': { name: `${stamp}-tta.svg`, type: 'image/svg+xml', text: tta },
  };
}

/**
 * The page's charts, as drawn: chartSvgs's, one after the other, each in a role="img" named by chartNames, escaped
 * (a bare inline SVG was an unnamed graphic to a screen reader, its tick labels loose words). The downloaded files are
 * chartSvgs's own.
 */
export function pageCharts(result: BenchResult): string {
  const { steps, tta } = chartSvgs(result);
  const names = chartNames(result);
  // The name escaped as the SVGs' own text is (escapeXml): a quote in it ended the attribute, the rest read as markup.
  const named = (svg: string | null, name: string): string => (svg === null ? '' : `<span role="img" aria-label="${escapeXml(name)}">${svg}</span>`);
  return named(steps, names.steps) + named(tta, names.tta);
}

/**
 * The charts' region (#chart) holding `html` (pageCharts'), hidden while that is empty: an empty region ("Charts") was
 * announced at load and through a run before its first chart.
 */
export function showCharts(box: { innerHTML: string; hidden: boolean }, html: string): void {
  box.innerHTML = html;
  box.hidden = html === '';
}

/**
 * The accessible names of the page's charts (pageCharts): what each plots, then what a sighted reader takes from it
 * at a glance — for steps/s, each config's fastest and slowest bar with its figure (the rows with steps/s, as the chart
 * draws them); for time to accuracy, each config's highest final test accuracy, its system and seconds (the fits of
 * more than one epoch, as the chart draws them) — and that the table above gives every figure. The names said only
 * what the chart was ("the table above gives each bar's figure"): nothing of what it showed.
 */
export function chartNames(result: Pick<BenchResult, 'rows' | 'env' | 'configs'>): { steps: string; tta: string } {
  const label = (r: Row): string => rowLabel(r, result.env);
  const order = result.configs.map((c) => c.id);
  const byConfig = (rows: Row[]): [string, Row[]][] => order.map((id): [string, Row[]] => [id, rows.filter((r) => r.config === id)]).filter(([, rs]) => rs.length > 0);
  const bars = byConfig(result.rows.filter((r) => r.stepsPerSec)).map(([id, rs]) => {
    const sorted = [...rs].sort((x, y) => y.stepsPerSec! - x.stepsPerSec!);
    const [top, low] = [sorted[0], sorted[sorted.length - 1]];
    const fastest = `${label(top)} ${fmtNum(top.stepsPerSec)}`;
    return `${id}: ${sorted.length > 1 ? `fastest ${fastest}, slowest ${label(low)} ${fmtNum(low.stepsPerSec)}` : fastest}`;
  });
  const last = (r: Row): NonNullable<Row['epochs']>[number] => r.epochs![r.epochs!.length - 1];
  const fits = byConfig(result.rows.filter((r) => (r.epochs?.length ?? 0) > 1)).map(([id, rs]) => {
    const best = rs.reduce((b, r) => (last(r).testAccuracy > last(b).testAccuracy ? r : b));
    return `${id}: highest ${label(best)} ${pct(last(best).testAccuracy)} after ${sec(last(best).at)}`;
  });
  return {
    steps: `Chart of steps/s per config and system, log scale${bars.length ? ` — ${bars.join('; ')}` : ''}. The table above gives each bar's figure.`,
    tta: `Chart of test accuracy against seconds, one line per system's fit${fits.length ? ` — final test accuracy ${fits.join('; ')}` : ''}. The table above gives each fit's accuracy and time.`,
  };
}

/**
 * A config checkbox's title, from the config itself: the net's widths (inputs first) and activations, loss, batch,
 * learning rate and what is compared (the loss after N steps; e: its fit's optimiser, epochs and digits); f's bare
 * matmul its product's shape.
 */
export function configTitle(c: BenchConfig): string {
  if (c.matmul) {
    const { R, K, C } = c.matmul;
    return `${c.id}: bare matmul (${R}×${K})·(${K}×${C}), one product a step`;
  }
  const widths = [c.inputs, ...c.layers.map((l) => l.units)].join('-');
  const hidden = [...new Set(c.layers.slice(0, -1).map((l) => l.activation))].join('/');
  const net = `${widths} (${hidden ? `${hidden} hidden, ` : ''}${c.layers[c.layers.length - 1].activation} output)`;
  const data = c.data.kind === 'xor' ? ", XOR's 4 examples" : c.data.kind === 'random' ? ', random inputs' : '';
  // A fit's agreement compares epochs 1 … min(agreeEpochs, epochs) (protocol.ts agree, agree-epochs.ts).
  const compared = c.fit ? Math.min(c.fit.agreeEpochs ?? 1, c.fit.epochs) : 0;
  const run = c.fit
    ? `${c.fit.optimizer === 'adam' ? 'Adam' : 'SGD'} lr ${c.lr}, ${c.fit.epochs} epoch${c.fit.epochs === 1 ? '' : 's'} on ${c.fit.train} MNIST training digits, test accuracy on ${c.fit.test}, loss and accuracy compared at epoch${compared === 1 ? ' 1' : `s 1–${compared}`}`
    : `lr ${c.lr}, losses compared after ${c.agreeSteps} steps`;
  return `${c.id}: ${net}, loss ${c.loss}, batch ${c.batch}${data}, ${run}`;
}

/** A Chromium brand's full version, as navigator.userAgentData.getHighEntropyValues(['fullVersionList']) lists them. */
export interface BrandVersion {
  brand: string;
  version: string;
}

/**
 * The browser and its version: from the user agent ("Chrome/156.0.0.0": Chromium reduces it to the major version),
 * with Chromium's full version where the browser lists it (fullVersionList: "Chrome/156.0.8078.114", the form
 * `npm run bench` records from the browser itself).
 */
export function browserOf(userAgent: string, fullVersions: readonly BrandVersion[] = []): string {
  // Edge's agent carries Chrome/ before Edg/ ("… Chrome/134.0.0.0 Safari/537.36 Edg/134.0.0.0"): Edg/ first, else the
  // leftmost token read Edge as Chrome. So with the others that carry Chrome/ or Safari's Version/ (read63c): Opera's
  // OPR/, Samsung Internet's SamsungBrowser/, Edge on Android's EdgA/ and on iOS EdgiOS/; and Chrome and Firefox on
  // iOS (CriOS/, FxiOS/), which carry neither and were read as their whole agent.
  // Version/ (Safari's) last: an Android WebView's agent has Version/4.0 before its Chrome/ and read "Safari/4.0".
  const m = /(Edg|EdgA|EdgiOS|OPR|SamsungBrowser|CriOS|FxiOS)\/[\d.]+/.exec(userAgent) ?? /(Firefox|Chrome)\/[\d.]+/.exec(userAgent) ?? /(Version)\/[\d.]+/.exec(userAgent);
  if (!m) return userAgent;
  // Safari runs only on Apple's systems: a Safari-form agent on Linux is WebKitGTK or WPE, whose Version/ is their own
  // (WebKitGTK 2.50.6 sends Version/60.5; test/browser/webkit.ts) and read "Safari/60.5", a Safari that never was.
  if (m[1] === 'Version' && /\bLinux\b/.test(userAgent)) return `WebKit on Linux (WebKitGTK or WPE; its agent says ${m[0]})`;
  const full = m[1] === 'Chrome' ? fullVersions.find((v) => v.brand === 'Chromium' || v.brand === 'Google Chrome') : undefined;
  return full ? `Chrome/${full.version}` : m[0].replace(/^Version/, 'Safari');
}
