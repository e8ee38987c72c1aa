// A TypeScript consumer of the packed tarball, type-checked (never run) under nodenext, bundler and node10 resolution,
// strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes and skipLibCheck false (test/browser/package.test.ts).
import { Model, SpecError, WebGPUUnavailableError, type GradResult, type NetworkSpec } from 'backprop-webgpu';
import { checkWorked, explain, notationCost } from 'backprop-webgpu/notation';
import { LECTURES, lecture } from 'backprop-webgpu/lectures';

const spec: NetworkSpec = lecture('lecture-2-2-1').worked.spec;
const model = await Model.create(spec, { backend: 'cpu', onNotice: (m: string) => m.length });
const g: GradResult = await model.grad();
const first: number | undefined = g.dW[0]?.[0];
await model.train({ steps: 2, lr: 0.1 });
model.dispose();
export const seen = [first, LECTURES.length, typeof explain, typeof checkWorked, typeof notationCost, SpecError.name, WebGPUUnavailableError.name];
