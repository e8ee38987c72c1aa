/**
 * The other unknown-key messages of a fixed set of keys (params, fit's validation data, shuffle, the example-major
 * data form, the budget, a safetensors tensor, the lab's Fit panel, notation, explain's options, a worked example,
 * its claims and errata) say "did you mean" for a near-miss, as a spec's keys do (test/spec-did-you-mean.test.ts):
 * the same field, error class and known-key list as before, with the guess between them. And a key past 64
 * characters is shown cut, with its length, in the field and message of every one of them (src/suggest.ts
 * unknownKeyError): a megabyte-long key makes a short line.
 */
import { describe, expect, it } from 'vitest';
import { longLowerCases } from './lib/long-strings.ts';
import { BackpropError, ClaimError, LimitError, NotationError, SpecError } from '../src/errors.ts';
import { resolveBudget } from '../src/budget.ts';
import { readData } from '../src/data.ts';
import { checkFitSettings } from '../src/lab/files.ts';
import { checkLabSpec } from '../src/lab/session.ts';
import { explainer } from '../src/notation/explain.ts';
import { checkNotation } from '../src/notation/names.ts';
import { checkShuffle } from '../src/run-spec.ts';
import { validateSpec } from '../src/spec.ts';
import { checkFit } from '../src/train/fit.ts';
import { encodeSafetensors } from '../src/train/safetensors.ts';
import { parseWorked, WORKED_FORMAT } from '../src/worked/worked.ts';
import { xorSpec } from './lib/lab-nets.ts';
import { Model } from '../src/model.ts';
import { rejected, thrown } from './lib/typed.ts';

type ErrorClass = new (field: string, message: string) => BackpropError;

/** A 2-4-1 net on four points (the lab's XOR net), as a plain record. */
const spec = (): Record<string, unknown> => ({ ...xorSpec() });

const net = () => validateSpec(spec()).net;

/** The spec with `params` in place of init (a spec has one or the other). */
const withParams = (params: Record<string, unknown>): Record<string, unknown> => ({ ...spec(), init: undefined, params });

const workedFile = (over: Record<string, unknown>, claim: Record<string, unknown> = { name: 'w5', printed: 0.5, decimals: 1 }): Record<string, unknown> => ({
  format: WORKED_FORMAT, id: 'w', title: 't', source: 's', description: 'd', spec: spec(), claims: [claim], ...over,
});

/** The error `f` throws: of class `Cls`, naming `field`, with `message` (the field first, as every BackpropError). */
function expectRefused(f: () => unknown, Cls: ErrorClass, field: string, message: string): void {
  const err = thrown(f);
  expect(err).toBeInstanceOf(Cls);
  expect((err as BackpropError).field).toBe(field);
  expect((err as BackpropError).message).toBe(`${field}: ${message}`);
}

describe('an unknown key near a known one says which, the known keys as before', () => {
  it.each<[string, () => unknown, ErrorClass, string, string]>([
    ['params (src/spec.ts)', () => validateSpec(withParams({ W: [], W1: [] })), SpecError,
      'params.W1', "unknown key; did you mean 'W'? Params has W and b"],
    ["fit's validation data (src/train/fit.ts)", () => checkFit(net(), { validation: { x: [[0, 0]], xs: [[0, 0]] } } as never, undefined), SpecError,
      'validation.xs', "unknown key; did you mean 'x'? Validation data has x and y"],
    ['shuffle (src/run-spec.ts)', () => checkShuffle({ sead: 1 }), SpecError,
      'shuffle.sead', "unknown key; did you mean 'seed'? Shuffle has seed"],
    ['the example-major form (src/data.ts)', () => readData({ examples: 1, dat: [0, 0] }, 'x'), SpecError,
      'x.dat', "unknown key; did you mean 'data'? The example-major form has examples and data"],
    ['the budget (src/budget.ts)', () => resolveBudget({ hostbytes: 1 } as never), LimitError,
      'budget.hostbytes', "unknown key; did you mean 'hostBytes'? A budget has hostBytes, deviceBytes, fileBytes"],
    ['a safetensors tensor (src/train/safetensors.ts)', () => encodeSafetensors({ W_1: { dtype: 'F32', shape: [1], dta: new Float32Array(1) } } as never, {}), SpecError,
      'tensors.W_1.dta', "unknown key; did you mean 'data'? A tensor has dtype, shape, data"],
    ["the lab's Fit panel (src/lab/files.ts)", () => checkFitSettings(checkLabSpec(xorSpec()), { optimizer: { name: 'sgd', lr: 1 }, batchsize: 2, epochs: 1 }), SpecError,
      'fit.batchsize', "unknown key; did you mean 'batchSize'? The Fit panel has {optimizer: {name, lr}, batchSize, epochs, earlyStop?, lrSchedule?}"],
    ['notation (src/notation/names.ts)', () => checkNotation(net(), { convension: 'flat' }), NotationError,
      'notation.convension', "unknown key; did you mean 'convention'? Notation has convention, numbering, loss, lr, inputs, targets, z, a, units, params, decimals"],
    ["explain's options (src/notation/explain.ts)", () => explainer(spec(), { parm: 'w1' } as never), NotationError,
      'options.parm', "unknown option; did you mean 'param'? Explain takes param, convention, decimals, naming, fields, numeric"],
    ['a worked example (src/worked/worked.ts)', () => parseWorked(workedFile({ claim: [] })), ClaimError,
      'claim', "unknown key; did you mean 'claims'? A worked example has format, id, title, source, description, spec, claims, typos"],
    ['a claim', () => parseWorked(workedFile({}, { name: 'w5', printd: 0.5, printed: 0.5, decimals: 1 })), ClaimError,
      'claims[0] ("w5").printd', "unknown key; did you mean 'printed'? A claim has name, printed, decimals, exact, formula, examples, line, quote, note, erratum"],
    ['a numeric erratum', () => parseWorked(workedFile({}, { name: 'w5', printed: 0.5, decimals: 1, erratum: { correct: 0.4, correctdecimals: 1, why: 'w' } })), ClaimError,
      'claims[0] ("w5").erratum.correctdecimals', "unknown key; did you mean 'correctDecimals'? A numeric erratum has correct, correctDecimals, why, doubt"],
    ['a formula erratum', () => parseWorked(workedFile({}, { name: 'f', formula: 'a + b', erratum: { correct: 'a - b', reading: ['a'], why: 'w' } })), ClaimError,
      'claims[0] ("f").erratum.reading', "unknown key; did you mean 'readings'? A formula erratum has correct, readings, why, doubt"],
  ])('%s', (_where, f, Cls, field, message) => {
    expectRefused(f, Cls, field, message);
  });
});

describe('an unknown key far from every known one: no guess, the message as before', () => {
  it.each<[string, () => unknown, ErrorClass, string, string]>([
    ['params', () => validateSpec(withParams({ W: [], weights: [] })), SpecError, 'params.weights', 'unknown key; params has W and b'],
    ['shuffle', () => checkShuffle({ order: 'random' }), SpecError, 'shuffle.order', 'unknown key; shuffle has seed'],
    ['the budget', () => resolveBudget({ gpu: 1 } as never), LimitError, 'budget.gpu', 'unknown key; a budget has hostBytes, deviceBytes, fileBytes'],
    ['a worked example', () => parseWorked(workedFile({ author: 'me' })), ClaimError, 'author', 'unknown key; a worked example has format, id, title, source, description, spec, claims, typos'],
  ])('%s', (_where, f, Cls, field, message) => {
    expectRefused(f, Cls, field, message);
  });
});

it('a megabyte-long unknown key is refused with no guess, and no edit-distance table of it is filled', () => {
  // Without suggest's length cap a 2^20-letter key of a spec took 16 s here (a 2^20 × ~10 table per known key).
  // NOTE: no time is asserted: suggest lower-cases a name before any table of it, so it must never lower-case this one.
  const key = 'k'.repeat(1 << 20);
  const lowered = longLowerCases(() => {
    const err = thrown(() => validateSpec({ ...xorSpec(), [key]: 1 }));
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).message).toMatch(/unknown key \(1048576 characters\); known keys are /);
  });
  expect(lowered).toBe(0);
});

describe('an unknown key past 64 characters is shown cut, with its length', () => {
  const MiB = 1 << 20;
  const long = 'k'.repeat(MiB);
  /** What a field shows of `long`: its first 64 letters, then "…" (written out here, not taken from the code). */
  const cut = `${'k'.repeat(64)}…`;

  /** `err`: of class `Cls`, naming `field`, its message under 1 kB: the field, `head` with the key's length, then `rest`. */
  function expectCut(err: unknown, Cls: ErrorClass, field: string, head: string, rest: string): void {
    expect(err).toBeInstanceOf(Cls);
    const { field: got, message } = err as BackpropError;
    expect(got).toBe(field);
    expect(message.length).toBeLessThan(1024);
    expect(message.startsWith(`${field}: ${head} (${MiB} characters); ${rest}`)).toBe(true);
  }

  it.each<[string, () => unknown, ErrorClass, string, string, string]>([
    ['a spec, at the top', () => validateSpec({ ...spec(), [long]: 1 }), SpecError, cut, 'unknown key', 'known keys are inputs, layers, '],
    ["a spec's layer", () => validateSpec({ ...spec(), layers: [{ units: 1, activation: 'sigmoid', [long]: 1 }] }), SpecError,
      `layers[0].${cut}`, 'unknown key', 'a layer has units, activation, bias'],
    ['params', () => validateSpec(withParams({ [long]: [] })), SpecError, `params.${cut}`, 'unknown key', 'params has W and b'],
    ['the budget', () => resolveBudget({ [long]: 1 } as never), LimitError, `budget.${cut}`, 'unknown key', 'a budget has hostBytes, deviceBytes, fileBytes'],
    ["explain's options", () => explainer(spec(), { [long]: 1 } as never), NotationError, `options.${cut}`, 'unknown option', 'explain takes param, '],
    ['a worked example', () => parseWorked(workedFile({ [long]: 1 })), ClaimError, cut, 'unknown key', 'a worked example has format, '],
  ])('%s', (_where, f, Cls, field, head, rest) => {
    expectCut(thrown(f), Cls, field, head, rest);
  });

  it('Model.create and Model.fit options', async () => {
    expectCut(await rejected(Model.create(spec() as never, { [long]: 'cpu' } as never)), SpecError, cut, 'unknown option', 'known: backend, onNotice, ');
    const model = await Model.create(spec() as never, { backend: 'cpu' });
    try {
      expectCut(await rejected(model.fit({ [long]: 1 } as never)), SpecError, cut, 'unknown fit option', 'known: x, y, batchSize, epochs, ');
    } finally {
      model.dispose();
    }
  });

  it('64 characters are shown whole, 65 cut; a cut never splits a surrogate pair', () => {
    const at64 = thrown(() => checkShuffle({ [long.slice(0, 64)]: 1 })) as SpecError;
    expect(at64.message).toBe(`shuffle.${long.slice(0, 64)}: unknown key; shuffle has seed`);
    const at65 = thrown(() => checkShuffle({ [long.slice(0, 65)]: 1 })) as SpecError;
    expect(at65.message).toBe(`shuffle.${cut}: unknown key (65 characters); shuffle has seed`);
    // '😀' is one character in two UTF-16 units: 63 letters and it are 64 characters, shown whole; 64 letters and it
    // are 65, cut after the letters (never after the first half of the emoji), its length said in characters.
    const whole = thrown(() => checkShuffle({ [`${'k'.repeat(63)}😀`]: 1 })) as SpecError;
    expect(whole.message).toBe(`shuffle.${'k'.repeat(63)}😀: unknown key; shuffle has seed`);
    const emoji = thrown(() => checkShuffle({ [`${'k'.repeat(64)}😀`]: 1 })) as SpecError;
    expect(emoji.field).toBe(`shuffle.${'k'.repeat(64)}…`);
    expect(emoji.message).toBe(`shuffle.${'k'.repeat(64)}…: unknown key (65 characters); shuffle has seed`);
    const emojis = thrown(() => checkShuffle({ ['😀'.repeat(65)]: 1 })) as SpecError;
    expect(emojis.field).toBe(`shuffle.${'😀'.repeat(64)}…`);
    expect(emojis.message.startsWith(`shuffle.${'😀'.repeat(64)}…: unknown key (65 characters); `)).toBe(true);
  });
});
