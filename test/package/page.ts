// A web page that trains on WebGPU, bundled from the packed tarball by esbuild and by Vite (test/browser/package.test.ts).
import { Model } from 'backprop-webgpu';

const w = window as unknown as { result?: unknown };
try {
  const model = await Model.create({
    inputs: 2,
    layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    loss: 'bce',
    init: { scheme: 'xavier', seed: 1 },
    x: [[0, 0], [0, 1], [1, 0], [1, 1]],
    y: [[0], [1], [1], [0]],
    lr: 0.5,
  }, { backend: 'webgpu' });
  const before = (await model.grad()).loss;
  await model.train({ steps: 300 });
  const after = (await model.grad()).loss;
  w.result = { kind: model.kind, description: model.backend.description, before, after };
  model.dispose();
} catch (err) {
  w.result = { error: String(err) };
}
