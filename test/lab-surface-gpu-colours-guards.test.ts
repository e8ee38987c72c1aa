/**
 * The loss surface's 3-D view in each scheme (src/lab/surface-gpu.ts, palette.ts surface; mut62). No WebGPU in Node:
 * a stand-in device keeps what uploadScene writes, and a stand-in encoder the render pass encodeFrame begins. The
 * line segments are LINE_FLOATS = 11 floats each (a, b, rgba, width): the frame's four sides, the height axis and
 * four ticks (9 segments, colour frame3d), then the stem under the current point (stem3d). The clear colour of the
 * dark view is the page's --bg #111827 (17, 24, 39), the heatmap's background, so that the two views of the surface
 * sit on the same dark. Contrast: test/lib/wcag.ts (WCAG 2.2), on the colours as 8-bit sRGB (× 255, rounded).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DARK, LIGHT, type Palette } from '../src/lab/palette.ts';
import { encodeFrame, uploadScene } from '../src/lab/surface-gpu.ts';
import { buildScene } from '../src/lab/surface-grid.ts';
import { lectureSurfaceArgs } from './lib/surface-args.ts';
import { contrast } from './lib/wcag.ts';

beforeAll(() => {
  vi.stubGlobal('GPUBufferUsage', { VERTEX: 32, INDEX: 16, COPY_DST: 8, UNIFORM: 64 });
  vi.stubGlobal('GPUTextureUsage', { RENDER_ATTACHMENT: 16 });
});
afterAll(() => vi.unstubAllGlobals());

const hex = (rgb: readonly number[]): string => `#${rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, '0')).join('')}`;

/** A device that keeps each buffer's data by its label. */
function fakeDevice(): { device: GPUDevice; data: Map<string, Float32Array> } {
  const data = new Map<string, Float32Array>();
  const device = {
    createBuffer: (d: { label: string }) => ({ label: d.label, destroy: () => undefined }),
    createTexture: () => ({ createView: () => ({}), destroy: () => undefined }),
    queue: {
      writeBuffer: (b: { label?: string }, _o: number, d: ArrayBufferView) => {
        if (d instanceof Float32Array && b.label) data.set(b.label, Float32Array.from(d));
      },
    },
  } as unknown as GPUDevice;
  return { device, data };
}

describe('uploadScene: the frame and the stem in the scheme given', () => {
  const scene = buildScene(lectureSurfaceArgs());
  for (const pal of [LIGHT, DARK] as Palette[]) {
    it(`${pal.name}: 9 frame segments in frame3d, then the stem in stem3d`, () => {
      const { device, data } = fakeDevice();
      uploadScene(device, scene, pal.surface);
      const lines = data.get('lab surface: line segments')!;
      expect(lines.length % 11).toBe(0);
      const colourOf = (s: number): number[] => Array.from(lines.slice(11 * s + 6, 11 * s + 10));
      for (let s = 0; s < 9; s++) expect(colourOf(s)).toEqual([...pal.surface.frame3d.map(Math.fround), 1]);
      expect(colourOf(9)).toEqual([...pal.surface.stem3d.map(Math.fround), 1]);
      // The stem runs from the floor's centre to the current point.
      expect(Array.from(lines.slice(99, 105))).toEqual([0, 0, 0, ...scene.here.map(Math.fround)]);
    });
  }
});

describe('encodeFrame: the render pass clears to the scheme\'s colour', () => {
  for (const pal of [LIGHT, DARK] as Palette[]) {
    it(`${pal.name}: clearValue is surface.clear, opaque`, () => {
      const { device } = fakeDevice();
      const scene = buildScene(lectureSurfaceArgs());
      const gs = uploadScene(device, scene, pal.surface);
      let clear: unknown;
      const pass = new Proxy({}, { get: () => () => undefined });
      const encoder = { beginRenderPass: (d: { colorAttachments: { clearValue: unknown }[] }) => { clear = d.colorAttachments[0].clearValue; return pass; } } as unknown as GPUCommandEncoder;
      const r = { device, format: 'rgba8unorm', uniforms: {}, bindGroup: {}, surface: {}, line: {}, dot: {}, targets: null } as unknown as Parameters<typeof encodeFrame>[0];
      encodeFrame(r, gs, scene, new Float32Array(16), { width: 8, height: 8, cssWidth: 8, cssHeight: 8 }, {} as GPUTextureView, encoder, pal.surface);
      const [cr, cg, cb] = pal.surface.clear;
      expect(clear).toEqual({ r: cr, g: cg, b: cb, a: 1 });
    });
  }
});

describe('the 3-D view\'s colours', () => {
  it('dark: clears to the page\'s #111827 (17, 24, 39), the heatmap\'s background', () => {
    expect(DARK.surface.clear.map((c) => Math.round(c * 255))).toEqual([17, 24, 39]);
    expect(hex(DARK.surface.clear)).toBe(DARK.surface.background);
  });

  it('the frame and the stem ≥ 3:1 on the clear colour, in both schemes (WCAG 1.4.11)', () => {
    for (const pal of [LIGHT, DARK]) {
      const bg = hex(pal.surface.clear);
      expect(contrast(hex(pal.surface.frame3d), bg), `${pal.name} frame`).toBeGreaterThanOrEqual(3);
      expect(contrast(hex(pal.surface.stem3d), bg), `${pal.name} stem`).toBeGreaterThanOrEqual(3);
    }
  });
});
