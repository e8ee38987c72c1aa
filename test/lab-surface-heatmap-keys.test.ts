/**
 * LossSurface's heatmap keys in Node (src/lab/surface.ts onKey → onHeatmapKey; the pure moves are
 * test/lab-surface-cell.test.ts's, the real browser test/browser/lab-surface-keys.test.ts). Mutation audit mut57: with
 * only the browser file watching the wiring, every one of these went unnoticed by the node tests — the heatmap's keys
 * ignored, the page scrolled by them (no preventDefault), each key moving from the centre again, the mark kept over a
 * new net's surface, a key at an edge not said again. A stand-in DOM (no WebGPU in Node: the heatmap; a canvas
 * without a 2-D context: nothing drawn, the keys and the live line still work).
 *
 * The 2-2-1 lecture net, w5 = W₂[0][0] = 0.4 and w6 = W₂[0][1] = 0.45, a 5 × 5 grid of radius 1: axis1 = 0.4 + (−1,
 * −0.5, 0, 0.5, 1) = (−0.6, −0.1, 0.4, 0.9, 1.4), axis2 = 0.45 + the same = (−0.55, −0.05, 0.45, 0.95, 1.45).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LossSurface } from '../src/lab/surface.ts';
import type { SurfaceArgs } from '../src/lab/surface-grid.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { batchFrom, validateSpec } from '../src/spec.ts';
import { FakeElement } from './lib/fake-dom.ts';

/** FakeElement with what LossSurface touches: style, ownerDocument, replaceWith, remove, a canvas without a 2-D context. */
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
  getContext(): null {
    return null;
  }
  removeEventListener(): void {}
  replaceWith(next: El): void {
    const kids = this.parent!.children;
    kids[kids.indexOf(this)] = next;
    next.parent = this.parent;
  }
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
const args = (names: [string, string] = ['w5', 'w6']): SurfaceArgs => ({
  net: valid.net, params: valid.params!, X: batch.X, Y: batch.Y, n: batch.n,
  p1: naming.resolveParam('w5', 'test'), p2: naming.resolveParam('w6', 'test'), names, radius: 1, resolution: 5,
});

beforeAll(() => {
  vi.stubGlobal('window', { devicePixelRatio: 1 });
  vi.stubGlobal('navigator', {});
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
});
afterAll(() => vi.unstubAllGlobals());

/** A LossSurface in a stand-in host, drawn; `key(k)` fires a keydown at its view (true when the page keeps the key). */
async function surface(): Promise<{ view: LossSurface; key: (k: string) => boolean; said: () => string | null }> {
  const host = new Doc().createElement('div');
  const view = new LossSurface(host as unknown as HTMLElement);
  const result = await view.show(args());
  expect(result.mode).toBe('heatmap');
  const root = host.children[0];
  return { view, key: (k) => root.children[0].dispatch('keydown', { key: k }), said: () => root.children.find((c) => c.className === 'loss-surface-point')!.textContent };
}

describe('the heatmap\'s keys on a LossSurface (no WebGPU)', () => {
  it('Right, Right, Up: the mark moves from the centre step by step and each move is said; the arrow keys are the heatmap\'s', async () => {
    const s = await surface();
    expect(s.said()).toBe('');
    expect(s.key('ArrowRight')).toBe(false);
    expect(s.said()).toMatch(/^w5 = 0\.9, w6 = 0\.45: L = \S+$/);
    expect(s.key('ArrowRight')).toBe(false);
    expect(s.said()).toMatch(/^w5 = 1\.4, w6 = 0\.45: L = \S+$/);
    expect(s.key('ArrowUp')).toBe(false);
    expect(s.said()).toMatch(/^w5 = 1\.4, w6 = 0\.95: L = \S+$/);
    // 0: back to the current point (the lecture's own weights).
    expect(s.key('0')).toBe(false);
    expect(s.said()).toMatch(/^w5 = 0\.4, w6 = 0\.45: L = \S+ \(the current point\)$/);
    // A key not the heatmap's is left to the page.
    expect(s.key('Tab')).toBe(true);
    s.view.dispose();
  });

  it('at an edge the mark stays and the line is said again (a change: the same words)', async () => {
    const s = await surface();
    s.key('ArrowLeft');
    s.key('ArrowLeft');
    const edge = s.said();
    expect(edge).toMatch(/^w5 = −0\.6, w6 = 0\.45: L = \S+$/);
    s.key('ArrowLeft');
    expect(s.said()).not.toBe(edge);
    expect(s.said()?.trim()).toBe(edge);
    s.view.dispose();
  });

  it('a new surface (show again) clears the mark and its line: the next key moves from the centre', async () => {
    const s = await surface();
    s.key('ArrowRight');
    s.key('ArrowRight');
    await s.view.show(args());
    expect(s.said()).toBe('');
    s.key('ArrowRight');
    expect(s.said()).toMatch(/^w5 = 0\.9, w6 = 0\.45: /);
    s.view.dispose();
  });
});
