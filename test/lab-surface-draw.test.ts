/**
 * The Loss surface tab's Draw (src/lab/surface-draw.ts drawSurfaceWith, as views.ts drawSurface calls it) with
 * stand-in steps: a grid that fails (a worker's error, a refused resolution) or a view that fails (its code did not
 * load, its drawing failed) replaces "Computing the grid…" with what failed, in the notice's words (errorLine), and
 * the error is thrown on for the page's notice; the line said "Computing the grid…" for ever. A later Draw works.
 * The expected lines are written out here from errorLine's form: "<what> failed — <Name>: <message>. <then>".
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { loadCode } from '../src/lab/lazy.ts';
import { COMPUTING_LINE, drawSurfaceWith, surfaceCaption, type SurfaceDrawSteps, type SurfaceView } from '../src/lab/surface-draw.ts';
import { lossGrid, type LossGrid, type SurfaceArgs } from '../src/lab/surface-grid.ts';
import { lectureSurfaceArgs } from './lib/surface-args.ts';

const args: SurfaceArgs = lectureSurfaceArgs();

/** The page's line: its textContent, and every text written on it, in order. */
function line(): { textContent: string | null; written: string[] } {
  const written: string[] = [];
  let text: string | null = '';
  return {
    written,
    get textContent() {
      return text;
    },
    set textContent(t: string | null) {
      text = t;
      written.push(t ?? '');
    },
  };
}

/** A view that records the grids it was shown. */
function recordingView(): SurfaceView & { shown: LossGrid[] } {
  const shown: LossGrid[] = [];
  return {
    shown,
    show: (a) => {
      shown.push(a.grid!);
      return Promise.resolve({ mode: 'webgpu' as const });
    },
  };
}

/** Steps whose grid is lossGrid's on the page and whose view is `view`. */
function working(view: SurfaceView): SurfaceDrawSteps {
  return { grid: (a) => Promise.resolve({ grid: lossGrid(a), where: 'page' }), view: () => Promise.resolve(view) };
}

const caption = (where: 'worker' | 'page') => `drawn (${where})`;

describe('the Loss surface Draw: a step that fails says so on its line', () => {
  it('a grid refused (a SpecError) replaces "Computing the grid…" with what failed; the error is thrown on; no view is asked for', async () => {
    const out = line();
    const refused = new SpecError('resolution', 'must be a whole number 3 … 201, got 1000');
    let viewAsked = false;
    const steps: SurfaceDrawSteps = { grid: () => Promise.reject(refused), view: () => { viewAsked = true; return Promise.resolve(recordingView()); } };
    await expect(drawSurfaceWith(out, args, steps, caption)).rejects.toBe(refused);
    expect(out.written[0]).toBe('Computing the grid…');
    expect(out.textContent).toBe('Computing the loss-surface grid failed — SpecError: resolution: must be a whole number 3 … 201, got 1000. Press Draw to try again.');
    expect(viewAsked).toBe(false);
  });

  it("the worker's error (a plain Error) names the grid and the worker's words, without 'Error:'", async () => {
    const out = line();
    const steps: SurfaceDrawSteps = { grid: () => Promise.reject(new Error('the loss-surface worker gave no grid')), view: () => Promise.resolve(recordingView()) };
    await expect(drawSurfaceWith(out, args, steps, caption)).rejects.toThrow('the loss-surface worker gave no grid');
    expect(out.textContent).toBe('Computing the loss-surface grid failed — the loss-surface worker gave no grid. Press Draw to try again.');
  });

  it('a drawing that fails (show rejects) says "Drawing the loss surface failed — …", not "Computing the grid…"', async () => {
    const out = line();
    const broken: SurfaceView = { show: () => Promise.reject(new TypeError('the canvas has no context')) };
    await expect(drawSurfaceWith(out, args, working(broken), caption)).rejects.toThrow(TypeError);
    expect(out.textContent).toBe('Drawing the loss surface failed — TypeError: the canvas has no context. Press Draw to try again.');
  });

  it("the view's code that did not load (loadCode's LazyCodeError) is named on the line, not left empty", async () => {
    const out = line();
    const steps: SurfaceDrawSteps = {
      grid: (a) => Promise.resolve({ grid: lossGrid(a), where: 'page' }),
      view: async () => {
        await loadCode("the loss surface's drawing code", () => Promise.reject(new TypeError('Failed to fetch')), (l) => { out.textContent = l; });
        return recordingView();
      },
    };
    await expect(drawSurfaceWith(out, args, steps, caption)).rejects.toThrow(/did not load/);
    expect(out.textContent).toMatch(/^Drawing the loss surface failed — LazyCodeError: the loss surface's drawing code did not load \(Failed to fetch\); check the connection .* Press Draw to try again\.$/);
  });

  it('a later Draw works: after a failed grid, the next draws and its line is the caption', async () => {
    const out = line();
    await expect(drawSurfaceWith(out, args, { grid: () => Promise.reject(new Error('boom')), view: () => Promise.resolve(recordingView()) }, caption)).rejects.toThrow('boom');
    const view = recordingView();
    await drawSurfaceWith(out, args, working(view), caption);
    expect(out.textContent).toBe('drawn (page)');
    // The view was shown the grid of these args: 5 × 5 around w5 and w6.
    expect(view.shown).toHaveLength(1);
    expect(view.shown[0].res).toBe(5);
    expect(view.shown[0].values).toHaveLength(25);
  });

  it('while the grid is computed the line says "Computing the grid…"', async () => {
    const out = line();
    let answer: (r: { grid: LossGrid; where: 'worker' }) => void = () => undefined;
    const view = recordingView();
    const drawing = drawSurfaceWith(out, args, { grid: () => new Promise((r) => { answer = r; }), view: () => Promise.resolve(view) }, caption);
    await new Promise((r) => setTimeout(r, 0));
    expect(out.textContent).toBe(COMPUTING_LINE);
    expect(COMPUTING_LINE).toBe('Computing the grid…');
    answer({ grid: lossGrid(args), where: 'worker' });
    await drawing;
    expect(out.textContent).toBe('drawn (worker)');
  });
});

describe("surfaceCaption (the line after a Draw, moved from views.ts)", () => {
  it('the whole batch, or its first m examples, the grid and where it was computed', () => {
    expect(surfaceCaption(1, 1, 41, 'page')).toBe('The loss on the batch (1 example), on a 41 × 41 grid (computed on the CPU, on the page).');
    expect(surfaceCaption(4, 4, 41, 'worker')).toBe('The loss on the batch (4 examples), on a 41 × 41 grid (computed on the CPU, in a background worker).');
    expect(surfaceCaption(3, 200, 21, 'worker')).toBe('The loss on the first 3 of the 200 examples of the batch, on a 21 × 21 grid (every point is a forward pass on the CPU, in a background worker).');
  });
});
