/**
 * The options of WasmBackend.create and Model.create / rebuild: an unknown option or a bad value is a typed error
 * naming it, thrown before anything is made (WebAssembly.validate, wasm's first probe, is never called; no backend
 * is made; the model stays usable). WebGpuBackend.create's options: test/webgpu-variant.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LimitError, SpecError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import { MAX_THREADS, WasmBackend } from '../src/wasm/backend.ts';

afterEach(() => vi.restoreAllMocks());

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

describe('Model.create / rebuild options', () => {
  const bad: [string, unknown, string][] = [
    ['an unknown option', { backned: 'cpu' }, 'backned'],
    ["backend 'CPU'", { backend: 'CPU' }, 'backend'],
    ['onNotice not a function', { backend: 'cpu', onNotice: 'console' }, 'onNotice'],
    ['shared not a backend', { shared: { kind: 'tpu' } }, 'shared'],
    ["backend 'wasm' with a shared cpu backend", { backend: 'wasm', shared: new CpuBackend() }, 'backend'],
  ];
  for (const [what, options, field] of bad) {
    it(`${what}: SpecError naming '${field}'`, async () => {
      const err = await Model.create(SPEC, options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe(field);
    });
  }

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
      expect(made).not.toHaveBeenCalled();
      expect(await model.getParams()).toEqual(before);
      expect(Number.isFinite((await model.step()).loss)).toBe(true);
    } finally {
      model.dispose();
    }
  });
});
