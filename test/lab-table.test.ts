/**
 * The lab's CSV / TSV import (src/lab/table.ts), no DOM. Expected values are worked by hand from the small
 * tables written here.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { specErrorOf } from './lib/typed.ts';
import { validateSpec } from '../src/spec.ts';
import { buildDataset, cellNumber, checkCells, hiddenUnits, inferTask, parseTable, specForDataset, validationFraction } from '../src/lab/table.ts';

const thrown = specErrorOf;

describe('parseTable', () => {
  it('reads a header and rows; comma, tab or semicolon; quotes; CRLF; blank lines', () => {
    const csv = parseTable('a,b,label\r\n1,2,0\r\n\r\n3,"4",1\r\n');
    expect(csv.delimiter).toBe(',');
    expect(csv.header).toEqual(['a', 'b', 'label']);
    expect(csv.rows).toEqual([['1', '2', '0'], ['3', '4', '1']]);
    // The blank line still counts: the second data row is row 4 of the file.
    expect(csv.lineOf).toEqual([2, 4]);
    expect(parseTable('a\tb\n1\t2\n').delimiter).toBe('\t');
    expect(parseTable('a;b\n1,5;2\n').rows).toEqual([['1,5', '2']]);
    expect(parseTable('name,v\n"Smith, J ""Jo""",3\n').rows).toEqual([['Smith, J "Jo"', '3']]);
  });

  it('refuses a ragged row, naming it, and an empty or header-only table', () => {
    expect(thrown(() => parseTable('a,b\n1,2\n3\n')).field).toBe('row 3');
    expect(thrown(() => parseTable('')).field).toBe('table');
    expect(thrown(() => parseTable('a,b\n')).message).toMatch(/no rows/);
    expect(thrown(() => parseTable('a,b\n"1,2\n')).message).toMatch(/not closed/);
  });

  it('refuses a column name given twice, naming the second column (a blank name is "column N": that too)', () => {
    // Columns 1 'x', 2 'y', 3 'x': the third repeats the first.
    expect(() => parseTable('x,y,x\n1,2,3\n')).toThrow(/^row 1, column 3 \('x'\): has the same name as column 1: give each column its own name$/);
    // The blank header of column 2 is named 'column 2', as the file's own third header is.
    expect(() => parseTable('\n\na,,column 2\n1,2,3\n')).toThrow(/^row 3, column 3 \('column 2'\): has the same name as column 2/);
    expect(parseTable('x,X,x1\n1,2,3\n').header).toEqual(['x', 'X', 'x1']);
  });

  it('checks the names after the size checks, in one pass: a wide header with no row is refused at once', () => {
    // 'x' and 500 000 blank headers (named 'column 2' …, all different) and no row: refused for having no rows. The
    // name check (header.indexOf per column, ~n²/2 string comparisons) ran first: minutes here.
    expect(() => parseTable(`x${','.repeat(500_000)}\n`)).toThrow(/^table: has a header but no rows of data$/);
    // Within the cell count and the lab's columns (MAX_COLUMNS, 10 000) the names are still compared, each once
    // (100 000 columns took 7 s with indexOf; so many are refused now: test/lab-table-hostile.test.ts).
    const cols = 10_000;
    // (The row's last cell is written: empty columns at the end, none named and no cell, are dropped as Excel's.)
    expect(parseTable(`x${','.repeat(cols - 1)}\n1${','.repeat(cols - 1)}2\n`).header.length).toBe(cols);
    expect(() => parseTable(`x${','.repeat(cols - 2)},x\n1${','.repeat(cols - 1)}\n`)).toThrow(`row 1, column ${cols} ('x'): has the same name as column 1`);
  });

  it('numbers: decimals, signs, exponents; not text, empty, NaN or Infinity', () => {
    expect(['1', '-0.5', '+2', '.5', '3.', '1e-3'].map((c) => cellNumber(c))).toEqual([1, -0.5, 2, 0.5, 3, 0.001]);
    expect(['', 'x', 'NaN', 'Infinity', '1,5', '0x10'].map((c) => cellNumber(c))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('inferTask', () => {
  const t = parseTable('x,two,three,real,name\n0,-1,0,0.5,cat\n1,1,1,1.5,dog\n2,1,2,2,cat\n');
  it('two values → binary (sorted), 3+ integers → multiclass, otherwise regression; text → classes', () => {
    expect(inferTask(t, 1)).toMatchObject({ task: 'binary', classNames: ['-1', '1'] });
    expect(inferTask(t, 2)).toMatchObject({ task: 'multiclass', classNames: ['0', '1', '2'] });
    expect(inferTask(t, 3).task).toBe('regression');
    expect(inferTask(t, 4)).toMatchObject({ task: 'binary', classNames: ['cat', 'dog'] });
  });
  it('refuses a label of one value, numbers as text (it trained a regression on a constant): nothing to learn', () => {
    const one = parseTable('a,y,name\n1,0,cat\n2,0.0,cat\n3,0e0,cat\n');
    expect(() => inferTask(one, 1)).toThrow(/^column 2 \('y'\): has one label value only \('0'\): nothing to learn$/);
    expect(() => inferTask(one, 2)).toThrow(/^column 3 \('name'\): has one label value only \('cat'\): nothing to learn$/);
  });
});

describe('buildDataset', () => {
  it('binary labels −1 / 1 become 0 / 1 (BCE targets)', () => {
    const d = buildDataset(parseTable('a,b,y\n1,2,-1\n3,4,1\n5,6,1\n'), { features: [0, 1], label: 2 });
    expect(d.task).toBe('binary');
    expect(d.x).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(d.y).toEqual([[0], [1], [1]]);
    expect(d.labels).toEqual([0, 1, 1]);
  });

  it('three classes become one-hot rows, and the spec is softmax + cross-entropy', () => {
    const d = buildDataset(parseTable('y,a\n2,0.1\n0,0.2\n1,0.3\n2,0.4\n'), { features: [1], label: 0 });
    expect(d.task).toBe('multiclass');
    expect(d.y).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const spec = specForDataset(d, 'mine');
    expect(spec.loss).toBe('softmax-cross-entropy');
    expect(spec.layers[spec.layers.length - 1]).toEqual({ units: 3, activation: 'softmax', bias: 'per-unit' });
    expect(() => validateSpec(spec)).not.toThrow();
  });

  it("the spec's description counts its rows in agreement: '1 training row + 1 validation row'", () => {
    // Two rows, half held out: one of each (it read "1 training rows + 1 validation rows" on the page's Data region).
    const d = buildDataset(parseTable('a,b,y\n1,2,0\n3,4,1\n'), { features: [0, 1], label: 2, validation: 0.5 });
    expect(specForDataset(d, 't').description).toMatch(/^Your data: 1 training row \+ 1 validation row, features a, b → 2 classes/);
    const e = buildDataset(parseTable('a,y\n1,0\n2,1\n3,0\n'), { features: [0], label: 1 });
    expect(specForDataset(e, 't').description).toMatch(/^Your data: 3 training rows, features a → /);
  });

  it('a real-valued label is regression: identity output, MSE', () => {
    const d = buildDataset(parseTable('a,y\n1,0.5\n2,1.25\n3,7\n'), { features: [0], label: 1 });
    expect(d.y).toEqual([[0.5], [1.25], [7]]);
    const spec = specForDataset(d, 'r');
    expect(spec.loss).toBe('mse');
    expect(spec.layers[1].activation).toBe('identity');
    expect(() => validateSpec(spec)).not.toThrow();
  });

  it('names the row and column of the first bad cell', () => {
    const t = parseTable('a,b,y\n1,2,0\n3,4,1\n5,oops,1\n6,,0\n');
    const e = thrown(() => buildDataset(t, { features: [0, 1], label: 2 }));
    expect(e.field).toBe("row 4, column 2 ('b')");
    expect(e.message).toMatch(/'oops'/);
    // An empty cell further down, alone: named too.
    const e2 = thrown(() => buildDataset(parseTable('a,y\n1,0\n,1\n'), { features: [0], label: 1 }));
    expect(e2.field).toBe("row 3, column 1 ('a')");
    expect(e2.message).toMatch(/empty/);
    // A number column with one text label: that cell, not "too many classes".
    const e3 = thrown(() => buildDataset(parseTable('a,y\n1,0\n2,1\n3,x\n4,1\n'), { features: [0], label: 1 }));
    expect(e3.field).toBe("row 4, column 2 ('y')");
    // The dialog's Read checks the same cells (checkCells) before Train on this data: the same cell, the same words.
    const read = thrown(() => checkCells(t, [0, 1], 2, 'binary', true));
    expect([read.field, read.message]).toEqual([e.field, e.message]);
    // Past float32: a bad cell unstandardised only; a regression's target past it, either way.
    const big = parseTable('a,y\n1,0\n1e39,1\n');
    expect(thrown(() => checkCells(big, [0], 1, 'binary', false)).field).toBe("row 3, column 1 ('a')");
    expect(() => checkCells(big, [0], 1, 'binary', true)).not.toThrow();
    expect(thrown(() => checkCells(parseTable('a,y\n1,0\n2,1e39\n'), [0], 1, 'regression', true)).field).toBe("row 3, column 2 ('y')");
  });

  it('standardises with the training rows only, and holds out a seeded validation part', () => {
    // a = 1, 2, 3, 4 → mean 2.5, population sd √1.25.
    const t = parseTable('a,y\n1,0\n2,1\n3,0\n4,1\n');
    const d = buildDataset(t, { features: [0], label: 1, standardise: true });
    expect(d.scale!.mean[0]).toBe(2.5);
    expect(d.scale!.std[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(d.x.map((r) => r[0])).toEqual([1, 2, 3, 4].map((v) => (v - 2.5) / Math.sqrt(1.25)));
    const rows = Array.from({ length: 10 }, (_, k) => `${k},${k % 2}`).join('\n');
    const s = buildDataset(parseTable(`a,y\n${rows}\n`), { features: [0], label: 1, validation: 0.3, seed: 5 });
    expect(s.x.length).toBe(7);
    expect(s.xVal.length).toBe(3);
    // Together they are the table's rows, each once.
    expect([...s.x, ...s.xVal].map((r) => r[0]).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Same seed, same split; another seed, another split.
    expect(buildDataset(parseTable(`a,y\n${rows}\n`), { features: [0], label: 1, validation: 0.3, seed: 5 }).xVal).toEqual(s.xVal);
    expect(buildDataset(parseTable(`a,y\n${rows}\n`), { features: [0], label: 1, validation: 0.3, seed: 6 }).xVal).not.toEqual(s.xVal);
  });

  it('standardises a column with a huge value (-1e308) without overflow: not erased to 0; a held-out value past float32 is named', () => {
    const csv = (bad: string) => ['a,b,label', '0.1,0.2,0', '0.5,0.1,1', `0.3,${bad},0`, '0.9,0.8,1', '0.2,0.4,0', '0.7,0.6,1'].join('\n');
    const d = buildDataset(parseTable(csv('-1e308')), { features: [0, 1], label: 2, standardise: true });
    const b = d.x.map((r) => r[1]);
    // Six rows, one of them −1e308: after standardising it lies √5 sd below the mean, the other five 1/√5 above
    // (their differences, ~1e-309 of an sd, are gone in any arithmetic). Before: sd = Infinity, the column all 0.
    expect(b[2]).toBeCloseTo(-Math.sqrt(5), 12);
    for (const k of [0, 1, 3, 4, 5]) expect(b[k]).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(d.scale!.mean[1]).toBeCloseTo(-1e308 / 6, -295);
    expect(d.scale!.std[1]).toBeCloseTo(Math.sqrt(5) / 6 * 1e308, -295);
    expect(Number.isFinite(d.scale!.std[1]) && Number.isFinite(d.scale!.mean[1])).toBe(true);
    // Mean 0 and variance 1, as for any column (column a is ordinary, and comes out as before).
    const mean = b.reduce((s, v) => s + v, 0) / b.length;
    expect(mean).toBeCloseTo(0, 12);
    expect(b.reduce((s, v) => s + (v - mean) ** 2, 0) / b.length).toBeCloseTo(1, 12);
    const a = [0.1, 0.5, 0.3, 0.9, 0.2, 0.7];
    const am = a.reduce((s, v) => s + v, 0) / 6;
    const asd = Math.sqrt(a.reduce((s, v) => s + (v - am) ** 2, 0) / 6);
    expect(d.x.map((r) => r[0])).toEqual(a.map((v) => (v - am) / asd));
    // Both signs near the double's max (v − mean overflowed too): finite, the two at ∓1 sd.
    const e = buildDataset(parseTable('a,y\n1.7e308,0\n-1.7e308,1\n'), { features: [0], label: 1, standardise: true });
    expect(e.x.map((r) => r[0])).toEqual([1, -1]);
    expect(e.scale!.std[0]).toBe(1.7e308);
    // A constant huge column stays centred (0), as a constant small one does.
    expect(buildDataset(parseTable('a,y\n1e300,0\n1e300,1\n'), { features: [0], label: 1, standardise: true }).x).toEqual([[0], [0]]);
    // A held-out value the training rows' sd blows past float32: refused, naming its row and column.
    const rows = ['a,y', ...Array.from({ length: 9 }, (_, k) => `${1 + k * 1e-3},${k % 2}`), '1e300,1'].join('\n');
    const t = parseTable(rows);
    const heldOut = [false, true].map((std) => {
      try {
        buildDataset(t, { features: [0], label: 1, standardise: std, validation: 0.5, seed: 1 });
        return null;
      } catch (err) {
        return err as SpecError;
      }
    });
    // Unless 1e300 (table row 11) went to the training rows with this seed; the split is seeded, so check it held out.
    // (The split depends on the row count and the seed only: the same table with 2 in row 11.)
    const split = buildDataset(parseTable(rows.replace('1e300', '2')), { features: [0], label: 1, validation: 0.5, seed: 1 });
    expect(split.xVal.map((r) => r[0])).toContain(2);
    // Unstandardised it is past float32 as it stands: refused by its row and column too (the engine named it).
    expect(heldOut[0]!.field).toBe("row 11, column 1 ('a')");
    expect(heldOut[0]!.message).toMatch(/'1e300' — outside the float32 range/);
    expect(heldOut[1]).toBeInstanceOf(SpecError);
    expect(heldOut[1]!.field).toBe("row 11, column 1 ('a')");
    expect(heldOut[1]!.message).toMatch(/'1e300' — standardised .* outside the float32 range/);
    // Its advice: not "standardise off" (1e300 is refused unstandardised too, above), fix the value.
    expect(heldOut[1]!.message).toMatch(/\(a held-out value far from the rest: fix the value: unstandardised it is past float32 too\)$/);
    // A held-out 1 beside training values of ~1e-40 (sd ~1e-40: standardised ~1e40): there standardise off helps.
    const tiny = parseTable(['a,y', ...Array.from({ length: 9 }, (_, k) => `${k + 1}e-40,${k % 2}`), '1,1'].join('\n'));
    const far = thrown(() => buildDataset(tiny, { features: [0], label: 1, standardise: true, validation: 0.5, seed: 1 }));
    expect(far.field).toBe("row 11, column 1 ('a')");
    expect(far.message).toMatch(/: '1' — standardised .* outside the float32 range \(a held-out value far from the rest: standardise off, or fix the value\)$/);
  });

  it('names by row and column a number the net cannot hold: past float32 unstandardised, a regression target, 1e400', () => {
    // A feature of 1e39 (float32 ends at 3.4028235e38): refused unstandardised (the engine said x[1][1]); standardised
    // it is one of three values (the table's own scale), finite.
    const t = parseTable('a,b,y\n1,2,0\n3,1e39,1\n5,6,1\n');
    const e = thrown(() => buildDataset(t, { features: [0, 1], label: 2 }));
    expect(e.field).toBe("row 3, column 2 ('b')");
    expect(e.message).toMatch(/'1e39' — outside the float32 range: .*standardise the features, or fix the value/);
    expect(buildDataset(t, { features: [0, 1], label: 2, standardise: true }).x.every((r) => r.every(Number.isFinite))).toBe(true);
    // float32's own max (as the engine takes it) is a number it holds.
    expect(buildDataset(parseTable('a,y\n3.4028235e38,0\n1,1\n'), { features: [0], label: 1 }).x[0]).toEqual([3.4028235e38]);
    // A regression target past float32 (the engine said y[1][0], the row counted in the training rows).
    const r = thrown(() => buildDataset(parseTable('a,y\n1,0.5\n2,-1e39\n3,7\n'), { features: [0], label: 1 }));
    expect(r.field).toBe("row 3, column 2 ('y')");
    expect(r.message).toMatch(/'-1e39' — outside the float32 range/);
    // A number too large for a double ('1e400' is Infinity) is not called "not a number", standardised or not.
    for (const standardise of [false, true]) {
      const inf = thrown(() => buildDataset(parseTable('a,y\n1,0\n1e400,1\n'), { features: [0], label: 1, standardise }));
      expect(inf.field).toBe("row 3, column 1 ('a')");
      expect(inf.message).toMatch(/'1e400' — too large for any number \(it reads as Infinity\)/);
    }
    const lab = thrown(() => buildDataset(parseTable('a,y\n1,0\n2,1\n3,1e400\n4,1\n'), { features: [0], label: 1 }));
    expect(lab.field).toBe("row 4, column 2 ('y')");
    expect(lab.message).toMatch(/'1e400' — too large for any number/);
  });

  it('refuses a label that is also a feature, and a validation fraction out of range', () => {
    const t = parseTable('a,y\n1,0\n2,1\n');
    expect(thrown(() => buildDataset(t, { features: [0, 1], label: 1 })).field).toBe('label');
    expect(thrown(() => buildDataset(t, { features: [0], label: 1, validation: 0.9 })).field).toBe('validation');
    expect(thrown(() => buildDataset(t, { features: [], label: 1 })).field).toBe('features');
    // The dialog's field is a percentage: its error says so, in the unit typed (60, not 0.6).
    expect(() => validationFraction(60)).toThrow(/^validation %: must be a percentage 0 … 50, got 60$/);
    expect(() => validationFraction(-1)).toThrow(SpecError);
    expect(() => validationFraction(Number.NaN)).toThrow(/validation %/);
    expect(validationFraction(25)).toBe(0.25);
    expect(validationFraction(0)).toBe(0);
    // The hidden units field, by its own name (the engine's was layers[0].units, which the dialog does not show).
    expect(() => hiddenUnits(0)).toThrow(/^hidden units: must be a whole number 1 … 64, got 0$/);
    expect(() => hiddenUnits(2.5)).toThrow(/^hidden units: must be a whole number 1 … 64, got 2.5$/);
    // Over the field's max (64): a typed 65 was built.
    expect(() => hiddenUnits(65)).toThrow(/^hidden units: must be a whole number 1 … 64, got 65$/);
    expect(hiddenUnits(8)).toBe(8);
    expect(hiddenUnits(64)).toBe(64);
    expect(hiddenUnits(1)).toBe(1);
  });
});

describe('standardise (review mutants4)', () => {
  it("a constant huge column: centred (0), its scale's std 1 in the column's units (as a constant small column's)", () => {
    const huge = buildDataset(parseTable('a,y\n1e300,0\n1e300,1\n'), { features: [0], label: 1, standardise: true });
    const small = buildDataset(parseTable('a,y\n3,0\n3,1\n'), { features: [0], label: 1, standardise: true });
    expect(huge.x).toEqual([[0], [0]]);
    expect(small.scale!.std[0]).toBe(1);
    expect(huge.scale!.std[0]).toBe(1);
    expect(huge.scale!.mean[0]).toBe(1e300);
  });
});
