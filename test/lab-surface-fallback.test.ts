/**
 * The Loss surface's line after a Draw whose 3-D view failed (src/lab/surface-draw.ts drawSurfaceWith,
 * fallbackNote): "3-D on a software adapter" ticked, Draw, and SwiftShader loses the WebGPU device — the view shows the
 * heatmap, and the line under it said only "The loss on the batch …", not that the 3-D attempt failed nor why. Now it
 * says so, whether the device was lost before show() answered or after (the view's onFallback). A heatmap drawn
 * because 3-D was never tried (no WebGPU, a software adapter not ticked) adds nothing: the view's own caption says why.
 * Expected lines written out by hand from the README's words.
 */
import { describe, expect, it } from 'vitest';
import { drawSurfaceWith, fallbackNote, type SurfaceShown, type SurfaceView } from '../src/lab/surface-draw.ts';
import { lossGrid, type SurfaceArgs } from '../src/lab/surface-grid.ts';
import { lectureSurfaceArgs } from './lib/surface-args.ts';

const args: SurfaceArgs = lectureSurfaceArgs();
const caption = (): string => 'The loss on the batch (1 example).';
const lost = 'the WebGPU device was lost (Device was destroyed.)';

/** A view whose show answers `shown`, and whose fallback listener the test can fire. */
function view(shown: SurfaceShown): SurfaceView & { fallBack(s: SurfaceShown): void } {
  let listener: ((s: SurfaceShown) => void) | null = null;
  return {
    show: () => Promise.resolve(shown),
    onFallback: (fn) => { listener = fn; },
    fallBack: (s) => listener?.(s),
  };
}

function draw(v: SurfaceView): Promise<{ textContent: string | null }> {
  const out = { textContent: '' as string | null };
  const steps = { grid: (a: SurfaceArgs) => Promise.resolve({ grid: lossGrid(a), where: 'page' as const }), view: () => Promise.resolve(v) };
  return drawSurfaceWith(out, args, steps, caption).then(() => out);
}

describe('the Loss surface line when the 3-D view failed', () => {
  it('the device lost during the Draw: the line says the 3-D view failed, and why, and that this is a heatmap', async () => {
    const out = await draw(view({ mode: 'heatmap', reason: lost, tried: true }));
    expect(out.textContent).toBe('The loss on the batch (1 example). The 3-D view failed — the WebGPU device was lost (Device was destroyed.); showing a heatmap instead.');
  });

  it('the device lost after the Draw answered (the 3-D view drawn first): the line is rewritten to say so', async () => {
    const v = view({ mode: 'webgpu' });
    const out = await draw(v);
    expect(out.textContent).toBe('The loss on the batch (1 example).');
    v.fallBack({ mode: 'heatmap', reason: lost, tried: true });
    expect(out.textContent).toBe('The loss on the batch (1 example). The 3-D view failed — the WebGPU device was lost (Device was destroyed.); showing a heatmap instead.');
  });

  it('a late loss leaves a line another Draw has since written alone', async () => {
    const v = view({ mode: 'webgpu' });
    const out = await draw(v);
    out.textContent = 'Computing the grid…';
    v.fallBack({ mode: 'heatmap', reason: lost, tried: true });
    expect(out.textContent).toBe('Computing the grid…');
  });

  it('3-D drawn, or never tried (the caption in the view says why): nothing added', () => {
    expect(fallbackNote({ mode: 'webgpu' })).toBe('');
    expect(fallbackNote({ mode: 'heatmap', reason: 'navigator.gpu is missing', tried: false })).toBe('');
  });
});
