/**
 * The constants the package exports are the ones its own checks read (validateSpec reads ACTIVATIONS, resolveOptimizer
 * OPTIMIZER_DEFAULTS, a checkpoint STATE_SLOTS; the lectures: test/lectures-frozen.test.ts): a consumer's write to one must not change
 * what the engine accepts or computes for every later caller in the process. They are frozen, as DEFAULT_BUDGET is:
 * a write throws a TypeError (strict code: these test files are ES modules) and the value stays.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { ACTIVATIONS, BIAS_MODES, INIT_SCHEMES, LOSSES, REDUCTIONS, validateSpec } from '../src/spec.ts';
import { OPTIMIZERS, OPTIMIZER_DEFAULTS, STATE_SLOTS, resolveOptimizer } from '../src/train/optimizers.ts';
import { CONVENTIONS } from '../src/notation/names.ts';
import { FORMATS } from '../src/notation/format.ts';

const one = (activation: string): unknown => ({
  inputs: 1, layers: [{ units: 1, activation }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
});

describe('exported constants are frozen', () => {
  it('ACTIVATIONS: a push throws, and validateSpec still refuses the name', () => {
    expect(() => (ACTIVATIONS as string[]).push('swish')).toThrow(TypeError);
    expect(ACTIVATIONS).toEqual(['identity', 'linear', 'sigmoid', 'relu', 'leaky_relu', 'tanh', 'softmax']);
    let err: unknown;
    try { validateSpec(one('swish')); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).field).toBe('layers[0].activation');
  });

  it('the other name lists', () => {
    const lists: [readonly string[], string[]][] = [
      [LOSSES, ['mse', 'bce', 'softmax-cross-entropy']], [REDUCTIONS, ['mean', 'sum']],
      [BIAS_MODES, ['per-unit', 'shared', 'none']], [INIT_SCHEMES, ['xavier', 'he', 'uniform']],
      [OPTIMIZERS, ['sgd', 'momentum', 'adam', 'adamw']], [CONVENTIONS, ['flat', 'to-from', 'from-to']],
      [FORMATS, ['text', 'md', 'latex']],
    ];
    for (const [list, was] of lists) {
      expect(() => { (list as string[])[0] = 'x'; }).toThrow(TypeError);
      expect(() => { (list as string[]).length = 0; }).toThrow(TypeError);
      expect([...list]).toEqual(was);
    }
  });

  it('OPTIMIZER_DEFAULTS: a write throws and resolveOptimizer keeps PyTorch\'s Adam defaults', () => {
    expect(() => { (OPTIMIZER_DEFAULTS as { lr: number }).lr = 5; }).toThrow(TypeError);
    // torch.optim.Adam: lr=1e-3, betas=(0.9, 0.999), eps=1e-8 (the README's Optimisers defaults)
    const c = resolveOptimizer('adam', undefined);
    expect([c.lr, c.beta1, c.beta2, c.eps]).toEqual([1e-3, 0.9, 0.999, 1e-8]);
  });

  it('STATE_SLOTS: neither the table nor a slot list can be changed', () => {
    expect(() => { (STATE_SLOTS as Record<string, readonly string[]>).adam = []; }).toThrow(TypeError);
    expect(() => { (STATE_SLOTS.adam as string[]).length = 0; }).toThrow(TypeError);
    expect(() => (STATE_SLOTS.momentum as string[]).push('m')).toThrow(TypeError);
    expect(STATE_SLOTS).toEqual({ sgd: [], momentum: ['buf'], adam: ['m', 'v'], adamw: ['m', 'v'] });
  });
});
