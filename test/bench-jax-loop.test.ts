/**
 * bench/jax.ts's train loop against a stub of @jax-js/jax that counts what the loop does (no jax-js, no timing):
 * the parameters are waited for every JAX_WAIT_EVERY steps (jax-js dispatches nothing until an array is waited for
 * or read, and a long unwaited call slows every step: the NOTE in bench/jax.ts), each step's loss but the last is
 * disposed, the last is read, and the batch goes in as `.ref`.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONFIG_A, materialize } from '../bench/configs.ts';

interface Counts { issued: number; sinceWait: number; maxSinceWait: number; waits: number; losses: FakeArray[]; reads: number }
const counts: Counts = { issued: 0, sinceWait: 0, maxSinceWait: 0, waits: 0, losses: [], reads: 0 };

class FakeArray {
  rc = 1;
  get ref(): FakeArray {
    this.rc++;
    return this;
  }
  dispose(): void {
    if (this.rc <= 0) throw new Error('disposed twice');
    this.rc--;
  }
  async data(): Promise<Float32Array> {
    counts.reads++;
    this.dispose();
    return new Float32Array([0.25]);
  }
}

vi.mock('@jax-js/jax', () => {
  const leaves = (t: unknown): FakeArray[] => (t instanceof FakeArray ? [t] : Object.values(t as object).flatMap(leaves));
  return {
    init: async () => ['wasm'],
    numpy: { array: () => new FakeArray() },
    nn: {},
    valueAndGrad: () => () => [new FakeArray(), {}],
    jit: () =>
      Object.assign(
        (p: unknown, x: FakeArray, y: FakeArray) => {
          // A jitted function consumes its arguments.
          for (const a of [...leaves(p), x, y]) a.dispose();
          counts.issued++;
          counts.sinceWait++;
          counts.maxSinceWait = Math.max(counts.maxSinceWait, counts.sinceWait);
          const loss = new FakeArray();
          counts.losses.push(loss);
          return [loss, { W: leaves(p).map(() => new FakeArray()), b: [] }];
        },
        { dispose: () => {} },
      ),
    blockUntilReady: async () => {
      counts.waits++;
      counts.sinceWait = 0;
    },
    tree: { dispose: () => {} },
  };
});

describe("bench/jax.ts's train loop (a stub jax-js)", () => {
  beforeAll(() => {
    // loadJax shows jax-js a navigator.hardwareConcurrency while it loads; Node 20 has no navigator.
    (globalThis as { navigator?: object }).navigator ??= {};
  });

  it('waits for the parameters every JAX_WAIT_EVERY steps of a long call, disposes every loss but the last and reads that one', async () => {
    const { jaxTrainer, JAX_WAIT_EVERY } = await import('../bench/jax.ts');
    expect(JAX_WAIT_EVERY).toBeGreaterThan(0);
    const t = await jaxTrainer(0, 'wasm', CONFIG_A, materialize(CONFIG_A));
    const { loss } = await t.train(557);
    expect(loss).toBe(0.25);
    expect(counts.issued).toBe(557);
    // Never more than JAX_WAIT_EVERY steps issued before a wait (557 without the waits inside the loop).
    expect(counts.maxSinceWait).toBe(JAX_WAIT_EVERY);
    expect(counts.waits).toBe(Math.ceil(557 / JAX_WAIT_EVERY));
    expect(counts.losses.slice(0, -1).every((l) => l.rc === 0)).toBe(true);
    expect(counts.losses.at(-1)!.rc).toBe(0);
    expect(counts.reads).toBe(1);
  });

  it('a call shorter than the interval waits once, at its end', async () => {
    const { jaxTrainer, JAX_WAIT_EVERY } = await import('../bench/jax.ts');
    const t = await jaxTrainer(0, 'wasm', CONFIG_A, materialize(CONFIG_A));
    Object.assign(counts, { issued: 0, sinceWait: 0, maxSinceWait: 0, waits: 0, losses: [], reads: 0 });
    await t.train(JAX_WAIT_EVERY - 1);
    expect([counts.issued, counts.waits, counts.maxSinceWait, counts.reads]).toEqual([JAX_WAIT_EVERY - 1, 1, JAX_WAIT_EVERY - 1, 1]);
  });
});
