/**
 * The guards and the drawing of any classification's confusion matrices that test/lab-class-confusion.test.ts left
 * open (found by the mutation audit mut61b): a class-name list of the wrong length, too many outputs, a net whose
 * outputs do not match the targets' width, validation rows of another width, the cells' shading and zero class, and
 * drawClassConfusion itself (its names for a one-output net, each table's own caption, the work guard). Every count
 * and caption below is worked by hand from the rows and weights written here.
 */
import { describe, expect, it } from 'vitest';
import { classRows, drawClassConfusion } from '../src/lab/class-confusion.ts';
import { classNamesFor, predictedClasses } from '../src/lab/class-tally.ts';
import { confusionTable } from '../src/lab/confusion.ts';
import { validateNet } from '../src/spec.ts';
import { FakeEl, tableDoc } from './lib/fake-table.ts';

describe('guards', () => {
  it('names only where the data names every class: 3 names for 2 classes are not used', () => {
    expect(classNamesFor(2, ['a', 'b', 'c'])).toEqual(['class 0', 'class 1']);
  });

  it('more output values than K × n is refused, naming the outputs', () => {
    expect(() => predictedClasses(new Float32Array(7), 3, 2)).toThrow('confusion.outputs: has 7 values for 2 rows of 3 outputs (needs 6)');
  });

  it('one sigmoid output against one-hot targets of 3 classes: no table (the outputs do not match the classes)', () => {
    const bce = validateNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const lab = { x: [[0, 0], [1, 1]], y: [[1, 0, 0], [0, 0, 1]] };
    expect(classRows({ net: bce, lab } as never, { kind: 'custom' })).toBeUndefined();
  });

  it('validation rows whose targets are of another width than the training rows\': no validation table', () => {
    const bce = validateNet({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
    const lab = { x: [[0], [1]], y: [[0], [1]] };
    const validation = { x: [[2]], y: [[0, 1]], labels: [1] };
    expect(classRows({ net: bce, lab } as never, { kind: 'custom', validation })?.map((r) => r.which)).toEqual(['Training rows']);
  });
});

describe('the cells', () => {
  it('a hit blue, a miss orange, each at 0.12 + 0.88 × its share of the row; a zero neither, class confusion-zero', () => {
    const table = confusionTable(tableDoc(), { matrix: [[1, 0, 0], [1, 1, 1], [1, 0, 1]], accuracy: 0.5 }, { names: ['a', 'b', 'c'], caption: '' }) as unknown as FakeEl;
    const td = table.all().filter((e) => e.tag === 'td');
    // Row b: 1 of 3 each, alpha 0.12 + 0.88 / 3 = 0.41333… → 0.413.
    expect(td[4].style.backgroundColor).toBe('rgba(0, 114, 178, 0.413)');
    expect(td[3].style.backgroundColor).toBe('rgba(230, 159, 0, 0.413)');
    expect(td[1].className).toBe('confusion-zero');
    expect(td[1].style.backgroundColor).toBeUndefined();
  });
});

describe('drawClassConfusion', () => {
  // ŷ = σ(x): class 1 at x ≥ 0 (σ(0) = 0.5 included).
  const net = validateNet({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
  const params = { W: [Float32Array.from([1])], b: [Float32Array.from([0])] };

  it('one output, names fail / pass: a table of the training rows and one of the validation rows, each its own caption', () => {
    // Training x 2, −1, 0, true 1, 0, 0 → predicted 1, 0, 1: true fail [1, 1], true pass [0, 1]; 2 of 3.
    // Validation x −3, 4, true 0, 0 → predicted 0, 1: true fail [1, 1], true pass [0, 0]; 1 of 2.
    const s = { net, params, lab: { x: [[2], [-1], [0]], y: [[1], [0], [0]] } };
    const d = { kind: 'custom', spec: {}, validation: { x: [[-3], [4]], y: [[0], [0]], labels: [0, 0] }, imported: { classNames: ['fail', 'pass'] } };
    const doc = tableDoc();
    const host = new FakeEl('div', doc);
    const after = new FakeEl('p', doc);
    host.hidden = true;
    drawClassConfusion(host as never, after as never, s as never, d as never);
    expect(host.hidden).toBe(false);
    expect(after.nextElementSibling).toBe(host);
    const captions = host.all().filter((e) => e.tag === 'caption').map((e) => e.textContent);
    expect(captions).toEqual([
      "Training rows: accuracy 66.7 % (2 of 3). Rows: true class; columns: predicted class. Recall, each true class's share predicted right — fail: 50.0 % (1 of 2); pass: 100.0 % (1 of 1).",
      "Validation rows: accuracy 50.0 % (1 of 2). Rows: true class; columns: predicted class. Recall, each true class's share predicted right — fail: 50.0 % (1 of 2); pass: no rows.",
    ]);
    const tables = host.all().filter((e) => e.tag === 'table');
    expect(tables.map((t) => t.all().filter((e) => e.tag === 'td').map((e) => e.textContent))).toEqual([['1', '1', '0', '1'], ['1', '1', '0', '0']]);
    expect(tables[0].all().filter((e) => e.tag === 'th').map((e) => e.textContent)).toEqual(['true ↓ / predicted →', 'fail', 'pass', 'fail', 'pass']);
  });
});
