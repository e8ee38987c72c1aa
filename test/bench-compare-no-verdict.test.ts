/**
 * bench:compare's "no verdict" line (bench/compare.ts verdictOf): where a side has fewer than 2 repetitions (config e:
 * fits), it names the side with fewer and that side's own count, the noun in the plural but for 1. It said "A has 0
 * repetition" for A with 1 and B with 0 (the count of one side under the other's name, and "0 repetition").
 */
import { describe, expect, it } from 'vitest';
import { type Measure, verdictOf } from '../bench/compare.ts';

const ms = (n: number): Measure => ({ unit: 'ms/step', median: 5, min: 4, max: 6, n });
const fits = (n: number): Measure => ({ unit: 's', median: 5, min: 4, max: 6, n });

describe('no verdict: the side with fewer repetitions, by its own count', () => {
  it('names the side that has fewer, with its count', () => {
    expect(verdictOf(ms(1), ms(3))).toBe('no verdict: A has 1 repetition');
    expect(verdictOf(ms(3), ms(1))).toBe('no verdict: B has 1 repetition');
    // A 1, B 0: B has fewer (it said "A has 0 repetition").
    expect(verdictOf(ms(1), ms(0))).toBe('no verdict: B has 0 repetitions');
    expect(verdictOf(ms(0), ms(5))).toBe('no verdict: A has 0 repetitions');
  });

  it('both as few: A; fits for config e', () => {
    expect(verdictOf(fits(1), fits(1))).toBe('no verdict: A has 1 fit');
    expect(verdictOf(fits(2), fits(0))).toBe('no verdict: B has 0 fits');
  });

  it('2 a side is enough for a verdict', () => {
    expect(verdictOf(ms(2), ms(2))).toBe('within spread');
  });
});
