/**
 * The CLI's usage text (`backprop --help`, `backprop CMD --help`, a usage error's tail) reads on a terminal: no line past
 * 120 columns (review36: train's --plot sentence had made one of 173, grad's --json one of 198).
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE, USAGE } from '../src/cli/main.ts';

describe('usage text', () => {
  it.each([['backprop --help', USAGE], ...Object.entries(COMMAND_USAGE).map(([c, u]) => [`backprop ${c} --help`, u])])('%s: every line ≤ 120 columns', (_what, text) => {
    const long = text.split('\n').filter((l) => [...l].length > 120);
    expect(long).toEqual([]);
  });
});
