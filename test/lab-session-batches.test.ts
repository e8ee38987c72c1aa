/**
 * A lab session cut into mini-batches (src/lab/session.ts currentRows): each mini-batch pairs its examples with their
 * own labels. XOR's truth table in batches of 2: rows 0–1 then rows 2–3, y = (0, 1) then (1, 0).
 */
import { describe, expect, it } from 'vitest';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import { xorSpec } from './lib/lab-nets.ts';

describe('LabSession mini-batches', () => {
  it('the second mini-batch of XOR (batch size 2) is rows 2–3 with their labels 1, 0, not the first rows\' 0, 1', async () => {
    const spec = xorSpec();
    // generate2D('xor', 4, …) is the truth table: x = (0,0), (0,1), (1,0), (1,1); y = a xor b = 0, 1, 1, 0.
    expect(spec.x).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const s = await LabSession.open(checkLabSpec(spec, 2), 'cpu', null);
    try {
      expect(s.currentRows()).toEqual({ x: [[0, 0], [0, 1]], y: [[0], [1]] });
      await s.train(1, () => undefined);
      expect(s.currentRows()).toEqual({ x: [[1, 0], [1, 1]], y: [[1], [0]] });
    } finally {
      s.dispose();
    }
  });
});
