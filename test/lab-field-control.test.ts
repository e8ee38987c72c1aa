/**
 * Which control an error's field names (src/lab/fields.ts fieldControl), so that the page marks it invalid and
 * described by the notice (aria-invalid, aria-describedby): the ids written out by hand from src/lab/index.html (Steps,
 * the Fit panel, the loss surface's pickers) and src/lab/editor.ts (lr, batch-size, seed, layer-<i>-units); the field
 * names from the code that throws them (training.ts, editor.ts, surface-params.ts, the engine's spec checks).
 */
import { describe, expect, it } from 'vitest';
import { fieldControl } from '../src/lab/fields.ts';

describe('fieldControl', () => {
  it('Steps and the Fit panel', () => {
    expect(fieldControl('steps')).toBe('train-steps');
    expect(fieldControl('fit.optimizer.lr')).toBe('fit-lr');
    expect(fieldControl('fit.batchSize')).toBe('fit-batch');
    expect(fieldControl('fit.epochs')).toBe('fit-epochs');
    expect(fieldControl('fit.earlyStop.patience')).toBe('fit-patience');
    expect(fieldControl('fit.earlyStop.restoreBest')).toBe('fit-restore');
  });

  it("the editor's fields, a layer's units by its 0-based index", () => {
    expect(fieldControl('lr')).toBe('lr');
    expect(fieldControl('batch size')).toBe('batch-size');
    expect(fieldControl('seed')).toBe('seed');
    expect(fieldControl('layers[0].units')).toBe('layer-0-units');
    expect(fieldControl('layers[12].units')).toBe('layer-12-units');
  });

  it("the loss surface's row and column fields; a bias's index is its row field", () => {
    expect(fieldControl('surface.p1.row')).toBe('surface-r1');
    expect(fieldControl('surface.p1.col')).toBe('surface-c1');
    expect(fieldControl('surface.p2.row')).toBe('surface-r2');
    expect(fieldControl('surface.p2.col')).toBe('surface-c2');
    expect(fieldControl('surface.p2.index')).toBe('surface-r2');
  });

  it('a field no one control holds: none', () => {
    for (const f of [undefined, '', 'layers[0].activation', 'layers[0].unitsx', 'surface.p2', 'surface.p3.row', 'x[1][1]', 'toString', 'constructor', 'fit'])
      expect(fieldControl(f), String(f)).toBeNull();
  });
});
