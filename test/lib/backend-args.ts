/**
 * A backend's compile(net, n) and trainer(net, batchSize, optimizer) are the package's public Backend interface
 * (createBackend returns one): bad arguments are a SpecError naming the argument before anything is made, as the
 * README's Errors table says of every input. A net written by hand as the Net type allows is taken; a spec (its
 * layers without fanIn), a net whose fanIn does not match the units below, n or batchSize that is not a positive
 * integer, or an optimiser the engine does not have are refused, as is a trainer's runBatches with another optimiser
 * than the trainer's. Returns one line per case that did not hold (none
 * when all do): no vitest here, so test/dawn/run.ts runs it on WebGPU as the node tests run it on cpu and wasm.
 */
import type { Backend } from '../../src/backend.ts';
import { BackpropError, SpecError } from '../../src/errors.ts';
import { type Net, validateNet } from '../../src/spec.ts';
import { type OptimizerName, resolveOptimizer } from '../../src/train/optimizers.ts';

const SPEC = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' } as const;

export function backendArgProblems(backend: Backend): string[] {
  const problems: string[] = [];
  const refused = (what: string, call: () => unknown, field: string): void => {
    let error: unknown = null;
    try {
      const made = call() as { dispose?: () => void } | undefined;
      made?.dispose?.();
    } catch (e) {
      error = e;
    }
    if (!(error instanceof SpecError) || error.field !== field) {
      problems.push(`${what}: expected a SpecError naming ${field}, got ${error instanceof BackpropError ? `${error.name} ${error.field}` : String(error)}`);
    }
  };
  const net = validateNet(SPEC);
  // The same net written by hand (fanIn = the units below: 2, then 3), keys in another order: taken.
  const byHand = { reduction: 'mean', loss: 'bce', inputs: 2, layers: [{ fanIn: 2, units: 3, activation: 'tanh', bias: 'per-unit' }, { fanIn: 3, units: 1, activation: 'sigmoid', bias: 'per-unit' }] } as unknown as Net;
  try {
    backend.compile(byHand, 4).dispose();
    backend.trainer(byHand, 4, 'sgd').dispose();
  } catch (e) {
    problems.push(`a net written by hand: refused (${String(e)})`);
  }
  const wrongFanIn = { ...byHand, layers: [byHand.layers[0], { ...byHand.layers[1], fanIn: 2 }] } as Net;
  refused('compile(spec, 4)', () => backend.compile(SPEC as unknown as Net, 4), 'net.layers[0].fanIn');
  refused('compile(net with fanIn 2 over 3 units, 4)', () => backend.compile(wrongFanIn, 4), 'net.layers[1].fanIn');
  refused('compile(null, 4)', () => backend.compile(null as unknown as Net, 4), 'net');
  for (const n of [0, -1, 2.5, Number.NaN, '4']) {
    refused(`compile(net, ${String(n)})`, () => backend.compile(net, n as number), 'n');
    refused(`trainer(net, ${String(n)}, 'sgd')`, () => backend.trainer(net, n as number, 'sgd'), 'batchSize');
  }
  refused("trainer(net, 4, 'adagrad')", () => backend.trainer(net, 4, 'adagrad' as OptimizerName), 'optimizer');
  refused("trainer(spec, 4, 'sgd')", () => backend.trainer(SPEC as unknown as Net, 4, 'sgd'), 'net.layers[0].fanIn');
  // runBatches with another optimiser than the trainer's (whose state slots it holds: none for sgd, buf for momentum):
  // refused before any work (wasm's adam kernel wrote m and v over the net's barrier words: a stuck run, the backend
  // lost); the trainer's own optimiser runs after it.
  for (const [own, other] of [['sgd', 'momentum'], ['sgd', 'adam'], ['momentum', 'adamw']] as const) {
    const trainer = backend.trainer(net, 4, own);
    try {
      const data = trainer.upload({ n: 4, X: new Float32Array([0, 0, 1, 1, 0, 1, 0, 1]), Y: new Float32Array([0, 1, 1, 0]) });
      trainer.writeOrder(new Uint32Array([0, 1, 2, 3]));
      refused(`the ${own} trainer's runBatches with ${other}`, () => trainer.runBatches(data, 0, 1, resolveOptimizer(other, 0.1)), 'optimizer.name');
      trainer.runBatches(data, 0, 1, resolveOptimizer(own, 0.1));
    } catch (e) {
      problems.push(`the ${own} trainer's runBatches after another optimiser's was refused: ${String(e)}`);
    } finally {
      trainer.dispose();
    }
  }
  return problems;
}
