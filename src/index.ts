/**
 * backprop-webgpu: matrix-form backpropagation on WebGPU compute shaders, with a CPU Float32Array oracle.
 */
export * from './errors.ts';
export * from './spec.ts';
export type { Backend, BackendData, BackendKind, BackendNet, BackendTrainer, ReadRequest, Readback } from './backend.ts';
export { batchScale } from './backend.ts';
export { CpuBackend, gradFloat64 } from './cpu/backend.ts';
export { initParams, mulberry32 } from './init.ts';
export { Model, createBackend, webgpuPresent } from './model.ts';
export type { BackendChoice, GradResult, ModelOptions, TrainOptions } from './model.ts';
export type { EpochLog, FitOptions } from './train/fit.ts';
export { epochOrder } from './train/fit.ts';
export { OPTIMIZERS, OPTIMIZER_DEFAULTS, STATE_SLOTS, resolveOptimizer, stepScalars } from './train/optimizers.ts';
export type { OptimizerConfig, OptimizerName, OptimizerSpec, OptimizerState } from './train/optimizers.ts';
export { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint } from './train/checkpoint.ts';
export { decodeSafetensors, encodeSafetensors } from './train/safetensors.ts';

// ——— Scalar notation beside the matrix form, and worked-example checking (src/notation/, src/worked/) ———
export { ScalarEngine, MAX_PATHS } from './notation/scalar.ts';
export type { Chain, ExampleTerm, Expansion, FactorDesc, GroupTerm, PathTerm } from './notation/scalar.ts';
export { CONVENTIONS, Naming, paramKey } from './notation/names.ts';
export type { Convention, NodeId, NotationSpec, Numbering, ParamId, Ref, UnitId } from './notation/names.ts';
export { explain, explainer } from './notation/explain.ts';
export type { ExplainOptions, Explainer } from './notation/explain.ts';
export { FORMATS, latexBlocks, render } from './notation/format.ts';
export type { ExplainDoc, ExplainItem, Format } from './notation/format.ts';
export { notationCost } from './notation/cost.ts';
export type { Architecture, NotationCost } from './notation/cost.ts';
export { float32Bound, matrixLine } from './notation/matrix.ts';
export type { MatrixLine, MatrixRun } from './notation/matrix.ts';
export { parseExpr, evalExpr } from './notation/expr.ts';
export { WORKED_FORMAT, parseWorked } from './worked/worked.ts';
export type { FormulaClaim, NumericClaim, WorkedClaim, WorkedExample } from './worked/worked.ts';
export { checkWorked, failed } from './worked/check.ts';
export type { ClaimCheck, Status, WorkedCheck } from './worked/check.ts';
export { matrixSource, scalarSource } from './worked/sources.ts';
export type { MatrixRuns, ValueSource } from './worked/sources.ts';
export { errataMarkdown } from './worked/report.ts';
export { LECTURES, lecture } from './lectures/index.ts';
