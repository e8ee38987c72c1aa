// A net past the wasm backend's one-thread cut-off (THREAD_MIN_WORK, 2¹⁸ multiply-adds a forward pass: here
// 64·64·64 + 8·64·64 = 294 912), trained 3 steps on `backend`, so that a wasm backend's threads compute: the threads
// its compiled net ran on and its parameters as plain arrays (lecture-run.ts, train.mjs, train-worker.mjs).
import { Model } from 'backprop-webgpu';

export async function wideRun(backend) {
  const model = await Model.create({
    inputs: 64,
    layers: [{ units: 64, activation: 'tanh' }, { units: 8, activation: 'sigmoid' }],
    loss: 'mse',
    init: { scheme: 'xavier', seed: 3 },
    x: { examples: 64, data: Float32Array.from({ length: 64 * 64 }, (_, k) => Math.sin(k)) },
    y: { examples: 64, data: Float32Array.from({ length: 64 * 8 }, (_, k) => (k % 3) / 2) },
    lr: 0.1,
  }, { shared: backend });
  await model.train({ steps: 3 });
  // NOTE: the threads a compiled net runs on are not public (Model's step nets, src/step-nets.ts `current`, a
  // WasmNet's `threads`): read here only to show that the threads computed (a net below the cut-off runs on the
  // calling thread alone).
  const threads = model.nets?.current?.threads ?? null;
  const p = await model.getParams();
  model.dispose();
  return { threads, params: { W: p.W.map((w) => Array.from(w)), b: p.b.map((v) => Array.from(v)) } };
}
