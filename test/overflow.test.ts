/**
 * Training into float32 overflow: every backend agrees with the CPU oracle — the same values, or the same DivergedError
 * with the same fields — where W·A_prev, Wᵀ·δ or δ·A_prevᵀ passes float32's range (src/cpu/kernels.ts float32Overflow).
 * Before, the oracle summed those in float64 only, where a product of ±1e39 is finite and cancels: at lr 1e20 its
 * identity → sigmoid net trained on (loss 0.125, every gradient 0) while wasm, summing in float32, got +∞ − ∞ = NaN and
 * threw; an identity → relu net the other way round (relu hides wasm's NaN; the oracle's z of 1e54 made the loss ∞).
 * WebGPU: the same hand-made nets in test/dawn/run.ts (`overflow`).
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { Activation, Loss, NetworkSpec } from '../src/spec.ts';
import { dot32, overflowProblems } from './lib/overflow.ts';

describe('the float32 reference of test/lib/overflow.ts', () => {
  it('products past the range are ±∞ in float32, so ±1e39 cancel to NaN and +1e39 add to +∞, where float64 gives b and 2e39', () => {
    expect(dot32([1e20, -1e20], [1e19, 1e19])).toBeNaN();
    expect(dot32([1e20, 1e20], [1e19, 1e19])).toBe(Infinity);
    expect(1e20 * 1e19 - 1e20 * 1e19).toBe(0);
    expect(dot32([1, 1, 1, 1], [1e38, 1e38, 1e38, 1e38])).toBe(Infinity); // the 4th running sum, 4e38
    expect(dot32([1, 1, 1], [1e38, 1e38, 1e38])).toBeLessThan(3.5e38);
  });
});

describe('hand-made nets past float32 in the matmul sums (test/lib/overflow.ts)', () => {
  it.each(['cpu', 'wasm'] as const)('%s: grad and train against the float32 reference', async (backend) => {
    expect(await overflowProblems((spec) => Model.create(spec, { backend }))).toEqual([]);
  });
});

/** What a run gave: 'ok' and its numbers (train: each call's loss and maxAbsParam; fit: each epoch's loss), or the error's class and fields. */
interface Outcome {
  kind: string;
  numbers: number[];
}

/** 10 calls of train({ steps: 1 }) (train) or one fit of 5 epochs in batches of 2 (fit), until one throws. */
async function outcome(backend: 'cpu' | 'wasm', spec: NetworkSpec, how: 'train' | 'fit'): Promise<Outcome[]> {
  const model = await Model.create(spec, { backend });
  const out: Outcome[] = [];
  try {
    if (how === 'fit') out.push({ kind: 'ok', numbers: (await model.fit({ epochs: 5, batchSize: 2 })).map((e) => e.loss) });
    else for (let s = 0; s < 10; s++) {
      const r = await model.train({ steps: 1 });
      out.push({ kind: 'ok', numbers: [r.loss, r.maxAbsParam] });
    }
  } catch (err) {
    const e = err as { name: string; loss?: number; maxAbs?: number; slot?: string };
    const finite = (v: number | undefined) => (v === undefined ? 'none' : Number.isFinite(v) ? 'finite' : 'not finite');
    // NOTE: a non-finite loss is Infinity on one backend and NaN on another where float64 and float32 sums part
    // (DivergedError.loss: test Number.isFinite): compared as "not finite".
    out.push({ kind: `${e.name}: loss ${finite(e.loss)}, maxAbs ${finite(e.maxAbs)}, slot ${e.slot ?? 'none'}`, numbers: [e.loss, e.maxAbs].filter((v): v is number => Number.isFinite(v)) });
  } finally {
    model.dispose();
  }
  return out;
}

/**
 * 2 → 3 → 3 → 1 nets on XOR that a huge lr blows up within two steps, each where the oracle and wasm parted before
 * (`was`, measured on this branch's parent: cpu / wasm), and whether the run now ends in a DivergedError on both
 * (`diverges`). NOTE: the relu output's z is NaN in float32 from step 2 (+∞ − ∞), and relu(NaN) = 0 on every backend
 * (WebGPU's max(NaN, 0) too): the loss stays 0.25 and every gradient 0 — a dead net, but no backend can tell.
 */
const BLOWN_UP: { hidden: Activation; output: Activation; loss: Loss; lr: number; was: string; diverges: boolean }[] = [
  { hidden: 'identity', output: 'sigmoid', loss: 'mse', lr: 1e20, was: 'trained on (loss 0.125) / DivergedError, loss NaN', diverges: true },
  { hidden: 'identity', output: 'relu', loss: 'mse', lr: 1e20, was: 'DivergedError, loss ∞ / trained on (loss 0.25)', diverges: false },
  { hidden: 'identity', output: 'tanh', loss: 'mse', lr: 1e20, was: 'DivergedError: loss finite, maxAbs ∞ / loss NaN', diverges: true },
  { hidden: 'tanh', output: 'identity', loss: 'mse', lr: 1e10, was: 'DivergedError: maxAbs finite (2.4e30) / maxAbs ∞', diverges: true },
];

describe('nets trained into float32 overflow: cpu and wasm agree', () => {
  for (const { hidden, output, loss, lr, was, diverges } of BLOWN_UP) {
    it.each(['train', 'fit'] as const)(`${hidden} → ${output}, ${loss}, lr ${lr} (was ${was}): %s`, async (how) => {
      const spec: NetworkSpec = {
        inputs: 2, layers: [{ units: 3, activation: hidden }, { units: 3, activation: hidden }, { units: 1, activation: output }], loss,
        init: { scheme: 'xavier', seed: 1 }, x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], lr,
      };
      const [cpu, wasm] = [await outcome('cpu', spec, how), await outcome('wasm', spec, how)];
      expect(wasm.map((o) => o.kind)).toEqual(cpu.map((o) => o.kind));
      expect(cpu.at(-1)!.kind.startsWith('DivergedError')).toBe(diverges);
      // NOTE: the numbers before (and in) the error: float32 sums against float64 ones, amplified by the lr: within 1e-5
      // relative (measured: 3e-7 at most).
      cpu.forEach((o, i) => o.numbers.forEach((v, j) => expect(Math.abs(wasm[i]!.numbers[j]! - v), `${how} ${i}.${j}`).toBeLessThanOrEqual(1e-5 * Math.abs(v))));
    });
  }
});
