/**
 * What a run is called on each runner (bench/bench.ts parseArgs: runMode against the runner's own default set). The
 * Node runner's --quick leaves out config e and the bare matmul, which its systems cannot run: named against the
 * browser's quick set it was a "custom" run, stamped and saved as one, though it is the runner's quick run.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';

describe('a runner\'s own default set is its full or quick run, not a custom one', () => {
  it('--quick on the Node and Dawn runners (which leave out config e and, on Node, the bare matmul) is a quick run; no option a full one', () => {
    for (const runner of ['browser', 'node', 'dawn'] as const) {
      expect(parseArgs(['--quick'], runner).mode, runner).toBe('quick');
      expect(parseArgs([], runner).mode, runner).toBe('full');
      expect(parseArgs(['--configs', 'a', '--quick'], runner).mode, runner).toBe('custom');
    }
  });
});
