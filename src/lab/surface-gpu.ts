/**
 * The loss surface's WebGPU drawing (shaders/surface.wgsl): the adapter and device of the canvas view
 * (startGpu), the three render pipelines (createRenderer), the frame's render pass (encodeFrame), the scene's
 * vertex and instance buffers (surfaceMesh, sceneLines, uploadScene), and the orbit camera.
 *
 * Camera and projection come from wgpu-matrix (mat4.perspective, mat4.lookAt, mat4.multiply): an orbit camera
 * around the surface's centre; ./surface.ts turns it by dragging or by the arrow keys and zooms it by + and −.
 *
 * renderSurfaceOffscreen draws the same scene through the same pipelines and render pass (createRenderer,
 * encodeFrame) into an offscreen texture and reads the pixels back: no canvas, so it is what the browser tests
 * exercise (test/browser/lab-surface.test.ts) where presenting a canvas would lose the device.
 */
import { mat4, vec3 } from 'wgpu-matrix';
import surfaceWgsl from '../../shaders/surface.wgsl?raw';
import { integerIn, messageOf } from '../checks.ts';
import { WebGPUUnavailableError } from '../errors.ts';
import { compileChecked } from '../webgpu/kernels.ts';
import { settleNudged } from '../webgpu/firefox-poll.ts';
import { type AdapterIdentity, isSoftwareAdapter } from '../webgpu/software-adapter.ts';
import { GPU_PROBE_MS, openWithin } from './device.ts';
import { unansweredGpu } from './gpu-wait.ts';
import { LIGHT, type Palette } from './palette.ts';
import { buildScene, type Scene, type SurfaceArgs } from './surface-grid.ts';

// ---------------------------------------------------------------------------------------------------------
// WebGPU.

/** World height of normalised loss 1 (the base is the square [−1, 1]²). */
const HEIGHT_SCALE = 0.9;
const SAMPLES = 4;
const DEPTH_FORMAT: GPUTextureFormat = 'depth24plus';
/** The scheme's colours of the view (palette.ts surface): LIGHT's unless given. */
type SurfaceColours = Pick<Palette['surface'], 'clear' | 'frame3d' | 'stem3d'>;
/** Floats per vertex / instance of the three pipelines (see the WGSL structs). */
const SURFACE_FLOATS = 6;
const LINE_FLOATS = 11;
const DOT_FLOATS = 8;
const UNIFORM_BYTES = 96;
/** Iso-loss contour lines per unit of normalised height. */
const CONTOURS = 10;

const PATH_COLOUR = [1.0, 0.42, 0.05, 1] as const;
const DOT_COLOUR = [0.9, 0.05, 0.2, 1] as const;

/** WebGPU is not there, or failed to start: the reason becomes the heatmap's caption. */
export class Unavailable extends Error {}

/** Multisampled colour and depth targets of one size (the colour one resolves into the frame's texture). */
interface Targets {
  width: number;
  height: number;
  colour: GPUTexture;
  depth: GPUTexture;
}

/**
 * The three pipelines for one colour format, their uniforms and bind group, and the targets they draw into:
 * everything the canvas view (startGpu) and renderSurfaceOffscreen share.
 */
interface Renderer {
  device: GPUDevice;
  format: GPUTextureFormat;
  uniforms: GPUBuffer;
  bindGroup: GPUBindGroup;
  surface: GPURenderPipeline;
  line: GPURenderPipeline;
  dot: GPURenderPipeline;
  /** Remade when the frame size changes (ensureTargets). */
  targets: Targets | null;
}

/** The canvas view's renderer: the pipelines in the canvas's preferred format, and the canvas context. */
export interface Gpu extends Renderer {
  context: GPUCanvasContext;
}

export interface GpuScene {
  vertices: GPUBuffer;
  indices: GPUBuffer;
  indexCount: number;
  lines: GPUBuffer;
  lineCount: number;
  dots: GPUBuffer;
  dotCount: number;
}

export interface SurfaceOptions {
  /**
   * Draw in 3-D on a fallback (software) adapter too — the fallback flag, or SwiftShader by name
   * (../webgpu/software-adapter.ts). Off by default. NOTE: headless Chromium without a GPU
   * (SwiftShader) loses the device when a WebGPU canvas presents its first frame, and with it every device
   * of the page — the engine's too, so training would fall back to the CPU. Seen with Chromium 156 here.
   * renderSurfaceOffscreen has no canvas, so it draws on such an adapter without that risk.
   */
  allowFallbackAdapter?: boolean;
}

/** Adapter, device, canvas context and the three pipelines; throws Unavailable with the reason. */
export async function startGpu(canvas: HTMLCanvasElement, options: SurfaceOptions): Promise<Gpu> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Unavailable('navigator.gpu is missing (no WebGPU in this browser, or the page is not a secure context)');
  // Within GPU_PROBE_MS, as the page's own probe (device.ts openWithin), else the heatmap, saying why; a device that
  // comes later is destroyed. A requestAdapter or requestDevice that never settles (a GPU process that hangs: the
  // page started on wasm after its probe) held Draw, and with it every control of the page, busy for good. While a
  // request given up on still has no answer — the page's probe or an earlier view's (gpu-wait.ts) — the heatmap at
  // once, with its reason: a view (the first Draw, another net's) waited GPU_PROBE_MS more on the same hung GPU
  // process, every control of the page disabled. Once it has answered, however late, a view asks again.
  const waiting = unansweredGpu();
  if (waiting !== null) throw new Unavailable(waiting);
  let device: GPUDevice;
  try {
    device = await openWithin(openDevice(gpu, options), GPU_PROBE_MS, (late) => late.destroy());
  } catch (err) {
    throw err instanceof WebGPUUnavailableError ? new Unavailable(err.detail) : err;
  }
  try {
    const context = canvas.getContext('webgpu');
    if (!context) throw new Unavailable('the canvas has no webgpu context');
    const format = gpu.getPreferredCanvasFormat();
    context.configure({ device, format, alphaMode: 'opaque' });
    const renderer = await createRenderer(device, format);
    return { ...renderer, context };
  } catch (err) {
    device.destroy();
    throw err instanceof Unavailable ? err : new Unavailable(messageOf(err));
  }
}

/** The view's adapter and device (startGpu); throws Unavailable with the reason. */
async function openDevice(gpu: GPU, options: SurfaceOptions): Promise<GPUDevice> {
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    throw new Unavailable(`requestAdapter failed: ${messageOf(err)}`);
  }
  if (!adapter) throw new Unavailable('no WebGPU adapter (requestAdapter returned null)');
  // A software adapter by the engine's test (../webgpu/software-adapter.ts: the fallback flag, or SwiftShader by name).
  const info = (adapter as GPUAdapter & { info?: AdapterIdentity }).info;
  if (info && isSoftwareAdapter(info) && !options.allowFallbackAdapter) {
    throw new Unavailable('the adapter is a fallback (software) adapter, where a WebGPU canvas can lose the device and take training with it; tick "3-D on a software adapter" to try anyway');
  }
  try {
    return await adapter.requestDevice({ label: 'lab surface: device' });
  } catch (err) {
    throw new Unavailable(`requestDevice failed: ${messageOf(err)}`);
  }
}

/**
 * Compiles shaders/surface.wgsl and makes the three pipelines for colour `format`, inside a validation error
 * scope of its own (popped on every path, so a caller's scopes are left as they were). Throws the
 * ShaderCompileError of compileChecked (`shaders/surface.wgsl:line:col message`) or the validation error.
 */
async function createRenderer(device: GPUDevice, format: GPUTextureFormat): Promise<Renderer> {
  device.pushErrorScope('validation');
  let renderer: Renderer | undefined;
  let failure: unknown = null;
  try {
    renderer = await buildRenderer(device, format);
  } catch (err) {
    failure = err;
  }
  const err = await device.popErrorScope();
  if (!renderer) throw failure;
  if (err) {
    renderer.uniforms.destroy();
    throw new Error(`WebGPU validation error while making the surface pipelines: ${err.message}`);
  }
  return renderer;
}

async function buildRenderer(device: GPUDevice, format: GPUTextureFormat): Promise<Renderer> {
  // Throws ShaderCompileError listing `shaders/surface.wgsl:line:col message` for every error.
  const [module] = await compileChecked(device, [{ label: 'shaders/surface.wgsl', code: surfaceWgsl }]);
  const layout = device.createBindGroupLayout({
    label: 'lab surface: bind group layout',
    entries: [{ binding: 0, visibility: GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT, buffer: { type: 'uniform' } }],
  });
  const pipelineLayout = device.createPipelineLayout({ label: 'lab surface: pipeline layout', bindGroupLayouts: [layout] });
  const uniforms = device.createBuffer({ label: 'lab surface: uniforms', size: UNIFORM_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({ label: 'lab surface: bind group', layout, entries: [{ binding: 0, resource: { buffer: uniforms } }] });
  const pipeline = (name: string, entry: string, buffers: GPUVertexBufferLayout[], depthCompare: GPUCompareFunction): GPURenderPipeline =>
    device.createRenderPipeline({
      label: `lab surface: ${name} pipeline (${format})`,
      layout: pipelineLayout,
      vertex: { module, entryPoint: `vs_${entry}`, buffers },
      fragment: { module, entryPoint: `fs_${entry}`, targets: [{ format }] },
      primitive: { topology: 'triangle-list', cullMode: 'none' },
      depthStencil: { format: DEPTH_FORMAT, depthWriteEnabled: true, depthCompare },
      multisample: { count: SAMPLES },
    });
  const f32 = 4;
  const surface = pipeline('surface', 'surface', [{
    arrayStride: SURFACE_FLOATS * f32,
    attributes: [
      { shaderLocation: 0, offset: 0, format: 'float32x3' },
      { shaderLocation: 1, offset: 3 * f32, format: 'float32x3' },
    ],
  }], 'less');
  const line = pipeline('line', 'line', [{
    arrayStride: LINE_FLOATS * f32,
    stepMode: 'instance',
    attributes: [
      { shaderLocation: 0, offset: 0, format: 'float32x3' },
      { shaderLocation: 1, offset: 3 * f32, format: 'float32x3' },
      { shaderLocation: 2, offset: 6 * f32, format: 'float32x4' },
      { shaderLocation: 3, offset: 10 * f32, format: 'float32' },
    ],
  }], 'less');
  // The current point is drawn over everything: it must never hide behind a hill.
  const dot = pipeline('dot', 'dot', [{
    arrayStride: DOT_FLOATS * f32,
    stepMode: 'instance',
    attributes: [
      { shaderLocation: 0, offset: 0, format: 'float32x3' },
      { shaderLocation: 1, offset: 3 * f32, format: 'float32x4' },
      { shaderLocation: 2, offset: 7 * f32, format: 'float32' },
    ],
  }], 'always');
  return { device, format, uniforms, bindGroup, surface, line, dot, targets: null };
}

/** The multisampled colour and depth targets for a (width × height) frame, remade when the size changes. */
function ensureTargets(r: Renderer, width: number, height: number): Targets {
  if (r.targets && r.targets.width === width && r.targets.height === height) return r.targets;
  r.targets?.colour.destroy();
  r.targets?.depth.destroy();
  const size = { width, height };
  r.targets = {
    width,
    height,
    colour: r.device.createTexture({ label: 'lab surface: multisampled colour', size, sampleCount: SAMPLES, format: r.format, usage: GPUTextureUsage.RENDER_ATTACHMENT }),
    depth: r.device.createTexture({ label: 'lab surface: depth', size, sampleCount: SAMPLES, format: DEPTH_FORMAT, usage: GPUTextureUsage.RENDER_ATTACHMENT }),
  };
  return r.targets;
}

/** Destroys what the renderer made (targets, uniforms); not the device, which is the caller's. */
export function destroyRenderer(r: Renderer): void {
  r.targets?.colour.destroy();
  r.targets?.depth.destroy();
  r.targets = null;
  r.uniforms.destroy();
}

/** A frame's size: `css` sizes line widths and dot radii (CSS pixels), `width` × `height` is the texture. */
interface FrameSize {
  width: number;
  height: number;
  cssWidth: number;
  cssHeight: number;
}

/**
 * Writes the uniforms and encodes the frame's render pass (surface, lines, dot), resolving into `resolveTarget`
 * (a (width × height) view in the renderer's format): the one draw path of the canvas view and of
 * renderSurfaceOffscreen. The caller submits `encoder`.
 */
export function encodeFrame(r: Renderer, gs: GpuScene, scene: Scene, vp: Float32Array, size: FrameSize, resolveTarget: GPUTextureView, encoder: GPUCommandEncoder, colours: SurfaceColours = LIGHT.surface): void {
  const targets = ensureTargets(r, size.width, size.height);
  const light = vec3.normalize(vec3.fromValues(-0.4, 1, 0.6));
  const uniforms = new Float32Array(UNIFORM_BYTES / 4);
  uniforms.set(vp, 0);
  uniforms.set([light[0], light[1], light[2], 0], 16);
  // NOTE: no contour lines on a flat surface: it is drawn at height 0.5, exactly on a contour level, and would
  // turn into one big dark "line".
  const contours = scene.scale.max > scene.scale.min ? CONTOURS : 0;
  uniforms.set([size.cssWidth, size.cssHeight, HEIGHT_SCALE, contours], 20);
  r.device.queue.writeBuffer(r.uniforms, 0, uniforms);
  const pass = encoder.beginRenderPass({
    label: 'lab surface: render pass',
    colorAttachments: [{
      view: targets.colour.createView({ label: 'lab surface: multisampled colour view' }),
      resolveTarget,
      clearValue: { r: colours.clear[0], g: colours.clear[1], b: colours.clear[2], a: 1 },
      loadOp: 'clear',
      storeOp: 'discard',
    }],
    depthStencilAttachment: {
      view: targets.depth.createView({ label: 'lab surface: depth view' }),
      depthClearValue: 1,
      depthLoadOp: 'clear',
      depthStoreOp: 'discard',
    },
  });
  pass.setBindGroup(0, r.bindGroup);
  pass.setPipeline(r.surface);
  pass.setVertexBuffer(0, gs.vertices);
  pass.setIndexBuffer(gs.indices, 'uint32');
  pass.drawIndexed(gs.indexCount);
  pass.setPipeline(r.line);
  pass.setVertexBuffer(0, gs.lines);
  pass.draw(6, gs.lineCount);
  pass.setPipeline(r.dot);
  pass.setVertexBuffer(0, gs.dots);
  pass.draw(6, gs.dotCount);
  pass.end();
}

/** Vertices (position, normal) and triangle-list indices of the (res × res) height field. */
function surfaceMesh(scene: Scene): { vertices: Float32Array<ArrayBuffer>; indices: Uint32Array<ArrayBuffer> } {
  const { res, values } = scene.grid;
  const h = new Float32Array(res * res);
  for (let k = 0; k < h.length; k++) h[k] = scene.scale.h(values[k]);
  const step = 2 / (res - 1);
  const vertices = new Float32Array(res * res * SURFACE_FLOATS);
  for (let i2 = 0; i2 < res; i2++) {
    for (let i1 = 0; i1 < res; i1++) {
      const k = i2 * res + i1;
      // Central differences (one-sided at the edges) of world height y = h·H over world x and surface z.
      const xa = Math.max(i1 - 1, 0), xb = Math.min(i1 + 1, res - 1);
      const za = Math.max(i2 - 1, 0), zb = Math.min(i2 + 1, res - 1);
      const dydx = ((h[i2 * res + xb] - h[i2 * res + xa]) * HEIGHT_SCALE) / ((xb - xa) * step);
      const dydz = ((h[zb * res + i1] - h[za * res + i1]) * HEIGHT_SCALE) / ((zb - za) * step);
      // World z is −(surface z), so ∂y/∂z_world = −dydz and the normal (−∂y/∂x, 1, −∂y/∂z_world) is:
      const nx = -dydx, ny = 1, nz = dydz;
      const len = Math.hypot(nx, ny, nz);
      vertices.set([-1 + i1 * step, h[k], -1 + i2 * step, nx / len, ny / len, nz / len], k * SURFACE_FLOATS);
    }
  }
  const indices = new Uint32Array((res - 1) * (res - 1) * 6);
  let o = 0;
  for (let i2 = 0; i2 < res - 1; i2++) {
    for (let i1 = 0; i1 < res - 1; i1++) {
      const a = i2 * res + i1, b = a + 1, c = a + res, d = c + 1;
      indices.set([a, b, c, c, b, d], o);
      o += 6;
    }
  }
  return { vertices, indices };
}

type Rgba = readonly [number, number, number, number];
export type P3 = readonly [number, number, number];

/** Line segments (frame, height axis, stem under the current point, training path) as instance data. */
function sceneLines(scene: Scene, colours: SurfaceColours): Float32Array<ArrayBuffer> {
  const FRAME_COLOUR: Rgba = [...colours.frame3d, 1];
  const STEM_COLOUR: Rgba = [...colours.stem3d, 1];
  const out: number[] = [];
  const seg = (a: P3, b: P3, colour: Rgba, width: number): void => {
    out.push(...a, ...b, ...colour, width);
  };
  const corners: P3[] = [[-1, 0, -1], [1, 0, -1], [1, 0, 1], [-1, 0, 1]];
  corners.forEach((c, k) => seg(c, corners[(k + 1) % 4], FRAME_COLOUR, 1.5));
  // The height axis, and tick marks at the ends of both parameter axes (their values are HTML labels).
  seg([-1, 0, 1], [-1, 1, 1], FRAME_COLOUR, 1.5);
  for (const x of [-1, 1]) seg([x, 0, -1], [x, 0, -1.1], FRAME_COLOUR, 1.5);
  for (const z of [-1, 1]) seg([1, 0, z], [1.1, 0, z], FRAME_COLOUR, 1.5);
  seg([0, 0, 0], scene.here, STEM_COLOUR, 2);
  for (const run of scene.path) {
    for (let k = 0; k + 1 < run.length; k++) seg(run[k], run[k + 1], PATH_COLOUR, 3);
  }
  return new Float32Array(out);
}

export function uploadScene(device: GPUDevice, scene: Scene, colours: SurfaceColours = LIGHT.surface): GpuScene {
  const make = (label: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, usage: GPUBufferUsageFlags): GPUBuffer => {
    const buffer = device.createBuffer({ label: `lab surface: ${label}`, size: Math.max(16, Math.ceil(data.byteLength / 4) * 4), usage: usage | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  };
  const mesh = surfaceMesh(scene);
  const lines = sceneLines(scene, colours);
  const dots = new Float32Array([...scene.here, ...DOT_COLOUR, 7]);
  return {
    vertices: make('vertices', mesh.vertices, GPUBufferUsage.VERTEX),
    indices: make('indices', mesh.indices, GPUBufferUsage.INDEX),
    indexCount: mesh.indices.length,
    lines: make('line segments', lines, GPUBufferUsage.VERTEX),
    lineCount: lines.length / LINE_FLOATS,
    dots: make('current point', dots, GPUBufferUsage.VERTEX),
    dotCount: dots.length / DOT_FLOATS,
  };
}

export function destroyScene(s: GpuScene | null): void {
  if (!s) return;
  s.vertices.destroy();
  s.indices.destroy();
  s.lines.destroy();
  s.dots.destroy();
}

// ---------------------------------------------------------------------------------------------------------
// The orbit camera (wgpu-matrix).

export interface SurfaceOrbit {
  /** Radians around the vertical axis; 0 looks along −z (θ1 to the right, θ2 away). */
  yaw: number;
  /** Radians above the floor. */
  pitch: number;
  distance: number;
}

/** The camera a view starts with (and returns to on 0 / Home). */
export const SURFACE_HOME: Readonly<SurfaceOrbit> = { yaw: -0.55, pitch: 0.45, distance: 4.4 };
export const PITCH_MIN = 0.05;
export const PITCH_MAX = 1.5;
export const DISTANCE_MIN = 2;
export const DISTANCE_MAX = 10;

/** The orbit camera's projection × view matrix (wgpu-matrix), world space → clip space. */
export function surfaceViewProjection(o: SurfaceOrbit, aspect: number): Float32Array {
  const target = vec3.fromValues(0, HEIGHT_SCALE * 0.4, 0);
  const eye = vec3.add(target, vec3.fromValues(
    o.distance * Math.cos(o.pitch) * Math.sin(o.yaw),
    o.distance * Math.sin(o.pitch),
    o.distance * Math.cos(o.pitch) * Math.cos(o.yaw),
  ));
  const view = mat4.lookAt(eye, target, vec3.fromValues(0, 1, 0));
  const projection = mat4.perspective((40 * Math.PI) / 180, aspect, 0.1, 50);
  return mat4.multiply(projection, view);
}

/** Surface coordinates → pixels on a (width × height) frame, y down (for the HTML axis labels over the canvas). */
export function projectToPixels(vp: Float32Array, p: P3, width: number, height: number): [number, number] {
  const ndc = vec3.transformMat4(vec3.fromValues(p[0], p[1] * HEIGHT_SCALE, -p[2]), vp);
  return [((ndc[0] + 1) / 2) * width, ((1 - ndc[1]) / 2) * height];
}

// ---------------------------------------------------------------------------------------------------------
// Offscreen (no canvas).

/** The colour format of renderSurfaceOffscreen's pixels. */
const OFFSCREEN_FORMAT: GPUTextureFormat = 'rgba8unorm';

/**
 * Draws the 3-D surface for `args` — the scene show() would draw, through the same pipelines and render pass —
 * into an offscreen (width × height) 'rgba8unorm' texture on `device`, and reads it back: RGBA, 4 bytes a
 * pixel, rows top to bottom, no padding. Line widths and dot radii are in pixels of the image (a CSS pixel
 * ratio of 1). `orbit` fields default to SURFACE_HOME's. One-shot: it compiles the shader and makes the pipelines
 * on every call. No canvas is involved, so it is safe on a fallback
 * adapter (see SurfaceOptions). Every GPU object it makes is destroyed before it returns; the device is the
 * caller's and is left as it is. Throws the ShaderCompileError of compileChecked, a validation error made
 * while building the pipelines, or SpecError for bad args; a validation error in the frame itself goes to the
 * caller's error scopes (push one around the call to see it).
 */
export async function renderSurfaceOffscreen(device: GPUDevice, args: SurfaceArgs, width: number, height: number, orbit: Partial<SurfaceOrbit> = {}): Promise<Uint8Array> {
  const limit = device.limits.maxTextureDimension2D;
  for (const [name, v] of [['width', width], ['height', height]] as const) integerIn(v, name, 1, limit);
  const scene = buildScene(args);
  const renderer = await createRenderer(device, OFFSCREEN_FORMAT);
  let gs: GpuScene | null = null;
  let target: GPUTexture | null = null;
  let readback: GPUBuffer | null = null;
  try {
    gs = uploadScene(device, scene);
    const bytesPerRow = Math.ceil((width * 4) / 256) * 256;
    target = device.createTexture({
      label: 'lab surface: offscreen colour',
      size: { width, height },
      format: OFFSCREEN_FORMAT,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });
    readback = device.createBuffer({ label: 'lab surface: offscreen readback', size: bytesPerRow * height, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const vp = surfaceViewProjection({ ...SURFACE_HOME, ...orbit }, width / height);
    const encoder = device.createCommandEncoder({ label: 'lab surface: offscreen frame' });
    encodeFrame(renderer, gs, scene, vp, { width, height, cssWidth: width, cssHeight: height }, target.createView({ label: 'lab surface: offscreen colour view' }), encoder);
    encoder.copyTextureToBuffer({ texture: target }, { buffer: readback, bytesPerRow, rowsPerImage: height }, { width, height });
    device.queue.submit([encoder.finish()]);
    // In Firefox, nudged while pending (src/webgpu/firefox-poll.ts: its 100 ms poll settles this too).
    await settleNudged(device, readback.mapAsync(GPUMapMode.READ));
    const padded = new Uint8Array(readback.getMappedRange());
    const pixels = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) pixels.set(padded.subarray(y * bytesPerRow, y * bytesPerRow + width * 4), y * width * 4);
    readback.unmap();
    return pixels;
  } finally {
    readback?.destroy();
    target?.destroy();
    destroyScene(gs);
    destroyRenderer(renderer);
  }
}
