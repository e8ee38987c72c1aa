/**
 * What fit, predict and evaluate hold on the device, against what the budget counts (src/budget.ts), tracked through
 * the backend's createBuffer and destroyBuffer at their peak:
 * - for their data (fitDataNeeds, the device side): the buffers of src/webgpu/train.ts whose size follows the example
 *   counts — each set's X and Y (upload), the epoch's order (writeOrder), and a predict's identity order, A_L and
 *   per-example losses (predict: the validation pass, Model.predict, Model.evaluate);
 * - for a whole fit (every buffer it makes: the trainer's nets, a partial batch's, the optimiser state, read()'s
 *   staging, the uniform slots, the data), against the device figure the fit check uses (checkFitBudget: needs at
 *   batches of B, fitTrainerNeeds, fitDataNeeds), and a predict after it on the trainer it left (what that holds
 *   and what the predict makes, against predict's figure), with Adam and partial batches on both sets, for a net small enough
 *   that the uniform blocks and 256-byte offsets weigh (3-5-4-3) and one whose parameters and activations do
 *   (100-200-10, the batch of 32 that a remainder net of its own size used to double);
 * - for a model's step net (Model.create with a batch, train, grad, step, getParams: every readback's staging), against
 *   the device figure of their check (needs(net, n)), for nets whose 256-byte offsets and uniform blocks weigh (the
 *   2-2-1 lecture net, fused; a chain of 1-unit layers, per-kernel) and whose parameters and activations do;
 * - that a fit's trainer lets go of the example order when the fit ends (the predict after it is counted without it);
 * - that WebGpuBackend.stepsPerSubmission takes 1 … STEPS_PER_SUBMISSION only (the budget counts slots with the most).
 * Each line returned is a call whose peak passed the count, or whose buffers were not found, or what else went wrong.
 */
import { fitDataNeeds } from '../../src/budget.ts';
import { Model } from '../../src/model.ts';
import { SpecError } from '../../src/errors.ts';
import { STEPS_PER_SUBMISSION, type WebGpuBackend } from '../../src/webgpu/backend.ts';
import type { NetworkSpec } from '../../src/spec.ts';
import { fitFigure, stepFigure } from '../lib/fit-figure.ts';
import { NETS, dataFor } from '../lib/fit-nets.ts';

const WIDE: NetworkSpec = {
  inputs: 100, layers: [{ units: 200, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 1 },
};
/**
 * Step nets: the 2-2-1 lecture net at batch 1 (fused, main_tiny: the 256-byte offsets and its desc weigh), a 5-layer
 * chain of single units (the per-kernel path, whose uniform blocks weigh), 3-5-4-3 with a shared bias at 300 (per-kernel,
 * row sums) and 100-200-10 at 32 (parameters and activations weigh).
 */
const STEP_NETS: [string, NetworkSpec, number][] = [
  ['2-2-1 (lecture)', {
    inputs: 2, layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
  }, 1],
  ['1-1-1-1-1-1', { inputs: 1, layers: Array.from({ length: 5 }, () => ({ units: 1, activation: 'tanh' as const })), loss: 'mse', init: { scheme: 'xavier', seed: 2 } }, 2],
  ['3-5-4-3', NETS[0][1], 300],
  ['100-200-10', WIDE, 32],
];

/** The labels of the data-sized buffers (src/webgpu/train.ts upload, writeOrder, predict). */
const DATA_BUFFER = /^(data [XY]|example order|identity order|predict A_L|predict L_c) \(/;

export async function fitDataBuffers(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const live = new Map<GPUBuffer, number>();
  let now = 0;
  let peak = 0;
  // Every buffer made (not only the data's), with its label.
  const all = new Map<GPUBuffer, { size: number; label: string }>();
  let allNow = 0;
  let allPeak = 0;
  const create = shared.createBuffer;
  const destroy = shared.destroyBuffer;
  shared.createBuffer = function (label, size, usage) {
    const b = create.call(this, label, size, usage);
    all.set(b, { size: b.size, label });
    allNow += b.size;
    allPeak = Math.max(allPeak, allNow);
    if (DATA_BUFFER.test(label)) {
      live.set(b, b.size);
      now += b.size;
      peak = Math.max(peak, now);
    }
    return b;
  };
  shared.destroyBuffer = function (b) {
    now -= live.get(b) ?? 0;
    live.delete(b);
    allNow -= all.get(b)?.size ?? 0;
    all.delete(b);
    destroy.call(this, b);
  };
  const reset = (): void => {
    now = peak = allNow = allPeak = 0;
    live.clear();
    all.clear();
  };
  const peakOf = async (what: string, run: () => Promise<unknown>, counted: number, data: number): Promise<void> => {
    reset();
    await run();
    if (!(peak >= 4 * data)) problems.push(`${what}: ${peak} bytes of data buffers found, fewer than its X and Y (${4 * data}): have their labels changed?`);
    if (peak > counted) problems.push(`${what}: ${peak} bytes of data buffers at the peak, over the ${counted} that fitDataNeeds counts`);
  };
  try {
    // A model's step net (Model.create with a batch, then train, grad, step and getParams: every staging buffer a
    // read makes) at its peak, against the figure the device check of create / train / grad / step uses (needs(net, n)).
    for (const [name, net, n] of STEP_NETS) {
      reset();
      const m = await Model.create({ ...net, ...dataFor(net, n, 15), lr: 0.01 }, { shared });
      await m.train({ steps: 2 });
      await m.grad();
      await m.step();
      await m.getParams();
      const figure = stepFigure(m.net, n);
      if (!(allPeak > 0)) problems.push(`step net ${name}: no buffers found`);
      if (allPeak > figure) problems.push(`step net ${name}, batch ${n}: ${allPeak} bytes of GPU buffers at the peak, over the ${figure} its device check counts`);
      m.dispose();
    }
    // 3 inputs, 3 outputs; 50 training and 21 validation examples at batches of 8: partial batches on both.
    const spec = NETS[0][1];
    const model = await Model.create(spec, { shared });
    const { x, y } = dataFor(spec, 50, 11);
    const v = dataFor(spec, 21, 12);
    const width = 3 + 3;
    await peakOf('fit, validation set', () => model.fit({ x, y, validation: v, batchSize: 8, epochs: 2, optimizer: 'adam' }),
      fitDataNeeds(model.net, 50, 21).deviceBytes, width * 71);
    // predict and evaluate are counted as a validation set of their examples (checkFitBudget).
    await peakOf('predict', () => model.predict(v.x), fitDataNeeds(model.net, 0, 21).deviceBytes, width * 21);
    await peakOf('evaluate', () => model.evaluate(v.x, v.y), fitDataNeeds(model.net, 0, 21).deviceBytes, width * 21);
    model.dispose();
    // A whole fit: every buffer made from the trainer on, at its peak, against the device figure of the fit check.
    const fits: [string, NetworkSpec, number, number, number][] = [['3-5-4-3', spec, 50, 21, 8], ['100-200-10', WIDE, 100, 30, 32]];
    for (const [name, net, nTrain, nVal, B] of fits) {
      const m = await Model.create(net, { shared });
      const t = dataFor(net, nTrain, 13);
      const val = nVal > 0 ? dataFor(net, nVal, 14) : undefined;
      reset();
      // Two epochs of the small net: the second starts from the first's uniform slots and remainder nets.
      await m.fit({ ...t, validation: val, batchSize: B, epochs: net === spec ? 2 : 1, optimizer: 'adam' });
      const figure = fitFigure('device', m.net, nTrain, nVal, B, { optimizer: 'adam' });
      if (!(allPeak > 0)) problems.push(`fit ${name}: no buffers found`);
      if (allPeak > figure) problems.push(`fit ${name}, ${nTrain} + ${nVal} examples, batches of ${B}, Adam: ${allPeak} bytes of GPU buffers at the peak, over the ${figure} the fit check counts`);
      // The trainer let go of the epoch's order when the fit ended (dropOrder): the predict below is counted without it.
      const kept = [...all.values()].filter((b) => b.label.startsWith('example order (')).map((b) => `${b.label}: ${b.size} bytes`);
      if (kept.length > 0) problems.push(`fit ${name}: the trainer still holds ${kept.join(', ')} after the fit`);
      // predict on the trainer the fit left (its Adam state, staging, nets): what it held and made, at the peak.
      const n = nVal > 0 ? nVal : 5;
      allPeak = allNow;
      await m.predict(t.x.slice(0, n));
      const predictFigure = fitFigure('device', m.net, n, 0, B, { what: 'predict', optimizer: 'adam', batchesPerSubmission: 0 });
      if (allPeak > predictFigure) problems.push(`predict ${name}, ${n} examples after the fit: ${allPeak} bytes of GPU buffers at the peak, over the ${predictFigure} the predict check counts`);
      m.dispose();
    }
    // stepsPerSubmission may be lowered, never raised past STEPS_PER_SUBMISSION (the budget counts a trainer's
    // per-step slots with it): a SpecError naming it, the value kept.
    for (const bad of [STEPS_PER_SUBMISSION + 1, 0, 2.5, Number.NaN]) {
      let got = 'accepted';
      try {
        shared.stepsPerSubmission = bad;
      } catch (err) {
        got = err instanceof SpecError ? `SpecError ${err.field}` : String(err);
      }
      if (got !== 'SpecError stepsPerSubmission' || shared.stepsPerSubmission !== STEPS_PER_SUBMISSION) {
        problems.push(`stepsPerSubmission = ${bad}: ${got}, now ${shared.stepsPerSubmission} (want a SpecError naming stepsPerSubmission, ${STEPS_PER_SUBMISSION} kept)`);
      }
    }
    shared.stepsPerSubmission = 3;
    if (shared.stepsPerSubmission !== 3) problems.push(`stepsPerSubmission = 3 read back as ${shared.stepsPerSubmission}`);
    shared.stepsPerSubmission = STEPS_PER_SUBMISSION;
  } finally {
    shared.createBuffer = create;
    shared.destroyBuffer = destroy;
  }
  return problems;
}
