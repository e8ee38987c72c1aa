/**
 * The Your data dialog (src/lab/import-panel.ts) in Node, on the stand-in DOM of test/lib/fake-dom.ts: Read offers the
 * columns (the last one the label, its own box unticked and off), the task line for the columns chosen, the line's
 * "Edited" note, and Train on this data handing the page its data set. Expected lines by hand from table.ts's rules
 * (text labels are class names, sorted; numbers that are not all whole are a regression) and the dialog's wording.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EDITED, ImportPanel } from '../src/lab/import-panel.ts';
import type { PresetData } from '../src/lab/presets.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { importDialogDom } from './lib/import-dialog.ts';

let els: Map<string, FakeElement>;
const el = (id: string): FakeElement => els.get(id)!;
/** The feature boxes, by column. */
const boxes = (): FakeElement[] => el('feature-list').querySelectorAll('input');

const CLOUDS = 'x1,x2,label\n1,2,yes\n3,4,no\n5,6,yes\n7,8,no';

let used: { data: PresetData; file: string }[];
let useFails: Error | null;

function panel(): ImportPanel {
  return new ImportPanel(async (data, file) => {
    if (useFails) throw useFails;
    used.push({ data, file });
  });
}

beforeEach(() => {
  els = importDialogDom();
  used = [];
  useFails = null;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Read', () => {
  it('offers the columns: the last is the label, the others ticked; the task line says what it learns', () => {
    const p = panel();
    p.read(CLOUDS, 'clouds.csv');
    expect(el('label-column').value).toBe('2');
    expect(boxes().map((b) => [b.value, b.checked, b.disabled])).toEqual([['0', true, false], ['1', true, false], ['2', false, true]]);
    expect(el('table-columns').hidden).toBe(false);
    expect(el('task-out').textContent).toBe("4 rows, 2 features; label 'label' is 2 classes (no, yes): sigmoid output, binary cross-entropy. Two features: the Output shows the decision boundary. Read as comma-separated.");
    expect(el('table-use').disabled).toBe(false);
    expect(el('import-out').textContent).toBe('');
  });

  it('one feature unticked: "1 feature", no boundary; none ticked: Train on this data is off', () => {
    const p = panel();
    p.read(CLOUDS, 'clouds.csv');
    boxes()[1].checked = false;
    el('feature-list').dispatch('change');
    expect(el('task-out').textContent).toBe("4 rows, 1 feature; label 'label' is 2 classes (no, yes): sigmoid output, binary cross-entropy. Read as comma-separated.");
    boxes()[0].checked = false;
    el('feature-list').dispatch('change');
    expect(el('table-use').disabled).toBe(true);
  });

  it('no feature ticked: the line names the field and says what to do; ticking one clears it', () => {
    const p = panel();
    p.read(CLOUDS, 'clouds.csv');
    for (const b of boxes()) b.checked = false;
    el('feature-list').dispatch('change');
    expect(el('table-use').disabled).toBe(true);
    expect(el('import-out').textContent).toBe('features: choose at least one feature column');
    boxes()[0].checked = true;
    el('feature-list').dispatch('change');
    expect(el('table-use').disabled).toBe(false);
    expect(el('import-out').textContent).toBe('');
  });

  it('another label: its box off, every other column ticked; numbers not all whole are a regression', () => {
    const p = panel();
    p.read('a,b,c\n0.5,1.5,0\n1,2,1\n2.5,3,0', 'nums.csv');
    el('label-column').value = '0';
    el('label-column').dispatch('change');
    expect(boxes().map((b) => [b.checked, b.disabled])).toEqual([[false, true], [true, false], [true, false]]);
    expect(el('task-out').textContent).toBe("3 rows, 2 features; label 'a' is real-valued: regression (identity output, MSE). Read as comma-separated, decimal points.");
  });

  it('says how the file was read: a German Excel CSV is semicolon-separated with decimal commas, and trains as such', async () => {
    const p = panel();
    p.read('Größe;Gewicht;label\n1,72;65,3;a\n1,80;80,1;b\n1,65;55;a\n', 'de.csv');
    expect(el('task-out').textContent).toBe("3 rows, 2 features; label 'label' is 2 classes (a, b): sigmoid output, binary cross-entropy. Two features: the Output shows the decision boundary. Read as semicolon-separated, decimal commas.");
    expect(el('import-out').textContent).toBe('');
    el('table-use').click();
    await vi.waitFor(() => expect(used).toHaveLength(1));
    expect(used[0].data.spec.x).toEqual([[1.72, 65.3], [1.8, 80.1], [1.65, 55]]);
  });

  it('a chosen file is read from its bytes (UTF-16 too); one refused drops the table read before, Train on this data off', async () => {
    panel(); // wires the file input
    const choose = (name: string, bytes: Uint8Array): void => {
      Object.assign(el('import-table'), { files: [{ name, arrayBuffer: async () => new Uint8Array(bytes).buffer }] });
      el('import-table').dispatch('change');
    };
    // Excel's Unicode Text: FF FE, then UTF-16LE, tab-separated, decimal commas.
    choose('de.txt', Buffer.from('\ufeffGröße\tGewicht\tlabel\n1,72\t65,3\ta\n1,80\t80,1\tb\n', 'utf16le'));
    await vi.waitFor(() => expect(el('task-out').textContent).toMatch(/^2 rows, 2 features; .* Read as tab-separated, decimal commas\.$/));
    expect(el('table-use').disabled).toBe(false);
    // The same table saved as Windows-1252 (ö = F6): refused by its name, and de.txt's table is not kept behind the
    // error (Train on this data trained it, the line naming the other file).
    choose('de.csv', Uint8Array.from([0x47, 0x72, 0xf6, 0xdf, 0x65, 0x3b, 0x79, 0x0a, 0x31, 0x3b, 0x30]));
    await vi.waitFor(() => expect(el('import-out').textContent).toMatch(/^de\.csv: is not UTF-8 text: row 1 has the byte 0xF6 after 'Gr'/));
    expect(el('table-use').disabled).toBe(true);
    expect(el('table-columns').hidden).toBe(true);
    el('table-use').click();
    await Promise.resolve();
    expect(used).toEqual([]);
  });

  it('a chosen file is in the text box before it is parsed (a row its error names is there to fix); a refused file empties it', async () => {
    panel();
    const choose = (name: string, text: string | Uint8Array): void => {
      const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
      Object.assign(el('import-table'), { files: [{ name, arrayBuffer: async () => new Uint8Array(bytes).buffer }] });
      el('import-table').dispatch('change');
    };
    choose('clouds.csv', CLOUDS);
    await vi.waitFor(() => expect(el('task-out').textContent).toMatch(/^4 rows, 2 features/));
    expect(el('table-text').value).toBe(CLOUDS);
    // Row 3 has 2 cells of 3: the error names it, and the box holds this file (it kept clouds.csv's text).
    const short = 'x1,x2,label\n1,2,yes\n3,4\n';
    choose('short.csv', short);
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('row 3: has 2 cells but the header has 3 columns'));
    expect(el('table-text').value).toBe(short);
    // A file that is not UTF-8 (Windows-1252's ö, F6): nothing to show, and Read no longer brings clouds.csv back.
    choose('clouds.csv', CLOUDS);
    await vi.waitFor(() => expect(el('table-text').value).toBe(CLOUDS));
    expect(el('table-use').disabled).toBe(false);
    choose('de.csv', Uint8Array.from([0x47, 0x72, 0xf6, 0x0a]));
    await vi.waitFor(() => expect(el('import-out').textContent).toMatch(/^de\.csv: is not UTF-8 text/));
    expect(el('table-text').value).toBe('');
    el('table-read').click();
    expect(el('table-use').disabled).toBe(true);
  });

  it('a file refused after an edit says only why it was refused: no "Edited" note on its error (mut59)', async () => {
    const p = panel();
    p.read(CLOUDS, 'clouds.csv');
    el('table-text').dispatch('input');
    expect(el('import-out').textContent).toBe(EDITED);
    // Windows-1252's ö (F6): refused, the box emptied; nothing is left edited to read again.
    Object.assign(el('import-table'), { files: [{ name: 'de.csv', arrayBuffer: async () => Uint8Array.from([0x47, 0x72, 0xf6, 0x0a]).buffer }] });
    el('import-table').dispatch('change');
    await vi.waitFor(() => expect(el('import-out').textContent).toMatch(/^de\.csv: is not UTF-8 text: row 1 has the byte 0xF6 after 'Gr'/));
    expect(el('import-out').textContent).toMatch(/ and choose that file$/);
  });

  it('the text box shows a table of 30 000 characters whole, and one past 200 000 cut there with an ellipsis line', () => {
    const p = panel();
    // 3 750 rows of '1,2,yes\n' (8 characters) under the header: 12 + 30 000 characters.
    const mid = `x1,x2,label\n${'1,2,yes\n'.repeat(3750)}`;
    p.read(mid, 'mid.csv');
    expect(el('table-text').value).toBe(mid);
    const big = `x1,x2,label\n${'1,2,yes\n'.repeat(25_000)}`; // 200 012 characters
    p.read(big, 'big.csv');
    expect(el('table-text').value).toBe(`${big.slice(0, 200_000)}\n…`);
    expect(el('table-text').value).toHaveLength(200_002);
  });

  it('a table that cannot be read: the error on the line, the columns hidden, Train on this data off', () => {
    const p = panel();
    p.read(CLOUDS, 'clouds.csv');
    p.read('x1,x2,label\n1,2\n', 'bad.csv');
    expect(el('import-out').textContent).toMatch(/row/); // parseTable names the row with the wrong number of cells
    expect(el('table-columns').hidden).toBe(true);
    expect(el('table-use').disabled).toBe(true);
  });
});

describe('the text box edited after a Read', () => {
  it('the line adds the Edited note once; before any Read an edit says nothing; a Read takes the note away', () => {
    const p = panel();
    el('table-text').dispatch('input');
    expect(el('import-out').textContent).toBe('');
    p.read(CLOUDS, 'clouds.csv');
    el('table-text').dispatch('input');
    expect(el('import-out').textContent).toBe(EDITED);
    expect(EDITED).toBe('Edited: press Read again to check the new text and train on it.');
    p.read(CLOUDS, 'clouds.csv');
    expect(el('import-out').textContent).toBe('');
  });
});

describe('Train on this data', () => {
  it('says whether the features were standardised (the decision boundary names its axes "x1 (standardised)")', async () => {
    const p = panel();
    p.open();
    p.read(CLOUDS, 'clouds.csv');
    el('standardise').checked = true;
    el('table-use').click();
    await vi.waitFor(() => expect(used).toHaveLength(1));
    expect(used[0].data.imported?.standardised).toBe(true);
  });

  it('hands the page a 2-D data set named by the file and the hidden units, then empties and closes the dialog', async () => {
    const p = panel();
    p.open();
    expect(el('import-dialog').open).toBe(true);
    p.read(CLOUDS, 'clouds.csv');
    el('table-use').click();
    await vi.waitFor(() => expect(used).toHaveLength(1));
    const { data, file } = used[0];
    expect(file).toBe('clouds.csv');
    expect(data.kind).toBe('2d');
    expect(data.spec.name).toBe('clouds: 2-8-1');
    expect(data.classes).toBe(2);
    expect(data.validation).toBeUndefined();
    expect(data.imported).toEqual({ file: 'clouds.csv', task: 'binary', classNames: ['no', 'yes'], features: ['x1', 'x2'], label: 'label', standardised: false });
    expect(el('import-dialog').open).toBe(false);
    expect(el('table-text').value).toBe('');
    expect(el('table-use').disabled).toBe(true);
  });

  it('hidden units over 64 are refused naming the field; nothing is handed over, the dialog stays open', async () => {
    const p = panel();
    p.open();
    p.read(CLOUDS, 'clouds.csv');
    el('import-hidden').value = '65';
    el('table-use').click();
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('hidden units: must be a whole number 1 … 64, got 65'));
    expect(used).toHaveLength(0);
    expect(el('import-dialog').open).toBe(true);
    expect(el('import-hidden').max).toBe('64');
  });

  it('a load that fails: its message on the line, the dialog open', async () => {
    const p = panel();
    p.open();
    p.read(CLOUDS, 'clouds.csv');
    useFails = new Error('the backend refused');
    el('table-use').click();
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('the backend refused'));
    expect(el('import-dialog').open).toBe(true);
  });
});

/**
 * The control an error is about is tied to the line that says it (WCAG 3.3.1): aria-invalid="true" and
 * aria-describedby the line (#import-out), so that a screen reader landing on it hears it is wrong and why. Before,
 * only the line said it: the text box with a bad cell, the Label menu of a one-value label and a hidden-units value the
 * browser's min/max did not flag were announced as fine.
 */
describe('an error tied to its control', () => {
  const marked = (id: string): [string | null, string | null] => [el(id).getAttribute('aria-invalid'), el(id).getAttribute('aria-describedby')];
  const ALL = ['table-text', 'label-column', 'validation', 'import-hidden'];
  const unmarked = (except: string): void => {
    for (const id of ALL.filter((i) => i !== except)) expect(marked(id), id).toEqual([null, null]);
  };

  it('a bad cell: the text box is marked, also once edited; a good table read takes the mark away', () => {
    const p = panel();
    p.read('x1,x2,label\n1,tall,yes\n3,4,no', 'bad.csv');
    expect(el('import-out').textContent).toBe("row 2, column 2 ('x2'): 'tall' — text: features must be numbers, and the lab does not encode text: untick column 'x2', or encode it as numbers first (one 0/1 column for each of its values)");
    expect(marked('table-text')).toEqual(['true', 'import-out']);
    unmarked('table-text');
    // The cell fixed in the box but not read yet: still the table as read, still marked.
    el('table-text').dispatch('input');
    expect(el('import-out').textContent).toBe(`row 2, column 2 ('x2'): 'tall' — text: features must be numbers, and the lab does not encode text: untick column 'x2', or encode it as numbers first (one 0/1 column for each of its values) ${EDITED}`);
    expect(marked('table-text')).toEqual(['true', 'import-out']);
    p.read(CLOUDS, 'clouds.csv');
    expect(marked('table-text')).toEqual([null, null]);
  });

  it('a label of one value: the Label menu is marked; another label column takes the mark away', () => {
    const p = panel();
    p.read('a,b,y\n1,0,0\n2,1,0\n3,0,0', 'one.csv');
    expect(el('import-out').textContent).toBe("column 3 ('y'): has one label value only ('0'): nothing to learn");
    expect(marked('label-column')).toEqual(['true', 'import-out']);
    unmarked('label-column');
    el('label-column').value = '1';
    el('label-column').dispatch('change');
    expect(el('import-out').textContent).toBe('');
    expect(marked('label-column')).toEqual([null, null]);
  });

  it('hidden units refused: that field is marked, and unmarked once the data trains', async () => {
    const p = panel();
    p.open();
    p.read(CLOUDS, 'clouds.csv');
    el('import-hidden').value = '0';
    el('table-use').click();
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('hidden units: must be a whole number 1 … 64, got 0'));
    expect(marked('import-hidden')).toEqual(['true', 'import-out']);
    unmarked('import-hidden');
    el('import-hidden').value = '3';
    el('table-use').click();
    await vi.waitFor(() => expect(used).toHaveLength(1));
    expect(marked('import-hidden')).toEqual([null, null]);
  });

  it('a validation % refused marks that field; an error about no control (the load failed) marks none', async () => {
    const p = panel();
    p.open();
    p.read(CLOUDS, 'clouds.csv');
    el('validation').value = '60';
    el('table-use').click();
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('validation %: must be a percentage 0 … 50, got 60'));
    expect(marked('validation')).toEqual(['true', 'import-out']);
    unmarked('validation');
    el('validation').value = '0';
    useFails = new Error('the backend refused');
    el('table-use').click();
    await vi.waitFor(() => expect(el('import-out').textContent).toBe('the backend refused'));
    unmarked('');
  });
});

describe('the task line\'s notes (table.ts columnNotes)', () => {
  it('says an ID column is ticked, and drops the note when it is unticked', () => {
    const p = panel();
    p.read('id,x,label\n1,0.5,a\n2,0.1,b\n3,0.7,a\n', 'ids.csv');
    const id = "Column 1 ('id') counts 1, 2, 3, one a row: a row number or ID, not a measurement? Untick it: kept, the net learns the file's order (a file sorted by its label gives that away).";
    expect(el('task-out').textContent).toBe(`3 rows, 2 features; label 'label' is 2 classes (a, b): sigmoid output, binary cross-entropy. Two features: the Output shows the decision boundary. Read as comma-separated, decimal points. ${id}`);
    expect(el('table-use').disabled).toBe(false);
    boxes()[0].checked = false;
    el('feature-list').dispatch('change');
    expect(el('task-out').textContent).toBe("3 rows, 1 feature; label 'label' is 2 classes (a, b): sigmoid output, binary cross-entropy. Read as comma-separated, decimal points.");
  });

  it('says a huge feature is unstandardised, and drops the note when standardise is ticked', () => {
    const p = panel();
    el('standardise').checked = false;
    p.read('big,small,label\n-1197000,-0.000666,0\n1144000,0.000364,1\n-52.5,0.001,1\n', 'scales.csv');
    const line = "3 rows, 2 features; label 'label' is 2 classes (0, 1): sigmoid output, binary cross-entropy. Two features: the Output shows the decision boundary. Read as comma-separated, decimal points.";
    expect(el('task-out').textContent).toBe(`${line} Standardise is off and column 1 ('big') reaches |x| = 1197000: tanh saturates on inputs past about 3, so the net barely learns, and it drowns the other features; tick standardise.`);
    el('standardise').checked = true;
    el('standardise').dispatch('change');
    expect(el('task-out').textContent).toBe(line);
  });
});
