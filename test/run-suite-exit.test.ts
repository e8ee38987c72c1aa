/**
 * `npm test`'s exit status (test/run-suite.ts) with a stand-in for each vitest process (test/fixtures/fake-vitest-run.mjs):
 * CI is green only if every project it starts ends with status 0 and, where a JSON report was asked for, wrote one. A
 * failure in either project, a project killed by a signal (a crash, the kernel's OOM killer) or a missing report is a
 * failed run. The statuses expected are the shell's: a process killed by signal N is 128 + N (SIGKILL 9: 137).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./run-suite.ts', import.meta.url));
const REGISTER = fileURLToPath(new URL('../bin/register-source.mjs', import.meta.url));
const FAKE = fileURLToPath(new URL('./fixtures/fake-vitest-run.mjs', import.meta.url));

interface Part { exit?: number; signal?: NodeJS.Signals; report?: object; say?: string }

/** A vitest JSON report's counted fields for `passed` and `failed` tests of one file. */
const report = (file: string, passed: number, failed: number) => ({
  numTotalTests: passed + failed, numPassedTests: passed, numFailedTests: failed, numPendingTests: 0, numTodoTests: 0,
  startTime: 1, success: failed === 0, testResults: [{ name: file, status: failed ? 'failed' : 'passed', assertionResults: [] }],
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-suite-exit-'));
  mkdirSync(join(dir, 'a/b/c'), { recursive: true });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The runner, from a folder three below `dir` (neither the repository nor as deep), with `args`, each project's stand-in ending as `parts` says. */
function runSuite(args: string[], parts: Record<string, Part>): { status: number | null; stdout: string; stderr: string; started: string[] } {
  const log = join(dir, 'log');
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', REGISTER, RUNNER, ...args], {
    cwd: join(dir, 'a/b/c'), encoding: 'utf8', timeout: 120_000, env: { ...process.env, RUN_SUITE_VITEST: FAKE, FAKE_RUN: JSON.stringify(parts), FAKE_RUN_LOG: log },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, started: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ')[0]).sort() };
}

/** .ci/run's arguments, the report given relative to the repository (as vitest, run there, resolves it). */
const ciArgs = (file: string) => ['--reporter=default', '--reporter=json', `--outputFile.json=${relative(ROOT, file)}`];

describe('npm test, two projects at once: its status', () => {
  it('a failure in the browser project alone fails the run (the node project passed)', () => {
    const out = join(dir, 'vitest.json');
    const r = runSuite(ciArgs(out), { node: { report: report('n.test.ts', 3, 0) }, browser: { exit: 1, report: report('b.test.ts', 1, 1) } });
    expect(r.started).toEqual(['browser', 'node']);
    expect(r.status).toBe(1);
  });

  it('a failure in the node project alone fails the run (the browser project passed)', () => {
    const out = join(dir, 'vitest.json');
    expect(runSuite(ciArgs(out), { node: { exit: 1, report: report('n.test.ts', 2, 1) }, browser: { report: report('b.test.ts', 1, 0) } }).status).toBe(1);
  });

  it('both passed: 0, one merged report where the arguments put it (relative to the repository, the runner started elsewhere), the parts removed', () => {
    const out = join(dir, 'vitest.json');
    const r = runSuite(ciArgs(out), { node: { report: report('n.test.ts', 3, 0) }, browser: { report: report('b.test.ts', 2, 0) } });
    expect(r.status).toBe(0);
    // 3 + 2 passed, 0 + 0 failed; node's file, then the browser's.
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ numPassedTests: 5, numFailedTests: 0, success: true, testResults: [{ name: 'n.test.ts' }, { name: 'b.test.ts' }] });
    expect([existsSync(`${out}.node.json`), existsSync(`${out}.browser.json`)]).toEqual([false, false]);
  });

  it('a project that exits 0 but wrote no JSON report (it never ran its files) fails the run; the merged report holds the other\'s counts', () => {
    const out = join(dir, 'vitest.json');
    const r = runSuite(ciArgs(out), { node: { report: report('n.test.ts', 4, 0) }, browser: {} });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('one of the two projects wrote no JSON report');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ numPassedTests: 4, numFailedTests: 0 });
  });

  it('a passing report left from an earlier run is not taken for this run\'s', () => {
    const out = join(dir, 'vitest.json');
    writeFileSync(`${out}.browser.json`, JSON.stringify(report('stale.test.ts', 9, 0)));
    expect(runSuite(ciArgs(out), { node: { report: report('n.test.ts', 4, 0) }, browser: {} }).status).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).testResults).toEqual([{ name: 'n.test.ts', status: 'passed', assertionResults: [] }]);
  });

  it('a project killed by SIGKILL (no report asked for) fails the run with 137 = 128 + 9', () => {
    expect(runSuite([], { node: {}, browser: { signal: 'SIGKILL' } }).status).toBe(137);
  });

  it('each project\'s stdout and stderr reach the runner\'s, tagged with the project', () => {
    const r = runSuite([], { node: { say: 'n says' }, browser: { say: 'b says', exit: 1 } });
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['[node]    n says (stdout)', '[browser] b says (stdout)']));
    expect(r.stderr.split('\n')).toEqual(expect.arrayContaining(['[node]    n says (stderr)', '[browser] b says (stderr)']));
  });
});

describe('npm test, one vitest process (a file filter): its status is vitest\'s', () => {
  it('1 when vitest fails, 0 when it passes, 137 when it is killed', () => {
    expect(runSuite(['test/x.test.ts'], { one: { exit: 1 } }).status).toBe(1);
    expect(runSuite(['test/x.test.ts'], { one: {} }).status).toBe(0);
    expect(runSuite(['test/x.test.ts'], { one: { signal: 'SIGKILL' } }).status).toBe(137);
  });
});
