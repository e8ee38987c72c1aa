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
 *   the gradient g: an absolute error e in g moves u by |δu| ≤ e·(1 + |u|)/(√v̂ + eps) (first order: δm̂ ≤ e, and
 *   δv̂ ≤ 2e·√v̂ by Cauchy–Schwarz over v̂'s weights, which sum to 1), so where a parameter's gradient is small next to
 *   the float32 noise of the dot products that make it, the step is that noise's sign and size, not float32's 1e-7.
 *   e: tolerance.ts's dot-product fact, 2·√K·2⁻²³·Σ|terms|, K the longest dot product in the net's gradients (the
 *   batch, or a layer's units or fan-in), Σ|terms| taken as the largest |g| in the parameter's layer at that step (a
 *   layer's dW share its δ and A rows); each step's |δu| at most 2·max(1, (1 − beta1)/√(1 − beta2)) (Kingma & Ba
 *   §2.1's bound on |u|, on both sides). Summed over the steps along the CPU's trajectory: a replay of the fit stopped
 *   after 1, 2, … steps reads m and v (g = (m − beta1·m before)/(1 − beta1)). A model that has fitted before is refused.
 *   Measured (128-256 tanh-128 relu-3 softmax, he seed 5, AdamW lr 0.02, 5 steps of 4 examples, wasm 1 thread; the
 *   same on 3): W1[2947] 7.3e-5 from the CPU against 2.5e-5 relative: its first gradient −4.3e-8, within
 *   eps = 1e-8's reach, where the CPU's and wasm's differ by 1e-9 (the largest |g| in W1 ~5e-2), moved its first
 *   step by lr·eps·1e-9/(4.3e-8 + eps)² = 7.1e-5; plain SGD on the same net and data stays at 3e-8.
 *   The allowance there: median 6e-6, 90th percentile 2.5e-5 (wasm's Adam stepSize × 1.001 still goes red).
 */
import { Model } from '../../src/model.ts';
import type { Net, Params } from '../../src/spec.ts';
import type { FitOptions } from '../../src/train/fit.ts';
import { resolveOptimizer } from '../../src/train/optimizers.ts';

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

/**
 * fit-compare's bound (the NOTE above) for `run` from `start` (a CPU model's save(), taken before the fit), `steps`
 * optimiser steps: the CPU replays the fit stopped after 1, 2, … steps and reads its m and v each time.
 */
export async function fitBounds(start: Uint8Array, run: FitOptions, steps: number, longestSum: number): Promise<FitBounds> {
  const rel = fitRel(steps);
  const o = resolveOptimizer(run.optimizer ?? 'sgd', undefined);
  const first = await Model.load(start, { backend: 'cpu' });
  const params = await first.getParams();
  const t0 = first.optimizerState()?.t ?? 0;
  first.dispose();
  const abs = [...params.W, ...params.b].map((p) => new Float64Array(p.length));
  if (o.name !== 'adam' && o.name !== 'adamw') return { rel, abs };
  const noise = 2 * Math.sqrt(longestSum) * 2 * U; // tolerance.ts's dot-product fact: 2·√K·2⁻²³ of Σ|terms|
  const cap = 2 * Math.max(1, (1 - o.beta1) / Math.sqrt(1 - o.beta2)); // Kingma & Ba §2.1: |lr·u| ≤ lr·max(1, (1 − beta1)/√(1 − beta2))
  let before = [...params.W, ...params.b].map((p) => new Float64Array(p.length)); // m before the step (0 before the first)
  if (t0 > 0) throw new Error('fitBounds: a model that has already fitted (t > 0): its m before the first step is not replayed');
  for (let k = 1; k <= steps; k++) {
    const replay = await Model.load(start, { backend: 'cpu' });
    // Stopped after its k-th step (one batch a submission: the model keeps the last finished step; FitOptions.signal).
    const stop = new AbortController();
    let done = 0;
    await replay.fit({ ...quiet(run), signal: stop.signal, onBatch: () => { if (++done === k) stop.abort(); } }).catch(() => undefined);
    const state = replay.optimizerState();
    replay.dispose();
    if (state?.t !== k) throw new Error(`fitBounds: the replay stopped at t = ${state?.t}, not ${k}`);
    const [m, v] = [state.slots.m, state.slots.v].map((s) => [...s.W, ...s.b]);
    const bias1 = 1 - o.beta1 ** k;
    const bias2 = 1 - o.beta2 ** k;
    m.forEach((ml, l) => {
      let largest = 0; // the largest |g| in the layer at this step: g = (m − beta1·m before) / (1 − beta1)
      for (let i = 0; i < ml.length; i++) largest = Math.max(largest, Math.abs(ml[i] - o.beta1 * before[l][i]) / (1 - o.beta1));
      const e = noise * largest;
      for (let i = 0; i < ml.length; i++) {
        const root = Math.sqrt(v[l][i] / bias2) + o.eps;
        const u = Math.abs(ml[i] / bias1) / root;
        abs[l][i] += o.lr * Math.min(cap, e * (1 + u) / root); // the step lr·u (stepSize·m / (√v / bias2Sqrt + eps)) moved by lr·|δu|
      }
    });
    before = m.map((ml) => Float64Array.from(ml));
  }
  return { rel, abs };
}

/** The worst |a − c| / max(1, |c|) over every parameter (NaN: Infinity), and the first 3 past |a − c| ≤ rel·max(1, |c|) + abs. */
export function paramsWithin(a: Params, c: Params, bounds: FitBounds, who = 'backend'): { worst: number; problems: string[] } {
  const cs = [...c.W, ...c.b];
  let worst = 0;
  const problems: string[] = [];
  [...a.W, ...a.b].forEach((x, i) => x.forEach((v, k) => {
    const bound = bounds.rel * Math.max(1, Math.abs(cs[i][k])) + bounds.abs[i][k];
    const diff = Math.abs(v - cs[i][k]);
    worst = Math.max(worst, Number.isNaN(diff) ? Infinity : diff / Math.max(1, Math.abs(cs[i][k])));
    if (!(diff <= bound)) problems.push(`param ${i}[${k}]: ${who} ${v} cpu ${cs[i][k]} > ${bound} (${bounds.rel} relative + ${bounds.abs[i][k]})`);
  }));
  return { worst, problems: problems.slice(0, 3) };
}

/** The longest dot product in `net`'s gradients at batch size `batch`: the batch, or a layer's units or fan-in. */
export function longestSum(net: Net, batch: number): number {
  return Math.max(batch, ...net.layers.flatMap((layer) => [layer.units, layer.fanIn]));
}

export async function fitAgainstCpu(gpu: Model, cpu: Model, run: FitOptions, steps: number): Promise<{ worst: number; problems: string[] }> {
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
  return { worst, problems: problems.slice(0, 3) };
}
