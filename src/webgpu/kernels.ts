/**
 * The WGSL kernels of shaders/ as WebGPU objects: one shader module per file (compiled and checked once per
 * device), one explicit bind group layout per kernel, and a cache of compute pipelines keyed by entry point
 * and override constants (activation, bias mode, loss, workgroup size): KernelSet, which fit's kernels (./train.ts)
 * use too. The WGSL text is imported verbatim (Vite `?raw`) and specialised only through `override` constants: no
 * WGSL is built from strings. Compile errors name the file and line they are in, also in the modules made of
 * several files (train_small + train_tiny; where the device has `subgroups`, the subgroup matmul and main_lanes).
 */
import matmulWgsl from '../../shaders/matmul.wgsl?raw';
import matmulSubgroupsWgsl from '../../shaders/matmul_subgroups.wgsl?raw';
import maxAbsWgsl from '../../shaders/max_abs.wgsl?raw';
import outputWgsl from '../../shaders/output.wgsl?raw';
import reduceRowsWgsl from '../../shaders/reduce_rows.wgsl?raw';
import trainLanesWgsl from '../../shaders/train_lanes.wgsl?raw';
import trainSmallWgsl from '../../shaders/train_small.wgsl?raw';
import trainTinyWgsl from '../../shaders/train_tiny.wgsl?raw';
import updateWgsl from '../../shaders/update.wgsl?raw';
import { ShaderCompileError } from '../errors.ts';
import type { Activation, BiasMode, Loss } from '../spec.ts';

export type KernelName = 'matmul' | 'output' | 'reduce_rows' | 'update' | 'train_small' | 'max_abs';

/**
 * Binding types in binding order (binding 0 is always the uniform block of dimensions; 'dynamic': that block bound
 * with a dynamic offset, one 256-byte slot per step).
 */
type Binding = 'uniform' | 'dynamic' | 'read' | 'rw';

/**
 * A kernel: its WGSL file, the file's text and its bindings; `after`, files compiled after it in the same module
 * (their entry points use its declarations and bindings: WGSL has no include).
 */
export interface KernelSource {
  file: string;
  code: string;
  bindings: Binding[];
  after?: WgslPart[];
}

export const KERNELS: Record<KernelName, KernelSource> = {
  // dims, lhs, rhs, aux, out, out2 (forward: W, A_prev, b, Z, A; backward: W_next, delta_next, A, delta, -; grad_w: delta, A_prev, -, dW, -)
  matmul: { file: 'shaders/matmul.wgsl', code: matmulWgsl, bindings: ['uniform', 'read', 'read', 'read', 'rw', 'rw'] },
  // dims, Z, A, Y, delta, loss_per_example
  output: { file: 'shaders/output.wgsl', code: outputWgsl, bindings: ['uniform', 'read', 'rw', 'read', 'rw', 'rw'] },
  // dims, src, out
  reduce_rows: { file: 'shaders/reduce_rows.wgsl', code: reduceRowsWgsl, bindings: ['uniform', 'read', 'rw'] },
  // step, p, dW, s1, s2: sgd (OPT 0; ./net.ts binds placeholders for the state s1, s2). Fit (./train.ts) compiles
  // the file again for its own layout (a dynamic offset on step).
  update: { file: 'shaders/update.wgsl', code: updateWgsl, bindings: ['uniform', 'rw', 'read', 'rw', 'rw'] },
  // desc (the net description), params, grads, acts (X, Y, Z_l, A_l, delta_l, losses packed): see ./fused.ts;
  // main_tiny in train_tiny.wgsl, after it (and main_lanes, train_lanes.wgsl, in TRAIN_LANES below)
  train_small: {
    file: 'shaders/train_small.wgsl', code: trainSmallWgsl, bindings: ['uniform', 'rw', 'rw', 'rw'],
    after: [{ file: 'shaders/train_tiny.wgsl', code: trainTinyWgsl }],
  },
  // dims, params (as u32 bits), result (one atomic u32): the divergence check after an update
  max_abs: { file: 'shaders/max_abs.wgsl', code: maxAbsWgsl, bindings: ['uniform', 'read', 'rw'] },
};

/** One text of a shader module: a file of shaders/ (`file`: its path), or a line the engine adds (`file` says so). */
export interface WgslPart {
  file: string;
  code: string;
}

/**
 * A shader module's source: one file (`label`: its path), or parts joined by '\n' (`label`: the module's name);
 * compileChecked reports each message at the file and line of the part it falls in.
 */
export type ShaderSource = { label: string; code: string } | { label: string; parts: WgslPart[] };

/** A kernel's files in module order: its own, those `after` it, then `more`. */
const kernelParts = (kernel: KernelSource, more: WgslPart[] = []): WgslPart[] => [{ file: kernel.file, code: kernel.code }, ...(kernel.after ?? []), ...more];
const labelOf = (parts: WgslPart[]): string => parts.map((p) => p.file).join(' + ');

/** A kernel's own module: its file alone, or its file and the files `after` it as ONE module. */
function sourceOf(kernel: KernelSource): ShaderSource {
  const parts = kernelParts(kernel);
  return parts.length === 1 ? { label: kernel.file, code: kernel.code } : { label: labelOf(parts), parts };
}

/**
 * A kernel's module with `more` files after it that need the `subgroups` feature: the directive `enable subgroups;`
 * first. WGSL cannot enable an extension conditionally, and such a module does not compile on a device without the
 * feature, so it is compiled only on one with it.
 */
function withSubgroups(kernel: KernelName, more: WgslPart[]): ShaderSource {
  const parts = kernelParts(KERNELS[kernel], more);
  return { label: labelOf(parts), parts: [{ file: '(enable prelude)', code: 'enable subgroups;' }, ...parts] };
}

/** matmul's main_subgroup and main_blocked_subgroup entry points (shaders/matmul_subgroups.wgsl). */
const MATMUL_SUBGROUPS = withSubgroups('matmul', [{ file: 'shaders/matmul_subgroups.wgsl', code: matmulSubgroupsWgsl }]);

/** The entry points of that module (the rest of matmul's are in matmul.wgsl's own module). */
const SUBGROUP_ENTRIES = new Set(['main_subgroup', 'main_blocked_subgroup']);

/** train_small's main_lanes (shaders/train_lanes.wgsl), after train_small.wgsl and train_tiny.wgsl. */
const TRAIN_LANES = withSubgroups('train_small', [{ file: 'shaders/train_lanes.wgsl', code: trainLanesWgsl }]);

/** The compiled modules: one per kernel, and the subgroup matmul and main_lanes where the device has the feature. */
export interface Modules {
  kernels: Record<KernelName, GPUShaderModule>;
  matmulSubgroups: GPUShaderModule | null;
  trainLanes: GPUShaderModule | null;
}

/** Override codes shared by the WGSL files. */
export const ACT_CODE: Record<Activation, number> = { identity: 0, sigmoid: 1, relu: 2, tanh: 3, softmax: 4, leaky_relu: 5 };
export const BIAS_CODE: Record<BiasMode, number> = { none: 0, 'per-unit': 1, shared: 2 };
/** matmul.wgsl's EPILOGUE codes. */
export const EPILOGUE_CODE = { forward: 0, backward: 1, grad_w: 2 } as const;
export const LOSS_CODE: Record<Loss, number> = { mse: 0, bce: 1, 'softmax-cross-entropy': 2 };

const partsOf = (s: ShaderSource): WgslPart[] => ('parts' in s ? s.parts : [{ file: s.label, code: s.code }]);

/**
 * Where line `line` (1-based) of `parts` joined by '\n' is: its part's file and its line in that part; null at 0
 * (a message with no position) or past the end.
 */
function partAt(parts: WgslPart[], line: number): { file: string; line: number } | null {
  let first = 1;
  for (const p of parts) {
    const lines = p.code.split('\n').length;
    if (line >= first && line < first + lines) return { file: p.file, line: line - first + 1 };
    first += lines;
  }
  return null;
}

/**
 * Create shader modules and check their compilation messages: ShaderCompileError lists every error of every
 * module as `file:line:col message` (the file and line of the part a message falls in; `label:line:col` for a
 * message with no position).
 */
export async function compileChecked(device: GPUDevice, sources: ShaderSource[]): Promise<GPUShaderModule[]> {
  const parts = sources.map(partsOf);
  const modules = sources.map((s, k) => device.createShaderModule({ label: s.label, code: parts[k].map((p) => p.code).join('\n') }));
  const lines: string[] = [];
  const failed: string[] = [];
  for (let k = 0; k < modules.length; k++) {
    const info = await modules[k].getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) failed.push(sources[k].label);
    for (const m of errors) {
      const at = partAt(parts[k], m.lineNum);
      lines.push(at ? `${at.file}:${at.line}:${m.linePos} ${m.message}` : `${sources[k].label}:${m.lineNum}:${m.linePos} ${m.message}`);
    }
  }
  if (failed.length > 0) throw new ShaderCompileError(failed.join(', '), lines.join('\n'));
  return modules;
}

/** Compile one module per kernel of `sources`, then the `extra` modules (checked together); the extra modules in order. */
async function compileKernels<Name extends string>(
  device: GPUDevice, sources: Record<Name, KernelSource>, extra: ShaderSource[] = [],
): Promise<{ modules: Record<Name, GPUShaderModule>; extra: GPUShaderModule[] }> {
  const names = Object.keys(sources) as Name[];
  const compiled = await compileChecked(device, [...names.map((n) => sourceOf(sources[n])), ...extra]);
  const modules = Object.fromEntries(names.map((n, k) => [n, compiled[k]])) as Record<Name, GPUShaderModule>;
  return { modules, extra: compiled.slice(names.length) };
}

/** Compile every kernel of shaders/ (once per device), and the subgroup modules when the device has `subgroups`. */
export async function compileModules(device: GPUDevice): Promise<Modules> {
  const subgroups = device.features.has('subgroups');
  const { modules, extra } = await compileKernels(device, KERNELS, subgroups ? [MATMUL_SUBGROUPS, TRAIN_LANES] : []);
  return { kernels: modules, matmulSubgroups: extra[0] ?? null, trainLanes: extra[1] ?? null };
}

/**
 * A set of kernels on one device: one bind group layout and one pipeline layout per kernel (from its bindings), and
 * a cache of compute pipelines keyed by kernel, entry point and override constants (sorted by name). The engine's
 * kernels (Kernels, below) and fit's (./train.ts) are each one.
 */
export class KernelSet<Name extends string> {
  readonly layouts = {} as Record<Name, GPUBindGroupLayout>;
  private readonly pipelineLayouts = {} as Record<Name, GPUPipelineLayout>;
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice, sources: Record<Name, KernelSource>, protected readonly modules: Record<Name, GPUShaderModule>) {
    for (const name of Object.keys(sources) as Name[]) {
      const entries: GPUBindGroupLayoutEntry[] = sources[name].bindings.map((b, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: b === 'uniform' || b === 'dynamic'
          ? { type: 'uniform', hasDynamicOffset: b === 'dynamic' }
          : { type: b === 'read' ? 'read-only-storage' : 'storage' },
      }));
      const layout = device.createBindGroupLayout({ label: `${name} bind group layout`, entries });
      this.layouts[name] = layout;
      this.pipelineLayouts[name] = device.createPipelineLayout({ label: `${name} pipeline layout`, bindGroupLayouts: [layout] });
    }
  }

  /** Compile the kernels of `sources` on `device` (their compile errors as ShaderCompileError) and make their set. */
  static async create<Name extends string>(device: GPUDevice, sources: Record<Name, KernelSource>): Promise<KernelSet<Name>> {
    const { modules } = await compileKernels(device, sources);
    return new KernelSet(device, sources, modules);
  }

  /** The pipeline for one entry point with these override constants, made once per set. */
  pipeline(name: Name, entryPoint: string, constants: Record<string, number>): GPUComputePipeline {
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

  protected moduleFor(name: Name, _entryPoint: string): GPUShaderModule {
    return this.modules[name];
  }
}

/**
 * The engine's kernels (KERNELS); matmul's 'main_subgroup' and 'main_blocked_subgroup' and train_small's
 * 'main_lanes' come from their subgroup modules.
 */
export class Kernels extends KernelSet<KernelName> {
  constructor(device: GPUDevice, private readonly compiled: Modules) {
    super(device, KERNELS, compiled.kernels);
  }

  /** An Error where the device has no `subgroups` and a subgroup entry point is asked for. */
  protected override moduleFor(name: KernelName, entryPoint: string): GPUShaderModule {
    const lanes = name === 'train_small' && entryPoint === 'main_lanes';
    if (!lanes && (name !== 'matmul' || !SUBGROUP_ENTRIES.has(entryPoint))) return this.modules[name];
    const module = lanes ? this.compiled.trainLanes : this.compiled.matmulSubgroups;
    if (!module) throw new Error(`internal: ${name}'s ${entryPoint} needs a device with the 'subgroups' feature`);
    return module;
  }
}
