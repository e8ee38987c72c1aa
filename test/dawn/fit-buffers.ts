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
 *   (100-200-10, the batch of 32 that a remainder net of its own size used to double).
 * Each line returned is a call whose peak passed the count, or whose buffers were not found.
 */
import { fitDataNeeds } from '../../src/budget.ts';
import { Model } from '../../src/model.ts';
import type { WebGpuBackend } from '../../src/webgpu/backend.ts';
import type { NetworkSpec } from '../../src/spec.ts';
import { fitFigure } from '../lib/fit-figure.ts';
import { NETS, dataFor } from '../lib/fit-nets.ts';

/** The labels of the data-sized buffers (src/webgpu/train.ts upload, writeOrder, predict). */
const DATA_BUFFER = /^(data [XY]|example order|identity order|predict A_L|predict L_c) \(/;

export async function fitDataBuffers(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const live = new Map<GPUBuffer, number>();
  let now = 0;
  let peak = 0;
  // Every buffer made (not only the data's).
  const all = new Map<GPUBuffer, number>();
  let allNow = 0;
  let allPeak = 0;
  const create = shared.createBuffer;
  const destroy = shared.destroyBuffer;
  shared.createBuffer = function (label, size, usage) {
    const b = create.call(this, label, size, usage);
    all.set(b, b.size);
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
    allNow -= all.get(b) ?? 0;
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
    const wide: NetworkSpec = {
      inputs: 100, layers: [{ units: 200, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 1 },
    };
    const fits: [string, NetworkSpec, number, number, number][] = [['3-5-4-3', spec, 50, 21, 8], ['100-200-10', wide, 100, 30, 32]];
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
      // predict on the trainer the fit left (its Adam state, staging, nets): what it held and made, at the peak.
      const n = nVal > 0 ? nVal : 5;
      allPeak = allNow;
      await m.predict(t.x.slice(0, n));
      const predictFigure = fitFigure('device', m.net, n, 0, B, { what: 'predict', optimizer: 'adam', batchesPerSubmission: 0 });
      if (allPeak > predictFigure) problems.push(`predict ${name}, ${n} examples after the fit: ${allPeak} bytes of GPU buffers at the peak, over the ${predictFigure} the predict check counts`);
      m.dispose();
    }
  } finally {
    shared.createBuffer = create;
    shared.destroyBuffer = destroy;
  }
  return problems;
}
