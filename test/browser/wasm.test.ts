/**
 * The wasm backend in headless Chromium (relaxed SIMD; threads, the page being cross-origin isolated by the
 * test server's COOP/COEP headers): the same checks as test/wasm.test.ts (test/lib/wasm-checks.ts, loaded into
 * the page through the Vite server), on the same nets, against the CPU oracle run in the page.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaimCheck, LECTURES, checkLecture, collectRuns, describeCheck, passes } from '../lib/claims.ts';
import { describeCase, parityCases, type NetCase } from '../lib/random-nets.ts';
import type * as Checks from '../lib/wasm-checks.ts';
import { BAD_INPUT_EXPECTED } from '../lib/wasm-checks.ts';
import { harnessPage, pageModel } from './lib.ts';

const cases = parityCases();
let page: Page;
const consoleErrors: string[] = [];
const worst: number[] = [];

type ChecksModule = Omit<typeof Checks, 'BAD_INPUT_EXPECTED'>;
/** Call one export of test/lib/wasm-checks.ts in the page. */
async function inPage<K extends keyof ChecksModule>(name: K, ...args: Parameters<ChecksModule[K]>): Promise<Awaited<ReturnType<ChecksModule[K]>>> {
  // A string, not a function: vitest would rewrite a dynamic import() inside a function it transforms.
  const expr = `import('/test/lib/wasm-checks.ts').then((m) => m[${JSON.stringify(name)}](...${JSON.stringify(args)}))`;
  return page.evaluate(expr) as Promise<Awaited<ReturnType<ChecksModule[K]>>>;
}

beforeAll(async () => {
  page = await harnessPage(consoleErrors);
  const d = await inPage('describeWasm');
  console.log(`wasm in Chromium: ${d.description}`);
  expect(d.isolated).toBe(true);
  expect(d.simd).toBe('relaxed');
  expect(d.threads).toBe(3);
});

afterAll(async () => {
  await page?.close();
  const sorted = [...worst].sort((a, b) => a - b);
  if (sorted.length) console.log(`wasm parity in Chromium: ${sorted.length} nets; worst |wasm − cpu| / bound: median ${sorted[sorted.length >> 1].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)}`);
});

describe('wasm equals the CPU oracle within the stated bound', () => {
  for (const c of cases) {
    it(describeCase(c), async () => {
      const r = await inPage('parity', c);
      worst.push(r.worst);
      expect(r.violations, r.violations.join('\n')).toEqual([]);
    });
  }
});

describe('k steps in one run', () => {
  for (const c of cases.filter((_, i) => i % 12 === 0)) {
    it(`${describeCase(c)}: 8 steps = 8 single steps (bitwise), and within the bound of 8 CPU steps`, async () => {
      const r = await inPage('kSteps', c, 8);
      expect(r.bitwise).toEqual([]);
      expect(r.violations, r.violations.join('\n')).toEqual([]);
    });
  }
});

describe("forward only (fit's predict)", () => {
  for (const [c, threads] of [[cases[0], 1], [{ ...cases[9], hidden: [257], batch: 256 }, 3]] as [NetCase, number][]) {
    it(`${describeCase(c)}, ${threads} thread(s): Z, A, δ_L and the losses of a step, bitwise; no δ below, dW or db written`, async () => {
      const r = await inPage('forwardOnly', c, threads);
      expect(r.diff).toEqual([]);
      expect(r.touched).toEqual([]);
    });
  }
});

describe('determinism', () => {
  const det: NetCase[] = [{ ...cases[9], hidden: [257], batch: 256 }, cases[11]];
  for (const c of det) {
    it(`${describeCase(c)}: 10 repeats and 1, 2, 3 threads give the same bits`, async () => {
      const r = await inPage('determinism', c, 10, 3);
      expect(r.repeats).toEqual([]);
      expect(r.threadCounts).toEqual([]);
      expect(r.dirty).toEqual([]);
    });
  }
});

describe('barriers that sleep', () => {
  // NOTE: the page's main thread may not sleep (Atomics.wait throws there, a wasm wait traps): it only spins; the worker sleeps at once.
  it('spins 0: the page\'s thread never waits (it may not: it spins), and 2 threads still give the 1-thread bits', async () => {
    const r = await inPage('sleepingBarriers', { ...cases[9], hidden: [257], batch: 256 }, 8);
    expect(r.threads).toBe(2);
    // mainWaits false compiles thread 0's wait (and its counter) out: the bits below, with the worker waiting at
    // once, are what this checks; a wait compiled in would trap on the page's thread.
    expect(r.mainWaits).toBe(false);
    expect(r.diff).toEqual([]);
  });
  // The page's thread spins (it may not sleep) and reads the clock past its spins; the worker ends itself with close().
  // A regression hangs the page: this test then fails on its timeout.
  it('a worker that dies during a run: the run throws WasmThreadError (stalled, naming it) after barrier.stallMs, and the backend is disposed', async () => {
    const r = await inPage('workerDiesMidRun', { ...cases[9], hidden: [257], batch: 256 }, 2, 300);
    expect(r.threads).toBe(3);
    expect(r.error).toMatchObject({ name: 'WasmThreadError', thread: 2, threads: 3, disposed: true, stalled: true, betweenRuns: false });
    expect(r.error!.message).toMatch(/thread 2 of 3 \(a worker\): it did not reach a barrier within 300 ms/);
    expect(r.disposed).toBe(true);
    expect(r.next).toBe('DisposedError');
  });
  it('a worker that dies inside a barrier, the last to arrive, before releasing it: WasmThreadError (stalled, thread −1), the backend disposed', async () => {
    const r = await inPage('workerDiesMidRun', { ...cases[9], hidden: [257], batch: 256 }, 2, 300, 'exit-releasing');
    expect(r.error).toMatchObject({ name: 'WasmThreadError', thread: -1, threads: 3, disposed: true, stalled: true, betweenRuns: false });
    expect(r.error!.message).toMatch(/one of the 2 workers \(which one cannot be told\): every thread had arrived at a barrier, and the last to arrive stopped before releasing/);
    expect(r.disposed).toBe(true);
    expect(r.next).toBe('DisposedError');
  });
});

describe('memory and bad input', () => {
  it('wasm memory does not grow over 5 000 steps', async () => {
    const r = await inPage('memoryGrowth', cases[2], 5000, 100);
    expect(r.calls).toBe(50);
    expect(r.after).toBe(r.first);
  });
  it('saturation: |z| up to 1000 (sigmoid, tanh, BCE, softmax) within 1e-6 + 1e-5·|cpu| of the CPU oracle', async () => {
    expect(await inPage('saturation')).toEqual([]);
  });
  it('the public calls (init, step, train, setParams, predict, evaluate, fit, abort, rebuild) within test/lib/matrix-checks.ts\'s bounds of the CPU oracle', async () => {
    expect(await inPage('publicCalls')).toEqual([]);
  });
  it('bad input: the named error before any work, parameters and memory unchanged', async () => {
    const r = await inPage('badInput', cases[5]);
    expect(r.errors.map((e) => [e.what, e.code, e.unchanged])).toEqual(BAD_INPUT_EXPECTED);
  });
});

const wasmModel = pageModel(() => page, 'wasm');

for (const l of LECTURES) {
  describe(`wasm: ${l.id}`, () => {
    it('every printed value, formula and erratum', async () => {
      const results: ClaimCheck[] = checkLecture(l, 'wasm', await collectRuns(wasmModel, l.worked.spec));
      const failed = results.filter((r) => !passes(r) || (r.erratum && (!r.erratum.matchesCorrect || r.matches)));
      expect(failed.map(describeCheck)).toEqual([]);
    });
  });
}

describe('the page stayed clean', () => {
  it('no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
