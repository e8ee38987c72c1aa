/**
 * A run started from the bench page's form (bench/page/query.ts formRun) against the same run on the command line
 * (bench/bench.ts parseArgs): its repetition policy and its configs' order. The page's quick box ran the command
 * line's full policy, or a link's group (`configs=b,a`) lost its place in the order, without any other test noticing.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { formRun, readQuery } from '../bench/page/query.ts';

const pageRun = (link: string, configs: string[], quick: boolean) =>
  formRun('http://h/bench.html', { configs, systems: ['ours-cpu'], variants: ['auto'], quick }, readQuery(link).query);
const ids = (cs: readonly { id: string }[]): string[] => cs.map((c) => c.id);

describe('a run from the page has the command line\'s policy and order', () => {
  it('the quick box gives --quick\'s repetitions and budgets, no box the full run\'s, and fits= is --fits', () => {
    const cases: [string, string[], boolean, string[]][] = [
      ['?configs=a&quick=1', ['a'], true, ['--configs', 'a', '--quick']],
      ['?configs=a', ['a'], false, ['--configs', 'a']],
      ['?configs=qe&quick=1&fits=3', ['qe-sgd', 'qe-adam'], true, ['--configs', 'qe', '--quick', '--fits', '3']],
    ];
    for (const [link, ticked, quick, argv] of cases) {
      expect(pageRun(link, ticked, quick).policy, link).toEqual(parseArgs(argv, 'browser').policy);
    }
    // The two policies differ (else the check above could not tell them apart).
    expect(parseArgs(['--configs', 'a', '--quick'], 'browser').policy).not.toEqual(parseArgs(['--configs', 'a'], 'browser').policy);
  });

  it('a link naming a group first (configs=b,a) runs the group\'s configs first, as --configs b,a does', () => {
    const cli = ids(parseArgs(['--configs', 'b,a'], 'browser').configs);
    expect(cli).toEqual(['b-mse', 'b-ce', 'a']);
    // The form lists its boxes in its own order (a first); the run follows the link's.
    expect(ids(pageRun('?configs=b,a', ['a', 'b-mse', 'b-ce'], false).configs)).toEqual(cli);
  });
});
