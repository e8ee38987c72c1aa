/**
 * The `hostReads` part of test/dawn/run.ts (review wgmut55, a mutation audit of src/webgpu/*.ts): what the host makes
 * of two values it reads back, where the rest of the Dawn run never reaches the case.
 *
 * 1. fit's epoch loss
 * read back from epoch_sums.wgsl's three-level sum (src/webgpu/train.ts readSums adds levels[0] + levels[1] +
 * levels[2]). The third level holds anything only after FOLD² = 4096 batches in one epoch (each batch is one term of
 * the epoch's sum); the rest of the Dawn run's fits have at most a few hundred batches an epoch, so a readSums that
 * dropped levels[2] went through it green.
 *
 * The net is chosen so that every example's loss is known by hand and the parameters never move: 1 input, a 2-unit
 * softmax layer with W = 0 and b = 0, x = 0 for every example, y alternating (1, 0), (0, 1), shuffle off, batches of 2.
 * Each example's A = softmax(0, 0) = (1/2, 1/2) exactly and its loss −ln(1/2) = ln 2; each batch's δ = A − Y is
 * (−1/2, 1/2) and (1/2, −1/2), so dW = δ·x = 0 and db = ½·Σ δ = 0 exactly: SGD leaves W and b at 0. 8192 examples are
 * 4096 batches: the mean epoch loss is ln 2 (float64: Math.LN2), within 1e-4 relative (the three-level float32 sum's
 * rounding, (2·64 + 8192/4096)·2⁻²⁴ ≈ 7.7e-6 of the sum by epoch_sums.wgsl's NOTE, plus log's few ulps); the
 * accuracy 1/2 exactly (argmax takes the first index on ties: right for y = (1, 0), wrong for (0, 1)), and max |θ| 0.
 *
 * 2. max |θ| where a parameter is NaN (src/webgpu/readback.ts): max_abs.wgsl compares bit patterns, and every bit
 * pattern from 0x7f800000 up (+Inf, then the NaNs) is read as Infinity — as maxAbsOf (src/backend.ts) and
 * DivergedError.maxAbs document. The Dawn run's diverging fits reach ±Inf, never a NaN parameter, so a readback that
 * mapped only +Inf's pattern went through it green with NaN coming back. Parameters written straight to a per-kernel
 * net (WebGpuNet.writeParams, below the Model's finiteness check), no step run: NaN, −Inf, and a finite control 3.5.
 */
import { Model } from '../../src/model.ts';
import { validateSpec } from '../../src/spec.ts';
import type { WebGpuBackend } from '../../src/webgpu/backend.ts';

/** Examples: 4096 batches of 2 (FOLD² = 4096 terms of the epoch's sum: the third level's first). */
const N = 8192;

/** Part 1: what differs from the values worked by hand, one a line. */
async function epochSums(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const m = await Model.create({
    inputs: 1, layers: [{ units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
    params: { W: [[[0], [0]]], b: [[0, 0]] },
  }, { shared });
  try {
    const x = Array.from({ length: N }, () => [0]);
    const y = Array.from({ length: N }, (_, c) => (c % 2 === 0 ? [1, 0] : [0, 1]));
    const history = await m.fit({ x, y, batchSize: 2, epochs: 1, shuffle: false, batchesPerSubmission: 256, optimizer: { name: 'sgd', lr: 0.1 } });
    const e = history[0];
    if (!e || !(Math.abs(e.loss - Math.LN2) <= 1e-4 * Math.LN2)) problems.push(`epoch loss over ${N} examples in ${N / 2} batches: ${e?.loss}, want ln 2 = ${Math.LN2} (1e-4 relative)`);
    if (e?.accuracy !== 0.5) problems.push(`epoch accuracy: ${e?.accuracy}, want 0.5`);
    if (e?.maxAbsParam !== 0) problems.push(`max |θ| after the epoch: ${e?.maxAbsParam}, want 0 (no gradient)`);
  } finally {
    m.dispose();
  }
  return problems.map((p) => `fit's epoch sums past 4096 batches: ${p}`);
}

/** Part 2: max |θ| read back where one parameter is NaN or −Inf (Infinity), and where all are finite (their max). */
async function maxAbsNotFinite(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const { net } = validateSpec({ inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' });
  const wg = shared.compile(net, 1, { fused: 'off' });
  try {
    for (const [what, w0, want] of [['NaN', Number.NaN, Infinity], ['−Inf', -Infinity, Infinity], ['finite', -3.5, 3.5]] as const) {
      wg.writeParams({ W: [new Float32Array([w0, 1])], b: [new Float32Array([0.25])] });
      const r = await wg.read({ maxAbs: true });
      if (!Object.is(r.maxAbs, want)) problems.push(`max |θ| with a parameter ${what}: ${r.maxAbs}, want ${want}`);
    }
  } finally {
    wg.dispose();
  }
  return problems;
}

/** Both parts' problems, one a line (none when all hold). */
export async function hostReads(shared: WebGpuBackend): Promise<string[]> {
  return [...await epochSums(shared), ...await maxAbsNotFinite(shared)];
}
