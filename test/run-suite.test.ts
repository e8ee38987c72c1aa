import { describe, expect, it } from 'vitest';
import { mergeReports, planSuite, type SuiteReport } from './lib/suite-plan.ts';

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
});
