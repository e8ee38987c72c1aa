/**
 * The WebGPU fit trainer (src/webgpu/train.ts) after a call that failed or a data set that went (test/dawn/run.ts's
 * `trainerFailures`): each line says what went wrong; none when all hold.
 *
 * - A data set disposed, then given to predict or runBatches: DisposedError, as on wasm (its X and Y are destroyed).
 * - A buffer the trainer could not make (the backend's createBuffer throwing, injected: Dawn itself turns a size past
 *   the device's limits into a validation error, not a throw) where it replaces one: the example order (writeOrder of
 *   another length), the per-step uniform slots (runBatches, predict of more batches than the slots hold). The call
 *   throws; the calls after it give the bits of a twin trainer that never made the failed call.
 * - The same where a call makes buffers of its own: upload (X, then Y), predict (the identity order, A_L, then L_c),
 *   read (a staging buffer per region): none left made by the failed call (WebGpuBackend.buffers).
 * - The same where the trainer makes something: trainer() itself (its buffers after the net it compiles first), and
 *   a remainder net (predict's, runBatches' partial last batch: WebGpuNet.smaller, then its epoch_sums dims). No buffer
 *   is left made by the failed call (WebGpuBackend.buffers), and the trainer then predicts, and counts its steps (t), as
 *   a twin that never failed.
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

/** Bits of a float32 array, for bitwise comparisons. */
const bits = (a: Float32Array): string => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)).join(',');

export async function trainerFailures(gpu: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  // The next buffer whose label matches `failAt` is not made: the backend's createBuffer throws (once).
  const create = gpu.createBuffer.bind(gpu);
  let failAt: RegExp | null = null;
  gpu.createBuffer = (label, size, usage) => {
    if (failAt?.test(label)) {
      failAt = null;
      throw new Error(`injected: no buffer ${label}`);
    }
    return create(label, size, usage);
  };
  try {
    await replaced(gpu, (re) => { failAt = re; }, problems);
    await disposedData(gpu, problems);
    await partlyMade(gpu, (re) => { failAt = re; }, problems);
  } finally {
    gpu.createBuffer = create;
  }
  return problems;
}

/**
 * writeOrder, runBatches and predict with a buffer they replace not made, then more calls; against a twin trainer
 * that skips the failed call. 40 examples in batches of 2: 20 batches, more than the 16 slots a trainer starts with.
 */
async function replaced(gpu: WebGpuBackend, fail: (label: RegExp) => void, problems: string[]): Promise<void> {
  const { valid, batch } = problem(40);
  const small: Batch = { n: 3, X: batch.X.slice(0, 6), Y: batch.Y.slice(0, 3) };
  const order = Uint32Array.from({ length: 40 }, (_, c) => (7 * c) % 40);
  const momentum = resolveOptimizer('momentum', 0.5);
  const cases: [string, RegExp, (t: WebGpuTrainer, d: ReturnType<WebGpuTrainer['upload']>) => Promise<unknown>][] = [
    ['writeOrder of 3 examples', /^example order/, async (t) => t.writeOrder(Uint32Array.from([2, 0, 1]))],
    ['runBatches of 20 batches', /^gather slots/, async (t, d) => t.runBatches(d, 0, 20, momentum)],
    ['predict of 20 batches', /^gather slots/, (t, d) => t.predict(d)],
  ];
  for (const [what, label, call] of cases) {
    const runs: string[] = [];
    for (const failing of [true, false]) {
      const t = gpu.trainer(valid.net, 2, 'momentum');
      t.writeParams(valid.params!);
      const [d, s] = [t.upload(batch), t.upload(small)];
      t.writeOrder(order);
      t.runBatches(d, 0, 2, momentum); // the order and 16 slots held
      const first = JSON.stringify(await t.readSums());
      let thrown = 'none';
      if (failing) {
        fail(label);
        thrown = await call(t, d).then(() => 'none', name);
      }
      t.writeOrder(order);
      t.runBatches(d, 0, 2, momentum);
      const sums = JSON.stringify(await t.readSums());
      const A = bits((await t.predict(s)).A);
      const W = bits((await t.read()).params.W[1]!);
      t.dispose();
      if (failing && !thrown.includes('injected')) problems.push(`${what}: the failed call ended ${thrown} (want the injected error)`);
      runs.push(`sums ${first} then ${sums}, predict ${A}, W2 ${W}`);
    }
    if (runs[0] !== runs[1]) problems.push(`${what} failed, then writeOrder, runBatches, predict: ${runs[0]}; a twin that never failed: ${runs[1]}`);
  }
}

async function disposedData(gpu: WebGpuBackend, problems: string[]): Promise<void> {
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
}

/** A trainer whose own buffers cannot all be made: none left made (buffers created − destroyed as before). */
async function partlyMade(gpu: WebGpuBackend, fail: (label: RegExp) => void, problems: string[]): Promise<void> {
  const { valid, batch } = problem(7);
  const held = (): number => gpu.buffers.created - gpu.buffers.destroyed;
  for (const label of [/^epoch sums/, /^optimizer v/, /^epoch_sums dims/, /^optimizer step slots/]) {
    const before = held();
    fail(label);
    const end = await (async () => gpu.trainer(valid.net, 3, 'adam'))().then((t) => { t.dispose(); return 'made'; }, name);
    if (!end.includes('injected') || held() !== before) problems.push(`trainer() without ${label.source}: ${end}, ${held() - before} buffers left made (want the injected error, 0)`);
  }
  // A call's own buffers, the last of them not made.
  const calls0: [string, RegExp, (t: WebGpuTrainer) => Promise<unknown>][] = [
    ['upload', /^data Y/, async (t) => t.upload(batch)],
    ['predict', /^predict L_c/, (t) => t.predict(t.upload(batch))],
    ['read', /^staging optimizer v/, (t) => t.read()],
  ];
  for (const [what, label, call] of calls0) {
    const t = gpu.trainer(valid.net, 3, 'adam');
    const before = held() + (what === 'predict' ? 2 : 0); // predict's data set (X, Y) stays
    fail(label);
    const end = await call(t).then(() => 'resolved', name);
    if (!end.includes('injected') || held() !== before) problems.push(`${what} without ${label.source}: ${end}, ${held() - before} buffers left made (want the injected error, 0)`);
    const again = await call(t).then(() => 'resolved', name);
    if (again !== 'resolved') problems.push(`${what} without ${label.source}, then again: ${again}`);
    t.dispose();
  }
  // 7 examples in batches of 3: a remainder net of 1, whose epoch_sums dims cannot be made.
  const momentum = resolveOptimizer('momentum', 0.5);
  const calls: [string, (t: WebGpuTrainer, d: ReturnType<WebGpuTrainer['upload']>) => Promise<unknown>][] = [
    ['predict', (t, d) => t.predict(d)],
    ['runBatches', async (t, d) => t.runBatches(d, 0, 3, momentum)],
  ];
  for (const [what, call] of calls) {
    const runs: string[] = [];
    for (const failing of [true, false]) {
      const t = gpu.trainer(valid.net, 3, 'momentum');
      t.writeParams(valid.params!);
      const d = t.upload(batch);
      t.writeOrder(Uint32Array.from({ length: 7 }, (_, c) => c));
      const before = held();
      if (failing) {
        fail(/^epoch_sums dims \(batch 1\)/);
        const end = await call(t, d).then(() => 'resolved', name);
        if (!end.includes('injected') || held() !== before) problems.push(`${what} without its remainder net's dims: ${end}, ${held() - before} buffers left made (want the injected error, 0)`);
      }
      runs.push(`predict ${bits((await t.predict(d)).A)}, t ${(await t.read()).state.t}`);
      t.dispose();
    }
    if (runs[0] !== runs[1]) problems.push(`${what} without its remainder net's dims, then predict: ${runs[0]}; a twin that never failed: ${runs[1]}`);
  }
}
