/**
 * A value outside a fixed set of values — an activation, a loss, a reduction, a bias mode, an init scheme, an
 * optimiser, a backend, webgpuVariant and the backends' own choices, a naming convention or numbering, explain's
 * format, a CLI flag's choice, BACKPROP_WEBGPU and BACKPROP_CHROMIUM — says "did you mean" for a near-miss, as an
 * unknown key does (test/spec-did-you-mean.test.ts): the same error class, field and full list of allowed values as
 * before, then the guess. A value far from every allowed one, a one-letter value and a value that is no string get
 * the list alone.
 */
import { describe, expect, it } from 'vitest';
import { longLowerCases } from './lib/long-strings.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import { BackpropError, NotationError, SpecError } from '../src/errors.ts';
import { initParams } from '../src/init.ts';
import { Model } from '../src/model.ts';
import { explain, explainer } from '../src/notation/explain.ts';
import { render } from '../src/notation/format.ts';
import { checkNotation, Naming } from '../src/notation/names.ts';
import { chromiumChoice } from '../src/node/chromium.ts';
import { validateSpec } from '../src/spec.ts';
import { resolveOptimizer } from '../src/train/optimizers.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { WebGpuBackend } from '../src/webgpu/backend.ts';
import { choice, UsageError } from '../src/cli/io.ts';
import { webGpuRoute } from '../src/cli/webgpu.ts';
import { xorSpec } from './lib/lab-nets.ts';
import { rejected, thrown } from './lib/typed.ts';

/** A 2-4-1 net on four points (the lab's XOR net), as a plain record. */
const spec = (): Record<string, unknown> => ({ ...xorSpec() });
const layer0 = (extra: Record<string, unknown>) => ({ ...spec(), layers: [{ units: 4, activation: 'tanh', ...extra }, { units: 1, activation: 'sigmoid' }] });
const net = () => validateSpec(spec()).net;

/** `err` is a `Cls` naming `field` with exactly `message` (the field in front, as BackpropError's message has it). */
function expectError(err: unknown, Cls: new (...args: never[]) => BackpropError, field: string, message: string): void {
  expect(err).toBeInstanceOf(Cls);
  expect((err as BackpropError).field).toBe(field);
  expect((err as Error).message).toBe(message);
}

const ACTIVATIONS = "'identity', 'linear', 'sigmoid', 'relu', 'leaky_relu', 'tanh', 'softmax'";
const LOSSES = "'mse', 'bce', 'softmax-cross-entropy'";
const OPTIMIZERS = "'sgd', 'momentum', 'adam', 'adamw'";
const BACKENDS = "'auto', 'cpu', 'webgpu', 'wasm'";
const VARIANTS = "'auto', 'blocked', 'blocked-subgroup', 'tiled', 'subgroup'";

describe('validateSpec: a value near an allowed one says which', () => {
  it.each([
    ['an activation', layer0({ activation: 'sigmod' }), 'layers[0].activation', `must be one of ${ACTIVATIONS}, got "sigmod"; did you mean 'sigmoid'?`],
    ['an activation in another case', layer0({ activation: 'ReLU' }), 'layers[0].activation', `must be one of ${ACTIVATIONS}, got "ReLU"; did you mean 'relu'?`],
    ['an activation with a dash for its underscore', layer0({ activation: 'leaky-relu' }), 'layers[0].activation', `must be one of ${ACTIVATIONS}, got "leaky-relu"; did you mean 'leaky_relu'?`],
    ['a loss', { ...spec(), loss: 'softmax-crossentropy' }, 'loss', `must be one of ${LOSSES}, got "softmax-crossentropy"; did you mean 'softmax-cross-entropy'?`],
    ['a reduction', { ...spec(), reduction: 'man' }, 'reduction', "must be one of 'mean', 'sum', got \"man\"; did you mean 'mean'?"],
    ['a bias mode', layer0({ bias: 'per_unit' }), 'layers[0].bias', "must be one of 'per-unit', 'shared', 'none', got \"per_unit\"; did you mean 'per-unit'?"],
    ['an init scheme', { ...spec(), init: { scheme: 'xavir', seed: 1 } }, 'init.scheme', "must be one of 'xavier', 'he', 'uniform', got \"xavir\"; did you mean 'xavier'?"],
    ['an optimizer name', { ...spec(), optimizer: 'sdg' }, 'optimizer.name', `must be one of ${OPTIMIZERS}, got "sdg"; did you mean 'sgd'?`],
    ['an optimizer object\'s name', { ...spec(), optimizer: { name: 'Adam' } }, 'optimizer.name', `must be one of ${OPTIMIZERS}, got "Adam"; did you mean 'adam'?`],
  ])('%s', (_what, raw, field, message) => {
    expectError(thrown(() => validateSpec(raw)), SpecError, field, `${field}: ${message}`);
  });

  it.each([
    ['an activation', layer0({ activation: 'swish' }), 'layers[0].activation', `must be one of ${ACTIVATIONS}, got "swish"`],
    ['a loss', { ...spec(), loss: 'hinge' }, 'loss', `must be one of ${LOSSES}, got "hinge"`],
    ['an init scheme', { ...spec(), init: { scheme: 'glorot', seed: 1 } }, 'init.scheme', "must be one of 'xavier', 'he', 'uniform', got \"glorot\""],
    ['an optimizer name', { ...spec(), optimizer: 'rmsprop' }, 'optimizer.name', `must be one of ${OPTIMIZERS}, got "rmsprop"`],
    ['a value that is no string', layer0({ activation: 3 }), 'layers[0].activation', `must be one of ${ACTIVATIONS}, got 3`],
  ])('%s far from every allowed one: no guess, the list as before', (_what, raw, field, message) => {
    expectError(thrown(() => validateSpec(raw)), SpecError, field, `${field}: ${message}`);
  });
});

it('a megabyte-long value is refused with the list alone, and no edit-distance table of it is filled', () => {
  // Without suggest's length cap this took 8 s (a 2^20 × 9 table per allowed word), 4 ms with it.
  // NOTE: no time is asserted: suggest lower-cases a value before any table of it, so it must never lower-case this one.
  const lowered = longLowerCases(() => {
    const err = thrown(() => validateSpec(layer0({ activation: 'r'.repeat(1 << 20) })));
    expectError(err, SpecError, 'layers[0].activation', `layers[0].activation: must be one of ${ACTIVATIONS}, got "${'r'.repeat(40)}…"`);
  });
  expect(lowered).toBe(0);
});

describe('the library\'s other fixed sets of values say which', () => {
  it('Model.create: backend, webgpuVariant — before any backend is made', async () => {
    expectError(await rejected(Model.create(spec() as never, { backend: 'CPU' as 'cpu' })), SpecError, 'backend', `backend: must be one of ${BACKENDS} (lower case), got "CPU"; did you mean 'cpu'?`);
    expectError(await rejected(Model.create(spec() as never, { backend: 'wsam' as 'cpu' })), SpecError, 'backend', `backend: must be one of ${BACKENDS} (lower case), got "wsam"; did you mean 'wasm'?`);
    // 'gpu' is one letter from 'cpu' but means the GPU: the guess is 'webgpu', never 'cpu'.
    expectError(await rejected(Model.create(spec() as never, { backend: 'gpu' as 'cpu' })), SpecError, 'backend', `backend: must be one of ${BACKENDS} (lower case), got "gpu"; did you mean 'webgpu'?`);
    expectError(await rejected(Model.create(spec() as never, { backend: 'cuda' as 'cpu' })), SpecError, 'backend', `backend: must be one of ${BACKENDS} (lower case), got "cuda"`);
    expectError(await rejected(Model.create(spec() as never, { backend: 'metal' as 'cpu' })), SpecError, 'backend', `backend: must be one of ${BACKENDS} (lower case), got "metal"`);
    expectError(await rejected(Model.create(spec() as never, { backend: 'cpu', webgpuVariant: 'tild' as 'tiled' })), SpecError, 'webgpuVariant', `webgpuVariant: must be one of ${VARIANTS}, got "tild"; did you mean 'tiled'?`);
    expectError(await rejected(Model.create(spec() as never, { backend: 'cpu', webgpuVariant: 'fast' as 'tiled' })), SpecError, 'webgpuVariant', `webgpuVariant: must be one of ${VARIANTS}, got "fast"`);
  });

  it("the backends' own options: wasm simd, WebGPU variant, fused and fusedEntry (checked before WebGPU is touched)", async () => {
    expectError(await rejected(WasmBackend.create({ simd: 'relaxd' as 'simd' })), SpecError, 'simd', "simd: must be one of 'auto', 'relaxed', 'simd', got \"relaxd\"; did you mean 'relaxed'?");
    expectError(await rejected(WebGpuBackend.create({ variant: 'blockd' as 'tiled' })), SpecError, 'variant', `variant: must be one of ${VARIANTS}, got "blockd"; did you mean 'blocked'?`);
    expectError(await rejected(WebGpuBackend.create({ fused: 'Off' as 'off' })), SpecError, 'fused', "fused: must be one of 'auto', 'off', 'on', got \"Off\"; did you mean 'off'?");
    expectError(await rejected(WebGpuBackend.create({ fused: 'yes' as 'off' })), SpecError, 'fused', "fused: must be one of 'auto', 'off', 'on', got \"yes\"");
    expectError(await rejected(WebGpuBackend.create({ fusedEntry: 'lane' as 'lanes' })), SpecError, 'fusedEntry', "fusedEntry: must be one of 'auto', 'single', 'group', 'tiny', 'lanes', got \"lane\"; did you mean 'lanes'?");
  });

  it("resolveOptimizer, a backend's trainer and initParams", () => {
    expectError(thrown(() => resolveOptimizer({ name: 'momentm' }, 0.1)), SpecError, 'optimizer.name', `optimizer.name: must be one of ${OPTIMIZERS}, got "momentm"; did you mean 'momentum'?`);
    expectError(thrown(() => new CpuBackend().trainer(net(), 1, 'momentun' as 'momentum')), SpecError, 'optimizer', `optimizer: must be one of ${OPTIMIZERS}, got "momentun"; did you mean 'momentum'?`);
    expectError(thrown(() => initParams(net(), 'He' as 'he', 1)), SpecError, 'scheme', "scheme: must be one of 'xavier', 'he', 'uniform', got \"He\"; did you mean 'he'?");
  });

  it("runBatches with another optimiser than its trainer's: how to make a trainer for that one, where it is one", () => {
    const trainer = new CpuBackend().trainer(net(), 1, 'sgd');
    const run = (name: unknown) => thrown(() => trainer.runBatches(undefined as never, 0, 1, { name } as never));
    const head = "optimizer.name: must be this trainer's optimiser, 'sgd' (it holds that one's state), got";
    expectError(run('adam'), SpecError, 'optimizer.name', `${head} "adam": backend.trainer(net, batchSize, "adam") makes a trainer for it`);
    // No trainer can be made for a name that is no optimiser: it said `backend.trainer(net, batchSize, "adma") makes a
    // trainer for it`, which throws in turn.
    expectError(run('adma'), SpecError, 'optimizer.name', `${head} "adma", which is no optimiser (${OPTIMIZERS}); did you mean 'adam'?`);
    expectError(run(undefined), SpecError, 'optimizer.name', `${head} undefined, which is no optimiser (${OPTIMIZERS})`);
    trainer.dispose();
  });

  it("explain's and render's format (text, md, latex)", () => {
    const doc = explainer(xorSpec(), { param: 'w1' }).doc([]);
    const FORMATS = "'text', 'md', 'latex'";
    expectError(thrown(() => explain(xorSpec(), { param: 'w1' }, [], 'Latex' as 'latex')), NotationError, 'format', `format: must be ${FORMATS}, got "Latex"; did you mean 'latex'?`);
    expectError(thrown(() => explain(xorSpec(), { param: 'w1' }, [], 'txt' as 'text')), NotationError, 'format', `format: must be ${FORMATS}, got "txt"; did you mean 'text'?`);
    expectError(thrown(() => render(doc, 'mdd' as 'md')), NotationError, 'format', `format: must be ${FORMATS}, got "mdd"; did you mean 'md'?`);
    expectError(thrown(() => render(doc, 'pdf' as 'md')), NotationError, 'format', `format: must be ${FORMATS}, got "pdf"`);
    // 'markdown' is 'md' in full, too long for a spelling guess: said by name (MEANT, src/suggest.ts).
    expectError(thrown(() => render(doc, 'Markdown' as 'md')), NotationError, 'format', `format: must be ${FORMATS}, got "Markdown"; did you mean 'md'?`);
    expectError(thrown(() => render(doc, 2 as never)), NotationError, 'format', `format: must be ${FORMATS}, got 2`);
  });

  it("a spec's notation.convention and notation.numbering, Naming's convention (explain's option)", () => {
    expectError(thrown(() => checkNotation(net(), { convention: 'to_from' })), NotationError, 'notation.convention', "notation.convention: must be flat, to-from or from-to, got \"to_from\"; did you mean 'to-from'?");
    expectError(thrown(() => checkNotation(net(), { convention: 'sideways' })), NotationError, 'notation.convention', 'notation.convention: must be flat, to-from or from-to, got "sideways"');
    expectError(thrown(() => checkNotation(net(), { numbering: 'perlayer' })), NotationError, 'notation.numbering', "notation.numbering: must be per-layer or global, got \"perlayer\"; did you mean 'per-layer'?");
    expectError(thrown(() => new Naming(net(), undefined, 'Flat' as 'flat')), NotationError, 'convention', "convention: must be flat, to-from or from-to, got \"Flat\"; did you mean 'flat'?");
    expectError(thrown(() => new Naming(net(), undefined, 'nielsen' as 'flat')), NotationError, 'convention', 'convention: must be flat, to-from or from-to, got "nielsen"');
  });
});

describe("the CLI's choices and route variables say which", () => {
  it('a flag\'s choice (--backend, --format, …): a UsageError listing the values, then the guess', () => {
    const usage = (f: () => unknown): string => {
      const err = thrown(f);
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    };
    expect(usage(() => choice('backend', 'wsam', ['cpu', 'webgpu', 'wasm']))).toBe("--backend must be cpu, webgpu or wasm, got 'wsam'; did you mean 'wasm'?");
    expect(usage(() => choice('convention', 'from_to', ['flat', 'to-from', 'from-to']))).toBe("--convention must be flat, to-from or from-to, got 'from_to'; did you mean 'from-to'?");
    expect(usage(() => choice('data', 'mnst', ['mnist']))).toBe("--data must be mnist, got 'mnst'; did you mean 'mnist'?");
    // --backend gpu: 'webgpu' where the command takes it; where it does not, no guess (not 'cpu', one letter off).
    expect(usage(() => choice('backend', 'GPU', ['cpu', 'webgpu', 'wasm']))).toBe("--backend must be cpu, webgpu or wasm, got 'GPU'; did you mean 'webgpu'?");
    expect(usage(() => choice('backend', 'gpu', ['cpu', 'wasm']))).toBe("--backend must be cpu or wasm, got 'gpu'");
    expect(usage(() => choice('data', 'cifar', ['mnist']))).toBe("--data must be mnist, got 'cifar'");
    expect(usage(() => choice('format', 'pdf', ['text', 'md', 'latex']))).toBe("--format must be text, md or latex, got 'pdf'");
    expect(usage(() => choice('format', 'markdown', ['text', 'md', 'latex']))).toBe("--format must be text, md or latex, got 'markdown'; did you mean 'md'?");
    // Where 'md' is not a choice, no guess for 'markdown' (nor for a key named like a prototype's, as 'constructor').
    expect(usage(() => choice('backend', 'markdown', ['cpu', 'wasm']))).toBe("--backend must be cpu or wasm, got 'markdown'");
    expect(usage(() => choice('backend', 'constructor', ['cpu', 'wasm']))).toBe("--backend must be cpu or wasm, got 'constructor'");
    // One letter is no near-miss ('m' is one edit from 'md'), as for a key.
    expect(usage(() => choice('format', 'm', ['text', 'md', 'latex']))).toBe("--format must be text, md or latex, got 'm'");
  });

  it('BACKPROP_WEBGPU and BACKPROP_CHROMIUM', () => {
    expectError(thrown(() => webGpuRoute({ BACKPROP_WEBGPU: 'brower' })), SpecError, 'BACKPROP_WEBGPU', "BACKPROP_WEBGPU: must be browser or unset, got 'brower'; did you mean 'browser'?");
    expectError(thrown(() => webGpuRoute({ BACKPROP_WEBGPU: 'dawn' })), SpecError, 'BACKPROP_WEBGPU', "BACKPROP_WEBGPU: must be browser or unset, got 'dawn'");
    expectError(thrown(() => chromiumChoice({ BACKPROP_CHROMIUM: 'sytem' })), BackpropError, 'BACKPROP_CHROMIUM', "BACKPROP_CHROMIUM must be bundled, system or unset, got 'sytem'; did you mean 'system'?");
    expectError(thrown(() => chromiumChoice({ BACKPROP_CHROMIUM: 'chrome' })), BackpropError, 'BACKPROP_CHROMIUM', "BACKPROP_CHROMIUM must be bundled, system or unset, got 'chrome'");
  });
});
