/**
 * The Lecture checks table's model: its caption, its summary and its rows, for a built-in lecture or a worked-example
 * file opened in the lab (Device & files → Open, or a link of one) — the same table, its words naming the file for
 * the latter. Pure (no DOM): views.ts drawClaims renders it; tested in Node (test/lab-claims-table.test.ts).
 */
import type { ClaimCheck, Status } from '../worked/check.ts';
import type { WorkedExample } from '../worked/worked.ts';
import type { PresetData } from './presets.ts';
import { checksSummary, claimRows } from './words.ts';

/** What the Lecture checks tab shows: a caption, a summary line, and one row (its cells, its status) per check. */
export interface ClaimsTable {
  caption: string;
  summary: string;
  rows: { cells: string[]; status: Status }[];
}

/**
 * The table of `checks` (checkWorked's, in order) of `worked`; `file`: the worked-example file it was opened from
 * (undefined: a lecture preset's). The caption names the file, and the summary says whose claims they are.
 */
export function claimsTable(worked: Pick<WorkedExample, 'title'>, checks: readonly ClaimCheck[], file?: string): ClaimsTable {
  const counts = { match: 0, erratum: 0, wrong: 0, doubted: 0 };
  for (const c of checks) {
    if (c.status === 'match') counts.match++;
    else if (c.status === 'known-erratum') {
      counts.erratum++;
      if (c.claim.erratum?.doubt !== undefined) counts.doubted++;
    } else counts.wrong++;
  }
  const cells = claimRows(checks);
  const rows = checks.map((c, i) => ({ cells: cells[i], status: c.status }));
  if (file === undefined) return { caption: `${worked.title}: each number the lecture prints, checked`, summary: checksSummary(checks.length, counts), rows };
  return { caption: `${file} — ${worked.title}: each number your worked example prints, checked`, summary: checksSummary(checks.length, counts, 'your worked example'), rows };
}

/**
 * An opened worked example's claims and the errata it records, for the Data region ("your worked example (5 claims,
 * 1 erratum)": words.ts dataSummary); undefined for a lecture preset's or any other net.
 */
export function workedCounts(data: Pick<PresetData, 'worked' | 'workedFile'>): { claims: number; errata: number } | undefined {
  if (!data.worked || data.workedFile === undefined) return undefined;
  return { claims: data.worked.claims.length, errata: data.worked.claims.filter((c) => c.erratum !== undefined).length };
}
