/**
 * The nets the lab's diagram tests draw (src/lab/diagram-svg.ts, diagram-export.ts), one copy each, and a strip's
 * light colours.
 */
import { type DiagramStrip, stripColour } from '../../src/lab/diagram-model.ts';
import { LIGHT } from '../../src/lab/palette.ts';
import type { NetworkSpec } from '../../src/spec.ts';

/** 2-3-1 with weights of both signs and a zero: W₁ = [[1, −2], [0, 3], [−4, 5]], W₂ = [[−1, 2, 3]], b₁ = [0.5, −0.5, 0], b₂ = [−1]. */
export const SIGNS: NetworkSpec = {
  name: 'signs', inputs: 2, loss: 'bce',
  layers: [{ units: 3, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }],
  params: { W: [[[1, -2], [0, 3], [-4, 5]], [[-1, 2, 3]]], b: [[0.5, -0.5, 0], [-1]] },
  x: [[0.5, -0.5]], y: [[1]],
};

/** 2 → 14 tanh → 1 linear: 14 units, more than the diagram draws one by one (MAX_SHOWN 10), a strip when summarised. */
export const WIDE: NetworkSpec = {
  name: 'wide', inputs: 2, loss: 'mse',
  layers: [{ units: 14, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'linear', bias: 'per-unit' }],
  params: {
    W: [Array.from({ length: 14 }, (_, i) => [0.1 * (i + 1), -0.05 * (i + 1)]), [Array.from({ length: 14 }, (_, i) => (i % 2 ? -0.2 : 0.3))]],
    b: [Array.from({ length: 14 }, () => 0.1), [0.2]],
  },
  x: [[1, 2]], y: [[1]],
};

/** A strip's cells in the light drawing's colours (diagram-model.ts stripColour with LIGHT: the page's light scheme, a download's). */
export function lightColours(st: DiagramStrip): string[] {
  return st.cells.map((v) => stripColour(v, st.shade, LIGHT));
}
