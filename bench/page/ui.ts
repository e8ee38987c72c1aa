/**
 * The bench page's own controls: pick systems and configs (each config's title says what it is), Run, Stop (./stop.ts:
 * enabled while a run goes on; the run ends after the measurement under way, its finished rows kept, or before the
 * first where the run still sets up; what a screen reader hears of a run and where the keyboard's focus goes:
 * ./voice.ts), a progress bar,
 * the table and chart filling in row by row, JSON, Markdown and SVG downloads, the environment (browser, WebGPU
 * adapter, cores, cross-origin isolation). Query parameters: configs=a,b-mse,… systems=ours-webgpu,… (run in the
 * link's order) quick=1 (short repetitions; without configs=, the configs `npm run bench -- --quick` runs) autorun=1,
 * jaxWorkers=N (jax-js's wasm workers, default 1), tfjsThreads=N (TF.js wasm threads, default its own),
 * oursWasmThreads=N (ours-wasm's threads, default 1), webgpuVariants=auto,tiled,… (ours-webgpu's kernel variants, one
 * row each; the form's "ours-webgpu kernel variants" boxes), fits=N (config e's fits a system, round-robin: --fits),
 * read and checked by ./query.ts: a bad link starts nothing, says why in an alert at the top, and leaves its valid
 * parts in the form.
 * `npm run bench` uses the same page without the form (window.benchRun, bench/browser.ts), opened with driven=1: the
 * page then waits for its request to set the counts, and shows its environment once that request has set them; a Run
 * pressed there sets the page up from the link first.
 */
import { messageOf } from '../../src/checks.ts';
import { ALL_CONFIGS, selectConfigs } from '../configs.ts';
import type { ProgressSink } from '../measure.ts';
import type { Row } from '../protocol.ts';
import type { BenchResult } from '../report.ts';
import type { RunEnv } from '../labels.ts';
import { SYSTEMS, type SystemId, WEBGPU_VARIANTS, type WebGpuVariant } from '../systems.ts';
import { envOf, pageEnv, pageEnvSetUp, type RunRequest, runInPage } from './run.ts';
import { defaultConfigIds, formRun, linkEnv, type PageQuery, readQuery } from './query.ts';
import { cellParts, configTitle, DOWNLOADS, doneLine, DRIVEN_LINE, envBlock, pageCharts, pageFiles, pageTable, runningResult, showCharts, type TableOptions, startLine, targetTable, untickedUnavailable } from './table.ts';
import { beginAttempt } from './attempt.ts';
import { RunStop } from './stop.ts';
import { checkboxLabels } from './boxes.ts';
import { focusAtEnd, focusAtStart, RunVoice } from './voice.ts';
import { entrantsOf } from '../measure.ts';
import { type CompareBox, setUpCompare } from './compare-ui.ts';

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from the bench page`);
  return e as T;
};

function checkboxes(box: HTMLElement, name: string, values: { value: string; title?: string }[], checked: string[]): void {
  box.replaceChildren(...checkboxLabels({ label: () => document.createElement('label'), input: () => document.createElement('input') }, name, values, checked));
}
const picked = (name: string): string[] =>
  [...document.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);

function download(name: string, type: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * The run's table, its columns from the request's configs and systems (the same from Run to the last row), and after
 * the rows so far one for each config × system still to come (pageTable's plan); `goals` once the run has ended (its
 * result's, {} for none), so a config without one says why; `failed` once the run has failed (the rows to come say
 * "not run").
 */
function renderRows(rows: Row[], req: Pick<RunRequest, 'configs' | 'systems' | 'webgpuVariants' | 'gpuSizedOnFallback' | 'policy'>, { env, goals, failed }: Pick<TableOptions, 'goals' | 'failed'> & { env?: RunEnv } = {}): void {
  const plan = { configs: req.configs, systems: req.systems, webgpuVariants: req.webgpuVariants, gpuSizedOnFallback: req.gpuSizedOnFallback };
  const { head, body, note, right, rowHeader, marked, caption } = pageTable(rows, { policy: req.policy, env, goals, plan, failed });
  const table = document.createElement('table');
  table.createCaption().textContent = caption;
  table.createTHead().insertRow().append(...head.map((h) => Object.assign(document.createElement('th'), { textContent: h, scope: 'col' })));
  const tbody = table.createTBody();
  // The rows that came, then those to come (rows[k] undefined). A row's config and system are its headers (scope row).
  body.forEach((cells, k) => {
    const tr = tbody.insertRow();
    tr.append(...cells.map((c, j) => {
      const cell = rowHeader[j] ? Object.assign(document.createElement('th'), { scope: 'row' }) : document.createElement('td');
      Object.assign(cell, { textContent: c, className: right[j] ? 'num' : '' });
      // A mark (`*`, `†`) seen, not read; the words it stands for read, not seen (table.ts cellParts).
      if (marked[j]) cell.replaceChildren(...cellParts(c).flatMap((p): (string | Node)[] => ('text' in p ? [p.text] : [markSpan(p.mark, true), markSpan(p.said, false)])));
      return cell;
    }));
    const status = rows[k]?.status;
    if (status === 'wrong' || status === 'error') tr.className = 'bad';
  });
  $('table').replaceChildren(table, ...(note ? [Object.assign(document.createElement('p'), { className: 'note', textContent: note })] : []));
  // Hidden until a run draws it (an empty "Results table" region was announced at load).
  $('table').hidden = false;
}

/** A mark as seen (hidden from a screen reader), or the words said for it (seen by no one). */
function markSpan(text: string, seen: boolean): HTMLSpanElement {
  const span = Object.assign(document.createElement('span'), { textContent: text });
  if (seen) span.setAttribute('aria-hidden', 'true');
  else span.className = 'visually-hidden';
  return span;
}

/**
 * The finished run's target verdicts under its table (#targets: the Markdown's targets table, table.ts targetTable), a
 * missed one drawn as a failed row; hidden for a run without targets.
 */
function renderTargets(result: BenchResult): void {
  const box = $('targets');
  const t = targetTable(result);
  box.hidden = t === null;
  if (t === null) return box.replaceChildren();
  const table = document.createElement('table');
  table.createCaption().textContent = t.caption;
  table.createTHead().insertRow().append(...t.head.map((h) => Object.assign(document.createElement('th'), { textContent: h, scope: 'col' })));
  const tbody = table.createTBody();
  t.rows.forEach((cells, k) => {
    const tr = tbody.insertRow();
    // The target names the row (a row header); wanted and measured are numbers, right-aligned as the Markdown's.
    tr.append(...cells.map((c, j) => Object.assign(j === 0 ? Object.assign(document.createElement('th'), { scope: 'row' }) : document.createElement('td'), { textContent: c, className: j === 1 || j === 2 ? 'num' : '' })));
    if (t.missed[k]) tr.className = 'bad';
  });
  box.replaceChildren(table, ...(t.note ? [Object.assign(document.createElement('p'), { className: 'note', textContent: t.note })] : []));
}

/** The last run's table, targets and chart off the page, its downloads greyed out, its progress at 0 (attempt.ts beginAttempt). */
function clearLastRun(): void {
  $<HTMLProgressElement>('progress').value = 0;
  // A bad link's alert is of the last attempt too: it stood beside a later "nothing to run" (read56c).
  $('error').hidden = true;
  $('table').replaceChildren();
  $('table').hidden = true;
  $('targets').replaceChildren();
  $('targets').hidden = true;
  showCharts($('chart'), '');
  for (const id of DOWNLOADS) $<HTMLButtonElement>(id).disabled = true;
  // The time-to-accuracy button comes back at the end where the run drew that chart: the last run's stood greyed out
  // through a run with no e config (usr56l).
  $('dl-tta').hidden = true;
  // A comparison whose B was the last run: that run is gone (beginAttempt), B is to come (./compare-ui.ts).
  compareBox?.refresh();
}

/** The "Compare two runs" box (./compare-ui.ts): this page's finished run is its B where no B file is picked. */
let compareBox: CompareBox | undefined;

/** The status line and the hidden live line (./voice.ts): what a screen reader hears of a run. */
let voice: RunVoice;
/** Stop was pressed while it had the focus (lost to the page then, as Stop is disabled): Run gets it at the run's end. */
let stopHadFocus = false;

async function start(req: RunRequest, stop: RunStop): Promise<BenchResult | null> {
  // One run at a time (./stop.ts RunStop.begin): a driver's window.benchRun while a run goes on (Run is disabled then)
  // is refused before anything of the run under way is touched — its table, its status, its state, its Stop (its end
  // disabled Stop for the second run) —, said in the alert at the top until the run under way ends; benchRun rejects
  // with it.
  const signal = stop.begin();
  try {
    return await attempt(req, stop, signal);
  } finally {
    // Whichever way the attempt ended — nothing to run, or a throw before its run's own end (which ends Stop first,
    // for the focus: ./voice.ts) — Stop disabled and the page's run over, so the next may begin (end is idempotent).
    stop.end();
  }
}

/** start's attempt once it holds the page's one run: `signal` its Stop's. */
async function attempt(req: RunRequest, stop: RunStop, signal: AbortSignal): Promise<BenchResult | null> {
  // Every attempt first clears the last run — its result, error, table, targets and chart — so a Run that finds nothing
  // to run (said on the status line and in benchError, state `error`) leaves no earlier result behind (usr56m).
  const say = (text: string): void => voice.say(text);
  if (!beginAttempt(req, { globals: window, dataset: document.body.dataset, clearLastRun, say })) return null;
  // A new run (its last alert gone with clearLastRun): the table's heads and its rows to come stand at once (it was
  // empty until the first config's rows).
  // The run's environment, for the rows to come (the wasm rows' thread count, the skips that depend on the adapter: a
  // GPU-sized config on a fallback adapter) and the charts drawn while it goes on. Known at Run once the page is set up;
  // else (a driver's first request) the table is drawn again when it is: runInPage waits on the same promise before any
  // row, and this callback, registered first, has run by then. Without it the rows to come read `ours-wasm` and
  // "waiting" where they would be `ours-wasm (1 thread)` and "skipped: …" until the first config's rows came.
  const setUp = pageEnvSetUp();
  let env: RunEnv | undefined = setUp && envOf(setUp, req.host);
  if (!env) void pageEnv(req.env).then((e) => { env = envOf(e, req.host); renderRows([], req, { env }); }, () => undefined);
  renderRows([], req, { env });
  const run = $<HTMLButtonElement>('run');
  const stopButton = $<HTMLButtonElement>('stop');
  const active = document.activeElement;
  stopHadFocus = false;
  // Run had the focus (a keyboard's press): Stop gets it, not the page (./voice.ts).
  focusAtStart(active, run, stopButton)?.focus();
  // Not the last run's "done …" line until the first progress line; heard (the status line busy till the run ends).
  voice.begin(startLine(req));
  const total = req.configs.length * entrantsOf(req.systems, req.webgpuVariants).length;
  const bar = $<HTMLProgressElement>('progress');
  // The rows so far: a run that fails keeps them, its rows to come then "not run".
  let sofar: Row[] = [];
  const sink: ProgressSink = {
    show(text, fraction) {
      voice.progress(stop.line(text));
      if (fraction !== undefined) bar.value = fraction;
      window.benchProgress?.(text, fraction);
    },
    done() {
      bar.value = 1;
    },
    rows(rows) {
      sofar = rows;
      voice.rows(rows, total, req.policy.fits ?? 1);
      renderRows(rows, req, { env });
      if (env) showCharts($('chart'), pageCharts(runningResult(req, rows, env, new Date().toISOString())));
    },
  };
  // The run's last line, written once the status line is no longer busy (./voice.ts end).
  let last = '';
  // What a screen reader hears of the comparison redrawn against this run, after the run's last line (./voice.ts note).
  let compared: string | null = null;
  try {
    const result = await runInPage(req, sink, signal, () => stop.measuring());
    renderRows(result.rows, req, { env: result.env, goals: result.goals ?? {} });
    renderTargets(result);
    showCharts($('chart'), pageCharts(result));
    last = doneLine(result);
    // The files `npm run bench` writes as NAME.json, .md, .svg and -tta.svg; the tta chart's button only when the run drew it.
    const files = pageFiles(result);
    for (const id of DOWNLOADS) {
      const { name, type, text } = files[id];
      const button = $<HTMLButtonElement>(id);
      button.hidden = text === null;
      button.disabled = text === null;
      button.onclick = text === null ? null : () => download(name, type, text);
    }
    // The run is B of a comparison against a saved run picked as A (./compare-ui.ts), where no B file is picked.
    compared = compareBox?.refresh() ?? null;
    return result;
  } catch (err) {
    last = `failed: ${messageOf(err)}`;
    renderRows(sofar, req, { env, failed: true });
    throw err;
  } finally {
    // Where the focus is before Stop is disabled (a disabled button's focus goes to the page).
    const activeAtEnd = document.activeElement;
    // Stop disabled, Run enabled (./stop.ts end), and a refused run's alert taken off.
    stop.end();
    voice.end(last);
    if (compared !== null) voice.note(compared);
    focusAtEnd(activeAtEnd, { body: document.body, stop: stopButton, run }, stopHadFocus)?.focus();
  }
}

/** The page's link as it was loaded, its valid parts (its counts set up TF.js, jax-js and ours-wasm). */
let loaded: PageQuery = readQuery('').query;

/** The request the form (or the query parameters) describe; its command is the link that reproduces it (formLink). */
function formRequest(): RunRequest {
  const ticked = { configs: picked('config'), systems: picked('system') as SystemId[], variants: picked('variant') as WebGpuVariant[], quick: $<HTMLInputElement>('quick').checked };
  return formRun(`${location.origin}${location.pathname}`, ticked, loaded);
}

/**
 * A bad link (or a page that could not set up): said in the alert at the top of the page and to a driver polling the
 * state; nothing starts. The next run hides it.
 */
function failed(text: string): void {
  const box = $('error');
  box.textContent = text;
  box.hidden = false;
  // Said at load, where nothing has the focus yet: the alert takes it (tabindex -1), so a screen reader reads it (an
  // alert already there as the page loads may go unannounced) and the keyboard starts from it. A focus the user has placed stays.
  if (document.activeElement === null || document.activeElement === document.body) box.focus();
  window.benchError = text;
  document.body.dataset.state = 'error';
}

function setUp(): void {
  voice = new RunVoice({ status: $('status'), said: $('said') });
  compareBox = setUpCompare({ a: $('cmp-a'), b: $('cmp-b'), error: $('cmp-error'), box: $('compare'), download: $('dl-cmp') }, () => window.benchResults, download, (text) => voice.note(text));
  // The page's Stop (./stop.ts), disabled until a run starts; its line heard (./voice.ts stopping).
  // Run disabled while any run goes on, the form's or a driver's (a driven page's set-up ending mid-run enabled it);
  // a refused run's alert there until the run under way ends.
  const stop = new RunStop({ button: $<HTMLButtonElement>('stop'), say: (text) => voice.stopping(text), run: $<HTMLButtonElement>('run'), alert: $('error') });
  $('stop').addEventListener('click', () => {
    stopHadFocus = document.activeElement === $('stop');
    stop.press();
  });
  // A bad link starts nothing; the form comes up with its valid parts (each wrong parameter at its default), so the
  // run can be fixed by hand.
  const { query: q, errors } = readQuery(location.search);
  loaded = q;
  const bad = errors.length ? `${errors.map((e) => e.message).join('; ')} — nothing started: fix the link, or pick the run below and press Run` : null;
  const linkConfigs = q.configs && selectConfigs(q.configs).map((c) => c.id);
  checkboxes($('configs'), 'config', ALL_CONFIGS.map((c) => ({ value: c.id, title: configTitle(c) })), linkConfigs ?? defaultConfigIds(q.quick));
  // The same titles as a list a phone or the keyboard can read (a title shows only on hover).
  $('config-list').replaceChildren(...ALL_CONFIGS.map((c) => Object.assign(document.createElement('li'), { textContent: configTitle(c) })));
  checkboxes($('systems'), 'system', SYSTEMS.map((value) => ({ value })), q.systems ?? SYSTEMS.filter((s) => s !== 'scalar'));
  checkboxes($('variants'), 'variant', WEBGPU_VARIANTS.map((value) => ({ value, title: value === 'auto' ? 'the engine\'s choice for this adapter' : `ours-webgpu with its ${value} kernels` })), q.webgpuVariants ?? ['auto']);
  // The variant boxes are ours-webgpu's: greyed out (the fieldset disabled) while it is unticked, where they stood as
  // if they chose something for the run (walk49).
  const variantsFollowWebgpu = (): void => {
    const webgpu = document.querySelector<HTMLInputElement>('input[name="system"][value="ours-webgpu"]');
    $('variants').closest('fieldset')!.disabled = webgpu?.checked !== true;
  };
  $('systems').addEventListener('change', variantsFollowWebgpu);
  variantsFollowWebgpu();
  $<HTMLInputElement>('quick').checked = q.quick;
  // TF.js's threads, jax-js's workers and ours-wasm's threads, set once: from the link's counts, or a driver's first
  // request (`driver`: its counts, and the facts its Node side knows, shown as its run records them).
  let setUpOnce: Promise<boolean> | undefined;
  const setUpEnv = (driver?: RunRequest): Promise<boolean> => (setUpOnce ??= pageEnv(driver ? driver.env : linkEnv(q)).then((e) => {
    const env = envOf(e, driver?.host);
    const webAssembly = typeof WebAssembly === 'object';
    $('env').textContent = envBlock(env, driver ? driver.env?.jaxWasmWorkers : q.jaxWorkers, webAssembly, typeof SharedArrayBuffer === 'function');
    // No WebGPU, or no WebAssembly: the defaults' systems that need it unticked (a link's systems stay as it gave them).
    const off = untickedUnavailable(q.systems, (env.webgpu as { available?: boolean } | undefined)?.available === true, webAssembly);
    for (const box of document.querySelectorAll<HTMLInputElement>('input[name="system"]')) if (off.includes(box.value as SystemId)) box.checked = false;
    variantsFollowWebgpu();
    // Not while a run goes on (a driver's, begun as a Run pressed first waited for this set-up): Run stays disabled
    // until that run ends.
    stop.enableRun();
    return true;
  }, (err: unknown) => {
    const text = `the page could not set up: ${messageOf(err)}`;
    $('env').textContent = text;
    failed(text);
    return false;
  }));
  // A driven page (npm run bench: ?driven=1) waits for its driver's first request, which sets the counts; a Run
  // pressed there first sets the page up from the link, as a page without driven=1 is at load, then runs the form.
  $('run').addEventListener('click', () => {
    const run = (): void => void start(formRequest(), stop).catch(() => undefined);
    if (!q.driven || setUpOnce) return run();
    $<HTMLButtonElement>('run').disabled = true; // until set up (a second press would start a second run)
    void setUpEnv().then((ok) => ok && run());
  });
  window.benchRun = async (req) => {
    // A driven page's first request sets it up: its environment line, until now DRIVEN_LINE, says what the run runs on.
    if (q.driven) void setUpEnv(req);
    const result = await start(req, stop);
    if (!result) throw new Error(window.benchError);
    return result;
  };
  if (bad !== null) failed(bad);
  if (q.driven) {
    $('env').textContent = DRIVEN_LINE;
    stop.enableRun();
    return;
  }
  void setUpEnv().then((ok) => {
    if (!ok || bad !== null) return; // the link's error stays the page's state until a run from the form
    document.body.dataset.state = 'ready';
    if (q.autorun) $('run').click();
  });
}

setUp();
