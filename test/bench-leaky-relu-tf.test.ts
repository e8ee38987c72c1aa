/**
 * The bench with `--activation leaky_relu` (a user's net, bench/configs.ts userConfigs): TF.js's trainer
 * (bench/systems.ts tfTrainer) computes leaky_relu — z for z > 0, else 0.01·z (LEAKY_SLOPE) — in its hidden layer.
 * A trainer that ran relu (or identity) there trains another net, and the bench's agreement would call the row wrong.
 * Expected: the first step's loss (TF.js's cost is the loss before its update) against the forward pass written here
 * in float64 from the formulas (README, The equations: z = W·a + b, f, mse L_c = ½·Σ_i (a_i − y_i)², mean over the
 * batch) at the config's own starting weights and data.
 */
import { describe, expect, it } from 'vitest';
import { type BenchConfig, type FitConfig, materialize, QUICK_E, startOf, userConfigs } from '../bench/configs.ts';
import { tfFit } from '../bench/fit-systems.ts';
import { tfTrainer } from '../bench/systems.ts';

const leaky = (z: number) => (z > 0 ? z : 0.01 * z);
const relu = (z: number) => (z > 0 ? z : 0);

describe('the bench on a leaky_relu net: TF.js trains leaky_relu', () => {
  it('a 3-8-2 MSE net, batch 16: the first step\'s loss is the float64 forward pass\'s with leaky_relu (not relu\'s)', async () => {
    const [c] = userConfigs({ layers: [3, 8, 2], batch: 16, activation: 'leaky_relu', loss: 'mse' });
    const m = materialize(c);
    const [h, o] = m.net.layers;
    expect([h.activation, o.activation, m.net.loss, m.net.reduction]).toEqual(['leaky_relu', 'identity', 'mse', 'mean']);
    const n = c.batch;
    let negatives = 0;
    const lossWith = (f: (z: number) => number): number => {
      let sum = 0;
      for (let e = 0; e < n; e++) {
        const a: number[] = [];
        for (let i = 0; i < h.units; i++) {
          let z = m.params.b[0][i];
          for (let j = 0; j < h.fanIn; j++) z += m.params.W[0][i * h.fanIn + j] * m.X[e * h.fanIn + j];
          if (z < 0) negatives++;
          a.push(f(z));
        }
        for (let k = 0; k < o.units; k++) {
          let out = m.params.b[1][k];
          for (let i = 0; i < o.fanIn; i++) out += m.params.W[1][k * o.fanIn + i] * a[i];
          sum += 0.5 * (out - m.Y[e * o.units + k]) ** 2;
        }
      }
      return sum / n;
    };
    const want = lossWith(leaky);
    expect(negatives, 'some hidden z < 0, where leaky_relu is not relu').toBeGreaterThan(0);
    // The test can tell the two apart: relu's loss is far from leaky_relu's at this tolerance.
    expect(Math.abs(lossWith(relu) - want)).toBeGreaterThan(1e-4 * want);

    const tf = await import('@tensorflow/tfjs');
    const t = await tfTrainer(tf, 'cpu', c, m);
    try {
      const { loss } = await t.train(1);
      expect(Math.abs(loss - want), `TF.js ${loss} against float64 ${want}`).toBeLessThanOrEqual(1e-5 * want);
    } finally {
      t.dispose();
    }
  }, 60_000);
});

describe("the bench's TF.js fit (config e's Keras-style model.fit) refuses leaky_relu by name", () => {
  it('a fit config with a leaky_relu hidden layer: an error naming the config and leaky_relu, before any training', async () => {
    const tf = await import('@tensorflow/tfjs');
    const c = QUICK_E[0] as BenchConfig & { fit: FitConfig };
    const { net, params } = startOf(c);
    const last = net.layers.length - 1;
    const leakyNet = { ...net, layers: net.layers.map((l, i) => (i < last ? { ...l, activation: 'leaky_relu' as const } : l)) };
    const none = { n: 0, X: new Float32Array(0), Y: new Float32Array(0) };
    await expect(tfFit(tf, 'cpu', { config: c, m: { net: leakyNet, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: none, test: none }))
      .rejects.toThrow(`config ${c.id}: leaky_relu has no TF.js dense activation`);
  }, 60_000);

  it('a shared bias is refused before the model is built: no layer weights left held (they were: the layers were built first)', async () => {
    const tf = await import('@tensorflow/tfjs');
    const c = QUICK_E[0] as BenchConfig & { fit: FitConfig };
    const { net, params } = startOf(c);
    const shared = { ...net, layers: net.layers.map((l, i) => (i === 0 ? { ...l, bias: 'shared' as const } : l)) };
    const none = { n: 0, X: new Float32Array(0), Y: new Float32Array(0) };
    await tf.setBackend('cpu');
    const tensors = tf.memory().numTensors;
    await expect(tfFit(tf, 'cpu', { config: c, m: { net: shared, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: none, test: none }))
      .rejects.toThrow(`config ${c.id}: a shared bias has no TF.js dense layer`);
    expect(tf.memory().numTensors).toBe(tensors);
  }, 60_000);
});
