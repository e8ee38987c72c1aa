/**
 * How the net does on your data's validation rows, for the Output's sentences (views.ts drawViews): the loss per
 * example, and for classes the accuracy by the engine's rule (eval.ts argmaxColumn). On the CPU from the current weights.
 */
import { batchFrom } from '../spec.ts';
import { predictInChunks } from './boundary.ts';
import { argmaxColumn, lossPerExample } from './eval.ts';
import type { PresetData } from './presets.ts';
import type { LabSession } from './session.ts';
import { count, percent } from './words.ts';

/** "validation accuracy 90.0 % (loss 0.2345) on 10 held-out rows" (a regression: the loss alone), or undefined when there are none. */
export function validationScore(s: LabSession, d: Pick<PresetData, 'validation' | 'labels'>): string | undefined {
  const v = d.validation;
  if (!v || v.x.length === 0) return undefined;
  const batch = batchFrom(s.net, v.x, v.y);
  const loss = lossPerExample(s.net, s.params, batch.X, batch.Y, batch.n);
  if (!d.labels) return `validation loss ${loss.toPrecision(4)} on ${count(v.x.length, 'held-out row')}`;
  const A = predictInChunks(s.net, s.params, batch.X, batch.n);
  const K = s.net.layers[s.net.layers.length - 1].units;
  let right = 0;
  for (let c = 0; c < batch.n; c++) if (argmaxColumn(A, K, batch.n, c) === v.labels[c]) right++;
  return `validation accuracy ${percent(right / batch.n)} (loss ${loss.toPrecision(4)}) on ${count(v.x.length, 'held-out row')}`;
}
