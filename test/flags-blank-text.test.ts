/**
 * src/node/flags.ts: a text flag's value (a name, a path, a list) may not be blank — `--out ' '` or `--name '  '`
 * would name a folder or files of spaces, or, trimmed by the caller, fall back to a default — refused as `--out ''` is
 * (README: the runner's flag errors), one line naming the flag, before the run.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { readFlags } from '../src/node/flags.ts';

describe('a blank text value', () => {
  it('is refused as an empty one, by the flag reader and by the bench runners', () => {
    expect(() => readFlags(['--out', ' \t'], { out: { kind: 'text' } }, 'usage: x')).toThrow(/^--out needs a value, got ' \t'\nusage: x$/);
    expect(() => readFlags(['--out=  '], { out: { kind: 'text' } }, 'usage: x')).toThrow(/^--out needs a value, got ' {2}'/);
    for (const k of ['--out', '--name', '--spec']) expect(() => parseArgs(['--quick', k, '  '], 'node'), k).toThrow(`${k} needs a value, got '  '`);
    // A value with spaces around it is not blank: the reader leaves it to its caller.
    expect(readFlags(['--out', ' a '], { out: { kind: 'text' } }, 'usage: x').get('out')).toBe(' a ');
  });
});
