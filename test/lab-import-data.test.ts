/**
 * A spec from a file (src/lab/files.ts): drawn as classes only where every y row is one class, and the page's batch
 * size kept for a file of the net on the page that has exactly that many examples.
 */
import { describe, expect, it } from 'vitest';
import { checkLabSpec } from '../src/lab/session.ts';
import { dataFor, importBatchSize } from '../src/lab/files.ts';
import type { RowsSpec } from '../src/spec.ts';
import { xorSpec } from './lib/lab-nets.ts';

describe('an imported spec', () => {
  it('multi-label rows (every row has a 1, one has two) are not classes: no colours by a first 1', () => {
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const net = { inputs: 2, layers: [{ units: 2, activation: 'sigmoid' as const }], loss: 'bce' as const, init: { scheme: 'xavier' as const, seed: 1 }, x, lr: 0.5 };
    const d = dataFor({ ...net, y: [[1, 1], [0, 1], [1, 0], [0, 1]] });
    expect(d.kind).toBe('custom');
    expect(d.labels).toBeUndefined();
  });

  it('the net on the page cut in batches of 4, from a file of exactly 4 examples: still batches of 4', () => {
    const spec: RowsSpec = xorSpec(); // 4 examples
    const onPage = { spec, batchSize: 4 };
    expect(importBatchSize(onPage, spec)).toBe(4);
    expect(checkLabSpec(spec, importBatchSize({ spec, batchSize: 2 }, spec)).batchSize).toBe(2);
  });
});
