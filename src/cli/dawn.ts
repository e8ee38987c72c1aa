/**
 * The CLI's WebGPU in Node: Dawn (npm package webgpu), with the system's Vulkan drivers (a real GPU) first; when they
 * give no adapter and a SwiftShader driver exists (src/node/dawn.ts), the command runs again in a child process with
 * the Vulkan loader pointed at it (those variables only take effect in a fresh process). Where Dawn is not installed
 * or finds no adapter either way, the caller falls back to headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import { WebGPUUnavailableError } from '../errors.ts';
import { findAnySwiftShaderIcd, swiftShaderEnv } from '../node/dawn.ts';

/** Marks the child run with SwiftShader's environment (so it is never run a third time). */
export const DAWN_RERUN_ENV = 'BACKPROP_DAWN_RERUN';

/** Thrown when the command already ran in a child process: main exits with its status. */
export class RanInChild extends Error {
  constructor(readonly status: number) {
    super(`the command ran in a child process (exit status ${status})`);
    this.name = 'RanInChild';
  }
}

/**
 * Run `work` on Dawn. Returns its result, or the reason Dawn is unavailable (for the fallback's notice); throws
 * RanInChild after running the whole command again with SwiftShader, or whatever `work` throws otherwise.
 */
export async function onDawn<T>(work: () => Promise<T>): Promise<{ ok: T } | { unavailable: string }> {
  try {
    return { ok: await work() };
  } catch (err) {
    if (!(err instanceof WebGPUUnavailableError)) throw err;
    if (process.env[DAWN_RERUN_ENV] || !/no adapter/.test(err.message)) return { unavailable: err.message };
    const icd = await findAnySwiftShaderIcd();
    if (!icd) return { unavailable: `${err.message}; and no SwiftShader driver found (Debian: apt-get install chromium)` };
    process.stderr.write(`backprop: Dawn found no GPU adapter; running again on SwiftShader, a CPU emulation of a GPU (${icd}).\n`);
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, ...swiftShaderEnv(icd), [DAWN_RERUN_ENV]: '1' },
    });
    if (r.error) throw r.error;
    throw new RanInChild(r.status ?? 1);
  }
}
