/**
 * backprop-webgpu: matrix-form backpropagation on WebGPU compute shaders, with a CPU Float32Array oracle.
 */
export * from './errors.ts';
export * from './spec.ts';
export type { Backend, BackendKind, BackendNet, ReadRequest, Readback } from './backend.ts';
export { batchScale } from './backend.ts';
export { CpuBackend, gradFloat64 } from './cpu/backend.ts';
export { initParams, mulberry32 } from './init.ts';
export { Model, createBackend, webgpuPresent } from './model.ts';
export type { BackendChoice, GradResult, ModelOptions, TrainOptions } from './model.ts';
