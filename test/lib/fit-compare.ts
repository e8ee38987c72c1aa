/**
 * A fit on one backend against the same fit on the CPU oracle (test/dawn/run.ts: every optimiser, and matmul.wgsl's
 * own kernel variants in test/dawn/variants.ts; test/lib/matrix-checks.ts): both models run `run` from the same
 * parameters, then the worst relative parameter difference and, one a line, what is past the bound
 * (at most 3). The bound: fitBounds below.
 *
 * NOTE: two parts, each a float32 rounding carried through the optimiser's update:
 * - every optimiser: float32 on both sides in other summation orders (reduce_rows' tree, fused multiply-adds, lr·g
 *   rounded to float32), ~1e-7 relative per step compounding through the gradients: 5e-6·steps relative (to
 *   max(1, |value|)) on every parameter and epoch loss (and valLoss where there is validation) — the bound of
 *   test/wasm-fit.test.ts and test/browser/fit.test.ts; the accuracies exactly (the same predictions counted);
 * - Adam and AdamW also an absolute allowance per parameter. Their step lr·u, u = m̂/(√v̂ + eps), does not scale with
 *   the gradient g: where a parameter's gradient is small next to the float32 noise of the sums that make it, the step
 *   is that noise's sign and size, not float32's 1e-7.
 *   - The noise e_t of a parameter's gradient at step t: tolerance.ts's dot-product fact, 2·√K·2⁻²³·Σ|terms| (K the
 *     longest dot product in the net's gradients: the batch, or a layer's units or fan-in).
 *   - Σ|terms| is that parameter's own, in float64 (forward64.ts) from the CPU replay's parameters before step t on
 *     step t's examples (epochOrder, batchSize, dropLast, a held-out fraction): dW_l[i][j]: scale·Σ_c (δ̄_l[i][c]·
 *     |A_{l−1}[j][c]| + |δ_l[i][c]|·Ā_{l−1}[j][c]), db_l[i]: scale·Σ_c δ̄_l[i][c] (shared: over the units too), adam's
 *     weightDecay·|p| one term more.
 *   - Ā is A's own distance from float64 in the same units (forward64.ts forwardErrors64): each Z a float32 dot product
 *     (the fact, at its own K) of inputs that are Ā off, carried through f. Without it, a Z that cancels (a sum of
 *     −0.0126 from terms of 1.75) put the CPU's gradient 2× e from the float64 one, and this check threw at step 1 on
 *     valid nets (a seeded fuzz of the API: 20 of 600 fits; test/fit-bounds.test.ts has the smallest).
 *   - δ̄ is δ's own Σ|terms| (deltaBounds64's error: |A_L| + |Y| + Ā_L, then |W_{l+1}|ᵀ·δ̄_{l+1} ⊙ f'), so that e covers δ's
 *     rounding too, not only the last sum's: with |δ| in its place the CPU's gradient was measured 3.4 e from the
 *     float64 one (W1[12777], step 4, below: A_L − Y cancels).
 *   - Each f' in δ̄ also carries its shift from the engines' float32 A (deltaBounds64's NOTE: 1 − a² and a(1 − a) computed
 *     from A, A within 8·2⁻²³·|a| between engines: forward64.ts A_ULPS, an assumption for WebGPU): without it a saturated tanh or sigmoid unit (f' ~1e-4 and below,
 *     inputs ×10) failed the check below at step 1 (CPU 0.0289164321 vs float64 0.0289164795, e 3.0e-8); with it the
 *     check's worst was 0.11 of its allowance over 24 saturated fits (tanh, sigmoid; softmax, mse, bce; inputs ×3, ×10).
 *   - Each step checks it: the replay's gradient, (m − beta1·m before)/(1 − beta1), within e (and m's own rounding) of
 *     the float64 one, else a throw (also: the batches here not the fit's).
 *   - Carried into m̂ and v̂ over the steps: |δm̂_k| ≤ E1 = (1 − beta1)·Σ_t beta1^(k−t)·e_t / (1 − beta1^k) and
 *     |δ√v̂_k| ≤ E2 = √((1 − beta2)·Σ_t beta2^(k−t)·e_t² / (1 − beta2^k)) (Minkowski: √v̂ is a weighted 2-norm of the
 *     gradients), so |δu| ≤ (E1 + |u|·E2)/(√v̂ + eps − E2), at most 2·max(1, (1 − beta1)/√(1 − beta2)) (Kingma & Ba
 *     §2.1's bound on |u|, on both sides; also where E2 ≥ √v̂ + eps); lr·|δu| summed over the steps along the CPU's
 *     trajectory (a replay of the fit stopped after 1, 2, … steps reads the parameters, m and v).
 *   - A parameter whose terms are exactly 0 at every step — a ReLU unit off on every example of every batch: its row
 *     of W and its bias, and the next layer's weights from it — gets exactly 0 (test/fit-bounds.test.ts).
 *   - A ReLU that may be on on one backend and off on the other: where the float64 Z is within noise·Σ|W|(|A| + Ā) of 0,
 *     its row and bias, the next layer's column from it (W_{l+1}[:, i]: its A is 0 on one side, ~noise on the other)
 *     and every layer before it get the cap for the step (and, through m̂ and v̂, after it).
 *   - Assumed, not covered: the trajectories' separation (the relative part's); the elementwise functions' own error
 *     (exp, tanh) beyond a few ulps.
 *   - A model that has fitted before is refused.
 *   - Measured, before the f' shift (128-256 tanh-128 relu-3 softmax, he seed 5, AdamW lr 0.02, 5 steps of 4
 *     examples, wasm 1 thread; the same on 3): W1[2947] 7.3e-5 from the CPU against 2.5e-5 relative: its first
 *     gradient −4.3e-8, within eps = 1e-8's reach, where the CPU's and wasm's differ by 1e-9, moved its first step by
 *     lr·eps·1e-9/(4.3e-8 + eps)² = 7.1e-5; plain SGD on the same net and data stays at 3e-8. The allowance there
 *     (66 177 parameters): median 7.5e-6, 90th percentile 3.3e-5, 99th 2.0e-4, 99.9th 1.7e-3, max 0.127 (15 over
 *     1e-2, all in W1, W1[2947] among them: gradients within their noise at every step); the layer-wide e it replaces
 *     gave 0.126 at the 99th (778 parameters whose gradient was exactly 0 got the cap). wasm's Adam stepSize × 1.001
 *     still goes red. fitBounds there takes ~0.4 s (~15 ms a step for the float64 terms; the rest the replays).
 *   - The f' shift's cost (4-6 tanh-3 softmax, xavier seed 3, Adam lr 0.02, 6 steps of 4, inputs ×3): allowance
 *     median 4.1e-7 → 6.3e-7, max 2.8e-6 → 2.4e-5; at ×10 every first-layer allowance stayed under 1e-4.
 *   - Ā's cost (test/fit-bounds.test.ts's saturated nets, inputs ×10, Adam and AdamW alike; node --import
 *     ./bin/register-source.mjs on fitBounds before and after, 2026-12-06): first-layer allowance median 1.7e-5 → 1.8e-5
 *     (4-6 tanh-3 softmax) and 2.0e-6 → 5.4e-6 (8-16 sigmoid-2 identity mse), max 6.5e-5 → 8.4e-5 and 6.5e-5 → 4.7e-4
 *     (W1[0][6], and 1.6e-4 at W1[13][0]: gradients within their noise, where Adam's step is the noise's sign); that
 *     test moves each by 1e-3 (by 1e-4 before Ā). With Ā, wasm's Adam stepSize × 1.001 (src/wasm/net.ts) still goes
 *     red: 19 cases of backend-matrix (1 and 3 threads), wasm-fit and fit-bounds, the saturated nets' among them.
 */
import { Model } from '../../src/model.ts';
import { heldOut } from '../../src/run-spec.ts';
import { type Net, type Params, batchFrom } from '../../src/spec.ts';
import { epochOrder, type FitOptions } from '../../src/train/fit.ts';
import { resolveOptimizer } from '../../src/train/optimizers.ts';
import { deltaBounds64, deltas64, forwardErrors64, layers64 } from './forward64.ts';
import { dotErr } from './tolerance.ts';

const U = 2 ** -24;

/** The relative part of the bound after `steps` optimiser steps (the NOTE's first part): every optimiser's whole bound but Adam's. */
export const fitRel = (steps: number): number => 5e-6 * steps;

/** Each parameter's bound on |backend − CPU| after the fit, W_l then b_l (fitBounds). */
export interface FitBounds {
  /** The relative part, 5e-6·steps (to max(1, |value|)): the losses' whole bound. */
  rel: number;
  /** Adam's absolute allowance per parameter, W_l then b_l (zeros for sgd and momentum). */
  abs: Float64Array[];
}

/** One fit option set with its callbacks and signal left out: what the replay runs. */
function quiet(run: FitOptions): FitOptions {
  const { onEpoch: _e, onBatch: _b, signal: _s, ...rest } = run;
  return { ...rest, batchesPerSubmission: 1 };
}

/** The training examples of `run` (engine layout, N columns of which the first n train) and step s's (0-based) columns. */
function fitBatches(net: Net, run: FitOptions): { X: Float32Array; Y: Float32Array; N: number; columns: (s: number) => Uint32Array } {
  const { x, y, batchSize: size, shuffle } = run;
  if (x === undefined || y === undefined || size === undefined || shuffle === undefined) {
    throw new Error("fitBounds: Adam's allowance replays the fit's batches: give the run's x, y, batchSize and shuffle");
  }
  const { X, Y, n: N } = batchFrom(net, x, y);
  const n = typeof run.validation === 'number' ? N - heldOut(run.validation, N) : N; // a fraction is held out from the end
  const batches = run.dropLast ? Math.floor(n / size) : Math.ceil(n / size);
  return { X, Y, N, columns: (s) => epochOrder(n, shuffle, Math.floor(s / batches)).slice((s % batches) * size, Math.min(n, (s % batches + 1) * size)) };
}

/**
 * Σ|terms| of each parameter's gradient at `p` on the examples `cols` (W_l then b_l), float64 from forward64.ts:
 * dW_l[i][j] = scale·Σ_c δ_l[i][c]·A_{l−1}[j][c] has scale·Σ_c (δ̄_l[i][c]·|A_{l−1}[j][c]| + |δ_l[i][c]|·Ā_{l−1}[j][c]),
 * db_l[i] scale·Σ_c δ̄_l[i][c] (shared: over the units too; δ̄ and Ā forward64.ts's deltaBounds64 and forwardErrors64);
 * `grad` the gradient itself. A ReLU (or leaky ReLU) unit whose Z is within `noise`·Σ|W|(|A| + Ā) of 0 may
 * be on on one backend and off on the other: its row, its bias, the next layer's column from it (W_{l+1}[:, i]: its A
 * is 0 on one side, ~noise on the other) and every layer's before it get Infinity (the cap).
 */
function gradTerms(net: Net, p: Params, data: ReturnType<typeof fitBatches>, cols: Uint32Array, noise: number): { terms: Float64Array[]; grad: Float64Array[] } {
  const L = net.layers.length;
  const terms = [...p.W, ...p.b].map((q) => new Float64Array(q.length));
  const grad = terms.map((q) => new Float64Array(q.length));
  const scale = net.reduction === 'sum' ? 1 : 1 / cols.length;
  const column = (M: Float32Array, rows: number, c: number) => Array.from({ length: rows }, (_, r) => M[r * data.N + c]);
  let switched = -1; // the last layer with a ReLU that may switch
  for (const c of cols) {
    const { Z, A } = layers64(net, p.W, p.b, column(data.X, net.inputs, c));
    const y = column(data.Y, net.layers[L - 1].units, c);
    const forward = forwardErrors64(net, p.W, p.b, A, noise); // Ā: each A's distance from float64, in noise's units
    const delta = deltas64(net, p.W, A, y);
    const { size, error } = deltaBounds64(net, p.W, A, y, noise, forward);
    net.layers.forEach(({ units, fanIn, bias, activation }, l) => {
      for (let i = 0; i < units; i++) {
        const [d, dAbs, dBar] = [delta[l][i], size[l][i], error[l][i]];
        let S = bias === 'none' ? 0 : Math.abs(p.b[l][bias === 'shared' ? 0 : i]);
        for (let j = 0; j < fanIn; j++) {
          terms[l][i * fanIn + j] += scale * (dBar * Math.abs(A[l][j]) + dAbs * forward[l][j]); // δ's distance·|A| + |δ|·A's
          grad[l][i * fanIn + j] += scale * d * A[l][j];
          S += Math.abs(p.W[l][i * fanIn + j]) * (Math.abs(A[l][j]) + forward[l][j]);
        }
        const k = bias === 'shared' ? 0 : i;
        if (bias !== 'none') { terms[L + l][k] += scale * dBar; grad[L + l][k] += scale * d; }
        // NOTE: leaky_relu's kink too: f' 1 on one side, 0.01 on the other (test/fit-bounds.test.ts, its kink case).
        if ((activation === 'relu' || activation === 'leaky_relu') && Math.abs(Z[l][i]) <= noise * S) {
          switched = Math.max(switched, l - 1);
          terms[l].fill(Infinity, i * fanIn, (i + 1) * fanIn);
          if (bias !== 'none') terms[L + l][k] = Infinity;
          if (l + 1 < L) for (let r = 0; r < net.layers[l + 1].units; r++) terms[l + 1][r * units + i] = Infinity; // W_{l+1}[:, i]
        }
      }
    });
  }
  for (let l = 0; l <= switched; l++) { terms[l].fill(Infinity); terms[L + l].fill(Infinity); }
  return { terms, grad };
}

/**
 * fit-compare's bound (the NOTE above) for `run` from `start` (a CPU model's save(), taken before the fit), `steps`
 * optimiser steps: the CPU replays the fit stopped after 1, 2, … steps and reads its parameters, m and v each time.
 */
export async function fitBounds(start: Uint8Array, run: FitOptions, steps: number, longestSum: number): Promise<FitBounds> {
  const rel = fitRel(steps);
  const o = resolveOptimizer(run.optimizer ?? 'sgd', undefined);
  const first = await Model.load(start, { backend: 'cpu' });
  let params = await first.getParams(); // the parameters before step k
  const t0 = first.optimizerState()?.t ?? 0;
  const net = first.net;
  first.dispose();
  const flat = (q: Params) => [...q.W, ...q.b];
  const abs = flat(params).map((q) => new Float64Array(q.length));
  if (o.name !== 'adam' && o.name !== 'adamw') return { rel, abs };
  if (t0 > 0) throw new Error('fitBounds: a model that has already fitted (t > 0): its m before the first step is not replayed');
  const data = fitBatches(net, run);
  const noise = dotErr(longestSum, 1); // tolerance.ts's dot-product fact: 2·√K·2⁻²³ of Σ|terms|
  const cap = 2 * Math.max(1, (1 - o.beta1) / Math.sqrt(1 - o.beta2)); // Kingma & Ba §2.1: |lr·u| ≤ lr·max(1, (1 − beta1)/√(1 − beta2))
  const decay = o.name === 'adam' ? o.weightDecay : 0; // adam's g = dW + weightDecay·p: one term more
  const e1 = abs.map((q) => new Float64Array(q.length)); // (1 − beta1)·Σ_t beta1^(k−t)·e_t: m's share of the noise
  const e2 = abs.map((q) => new Float64Array(q.length)); // (1 − beta2)·Σ_t beta2^(k−t)·e_t²: v's
  let before = abs.map((q) => new Float64Array(q.length)); // m before the step (0 before the first)
  for (let k = 1; k <= steps; k++) {
    const { terms, grad } = gradTerms(net, params, data, data.columns(k - 1), noise);
    const replay = await Model.load(start, { backend: 'cpu' });
    // Stopped after its k-th step (one batch a submission: the model keeps the last finished step; FitOptions.signal).
    const stop = new AbortController();
    let done = 0;
    await replay.fit({ ...quiet(run), signal: stop.signal, onBatch: () => { if (++done === k) stop.abort(); } }).catch(() => undefined);
    const state = replay.optimizerState();
    const after = await replay.getParams();
    replay.dispose();
    if (state?.t !== k) throw new Error(`fitBounds: the replay stopped at t = ${state?.t}, not ${k}`);
    const [m, v] = [state.slots.m, state.slots.v].map(flat);
    const p = flat(params);
    const bias1 = 1 - o.beta1 ** k;
    const bias2 = 1 - o.beta2 ** k;
    m.forEach((ml, l) => {
      for (let i = 0; i < ml.length; i++) {
        const e = noise * (terms[l][i] + decay * Math.abs(p[l][i]));
        // The replay's gradient, (m − beta1·m before)/(1 − beta1), is the float64 one's within e (and m's own rounding):
        // else the batches above are not the fit's.
        const g = (ml[i] - o.beta1 * before[l][i]) / (1 - o.beta1);
        if (!(Math.abs(g - grad[l][i] - decay * p[l][i]) <= e + 4 * U * (Math.abs(ml[i]) + Math.abs(before[l][i])) / (1 - o.beta1) + 1e-30)) {
          throw new Error(`fitBounds: step ${k}'s gradient of parameter ${l}[${i}], ${g}, is not the float64 replay's ${grad[l][i] + decay * p[l][i]} within ${e}`);
        }
        e1[l][i] = o.beta1 * e1[l][i] + (1 - o.beta1) * e;
        e2[l][i] = o.beta2 * e2[l][i] + (1 - o.beta2) * e * e;
        // m̂ moves by at most E1, √v̂ by at most E2 (Minkowski: √v̂ is a weighted 2-norm of the gradients).
        const [E1, E2] = [e1[l][i] / bias1, Math.sqrt(e2[l][i] / bias2)];
        const root = Math.sqrt(v[l][i] / bias2) + o.eps;
        const u = Math.abs(ml[i] / bias1) / root;
        const du = E1 === 0 && E2 === 0 ? 0 : E2 < root ? (E1 + u * E2) / (root - E2) : cap;
        abs[l][i] += o.lr * Math.min(cap, du); // the step lr·u (stepSize·m / (√v / bias2Sqrt + eps)) moved by lr·|δu|
      }
    });
    before = m.map((ml) => Float64Array.from(ml));
    params = after;
  }
  return { rel, abs };
}

/** The worst |a − c| / max(1, |c|) over every parameter (relDiff), and the first 3 past |a − c| ≤ rel·max(1, |c|) + abs. */
export function paramsWithin(a: Params, c: Params, bounds: FitBounds, who = 'backend'): { worst: number; problems: string[] } {
  const cs = [...c.W, ...c.b];
  const problems: string[] = [];
  [...a.W, ...a.b].forEach((x, i) => x.forEach((v, k) => {
    const bound = bounds.rel * Math.max(1, Math.abs(cs[i][k])) + bounds.abs[i][k];
    if (!(Math.abs(v - cs[i][k]) <= bound)) problems.push(`param ${i}[${k}]: ${who} ${v} cpu ${cs[i][k]} > ${bound} (${bounds.rel} relative + ${bounds.abs[i][k]})`);
  }));
  return { worst: relDiff(a, c), problems: problems.slice(0, 3) };
}

/** The worst |a − c| / max(1, |c|) over every parameter (a NaN: Infinity): paramsWithin's and matrix-checks.ts's measure. */
export function relDiff(a: Params, c: Params): number {
  const cs = [...c.W, ...c.b];
  let worst = 0;
  [...a.W, ...a.b].forEach((x, i) => x.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - cs[i][k]) / Math.max(1, Math.abs(cs[i][k]))); }));
  return Number.isNaN(worst) ? Infinity : worst;
}

/** The longest dot product in `net`'s gradients at batch size `batch`: the batch, or a layer's units or fan-in. */
export function longestSum(net: Net, batch: number): number {
  return Math.max(batch, ...net.layers.flatMap((layer) => [layer.units, layer.fanIn]));
}

/** What fitAgainstCpu fits on the other side: a Model, or a page's fit (test/browser/firefox-engine.test.ts). */
export type FitSide = Pick<Model, 'fit' | 'getParams' | 'optimizerState'>;

export async function fitAgainstCpu(gpu: FitSide, cpu: Model, run: FitOptions, steps: number): Promise<{ worst: number; problems: string[]; bounds: FitBounds }> {
  const bounds = await fitBounds(await cpu.save(), run, steps, longestSum(cpu.net, run.batchSize ?? 1));
  const [hg, hc] = [await gpu.fit(run), await cpu.fit(run)];
  const { worst, problems } = paramsWithin(await gpu.getParams(), await cpu.getParams(), bounds, 'gpu');
  const rel = (a: number, c: number) => Math.abs(a - c) / Math.max(1, Math.abs(c));
  hg.forEach((h, e) => {
    const hce = hc[e]!;
    if (!(rel(h.loss, hce.loss) < bounds.rel)) problems.push(`epoch ${e + 1} loss: gpu ${h.loss} cpu ${hce.loss}`);
    if ((h.valLoss !== undefined || hce.valLoss !== undefined) && !(rel(h.valLoss!, hce.valLoss!) < bounds.rel)) problems.push(`epoch ${e + 1} valLoss: gpu ${h.valLoss} cpu ${hce.valLoss}`);
    if (h.accuracy !== hce.accuracy || h.valAccuracy !== hce.valAccuracy) problems.push(`epoch ${e + 1} accuracy: gpu ${h.accuracy}/${h.valAccuracy} cpu ${hce.accuracy}/${hce.valAccuracy}`);
  });
  const epochs = run.epochs ?? hc.length;
  if (hg.length !== epochs || gpu.optimizerState()?.t !== steps) problems.push(`${hg.length} epochs, t = ${gpu.optimizerState()?.t} (want ${epochs}, ${steps})`);
  return { worst, problems: problems.slice(0, 3), bounds };
}
