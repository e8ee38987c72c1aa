/**
 * Config f (412 GFLOP a step) on a fallback adapter (a software GPU: SwiftShader) is skipped unless
 * --gpu-sized-on-fallback asks for it (bench/measure.ts skipReason). A software adapter is one that says
 * isFallbackAdapter: true or names SwiftShader (test/software-adapter.test.ts has the unflagged SwiftShader cases): a
 * hardware adapter that says false, or says nothing (a browser without the field), runs it, so a hardware GPU's
 * results are never silently missing config f; and the environment line's core count is the machine's
 * (bench/bench.ts hostEnv: one per logical CPU that Node sees).
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostEnv } from '../bench/bench.ts';
import { CONFIG_F } from '../bench/configs.ts';
import { skipReason } from '../bench/measure.ts';

describe('config f and the fallback adapter', () => {
  const adapter = (isFallbackAdapter?: boolean) => ({ runner: 'browser' as const, webgpu: { available: true, ...(isFallbackAdapter === undefined ? {} : { isFallbackAdapter }) } });

  it('a fallback adapter: skipped, saying why and the flag that runs it', () => {
    expect(skipReason('ours-webgpu', CONFIG_F, false, adapter(true))).toMatch(/^config f skipped on a software GPU \(the fallback adapter or SwiftShader; npm run bench -- --configs f --gpu-sized-on-fallback runs it/);
    expect(skipReason('ours-webgpu', CONFIG_F, undefined, adapter(true))).toMatch(/^config f skipped on a software GPU/);
  });

  it('a fallback adapter with --gpu-sized-on-fallback: run', () => {
    expect(skipReason('ours-webgpu', CONFIG_F, true, adapter(true))).toBeNull();
  });

  it('a hardware adapter (false), or one that does not say (no field): run, not skipped as software', () => {
    expect(skipReason('ours-webgpu', CONFIG_F, false, adapter(false))).toBeNull();
    expect(skipReason('ours-webgpu', CONFIG_F, false, adapter(undefined))).toBeNull();
  });
});

describe('hostEnv', () => {
  it("cores: every logical CPU Node sees (os.cpus), not one less", () => {
    expect(hostEnv('node').cpu.cores).toBe(os.cpus().length);
  });
});
