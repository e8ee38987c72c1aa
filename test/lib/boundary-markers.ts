/**
 * The markers a recorded drawBoundary painted (src/lab/boundary.ts: a training point, or a legend row's swatch): each
 * a path from beginPath to its fill, read from a recording 2-D context's calls (./recording-context.ts). A marker is
 * a disc (an arc: its centre and radius) or a polygon (its vertices; its centre their mean), with the fill style in
 * force when it was filled.
 */
import { vi } from 'vitest';
import { drawBoundary } from '../../src/lab/boundary.ts';
import { validateSpec } from '../../src/spec.ts';
import { type Call, recording } from './recording-context.ts';

export interface Marker {
  /** 'disc', or the polygon's vertex count. */
  shape: 'disc' | number;
  x: number;
  y: number;
  /** The disc's radius; a polygon's vertices relative to its centre. */
  radius?: number;
  vertices?: [number, number][];
  fill: unknown;
  /** The index of its fill call in `calls`. */
  at: number;
}

export function markers(calls: Call[]): Marker[] {
  const out: Marker[] = [];
  let path: Call[] | null = null;
  let fill: unknown;
  calls.forEach((c, k) => {
    if (c[0] === 'set fillStyle') fill = c[1];
    if (c[0] === 'beginPath') path = [];
    else if (path && (c[0] === 'arc' || c[0] === 'moveTo' || c[0] === 'lineTo')) path.push(c);
    else if (path && c[0] === 'fill') {
      const arc = path.find((p) => p[0] === 'arc');
      if (arc) out.push({ shape: 'disc', x: arc[1] as number, y: arc[2] as number, radius: arc[3] as number, fill, at: k });
      else if (path.length > 0) {
        const pts = path.map((p) => [p[1] as number, p[2] as number] as [number, number]);
        const x = pts.reduce((s, p) => s + p[0], 0) / pts.length;
        const y = pts.reduce((s, p) => s + p[1], 0) / pts.length;
        out.push({ shape: pts.length, x, y, vertices: pts.map(([a, b]) => [a - x, b - y]), fill, at: k });
      }
      path = null;
    }
  });
  return out;
}

/**
 * drawBoundary of a 2-5 softmax net with zero weights over five points, one of each class, on a 300 × 300 stand-in
 * canvas (its recording context's calls; `document` and `ImageData` stubbed: the caller unstubs them).
 */
export function drawFive(): Call[] {
  const { ctx, calls } = recording();
  const scratch = recording();
  vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch.ctx }) });
  vi.stubGlobal('ImageData', class { constructor(readonly data: unknown, readonly width: number, readonly height: number) {} });
  const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
  const z = [0, 0];
  const spec = validateSpec({ inputs: 2, layers: [{ units: 5, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[z, z, z, z, z]], b: [[0, 0, 0, 0, 0]] } });
  drawBoundary(canvas, { net: spec.net, params: spec.params!, x: [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]], labels: [0, 1, 2, 3, 4], classes: 5, resolution: 4 });
  return calls;
}
