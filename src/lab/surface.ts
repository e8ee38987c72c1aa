/**
 * The lab's loss surface: L(θ1, θ2) over two chosen parameters, every other parameter fixed at its current
 * value, drawn in 3-D with WebGPU render pipelines (shaders/surface.wgsl), or as a 2-D heatmap where there is
 * no WebGPU. The grid itself (`lossGrid`) is pure CPU work through the oracle's kernels (./eval.ts), so it is
 * the same numbers whichever backend trains the net, and it is testable in Node.
 *
 * Camera and projection come from wgpu-matrix (mat4.perspective, mat4.lookAt, mat4.multiply): an orbit camera
 * around the surface's centre, turned by dragging or by the arrow keys, zoomed by + and −. Frames are drawn on
 * demand — after show(), after each key, and once per animation frame while a drag is moving — never in a loop.
 *
 * renderSurfaceOffscreen draws the same scene through the same pipelines and render pass (createRenderer,
 * encodeFrame) into an offscreen texture and reads the pixels back: no canvas, so it is what the browser tests
 * exercise (test/browser/lab-surface.test.ts) where presenting a canvas would lose the device.
 */
import { mat4, vec3 } from 'wgpu-matrix';
import surfaceWgsl from '../../shaders/surface.wgsl?raw';
import { SpecError } from '../errors.ts';
import { type ParamId, paramKey, paramValue } from '../notation/names.ts';
import { cloneParams, integerIn, type Net, type Params } from '../spec.ts';
import { compileChecked } from '../webgpu/kernels.ts';
import { lossEvaluator } from './eval.ts';

export interface SurfaceArgs {
  /** The net and its current parameters (not modified). */
  net: Net;
  params: Params;
  /** The batch, engine layout: X (inputs × n) and Y (outputs × n), row-major, one column per example. */
  X: Float32Array;
  Y: Float32Array;
  n: number;
  /** The two parameters varied, and their display names (e.g. 'w5', 'w6'). */
  p1: ParamId;
  p2: ParamId;
  names: [string, string];
  /**
   * Grid half-width around the current value, the same for both axes. Default, per axis: max(1, 2·|θ|), widened
   * to 1.1 × the farthest `path` point from the current value so that the whole path is on the surface.
   */
  radius?: number;
  /** Grid points per side (default 41); an even number is raised by one so that the centre is a grid point. */
  resolution?: number;
  /** (θ1, θ2) visited during training, drawn on the surface as a line; points outside the grid are left out. */
  path?: [number, number][];
  /** lossGrid(args) computed already (in a worker: ./surface-client.ts); otherwise show() computes it. */
  grid?: LossGrid;
}

export interface SurfaceResult {
  mode: 'webgpu' | 'heatmap';
  /** Why the 3-D view is not shown (mode 'heatmap' only). */
  reason?: string;
  /** Smallest and largest finite loss on the grid. */
  min: number;
  max: number;
  /** Grid points per side. */
  grid: number;
  /** The loss at the current parameters. */
  current: number;
}

export interface LossGrid {
  /** values[i2 * res + i1] = L(axis1[i1], axis2[i2]): row-major, θ1 varies fastest (a row is θ2 fixed). */
  values: Float32Array;
  res: number;
  axis1: number[];
  axis2: number[];
  /** The loss at the current parameters (also the grid's centre value). */
  current: number;
}

export const DEFAULT_RESOLUTION = 41;
const MIN_RESOLUTION = 3;
/** Cost is res² forward passes on the whole batch: 201² ≈ 40 000 is already seconds for a mid-sized net. */
const MAX_RESOLUTION = 201;
/** Above this many decades between min and max loss, height and colour follow log10 L. */
const LOG_DECADES = 3;
/** Path points evaluated and drawn at most (a long training run is subsampled evenly). */
const MAX_PATH_POINTS = 400;

// ---------------------------------------------------------------------------------------------------------
// The grid (pure).

function checkParamId(net: Net, p: ParamId, field: string): void {
  const layer = net.layers[p.layer];
  const ok = layer !== undefined && (p.kind === 'W'
    ? Number.isInteger(p.row) && Number.isInteger(p.col) && p.row >= 0 && p.col >= 0 && p.row < layer.units && p.col < layer.fanIn
    : Number.isInteger(p.index) && p.index >= 0 && p.index < (layer.bias === 'per-unit' ? layer.units : layer.bias === 'shared' ? 1 : 0));
  if (!ok) throw new SpecError(field, `${paramKey(p)} is not a parameter of this net`);
}

function setParam(net: Net, params: Params, p: ParamId, v: number): void {
  if (p.kind === 'W') params.W[p.layer][p.row * net.layers[p.layer].fanIn + p.col] = v;
  else params.b[p.layer][p.index] = v;
}

/** Centre, half-width and resolution of the grid: the one place both lossGrid and the path code read them. */
interface GridFrame {
  c1: number;
  c2: number;
  r1: number;
  r2: number;
  res: number;
}

function gridFrame(args: SurfaceArgs): GridFrame {
  const { net, params, p1, p2 } = args;
  checkParamId(net, p1, 'p1');
  checkParamId(net, p2, 'p2');
  if (paramKey(p1) === paramKey(p2)) throw new SpecError('p2', `must differ from p1 (both are ${paramKey(p1)})`);
  if (!(args.n >= 1) || args.X.length !== net.inputs * args.n || args.Y.length !== net.layers[net.layers.length - 1].units * args.n) {
    throw new SpecError('X', `the batch must be X (${net.inputs} × n) and Y (outputs × n) with n ≥ 1, got n = ${args.n}, X ${args.X.length}, Y ${args.Y.length} values`);
  }
  let res = integerIn(args.resolution ?? DEFAULT_RESOLUTION, 'resolution', MIN_RESOLUTION, MAX_RESOLUTION);
  if (res % 2 === 0) res += 1;
  const c1 = paramValue(net, params, p1);
  const c2 = paramValue(net, params, p2);
  if (args.radius !== undefined && !(Number.isFinite(args.radius) && args.radius > 0)) {
    throw new SpecError('radius', `must be a positive number, got ${args.radius}`);
  }
  const reach = (k: 0 | 1, c: number): number => Math.max(0, ...(args.path ?? []).map((q) => Math.abs(q[k] - c)).filter(Number.isFinite));
  const r1 = args.radius ?? Math.max(1, 2 * Math.abs(c1), 1.1 * reach(0, c1));
  const r2 = args.radius ?? Math.max(1, 2 * Math.abs(c2), 1.1 * reach(1, c2));
  return { c1, c2, r1, r2, res };
}

/**
 * res values centred on c, half-width r. NOTE: the offset r·k/h is computed from the index, so offsets are
 * exactly symmetric and the centre offset is exactly 0 — the centre grid point is the current parameters
 * bit for bit (the Float32Array then rounds c + offset, the same way for every use).
 */
function axis(c: number, r: number, res: number): number[] {
  const h = (res - 1) / 2;
  return Array.from({ length: res }, (_, i) => c + (r * (i - h)) / h);
}

/**
 * The loss over a (res × res) grid of (θ1, θ2) around the current values, every other parameter fixed. Pure:
 * args.params is copied, not modified. Cost: res² CPU forward passes over the whole batch.
 */
export function lossGrid(args: SurfaceArgs): LossGrid {
  const { c1, c2, r1, r2, res } = gridFrame(args);
  const axis1 = axis(c1, r1, res);
  const axis2 = axis(c2, r2, res);
  const evaluate = lossEvaluator(args.net, args.X, args.Y, args.n);
  const current = evaluate(args.params);
  const work = cloneParams(args.params);
  const values = new Float32Array(res * res);
  for (let i2 = 0; i2 < res; i2++) {
    setParam(args.net, work, args.p2, axis2[i2]);
    for (let i1 = 0; i1 < res; i1++) {
      setParam(args.net, work, args.p1, axis1[i1]);
      values[i2 * res + i1] = evaluate(work);
    }
  }
  return { values, res, axis1, axis2, current };
}

/** Path points (at most MAX_PATH_POINTS, evenly subsampled, the last kept) with their exact losses. */
function pathLosses(args: SurfaceArgs): { t1: number; t2: number; loss: number }[] {
  const path = (args.path ?? []).filter((q) => Number.isFinite(q[0]) && Number.isFinite(q[1]));
  if (path.length === 0) return [];
  const step = Math.max(1, Math.ceil(path.length / MAX_PATH_POINTS));
  const picked = path.filter((_, k) => k % step === 0 || k === path.length - 1);
  const evaluate = lossEvaluator(args.net, args.X, args.Y, args.n);
  const work = cloneParams(args.params);
  return picked.map(([t1, t2]) => {
    setParam(args.net, work, args.p1, t1);
    setParam(args.net, work, args.p2, t2);
    return { t1, t2, loss: evaluate(work) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Height scale and colour (shared by the 3-D view and the heatmap).

/** Maps a loss to [0, 1]: linear, or log10 when the range spans more than LOG_DECADES decades. */
interface HeightScale {
  kind: 'linear' | 'log';
  min: number;
  max: number;
  /** Decades between min and max (0 when min ≤ 0). */
  decades: number;
  /** NaN and ±∞ map to 1 (the top), so a blown-up region shows as a plateau, not a hole. */
  h(loss: number): number;
}

function heightScale(values: ArrayLike<number>): HeightScale {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) { min = 0; max = 1; } // no finite value at all
  const decades = min > 0 ? Math.log10(max / min) : 0;
  if (decades > LOG_DECADES) {
    const lo = Math.log10(min);
    return { kind: 'log', min, max, decades, h: (v) => (Number.isFinite(v) ? clamp01((Math.log10(Math.max(v, min)) - lo) / decades) : 1) };
  }
  const span = max - min;
  // NOTE: a flat surface (span 0, e.g. a parameter that feeds nothing) is drawn at half height.
  return { kind: 'linear', min, max, decades, h: (v) => (Number.isFinite(v) ? (span > 0 ? clamp01((v - min) / span) : 0.5) : 1) };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Viridis as a degree-6 polynomial (the same coefficients as viridis() in shaders/surface.wgsl); 0 … 255. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

export function viridis(t: number): [number, number, number] {
  const x = clamp01(t);
  const out: [number, number, number] = [0, 0, 0];
  for (let ch = 0; ch < 3; ch++) {
    let acc = 0;
    for (let k = VIRIDIS.length - 1; k >= 0; k--) acc = acc * x + VIRIDIS[k][ch];
    out[ch] = Math.round(clamp01(acc) * 255);
  }
  return out;
}

/** 4 significant digits, exponent form outside 1e-3 … 1e5. */
function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(4)));
  return v.toExponential(2);
}

// ---------------------------------------------------------------------------------------------------------
// The scene: what both views draw, in surface coordinates (x = θ1 offset / r1, y = height, z = θ2 offset / r2).

interface Scene {
  grid: LossGrid;
  frame: GridFrame;
  scale: HeightScale;
  names: [string, string];
  /** Runs of path points inside the grid (a run breaks where the path leaves it), surface coordinates. */
  path: [number, number, number][][];
  /** The current point, surface coordinates. */
  here: [number, number, number];
}

function buildScene(args: SurfaceArgs): Scene {
  const frame = gridFrame(args);
  const grid = args.grid ?? lossGrid(args);
  const scale = heightScale(grid.values);
  const runs: [number, number, number][][] = [];
  let run: [number, number, number][] = [];
  for (const q of pathLosses(args)) {
    const x = (q.t1 - frame.c1) / frame.r1;
    const z = (q.t2 - frame.c2) / frame.r2;
    if (Math.abs(x) <= 1 + 1e-9 && Math.abs(z) <= 1 + 1e-9) {
      run.push([x, scale.h(q.loss), z]);
    } else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return { grid, frame, scale, names: args.names, path: runs.filter((r) => r.length > 1), here: [0, scale.h(grid.current), 0] };
}

function describeScale(s: HeightScale): string {
  return s.kind === 'log'
    ? `height and colour follow log₁₀ L (the range spans ${s.decades.toFixed(1)} decades)`
    : 'height and colour are linear in L';
}

function axisText(name: string, a: number[]): string {
  return `${name} ∈ [${fmt(a[0])}, ${fmt(a[a.length - 1])}]`;
}

// ---------------------------------------------------------------------------------------------------------
// WebGPU.

/** World height of normalised loss 1 (the base is the square [−1, 1]²). */
const HEIGHT_SCALE = 0.9;
const SAMPLES = 4;
const DEPTH_FORMAT: GPUTextureFormat = 'depth24plus';
const CLEAR: GPUColor = { r: 0.98, g: 0.98, b: 0.985, a: 1 };
/** Floats per vertex / instance of the three pipelines (see the WGSL structs). */
const SURFACE_FLOATS = 6;
const LINE_FLOATS = 11;
const DOT_FLOATS = 8;
const UNIFORM_BYTES = 96;
/** Iso-loss contour lines per unit of normalised height. */
const CONTOURS = 10;

const FRAME_COLOUR = [0.35, 0.35, 0.4, 1] as const;
const STEM_COLOUR = [0.55, 0.1, 0.15, 1] as const;
const PATH_COLOUR = [1.0, 0.42, 0.05, 1] as const;
const DOT_COLOUR = [0.9, 0.05, 0.2, 1] as const;

/** WebGPU is not there, or failed to start: the reason becomes the heatmap's caption. */
class Unavailable extends Error {}

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
interface Gpu extends Renderer {
  context: GPUCanvasContext;
}

interface GpuScene {
  vertices: GPUBuffer;
  indices: GPUBuffer;
  indexCount: number;
  lines: GPUBuffer;
  lineCount: number;
  dots: GPUBuffer;
  dotCount: number;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface SurfaceOptions {
  /**
   * Draw in 3-D on a fallback (software) adapter too. Off by default. NOTE: headless Chromium without a GPU
   * (SwiftShader) loses the device when a WebGPU canvas presents its first frame, and with it every device
   * of the page — the engine's too, so training would fall back to the CPU. Seen with Chromium 156 here.
   * renderSurfaceOffscreen has no canvas, so it draws on such an adapter without that risk.
   */
  allowFallbackAdapter?: boolean;
}

/** Adapter, device, canvas context and the three pipelines; throws Unavailable with the reason. */
async function startGpu(canvas: HTMLCanvasElement, options: SurfaceOptions): Promise<Gpu> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Unavailable('navigator.gpu is missing (no WebGPU in this browser, or the page is not a secure context)');
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    throw new Unavailable(`requestAdapter failed: ${reasonOf(err)}`);
  }
  if (!adapter) throw new Unavailable('no WebGPU adapter (requestAdapter returned null)');
  const info = (adapter as GPUAdapter & { info?: { isFallbackAdapter?: boolean } }).info;
  if (info?.isFallbackAdapter && !options.allowFallbackAdapter) {
    throw new Unavailable('the adapter is a fallback (software) adapter, where a WebGPU canvas can lose the device and take training with it; tick "3-D on a software adapter" to try anyway');
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ label: 'lab surface: device' });
  } catch (err) {
    throw new Unavailable(`requestDevice failed: ${reasonOf(err)}`);
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
    throw err instanceof Unavailable ? err : new Unavailable(reasonOf(err));
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
function destroyRenderer(r: Renderer): void {
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
function encodeFrame(r: Renderer, gs: GpuScene, scene: Scene, vp: Float32Array, size: FrameSize, resolveTarget: GPUTextureView, encoder: GPUCommandEncoder): void {
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
      clearValue: CLEAR,
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
type P3 = readonly [number, number, number];

/** Line segments (frame, height axis, stem under the current point, training path) as instance data. */
function sceneLines(scene: Scene): Float32Array<ArrayBuffer> {
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

function uploadScene(device: GPUDevice, scene: Scene): GpuScene {
  const make = (label: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, usage: GPUBufferUsageFlags): GPUBuffer => {
    const buffer = device.createBuffer({ label: `lab surface: ${label}`, size: Math.max(16, Math.ceil(data.byteLength / 4) * 4), usage: usage | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  };
  const mesh = surfaceMesh(scene);
  const lines = sceneLines(scene);
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

function destroyScene(s: GpuScene | null): void {
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
const PITCH_MIN = 0.05;
const PITCH_MAX = 1.5;
const DISTANCE_MIN = 2;
const DISTANCE_MAX = 10;

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
    await readback.mapAsync(GPUMapMode.READ);
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

// ---------------------------------------------------------------------------------------------------------
// The heatmap fallback (2-D canvas).

function drawHeatmap(canvas: HTMLCanvasElement, scene: Scene): void {
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const cssW = canvas.clientWidth || 480;
  const cssH = canvas.clientHeight || 360;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fbfbfc';
  ctx.fillRect(0, 0, cssW, cssH);
  const { res, values, axis1, axis2 } = scene.grid;
  ctx.font = '12px system-ui, sans-serif';
  const ticks2 = [0, (res - 1) / 2, res - 1].map((i) => fmt(axis2[i]));
  const barLabels = [fmt(scene.scale.max), fmt(scene.scale.min), scene.scale.kind === 'log' ? 'L (log)' : 'L'];
  const widest = (texts: string[]): number => Math.max(...texts.map((t) => ctx.measureText(t).width));
  // Room on the left for the rotated θ2 name and its tick values, on the right for the colour bar and its values.
  const left = 26 + widest(ticks2) + 6;
  const right = 14 + 12 + 4 + widest(barLabels) + 8;
  const box = { left, top: 12, width: Math.max(40, cssW - left - right), height: Math.max(40, cssH - 12 - 46) };
  // One pixel per grid point, scaled up smoothly; grid point i sits at the centre of its (stretched) pixel,
  // so the image reaches half a cell past the plot box on each side and is clipped to it.
  const image = document.createElement('canvas');
  image.width = res;
  image.height = res;
  const ictx = image.getContext('2d');
  if (!ictx) return;
  const data = ictx.createImageData(res, res);
  for (let i2 = 0; i2 < res; i2++) {
    for (let i1 = 0; i1 < res; i1++) {
      const [r, g, b] = viridis(scene.scale.h(values[i2 * res + i1]));
      const o = ((res - 1 - i2) * res + i1) * 4; // θ2 grows upwards
      data.data[o] = r;
      data.data[o + 1] = g;
      data.data[o + 2] = b;
      data.data[o + 3] = 255;
    }
  }
  ictx.putImageData(data, 0, 0);
  const cw = box.width / (res - 1);
  const ch = box.height / (res - 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.width, box.height);
  ctx.clip();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(image, box.left - cw / 2, box.top - ch / 2, box.width + cw, box.height + ch);
  const px = (x: number): number => box.left + ((x + 1) / 2) * box.width;
  const py = (z: number): number => box.top + ((1 - z) / 2) * box.height;
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = 'rgb(255, 107, 13)';
  for (const run of scene.path) {
    ctx.beginPath();
    run.forEach(([x, , z], k) => (k === 0 ? ctx.moveTo(px(x), py(z)) : ctx.lineTo(px(x), py(z))));
    ctx.stroke();
  }
  ctx.restore();
  // The current point: a red dot in a white ring.
  ctx.beginPath();
  ctx.arc(px(0), py(0), 6, 0, 2 * Math.PI);
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.beginPath();
  ctx.arc(px(0), py(0), 4, 0, 2 * Math.PI);
  ctx.fillStyle = 'rgb(230, 13, 51)';
  ctx.fill();
  ctx.strokeStyle = '#555';
  ctx.lineWidth = 1;
  ctx.strokeRect(box.left, box.top, box.width, box.height);
  // Axis ticks and names.
  ctx.fillStyle = '#222';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  const bottom = box.top + box.height + 4;
  [0, (res - 1) / 2, res - 1].forEach((i) => ctx.fillText(fmt(axis1[i]), px(-1 + (2 * i) / (res - 1)), bottom));
  ctx.fillText(`${scene.names[0]} →`, box.left + box.width / 2, bottom + 18);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  [0, (res - 1) / 2, res - 1].forEach((i, k) => ctx.fillText(ticks2[k], box.left - 4, py(-1 + (2 * i) / (res - 1))));
  ctx.save();
  ctx.translate(14, box.top + box.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(`${scene.names[1]} →`, 0, 0);
  ctx.restore();
  // Colour bar: the loss at its ends.
  const bar = { left: box.left + box.width + 14, top: box.top, width: 12, height: box.height };
  const gradient = ctx.createLinearGradient(0, bar.top + bar.height, 0, bar.top);
  for (let k = 0; k <= 10; k++) {
    const [r, g, b] = viridis(k / 10);
    gradient.addColorStop(k / 10, `rgb(${r}, ${g}, ${b})`);
  }
  ctx.fillStyle = gradient;
  ctx.fillRect(bar.left, bar.top, bar.width, bar.height);
  ctx.fillStyle = '#222';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(fmt(scene.scale.max), bar.left + bar.width + 4, bar.top);
  ctx.textBaseline = 'bottom';
  ctx.fillText(fmt(scene.scale.min), bar.left + bar.width + 4, bar.top + bar.height);
  ctx.textBaseline = 'middle';
  ctx.fillText(scene.scale.kind === 'log' ? 'L (log)' : 'L', bar.left + bar.width + 4, bar.top + bar.height / 2);
}

// ---------------------------------------------------------------------------------------------------------
// The component.

/** Makes each caption's id unique in the page (the canvas is aria-describedby its caption). */
let captionIds = 0;

/**
 * A loss-surface view inside `host`: a canvas (3-D with WebGPU, else a heatmap), HTML axis labels over it and a
 * caption under it. One WebGPU device of its own, made on the first show() and kept until dispose().
 */
export class LossSurface {
  private readonly root: HTMLDivElement;
  private readonly view: HTMLDivElement;
  private readonly labels: HTMLDivElement;
  private readonly caption: HTMLParagraphElement;
  private canvas: HTMLCanvasElement;
  private gpu: Gpu | null = null;
  /** Why WebGPU is not used (set once it failed or was lost; then every show() draws the heatmap). */
  private gpuFailure: string | null = null;
  private gpuStarting: Promise<Gpu> | null = null;
  private gpuScene: GpuScene | null = null;
  private scene: Scene | null = null;
  private mode: 'webgpu' | 'heatmap' | null = null;
  private orbit: SurfaceOrbit = { ...SURFACE_HOME };
  private generation = 0;
  private disposed = false;
  private frame = 0;
  private drag: { id: number; x: number; y: number } | null = null;
  private readonly resize: ResizeObserver | null;
  private readonly listeners: [string, (e: Event) => void][] = [];

  constructor(private readonly host: HTMLElement, private readonly options: SurfaceOptions = {}) {
    const doc = host.ownerDocument;
    this.root = doc.createElement('div');
    this.root.className = 'loss-surface';
    this.view = doc.createElement('div');
    this.view.className = 'loss-surface-view';
    this.view.style.position = 'relative';
    this.canvas = this.makeCanvas();
    this.labels = doc.createElement('div');
    this.labels.className = 'loss-surface-labels';
    this.labels.setAttribute('aria-hidden', 'true');
    Object.assign(this.labels.style, { position: 'absolute', inset: '0', pointerEvents: 'none', font: '12px system-ui, sans-serif', color: '#222' });
    this.caption = doc.createElement('p');
    this.caption.className = 'loss-surface-caption';
    this.caption.id = `loss-surface-caption-${++captionIds}`;
    this.canvas.setAttribute('aria-describedby', this.caption.id);
    this.view.append(this.canvas, this.labels);
    this.root.append(this.view, this.caption);
    host.append(this.root);
    // Events bubble from the canvas to the view, so the listeners survive a canvas swap (WebGPU → heatmap).
    this.listen('pointerdown', (e) => this.onPointerDown(e as PointerEvent));
    this.listen('pointermove', (e) => this.onPointerMove(e as PointerEvent));
    this.listen('pointerup', (e) => this.onPointerUp(e as PointerEvent));
    this.listen('pointercancel', (e) => this.onPointerUp(e as PointerEvent));
    this.listen('keydown', (e) => this.onKey(e as KeyboardEvent));
    this.resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.redraw());
    this.resize?.observe(this.view);
  }

  /** Computes the grid on the CPU, then draws it: in 3-D with WebGPU when it starts, else as a heatmap. */
  async show(args: SurfaceArgs): Promise<SurfaceResult> {
    if (this.disposed) throw new Error('LossSurface.show: this view has been disposed');
    const token = ++this.generation;
    const scene = buildScene(args);
    const base = { min: scene.scale.min, max: scene.scale.max, grid: scene.grid.res, current: scene.grid.current };
    let gpu: Gpu | null = null;
    if (this.gpuFailure === null) {
      try {
        gpu = await this.startGpuOnce();
      } catch (err) {
        this.gpuFailure = reasonOf(err);
      }
    }
    // A later show() (or dispose) won while this one waited: its scene is the one drawn.
    if (token !== this.generation || this.disposed) return this.result(base);
    this.scene = scene;
    destroyScene(this.gpuScene);
    this.gpuScene = null;
    this.mode = gpu && this.gpu === gpu ? 'webgpu' : 'heatmap';
    if (gpu && this.mode === 'webgpu') this.gpuScene = uploadScene(gpu.device, scene);
    this.describe();
    this.redraw();
    if (gpu && this.mode === 'webgpu') {
      // NOTE: a canvas that cannot be presented (headless Chromium without a Vulkan compositor) loses the device
      // only after the first frame is submitted; waiting for that frame makes the returned mode the true one.
      try {
        await gpu.device.queue.onSubmittedWorkDone();
      } catch (err) {
        this.loseGpu(gpu, `the first frame failed (${reasonOf(err)})`);
      }
    }
    return this.result(base);
  }

  private result(base: Omit<SurfaceResult, 'mode' | 'reason'>): SurfaceResult {
    return this.gpuFailure === null ? { mode: 'webgpu', ...base } : { mode: 'heatmap', reason: this.gpuFailure, ...base };
  }

  /** Destroys the GPU buffers and device, removes the listeners and the elements it made. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.generation++;
    cancelAnimationFrame(this.frame);
    this.resize?.disconnect();
    for (const [type, fn] of this.listeners) this.view.removeEventListener(type, fn);
    destroyScene(this.gpuScene);
    this.gpuScene = null;
    if (this.gpu) {
      destroyRenderer(this.gpu);
      this.gpu.context.unconfigure();
      this.gpu.device.destroy();
      this.gpu = null;
    }
    this.root.remove();
  }

  private listen(type: string, fn: (e: Event) => void): void {
    this.view.addEventListener(type, fn);
    this.listeners.push([type, fn]);
  }

  private makeCanvas(): HTMLCanvasElement {
    const canvas = this.host.ownerDocument.createElement('canvas');
    canvas.className = 'loss-surface-canvas';
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Loss surface (computing)');
    // touch-action: none lets a finger drag rotate the surface instead of scrolling the page.
    Object.assign(canvas.style, { display: 'block', width: '100%', aspectRatio: '4 / 3', touchAction: 'none', cursor: 'grab' });
    return canvas;
  }

  /** A canvas that had a webgpu context cannot give a 2d one: swap in a fresh element. */
  private freshCanvas(): void {
    const next = this.makeCanvas();
    next.setAttribute('aria-describedby', this.caption.id);
    const focused = this.host.ownerDocument.activeElement === this.canvas;
    this.canvas.replaceWith(next);
    this.canvas = next;
    if (focused) next.focus();
  }

  private startGpuOnce(): Promise<Gpu> {
    if (this.gpu) return Promise.resolve(this.gpu);
    if (!this.gpuStarting) {
      this.gpuStarting = startGpu(this.canvas, this.options).then(
        (gpu) => {
          if (this.disposed) {
            gpu.device.destroy();
            throw new Unavailable('disposed');
          }
          this.gpu = gpu;
          void gpu.device.lost.then((info) => this.onLost(gpu, info));
          return gpu;
        },
        (err: unknown) => {
          // The canvas may hold a webgpu context configured before the failure.
          this.freshCanvas();
          throw err;
        },
      );
      this.gpuStarting.catch(() => undefined);
    }
    return this.gpuStarting;
  }

  /**
   * NOTE: the reason is not to be trusted: when Chromium cannot make the canvas's swap-chain image (seen in
   * headless Chromium on SwiftShader unless it runs with --use-vulkan=swiftshader --use-angle=vulkan: "Could
   * not find SharedImageBackingFactory … WebgpuSwapChainTexture") the device is lost with reason 'destroyed'
   * though nothing here destroyed it. So every loss of the device in use counts; loseGpu and dispose() make
   * their own destroy() harmless (the device is no longer this.gpu, or the view is disposed).
   */
  private onLost(gpu: Gpu, info: GPUDeviceLostInfo): void {
    this.loseGpu(gpu, `the WebGPU device was lost (${info.message || info.reason})`);
  }

  /** WebGPU stopped working: forget the device, and show the heatmap from now on, saying why. */
  private loseGpu(gpu: Gpu, reason: string): void {
    if (this.disposed || gpu !== this.gpu) return;
    this.gpu = null;
    this.gpuScene = null;
    this.gpuFailure = reason;
    gpu.device.destroy();
    this.freshCanvas();
    if (this.scene) {
      this.mode = 'heatmap';
      this.describe();
      this.redraw();
    }
  }

  /** Caption and aria-label for the current scene and mode. */
  private describe(): void {
    const s = this.scene;
    if (!s) return;
    const [n1, n2] = s.names;
    const { axis1, axis2, current, res } = s.grid;
    const range = `min ${fmt(s.scale.min)}, max ${fmt(s.scale.max)}, current ${fmt(current)}`;
    const here = `At the current point (${n1}, ${n2}) = (${fmt(axis1[(res - 1) / 2])}, ${fmt(axis2[(res - 1) / 2])}) the loss is ${fmt(current)} (red dot)${s.path.length > 0 ? '; the orange line is the path training took' : ''}.`;
    const grid = `Loss from ${fmt(s.scale.min)} (min) to ${fmt(s.scale.max)} (max) on a ${res} × ${res} grid; ${describeScale(s.scale)}.`;
    if (this.mode === 'webgpu') {
      this.caption.textContent = `Loss surface over ${axisText(n1, axis1)} and ${axisText(n2, axis2)}, every other parameter fixed at its current value. ${grid} ${here} Drag or use the arrow keys to rotate, + and − to zoom, 0 to reset.`;
      this.canvas.setAttribute('aria-label', `Loss surface over ${n1} and ${n2}; ${range}; arrow keys rotate, + and - zoom`);
      this.canvas.style.cursor = 'grab';
    } else {
      this.caption.textContent = `3-D view needs WebGPU: ${this.gpuFailure ?? 'unknown'}; showing a heatmap. Loss over ${axisText(n1, axis1)} (horizontal) and ${axisText(n2, axis2)} (vertical), every other parameter fixed at its current value. ${grid} ${here}`;
      this.canvas.setAttribute('aria-label', `Heatmap of the loss over ${n1} (horizontal) and ${n2} (vertical); ${range}`);
      this.canvas.style.cursor = 'default';
    }
  }

  /** Draws the current scene once, in the current mode. */
  private redraw(): void {
    if (this.disposed || !this.scene) return;
    if (this.mode === 'heatmap') {
      this.labels.replaceChildren();
      drawHeatmap(this.canvas, this.scene);
    } else if (this.mode === 'webgpu') {
      this.renderGpu();
    }
  }

  private renderGpu(): void {
    const gpu = this.gpu;
    const gs = this.gpuScene;
    const scene = this.scene;
    if (!gpu || !gs || !scene) return;
    const cssWidth = this.canvas.clientWidth || 480;
    const cssHeight = this.canvas.clientHeight || 360;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const width = Math.max(1, Math.round(cssWidth * dpr));
    const height = Math.max(1, Math.round(cssHeight * dpr));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const vp = surfaceViewProjection(this.orbit, cssWidth / cssHeight);
    const encoder = gpu.device.createCommandEncoder({ label: 'lab surface: frame' });
    const canvasView = gpu.context.getCurrentTexture().createView({ label: 'lab surface: canvas view' });
    encodeFrame(gpu, gs, scene, vp, { width, height, cssWidth, cssHeight }, canvasView, encoder);
    gpu.device.queue.submit([encoder.finish()]);
    this.placeLabels(vp, cssWidth, cssHeight, scene);
  }

  /** HTML labels at projected 3-D points: the axis names and end values, and the loss range on the height axis. */
  private placeLabels(vp: Float32Array, width: number, height: number, s: Scene): void {
    const { axis1, axis2, res } = s.grid;
    // Tick values sit past the ends of the tick marks (sceneLines), names past the middle of each edge.
    const items: [string, P3, boolean][] = [
      [fmt(axis1[0]), [-1, 0, -1.2], false],
      [fmt(axis1[res - 1]), [1, 0, -1.2], false],
      [s.names[0], [0, 0, -1.2], true],
      [fmt(axis2[0]), [1.2, 0, -1], false],
      [fmt(axis2[res - 1]), [1.2, 0, 1], false],
      [s.names[1], [1.2, 0, 0], true],
      [fmt(s.scale.min), [-1.12, 0, 1], false],
      [`L ${fmt(s.scale.max)}${s.scale.kind === 'log' ? ' (log scale)' : ''}`, [-1, 1.1, 1], true],
    ];
    const doc = this.host.ownerDocument;
    const placed = items.map(([text, p, bold]) => ({ text, bold, at: projectToPixels(vp, p, width, height) }));
    // Labels projected onto each other (two corner ticks seen along the diagonal) are pushed apart vertically;
    // a label is about 7 px per character wide and 15 px tall.
    for (let a = 0; a < placed.length; a++) {
      for (let b = a + 1; b < placed.length; b++) {
        const pa = placed[a], pb = placed[b];
        const dx = Math.abs(pa.at[0] - pb.at[0]);
        const dy = pb.at[1] - pa.at[1];
        if (dx < 3.5 * (pa.text.length + pb.text.length) && Math.abs(dy) < 15) {
          pb.at = [pb.at[0], pa.at[1] + (dy >= 0 ? 15 : -15)];
        }
      }
    }
    const spans = placed.map(({ text, bold, at: [x, y] }) => {
      const span = doc.createElement('span');
      span.textContent = text;
      Object.assign(span.style, {
        position: 'absolute', left: `${x}px`, top: `${y}px`, transform: 'translate(-50%, -50%)', whiteSpace: 'nowrap',
        // Legible over the surface too.
        background: 'rgba(255, 255, 255, 0.75)', padding: '0 3px', borderRadius: '3px', fontWeight: bold ? '600' : '400',
      });
      return span;
    });
    this.labels.replaceChildren(...spans);
  }

  /** One frame on the next animation frame (coalesced): used while a drag moves. */
  private requestFrame(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redraw();
    });
  }

  private onPointerDown(e: PointerEvent): void {
    if (this.mode !== 'webgpu' || e.button !== 0) return;
    this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY };
    this.canvas.setPointerCapture(e.pointerId);
    this.canvas.style.cursor = 'grabbing';
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.id) return;
    const dx = e.clientX - this.drag.x;
    const dy = e.clientY - this.drag.y;
    this.drag.x = e.clientX;
    this.drag.y = e.clientY;
    this.turn(-dx * 0.01, dy * 0.01);
    this.requestFrame();
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.id) return;
    this.drag = null;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    this.canvas.style.cursor = 'grab';
  }

  private onKey(e: KeyboardEvent): void {
    if (this.mode !== 'webgpu' || e.altKey || e.ctrlKey || e.metaKey) return;
    const step = Math.PI / 18;
    switch (e.key) {
      case 'ArrowLeft': this.turn(step, 0); break;
      case 'ArrowRight': this.turn(-step, 0); break;
      case 'ArrowUp': this.turn(0, step / 2); break;
      case 'ArrowDown': this.turn(0, -step / 2); break;
      case '+': case '=': this.zoom(1 / 1.15); break;
      case '-': case '_': this.zoom(1.15); break;
      case '0': case 'Home': this.orbit = { ...SURFACE_HOME }; break;
      default: return;
    }
    e.preventDefault();
    this.redraw();
  }

  private turn(dYaw: number, dPitch: number): void {
    this.orbit.yaw += dYaw;
    this.orbit.pitch = Math.min(PITCH_MAX, Math.max(PITCH_MIN, this.orbit.pitch + dPitch));
  }

  private zoom(factor: number): void {
    this.orbit.distance = Math.min(DISTANCE_MAX, Math.max(DISTANCE_MIN, this.orbit.distance * factor));
  }
}
