/**
 * The colours the lab draws with (canvas and SVG), in its light and dark schemes: the page's own colours are CSS
 * variables (style.css, with their dark values under @media (prefers-color-scheme: dark)); these are the ones a
 * drawer sets itself — the loss chart's, the network diagram's, the Output's plots (decision boundary, fit plots),
 * confusion shading and MNIST digits (the Output tab's, and the diagram's input image), and the loss surface's. A drawer asks `palette()` at draw time; main.ts draws
 * everything again when the scheme changes (`onSchemeChange`: views.ts drawAll, and repaintSurface for the loss
 * surface, which drawAll does not draw). Exports (the loss curve's PNG, the diagram's SVG, the Output's PNG) are drawn in
 * LIGHT whatever the page's scheme: a figure pasted into slides or a handout on white.
 *
 * Contrast (WCAG 2.2): text ≥ 4.5:1 and lines, edges and focus rings ≥ 3:1 on what they are drawn on, in both
 * schemes (test/lab-dark-contrast.test.ts and test/lab-dark-plots.test.ts work the ratios).
 */

export interface Palette {
  readonly name: 'light' | 'dark';
  /** The loss chart: its plot's background, axis text, grid lines, the training and validation lines and legend words. */
  readonly chart: {
    readonly background: string;
    readonly text: string;
    readonly grid: string;
    readonly training: string;
    readonly validation: string;
    readonly validationText: string;
  };
  /** The network diagram (diagram-svg.ts): its background (style.css .diagram) and what is drawn on it. */
  readonly diagram: {
    readonly background: string;
    /** Names, outlines, the selection's outline and every focus ring. */
    readonly ink: string;
    /** A unit's value lines and the "⋯ +k" markers. */
    readonly muted: string;
    /** A weight's or bias's colour by its sign (the model's POSITIVE / NEGATIVE / ZERO, drawn in this scheme's). */
    readonly positive: string;
    readonly negative: string;
    readonly zero: string;
    /** A unit's circle, an input's, a bias's box, a selected bias's box. */
    readonly unitFill: string;
    readonly inputFill: string;
    readonly biasFill: string;
    readonly biasSelectedFill: string;
    /** The outline under a name written across edges, so that it stays readable. */
    readonly halo: string;
    /**
     * An activation strip's cells (diagram-model.ts stripColour): an activation of 0 (the end the sign colours mix from)
     * and a unit without a value yet. The input image and an input strip are the digits' ink on their paper.
     */
    readonly stripZero: string;
    readonly stripUnknown: string;
  };
  /**
   * The Output tab's plots: the decision boundary (boundary.ts, markers.ts) and the fit plots (fit-plot.ts). Class k's
   * colour is `classes[k mod 8]` in both schemes: Okabe–Ito (colour-blind safe), the dark scheme's eighth (black) white.
   */
  readonly plot: {
    readonly background: string;
    /** Axis names and legend words; tick values. */
    readonly text: string;
    readonly tickText: string;
    /** The axes' lines through 0. */
    readonly axis: string;
    /** A filled marker's outline (and a legend swatch's); a hollow (validation) marker's inside. */
    readonly outline: string;
    readonly hollowFill: string;
    /** The boundary's legend box and the fit plots'. */
    readonly legend: string;
    readonly fitLegend: string;
    readonly classes: readonly string[];
    /** The boundary: its lines, and its regions' tint — class colour mixed into `tintBase` by tintLeast + tintSpan × the net's confidence. */
    readonly boundaryLine: string;
    readonly tintBase: string;
    readonly tintLeast: number;
    readonly tintSpan: number;
    /** The fit plots: the one output's line, y = x, the hollow marker's legend grey. */
    readonly fitLine: string;
    readonly identity: string;
    readonly hollowKey: string;
  };
  /**
   * The confusion tables' shading (confusion.ts cellShade): a share of blue or orange over `base` (the table's
   * background); a count is written in the page's text where its luminance is in fgMin … fgMax, else white below
   * 0.179 (where white and black read alike), else black.
   */
  readonly confusion: {
    readonly base: string;
    readonly fgMin: number;
    readonly fgMax: number;
  };
  /** The loss surface (surface.ts, surface-gpu.ts): its frame, text and background; the colour map (viridis) is the same in both. */
  readonly surface: {
    readonly background: string;
    readonly text: string;
    readonly frame: string;
    /** The 3-D view's HTML labels' backing. */
    readonly labelBackground: string;
    /** The 3-D view (surface-gpu.ts, RGB 0 … 1): its clear colour, its frame and height axis, the stem under the current point. */
    readonly clear: readonly [number, number, number];
    readonly frame3d: readonly [number, number, number];
    readonly stem3d: readonly [number, number, number];
  };
  /** MNIST's digits (confusion.ts renderSamples; the diagram's input image and input strips, unframed there): ink on paper, framed. */
  readonly digits: {
    readonly paper: string;
    readonly ink: string;
    readonly frame: string;
  };
}

/** Okabe–Ito's eight (boundary.ts CLASS_COLOURS is LIGHT's). */
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

export const LIGHT: Palette = {
  name: 'light',
  chart: { background: '#fff', text: '#555', grid: '#ddd', training: '#2563eb', validation: '#ea580c', validationText: '#c2410c' },
  diagram: {
    background: '#fcfcfd', ink: '#111827', muted: '#4b5563', positive: '#2563eb', negative: '#ea580c', zero: '#9ca3af',
    unitFill: '#ffffff', inputFill: '#f3f4f6', biasFill: '#ffffff', biasSelectedFill: '#fef3c7', halo: '#ffffff',
    stripZero: '#f3f4f6', stripUnknown: '#e5e7eb',
  },
  plot: {
    background: '#fff', text: 'rgba(0, 0, 0, 0.8)', tickText: 'rgba(0, 0, 0, 0.6)', axis: 'rgba(0, 0, 0, 0.25)', outline: '#1a1a1a', hollowFill: '#fff',
    legend: 'rgba(255, 255, 255, 0.85)', fitLegend: 'rgba(255, 255, 255, 0.9)', classes: OKABE_ITO, boundaryLine: 'rgba(20, 20, 20, 0.85)', tintBase: '#ffffff', tintLeast: 0.1, tintSpan: 0.5,
    fitLine: '#D55E00', identity: '#4b5563', hollowKey: '#6b7280',
  },
  confusion: { base: '#ffffff', fgMin: 0.273, fgMax: 1 },
  surface: {
    background: '#fbfbfc', text: '#222', frame: '#555', labelBackground: 'rgba(255, 255, 255, 0.75)',
    clear: [0.98, 0.98, 0.985], frame3d: [0.35, 0.35, 0.4], stem3d: [0.55, 0.1, 0.15],
  },
  digits: { paper: '#ffffff', ink: '#000000', frame: '#ccc' },
};

/**
 * The dark scheme: the chart on the dark panel (#1f2937, style.css --panel), the diagram on #111827. The diagram's
 * edges are mid-tones (blue-500, orange-600), so that both the background and the light ink of the focus ring and the
 * selection outline that lie along them differ from them by 3:1.
 */
export const DARK: Palette = {
  name: 'dark',
  chart: { background: '#1f2937', text: '#9ca3af', grid: '#374151', training: '#60a5fa', validation: '#fb923c', validationText: '#fb923c' },
  diagram: {
    background: '#111827', ink: '#f3f4f6', muted: '#9ca3af', positive: '#3b82f6', negative: '#ea580c', zero: '#6b7280',
    unitFill: '#1f2937', inputFill: '#2d3748', biasFill: '#1f2937', biasSelectedFill: '#713f12', halo: '#111827',
    // An activation of 0 the background, as the image's paper; a unit without a value one step lighter (light: darker).
    stripZero: '#111827', stripUnknown: '#1f2937',
  },
  // The plots on the page's #111827, not the panel's #1f2937: Okabe–Ito's blue #0072B2 is 3.4:1 on it (2.8 on the
  // panel). Opaque colours (the light scheme's greys are black at an alpha over white), so their ratios are worked.
  plot: {
    background: '#111827', text: '#e5e7eb', tickText: '#9ca3af', axis: '#6b7280', outline: '#e5e7eb', hollowFill: '#111827',
    legend: '#111827', fitLegend: '#111827', classes: [...OKABE_ITO.slice(0, 7), '#ffffff'], boundaryLine: '#f3f4f6', tintBase: '#111827', tintLeast: 0.1, tintSpan: 0.5,
    fitLine: '#D55E00', identity: '#9ca3af', hollowKey: '#9ca3af',
  },
  // Over the panel; the page's text #e5e7eb (L 0.798) reads at 4.5:1 on a cell of luminance ≤ 0.848 / 4.5 − 0.05 = 0.138.
  confusion: { base: '#1f2937', fgMin: 0, fgMax: 0.138 },
  // The colour map (viridis) and the path, the current point and the marked point's rings as in the light scheme.
  surface: {
    background: '#111827', text: '#e5e7eb', frame: '#9ca3af', labelBackground: 'rgba(17, 24, 39, 0.75)',
    clear: [17 / 255, 24 / 255, 39 / 255], frame3d: [0.61, 0.64, 0.69], stem3d: [0.97, 0.44, 0.44],
  },
  // Light ink on the page's dark (MNIST's own way round), framed in the panel's line grey.
  digits: { paper: '#111827', ink: '#f3f4f6', frame: '#6b7280' },
};

/** A #rrggbb colour's channels, 0 … 255 (the palettes' colours that are mixed or shaded are written so). */
export function rgbOf(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

const DARK_QUERY = '(prefers-color-scheme: dark)';
const FORCED_QUERY = '(forced-colors: active)';

/** A media query list, where there is one (none in Node, nor in a worker without matchMedia). */
function query(q = DARK_QUERY): MediaQueryList | undefined {
  return typeof globalThis.matchMedia === 'function' ? globalThis.matchMedia(q) : undefined;
}

/** While the browser prints (beforeprint … afterprint): paper is light whatever the screen's scheme (style.css's dark block is screen only). */
let printing = false;

/**
 * The palette of the page's scheme now: DARK where the system (or browser) prefers dark, else LIGHT; LIGHT while
 * printing, and under forced colours (Windows High Contrast), where the diagram keeps its light surface whatever the
 * theme (style.css's forced-colours block).
 */
export function palette(): Palette {
  return !printing && query()?.matches && !query(FORCED_QUERY)?.matches ? DARK : LIGHT;
}

/**
 * What made main.ts draw everything again: the GPU process back ('contextrestored': every 2-D canvas came back
 * blank), the preferred scheme changed, forced colours came or went, printing started or ended (onSchemeChange).
 */
export type RedrawCause = 'context' | 'scheme' | 'forced' | 'print' | 'afterprint';

const REDRAW_WORDS: Record<RedrawCause, string> = {
  context: 'after the GPU process came back',
  scheme: 'after the colour scheme changed',
  forced: 'after forced colours were turned on or off',
  print: 'for printing',
  afterprint: 'after printing',
};

/**
 * The redraw's name in an error (main.ts redrawRestored, device-panel.ts showError): "Redrawing after the colour scheme
 * changed", each cause once and in the order it came ("… and after …" where several fell in one frame). It said
 * "after the GPU process came back" whatever the cause.
 */
export function redrawWhat(causes: readonly RedrawCause[]): string {
  return ['Redrawing', [...new Set(causes)].map((c) => REDRAW_WORDS[c]).join(' and ')].filter(Boolean).join(' ');
}

/**
 * Calls `redraw` whenever the preferred scheme changes (the OS turned dark at sunset: 'scheme') or forced colours come
 * or go ('forced'), and `redrawNow` (at once: the page is laid out for paper right after beforeprint) when printing
 * starts ('print') and ends ('afterprint') in the dark scheme; nothing where there is no matchMedia.
 */
export function onSchemeChange(redraw: (cause: RedrawCause) => void, redrawNow: (cause: RedrawCause) => void = redraw): void {
  const q = query();
  if (!q) return;
  q.addEventListener('change', () => redraw('scheme'));
  query(FORCED_QUERY)?.addEventListener('change', () => redraw('forced'));
  globalThis.addEventListener('beforeprint', () => { printing = true; if (q.matches) redrawNow('print'); });
  globalThis.addEventListener('afterprint', () => { printing = false; if (q.matches) redrawNow('afterprint'); });
}
