/**
 * The bench page's comparison of two runs (README "Comparing two runs on the page"): ../compare.ts's pure functions —
 * readResults, checkVersions, compareRuns, compareMarkdown, RULE, the Markdown's own cells (rowCells) — on a saved
 * results file (A) and this page's finished run or a second saved file (B), as the text of an HTML table in the page's
 * style. No DOM here: ./compare-ui.ts draws it (test/bench-page-compare.test.ts). A file of MAX_COMPARE_BYTES or more
 * is refused by its size before it is read.
 */
import { messageOf } from '../../src/checks.ts';
import type { BenchResult } from '../report.ts';
import { checkVersions, COMPARE_HEAD, COMPARE_RIGHT, type Comparison, compareMarkdown, CompareInputError, compareRuns, readResults, rowCells, RULE } from '../compare.ts';

/** The largest results file the page reads: 50 MB (a full run's JSON is under 100 kB). */
export const MAX_COMPARE_BYTES = 50_000_000;

/** A picked file as the page reads it (a File: its name, its size in bytes, its text). */
export interface PickedFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

/** A run to compare: its file's name (or the page's run, named as its JSON download) and its results. */
export interface CompareSide {
  file: string;
  result: BenchResult;
}

/**
 * A picked file's results (readResults): a CompareInputError for a file of MAX_COMPARE_BYTES or more (before reading
 * it), one that cannot be read, is not JSON or not a bench results file.
 */
export async function readPicked(f: PickedFile): Promise<CompareSide> {
  if (f.size >= MAX_COMPARE_BYTES) {
    throw new CompareInputError(f.name, '', `is ${(f.size / 1e6).toFixed(1)} MB: the page reads results files under ${MAX_COMPARE_BYTES / 1e6} MB (npm run bench:compare reads any)`);
  }
  let text: string;
  try {
    text = await f.text();
  } catch (err) {
    throw new CompareInputError(f.name, '', `cannot be read (${messageOf(err)})`);
  }
  return { file: f.name, result: readResults(text, f.name) };
}

/** The page's own finished run as side B: named as its Download JSON names it (table.ts pageFiles). */
export const pageSide = (result: BenchResult): CompareSide => ({ file: `this page's run (bench-${result.date.replace(/[:.]/g, '-')}.json)`, result });

/**
 * A against B (checkVersions, then compareRuns), or, where a side is missing, what to pick: null where neither is
 * (nothing to say). B is the second file where one is picked, else the page's finished run.
 */
export function comparePicked(a: CompareSide | null, bFile: CompareSide | null, pageRun: BenchResult | undefined): Comparison | string | null {
  const b = bFile ?? (pageRun ? pageSide(pageRun) : null);
  if (!a && !bFile) return null;
  if (!a) return 'B is read: pick A, the saved run to compare it with.';
  if (!b) return 'A is read: run the benchmark on this page, or pick a second saved run as B, to compare it with.';
  checkVersions(a, b);
  return compareRuns(a.file, a.result, b.file, b.result);
}

/** The comparison as the page draws it: the runs' lines, the warnings, the table (its cells as text), the rule. */
export interface ComparisonTable {
  /** compareMarkdown's lines above the table: A's and B's date, mode, commit and load; the engine commits. */
  facts: string[];
  warnings: string[];
  caption: string;
  head: string[];
  rows: string[][];
  /** The columns drawn right-aligned (the Markdown's `---:`): A, B and B against A. */
  right: boolean[];
  /** The columns that are row headers: config and system. */
  rowHeader: boolean[];
  rule: string;
  /** The Download comparison (Markdown) file. */
  markdown: { name: string; text: string };
}

const stem = (file: string): string => (/\(([^()]+)\.json\)$/.exec(file)?.[1] ?? file.replace(/\.json$/i, '')).replace(/[^\w.-]+/g, '_');

export function comparisonTable(c: Comparison): ComparisonTable {
  const text = compareMarkdown(c);
  return {
    facts: text.slice(0, text.indexOf('\n\n')).split('\n'),
    warnings: c.warnings,
    caption: `Run B against run A: a row for each config and system (${c.rows.length} rows)`,
    head: [...COMPARE_HEAD],
    rows: c.rows.map(rowCells),
    right: [...COMPARE_RIGHT],
    rowHeader: COMPARE_HEAD.map((_, j) => j < 2),
    rule: RULE,
    markdown: { name: `compare-${stem(c.a.file)}-vs-${stem(c.b.file)}.md`, text: `${text}\n` },
  };
}
