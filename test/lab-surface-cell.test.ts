/**
 * The loss-surface heatmap on the keyboard (src/lab/surface-cell.ts; LossSurface's heatmap keys): its canvas was a Tab
 * stop whose keys did nothing (the 3-D view's turn it). Now the arrow keys move a marked grid point — Right / Left
 * along the first parameter, Up / Down along the second (upwards, as the heatmap draws it) —, 0 / Home take it back
 * to the current point (the centre, as the 3-D view's 0 / Home reset it), nothing wraps, and a line says the point's
 * (w_i, w_j, L). The grid is made up here, 5 × 5 with values[i2·5 + i1] = 10·i2 + i1 + 0.5, so every expected line
 * is read off it by hand.
 */
import { describe, expect, it } from 'vitest';
import { cellLine, centreCell, moveCell } from '../src/lab/surface-cell.ts';
import type { LossGrid } from '../src/lab/surface-grid.ts';

const grid: LossGrid = {
  res: 5,
  axis1: [0.3, 0.35, 0.4, 0.45, 0.5],
  axis2: [-0.1, 0, 0.1, 0.2, 0.3],
  values: Float32Array.from({ length: 25 }, (_, k) => 10 * Math.floor(k / 5) + (k % 5) + 0.5),
  current: 22.5,
};
const names = ['w5', 'w6'] as const;

describe('the heatmap\'s marked point', () => {
  it('starts at the current point, the centre (2, 2)', () => {
    expect(centreCell(5)).toEqual({ i1: 2, i2: 2 });
    expect(centreCell(41)).toEqual({ i1: 20, i2: 20 });
  });

  it('Right / Left move along w5, Up / Down along w6 (upwards as drawn)', () => {
    const c = centreCell(5);
    expect(moveCell(c, 'ArrowRight', 5)).toEqual({ i1: 3, i2: 2 });
    expect(moveCell(c, 'ArrowLeft', 5)).toEqual({ i1: 1, i2: 2 });
    expect(moveCell(c, 'ArrowUp', 5)).toEqual({ i1: 2, i2: 3 });
    expect(moveCell(c, 'ArrowDown', 5)).toEqual({ i1: 2, i2: 1 });
  });

  it('nothing wraps: at an edge the mark stays', () => {
    expect(moveCell({ i1: 4, i2: 0 }, 'ArrowRight', 5)).toEqual({ i1: 4, i2: 0 });
    expect(moveCell({ i1: 4, i2: 0 }, 'ArrowDown', 5)).toEqual({ i1: 4, i2: 0 });
    expect(moveCell({ i1: 0, i2: 4 }, 'ArrowLeft', 5)).toEqual({ i1: 0, i2: 4 });
    expect(moveCell({ i1: 0, i2: 4 }, 'ArrowUp', 5)).toEqual({ i1: 0, i2: 4 });
  });

  it('0 and Home take it back to the current point; other keys are not the heatmap\'s', () => {
    expect(moveCell({ i1: 0, i2: 4 }, '0', 5)).toEqual({ i1: 2, i2: 2 });
    expect(moveCell({ i1: 0, i2: 4 }, 'Home', 5)).toEqual({ i1: 2, i2: 2 });
    for (const key of ['Tab', 'Enter', ' ', '+', 'a', 'End']) expect(moveCell({ i1: 1, i2: 1 }, key, 5), key).toBeNull();
  });

  it('the line says the point\'s w5, w6 and L, and when it is the current point', () => {
    // (3, 2): w5 = axis1[3] = 0.45, w6 = axis2[2] = 0.1, L = 10·2 + 3 + 0.5 = 23.5.
    expect(cellLine(grid, names, { i1: 3, i2: 2 }, 'L')).toBe('w5 = 0.45, w6 = 0.1: L = 23.5');
    // (0, 4): w5 = 0.3, w6 = 0.3, L = 40 + 0 + 0.5.
    expect(cellLine(grid, names, { i1: 0, i2: 4 }, 'L')).toBe('w5 = 0.3, w6 = 0.3: L = 40.5');
    // (4, 0): L = 0 + 4 + 0.5; w6 = −0.1 with the page's minus sign.
    expect(cellLine(grid, names, { i1: 4, i2: 0 }, 'L')).toBe('w5 = 0.5, w6 = −0.1: L = 4.5');
    expect(cellLine(grid, names, { i1: 2, i2: 2 }, 'L')).toBe('w5 = 0.4, w6 = 0.1: L = 22.5 (the current point)');
  });
});
