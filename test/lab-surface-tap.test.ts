/**
 * The loss surface's heatmap by touch (src/lab/surface-cell.ts cellAt, src/lab/surface.ts onHeatmapTap): found on an
 * emulated iPad Pro 11 (puppeteer, touch only, no WebGPU: the heatmap) — the mark over the grid moved by the arrow
 * keys alone, so a student's tap on the map did nothing, and the canvas's touch-action none (the 3-D view's, for its
 * drag) held the page still under a finger on a map 594 px tall on an 1194 px screen, dragging which did nothing
 * either. Now a tap marks the grid point under it and the line says it; the heatmap's touch-action is manipulation.
 *
 * Expected points are worked by hand from the drawing's geometry: grid point i1 at left + i1·w/(res − 1), i2 at
 * top + (res − 1 − i2)·h/(res − 1). The loss is the 2-2-1 lecture net's, in float64 from its published maths.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cellAt } from '../src/lab/surface-cell.ts';
import { LossSurface } from '../src/lab/surface.ts';
import type { SurfaceArgs } from '../src/lab/surface-grid.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { batchFrom, validateSpec } from '../src/spec.ts';
import { FakeElement } from './lib/fake-dom.ts';

describe('cellAt: the grid point a tap marks', () => {
  // A 41 × 41 grid in a 400 × 400 box at (50, 12): a grid step of 10 px; i2 = 0 at the bottom (y 412).
  const box = { left: 50, top: 12, width: 400, height: 400 };
  it('the corners and the centre', () => {
    expect(cellAt(box, 41, 50, 412)).toEqual({ i1: 0, i2: 0 });
    expect(cellAt(box, 41, 450, 12)).toEqual({ i1: 40, i2: 40 });
    expect(cellAt(box, 41, 50, 12)).toEqual({ i1: 0, i2: 40 });
    expect(cellAt(box, 41, 250, 212)).toEqual({ i1: 20, i2: 20 });
  });
  it('the nearest point: 4 px off goes back, 6 px off goes on (the second parameter grows upwards)', () => {
    expect(cellAt(box, 41, 254, 216)).toEqual({ i1: 20, i2: 20 });
    expect(cellAt(box, 41, 256, 206)).toEqual({ i1: 21, i2: 21 });
    expect(cellAt(box, 41, 244, 218)).toEqual({ i1: 19, i2: 19 });
  });
  it('outside the box (the axes, the colour bar): no point', () => {
    expect(cellAt(box, 41, 49, 200)).toBeNull();
    expect(cellAt(box, 41, 451, 200)).toBeNull();
    expect(cellAt(box, 41, 200, 11)).toBeNull();
    expect(cellAt(box, 41, 200, 413)).toBeNull();
  });
});

/** A stand-in element with a canvas's 2-D context that draws nothing and measures every text 30 px wide. */
class El extends FakeElement {
  style: Record<string, string> = {};
  tabIndex = -1;
  width = 0;
  height = 0;
  clientWidth = 0;
  clientHeight = 0;
  parent: El | null = null;
  constructor(tag: string, readonly ownerDocument: Doc) {
    super(tag);
  }
  override append(...nodes: (FakeElement | string)[]): void {
    for (const n of nodes) if (n instanceof El) n.parent = this;
    super.append(...nodes);
  }
  getContext(): object {
    const special: Record<string, unknown> = {
      measureText: () => ({ width: 30 }),
      createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }),
      createLinearGradient: () => ({ addColorStop: () => undefined }),
    };
    return new Proxy({}, { get: (t: Record<string | symbol, unknown>, k) => special[String(k)] ?? t[k] ?? (() => undefined), set: (t, k, v) => ((t[k] = v), true) });
  }
  getBoundingClientRect(): { left: number; top: number } {
    return { left: 100, top: 1000 };
  }
  removeEventListener(): void {}
  remove(): void {}
}
class Doc {
  activeElement: El | null = null;
  createElement(tag: string): El {
    return new El(tag, this);
  }
}

const spec = lecture('lecture-2-2-1').worked.spec;
const valid = validateSpec(spec);
const batch = batchFrom(valid.net, spec.x, spec.y);
const naming = new Naming(valid.net, spec.notation);
// w5 = 0.4, w6 = 0.45, a 5 × 5 grid of radius 1: axis1 = (−0.6, −0.1, 0.4, 0.9, 1.4), axis2 = (−0.55, −0.05, 0.45, 0.95, 1.45).
const args: SurfaceArgs = {
  net: valid.net, params: valid.params!, X: batch.X, Y: batch.Y, n: batch.n,
  p1: naming.resolveParam('w5', 'test'), p2: naming.resolveParam('w6', 'test'), names: ['w5', 'w6'], radius: 1, resolution: 5,
};
const raw = spec as unknown as { params: { W: number[][][]; b: [number, number[]] }; x: number[][]; y: number[][] };
const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
function lossAt(w5: number, w6: number): number {
  const { W, b } = raw.params;
  const [x1, x2] = raw.x[0];
  const h = W[0].map(([a, c]) => sigma(a * x1 + c * x2 + b[0]));
  return 0.5 * (sigma(w5 * h[0] + w6 * h[1] + b[1][0]) - raw.y[0][0]) ** 2;
}

beforeAll(() => {
  const doc = new Doc();
  vi.stubGlobal('document', doc);
  vi.stubGlobal('window', { devicePixelRatio: 1 });
  vi.stubGlobal('navigator', {});
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
});
afterAll(() => vi.unstubAllGlobals());

describe('a tap on the heatmap of a LossSurface (no WebGPU)', () => {
  it('marks the grid point under it and says its w5, w6 and L; a tap on the axes marks nothing; the page scrolls under a finger', async () => {
    const host = new Doc().createElement('div');
    const view = new LossSurface(host as unknown as HTMLElement);
    expect((await view.show(args)).mode).toBe('heatmap');
    const root = host.children[0];
    const viewEl = root.children[0] as El;
    const canvas = viewEl.children[0] as El;
    const said = (): string | null => root.children.find((c) => c.className === 'loss-surface-point')!.textContent;
    expect(canvas.style.touchAction).toBe('manipulation');
    // The canvas 480 × 360 CSS px (clientWidth 0: drawHeatmap's default); every text 30 px wide: the box's left is
    // 26 + 30 + 6 = 62, its right margin 14 + 12 + 4 + 30 + 8 = 68, so 350 wide; top 12, 360 − 12 − 46 = 302 tall.
    // Grid steps 87.5 and 75.5 px. i1 = 3, i2 = 1 at (62 + 262.5, 12 + 226.5), 10 px off it; the canvas at (100, 1000).
    const tap = (x: number, y: number): boolean => viewEl.dispatch('click', { clientX: 100 + x, clientY: 1000 + y });
    tap(10, 200);
    expect(said()).toBe('');
    tap(62 + 262.5 + 10, 12 + 226.5 - 10);
    const m = /^w5 = 0\.9, w6 = −0\.05: L = (\S+)$/.exec(said() ?? '');
    expect(m, said() ?? '').not.toBeNull();
    expect(Math.abs(Number(m![1]) - lossAt(0.9, -0.05)) / lossAt(0.9, -0.05)).toBeLessThan(1e-3);
    // The centre: the current point.
    tap(62 + 175, 12 + 151);
    expect(said()).toMatch(/^w5 = 0\.4, w6 = 0\.45: L = \S+ \(the current point\)$/);
    view.dispose();
  });
});
