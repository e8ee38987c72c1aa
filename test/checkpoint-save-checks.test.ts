/**
 * saveCheckpoint's checks at entry (src/train/checkpoint.ts doc comment: "so that it does not write what
 * loadCheckpoint refuses"; README §Checkpoints), fmut55's survivors:
 * - a state whose name is not the spec's optimizer: a SpecError naming `state.name` (load would refuse its slots);
 * - a state at t = 0 with a slot value other than 0: a SpecError naming that value (load requires every value 0 there);
 *   the same slots at t = 1 are written and load back;
 * - a `metadata` key of the format's own (format, spec, epochs): a SpecError naming `metadata.KEY` (README), never
 *   written over the format's entry;
 * - `metadata` that is no plain object (a Map, whose entries are not its keys, a Date): a SpecError naming `metadata`.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { type NetworkSpec, type Params, validateNet } from '../src/spec.ts';
import { loadCheckpoint, saveCheckpoint } from '../src/train/checkpoint.ts';
import type { OptimizerState } from '../src/train/optimizers.ts';

const SPEC: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' };
const net = validateNet(SPEC);
const params = (v = 0): Params => ({ W: [new Float32Array([v, v])], b: [new Float32Array([v])] });
const adam = (t: number, m: number): OptimizerState => ({ name: 'adam', t, slots: { m: params(m), v: params(0) } });

/** The error saveCheckpoint throws for these arguments (undefined when it writes). */
function saveError(...args: Parameters<typeof saveCheckpoint>): unknown {
  try {
    saveCheckpoint(...args);
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('saveCheckpoint refuses what loadCheckpoint would', () => {
  it("a state of another optimiser than the spec's: a SpecError naming state.name", () => {
    for (const spec of [{ ...SPEC, optimizer: 'sgd' }, { ...SPEC, optimizer: 'momentum' }] as NetworkSpec[]) {
      const err = saveError(net, spec, params(), adam(1, 0.5), 1);
      expect(err, JSON.stringify(spec.optimizer)).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe('state.name');
    }
    expect(loadCheckpoint(saveCheckpoint(net, { ...SPEC, optimizer: 'adam' }, params(), adam(1, 0.5), 1)).state?.name).toBe('adam');
  });

  it('a state at t = 0 with m ≠ 0: a SpecError naming the value; at t = 1 it is written and loads', () => {
    const spec = { ...SPEC, optimizer: 'adam' } as NetworkSpec;
    const err = saveError(net, spec, params(), adam(0, 0.5), 0);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).field).toBe('state.slots.m.W[0][0]');
    expect(saveError(net, spec, params(), adam(0, 0), 0)).toBeUndefined();
    const ck = loadCheckpoint(saveCheckpoint(net, spec, params(), adam(1, 0.5), 1));
    expect([ck.state?.t, Array.from(ck.state!.slots.m.W[0])]).toEqual([1, [0.5, 0.5]]);
  });

  it("a metadata key of the format's own: a SpecError naming metadata.KEY", () => {
    for (const key of ['format', 'spec', 'epochs']) {
      const err = saveError(net, SPEC, params(), undefined, 3, { [key]: '5' });
      expect(err, key).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe(`metadata.${key}`);
    }
  });

  it('metadata a Map or a Date: a SpecError naming metadata; a plain object (or one without a prototype) is written', () => {
    for (const metadata of [new Map([['note', 'x']]), new Date(0)]) {
      const err = saveError(net, SPEC, params(), undefined, 0, metadata as never);
      expect(err, metadata.constructor.name).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe('metadata');
    }
    const bare = Object.assign(Object.create(null) as Record<string, string>, { note: 'x' });
    expect(loadCheckpoint(saveCheckpoint(net, SPEC, params(), undefined, 0, bare)).metadata).toEqual({ note: 'x' });
  });
});
