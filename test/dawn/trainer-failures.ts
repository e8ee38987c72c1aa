/**
 * The WebGPU fit trainer (src/webgpu/train.ts) after a call that failed or a data set that went (test/dawn/run.ts's
 * `trainerFailures`): each line says what went wrong; none when all hold.
 *
 * - A data set disposed, then given to predict or runBatches: DisposedError, as on wasm (its X and Y are destroyed).
 *
 * On a backend of its own (WebGpuBackend.create): nothing here touches the shared device.
 */
import { BackpropError } from '../../src/errors.ts';
import { resolveOptimizer } from '../../src/train/optimizers.ts';
import { type Batch, validateSpec } from '../../src/spec.ts';
import type { WebGpuBackend } from '../../src/webgpu/backend.ts';
import type { WebGpuTrainer } from '../../src/webgpu/train.ts';

const name = (e: unknown): string => (e instanceof BackpropError ? `${e.name} ${e.code}` : e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** 2-3-1 tanh / sigmoid, bce, fixed params; x of n examples on a curve, y its sign. */
function problem(n: number): { valid: ReturnType<typeof validateSpec>; batch: Batch } {
  const x = Array.from({ length: n }, (_, c) => [Math.sin(c), Math.cos(c)]);
  const valid = validateSpec({
    inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
    params: { W: [[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [[0.7, -0.8, 0.9]]], b: [[0.1, 0, -0.1], [0.2]] }, x, y: x.map((r) => [r[0]! > 0 ? 1 : 0]),
  });
  return { valid, batch: valid.batch! };
}

export async function trainerFailures(gpu: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const { valid, batch } = problem(7);
  const trainer = (B: number): WebGpuTrainer => {
    const t = gpu.trainer(valid.net, B, 'momentum');
    t.writeParams(valid.params!);
    return t;
  };
  const momentum = resolveOptimizer('momentum', 0.5);

  {
    // A disposed data set: refused (before, predict answered zeros and runBatches trained nothing, no error).
    const t = trainer(3);
    const d = t.upload(batch);
    t.writeOrder(Uint32Array.from({ length: 7 }, (_, c) => c));
    d.dispose();
    const ends = [
      await t.predict(d).then((r) => `resolved ${Array.from(r.A).join()}`, name),
      await (async () => t.runBatches(d, 0, 3, momentum))().then(() => 'resolved', name),
    ];
    if (ends.join() !== 'DisposedError DISPOSED,DisposedError DISPOSED') problems.push(`predict, runBatches of a disposed data set: ${ends.join('; ')} (want DisposedError each)`);
    t.dispose();
  }
  return problems;
}
