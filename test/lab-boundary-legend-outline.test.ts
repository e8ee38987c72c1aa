/**
 * The decision boundary's legend draws each class's swatch as its points are drawn (src/lab/boundary.ts drawLegend,
 * markerPath): filled in its class's colour and outlined in the points' #1a1a1a, so a pale class (Okabe–Ito's sky blue
 * #56B4E9, class 4) keeps an edge on the legend's white box as its points do on the map. Read from a recording 2-D
 * context (test/lib/recording-context.ts) on lab-boundary-shapes' five points, one of each class.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawFive, markers } from './lib/boundary-markers.ts';
import type { Call } from './lib/recording-context.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});


/** The stroke style in force at call `at`. */
const strokeAt = (calls: Call[], at: number): unknown => calls.slice(0, at).filter((c) => c[0] === 'set strokeStyle').at(-1)?.[1];

describe("the boundary legend's swatches are outlined as the points are", () => {
  it('each of the five legend swatches and five points is stroked right after its fill, in #1a1a1a', () => {
    const calls = drawFive();
    const m = markers(calls);
    expect(m).toHaveLength(10);
    m.forEach((s, k) => {
      expect(calls[s.at + 1]?.[0], `marker ${k} (${k < 5 ? 'legend' : 'point'} of class ${k % 5})`).toBe('stroke');
      expect(strokeAt(calls, s.at + 1), `marker ${k}`).toBe('#1a1a1a');
    });
  });
});
