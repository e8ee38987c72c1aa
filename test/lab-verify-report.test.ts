/**
 * Verify's numbers (src/lab/verify.ts): a device that disagrees with the CPU oracle is reported with the size of each
 * disagreement, not as agreeing. The device under test here is a CPU backend whose model's grad() is made wrong by a
 * known amount per quantity (a fault put in on purpose), so every |device − CPU| is known exactly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackend } from '../src/backends.ts';
import { maxAbsDiff, verifyPass } from '../src/lab/verify.ts';
import { Model } from '../src/model.ts';
import { xorSpec } from './lib/lab-nets.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('maxAbsDiff', () => {
  it('is the largest |a − b| over every array, by size whichever side is larger, the last entry included', () => {
    // |1 − 3| = 2 (a smaller than b: a signed a − b would be −2 and lose to 0.5); |5 − 4.5| = 0.5.
    expect(maxAbsDiff([Float32Array.from([1, 0]), Float32Array.from([5])], [Float32Array.from([3, 0]), Float32Array.from([4.5])])).toBe(2);
    // The difference in the last entry of the only array: |1 − 4| = 3.
    expect(maxAbsDiff([Float32Array.from([0, 1])], [Float32Array.from([0, 4])])).toBe(3);
  });
});

describe('verifyPass against a device that is wrong by a known amount', () => {
  it('reports the loss off by 1/8, delta by 1/16 and db by 1/4 (max 1/4), over the 4 examples of the batch', async () => {
    const spec = xorSpec();
    const rows = { x: spec.x as number[][], y: spec.y as number[][] };
    const { backend: device } = await createBackend('cpu');
    const create = Model.create.bind(Model);
    vi.spyOn(Model, 'create').mockImplementation(async (s, options) => {
      const m = await create(s, options);
      // Only the device model (made on `shared`) is wrong; the oracle (backend 'cpu') is left as it is.
      if (options?.shared === device) {
        const grad = m.grad.bind(m);
        vi.spyOn(m, 'grad').mockImplementation(async (x, y) => {
          const g = await grad(x, y);
          const bump = (a: Float32Array[], by: number) => a.map((v, l) => (l === 0 ? v.map((e, k) => (k === 0 ? e + by : e)) : v.slice()));
          // Powers of two, added to values below 10 in magnitude: the sums are exact in float32 and float64.
          return { ...g, loss: g.loss + 0.125, delta: bump(g.delta, 0.0625), db: bump(g.db, 0.25) };
        });
      }
      return m;
    });
    const r = await verifyPass(spec, rows, device, 'wasm', null);
    expect(r.loss).toBeCloseTo(0.125, 6);
    expect(r.delta).toBeCloseTo(0.0625, 6);
    expect(r.db).toBeCloseTo(0.25, 6);
    // The same backend's kernels on both sides: everything not bumped agrees to the bit.
    expect([r.Z, r.A, r.dW]).toEqual([0, 0, 0]);
    expect(r.max).toBeCloseTo(0.25, 6);
    expect(r.n).toBe(4);
    expect(r.against).toBe('wasm');
    device.dispose();
  });
});
