/**
 * The wasm backend's memory against the budget's host count (src/budget.ts needs().hostBytes), after one train step
 * on 1 and 2 threads: a narrow net at a large batch (1-1, n examples), config b's net at MNIST's batch (784-128-10,
 * 128) and the lecture net (2-2-1, 4). A known gap (README "Resource budget"): the wasm layout (src/wasm/program.ts
 * layoutOf) holds per-example output statistics, operands padded to its tiles and scratch per thread, which the host
 * formula does not count, and a wasm memory is whole 64 KiB pages.
 *
 *   node --import ./bin/register-source.mjs bench/probes/wasm-host-budget.ts [n]   # 200000
 */
import { needs } from '../../src/budget.ts';
import { Model } from '../../src/model.ts';
import { type NetworkSpec, validateNet } from '../../src/spec.ts';
import { WasmBackend } from '../../src/wasm/backend.ts';

const n = Number(process.argv[2] ?? 200000);
const net = (inputs: number, hidden: number | null, outputs: number): NetworkSpec => ({
  inputs,
  layers: [...(hidden === null ? [] : [{ units: hidden, activation: 'relu' as const }]), { units: outputs, activation: 'identity' as const }],
  loss: 'mse',
  init: { scheme: 'xavier', seed: 1 },
});
for (const [name, spec, examples] of [['1-1', net(1, null, 1), n], ['784-128-10', net(784, 128, 10), 128], ['2-2-1', net(2, 2, 1), 4]] as const) {
  for (const threads of [1, 2]) {
    const backend = await WasmBackend.create({ threads });
    const outputs = spec.layers[spec.layers.length - 1].units;
    const x = { examples, data: new Float32Array(examples * spec.inputs).fill(0.5) };
    const y = { examples, data: new Float32Array(examples * outputs).fill(0.25) };
    const model = await Model.create({ ...spec, x, y }, { shared: backend });
    await model.train({ steps: 1, lr: 0.01 });
    console.log(`${name}, n ${examples}, ${threads} thread(s): wasm memory ${backend.memory.buffer.byteLength} bytes; the host count ${needs(validateNet(spec), examples).hostBytes} bytes`);
    model.dispose();
    backend.dispose();
  }
}
