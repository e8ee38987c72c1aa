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
