/**
 * A loss-chart canvas for Node tests of src/lab/loss-chart.ts (LossChart): 400 × 220 CSS px, one canvas pixel a CSS
 * pixel, drawing into a recording 2-D context (test/lib/recording-context.ts).
 */
import { type Call, recording } from './recording-context.ts';

/** The canvas, its context's calls, and, for each toBlob (a PNG copy), how many calls were made before it. */
export function chartCanvas(): { canvas: HTMLCanvasElement; calls: Call[]; blobAt: number[] } {
  const { ctx, calls } = recording();
  const blobAt: number[] = [];
  const canvas = {
    width: 400, height: 220,
    getBoundingClientRect: () => ({ width: 400, height: 220 }),
    style: { setProperty: () => undefined },
    getContext: () => ctx,
    setAttribute: () => undefined,
    toBlob: (cb: (b: Blob | null) => void) => { blobAt.push(calls.length); cb(new Blob([])); },
  } as unknown as HTMLCanvasElement;
  return { canvas, calls, blobAt };
}
