/**
 * What fit, predict and evaluate hold on the device for their data, against what the budget counts for it
 * (src/budget.ts fitDataNeeds, the device side): the buffers of src/webgpu/train.ts whose size follows the example
 * counts — each set's X and Y (upload), the epoch's order (writeOrder), and a predict's identity order, A_L and
 * per-example losses (predict: the validation pass, Model.predict, Model.evaluate) — tracked through the backend's
 * createBuffer and destroyBuffer at their peak. Each line returned is a call whose peak passed the count, or whose
 * buffers were not found.
 */
import { fitDataNeeds } from '../../src/budget.ts';
import { Model } from '../../src/model.ts';
import type { WebGpuBackend } from '../../src/webgpu/backend.ts';
import { NETS, dataFor } from '../lib/fit-nets.ts';

/** The labels of the data-sized buffers (src/webgpu/train.ts upload, writeOrder, predict). */
const DATA_BUFFER = /^(data [XY]|example order|identity order|predict A_L|predict L_c) \(/;

export async function fitDataBuffers(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const live = new Map<GPUBuffer, number>();
  let now = 0;
  let peak = 0;
  const create = shared.createBuffer;
  const destroy = shared.destroyBuffer;
  shared.createBuffer = function (label, size, usage) {
    const b = create.call(this, label, size, usage);
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
    destroy.call(this, b);
  };
  const peakOf = async (what: string, run: () => Promise<unknown>, counted: number, data: number): Promise<void> => {
    now = 0;
    peak = 0;
    live.clear();
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
  } finally {
    shared.createBuffer = create;
    shared.destroyBuffer = destroy;
  }
  return problems;
}
