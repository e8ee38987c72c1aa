/**
 * The CLI reads a file up to the budget's fileBytes (src/cli/io.ts readCapped): a file of exactly that many bytes is
 * read whole, one byte more is a LimitError naming the file. Review cmut54: refusing a file of exactly fileBytes passed
 * every test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapped } from '../src/cli/io.ts';
import { LimitError } from '../src/errors.ts';
import { expectTyped, thrown } from './lib/typed.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-capped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCapped at the bound', () => {
  it('10 bytes with a bound of 10: read whole; 11 bytes: a LimitError naming the file', () => {
    const ten = join(dir, 'ten.json');
    const eleven = join(dir, 'eleven.json');
    writeFileSync(ten, '[1,2,3,45]'); // 10 characters, 10 bytes
    writeFileSync(eleven, '[1,2,3,456]'); // 11
    expect(readCapped(ten, 10).toString('utf8')).toBe('[1,2,3,45]');
    expectTyped(thrown(() => readCapped(eleven, 10)), LimitError, eleven, /larger than the budget's fileBytes, 10 bytes/);
  });
});
