/**
 * backprop-webgpu: matrix-form backpropagation on WebGPU compute shaders, with a CPU Float32Array oracle.
 * The engine only; the scalar notation and worked-example checker are `backprop-webgpu/notation`
 * (src/notation/index.ts), the lecture transcriptions `backprop-webgpu/lectures` (src/lectures/index.ts), so that
 * importing Model pulls in neither.
 */
export * from './errors.ts';
export { ACTIVATIONS, BIAS_MODES, INIT_SCHEMES, LOSSES, REDUCTIONS, validateSpec } from './spec.ts';
export type {
  Activation, ActivationName, Batch, BiasMode, DataInput, InitScheme, Layer, LayerSpec, Loss, Net, NetworkSpec, Params, ParamsSpec, Reduction,
  RowsSpec, RunSpec, ValidSpec,
} from './spec.ts';
export type { Backend, BackendData, BackendKind, BackendNet, BackendTrainer, ErrorSection, ReadRequest, Readback } from './backend.ts';
export { batchScale } from './backend.ts';
export { CpuBackend } from './cpu/backend.ts';
export { initParams, mulberry32 } from './init.ts';
export { DEFAULT_BUDGET, getBudget, setBudget } from './budget.ts';
export type { Budget, FitResident, OwnMemory } from './budget.ts';
export { createBackend, webgpuPresent } from './backends.ts';
export type { BackendChoice, BackendOptions, FallbackReason, MadeBackend, ModelOptions } from './backends.ts';
export type { KernelVariant } from './webgpu/variants.ts';
export { Model } from './model.ts';
export type { GradResult, TrainOptions, TrainResult } from './calls.ts';
export type { AbortSignalLike, EarlyStopping, EarlyStoppingMonitor, EpochLog, FitOptions, FitProgress } from './train/fit.ts';
export type { CosineSchedule, ExponentialSchedule, LrSchedule, PlateauSchedule, StepSchedule, WarmupSchedule } from './train/lr-schedule.ts';
export { epochOrder } from './train/fit.ts';
export { OPTIMIZERS, OPTIMIZER_DEFAULTS, STATE_SLOTS, resolveOptimizer, stepScalars } from './train/optimizers.ts';
export type { OptimizerConfig, OptimizerName, OptimizerSpec, OptimizerState } from './train/optimizers.ts';
export { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint } from './train/checkpoint.ts';
export type { Checkpoint } from './train/checkpoint.ts';
export { decodeSafetensors, encodeSafetensors } from './train/safetensors.ts';
export type { Tensor as SafetensorsTensor } from './train/safetensors.ts';
