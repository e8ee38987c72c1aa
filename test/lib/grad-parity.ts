/**
 * One parity net's gradient from a backend elsewhere (a page's WebGPU or wasm) against the CPU oracle's in Node:
 * every element of the loss, Z, A, delta, dW and db within test/lib/tolerance.ts's parityBounds
 * (test/browser/parity.test.ts in Chromium, test/browser/firefox-engine.test.ts in Firefox).
 */
import { Model } from '../../src/model.ts';
import { validateSpec } from '../../src/spec.ts';
import { type NetCase, randomSpec } from './random-nets.ts';
import { type GradArrays, type Violation, gradWithin, parityBounds } from './tolerance.ts';

export async function gradAgainstCpu(c: NetCase, got: GradArrays): Promise<{ worst: number; violations: Violation[] }> {
  const spec = randomSpec(c);
  const valid = validateSpec(spec);
  const model = await Model.create(spec, { backend: 'cpu' });
  const cpu = await model.grad();
  model.dispose();
  return gradWithin(got, cpu, parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, cpu));
}
