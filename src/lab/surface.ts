/**
 * The lab's loss surface view (UI): the LossSurface component — a canvas drawn in 3-D with WebGPU
 * (./surface-gpu.ts), or as a 2-D heatmap (drawHeatmap) where there is no WebGPU, HTML axis labels over it and a
 * caption under it — over the grid and scene of ./surface-grid.ts. Frames are drawn on demand — after show(),
 * after each key, and once per animation frame while a drag is moving — never in a loop.
 */
import { messageOf } from '../checks.ts';
import { announce } from './dom.ts';
import { cellAt, cellLine, centreCell, type GridCell, moveCell, type PlotBox } from './surface-cell.ts';
import { axisText, barTitle, buildScene, describeScale, fmt, heatmapTicks, heightTitle, type Scene, type SurfaceArgs, viridis } from './surface-grid.ts';
import { surfaceScale } from './surface-scale.ts';
import { palette, type Palette } from './palette.ts';
import { settleNudged } from '../webgpu/firefox-poll.ts';
import {
  destroyRenderer, destroyScene, DISTANCE_MAX, DISTANCE_MIN, encodeFrame, type Gpu, type GpuScene, type P3, PITCH_MAX, PITCH_MIN,
  projectToPixels, startGpu, SURFACE_HOME, type SurfaceOptions, type SurfaceOrbit, surfaceViewProjection, uploadScene, Unavailable,
} from './surface-gpu.ts';

export interface SurfaceResult {
  mode: 'webgpu' | 'heatmap';
  /** Why the 3-D view is not shown (mode 'heatmap' only). */
  reason?: string;
  /** The 3-D view had started and then failed (its device lost), not a heatmap for want of WebGPU (mode 'heatmap' only). */
  tried?: boolean;
  /** Smallest and largest finite loss on the grid. */
  min: number;
  max: number;
  /** Grid points per side. */
  grid: number;
  /** The loss at the current parameters. */
  current: number;
}

// ---------------------------------------------------------------------------------------------------------
// The heatmap fallback (2-D canvas).

/**
 * `cell`: the grid point the keys or a tap marked (a dark ring in a white one), if any. Returns the plot box (null: no
 * 2-D context, nothing drawn). Its background, frame and text in the scheme of `pal` (palette.ts surface); the colour
 * map, the path and the points the same in both.
 */
export function drawHeatmap(canvas: HTMLCanvasElement, scene: Scene, cell: GridCell | null, pal: Palette = palette()): PlotBox | null {
  const cssW = canvas.clientWidth || 480;
  const cssH = canvas.clientHeight || 360;
  // The device pixel ratio, within MAX_SURFACE_PIXELS (surface-scale.ts): a 5K screen's view was 9.3 MP.
  const dpr = surfaceScale(cssW, cssH, window.devicePixelRatio);
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = pal.surface.background;
  ctx.fillRect(0, 0, cssW, cssH);
  const { res, values, axis1, axis2 } = scene.grid;
  ctx.font = '12px system-ui, sans-serif';
  const ticks2 = [0, (res - 1) / 2, res - 1].map((i) => fmt(axis2[i]));
  const barLabels = [fmt(scene.scale.max), fmt(scene.scale.min), barTitle(scene)];
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
  if (!ictx) return null;
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
  if (cell) {
    // The marked point: a square ring (dark inside white, seen on every colour of the map), a grid step wide or 12 px.
    const [x, z] = [-1 + (2 * cell.i1) / (res - 1), -1 + (2 * cell.i2) / (res - 1)];
    const half = Math.max(6, Math.min(cw, ch) / 2);
    ctx.lineWidth = 4;
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(px(x) - half, py(z) - half, 2 * half, 2 * half);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#111827';
    ctx.strokeRect(px(x) - half, py(z) - half, 2 * half, 2 * half);
  }
  ctx.strokeStyle = pal.surface.frame;
  ctx.lineWidth = 1;
  ctx.strokeRect(box.left, box.top, box.width, box.height);
  // Axis ticks and names.
  ctx.fillStyle = pal.surface.text;
  ctx.font = '12px system-ui, sans-serif';
  const bottom = box.top + box.height + 4;
  for (const t of heatmapTicks(box, [0, (res - 1) / 2, res - 1].map((i) => fmt(axis1[i])), ticks2)) {
    ctx.textAlign = t.align;
    ctx.textBaseline = t.baseline;
    ctx.fillText(t.text, t.x, t.y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(`${scene.names[0]} →`, box.left + box.width / 2, bottom + 18);
  ctx.save();
  ctx.translate(14, box.top + box.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
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
  ctx.fillStyle = pal.surface.text;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(fmt(scene.scale.max), bar.left + bar.width + 4, bar.top);
  ctx.textBaseline = 'bottom';
  ctx.fillText(fmt(scene.scale.min), bar.left + bar.width + 4, bar.top + bar.height);
  ctx.textBaseline = 'middle';
  ctx.fillText(barTitle(scene), bar.left + bar.width + 4, bar.top + bar.height / 2);
  return box;
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
  /** The heatmap's line under it (a polite live region, shown): the marked point's parameters and loss (surface-cell.ts). */
  private readonly said: HTMLParagraphElement;
  /** The grid point the heatmap's keys marked; null until a key moves it (a new scene clears it). */
  private cell: GridCell | null = null;
  private canvas: HTMLCanvasElement;
  private gpu: Gpu | null = null;
  /** Why WebGPU is not used (set once it failed or was lost; then every show() draws the heatmap). */
  private gpuFailure: string | null = null;
  /** Whether gpuFailure came after the 3-D view had started (loseGpu), not from starting it. */
  private gpuTried = false;
  /** Told when the 3-D view falls back to the heatmap after show() answered (drawSurfaceWith's line). */
  private fallbackListener: ((r: { mode: 'heatmap'; reason: string; tried: true }) => void) | null = null;
  private gpuStarting: Promise<Gpu> | null = null;
  private gpuScene: GpuScene | null = null;
  private scene: Scene | null = null;
  private mode: 'webgpu' | 'heatmap' | null = null;
  /** Where the heatmap last drew its plot (a tap's grid point is found in it); null before a heatmap is drawn. */
  private plotBox: PlotBox | null = null;
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
    Object.assign(this.labels.style, { position: 'absolute', inset: '0', pointerEvents: 'none', font: '12px system-ui, sans-serif' });
    this.caption = doc.createElement('p');
    this.caption.className = 'loss-surface-caption';
    this.caption.id = `loss-surface-caption-${++captionIds}`;
    this.canvas.setAttribute('aria-describedby', this.caption.id);
    this.said = doc.createElement('p');
    this.said.className = 'loss-surface-point';
    this.said.setAttribute('aria-live', 'polite');
    // The marked point's line, right under the heatmap: shown as well as heard (it was visually hidden, so a sighted
    // keyboard user saw the ring move and never its values; style.css .loss-surface-point).
    this.view.append(this.canvas, this.labels);
    this.root.append(this.view, this.said, this.caption);
    host.append(this.root);
    // Events bubble from the canvas to the view, so the listeners survive a canvas swap (WebGPU → heatmap).
    this.listen('pointerdown', (e) => this.onPointerDown(e as PointerEvent));
    this.listen('pointermove', (e) => this.onPointerMove(e as PointerEvent));
    this.listen('pointerup', (e) => this.onPointerUp(e as PointerEvent));
    this.listen('pointercancel', (e) => this.onPointerUp(e as PointerEvent));
    this.listen('keydown', (e) => this.onKey(e as KeyboardEvent));
    // A tap (or a click) on the heatmap marks the grid point there, as the arrow keys do: a tablet has no keys.
    this.listen('click', (e) => this.onHeatmapTap(e as MouseEvent));
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
        this.gpuFailure = messageOf(err);
      }
    }
    // A later show() (or dispose) won while this one waited: its scene is the one drawn.
    if (token !== this.generation || this.disposed) return this.result(base);
    this.scene = scene;
    this.cell = null;
    this.said.textContent = '';
    destroyScene(this.gpuScene);
    this.gpuScene = null;
    this.mode = gpu && this.gpu === gpu ? 'webgpu' : 'heatmap';
    if (gpu && this.mode === 'webgpu') this.gpuScene = uploadScene(gpu.device, scene, palette().surface);
    this.describe();
    this.redraw();
    if (gpu && this.mode === 'webgpu') {
      // NOTE: a canvas that cannot be presented (headless Chromium without a Vulkan compositor) loses the device
      // only after the first frame is submitted; waiting for that frame makes the returned mode the true one.
      try {
        // In Firefox, nudged while pending (src/webgpu/firefox-poll.ts: its 100 ms poll settles this too).
        await settleNudged(gpu.device, gpu.device.queue.onSubmittedWorkDone());
      } catch (err) {
        this.loseGpu(gpu, `the first frame failed (${messageOf(err)})`);
      }
    }
    return this.result(base);
  }

  private result(base: Omit<SurfaceResult, 'mode' | 'reason'>): SurfaceResult {
    return this.gpuFailure === null ? { mode: 'webgpu', ...base } : { mode: 'heatmap', reason: this.gpuFailure, tried: this.gpuTried, ...base };
  }

  /** `fn` is told when the 3-D view falls back to the heatmap from now on (its device lost); replaces the last one given. */
  onFallback(fn: (r: { mode: 'heatmap'; reason: string; tried: true }) => void): void {
    this.fallbackListener = fn;
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
    // touch-action: none lets a finger drag rotate the surface instead of scrolling the page (redraw: manipulation on the heatmap).
    Object.assign(canvas.style, { display: 'block', width: '100%', aspectRatio: '4 / 3', touchAction: 'none', cursor: 'grab' });
    // A heatmap drawn while the GPU process was gone comes back blank: draw it again.
    canvas.addEventListener('contextrestored', () => { if (this.mode === 'heatmap') this.redraw(); });
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
    this.gpuTried = true;
    gpu.device.destroy();
    this.freshCanvas();
    if (this.scene) {
      this.mode = 'heatmap';
      this.describe();
      this.redraw();
    }
    this.fallbackListener?.({ mode: 'heatmap', reason, tried: true });
  }

  /** Caption and aria-label for the current scene and mode. */
  private describe(): void {
    const s = this.scene;
    if (!s) return;
    const [n1, n2] = s.names;
    const { axis1, axis2, current, res } = s.grid;
    const range = `min ${fmt(s.scale.min)}, max ${fmt(s.scale.max)}, current ${fmt(current)}`;
    const here = `At the current point (${n1}, ${n2}) = (${fmt(axis1[(res - 1) / 2])}, ${fmt(axis2[(res - 1) / 2])}) the loss is ${fmt(current)} (red dot)${s.path.length > 0 ? '; the orange line is the path training took' : ''}.`;
    const grid = `Loss from ${fmt(s.scale.min)} (min) to ${fmt(s.scale.max)} (max) on a ${res} × ${res} grid; ${describeScale(s)}.`;
    if (this.mode === 'webgpu') {
      this.caption.textContent = `Loss surface over ${axisText(n1, axis1)} and ${axisText(n2, axis2)}, every other parameter fixed at its current value. ${grid} ${here} Drag or use the arrow keys to rotate, + and − to zoom, 0 to reset.`;
      this.canvas.setAttribute('aria-label', `Loss surface over ${n1} and ${n2}; ${range}; arrow keys rotate, + and - zoom`);
      this.canvas.style.cursor = 'grab';
    } else {
      const why = this.gpuTried ? `3-D view failed: ${this.gpuFailure ?? 'unknown'}; showing a heatmap instead.` : `3-D view needs WebGPU: ${this.gpuFailure ?? 'unknown'}; showing a heatmap.`;
      this.caption.textContent = `${why} Loss over ${axisText(n1, axis1)} (horizontal) and ${axisText(n2, axis2)} (vertical), every other parameter fixed at its current value. ${grid} ${here} The arrow keys or a tap move a marked point over the grid, the line under the heatmap saying its loss; 0 takes it back to the current point.`;
      this.canvas.setAttribute('aria-label', `Heatmap of the loss over ${n1} (horizontal) and ${n2} (vertical); ${range}; arrow keys move a marked point and say its loss`);
      this.canvas.style.cursor = 'default';
    }
  }

  /**
   * Draws the current scene again in the page's scheme now (main.ts, when it changes): the 3-D view's lines are
   * uploaded again in its colours.
   */
  repaint(): void {
    if (this.disposed || !this.scene) return;
    if (this.mode === 'webgpu' && this.gpu && this.gpuScene) {
      destroyScene(this.gpuScene);
      this.gpuScene = uploadScene(this.gpu.device, this.scene, palette().surface);
    }
    this.redraw();
  }

  /** Draws the current scene once, in the current mode. */
  private redraw(): void {
    if (this.disposed || !this.scene) return;
    // A finger's drag turns the 3-D view (touch-action none); on the heatmap, which takes taps only, it scrolls the
    // page (none there held the page still under a finger on a map that fills most of a portrait tablet's screen).
    this.canvas.style.touchAction = this.mode === 'webgpu' ? 'none' : 'manipulation';
    if (this.mode === 'heatmap') {
      this.labels.replaceChildren();
      this.plotBox = drawHeatmap(this.canvas, this.scene, this.cell);
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
    const dpr = surfaceScale(cssWidth, cssHeight, window.devicePixelRatio);
    const width = Math.max(1, Math.round(cssWidth * dpr));
    const height = Math.max(1, Math.round(cssHeight * dpr));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const vp = surfaceViewProjection(this.orbit, cssWidth / cssHeight);
    const encoder = gpu.device.createCommandEncoder({ label: 'lab surface: frame' });
    const canvasView = gpu.context.getCurrentTexture().createView({ label: 'lab surface: canvas view' });
    const pal = palette();
    encodeFrame(gpu, gs, scene, vp, { width, height, cssWidth, cssHeight }, canvasView, encoder, pal.surface);
    gpu.device.queue.submit([encoder.finish()]);
    this.placeLabels(vp, cssWidth, cssHeight, scene, pal);
  }

  /** HTML labels at projected 3-D points: the axis names and end values, and the loss range on the height axis. */
  private placeLabels(vp: Float32Array, width: number, height: number, s: Scene, pal: Palette): void {
    this.labels.style.color = pal.surface.text;
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
      [heightTitle(s), [-1, 1.1, 1], true],
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
        background: pal.surface.labelBackground, padding: '0 3px', borderRadius: '3px', fontWeight: bold ? '600' : '400',
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
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (this.mode === 'heatmap') {
      this.onHeatmapKey(e);
      return;
    }
    if (this.mode !== 'webgpu') return;
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

  /** A tap or click on the heatmap (surface-cell.ts cellAt): mark the grid point there, draw it, say it, as a key does. */
  private onHeatmapTap(e: MouseEvent): void {
    const s = this.scene;
    if (this.mode !== 'heatmap' || !s || !this.plotBox) return;
    const r = this.canvas.getBoundingClientRect();
    const next = cellAt(this.plotBox, s.grid.res, e.clientX - r.left, e.clientY - r.top);
    if (!next) return;
    this.cell = next;
    this.redraw();
    announce(this.said, cellLine(s.grid, s.names, next, s.loss));
  }

  /** The heatmap's keys (surface-cell.ts moveCell): move the marked point, draw it, say its parameters and loss. */
  private onHeatmapKey(e: KeyboardEvent): void {
    const s = this.scene;
    if (!s) return;
    const next = moveCell(this.cell ?? centreCell(s.grid.res), e.key, s.grid.res);
    if (!next) return;
    e.preventDefault();
    this.cell = next;
    this.redraw();
    // Said again at an edge too (the same words, a change the reader announces): the mark did not move.
    announce(this.said, cellLine(s.grid, s.names, next, s.loss));
  }

  private turn(dYaw: number, dPitch: number): void {
    this.orbit.yaw += dYaw;
    this.orbit.pitch = Math.min(PITCH_MAX, Math.max(PITCH_MIN, this.orbit.pitch + dPitch));
  }

  private zoom(factor: number): void {
    this.orbit.distance = Math.min(DISTANCE_MAX, Math.max(DISTANCE_MIN, this.orbit.distance * factor));
  }
}
