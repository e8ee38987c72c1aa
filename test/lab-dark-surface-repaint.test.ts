/**
 * The loss surface follows a scheme change (src/lab/surface.ts LossSurface.repaint, which main.ts calls through
 * views.ts repaintSurface: drawAll does not draw the surface, drawn only on its Draw button). A LossSurface in a
 * stand-in DOM (no WebGPU in Node: the heatmap) drawn with the system preferring light, then repainted after it turned
 * dark: the heatmap's background is LIGHT's, then DARK's (palette.ts surface), with no new show().
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DARK, LIGHT } from '../src/lab/palette.ts';
import { LossSurface } from '../src/lab/surface.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { batchFrom, validateSpec } from '../src/spec.ts';
import { type Call, recording } from './lib/recording-context.ts';
import { SurfaceDoc } from './lib/surface-dom.ts';

const rec = recording();
/** The recording context, with a stand-in for the colour bar's gradient (the recording one returns nothing). */
const ctx = new Proxy(rec.ctx, { get: (t, name) => (name === 'createLinearGradient' ? () => ({ addColorStop: () => undefined }) : Reflect.get(t, name)) });


let dark = false;
beforeAll(() => {
  vi.stubGlobal('window', { devicePixelRatio: 1 });
  vi.stubGlobal('navigator', {});
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: dark && q === '(prefers-color-scheme: dark)', addEventListener: () => undefined }));
  // The heatmap's one-pixel-a-grid-point image.
  vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => ({ createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(4 * w * h) }), putImageData: () => undefined }) }) });
});
afterAll(() => vi.unstubAllGlobals());

/** The background of each heatmap drawn (its first fillRect's fill after each setTransform). */
function backgrounds(calls: Call[]): string[] {
  const out: string[] = [];
  let fill = '';
  let fresh = false;
  for (const c of calls) {
    if (c[0] === 'setTransform') fresh = true;
    if (c[0] === 'set fillStyle') fill = String(c[1]);
    if (c[0] === 'fillRect' && fresh) {
      out.push(fill);
      fresh = false;
    }
  }
  return out;
}

describe('LossSurface.repaint: the heatmap drawn again in the scheme now', () => {
  it("light, then after the system turned dark DARK's background; nothing before a first show()", async () => {
    const spec = lecture('lecture-2-2-1').worked.spec;
    const valid = validateSpec(spec);
    const batch = batchFrom(valid.net, spec.x, spec.y);
    const nm = new Naming(valid.net, spec.notation);
    const view = new LossSurface(new SurfaceDoc(() => ctx).createElement('div') as unknown as HTMLElement);
    view.repaint();
    expect(backgrounds(rec.calls)).toEqual([]);
    const r = await view.show({ net: valid.net, params: valid.params!, X: batch.X, Y: batch.Y, n: batch.n, p1: nm.resolveParam('w5', 'test'), p2: nm.resolveParam('w6', 'test'), names: ['w5', 'w6'], radius: 1, resolution: 5 });
    expect(r.mode).toBe('heatmap');
    expect(backgrounds(rec.calls)).toEqual([LIGHT.surface.background]);
    dark = true;
    view.repaint();
    expect(backgrounds(rec.calls)).toEqual([LIGHT.surface.background, DARK.surface.background]);
    view.dispose();
  });
});
