/**
 * explain's Markdown lists the names the text lists (usr56b): with --param only that parameter's row, then
 * "… N parameters in all (convention …)"; without, every name up to 64, then that line — it listed every parameter of
 * the net (a 784-128-10 net's 101 770 rows above one gradient).
 */
import { expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { explain, MAX_PATHS_ALL } from '../src/notation/explain.ts';

/** The rows of the names table: the lines starting "| `" before the first "###". */
const nameRows = (md: string): string[] => md.split('\n### ')[0].split('\n').filter((l) => l.startsWith('| `'));

it('--param w5 on the 2-2-1 lecture net: one row (w5), then "… 8 parameters in all (convention flat)"', () => {
  const md = explain(lecture('lecture-2-2-1').worked, { param: 'w5' }, [], 'md');
  expect(nameRows(md)).toEqual(['| `w5` | W₂[0][0] | feeds z_out from a_h1 |']);
  // 2-2-1 with a shared bias per layer: 4 + 2 weights and 2 biases, 8 in all.
  expect(md).toContain('\n… 8 parameters in all (convention flat)\n');
});

it('without --param on the 2-2-1 net: all 8 rows, no "in all" line', () => {
  const md = explain(lecture('lecture-2-2-1').worked, {}, [], 'md');
  expect(nameRows(md).map((r) => r.split('`')[1])).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2']);
  expect(md).not.toContain('parameters in all');
});

it('without --param on a 10-10-1 net of 200 examples (121 paths an example × 200 > MAX_PATHS_ALL, so none expanded): 64 rows, then "… 121 parameters in all"', () => {
  // 10·10 weights and 10 biases into the hidden layer, 10 + 1 into the output: 121 parameters, one path each.
  const x = Array.from({ length: 200 }, (_, c) => Array.from({ length: 10 }, (_, j) => ((c * 7 + j * 3) % 11) / 10));
  const spec = {
    inputs: 10, layers: [{ units: 10, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse',
    init: { scheme: 'xavier', seed: 1 }, x, y: x.map((r) => [r[0]]),
  };
  expect(121 * 200).toBeGreaterThan(MAX_PATHS_ALL);
  const md = explain(spec, {}, [], 'md');
  expect(nameRows(md)).toHaveLength(64);
  expect(md).toMatch(/\n… 121 parameters in all \(convention [^)]+\)\n/);
});
