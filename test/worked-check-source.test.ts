/**
 * checkWorked(worked, source): `source` is a function from the prepared example to a ValueSource
 * (`p => scalarSource(p.engine)`, `p => matrixSource(…)`). What a user is likely to pass instead — the ValueSource
 * itself, as scalarSource and matrixSource return it — threw a bare TypeError ("source is not a function"), and a
 * function returning something else a TypeError from inside the checker ("source.value is not a function"). Both
 * are a ClaimError naming `source`, thrown before a claim is checked.
 */
import { describe, expect, it } from 'vitest';
import { ClaimError } from '../src/errors.ts';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { scalarSource } from '../src/worked/sources.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';

const worked = lecture('lecture-2-2-1').worked;

function thrown(f: () => unknown): unknown {
  try { f(); } catch (e) { return e; }
  return undefined;
}

describe('checkWorked source', () => {
  it('a ValueSource object where the function belongs: a ClaimError naming source that says to pass p => it', () => {
    const e = thrown(() => checkWorked(worked, scalarSource(new ScalarEngine(worked.spec)) as never));
    expect(e).toBeInstanceOf(ClaimError);
    expect((e as ClaimError).field).toBe('source');
    expect((e as ClaimError).message).toMatch(/^source: must be a function \(p\) => ValueSource .*got a ValueSource object: pass p => /);
  });

  it('a number, null or a string: a ClaimError naming source', () => {
    for (const bad of [1, null, 'cpu', {}]) {
      const e = thrown(() => checkWorked(worked, bad as never));
      expect(e).toBeInstanceOf(ClaimError);
      expect((e as ClaimError).field).toBe('source');
    }
  });

  it('a function that returns no ValueSource: a ClaimError naming source', () => {
    for (const made of [1, undefined, {}, { name: 'x', value: () => 0 }, { value: () => 0, eps: () => 0 }]) {
      const e = thrown(() => checkWorked(worked, (() => made) as never));
      expect(e).toBeInstanceOf(ClaimError);
      expect((e as ClaimError).field).toBe('source');
      expect((e as ClaimError).message).toMatch(/ValueSource \{name, value\(ref, example, field\), eps\(v\)\}/);
    }
  });

  it('undefined (the scalar engine) and a factory both check every claim', () => {
    const byDefault = checkWorked(worked);
    const given = checkWorked(worked, (p) => scalarSource(p.engine));
    expect(given.source).toBe('scalar');
    expect(given.checks.map((c) => c.status)).toEqual(byDefault.checks.map((c) => c.status));
    expect(byDefault.checks.length).toBeGreaterThan(0);
  });
});
