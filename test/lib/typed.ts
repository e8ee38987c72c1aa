/** Helpers for tests of typed errors: what a call threw or rejected with, and that it is the class and field expected. */
import { expect } from 'vitest';
import { type BackpropError, SpecError } from '../../src/errors.ts';

export type ErrorClass = new (...args: never[]) => BackpropError;

export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

export async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return undefined;
}

export function expectTyped(err: unknown, Cls: ErrorClass, field: string, message?: RegExp): void {
  expect(err, 'expected an error').toBeInstanceOf(Cls);
  expect((err as BackpropError).field).toBe(field);
  if (message) expect((err as Error).message).toMatch(message);
}

/** The SpecError `fn` throws (a test fails where it throws another error or none): its field and message to check. */
export function specErrorOf(fn: () => unknown): SpecError {
  const err = thrown(fn);
  expect(err, 'expected a SpecError').toBeInstanceOf(SpecError);
  return err as SpecError;
}
