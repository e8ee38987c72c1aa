/**
 * The uniform block update.wgsl reads (`struct Step`) against the one place that writes it (src/webgpu/update.ts
 * STEP_OFFSET, UPDATE_STEP_BYTES, stepBlock), with no GPU: the struct is read from the .wgsl text, each field's
 * byte offset follows WGSL's layout rules for 4-byte scalars (field i at 4·i; the block's size rounded up to 16 for a
 * uniform), and each field is read back from a block stepBlock wrote with the WGSL type the shader uses; gather.wgsl's
 * `Dims` against the size src/webgpu/train.ts binds (GATHER_DIMS_BYTES).
 * And the file:line:col of WGSL compile errors (src/webgpu/kernels.ts compileChecked), with a fake device whose modules
 * report messages at chosen lines: the subgroup matmul module is three parts joined into one, and each message is
 * named at the file and line of the part it falls in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShaderCompileError } from '../src/errors.ts';
import { compileChecked, compileModules } from '../src/webgpu/kernels.ts';
import { GATHER_DIMS_BYTES } from '../src/webgpu/train.ts';
import { STEP_OFFSET, UPDATE_STEP_BYTES, type StepFields, stepBlock } from '../src/webgpu/update.ts';

/** The fields of `struct NAME { … }` in a .wgsl file: [name, type] in order. */
const shader = (file: string): string => readFileSync(join(import.meta.dirname, '..', 'shaders', file), 'utf8');

function wgslStruct(file: string, name: string): [string, string][] {
  const text = shader(file);
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

describe("gather.wgsl's Dims block", () => {
  it('GATHER_DIMS_BYTES, the size train.ts binds, is its uniform size', () => {
    const fields = wgslStruct('gather.wgsl', 'Dims');
    expect(fields.every(([, type]) => type === 'u32')).toBe(true);
    expect(GATHER_DIMS_BYTES).toBe(Math.ceil((4 * fields.length) / 16) * 16);
  });
});

describe('WGSL compile errors name file:line:col', () => {
  type Message = { type: 'error' | 'warning'; lineNum: number; linePos: number; message: string };
  /**
   * A device with the `subgroups` feature whose modules report, for the module labelled `failing`, an error at each
   * line of that module's text where `at(code)` finds one ([line, col], 1-based, of the joined text); the modules'
   * labels and texts are kept in `made`.
   */
  function fakeDevice(failing: string, at: (code: string) => [number, number][]) {
    const made: { label: string; code: string }[] = [];
    const device = {
      features: new Set(['subgroups']),
      createShaderModule({ label, code }: { label: string; code: string }) {
        made.push({ label, code });
        const messages: Message[] = label === failing ? at(code).map(([lineNum, linePos]) => ({ type: 'error', lineNum, linePos, message: 'boom' })) : [];
        return { label, getCompilationInfo: async () => ({ messages }) };
      },
    };
    return { device: device as unknown as GPUDevice, made };
  }
  /** The 1-based line of `text` where `needle` starts a line. */
  const lineOf = (text: string, needle: string): number => {
    const k = text.split('\n').findIndex((l) => l.startsWith(needle));
    if (k < 0) throw new Error(`no line starting ${needle}`);
    return k + 1;
  };
  const messagesOf = async (p: Promise<unknown>): Promise<string[]> => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    return (err as Error).message.split('\n').slice(1);
  };

  it("the subgroup matmul module's errors at matmul_subgroups.wgsl's, matmul.wgsl's and the enable line's own lines", async () => {
    const subgroups = shader('matmul_subgroups.wgsl');
    const matmul = shader('matmul.wgsl');
    const label = 'shaders/matmul.wgsl + shaders/matmul_subgroups.wgsl';
    const { device, made } = fakeDevice(label, (code) => [
      [lineOf(code, 'fn main_blocked_subgroup('), 5], [lineOf(code, 'fn main_blocked('), 4], [1, 8],
    ]);
    const lines = await messagesOf(compileModules(device));
    const joined = made.find((m) => m.label === label)!.code;
    // The module's own line of main_blocked_subgroup is far past the file's (the enable line and matmul.wgsl before it).
    expect(lineOf(joined, 'fn main_blocked_subgroup(')).toBeGreaterThan(lineOf(subgroups, 'fn main_blocked_subgroup(') + 100);
    expect(lines).toEqual([
      `shaders/matmul_subgroups.wgsl:${lineOf(subgroups, 'fn main_blocked_subgroup(')}:5 boom`,
      `shaders/matmul.wgsl:${lineOf(matmul, 'fn main_blocked(')}:4 boom`,
      '(enable prelude):1:8 boom',
    ]);
  });

  it("main_lanes' module (enable line, train_small, train_tiny, train_lanes) and main_tiny's: each error at its own file's line", async () => {
    const [small, tiny, lanes] = ['train_small.wgsl', 'train_tiny.wgsl', 'train_lanes.wgsl'].map(shader);
    const label = 'shaders/train_small.wgsl + shaders/train_tiny.wgsl + shaders/train_lanes.wgsl';
    const { device, made } = fakeDevice(label, (code) => [[lineOf(code, 'fn main_lanes('), 2], [lineOf(code, 'fn main_tiny('), 3], [lineOf(code, 'fn main_group('), 4]]);
    expect(await messagesOf(compileModules(device))).toEqual([
      `shaders/train_lanes.wgsl:${lineOf(lanes, 'fn main_lanes(')}:2 boom`,
      `shaders/train_tiny.wgsl:${lineOf(tiny, 'fn main_tiny(')}:3 boom`,
      `shaders/train_small.wgsl:${lineOf(small, 'fn main_group(')}:4 boom`,
    ]);
    expect(made.map((m) => m.label)).toContain('shaders/train_small.wgsl + shaders/train_tiny.wgsl');
    const tinyOnly = fakeDevice('shaders/train_small.wgsl + shaders/train_tiny.wgsl', (code) => [[lineOf(code, 'fn main_tiny('), 1]]);
    expect(await messagesOf(compileModules(tinyOnly.device))).toEqual([`shaders/train_tiny.wgsl:${lineOf(tiny, 'fn main_tiny(')}:1 boom`]);
  });

  it("a one-file module's errors at its own lines; a message with no position at the module's label", async () => {
    const broken = 'fn f() -> f32 {\n  return 1u;\n}';
    const { device } = fakeDevice('broken.wgsl', () => [[2, 3], [0, 0]]);
    const lines = await messagesOf(compileChecked(device, [{ label: 'ok.wgsl', code: '' }, { label: 'broken.wgsl', code: broken }]));
    expect(lines).toEqual(['broken.wgsl:2:3 boom', 'broken.wgsl:0:0 boom']);
  });
});
