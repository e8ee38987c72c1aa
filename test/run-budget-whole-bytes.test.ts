/**
 * A budget's values are whole numbers of bytes 1 … 2⁵³ − 1 wherever they are given (usr56f): setBudget, the
 * `budget` option of Model.create and validateSpec, and BACKPROP_MAX_* (budgetFromEnv), which already required them.
 * setBudget took 1.5 and 2**53 (a byte count no double can step past by one) while the variables refused them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LimitError, Model, getBudget, setBudget, validateSpec } from '../src/index.ts';
import { budgetFromEnv } from '../src/budget.ts';

const SPEC = { inputs: 1, layers: [{ units: 1, activation: 'identity' as const }], loss: 'mse' as const, init: { scheme: 'xavier' as const, seed: 1 } };
const KEYS = ['hostBytes', 'deviceBytes', 'fileBytes'] as const;
const ENV = { hostBytes: 'BACKPROP_MAX_HOST_BYTES', deviceBytes: 'BACKPROP_MAX_DEVICE_BYTES', fileBytes: 'BACKPROP_MAX_FILE_BYTES' } as const;
const BAD = [1.5, 2 ** 53, 2 ** 53 + 2, 0.5, 1e300];
const GOOD = [1, 4096, 2 ** 53 - 1];

const start = getBudget();
afterEach(() => {
  setBudget(start);
});

/** The class, field and message of what f throws. */
function caught(f: () => unknown): { name: string; field?: unknown; message?: string } {
  try {
    f();
  } catch (err) {
    return { name: (err as Error).name, field: (err as { field?: unknown }).field, message: (err as Error).message };
  }
  return { name: 'nothing thrown' };
}

describe('setBudget: whole bytes 1 … 2⁵³ − 1, as BACKPROP_MAX_* (a LimitError naming budget.KEY, the budget unchanged)', () => {
  for (const key of KEYS) {
    for (const v of BAD) {
      it(`${key}: ${v} is refused`, () => {
        const before = getBudget();
        const got = caught(() => setBudget({ [key]: v }));
        expect({ name: got.name, field: got.field }).toEqual({ name: 'LimitError', field: `budget.${key}` });
        expect(got.message).toMatch(/whole number of bytes 1 … 2⁵³ − 1/);
        expect(getBudget()).toEqual(before);
      });
    }
  }

  it('a bad value beside a good one changes neither (checked before any is set)', () => {
    const before = getBudget();
    expect(caught(() => setBudget({ hostBytes: 1000, deviceBytes: 1.5 })).field).toBe('budget.deviceBytes');
    expect(getBudget()).toEqual(before);
  });

  it('1, 4096 and 2⁵³ − 1 are budgets', () => {
    for (const v of GOOD) expect(setBudget({ fileBytes: v }).fileBytes).toBe(v);
  });

  it('setBudget and BACKPROP_MAX_* take and refuse the same values', () => {
    for (const key of KEYS) {
      for (const v of [...GOOD, ...BAD]) {
        const env = caught(() => budgetFromEnv({ [ENV[key]]: v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) })).name;
        const set = caught(() => setBudget({ [key]: v })).name;
        expect(`${key} ${v}: ${set}`).toBe(`${key} ${v}: ${env}`);
      }
    }
  });
});

describe("the budget option (Model.create, validateSpec): the same rule, before any work", () => {
  it('Model.create(spec, { budget: { hostBytes: 1.5 } }): LimitError naming budget.hostBytes', async () => {
    const err = await Model.create(SPEC, { backend: 'cpu', budget: { hostBytes: 1.5 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).field).toBe('budget.hostBytes');
  });

  it('validateSpec(spec, { deviceBytes: 2**53 }): LimitError naming budget.deviceBytes', () => {
    expect(caught(() => validateSpec(SPEC, { deviceBytes: 2 ** 53 }))).toMatchObject({ name: 'LimitError', field: 'budget.deviceBytes' });
    expect(validateSpec(SPEC, { deviceBytes: 2 ** 53 - 1 }).net.inputs).toBe(1);
  });
});
