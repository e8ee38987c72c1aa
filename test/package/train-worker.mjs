// train.mjs's Node worker_threads Worker (test/browser/package.test.ts): the lecture's ∂L/∂w5 on cpu and on wasm with
// 2 threads (worker_threads started from this worker), and wide.mjs's net on that wasm backend; posted back.
import { parentPort } from 'node:worker_threads';
import { Model } from 'backprop-webgpu';
import { lecture } from 'backprop-webgpu/lectures';
import { wideRun } from './wide.mjs';

const out = {};
for (const [backend, options] of [['cpu', {}], ['wasm', { threads: 2 }]]) {
  const net = await Model.create(lecture('lecture-2-2-1').worked.spec, { backend, ...options });
  out[backend] = { description: net.backend.description, w5: (await net.grad()).dW[1][0] };
  if (backend === 'wasm') out.wide = await wideRun(net.backend);
  net.dispose();
}
parentPort.postMessage(out);
