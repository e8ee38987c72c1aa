/**
 * The WGSL activations take their activation as a number (ACT_CODE, src/webgpu/kernels.ts: the `ACT` override of
 * matmul.wgsl and output.wgsl, a layer's `act` in train_small.wgsl, which train_tiny.wgsl and train_lanes.wgsl share)
 * and end in `return z;` / `return 1.0;` — identity — for a code they have no branch for. So an activation given a
 * code in ACT_CODE (the compiler asks for one) but no branch in a shader ran as identity on WebGPU, silently; no Node
 * test ran the shaders. Here every activate / activate_prime of shaders/ has a branch for every code but identity's
 * (the fallthrough) and softmax's (applied per column by the output kernel), read from the WGSL source.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACT_CODE } from '../src/webgpu/kernels.ts';

const FILES = ['matmul.wgsl', 'output.wgsl', 'train_small.wgsl'];
const source = (file: string) => readFileSync(new URL(`../shaders/${file}`, import.meta.url), 'utf8');

/** Each `fn activate…(…) -> f32 { … }` of a file: its name and the codes its `ACT == Nu` / `act == Nu` branches test. */
function activationFns(wgsl: string): { name: string; codes: number[] }[] {
  return [...wgsl.matchAll(/^fn (activate(?:_prime)?)\([^)]*\) -> f32 \{\n([\s\S]*?)^\}/gm)].map((m) => ({
    name: m[1],
    codes: [...m[2].matchAll(/\b(?:ACT|act) == (\d+)u/g)].map((c) => Number(c[1])),
  }));
}

describe('every ACT_CODE has a branch in every WGSL activation (else WebGPU computes identity)', () => {
  it('the codes are distinct, identity is 0 (the shaders\' fallthrough) and softmax is 4 (their per-column test)', () => {
    const codes = Object.values(ACT_CODE);
    expect(new Set(codes).size).toBe(codes.length);
    expect(ACT_CODE.identity).toBe(0);
    expect(ACT_CODE.softmax).toBe(4);
  });

  it('finds the five functions it reads (matmul: activate, activate_prime; output: activate_prime; train_small: both)', () => {
    expect(FILES.flatMap((f) => activationFns(source(f)).map((fn) => `${f} ${fn.name}`))).toEqual([
      'matmul.wgsl activate', 'matmul.wgsl activate_prime', 'output.wgsl activate_prime', 'train_small.wgsl activate', 'train_small.wgsl activate_prime',
    ]);
  });

  const elementwise = Object.entries(ACT_CODE).filter(([name]) => name !== 'identity' && name !== 'softmax');
  describe.each(FILES)('%s', (file) => {
    it.each(elementwise)('%s (code %d) has a branch in each activation function', (name, code) => {
      for (const fn of activationFns(source(file))) expect(fn.codes, `${file} ${fn.name} has no branch for ${name} (ACT == ${code}u)`).toContain(code);
    });
  });
});
