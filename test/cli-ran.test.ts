/**
 * What ran, as grad's and check's text and --json say it with --backend wasm (src/cli/ran.ts): the backend's
 * threads and netThreads, the threads the net runs on (src/wasm/limits.ts), as train says them (test/cli-train.test.ts).
 * In-process, with `navigator.hardwareConcurrency` stubbed to 2: Node 20 has no navigator, so there a wasm backend
 * made without `threads` (grad and check take no --threads) has 1 thread, and no net can run on fewer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../src/cli/check.ts';
import { runGrad } from '../src/cli/grad.ts';
import { readJsonFile } from '../src/cli/io.ts';

const LECTURE = 'src/lectures/lecture-2-2-1.worked.json';
const NOBIAS = 'src/lectures/lecture-2-2-1-nobias.worked.json';
const NOTE = 'a step of it is under 2¹⁸ multiply-adds, too little to split';

afterEach(() => vi.unstubAllGlobals());

/** The command's output (what it writes) and its exit status. */
async function capture(run: (write: (s: string) => void) => Promise<number>): Promise<{ status: number; text: string }> {
  const lines: string[] = [];
  const status = await run((s) => lines.push(s));
  return { status, text: lines.join('\n') };
}

/** A 512-512 net on one example: 512·512·1 = 2¹⁸ multiply-adds a step, not under 2¹⁸, so it runs on every thread. */
const wide = {
  inputs: 512, layers: [{ units: 512, activation: 'tanh' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
  x: [Array.from({ length: 512 }, (_, k) => Math.sin(k))], y: [Array.from({ length: 512 }, (_, k) => (k % 3) / 2)],
};

describe('grad and check --backend wasm say the threads the net runs on, as train does', () => {
  it('grad: the text\'s backend line and --json', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    const spec = (readJsonFile(LECTURE) as { spec: unknown }).spec;
    // The lecture's 2-2-1 net on its one example: 2·2·1 + 1·2·1 = 6 multiply-adds a step, under 2¹⁸: 1 of the 2 threads.
    const text = await capture((w) => runGrad(spec, 'wasm', false, w));
    expect(text.text.split('\n')[0]).toMatch(new RegExp(`^backend: wasm — WebAssembly: .*, 2 threads on shared memory; this net runs on 1 at its batch of 1: ${NOTE}$`));
    const json = await capture((w) => runGrad(spec, 'wasm', true, w));
    expect(JSON.parse(json.text)).toMatchObject({ backend: 'wasm', threads: 2, netThreads: 1 });
    // The CPU's has neither.
    const cpu = JSON.parse((await capture((w) => runGrad(spec, 'cpu', true, w))).text) as Record<string, unknown>;
    expect([cpu.threads, cpu.netThreads]).toEqual([undefined, undefined]);
  }, 60_000);

  it('grad: a net at 2¹⁸ multiply-adds a step runs on both threads, and the line says nothing more', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    const text = await capture((w) => runGrad(wide, 'wasm', false, w));
    expect(text.text.split('\n')[0]).toMatch(/^backend: wasm — WebAssembly: .*, 2 threads on shared memory$/);
    expect(JSON.parse((await capture((w) => runGrad(wide, 'wasm', true, w))).text)).toMatchObject({ threads: 2, netThreads: 2 });
  }, 60_000);

  it('check: the text says wasm\'s threads in its first line, and --json netThreads', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    const opts = { backend: 'wasm', knownOk: true, errataMd: false } as const;
    const one = await capture((w) => runCheck([LECTURE], opts, w));
    expect(one.status).toBe(0);
    expect(one.text.split('\n')[0]).toMatch(new RegExp(`^backend: wasm — WebAssembly: .*, 2 threads on shared memory; this net runs on 1 at its batch of 1: ${NOTE}$`));
    const two = await capture((w) => runCheck([LECTURE, NOBIAS], opts, w));
    expect(two.text.split('\n')[0]).toMatch(new RegExp(`, 2 threads on shared memory; each net runs on 1 at its batch: ${NOTE}$`));
    const json = await capture((w) => runCheck([LECTURE], { ...opts, json: true }, w));
    expect(JSON.parse(json.text)).toMatchObject({ backend: 'wasm', threads: 2, netThreads: 1 });
  }, 60_000);

  it('check on 1 thread (Node 20\'s default) names it, and the CPU\'s report has no such line', async () => {
    vi.stubGlobal('navigator', undefined);
    const one = await capture((w) => runCheck([LECTURE], { backend: 'wasm', knownOk: true, errataMd: false }, w));
    expect(one.text.split('\n')[0]).toMatch(/^backend: wasm — WebAssembly: .*, 1 thread$/);
    expect(JSON.parse((await capture((w) => runCheck([LECTURE], { backend: 'wasm', knownOk: true, errataMd: false, json: true }, w))).text)).toMatchObject({ threads: 1, netThreads: 1 });
    const cpu = await capture((w) => runCheck([LECTURE], { backend: 'cpu', knownOk: true, errataMd: false }, w));
    expect(cpu.text).not.toContain('backend:');
  }, 60_000);
});
