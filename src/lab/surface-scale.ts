/**
 * The loss surface's canvas pixels (surface.ts: the heatmap and the 3-D view). The view is as large as the screen's
 * height lets it be (style.css .loss-surface-view), so on a big screen its backing store at the device pixel ratio was
 * 9.3 MP for a 41 × 41 grid: 1758 × 1318 CSS px on a 5K iMac (2560 × 1440 CSS px at a device pixel ratio
 * of 2) drew 3516 × 2636, and one arrow key's redraw of the heatmap there took a median of 118–120 ms to the
 * next frame (headless Chromium, 2 shared cores; wide61). The canvas is drawn at the device pixel ratio (at most 2, as
 * the lab's other canvases: loss-chart.ts fitCanvas) unless that passes MAX_SURFACE_PIXELS; then at the scale that
 * fills it: 1.35 there (2365 × 1773, 4.19 MP; 51–58 ms in the same runs), sharper than 1, as many pixels as a 4K
 * laptop's view at 2. At 1280 × 800 and 1920 × 1080 (906 × 680, 1280 × 960 CSS px at most) nothing changes below a ratio
 * of 2 and 1.85.
 */

/** The most pixels the loss surface's canvas holds (4 × 2²⁰). */
export const MAX_SURFACE_PIXELS = 4 * 2 ** 20;

/**
 * Canvas pixels per CSS pixel for a loss surface view of cssWidth × cssHeight CSS pixels on a screen of this device
 * pixel ratio: the ratio (1 where it is not a positive number), at most 2, and at most what keeps
 * width × height × scale² within MAX_SURFACE_PIXELS. A box that is not laid out (zero, NaN) leaves the ratio's cap.
 */
export function surfaceScale(cssWidth: number, cssHeight: number, devicePixelRatio: number): number {
  const dpr = Math.min(2, Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1);
  const area = cssWidth * cssHeight;
  if (!(Number.isFinite(area) && area > 0)) return dpr;
  return Math.min(dpr, Math.sqrt(MAX_SURFACE_PIXELS / area));
}
