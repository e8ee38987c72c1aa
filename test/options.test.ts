/**
 * The options of WasmBackend.create and Model.create / rebuild: an unknown option or a bad value is a typed error
 * naming it, thrown before anything is made (WebAssembly.validate, wasm's first probe, is never called; no backend
 * is made; the model stays usable). WebGpuBackend.create's options: test/webgpu-variant.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LimitError, SpecError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { createBackend } from '../src/backends.ts';
import { mulberry32 } from '../src/init.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import { needs } from '../src/budget.ts';
import { MAX_THREADS, WasmBackend } from '../src/wasm/backend.ts';

afterEach(() => vi.restoreAllMocks());

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SPEC = {
  inputs: 2, layers: [{ units: 2, activation: 'sigmoid', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }],
  loss: 'mse', init: { scheme: 'xavier', seed: 1 }, x: [[0.05, 0.1]], y: [[0.01]], lr: 0.5,
};

describe('WasmBackend.create options', () => {
  const bad: [string, unknown, string][] = [
    ['an unknown option', { thread: 2 }, 'thread'],
    ['options not an object', 'fast', 'options'],
    ["simd 'nonsense'", { simd: 'nonsense' }, 'simd'],
    ['threads 0', { threads: 0 }, 'threads'],
    ['threads 2.5', { threads: 2.5 }, 'threads'],
    ["threads '2'", { threads: '2' }, 'threads'],
    [`threads ${MAX_THREADS + 1}`, { threads: MAX_THREADS + 1 }, 'threads'],
    ['threads NaN', { threads: Number.NaN }, 'threads'],
    ['an unknown barrier option', { barrier: { spin: 3 } }, 'barrier.spin'],
    ['barrier not an object', { barrier: 3 }, 'barrier'],
    ["barrier.callerSleeps 'no'", { barrier: { callerSleeps: 'no' } }, 'barrier.callerSleeps'],
    ['barrier.stallMs 0', { barrier: { stallMs: 0 } }, 'barrier.stallMs'],
    ['barrier.stallMs 1.5', { barrier: { stallMs: 1.5 } }, 'barrier.stallMs'],
    ['barrier.stallMs 2³¹', { barrier: { stallMs: 2 ** 31 } }, 'barrier.stallMs'],
    ['barrier.stallMs Infinity', { barrier: { stallMs: Infinity } }, 'barrier.stallMs'],
    ["barrier.stallMs '1000'", { barrier: { stallMs: '1000' } }, 'barrier.stallMs'],
    ['tiling not an object', { tiling: 4 }, 'tiling'],
    ['an unknown tiling key', { tiling: { MR: 4, NV: 2, KC: 256, NR: 8 } }, 'tiling.NR'],
    ['tiling.MR missing', { tiling: { NV: 2, KC: 256 } }, 'tiling.MR'],
    ['tiling.MR 9', { tiling: { MR: 9, NV: 2, KC: 256 } }, 'tiling.MR'],
    ['tiling.NV 0', { tiling: { MR: 4, NV: 0, KC: 256 } }, 'tiling.NV'],
    ['tiling.KC −1', { tiling: { MR: 4, NV: 2, KC: -1 } }, 'tiling.KC'],
  ];
  for (const [what, options, field] of bad) {
    it(`${what}: SpecError naming '${field}', before any wasm is touched`, async () => {
      const validate = vi.spyOn(WebAssembly, 'validate');
      const err = await WasmBackend.create(options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe(field);
      expect(validate).not.toHaveBeenCalled();
    });
  }
});

describe('WasmBackend tiling', () => {
  it("keeps a frozen copy of the caller's tiling, and its own default frozen: nothing changes a backend's layouts or memory count after it is made", async () => {
    const given = { MR: 5, NV: 1, KC: 7 };
    const b = await WasmBackend.create({ threads: 1, tiling: given });
    const d = await WasmBackend.create({ threads: 1 });
    try {
      given.MR = 2;
      expect(b.tiling).toEqual({ MR: 5, NV: 1, KC: 7 });
      expect(Object.isFrozen(b.tiling)).toBe(true);
      expect(Object.isFrozen(d.tiling)).toBe(true);
      expect(() => { (d.tiling as { MR: number }).MR = 2; }).toThrow(TypeError);
    } finally {
      b.dispose();
      d.dispose();
    }
  });
});

describe('Model.create / rebuild options', () => {
  const bad: [string, unknown, string][] = [
    ['an unknown option', { backned: 'cpu' }, 'backned'],
    ["backend 'CPU'", { backend: 'CPU' }, 'backend'],
    ['backend null (only an absent option takes its default; null was taken as auto)', { backend: null }, 'backend'],
    ['onNotice not a function', { backend: 'cpu', onNotice: 'console' }, 'onNotice'],
    ['shared not a backend', { shared: { kind: 'tpu' } }, 'shared'],
    ["backend 'wasm' with a shared cpu backend", { backend: 'wasm', shared: new CpuBackend() }, 'backend'],
    ['threads 0', { backend: 'wasm', threads: 0 }, 'threads'],
    ['threads 2.5', { threads: 2.5 }, 'threads'],
    ["threads '2'", { backend: 'wasm', threads: '2' }, 'threads'],
    [`threads ${MAX_THREADS + 1}`, { backend: 'wasm', threads: MAX_THREADS + 1 }, 'threads'],
    ["threads with backend 'cpu' (no wasm is made)", { backend: 'cpu', threads: 2 }, 'threads'],
    ["threads with backend 'webgpu' (which never falls back)", { backend: 'webgpu', threads: 2 }, 'threads'],
    ['threads with a shared backend (it has its own)', { shared: new CpuBackend(), threads: 2 }, 'threads'],
    ["webgpuVariant 'fast'", { backend: 'webgpu', webgpuVariant: 'fast' }, 'webgpuVariant'],
    ["webgpuVariant 'Tiled' (spelled exactly)", { webgpuVariant: 'Tiled' }, 'webgpuVariant'],
    ["webgpuVariant with backend 'cpu' (no WebGPU is made)", { backend: 'cpu', webgpuVariant: 'tiled' }, 'webgpuVariant'],
    ["webgpuVariant with backend 'wasm'", { backend: 'wasm', webgpuVariant: 'blocked' }, 'webgpuVariant'],
    ['webgpuVariant with a shared backend (it has its own kernels)', { shared: new CpuBackend(), webgpuVariant: 'auto' }, 'webgpuVariant'],
  ];
  for (const [what, options, field] of bad) {
    it(`${what}: SpecError naming '${field}', before any backend is made`, async () => {
      const validate = vi.spyOn(WebAssembly, 'validate');
      const made = vi.spyOn(Model as unknown as { backendFor: (o: unknown) => Promise<unknown> }, 'backendFor');
      const err = await Model.create(SPEC, options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe(field);
      expect(validate).not.toHaveBeenCalled();
      expect(made).not.toHaveBeenCalled();
    });
  }

  it('a Node script on 2 wasm threads exits without dispose(), and runs under --input-type=module (node -e) and V8 flags', () => {
    // The workers are unref'd once ready (a script that forgets dispose() used to hang); their source runs as CommonJS
    // or, under the parent's --input-type=module, as an ES module (it failed with "self is not defined", and 'auto'
    // fell back to the CPU); they inherit the parent's flags (an explicit execArgv refused --max-old-space-size).
    const code = [
      "import { Model } from './src/index.ts';",
      "const x = Array.from({ length: 64 }, (_, i) => Array.from({ length: 128 }, (_, j) => Math.sin(i + j)));",
      "const m = await Model.create({ inputs: 128, layers: [{ units: 64, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'mse',",
      "  init: { scheme: 'xavier', seed: 1 }, x, y: x.map((_, i) => [i % 2]) }, { threads: 2, onNotice: () => {} });",
      'const { loss } = await m.train({ steps: 3, lr: 0.1 });',
      'console.log(JSON.stringify({ kind: m.kind, description: m.backend.description, loss }));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--max-old-space-size=2048', '--import', './bin/register-source.mjs', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect([r.status, r.signal, r.stderr]).toEqual([0, null, '']);
    const out = JSON.parse(r.stdout) as { kind: string; description: string; loss: number };
    expect(out.kind).toBe('wasm');
    expect(out.description).toContain('2 threads on shared memory');
    expect(Number.isFinite(out.loss)).toBe(true);
  }, 90_000);

  it("createBackend refuses threads where it makes no wasm backend ('cpu', 'webgpu'), webgpuVariant where it makes no WebGPU one, and a bad third argument, naming the field", async () => {
    for (const choice of ['cpu', 'webgpu'] as const) {
      await expect(createBackend(choice, undefined, { threads: 2 })).rejects.toMatchObject({ name: 'SpecError', field: 'threads' });
    }
    await expect(createBackend('wasm', undefined, { threads: 0 })).rejects.toMatchObject({ name: 'SpecError', field: 'threads' });
    // webgpuVariant: not a variant, or where no WebGPU backend is made ('cpu', 'wasm'); before any adapter is asked for.
    for (const [choice, webgpuVariant] of [['webgpu', 'fast'], ['auto', 3], ['cpu', 'tiled'], ['wasm', 'auto']] as const) {
      await expect(createBackend(choice, undefined, { webgpuVariant } as never)).rejects.toMatchObject({ name: 'SpecError', field: 'webgpuVariant' });
    }
    // The third argument itself: an object of known keys, else a SpecError naming it (a typo made a 1-thread backend).
    for (const [options, field] of [[null, 'options'], [4, 'options'], [{ thread: 4 }, 'thread']] as const) {
      await expect(createBackend('wasm', undefined, options as never)).rejects.toMatchObject({ name: 'SpecError', field });
    }
  });

  it('createBackend refuses an onNotice that is not a function, as Model.create does; an onNotice that throws leaves no backend behind', async () => {
    // Was: createBackend('auto', 'x') made the wasm backend, then threw a TypeError calling 'x' (in Node 'auto' falls back).
    for (const choice of ['auto', 'cpu', 'wasm'] as const) {
      await expect(createBackend(choice, 'x' as never)).rejects.toMatchObject({ name: 'SpecError', field: 'onNotice' });
    }
    const dispose = vi.spyOn(WasmBackend.prototype, 'dispose');
    const boom = new Error('onNotice failed');
    await expect(createBackend('auto', () => { throw boom; })).rejects.toBe(boom);
    expect(dispose).toHaveBeenCalledTimes(1);
    dispose.mockRestore();
  });

  it("threads reaches the wasm backend the model makes ('wasm', 'auto' falling back in Node, rebuild), and a fit on 2 threads is the 1-thread fit's bits, within the oracle's bound", async () => {
    // 128 inputs × 64 units × 64 examples = 2¹⁹ multiply-adds a forward pass: past THREAD_MIN_WORK, so both threads work.
    const rand = mulberry32(5);
    const spec = {
      inputs: 128, layers: [{ units: 64, activation: 'tanh' }, { units: 4, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 3 },
      x: Array.from({ length: 64 }, () => Array.from({ length: 128 }, () => 2 * rand() - 1)),
      y: Array.from({ length: 64 }, () => Array.from({ length: 4 }, () => rand())),
    };
    const fit = { batchSize: 32, epochs: 2, shuffle: { seed: 2 }, optimizer: { name: 'adam', lr: 1e-2 } } as const;
    const two = await Model.create(spec, { backend: 'wasm', threads: 2 });
    const one = await Model.create(spec, { backend: 'wasm', threads: 1 });
    const cpu = await Model.create(spec, { backend: 'cpu' });
    const auto = await Model.create(spec, { threads: 2, onNotice: () => {} });
    let rebuilt: Model | undefined;
    let again: Model[] = [];
    try {
      expect((two.backend as WasmBackend).threads).toBe(2);
      expect(two.backend.description).toContain('2 threads on shared memory');
      expect((one.backend as WasmBackend).threads).toBe(1);
      expect([auto.kind, auto.fallbackReason, (auto.backend as WasmBackend).threads]).toEqual(['wasm', 'no-webgpu', 2]);
      const [h2, h1, hc] = [await two.fit(fit), await one.fit(fit), await cpu.fit(fit)];
      const [p2, p1, pc] = [await two.getParams(), await one.getParams(), await cpu.getParams()];
      // Rows split among threads, never a sum (README, How the wasm path runs): the same bits for any thread count.
      expect(h2.map((e) => e.loss)).toEqual(h1.map((e) => e.loss));
      expect(p2).toEqual(p1);
      // NOTE: 4 steps against the float64 oracle; the bound of test/wasm-fit.test.ts, 5e-6 relative per step.
      [...p2.W, ...p2.b].forEach((a, i) => a.forEach((v, q) => {
        const c = [...pc.W, ...pc.b][i][q];
        expect(Math.abs(v - c), `param ${i}[${q}]`).toBeLessThanOrEqual(4 * 5e-6 * Math.max(1, Math.abs(c)));
      }));
      h2.forEach((e, i) => expect(Math.abs(e.loss - hc[i].loss)).toBeLessThanOrEqual(4 * 5e-6 * Math.max(1, hc[i].loss)));
      rebuilt = await one.rebuild({ backend: 'wasm', threads: 2 });
      expect((rebuilt.backend as WasmBackend).threads).toBe(2);
      // rebuild() without options: those the model was made with ('auto' before, whatever the model was made on).
      again = [await rebuilt.rebuild(), await cpu.rebuild(), await auto.rebuild()];
      expect(again.map((m) => [m.kind, (m.backend as Partial<WasmBackend>).threads ?? null])).toEqual([['wasm', 2], ['cpu', null], ['wasm', 2]]);
      expect(again[2].fallbackReason).toBe('no-webgpu');
      // The budget as it was when the model was made (the caller's object changed since); rebuild(null) is refused as create's is.
      const budget = { hostBytes: 1 << 30 };
      const kept = await Model.create(SPEC, { backend: 'cpu', budget });
      budget.hostBytes = 64;
      again.push(await kept.rebuild());
      expect((await again[3].fit({ epochs: 1 })).length).toBe(1); // a 64-byte budget refuses fit's data (LimitError)
      await expect(again[3].rebuild(null as never)).rejects.toMatchObject({ name: 'SpecError', field: 'options' });
    } finally {
      for (const m of [two, one, cpu, auto, rebuilt, ...again]) m?.dispose();
    }
  }, 30_000);

  it("a budget value that is not a number: LimitError naming it, the value described (a string '100' is not shown as 100; an object without a prototype made String() throw a TypeError)", async () => {
    for (const [value, got] of [['100', 'got "100"'], [Object.create(null), 'got an object'], [[64], 'got an array of length 1']] as const) {
      const err = await Model.create(SPEC, { backend: 'cpu', budget: { hostBytes: value as never } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LimitError);
      expect((err as LimitError).message).toBe(`budget.hostBytes: must be a whole number of bytes 1 … 2⁵³ − 1, ${got}`);
    }
  });

  it('rebuild with a bad option or budget throws before any backend is made; the model goes on', async () => {
    const model = await Model.create(SPEC, { backend: 'cpu' });
    // Model's backend factory (private static backendFor: every backend create and rebuild make goes through it).
    const made = vi.spyOn(Model as unknown as { backendFor: (o: unknown) => Promise<unknown> }, 'backendFor');
    try {
      const before = await model.getParams();
      const err = await model.rebuild({ backend: 'cpu', onNotice: 42 } as never).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'SpecError', field: 'onNotice' });
      const budget = await model.rebuild({ backend: 'cpu', budget: { hostBytes: -1 } }).catch((e: unknown) => e);
      expect(budget).toBeInstanceOf(LimitError);
      expect((budget as LimitError).field).toBe('budget.hostBytes');
      // A budget the net at its batch is over: refused as Model.create refuses the spec under it (was: a model made over it).
      const tight = { hostBytes: needs(model.net, 1).hostBytes - 1 };
      const created = await Model.create(SPEC, { backend: 'cpu', budget: tight }).catch((e: unknown) => e);
      const over = await model.rebuild({ backend: 'cpu', budget: tight }).catch((e: unknown) => e);
      expect(created).toBeInstanceOf(LimitError);
      expect(over).toBeInstanceOf(LimitError);
      expect([(over as LimitError).field, (over as LimitError).message]).toEqual([(created as LimitError).field, (created as LimitError).message]);
      expect(made).not.toHaveBeenCalled();
      expect(await model.getParams()).toEqual(before);
      expect(Number.isFinite((await model.step()).loss)).toBe(true);
    } finally {
      model.dispose();
    }
  });
});

it("rebuild() of an 'auto' model falling back for the same reason does not tell its notice again; another onNotice is told", async () => {
  // Node has no navigator.gpu: 'auto' falls back to wasm with the notice 'WebGPU is unavailable: …' each time.
  const spec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' as const }], loss: 'bce' as const, init: { scheme: 'xavier' as const, seed: 1 } };
  const notices: string[] = [];
  const onNotice = (m: string): void => { notices.push(m); };
  const made: Model[] = [await Model.create(spec, { onNotice })];
  try {
    expect(notices).toEqual([made[0].notice]);
    expect(notices[0]).toMatch(/^WebGPU is unavailable: /);
    made.push(await made[0].rebuild());
    made.push(await made[1].rebuild({ backend: 'auto', onNotice }));
    expect(notices).toHaveLength(1); // was 3: each rebuild told it again
    // The rebuilt models still say why they are not on WebGPU.
    expect(made.map((m) => [m.kind, m.notice, m.fallbackReason])).toEqual(made.map(() => ['wasm', notices[0], 'no-webgpu']));
    // Another onNotice (or the default, console.warn) has not been told: it is.
    const other: string[] = [];
    made.push(await made[2].rebuild({ onNotice: (m) => other.push(m) }));
    expect(other).toEqual([notices[0]]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      made.push(await made[3].rebuild({}));
      expect(warn.mock.calls).toEqual([[`[backprop-webgpu] ${notices[0]}`]]);
    } finally {
      warn.mockRestore();
    }
  } finally {
    for (const m of made) m.dispose();
  }
});

// Review mutants4 D3: the made options record a shared backend as its kind.
it('rebuild() of a model on a shared backend: a fresh backend of that kind (not auto), the shared one left alone', async () => {
  const shared = new CpuBackend();
  const spec = { inputs: 2, layers: [{ units: 2, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }], loss: 'bce' as const, init: { scheme: 'xavier' as const, seed: 1 } };
  const model = await Model.create(spec, { shared, onNotice: () => {} });
  const notices: string[] = [];
  const rebuilt = await model.rebuild();
  try {
    expect(rebuilt.kind).toBe('cpu');
    expect(rebuilt.backend).not.toBe(shared);
    expect(rebuilt.fallbackReason).toBeUndefined();
    expect(shared.isDisposed).toBe(false);
    expect(notices).toEqual([]);
  } finally {
    rebuilt.dispose();
    shared.dispose();
  }
});

describe("fit's validation option", () => {
  it('a typed array there is refused as what it is (a fraction or {x, y} wanted), not read as an object with a key "0"', async () => {
    const model = await Model.create({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x: [[0, 1], [1, 0]], y: [[1], [0]], lr: 0.1 }, { backend: 'cpu' });
    for (const validation of [new Float32Array(2), new Float64Array(0)]) {
      const err = await model.fit({ validation: validation as unknown as number }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe('validation');
      expect((err as Error).message).toMatch(/must be a fraction in \(0, 1\) or \{x, y\}, got a Float(32|64)Array/);
    }
    expect(model.epochsTrained).toBe(0);
    model.dispose();
  });
});
