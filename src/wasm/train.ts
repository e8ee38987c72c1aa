/**
 * The wasm trainer (BackendTrainer, src/backend.ts): fit's mini-batches on the wasm kernels. One WasmNet for
 * batches of B and, made on first use, one per other batch size (a partial last batch, the last batch of a
 * predict). The parameters live in the B net; a net of another size gets a copy of them before it runs.
 *
 * A batch: gather its examples into the net's X, Y (the CPU twin `gather`, on the wasm memory), one step
 * without update in wasm (forward, output, backward, dW, db: the same kernels as train), the epoch sums
 * (`epochSums`), then the optimiser (`momentum` or `adam`) on every W_l, b_l in the wasm memory. Gather, the
 * sums and the optimiser are the CPU kernels of src/cpu/kernels.ts run on views of the wasm memory — the
 * same float64 arithmetic as the oracle, O(parameters) per batch against the O(parameters × B) of the step.
 * NOTE: they run on the calling thread; wasm versions (one call per run of batches) are the next step.
 */
import type { BackendData, BackendTrainer } from '../backend.ts';
import { epochSums, gather } from '../cpu/kernels.ts';
import { optimizerStep } from '../cpu/train.ts';
import { DisposedError } from '../errors.ts';
import { type Batch, type Net, type Params, cloneParams } from '../spec.ts';
import { accuracyRule } from '../train/accuracy.ts';
import { type OptimizerConfig, type OptimizerName, type OptimizerState, cloneState, zeroState } from '../train/optimizers.ts';
import type { WasmBackend, WasmNet } from './backend.ts';

class WasmData implements BackendData {
  constructor(readonly n: number, readonly X: Float32Array, readonly Y: Float32Array) {}
  dispose(): void {}
}


export class WasmTrainer implements BackendTrainer {
  readonly kind = 'wasm' as const;
  private readonly nets = new Map<number, WasmNet>();
  private readonly main: WasmNet;
  private state: OptimizerState;
  private order = new Uint32Array(0);
  private readonly sums = new Float32Array(2);
  private disposed = false;

  constructor(private readonly backend: WasmBackend, private readonly net: Net, readonly batchSize: number, readonly optimizer: OptimizerName) {
    this.main = backend.compile(net, batchSize);
    this.nets.set(batchSize, this.main);
    this.state = zeroState(optimizer, this.main.views().params);
  }

  private live(): void {
    if (this.disposed) throw new DisposedError('this wasm trainer');
  }

  /** The net for batches of `size`, holding a copy of the main net's parameters. */
  private netFor(size: number): WasmNet {
    let net = this.nets.get(size);
    if (!net) {
      net = this.backend.compile(this.net, size);
      this.nets.set(size, net);
    }
    if (net !== this.main) {
      const from = this.main.views().params;
      const to = net.views().params;
      from.W.forEach((w, l) => to.W[l].set(w));
      from.b.forEach((b, l) => to.b[l].set(b));
    }
    return net;
  }

  upload(batch: Batch): BackendData {
    this.live();
    return new WasmData(batch.n, batch.X.slice(), batch.Y.slice());
  }

  writeParams(p: Params): void {
    this.live();
    this.main.writeParams(p);
  }

  writeState(state: OptimizerState): void {
    this.live();
    if (state.name !== this.optimizer) throw new Error(`internal: ${state.name} state for a ${this.optimizer} trainer`);
    this.state = cloneState(state);
  }

  writeOrder(order: Uint32Array): void {
    this.live();
    this.order = order.slice();
  }

  private gatherInto(net: WasmNet, data: WasmData, order: Uint32Array, start: number): void {
    const v = net.views();
    gather(data.X, v.X, order, start, net.n, this.net.inputs, data.n);
    gather(data.Y, v.Y, order, start, net.n, this.net.layers[this.net.layers.length - 1].units, data.n);
  }

  runBatches(data: BackendData, first: number, count: number, o: OptimizerConfig): void {
    this.live();
    const d = data as WasmData;
    const B = this.batchSize;
    const rule = accuracyRule(this.net);
    const outputs = this.net.layers[this.net.layers.length - 1].units;
    for (let k = first; k < first + count; k++) {
      const start = k * B;
      const net = this.netFor(Math.min(B, d.n - start));
      this.gatherInto(net, d, this.order, start);
      net.run(1, 0, false);
      const v = net.views();
      epochSums(v.lossPerExample, v.AL, v.Y, this.sums, outputs, net.n, rule);
      optimizerStep(this.state, this.main.views().params, v.grads, o);
    }
  }

  async readSums(): Promise<{ loss: number; correct: number }> {
    this.live();
    const out = { loss: this.sums[0], correct: this.sums[1] };
    this.sums.fill(0);
    return out;
  }

  async predict(data: BackendData): Promise<{ A: Float32Array; losses: Float32Array }> {
    this.live();
    const d = data as WasmData;
    const outputs = this.net.layers[this.net.layers.length - 1].units;
    const A = new Float32Array(outputs * d.n);
    const losses = new Float32Array(d.n);
    const identity = Uint32Array.from({ length: d.n }, (_, c) => c);
    for (let start = 0; start < d.n; start += this.batchSize) {
      const net = this.netFor(Math.min(this.batchSize, d.n - start));
      this.gatherInto(net, d, identity, start);
      // A step without update: its forward and output are predict's (the backward pass is not needed, but harmless).
      net.run(1, 0, false);
      const v = net.views();
      for (let i = 0; i < outputs; i++) A.set(v.AL.subarray(i * net.n, (i + 1) * net.n), i * d.n + start);
      losses.set(v.lossPerExample, start);
    }
    return { A, losses };
  }

  async read(): Promise<{ params: Params; state: OptimizerState }> {
    this.live();
    const st = this.state;
    return {
      params: cloneParams(this.main.views().params),
      state: cloneState(st),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Newest first, so the backend's memory stack shrinks back.
    for (const net of [...this.nets.values()].reverse()) net.dispose();
    this.nets.clear();
  }
}
