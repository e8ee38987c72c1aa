/**
 * The lab's 3-D loss surface (src/lab/surface-gpu.ts + shaders/surface.wgsl) drawn offscreen in the browser:
 * renderSurfaceOffscreen runs the same pipelines, scene upload and render pass as the canvas view, into an
 * 'rgba8unorm' texture instead of the canvas (a WebGPU canvas loses the device on SwiftShader; see
 * SurfaceOptions). The page returns summary statistics and a PNG, never the raw image.
 *
 * Where the image must and may be drawn is worked out in Node from the geometry alone — the loss grid
 * (lossGrid, on the CPU), the mesh it makes and the camera (surfaceViewProjection, projectToPixels) — as two
 * pixel masks that the page checks against the image:
 *  - sure: the mesh is drawn with no culling and lies inside the depth range, so a pixel one of whose 4 MSAA
 *    sample points is inside a projected triangle (by more than EDGE_SLACK) has a covered sample and cannot
 *    be the clear colour.
 *  - possible: a pixel can differ from the clear colour only if one of its samples lies within EDGE_SLACK of a
 *    projected triangle, within 1.5 px of a line segment (frame, ticks, height axis, stem: quads at most 2 px
 *    wide, extended by half their width at the ends) or within 7 px (the dot's radius) of the dot's centre.
 * This checks the WGSL's world transform, the vertex and index buffer layouts, the uniform layout, the MSAA
 * resolve and the read-back against the CPU; the camera itself must frame the surface: the sure mask covers
 * > 10 % of the image, the possible one < 95 %, and the image's corners are the clear colour.
 *
 * The rendered image is saved as test-artifacts/lab/surface-offscreen.png (and -rotated, -flat; git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/node/server.ts';
import { type SurfaceArgs, lossGrid, viridis } from '../../src/lab/surface-grid.ts';
import { SURFACE_HOME, type SurfaceOrbit, projectToPixels, surfaceViewProjection } from '../../src/lab/surface-gpu.ts';
import { lecture } from '../../src/lectures/index.ts';
import { batchFrom, validateSpec } from '../../src/spec.ts';
import { useHarnessPage } from './lib.ts';

const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts', 'lab');
const WIDTH = 160;
const HEIGHT = 120;
const TOTAL = WIDTH * HEIGHT;
/** The clear colour of the render pass (CLEAR in surface-gpu.ts) as rgba8unorm. */
const BACKGROUND = [250, 250, 251] as const;

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});

type Which = 'lecture' | 'flat';

/**
 * The 2-2-1 lecture net over (w5, w6); or, for 'flat', the same net with input x = (0, 0) over (w1, w2), which
 * then multiply zeros, so the loss is constant. The page builds the same args from the same sources.
 */
function surfaceArgs(which: Which): SurfaceArgs {
  const spec = lecture('lecture-2-2-1').worked.spec;
  const v = validateSpec(spec);
  const batch = batchFrom(v.net, spec.x, spec.y);
  const w = (layer: number, col: number) => ({ kind: 'W' as const, layer, row: 0, col });
  return which === 'lecture'
    ? { net: v.net, params: v.params!, X: batch.X, Y: batch.Y, n: batch.n, p1: w(1, 0), p2: w(1, 1), names: ['w5', 'w6'] }
    : { net: v.net, params: v.params!, X: new Float32Array(batch.X.length), Y: batch.Y, n: batch.n, p1: w(0, 0), p2: w(0, 1), names: ['w1', 'w2'] };
}

/** What the page reports for one image. */
interface ImageStats {
  /** Validation error message of the render, or null. */
  validation: string | null;
  /** Pixels whose colour differs from the background by more than 3 (sum of |Δ| over r, g, b). */
  covered: number;
  /** `sure` pixels that are background, and pixels outside `possible` that are not. */
  missing: number;
  stray: number;
  /** Colour at the four corners, [r, g, b]. */
  corners: number[][];
  /** Covered pixels at the low (purple: b > r > g) and high (yellow: r, g > b + 20) ends of viridis. */
  low: number;
  high: number;
  /** Covered pixels within 3 (per channel) of `expectColour` (when given). */
  matching: number;
  /** 4 × 4 × 4 histogram of the covered pixels (r, g, b in quarters; index r·16 + g·4 + b). */
  histogram: number[];
  /** FNV-1a over the RGBA bytes. */
  hash: string;
  /** The image as a PNG, base64. */
  png: string;
}

/** Renders in the page, with a device of its own (no canvas), inside a validation error scope. */
async function render(which: Which, orbit: Partial<SurfaceOrbit>, m: Masks, expectColour: number[] | null = null): Promise<ImageStats> {
  return page.evaluate(async (which, orbit, width, height, bg, sure, possible, expectColour) => {
    // A plain import() would be rewritten by vitest's transform before the function reaches the page.
    const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
    const { renderSurfaceOffscreen } = (await load('/src/lab/surface-gpu.ts')) as typeof import('../../src/lab/surface-gpu.ts');
    const { lecture } = (await load('/src/lectures/index.ts')) as typeof import('../../src/lectures/index.ts');
    const { validateSpec, batchFrom } = (await load('/src/spec.ts')) as typeof import('../../src/spec.ts');
    const spec = lecture('lecture-2-2-1').worked.spec;
    const v = validateSpec(spec);
    const batch = batchFrom(v.net, spec.x, spec.y);
    const w = (layer: number, col: number) => ({ kind: 'W' as const, layer, row: 0, col });
    const args = which === 'lecture'
      ? { net: v.net, params: v.params!, X: batch.X, Y: batch.Y, n: batch.n, p1: w(1, 0), p2: w(1, 1), names: ['w5', 'w6'] as [string, string] }
      : { net: v.net, params: v.params!, X: new Float32Array(batch.X.length), Y: batch.Y, n: batch.n, p1: w(0, 0), p2: w(0, 1), names: ['w1', 'w2'] as [string, string] };
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    const device = await adapter.requestDevice({ label: 'lab-surface test: device' });
    try {
      device.pushErrorScope('validation');
      const rendered = await renderSurfaceOffscreen(device, args, width, height, orbit).then((p) => ({ pixels: p }), (err: unknown) => ({ err }));
      // Popped before a thrown render is rethrown, so that the scope is never left open.
      const scopeError = await device.popErrorScope();
      if ('err' in rendered) throw rendered.err;
      const { pixels } = rendered;
      let covered = 0, missing = 0, stray = 0, low = 0, high = 0, matching = 0;
      let hash = 0x811c9dc5;
      const histogram = new Array<number>(64).fill(0);
      for (let k = 0; k < pixels.length; k++) hash = Math.imul(hash ^ pixels[k], 0x01000193) >>> 0;
      for (let k = 0; k < pixels.length; k += 4) {
        const r = pixels[k], g = pixels[k + 1], b = pixels[k + 2];
        if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) <= 3) {
          if (sure[k / 4]) missing++;
          continue;
        }
        covered++;
        if (!possible[k / 4]) stray++;
        histogram[(r >> 6) * 16 + (g >> 6) * 4 + (b >> 6)]++;
        if (b > r && r > g + 10) low++;
        if (r > b + 20 && g > b + 20) high++;
        if (expectColour && Math.abs(r - expectColour[0]) <= 3 && Math.abs(g - expectColour[1]) <= 3 && Math.abs(b - expectColour[2]) <= 3) matching++;
      }
      const at = (x: number, y: number) => Array.from(pixels.subarray((y * width + x) * 4, (y * width + x) * 4 + 3));
      const corners = [at(0, 0), at(width - 1, 0), at(0, height - 1), at(width - 1, height - 1)];
      // The PNG through a 2-D OffscreenCanvas (no WebGPU canvas involved).
      const canvas = new OffscreenCanvas(width, height);
      canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels), width, height), 0, 0);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (let k = 0; k < bytes.length; k += 0x8000) binary += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
      return {
        validation: scopeError ? scopeError.message : null, covered, missing, stray, corners, low, high, matching, histogram,
        hash: hash.toString(16).padStart(8, '0'), png: btoa(binary),
      };
    } finally {
      device.destroy();
    }
  }, which, orbit, WIDTH, HEIGHT, [...BACKGROUND], Array.from(m.sure), Array.from(m.possible), expectColour);
}

function save(name: string, s: ImageStats): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.png`), Buffer.from(s.png, 'base64'));
}

// ---------------------------------------------------------------------------------------------------------
// Geometry in Node (pixels, y down; see the file comment).

type Pt = [number, number];

/** Signed distance (pixels) of p from the line a → b; positive on the left in y-up terms. */
function side(a: Pt, b: Pt, p: Pt): number {
  return ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / Math.hypot(b[0] - a[0], b[1] - a[1]);
}

/** p is inside triangle abc (either winding) with at least `margin` pixels to spare (negative: to spare outside). */
function inTriangle(a: Pt, b: Pt, c: Pt, p: Pt, margin: number): boolean {
  const s = side(a, b, c) > 0 ? 1 : -1;
  return s * side(a, b, p) >= margin && s * side(b, c, p) >= margin && s * side(c, a, p) >= margin;
}

function distanceToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** The standard 4-sample positions within a pixel (WebGPU requires them for sampleCount 4). */
const SAMPLES: Pt[] = [[0.375, 0.125], [0.875, 0.375], [0.125, 0.625], [0.625, 0.875]];

interface Masks {
  /** 1 where the pixel must be drawn (not the clear colour), row-major, top row first. */
  sure: Uint8Array;
  /** 1 where the pixel may be drawn. */
  possible: Uint8Array;
}

/** Marks the pixels one of whose samples passes `test`, looking only inside the bounding box of `around`. */
function mark(mask: Uint8Array, around: Pt[], pad: number, test: (p: Pt) => boolean): void {
  const xs = around.map((p) => p[0]), ys = around.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - pad - 1)), x1 = Math.min(WIDTH - 1, Math.ceil(Math.max(...xs) + pad + 1));
  const y0 = Math.max(0, Math.floor(Math.min(...ys) - pad - 1)), y1 = Math.min(HEIGHT - 1, Math.ceil(Math.max(...ys) + pad + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!mask[y * WIDTH + x] && SAMPLES.some(([sx, sy]) => test([x + sx, y + sy]))) mask[y * WIDTH + x] = 1;
    }
  }
}

/** Sample points closer than this to a triangle's edge count as neither surely in nor surely out (f32, edge rules). */
const EDGE_SLACK = 0.05;

function masks(which: Which, orbit: Partial<SurfaceOrbit>): Masks {
  const g = lossGrid(surfaceArgs(which));
  let min = Infinity, max = -Infinity;
  for (const v of g.values) { min = Math.min(min, v); max = Math.max(max, v); }
  // The linear scale (heightScale in surface-grid.ts): this net's loss spans far less than 3 decades.
  expect(Math.log10(max / min)).toBeLessThan(3);
  const h = (v: number) => (max > min ? (v - min) / (max - min) : 0.5);
  const vp = surfaceViewProjection({ ...SURFACE_HOME, ...orbit }, WIDTH / HEIGHT);
  const px = (x: number, y: number, z: number): Pt => projectToPixels(vp, [x, y, z], WIDTH, HEIGHT);
  const sure = new Uint8Array(TOTAL);
  const possible = new Uint8Array(TOTAL);
  const { res, values } = g;
  const step = 2 / (res - 1);
  // The mesh of surfaceMesh (surface.ts): vertex (i1, i2) at (−1 + i1·step, h, −1 + i2·step), triangles
  // (a, b, c) and (c, b, d) per cell. Drawn with no culling and inside the depth range, so a sample inside a
  // projected triangle is drawn (by that triangle or by something in front of it).
  const vertex = (i1: number, i2: number): Pt => px(-1 + i1 * step, h(values[i2 * res + i1]), -1 + i2 * step);
  for (let i2 = 0; i2 + 1 < res; i2++) {
    for (let i1 = 0; i1 + 1 < res; i1++) {
      const a = vertex(i1, i2), b = vertex(i1 + 1, i2), c = vertex(i1, i2 + 1), d = vertex(i1 + 1, i2 + 1);
      for (const [p, q, r] of [[a, b, c], [c, b, d]]) {
        mark(sure, [p, q, r], 0, (s) => inTriangle(p, q, r, s, EDGE_SLACK));
        mark(possible, [p, q, r], 0, (s) => inTriangle(p, q, r, s, -EDGE_SLACK));
      }
    }
  }
  // The line segments of sceneLines (surface-gpu.ts), at most 2 px wide, and the dot (radius 7 px) over the centre.
  const here: [number, number, number] = [0, h(g.current), 0];
  const corners: [number, number, number][] = [[-1, 0, -1], [1, 0, -1], [1, 0, 1], [-1, 0, 1]];
  const segments: [number, number, number][][] = [
    ...corners.map((c, k) => [c, corners[(k + 1) % 4]]),
    [[-1, 0, 1], [-1, 1, 1]],
    [[-1, 0, -1], [-1, 0, -1.1]], [[1, 0, -1], [1, 0, -1.1]],
    [[1, 0, -1], [1.1, 0, -1]], [[1, 0, 1], [1.1, 0, 1]],
    [[0, 0, 0], here],
  ];
  for (const [a3, b3] of segments) {
    const a = px(...a3), b = px(...b3);
    mark(possible, [a, b], 1.5, (p) => distanceToSegment(p, a, b) <= 1.5);
  }
  const dot = px(...here);
  mark(possible, [dot], 7, (p) => Math.hypot(p[0] - dot[0], p[1] - dot[1]) <= 7);
  return { sure, possible };
}

const count = (m: Uint8Array): number => m.reduce((s, v) => s + v, 0);

// ---------------------------------------------------------------------------------------------------------

describe('loss surface, 3-D, offscreen (renderSurfaceOffscreen on the 2-2-1 lecture net)', () => {
  const rotated = { yaw: SURFACE_HOME.yaw + Math.PI / 2 };
  let home: ImageStats;

  /** Every `sure` pixel drawn, nothing outside `possible`, and the masks tight enough to mean something. */
  function expectWithinGeometry(s: ImageStats, m: Masks, what: string): void {
    const sure = count(m.sure), possible = count(m.possible);
    console.log(`${what}: covered ${(s.covered / TOTAL).toFixed(3)}, sure ${(sure / TOTAL).toFixed(3)}, possible ${(possible / TOTAL).toFixed(3)}, missing ${s.missing}, stray ${s.stray}, hash ${s.hash}`);
    expect(sure / TOTAL, `${what}: sure`).toBeGreaterThan(0.1);
    expect(possible / TOTAL, `${what}: possible`).toBeLessThan(0.95);
    expect(s.missing, `${what}: sure pixels left background`).toBe(0);
    expect(s.stray, `${what}: pixels drawn where nothing can be`).toBe(0);
    expect(s.covered).toBeGreaterThanOrEqual(sure);
    expect(s.covered).toBeLessThanOrEqual(possible);
  }

  it('draws the surface with no validation error, where the geometry says it must and may', async () => {
    const m = masks('lecture', {});
    home = await render('lecture', {}, m);
    save('surface-offscreen', home);
    expect(home.validation).toBeNull();
    expect(consoleErrors).toEqual([]);
    expectWithinGeometry(home, m, 'home');
    // The corners are the clear colour (the surface is framed inside the image).
    for (const c of home.corners) expect(c).toEqual([...BACKGROUND]);
  });

  it('colours both ends of the viridis ramp: min and max loss differ', () => {
    // Linear scale: the grid's minimum is at height 0 (purple) and its maximum at 1 (yellow); shading and
    // contour lines scale r, g and b together, so the orderings of the channels survive.
    console.log(`home: low ${home.low}, high ${home.high}`);
    expect(home.low / TOTAL).toBeGreaterThan(0.01);
    expect(home.high / TOTAL).toBeGreaterThan(0.01);
    // Several clearly different colours, not one.
    expect(home.histogram.filter((n) => n > 0.01 * home.covered).length).toBeGreaterThanOrEqual(4);
  });

  it('is deterministic, and rotating the camera changes the image', async () => {
    const again = await render('lecture', {}, masks('lecture', {}));
    expect(again.hash).toBe(home.hash);
    const m = masks('lecture', rotated);
    const turned = await render('lecture', rotated, m);
    save('surface-offscreen-rotated', turned);
    expect(turned.validation).toBeNull();
    expect(turned.hash).not.toBe(home.hash);
    expectWithinGeometry(turned, m, 'rotated');
    // Seen from another side, the colours move too (L1 distance of the normalised histograms).
    const d = home.histogram.reduce((s, n, k) => s + Math.abs(n / home.covered - turned.histogram[k] / turned.covered), 0);
    console.log(`histogram distance home → rotated ${d.toFixed(3)}`);
    expect(d).toBeGreaterThan(0.05);
  });

  it('shades a flat loss as one colour: viridis(0.5) × Lambert for an upward normal, no ramp ends', async () => {
    // x = (0, 0): w1 and w2 multiply zeros, the loss is constant, the surface is drawn flat at height 0.5.
    // Its normal is (0, 1, 0); the light is normalize(−0.4, 1, 0.6), so Lambert = 1 / |(−0.4, 1, 0.6)|.
    const lambert = 1 / Math.hypot(-0.4, 1, 0.6);
    const colour = viridis(0.5).map((c) => Math.round(c * (0.45 + 0.55 * lambert)));
    const m = masks('flat', {});
    const flat = await render('flat', {}, m, colour);
    save('surface-offscreen-flat', flat);
    expect(flat.validation).toBeNull();
    expect(flat.hash).not.toBe(home.hash);
    expectWithinGeometry(flat, m, 'flat');
    expect(flat.low).toBe(0);
    expect(flat.high).toBe(0);
    // The square is that one colour, but for the dot (π·7² ≈ 150 px), the stem and the anti-aliased rim; no
    // contour line either (a flat surface sits exactly on a contour level: drawn, it would be all dark).
    const sure = count(m.sure);
    console.log(`flat: ${flat.matching} of ${sure} sure pixels are ${colour}`);
    expect(flat.matching).toBeGreaterThan(0.85 * sure);
  });
});
