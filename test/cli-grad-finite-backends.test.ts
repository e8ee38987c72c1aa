/**
 * `grad --backend both` / `--backend all`: a result that is not finite on any one backend — only wasm's, or only
 * WebGPU's, the CPU's finite — is still said on stderr ("✗ not finite: …") and gives exit status 1 (src/cli/grad.ts
 * runGrad). Review surv55: a mutant checking only the CPU's (or only the first backend's) finiteness passed every
 * test. No GPU and no real overflow on one backend alone: the WebGPU route is replaced (vi.mock of src/cli/webgpu.ts,
 * as test/cli-webgpu-route.test.ts does) by the CPU's pass in Node, and a backend's result is poisoned (one value set
 * to NaN or Infinity) after the real pass on it, where a test asks.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlainGrad } from '../src/browser/harness.ts';

/** Per backend name, what to do to its result after its real pass (set one value not finite). */
const poison: Record<string, (g: PlainGrad) => void> = {};

vi.mock('../src/cli/in-node.ts', async (original) => {
  const real = await original<typeof import('../src/cli/in-node.ts')>();
  return {
    ...real,
    modelGrad: async (spec: unknown, backend: 'cpu' | 'wasm' | 'webgpu') => {
      const g = await real.modelGrad(spec, backend);
      poison[g.backend]?.(g);
      return g;
    },
  };
});

vi.mock('../src/cli/webgpu.ts', async (original) => {
  const real = await original<typeof import('../src/cli/webgpu.ts')>();
  const { modelGrad } = await import('../src/cli/in-node.ts');
  const gpu = {
    where: '(fake, in Node)',
    route: 'chromium' as const,
    adapter: async () => ({ available: true, variant: 'blocked-subgroup' }),
    // The CPU's pass (poisoned as a 'cpu' result would be: none of these tests poisons the CPU), named 'webgpu'.
    grad: async (spec: unknown) => {
      const g: PlainGrad = { ...await modelGrad(spec, 'cpu'), backend: 'webgpu' };
      poison.webgpu?.(g);
      return g;
    },
    close: async () => {},
  };
  return { ...real, onWebGpu: async <T>(work: (g: typeof gpu) => Promise<T>) => work(gpu) };
});

const { runGrad } = await import('../src/cli/grad.ts');

afterEach(() => {
  for (const k of Object.keys(poison)) delete poison[k];
  vi.restoreAllMocks();
});

// By hand: one identity unit on 2 inputs, mse, one example x = (1, 1), y = 0, W = (1, 2), b = 0:
// Z = A = 1 + 2 = 3, L = ½ · 3² = 4.5, delta = a − y = 3, dW = delta · x = (3, 3), db = 3. All finite on every backend.
const spec = { inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1, 2]]], b: [[0]] }, x: [[1, 1]], y: [[0]] };

/** runGrad's exit status, its stderr lines, and its JSON. */
async function grad(backend: 'both' | 'all'): Promise<{ code: number; stderr: string[]; json: Record<string, { loss: number | null; grads: { W: (number | null)[][][] } }> }> {
  const stderr: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
  const out: string[] = [];
  const code = await runGrad(spec, backend, true, (s) => out.push(s));
  return { code, stderr, json: JSON.parse(out.join('')) as never };
}

describe('grad over several backends: one backend alone not finite is said, exit status 1', () => {
  it('all finite (the stand-ins as they are): exit status 0, nothing on stderr, the hand-worked numbers', async () => {
    const r = await grad('all');
    expect([r.code, r.stderr]).toEqual([0, []]);
    for (const b of ['cpu', 'webgpu', 'wasm']) {
      expect(r.json[b].loss).toBe(4.5);
      expect(r.json[b].grads.W).toEqual([[[3, 3]]]);
    }
  });

  it('--backend all, only wasm\'s dW₁ entry [0][1] NaN: "wasm dW₁ unit 1, in 2", exit status 1', async () => {
    poison.wasm = (g) => { g.dW[0][1] = NaN; };
    const r = await grad('all');
    expect(r.stderr).toEqual(['✗ not finite: wasm dW₁ unit 1, in 2 (exit status 1)\n']);
    expect(r.code).toBe(1);
    // The CPU's and WebGPU's are as worked by hand; wasm's NaN is null in the JSON.
    expect([r.json.cpu.grads.W, r.json.webgpu.grads.W, r.json.wasm.grads.W]).toEqual([[[[3, 3]]], [[[3, 3]]], [[[3, null]]]]);
  });

  it('--backend all, only WebGPU\'s loss Infinity: "webgpu loss", exit status 1', async () => {
    poison.webgpu = (g) => { g.loss = Infinity; };
    const r = await grad('all');
    expect(r.stderr).toEqual(['✗ not finite: webgpu loss (exit status 1)\n']);
    expect(r.code).toBe(1);
  });

  it('--backend all, WebGPU\'s and wasm\'s both not finite: both named, in the order they ran', async () => {
    poison.webgpu = (g) => { g.db[0][0] = -Infinity; };
    poison.wasm = (g) => { g.A[0][0] = NaN; };
    const r = await grad('all');
    // db₁ is a per-unit bias here ('unit 1'); A₁'s entry [0][0] is unit 1, example 1.
    expect(r.stderr).toEqual(['✗ not finite: webgpu db₁ unit 1, wasm A₁ unit 1, ex 1 (exit status 1)\n']);
    expect(r.code).toBe(1);
  });

  it('--backend both, only WebGPU\'s delta₁ NaN: "webgpu delta₁ unit 1, ex 1", exit status 1', async () => {
    poison.webgpu = (g) => { g.delta[0][0] = NaN; };
    const r = await grad('both');
    expect(r.stderr).toEqual(['✗ not finite: webgpu delta₁ unit 1, ex 1 (exit status 1)\n']);
    expect(r.code).toBe(1);
    expect(r.json.cpu.loss).toBe(4.5);
  });

  it('text (no --json), --backend all, only wasm\'s loss NaN: the same line, exit status 1, and the tables still printed', async () => {
    poison.wasm = (g) => { g.loss = NaN; };
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
    const out: string[] = [];
    const code = await runGrad(spec, 'all', false, (s) => out.push(s));
    expect(stderr).toEqual(['✗ not finite: wasm loss (exit status 1)\n']);
    expect(code).toBe(1);
    // Each backend's report, the CPU's loss as worked by hand (4.5), wasm's NaN as printed.
    expect(out.join('\n').match(/^loss L = \S+/gm)).toEqual(['loss L = 4.5', 'loss L = 4.5', 'loss L = NaN']);
  });
});
