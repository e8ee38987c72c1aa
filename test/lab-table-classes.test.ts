/**
 * Your data (src/lab/table.ts): class order and the validation hold-out, each value worked here from the table.
 * Numeric labels are ordered by value (1 < 2 < 10, not as text), text labels alphabetically whatever the row order;
 * ⌊n · fraction⌋ rows are held out, each training and validation row keeping its own label; 50 % is allowed.
 */
import { describe, expect, it } from 'vitest';
import { buildDataset, inferTask, parseTable, validationFraction } from '../src/lab/table.ts';

describe('class order', () => {
  it('numeric labels 10, 2, 1 are classes 1, 2, 10 in that order (by value): a 10 is class 2, one-hot [0, 0, 1]', () => {
    const t = parseTable('a,label\n0,10\n1,2\n2,1\n3,10\n');
    expect(inferTask(t, 1)).toEqual({ task: 'multiclass', classNames: ['1', '2', '10'], numeric: true });
    const d = buildDataset(t, { features: [0], label: 1 });
    expect(d.labels).toEqual([2, 1, 0, 2]);
    expect(d.y).toEqual([[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1]]);
  });

  it('text labels in the order cat, ant, bee are classes ant, bee, cat', () => {
    const t = parseTable('a,label\n0,cat\n1,ant\n2,bee\n');
    expect(inferTask(t, 1).classNames).toEqual(['ant', 'bee', 'cat']);
    expect(buildDataset(t, { features: [0], label: 1 }).labels).toEqual([2, 0, 1]);
  });
});

describe('the validation hold-out', () => {
  // Ten rows; the label says whether a > 4, so every row's label can be checked against its own feature.
  const t = parseTable(['a,big', ...Array.from({ length: 10 }, (_, k) => `${k},${k > 4 ? 'yes' : 'no'}`)].join('\n'));
  const own = (x: number[][], labels: number[]) => x.map((r) => (r[0] > 4 ? 1 : 0)).every((want, k) => labels[k] === want);

  it('25 % of 10 rows holds out ⌊2.5⌋ = 2; each row, kept or held out, has its own label in labels and y', () => {
    const d = buildDataset(t, { features: [0], label: 1, validation: 0.25, seed: 3 });
    expect([d.x.length, d.xVal.length]).toEqual([8, 2]);
    // Classes: no = 0, yes = 1 (alphabetical).
    expect(d.classNames).toEqual(['no', 'yes']);
    expect(d.labels).toHaveLength(8);
    expect(own(d.x, d.labels)).toBe(true);
    expect(own(d.x, d.y.map((r) => r[0]))).toBe(true);
    expect(own(d.xVal, d.labelsVal)).toBe(true);
    expect(own(d.xVal, d.yVal.map((r) => r[0]))).toBe(true);
    // Together, every row once.
    expect([...d.x, ...d.xVal].map((r) => r[0]).sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('the dialog allows 0 … 50 %: 50 is 0.5, 50.5 is refused naming the field', () => {
    expect(validationFraction(50)).toBe(0.5);
    expect(() => validationFraction(50.5)).toThrow(/^validation %: /);
  });
});
