/**
 * A fit on one backend against the same fit on the CPU oracle (test/dawn/run.ts: every optimiser, and matmul.wgsl's
 * own kernel variants in test/dawn/variants.ts): both models run `run` from the same parameters, then the worst
 * relative parameter difference and, one a line, what is past the bound (at most 3).
 *
 * NOTE: the bound of test/wasm-fit.test.ts and test/browser/fit.test.ts: float32 on both sides in other summation
 * orders (reduce_rows' tree, fused multiply-adds, lr·g rounded to float32), ~1e-7 relative per step compounding
 * through the gradients: 5e-6·steps relative (to max(1, |value|)) on every parameter and epoch loss (and valLoss where
 * there is validation); the accuracies exactly (the same predictions counted); `steps` optimiser steps counted.
 */
import type { Model } from '../../src/model.ts';
import type { FitOptions } from '../../src/train/fit.ts';

export async function fitAgainstCpu(gpu: Model, cpu: Model, run: FitOptions, steps: number): Promise<{ worst: number; problems: string[] }> {
  const [hg, hc] = [await gpu.fit(run), await cpu.fit(run)];
  const [pg, pc] = [await gpu.getParams(), await cpu.getParams()];
  const bound = 5e-6 * steps;
  const rel = (a: number, c: number) => Math.abs(a - c) / Math.max(1, Math.abs(c));
  const problems: string[] = [];
  const cs = [...pc.W, ...pc.b];
  let worst = 0;
  [...pg.W, ...pg.b].forEach((a, i) => a.forEach((v, k) => {
    worst = Math.max(worst, rel(v, cs[i]![k]!));
    if (!(rel(v, cs[i]![k]!) < bound)) problems.push(`param ${i}[${k}]: gpu ${v} cpu ${cs[i]![k]} > ${bound} relative`);
  }));
  hg.forEach((h, e) => {
    const hce = hc[e]!;
    if (!(rel(h.loss, hce.loss) < bound)) problems.push(`epoch ${e + 1} loss: gpu ${h.loss} cpu ${hce.loss}`);
    if ((h.valLoss !== undefined || hce.valLoss !== undefined) && !(rel(h.valLoss!, hce.valLoss!) < bound)) problems.push(`epoch ${e + 1} valLoss: gpu ${h.valLoss} cpu ${hce.valLoss}`);
    if (h.accuracy !== hce.accuracy || h.valAccuracy !== hce.valAccuracy) problems.push(`epoch ${e + 1} accuracy: gpu ${h.accuracy}/${h.valAccuracy} cpu ${hce.accuracy}/${hce.valAccuracy}`);
  });
  const epochs = run.epochs ?? hc.length;
  if (hg.length !== epochs || gpu.optimizerState()?.t !== steps) problems.push(`${hg.length} epochs, t = ${gpu.optimizerState()?.t} (want ${epochs}, ${steps})`);
  return { worst, problems: problems.slice(0, 3) };
}
