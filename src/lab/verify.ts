/**
 * The lab's Verify (LabSession.verify, ./session.ts): one forward/backward pass of the same weights on the device
 * under test and on a fresh CPU model (the oracle), and the largest |device − CPU| of each quantity (VerifyReport).
 */
import type { Backend, BackendKind } from '../backend.ts';
import { Model } from '../model.ts';
import type { NetworkSpec } from '../spec.ts';
import type { WebGpuBackend } from '../webgpu/backend.ts';

/** What Verify measured: the largest |device − CPU| (WebGPU or wasm: `against`) over each quantity of one forward/backward pass. */
export interface VerifyReport {
  loss: number;
  Z: number;
  A: number;
  delta: number;
  dW: number;
  db: number;
  max: number;
  n: number;
  /** The backend compared with the CPU oracle. */
  against: 'webgpu' | 'wasm';
}

/**
 * What Verify compares with the CPU (LabSession.verify): the session's own device when it is WebGPU or wasm; on the
 * CPU, the page's WebGPU device while it is usable (there and not lost), else wasm.
 */
export function verifyAgainst(kind: BackendKind, gpuUsable: boolean): 'webgpu' | 'wasm' {
  return kind === 'wasm' || (kind === 'cpu' && !gpuUsable) ? 'wasm' : 'webgpu';
}

/** The largest |a − b| over two lists of arrays. */
export function maxAbsDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let m = 0;
  a.forEach((x, l) => {
    for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k] - b[l][k]));
  });
  return m;
}

/**
 * `spec` (its params, no data) as a model on `device` (the backend `against` names; with `gpu`, the page's WebGPU
 * backend, its pass runs in that device's error scopes where `against` is WebGPU) and as a model on the CPU: one
 * forward/backward pass of each on `rows`, compared. Both models are disposed after, the device model also where the
 * CPU model cannot be made.
 */
export async function verifyPass(spec: NetworkSpec, rows: { x: number[][]; y: number[][] }, device: Backend, against: 'webgpu' | 'wasm', gpu: WebGpuBackend | null): Promise<VerifyReport> {
  const deviceModel = await Model.create(spec, { shared: device });
  let cpuModel: Model;
  try {
    cpuModel = await Model.create(spec, { backend: 'cpu' });
  } catch (err) {
    deviceModel.dispose(); // made first: it went undisposed when the CPU model could not be made
    throw err;
  }
  try {
    const pass = () => deviceModel.grad(rows.x, rows.y);
    const g = await (against === 'webgpu' && gpu ? gpu.withErrorScopes('lab verify', pass) : pass());
    const c = await cpuModel.grad(rows.x, rows.y);
    const r = {
      loss: Math.abs(g.loss - c.loss), Z: maxAbsDiff(g.Z, c.Z), A: maxAbsDiff(g.A, c.A), delta: maxAbsDiff(g.delta, c.delta),
      dW: maxAbsDiff(g.dW, c.dW), db: maxAbsDiff(g.db, c.db), n: rows.x.length,
    };
    return { ...r, max: Math.max(r.loss, r.Z, r.A, r.delta, r.dW, r.db), against };
  } finally {
    deviceModel.dispose();
    cpuModel.dispose();
  }
}
