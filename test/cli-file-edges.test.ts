/**
 * What the CLI says about a file at its edges (review cmut54b, each case a surviving mutant): an empty spec file (or
 * one of whitespace only) is named as empty, not as JSON ending early; an empty --save name is named as missing and
 * a folder as a folder, not as a file that cannot be written; and a --save that is a hard link to the spec file (a
 * different path, no symlink to follow) is refused as the spec file. Each an InputError (exit 2, one line).
 */
import { linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { checkNotInput, checkWritable, InputError, readJsonFile } from '../src/cli/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-file-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
};

it('an empty spec file, or one of whitespace only, is "the file is empty"', () => {
  for (const [name, text] of [['empty.json', ''], ['blank.json', ' \n\t\n']]) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const err = thrown(() => readJsonFile(file));
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`${file}: not valid JSON: the file is empty`);
  }
});

it('--save "" is refused as a missing file name', () => {
  const err = thrown(() => checkWritable('', 'save'));
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toBe('--save needs a file name');
});

it('--save naming a folder is "is a folder"', () => {
  const err = thrown(() => checkWritable(dir, 'save'));
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toBe(`--save ${dir}: is a folder`);
});

it('--save a hard link to the spec file is refused as the spec file; another file is not', () => {
  const spec = join(dir, 'spec.json');
  const link = join(dir, 'other-name.json');
  writeFileSync(spec, '{}');
  linkSync(spec, link);
  const err = thrown(() => checkNotInput(link, 'save', spec, 'the spec file'));
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toBe(`--save ${link}: is the spec file ${spec}, which the output would overwrite; give another file`);
  const elsewhere = join(dir, 'elsewhere.json');
  writeFileSync(elsewhere, '{}');
  expect(thrown(() => checkNotInput(elsewhere, 'save', spec, 'the spec file'))).toBeUndefined();
});
