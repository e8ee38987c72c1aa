/**
 * The loss-surface heatmap on the keyboard (pure; LossSurface in ./surface.ts draws and says it): the heatmap's canvas
 * is a Tab stop as the 3-D view's is, whose arrow keys turn it and 0 / Home set it back; on the heatmap the arrow keys
 * move a marked grid point — Left / Right along the first parameter (horizontal), Up / Down along the second
 * (vertical, growing upwards as drawn) — and 0 / Home take it back to the current point (the grid's centre), and a
 * line says the point's parameters and loss. Nothing wraps: at an edge the mark stays (and the line is said again).
 */
import { fmt, type LossGrid } from './surface-grid.ts';

/** A grid point: `i1` along the first parameter (axis1), `i2` along the second (axis2); the loss is values[i2·res + i1]. */
export interface GridCell {
  i1: number;
  i2: number;
}

/** The current point: the centre of a res × res grid (res is odd, lossGrid makes it so). */
export function centreCell(res: number): GridCell {
  const c = Math.floor((res - 1) / 2);
  return { i1: c, i2: c };
}

/** Where `key` moves the mark from `cell` on a res × res grid; null for a key the heatmap does not take (left to the page). */
export function moveCell(cell: GridCell, key: string, res: number): GridCell | null {
  const clamp = (i: number): number => Math.min(res - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowLeft': return { i1: clamp(cell.i1 - 1), i2: cell.i2 };
    case 'ArrowRight': return { i1: clamp(cell.i1 + 1), i2: cell.i2 };
    case 'ArrowUp': return { i1: cell.i1, i2: clamp(cell.i2 + 1) };
    case 'ArrowDown': return { i1: cell.i1, i2: clamp(cell.i2 - 1) };
    case '0': case 'Home': return centreCell(res);
    default: return null;
  }
}

/**
 * What the heatmap's line says of a marked point: "w5 = 0.45, w6 = 0.2: E = 0.0123", and " (the current point)" at the
 * centre; `loss` is the net's letter for the loss (Scene.loss: 'E', 'J', 'L', …), as the colour bar names it.
 */
export function cellLine(grid: LossGrid, names: readonly [string, string], cell: GridCell, loss: string): string {
  const c = centreCell(grid.res);
  const here = cell.i1 === c.i1 && cell.i2 === c.i2 ? ' (the current point)' : '';
  return `${names[0]} = ${fmt(grid.axis1[cell.i1])}, ${names[1]} = ${fmt(grid.axis2[cell.i2])}: ${loss} = ${fmt(grid.values[cell.i2 * grid.res + cell.i1])}${here}`;
}

/** The heatmap's plot box on its canvas, in CSS px from the canvas's top-left (surface.ts drawHeatmap's). */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The grid point a tap or click at (x, y) — CSS px from the canvas's top-left — marks on a res × res heatmap drawn in
 * `box`: the nearest one (grid point i1 at box.left + i1·width/(res − 1), i2 at box.top + (res − 1 − i2)·height/(res − 1):
 * the second parameter grows upwards, as drawn); null outside the box (the axes, the colour bar). NOTE: the heatmap's
 * mark moved by the arrow keys alone, and a tablet has none: a student's tap on the map did nothing.
 */
export function cellAt(box: PlotBox, res: number, x: number, y: number): GridCell | null {
  if (x < box.left || x > box.left + box.width || y < box.top || y > box.top + box.height) return null;
  const clamp = (i: number): number => Math.min(res - 1, Math.max(0, i));
  return { i1: clamp(Math.round(((x - box.left) / box.width) * (res - 1))), i2: clamp(Math.round(((box.top + box.height - y) / box.height) * (res - 1))) };
}
