/**
 * Your own data in the lab: a CSV or TSV table (a header row, then one example per row) → the lab's data set.
 * No DOM here (Node tests: test/lab-table.test.ts); the import panel (import-panel.ts) only reads files and shows the choices.
 *
 *   tableText(bytes, file)       a file's bytes → text (UTF-8, or UTF-16 by its mark; a Windows encoding refused)
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
}

export type Task = 'binary' | 'multiclass' | 'regression';

/** A label column with more distinct values than this is a real-valued target (numbers) or an error (text). */
const MAX_CLASSES = 20;
/** Tables bigger than this are refused before parsing (the page keeps everything in memory, twice). */
const MAX_CELLS = 2_000_000;
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

/** What the lab asks for in place of a file it does not read as text. */
const SAVE_AS = 'save it as "CSV UTF-8" (Excel: File → Save As) or as "Text CSV" with the character set "Unicode (UTF-8)" (LibreOffice), and choose that file';

/**
 * A chosen or dropped file's bytes as the table's text: UTF-8 (its byte-order mark dropped), or UTF-16 where a UTF-16
 * mark starts it (Excel's "Unicode Text", tab-separated). A workbook (.xlsx / .ods, a zip; .xls) is refused by what it
 * is, and bytes that are not UTF-8 — a file saved in a Windows or Mac encoding (Excel's plain "CSV" in Germany, France,
 * Poland, Russia, Japan …) — by the row and the first bad byte: the lab does not guess an encoding. NOTE: Blob.text()
 * read such a file as U+FFFD: the header 'Größe' offered as 'Gr��e', class 'café' as 'caf�', without a word.
 */
export function tableText(bytes: Uint8Array, file: string): string {
  const starts = (...b: number[]): boolean => b.every((v, k) => bytes[k] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04)) throw new SpecError(file, `is a spreadsheet workbook (.xlsx or .ods), not a CSV: ${SAVE_AS}`);
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) throw new SpecError(file, `is an Excel 97–2003 workbook (.xls), not a CSV: ${SAVE_AS}`);
  if (starts(0xff, 0xfe)) return new TextDecoder('utf-16le').decode(bytes);
  if (starts(0xfe, 0xff)) return new TextDecoder('utf-16be').decode(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The first bad byte: where the lenient decoding's first U+FFFD stands that the file did not write as EF BF BD.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    // NOTE: the decoding drops a leading mark (EF BB BF), so offsets in the text are 3 bytes short of the file's: with
    // one, the byte named was the one 3 places before the bad byte (the header's 'b' for an 'é' in Windows-1252).
    const mark = starts(0xef, 0xbb, 0xbf) ? 3 : 0;
    const { at, offset } = firstBadByte(lenient, bytes.subarray(mark));
    throw new SpecError(file, `is not UTF-8 text: ${byteAt(lenient, at, bytes[mark + offset])}, which UTF-8 does not allow there — a file saved in a Windows or Mac encoding (Excel's plain "CSV" does so), which the lab does not guess: ${SAVE_AS}`);
  }
  // NOTE: UTF-16 without its mark is valid UTF-8 — every ASCII character a 00 byte beside it —, so it was parsed as a
  // table of 'x\0' names and refused for a row it has not ("row 4: has 1 cells", the last line's lone 00).
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new SpecError(file, `is not UTF-8 text: ${byteAt(text, nul, 0)}, which text has nowhere — UTF-16 without its byte-order mark (or not a text file), which the lab does not guess: ${SAVE_AS}`);
  return text;
}

/**
 * Where `text`'s character `at` stands, as tableText names a byte there: "row 3 has the byte 0x9A after 'Gr'". Rows
 * end as splitCells ends them: CRLF, LF or a CR alone. NOTE: counted by LF only, a Mac file (Excel for Mac's "CSV
 * (Macintosh)": Mac Roman, lines ended by CR) was always "row 1", the text before the byte all its lines run together.
 */
function byteAt(text: string, at: number, byte: number): string {
  const lines = text.slice(0, at).split(/\r\n|\r|\n/);
  const before = lines[lines.length - 1].slice(-20);
  return `row ${lines.length} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} ${before === '' ? 'at its start' : `after '${before}'`}`;
}

/**
 * Where the first byte that is not UTF-8 stands: its index in `text` (the bytes decoded leniently: that byte a U+FFFD)
 * and its offset in `bytes`. One pass, each character's UTF-8 length counted (a surrogate pair is one 4-byte
 * character). NOTE: the text before each U+FFFD was encoded again to find its offset: a file of many real U+FFFD
 * (EF BF BD) before a bad byte took a minute for 600 kB.
 */
function firstBadByte(text: string, bytes: Uint8Array): { at: number; offset: number } {
  let offset = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return { at: k, offset };
    if (c < 0x80) offset += 1;
    else if (c < 0x800) offset += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { offset += 4; k++; }
    else offset += 3;
  }
  // Not reached for bytes the fatal decoder refused: the lenient one wrote a U+FFFD for the bad byte.
  return { at: text.length, offset: bytes.length };
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
  if (clean.length > MAX_CELLS * 4) throw new SpecError('table', `is ${clean.length} characters: more than the lab holds (about ${MAX_CELLS} cells)`);
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
  const [head, ...body] = all;
  const header = head.cells.map((h, j) => h || `column ${j + 1}`);
  if (header.length < 2) throw new SpecError(`row ${head.line}`, `the header has ${header.length} column; give at least one feature column and one label column (comma, tab or semicolon separated)`);
  if (body.length === 0) throw new SpecError('table', 'has a header but no rows of data');
  if (body.length * header.length > MAX_CELLS) throw new SpecError('table', `has ${body.length * header.length} cells, more than ${MAX_CELLS}`);
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
  return { header, rows, lineOf: body.map((r) => r.line), delimiter, decimal };
}

/** How the file was read, as the dialog says it: "semicolon-separated, decimal commas", "comma-separated". */
export function tableReading(t: Table): string {
  const separated = `${t.delimiter === ',' ? 'comma' : t.delimiter === ';' ? 'semicolon' : 'tab'}-separated`;
  if (t.decimal === ',') return `${separated}, decimal commas`;
  return t.rows.some((r) => r.some(isPointNumber)) ? `${separated}, decimal points` : separated;
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
  const numbers = cells.filter((c) => num(c) !== undefined).length;
  if (numbers > cells.length / 2) {
    const row = cells.findIndex((c) => num(c) === undefined);
    throw badCell(table, row, label, notNumber(table, cells[row], 'not a number, and the other labels of this column are numbers'));
  }
  const empty = cells.findIndex((c) => c === '');
  if (empty >= 0) throw badCell(table, empty, label, 'every example needs a label');
  if (distinct.length < 2) throw new SpecError(`column ${label + 1} ('${table.header[label]}')`, `has one label value only ('${distinct[0]}'): nothing to learn`);
  if (distinct.length > MAX_CLASSES) throw new SpecError(`column ${label + 1} ('${table.header[label]}')`, `has ${distinct.length} different text labels; at most ${MAX_CLASSES} classes`);
  return { task: distinct.length === 2 ? 'binary' : 'multiclass', classNames: distinct.sort(), numeric };
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
    if (v === undefined) throw badCell(table, row, f, notNumber(table, r[f], 'not a number (features must be numbers)'));
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
