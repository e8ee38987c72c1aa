/**
 * npm run bench:compare -- A.json B.json [--json]: the command line of ./compare.ts (README "Comparing two runs"),
 * its Node parts alone — reading the files, the arguments, the exit code — so that the bench page bundles
 * ./compare.ts's pure functions without node:fs (bench/page/compare-view.ts: the page's own comparison). Bad input (a
 * file that cannot be read, is not JSON or not a bench results file, two format versions) is one line naming the
 * file and the field, exit 2, before any comparing; --help prints the usage (exit 0).
 */
import { readFileSync } from 'node:fs';
import { argsErrorExit, HelpRequested, isMain } from '../src/node/flags.ts';
import { messageOf } from '../src/checks.ts';
import { suggest } from '../src/suggest.ts';
import type { BenchResult } from './report.ts';
import { checkVersions, compareMarkdown, CompareInputError, compareRuns, type Comparison, readResults, USAGE } from './compare.ts';

/** Reads and checks `path` (readResults); a file that cannot be read is a CompareInputError too. */
export function loadResults(path: string): BenchResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CompareInputError(path, '', code === 'ENOENT' ? 'does not exist' : `cannot be read (${messageOf(err)})`);
  }
  return readResults(text, path);
}

export interface CompareArgs {
  a: string;
  b: string;
  json: boolean;
}

/** The command line: two files and --json; --help (-h) anywhere is HelpRequested; else an Error naming the argument, then the usage. */
export function parseCompareArgs(argv: string[]): CompareArgs {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(USAGE);
  const fail = (line: string) => new Error(`${line}\n${USAGE}`);
  const files: string[] = [];
  let json = false;
  for (const a of argv) {
    if (a === '--json') {
      if (json) throw fail('--json is given twice; give it once');
      json = true;
    } else if (a.startsWith('--json=')) throw fail(`--json is a switch and takes no value (got '${a}'): give --json alone, or leave it out`);
    else if (a.startsWith('-')) {
      const guess = suggest(a.replace(/^-+/, ''), ['json', 'help']);
      throw fail(`unknown option ${a}${guess === undefined ? '' : `; did you mean --${guess}?`}`);
    } else files.push(a);
  }
  if (files.length !== 2) throw fail(`bench:compare takes two results files, A and B; got ${files.length}${files.length ? ` (${files.join(', ')})` : ''}`);
  return { a: files[0], b: files[1], json };
}

/** The program: 0 with the comparison on stdout; 2 for a bad command line or input (one line on stderr; --help: 0); a bug throws (exit 1). */
export function main(argv: string[]): number {
  let o: CompareArgs;
  try {
    o = parseCompareArgs(argv);
  } catch (err) {
    return argsErrorExit(err);
  }
  let c: Comparison;
  try {
    const a = loadResults(o.a);
    const b = loadResults(o.b);
    checkVersions({ file: o.a, result: a }, { file: o.b, result: b });
    c = compareRuns(o.a, a, o.b, b);
  } catch (err) {
    if (!(err instanceof CompareInputError)) throw err;
    console.error(err.message);
    return 2;
  }
  console.log(o.json ? JSON.stringify(c, null, 2) : compareMarkdown(c));
  return 0;
}

if (isMain(import.meta.url)) process.exitCode = main(process.argv.slice(2));
