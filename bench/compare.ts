/**
 * npm run bench:compare -- A.json B.json [--json]: a benchmarker's A/B of two saved bench runs (results JSON as
 * bench/output.ts writes it: latest.json, NAME.json, NAME-<date>.json). Rows are paired by config, system, kernel
 * variant and thread (worker) count — the k-th row of one such key in A with the k-th in B (a second page load of
 * the same count, --ours-wasm-threads 1,1,2) — and each pair gets B's time against A's and a verdict by one rule
 * (verdictOf). Warnings first where the runs are not comparable (comparability). Bad input (a file that cannot be
 * read, is not JSON or not a bench results file, a timing field that is not numbers, two format versions) is one line
 * naming the file and the field, exit 2, before any comparing; --help prints the usage (exit 0). README: "Comparing two runs".
 * Pure, no Node: the command line (files, arguments, exit code) is ./compare-cli.ts, and the bench page compares with
 * these functions too (bench/page/compare-view.ts).
 */
import { messageOf } from '../src/checks.ts';
import { isFitRow } from './configs.ts';
import { adapterName, countOf, systemLabel } from './labels.ts';
import { fmtMs, isStopped } from './protocol.ts';
import type { BenchResult } from './report.ts';
import { type Row, stat } from './row.ts';

export const USAGE = `usage: npm run bench:compare -- A.json B.json [--json]
  A.json B.json  two bench results files (latest.json, NAME.json, NAME-<date>.json): A the baseline, B the change
  --json         the comparison as JSON on stdout instead of the Markdown table
  -h, --help     this usage`;

/** The results format versions this compare reads (BenchResult.version). */
export const READ_VERSIONS: readonly number[] = [1];

/** A results file that cannot be compared: the file and the field (or '' for the file as a whole) it is about. */
export class CompareInputError extends Error {
  constructor(readonly file: string, readonly field: string, what: string) {
    super(`${file}: ${field ? `${field} ` : ''}${what}`);
    this.name = 'CompareInputError';
  }
}

/** A side's time for a row: ms/step over its timed repetitions, or (config e) seconds to its last epoch over its fits. */
export interface Measure {
  unit: 'ms/step' | 's';
  median: number;
  min: number;
  max: number;
  /** How many repetitions (fits) the min–max is over. */
  n: number;
  /** Config e: the epochs each fit ran (a pair of different counts gets no ratio). */
  epochs?: number;
}

export interface Side {
  status: Row['status'];
  /** Why a row did not run or failed (the row's `error`), 'not run' for a stopped run's row. */
  error?: string;
  measure?: Measure;
}

export interface PairedRow {
  config: string;
  /** The system as the tables label it (systemLabel), with ' #2' for the second row of the same key in its file. */
  label: string;
  a: Side | null;
  b: Side | null;
  /** B's median ÷ A's; null where either side is missing, failed, not run or the two are not alike. */
  ratio: number | null;
  verdict: string;
}

export interface RunFacts {
  file: string;
  date: string;
  mode: string;
  commit: string;
  load: string;
}

export interface Comparison {
  a: RunFacts;
  b: RunFacts;
  /** Where the two runs are not alike: a timing difference may be the machine's, not the change's. */
  warnings: string[];
  rows: PairedRow[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const STATUSES: readonly string[] = ['ok', 'wrong', 'error', 'skipped'];

/**
 * `text` (the contents of `file`) as a bench results file, checked before any comparing: JSON, tool, a version this
 * reads, env.cpu, policy, rows, each row's config, system and status and the timing fields it has (checkRowTimes), and
 * env.load; else a CompareInputError naming the field.
 */
export function readResults(text: string, file: string): BenchResult {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (err) {
    throw new CompareInputError(file, '', `is not JSON (${messageOf(err)})`);
  }
  const want = 'a bench results file (npm run bench --out DIR: latest.json, NAME.json)';
  if (!isObject(x)) throw new CompareInputError(file, '', `is not ${want}: its JSON is not an object`);
  if (x.tool !== 'backprop-webgpu bench') throw new CompareInputError(file, 'tool', `is ${x.tool === undefined ? 'missing' : JSON.stringify(x.tool)}, not 'backprop-webgpu bench': not ${want}`);
  if (typeof x.version !== 'number') throw new CompareInputError(file, 'version', `is missing: not ${want}`);
  for (const f of ['date', 'mode'] as const) if (typeof x[f] !== 'string') throw new CompareInputError(file, f, `is missing: not ${want}`);
  if (!isObject(x.env)) throw new CompareInputError(file, 'env', `is missing: not ${want}`);
  const cpu = x.env.cpu;
  if (!isObject(cpu) || typeof cpu.model !== 'string' || typeof cpu.cores !== 'number') throw new CompareInputError(file, 'env.cpu', `is missing (its model and cores): not ${want}`);
  if (!isObject(x.policy)) throw new CompareInputError(file, 'policy', `is missing: not ${want}`);
  if (!Array.isArray(x.rows)) throw new CompareInputError(file, 'rows', `is missing: not ${want}`);
  x.rows.forEach((r: unknown, k) => {
    if (!isObject(r)) throw new CompareInputError(file, `rows[${k}]`, 'is not an object');
    for (const f of ['config', 'system'] as const) if (typeof r[f] !== 'string') throw new CompareInputError(file, `rows[${k}].${f}`, 'is missing');
    if (typeof r.status !== 'string' || !STATUSES.includes(r.status)) throw new CompareInputError(file, `rows[${k}].status`, `is ${r.status === undefined ? 'missing' : JSON.stringify(r.status)}, not one of ${STATUSES.join(', ')}`);
    checkRowTimes(file, `rows[${k}]`, r);
  });
  const load = x.env.load;
  if (load !== undefined) {
    if (!isObject(load)) throw new CompareInputError(file, 'env.load', `is ${JSON.stringify(load)}, not { start, end } load averages`);
    numbers(file, 'env.load.start', load.start, 1);
    if (load.end !== undefined) numbers(file, 'env.load.end', load.end, 1);
  }
  return x as unknown as BenchResult;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const shown = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));

/** `v` (the field `field`) as an array of at least `least` finite numbers, else a CompareInputError naming the entry. */
function numbers(file: string, field: string, v: unknown, least = 0): void {
  if (!Array.isArray(v) || v.length < least) throw new CompareInputError(file, field, `is ${shown(v)}, not an array of ${least ? 'at least one number' : 'numbers'}`);
  v.forEach((n: unknown, j) => {
    if (!isNumber(n)) throw new CompareInputError(file, `${field}[${j}]`, `is ${shown(n)}, not a number`);
  });
}

/**
 * The fields of a row that the comparison reads, where the row has them: msPerStep's median, min and max, times,
 * reps and threads (numbers), variant (a string), config e's epochs and fits (each epoch's `at`, seconds). A
 * hand-edited or cut file fails here, naming the field, not later as a TypeError or a NaN ratio.
 */
function checkRowTimes(file: string, at: string, r: Record<string, unknown>): void {
  if (r.msPerStep !== undefined) {
    const m = r.msPerStep;
    if (!isObject(m)) throw new CompareInputError(file, `${at}.msPerStep`, `is ${shown(m)}, not { median, min, max }`);
    for (const f of ['median', 'min', 'max'] as const) if (!isNumber(m[f])) throw new CompareInputError(file, `${at}.msPerStep.${f}`, `is ${shown(m[f])}, not a number`);
  }
  if (r.times !== undefined) numbers(file, `${at}.times`, r.times);
  for (const f of ['reps', 'threads'] as const) if (r[f] !== undefined && !isNumber(r[f])) throw new CompareInputError(file, `${at}.${f}`, `is ${shown(r[f])}, not a number`);
  if (r.variant !== undefined && typeof r.variant !== 'string') throw new CompareInputError(file, `${at}.variant`, `is ${shown(r.variant)}, not a string`);
  const epochs = (field: string, v: unknown) => {
    if (!Array.isArray(v)) throw new CompareInputError(file, field, `is ${shown(v)}, not an array of epochs`);
    v.forEach((e: unknown, j) => {
      if (!isObject(e) || !isNumber(e.at)) throw new CompareInputError(file, `${field}[${j}].at`, `is ${shown(isObject(e) ? e.at : undefined)}, not a number (seconds)`);
    });
  };
  if (r.epochs !== undefined) epochs(`${at}.epochs`, r.epochs);
  if (r.fits !== undefined) {
    if (!Array.isArray(r.fits)) throw new CompareInputError(file, `${at}.fits`, `is ${shown(r.fits)}, not an array of fits`);
    r.fits.forEach((f: unknown, j) => epochs(`${at}.fits[${j}].epochs`, isObject(f) ? f.epochs : undefined));
  }
}

/** Both files read (readResults), then of one format version this reads, else a CompareInputError naming file and field. */
export function checkVersions(a: { file: string; result: BenchResult }, b: { file: string; result: BenchResult }): void {
  if (a.result.version !== b.result.version) {
    throw new CompareInputError(b.file, 'version', `is ${b.result.version} and ${a.file}'s is ${a.result.version}: two results formats cannot be compared row by row`);
  }
  for (const s of [a, b]) {
    if (!READ_VERSIONS.includes(s.result.version)) throw new CompareInputError(s.file, 'version', `is ${s.result.version}; this compare reads version ${READ_VERSIONS.join(', ')}`);
  }
}

/**
 * A row's time from its own repetition data: msPerStep's median, min and max over its timed repetitions (n: its
 * `times`, else `reps`); config e: seconds to the end of the last epoch, median, min and max over its fits (--fits),
 * one fit's alone without them. Undefined where the row holds neither.
 */
export function measureOf(r: Row): Measure | undefined {
  if (isFitRow(r)) {
    const fits = r.fits?.length ? r.fits.map((f) => f.epochs) : r.epochs?.length ? [r.epochs] : [];
    if (!fits.length || fits.some((e) => !e.length)) return undefined;
    const s = stat(fits.map((e) => e[e.length - 1].at));
    return { unit: 's', ...s, n: fits.length, epochs: fits[0].length };
  }
  const m = r.msPerStep;
  if (!m) return undefined;
  return { unit: 'ms/step', median: m.median, min: m.min, max: m.max, n: r.times?.length ?? r.reps ?? 1 };
}

/**
 * The verdict rule: with at least 2 repetitions (fits) a side, 'differs' only where the two min–max ranges do not
 * overlap (B's min above A's max: B slower; B's max below A's min: B faster); ranges that touch or overlap are
 * 'within spread'; fewer repetitions give no verdict.
 */
export function verdictOf(a: Measure, b: Measure): string {
  if (a.n < 2 || b.n < 2) {
    // The side with fewer (A where both have as few): its own count, the noun in the plural but for 1.
    const [side, n] = a.n <= b.n ? ['A', a.n] : ['B', b.n];
    return `no verdict: ${side} has ${n} ${a.unit === 's' ? 'fit' : 'repetition'}${n === 1 ? '' : 's'}`;
  }
  if (b.min > a.max) return 'differs: B slower';
  if (b.max < a.min) return 'differs: B faster';
  return 'within spread';
}

/**
 * B against A: '1.23× slower' (B's median ÷ A's, above 1), '1.19× faster' (A's ÷ B's, where B's is below A's), '1.00×
 * (same)' within 0.5 % — unless `differs` (the verdict found the ranges apart): then '1.00× slower' / '1.00× faster'.
 */
export function ratioText(ratio: number, differs = false): string {
  if (!differs && Math.abs(ratio - 1) < 0.005) return '1.00× (same)';
  return ratio > 1 ? `${ratio.toFixed(2)}× slower` : `${(1 / ratio).toFixed(2)}× faster`;
}

const keyOf = (r: Row): string => JSON.stringify([r.config, r.system, r.variant ?? null, r.threads ?? null]);

/** The rows of a run by key, each with its occurrence (1, 2, … in file order) among rows of the same key. */
function keyed(rows: Row[]): { key: string; row: Row; nth: number }[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const k = keyOf(row);
    const nth = (seen.get(k) ?? 0) + 1;
    seen.set(k, nth);
    return { key: `${k}#${nth}`, row, nth };
  });
}

function sideOf(r: Row): Side {
  if (isStopped(r)) return { status: r.status, error: 'not run' };
  if (r.status !== 'ok') return { status: r.status, ...(r.error !== undefined ? { error: r.error } : {}) };
  const measure = measureOf(r);
  return measure ? { status: r.status, measure } : { status: r.status, error: 'no time recorded' };
}

/** Why a side has no time: 'failed (error)', 'failed (wrong: disagreed)', 'not run', 'skipped'. */
function failedWord(s: Side): string | undefined {
  if (s.error === 'not run') return 'not run';
  if (s.status === 'error') return 'failed (error)';
  if (s.status === 'wrong') return 'failed (wrong: disagreed with its reference)';
  if (s.status === 'skipped') return 'skipped';
  if (!s.measure) return 'no time recorded';
  return undefined;
}

/** A's and B's rows paired by config, system, variant and thread count (the k-th of a key with the k-th), A's order first. */
export function pairRows(a: Row[], b: Row[]): PairedRow[] {
  const ka = keyed(a);
  const kb = keyed(b);
  const inB = new Map(kb.map((x) => [x.key, x.row]));
  const inA = new Set(ka.map((x) => x.key));
  const label = (r: Row, nth: number) => `${systemLabel(r)}${nth > 1 ? ` #${nth}` : ''}`;
  const out: PairedRow[] = [];
  for (const { key, row, nth } of ka) {
    const rb = inB.get(key);
    out.push(paired(row.config, label(row, nth), sideOf(row), rb ? sideOf(rb) : null));
  }
  for (const { key, row, nth } of kb) if (!inA.has(key)) out.push(paired(row.config, label(row, nth), null, sideOf(row)));
  return out;
}

function paired(config: string, label: string, a: Side | null, b: Side | null): PairedRow {
  const none = (verdict: string): PairedRow => ({ config, label, a, b, ratio: null, verdict });
  if (!a) return none('only in B');
  if (!b) return none('only in A');
  const fa = failedWord(a);
  const fb = failedWord(b);
  if (fa || fb) return none(`no ratio: ${[fa && `A ${fa}`, fb && `B ${fb}`].filter(Boolean).join(', ')}`);
  const ma = a.measure!;
  const mb = b.measure!;
  if (ma.unit !== mb.unit) return none(`no ratio: A in ${ma.unit}, B in ${mb.unit}`);
  if (ma.epochs !== mb.epochs) return none(`no ratio: A's fits ran ${ma.epochs} epochs, B's ${mb.epochs}`);
  return { config, label, a, b, ratio: mb.median / ma.median, verdict: verdictOf(ma, mb) };
}

const commitOf = (r: BenchResult): string => {
  const g = r.env.git ?? (r.env.build?.commit ? { commit: r.env.build.commit, dirty: r.env.build.dirty ?? false } : undefined);
  return g ? `${g.commit}${g.dirty ? ' (dirty)' : ''}` : 'unknown';
};

const loadOf = (r: BenchResult): string => {
  const l = r.env.load;
  return l ? `${l.start[0].toFixed(2)} at the start${l.end ? `, ${l.end[0].toFixed(2)} at the end` : ''}` : 'not recorded';
};

function adapterOf(r: BenchResult): string | undefined {
  const w = r.env.webgpu as { available?: boolean; vendor?: string; architecture?: string; adapterDescription?: string; isFallbackAdapter?: boolean; variant?: string } | undefined;
  if (!w) return undefined;
  if (!w.available) return 'no WebGPU';
  return `${adapterName(w)}${w.isFallbackAdapter ? ' (fallback)' : ''}${w.variant ? `, kernels ${w.variant}` : ''}`;
}

const POLICY_FIELDS = ['reps', 'targetRepMs', 'maxStepsPerRep', 'rowBudgetMs', 'minReps', 'fixedStepsPerRep', 'agreeSteps', 'inspect', 'fits', 'fitRounds'] as const;
const CONFIG_FIELDS = ['layers', 'inputs', 'batch', 'loss', 'lr', 'data'] as const;

/** A CPU model a run could not see (bench/page/run.ts envOf: the page in your own browser): two such are not one machine. */
const UNKNOWN_CPU = /^unknown\b/;

/**
 * Whether two runs' browsers are one, as far as both strings say. The page records "Name/version" from its user agent
 * (bench/page/table.ts browserOf), which `npm run bench` records too since stop 64; runs before that recorded the
 * driver's own form, Firefox's "firefox/153.8.0" (WebDriver BiDi's browserVersion) where the page says "Firefox/153.0".
 * So the names match without case, and a user agent's reduced version (Firefox's "153.0", Chromium's "156.0.0.0": every
 * part after the major 0) matches any version of its major; two full versions must be equal. Only Firefox and Chrome
 * reduce theirs: Safari's "Version/18.0" (read "Safari/18.0") is a release of its own, not 18.x.
 */
export function sameBrowser(x: string | undefined, y: string | undefined): boolean {
  if (x === y) return true;
  const form = /^([^/]+)\/(\d+)((?:\.\d+)*)$/;
  const mx = x === undefined ? null : form.exec(x);
  const my = y === undefined ? null : form.exec(y);
  if (!mx || !my || mx[1].toLowerCase() !== my[1].toLowerCase() || mx[2] !== my[2]) return false;
  const reduces = mx[1].toLowerCase() === 'firefox' || mx[1].toLowerCase() === 'chrome';
  const reduced = (rest: string) => reduces && /^(\.0)*$/.test(rest);
  return mx[3] === my[3] || reduced(mx[3]) || reduced(my[3]);
}

/** Where runs A and B are not alike: machine, browser, adapter, runner, policy, the configs' nets, a stopped run. */
export function comparability(a: BenchResult, b: BenchResult): string[] {
  const w: string[] = [];
  const differs = (what: string, x: unknown, y: unknown) => {
    if (x !== y) w.push(`${what} differs: A ${x === undefined ? 'none' : JSON.stringify(x)}, B ${y === undefined ? 'none' : JSON.stringify(y)}`);
  };
  // A page run in the user's own browser cannot see its CPU model: against a run that can, a different model string is
  // not a different machine, only an unknown one (the core counts still tell machines apart).
  const unknownA = UNKNOWN_CPU.test(a.env.cpu.model);
  const unknownB = UNKNOWN_CPU.test(b.env.cpu.model);
  if (a.env.cpu.cores !== b.env.cpu.cores || (!unknownA && !unknownB && a.env.cpu.model !== b.env.cpu.model)) {
    w.push(`different machines: A's CPU "${a.env.cpu.model}", ${a.env.cpu.cores} logical cores; B's "${b.env.cpu.model}", ${b.env.cpu.cores} logical cores`);
  } else if (unknownA && unknownB) {
    w.push(`the machines cannot be told apart: both CPU models are "${a.env.cpu.model}" (a page run without the Node driver), so the same core count does not make them one machine`);
  } else if (unknownA || unknownB) {
    const [page, known] = unknownA ? ['A', b] : ['B', a];
    w.push(`the machines may differ: ${page}'s CPU model is "${(unknownA ? a : b).env.cpu.model}" (a page run without the Node driver) and ${page === 'A' ? 'B' : 'A'}'s "${known.env.cpu.model}"; only the core counts (${a.env.cpu.cores}) are known to match`);
  }
  differs('runner', a.env.runner, b.env.runner);
  if (!sameBrowser(a.env.browser, b.env.browser)) differs('browser', a.env.browser, b.env.browser);
  if (a.env.runner !== 'browser' || b.env.runner !== 'browser') differs('Node', a.env.node, b.env.node);
  differs('WebGPU adapter', adapterOf(a), adapterOf(b));
  differs('Dawn', a.env.dawn && JSON.stringify(a.env.dawn), b.env.dawn && JSON.stringify(b.env.dawn));
  differs('cross-origin isolation', a.env.crossOriginIsolated, b.env.crossOriginIsolated);
  if (a.mode !== b.mode) w.push(`run mode differs: A ${a.mode}, B ${b.mode}${a.mode === 'quick' || b.mode === 'quick' ? ' (--quick times shorter repetitions)' : ''}`);
  for (const f of POLICY_FIELDS) differs(`policy.${f}`, a.policy[f], b.policy[f]);
  const bConfigs = new Map((b.configs ?? []).map((c) => [c.id, c]));
  for (const ca of a.configs ?? []) {
    const cb = bConfigs.get(ca.id);
    if (cb) for (const f of CONFIG_FIELDS) differs(`config ${ca.id}'s ${f}`, ca[f], cb[f]);
  }
  for (const [side, r] of [['A', a], ['B', b]] as const) {
    if (r.stopped) w.push(`${side} was stopped before it finished: a partial run`);
    const hidden = r.rows.filter((x) => x.hiddenReps);
    if (hidden.length) w.push(`${side}: ${hidden.map((x) => `${x.config} ${systemLabel(x)}`).join(', ')} ran partly in a hidden tab (hiddenReps): times may be throttled`);
  }
  return w;
}

/**
 * A run's rows with the thread (worker) count that results written before rows carried `threads` (wasm-run.json, the
 * 2026-12-02 runs) state once for the run (labels.ts countOf: env.wasm.threads, env.jax.wasmWorkers,
 * env.tfjs.wasmThreads), so that their ours-wasm row pairs with a newer run's at that count instead of standing alone.
 * A run over several page loads (env.wasmPasses) has the count on every row and is left as it is.
 */
export function rowsWithCounts(r: BenchResult): Row[] {
  if (r.env.wasmPasses) return r.rows;
  return r.rows.map((x) => {
    const n = x.threads === undefined ? countOf(x.system, r.env) : undefined;
    return n === undefined ? x : { ...x, threads: n };
  });
}

/** The whole comparison of run A (`fileA`) against run B: facts, warnings, paired rows. */
export function compareRuns(fileA: string, a: BenchResult, fileB: string, b: BenchResult): Comparison {
  const facts = (file: string, r: BenchResult): RunFacts => ({ file, date: r.date, mode: r.mode, commit: commitOf(r), load: loadOf(r) });
  return { a: facts(fileA, a), b: facts(fileB, b), warnings: comparability(a, b), rows: pairRows(rowsWithCounts(a), rowsWithCounts(b)) };
}

/**
 * Config e's seconds as the table gives them: three significant digits, whole numbers from 1000 (two decimals under
 * 10 s, as the bench's fit-time cells have them). A ms/step time is fmtMs's, the unit the bench's own tables choose.
 */
const fmtFitSeconds = (x: number): string => (x >= 1000 ? x.toFixed(0) : x.toPrecision(3));

function timeCell(s: Side | null): string {
  if (!s) return '—';
  const f = failedWord(s);
  if (f) return f;
  const m = s.measure!;
  return m.unit === 's' ? `${fmtFitSeconds(m.median)} s` : `${fmtMs(m.median)}/step`;
}

function spreadCell(s: Side | null): string {
  const m = s?.measure;
  if (!m || failedWord(s)) return '';
  const f = m.unit === 's' ? fmtFitSeconds : fmtMs;
  return `${m.n === 1 ? f(m.min) : `${f(m.min)}–${f(m.max)}`} (${m.n} ${m.unit === 's' ? 'fit' : 'rep'}${m.n === 1 ? '' : 's'})`;
}

export const RULE = "B against A: B's median ÷ A's — above 1 'k× slower' (k = B ÷ A), below 1 'k× faster' (k = A ÷ B). " +
  "Verdict: with 2 or more repetitions (config e: fits) a side, 'differs' only where the two min–max ranges do not overlap; " +
  "ranges that touch or overlap are 'within spread'. A failed, skipped or not-run row gets no ratio. " +
  'Times: per step (the median of the timed repetitions) in µs, ms or s as the bench\'s tables give them, config e seconds to the end of the last epoch (the median of the fits).';

/** The table's columns, and those right-aligned (the times and B against A): the Markdown's and the bench page's. */
export const COMPARE_HEAD: readonly string[] = ['config', 'system', 'A', 'B', 'B against A', 'A spread', 'B spread', 'verdict'];
export const COMPARE_RIGHT: readonly boolean[] = [false, false, true, true, true, false, false, false];

/** A paired row's cells under COMPARE_HEAD, as the Markdown and the bench page (bench/page/compare-view.ts) give them. */
export function rowCells(r: PairedRow): string[] {
  return [r.config, r.label, timeCell(r.a), timeCell(r.b), r.ratio === null ? '—' : ratioText(r.ratio, r.verdict.startsWith('differs')), spreadCell(r.a), spreadCell(r.b), r.verdict];
}

/** The comparison as Markdown: A and B, the warnings, the table, the rule. */
export function compareMarkdown(c: Comparison): string {
  const out: string[] = [];
  for (const [side, f] of [['A', c.a], ['B', c.b]] as const) out.push(`${side}: ${f.file} — ${f.date}, ${f.mode} run, commit ${f.commit}, load average (1 min) ${f.load}`);
  if (c.a.commit !== c.b.commit) out.push(`engine commit: A ${c.a.commit}, B ${c.b.commit}`);
  out.push('');
  if (c.warnings.length) {
    out.push('**Not comparable as they stand:**', '', ...c.warnings.map((w) => `- warning: ${w}`), '');
  }
  out.push(`| ${COMPARE_HEAD.join(' | ')} |`, `| ${COMPARE_HEAD.map((_, j) => (COMPARE_RIGHT[j] ? '---:' : '---')).join(' | ')} |`);
  for (const r of c.rows) out.push(`| ${rowCells(r).join(' | ')} |`);
  out.push('', RULE);
  return out.join('\n');
}
