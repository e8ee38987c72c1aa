/**
 * The public calls that other tests check on wasm and WebGPU only against the same backend (a twin, grad's A_L, a
 * compiled net below the Model) or not at all, each here against the CPU oracle directly, on the backend that
 * `options` makes models on: wasm on 1 thread and on 3 in Node (test/backend-matrix.test.ts; on 3, with wider `nets`
 * whose steps are split among the threads) and in headless Chromium
 * (relaxed SIMD: test/browser/wasm.test.ts, through test/lib/wasm-checks.ts), and WebGPU in Node on Dawn (test/dawn/run.ts,
 * its `edges`). Each check returns what went wrong, as strings (none: passed). No vitest here.
 *
 * Tolerances, each one an existing test states and derives (nothing tuned here):
 * - init: bitwise — README (The network spec, `init`): generated once on the CPU, so every backend starts from the same weights;
 * - step, and grad after setParams: test/lib/tolerance.ts (parityBounds: float32 dot products in another order plus the
 *   elementwise functions, propagated layer by layer); step's parameters kStepBounds with K = 1; train({steps: K})'s
 *   kStepBounds(K) and its loss stepLossBound, as test/browser/parity.test.ts's k-step form;
 * - predict: A_L's parity bound on the same x (a forward pass: the same products, at another column count); evaluate:
 *   the loss's parity bound of a 'mean' net (Σ L_c / n, what evaluate returns), its accuracy exactly;
 * - fit (a held-out fraction, shuffle false with dropLast, onEpoch's logs, a fit aborted mid-epoch, a fit across
 *   rebuild): test/lib/fit-compare.ts's fitBounds (5e-6·steps relative on parameters and losses; Adam and AdamW also
 *   an absolute allowance per parameter from the float32 noise of its gradient, its NOTE), accuracies and the step
 *   count exactly; onBatch's reports exactly (the host's loop decides them).
 */
import type { ModelOptions } from '../../src/backends.ts';
import { Model } from '../../src/model.ts';
import { type NetworkSpec, type Params, validateSpec } from '../../src/spec.ts';
import type { EpochLog, FitOptions } from '../../src/train/fit.ts';
import { type FitBounds, fitAgainstCpu, fitBounds, fitRel, longestSum, paramsWithin, relDiff } from './fit-compare.ts';
import { NETS, bits, dataFor } from './fit-nets.ts';
import { compareWithin, describeViolations, gradWithin, kStepBounds, parityBounds, stepLossBound } from './tolerance.ts';

const onCpu = (spec: NetworkSpec): Promise<Model> => Model.create(spec, { backend: 'cpu' });
/** The two nets the checks after init train: a softmax net and a bce one. */
export interface MatrixNets { softmax: NetworkSpec; bce: NetworkSpec }
/** NETS[0] (tanh, relu with a shared bias, softmax with none; he init) and NETS[1] (sigmoid, bce, 'sum'; xavier). */
const SMALL: MatrixNets = { softmax: NETS[0][1], bce: NETS[1][1] };

/** Histories (onEpoch's logs or fit's) within fit-compare.ts's bound: losses relative, accuracies exactly. */
function historyProblems(what: string, got: EpochLog[], want: EpochLog[], bound: number): string[] {
  if (got.length !== want.length) return [`${what}: ${got.length} epochs, the CPU ${want.length}`];
  const rel = (a: number | undefined, c: number | undefined) => (a === c ? 0 : Math.abs(a! - c!) / Math.max(1, Math.abs(c!)));
  return got.flatMap((g, e) => {
    const c = want[e];
    const far = (['loss', 'valLoss', 'maxAbsParam'] as const).filter((k) => !(rel(g[k], c[k]) < bound));
    const exact = g.epoch === c.epoch && g.accuracy === c.accuracy && g.valAccuracy === c.valAccuracy;
    return far.length || !exact ? [`${what} epoch ${e + 1}: ${JSON.stringify([g.epoch, g.loss, g.accuracy, g.valLoss, g.valAccuracy, g.maxAbsParam])}, the CPU ${JSON.stringify([c.epoch, c.loss, c.accuracy, c.valLoss, c.valAccuracy, c.maxAbsParam])}`] : [];
  });
}

/** init: each scheme's parameters bitwise the CPU's (xavier, he, uniform: NETS[1], NETS[0], NETS[2]). */
async function initChecks(options: ModelOptions): Promise<string[]> {
  const out: string[] = [];
  for (const [name, spec] of NETS) {
    const [m, c] = [await Model.create(spec, options), await onCpu(spec)];
    if (bits(await m.getParams()) !== bits(await c.getParams())) out.push(`init ${spec.init?.scheme} (${name}): parameters not the CPU's bits`);
    m.dispose();
    c.dispose();
  }
  return out;
}

/** step(lr), grad after setParams, and train({steps}) against the CPU within test/lib/tolerance.ts's bounds. */
async function stepChecks(options: ModelOptions, { softmax: SOFTMAX, bce: BCE }: MatrixNets): Promise<string[]> {
  const out: string[] = [];
  for (const spec of [SOFTMAX, BCE]) {
    const full = { ...spec, ...dataFor(spec, 6, 21), lr: 0.3 };
    const valid = validateSpec(full);
    const { X, Y, n } = valid.batch!;
    const [m, c] = [await Model.create(full, options), await onCpu(full)];
    const what = `${spec.loss}`;
    const start = await c.getParams(); // the init's (the spec has no params)
    // step(lr): the pass before the update within parityBounds, the parameters after it within kStepBounds(K = 1).
    const [sm, sc] = [await m.step(), await c.step()];
    const first = parityBounds(valid.net, start, X, Y, n, sc);
    const g = gradWithin(sm, sc, first);
    if (g.violations.length) out.push(`step ${what}: ${describeViolations(g.violations)}`);
    const k1 = kStepBounds(first, 1, 0.3, sc.params);
    const p = [...sc.params.W.map((w, l) => compareWithin(`W${l + 1}`, sm.params.W[l], w, k1.W[l])), ...sc.params.b.map((b, l) => compareWithin(`b${l + 1}`, sm.params.b[l], b, k1.b[l]))];
    const pv = p.flatMap((r) => r.violations);
    if (pv.length) out.push(`step ${what}, parameters: ${describeViolations(pv)}`);
    // grad after setParams (back to the spec's parameters): parityBounds there.
    await m.setParams(start);
    await c.setParams(start);
    const [gm, gc] = [await m.grad(), await c.grad()];
    const s = gradWithin(gm, gc, parityBounds(valid.net, start, X, Y, n, gc));
    if (s.violations.length) out.push(`grad after setParams ${what}: ${describeViolations(s.violations)}`);
    // train({steps: 4}) from there: the parameters within kStepBounds(4) of the first pass's bound; the loss (the 4th
    // step's, before its update) within stepLossBound at the CPU's parameters after 3 steps, which differ by kStepBounds(3).
    const [tm, tc] = [await m.train({ steps: 4 }), await c.train({ steps: 4 })];
    const [pm, pc] = [await m.getParams(), await c.getParams()];
    const k4 = kStepBounds(first, 4, 0.3, pc);
    const tv = [...pc.W.map((w, l) => compareWithin(`W${l + 1}`, pm.W[l], w, k4.W[l])), ...pc.b.map((b, l) => compareWithin(`b${l + 1}`, pm.b[l], b, k4.b[l]))].flatMap((r) => r.violations);
    if (tv.length) out.push(`train(4) ${what}, parameters: ${describeViolations(tv)}`);
    const c3 = await onCpu(full);
    await c3.train({ steps: 3 });
    const [p3, at3] = [await c3.getParams(), await c3.grad()];
    c3.dispose();
    const lossBound = stepLossBound(parityBounds(valid.net, p3, X, Y, n, at3), at3, kStepBounds(first, 3, 0.3, p3));
    if (!(Math.abs(tm.loss - tc.loss) <= lossBound)) out.push(`train(4) ${what}: loss ${tm.loss}, the CPU ${tc.loss} (bound ${lossBound})`);
    m.dispose();
    c.dispose();
  }
  return out;
}

/** predict and evaluate on 40 examples (more than the 16 of a batch) against the CPU's grad on them: A_L's and the loss's parity bounds. */
async function readChecks(options: ModelOptions, { softmax: SOFTMAX }: MatrixNets): Promise<string[]> {
  const out: string[] = [];
  const spec = { ...SOFTMAX, batchSize: 16 }; // 'mean': the loss bound is that of Σ L_c / n
  const { x, y } = dataFor(spec, 40, 17);
  const valid = validateSpec({ ...spec, x, y });
  const { X, Y, n } = valid.batch!;
  const [m, c] = [await Model.create(spec, options), await onCpu({ ...spec, x, y })];
  const cpu = await c.grad();
  const b = parityBounds(valid.net, await c.getParams(), X, Y, n, cpu);
  const L = cpu.A.length - 1;
  const outputs = valid.net.layers[L].units;
  const rows = await m.predict(x);
  const got = Float32Array.from({ length: outputs * n }, (_, k) => rows[k % n]?.[Math.floor(k / n)] ?? NaN); // engine layout: unit-major
  const pv = compareWithin('predict A_L', got, cpu.A[L], b.A[L]).violations;
  if (pv.length) out.push(`predict: ${describeViolations(pv)}`);
  const [em, ec] = [await m.evaluate(x, y), await c.evaluate(x, y)];
  if (!(Math.abs(em.loss - ec.loss) <= b.loss) || em.accuracy !== ec.accuracy) out.push(`evaluate: ${JSON.stringify(em)}, the CPU ${JSON.stringify(ec)} (loss bound ${b.loss})`);
  m.dispose();
  c.dispose();
  return out;
}

/** fit with a held-out fraction and onEpoch / onBatch; fit with shuffle false and dropLast: fit-compare.ts's bound. */
async function fitChecks(options: ModelOptions, { softmax: SOFTMAX, bce: BCE }: MatrixNets): Promise<string[]> {
  const out: string[] = [];
  const data = dataFor(SOFTMAX, 18, 23);
  // 18 examples, a quarter (5, rounded) held out from the end: 13 in batches of 4, a partial last of 1; 2 epochs, 8 steps.
  const epochs: EpochLog[][] = [[], []];
  const batches: string[][] = [[], []];
  let side = 0; // 0 while the backend's fit runs, 1 for the CPU's (fitAgainstCpu runs them one after the other)
  const run: FitOptions = {
    ...data, batchSize: 4, epochs: 2, validation: 0.25, shuffle: { seed: 5 }, batchesPerSubmission: 2, optimizer: { name: 'adam', lr: 0.02 },
    onBatch: (p) => { batches[side].push(`${p.epoch}:${p.batch}/${p.batches}`); },
    onEpoch: (e) => { epochs[side].push(e); if (e.epoch === 2) side = 1; },
  };
  const [m, c] = [await Model.create(SOFTMAX, options), await onCpu(SOFTMAX)];
  const held = await fitAgainstCpu(m, c, run, 8);
  out.push(...held.problems.map((p) => `fit, validation 0.25: ${p}`));
  out.push(...historyProblems('onEpoch', epochs[0], epochs[1], fitRel(8)));
  if (batches[0].join() !== batches[1].join() || batches[1].length !== 4) out.push(`onBatch: ${batches[0].join()}, the CPU ${batches[1].join()}`);
  m.dispose();
  c.dispose();
  // shuffle false, dropLast: 18 in batches of 5, 3 a epoch, 3 epochs of momentum (nesterov), 9 steps.
  const [m2, c2] = [await Model.create(BCE, options), await onCpu(BCE)];
  const plain = await fitAgainstCpu(m2, c2, { ...dataFor(BCE, 18, 29), batchSize: 5, epochs: 3, shuffle: false, dropLast: true, optimizer: { name: 'momentum', lr: 0.1, nesterov: true } }, 9);
  out.push(...plain.problems.map((p) => `fit, shuffle false, dropLast: ${p}`));
  m2.dispose();
  c2.dispose();
  return out;
}

/** A fit aborted mid-epoch (its signal, checked between submissions) keeps the same finished steps as on the CPU. */
async function abortChecks(options: ModelOptions, { softmax: SOFTMAX }: MatrixNets): Promise<string[]> {
  const data = dataFor(SOFTMAX, 14, 31);
  const ends: string[] = [];
  const params: Params[] = [];
  const t: (number | undefined)[] = []; // the optimiser's step count after the stop
  const run: FitOptions = { ...data, batchSize: 4, epochs: 3, batchesPerSubmission: 1, shuffle: { seed: 2 }, optimizer: { name: 'adamw', lr: 0.02 } };
  let bounds: FitBounds | undefined;
  for (const make of [() => Model.create(SOFTMAX, options), () => onCpu(SOFTMAX)]) {
    const model = await make();
    bounds ??= await fitBounds(await model.save(), run, 5, longestSum(model.net, 4)); // the 5 steps the fits keep
    let calls = 0;
    // Stops at its 7th check (one as the fit starts, then one before each submission of one batch): after 5 steps, one
    // batch into epoch 2 (4 batches an epoch).
    const signal = { aborted: false, throwIfAborted() { if (++calls === 7) this.aborted = true; if (this.aborted) throw new Error('stopped'); } };
    ends.push(await model.fit({ ...run, signal }).then(() => 'resolved', (e: Error) => e.message));
    params.push(await model.getParams());
    t.push(model.optimizerState()?.t);
    model.dispose();
  }
  const out: string[] = [];
  if (ends.join() !== 'stopped,stopped' || t.join() !== '5,5') out.push(`aborted fit: ended ${ends.join(', ')}, t ${t.join(', ')} (want stopped at t 5 on both)`);
  else out.push(...paramsWithin(params[0], params[1], bounds!).problems.map((p) => `aborted fit: ${p}`));
  return out;
}

/** fit, rebuild onto the CPU, fit, rebuild back, fit: within the bound of the same three fits on the CPU alone. */
async function rebuildChecks(options: ModelOptions, { softmax: SOFTMAX }: MatrixNets): Promise<string[]> {
  const run: FitOptions = { ...dataFor(SOFTMAX, 12, 37), batchSize: 4, epochs: 1, shuffle: { seed: 8 }, optimizer: { name: 'momentum', lr: 0.05 } };
  let m = await Model.create(SOFTMAX, options);
  const [kind, c] = [m.kind, await onCpu(SOFTMAX)];
  const [h, hc]: EpochLog[][] = [[], []];
  for (const next of [{ backend: 'cpu' } as const, options, undefined]) {
    h.push(...await m.fit(run));
    hc.push(...await c.fit(run));
    if (next) m = await m.rebuild(next);
  }
  const out = historyProblems('fit across rebuild', h, hc, fitRel(9));
  const [pm, pc] = [await m.getParams(), await c.getParams()];
  if (m.kind !== kind) out.push(`rebuild back: on ${m.kind}, not ${kind}`);
  if (!(relDiff(pm, pc) < fitRel(9)) || m.optimizerState()?.t !== 9) out.push(`fit across rebuild: parameters ${relDiff(pm, pc)} relative from the CPU's (bound ${fitRel(9)}, momentum: no Adam allowance), t ${m.optimizerState()?.t}`);
  m.dispose();
  c.dispose();
  return out;
}

/**
 * Every check above on models made with `options`, each problem prefixed with the check's name; the checks after init
 * on `nets` (NETS[0] and NETS[1] unless given: nets that run on one thread whatever a wasm backend's count).
 */
export async function matrixChecks(options: ModelOptions, nets: MatrixNets = SMALL): Promise<string[]> {
  const checks = { init: initChecks, step: stepChecks, reads: readChecks, fit: fitChecks, abort: abortChecks, rebuild: rebuildChecks };
  const out: string[] = [];
  for (const [name, check] of Object.entries(checks)) {
    try {
      out.push(...(await check(options, nets)).map((p) => `${name}: ${p}`));
    } catch (err) {
      out.push(`${name}: threw ${String(err)}`);
    }
  }
  return out;
}
