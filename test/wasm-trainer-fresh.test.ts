/**
 * src/backend.ts BackendTrainer's contract: "a new trainer starts with the optimiser state zero and t = 0". The wasm
 * trainer keeps its slots (buf; m and v) in the backend's memory, placed first-fit (src/wasm/backend.ts): a trainer
 * made after another was disposed takes the same bytes, which still hold the old trainer's m and v. The new one
 * must read back zeros all the same (and train from zeros: its first batch's update is that of a zero state).
 * NOTE: Model.fit writes a state (writeState) before its first batch, so this is the trainer's own guarantee, seen
 * through the interface itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { initParams, mulberry32 } from '../src/init.ts';
import { type NetworkSpec, type Params, validateNet } from '../src/spec.ts';
import { type OptimizerName, STATE_SLOTS, resolveOptimizer, zeroState } from '../src/train/optimizers.ts';
import { WasmBackend } from '../src/wasm/backend.ts';

const SPEC: NetworkSpec = {
  inputs: 4, layers: [{ units: 5, activation: 'relu' }, { units: 2, activation: 'identity' }], loss: 'mse',
};

let backend: WasmBackend | null = null;
afterAll(() => backend?.dispose());

const allZero = (p: Params): boolean => [...p.W, ...p.b].every((a) => a.every((x) => Object.is(x, 0)));

describe('a new wasm trainer starts with a zero optimiser state, on memory an earlier trainer left written', () => {
  for (const name of ['momentum', 'adam', 'adamw'] as OptimizerName[]) {
    it(`${name}: read() gives t 0 and every slot +0 before any writeState`, async () => {
      backend ??= await WasmBackend.create({ threads: 1 });
      const net = validateNet(SPEC);
      const rand = mulberry32(5);
      const n = 12;
      const batch = { n, X: Float32Array.from({ length: 4 * n }, () => 2 * rand() - 1), Y: Float32Array.from({ length: 2 * n }, () => rand() - 0.5) };
      const o = resolveOptimizer({ name, lr: 0.01 }, undefined);
      // An earlier trainer: 3 batches, so its slots hold nonzero values; then disposed (its memory released).
      const first = backend.trainer(net, 4, name);
      first.writeParams(initParams(net, 'he', 1));
      first.writeState(zeroState(name, initParams(net, 'he', 1)));
      const data = first.upload(batch);
      first.writeOrder(Uint32Array.from({ length: n }, (_, c) => c));
      first.runBatches(data, 0, 3, o);
      await first.settled();
      const before = await first.read();
      // The precondition: what the new trainer would see if its slots were not cleared.
      expect(STATE_SLOTS[name].every((s) => !allZero(before.state.slots[s])), 'the earlier trainer\'s slots are nonzero').toBe(true);
      first.dispose();

      const second = backend.trainer(net, 4, name);
      const fresh = await second.read();
      expect(fresh.state.t).toBe(0);
      expect(Object.keys(fresh.state.slots).sort()).toEqual([...STATE_SLOTS[name]].sort());
      for (const s of STATE_SLOTS[name]) expect(allZero(fresh.state.slots[s]), `slot ${s}`).toBe(true);
      second.dispose();
    });
  }
});
