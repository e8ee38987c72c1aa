/**
 * A deep, wide net without a notation (past EAGER_NAMES names, so not indexed when its Naming is made): a name that
 * param() handed out must not resolve from param()'s cache when the net's default names can clash. From-to runs a
 * bias's layer and unit together: b11 is layer 1's unit 1 bias and layer 11's shared bias (worked by hand from the
 * convention, README "Notation"), so resolving b11 must be refused as a clash, as a net of few names refuses it when
 * its Naming is made — never answered with whichever of the two param() named last.
 */
import { describe, expect, it } from 'vitest';
import { Naming } from '../src/notation/names.ts';
import { symText } from '../src/notation/symbols.ts';
import { validateNet } from '../src/spec.ts';
import { B } from './lib/notation-common.ts';

/** 12 layers (the last of 1 unit), `units` each, layer 11's bias shared. */
const deep = (units: number) => validateNet({
  inputs: 2, loss: 'mse',
  layers: [...Array.from({ length: 10 }, () => ({ units, activation: 'sigmoid' as const })), { units, activation: 'sigmoid' as const, bias: 'shared' as const }, { units: 1, activation: 'sigmoid' as const }],
});

describe('a deep net past EAGER_NAMES: a name param() handed out still meets the clash check', () => {
  it('b11, named by param() for layer 11 then looked up, is refused as a clash (not layer 11 nor layer 1 returned)', () => {
    const n = new Naming(deep(150), undefined, 'from-to');
    expect(symText(n.param(B(0, 0)))).toBe('b11');
    expect(symText(n.param(B(10, 0)))).toBe('b11');
    expect(() => n.resolveParam('b11', 't')).toThrow(/^notation: the name 'b11' \(.*\) is also the name of .*; every name must be unique$/);
  });

  it('one name param() handed out (layer 1 unit 1 alone) is refused too', () => {
    const n = new Naming(deep(150), undefined, 'from-to');
    expect(symText(n.param(B(0, 0)))).toBe('b11');
    expect(() => n.resolve('b11', 't')).toThrow(/every name must be unique/);
  });
});

describe('a deep net past EAGER_NAMES: after the clash is refused once', () => {
  it('the next lookup of a name indexed before the clash is refused again, not answered from the half-made index', () => {
    const n = new Naming(deep(150), undefined, 'from-to');
    // The first lookup indexes every name and meets the clash (layer 1's b11, then layer 11's).
    expect(() => n.resolve('a_nonesuch', 't')).toThrow(/every name must be unique/);
    // b11 (layer 1, unit 1) went into the index before layer 11's b11 clashed: still a clash, not layer 1's bias.
    expect(() => n.resolveParam('b11', 't')).toThrow(/^notation: the name 'b11' \(.*\) is also the name of .*; every name must be unique$/);
    // A name that clashes with nothing is refused too, as the Naming of a net of few names is not made at all.
    expect(() => n.resolveParam('b12', 't')).toThrow(/every name must be unique/);
    // The loss, learning rate, inputs and targets are indexed apart (index()) and still resolve.
    expect(n.resolve('L', 't')).toEqual({ kind: 'loss' });
  });
});
