/**
 * Adam's v update in the order README §Training on data: fit writes it (and shaders/update.wgsl, the CPU adam() and
 * the wasm adam kernel run it): v ← beta2·v + (1 − beta2)·g·g, left to right, in float64, stored as float32. The order
 * is what keeps the three backends bitwise alike: (1 − beta2)·(g·g) is another float64 number now and then (g·g of a
 * float32 is exact in float64, so it is c·g² rounded once against (c·g)·g rounded twice), and its float32 differs
 * where the two straddle a float32 rounding boundary. The g here are such values at beta2 = 0.90525 (found by a search
 * over float32 g, and checked below, independently of the code under test: the two orders' float32 differ for each).
 * The reference is the README formula evaluated here in float64 (m, v and p each rounded to float32 when stored, as the
 * kernels store them), so the match is bitwise: the same IEEE operations in the same order give the same bits.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { adam } from '../src/cpu/kernels.ts';
import { ModuleBuilder } from '../src/wasm/emit.ts';
import { type KernelOptions, Kernels } from '../src/wasm/kernels.ts';
import { wasmBackend } from './lib/wasm-checks.ts';

afterAll(async () => (await wasmBackend()).dispose());

const f = Math.fround;
const [lr, beta1, beta2, eps] = [0.01, 0.9, 0.90525, 1e-8];
/** Float32 gradients whose (1 − beta2)·g·g and (1 − beta2)·(g·g) round to different float32s. */
const G = [0.0461578369140625, 2.7099609375, 6.396484375];

/** One Adam step on one element by README's formulas, from zero m and v (t = 1): the float32 p, m and v. */
function reference(p: number, dW: number, wd: number, decoupled: boolean): { p: number; m: number; v: number } {
  const t = 1;
  const stepSize = lr / (1 - beta1 ** t);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
  let q = p;
  let g = dW;
  if (decoupled) q = f(q * (1 - lr * wd));
  else g = g + wd * q;
  const m = f(beta1 * 0 + (1 - beta1) * g);
  const v = f(beta2 * 0 + (1 - beta2) * g * g);
  return { p: f(q - stepSize * m / (Math.sqrt(v) / bias2Sqrt + eps)), m, v };
}

function kernelModule(o: KernelOptions & { shared: boolean; maxPages: number }): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory(1, o.maxPages, o.shared);
  void new Kernels(m, o).adam;
  return m.bytes();
}
interface AdamExport {
  adam(p: number, dW: number, m: number, v: number, count: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
    decoupled: number, stepSize: number, bias2Sqrt: number): void;
}

const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe("Adam's v ← beta2·v + (1 − beta2)·g·g in README's order, bitwise on cpu and wasm", () => {
  // Each g in turn as the lone last element (the kernel runs pairs, then the odd one: both paths see every g).
  const rotations = [0, 1, 2].map((r) => [0, 1, 2].map((k) => G[(k + r) % 3]));
  const cases = [false, true].flatMap((decoupled) => rotations.map((gs) => ({ decoupled, gs })));
  it.each(cases)('decoupled $decoupled, g $gs', async ({ decoupled, gs }) => {
    // The precondition, in plain float64: each g tells the two orders apart.
    for (const g of gs) expect(f((1 - beta2) * g * g), `g = ${g}`).not.toBe(f((1 - beta2) * (g * g)));
    const wd = decoupled ? 0.05 : 0;
    const p0 = [0.25, -1.5, 3];
    const want = gs.map((g, k) => reference(p0[k], g, wd, decoupled));
    const stepSize = lr / (1 - beta1);
    const bias2Sqrt = Math.sqrt(1 - beta2);

    // CPU twin
    const [p, dW, m, v] = [Float32Array.from(p0), Float32Array.from(gs), new Float32Array(3), new Float32Array(3)];
    adam(p, dW, m, v, lr, beta1, beta2, eps, wd, decoupled, stepSize, bias2Sqrt);
    expect(bitsOf(v), 'cpu v').toEqual(bitsOf(Float32Array.from(want.map((w) => w.v))));
    expect(bitsOf(m), 'cpu m').toEqual(bitsOf(Float32Array.from(want.map((w) => w.m))));
    expect(bitsOf(p), 'cpu p').toEqual(bitsOf(Float32Array.from(want.map((w) => w.p))));

    // wasm kernel: p, dW, m, v at 16-byte-aligned places of a reservation
    const b = await wasmBackend();
    const ops = b.instantiate(kernelModule) as unknown as AdamExport;
    const r = b.reserve(4 * 16, 'test arrays');
    const at = (q: number): number => r.at + 16 * q;
    const view = (q: number): Float32Array => new Float32Array(b.memory.buffer, at(q), 3);
    view(0).set(p0);
    view(1).set(gs);
    view(2).fill(0);
    view(3).fill(0);
    ops.adam(at(0), at(1), at(2), at(3), 3, lr, beta1, beta2, eps, wd, decoupled ? 1 : 0, stepSize, bias2Sqrt);
    expect(bitsOf(view(3)), 'wasm v').toEqual(bitsOf(Float32Array.from(want.map((w) => w.v))));
    expect(bitsOf(view(2)), 'wasm m').toEqual(bitsOf(Float32Array.from(want.map((w) => w.m))));
    expect(bitsOf(view(0)), 'wasm p').toEqual(bitsOf(Float32Array.from(want.map((w) => w.p))));
    b.release(r.id);
  });
});
