/**
 * The network diagram's geometry that needs no DOM (src/lab/diagram.ts draws it): which layout draws the net larger
 * in a box, the band of a weight's tap target, and how far a point is from a weight's or bias's lines and box (which
 * one a click or tap picks).
 */
import { r2 } from './diagram-model.ts';
import type { Segment } from './diagram-types.ts';

export type Box = { width: number; height: number };
export type Layout = 'rows' | 'columns';
/** A weight's or bias's lines and a bias's box (centre and size), in viewBox units. */
export type Shape = { lines: Segment[]; box?: Box & { x: number; y: number } };

/** The scale at which a drawing of `size` (viewBox units) fits `box` (px) whole: the SVG's preserveAspectRatio meet. */
export const fitScale = (size: Box, box: Box): number => Math.min(box.width / size.width, box.height / size.height);

/**
 * The layout that draws larger in `box`, given the drawing's size in each (diagramSizes): every text scales with the
 * drawing, so it draws every name larger. `tie`: the layout where both draw at the same scale.
 */
export function chooseLayout(sizes: Record<Layout, Box>, box: Box, tie: Layout): Layout {
  const columns = fitScale(sizes.columns, box);
  const rows = fitScale(sizes.rows, box);
  if (Math.abs(rows - columns) <= 1e-9 * Math.max(rows, columns)) return tie;
  return rows > columns ? 'rows' : 'columns';
}

/** How far (viewBox units) point (x, y) is from `shape`'s lines and box. */
export function shapeDistance(shape: Shape, x: number, y: number): number {
  const toSeg = (s: Segment) => {
    const [dx, dy] = [s.x2 - s.x1, s.y2 - s.y1];
    const t = Math.min(1, Math.max(0, ((x - s.x1) * dx + (y - s.y1) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(x - s.x1 - t * dx, y - s.y1 - t * dy);
  };
  const b = shape.box;
  const toBox = b ? Math.hypot(Math.max(0, Math.abs(x - b.x) - b.width / 2), Math.max(0, Math.abs(y - b.y) - b.height / 2)) : Infinity;
  return Math.min(toBox, ...shape.lines.map(toSeg));
}

/** The corners of a box `half` units each side of segment `s` (along it, its ends). */
export function band(s: Segment, half: number): string {
  const len = Math.hypot(s.x2 - s.x1, s.y2 - s.y1) || 1;
  const [nx, ny] = [(-(s.y2 - s.y1) / len) * half, ((s.x2 - s.x1) / len) * half];
  return [[s.x1 + nx, s.y1 + ny], [s.x2 + nx, s.y2 + ny], [s.x2 - nx, s.y2 - ny], [s.x1 - nx, s.y1 - ny]].map(([x, y]) => `${r2(x)},${r2(y)}`).join(' ');
}
