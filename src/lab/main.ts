/**
 * The course lab page: wires the controls to a LabSession (src/lab/session.ts) and draws its state with
 * the views (diagram, explanation, loss curve, boundary, confusion matrix, loss surface). No engine code
 * here: every number shown comes from the Model on the chosen backend, the scalar engine, or the CPU
 * oracle's kernels (views of the current weights on points that are not the batch).
 */
import 'katex/dist/katex.min.css';
import type { BackendKind } from '../backend.ts';
import { BackpropError } from '../errors.ts';
import { Naming, paramKey, paramValue, type ParamId } from '../notation/names.ts';
import { fmtValue } from '../notation/format.ts';
import { symText } from '../notation/symbols.ts';
import { batchFrom, paramsToSpec, type NetworkSpec } from '../spec.ts';
import type { WebGpuBackend } from '../webgpu/backend.ts';
import { checkWorked } from '../worked/check.ts';
import { LECTURES } from '../lectures/index.ts';
import { drawBoundary } from './boundary.ts';
import { confusionMatrix, renderConfusion, renderSamples } from './confusion.ts';
import { NetworkDiagram, type DiagramValues } from './diagram.ts';
import { NetEditor } from './editor.ts';
import { renderExplanation } from './explain-panel.ts';
import { download, fileName, parseSpecFile, readFragment, shareFragment } from './files.ts';
import { fitCanvas, LossChart, lossCsv } from './loss-chart.ts';
import { PRESETS, preset, type PresetData } from './presets.ts';
import type { AdapterReport } from '../browser/harness.ts';
import { checkLabSpec, LabSession } from './session.ts';
import { LossSurface } from './surface.ts';
import { chooseDevice, deviceName, isSoftwareAdapter, shortName } from './device.ts';
import { simdSupport } from '../wasm/backend.ts';
import { ImportPanel } from './import-panel.ts';
import { lossAt, predict } from './eval.ts';
import { surfaceGrid } from './surface-client.ts';
import type { Convention } from '../notation/names.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
};

// ——— page state ———
let gpu: WebGpuBackend | null = null;
let adapter: AdapterReport = { available: false, reason: 'not probed yet' };
/** Whether this engine validates WebAssembly f32x4 SIMD (the wasm backend). */
const wasmSimd = simdSupport().simd;
let session: LabSession | null = null;
let data: PresetData | null = null;
let selected: ParamId | undefined;
let example = 0;
let stopRequested = false;

const diagram = new NetworkDiagram($('diagram'), (p) => {
  selected = p;
  showTab('tab-notation');
  drawDiagram();
  drawExplanation();
});
const chart = new LossChart($<HTMLCanvasElement>('loss-chart'));
/** Made on the first Draw (until then the tab shows a placeholder, not an empty box). */
let surface: LossSurface | null = null;
const editor = new NetEditor($<HTMLFormElement>('editor'), (v) => {
  void run('Apply', async () => {
    const current = data;
    if (!current || !session) return;
    // Same shapes and no re-initialisation: go on from the weights as they are now (after any training).
    const spec = v.spec.params ? { ...v.spec, params: paramsToSpec(session.net, session.params) } : v.spec;
    await load({ ...current, spec, batchSize: v.batchSize }, 'edited', { keep: Boolean(v.spec.params) });
  });
});

// ——— busy / errors ———
/** Run one user action: one at a time, the page marked busy (tests wait on it), errors shown, never thrown. */
async function run(what: string, work: () => Promise<void>): Promise<void> {
  if (document.body.dataset.busy) return;
  document.body.dataset.busy = what;
  updateButtons();
  try {
    hideError();
    await work();
  } catch (err) {
    showError(what, err);
  } finally {
    delete document.body.dataset.busy;
    updateButtons();
    if (lostPending) afterDeviceLoss();
  }
}

/** After a device loss: the same net and weights, on the CPU, with the notice saying why. */
let lostPending = false;
function afterDeviceLoss(): void {
  lostPending = false;
  void run('Moving to the CPU after the GPU device was lost', async () => {
    if (session?.kind === 'webgpu') await switchBackend('cpu');
    drawDevice();
  });
}

/** The notice at the bottom of the page: a warning (no WebGPU) or an error, until the next action or its × button. */
function showNotice(kind: 'warn' | 'error', text: string): void {
  const box = $('notice');
  $('notice-text').textContent = text;
  box.className = `notice ${kind}`;
  box.hidden = false;
}

function showError(what: string, err: unknown): void {
  const name = err instanceof Error ? err.name : 'Error';
  const field = err instanceof BackpropError && err.field ? ` (field: ${err.field})` : '';
  showNotice('error', `${what} failed — ${name}${field}: ${err instanceof Error ? err.message : String(err)}`);
}

function hideError(): void {
  const box = $('notice');
  if (box.classList.contains('error')) box.hidden = true;
}

// ——— device ———
async function probeGpu(): Promise<void> {
  try {
    const { WebGpuBackend } = await import('../webgpu/backend.ts');
    gpu = await WebGpuBackend.create();
    const info = gpu.adapterInfo;
    adapter = { available: true, description: gpu.description, vendor: info.vendor, architecture: info.architecture, isFallbackAdapter: info.isFallbackAdapter };
    // The page never destroys this device, so any loss is real (NOTE: Chromium reports a device lost to a failed
    // canvas swap chain with reason 'destroyed' too). The session's CPU copy of the weights (read back after
    // every Update and Train) goes on on the CPU.
    gpu.device.lost.then((lost) => {
      adapter = { available: false, reason: `the GPU device was lost (${lost.message || lost.reason})` };
      gpu = null;
      lostPending = true;
      if (!document.body.dataset.busy) afterDeviceLoss();
    });
  } catch (err) {
    gpu = null;
    adapter = { available: false, reason: (err instanceof Error ? err.message : String(err)).replace(/^WebGPU is unavailable: /, '') };
  }
}

/** The wasm backend in a few words: the SIMD kind and the threads (the full description is the badge's title). */
function wasmBadge(): string {
  const w = session?.wasm;
  if (!w) return 'WebAssembly SIMD';
  return `${w.simd === 'relaxed' ? 'relaxed SIMD (FMA)' : 'SIMD (f32x4)'}, ${w.threads} thread${w.threads === 1 ? '' : 's'}`;
}

/** The last "WebGPU is unavailable" warning shown. */
let warned = '';
function drawDevice(): void {
  const choice = chooseDevice(adapter, wasmSimd);
  const kind = session?.kind ?? choice.start;
  const badge = $('device-badge');
  const software = isSoftwareAdapter(adapter);
  badge.textContent = kind === 'webgpu'
    ? `Training on WebGPU: ${adapter.description ?? 'GPU'}${software ? ' (emulated on the CPU)' : ''}`
    : kind === 'wasm'
      ? `Training on wasm: ${wasmBadge()}`
      : `Training on the CPU (Float32Array)${wasmSimd ? '' : ': no WebAssembly SIMD here'}`;
  $('device-why').textContent = kind === choice.start
    ? choice.why
    : kind === 'webgpu' && software
      ? `Training on WebGPU as you chose: this adapter emulates a GPU on the CPU, so the CPU paths are faster here. (The engine's 'auto' takes ${deviceName(choice.start)}: ${choice.autoWhy}.)`
      : `Training on ${deviceName(kind)} as you chose. (The engine's 'auto' takes ${deviceName(choice.start)}: ${choice.autoWhy}.)`;
  badge.title = session?.description ?? '';
  badge.className = `badge ${kind}`;
  badge.dataset.backend = kind;
  const webgpuRadio = $<HTMLInputElement>('backend-webgpu');
  webgpuRadio.checked = kind === 'webgpu';
  $<HTMLInputElement>('backend-cpu').checked = kind === 'cpu';
  $<HTMLInputElement>('backend-wasm').checked = kind === 'wasm';
  const dl = $('adapter');
  dl.replaceChildren();
  const row = (k: string, v: string) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  };
  if (session) row('backend', session.description);
  if (adapter.available) {
    row('vendor', adapter.vendor || '(not reported)');
    row('architecture', adapter.architecture || '(not reported)');
    row('fallback adapter', adapter.isFallbackAdapter ? 'yes — a CPU emulation of a GPU (e.g. SwiftShader)' : 'no');
  } else {
    row('WebGPU', 'unavailable');
  }
  // Once per reason (drawDevice runs after every action; a dismissed warning stays dismissed until the reason changes).
  const warning = adapter.available ? '' : `WebGPU is unavailable here, so the lab trains on ${deviceName(choice.start)}. Reason: ${adapter.reason}`;
  if (warning && warning !== warned && !$('notice').classList.contains('error')) {
    warned = warning;
    showNotice('warn', warning);
  }
  $<HTMLButtonElement>('verify').title = adapter.available || wasmSimd ? '' : 'needs WebGPU or WebAssembly SIMD';
  updateButtons();
}

async function switchBackend(kind: BackendKind): Promise<void> {
  if (!session || !data) return;
  const spec = session.toSpec();
  await load({ ...data, spec }, `switched to ${kind}`, { kind, keep: true });
}

// ——— loading a net ———
/**
 * Load a net (validated first: on error nothing changes). `keep`: the same net goes on (a backend switch, an
 * edit that kept the weights), so the loss curve and the weights Reset returns to carry over.
 */
async function load(next: PresetData, why: string, options: { kind?: BackendKind; keep?: boolean } = {}): Promise<void> {
  const { kind, keep = false } = options;
  const lab = checkLabSpec(next.spec, next.batchSize);
  const backend = kind ?? session?.kind ?? chooseDevice(adapter, wasmSimd).start;
  const opened = await LabSession.open(lab, backend === 'webgpu' && !gpu ? 'cpu' : backend, gpu);
  const previous = keep && session ? session : null;
  if (previous) {
    opened.history = previous.history;
    opened.validation = previous.validation;
    opened.steps = previous.steps;
    opened.initial = previous.initial;
    opened.trail = previous.trail;
  }
  session?.dispose();
  session = opened;
  data = next;
  example = 0;
  if (selected && !paramExists(selected)) selected = undefined;
  selected ??= defaultParam();
  editor.show(session.toSpec(), lab.batchSize, lab.x.length, next.spec.init?.seed);
  $('preset-about').textContent = next.spec.description ?? '';
  drawDataSummary();
  if (!keep) fitDefaults();
  fillExamples();
  fillSurfaceParams();
  drawAll();
  $('stage-out').textContent = `${next.spec.name ?? 'net'} loaded on ${deviceName(session.kind)} (${why}). Press Forward.`;
}

async function loadPreset(id: string): Promise<void> {
  const p = preset(id);
  if (!p) throw new BackpropError('SPEC', `no preset '${id}'; there are ${PRESETS.map((x) => x.id).join(', ')}`, 'preset');
  // A new net starts a new loss curve (load() keeps the curve only when switching backends).
  await load(await p.load(), `preset ${p.id}`);
  $<HTMLSelectElement>('preset').value = id;
}

function paramExists(p: ParamId): boolean {
  const net = session?.net;
  if (!net || p.layer >= net.layers.length) return false;
  const L = net.layers[p.layer];
  if (p.kind === 'W') return p.row < L.units && p.col < L.fanIn;
  return L.bias === 'per-unit' ? p.index < L.units : L.bias === 'shared' && p.index === 0;
}

/** The first weight of the output layer (w5 in the 2-2-1 lecture). */
function defaultParam(): ParamId | undefined {
  const net = session?.net;
  if (!net) return undefined;
  return { kind: 'W', layer: net.layers.length - 1, row: 0, col: 0 };
}

/** The session's names in a convention (cached: building a Naming for a 784-input net takes a second). */
const namings = new Map<string, Naming>();
let namingsFor: LabSession | null = null;
function naming(convention?: Convention): Naming {
  const s = session!;
  if (namingsFor !== s) {
    namings.clear();
    namingsFor = s;
  }
  const key = convention ?? '';
  let nm = namings.get(key);
  if (!nm) {
    try {
      nm = new Naming(s.net, convention ? undefined : s.lab.spec.notation, convention);
    } catch {
      // An edited net no longer fits the lecture's own names: fall back to the default ones.
      nm = new Naming(s.net, undefined, convention);
    }
    namings.set(key, nm);
  }
  return nm;
}

function conventionChoice(): Convention | undefined {
  const v = $<HTMLSelectElement>('convention').value;
  return v === '' ? undefined : (v as Convention);
}

// ——— drawing ———
function drawAll(): void {
  drawDevice();
  drawDiagram();
  drawExplanation();
  drawValues();
  drawChart();
  drawViews();
  updateButtons();
}

function stageValues(): DiagramValues {
  const s = session;
  if (!s?.pass) return {};
  const p = s.pass;
  if (s.stage === 'forward' || s.stage === 'loss') return { Z: p.Z, A: p.A };
  return { Z: p.Z, A: p.A, delta: p.delta, dW: p.dW, db: p.db };
}

function drawDiagram(): void {
  const s = session;
  if (!s) return;
  const batch = s.shownBatch();
  diagram.render({
    net: s.net,
    naming: naming(conventionChoice()),
    // After Update the edges show the new weights; the node values are those of the step's pass.
    params: s.params,
    X: batch.X,
    n: batch.n,
    example: Math.min(example, batch.n - 1),
    values: stageValues(),
    selected,
  });
}

function drawExplanation(): void {
  const s = session;
  const host = $('explain');
  if (!s || !selected) {
    host.textContent = 'Select a weight or bias in the diagram.';
    return;
  }
  const rows = s.shownRows();
  const batch = s.shownBatch();
  const params = s.before ?? s.params;
  const { init, ...rest } = s.lab.spec;
  void init;
  // The spec of the pass shown: its weights (before an Update) and its mini-batch.
  const spec: NetworkSpec = { ...rest, params: paramsToSpec(s.net, params), x: rows.x, y: rows.y };
  const showMatrix = s.pass && (s.stage === 'backward' || s.stage === 'update');
  renderExplanation(host, {
    spec,
    param: selected,
    convention: conventionChoice(),
    naming: naming(conventionChoice()),
    run: showMatrix && s.pass ? { backend: s.kind, n: batch.n, X: batch.X, A: s.pass.A, delta: s.pass.delta, dW: s.pass.dW, db: s.pass.db } : undefined,
  });
}

/** A table row: the first cell is the row's header (th scope=row), the others data cells. */
function fillRow(tr: HTMLTableRowElement, cells: string[]): void {
  cells.forEach((text, k) => {
    const cell = document.createElement(k === 0 ? 'th' : 'td');
    if (k === 0) cell.setAttribute('scope', 'row');
    cell.textContent = text;
    tr.append(cell);
  });
}

/** The stage's numbers in words: the loss, and after Update each parameter's old → new value (small nets). */
function drawValues(): void {
  const s = session;
  const host = $('values');
  host.replaceChildren();
  const out = $('stage-out');
  if (!s || !s.pass || s.stage === 'none') return;
  const nm = naming(conventionChoice());
  const d = 4;
  const lossName = symText(nm.loss);
  const where = `on ${deviceName(s.kind)}`;
  if (s.stage === 'forward') out.textContent = `Forward ${where}: Z = W·A + b and A = f(Z) for every layer (the nodes show z and a of example ${example + 1}).`;
  if (s.stage === 'loss') out.textContent = `Loss ${where}: ${lossName} = ${fmtValue(s.pass.loss, d)}`;
  if (s.stage === 'backward') out.textContent = `Backward ${where}: δ = (Wᵀ·δ) ⊙ f′(Z), dW = δ·Aᵀ, db = δ·1 (${lossName} = ${fmtValue(s.pass.loss, d)}). Select a parameter to see its chain rule.`;
  if (s.stage === 'update') out.textContent = `Update ${where}: W ← W − η·dW, b ← b − η·db with η = ${s.lr} (${lossName} before the step = ${fmtValue(s.pass.loss, d)}).`;
  if (s.stage !== 'update' || !s.before) return;
  const params = nm.params();
  const table = document.createElement('table');
  table.className = 'update-table';
  table.innerHTML = '<caption>Parameters after the update</caption><thead><tr><th scope="col">parameter</th><th scope="col">before</th><th scope="col">gradient</th><th scope="col">after</th></tr></thead>';
  const body = document.createElement('tbody');
  const get = (src: { W: ArrayLike<number>[]; b: ArrayLike<number>[] }, p: ParamId) => paramValue(s.net, src, p);
  const after = s.params;
  for (const p of params.slice(0, 40)) {
    const tr = document.createElement('tr');
    tr.dataset.param = paramKey(p);
    fillRow(tr, [symText(nm.param(p)), fmtValue(get(s.before, p), 7), fmtValue(get({ W: s.pass.dW, b: s.pass.db }, p), 7), fmtValue(get(after, p), 7)]);
    body.append(tr);
  }
  table.append(body);
  host.append(table);
  if (params.length > 40) host.append(Object.assign(document.createElement('p'), { textContent: `(first 40 of ${params.length} parameters)` }));
}

/** At most one chart redraw per frame while training (mini-batch runs add a point every step). */
let chartQueued = false;
function drawChartSoon(): void {
  if (chartQueued) return;
  chartQueued = true;
  requestAnimationFrame(() => {
    chartQueued = false;
    drawChart();
  });
}

function drawChart(): void {
  const s = session;
  chart.logScale = $<HTMLInputElement>('log-scale').checked;
  chart.draw(s?.history ?? [], s ? shortName(s.kind) : 'CPU', s?.validation ?? []);
}

function drawViews(): void {
  const s = session;
  const d = data;
  if (!s || !d) return;
  const twoD = d.kind === '2d' || (s.net.inputs === 2 && d.labels !== undefined);
  $('boundary-box').hidden = !twoD;
  const val = validationScore();
  if (twoD && d.labels && d.classes) {
    const canvas = $<HTMLCanvasElement>('boundary');
    fitCanvas(canvas);
    const r = drawBoundary(canvas, { net: s.net, params: s.params, x: s.lab.x, labels: d.labels, classes: d.classes });
    $('boundary-out').textContent = `Training accuracy ${(100 * r.accuracy).toFixed(1)} %${val ? `; ${val}` : ''}. ${d.classes} classes: the colour is the class the net picks; the lines are its decision boundary (computed on the CPU from the current weights).`;
  }
  $('mnist-box').hidden = d.kind !== 'mnist';
  if (d.kind === 'mnist' && d.heldOut) {
    const r = confusionMatrix(s.net, s.params, d.heldOut);
    renderConfusion($('confusion'), r);
    renderSamples($('samples'), d.heldOut, r.predicted, 8);
  }
  $('predictions-box').hidden = twoD || d.kind === 'mnist';
  if (!twoD && d.kind !== 'mnist') drawPredictions(val);
  const lectureChecks = d.kind === 'lecture' && d.worked !== undefined;
  $('lecture-box').hidden = !lectureChecks;
  $('no-claims').hidden = lectureChecks;
  if (lectureChecks) drawClaims(d);
}

/**
 * The validation rows' loss after the latest training chunk, on the CPU from the weights read back after it
 * (the session keeps that copy current for small nets; big ones are read at the end of a run).
 */
function recordValidation(s: LabSession): void {
  const v = data?.validation;
  const last = s.history[s.history.length - 1];
  if (!v || v.x.length === 0 || !last || !s.tracksTrail) return;
  const batch = batchFrom(s.net, v.x, v.y);
  s.validation.push({ step: last.step, loss: lossAt(s.net, s.params, batch.X, batch.Y, batch.n) });
}

/** How the net does on the validation rows (your data), or undefined when there are none. */
function validationScore(): string | undefined {
  const s = session;
  const v = data?.validation;
  if (!s || !v || v.x.length === 0) return undefined;
  const batch = batchFrom(s.net, v.x, v.y);
  const loss = lossAt(s.net, s.params, batch.X, batch.Y, batch.n);
  if (!data?.labels) return `validation loss ${loss.toPrecision(4)} on ${v.x.length} held-out rows`;
  const A = predict(s.net, s.params, batch.X, batch.n);
  const K = s.net.layers[s.net.layers.length - 1].units;
  let right = 0;
  for (let c = 0; c < batch.n; c++) {
    let best = 0;
    if (K === 1) best = A[c] >= 0.5 ? 1 : 0;
    else for (let k = 1; k < K; k++) if (A[k * batch.n + c] > A[best * batch.n + c]) best = k;
    if (best === v.labels[c]) right++;
  }
  return `validation accuracy ${((100 * right) / batch.n).toFixed(1)} % (loss ${loss.toPrecision(4)}) on ${v.x.length} held-out rows`;
}

/** Any other net: the target and the net's output for the first examples (CPU, current weights). */
function drawPredictions(val: string | undefined): void {
  const s = session!;
  const rows = { x: s.lab.x.slice(0, 8), y: s.lab.y.slice(0, 8) };
  const batch = batchFrom(s.net, rows.x, rows.y);
  const A = predict(s.net, s.params, batch.X, batch.n);
  const K = s.net.layers[s.net.layers.length - 1].units;
  const table = document.createElement('table');
  table.className = 'predictions';
  const yName = 'ŷ';
  table.innerHTML = `<caption>The net's output ${yName} beside the target y, first ${batch.n} of ${s.lab.x.length} examples${val ? `; ${val}` : ''}</caption><thead><tr><th scope="col">example</th><th scope="col">target y</th><th scope="col">output ${yName}</th></tr></thead>`;
  const body = document.createElement('tbody');
  for (let c = 0; c < batch.n; c++) {
    const tr = document.createElement('tr');
    const out = Array.from({ length: K }, (_, k) => fmtValue(A[k * batch.n + c], 4)).join(', ');
    fillRow(tr, [String(c + 1), rows.y[c].map((v) => fmtValue(v, 4)).join(', '), out]);
    body.append(tr);
  }
  table.append(body);
  $('predictions').replaceChildren(table);
}

/** Data region: what the data is (size, features, classes or regression, batch, validation). */
function drawDataSummary(): void {
  const s = session;
  const d = data;
  if (!s || !d) return;
  const K = s.net.layers[s.net.layers.length - 1].units;
  const task = s.net.loss === 'mse' ? 'regression (MSE)' : s.net.loss === 'bce' ? '2 classes (BCE)' : `${K} classes (softmax cross-entropy)`;
  const from = d.imported ? `${d.imported.file}: ` : '';
  const val = d.validation?.x.length ? ` + ${d.validation.x.length} validation rows` : '';
  $('data-summary').textContent = `${from}${s.lab.x.length} examples${val}, ${s.net.inputs} input${s.net.inputs === 1 ? '' : 's'}, ${task}; ${s.batches === 1 ? 'full batch' : `mini-batches of ${s.lab.batchSize}`}.`;
}

/** The lecture's printed numbers against the engine (the scalar engine, float64), with the errata. */
function drawClaims(d: PresetData): void {
  const host = $('claims');
  if (host.dataset.worked === d.worked!.id) return;
  host.dataset.worked = d.worked!.id;
  const result = checkWorked(d.worked!);
  const table = document.createElement('table');
  table.className = 'claims';
  const counts = { match: 0, erratum: 0, wrong: 0 };
  table.innerHTML = `<caption>${d.worked!.title}: each number the lecture prints, checked</caption><thead><tr><th scope="col">claim</th><th scope="col">printed</th><th scope="col">engine</th><th scope="col">verdict</th></tr></thead>`;
  const body = document.createElement('tbody');
  for (const c of result.checks) {
    const tr = document.createElement('tr');
    const printed = 'printed' in c.claim ? String(c.claim.printed) : c.claim.formula;
    const verdict = c.status === 'match' ? '✓ matches' : c.status === 'known-erratum' ? `erratum: ${c.claim.erratum?.why ?? ''}` : `✗ ${c.status}`;
    if (c.status === 'match') counts.match++;
    else if (c.status === 'known-erratum') counts.erratum++;
    else counts.wrong++;
    tr.className = c.status;
    fillRow(tr, [c.claim.name + (c.example !== undefined ? ` (example ${c.example + 1})` : ''), printed, fmtValue(c.value, 6), verdict]);
    body.append(tr);
  }
  table.append(body);
  const summary = document.createElement('p');
  summary.textContent = `${result.checks.length} printed values and formulas: ${counts.match} match, ${counts.erratum} are errata (the lecture is wrong; the engine gives the right value), ${counts.wrong} unexplained.`;
  host.replaceChildren(summary, table);
}

function fillExamples(): void {
  const s = session!;
  const sel = $<HTMLSelectElement>('example');
  sel.replaceChildren();
  const n = Math.min(s.lab.batchSize, 100);
  for (let c = 0; c < n; c++) sel.append(new Option(`${c + 1} of ${s.lab.batchSize}`, String(c)));
  sel.value = String(example);
}

function fillSurfaceParams(): void {
  const s = session!;
  const nm = naming();
  const params = nm.params().slice(0, 300);
  for (const [id, pick] of [['surface-p1', 0], ['surface-p2', 1]] as const) {
    const sel = $<HTMLSelectElement>(id);
    sel.replaceChildren();
    for (const p of params) sel.append(new Option(symText(nm.param(p)), paramKey(p)));
    // Default: the first two weights of the output layer (w5 and w6 in the 2-2-1 lecture).
    const outFirst = params.findIndex((p) => p.kind === 'W' && p.layer === s.net.layers.length - 1);
    sel.selectedIndex = Math.min(params.length - 1, Math.max(0, outFirst) + pick);
  }
}

function updateButtons(): void {
  const s = session;
  const stage = s?.stage ?? 'none';
  const busy = Boolean(document.body.dataset.busy);
  const enable = (id: string, on: boolean) => { $<HTMLButtonElement>(id).disabled = busy || !on; };
  enable('step-forward', Boolean(s));
  enable('step-loss', Boolean(s?.pass) && stage !== 'update' && stage !== 'none');
  enable('step-backward', Boolean(s?.pass) && (stage === 'loss' || stage === 'backward'));
  enable('step-update', Boolean(s));
  enable('train', Boolean(s));
  enable('reset', Boolean(s));
  enable('new-seed', Boolean(s));
  enable('open-import', Boolean(s));
  // Everything that starts an action is off while one runs (run() would drop it) — Stop is the exception.
  enable('verify', Boolean(s) && (adapter.available || wasmSimd));
  enable('surface-draw', Boolean(s));
  enable('share', Boolean(s));
  enable('export-spec', Boolean(s));
  for (const id of ['preset', 'import-spec', 'backend-cpu']) $<HTMLInputElement>(id).disabled = busy || !s;
  $<HTMLInputElement>('backend-webgpu').disabled = busy || !s || !adapter.available;
  $<HTMLInputElement>('backend-wasm').disabled = busy || !s || !wasmSimd;
  $<HTMLFieldSetElement>('editor-fields').disabled = busy || !s;
  $<HTMLButtonElement>('stop').disabled = document.body.dataset.busy !== 'Train' && document.body.dataset.busy !== 'Fit';
  enable('fit', Boolean(s));
  for (const b of document.querySelectorAll<HTMLButtonElement>('.stepbar button[data-stage]')) {
    b.setAttribute('aria-pressed', String(b.dataset.stage === stage));
  }
}

// ——— actions ———
const surfacePlaceholder = $('surface').firstElementChild!;

/** Show one of the tabs under the workspace (notation, lecture checks, loss surface, device and files). */
function showTab(id: string): void {
  for (const t of document.querySelectorAll<HTMLButtonElement>('.tabs [role="tab"]')) {
    const on = t.id === id;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')!).hidden = !on;
  }
}

function wireTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('.tabs [role="tab"]')];
  tabs.forEach((t, k) => {
    t.addEventListener('click', () => showTab(t.id));
    t.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(k + step + tabs.length) % tabs.length];
      showTab(next.id);
      next.focus();
    });
  });
  // Links to a tab (the header's, the diagram's hint): show it and scroll to it, without touching the URL's #.
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-tab]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      showTab(a.dataset.tab!);
      $('more').scrollIntoView({ behavior: 'smooth', block: 'start' });
      $(a.dataset.tab!).focus({ preventScroll: true });
    });
  }
}

function wire(): void {
  wireTabs();
  const sel = $<HTMLSelectElement>('preset');
  // Shown (not offered) when the net came from your data, a file or a link.
  const own = new Option('(your own data or net)', '');
  own.hidden = true;
  sel.append(own);
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const p of PRESETS) {
    let g = groups.get(p.group);
    if (!g) {
      g = document.createElement('optgroup');
      g.label = p.group;
      groups.set(p.group, g);
      sel.append(g);
    }
    g.append(new Option(p.title, p.id));
  }
  sel.addEventListener('change', () => void run('Load preset', () => loadPreset(sel.value)));

  $('notice-close').addEventListener('click', () => { $('notice').hidden = true; });
  $('step-forward').addEventListener('click', () => void run('Forward', async () => { await session!.forward(); drawAll(); }));
  $('step-loss').addEventListener('click', () => void run('Loss', async () => { session!.reveal('loss'); drawAll(); }));
  $('step-backward').addEventListener('click', () => void run('Backward', async () => { session!.reveal('backward'); drawAll(); }));
  $('step-update').addEventListener('click', () => void run('Update', async () => { await session!.update(); drawAll(); }));
  $('reset').addEventListener('click', () => void run('Reset', async () => {
    await session!.reset();
    drawAll();
    $('stage-out').textContent = 'Back to the exact starting weights and the first mini-batch: the same steps give the same run. Press Forward.';
    $('train-out').textContent = '';
  }));
  $('new-seed').addEventListener('click', () => void run('New seed', async () => {
    const s = session!;
    const d = data!;
    // A fresh seed for the same net and data: new starting weights (Reset then returns to these).
    const seed = 1 + Math.floor(Math.random() * 99_999);
    const { params, ...rest } = s.lab.spec;
    void params;
    await load({ ...d, spec: { ...rest, init: { scheme: s.lab.spec.init?.scheme ?? 'xavier', seed } }, batchSize: s.lab.batchSize }, `new seed ${seed}`);
    $('train-out').textContent = `New seed ${seed}: new starting weights (the editor shows the seed; Reset returns to these).`;
  }));
  const importPanel = new ImportPanel(async (next, file) => {
    let failure: unknown;
    await run('Your data', async () => {
      try {
        await load(next, `your data: ${file}`);
        $<HTMLSelectElement>('preset').value = '';
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (failure) throw failure;
  });
  $('open-import').addEventListener('click', () => importPanel.open());
  $('example').addEventListener('change', () => {
    example = Number($<HTMLSelectElement>('example').value);
    drawDiagram();
  });
  $('convention').addEventListener('change', () => { drawDiagram(); drawExplanation(); drawValues(); });

  $('train').addEventListener('click', () => void run('Train', async () => {
    const s = session!;
    const steps = Number($<HTMLInputElement>('train-steps').value);
    const progress = $<HTMLProgressElement>('train-progress');
    const out = $('train-out');
    stopRequested = false;
    $<HTMLButtonElement>('stop').disabled = false;
    progress.max = steps;
    progress.value = 0;
    const first = s.history.length;
    const t0 = performance.now();
    const done = await s.train(steps, (k) => {
      progress.value = k;
      recordValidation(s);
      const last = s.history[s.history.length - 1];
      out.textContent = `Training on ${deviceName(s.kind)}: step ${k} of ${steps}, loss ${last.loss.toPrecision(5)}`;
      drawChartSoon();
    }, () => stopRequested);
    const ms = performance.now() - t0;
    const start = s.history[first]?.loss;
    const end = s.history[s.history.length - 1]?.loss;
    out.textContent = `${done} steps on ${deviceName(s.kind)} in ${(ms / 1000).toFixed(2)} s${stopRequested ? ' (stopped)' : ''}: loss ${start?.toPrecision(5)} → ${end?.toPrecision(5)}.`;
    out.dataset.first = String(start);
    out.dataset.last = String(end);
    drawAll();
    $('stage-out').textContent = `Trained ${s.steps} step${s.steps === 1 ? '' : 's'} in all. Press Forward to see the new weights at work on an example.`;
  }));
  $('stop').addEventListener('click', () => {
    stopRequested = true;
    fitAbort?.abort(new Error('stopped'));
  });
  $('fit-optimizer').addEventListener('change', () => fitDefaults());
  $('fit').addEventListener('click', () => void run('Fit', fitNow));
  $('log-scale').addEventListener('change', drawChart);

  for (const kind of ['webgpu', 'wasm', 'cpu'] as const) {
    $(`backend-${kind}`).addEventListener('change', () => void run(`Switch to ${kind}`, () => switchBackend(kind)));
  }
  $('verify').addEventListener('click', () => void run('Verify', async () => {
    const r = await session!.verify();
    const out = $('verify-out');
    out.textContent = `max |${r.against === 'webgpu' ? 'GPU' : 'wasm'} − CPU| = ${r.max.toExponential(2)} over one forward and backward pass of ${r.n} example(s) (loss ${r.loss.toExponential(1)}, Z ${r.Z.toExponential(1)}, A ${r.A.toExponential(1)}, δ ${r.delta.toExponential(1)}, dW ${r.dW.toExponential(1)}, db ${r.db.toExponential(1)}).`;
    out.dataset.max = String(r.max);
    out.dataset.against = r.against;
  }));

  $('export-spec').addEventListener('click', () => void run('Export', async () => {
    const spec = session!.toSpec();
    download(fileName(spec.name, 'json'), new Blob([JSON.stringify(spec, null, 1) + '\n'], { type: 'application/json' }));
    $('files-out').textContent = `Saved ${fileName(spec.name, 'json')}: the CLI reads it (npx backprop grad ${fileName(spec.name, 'json')}).`;
  }));
  $('import-spec').addEventListener('change', () => void run('Import', async () => {
    const input = $<HTMLInputElement>('import-spec');
    const file = input.files?.[0];
    if (!file) return;
    input.value = '';
    const spec = parseSpecFile(await file.text(), file.name) as NetworkSpec;
    await load({ ...dataFor(spec), batchSize: data && data.spec.name === spec.name ? data.batchSize : undefined }, `imported ${file.name}`);
    drawAll();
    $('files-out').textContent = `Loaded ${file.name}.`;
  }));
  $('share').addEventListener('click', () => void run('Share', async () => {
    const url = `${location.origin}${location.pathname}#${shareFragment(session!.toSpec())}`;
    history.replaceState(null, '', url);
    try {
      await navigator.clipboard.writeText(url);
      $('files-out').textContent = 'Link copied; it is also in the address bar.';
    } catch {
      $('files-out').textContent = 'The link is in the address bar (the clipboard is not available here).';
    }
  }));
  $('export-csv').addEventListener('click', () => {
    download(fileName(`${session?.lab.spec.name ?? 'loss'}-loss`, 'csv'), new Blob([lossCsv(session?.history ?? [])], { type: 'text/csv' }));
  });
  $('export-png').addEventListener('click', () => void run('Export PNG', async () => {
    download(fileName(`${session?.lab.spec.name ?? 'loss'}-loss`, 'png'), await chart.png());
  }));

  $('surface-draw').addEventListener('click', () => void run('Loss surface', drawSurface));
  $('surface-soft').addEventListener('change', () => {
    // The next Draw makes a new view with the new setting; until then, the placeholder.
    surface?.dispose();
    surface = null;
    $('surface').replaceChildren(surfacePlaceholder);
  updateButtons();
  });
}

/**
 * What the page knows about a spec that came from a file or a link: the lecture it is (by name: its claims
 * table), and for 2-input classification data its class labels (its decision boundary).
 */
function dataFor(spec: NetworkSpec): PresetData {
  const lec = LECTURES.find((l) => l.worked.spec.name === spec.name);
  if (lec) return { kind: 'lecture', spec, worked: lec.worked };
  const y = spec.y;
  const classLike = y !== undefined && y.length > 0 && y.every((r) => r.every((v) => v === 0 || v === 1));
  if (spec.inputs !== 2 || !y || !classLike) return { kind: 'custom', spec };
  const width = y[0].length;
  if (width === 1) return { kind: '2d', spec, labels: y.map((r) => r[0]), classes: 2 };
  return { kind: '2d', spec, labels: y.map((r) => r.indexOf(1)), classes: width };
}

async function drawSurface(): Promise<void> {
  const s = session!;
  const nm = naming();
  const byKey = new Map(nm.params().map((p) => [paramKey(p), p]));
  const p1 = byKey.get($<HTMLSelectElement>('surface-p1').value);
  const p2 = byKey.get($<HTMLSelectElement>('surface-p2').value);
  if (!p1 || !p2) return;
  if (paramKey(p1) === paramKey(p2)) throw new BackpropError('SPEC', 'choose two different parameters', 'surface');
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
  const args = { net: s.net, params: s.params, X: batch.X, Y: batch.Y, n: batch.n, p1, p2, resolution: res, path, names: [symText(nm.param(p1)), symText(nm.param(p2))] as [string, string] };
  const out = $('surface-out');
  out.textContent = 'Computing the grid…';
  const { grid, where } = await surfaceGrid(args);
  if (!surface) {
    $('surface').replaceChildren();
    surface = new LossSurface($('surface'), { allowFallbackAdapter: $<HTMLInputElement>('surface-soft').checked });
  }
  await surface.show({ ...args, grid });
  const thread = where === 'worker' ? 'in a background worker' : 'on the page';
  out.textContent = m < rows.x.length
    ? `The loss on the first ${m} of the ${rows.x.length} examples of the batch, on a ${res} × ${res} grid (every point is a forward pass on the CPU, ${thread}).`
    : `The loss on the batch (${m} examples), on a ${res} × ${res} grid (computed on the CPU, ${thread}).`;
}

/** Multiply-adds one loss surface may cost (res² forward passes): about half a second on this kind of CPU. */
const SURFACE_WORK = 3e8;

/** Stop during a Fit: aborts Model.fit between submissions. */
let fitAbort: AbortController | null = null;

/** The Fit controls' defaults for the net loaded and the optimiser chosen: SGD and momentum take the spec's lr. */
function fitDefaults(): void {
  const s = session;
  if (!s) return;
  const name = $<HTMLSelectElement>('fit-optimizer').value;
  $<HTMLInputElement>('fit-lr').value = String(name === 'sgd' || name === 'momentum' ? s.lr : 0.01);
  $<HTMLInputElement>('fit-batch').value = String(Math.min(s.lab.x.length, s.batches > 1 ? s.lab.batchSize : 32));
}

/** Fit: Model.fit on the data set with the chosen optimiser, one curve point (and validation point) per epoch. */
async function fitNow(): Promise<void> {
  const s = session!;
  const name = $<HTMLSelectElement>('fit-optimizer').value as 'sgd' | 'momentum' | 'adam' | 'adamw';
  const lr = Number($<HTMLInputElement>('fit-lr').value);
  const batchSize = Number($<HTMLInputElement>('fit-batch').value);
  const epochs = Number($<HTMLInputElement>('fit-epochs').value);
  const progress = $<HTMLProgressElement>('train-progress');
  const out = $('train-out');
  const where = deviceName(s.kind);
  fitAbort = new AbortController();
  stopRequested = false;
  progress.max = epochs;
  progress.value = 0;
  const first = s.history.length;
  const t0 = performance.now();
  let val = '';
  try {
    await s.fit({ optimizer: { name, lr }, batchSize, epochs, validation: data?.validation }, (e, done) => {
      progress.value = done;
      val = e.valLoss !== undefined ? `; validation loss ${e.valLoss.toPrecision(4)}${e.valAccuracy !== undefined ? `, accuracy ${(100 * e.valAccuracy).toFixed(1)} %` : ''}` : '';
      out.textContent = `Fit on ${where}: epoch ${done} of ${epochs}, loss ${e.loss.toPrecision(5)}${e.accuracy !== undefined ? `, accuracy ${(100 * e.accuracy).toFixed(1)} %` : ''}${val}`;
      drawChartSoon();
    }, fitAbort.signal);
  } finally {
    fitAbort = null;
  }
  const start = s.history[first]?.loss;
  const end = s.history[s.history.length - 1]?.loss;
  const logs = s.history.length - first;
  out.textContent = `${logs} epoch${logs === 1 ? '' : 's'} of ${name} (lr ${lr}, batch ${batchSize}) on ${where} in ${((performance.now() - t0) / 1000).toFixed(2)} s${stopRequested ? ' (stopped)' : ''}: epoch loss ${start?.toPrecision(5)} → ${end?.toPrecision(5)}${val}.`;
  out.dataset.first = String(start);
  out.dataset.last = String(end);
  drawAll();
  $('stage-out').textContent = `Fitted ${logs} epoch${logs === 1 ? '' : 's'}. Press Forward to see the new weights at work on an example.`;
}

/** Canvases are drawn at their on-screen size: draw them again (once per frame) when the window changes size. */
let resizeQueued = false;
function onResize(): void {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    drawChart();
    if (!document.body.dataset.busy) drawViews();
  });
}

async function start(): Promise<void> {
  window.addEventListener('resize', onResize);
  wire();
  await probeGpu();
  drawDevice();
  let fragment: ReturnType<typeof readFragment> = {};
  try {
    fragment = readFragment(location.hash);
  } catch (err) {
    showError('Reading the link', err);
  }
  await run('Load', async () => {
    if (fragment.spec !== undefined) {
      const spec = fragment.spec as NetworkSpec;
      await load(dataFor(spec), 'from the link');
      $<HTMLSelectElement>('preset').value = '';
    } else {
      await loadPreset(fragment.preset && preset(fragment.preset) ? fragment.preset : 'lecture-2-2-1');
    }
  });
  document.body.dataset.ready = 'true';
}

void start();
