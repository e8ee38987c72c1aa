/**
 * The WGSL kernels of shaders/ as WebGPU objects: one shader module per file (compiled and checked once per
 * device), one explicit bind group layout per kernel, and a cache of compute pipelines keyed by entry point
 * and override constants (activation, bias mode, loss, workgroup size). The WGSL text is imported verbatim
 * (Vite `?raw`) and specialised only through `override` constants: no WGSL is built from strings.
 */
import matmulWgsl from '../../shaders/matmul.wgsl?raw';
import matmulSubgroupsWgsl from '../../shaders/matmul_subgroups.wgsl?raw';
import maxAbsWgsl from '../../shaders/max_abs.wgsl?raw';
import outputWgsl from '../../shaders/output.wgsl?raw';
import reduceRowsWgsl from '../../shaders/reduce_rows.wgsl?raw';
import trainSmallWgsl from '../../shaders/train_small.wgsl?raw';
import updateWgsl from '../../shaders/update.wgsl?raw';
import { ShaderCompileError } from '../errors.ts';
import type { Activation, BiasMode, Loss } from '../spec.ts';

export type KernelName = 'matmul' | 'output' | 'reduce_rows' | 'update' | 'train_small' | 'max_abs';

/** Binding types in binding order (binding 0 is always the uniform block of dimensions). */
type Binding = 'uniform' | 'read' | 'rw';

export const KERNELS: Record<KernelName, { file: string; code: string; bindings: Binding[] }> = {
  // dims, lhs, rhs, aux, out, out2 (forward: W, A_prev, b, Z, A; backward: W_next, delta_next, A, delta, -; grad_w: delta, A_prev, -, dW, -)
  matmul: { file: 'shaders/matmul.wgsl', code: matmulWgsl, bindings: ['uniform', 'read', 'read', 'read', 'rw', 'rw'] },
  // dims, Z, A, Y, delta, loss_per_example
  output: { file: 'shaders/output.wgsl', code: outputWgsl, bindings: ['uniform', 'read', 'rw', 'read', 'rw', 'rw'] },
  // dims, src, out
  reduce_rows: { file: 'shaders/reduce_rows.wgsl', code: reduceRowsWgsl, bindings: ['uniform', 'read', 'rw'] },
  // step, p, dW, s1, s2: sgd (OPT 0; ./net.ts binds placeholders for the state s1, s2). Fit (./train.ts) compiles
  // the file again for its own layout (a dynamic offset on step).
  update: { file: 'shaders/update.wgsl', code: updateWgsl, bindings: ['uniform', 'rw', 'read', 'rw', 'rw'] },
  // desc (the net description), params, grads, acts (X, Y, Z_l, A_l, delta_l, losses packed): see ./fused.ts
  train_small: { file: 'shaders/train_small.wgsl', code: trainSmallWgsl, bindings: ['uniform', 'rw', 'rw', 'rw'] },
  // dims, params (as u32 bits), result (one atomic u32): the divergence check after an update
  max_abs: { file: 'shaders/max_abs.wgsl', code: maxAbsWgsl, bindings: ['uniform', 'read', 'rw'] },
};

const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];

/**
 * matmul's main_subgroup and main_blocked_subgroup entry points (shaders/matmul_subgroups.wgsl says why it is a second file): one module of
 * the directive `enable subgroups;`, matmul.wgsl and matmul_subgroups.wgsl, compiled only on a device with the
 * `subgroups` feature. Its bindings are matmul's (one bind group layout).
 */
export const MATMUL_SUBGROUPS = {
  file: 'shaders/matmul.wgsl + shaders/matmul_subgroups.wgsl',
  code: ['enable subgroups;', matmulWgsl, matmulSubgroupsWgsl].join('\n'),
};

/** The entry points of that module (the rest of matmul's are in matmul.wgsl's own module). */
const SUBGROUP_ENTRIES = new Set(['main_subgroup', 'main_blocked_subgroup']);

/** The compiled modules: one per kernel, and the subgroup matmul where the device has the feature. */
export interface Modules {
  kernels: Record<KernelName, GPUShaderModule>;
  matmulSubgroups: GPUShaderModule | null;
}

/** Override codes shared by the WGSL files. */
export const ACT_CODE: Record<Activation, number> = { identity: 0, sigmoid: 1, relu: 2, tanh: 3, softmax: 4 };
export const BIAS_CODE: Record<BiasMode, number> = { none: 0, 'per-unit': 1, shared: 2 };
/** matmul.wgsl's EPILOGUE codes. */
export const EPILOGUE_CODE = { forward: 0, backward: 1, grad_w: 2 } as const;
export const LOSS_CODE: Record<Loss, number> = { mse: 0, bce: 1, 'softmax-cross-entropy': 2 };

/**
 * Create shader modules and check their compilation messages: ShaderCompileError lists every error of every
 * module as `label:line:col message`.
 */
export async function compileChecked(device: GPUDevice, sources: { label: string; code: string }[]): Promise<GPUShaderModule[]> {
  const modules = sources.map((s) => device.createShaderModule({ label: s.label, code: s.code }));
  const lines: string[] = [];
  const failed: string[] = [];
  for (let k = 0; k < modules.length; k++) {
    const info = await modules[k].getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) failed.push(sources[k].label);
    for (const m of errors) lines.push(`${sources[k].label}:${m.lineNum}:${m.linePos} ${m.message}`);
  }
  if (failed.length > 0) throw new ShaderCompileError(failed.join(', '), lines.join('\n'));
  return modules;
}

/** Compile every kernel of shaders/ (once per device), and the subgroup matmul when the device has `subgroups`. */
export async function compileModules(device: GPUDevice): Promise<Modules> {
  const sources = KERNEL_NAMES.map((name) => ({ label: KERNELS[name].file, code: KERNELS[name].code }));
  const subgroups = device.features.has('subgroups');
  if (subgroups) sources.push({ label: MATMUL_SUBGROUPS.file, code: MATMUL_SUBGROUPS.code });
  const modules = await compileChecked(device, sources);
  const kernels = {} as Record<KernelName, GPUShaderModule>;
  KERNEL_NAMES.forEach((name, k) => {
    kernels[name] = modules[k];
  });
  return { kernels, matmulSubgroups: subgroups ? modules[KERNEL_NAMES.length] : null };
}

export class Kernels {
  readonly layouts: Record<KernelName, GPUBindGroupLayout>;
  private readonly pipelineLayouts: Record<KernelName, GPUPipelineLayout>;
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice, private readonly modules: Modules) {
    this.layouts = {} as Record<KernelName, GPUBindGroupLayout>;
    this.pipelineLayouts = {} as Record<KernelName, GPUPipelineLayout>;
    for (const name of KERNEL_NAMES) {
      const entries: GPUBindGroupLayoutEntry[] = KERNELS[name].bindings.map((b, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: b === 'uniform' ? 'uniform' : b === 'read' ? 'read-only-storage' : 'storage' },
      }));
      const layout = device.createBindGroupLayout({ label: `${name} bind group layout`, entries });
      this.layouts[name] = layout;
      this.pipelineLayouts[name] = device.createPipelineLayout({ label: `${name} pipeline layout`, bindGroupLayouts: [layout] });
    }
  }

  /**
   * The pipeline for one entry point with these override constants, made once per device. matmul's
   * 'main_subgroup' comes from the subgroup module (an Error where the device has no `subgroups`).
   */
  pipeline(name: KernelName, entryPoint: string, constants: Record<string, number>): GPUComputePipeline {
    const keys = Object.keys(constants).sort();
    const key = `${name}.${entryPoint}(${keys.map((k) => `${k}=${constants[k]}`).join(',')})`;
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.device.createComputePipeline({
        label: key,
        layout: this.pipelineLayouts[name],
        compute: { module: this.moduleFor(name, entryPoint), entryPoint, constants },
      });
      this.pipelines.set(key, p);
    }
    return p;
  }

  private moduleFor(name: KernelName, entryPoint: string): GPUShaderModule {
    if (name !== 'matmul' || !SUBGROUP_ENTRIES.has(entryPoint)) return this.modules.kernels[name];
    if (!this.modules.matmulSubgroups) throw new Error(`internal: matmul's ${entryPoint} needs a device with the 'subgroups' feature`);
    return this.modules.matmulSubgroups;
  }
}
