/**
 * What the notation subpath (backprop-webgpu/notation, src/notation/index.ts) exports and how its documented
 * helpers refuse bad arguments (usr56f): `notationCost` (README "Cost of notation") and `new Naming(net, …)` (README
 * "The network spec": a Naming's convention) give a typed error naming the argument instead of a bare TypeError; the
 * undocumented internals the CLI and the lab import from their own modules (failed, errataMarkdown, parseExpr,
 * evalExpr, matrixLine, latexBlocks) are no longer part of the public entry.
 */
import { describe, expect, it } from 'vitest';
import * as notation from '../src/notation/index.ts';
import { validateSpec } from '../src/spec.ts';
import { named } from './lib/notation-common.ts';

const { Naming, notationCost } = notation;

describe('the notation entry exports what README documents, not the CLI\'s and the lab\'s internals', () => {
  it('failed, errataMarkdown, parseExpr, evalExpr, matrixLine and latexBlocks are not exported', () => {
    for (const name of ['failed', 'errataMarkdown', 'parseExpr', 'evalExpr', 'matrixLine', 'latexBlocks']) {
      expect(Object.keys(notation), name).not.toContain(name);
    }
  });

  it('the documented ones still are (explain, checkWorked, notationCost, Naming, render, scalarSource, parseWorked)', () => {
    for (const name of ['explain', 'checkWorked', 'notationCost', 'Naming', 'render', 'scalarSource', 'parseWorked']) {
      expect(typeof (notation as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});

describe('notationCost(architecture): a NotationError naming the argument or its field', () => {
  const ok = { inputs: 2, widths: [2, 1], loss: 'mse' as const };
  const cases: [string, unknown, string][] = [
    ['undefined', undefined, 'architecture'],
    ['a number', 1, 'architecture'],
    ['an array', [2, 2, 1], 'architecture'],
    ['inputs 0', { ...ok, inputs: 0 }, 'architecture.inputs'],
    ['inputs 1.5', { ...ok, inputs: 1.5 }, 'architecture.inputs'],
    ['inputs missing', { widths: [2, 1], loss: 'mse' }, 'architecture.inputs'],
    ['widths missing', { inputs: 2, loss: 'mse' }, 'architecture.widths'],
    ['widths empty', { ...ok, widths: [] }, 'architecture.widths'],
    ['widths a string', { ...ok, widths: '2-1' }, 'architecture.widths'],
    ['a width 0', { ...ok, widths: [2, 0] }, 'architecture.widths[1]'],
    ['a width NaN', { ...ok, widths: [NaN, 1] }, 'architecture.widths[0]'],
    ['loss unknown', { ...ok, loss: 'ce' }, 'architecture.loss'],
    ['loss missing', { inputs: 2, widths: [2, 1] }, 'architecture.loss'],
    ['bias unknown', { ...ok, bias: 'yes' }, 'architecture.bias'],
    ['biases not an array', { ...ok, biases: 'shared' }, 'architecture.biases'],
    ['biases of another length', { ...ok, biases: ['shared'] }, 'architecture.biases'],
    ['a bias mode unknown', { ...ok, biases: ['shared', 'one'] }, 'architecture.biases[1]'],
    ['an unknown key', { ...ok, width: [2, 1] }, 'architecture.width'],
  ];
  for (const [what, arg, field] of cases) {
    it(`${what}: names ${field}`, () => {
      expect(named(() => notationCost(arg as never))).toEqual({ name: 'NotationError', field });
    });
  }

  it('a good architecture still counts: the 2-2-1 with per-unit biases and mse, worked by hand from the formulas', () => {
    // Layer 1: 4 weights + 2 biases, 6 paths (1 each: Π_{m>1} n_m = 1), 2 + 2·1 + 1 = 5 factors → 6·4 = 24.
    // Layer 2: 2 weights + 1 bias, 3 paths, 3 factors → 3·2 = 6. Matrix: 1 (mse) + (1·2 + 2) + 2·2 + 1·2 = 11.
    const c = notationCost(Object.freeze({ ...ok, biases: Object.freeze(['per-unit', 'per-unit'] as const) as never }));
    expect({ params: c.params, paths: c.paths, scalar: c.scalar, matrix: c.matrix, forward: c.forward }).toEqual({ params: 9, paths: 9, scalar: 30, matrix: 11, forward: 6 });
  });
});

describe('new Naming(net, …): a SpecError naming `net` (as initParams names it) before any name is made', () => {
  const net = validateSpec({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' }).net;

  it('new Naming(1), new Naming(undefined), new Naming(null): `net`', () => {
    for (const bad of [1, undefined, null]) expect(named(() => new Naming(bad as never, undefined)), String(bad)).toEqual({ name: 'SpecError', field: 'net' });
  });

  it('a spec where the net belongs (its layers have no fanIn): `net.layers[0].fanIn`', () => {
    const spec = { inputs: 2, layers: [{ units: 2, activation: 'sigmoid', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }], loss: 'mse', reduction: 'mean' };
    expect(named(() => new Naming(spec as never, undefined))).toEqual({ name: 'SpecError', field: 'net.layers[0].fanIn' });
  });

  it('the net is checked before the notation (a bad net and a bad notation name `net`)', () => {
    expect(named(() => new Naming(7 as never, { convention: 'nope' }))).toEqual({ name: 'SpecError', field: 'net' });
  });

  it('a validated net still names the 2-2-1 (w5 is W[1][0][0])', () => {
    expect(new Naming(net, undefined).resolveParam('w5', 't')).toEqual({ kind: 'W', layer: 1, row: 0, col: 0 });
  });
});
