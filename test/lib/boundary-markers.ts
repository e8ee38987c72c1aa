/**
 * The markers a recorded drawBoundary painted (src/lab/boundary.ts: a training point, or a legend row's swatch): each
 * a path from beginPath to its fill, read from a recording 2-D context's calls (./recording-context.ts). A marker is
 * a disc (an arc: its centre and radius) or a polygon (its vertices; its centre their mean), with the fill style in
 * force when it was filled.
 */
import type { Call } from './recording-context.ts';

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
