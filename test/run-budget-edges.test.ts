/**
 * The edges of a spec's run fields and of the budget's checks (review cmut54b: each case a surviving mutant). A run
 * field at its bound is refused naming it (batchSize 0, epochs 0, validation 0 or 1, shuffle null), and each budget
 * check takes a need of exactly the budget and refuses one byte less: the net's host and GPU bytes, a data set's
 * bytes against the device's binding limit, and which field the refusal names. Byte counts worked by hand from
 * README's formulas ("Resource budget"), as test/hardening.test.ts works them for the same net.
 */
import { describe, expect, it } from 'vitest';
import { checkBudget, checkFitBudget, resolveBudget } from '../src/budget.ts';
import { LimitError, SpecError } from '../src/errors.ts';
import { lecture } from '../src/lectures/index.ts';
import { validateRun } from '../src/run-spec.ts';
import { validateNet } from '../src/spec.ts';
import { expectTyped, thrown } from './lib/typed.ts';

describe('validateRun: each run field at its bound is refused, naming it', () => {
  it('batchSize 0 and epochs 0 (positive integers); 1 of each is taken', () => {
    expect(validateRun({ batchSize: 1, epochs: 1 }, undefined, 4)).toEqual({ batchSize: 1, epochs: 1 });
    expectTyped(thrown(() => validateRun({ batchSize: 0 }, undefined, 4)), SpecError, 'batchSize');
    expectTyped(thrown(() => validateRun({ epochs: 0 }, undefined, 4)), SpecError, 'epochs');
  });

  it('validation 0 and 1 (a fraction in the open interval), also where the spec has no x to hold out from', () => {
    expect(validateRun({ validation: 0.5 }, undefined).validation).toBe(0.5);
    for (const v of [0, 1]) expectTyped(thrown(() => validateRun({ validation: v }, undefined)), SpecError, 'validation', /a fraction in \(0, 1\)/);
  });

  it('shuffle null, 0 or "" is refused, not read as false (the given order)', () => {
    expect(validateRun({ shuffle: false }, undefined).shuffle).toBe(false);
    for (const v of [null, 0, '']) expectTyped(thrown(() => validateRun({ shuffle: v }, undefined)), SpecError, 'shuffle', /must be false or \{seed\}/);
  });
});

it('a budget of 0 bytes is refused naming its field (a whole number of bytes 1 … 2⁵³ − 1); 1 byte is a budget', () => {
  expect(resolveBudget({ fileBytes: 1 }).fileBytes).toBe(1);
  for (const key of ['hostBytes', 'deviceBytes', 'fileBytes'] as const) {
    expectTyped(thrown(() => resolveBudget({ [key]: 0 })), LimitError, `budget.${key}`, /must be a whole number of bytes 1 … 2⁵³ − 1, got 0/);
  }
});

describe('the budget checks: a need of exactly the budget is taken, one byte more is refused', () => {
  // Lecture 2-2-1: inputs 2, layer 1 two units with a shared bias, layer 2 one unit with its bias (as
  // test/hardening.test.ts): P = 4 + 1 + 2 + 1 = 8, U = 3.
  const net = validateNet(lecture('lecture-2-2-1').worked.spec);
  const budget = (hostBytes: number, deviceBytes: number) => ({ hostBytes, deviceBytes, fileBytes: 1 });

  it("the net at batches of 5: host 852 bytes, device 8712 bytes", () => {
    // n = 5: D = (2 + 1)·5 = 15, Act = U·n = 15. Scratch: T1 = max(n·fanIn, units·fanIn) = max(10, 4, 10, 2) = 10,
    // T2 = max(n·units) = 10, S = max(units·n, fanIn·n, units·fanIn) = 10: 4·(10 + 10) + 8·10 = 160.
    // host = 4·(6·8 + 2·15 + 6·15 + 5) + 160 = 4·173 + 160 = 852.
    // device = 4·(D + 6·Act + n + 1) + 5·P_256 + 4·U + 256·(S_net + 1 + 2c) + 64, with P_256 = 4 blocks of 256 = 1024,
    // S_net = 9, c = 1: 4·111 + 5120 + 12 + 256·12 + 64 = 444 + 5120 + 12 + 3072 + 64 = 8712.
    expect(() => checkBudget(net, 5, { device: true, budget: budget(852, 8712) })).not.toThrow();
    expectTyped(thrown(() => checkBudget(net, 5, { device: true, budget: budget(851, 8712) })), LimitError, 'x', /852 bytes of host memory/);
    expectTyped(thrown(() => checkBudget(net, 5, { device: true, budget: budget(852, 8711) })), LimitError, 'x', /8\.51 KiB \(8\.712e\+3 bytes\) of GPU memory/);
  });

  it("with the wasm module's own memory: exactly the budget is taken, one byte less refused", () => {
    // Beside the module's memory (1000 bytes here) JS keeps 4·(4P + D + 3·Act) = 4·(32 + 15 + 45) = 368 bytes: 1368.
    const own = { name: "the wasm module's memory", memoryBytes: () => 1000 };
    expect(() => checkBudget(net, 5, { budget: budget(1368, 2 ** 30), own })).not.toThrow();
    expectTyped(thrown(() => checkBudget(net, 5, { budget: budget(1367, 2 ** 30), own })), LimitError, 'x', /1000 bytes of the wasm module's memory and 368 bytes beside it/);
  });

  it("a data set's buffer of exactly the binding limit is bound; one byte over it is refused, naming that buffer", () => {
    // 7 training + 3 validation examples: x 4·2·7 = 56 bytes, y 4·1·7 = 28, validation.x 4·2·3 = 24, validation.y 12.
    const big = budget(2 ** 30, 2 ** 30);
    const fit = (maxBindingBytes: number) => () => checkFitBudget(net, 7, 3, 5, { device: true, budget: big, maxBindingBytes });
    expect(fit(56)).not.toThrow();
    expectTyped(thrown(fit(55)), LimitError, 'x', /7 examples × 2 values = 56 bytes in one GPU buffer/);
    // y alone over: a net of 1 input and 2 outputs (y 4·2·7 = 56 bytes, x 28).
    const wide = validateNet({ inputs: 1, layers: [{ units: 2, activation: 'sigmoid' }], loss: 'mse' });
    expect(() => checkFitBudget(wide, 7, 0, 5, { budget: big, maxBindingBytes: 56 })).not.toThrow();
    expectTyped(thrown(() => checkFitBudget(wide, 7, 0, 5, { budget: big, maxBindingBytes: 55 })), LimitError, 'y');
    // A validation set larger than the training set: 2 + 8 examples, x 4·2·2 = 16 bytes, validation.x 4·2·8 = 64.
    expect(() => checkFitBudget(net, 2, 8, 2, { budget: big, maxBindingBytes: 64 })).not.toThrow();
    expectTyped(thrown(() => checkFitBudget(net, 2, 8, 2, { budget: big, maxBindingBytes: 63 })), LimitError, 'validation.x', /8 examples × 2 values = 64 bytes/);
  });

  it('a fit over the host budget names validation.x where the fit without it needs exactly the budget, else x', () => {
    // As test/hardening.test.ts: the net at batches of 5 (852) + Adam's state 4·4·2·8 = 256 → 1108 beside the data.
    // Without the validation set the data needs 4·(3·21 + 2·7) = 308 (D = 3·7 = 21): 1416 in all; with it 1548.
    const fit = (hostBytes: number) => () => checkFitBudget(net, 7, 3, 5, { optimizer: 'adam', budget: budget(hostBytes, 2 ** 30) });
    expectTyped(thrown(fit(1416)), LimitError, 'validation.x');
    expectTyped(thrown(fit(1415)), LimitError, 'x');
  });
});
