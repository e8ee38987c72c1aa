/**
 * Your own data in the lab: a CSV or TSV table (a header row, then one example per row) → the lab's data set.
 * No DOM here (Node tests: test/lab-table.test.ts); the import panel (import-panel.ts) only reads files and shows the choices.
 *
 *   tableText(bytes, file)       a file's bytes → text (UTF-8, or UTF-16 by its mark; a Windows encoding refused):
 *                                ./table-text.ts, re-exported here
 *   parseTable(text)             text → header + cells (comma, tab or semicolon; "quoted, fields" with "" escapes;
 *                                decimal commas in a `;`- or tab-separated file whose numbers have no decimal point)
 *   inferTask(table, label)      what the label column is: two classes → BCE, more → softmax-CE, real → regression
 *   buildDataset(table, choice)  the chosen feature and label columns → x, y (+ a validation part), optionally
 *                                standardised with the TRAINING rows' mean and standard deviation
 *   specForDataset(data, …)      a RowsSpec for it: tanh hidden layers and the output / loss the task needs
 *
 * Rows are numbered as a spreadsheet numbers them: the header is row 1, the first example row 2. Every error is a
 * SpecError naming the row and the column of the first bad cell, thrown before anything is built.
 */
import { SpecError } from '../errors.ts';
import { mulberry32 } from '../init.ts';
import type { RowsSpec } from '../spec.ts';
import { FLOAT32_MAX } from '../checks.ts';
import { count } from './words.ts';

export { tableText } from './table-text.ts';

export interface Table {
  header: string[];
  /** One array of cells per example row (blank lines dropped). */
  rows: string[][];
  /** The row number (1-based, the header is 1) of each entry of rows: blank lines are skipped, not renumbered. */
  lineOf: number[];
  delimiter: ',' | '\t' | ';';
  /**
   * The numbers' decimal mark: ',' where the file is `;`- or tab-separated, some number cell has a decimal comma
   * ('1,72', '1,5E-3') and none a decimal point; else '.' (a comma-separated file's quoted "1,234" is never read as
   * 1.234: a decimal comma or a thousands separator, it is not guessed; nor a tab-separated file's where every comma
   * cell has a thousands separator's shape, 1–3 digits, not 0, then three).
   */
  decimal: '.' | ',';
  /**
   * Empty columns dropped at the end (no header name, no cell in any row: Excel's trailing delimiter, 'a,b,label,').
   * NOTE: kept, the Label menu defaulted to it and the line said "column 4 ('column 4'): the cell is empty — every
   * example needs a label".
   */
  dropped: number;
  /**
   * Row 1 is numbers — every cell, or some and each other a name its column has below (iris.data's 'Iris-setosa') —:
   * a file without a header row, read as data, its columns named 'column 1' … NOTE: it was the header, its example
   * lost and '0.525' offered as a column's name, without a word.
   */
  headerless: boolean;
}

export type Task = 'binary' | 'multiclass' | 'regression';

/** A label column with more distinct values than this is a real-valued target (numbers) or an error (text). */
const MAX_CLASSES = 20;
/** Tables bigger than this are refused before parsing (the page keeps everything in memory, twice). */
const MAX_CELLS = 2_000_000;
/**
 * Texts longer than this are refused before splitting: 25 characters a cell, so MAX_CELLS cells as pandas writes
 * float64 (its shortest round-trip repr, up to 17 significant digits) fit: the longest, '-1.2345678901234567e-05', is
 * 23, with its comma 24, and a row's CRLF one more. NOTE: it was 4 a cell (8 M characters), so a table of 2 000 000
 * ordinary cells ('-0.1234,': 8 characters) was refused as "more than the lab holds (about 2000000 cells)"; then 16,
 * so pandas' 100 000 × 20 table of '0.7193837462910284,' (19 a cell, 38 MB) was refused on its characters.
 */
const MAX_CHARS = MAX_CELLS * 25;
/**
 * Columns beyond this are refused (ten times an MNIST CSV's 785). NOTE: the dialog offers every column as a box and a
 * Label choice: a 1.5 MB file of 500 000 columns (within MAX_CELLS) froze the page for a minute laying them out.
 */
export const MAX_COLUMNS = 10_000;

export interface DatasetChoice {
  /** Column indices of the inputs. */
  features: number[];
  /** Column index of the label. */
  label: number;
  /** Subtract each feature's mean and divide by its standard deviation (both from the training rows). */
  standardise?: boolean;
  /** Fraction of the rows held out for validation, 0 … 0.5 (default 0). */
  validation?: number;
  /** Seed of the shuffle that picks the validation rows (default 1). */
  seed?: number;
}

export interface Dataset {
  task: Task;
  featureNames: string[];
  labelName: string;
  /** Training rows. */
  x: number[][];
  y: number[][];
  /** Validation rows (empty when validation is 0). */
  xVal: number[][];
  yVal: number[][];
  /** Classification: number of classes, the label value each class stands for, the class of each row. */
  classes: number;
  classNames: string[];
  labels: number[];
  labelsVal: number[];
  /** Standardisation applied (per feature), if any. */
  scale?: { mean: number[]; std: number[] };
}

function detectDelimiter(firstLine: string): Table['delimiter'] {
  if (firstLine.includes('\t')) return '\t';
  if (firstLine.includes(';') && !firstLine.includes(',')) return ';';
  return ',';
}

/** One character String.prototype.trim removes (JavaScript's \s: white space and line terminators). */
const BLANK = /^\s$/;

/** Split text into rows of cells: quoted fields may hold the delimiter, "" stands for a quote, CRLF is fine. */
function splitCells(text: string, delimiter: string): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  // Whether `cell` is blanks only so far (what cell.trim() === '' says): a quote then opens a quoted field. NOTE: kept
  // as a flag: cell.trim() at every quote copied the cell so far, and a cell of 400 000 quotes took a minute.
  let blank = true;
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (quoted) {
      if (ch === '"' && text[k + 1] === '"') { cell += '"'; blank = false; k++; }
      else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; cell += ch; if (blank && !BLANK.test(ch)) blank = false; }
    } else if (ch === '"' && blank) { quoted = true; cell = ''; }
    else if (ch === delimiter) { cells.push(cell); cell = ''; blank = true; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[k + 1] === '\n') k++;
      cells.push(cell);
      out.push({ cells, line: start });
      cells = []; cell = ''; blank = true; line++; start = line;
    } else { cell += ch; if (blank && !BLANK.test(ch)) blank = false; }
  }
  if (quoted) throw new SpecError(`row ${start}`, 'a quoted field is not closed (a " without its closing ")');
  if (cell !== '' || cells.length > 0) { cells.push(cell); out.push({ cells, line: start }); }
  return out.map((r) => ({ cells: r.cells.map((c) => c.trim()), line: r.line }));
}

/** Rows (header first) of one cell count, at least two: a table its delimiter fits. */
const fits = (all: { cells: string[] }[]): boolean => all.length > 0 && all[0].cells.length >= 2 && all.every((r) => r.cells.length === all[0].cells.length);

/** splitCells without its blank rows, or undefined where it throws (a quote not closed). */
function trySplit(text: string, delimiter: string): { cells: string[]; line: number }[] | undefined {
  try {
    return splitCells(text, delimiter).filter((r) => r.cells.some((c) => c !== ''));
  } catch {
    return undefined;
  }
}

/**
 * Parse a CSV / TSV table with a header row. Throws SpecError naming the row of a row with the wrong number of cells,
 * and the column of a header name given twice.
 */
export function parseTable(text: string): Table {
  const clean = text.replace(/^\uFEFF/, '');
  if (clean.length > MAX_CHARS) throw new SpecError('table', `is ${clean.length} characters, more than the ${MAX_CHARS} the lab reads (${MAX_CELLS} cells at most): keep fewer rows (a random sample of them) or fewer columns`);
  const headerLine = clean.slice(0, clean.search(/\r?\n|$/));
  let delimiter = detectDelimiter(headerLine);
  let all = splitCells(clean, delimiter).filter((r) => r.cells.some((c) => c !== ''));
  // NOTE: a semicolon file whose header has a comma ('Gewicht, kg') was read comma-separated: "row 2: has 3 cells but
  // the header has 2 columns". Semicolons are taken where they give every row the header's cells and commas do not.
  if (delimiter === ',' && headerLine.includes(';') && !fits(all)) {
    const semi = trySplit(clean, ';');
    if (semi && fits(semi)) {
      delimiter = ';';
      all = semi;
    }
  }
  if (all.length === 0) throw new SpecError('table', 'is empty: give a header row and at least one row of data');
  const dropped = dropEmptyEnd(all);
  // Row 1 numbers (a decimal point's or a decimal comma's), each other cell a name its column holds below: no header
  // row; the row is data. NOTE: numbers only, iris.data's '5.1,3.5,1.4,0.2,Iris-setosa' was the header, an example lost.
  const headerless = all[0].cells.some(isAnyNumber) && all[0].cells.every((c, j) => isAnyNumber(c) || all.some((r, k) => k > 0 && r.cells[j] === c));
  const head = all[0];
  const body = headerless ? all : all.slice(1);
  const header = head.cells.map((h, j) => (headerless ? '' : h) || `column ${j + 1}`);
  if (header.length < 2) throw new SpecError(`row ${head.line}`, `the header has ${header.length} column; give at least one feature column and one label column (comma, tab or semicolon separated)`);
  if (body.length === 0) throw new SpecError('table', 'has a header but no rows of data');
  if (body.length * header.length > MAX_CELLS) {
    throw new SpecError('table', `has ${body.length} rows × ${header.length} columns = ${body.length * header.length} cells, more than the ${MAX_CELLS} the lab holds: keep at most ${Math.floor(MAX_CELLS / header.length)} rows of these ${header.length} columns (a random sample of the rows), or fewer columns`);
  }
  if (header.length > MAX_COLUMNS) throw new SpecError(`row ${head.line}`, `the header has ${header.length} columns, more than the ${MAX_COLUMNS} the lab offers: keep the feature columns you need and the label`);
  // Two columns of one name could not be told apart in the dialog's choices, the data summary or an error.
  // NOTE: one pass with a Map, after the size checks: header.indexOf per column was quadratic (100 000 columns 7 s,
  // a header of millions froze the page where the cell count had refused it at once).
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    const first = seen.get(h);
    if (first !== undefined) throw new SpecError(`row ${head.line}, column ${j + 1} ('${h}')`, `has the same name as column ${first + 1}: give each column its own name`);
    seen.set(h, j);
  });
  for (const r of body) {
    if (r.cells.length !== header.length) {
      throw new SpecError(`row ${r.line}`, `has ${r.cells.length} cells but the header has ${header.length} columns`);
    }
  }
  const rows = body.map((r) => r.cells);
  // NOTE: a tab-separated file is also an English-language spreadsheet's (a copy pasted here, Excel's "Unicode Text"),
  // whose counts shown with thousands separators, 1,234 and 12,500, were read 1.234 and 12.5: there a decimal comma
  // is read only where some number has one that no thousands separator writes (0,5; 1234,5; 1,5E-3).
  const decimalComma = delimiter === '\t' ? isPlainDecimalComma : isCommaNumber;
  const decimal = delimiter !== ',' && rows.some((r) => r.some(decimalComma)) && !rows.some((r) => r.some(isPointNumber)) ? ',' : '.';
  return { header, rows, lineOf: body.map((r) => r.line), delimiter, decimal, dropped, headerless };
}

/**
 * Drop the rows' last cells while that column is empty in every row, the header's included (Excel's trailing
 * delimiter: 'a,b,label,'); only where every row has the header's cell count (a row of another count is refused by
 * it afterwards). Returns how many were dropped.
 */
function dropEmptyEnd(all: { cells: string[] }[]): number {
  const n = all[0].cells.length;
  let dropped = 0;
  while (n - dropped > 2 && all.every((r) => r.cells.length === n - dropped && r.cells[n - dropped - 1] === '')) {
    for (const r of all) r.cells.pop();
    dropped++;
  }
  return dropped;
}

/** How the file was read, as the dialog says it: "semicolon-separated, decimal commas", "comma-separated". */
export function tableReading(t: Table): string {
  const separated = `${t.delimiter === ',' ? 'comma' : t.delimiter === ';' ? 'semicolon' : 'tab'}-separated`;
  const marks = t.decimal === ',' ? `${separated}, decimal commas` : t.rows.some((r) => r.some(isPointNumber)) ? `${separated}, decimal points` : separated;
  const row1 = t.rows[0].every(isAnyNumber) ? 'row 1 is numbers' : "row 1 is an example: its numbers and names are its columns' values";
  const noHeader = t.headerless ? `; no header row (${row1}): columns named column 1 … column ${t.header.length}` : '';
  const dropped = t.dropped === 0 ? '' : t.dropped === 1 ? '; its empty last column dropped' : `; its ${t.dropped} empty last columns dropped`;
  return marks + noHeader + dropped;
}

/**
 * A decimal number as written in a cell: digits, a sign, a point, an exponent. NOTE: the digits after the point only
 * after a point: written \d+\.?\d*, a run of digits was split between \d+ and \d* every way before the cell failed
 * ('1' × 300 000 then '.x' 107 s; 200 000 digits and a letter a minute), in parseTable's scan of every cell.
 */
const NUMBER_SYNTAX = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** The same with a decimal comma, which it must have: '1,72', '-0,5', '1,5E-3'. */
const COMMA_SYNTAX = /^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$/;
const isCommaNumber = (cell: string): boolean => COMMA_SYNTAX.test(cell);
const isPointNumber = (cell: string): boolean => cell.includes('.') && NUMBER_SYNTAX.test(cell);
/** A number with either decimal mark (before the table's mark is known: row 1 as a header or an example). */
const isAnyNumber = (cell: string): boolean => cellNumber(cell) !== undefined || isCommaNumber(cell);
/** A whole number as an English-language spreadsheet shows it with its thousands separator: '1,234', '-12,500'. */
const THOUSANDS_SYNTAX = /^[+-]?[1-9]\d{0,2},\d{3}$/;
/** A decimal comma that is not also a thousands separator's shape: '0,5', '1,72', '1234,5', '0,125'. */
const isPlainDecimalComma = (cell: string): boolean => isCommaNumber(cell) && !THOUSANDS_SYNTAX.test(cell);

/** A cell in decimal-point form: its decimal comma a point where the table's decimal mark is ',' (else as it is). */
const pointForm = (cell: string, decimal: Table['decimal']): string => (decimal === ',' ? cell.replace(',', '.') : cell);

/**
 * A cell as a number, or undefined (empty, text, NaN, ±Infinity). "1e-3", " 2 " and "-0.5" are numbers; with
 * `decimal` ',' (the table's: parseTable) "1,5" is 1.5 and "1.5" is not a number.
 */
export function cellNumber(cell: string, decimal: Table['decimal'] = '.'): number | undefined {
  if (decimal === ',' && cell.includes('.')) return undefined;
  const text = pointForm(cell, decimal);
  if (!NUMBER_SYNTAX.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** The range every number the net computes with must be in (the engine keeps x and y in float32). */
const FLOAT32_RANGE = `the net computes in float32 (|v| ≤ ${FLOAT32_MAX})`;

/**
 * Why a cell of `table` that cellNumber refused is not a number: a number written too large for any double ('1e400'
 * reads as Infinity) is said to be so, not "not a number"; a decimal comma the table is not read with, by why (a
 * comma-separated file, or a decimal point elsewhere: named); a thousands separator; `otherwise` for text, NaN or an
 * empty cell.
 */
function notNumber(table: Table, cell: string, otherwise: string): string {
  const text = pointForm(cell, table.decimal);
  if (NUMBER_SYNTAX.test(text)) return `too large for any number (it reads as ${Number(text)}); ${FLOAT32_RANGE}`;
  if (isCommaNumber(cell) && table.delimiter === ',') {
    return 'not a number: a decimal comma or a thousands separator? In a comma-separated file the lab does not guess: write numbers with a decimal point and no thousands separator, or save the file semicolon-separated, where decimal commas are read';
  }
  if (isCommaNumber(cell) && table.decimal === '.') {
    // Not comma-separated, and not read with decimal commas: some number has a decimal point, or (tab-separated) every
    // comma is a thousands separator's shape.
    const row = table.rows.findIndex((r) => r.some(isPointNumber));
    if (row < 0) return 'not a number: a decimal comma or a thousands separator? Every comma in this tab-separated file stands before three digits, as a thousands separator does: the lab does not guess; write numbers with a decimal point and no thousands separator, or save the file semicolon-separated, where decimal commas are read';
    const col = table.rows[row].findIndex(isPointNumber);
    return `not a number: it looks like a decimal comma, but ${cellName(table, row, col)} has '${table.rows[row][col]}', a decimal point; a file is read with decimal commas only where no number in it has a decimal point: write every number one way`;
  }
  if (/^[+-]?\d[\d.]*\.\d[\d,]*,\d*$|^[+-]?\d[\d,]*,\d[\d.]*\.\d*$/.test(cell)) return 'not a number: it has both a point and a comma (a thousands separator?): write numbers without thousands separators';
  return otherwise;
}

/** A number that float32 holds (Math.fround finite: 3.4028235e38 rounds to its max, as the engine takes it). */
const inFloat32 = (v: number): boolean => Number.isFinite(Math.fround(v));

/** A cell as an error names it: "row 2, column 1 ('height')" (rows as a spreadsheet numbers them). */
const cellName = (table: Table, row: number, col: number): string => `row ${table.lineOf[row]}, column ${col + 1} ('${table.header[col]}')`;

/**
 * A missing value as files spell one: an empty cell, NA, N/A, NaN, null, None, ?, -, #N/A, missing, nil (any case).
 * NOTE: each was refused as "not a number (features must be numbers)": true, but not what to do about it.
 */
const MISSING = /^(|na|n\/a|nan|null|none|\?|-|#n\/a|missing|nil)$/i;
export const isMissing = (cell: string): boolean => MISSING.test(cell);

/** What the lab says of a missing value: it does not fill them in (imputation is the student's choice, not the lab's). */
const NO_FILL = 'the lab does not fill in missing values (empty, NA, N/A, ?, null, NaN …)';
/** What to do about `n` rows with a missing value. */
const deleteRows = (n: number): string => `delete ${n === 1 ? 'that row' : 'those rows'} (pandas: df.dropna(); a spreadsheet: filter each column for them)`;

/** "2 rows … (rows 3, 5)": the rows (as numbered: lineOf) of `table` where `has` holds, the first five listed. */
function rowsWith(table: Table, has: (r: string[]) => boolean): { n: number; list: string } {
  const rows: number[] = [];
  table.rows.forEach((r, k) => { if (has(r)) rows.push(table.lineOf[k]); });
  return { n: rows.length, list: `${rows.length === 1 ? 'row' : 'rows'} ${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', …' : ''}` };
}

/** Why a label cell is missing: the rows without one (`missing` says which cells count) and what to do. */
function missingLabel(table: Table, label: number, missing: (c: string) => boolean): string {
  const { n, list } = rowsWith(table, (r) => missing(r[label]));
  return `a missing label: ${NO_FILL}; ${count(n, 'row')} ${n === 1 ? 'has' : 'have'} none (${list}): ${deleteRows(n)}`;
}

/** A date as spreadsheets write one: 2024-01-31, 31/01/2024, 1.31.2024, 2024-01-31T12:00 … */
const DATE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})([T ].*)?$/;

/**
 * Why a feature cell that is not a number is refused (after notNumber's reasons: a comma, too large): a missing value
 * (the rows of the chosen features that have one counted), a date, or text — each with what to do.
 */
function notFeature(table: Table, features: number[], col: number, cell: string): string {
  if (isMissing(cell)) {
    const { n, list } = rowsWith(table, (r) => features.some((f) => isMissing(r[f])));
    return `a missing value: ${NO_FILL}; ${count(n, 'row')} of the chosen columns ${n === 1 ? 'has' : 'have'} one (${list}): ${deleteRows(n)}, or untick the columns that have them`;
  }
  const untick = `untick column '${table.header[col]}'`;
  if (DATE.test(cell)) return `a date: features must be numbers, and the lab does not turn dates into numbers: ${untick}, or replace it by a number first (days since the first date, the month, the weekday …)`;
  return `text: features must be numbers, and the lab does not encode text: ${untick}, or encode it as numbers first (one 0/1 column for each of its values)`;
}

function badCell(table: Table, row: number, col: number, why: string): SpecError {
  const cell = table.rows[row][col];
  return new SpecError(cellName(table, row, col), `${cell === '' ? 'the cell is empty' : `'${cell}'`} — ${why}`);
}

/** What the label column asks for, and its classes (sorted: numbers by value, text alphabetically). */
export function inferTask(table: Table, label: number): { task: Task; classNames: string[]; numeric: boolean } {
  checkColumn(table, label, 'label');
  const cells = table.rows.map((r) => r[label]);
  const num = (c: string) => cellNumber(c, table.decimal);
  const numeric = cells.every((c) => num(c) !== undefined);
  const distinct = [...new Set(numeric ? cells.map((c) => String(num(c))) : cells)];
  if (numeric) {
    const values = distinct.map(Number).sort((a, b) => a - b);
    const integers = values.every((v) => Number.isInteger(v));
    // As a text label: one value is a mistake (a file of one class), not a regression on a constant.
    if (values.length < 2) throw new SpecError(`column ${label + 1} ('${table.header[label]}')`, `has one label value only ('${distinct[0]}'): nothing to learn`);
    if (values.length === 2) return { task: 'binary', classNames: values.map(String), numeric };
    if (integers && values.length > 2 && values.length <= MAX_CLASSES) return { task: 'multiclass', classNames: values.map(String), numeric };
    return { task: 'regression', classNames: [], numeric };
  }
  // Text labels are class names — unless a number-looking column has one bad cell: then name that cell.
  // Counted among the cells that are not missing: a column of numbers half NA is a column of numbers, its NA missing.
  const numbers = cells.filter((c) => num(c) !== undefined).length;
  if (numbers > cells.filter((c) => !isMissing(c)).length / 2) {
    const row = cells.findIndex((c) => num(c) === undefined);
    if (isMissing(cells[row])) throw badCell(table, row, label, missingLabel(table, label, (c) => num(c) === undefined && isMissing(c)));
    throw badCell(table, row, label, notNumber(table, cells[row], 'not a number, and the other labels of this column are numbers'));
  }
  // Text labels: only an empty cell is missing ('NA', 'None' may be a class's name).
  const empty = cells.findIndex((c) => c === '');
  if (empty >= 0) throw badCell(table, empty, label, missingLabel(table, label, (c) => c === ''));
  if (distinct.length < 2) throw new SpecError(`column ${label + 1} ('${table.header[label]}')`, `has one label value only ('${distinct[0]}'): nothing to learn`);
  if (distinct.length > MAX_CLASSES) throw new SpecError(`column ${label + 1} ('${table.header[label]}')`, `has ${distinct.length} different text labels; at most ${MAX_CLASSES} classes`);
  return { task: distinct.length === 2 ? 'binary' : 'multiclass', classNames: distinct.sort(), numeric };
}

/** A feature this large anywhere (unstandardised) is noted: tanh(100 · w) is ±1 for any w past 0.03. */
const LARGE_INPUT = 100;

/**
 * What trains but likely should not, as sentences for the dialog's task line (nothing is refused or changed): a chosen
 * feature that counts the rows (1, 2, … n, or down, from any start: an ID or a saved index — the net learns the file's
 * order) where another feature is chosen beside it (NOTE: it was said of a 1-D regression's only input, x = 1 … 50, a
 * time index or a unit grid: "Untick it" left nothing to train on), a chosen feature of one value in every row, a chosen feature of |x| ≥ 100 when `standardise` is off, and
 * text classes whose names differ only in case (blanks are trimmed already; `labels`: inferTask's answer for the label
 * column, which the dialog has asked before). NOTE: each trained without a word —
 * 'Yes', 'yes ', 'YES', 'no', 'No' as 5 classes of softmax. For an ID or constant column each is read until it is
 * neither (the second row, for most); unstandardised, every chosen cell is read once more (as checkCells reads it).
 */
export function columnNotes(table: Table, features: number[], labels: Pick<ReturnType<typeof inferTask>, 'classNames' | 'numeric'>, standardise = true): string[] {
  const notes: string[] = [];
  if (!standardise) {
    // NOTE: unstandardised, a column of ±1e6 beside one of ±1e-3 trained to 75 % where standardised it gave 94 %
    // (5 epochs), its loss barely moving, without a word.
    const large = features.map((f) => [f, table.rows.reduce((m, _, k) => Math.max(m, Math.abs(cellNumber(table.rows[k][f], table.decimal) ?? 0)), 0)])
      .filter(([, max]) => max >= LARGE_INPUT);
    if (large.length > 0) {
      const named = large.slice(0, 3).map(([f, max], k) => `column ${f + 1} ('${table.header[f]}') ${k === 0 ? 'reaches |x| = ' : ''}${max}`).join(', ');
      notes.push(`Standardise is off and ${named}${large.length > 3 ? ', …' : ''}: tanh saturates on inputs past about 3, so the net barely learns, and it drowns the other features; tick standardise.`);
    }
  }
  const n = table.rows.length;
  const num = (row: number, col: number): number | undefined => cellNumber(table.rows[row][col], table.decimal);
  for (const f of features) {
    const first = num(0, f);
    if (first === undefined || n < 2) continue;
    let constant = true;
    // An ID: three rows at least, whole numbers, each the one before ± 1 (one direction).
    const step = n >= 3 && Number.isInteger(first) ? num(1, f)! - first : 0;
    let id = step === 1 || step === -1;
    for (let k = 1; k < n && (constant || id); k++) {
      const v = num(k, f);
      if (v !== first) constant = false;
      if (v === undefined || v !== first + k * step) id = false;
    }
    const name = `Column ${f + 1} ('${table.header[f]}')`;
    if (constant) notes.push(`${name} is ${first} in every row: it carries nothing; untick it.`);
    else if (id && features.length > 1) {
      const last = first + (n - 1) * step;
      const run = n === 3 ? `${first}, ${first + step}, ${last}` : `${first}, ${first + step}, … ${last}`;
      notes.push(`${name} counts${step < 0 ? ' down' : ''} ${run}, one a row: a row number or ID, not a measurement? Untick it: kept, the net learns the file's order (a file sorted by its label gives that away).`);
    }
  }
  const classNames = labels.numeric ? [] : labels.classNames;
  const groups = new Map<string, string[]>();
  for (const c of classNames) groups.set(c.toLowerCase(), [...(groups.get(c.toLowerCase()) ?? []), c]);
  const clashes = [...groups.values()].filter((g) => g.length > 1).map((g) => g.map((c) => `'${c}'`).join(', '));
  if (clashes.length > 0) {
    notes.push(`Classes ${clashes[0]} differ only in case${clashes.slice(1).map((c) => `, and ${c}`).join('')}: the lab keeps them apart (${classNames.length} classes); if each is one class, write it one way in the file.`);
  }
  return notes;
}

function checkColumn(table: Table, col: number, what: string): void {
  if (!Number.isInteger(col) || col < 0 || col >= table.header.length) {
    throw new SpecError(what, `column ${col} does not exist; the table has columns 0 … ${table.header.length - 1}`);
  }
}

/**
 * The dialog's validation field, a percentage 0 … 50, as buildDataset's fraction; refused (naming the field as the
 * page labels it, in its own unit) outside that range.
 */
export function validationFraction(percent: number): number {
  if (!(percent >= 0 && percent <= 50)) throw new SpecError('validation %', `must be a percentage 0 … 50, got ${percent}`);
  return percent / 100;
}

/** The most hidden units the dialog builds (its field's max, set from this: import-panel.ts). */
export const MAX_HIDDEN_UNITS = 64;

/**
 * The dialog's hidden units field: a whole number 1 … MAX_HIDDEN_UNITS, refused naming the field as the page labels
 * it (the engine named it layers[0].units, a field the dialog does not show; a number typed over the field's max
 * was built).
 */
export function hiddenUnits(units: number): number {
  if (!(Number.isInteger(units) && units >= 1 && units <= MAX_HIDDEN_UNITS)) throw new SpecError('hidden units', `must be a whole number 1 … ${MAX_HIDDEN_UNITS}, got ${units}`);
  return units;
}

/**
 * The first bad cell of the chosen columns, a SpecError naming its row and column (what buildDataset refuses; the
 * dialog's Read names it too, where it reported "4 rows, 2 features" and only Train on this data named the cell):
 * a feature that is not a number, or one past float32 when the features are not standardised (the engine named it
 * x[k][j], k counted in the training rows), then a regression target past float32 (it is trained as given).
 * Features row by row: the first bad cell in reading order is the one named. Returns the features read, example by
 * example (buildDataset's x: each cell parsed once).
 */
export function checkCells(table: Table, features: number[], label: number, task: Task, standardise: boolean): number[][] {
  const x = table.rows.map((r, row) => features.map((f) => {
    const v = cellNumber(r[f], table.decimal);
    if (v === undefined) throw badCell(table, row, f, notNumber(table, r[f], notFeature(table, features, f, r[f])));
    if (!standardise && !inFloat32(v)) throw badCell(table, row, f, `outside the float32 range: ${FLOAT32_RANGE}; standardise the features, or fix the value`);
    return v;
  }));
  if (task !== 'regression') return x;
  const row = table.rows.findIndex((r) => !inFloat32(cellNumber(r[label], table.decimal)!));
  if (row >= 0) throw badCell(table, row, label, `outside the float32 range: ${FLOAT32_RANGE}; a regression's target is used as given`);
  return x;
}

/** The chosen columns as the lab's data set. Throws SpecError naming the row and column of the first bad cell. */
export function buildDataset(table: Table, choice: DatasetChoice): Dataset {
  const { features, label } = choice;
  const validation = choice.validation ?? 0;
  if (!Array.isArray(features) || features.length === 0) throw new SpecError('features', 'choose at least one feature column');
  for (const f of features) checkColumn(table, f, 'features');
  if (new Set(features).size !== features.length) throw new SpecError('features', 'a column is chosen twice');
  if (features.includes(label)) throw new SpecError('label', `column '${table.header[label]}' cannot be both a feature and the label`);
  if (!(validation >= 0 && validation <= 0.5)) throw new SpecError('validation', `must be a fraction 0 … 0.5, got ${validation}`);
  const { task, classNames, numeric } = inferTask(table, label);
  const x = checkCells(table, features, label, task, choice.standardise ?? false);
  const classOf = (cell: string) => classNames.indexOf(numeric ? String(cellNumber(cell, table.decimal)) : cell);
  const labels = task === 'regression' ? [] : table.rows.map((r) => classOf(r[label]));
  const K = classNames.length;
  const y = table.rows.map((r, c) => {
    if (task === 'regression') return [cellNumber(r[label], table.decimal)!];
    if (task === 'binary') return [labels[c]];
    const row = new Array<number>(K).fill(0);
    row[labels[c]] = 1;
    return row;
  });

  // Seeded shuffle; the last ⌊n·validation⌋ rows of it are held out (at least one training row stays).
  const n = x.length;
  const order = Array.from({ length: n }, (_, k) => k);
  const held = Math.min(n - 1, Math.floor(n * validation));
  if (held > 0) {
    const rand = mulberry32(choice.seed ?? 1);
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
  }
  const trainIdx = held > 0 ? order.slice(0, n - held).sort((a, b) => a - b) : order;
  const valIdx = held > 0 ? order.slice(n - held).sort((a, b) => a - b) : [];
  const pick = <T>(a: T[], idx: number[]) => idx.map((k) => a[k]);
  let xTrain = pick(x, trainIdx);
  let xVal = pick(x, valIdx);
  let scale: Dataset['scale'];
  if (choice.standardise) {
    const cols = features.map((_, j) => standardiser(xTrain.map((r) => r[j])));
    const apply = (r: number[]) => r.map((v, j) => cols[j].apply(v));
    xTrain = xTrain.map(apply);
    xVal = xVal.map(apply);
    // A training row's value is within ±√n of the mean in sd units; a held-out one is not bounded so: refused, named,
    // when the training rows' sd makes it non-finite or past the float32 range (the engine keeps it in float32).
    xVal.forEach((r, k) => r.forEach((v, j) => {
      if (!(Math.abs(v) <= FLOAT32_MAX)) {
        // Standardise off helps only a value float32 holds as it stands (1e300 is refused unstandardised too).
        const advice = inFloat32(x[valIdx[k]][j]) ? 'standardise off, or fix the value' : 'fix the value: unstandardised it is past float32 too';
        throw badCell(table, valIdx[k], features[j], `standardised by the training rows' mean and standard deviation it is ${v}, outside the float32 range (a held-out value far from the rest: ${advice})`);
      }
    }));
    scale = { mean: cols.map((c) => c.mean), std: cols.map((c) => c.std) };
  }
  return {
    task,
    featureNames: features.map((f) => table.header[f]),
    labelName: table.header[label],
    x: xTrain,
    y: pick(y, trainIdx),
    xVal,
    yVal: pick(y, valIdx),
    classes: task === 'regression' ? 0 : K,
    classNames,
    labels: pick(labels, trainIdx),
    labelsVal: pick(labels, valIdx),
    scale,
  };
}

/**
 * One feature column's standardisation over `values` (the training rows): its mean, its population standard deviation
 * (1 for a constant column, which stays as it is, centred, rather than divided by 0) and the map v → (v − mean) / std.
 * NOTE: for |v| past ~1e154, Σ(v − mean)² overflows to Infinity (and Σv, v − mean past ~9e307), so a column with one
 * such cell was divided by sd = Infinity: every value 0, the column erased without a word. Large columns are
 * scaled by a power of two p first (exact: the same bits as unscaled wherever that did not overflow), the statistics
 * taken on v / p, where |v / p| < 2; mean and std scale back finite (at most max|v|); the map works on v / p too.
 */
function standardiser(values: number[]): { mean: number; std: number; apply: (v: number) => number } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const p = max > 2 ** 500 ? 2 ** Math.floor(Math.log2(max)) : 1;
  const mean = values.reduce((s, v) => s + v / p, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v / p - mean) ** 2, 0) / values.length);
  const div = sd > 0 ? sd : 1 / p; // the constant column: (v − mean) / 1, as in the units of v
  return { mean: mean * p, std: div * p, apply: (v) => (v / p - mean) / div };
}

/** A net for the data set: tanh hidden layers; sigmoid + BCE (two classes), softmax + CE (more), identity + MSE (real). */
export function specForDataset(d: Dataset, name: string, hidden: number[] = [8], seed = 1): RowsSpec {
  const out = d.task === 'binary'
    ? { units: 1, activation: 'sigmoid' as const, loss: 'bce' as const }
    : d.task === 'multiclass'
      ? { units: d.classes, activation: 'softmax' as const, loss: 'softmax-cross-entropy' as const }
      : { units: 1, activation: 'identity' as const, loss: 'mse' as const };
  const what = d.task === 'regression' ? `real-valued '${d.labelName}' (identity output, MSE)`
    : `${d.classes} classes of '${d.labelName}' (${d.classNames.join(', ')}; ${d.task === 'binary' ? 'sigmoid output, BCE' : 'softmax output, cross-entropy'})`;
  return {
    name,
    description: `Your data: ${count(d.x.length, 'training row')}${d.xVal.length ? ` + ${count(d.xVal.length, 'validation row')}` : ''}, features ${d.featureNames.join(', ')}${d.scale ? ' (standardised)' : ''} → ${what}.`,
    inputs: d.featureNames.length,
    layers: [
      ...hidden.map((units) => ({ units, activation: 'tanh' as const, bias: 'per-unit' as const })),
      { units: out.units, activation: out.activation, bias: 'per-unit' as const },
    ],
    loss: out.loss,
    reduction: 'mean',
    init: { scheme: 'xavier', seed },
    x: d.x,
    y: d.y,
    lr: d.task === 'regression' ? 0.05 : 0.5,
  };
}
