/**
 * The class markers of the lab's plots (boundary.ts: each training point and legend swatch; fit-plot.ts: the curve's
 * and the ŷ-against-y plot's points): a shape per class beside its colour. No DOM beyond the 2-D context it is given, so it runs in Node on a recording one.
 */
import { palette, type Palette } from './palette.ts';

/** The square's half-side, the diamond's half-diagonal and the triangle's centre-to-corner for a disc of radius 1: the disc's area. */
const SQUARE_HALF = Math.sqrt(Math.PI) / 2;
const DIAMOND_HALF = Math.sqrt(Math.PI / 2);
const TRIANGLE_R = Math.sqrt((4 * Math.PI) / (3 * Math.sqrt(3)));

/**
 * Class k's marker, a second cue beside its colour (WCAG 1.4.1: under deuteranopia the Okabe–Ito #009E73 and #CC79A7
 * are one grey, and every point was a disc): for k mod 5, a disc, a square, a triangle pointing up, a diamond, a
 * triangle pointing down, each of the disc's area for radius r and centred on (x, y) (a triangle on its centroid).
 * Adds the path only: the caller fills and strokes it.
 */
export function markerPath(ctx: CanvasRenderingContext2D, k: number, x: number, y: number, r: number): void {
  const polygon = (pts: readonly (readonly [number, number])[]): void => {
    pts.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(x + px, y + py) : ctx.lineTo(x + px, y + py)));
    ctx.closePath();
  };
  const corners = (R: number, degrees: readonly number[]) => degrees.map((d) => [R * Math.cos((d * Math.PI) / 180), R * Math.sin((d * Math.PI) / 180)] as const);
  const s = SQUARE_HALF * r;
  const d = DIAMOND_HALF * r;
  switch (k % 5) {
    case 0: ctx.arc(x, y, r, 0, 2 * Math.PI); break;
    case 1: polygon([[-s, -s], [s, -s], [s, s], [-s, s]]); break;
    case 2: polygon(corners(TRIANGLE_R * r, [-90, 30, 150])); break;
    case 3: polygon([[0, -d], [d, 0], [0, d], [-d, 0]]); break;
    default: polygon(corners(TRIANGLE_R * r, [90, 210, 330]));
  }
}

/** A point's marker radius on a W × H canvas (canvas pixels): the boundary's and the fit plots' points alike. */
export function markerRadius(W: number, H: number): number {
  return Math.max(2.5, Math.min(W, H) / 100);
}

/**
 * Class k's marker (markerPath) at (x, y), filled in `colour` with the scheme's outline (dark on the light plots, light
 * on the dark); hollow (a validation row's): the plot's background inside, a thick outline in `colour` (2 canvas
 * pixels per CSS pixel `px`).
 */
export function drawMarker(ctx: CanvasRenderingContext2D, k: number, x: number, y: number, r: number, colour: string, hollow = false, px = 1, pal: Palette = palette()): void {
  ctx.beginPath();
  markerPath(ctx, k, x, y, r);
  ctx.fillStyle = hollow ? pal.plot.hollowFill : colour;
  ctx.strokeStyle = hollow ? colour : pal.plot.outline;
  ctx.lineWidth = hollow ? 2 * px : Math.max(1, r / 3);
  ctx.fill();
  ctx.stroke();
}
