/**
 * The model's life cycle on cpu and wasm (Node), each checked against a twin model that never met the case: batches.
 * - a batch too large for the wasm memory: LimitError naming x before anything changes; the model then trains,
 *   grads and reads its parameters on its old batch exactly as the twin does (bitwise, same backend);
 * - batch sizes that alternate on wasm (a partial last batch);
 * - two batch sizes that alternate (3 examples, then 1, a setParams between) swap a spare step net instead of
 *   compiling: the backend compiles twice, and the parameters are bitwise a twin's made afresh for every call; with a
 *   budget that holds one net but not both no spare is kept, and a net that cannot be made beside the spare
 *   (LimitError) is made alone — the same parameters either way, no net left after dispose; a new net that fails
 *   otherwise beside the old one (its compile or its first parameter write) leaves the old net in use: no compile
 *   more when the old size comes back;
 * - a train or step whose read after the run fails rejects with the parameters put back (src/step-nets.ts runChecked).
 * Twins run the same operations on the same backend, so the comparisons are bitwise (no tolerance needed).
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/backends.ts';
import { needs, ownHostBytes } from '../src/budget.ts';
import { BackpropError, LimitError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { validateNet } from '../src/spec.ts';
import { KINDS, SPEC, X, Y, codeOf, counting } from './lib/lifecycle-net.ts';
import { bits } from './lib/fit-nets.ts';

describe('a batch too large for the wasm memory', () => {
  it('LimitError naming x, before anything changes: the model then trains, grads and reads its parameters on its old batch as a twin does', async () => {
    const spec = { inputs: 1, layers: [{ units: 4096, activation: 'identity' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, lr: 1e-3 } as const;
    const small = { x: [[0.1], [0.2], [0.3], [0.4]], y: [[0], [1], [1], [0]] };
    // A host budget past the batch's bytes, so the 2 GiB wasm memory is the limit met (4096 units × 50 000 examples × 4 B × 3 arrays).
    const options = { backend: 'wasm', budget: { hostBytes: 16 * 2 ** 30 } } as const;
    const model = await Model.create({ ...spec, ...small }, options);
    const twin = await Model.create({ ...spec, ...small }, options);
    try {
      await model.train({ steps: 1 });
      await twin.train({ steps: 1 });
      const n = 50_000;
      const big = { examples: n, data: new Float32Array(n) };
      const err = await model.train({ steps: 1, x: big, y: big }).catch((e: unknown) => e);
      expect(codeOf(err)).toBe('LIMIT');
      expect((err as BackpropError).field).toBe('x');
      expect((err as Error).message).toMatch(/50000 examples/);
      const [a, b] = [await model.train({ steps: 2 }), await twin.train({ steps: 2 })];
      expect(a.loss).toBe(b.loss);
      const [ga, gb] = [await model.grad(), await twin.grad()];
      expect(ga.loss).toBe(gb.loss);
      expect(bits({ W: ga.dW, b: ga.db })).toBe(bits({ W: gb.dW, b: gb.db }));
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    } finally {
      model.dispose();
      twin.dispose();
    }
  });
});

describe('batch sizes that alternate on wasm (a partial last batch)', () => {
  // The wasm backend places nets like a stack: a net made while the old one still lived would sit above it, and
  // each change of size would climb (1-1024-1 at 999/1000 examples reached the 2 GiB limit in ~100 calls).
  // A 1-1024-1 net on a wasm backend of its own; `memory()`: the bytes of that backend's memory.
  const wide = async () => {
    const { backend } = await createBackend('wasm');
    const model = await Model.create({ inputs: 1, layers: [{ units: 1024, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 2 }, lr: 1e-3 }, { shared: backend });
    const memory = () => (backend as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength;
    return { backend, model, memory };
  };
  const batch = (n: number) => ({ x: { examples: n, data: new Float32Array(n).fill(0.5) }, y: { examples: n, data: new Float32Array(n) } });

  it('the wasm memory stays where the first two sizes put it over 60 changes of size', async () => {
    const { backend, model, memory } = await wide();
    try {
      await model.train({ steps: 1, ...batch(999) });
      await model.train({ steps: 1, ...batch(1000) });
      const settled = memory();
      for (let k = 0; k < 60; k++) await model.train({ steps: 1, ...batch(k % 2 === 0 ? 999 : 1000) });
      expect(memory()).toBe(settled);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });

  // Three sizes in turn: each matches neither kept net, so both go before the new one is made (a net is made
  // only while at most one lives): the memory stays within the first rounds' reach (a spare left undisposed climbs).
  it('three sizes in turn: the wasm memory stays where the first rounds put it', async () => {
    const { backend, model, memory } = await wide();
    const sizes = [998, 999, 1000];
    try {
      for (let k = 0; k < 6; k++) await model.train({ steps: 1, ...batch(sizes[k % 3]) });
      const settled = memory();
      for (let k = 6; k < 45; k++) await model.train({ steps: 1, ...batch(sizes[k % 3]) });
      expect(memory()).toBe(settled);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });

  // The step net and fit's trainer change size in turn: each is freed below the other's newest placement, so only
  // placing into the lowest gap that holds it (first fit) keeps the memory from climbing a step net per round.
  it('with a fit trainer changing batch size in between: the memory stays where the first rounds put it', async () => {
    const { backend, model, memory } = await wide();
    const round = async (k: number) => {
      await model.train({ steps: 1, ...batch(k % 2 === 0 ? 999 : 1000) });
      await model.fit({ ...batch(64), batchSize: k % 2 === 0 ? 16 : 32, epochs: 1 });
    };
    try {
      for (let k = 0; k < 4; k++) await round(k);
      const settled = memory();
      for (let k = 4; k < 40; k++) await round(k);
      expect(memory()).toBe(settled);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });

  // dispose() frees everything the model placed on a shared backend, fit's trainer (its net, data, order and
  // optimiser slots) included: a model made, fitted and disposed 12 times over leaves the memory where the first did
  // (a trainer left placed puts the next model's nets above it: ~1.5 MB more a round at batches of 64 × 1024 units).
  it('models made, fitted and disposed in turn on one shared backend: the memory stays where the first put it', async () => {
    const { backend } = await createBackend('wasm');
    const memory = () => (backend as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength;
    const spec = { inputs: 1, layers: [{ units: 1024, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 2 }, lr: 1e-3 } as const;
    const round = async () => {
      const model = await Model.create(spec, { shared: backend });
      try {
        await model.fit({ ...batch(1000), batchSize: 64, epochs: 1, optimizer: 'adam' });
      } finally {
        model.dispose();
      }
    };
    try {
      await round();
      const settled = memory();
      for (let k = 0; k < 12; k++) await round();
      expect(memory()).toBe(settled);
    } finally {
      backend.dispose();
    }
  });
});

describe.each(KINDS)('two batch sizes that alternate (%s): a spare step net', (kind) => {
  it('train on 3 examples, then 1, 20 times (a setParams between): bitwise the params of a twin made afresh per call, two compiles', async () => {
    const counted = counting((await createBackend(kind)).backend);
    const model = await Model.create(SPEC, { shared: counted.backend });
    const rows = (k: number, n: number) => {
      const at = (k * 2) % (X.length - n + 1);
      return { x: X.slice(at, at + n), y: Y.slice(at, at + n) };
    };
    try {
      let p = await model.getParams();
      for (let k = 0; k < 40; k++) {
        const data = rows(k, k % 2 === 0 ? 3 : 1);
        if (k === 21) {
          // New parameters while the other size's net is the spare: it must take these, not its own stale ones.
          p = { W: p.W.map((w) => w.map((v) => v * 0.5)), b: p.b.map((b) => b.map((v) => v - 0.25)) };
          await model.setParams(p);
        }
        await model.train({ steps: 1, ...data });
        const twin = await Model.create(SPEC, { backend: kind });
        await twin.setParams(p);
        await twin.train({ steps: 1, ...data });
        p = await twin.getParams();
        twin.dispose();
        if (k % 5 === 4) expect(bits(await model.getParams())).toBe(bits(p));
      }
      expect(bits(await model.getParams())).toBe(bits(p));
      expect(counted.made()).toBe(2);
    } finally {
      model.dispose();
      counted.backend.dispose();
    }
  });

  // The twin: the same calls on a plain backend of this kind (one net per size, kept or not, computes the same).
  const twinRun = async (sizes: number[]): Promise<string> => {
    const twin = await Model.create(SPEC, { backend: kind });
    try {
      for (const [k, n] of sizes.entries()) await twin.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      return bits(await twin.getParams());
    } finally {
      twin.dispose();
    }
  };
  const sizes = Array.from({ length: 12 }, (_, k) => (k % 2 === 0 ? 3 : 1));

  it('a budget that holds one net but not both: no spare is kept (a compile per change of size), the same parameters', async () => {
    const net = validateNet(SPEC);
    const counted = counting((await createBackend(kind)).backend);
    // On wasm each net is counted again as its memory (whole 64 KiB pages): that count is the one two nets must pass.
    const own = counted.backend.ownMemory;
    const hostBytes = own
      ? ownHostBytes(net, 3, own).hostBytes + ownHostBytes(net, 1, own).hostBytes - 1
      : needs(net, 3).hostBytes + needs(net, 1).hostBytes - 1;
    const model = await Model.create(SPEC, { shared: counted.backend, budget: { hostBytes } });
    try {
      for (const [k, n] of sizes.entries()) await model.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      expect(counted.made()).toBe(sizes.length);
      expect(bits(await model.getParams())).toBe(await twinRun(sizes));
    } finally {
      model.dispose();
      counted.backend.dispose();
    }
  });

  it('fit\'s trainer is made with the spare step net gone (it may need that memory): one step net live, the same parameters', async () => {
    const { backend } = await createBackend(kind);
    let live = 0;
    let liveAtTrainer = -1;
    const compile = backend.compile.bind(backend);
    backend.compile = (...args) => {
      const made = compile(...args);
      const dispose = made.dispose.bind(made);
      live++;
      made.dispose = () => (live--, dispose());
      return made;
    };
    const trainer = backend.trainer.bind(backend);
    backend.trainer = (...args) => ((liveAtTrainer = live), trainer(...args));
    const model = await Model.create(SPEC, { shared: backend });
    const twin = await Model.create(SPEC, { backend: kind });
    try {
      for (const m of [model, twin]) {
        for (const [k, n] of sizes.slice(0, 4).entries()) await m.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
        await m.fit({ x: X.slice(0, 4), y: Y.slice(0, 4), batchSize: 2, epochs: 2, shuffle: false });
      }
      expect(liveAtTrainer).toBe(1);
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    } finally {
      model.dispose();
      twin.dispose();
      backend.dispose();
    }
  });

  it('a net that cannot be made beside the spare (LimitError) is made alone: the same parameters, no net left over', async () => {
    const { backend } = await createBackend(kind);
    let live = 0;
    let attempts = 0;
    const compile = backend.compile.bind(backend);
    // A memory that holds one net only: a second, while one lives, is refused as the wasm memory refuses one.
    backend.compile = (...args) => {
      attempts++;
      if (live > 0) throw new LimitError('x', 'no room beside the live net (test)');
      const made = compile(...args);
      const dispose = made.dispose.bind(made);
      live++;
      made.dispose = () => (live--, dispose());
      return made;
    };
    const model = await Model.create(SPEC, { shared: backend });
    try {
      for (const [k, n] of sizes.entries()) await model.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      expect(attempts).toBe(2 * sizes.length - 1);
      expect(live).toBe(1);
      expect(bits(await model.getParams())).toBe(await twinRun(sizes));
      model.dispose();
      expect(live).toBe(0);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });
  // The old net is kept beside the new one: a failure other than LimitError (the compile, or the new net's first
  // parameter write) must leave it the current net, not the spare of a model with none (which compiles once more).
  it.each(['compile', 'writeParams'])('a new size whose %s fails once beside the kept net: the model as before (the old net current, no compile more), the same parameters', async (fails) => {
    const { backend } = await createBackend(kind);
    let live = 0;
    let compiles = 0;
    const compile = backend.compile.bind(backend);
    backend.compile = (...args) => {
      if (++compiles === 2 && fails === 'compile') throw new Error('compile failed (test)');
      const made = compile(...args);
      const [dispose, write] = [made.dispose.bind(made), made.writeParams.bind(made)];
      live++;
      made.dispose = () => (live--, dispose());
      made.writeParams = compiles === 2 ? () => { made.writeParams = write; throw new Error('write failed (test)'); } : write;
      return made;
    };
    const model = await Model.create(SPEC, { shared: backend });
    try {
      await model.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) });
      await expect(model.train({ steps: 1, x: X.slice(1, 2), y: Y.slice(1, 2) })).rejects.toThrow(/failed \(test\)/);
      expect([compiles, live]).toEqual([2, 1]);
      // The old size runs on the old net; then the sizes alternate as if the failed call had not been made.
      for (const [k, n] of sizes.entries()) await model.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      expect([compiles, live]).toEqual([3, 2]);
      const twin = await Model.create(SPEC, { backend: kind });
      try {
        await twin.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) });
        for (const [k, n] of sizes.entries()) await twin.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
        expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      } finally {
        twin.dispose();
      }
    } finally {
      model.dispose();
      backend.dispose();
    }
  });
});

// A read that fails after the run (a WebGPU staging buffer that cannot be mapped), on a backend whose nets' read rejects
// once: the run's updates must not stay behind a call that rejects (src/step-nets.ts runChecked).
describe.each(KINDS)('a step net whose read fails after the run (%s)', (kind) => {
  it.each(['train', 'step'] as const)('%s rejects, the parameters bitwise as before, and the next call is a twin\'s', async (call) => {
    const { backend } = await createBackend(kind);
    const compile = backend.compile.bind(backend);
    let fail = false;
    backend.compile = (...args) => {
      const made = compile(...args);
      const read = made.read.bind(made);
      made.read = (r) => (fail ? (fail = false, Promise.reject(new Error('map failed (test)'))) : read(r));
      return made;
    };
    const spec = { ...SPEC, x: X, y: Y };
    const [model, twin] = [await Model.create(spec, { shared: backend }), await Model.create(spec, { backend: kind })];
    try {
      const run = (m: Model) => (call === 'train' ? m.train({ steps: 2 }) : m.step());
      await run(model);
      await run(twin);
      fail = true;
      await expect(run(model)).rejects.toThrow('map failed (test)');
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      expect((await run(model)).loss).toBe((await run(twin)).loss);
    } finally {
      model.dispose();
      twin.dispose();
      backend.dispose();
    }
  });
});
