/**
 * The bench page's set-up steps that wait on the GPU, each within GPU_PROBE_MS (bench/page/limits.ts), with stand-ins
 * for the browser's answer that never comes: TF.js's own engine (tfjs-core, its cpu backend, a 'webgpu' backend whose
 * factory answers when the test says), a jax.init stand-in. Measured first: headless Chromium 156 with
 * navigator.gpu.requestAdapter replaced by a promise that never settles held dist/bench.html at "setting up TF.js,
 * jax-js and WebGPU…" for good (ours-webgpu's probe, then jax-js's init and TF.js's setBackend('webgpu') each waited).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GPU_PROBE_MS } from '../src/browser/within.ts';
import { GaveUp, jaxDevicesWithin, NoAnswerError, setBackendWithin } from '../bench/page/limits.ts';
import { envBlock, untickedUnavailable } from '../bench/page/table.ts';
import { envLine, type RunEnv } from '../bench/labels.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A promise and the hand that settles it (a browser's answer, when the test says). */
function later<T>(): { promise: Promise<T>; answer: (v: T) => void } {
  let answer: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => { answer = r; });
  return { promise, answer };
}

describe("TF.js's GPU backends within GPU_PROBE_MS (setBackendWithin, on TF.js's own engine)", () => {
  it("a webgpu backend that never answers gives way at the limit; its late answer is neither registered nor made current", async () => {
    vi.useFakeTimers();
    class LateGpu extends tf.KernelBackend {}
    const late = later<tf.KernelBackend>();
    tf.registerBackend('webgpu', () => late.promise, 1);
    let settled = false;
    const outcome = setBackendWithin(tf, 'webgpu').then(() => 'answered', (err: unknown) => err).finally(() => { settled = true; });
    await vi.advanceTimersByTimeAsync(GPU_PROBE_MS - 1);
    expect(settled).toBe(false); // a slow backend is waited for until the time is up
    await vi.advanceTimersByTimeAsync(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as Error).message).toBe(`TF.js's webgpu backend did not answer within ${GPU_PROBE_MS / 1000} s (the browser's GPU process may hang)`);
    // The page goes on (env(): webgl next; a later row on cpu), then the late answer comes.
    expect(await tf.setBackend('cpu')).toBe(true);
    const lateBackend = new LateGpu();
    late.answer(lateBackend);
    await vi.runAllTimersAsync();
    // NOTE: without tf.removeBackend at the limit, TF.js's engine took the late backend as its current one while
    // its name stayed 'cpu' (a cpu factory bumps no pending id): every later cpu kernel would have run on it.
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.backend()).not.toBe(lateBackend);
    expect(tf.engine().registry.webgpu).toBeUndefined();
    expect(tf.engine().registryFactory.webgpu).toBeUndefined();
    expect(tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]).toBe(3);
  });

  it('a backend that answers in time is taken at once (a race, not a sleep), and cpu and wasm are not raced', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const stand = {
      setBackend: (name: string) => { calls.push(name); return Promise.resolve(true); },
      removeBackend: (name: string) => { calls.push(`remove ${name}`); },
    };
    // No timer advanced: an answer in time needs none.
    await expect(setBackendWithin(stand, 'webgl')).resolves.toBe(true);
    await expect(setBackendWithin({ ...stand, setBackend: () => Promise.resolve(false) }, 'webgpu')).resolves.toBe(false);
    await expect(setBackendWithin(stand, 'cpu')).resolves.toBe(true);
    expect(vi.getTimerCount()).toBe(0); // nothing left waiting
    const refused = new Error('no adapter');
    await expect(setBackendWithin({ ...stand, setBackend: () => Promise.reject(refused) }, 'webgpu')).rejects.toBe(refused);
    expect(calls).toEqual(['webgl', 'cpu']); // a failure in time removes nothing
    // cpu and wasm are not raced: a slow one is waited for (no GPU behind it).
    let cpuSettled = false;
    void setBackendWithin({ ...stand, setBackend: () => later<boolean>().promise }, 'wasm').finally(() => { cpuSettled = true; });
    await vi.advanceTimersByTimeAsync(2 * GPU_PROBE_MS);
    expect(cpuSettled).toBe(false);
  });
});

describe("jax-js's devices within GPU_PROBE_MS (jaxDevicesWithin)", () => {
  /** jax.init as jax-js 0.1.25 has it: its started devices after those asked for; webgpu's answer when the test says. */
  function standIn(): { init: (...d: ('wasm' | 'webgpu')[]) => Promise<string[]>; asked: string[]; gpu: ReturnType<typeof later<void>> } {
    const started = new Set(['cpu', 'wasm']);
    const asked: string[] = [];
    const gpu = later<void>();
    const init = async (...d: ('wasm' | 'webgpu')[]): Promise<string[]> => {
      asked.push(...d);
      if (d.includes('webgpu')) {
        await gpu.promise;
        started.add('webgpu');
      }
      return [...started];
    };
    return { init, asked, gpu };
  }

  it('a webgpu device that never answers leaves jax-js its wasm device at the limit, with why', async () => {
    vi.useFakeTimers();
    const jax = standIn();
    let settled = false;
    const outcome = jaxDevicesWithin(jax.init).finally(() => { settled = true; });
    await vi.advanceTimersByTimeAsync(GPU_PROBE_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const got = await outcome;
    expect(got.devices).toEqual(['cpu', 'wasm']);
    expect(got.webgpuError).toBe(`jax-js's webgpu device did not answer within ${GPU_PROBE_MS / 1000} s (the browser's GPU process may hang)`);
    expect(got.noAnswer).toBeInstanceOf(NoAnswerError);
  });

  it('in time: webgpu too, at once; after WebGPU itself did not answer: not tried', async () => {
    vi.useFakeTimers();
    const jax = standIn();
    jax.gpu.answer();
    await expect(jaxDevicesWithin(jax.init)).resolves.toEqual({ devices: ['cpu', 'wasm', 'webgpu'] });
    const skipped = standIn();
    const webgpu = new NoAnswerError('WebGPU', GPU_PROBE_MS);
    const got = await jaxDevicesWithin(skipped.init, webgpu);
    expect(skipped.asked).toEqual(['wasm']);
    expect(got).toEqual({ devices: ['cpu', 'wasm'], webgpuError: `not tried: ${webgpu.message}`, noAnswer: webgpu });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('what the page says and refuses once WebGPU did not answer', () => {
  const reason = new NoAnswerError('WebGPU', GPU_PROBE_MS).message;
  const env = {
    runner: 'browser', browser: 'Chrome/156.0.0.0', crossOriginIsolated: true, cpu: { model: 'test CPU', cores: 2 },
    webgpu: { available: false, reason },
    tfjs: { version: '4.22.0', backends: { cpu: 'ok', wasm: 'ok', webgpu: `failed: not tried: ${reason}`, webgl: 'ok' } },
    jax: { version: '0.1.25', devices: ['cpu', 'wasm'], wasmWorkers: 1, webgpuError: `not tried: ${reason}` },
  } as unknown as RunEnv;

  it('the environment line names the reason and the systems that cannot run; the form unticks them', () => {
    expect(envBlock(env)).toContain(`no WebGPU (WebGPU did not answer within 15 s (the browser's GPU process may hang)): ours-webgpu, tfjs-webgpu, jax-webgpu cannot run in this browser`);
    expect(envLine(env)).toContain(`jax-js 0.1.25 (wasm workers: 1; no webgpu device: not tried: ${reason})`);
    expect(untickedUnavailable(undefined, false)).toEqual(['ours-webgpu', 'tfjs-webgpu', 'jax-webgpu']);
  });

  it("with WebGPU answering, a TF.js GPU backend that did not is named with why, and jax-js's webgpu device likewise", () => {
    const tfWhy = new NoAnswerError("TF.js's webgpu backend", GPU_PROBE_MS).message;
    const jaxWhy = new NoAnswerError("jax-js's webgpu device", GPU_PROBE_MS).message;
    const answered = {
      ...env, webgpu: { available: true, vendor: 'google', architecture: 'swiftshader' },
      tfjs: { version: '4.22.0', backends: { cpu: 'ok', wasm: 'ok', webgpu: `failed: ${tfWhy}`, webgl: 'ok' }, noAnswer: { webgpu: tfWhy } },
      jax: { version: '0.1.25', devices: ['cpu', 'wasm'], wasmWorkers: 1, webgpuError: jaxWhy },
    } as unknown as RunEnv;
    const block = envBlock(answered);
    expect(block).toContain(`TF.js's webgpu backend did not answer within 15 s (the browser's GPU process may hang): tfjs-webgpu cannot run (the other systems run)`);
    expect(block).toContain(`jax-js 0.1.25 (wasm workers: 1; no webgpu device: ${jaxWhy})`);
    expect(block).not.toContain('no WebGPU');
  });

  it("a row of a system given up on fails at once with the set-up's reason; the others are not refused", () => {
    const gaveUp = new GaveUp();
    const err = new NoAnswerError('WebGPU', GPU_PROBE_MS);
    gaveUp.add(['ours-webgpu', 'tfjs-webgpu', 'jax-webgpu'], err);
    gaveUp.add(['jax-webgpu'], new NoAnswerError("jax-js's webgpu device", GPU_PROBE_MS)); // the first reason stays
    for (const s of ['ours-webgpu', 'tfjs-webgpu', 'jax-webgpu'] as const) expect(() => gaveUp.refuse(s)).toThrow(err);
    for (const s of ['ours-cpu', 'ours-wasm', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu', 'jax-wasm'] as const) expect(() => gaveUp.refuse(s)).not.toThrow();
  });
});
