// A consumer of the packed tarball in plain Node 20 (test/browser/package.test.ts copies it into the temp install).
import { Worker } from 'node:worker_threads';
import { Model, WebGPUUnavailableError } from 'backprop-webgpu';
import { lecture } from 'backprop-webgpu/lectures';
import { wideRun } from './wide.mjs';

const model = await Model.create({
  inputs: 2,
  layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'bce',
  init: { scheme: 'xavier', seed: 1 },
  x: [[0, 0], [0, 1], [1, 0], [1, 1]],
  y: [[0], [1], [1], [0]],
  lr: 0.5,
}, { backend: 'cpu' });
const before = (await model.grad()).loss;
await model.train({ steps: 500 });
const after = (await model.grad()).loss;
model.dispose();

const net = await Model.create(lecture('lecture-2-2-1').worked.spec, { backend: 'cpu' });
const w5 = (await net.grad()).dW[1][0];
net.dispose();

// wasm on 2 threads: worker_threads started from the built package.
const onWasm = await Model.create(lecture('lecture-2-2-1').worked.spec, { backend: 'wasm', threads: 2 });
const wasm = { description: onWasm.backend.description, w5: (await onWasm.grad()).dW[1][0], wide: await wideRun(onWasm.backend) };
onWasm.dispose();

// The same in a worker_threads Worker (train-worker.mjs), whose wasm backend starts its workers from there.
const inWorker = await new Promise((resolve, reject) => {
  const worker = new Worker(new URL('./train-worker.mjs', import.meta.url));
  worker.once('message', resolve);
  worker.once('error', reject);
  worker.once('exit', (code) => reject(new Error(`train-worker.mjs ended (exit code ${code}) before it answered`)));
});

let webgpu;
try {
  await Model.create(lecture('lecture-2-2-1').worked.spec, { backend: 'webgpu' });
  webgpu = { error: null };
} catch (e) {
  webgpu = { error: e.name, typed: e instanceof WebGPUUnavailableError, message: e.message };
}
console.log(JSON.stringify({ kind: model.kind, before, after, w5, wasm, webgpu, inWorker }));
