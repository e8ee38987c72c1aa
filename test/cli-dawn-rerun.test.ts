/**
 * Dawn's rerun on SwiftShader (src/cli/dawn.ts onDawn): where Dawn finds no adapter and a SwiftShader driver exists,
 * the command runs again in a child process and onDawn throws RanInChild with the child's exit status (a signal's as
 * the shell gives it, 128 + its number), its message saying so. Review surv55 (hmut54's leftovers): RanInChild's message was
 * asserted nowhere. Stand-ins only: the driver's path (vi.mock of src/node/dawn.ts) and the child (vi.mock of
 * node:child_process: spawn answers a stand-in that closes as told); nothing is run, no GPU.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebGPUUnavailableError } from '../src/errors.ts';

const ICD = '/stand-in/chromium/vk_swiftshader_icd.json';
/** How the stand-in child closes: its exit status and signal, as 'close' gives them. */
const child = { status: 0 as number | null, signal: null as NodeJS.Signals | null, spawned: [] as { env: NodeJS.ProcessEnv }[] };
vi.mock('node:child_process', async (original) => ({
  ...await original<typeof import('node:child_process')>(),
  spawn: (_cmd: string, _args: string[], opts: { env: NodeJS.ProcessEnv }) => {
    child.spawned.push({ env: opts.env });
    const c = Object.assign(new EventEmitter(), { kill: () => true });
    setImmediate(() => c.emit('close', child.status, child.signal));
    return c;
  },
}));
vi.mock('../src/node/dawn.ts', async (original) => ({
  ...await original<typeof import('../src/node/dawn.ts')>(),
  findAnySwiftShaderIcd: async () => ICD,
}));

const { onDawn, RanInChild } = await import('../src/cli/dawn.ts');

const stderr: string[] = [];
beforeEach(() => {
  stderr.length = 0;
  child.spawned.length = 0;
  vi.stubEnv('BACKPROP_DAWN_RERUN', undefined);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** onDawn on work that finds no adapter: what it threw. */
async function rerun(): Promise<unknown> {
  try {
    await onDawn(async () => { throw new WebGPUUnavailableError('no GPU adapter', 'no-adapter'); });
  } catch (err) {
    return err;
  }
  throw new Error('onDawn did not throw');
}

describe('RanInChild: the command ran again in a child process, and exits as it did', () => {
  it('the child exits 3: RanInChild, status 3, "the command ran in a child process (exit status 3)"', async () => {
    child.status = 3;
    const err = await rerun();
    expect(err).toBeInstanceOf(RanInChild);
    const e = err as InstanceType<typeof RanInChild>;
    expect([e.name, e.status, e.message]).toEqual(['RanInChild', 3, 'the command ran in a child process (exit status 3)']);
    // The rerun was said, naming the driver, and the child was pointed at it (and told it is the rerun).
    expect(stderr).toEqual([`backprop: Dawn found no GPU adapter (a Vulkan warning just above is Dawn's own, not a failure); running again on SwiftShader, a CPU emulation of a GPU (${ICD}).\n`]);
    expect(child.spawned.map((s) => [s.env.VK_ICD_FILENAMES, s.env.BACKPROP_DAWN_RERUN])).toEqual([[ICD, '1']]);
  });

  it('the child ended by SIGTERM: status 143 (128 + 15), said in the message and on stderr', async () => {
    [child.status, child.signal] = [null, 'SIGTERM'];
    const e = (await rerun()) as InstanceType<typeof RanInChild>;
    expect([e.status, e.message]).toEqual([143, 'the command ran in a child process (exit status 143)']);
    expect(stderr.at(-1)).toBe('backprop: the run on SwiftShader ended by signal SIGTERM.\n');
  });
});
