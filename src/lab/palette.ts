/**
 * The colours the lab draws with (canvas and SVG), in its light and dark schemes: the page's own colours are CSS
 * variables (style.css, with their dark values under @media (prefers-color-scheme: dark)); these are the ones a
 * drawer sets itself — the loss chart's and the network diagram's. A drawer asks `palette()` at draw time; main.ts
 * draws everything again when the scheme changes (`onSchemeChange`). Exports (the loss curve's PNG, the diagram's
 * SVG download) are drawn in LIGHT whatever the page's scheme: a figure pasted into slides or a handout on white.
 *
 * Contrast (WCAG 2.2): text ≥ 4.5:1 and lines, edges and focus rings ≥ 3:1 on what they are drawn on, in both
 * schemes (test/lab-dark-contrast.test.ts works the ratios).
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
  };
}

export const LIGHT: Palette = {
  name: 'light',
  chart: { background: '#fff', text: '#555', grid: '#ddd', training: '#2563eb', validation: '#ea580c', validationText: '#c2410c' },
  diagram: {
    background: '#fcfcfd', ink: '#111827', muted: '#4b5563', positive: '#2563eb', negative: '#ea580c', zero: '#9ca3af',
    unitFill: '#ffffff', inputFill: '#f3f4f6', biasFill: '#ffffff', biasSelectedFill: '#fef3c7', halo: '#ffffff',
  },
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
  },
};

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
 * Calls `redraw` whenever the preferred scheme changes (the OS turned dark at sunset) or forced colours come or go, and `redrawNow` (at once: the
 * page is laid out for paper right after beforeprint) when printing starts and ends in the dark scheme; nothing
 * where there is no matchMedia.
 */
export function onSchemeChange(redraw: () => void, redrawNow: () => void = redraw): void {
  const q = query();
  if (!q) return;
  q.addEventListener('change', redraw);
  query(FORCED_QUERY)?.addEventListener('change', redraw);
  globalThis.addEventListener('beforeprint', () => { printing = true; if (q.matches) redrawNow(); });
  globalThis.addEventListener('afterprint', () => { printing = false; if (q.matches) redrawNow(); });
}
