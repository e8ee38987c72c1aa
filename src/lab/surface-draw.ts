/**
 * The Loss surface tab's Draw once its fields are read (views.ts drawSurface): the line under the view says
 * "Computing the grid…", the grid is computed (surface-client.ts surfaceGrid), the view made or taken (its code is
 * loaded on the first Draw), the surface drawn, and the line then says what was drawn. No DOM of its own: the line
 * and the steps are given, so that Node tests can hand it stand-ins.
 *
 * A step that fails replaces the line with what failed, in the notice's words (words.ts errorLine), and throws on (the
 * page's run() shows the notice and frees the page): the line said "Computing the grid…" for ever after a worker's
 * error, a non-finite grid or a refused resolution, and the page seemed to hang. A later Draw starts afresh.
 */
import type { ProgressLine } from './lazy.ts';
import type { LossGrid, SurfaceArgs } from './surface-grid.ts';
import { errorLine } from './words.ts';

/** Where the grid was computed: surfaceGrid's answer. */
export type GridWhere = 'worker' | 'page';

/**
 * How a view drew the grid (LossSurface's SurfaceResult): in 3-D, or as a heatmap with the reason; `tried`: the 3-D
 * view had started (an adapter and device) and then failed (its device lost: SwiftShader with "3-D on a software
 * adapter" ticked), not a heatmap for want of WebGPU.
 */
export interface SurfaceShown {
  mode: 'webgpu' | 'heatmap';
  reason?: string;
  tried?: boolean;
}

/** A view the grid is drawn on (LossSurface: its show). */
export interface SurfaceView {
  show(args: SurfaceArgs): Promise<SurfaceShown>;
  /** `fn` is told when the 3-D view falls back to the heatmap after show() answered (its device lost later); one listener, the last given. */
  onFallback?(fn: (shown: SurfaceShown) => void): void;
}

/** The steps of a Draw: the page's own (views.ts), or a test's stand-ins. */
export interface SurfaceDrawSteps {
  /** The grid of `args` (surfaceGrid: in a worker, else on the page). */
  grid(args: SurfaceArgs): Promise<{ grid: LossGrid; where: GridWhere }>;
  /** The view to draw on: the one on the page, or one made now (its code fetched on the first Draw: loadCode). */
  view(): Promise<SurfaceView>;
}

/** What the line says while the grid is computed. */
export const COMPUTING_LINE = 'Computing the grid…';

/** What a failed Draw's line adds after what failed: the page is free again. */
export const DRAW_AGAIN = 'Press Draw to try again.';

/**
 * The line after a Draw: the loss on the batch, or on its first `m` of `total` examples (a big batch is cut to keep the
 * grid near its budget), on a `res` × `res` grid, and where it was computed.
 */
export function surfaceCaption(m: number, total: number, res: number, where: GridWhere): string {
  const thread = where === 'worker' ? 'in a background worker' : 'on the page';
  return m < total
    ? `The loss on the first ${m} of the ${total} examples of the batch, on a ${res} × ${res} grid (every point is a forward pass on the CPU, ${thread}).`
    : `The loss on the batch (${m} example${m === 1 ? '' : 's'}), on a ${res} × ${res} grid (computed on the CPU, ${thread}).`;
}

/**
 * What the line adds after a Draw whose 3-D view failed: the attempt and why ("The 3-D view failed — the WebGPU device
 * was lost (…); showing a heatmap instead."); it said only what the heatmap showed. Nothing where 3-D was drawn, or
 * never tried (no WebGPU, a software adapter not ticked): the view's caption says why there.
 */
export function fallbackNote(shown: SurfaceShown): string {
  return shown.mode === 'heatmap' && shown.tried ? ` The 3-D view failed — ${shown.reason ?? 'unknown reason'}; showing a heatmap instead.` : '';
}

/**
 * Draw `args`' loss surface with `steps`, `out` saying how far it got: COMPUTING_LINE, then `caption(where)` once it is
 * drawn, and fallbackNote where the 3-D view failed (then, or later: the view's onFallback). The grid failing writes "Computing the loss-surface grid failed — … Press Draw to try again." on `out`; the
 * view (its code, its making) or its drawing failing, "Drawing the loss surface failed — …"; either error is thrown on.
 */
export async function drawSurfaceWith(out: ProgressLine, args: SurfaceArgs, steps: SurfaceDrawSteps, caption: (where: GridWhere) => string): Promise<void> {
  out.textContent = COMPUTING_LINE;
  let computed: { grid: LossGrid; where: GridWhere };
  try {
    computed = await steps.grid(args);
  } catch (err) {
    out.textContent = errorLine('Computing the loss-surface grid', err, DRAW_AGAIN);
    throw err;
  }
  let shown: SurfaceShown;
  let view: SurfaceView;
  try {
    view = await steps.view();
    shown = await view.show({ ...args, grid: computed.grid });
  } catch (err) {
    out.textContent = errorLine('Drawing the loss surface', err, DRAW_AGAIN);
    throw err;
  }
  const line = caption(computed.where);
  out.textContent = line + fallbackNote(shown);
  // The device lost after show() answered: this Draw's line says so, unless another Draw (or a reset) has written it since.
  view.onFallback?.((later) => {
    if (out.textContent === line) out.textContent = line + fallbackNote(later);
  });
}
