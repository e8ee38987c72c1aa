/**
 * A CSV given where the CLI reads a spec (`backprop train data.csv`) got the bare JSON error "Unexpected token 'a'"
 * (usr56g): the CLI takes no CSV — its data is a spec's x and y — while the lab imports one. The message now says so
 * (src/cli/io.ts readJsonFile), for .csv and .tsv by name; a JSON file's error is unchanged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../src/cli/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-csv-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('a CSV where a spec is read', () => {
  it('data.csv and DATA.TSV: the JSON error, then what the CLI reads instead and where a CSV goes', () => {
    const csv = file('data.csv', 'a,b,y\n1,2,0\n');
    expect(() => readJsonFile(csv)).toThrow(`${csv}: not valid JSON at line 1, column 1 (position 0): Unexpected token 'a'; a CSV or TSV is not a spec file: the CLI reads data as a spec's x and y (README "The network spec"), and the lab's Your data imports a CSV, whose Export spec JSON writes a spec the CLI reads`);
    const tsv = file('DATA.TSV', 'a\tb\n1\t2\n');
    expect(() => readJsonFile(tsv)).toThrow(/Unexpected token 'a'; a CSV or TSV is not a spec file: /);
  });

  it('check\'s data.csv: the hint names what check reads, a worked-example file, not a spec (as its checkpoint message)', () => {
    const csv = file('check.csv', 'a,b,y\n1,2,0\n');
    expect(() => readJsonFile(csv, { expected: 'a worked-example file' })).toThrow(/Unexpected token 'a'; a CSV or TSV is not a worked-example file: the CLI reads data as a spec's x and y/);
    // train's and the other commands' wording (main.ts onSpecFile).
    expect(() => readJsonFile(csv, { expected: 'a spec or worked-example file' })).toThrow(/; a CSV or TSV is not a spec or worked-example file: the CLI reads/);
  });

  it('x.csv.json (a JSON name) keeps the plain JSON error', () => {
    const json = file('x.csv.json', 'a,b,y\n');
    expect(() => readJsonFile(json)).toThrow(/Unexpected token 'a'$/);
  });

  it('a .json file with the same text keeps the plain JSON error', () => {
    const json = file('data.json', 'a,b,y\n');
    expect(() => readJsonFile(json)).toThrow(new RegExp(`^${json.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON at line 1, column 1 \\(position 0\\): Unexpected token 'a'$`));
  });
});
