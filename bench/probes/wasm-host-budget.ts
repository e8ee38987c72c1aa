/**
 * The wasm backend's memory against the budget's counts, after one train step on 1 and 2 threads: a narrow net at a
 * large batch (1-1, n examples), config b's net at MNIST's batch (784-128-10, 128) and the lecture net (2-2-1, 4).
 * The portable host count (src/budget.ts needs().hostBytes) does not bound it — the wasm layout (src/wasm/program.ts
 * layoutOf) holds per-example output statistics, operands padded to its tiles and scratch per thread, and a wasm
 * memory is whole 64 KiB pages — so a wasm model is counted again from its layout (src/wasm/budget.ts
 * wasmMemoryBytes, and what stays beside it in JS: src/budget.ts ownHostBytes), which this prints beside the memory.
 * Then a fit of each (Adam, a fifth of the examples held out, batches of a third of the rest: partial batches on both
 * sets) on a fresh model and backend: the memory after it against the trainer's count (wasmMemoryBytes with `fit`).
 *
 * The backend's tiling is Node's (4 × 2: no relaxed SIMD) unless `relaxed` is given: then Chromium's (RELAXED_TILING,
 * 6 × 2), whose packs (strips of 6 rows) the memory holds there — the layout depends on the tiling, not the engine.
 *
 *   node --import ./bin/register-source.mjs bench/probes/wasm-host-budget.ts [n] [relaxed]   # 200000
 */
import { needs, ownHostBytes } from '../../src/budget.ts';
import { Model } from '../../src/model.ts';
import { type NetworkSpec, validateNet } from '../../src/spec.ts';
import { WasmBackend } from '../../src/wasm/backend.ts';
import { wasmMemoryBytes } from '../../src/wasm/budget.ts';
import { RELAXED_TILING } from '../../src/wasm/gemm.ts';

const n = Number(process.argv[2] ?? 200000);
const tiling = process.argv[3] === 'relaxed' ? { tiling: RELAXED_TILING } : {};
const net = (inputs: number, hidden: number | null, outputs: number): NetworkSpec => ({
  inputs,
  layers: [...(hidden === null ? [] : [{ units: hidden, activation: 'relu' as const }]), { units: outputs, activation: 'identity' as const }],
  loss: 'mse',
  init: { scheme: 'xavier', seed: 1 },
});
/** Each net at its examples on a fresh backend of 1, then 2 threads: `run` trains or fits it and says what it held. */
async function each(nets: readonly (readonly [string, NetworkSpec, number])[], run: (o: { name: string; spec: NetworkSpec; examples: number; threads: number; backend: WasmBackend; model: Model;
  x: { examples: number; data: Float32Array }; y: { examples: number; data: Float32Array } }) => Promise<string>): Promise<void> {
  for (const [name, spec, examples] of nets) {
    for (const threads of [1, 2]) {
      const backend = await WasmBackend.create({ threads, ...tiling });
      const outputs = spec.layers[spec.layers.length - 1].units;
      const x = { examples, data: new Float32Array(examples * spec.inputs).fill(0.5) };
      const y = { examples, data: new Float32Array(examples * outputs).fill(0.25) };
      const model = await Model.create(spec, { shared: backend });
      console.log(await run({ name, spec, examples, threads, backend, model, x, y }));
      model.dispose();
      backend.dispose();
    }
  }
}

await each([['1-1', net(1, null, 1), n], ['784-128-10', net(784, 128, 10), 128], ['2-2-1', net(2, 2, 1), 4]], async ({ name, spec, examples, threads, backend, model, x, y }) => {
  await model.train({ steps: 1, lr: 0.01, x, y });
  const valid = validateNet(spec);
  const own = ownHostBytes(valid, examples, backend.ownMemory);
  return `${name}, n ${examples}, ${threads} thread(s): wasm memory ${backend.memory.buffer.byteLength} bytes, counted ${own.memoryBytes} (the wasm count ${own.hostBytes} with what stays beside it); the portable host count ${needs(valid, examples).hostBytes} bytes`;
});
await each([['1-1', net(1, null, 1), n], ['784-128-10', net(784, 128, 10), 1280], ['2-2-1', net(2, 2, 1), 40]], async ({ name, spec, examples, threads, backend, model, x, y }) => {
  const nVal = Math.round(examples / 5);
  const batchSize = Math.ceil((examples - nVal) / 3) + 1;
  await model.fit({ x, y, validation: 0.2, batchSize, epochs: 1, optimizer: { name: 'adam', lr: 0.001 } });
  const counted = wasmMemoryBytes(validateNet(spec), batchSize, threads, backend.tiling, { nTrain: examples - nVal, nVal, slots: 2 });
  return `fit ${name}, ${examples - nVal} + ${nVal} examples, batches of ${batchSize}, ${threads} thread(s): wasm memory ${backend.memory.buffer.byteLength} bytes, counted ${counted}`;
});
