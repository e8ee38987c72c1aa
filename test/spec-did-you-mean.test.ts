/**
 * An unknown key of a spec, of a layer, of `init` or `optimizer`, or an unknown option of Model.create or fit, is a
 * SpecError naming the key and listing the known ones, as before; where one known key is close (`layrs`, `activaton`,
 * `batchsize`) the message also says which, as the CLI does for a flag or command (src/suggest.ts). A key far from
 * every known one gets no guess.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { validateSpec } from '../src/spec.ts';
import { rejected, thrown } from './lib/typed.ts';

const spec = (): Record<string, unknown> => ({
  inputs: 2,
  layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
  loss: 'mse',
  init: { scheme: 'xavier', seed: 1 },
  x: [[0.05, 0.1]],
  y: [[0.01]],
});

/** The SpecError `f` throws. */
function specError(f: () => unknown): SpecError {
  const err = thrown(f);
  expect(err).toBeInstanceOf(SpecError);
  return err as SpecError;
}

const TOP = 'inputs, layers, loss, reduction, params, init, x, y, lr, name, description, source, notation, batchSize, epochs, shuffle, validation, optimizer';

describe('validateSpec: an unknown key near a known one says which', () => {
  const layer = (extra: Record<string, unknown>) => ({ ...spec(), layers: [{ units: 2, activation: 'sigmoid', ...extra }, { units: 1, activation: 'sigmoid' }] });
  it.each([
    ['a spec key (a letter left out)', { ...spec(), layrs: [] }, 'layrs', `layrs: unknown key; did you mean 'layers'? Known keys are ${TOP}`],
    ['a spec key in another case', { ...spec(), batchsize: 2 }, 'batchsize', `batchsize: unknown key; did you mean 'batchSize'? Known keys are ${TOP}`],
    ['a layer key', layer({ activaton: 'tanh' }), 'layers[0].activaton', "layers[0].activaton: unknown key; did you mean 'activation'? A layer has units, activation, bias"],
    ['an init key', { ...spec(), init: { scheme: 'xavier', sede: 1 } }, 'init.sede', "init.sede: unknown key; did you mean 'seed'? Init has scheme and seed"],
    ['an optimizer key', { ...spec(), optimizer: { name: 'momentum', momentm: 0.9 } }, 'optimizer.momentm', "optimizer.momentm: unknown key; did you mean 'momentum'? An optimizer has name, lr, momentum, nesterov, beta1, beta2, eps, weightDecay"],
  ])('%s', (_what, raw, field, message) => {
    const err = specError(() => validateSpec(raw));
    expect(err.field).toBe(field);
    expect(err.message).toBe(message);
  });

  it.each([
    ['a spec key', { ...spec(), momentum: 0.9 }, `momentum: unknown key; known keys are ${TOP}`],
    ['one letter (W belongs in params: no guess of x)', { ...spec(), W: [] }, `W: unknown key; known keys are ${TOP}`],
    ['a layer key', layer({ dropout: 0.5 }), 'layers[0].dropout: unknown key; a layer has units, activation, bias'],
    ['an init key', { ...spec(), init: { scheme: 'xavier', seed: 1, gain: 2 } }, 'init.gain: unknown key; init has scheme and seed'],
  ])('%s far from every known one: no guess, the list as before', (_what, raw, message) => {
    expect(specError(() => validateSpec(raw)).message).toBe(message);
  });
});

describe('Model.create and fit: an unknown option near a known one says which', () => {
  it('Model.create', async () => {
    const err = await rejected(Model.create(spec() as never, { backned: 'cpu' } as never));
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).message).toBe("backned: unknown option; did you mean 'backend'? Known: backend, onNotice, shared, budget, threads, webgpuVariant");
    const far = await rejected(Model.create(spec() as never, { device: 'cpu' } as never));
    expect((far as SpecError).message).toBe('device: unknown option; known: backend, onNotice, shared, budget, threads, webgpuVariant');
  });

  it('fit', async () => {
    const model = await Model.create(spec() as never, { backend: 'cpu' });
    try {
      const err = await rejected(model.fit({ batchsize: 1 } as never));
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe('batchsize');
      expect((err as SpecError).message).toMatch(/^batchsize: unknown fit option; did you mean 'batchSize'\? Known: x, y, batchSize, epochs, /);
      const far = await rejected(model.fit({ rate: 1 } as never));
      expect((far as SpecError).message).toMatch(/^rate: unknown fit option; known: x, y, batchSize, epochs, /);
    } finally {
      model.dispose();
    }
  });
});
