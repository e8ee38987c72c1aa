/**
 * Seeded random nets for the parity suite: architecture, xavier weights (plus small random biases so the
 * bias paths are exercised) and data, all from one seed, as a NetworkSpec both backends read.
 */
import { gaussian, mulberry32 } from '../../src/init.ts';
import { initParams } from '../../src/init.ts';
import type { ActivationName, BiasMode, Loss, NetworkSpec, Reduction } from '../../src/spec.ts';
import { paramsToSpec, validateNet } from '../../src/spec.ts';
import { ELEMENTWISE } from './activations.ts';

export interface NetCase {
  seed: number;
  inputs: number;
  hidden: number[];
  outputs: number;
  hiddenActivation: Exclude<ActivationName, 'softmax' | 'linear'>;
  outputActivation: ActivationName;
  loss: Loss;
  bias: BiasMode;
  reduction: Reduction;
  batch: number;
}

export function randomSpec(c: NetCase): NetworkSpec {
  const rand = mulberry32(c.seed);
  const widths = [...c.hidden, c.outputs];
  const layers = widths.map((units, l) => ({
    units,
    activation: l === widths.length - 1 ? c.outputActivation : c.hiddenActivation,
    bias: c.bias,
  }));
  const net = validateNet({ inputs: c.inputs, layers, loss: c.loss, reduction: c.reduction });
  const p = initParams(net, 'xavier', c.seed);
  p.b.forEach((b) => b.forEach((_, i) => { b[i] = 0.2 * (rand() - 0.5); }));
  const x = Array.from({ length: c.batch }, () => Array.from({ length: c.inputs }, () => gaussian(rand)));
  const y = Array.from({ length: c.batch }, () => {
    if (c.loss === 'mse') return Array.from({ length: c.outputs }, () => gaussian(rand));
    if (c.loss === 'bce') return Array.from({ length: c.outputs }, () => (rand() < 0.5 ? 0 : 1));
    const hot = Math.floor(rand() * c.outputs);
    return Array.from({ length: c.outputs }, (_, i) => (i === hot ? 1 : 0));
  });
  return { inputs: c.inputs, layers, loss: c.loss, reduction: c.reduction, params: paramsToSpec(net, p), x, y, lr: 0.05 };
}

const HIDDEN_ACTS = ELEMENTWISE;
const BIASES: BiasMode[] = ['per-unit', 'shared', 'none'];
const WIDTHS = [1, 3, 17, 64, 65, 257];
const BATCHES = [1, 3, 17, 64, 65, 100, 256];

/**
 * The parity cases: 60 nets cycling through every loss × hidden activation × bias mode, depths 1–4, the
 * widths 1, 3, 17, 64, 65, 257 and batches 1 … 256, plus a few at batch 1024. The product of width² × batch
 * is capped so the suite stays within a few minutes on SwiftShader.
 */
export function parityCases(): NetCase[] {
  const cases: NetCase[] = [];
  for (let i = 0; i < 60; i++) {
    const loss: Loss = (['mse', 'bce', 'softmax-cross-entropy'] as const)[i % 3];
    const depth = 1 + (Math.floor(i / 3) % 4);
    const pick = (k: number) => WIDTHS[(i + k * 2) % WIDTHS.length];
    const hidden = Array.from({ length: depth - 1 }, (_, k) => pick(k + 1));
    let outputs = loss === 'softmax-cross-entropy' ? Math.max(2, pick(5) % 11) : [1, 3, 17][i % 3];
    if (loss === 'mse' && i % 7 === 0) outputs = 65;
    const outputActivation: ActivationName =
      // i + 1 + 8·⌊i/4⌋: the cases of i + 1 with 4 activations; with 5, every one an mse output (and tanh's bound for
      // #5054's sum over 100 examples, which an unbounded output diverges on at lr 0.05).
      loss === 'mse' ? HIDDEN_ACTS[(i + 1 + 8 * Math.floor(i / 4)) % HIDDEN_ACTS.length] : loss === 'bce' ? 'sigmoid' : 'softmax';
    let batch = i % 10 === 9 ? 1024 : BATCHES[i % BATCHES.length];
    const inputs = pick(0);
    const widest = Math.max(inputs, outputs, ...hidden);
    if (widest === 257 && batch > 256) batch = 256;
    cases.push({
      seed: 5000 + i,
      inputs,
      hidden,
      outputs,
      // i + 5·⌊i/4⌋: the cases of i + ⌊i/4⌋ with 4 activations; with 5, i mod 5.
      hiddenActivation: HIDDEN_ACTS[(i + 5 * Math.floor(i / 4)) % HIDDEN_ACTS.length],
      outputActivation,
      loss,
      bias: BIASES[Math.floor(i / 3) % 3],
      reduction: i % 5 === 4 ? 'sum' : 'mean',
      batch,
    });
  }
  return cases;
}

export function describeCase(c: NetCase): string {
  const dims = [c.inputs, ...c.hidden, c.outputs].join('-');
  return `#${c.seed} ${dims} ${c.hiddenActivation}/${c.outputActivation} ${c.loss} bias=${c.bias} ${c.reduction} n=${c.batch}`;
}
