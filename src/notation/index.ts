/**
 * backprop-webgpu/notation: the scalar chain rule beside the matrix form (src/notation/) and the worked-example
 * checker (src/worked/). The lecture transcriptions are backprop-webgpu/lectures. What the CLI and the course lab use
 * besides (the errata page, check's exit status, the formula parser, the LaTeX blocks, one matrix line) they import
 * from their own modules: those are not part of the package's API (README, "API").
 */
export { ScalarEngine, MAX_PATHS } from './scalar.ts';
export type { Chain, ExampleTerm, Expansion, FactorDesc, GroupTerm, PathTerm } from './scalar.ts';
export { CONVENTIONS, Naming, paramKey } from './names.ts';
export type { Convention, NodeId, NotationSpec, Numbering, ParamId, Ref, UnitId } from './names.ts';
export { explain, explainer } from './explain.ts';
export type { ExplainOptions, Explainer } from './explain.ts';
export { FORMATS, render } from './format.ts';
export type { ExplainDoc, ExplainItem, Format } from './format.ts';
export { notationCost } from './cost.ts';
export type { Architecture, NotationCost } from './cost.ts';
export { float32Bound } from './matrix.ts';
export type { MatrixLine, MatrixRun } from './matrix.ts';
export { WORKED_FORMAT, parseWorked } from '../worked/worked.ts';
export type { FormulaClaim, NumericClaim, WorkedClaim, WorkedExample } from '../worked/worked.ts';
export { checkWorked, MAX_SLACK } from '../worked/check.ts';
export type { CheckOptions, ClaimCheck, Status, WorkedCheck } from '../worked/check.ts';
export { matrixSource, scalarSource } from '../worked/sources.ts';
export type { MatrixRuns, ValueSource } from '../worked/sources.ts';
export { GRAD_CHECK_ABS, GRAD_CHECK_REL, MAX_NUMERIC_WORK, NUMERIC_H, gradCheck, numericGrad, relativeError } from './numeric.ts';
export type { GradCheckRow, Kink, NumericEntry, NumericGrad, NumericGradOptions } from './numeric.ts';
