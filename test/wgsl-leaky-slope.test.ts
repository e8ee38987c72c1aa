/**
 * leaky_relu's slope is LEAKY_SLOPE (src/spec.ts) on the CPU and in wasm, but WGSL cannot import it: matmul.wgsl,
 * output.wgsl and train_small.wgsl (whose functions train_tiny.wgsl and train_lanes.wgsl use) write it as a literal in
 * each leaky branch of activate and activate_prime, five copies. A changed LEAKY_SLOPE, or one copy edited alone,
 * showed only in the browser parity tests (source60). Here each copy, read from the WGSL source, is LEAKY_SLOPE as a
 * float32, and so are README's two figures for it (f and f' under "The equations, with the names the code uses").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEAKY_SLOPE } from '../src/spec.ts';
import { ACT_CODE } from '../src/webgpu/kernels.ts';
import { section } from './lib/readme-text.ts';

const FILES = ['matmul.wgsl', 'output.wgsl', 'train_small.wgsl'];
const source = (file: string) => readFileSync(new URL(`../shaders/${file}`, import.meta.url), 'utf8');
const LEAKY = ACT_CODE.leaky_relu;

/** The leaky branch's slope of each `fn activate…` of a file: `select(S * z, z, …)` (f) or `select(S, 1.0, …)` (f'). */
function slopes(wgsl: string): { fn: string; slope: number | null }[] {
  return [...wgsl.matchAll(/^fn (activate(?:_prime)?)\([^)]*\) -> f32 \{\n([\s\S]*?)^\}/gm)].map((m) => {
    const branch = new RegExp(String.raw`\b(?:ACT|act) == ${LEAKY}u\) \{([\s\S]*?)\}`).exec(m[2]!)?.[1] ?? '';
    const s = /select\((\d+\.\d+)(?: \* z)?, (?:z|1\.0),/.exec(branch);
    return { fn: m[1]!, slope: s ? Number(s[1]) : null };
  });
}

describe("every WGSL copy of leaky_relu's slope is LEAKY_SLOPE", () => {
  it.each(FILES)('%s', (file) => {
    const found = slopes(source(file));
    expect(found.length, `${file}: its activation functions`).toBeGreaterThan(0);
    for (const { fn, slope } of found) {
      expect(slope, `${file} ${fn}: a leaky branch (ACT == ${LEAKY}u) with select(slope …)`).not.toBeNull();
      // WGSL reads the literal as an f32: compare it as one.
      expect(Math.fround(slope!), `${file} ${fn}`).toBe(Math.fround(LEAKY_SLOPE));
    }
  });

  it("README's f and f' figures", () => {
    const text = section(readFileSync(new URL('../README.md', import.meta.url), 'utf8'), 'The equations, with the names the code uses');
    const prime = /leaky_relu' = \[A > 0\] \+\s+(\d+\.\d+)·\[A ≤ 0\]/.exec(text);
    const f = /leaky_relu\(z\) = z for z > 0, else (\d+\.\d+)·z/.exec(text);
    expect([prime?.[1], f?.[1]].map(Number)).toEqual([LEAKY_SLOPE, LEAKY_SLOPE]);
  });
});
