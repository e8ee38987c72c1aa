/**
 * The uniform block update.wgsl reads (`struct Step`) against the one place that writes it (src/webgpu/update.ts
 * STEP_OFFSET, UPDATE_STEP_BYTES, stepBlock), with no GPU: the struct is read from the .wgsl text, each field's
 * byte offset follows WGSL's layout rules for 4-byte scalars (field i at 4·i; the block's size rounded up to 16 for a
 * uniform), and each field is read back from a block stepBlock wrote with the WGSL type the shader uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STEP_OFFSET, UPDATE_STEP_BYTES, type StepFields, stepBlock } from '../src/webgpu/update.ts';

/** The fields of `struct NAME { … }` in a .wgsl file: [name, type] in order. */
function wgslStruct(file: string, name: string): [string, string][] {
  const text = readFileSync(join(import.meta.dirname, '..', 'shaders', file), 'utf8');
  const body = new RegExp(`struct ${name} \\{([^}]*)\\}`).exec(text);
  if (!body) throw new Error(`no struct ${name} in ${file}`);
  return body[1].split(',').map((f) => f.trim()).filter((f) => f !== '').map((f) => {
    const [field, type] = f.split(':').map((s) => s.trim());
    return [field, type];
  });
}

const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe("update.wgsl's Step block", () => {
  const fields = wgslStruct('update.wgsl', 'Step');

  it('STEP_OFFSET names every field of the struct, at its WGSL offset; UPDATE_STEP_BYTES is its uniform size', () => {
    expect(fields.every(([, type]) => type === 'u32' || type === 'f32')).toBe(true);
    const fromWgsl = Object.fromEntries(fields.map(([field], i) => [camel(field), 4 * i]));
    expect(STEP_OFFSET).toEqual(fromWgsl);
    expect(UPDATE_STEP_BYTES).toBe(Math.ceil((4 * fields.length) / 16) * 16);
  });

  it('stepBlock writes each field with the type the shader reads (u32 or f32)', () => {
    const written: Record<string, number | boolean> = {};
    fields.forEach(([field, type], i) => {
      const key = camel(field);
      // booleans for the u32 flags, the count as an integer, a distinct float for every f32 field
      written[key] = type === 'f32' ? 0.5 + i : key === 'count' ? 1000 + i : i % 2 === 0;
    });
    const v = new DataView(new ArrayBuffer(UPDATE_STEP_BYTES));
    stepBlock(v, written as StepFields);
    fields.forEach(([field, type], i) => {
      const want = written[camel(field)];
      const got = type === 'f32' ? v.getFloat32(4 * i, true) : v.getUint32(4 * i, true);
      expect(got, field).toBe(typeof want === 'boolean' ? (want ? 1 : 0) : want);
    });
  });
});
