/** Helpers for tests of typed errors: what a call threw or rejected with, and that it is the class and field expected. */
import { expect } from 'vitest';
import type { BackpropError } from '../../src/errors.ts';

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
