/**
 * Sums over many examples, against float64 values worked out here from the formulas (not from the engine): a 1 → 2
 * softmax-cross-entropy net with W = 0 and b = (0.3, 0), every example x = 0.3 of class 0. Each example has the same
 * loss, ln(1 + e^−0.3), and the same db, (p − 1, 1 − p) with p = 1 / (1 + e^−0.3) — the case where a float32
 * running sum is worst (its rounding is systematic: review ml3 measured −0.6 % for fit's epoch loss at 10⁶ examples,
 * 0.67 % for WebGPU's db at 4·10⁶). Used by test/numerics.test.ts (cpu, wasm) and test/dawn/run.ts (WebGPU).
 *
 * Bound: relative 2e-5. The engine's own sums (reduce_rows.wgsl and epoch_sums.wgsl on WebGPU: Folded, three levels
 * of at most 64 terms; float64 on cpu and wasm) are within (2·64 + m / 64² + log2 WG)·2⁻²⁴ ≈ 9e-6 for the
 * m = 2¹⁸ / 4 = 65 536 terms an invocation adds on SwiftShader (WG = 4), plus a few float32 ulps in each example's
 * softmax and log. A plain float32 running sum over m terms is off by ~m·2⁻²⁵ ≈ 2e-3 here.
 */
import type { Model } from '../../src/model.ts';

const N = 2 ** 18;
const BATCH = 2 ** 10; // 256 batches an epoch: the epoch's Folded fills two levels (64 batches each) four times
const WIDE_BATCH = 2 ** 13; // 32 batches an epoch, each batch's Folded reaching its third level (every 4096 terms) twice
const TOL = 2e-5;

/** Each example's loss ln(1 + e^−b0) and db (p − 1, 1 − p), p = 1 / (1 + e^−b0), for the net below with b = (b0, 0). */
const expected = (b0: number) => {
  const p = 1 / (1 + Math.exp(-b0));
  return { loss: Math.log(1 + Math.exp(-b0)), db: [p - 1, 1 - p] };
};
const { loss: LOSS, db: DB } = expected(0.3);
/**
 * grad over 2²⁰ examples with b0 = 0.26: 2¹⁸ terms an invocation of reduce_rows.wgsl on SwiftShader (WG = 4), 64 into
 * its third level. NOTE: the third level is what keeps this within TOL: two levels (level 1 taking 4096 sums of 64)
 * are off by 3.3e-5 (loss) and 6.0e-5 (db) here, three by 2e-7 (float32 simulated in float64 on the host: Math.fround);
 * at 2¹⁸ examples two levels stay within 1.5e-5 for every b0, so the batch above cannot tell.
 */
const WIDE_N = 2 ** 20;
const WIDE_B0 = 0.26;

function spec(b0 = 0.3): Record<string, unknown> {
  return {
    inputs: 1,
    layers: [{ units: 2, activation: 'softmax' }],
    loss: 'softmax-cross-entropy',
    reduction: 'mean',
    params: { W: [[[0], [0]]], b: [[b0, 0]] },
  };
}

const data = (n = N) => ({
  x: { examples: n, data: new Float32Array(n).fill(0.3) },
  y: { examples: n, data: new Float32Array(2 * n).map((_, i) => (i % 2 === 0 ? 1 : 0)) },
});

/** What differs from the float64 values (none when all hold): grad's loss and db (one batch of N), fit's epoch loss (batches of 2¹⁰, then 2¹³) and accuracy at lr 0; grad's loss and db over 2²⁰ examples. */
export async function largeSums(create: (spec: unknown) => Promise<Model>): Promise<string[]> {
  const problems: string[] = [];
  const off = (what: string, got: number, want: number) => {
    const rel = Math.abs(got - want) / Math.abs(want);
    if (!(rel <= TOL)) problems.push(`${what}: ${got}, want ${want} (relative ${rel.toExponential(2)} > ${TOL})`);
  };
  const { x, y } = data();
  const model = await create({ ...spec(), ...data() });
  try {
    const g = await model.grad();
    off(`grad loss over ${N} examples`, g.loss, LOSS);
    g.db[0].forEach((v, k) => off(`grad db_1[${k}] over ${N} examples`, v, DB[k]));
    const [epoch] = await model.fit({ x, y, epochs: 1, batchSize: BATCH, shuffle: false, optimizer: { name: 'sgd', lr: 0 } });
    off(`fit epoch loss over ${N} examples in batches of ${BATCH}`, epoch.loss, LOSS);
    if (epoch.accuracy !== 1) problems.push(`fit epoch accuracy ${epoch.accuracy}, want 1 (every example is right)`);
    // NOTE: epoch_sums.wgsl sums a batch's losses in one Folded, one term per example: only a batch of more than
    // FOLD² = 4096 examples reaches its third level (batches of 2¹⁰ never do, nor the epoch's 256 batch terms).
    const [wide] = await model.fit({ x, y, epochs: 1, batchSize: WIDE_BATCH, shuffle: false, optimizer: { name: 'sgd', lr: 0 } });
    off(`fit epoch loss over ${N} examples in batches of ${WIDE_BATCH}`, wide.loss, LOSS);
  } finally {
    model.dispose();
  }
  const wideModel = await create({ ...spec(WIDE_B0), ...data(WIDE_N) });
  try {
    const g = await wideModel.grad();
    const want = expected(WIDE_B0);
    off(`grad loss over ${WIDE_N} examples (b0 ${WIDE_B0})`, g.loss, want.loss);
    g.db[0].forEach((v, k) => off(`grad db_1[${k}] over ${WIDE_N} examples (b0 ${WIDE_B0})`, v, want.db[k]));
  } finally {
    wideModel.dispose();
  }
  return problems;
}
