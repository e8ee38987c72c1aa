/**
 * leaky_relu's slope in the WGSL shaders: each `ACT == 5u` / `act == 5u` branch (matmul.wgsl activate and
 * activate_prime, output.wgsl activate_prime, train_small.wgsl both; ACT_CODE.leaky_relu) writes 0.01 as a literal,
 * where the CPU, wasm and the scalar engine read LEAKY_SLOPE (src/spec.ts). A shader with another slope — or a spec
 * slope changed without the shaders — computes another function on WebGPU only, and no Node test ran a shader. Here
 * each branch's `return select(…);` is evaluated (select(f, t, c) is t where c holds, else f: the WGSL built-in) at
 * z = 2, −3, 0 (a = f(z) for f'), against the formula: f(z) = z for z > 0, else LEAKY_SLOPE·z; f' = 1 for a > 0,
 * else LEAKY_SLOPE. And README's two figures for the slope (f and f' under "The equations, with the names the code
 * uses"). (source60 and mut60 each wrote a test of these copies; this is the two as one.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEAKY_SLOPE } from '../src/spec.ts';
import { ACT_CODE } from '../src/webgpu/kernels.ts';
import { section } from './lib/readme-text.ts';

const source = (file: string) => readFileSync(new URL(`../shaders/${file}`, import.meta.url), 'utf8');

/** The expression of `return …;` in fn `name`'s branch for code `code`. */
function leakyReturn(file: string, name: 'activate' | 'activate_prime', code: number): string {
  const fn = new RegExp(`^fn ${name}\\([^)]*\\) -> f32 \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source(file));
  expect(fn, `${file}: fn ${name}`).not.toBeNull();
  const branch = new RegExp(`if \\((?:ACT|act) == ${code}u\\) \\{([\\s\\S]*?)\\n\\s*\\}`).exec(fn![1]);
  expect(branch, `${file} ${name}: no branch for code ${code}`).not.toBeNull();
  const ret = /return ([^;]+);/.exec(branch![1]);
  expect(ret, `${file} ${name}: the branch returns nothing`).not.toBeNull();
  return ret![1];
}

/** The WGSL expression as a function of z (activate) or a (activate_prime): select, comparisons and arithmetic only. */
function evaluate(expr: string, variable: 'z' | 'a'): (v: number) => number {
  expect(expr, 'only select, numbers, the variable and + − · and comparisons').toMatch(/^[\sselct()za0-9.,*+\-><=]+$/);
  return new Function('select', variable, `return ${expr};`).bind(null, (f: number, t: number, c: boolean) => (c ? t : f)) as (v: number) => number;
}

const f = (z: number) => (z > 0 ? z : LEAKY_SLOPE * z);
const fp = (a: number) => (a > 0 ? 1 : LEAKY_SLOPE);
const code = ACT_CODE.leaky_relu;

describe("the shaders' leaky_relu is the spec's: z for z > 0, else LEAKY_SLOPE·z", () => {
  it('LEAKY_SLOPE is 0.01 (README and the spec type say so)', () => {
    expect(LEAKY_SLOPE).toBe(0.01);
  });

  describe.each(['matmul.wgsl', 'train_small.wgsl'])('%s', (file) => {
    it('activate at z = 2, −3, 0: 2, −0.03, 0', () => {
      const act = evaluate(leakyReturn(file, 'activate', code), 'z');
      expect([2, -3, 0].map(act)).toEqual([2, -3, 0].map(f));
      expect(act(-3)).toBeCloseTo(-0.03, 15);
    });
  });

  describe.each(['matmul.wgsl', 'output.wgsl', 'train_small.wgsl'])('%s', (file) => {
    it("activate_prime at a = f(2), f(−3), f(0): 1, 0.01, 0.01", () => {
      const prime = evaluate(leakyReturn(file, 'activate_prime', code), 'a');
      expect([2, -0.03, 0].map(prime)).toEqual([1, 0.01, 0.01]);
      expect([2, -0.03, 0].map(prime)).toEqual([2, -0.03, 0].map(fp));
    });
  });

  it("README's f and f' figures", () => {
    const text = section(readFileSync(new URL('../README.md', import.meta.url), 'utf8'), 'The equations, with the names the code uses');
    const prime = /leaky_relu' = \[A > 0\] \+\s+(\d+\.\d+)·\[A ≤ 0\]/.exec(text);
    const f = /leaky_relu\(z\) = z for z > 0, else (\d+\.\d+)·z/.exec(text);
    expect([prime?.[1], f?.[1]].map(Number)).toEqual([LEAKY_SLOPE, LEAKY_SLOPE]);
  });
});
