/**
 * The wasm backend (src/wasm/) in Node against the CPU oracle: the 60-net parity suite under the WebGPU bound
 * (test/lib/tolerance.ts: wasm sums the same float32 products in another order), every lecture value, k steps in
 * one run = k runs of one step, bad input, determinism (repeats and 1, 2, 3 threads bitwise), no growth of wasm
 * memory over 5 000 steps, saturation (|z| up to 1000). The same checks run in headless Chromium (test/browser/wasm.test.ts, relaxed SIMD).
 * Node 20's V8 has no relaxed SIMD: here the kernels use f32x4.mul + f32x4.add.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Model } from '../src/model.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { type NetworkSpec, validateSpec } from '../src/spec.ts';
import { type ClaimCheck, LECTURES, checkLecture, collectRuns, describeCheck, passes } from './lib/claims.ts';
import { describeCase, parityCases } from './lib/random-nets.ts';
import { BAD_INPUT_EXPECTED, badInput, describeWasm, determinism, forwardOnly, kSteps, memoryGrowth, parity, saturation, sleepingBarriers, wasmBackend } from './lib/wasm-checks.ts';

const cases = parityCases();
const worst: number[] = [];

afterAll(async () => {
  const sorted = [...worst].sort((a, b) => a - b);
  if (sorted.length) console.log(`wasm parity (${(await describeWasm()).description}): ${sorted.length} nets; worst |wasm − cpu| / bound: median ${sorted[sorted.length >> 1].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)}`);
  (await wasmBackend()).dispose();
});

describe('wasm equals the CPU oracle within the stated bound', () => {
  for (const c of cases) {
    it(describeCase(c), async () => {
      const r = await parity(c);
      worst.push(r.worst);
      expect(r.violations, r.violations.join('\n')).toEqual([]);
    });
  }
});

describe('k steps in one run', () => {
  for (const c of cases.filter((_, i) => i % 6 === 0)) {
    it(`${describeCase(c)}: 8 steps = 8 single steps (bitwise), and within the bound of 8 CPU steps`, async () => {
      const r = await kSteps(c, 8);
      expect(r.bitwise).toEqual([]);
      expect(r.violations, r.violations.join('\n')).toEqual([]);
    });
  }
});

describe("forward only (fit's predict)", () => {
  // Every 5th parity net on 1 thread, and one big enough to split on 3.
  const picked = [...cases.filter((_, i) => i % 5 === 0).map((c) => ({ c, threads: 1 })), { c: { ...cases[9], hidden: [257], batch: 256 }, threads: 3 }];
  for (const { c, threads } of picked) {
    it(`${describeCase(c)}, ${threads} thread(s): Z, A, δ_L and the losses of a step, bitwise; no δ below, dW or db written`, async () => {
      const r = await forwardOnly(c, threads);
      expect(r.diff).toEqual([]);
      expect(r.touched).toEqual([]);
    });
  }
});

describe('determinism', () => {
  // A net big enough to run on several threads by default, and two with edge blocks (widths 65, 257, batch 65).
  const det = [
    { ...cases[9], hidden: [257], batch: 256 },
    cases[8], // bias 'none'
    { ...cases[4], batch: 65 },
    cases[11],
  ];
  for (const c of det) {
    it(`${describeCase(c)}: 10 repeats and 1, 2, 3 threads give the same bits`, async () => {
      const r = await determinism(c, 10, 3);
      expect(r.threads).toBe(3);
      expect(r.repeats).toEqual([]);
      expect(r.threadCounts).toEqual([]);
      expect(r.dirty).toEqual([]);
    }, 60_000);
  }
});

describe('barriers that sleep', () => {
  // NOTE: Node's main thread may sleep in a barrier (Atomics.wait), so with barrier spins 0 it does, at any barrier it reaches first.
  it('spins 0: the calling thread enters the barriers\' wait, and 2 threads still give the 1-thread bits', async () => {
    const r = await sleepingBarriers({ ...cases[9], hidden: [257], batch: 256 }, 8);
    expect(r.threads).toBe(2);
    expect(r.mainWaits).toBe(true);
    expect(r.waits).toBeGreaterThan(0);
    expect(r.diff).toEqual([]);
  }, 60_000);
  it('barrier.spins outside 0 … 2³¹ − 1 or not whole: a SpecError naming it', async () => {
    for (const spins of [-1, 1.5, 2 ** 31, Number.NaN]) {
      await expect(WasmBackend.create({ threads: 2, barrier: { spins } })).rejects.toMatchObject({ name: 'SpecError', field: 'barrier.spins' });
    }
  });
});

describe('threads a net runs on (threadsFor)', () => {
  it('a step under 2¹⁸ multiply-adds runs on 1 thread, one of 2¹⁸ or more on all; compile takes the same count', async () => {
    const b = await WasmBackend.create({ threads: 2 });
    try {
      // One layer, forward multiply-adds = units · fanIn · n: 512·512·1 = 2¹⁸ exactly; 511·512·1 = 2¹⁸ − 512.
      const net = (units: number) => validateSpec({ inputs: 512, layers: [{ units, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 1 } }).net;
      expect(b.threadsFor(net(512), 1)).toBe(2);
      expect(b.threadsFor(net(511), 1)).toBe(1);
      const compiled = b.compile(net(511), 1);
      try {
        expect(compiled.threads).toBe(1);
      } finally {
        compiled.dispose();
      }
    } finally {
      b.dispose();
    }
  });
});

describe('memory', () => {
  it('wasm memory does not grow over 5 000 steps', async () => {
    const r = await memoryGrowth(cases[2], 5000, 100);
    expect(r.calls).toBe(50);
    expect(r.after).toBe(r.first);
  }, 60_000);
});

describe('saturation', () => {
  it('|z| up to 1000 (sigmoid, tanh, BCE, softmax): loss, Z, A, δ, dW, db, evaluate and fit\'s epoch loss within 1e-6 + 1e-5·|cpu| of the CPU oracle, accuracies exactly', async () => {
    expect(await saturation()).toEqual([]);
  });
});

describe('an engine without WebAssembly', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is refused naming WebAssembly itself, not SIMD (Chromium with --js-flags=--jitless defines no WebAssembly)', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    await expect(WasmBackend.create({ threads: 1 })).rejects.toMatchObject({ name: 'WasmUnavailableError', message: expect.stringMatching(/no WebAssembly at all \(WebAssembly is not defined/) });
  });
});

describe('bad input', () => {
  it('throws the named error before any work and leaves the parameters and memory as they were', async () => {
    const r = await badInput(cases[5]);
    expect(r.errors.map((e) => [e.what, e.code, e.unchanged])).toEqual(BAD_INPUT_EXPECTED);
  });
});

const wasmModel = async (spec: NetworkSpec) => Model.create(spec, { shared: await wasmBackend() });

for (const l of LECTURES) {
  describe(`wasm: ${l.id}`, () => {
    let results: ClaimCheck[];
    it('every printed value, formula and erratum', async () => {
      results = checkLecture(l, 'wasm', await collectRuns(wasmModel, l.worked.spec));
      expect(results.length).toBeGreaterThanOrEqual(l.worked.claims.length);
      const failed = results.filter((r) => !passes(r) || (r.erratum && (!r.erratum.matchesCorrect || r.matches)));
      expect(failed.map(describeCheck)).toEqual([]);
    });
  });
}
