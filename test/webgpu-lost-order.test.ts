/**
 * WebGpuBackend.failure, the error a failed map or queue wait is thrown as (src/webgpu/readback.ts, train.ts), when
 * the map rejects before `device.lost` resolves: Chromium's order on GPUDevice.destroy() during a pending mapAsync
 * (the map's AbortError first, `lost` 0–70 ms later: the NOTE on LOST_GRACE_MS in src/webgpu/backend.ts). No GPU here:
 * a backend with a stand-in device whose `lost` the test resolves (or never does).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeviceLostError, DisposedError } from '../src/errors.ts';
import { WebGpuBackend } from '../src/webgpu/backend.ts';

/**
 * A backend on a stand-in device (no constructor: it needs kernels); `lose` resolves its `lost`, which the backend's
 * own handler (deviceLost, as the constructor wires it) takes.
 */
function standIn(): { gpu: WebGpuBackend; lose: (info: { reason: string; message: string }) => void; state: { disposed: boolean } } {
  let lose!: (info: { reason: string; message: string }) => void;
  const lost = new Promise<GPUDeviceLostInfo>((resolve) => { lose = (info) => resolve(info as GPUDeviceLostInfo); });
  const state = { disposed: false, device: { lost } as unknown as GPUDevice };
  const gpu = Object.create(WebGpuBackend.prototype) as WebGpuBackend;
  Object.defineProperties(gpu, {
    disposed: { get: () => state.disposed },
    lostInfo: { value: null, writable: true },
    lossWaits: { value: new Set() },
    device: { value: state.device },
  });
  void lost.then((info) => (gpu as unknown as { deviceLost(info: GPUDeviceLostInfo): void }).deviceLost(info));
  return { gpu, lose, state };
}

/** What `p` has settled to by now ('pending' if nothing yet), flushing microtasks first. */
async function now(p: Promise<unknown>): Promise<unknown> {
  const pending = Symbol('pending');
  const r = await Promise.race([p, new Promise((resolve) => setTimeout(() => resolve(pending), 0))]);
  return r === pending ? 'pending' : r;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WebGpuBackend.failure: a map rejected before device.lost resolved', () => {
  it('is a DeviceLostError (reason and message from device.lost) when lost resolves 70 ms after the rejection', async () => {
    const { gpu, lose } = standIn();
    const abort = new DOMException('Buffer was unmapped before mapping was resolved.', 'AbortError');
    setTimeout(() => lose({ reason: 'destroyed', message: 'Device was destroyed.' }), 70);
    const err = await gpu.failure('this WebGPU net', abort);
    expect(err).toBeInstanceOf(DeviceLostError);
    expect((err as DeviceLostError).reason).toBe('destroyed');
    expect((err as Error).message).toContain('Device was destroyed.');
  });

  it('is thrown as it came when the device is not lost: after waiting past the gaps measured, and within 5 s', async () => {
    vi.useFakeTimers();
    const { gpu } = standIn();
    const bug = new DOMException('mapAsync on a destroyed buffer', 'OperationError');
    const end = gpu.failure('this WebGPU trainer', bug);
    await vi.advanceTimersByTimeAsync(100);
    const early = await Promise.race([end, Promise.resolve('pending')]);
    await vi.advanceTimersByTimeAsync(4_900);
    const late = await Promise.race([end, Promise.resolve('pending')]);
    expect({ early, late }).toEqual({ early: 'pending', late: bug });
  });

  it('is a DisposedError when the backend is disposed while it waits (dispose destroys the device: lost "destroyed")', async () => {
    const { gpu, lose, state } = standIn();
    const end = gpu.failure('this WebGPU net', new DOMException('aborted', 'AbortError'));
    expect(await now(end)).toBe('pending');
    state.disposed = true;
    lose({ reason: 'destroyed', message: 'device was destroyed' });
    expect(await end).toEqual(new DisposedError('this WebGPU net'));
  });

  it('is a DisposedError at once on a disposed backend, whatever the error', async () => {
    const { gpu, state } = standIn();
    state.disposed = true;
    expect(await now(gpu.failure('this WebGPU net', new DOMException('aborted', 'AbortError')))).toBeInstanceOf(DisposedError);
  });
});
