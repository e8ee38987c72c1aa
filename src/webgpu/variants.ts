/**
 * The GEMM kernel variants a WebGPU backend can be asked for (WebGpuBackend.create's `variant`, Model.create's and
 * createBackend's `webgpuVariant`), in a module without WGSL so that createBackend checks the option before the
 * WebGPU backend is loaded:
 *   'blocked'           shaders/matmul.wgsl main_blocked: register blocking, no workgroup memory (software adapters);
 *   'blocked-subgroup'  shaders/matmul_subgroups.wgsl main_blocked_subgroup: the same with subgroup operations;
 *   'tiled'             matmul.wgsl main_tiled / main_tiled4: workgroup-memory tiles (vec4 loads where they fit);
 *   'subgroup'          matmul_subgroups.wgsl main_subgroup: subgroup operations, for GPUs with the `subgroups` feature.
 * 'auto' picks one per adapter (src/webgpu/backend.ts create).
 */
export const KERNEL_VARIANTS = ['blocked', 'blocked-subgroup', 'tiled', 'subgroup'] as const;
/** The GEMM kernels of the WebGPU backend (ModelOptions.webgpuVariant): 'blocked', 'blocked-subgroup', 'tiled' or 'subgroup' (see KERNEL_VARIANTS). */
export type KernelVariant = typeof KERNEL_VARIANTS[number];
