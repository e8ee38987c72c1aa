/**
 * What the Output region ("What the net learned") shows now, for its Output PNG download (output-png.ts draws the
 * file; device-panel.ts updateButtons turns the button on or off, saying why): the plot and what drew it, or why there
 * is none. Without the drawers' code: the device panel reads it.
 */
import type { BoundaryArgs } from './boundary.ts';
import type { CurveArgs, ParityArgs } from './fit-plot.ts';

/** A plot the Output shows, with what drew it and its canvas's pixel size. */
export type OutputPlot =
  | { readonly kind: 'boundary'; readonly args: BoundaryArgs; readonly width: number; readonly height: number }
  | { readonly kind: 'curve'; readonly args: CurveArgs; readonly width: number; readonly height: number }
  | { readonly kind: 'parity'; readonly args: ParityArgs; readonly width: number; readonly height: number };

/** Why there is no Output PNG, by what the Output shows instead ('net': no net yet, nothing to say, as Diagram SVG's). */
export const NO_PLOT = {
  net: '',
  mnist: "MNIST's Output is its confusion matrix and sample digits, no plot",
  tables: 'the Output has no plot for this classification, only its tables',
  tooBig: 'the Output plot is not drawn for a net this big (the Output says why)',
} as const;
export type NoPlot = keyof typeof NO_PLOT;

/** What the Output shows: a plot, or none and why. */
export type OutputShown = OutputPlot | { readonly kind: 'none'; readonly no: NoPlot };

let shown: OutputShown = { kind: 'none', no: 'net' };

/** Record what the Output shows now (views.ts drawViews, after each draw of it). */
export function setOutputShown(next: OutputShown): void {
  shown = next;
}

/** What the Output shows now (as setOutputShown last recorded). */
export function outputShown(): OutputShown {
  return shown;
}

/** Why Output PNG is off: '' where the Output shows a plot (the button on), else the reason (or '' with no net). */
export function outputPngWhy(s: OutputShown = shown): string {
  return s.kind === 'none' ? NO_PLOT[s.no] : '';
}

/** Whether Output PNG is on: a net loaded and a plot shown. */
export function outputPngOn(hasNet: boolean, s: OutputShown = shown): boolean {
  return hasNet && s.kind !== 'none';
}
