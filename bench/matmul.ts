/**
 * Config f's bare GEMM row (issue 14): C = A·B, A R × K and B K × C (row-major, U(0, 1) from mulberry32), one
 * matmul per step, on the GPU systems:
 *
 *   ours-webgpu   one dispatch of the engine's GEMM (src/webgpu/matmul.ts planMatmul: matmul.wgsl, or
 *                 matmul_subgroups.wgsl on adapters with subgroups), grad_w's epilogue at scale 1: `bareMatmul` below
 *   tfjs-webgl, tfjs-webgpu   tf.matMul(a, b)
 *   jax-webgpu    np.matmul(a, b)
 *
 * A call of k steps ends by reading C[0][0] back (4 bytes: the products are waited for, not copied), which `train`
 * returns as its "loss", so the run's agreement rule compares the systems (configs.ts says why its tolerance).
 * `check` reads C back once (untimed) and compares sampled entries with float64 dots written here:
 *   |C_rc − Σ_k A_rk·B_kc| ≤ γ_K · Σ_k |A_rk·B_kc|,  γ_K = K·u / (1 − K·u), u = 2⁻²⁴
 * the worst-case bound of float32 summation in any order (Higham, Accuracy and Stability, §3.1); a float16
 * product, a wrong transpose or a dropped tile breaks it by orders of magnitude.
 */
import type * as JAX from '@jax-js/jax';
import type * as TF from '@tensorflow/tfjs';
import { mulberry32 } from '../src/init.ts';
import type { WebGpuBackend } from '../src/webgpu/backend.ts';
import { matmulPipeline, planMatmul } from '../src/webgpu/matmul.ts';
import type { MatmulShape } from './configs.ts';
import { loadJax } from './jax.ts';
import { type Trainer, useTfBackend } from './systems.ts';

export const U = 2 ** -24;

/** The operands of a shape: A (R × K) and B (K × C), U(0, 1), seed 99 and 100. */
export function operands(s: MatmulShape): { A: Float32Array; B: Float32Array } {
  const fill = (n: number, seed: number): Float32Array => {
    const rand = mulberry32(seed);
    return Float32Array.from({ length: n }, () => rand());
  };
  return { A: fill(s.R * s.K, 99), B: fill(s.K * s.C, 100) };
}

/** Sampled output entries: the four corners, then seeded ones (at most `count`). */
function sampleEntries(s: MatmulShape, count = 256): [number, number][] {
  const rand = mulberry32(7);
  const out: [number, number][] = [[0, 0], [0, s.C - 1], [s.R - 1, 0], [s.R - 1, s.C - 1]];
  while (out.length < Math.min(count, s.R * s.C)) out.push([Math.floor(rand() * s.R), Math.floor(rand() * s.C)]);
  return out;
}

export interface MatmulCheck {
  entries: number;
  /** max over the sampled entries of |error| / (γ_K · Σ|terms|): ≤ 1 passes. */
  worst: number;
  at: [number, number];
  ok: boolean;
}

/** Check C (R × C row-major) against float64 dots on the sampled entries (exported for test/bench-rules.test.ts). */
export function checkProduct(s: MatmulShape, A: Float32Array, B: Float32Array, C: ArrayLike<number>): MatmulCheck {
  const gamma = (s.K * U) / (1 - s.K * U);
  let worst = 0;
  let at: [number, number] = [0, 0];
  const entries = sampleEntries(s);
  for (const [r, c] of entries) {
    let dot = 0;
    let abs = 0;
    for (let k = 0; k < s.K; k++) {
      const t = A[r * s.K + k] * B[k * s.C + c];
      dot += t;
      abs += Math.abs(t);
    }
    const e = Math.abs(C[r * s.C + c] - dot) / (gamma * abs || Number.MIN_VALUE);
    if (!(e <= worst)) {
      worst = e;
      at = [r, c];
    }
  }
  return { entries: entries.length, worst, at, ok: worst <= 1 };
}

/** A bare-matmul system: `train(k)` runs k products and waits; `check` reads the product back once. */
export type MatmulTrainer = Trainer & { check(): Promise<MatmulCheck> };

/**
 * Ours: one dispatch of the engine's GEMM as src/webgpu/matmul.ts plans it for the adapter's variant (the entry
 * point, constants, workgroups and Dims block net.ts uses), with grad_w's epilogue at scale 1: the plain product.
 */
export async function bareMatmul(gpu: WebGpuBackend, s: MatmulShape): Promise<MatmulTrainer> {
  const { device } = gpu;
  const { A, B } = operands(s);
  const label = `bench bare matmul ${s.R}×${s.K}×${s.C}`;
  const storage = (what: string, data: Float32Array | number): GPUBuffer => {
    const size = typeof data === 'number' ? data : data.byteLength;
    const b = device.createBuffer({ label: `${label}: ${what}`, size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    if (typeof data !== 'number') device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
    return b;
  };
  const lhs = storage('A', A);
  const rhs = storage('B', B);
  const out = storage('C', 4 * s.R * s.C);
  const aux = storage('aux (unused)', 16);
  const out2 = storage('out2 (unused)', 16);
  // EPILOGUE 2 (grad_w's) with scale 1 and no transpose: out = Σ_k lhs·rhs, the plain product.
  const plan = planMatmul(gpu.variant, 'grad_w', [s.R, s.K, s.C], 1, { transL: false, transR: false }, { ACT: 0, BIAS: 0 }, label);
  const dimsBuf = device.createBuffer({ label: `${label}: dims`, size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(dimsBuf, 0, plan.dims);
  const pipeline = matmulPipeline(gpu, plan);
  const bindGroup = device.createBindGroup({
    label, layout: gpu.kernels.layouts.matmul,
    entries: [dimsBuf, lhs, rhs, aux, out, out2].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const { x, y } = plan.groups;
  const staging = device.createBuffer({ label: `${label}: readback`, size: 4 * s.R * s.C, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const read = async (bytes: number): Promise<Float32Array> => {
    const enc = device.createCommandEncoder({ label: `${label}: read` });
    enc.copyBufferToBuffer(out, 0, staging, 0, bytes);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const copy = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    return copy;
  };
  return {
    description: `ours: one matmul.wgsl ${plan.entry} dispatch per product (${gpu.variant})`,
    async train(steps: number) {
      const enc = device.createCommandEncoder({ label });
      for (let k = 0; k < steps; k++) {
        const pass = enc.beginComputePass({ label });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(x, y);
        pass.end();
      }
      device.queue.submit([enc.finish()]);
      return { loss: (await read(4))[0] };
    },
    async check() {
      return checkProduct(s, A, B, await read(4 * s.R * s.C));
    },
    dispose() {
      for (const b of [lhs, rhs, out, aux, out2, dimsBuf, staging]) b.destroy();
    },
  };
}

/** TF.js: tf.matMul on its webgl or webgpu backend. */
export async function tfMatmul(tf: typeof TF, backend: 'webgl' | 'webgpu', s: MatmulShape): Promise<MatmulTrainer> {
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not initialise its ${backend} backend`);
  const { A, B } = operands(s);
  const a = tf.tensor2d(A, [s.R, s.K]);
  const b = tf.tensor2d(B, [s.K, s.C]);
  let c: TF.Tensor2D | null = null;
  const activate = (): Promise<void> => useTfBackend(tf, backend);
  return {
    description: `TF.js ${tf.version.tfjs} ${backend}: tf.matMul`,
    activate,
    async train(steps: number) {
      await activate(); // a no-op after the driver's own call (TF.js's backend is global; see Trainer.activate)
      for (let k = 0; k < steps; k++) {
        c?.dispose();
        c = tf.matMul(a, b) as TF.Tensor2D;
      }
      const first = tf.slice(c!, [0, 0], [1, 1]);
      const v = (await first.data())[0];
      first.dispose();
      return { loss: v };
    },
    async check() {
      return checkProduct(s, A, B, await c!.data());
    },
    dispose() {
      tf.dispose([a, b, ...(c ? [c] : [])]);
    },
  };
}

/** jax-js: np.matmul on its webgpu device. */
export async function jaxMatmul(workers: number, s: MatmulShape): Promise<MatmulTrainer> {
  const { jax, env } = await loadJax(workers);
  if (!env.devices.includes('webgpu')) throw new Error(`jax-js could not start its webgpu device (it has ${env.devices.join(', ')})`);
  const np = jax.numpy;
  const { A, B } = operands(s);
  const a = np.array(A, { shape: [s.R, s.K], device: 'webgpu' });
  const b = np.array(B, { shape: [s.K, s.C], device: 'webgpu' });
  let c: JAX.Array | null = null;
  return {
    description: `jax-js ${env.version} webgpu: np.matmul`,
    async train(steps: number) {
      // NOTE: jax-js is lazy: a product disposed before it is needed is never computed. Each one is kept until
      // blockUntilReady has run it (in batches of at most 256 MB of outputs), then let go.
      const perBatch = Math.max(1, Math.floor(2 ** 28 / (4 * s.R * s.C)));
      let held: JAX.Array[] = [];
      for (let k = 0; k < steps; k++) {
        c?.dispose();
        c = np.matmul(a.ref, b.ref);
        held.push(c.ref);
        if (held.length === perBatch || k === steps - 1) {
          await jax.blockUntilReady(held);
          for (const h of held) h.dispose();
          held = [];
        }
      }
      return { loss: (await c!.ref.slice(0, 0).data())[0] };
    },
    async check() {
      return checkProduct(s, A, B, await c!.ref.data());
    },
    dispose() {
      a.dispose();
      b.dispose();
      c?.dispose();
    },
  };
}
