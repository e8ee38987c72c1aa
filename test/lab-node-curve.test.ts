/**
 * Edges of a diagram node's text (src/lab/node-text.ts) and of the loss curve's index (src/lab/curve-index.ts) that
 * test/lab-diagram.test.ts and the chart tests leave open. Expected values worked by hand from the documented rules:
 * the sizes scale with r / 48 but not below 0.85; a name of up to 4 characters is 18 units, 5 or 6 are 14; the
 * glyphs' block (the name's capitals, 0.76 em above its baseline, to the last line's baseline) is centred on the node.
 */
import { describe, expect, it } from 'vitest';
import { CurveIndex } from '../src/lab/curve-index.ts';
import { nodeText } from '../src/lab/node-text.ts';
import type { LossPoint } from '../src/lab/session.ts';

describe('nodeText: the name\'s size and place', () => {
  it('a small circle (r 24) keeps 0.85 of the normal size: w5 at 0.85 × 18 = 15.3', () => {
    expect(nodeText(24, 'w5', []).nameSize).toBeCloseTo(15.3, 10);
    expect(nodeText(96, 'w5', []).nameSize).toBeCloseTo(36, 10); // r / 48 = 2
  });

  it('a name of 4 characters is 18 units, of 5 or 6 14, longer 11 (r 48)', () => {
    expect(nodeText(48, 'a_h1', []).nameSize).toBe(18);
    expect(nodeText(48, 'a_out', []).nameSize).toBe(14);
    expect(nodeText(48, 'a_out1', []).nameSize).toBe(14);
    expect(nodeText(48, 'a_out12', []).nameSize).toBe(11);
  });

  it('a name alone is centred: its baseline 0.38 em below the centre (capitals 0.76 em tall), 6.84 for 18 units', () => {
    expect(nodeText(48, 'w5', []).nameDy).toBeCloseTo(6.84, 10);
  });
});

const pt = (step: number, loss: number, kind?: LossPoint['kind']): LossPoint => (kind ? { step, loss, kind } : { step, loss });

describe('CurveIndex at its edges', () => {
  it('of equal losses the first is the lowest and the first is the highest', () => {
    const c = new CurveIndex().sync([pt(0, 0.5), pt(1, 0.2), pt(2, 0.2), pt(3, 0.9), pt(4, 0.9)]);
    expect(c.extremes(0, 5)).toEqual({ low: 1, high: 3 });
  });

  it('another curve (Reset, a new net) names only its own backends', () => {
    const c = new CurveIndex();
    c.sync([pt(0, 1, 'cpu'), pt(1, 0.9, 'webgpu')]);
    expect(c.runs).toEqual(['cpu', 'webgpu']);
    c.sync([pt(0, 1, 'wasm')]);
    expect(c.runs).toEqual(['wasm']);
  });
});
