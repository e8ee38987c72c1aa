/**
 * A spec's notation that only picks a convention, a numbering or decimals renames nothing, so its names are the
 * convention's defaults and are indexed as without a notation (src/notation/names.ts renamesAny): at the first lookup
 * that needs them, or at once in a deep net of few names. Every name was indexed when the Naming was made — a link to a
 * 784-1024-1024-10 net carrying {"decimals": 2} held the lab's page (and `explain`) for 13 s here. A notation that
 * names anything (lr, loss, inputs, targets, z, a, units, params) is still checked in full when it is made.
 */
import { describe, expect, it } from 'vitest';
import { NotationError } from '../src/errors.ts';
import { Naming } from '../src/notation/names.ts';
import { symText } from '../src/notation/symbols.ts';
import { validateNet } from '../src/spec.ts';
import { B } from './lib/notation-common.ts';

/** 12 layers (the last of 1 unit), `units` each, layer 11's bias shared: from-to names it b11, as layer 1's unit 1 bias. */
const deep = (units: number) => validateNet({
  inputs: 2, loss: 'mse',
  layers: [...Array.from({ length: 10 }, () => ({ units, activation: 'sigmoid' as const })), { units, activation: 'sigmoid' as const, bias: 'shared' as const }, { units: 1, activation: 'sigmoid' as const }],
});

describe("a notation of only convention, numbering or decimals: the defaults' lazy index", () => {
  it('a deep net past EAGER_NAMES with {convention: from-to} is made, names b11 twice, and refuses the clash at the first lookup', () => {
    // 150 units a layer: over 200 000 names (notation-naming-deep.test.ts counts them), so not indexed when made.
    const n = new Naming(deep(150), { convention: 'from-to', decimals: 3 });
    expect(symText(n.param(B(0, 0)))).toBe('b11');
    expect(symText(n.param(B(10, 0)))).toBe('b11');
    expect(n.decimals).toBe(3);
    expect(() => n.resolve('a_nonesuch', 't')).toThrow(/^notation: the name 'b11' \(.*\) is also the name of .*; every name must be unique$/);
  });

  it.each([
    ['lr', { convention: 'from-to', lr: 'α' }],
    ['loss', { convention: 'from-to', loss: 'E' }],
    ['inputs', { convention: 'from-to', inputs: ['p', 'q'] }],
  ])('a notation that names something (%s) is still checked in full when made: the clash thrown at once', (_key, notation) => {
    expect(() => new Naming(deep(150), notation)).toThrow(NotationError);
  });

  it.each([
    ['numbering', { convention: 'from-to', numbering: 'per-layer' }],
    ['a key given as undefined', { convention: 'from-to', lr: undefined, loss: undefined }],
  ])('%s names nothing: the deep from-to net is made and refuses its clash only at the first lookup', (_what, notation) => {
    const n = new Naming(deep(150), notation);
    expect(symText(n.param(B(10, 0)))).toBe('b11');
    expect(() => n.resolve('a_nonesuch', 't')).toThrow(/is also the name of .*; every name must be unique$/);
  });

  it("the convention argument over a notation that names something: the names are that convention's defaults, indexed lazily", () => {
    // The notation's lr is checked (in its own flat names, unique), but the names used are from-to's defaults.
    const n = new Naming(deep(150), { lr: 'α' }, 'from-to');
    expect(symText(n.param(B(0, 0)))).toBe('b11');
    expect(() => n.resolve('a_nonesuch', 't')).toThrow(/is also the name of .*; every name must be unique$/);
  });

  // Global numbering through a notation is indexed lazily only here (the convention argument keeps per-layer): every
  // name of nets with one- and two-digit unit numbers, a shared bias, resolved back to its own place once the first
  // lookup of a node (never handed out by param()) has indexed them all — a clash would throw there.
  const nets = {
    '2-3-3-1': validateNet({ inputs: 2, loss: 'mse', layers: [{ units: 3, activation: 'relu' }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] }),
    '11-12-10s-3': validateNet({ inputs: 11, loss: 'mse', layers: [{ units: 12, activation: 'relu' }, { units: 10, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'sigmoid' }] }),
  };
  const cases = Object.keys(nets).flatMap((net) => (['flat', 'to-from', 'from-to'] as const).flatMap((convention) => (['per-layer', 'global'] as const).map((numbering) => [net, convention, numbering] as const)));
  it.each(cases)('%s, %s, %s numbering: every parameter and node name resolves to its own place', (net, convention, numbering) => {
    const n = new Naming(nets[net as keyof typeof nets], { convention, numbering });
    const first = n.node({ kind: 'z', layer: 0, unit: 0 });
    expect(n.resolve(symText(first), 't')).toEqual({ kind: 'node', node: { kind: 'z', layer: 0, unit: 0 } });
    for (const p of n.params()) expect(n.resolveParam(symText(n.param(p)), 't')).toEqual(p);
    nets[net as keyof typeof nets].layers.forEach((layer, l) => {
      for (let i = 0; i < layer.units; i++) {
        for (const kind of ['z', 'a'] as const) expect(n.resolve(symText(n.node({ kind, layer: l, unit: i })), 't')).toEqual({ kind: 'node', node: { kind, layer: l, unit: i } });
      }
    });
  });
});
