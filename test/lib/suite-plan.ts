/**
 * How `npm test` runs vitest (test/run-suite.ts): the plan for its arguments, and the merge of two JSON reports. Pure
 * functions, tested in test/run-suite.test.ts.
 */

/** One vitest process with the arguments as given (`vitest run ARGS`), or the two projects at once. */
export type SuitePlan =
  | { processes: 1; args: string[] }
  | { processes: 2; node: string[]; browser: string[]; report?: string };

/** Reporters whose output two processes can share: lines on the terminal, and JSON into a file. */
const SHARED_REPORTERS = new Set(['default', 'dot', 'verbose', 'json']);

/**
 * The plan for `npm test -- ARGS` on a machine of `cores` logical cores. Two processes — the node project on all
 * cores but one (at least one), the browser project beside it — when ARGS are only `--reporter=R` (default, dot,
 * verbose, json) and `--outputFile.json=FILE` (as .ci/run passes them); each project then writes FILE.node.json or
 * FILE.browser.json, merged into FILE (`report`). Anything else — a file filter, `--project`, `--maxWorkers`, an option
 * with its value after a space, another reporter, JSON with no file to go to (two JSON texts on one stdout) or a JSON
 * file with no JSON reporter — is one
 * `vitest run ARGS`, as before the two processes.
 */
export function planSuite(args: readonly string[], cores: number): SuitePlan {
  const one: SuitePlan = { processes: 1, args: [...args] };
  let report: string | undefined;
  let json = false;
  const shared: string[] = [];
  for (const arg of args) {
    const file = /^--outputFile\.json=(.+)$/.exec(arg);
    const reporter = /^--reporter=(.+)$/.exec(arg);
    if (file) {
      report = file[1];
    } else if (reporter && SHARED_REPORTERS.has(reporter[1])) {
      json ||= reporter[1] === 'json';
      shared.push(arg);
    } else {
      return one;
    }
  }
  // JSON with no file to go to (two JSON texts on one stdout), or a file with no JSON reporter to write it (nothing to
  // merge: vitest run writes none either): one process, as given.
  if (json !== (report !== undefined)) return one;
  const to = (project: string): string[] => (report === undefined ? [] : [`--outputFile.json=${report}.${project}.json`]);
  return {
    processes: 2,
    node: ['--project', 'node', `--maxWorkers=${Math.max(1, cores - 1)}`, ...shared, ...to('node')],
    browser: ['--project', 'browser', ...shared, ...to('browser')],
    ...(report === undefined ? {} : { report }),
  };
}

/** The part of vitest's JSON report that is merged (its other fields are the first part's). */
export interface SuiteReport {
  startTime: number;
  success: boolean;
  testResults: unknown[];
  [count: `num${string}`]: number;
}

/**
 * One report from the two projects': every `num…` count summed, the files' results one list (node's, then the
 * browser's), the earlier start, success only if both succeeded; the other fields (snapshot, coverage) the first's.
 */
export function mergeReports(parts: readonly SuiteReport[]): SuiteReport {
  const out: SuiteReport = { ...parts[0], testResults: [] };
  for (const key of Object.keys(out)) if (key.startsWith('num')) out[key as `num${string}`] = 0;
  for (const p of parts) {
    for (const [key, value] of Object.entries(p)) if (key.startsWith('num') && typeof value === 'number') out[key as `num${string}`] += value;
    out.testResults.push(...p.testResults);
    out.startTime = Math.min(out.startTime, p.startTime);
    out.success = out.success && p.success;
  }
  return out;
}

/** The parts of one file's entry in vitest's JSON report that name what failed. */
interface FileResult {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: { fullName?: string; status?: string; failureMessages?: string[] }[];
}

/**
 * CI's closing lines for a report: its counts (and the files that failed outside their tests, where any did), after
 * each failed test (its file relative to `root`, its full name and the first `keep` lines of its message, colour codes
 * and stack frames inside node_modules removed) and each file that failed outside its tests (an import error, a hook).
 * NOTE: CI's record keeps only the tail of the output, and the node project ends minutes before the browser one, so a
 * node failure printed where it happened was out of sight (stop 52's CI: "1 failed", no name).
 */
export function closingLines(report: SuiteReport, root: string, keep = 6): string[] {
  const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
  const excerpt = (message: string) => plain(message).split('\n').map((l) => l.trimEnd()).filter((l) => l && !/node_modules\/|^\s*at new Promise/.test(l)).slice(0, keep).map((l) => `      ${l}`);
  const lines: string[] = [];
  let outside = 0;
  for (const entry of report.testResults as FileResult[]) {
    const name = entry.name ?? '?';
    const file = name.startsWith(root) ? name.slice(root.length).replace(/^\/+/, '') : name;
    const failed = (entry.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) lines.push(`FAILED ${file} > ${t.fullName ?? '?'}`, ...excerpt((t.failureMessages ?? []).join('\n')));
    if (entry.status === 'failed' && failed.length === 0) {
      outside++;
      lines.push(`FAILED ${file} (the file, outside its tests)`, ...excerpt(entry.message ?? ''));
    }
  }
  const n = (key: `num${string}`) => report[key] ?? 0;
  // A file that failed at import or in a hook has no failed test to count: "0 failed" alone would read as green.
  const files = outside ? `, ${outside} file${outside === 1 ? '' : 's'} failed outside ${outside === 1 ? 'its' : 'their'} tests` : '';
  lines.push(`vitest: ${n('numPassedTests')} passed, ${n('numFailedTests')} failed, ${n('numPendingTests') + n('numTodoTests')} skipped${files}`);
  return lines;
}
