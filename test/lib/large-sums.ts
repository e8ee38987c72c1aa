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
const TOL = 2e-5;

const p = 1 / (1 + Math.exp(-0.3));
const LOSS = Math.log(1 + Math.exp(-0.3));
const DB = [p - 1, 1 - p];

function spec(): Record<string, unknown> {
  return {
    inputs: 1,
    layers: [{ units: 2, activation: 'softmax' }],
    loss: 'softmax-cross-entropy',
    reduction: 'mean',
    params: { W: [[[0], [0]]], b: [[0.3, 0]] },
  };
}

const data = () => ({
  x: { examples: N, data: new Float32Array(N).fill(0.3) },
  y: { examples: N, data: new Float32Array(2 * N).map((_, i) => (i % 2 === 0 ? 1 : 0)) },
});

/** What differs from the float64 values (none when all hold): grad's loss and db (one batch of N), fit's epoch loss and accuracy at lr 0. */
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
  } finally {
    model.dispose();
  }
  return problems;
}
