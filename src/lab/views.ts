/**
 * The lab page's drawing: the diagram, the stage's numbers, the explanation, the loss curve, the Output region
 * (decision boundary, confusion matrices, predictions, validation score), the data summary, the lecture's claims
 * and the loss surface, all from the session in page.ts. Views, not training: every number here is the session's
 * or the CPU oracle's on the current weights.
 */
import { checkWorked, type ClaimCheck } from '../worked/check.ts';
import type { WorkedExample } from '../worked/worked.ts';
import { Naming, paramKey, paramValue, type Convention, type ParamId, type Ref } from '../notation/names.ts';
import { fmtExact, fmtStored } from '../notation/numbers.ts';
import { symText } from '../notation/symbols.ts';
import { batchFrom, validateSpec, type Net, type NetworkSpec } from '../spec.ts';
import { boundaryAxisNames, drawBoundary, pointsNote, type BoundaryArgs } from './boundary.ts';
import { drawClassConfusion } from './class-confusion.ts';
import { validationScore } from './validation-score.ts';
import { confusionMatrix, renderConfusion, renderSamples } from './confusion.ts';
import { curveBackends, deviceName } from './device.ts';
import { drawDevice, updateButtons } from './device-panel.ts';
import { NetworkDiagram } from './diagram.ts';
import type { DiagramValues } from './diagram-model.ts';
import { $, announce, fillRow, scrollMotion, writeText } from './dom.ts';
import { drawFitOutput } from './fit-plot.ts';
import { setOutputShown } from './output-shown.ts';
import { lossPerExample } from './eval.ts';
import { labNaming, renderExplanation } from './explain-panel.ts';
import { fitCanvas, LossChart } from './loss-chart.ts';
import { page, type RunAction } from './page.ts';
import { fitValidation, type PresetData } from './presets.ts';
import { omitKeys, type LabSession } from './session.ts';
import { surfaceGrid } from './surface-client.ts';
import { drawSurfaceWith, surfaceCaption } from './surface-draw.ts';
import { choiceOf, defaultSurfaceParams, matrixShape, nextParam, readChoice, readChoices, surfaceLabels, surfaceMatrices, type ChoiceFields, type ParamChoice } from './surface-params.ts';
import type { LossSurface } from './surface.ts';
import { showTab } from './tabs.ts';
import { claimsTable, workedCounts } from './claims-table.ts';
import { backwardFormulas, batchPlan, chainRuleHint, changedLectureLine, CLAIM_COLUMNS, dataSummary, exampleLine, noClaimsLine, percent, selectionLine } from './words.ts';
import { changeNow } from './files.ts';
import { loadCode } from './lazy.ts';
import { revealChainRule } from './chain-rule-scroll.ts';
import { groupMarks, marksExample, notesMarks, notesMarkText, type NotesGroup } from './notes-marks.ts';

/** The diagram on the page (file-actions.ts saves what it shows: Diagram SVG). */
export const diagram = new NetworkDiagram($('diagram'), (p, via) => {
  page.selected = p;
  showTab('tab-notation');
  drawDiagram();
  drawExplanation();
  // Said on every selection, the one already selected too (Enter on it again): announce, not writeText.
  if (page.session) announce($('selection-out'), selectionLine(symText(naming(conventionChoice()).param(p))));
  if (via === 'pointer') showChainRule();
});

/** A tapped or clicked parameter's chain rule, scrolled into view in the one column (chain-rule-scroll.ts). */
function showChainRule(): void {
  const host = $('explain');
  revealChainRule(document.documentElement, host.querySelector('.explain-scalar') ?? host, window, scrollMotion());
}

export const chart = new LossChart($<HTMLCanvasElement>('loss-chart'));
/** Made on the first Draw (until then the tab shows a placeholder, not an empty box). */
let surface: LossSurface | null = null;

/** The session's names in a convention (cached: building a Naming for a 784-input net takes a second). */
const namings = new Map<string, Naming>();
let namingsFor: LabSession | null = null;
function naming(convention?: Convention): Naming {
  const s = page.session!;
  if (namingsFor !== s) {
    namings.clear();
    namingsFor = s;
  }
  const key = convention ?? '';
  let nm = namings.get(key);
  if (!nm) {
    nm = labNaming(s.net, s.lab.spec.notation, convention);
    namings.set(key, nm);
  }
  return nm;
}

function conventionChoice(): Convention | undefined {
  const v = $<HTMLSelectElement>('convention').value;
  return v === '' ? undefined : (v as Convention);
}

// ——— drawing ———
export function drawAll(): void {
  drawDevice();
  fillExamples();
  drawDiagram();
  drawExplanation();
  drawValues();
  drawChart();
  drawViews();
  updateButtons();
}

function stageValues(): DiagramValues {
  const s = page.session;
  if (!s?.pass) return {};
  const p = s.pass;
  if (s.stage === 'forward' || s.stage === 'loss') return { Z: p.Z, A: p.A };
  return { Z: p.Z, A: p.A, delta: p.delta, dW: p.dW, db: p.db };
}

export function drawDiagram(): void {
  const s = page.session;
  if (!s) return;
  const batch = s.shownBatch();
  const c = Math.min(page.example, batch.n - 1);
  // Which example the values are, for paper: the Example menu is not printed (style.css).
  const rows = s.shownRows();
  writeText($('diagram-example'), exampleLine(c, batch.n, rows.x[c], rows.y[c]));
  diagram.render({
    net: s.net,
    naming: naming(conventionChoice()),
    // After Update the edges show the new weights; the node values are those of the step's pass.
    params: s.params,
    X: batch.X,
    n: batch.n,
    example: c,
    values: stageValues(),
    selected: page.selected,
    // MNIST's outputs are the digits 0 … 9 (the naming's o1 … o10 read as 1 … 10).
    outputLabels: page.data?.kind === 'mnist' && s.net.layers[s.net.layers.length - 1].units === 10 ? DIGIT_LABELS : undefined,
  });
}

/** The MNIST net's output units: digit k is output k + 1. */
const DIGIT_LABELS = Array.from({ length: 10 }, (_, k) => ({ name: String(k), title: `digit ${k}` }));

/** The Notation tab's line after Update (drawExplanation). */
const UPDATE_GRADIENT_NOTE = 'After Update: the gradient at the weights before the step (the pass the step used); the diagram shows the weights after it.';

export function drawExplanation(): void {
  const s = page.session;
  const host = $('explain');
  if (!s || !page.selected) {
    host.textContent = 'Select a weight or bias in the diagram.';
    return;
  }
  const rows = s.shownRows();
  const batch = s.shownBatch();
  const params = s.before ?? s.params;
  // The spec of the pass shown: its weights (before an Update; the spec's numbers as written where the weights are
  // still those, as the CLI's explain reads them) and its mini-batch.
  const spec: NetworkSpec = { ...omitKeys(s.lab.spec, 'init'), params: s.writtenParams(params), x: rows.x, y: rows.y };
  const showMatrix = s.pass && (s.stage === 'backward' || s.stage === 'update');
  renderExplanation(host, {
    spec,
    param: page.selected,
    convention: conventionChoice(),
    naming: naming(conventionChoice()),
    example: Math.min(page.example, batch.n - 1),
    // By design the gradient of the step's pass, at the weights before it: the diagram's edges show those after it.
    weightsNote: s.before ? UPDATE_GRADIENT_NOTE : undefined,
    // What the notes print about this gradient (the lecture's net at its starting weights): ✓ or the erratum.
    notes: lectureNotes(notesExample(s, params), { kind: 'deriv', of: 'loss', wrt: { kind: 'param', param: page.selected } }, undefined, Math.min(page.example, batch.n - 1)),
    run: showMatrix && s.pass ? { backend: s.kind, n: batch.n, X: batch.X, A: s.pass.A, delta: s.pass.delta, dW: s.pass.dW, db: s.pass.db } : undefined,
  });
}

/** The stage's numbers in words: the loss, and after Update each parameter's old → new value (small nets). */
export function drawValues(): void {
  const s = page.session;
  // While a Train or Fit runs, the stage line is the run's (training.ts runningStage) and the session still holds the
  // pass from before it (cleared when the run ends): an Example or Notation choice then wrote that pass's line over
  // the run's, and its Update table (the notes' marks with it) under weights that had moved on.
  const run = document.body.dataset.busy;
  if (s?.pass && (run === 'Train' || run === 'Fit')) return;
  const host = $('values');
  host.replaceChildren();
  const out = $('stage-out');
  if (!s || !s.pass || s.stage === 'none') return;
  const nm = naming(conventionChoice());
  const d = 4;
  const lossName = symText(nm.loss);
  const where = `on ${deviceName(s.kind)}`;
  if (s.stage === 'forward') out.textContent = `Forward ${where}: Z = W·A + b and A = f(Z) for every layer (the nodes show z and a of example ${page.example + 1}).`;
  if (s.stage === 'loss') out.textContent = `Loss ${where}: ${lossName} = ${fmtStored(s.pass.loss, d)}`;
  if (s.stage === 'backward') out.textContent = `Backward ${where} (${lossName} = ${fmtStored(s.pass.loss, d)}): ${backwardFormulas(s.net, s.shownRows().x.length)}. ${chainRuleHint(page.selected !== undefined)}`;
  if (s.stage === 'update') out.textContent = `Update ${where}: W ← W − η·dW, b ← b − η·db with η = ${fmtExact(s.lr)} (${lossName} before the step = ${fmtStored(s.pass.loss, d)}).`;
  if (s.stage !== 'update' || !s.before) return;
  const count = nm.paramCount();
  const params = firstParams(s.net, 40);
  const table = document.createElement('table');
  table.className = 'update-table';
  table.innerHTML = '<caption>Parameters after the update</caption><thead><tr><th scope="col">parameter</th><th scope="col">before</th><th scope="col">gradient</th><th scope="col">after</th></tr></thead>';
  const body = document.createElement('tbody');
  const get = (src: { W: ArrayLike<number>[]; b: ArrayLike<number>[] }, p: ParamId) => paramValue(s.net, src, p);
  const after = s.params;
  // Whose notes mark the values (the worked example at its first step, or none): once for the table, not per value.
  const worked = notesExample(s, s.before);
  for (const p of params) {
    const tr = document.createElement('tr');
    tr.dataset.param = paramKey(p);
    const values = [get(s.before, p), get({ W: s.pass.dW, b: s.pass.db }, p), get(after, p)];
    fillRow(tr, [symText(nm.param(p)), ...values.map((v) => fmtStored(v, 7))]);
    // What the lecture's notes print of the gradient and the new value (the lecture's own first step only).
    const refs: Ref[] = [{ kind: 'deriv', of: 'loss', wrt: { kind: 'param', param: p } }, { kind: 'updated', param: p }];
    refs.forEach((ref, k) => {
      const mark = lectureNotes(worked, ref, values[k + 1]);
      if (mark) tr.cells[k + 2].append(mark);
    });
    body.append(tr);
  }
  table.append(body);
  host.append(table);
  if (count > params.length) host.append(Object.assign(document.createElement('p'), { textContent: `(first ${params.length} of ${count} parameters)` }));
}

/** The first `max` parameters in the flat order (Naming.params() without listing all of them). */
function firstParams(net: Net, max: number): ParamId[] {
  const out: ParamId[] = [];
  let p: ParamId | undefined = { kind: 'W', layer: 0, row: 0, col: 0 };
  for (; p && out.length < max; p = nextParam(net, p)) out.push(p);
  return out;
}

/** `draw`, run once at the next animation frame however many times it is asked for before then. */
function oncePerFrame(draw: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      draw();
    });
  };
}

/** At most one chart redraw per frame while training (mini-batch runs add a point every step). */
export const drawChartSoon = oncePerFrame(() => drawChart());

export function drawChart(): void {
  const s = page.session;
  chart.logScale = $<HTMLInputElement>('log-scale').checked;
  // The backends' runs, not every point (a point a step of an afternoon's mini-batches): the chart keeps them.
  chart.draw(s?.history ?? [], s ? curveBackends(chart.backends(s.history), s.kind) : 'CPU', s?.validation ?? []);
}

function drawViews(): void {
  const s = page.session;
  const d = page.data;
  // What the Output shows, for Output PNG (output-png.ts): each branch below says which plot, or why none.
  setOutputShown({ kind: 'none', no: 'net' });
  if (!s || !d) return;
  const twoD = d.kind === '2d' || (s.net.inputs === 2 && d.labels !== undefined);
  $('boundary-box').hidden = !twoD;
  const val = validationScore(s, d);
  if (twoD && d.labels && d.classes) {
    const canvas = $<HTMLCanvasElement>('boundary');
    const pxPerCss = fitCanvas(canvas);
    const nm = naming();
    const inputs: [string, string] = [symText(nm.node({ kind: 'x', index: 0 })), symText(nm.node({ kind: 'x', index: 1 }))];
    const args: BoundaryArgs = {
      net: s.net, params: s.params, x: s.lab.x, labels: d.labels, classes: d.classes,
      axisNames: boundaryAxisNames(inputs, d.imported), classNames: d.imported?.classNames, pxPerCss,
    };
    const r = drawBoundary(canvas, args);
    setOutputShown('notDrawn' in r ? { kind: 'none', no: 'tooBig' } : { kind: 'boundary', args, width: canvas.width, height: canvas.height });
    $('boundary-out').textContent = 'notDrawn' in r
      ? `${r.notDrawn}${val ? ` ${val[0].toUpperCase()}${val.slice(1)}.` : ''}`
      : `Training accuracy ${percent(r.accuracy)}${val ? `; ${val}` : ''}. ${d.classes} classes: the colour is the class the net picks, and each class's points have a shape of their own (the legend, top right, names each); the lines are its decision boundary (computed on the CPU from the current weights).${pointsNote(s.lab.x.length)}`;
  }
  $('mnist-box').hidden = d.kind !== 'mnist';
  if (d.kind === 'mnist') setOutputShown({ kind: 'none', no: 'mnist' });
  if (d.kind === 'mnist' && d.heldOut) {
    const r = confusionMatrix(s.net, s.params, d.heldOut);
    renderConfusion($('confusion'), r);
    renderSamples($('samples'), d.heldOut, r.predicted, 8);
  }
  $('predictions-box').hidden = twoD || d.kind === 'mnist';
  if (!twoD && d.kind !== 'mnist') setOutputShown(drawFitOutput(s, d, naming(), val));
  // Any other classification's confusion matrices, under the boundary's or the fit view's sentence.
  drawClassConfusion($('class-box'), $(twoD ? 'boundary-out' : 'fit-out'), s, d);
  // A lecture preset's claims, or those of a worked-example file opened here (files.ts dataFor: `workedFile`).
  const lectureChecks = d.worked !== undefined;
  $('lecture-box').hidden = !lectureChecks;
  $('no-claims').hidden = lectureChecks;
  // What differs from the lecture, for the net as it is now (trained since its load or edit: its weights too).
  const change = d.changedLecture && changeNow(d.changedLecture, s.toSpec(), s.lab.batchSize);
  $('no-claims').textContent = noClaimsLine(change);
  const text = d.spec.description ?? '';
  $('preset-about').textContent = `${change ? `${changedLectureLine(change, text !== '')} ` : ''}${text}`.trim();
  if (lectureChecks) drawClaims(d);
}

/**
 * The validation rows' loss after the latest training chunk, on the CPU from the weights read back after it
 * (the session keeps that copy current for small nets; big ones are read at the end of a run).
 */
export function recordValidation(s: LabSession): void {
  const v = page.data?.validation;
  const last = s.history[s.history.length - 1];
  if (!v || v.x.length === 0 || !last || !s.tracksTrail) return;
  const batch = batchFrom(s.net, v.x, v.y);
  // Per example, as Fit's validation points (Model.evaluate) are: under reduction 'sum' L itself grows with the rows.
  s.validation.push({ step: last.step, loss: lossPerExample(s.net, s.params, batch.X, batch.Y, batch.n) });
}

/** Data region: what the data is (size, features, classes or regression, batch, validation: Fit's, MNIST's held-out digits too). */
export function drawDataSummary(): void {
  const s = page.session;
  const d = page.data;
  if (!s || !d) return;
  const K = s.net.layers[s.net.layers.length - 1].units;
  const task = s.net.loss === 'mse' ? 'regression (MSE)' : s.net.loss === 'bce' ? '2 classes (BCE)' : `${K} classes (softmax cross-entropy)`;
  const n = s.lab.x.length;
  $('data-summary').textContent = dataSummary({ from: d.imported?.file ?? d.workedFile, worked: workedCounts(d), examples: n, validation: fitValidation(d)?.x.length ?? 0, inputs: s.net.inputs, task, plan: batchPlan(n, s.lab.batchSize) });
}

/** The worked example whose table #claims shows (drawClaims): drawn once per example, a lecture's or an opened file's. */
let claimsDrawn: WorkedExample | undefined;

/** The lecture's (or the opened worked example's) printed numbers against the engine (the scalar engine, float64), with the errata. */
function drawClaims(d: PresetData): void {
  const host = $('claims');
  if (claimsDrawn === d.worked) return;
  claimsDrawn = d.worked;
  const model = claimsTable(d.worked!, lectureCheck(d.worked!).checks, d.workedFile);
  const table = document.createElement('table');
  table.className = 'claims';
  table.innerHTML = `<caption></caption><thead><tr>${CLAIM_COLUMNS.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>`;
  // A file's title and name are the instructor's text: set as text, not parsed as HTML.
  table.caption!.textContent = model.caption;
  const body = document.createElement('tbody');
  model.rows.forEach((r, i) => {
    const tr = document.createElement('tr');
    tr.className = r.status;
    // The row a value's notes mark opens (lectureNotes): its index in the checks, as NotesMark.row gives it.
    tr.id = `claim-row-${i}`;
    // The claim's name is the row's header; the line before it, as `backprop check` prints it.
    fillRow(tr, r.cells, 1);
    body.append(tr);
  });
  table.append(body);
  const summary = document.createElement('p');
  summary.textContent = model.summary;
  host.replaceChildren(summary, table);
}

/**
 * A worked example's checks (checkWorked, once an example) and its names, for the table and the notes' marks: kept by
 * the example itself (an opened file may have a lecture's id, with claims of its own).
 */
const lectureChecks = new WeakMap<WorkedExample, { checks: ClaimCheck[]; naming: Naming }>();
function lectureCheck(w: WorkedExample): { checks: ClaimCheck[]; naming: Naming } {
  let c = lectureChecks.get(w);
  if (!c) {
    c = { checks: checkWorked(w).checks, naming: new Naming(validateSpec(w.spec).net, w.spec.notation) };
    lectureChecks.set(w, c);
  }
  return c;
}

/**
 * What a lecture's notes print about a value the lab shows (`ref` of the lecture's net, `shown`; undefined: the
 * engine's own, as the Notation tab's chain rule gives it), as a small mark to put beside it: a ✓ "as in the notes"
 * where the value is the notes' to their digits, and a line per erratum (what the notes print, "an erratum") with a
 * button to its row in Lecture checks. Nothing without `worked` (notesExample: another net, or this net past the
 * lecture's step).
 */
function lectureNotes(worked: WorkedExample | undefined, ref: Ref, shown: number | undefined, example?: number): HTMLElement | undefined {
  if (!worked) return undefined;
  const { checks, naming } = lectureCheck(worked);
  const marks = notesMarks(checks, naming, ref, shown, checks.some((c) => c.example !== undefined) ? example : undefined);
  if (marks.length === 0) return undefined;
  const box = document.createElement('span');
  box.className = 'notes-marks';
  for (const g of groupMarks(marks)) {
    box.append(g.verdict === 'as-printed' ? Object.assign(document.createElement('span'), { className: 'notes-ok', textContent: notesMarkText(g) }) : notesButton(g));
  }
  return box;
}

/** The worked example whose notes mark a pass from `from` (the page's lecture or opened file, at its first step), or undefined. */
function notesExample(s: LabSession, from: Parameters<LabSession['writtenParams']>[0]): WorkedExample | undefined {
  return marksExample(page.data, { ...s.toSpec(), params: s.writtenParams(from) }, s.lab.batchSize);
}

/** One erratum's (or another rounding's) line: what the notes print, a button to its Lecture checks row. */
function notesButton(g: NotesGroup): HTMLElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `notes-mark ${g.verdict}`;
  b.textContent = notesMarkText(g);
  b.title = 'Show it in Lecture checks';
  b.addEventListener('click', () => showClaimRow(g.rows[0]));
  return b;
}

/** Lecture checks, its row `row` scrolled into view, focused and marked (.claim-shown) until another is shown. */
function showClaimRow(row: number): void {
  showTab('tab-checks');
  const tr = document.getElementById(`claim-row-${row}`);
  if (!tr) return;
  for (const old of document.querySelectorAll('#claims tr.claim-shown')) old.classList.remove('claim-shown');
  tr.classList.add('claim-shown');
  tr.tabIndex = -1;
  tr.scrollIntoView({ behavior: scrollMotion(), block: 'center' });
  tr.focus({ preventScroll: true });
}

/** The Example menu: the examples of the mini-batch on show (the last of a pass may be smaller). */
export function fillExamples(): void {
  const s = page.session;
  if (!s) return;
  const sel = $<HTMLSelectElement>('example');
  const size = s.shownRows().x.length;
  if (sel.dataset.size !== String(size)) {
    sel.replaceChildren();
    for (let c = 0; c < Math.min(size, 100); c++) sel.append(new Option(`${c + 1} of ${size}`, String(c)));
    sel.dataset.size = String(size);
  }
  page.example = Math.min(page.example, Math.min(size, 100) - 1);
  sel.value = String(page.example);
}

/** The two parameter pickers of the Loss surface tab: `surface-m{k}` (matrix), `surface-r{k}` (row), `surface-c{k}` (column). */
const SURFACE_PICKS = [1, 2] as const;

/** The pickers' fields themselves, for Draw: typed text that is not a number is said so (their badInput), not "got ''". */
function surfaceFields(k: 1 | 2): ChoiceFields & { row: HTMLInputElement; col: HTMLInputElement } {
  return { matrix: $<HTMLSelectElement>(`surface-m${k}`).value, row: $<HTMLInputElement>(`surface-r${k}`), col: $<HTMLInputElement>(`surface-c${k}`) };
}

function surfaceChoice(k: 1 | 2): ParamChoice {
  const f = surfaceFields(k);
  return { matrix: f.matrix, row: f.row.value, col: f.col.value };
}

/** The row and column fields' ranges for the chosen matrix, the column hidden for a bias vector, and the name chosen. */
function showSurfacePick(k: 1 | 2): void {
  const s = page.session;
  if (!s) return;
  const choice = surfaceChoice(k);
  const shape = matrixShape(s.net, choice.matrix);
  const row = $<HTMLInputElement>(`surface-r${k}`);
  const col = $<HTMLInputElement>(`surface-c${k}`);
  row.max = String(Math.max(0, (shape?.rows ?? 1) - 1));
  col.max = String(Math.max(0, (shape?.cols ?? 1) - 1));
  $(`surface-cw${k}`).hidden = shape?.cols === 0;
  let name = '';
  try {
    name = `= ${symText(naming().param(readChoice(s.net, choice, `surface.p${k}`)))}`;
  } catch {
    // Not a parameter yet (a row being typed): Draw names the field.
  }
  $(`surface-n${k}`).textContent = name;
}

/** The pickers' fields as they are: load() puts them back when a new net fails to draw (swap.ts showInstead). */
export const surfacePicks = {
  save: (): ParamChoice[] => SURFACE_PICKS.map(surfaceChoice),
  restore(saved: ParamChoice[]): void {
    SURFACE_PICKS.forEach((k, i) => {
      $<HTMLSelectElement>(`surface-m${k}`).value = saved[i].matrix;
      $<HTMLInputElement>(`surface-r${k}`).value = saved[i].row;
      $<HTMLInputElement>(`surface-c${k}`).value = saved[i].col;
      showSurfacePick(k);
    });
  },
};

/** The pickers for this session's net: its matrices in the menus, the default pair chosen (no per-parameter list). */
export function fillSurfaceParams(): void {
  const s = page.session!;
  const matrices = surfaceMatrices(s.net);
  const defaults = defaultSurfaceParams(s.net);
  for (const k of SURFACE_PICKS) {
    const sel = $<HTMLSelectElement>(`surface-m${k}`);
    sel.replaceChildren(...matrices.map((m) => new Option(m.label, m.value)));
    const c = choiceOf(defaults[k - 1]);
    sel.value = c.matrix;
    $<HTMLInputElement>(`surface-r${k}`).value = c.row;
    $<HTMLInputElement>(`surface-c${k}`).value = c.col;
    showSurfacePick(k);
  }
}

const surfacePlaceholder = $('surface').firstElementChild!;

async function drawSurface(): Promise<void> {
  const s = page.session!;
  const nm = naming();
  const [p1, p2] = readChoices(s.net, surfaceFields(1), surfaceFields(2));
  // The grid is res² CPU forward passes over the batch, on the page's thread: keep it near SURFACE_WORK
  // multiply-adds (~0.5 s) by a coarser grid and, if still too much, the first examples of the batch only.
  const rows = s.shownRows();
  const perExample = s.net.layers.reduce((sum, l) => sum + l.units * l.fanIn, 0);
  const fine = 41;
  const res = perExample * rows.x.length * fine * fine <= SURFACE_WORK ? fine : 21;
  const m = Math.max(1, Math.min(rows.x.length, Math.floor(SURFACE_WORK / (perExample * res * res))));
  const batch = batchFrom(s.net, rows.x.slice(0, m), rows.y.slice(0, m));
  // The path training took over these two parameters (Update and Train record it for small nets).
  const path = s.trail.length > 1 ? s.trail.map((q): [number, number] => [paramValue(s.net, q, p1), paramValue(s.net, q, p2)]) : undefined;
  const args = { net: s.net, params: s.params, X: batch.X, Y: batch.Y, n: batch.n, p1, p2, resolution: res, path, ...surfaceLabels(nm, p1, p2) };
  const out = $('surface-out');
  // A step that fails says so on the line (it said "Computing the grid…" for ever), and run() shows the notice.
  await drawSurfaceWith(out, args, {
    grid: surfaceGrid,
    view: async () => {
      if (!surface) {
        // NOTE: fetched on the first Draw, not at start (./lazy.ts): its chunk holds wgpu-matrix, ~190 kB unminified.
        const { LossSurface } = await loadCode("the loss surface's drawing code", () => import('./surface.ts'), (line) => { out.textContent = line; });
        $('surface').replaceChildren();
        surface = new LossSurface($('surface'), { allowFallbackAdapter: $<HTMLInputElement>('surface-soft').checked });
      }
      return surface;
    },
  }, (where) => surfaceCaption(m, rows.x.length, res, where));
}

/**
 * The Loss surface tab back to its placeholder, its view disposed and its line emptied: the next Draw makes a new
 * one. Also for another net on the page (main.ts), whose surface the last net's drawing was not ("The loss on the
 * batch (1 example)" over w5 and w6 stayed under the circle net).
 */
export function resetSurface(): void {
  surface?.dispose();
  surface = null;
  $('surface').replaceChildren(surfacePlaceholder);
  $('surface-out').textContent = '';
}

/** The loss surface drawn again, as it is, in the page's scheme now (main.ts on a scheme change); nothing before its first Draw. */
export function repaintSurface(): void {
  surface?.repaint();
}

/** Multiply-adds one loss surface may cost (res² forward passes): about half a second on this kind of CPU. */
const SURFACE_WORK = 3e8;

/** Canvases are drawn at their on-screen size: draw them again (once per frame) when the window changes size. */
export const onResize = oncePerFrame(() => {
  drawChart();
  if (!document.body.dataset.busy) drawViews();
});

/** The Loss surface tab's Draw button and its "3-D on a software adapter" box. */
export function wireSurface(run: RunAction): void {
  $('surface-draw').addEventListener('click', () => void run('Loss surface', drawSurface));
  for (const k of SURFACE_PICKS) {
    $(`surface-m${k}`).addEventListener('change', () => {
      // Another matrix: its first entry, unless the row and column typed are inside it.
      const s = page.session;
      const shape = s && matrixShape(s.net, $<HTMLSelectElement>(`surface-m${k}`).value);
      const row = $<HTMLInputElement>(`surface-r${k}`);
      const col = $<HTMLInputElement>(`surface-c${k}`);
      if (shape && !(Number(row.value) < shape.rows)) row.value = '0';
      if (shape && shape.cols > 0 && !(Number(col.value) < shape.cols)) col.value = '0';
      if (shape?.cols === 0) col.value = '';
      showSurfacePick(k);
    });
    for (const id of [`surface-r${k}`, `surface-c${k}`]) $(id).addEventListener('input', () => showSurfacePick(k));
  }
  $('surface-soft').addEventListener('change', () => {
    // The next Draw makes a new view with the new setting; until then, the placeholder.
    resetSurface();
    updateButtons();
  });
}
