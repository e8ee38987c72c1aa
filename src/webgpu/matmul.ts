/**
 * How one dispatch of shaders/matmul.wgsl is set up for a kernel variant: its entry point, override constants,
 * workgroup counts and the 32-byte `Dims` uniform block. ./net.ts builds every forward / backward / grad_w
 * dispatch with it, and anything else that wants the engine's GEMM (a bare-matmul benchmark row) can too:
 *
 *   const plan = planMatmul(gpu.variant, 'forward', [R, K, C], 1, { transL: false, transR: false }, { ACT: 0, BIAS: 0 });
 *   const pipeline = matmulPipeline(gpu, plan);   // bind: dims (plan.dims), lhs, rhs, aux, out, out2
 *   pass.dispatchWorkgroups(plan.groups.x, plan.groups.y);
 */
import { LimitError } from '../errors.ts';
import type { KernelVariant, WebGpuBackend } from './backend.ts';
import { EPILOGUE_CODE } from './kernels.ts';
import { pow2ceil } from './sizes.ts';

const MAX_GROUPS = 65535;

/** Output rows and columns per invocation of matmul.wgsl's main_blocked (12 × 8 there). */
const ROWS_PER_INVOCATION = 12;
const COLS_PER_INVOCATION = 8;
/** main_subgroup (matmul_subgroups.wgsl): 8 rows per workgroup, 4 columns per invocation, SG_WG invocations. */
const SUBGROUP_ROWS = 8;
const SUBGROUP_WG = 64;
/**
 * main_blocked_subgroup (matmul_subgroups.wgsl): 16 rows per workgroup, 8 columns per invocation, workgroups of 4
 * invocations (one SwiftShader SIMD group, which is its subgroup).
 */
const SHARED_ROWS = 16;
const SHARED_COLS = 8;
const SHARED_WG = 4;

/**
 * Spread `total` workgroups over x and y (at most `max` each: 65535, or lower in tests of ./update.ts's folds);
 * shaders use the linear index y·nx + x.
 */
export function fold(total: number, what: string, max = MAX_GROUPS): { x: number; y: number } {
  const x = Math.min(total, max);
  const y = Math.ceil(total / max);
  if (y > max) throw new LimitError(what, `needs ${total} workgroups, more than ${max}² even folded into 2-D`);
  return { x, y };
}

export interface MatmulPlan {
  entry: 'main_blocked' | 'main_blocked_subgroup' | 'main_tiled' | 'main_tiled4' | 'main_subgroup';
  /** Every override constant of the pipeline (the caller's ACT / BIAS, the epilogue, layouts, workgroup size). */
  constants: Record<string, number>;
  /** dispatchWorkgroups(x, y), folded past 65535. */
  groups: { x: number; y: number };
  /** The `Dims` uniform block (R, K, C, groups along the columns, total groups, scale). */
  dims: ArrayBuffer;
}

/**
 * The dispatch of an R × C output summed over K (lhs stored K × R when transL, rhs stored C × K when transR),
 * epilogue `step` (matmul.wgsl's header), `scale` for grad_w, `constants` ACT / BIAS for forward / backward.
 */
export function planMatmul(
  variant: KernelVariant, step: keyof typeof EPILOGUE_CODE, [R, K, C]: [number, number, number], scale: number,
  layout: { transL: boolean; transR: boolean }, constants: Record<string, number>, what = 'matmul',
): MatmulPlan {
  let gx: number, gy: number;
  let entry: MatmulPlan['entry'];
  let wg: Record<string, number> = {};
  if (variant === 'tiled') {
    gx = Math.ceil(C / 64);
    gy = Math.ceil(R / 64);
    // vec4 tile loads when each operand's contiguous dimension is a multiple of 4 (matmul.wgsl main_tiled4).
    const contiguous = [layout.transL ? R : K, layout.transR ? K : C];
    entry = contiguous.every((d) => d % 4 === 0) ? 'main_tiled4' : 'main_tiled';
  } else if (variant === 'subgroup') {
    gx = Math.ceil(C / (4 * SUBGROUP_WG));
    gy = Math.ceil(R / SUBGROUP_ROWS);
    entry = 'main_subgroup';
    wg = { SG_WG: SUBGROUP_WG };
  } else if (variant === 'blocked-subgroup') {
    gx = Math.ceil(C / (SHARED_COLS * SHARED_WG));
    gy = Math.ceil(R / SHARED_ROWS);
    entry = 'main_blocked_subgroup';
    wg = { SG_WG: SHARED_WG };
  } else {
    // NOTE: each invocation of main_blocked covers ROWS_PER_INVOCATION × COLS_PER_INVOCATION outputs
    // (matmul.wgsl says why), in workgroups of at most 4 × 4 invocations. On SwiftShader, 16×4 blocks measured
    // per step (bench configs c / d): 124 ms / 4.55 s in 4×4 workgroups, 140 ms / 4.48 s in 8×8, 134 ms / 4.89 s in 4×1.
    const wgx = Math.min(4, pow2ceil(Math.ceil(C / COLS_PER_INVOCATION)));
    const wgy = Math.min(4, pow2ceil(Math.ceil(R / ROWS_PER_INVOCATION)));
    gx = Math.ceil(Math.ceil(C / COLS_PER_INVOCATION) / wgx);
    gy = Math.ceil(Math.ceil(R / ROWS_PER_INVOCATION) / wgy);
    entry = 'main_blocked';
    wg = { WG_X: wgx, WG_Y: wgy };
  }
  const total = gx * gy;
  const dims = new ArrayBuffer(32);
  const v = new DataView(dims);
  v.setUint32(0, R, true);
  v.setUint32(4, K, true);
  v.setUint32(8, C, true);
  v.setUint32(12, gx, true);
  v.setUint32(16, total, true);
  v.setFloat32(20, scale, true);
  return {
    entry,
    constants: { ...constants, ...wg, EPILOGUE: EPILOGUE_CODE[step], TRANS_L: Number(layout.transL), TRANS_R: Number(layout.transR) },
    groups: fold(total, what),
    dims,
  };
}

/** The (cached) pipeline of a plan; its bind group layout is gpu.kernels.layouts.matmul. */
export function matmulPipeline(gpu: WebGpuBackend, plan: MatmulPlan): GPUComputePipeline {
  return gpu.kernels.pipeline('matmul', plan.entry, plan.constants);
}
