import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closingLines, mergeReports, planSuite, type SuiteReport } from './lib/suite-plan.ts';

// `npm test`'s plan (test/run-suite.ts): the two projects at once only for the arguments two processes can share.
describe('npm test: one vitest or two', () => {
  it('.ci/run\'s arguments: two processes, the node project on all cores but one, each its own JSON file', () => {
    const plan = planSuite(['--reporter=default', '--reporter=json', '--outputFile.json=/tmp/r/vitest.json'], 2);
    expect(plan).toEqual({
      processes: 2,
      node: ['--project', 'node', '--maxWorkers=1', '--reporter=default', '--reporter=json', '--outputFile.json=/tmp/r/vitest.json.node.json'],
      browser: ['--project', 'browser', '--reporter=default', '--reporter=json', '--outputFile.json=/tmp/r/vitest.json.browser.json'],
      report: '/tmp/r/vitest.json',
    });
  });

  it('no arguments: two processes, no report; 16 cores give the node project 15 workers', () => {
    expect(planSuite([], 16)).toEqual({ processes: 2, node: ['--project', 'node', '--maxWorkers=15'], browser: ['--project', 'browser'] });
  });

  it('anything two processes cannot share runs one vitest with the arguments as given', () => {
    for (const args of [
      ['test/train.test.ts'], // a filter that names a node file finds no browser file
      ['--project=node'], ['--project', 'node'], // given to both, the browser process would run the node files too
      ['--maxWorkers=2'], // a second --maxWorkers: vitest refuses two values
      ['--outputFile.json', '/tmp/r.json'], ['--reporter', 'json'], // a value after a space
      ['--reporter=json'], // JSON to stdout: two JSON texts, line-tagged, on one stdout
      ['--outputFile.json=/tmp/r.json'], ['--reporter=default', '--outputFile.json=/tmp/r.json'], // no JSON reporter: no file to merge
      ['--reporter=junit', '--outputFile=r.xml'], ['--reporter=junit'], // another reporter's output, two processes' mixed
      ['-t', 'lecture'],
    ]) expect(planSuite(args, 2), args.join(' ')).toEqual({ processes: 1, args });
  });
});

describe('the merged JSON report', () => {
  const part = (n: { passed: number; failed: number; pending: number }, startTime: number, success: boolean, file: string): SuiteReport => ({
    numTotalTests: n.passed + n.failed + n.pending, numPassedTests: n.passed, numFailedTests: n.failed, numPendingTests: n.pending, numTodoTests: 0,
    startTime, success, testResults: [{ name: file }], snapshot: { total: 0 },
  } as SuiteReport);

  it('sums the counts .ci/run reads, keeps both projects\' files, the earlier start, and fails if either failed', () => {
    const merged = mergeReports([part({ passed: 2000, failed: 0, pending: 1 }, 200, true, 'test/a.test.ts'), part({ passed: 800, failed: 2, pending: 0 }, 100, false, 'test/browser/b.test.ts')]);
    expect(merged).toMatchObject({ numTotalTests: 2803, numPassedTests: 2800, numFailedTests: 2, numPendingTests: 1, numTodoTests: 0, startTime: 100, success: false });
    expect(merged.testResults).toEqual([{ name: 'test/a.test.ts' }, { name: 'test/browser/b.test.ts' }]);
    expect(mergeReports([part({ passed: 1, failed: 0, pending: 0 }, 5, true, 'x'), part({ passed: 1, failed: 0, pending: 0 }, 6, true, 'y')]).success).toBe(true);
  });

  it('a failed node report before a passing browser one: the merge failed too (not the last part\'s success)', () => {
    expect(mergeReports([part({ passed: 1, failed: 1, pending: 0 }, 5, false, 'x'), part({ passed: 1, failed: 0, pending: 0 }, 6, true, 'y')]).success).toBe(false);
  });
});

describe('CI\'s closing lines', () => {
  // Shaped as vitest 4's JSON reporter writes a file's entry (checked against a real report of a failing file).
  const report = {
    numPassedTests: 2977, numFailedTests: 1, numPendingTests: 1, numTodoTests: 1, startTime: 0, success: false,
    testResults: [
      { name: '/repo/test/a.test.ts', status: 'passed', assertionResults: [{ fullName: 'a ok', status: 'passed', failureMessages: [] }] },
      { name: '/repo/test/b.test.ts', status: 'failed', message: '', assertionResults: [
        { fullName: 'b times out', status: 'failed', failureMessages: ['\u001b[31mError: Test timed out in 5000ms.\u001b[39m\n    at file:///repo/node_modules/@vitest/runner/dist/x.js:1:1\n    at new Promise (<anonymous>)\n    at /repo/test/b.test.ts:9:3\n    at /repo/test/b.test.ts:12:5'] },
        { fullName: 'b ok', status: 'passed', failureMessages: [] }] },
      { name: '/repo/test/browser/c.test.ts', status: 'failed', message: 'Error: boom at import\nsecond line', assertionResults: [] },
    ],
  } as SuiteReport;

  it('names each failed test and file with its message\'s first lines, then the counts; nothing else', () => {
    expect(closingLines(report, '/repo/', 2)).toEqual([
      'FAILED test/b.test.ts > b times out',
      '      Error: Test timed out in 5000ms.',
      '          at /repo/test/b.test.ts:9:3',
      'FAILED test/browser/c.test.ts (the file, outside its tests)',
      '      Error: boom at import',
      '      second line',
      'vitest: 2977 passed, 1 failed, 2 skipped, 1 file failed outside its tests',
    ]);
    // A file failing at import alone: no test failed, and the line says so rather than "0 failed" as if green.
    expect(closingLines({ ...report, numFailedTests: 0, testResults: [report.testResults[2]] }, '/repo/').at(-1)).toBe('vitest: 2977 passed, 0 failed, 2 skipped, 1 file failed outside its tests');
    expect(closingLines({ ...report, numFailedTests: 0, success: true, testResults: [report.testResults[0]] }, '/repo/')).toEqual(['vitest: 2977 passed, 0 failed, 2 skipped']);
  });
});

// The runner itself with a stand-in for vitest (test/fixtures/fake-vitest.mjs, which logs each signal it gets): a
// signal reaches each vitest process once, whether it was sent to the runner alone or to the runner's whole process
// group as Ctrl-C sends it, and the runner exits as stopped once they have ended.
describe('npm test stopped by a signal', () => {
  const RUNNER = fileURLToPath(new URL('./run-suite.ts', import.meta.url));
  const REGISTER = fileURLToPath(new URL('../bin/register-source.mjs', import.meta.url));
  const FAKE = fileURLToPath(new URL('./fixtures/fake-vitest.mjs', import.meta.url));

  /** The log's lines, sorted; `ended`: how many lines say a stand-in ended (a signal got, or its run's end). */
  const read = (log: string) => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).sort();
  const ends = (lines: string[]) => lines.filter((l) => / (SIG[A-Z]+|ran to its end)$/.test(l)).length;
  const until = async (what: string, log: string, holds: (lines: string[]) => boolean): Promise<void> => {
    for (let t = 0; !holds(read(log)); t++) {
      if (t === 300) throw new Error(`${what}: ${readFileSync(log, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  async function stopWith(signal: NodeJS.Signals, toGroup: boolean): Promise<{ code: number | null; lines: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'run-suite-'));
    const log = join(dir, 'log');
    writeFileSync(log, '');
    try {
      // detached: the runner leads a process group of its own, as a shell's job does (the group Ctrl-C signals).
      const runner = spawn(process.execPath, ['--import', REGISTER, RUNNER], { detached: true, stdio: 'ignore', env: { ...process.env, RUN_SUITE_VITEST: FAKE, FAKE_VITEST_LOG: log } });
      const ended = new Promise<number | null>((done) => runner.on('exit', (code) => done(code)));
      await until('the stand-ins did not start', log, (lines) => lines.filter((l) => l.includes(' started')).length === 2);
      process.kill(toGroup ? -runner.pid! : runner.pid!, signal);
      const code = await ended;
      // Both stand-ins ended (a SIGKILL'd runner does not wait for them).
      await until('the stand-ins did not end', log, (lines) => ends(lines) >= 2);
      return { code, lines: read(log) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // Each stand-in leads a process group of its own (so that a signal to the runner's group does not reach it twice:
  // Ctrl-C from the terminal, then from the runner — the kernel often merges the two while the first is pending, so
  // the count alone rarely showed it) and gets the signal once.
  const once = (signal: string) => ['browser started in a group of its own', `browser ${signal}`, 'node started in a group of its own', `node ${signal}`].sort();
  it('Ctrl-C (SIGINT to the group): each vitest process gets it once; the runner exits 130', async () => {
    expect(await stopWith('SIGINT', true)).toEqual({ code: 130, lines: once('SIGINT') });
  }, 30_000);
  it('SIGINT to the runner alone: passed on, once; the runner exits 130', async () => {
    expect(await stopWith('SIGINT', false)).toEqual({ code: 130, lines: once('SIGINT') });
  }, 30_000);
  it('SIGTERM to the runner alone: passed on, once; the runner exits 143', async () => {
    expect(await stopWith('SIGTERM', false)).toEqual({ code: 143, lines: once('SIGTERM') });
  }, 30_000);
  it('the preload knows the runner by RUN_SUITE_PID, not by its parent as it loads: another pid there is a runner gone, and it ends its run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-suite-'));
    const log = join(dir, 'log');
    writeFileSync(log, '');
    const PRELOAD = new URL('./lib/exit-with-runner.mjs', import.meta.url).href;
    try {
      // This test's process is the stand-in's parent: as the runner (its pid), the stand-in runs on; as pid 1 (not its
      // parent, as if the runner it was given had gone before it loaded), it ends as on the runner's SIGTERM.
      // NOTE: the gone one is waited for, not given a time: on a loaded machine its first 500 ms check came past the
      // 1.5 s this test waited, and the test's SIGINT ended it instead (flaky53). Never ended by its preload, it ends
      // itself after 10 s ('gone ran to its end'), and the test fails. The kept one is given 1.5 s (three of the
      // preload's checks) and then ended by this test: a load that delays its checks can only let a fault pass here.
      for (const [runner, project] of [[String(process.pid), 'kept'], ['1', 'gone']]) {
        const child = spawn(process.execPath, ['--import', PRELOAD, FAKE, '--project', project], { stdio: 'ignore', env: { ...process.env, RUN_SUITE_PID: runner, FAKE_VITEST_LOG: log } });
        const exited = new Promise((r) => child.on('exit', r));
        await until(`${project} did not start`, log, (lines) => lines.some((l) => l.startsWith(`${project} started`)));
        if (project === 'kept') {
          await new Promise((r) => setTimeout(r, 1500));
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // this test ends it
        }
        await exited;
      }
      expect(read(log).filter((l) => !l.includes(' started'))).toEqual(['gone SIGTERM', 'kept SIGINT']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
  it('SIGKILL to the runner\'s group (a harness\'s timeout): each vitest process ends its run as on SIGTERM (exit-with-runner.mjs), none runs on orphaned', async () => {
    expect(await stopWith('SIGKILL', true)).toEqual({ code: null, lines: once('SIGTERM') });
  }, 30_000);
});
