/**
 * How many times `run` lower-cases a string of 2^16 letters or more (String.prototype.toLowerCase, spied on for the
 * call): the "did you mean" guess (src/suggest.ts suggest) lower-cases a name before it fills an edit-distance table of
 * it, so 0 says no table of a huge key or value was filled — a check without a time in it.
 */
import { vi } from 'vitest';

export function longLowerCases(run: () => void): number {
  const original = String.prototype.toLowerCase;
  let count = 0;
  const spy = vi.spyOn(String.prototype, 'toLowerCase').mockImplementation(function (this: string) {
    if (this.length >= 1 << 16) count++;
    return original.call(this);
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return count;
}
