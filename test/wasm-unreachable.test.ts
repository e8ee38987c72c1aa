/**
 * A wasm model dropped without dispose() — a sweep's loop `for (…) { const m = await Model.create(…, { backend:
 * 'wasm', threads }); await m.fit(…); }` — ends its worker threads once the engine collects its backend (a
 * FinalizationRegistry in src/wasm/backend.ts). Before, each such model kept its threads and its shared memory for
 * the life of the process: a sweep of 48 wasm models in one Node process (MNIST 784-128-10, 2 threads) ended with 48
 * more threads and about 17 MiB more RSS per model than the same sweep with dispose() (2026-12-07, sweep61).
 * A backend still reachable (a model in use) keeps its threads through a collection.
 * Counted as the process's threads (Linux's /proc/self/status); skipped where there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { collect } from './lib/count-allocations.ts';

const STATUS = '/proc/self/status';
const threadsNow = (): number => Number(/^Threads:\s+(\d+)$/m.exec(readFileSync(STATUS, 'utf8'))![1]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** XOR's 2-3-1 net with its 4 rows: any net will do; a small one keeps the test short. */
const spec: NetworkSpec = {
  inputs: 2,
  layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'bce',
  init: { scheme: 'xavier', seed: 1 },
  x: [[0, 0], [0, 1], [1, 0], [1, 1]],
  y: [[0], [1], [1], [0]],
  lr: 0.5,
};
/** Threads per model: the calling thread and 2 workers. */
const THREADS = 3;

/** The thread count once it has stayed the same for 5 readings 20 ms apart (threads that are ending have ended). */
async function settled(): Promise<number> {
  let last = threadsNow();
  for (let same = 0, k = 0; same < 5 && k < 200; k++) {
    await sleep(20);
    const now = threadsNow();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

/** Collect and wait until the count is at most `target` (up to 5 s): the count then. */
async function collectDownTo(target: number): Promise<number> {
  let now = threadsNow();
  for (let k = 0; k < 100 && now > target; k++) {
    await collect();
    await sleep(50);
    now = threadsNow();
  }
  return now;
}

/** Make `count` wasm models, fit each one epoch, and drop them without dispose(); resolves once they are made. */
async function dropped(count: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    const model = await Model.create(spec, { backend: 'wasm', threads: THREADS });
    await model.fit({ epochs: 1 });
  }
}

describe.skipIf(!existsSync(STATUS))('a wasm model dropped without dispose', () => {
  it('ends its worker threads once collected: the process is back to its thread count', async () => {
    // What the process starts once is counted in the baseline: libuv's thread pool (started by its first use, an
    // async read), and a first backend made, fitted and disposed.
    await readFile(STATUS);
    await collect();
    const first = await Model.create(spec, { backend: 'wasm', threads: THREADS });
    await first.fit({ epochs: 1 });
    first.dispose();
    const base = await settled();
    await dropped(2);
    // The test sees the workers: 2 per model, running.
    expect(threadsNow()).toBe(base + 2 * (THREADS - 1));
    expect(await collectDownTo(base)).toBe(base);
  }, 30_000);

  it('a model still held keeps its threads through a collection, and trains the same bits after it', async () => {
    const held = await Model.create(spec, { backend: 'wasm', threads: THREADS });
    const twin = await Model.create(spec, { backend: 'wasm', threads: THREADS });
    await held.fit({ epochs: 2 });
    await twin.fit({ epochs: 2 });
    const base = await settled();
    await dropped(1);
    expect(await collectDownTo(base)).toBe(base);
    // Both held models' workers still run: a collection ended none of them (ending one fails the next run).
    await collect();
    await sleep(100);
    expect(threadsNow()).toBe(base);
    const [a, b] = [await held.fit({ epochs: 3 }), await twin.fit({ epochs: 3 })];
    expect(a.map((e) => e.loss)).toEqual(b.map((e) => e.loss));
    expect(Array.from((await held.getParams()).W[0])).toEqual(Array.from((await twin.getParams()).W[0]));
    held.dispose();
    twin.dispose();
  }, 30_000);
});
