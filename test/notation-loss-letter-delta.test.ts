/**
 * The Naming's refusal of two z names that give two units one δ (src/notation/names.ts) writes δ as the derivative of
 * the net's own loss letter — the notation's "loss" (E in lecture 2-2-1-nobias, J in some) — as the other notation
 * errors do since stop 57 (test/notation-loss-letter-errors.test.ts): it still said "∂L/∂z" to a net whose loss is E.
 * Expected messages written by hand from the names: z names p1 and z_p1 both give δ_p1 (δ keeps a z's other letters).
 */
import { describe, expect, it } from 'vitest';
import { NotationError } from '../src/errors.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';
import { expectTyped, thrown } from './lib/typed.ts';

const net = validateSpec({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' }).net;

describe('two z names with one δ: the message writes δ with the net\'s loss letter', () => {
  it('loss E: "the δ (∂E/∂z) \'δ_p1\'"', () => {
    const err = thrown(() => new Naming(net, { loss: 'E', z: [['p1', 'z_p1'], ['q']] }));
    expectTyped(err, NotationError, 'notation', /^notation: the z names 'p1' and 'z_p1' give both units the δ \(∂E\/∂z\) 'δ_p1'; every name must be unique$/);
  });

  it('no loss letter given: L, as before', () => {
    const err = thrown(() => new Naming(net, { z: [['p1', 'z_p1'], ['q']] }));
    expect((err as Error).message).toBe("notation: the z names 'p1' and 'z_p1' give both units the δ (∂L/∂z) 'δ_p1'; every name must be unique");
  });
});
