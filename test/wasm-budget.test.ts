/**
 * The host budget on the wasm backend (README "Resource budget"): a wasm net is counted from its layout with the
 * backend's thread count, in whole 64 KiB pages (src/wasm/budget.ts), not only by the portable formula, which a narrow
 * net at a large batch passes while its wasm memory is larger. A 1-1 net at 200 000 examples: a portable count of
 * 12 000 048 bytes, a wasm memory of 20 840 448 on 1 thread, 24 051 712 on 2 (bench/probes/wasm-host-budget.ts). Over
 * the budget: a LimitError naming x before the memory grows, the model as it was; within it, the net runs and its
 * memory stays within the budget.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LimitError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { wasmMemoryBytes } from '../src/wasm/budget.ts';
import { RELAXED_TILING, TILING } from '../src/wasm/gemm.ts';
import { validateNet } from '../src/spec.ts';
import { expectTyped, rejected } from './lib/typed.ts';

const SPEC: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 } };
const BIG = 200_000;

/** n examples of the 1-1 net: x = c / n, y = 2x + 1. */
function data(n: number): { x: { examples: number; data: Float32Array }; y: { examples: number; data: Float32Array } } {
  const x = new Float32Array(n).map((_, c) => c / n);
  return { x: { examples: n, data: x }, y: { examples: n, data: x.map((v) => 2 * v + 1) } };
}

const made: WasmBackend[] = [];
async function backend(threads: number, tiling = TILING): Promise<WasmBackend> {
  const b = await WasmBackend.create({ threads, tiling });
  made.push(b);
  return b;
}
afterAll(() => made.forEach((b) => b.dispose()));

const bytes = (b: WasmBackend): number => b.memory.buffer.byteLength;
const params = async (m: Model): Promise<number[]> => {
  const p = await m.getParams();
  return [...p.W, ...p.b].flatMap((a) => Array.from(a));
};

describe('the wasm backend counts its own memory against the host budget', () => {
  it('train, step and grad with a batch whose wasm layout is over the budget: LimitError naming x, before the memory grows, the model unchanged', async () => {
    // 16 000 000 bytes: over the portable count (12 000 048) of 200 000 examples, under the wasm memory it takes (20 840 448).
    const b = await backend(1);
    const model = await Model.create(SPEC, { shared: b, budget: { hostBytes: 16e6 } });
    const small = data(4);
    const before = await model.grad(small.x, small.y);
    const memory = bytes(b);
    const p = await params(model);
    const big = data(BIG);
    for (const call of [() => model.train({ steps: 1, lr: 0.1, ...big }), () => model.step(0.1, big.x, big.y), () => model.grad(big.x, big.y)]) {
      expectTyped(await rejected(call()), LimitError, 'x', /wasm memory.*over the host budget of 15\.3 MiB/);
      expect(bytes(b)).toBe(memory);
    }
    expect(await params(model)).toEqual(p);
    // The batch is still the 4 examples: the same gradients as before the refused calls.
    const after = await model.grad();
    expect(after.loss).toBe(before.loss);
    expect(after.dW).toEqual(before.dW);
    // Within the budget (50 000 examples) the net runs, its memory within the budget.
    const r = await model.train({ steps: 2, lr: 0.1, ...data(50_000) });
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(bytes(b)).toBeLessThanOrEqual(16e6);
    model.dispose();
  });

  it('the backend\'s thread count is counted: 200 000 examples fit 26 000 000 bytes on 1 thread, not on 2', async () => {
    const big = data(BIG);
    const one = await backend(1);
    const m1 = await Model.create(SPEC, { shared: one, budget: { hostBytes: 26e6 } });
    expect(Number.isFinite((await m1.train({ steps: 1, lr: 0.1, ...big })).loss)).toBe(true);
    expect(bytes(one)).toBeLessThanOrEqual(26e6);
    m1.dispose();
    const two = await backend(2);
    const m2 = await Model.create(SPEC, { shared: two, budget: { hostBytes: 26e6 } });
    const memory = bytes(two);
    expectTyped(await rejected(m2.train({ steps: 1, lr: 0.1, ...big })), LimitError, 'x', /wasm memory \(2 threads/);
    expect(bytes(two)).toBe(memory);
    m2.dispose();
  });

  it('Model.create with the spec\'s batch, and rebuild onto wasm, are refused before a net is made', async () => {
    const big = data(BIG);
    const b = await backend(1);
    const err = await rejected(Model.create({ ...SPEC, ...big }, { shared: b, budget: { hostBytes: 16e6 } }));
    expectTyped(err, LimitError, 'x', /wasm memory/);
    expect(bytes(b)).toBe(65536);
    // A CPU model of that batch is within the portable count; moving it to wasm is refused, and it goes on as it was.
    const cpu = await Model.create({ ...SPEC, ...big }, { backend: 'cpu', budget: { hostBytes: 16e6 } });
    const p = await params(cpu);
    expectTyped(await rejected(cpu.rebuild({ backend: 'wasm', threads: 1, budget: { hostBytes: 16e6 } })), LimitError, 'x', /wasm memory/);
    expect(cpu.kind).toBe('cpu');
    expect(await params(cpu)).toEqual(p);
    expect(Number.isFinite((await cpu.grad()).loss)).toBe(true);
    cpu.dispose();
  });

  it('fit whose trainer\'s wasm memory is over the budget: LimitError naming x before the memory grows; at a smaller batch it runs within it', async () => {
    // 20 000 000 bytes: over the portable count of a fit of 200 000 examples at batches of 200 000 (18 400 048), under
    // what its trainer places in the wasm memory (its net at 200 000 alone takes 20 840 448 bytes, and the data set and the order go beside it).
    const b = await backend(1);
    const model = await Model.create(SPEC, { shared: b, budget: { hostBytes: 20e6 } });
    const memory = bytes(b);
    const p = await params(model);
    const big = data(BIG);
    expectTyped(await rejected(model.fit({ ...big, batchSize: BIG, epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } })), LimitError, 'x', /wasm memory/);
    expect(bytes(b)).toBe(memory);
    expect(await params(model)).toEqual(p);
    const logs = await model.fit({ ...big, batchSize: 50_000, epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } });
    expect(Number.isFinite(logs[0].loss)).toBe(true);
    expect(bytes(b)).toBeLessThanOrEqual(20e6);
    // predict on the fit's trainer (batches of 50 000) is counted the same way: 200 000 examples run within the budget.
    expect((await model.predict(big.x)).length).toBe(BIG);
    expect(bytes(b)).toBeLessThanOrEqual(20e6);
    model.dispose();
  });

  // The count follows the backend's tiling (the packs' padding: strips of 4 rows without relaxed SIMD, 6 with it):
  // counted with the tiling, it is the memory a train step grows to, on either tiling and thread count.
  it.each([[TILING, 1], [TILING, 2], [RELAXED_TILING, 1], [RELAXED_TILING, 2]] as const)('the count is the memory: tiling %o, %i thread(s)', async (tiling, threads) => {
    const spec: NetworkSpec = { inputs: 30, layers: [{ units: 13, activation: 'relu' }, { units: 3, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 2 } };
    const n = 20_000;
    const b = await backend(threads, tiling);
    const model = await Model.create(spec, { shared: b });
    await model.train({ steps: 1, lr: 0.01, x: { examples: n, data: new Float32Array(30 * n).fill(0.5) }, y: { examples: n, data: new Float32Array(3 * n).fill(1) } });
    expect(bytes(b)).toBe(wasmMemoryBytes(validateNet(spec), n, threads, tiling));
    // …and it is the count the budget takes from the backend (its ownMemory).
    expect(b.ownMemory.memoryBytes(validateNet(spec), n)).toBe(bytes(b));
    model.dispose();
  });

  it("README's memory of the 1-1 net at 200 000 examples is a train step's, on Node's 4 × 2 and on Chromium's 6 × 2", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const figures = (pattern: RegExp): number[] => {
      const m = pattern.exec(readme);
      if (!m) throw new Error(`README has no ${pattern}`);
      return m.slice(1).map((f) => Number(f.replace(/ /g, '')));
    };
    const printed: [typeof TILING, number[]][] = [
      [TILING, figures(/a 1-1 net at n = 200 000 holds ([\d ]+\d) bytes of wasm memory on 1 thread and ([\d ]+\d) on 2/)],
      [RELAXED_TILING, figures(/on relaxed SIMD's 6 × 2 \(Chromium[^)]*\) the 1-1 net at 200 000 holds ([\d ]+\d) bytes on 1 thread and ([\d ]+\d) on 2/)],
    ];
    const held: [typeof TILING, number[]][] = [];
    for (const [tiling] of printed) {
      const memory: number[] = [];
      for (const threads of [1, 2]) {
        const b = await backend(threads, tiling);
        const model = await Model.create(SPEC, { shared: b });
        await model.train({ steps: 1, lr: 0.1, ...data(BIG) });
        memory.push(bytes(b));
        model.dispose();
      }
      held.push([tiling, memory]);
    }
    expect(printed).toEqual(held);
  });
});
