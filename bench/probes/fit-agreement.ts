/**
 * How far fit's parameters drift apart across backends over a longer run than the tests make: a 2-16-16-3 tanh /
 * softmax-CE net on a 3-class spiral (600 points), Adam lr 0.01, batch 32, 50 epochs, validation 0.2, the same
 * start and batch order on each backend given (cpu first: the reference). Prints max |Δparam| and the final loss and
 * validation accuracy of each against cpu. README ("Training on data: fit") quotes a run of it.
 *
 *   node --import ./bin/register-source.mjs bench/probes/fit-agreement.ts cpu wasm
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium \
 *     node --import ./bin/register-source.mjs bench/probes/fit-agreement.ts cpu wasm webgpu   # webgpu: Dawn in Node
 */
import { type BackendKind, Model, mulberry32, type NetworkSpec, type Params } from '../../src/index.ts';

function spiral(n = 200, K = 3, seed = 7): { x: number[][]; y: number[][] } {
  const r = mulberry32(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < n; i++) {
      const t = i / n;
      const th = k * 4 + t * 4 + (r() - 0.5) * 0.4;
      x.push([t * Math.sin(th), t * Math.cos(th)]);
      y.push(Array.from({ length: K }, (_, j) => (j === k ? 1 : 0)));
    }
  }
  // Shuffled once, so that validation (the last 20 %) holds every class.
  const o = [...x.keys()];
  for (let i = o.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [o[i], o[j]] = [o[j], o[i]];
  }
  return { x: o.map((i) => x[i]), y: o.map((i) => y[i]) };
}

const spec: NetworkSpec = {
  inputs: 2,
  layers: [{ units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
  loss: 'softmax-cross-entropy',
  init: { scheme: 'xavier', seed: 3 },
};

const maxDiff = (a: Params, b: Params): number => {
  let m = 0;
  for (const k of ['W', 'b'] as const) a[k].forEach((t, l) => t.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[k][l][j])))));
  return m;
};

const kinds = (process.argv.slice(2).length ? process.argv.slice(2) : ['cpu', 'wasm']) as BackendKind[];
const { x, y } = spiral();
const runs: { kind: BackendKind; params: Params; loss: number; valAccuracy: number | undefined }[] = [];
for (const kind of kinds) {
  const model = await Model.create(spec, { backend: kind });
  const history = await model.fit({ x, y, batchSize: 32, epochs: 50, shuffle: { seed: 1 }, validation: 0.2, optimizer: { name: 'adam', lr: 0.01 } });
  const last = history[history.length - 1];
  runs.push({ kind, params: await model.getParams(), loss: last.loss, valAccuracy: last.valAccuracy });
  model.dispose();
}
const ref = runs[0];
console.log(`${ref.kind}: final loss ${ref.loss}, valAccuracy ${ref.valAccuracy}`);
for (const r of runs.slice(1)) {
  console.log(`${r.kind}: final loss ${r.loss}, valAccuracy ${r.valAccuracy}; max |Δparam| against ${ref.kind} ${maxDiff(ref.params, r.params).toExponential(2)}`);
}
