/**
 * bench/jax.ts's train loop (and bench/fit-systems.ts's jaxFit) against a stub of @jax-js/jax that counts what the loop does (no jax-js, no timing):
 * the parameters are waited for every JAX_WAIT_EVERY steps (jax-js dispatches nothing until an array is waited for
 * or read, and a long unwaited call slows every step: the NOTE in bench/jax.ts), each step's loss but the last is
 * disposed, the last is read, and the batch goes in as `.ref`.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONFIG_A, CONFIG_E, materialize } from '../bench/configs.ts';

const TEST_N = 20;
interface Counts { issued: number; sinceWait: number; maxSinceWait: number; waits: number; losses: FakeArray[]; reads: number }
const counts: Counts = { issued: 0, sinceWait: 0, maxSinceWait: 0, waits: 0, losses: [], reads: 0 };

class FakeArray {
  rc = 1;
  constructor(readonly size = 1) {}
  mul(): FakeArray {
    this.dispose();
    return new FakeArray();
  }
  add(other: FakeArray): FakeArray {
    this.dispose();
    other.dispose();
    return new FakeArray();
  }
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
    return new Float32Array(this.size).fill(0.25);
  }
}

vi.mock('@jax-js/jax', () => {
  const leaves = (t: unknown): FakeArray[] => (t instanceof FakeArray ? [t] : Object.values(t as object).flatMap(leaves));
  return {
    init: async () => ['wasm'],
    numpy: { array: () => new FakeArray(), zeros: () => new FakeArray() },
    nn: {},
    valueAndGrad: () => () => [new FakeArray(), {}],
    jit: () =>
      Object.assign(
        (...args: unknown[]) => {
          // A jitted function consumes its arguments.
          const p = args[0];
          for (const a of args.flatMap(leaves)) a.dispose();
          // jaxFit's predict(params, xTest): the test set's outputs (10 classes), not a step.
          if (args.length === 2) return new FakeArray(TEST_N * 10);
          counts.issued++;
          counts.sinceWait++;
          counts.maxSinceWait = Math.max(counts.maxSinceWait, counts.sinceWait);
          const loss = new FakeArray();
          counts.losses.push(loss);
          const next = () => ({ W: leaves(p).map(() => new FakeArray()), b: [] });
          // sgd(p, x, y) (and train's step): [loss, p]; jaxFit's adam(p, m, v, x, y, stepSize, bias2Sqrt): [loss, p, m, v].
          return args.length === 7 ? [loss, next(), next(), next()] : [loss, next()];
        },
        { dispose: () => {} },
      ),
    blockUntilReady: async () => {
      counts.waits++;
      counts.sinceWait = 0;
    },
    tree: {
      dispose: () => {},
      ref: <T>(t: T): T => {
        for (const a of leaves(t)) a.rc++;
        return t;
      },
    },
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

  it('a call of a whole number of intervals waits once for each, the last at its end, not twice there (review38c)', async () => {
    const { jaxTrainer, JAX_WAIT_EVERY } = await import('../bench/jax.ts');
    const t = await jaxTrainer(0, 'wasm', CONFIG_A, materialize(CONFIG_A));
    Object.assign(counts, { issued: 0, sinceWait: 0, maxSinceWait: 0, waits: 0, losses: [], reads: 0 });
    await t.train(2 * JAX_WAIT_EVERY);
    expect([counts.issued, counts.waits, counts.reads]).toEqual([2 * JAX_WAIT_EVERY, 2, 1]);
  });

  it("jaxFit (config e) waits every JAX_WAIT_EVERY batches of an epoch too, SGD and Adam", async () => {
    const { JAX_WAIT_EVERY } = await import('../bench/jax.ts');
    const { jaxFit } = await import('../bench/fit-systems.ts');
    for (const e of CONFIG_E) {
      const c = { ...e, fit: { ...e.fit!, epochs: 2 } };
      const n = 40 * c.batch;
      const train = { n, X: new Float32Array(n * 784), Y: new Float32Array(n * 10) };
      const test = { n: TEST_N, X: new Float32Array(TEST_N * 784), Y: new Float32Array(TEST_N * 10) };
      Object.assign(counts, { issued: 0, sinceWait: 0, maxSinceWait: 0, waits: 0, losses: [], reads: 0 });
      const run = await jaxFit(0, 'wasm', { config: c, m: materialize(c, { X: train.X.subarray(0, c.batch * 784), Y: train.Y.subarray(0, c.batch * 10) }), train, test });
      expect(run.epochs).toHaveLength(2);
      expect(counts.issued, e.id).toBe(80);
      // 40 batches an epoch: a wait after every JAX_WAIT_EVERY (without them, no blockUntilReady at all: 80).
      expect(counts.maxSinceWait, e.id).toBe(JAX_WAIT_EVERY);
    }
  });
});
