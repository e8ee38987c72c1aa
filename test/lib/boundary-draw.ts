/**
 * drawBoundary of a 2-1 sigmoid net (W [1, −1], b 0) on a 300 × 300 canvas over the points `x` with their `labels`, on
 * a recording 2-D context (./recording-context.ts: 6 px a character), the scratch canvas and ImageData stubbed; its
 * recorded calls (the boundary tests: lab-boundary-points, lab-boundary-axis-name); the canvas's attributes set into
 * `attributes` where given (its aria-label). The caller unstubs the globals.
 */
import { vi } from 'vitest';
import { drawBoundary } from '../../src/lab/boundary.ts';
import { validateSpec } from '../../src/spec.ts';
import { recording, type Call } from './recording-context.ts';

export function drawnBoundary(x: number[][], labels: number[], axisNames?: [string, string], attributes?: Map<string, string>): Call[] {
  const { ctx, calls } = recording();
  const scratch = recording();
  vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch.ctx }) });
  vi.stubGlobal('ImageData', class { constructor(readonly data: unknown, readonly width: number, readonly height: number) {} });
  const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: (name: string, value: string) => void attributes?.set(name, value) } as unknown as HTMLCanvasElement;
  const spec = validateSpec({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', params: { W: [[[1, -1]]], b: [[0]] } });
  drawBoundary(canvas, { net: spec.net, params: spec.params!, x, labels, classes: 2, resolution: 4, ...(axisNames ? { axisNames } : {}) });
  return calls;
}
