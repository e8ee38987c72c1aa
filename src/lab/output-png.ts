/**
 * The Output region's plot ("What the net learned") as a PNG file for slides: the lab's "Output PNG" download
 * (file-actions.ts). The Output shows at most one plot at a time — the decision boundary (2-D classification,
 * boundary.ts drawBoundary), the net's output over x (one input feature, fit-plot.ts drawCurve) or ŷ against y (a
 * regression of two features or more, drawParity; fit-stats.ts fitView picks one of the two, never both) — and the
 * file is that plot as drawn now: the same arguments (data, weights, axis names, canvas size and pixel scale), drawn
 * again into an offscreen canvas of the same size in the LIGHT palette whatever the page's scheme (a figure for a
 * white slide), so the page's canvas is not touched (no flicker). Where the Output shows no plot — MNIST's confusion
 * matrix and sample digits, a classification of three features or more (its confusion matrices), a net too big
 * to plot — the button is off, and the Files line says why (device-panel.ts updateButtons).
 */
import { drawBoundary } from './boundary.ts';
import { canvasPng } from './dom.ts';
import { fileName } from './files.ts';
import { drawCurve, drawParity } from './fit-plot.ts';
import { NO_PLOT, outputShown, type OutputPlot, type OutputShown } from './output-shown.ts';
import { LIGHT } from './palette.ts';

/** The file's name for a net named `name` (the spec's `name`; undefined: none): `<name>-output.png` (files.ts fileName). */
export function outputFileName(name: string | undefined): string {
  return fileName(`${name ?? 'network'}-output`, 'png');
}

/**
 * Draw `plot` on `canvas` (sized here to the plot's pixels) in the LIGHT palette, by the drawer that drew it on the page.
 * NOTE: the drawers set the canvas's role and accessible name; this canvas is never in the page.
 */
export function drawOutputLight(canvas: HTMLCanvasElement, plot: OutputPlot): void {
  canvas.width = plot.width;
  canvas.height = plot.height;
  if (plot.kind === 'boundary') drawBoundary(canvas, { ...plot.args, pal: LIGHT });
  else if (plot.kind === 'curve') drawCurve(canvas, { ...plot.args, pal: LIGHT });
  else drawParity(canvas, { ...plot.args, pal: LIGHT });
}

/**
 * The Output's plot as a PNG, in the LIGHT palette: drawn into a canvas `make` gives (default: a new, offscreen one),
 * copied with toBlob. Throws where the Output shows no plot (the button is off then), with the reason.
 */
export function outputPng(s: OutputShown = outputShown(), make: () => HTMLCanvasElement = () => document.createElement('canvas')): Promise<Blob> {
  if (s.kind === 'none') return Promise.reject(new Error(`no Output plot to save: ${NO_PLOT[s.no] || 'no net yet'}`));
  const canvas = make();
  drawOutputLight(canvas, s);
  return canvasPng(canvas);
}
