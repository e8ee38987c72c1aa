/**
 * The loss surface's 3-D view in each scheme (src/lab/surface-gpu.ts, palette.ts surface; mut62). No WebGPU in Node:
 * a stand-in device keeps what uploadScene writes, and a stand-in encoder the render pass encodeFrame begins. The
 * line segments are LINE_FLOATS = 11 floats each (a, b, rgba, width): the frame's four sides, the height axis and
 * four ticks (9 segments, colour frame3d), then the stem under the current point (stem3d). The clear colour of the
 * dark view is the page's --bg #111827 (17, 24, 39), the heatmap's background, so that the two views of the surface
 * sit on the same dark. Contrast: test/lib/wcag.ts (WCAG 2.2), on the colours as 8-bit sRGB (× 255, rounded).
 *
 * And LossSurface itself in WebGPU mode (surface.ts; u62): a stand-in navigator.gpu whose adapter gives a stand-in
 * device (shader compiles clean, no validation error), a stand-in DOM whose canvas gives a webgpu context. The 3-D
 * view's HTML labels in the scheme's text colour on its backing (LIGHT #222 on rgba(255, 255, 255, 0.75), DARK
 * #e5e7eb on rgba(17, 24, 39, 0.75)), ≥ 4.5:1 where the backing lies over the clear colour and over viridis's two ends
 * (#440154, #fde725): the backing composited by hand, α·backing + (1 − α)·under per 8-bit channel, rounded. And
 * repaint() after the system turned dark uploads the 3-D lines again: the frame in DARK's frame3d (0.61, 0.64, 0.69).
 * And under Firefox's user agent, the first frame's wait (show) and the snapshot's map (renderSurfaceOffscreen) go
 * through src/webgpu/firefox-poll.ts's empty submits: a stand-in queue settles each only after 2 submits made once it
 * is pending, as Firefox's 100 ms poll would after a submit.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DARK, LIGHT, type Palette } from '../src/lab/palette.ts';
import { encodeFrame, renderSurfaceOffscreen, uploadScene } from '../src/lab/surface-gpu.ts';
import { buildScene } from '../src/lab/surface-grid.ts';
import { LossSurface } from '../src/lab/surface.ts';
import { SurfaceDoc, type SurfaceEl as El } from './lib/surface-dom.ts';
import { lectureSurfaceArgs } from './lib/surface-args.ts';
import { contrast } from './lib/wcag.ts';

beforeAll(() => {
  vi.stubGlobal('GPUBufferUsage', { VERTEX: 32, INDEX: 16, COPY_DST: 8, UNIFORM: 64 });
  vi.stubGlobal('GPUTextureUsage', { RENDER_ATTACHMENT: 16 });
  vi.stubGlobal('GPUShaderStage', { VERTEX: 1, FRAGMENT: 2 });
  vi.stubGlobal('window', { devicePixelRatio: 1 });
  vi.stubGlobal('navigator', { gpu: fakeGpu });
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: dark && q === '(prefers-color-scheme: dark)', addEventListener: () => undefined }));
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

// ---- LossSurface in WebGPU mode (u62) ----

let dark = false;
/** Every line-segment upload of the stand-in device, in order. */
const lineUploads: Float32Array[] = [];
/**
 * A device enough for startGpu, uploadScene and renderGpu; keeps each line-segment upload. `queue` replaces parts of
 * its queue (the Firefox case below: a wait that settles only after submits).
 */
function gpuDevice(queue: Partial<GPUQueue> = {}): GPUDevice {
  const stub = (): object => ({ destroy: () => undefined, createView: () => ({}) });
  const pass = new Proxy({}, { get: () => () => undefined });
  return {
    lost: new Promise(() => undefined),
    pushErrorScope: () => undefined,
    popErrorScope: () => Promise.resolve(null),
    createShaderModule: () => ({ getCompilationInfo: () => Promise.resolve({ messages: [] }) }),
    createBindGroupLayout: stub, createPipelineLayout: stub, createBindGroup: stub, createRenderPipeline: stub, createTexture: stub,
    createBuffer: (d: { label: string }) => ({ label: d.label, destroy: () => undefined }),
    createCommandEncoder: () => ({ beginRenderPass: () => pass, finish: () => ({}) }),
    queue: {
      writeBuffer: (b: { label?: string }, _o: number, d: ArrayBufferView) => {
        if (b.label === 'lab surface: line segments' && d instanceof Float32Array) lineUploads.push(Float32Array.from(d));
      },
      submit: () => undefined,
      onSubmittedWorkDone: () => Promise.resolve(),
      ...queue,
    },
    destroy: () => undefined,
  } as unknown as GPUDevice;
}
const fakeGpu = {
  requestAdapter: () => Promise.resolve({ requestDevice: () => Promise.resolve(gpuDevice()) }),
  getPreferredCanvasFormat: () => 'bgra8unorm',
};

/** A canvas's WebGPU context, stand-in: configured, a texture to view; no 2-D context. */
const webgpuOnly = (kind: string): unknown =>
  kind === 'webgpu' ? { configure: () => undefined, unconfigure: () => undefined, getCurrentTexture: () => ({ createView: () => ({}) }) } : null;

/** A LossSurface shown in WebGPU mode in the scheme now; its labels' element (the view's second child). */
async function shown(): Promise<{ view: LossSurface; labels: El }> {
  const host = new SurfaceDoc(webgpuOnly).createElement('div');
  const view = new LossSurface(host as unknown as HTMLElement);
  const r = await view.show(lectureSurfaceArgs());
  expect(r.mode).toBe('webgpu');
  const labels = (host.children[0] as El).children[0].children[1] as El;
  expect(labels.className).toBe('loss-surface-labels');
  return { view, labels };
}

/** `rgba(r, g, b, a)` over the opaque #rrggbb `under`, as #rrggbb: α·c + (1 − α)·u per channel, rounded. */
function over(rgba: string, under: string): string {
  const m = /^rgba\((\d+), (\d+), (\d+), ([\d.]+)\)$/.exec(rgba);
  if (!m) throw new Error(`not rgba(r, g, b, a): ${rgba}`);
  const a = Number(m[4]);
  const u = [1, 3, 5].map((i) => parseInt(under.slice(i, i + 2), 16));
  return `#${[1, 2, 3].map((k, i) => Math.round(a * Number(m[k]) + (1 - a) * u[i]).toString(16).padStart(2, '0')).join('')}`;
}

describe('LossSurface in WebGPU mode: the HTML labels and the 3-D lines in the scheme now', () => {
  const cases = [
    { name: 'light', isDark: false, text: '#222', backing: 'rgba(255, 255, 255, 0.75)', clear: '#fafafb' },
    { name: 'dark', isDark: true, text: '#e5e7eb', backing: 'rgba(17, 24, 39, 0.75)', clear: '#111827' },
  ];
  for (const c of cases) {
    it(`${c.name}: the labels ${c.text} on ${c.backing}, ≥ 4.5:1 over the clear colour and viridis's ends`, async () => {
      dark = c.isDark;
      const { view, labels } = await shown();
      expect(labels.style.color).toBe(c.text);
      expect(labels.children.length).toBe(8);
      for (const span of labels.children as El[]) {
        expect(span.style.background).toBe(c.backing);
        for (const under of [c.clear, '#440154', '#fde725']) {
          expect(contrast(labels.style.color, over(span.style.background, under)), `${span.textContent} over ${under}`).toBeGreaterThanOrEqual(4.5);
        }
      }
      view.dispose();
    });
  }

  it('repaint() after the system turned dark uploads the lines again: the frame in (0.61, 0.64, 0.69), the stem (0.97, 0.44, 0.44)', async () => {
    dark = false;
    const { view, labels } = await shown();
    lineUploads.length = 0;
    dark = true;
    view.repaint();
    expect(lineUploads.length).toBe(1);
    const lines = lineUploads[0];
    for (let s = 0; s < 9; s++) expect(Array.from(lines.slice(11 * s + 6, 11 * s + 10))).toEqual([0.61, 0.64, 0.69, 1].map(Math.fround));
    expect(Array.from(lines.slice(9 * 11 + 6, 9 * 11 + 10))).toEqual([0.97, 0.44, 0.44, 1].map(Math.fround));
    expect(labels.style.color).toBe('#e5e7eb');
    view.dispose();
  });
});

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

/**
 * A queue as Firefox's settles a wait on the GPU: only on its poll or after a submit — here `wait()` settles at the
 * 2nd submit made once it is pending. `submits()` counts them all, `settleAt()` is the count it settles at.
 */
function firefoxQueue(): { queue: Partial<GPUQueue>; wait: () => Promise<undefined>; submits: () => number; settleAt: () => number } {
  let submits = 0;
  let settleAt = Infinity;
  let settle = (): void => undefined;
  return {
    queue: {
      submit: () => {
        submits++;
        if (submits === settleAt) settle();
      },
    },
    wait: () => new Promise<undefined>((resolve) => {
      settleAt = submits + 2;
      settle = () => resolve(undefined);
    }),
    submits: () => submits,
    settleAt: () => settleAt,
  };
}

/** Until `done()` or 200 macrotasks (a bounded wait, no time): each is a turn of the nudge loop's MessageChannel or more. */
async function until(done: () => boolean): Promise<void> {
  for (let k = 0; k < 200 && !done(); k++) await new Promise((r) => setTimeout(r, 1));
}

describe("LossSurface in WebGPU mode in Firefox: the first frame's wait (onSubmittedWorkDone) nudged", () => {
  it("under Firefox's user agent, show() resolves through empty submits (Firefox's 100 ms poll: src/webgpu/firefox-poll.ts)", async () => {
    const ff = firefoxQueue();
    const queue: Partial<GPUQueue> = { ...ff.queue, onSubmittedWorkDone: ff.wait };
    const firefoxGpu = { ...fakeGpu, requestAdapter: () => Promise.resolve({ requestDevice: () => Promise.resolve(gpuDevice(queue)) }) };
    vi.stubGlobal('navigator', { gpu: firefoxGpu, userAgent: FIREFOX });
    try {
      dark = false;
      const host = new SurfaceDoc(webgpuOnly).createElement('div');
      const view = new LossSurface(host as unknown as HTMLElement);
      let mode = 'pending';
      void view.show(lectureSurfaceArgs()).then((r) => { mode = r.mode; });
      await until(() => mode !== 'pending');
      expect(mode).toBe('webgpu');
      expect(ff.submits()).toBe(ff.settleAt());
      view.dispose();
    } finally {
      vi.stubGlobal('navigator', { gpu: fakeGpu });
    }
  });
});

describe("renderSurfaceOffscreen in Firefox: the snapshot's map nudged", () => {
  it("under Firefox's user agent, the readback's mapAsync settles through empty submits and the pixels come back", async () => {
    const ff = firefoxQueue();
    const base = gpuDevice(ff.queue);
    const pass = new Proxy({}, { get: () => () => undefined });
    const device = Object.assign(Object.create(null) as object, base, {
      limits: { maxTextureDimension2D: 8192 },
      createCommandEncoder: () => ({ beginRenderPass: () => pass, copyTextureToBuffer: () => undefined, finish: () => ({}) }),
      createBuffer: (d: { label: string; size: number }) => ({
        label: d.label,
        destroy: () => undefined,
        unmap: () => undefined,
        // 2 × 2 pixels: rows of 256 bytes (bytesPerRow is a multiple of 256), the first pixel (1, 2, 3, 4).
        getMappedRange: () => Uint8Array.from({ length: d.size }, (_, i) => (i < 4 ? i + 1 : 0)).buffer,
        mapAsync: ff.wait,
      }),
    }) as unknown as GPUDevice;
    vi.stubGlobal('GPUMapMode', { READ: 1 });
    vi.stubGlobal('navigator', { gpu: fakeGpu, userAgent: FIREFOX });
    try {
      let pixels: Uint8Array | null = null;
      void renderSurfaceOffscreen(device, lectureSurfaceArgs(), 2, 2).then((p) => { pixels = p; });
      await until(() => pixels !== null);
      expect(ff.submits()).toBe(ff.settleAt());
      expect(Array.from(pixels ?? [])).toEqual([1, 2, 3, 4, ...new Array<number>(12).fill(0)]);
    } finally {
      vi.stubGlobal('navigator', { gpu: fakeGpu });
    }
  });
});
