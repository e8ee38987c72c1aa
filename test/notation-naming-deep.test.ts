/**
 * A Naming of a deep and wide net without a notation (src/notation/names.ts): every name was indexed when the Naming
 * was made (its clash check) from UNIQUE_LAYERS (10) layers on, whatever the net's size — a share link of 10 layers
 * of 640 units froze the lab's page for half a minute as it loaded (the Loss surface's parameter pick makes one), and
 * one of 1 000 layers of 64 units for a minute. Past EAGER_NAMES names they are indexed, and a clash refused, at the
 * first lookup that needs them, as in a shallower net. The names below are worked by hand from the conventions.
 */
import { describe, expect, it } from 'vitest';
import { NotationError } from '../src/errors.ts';
import { EAGER_NAMES, Naming } from '../src/notation/names.ts';
import { symText } from '../src/notation/symbols.ts';
import { validateNet } from '../src/spec.ts';
import { B } from './lib/notation-common.ts';

/** 12 layers (the last of 1 unit), `units` each, layer 11's bias shared: from-to names it b11, as layer 1's unit 1 bias. */
const deep = (units: number) => validateNet({
  inputs: 2, loss: 'mse',
  layers: [...Array.from({ length: 10 }, () => ({ units, activation: 'sigmoid' as const })), { units, activation: 'sigmoid' as const, bias: 'shared' as const }, { units: 1, activation: 'sigmoid' as const }],
});

describe('a deep net of many names: its clash check at the first lookup that needs every name', () => {
  it('a deep net of few names is checked when the Naming is made, as before', () => {
    // 2 units a layer: 2·2 + 10·(2·2) + 2·1 weights and 23 biases, far below EAGER_NAMES.
    expect(() => new Naming(deep(2), undefined, 'from-to')).toThrow(NotationError);
  });

  it('past EAGER_NAMES names the Naming is made at once, names its parameters, and refuses the clash at the first lookup', () => {
    expect(EAGER_NAMES).toBe(200_000);
    // 150 units a layer: 2·150 + 9·150² + 150·150 + 150 weights = 225 450 (with the biases and 2 names per unit, more
    // than 200 000 names).
    const n = new Naming(deep(150), undefined, 'from-to');
    // from-to: b then the layer and the unit, run together (layer 1's unit 1: b11; layer 11's shared bias: b11 too).
    expect(symText(n.param(B(0, 0)))).toBe('b11');
    expect(symText(n.param(B(10, 0)))).toBe('b11');
    // The first lookup of a name param() has not handed out indexes every name: the clash, named, as at 2 units.
    let err: unknown;
    try {
      n.resolve('a_nonesuch', 'param');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotationError);
    expect((err as NotationError).message).toMatch(/^notation: the name 'b11' \(.*\) is also the name of .*; every name must be unique$/);
  });

  it('the flat names of a deep, wide net without a clash: made at once and looked up (every name indexed then)', () => {
    const n = new Naming(deep(150), undefined, 'flat');
    expect(n.resolve('L', 't')).toEqual({ kind: 'loss' });
    expect(n.resolveParam(symText(n.param(B(3, 7))), 't')).toEqual(B(3, 7));
  });
});
