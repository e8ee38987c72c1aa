/**
 * The "Your data" dialog: a CSV / TSV table from a file (chosen or dropped) or pasted text → column choices →
 * a PresetData the page loads. Parsing and inference are in ./table.ts (no DOM); this file only wires the form.
 * A bad table or cell shows its message (row and column named) in the dialog and hands nothing to the page.
 */
import { messageOf } from '../checks.ts';
import { BackpropError, SpecError } from '../errors.ts';
import { groupDigits } from '../notation/cost.ts';
import { $, afterPaint, markInvalid, writeText } from './dom.ts';
import { readNumber } from './fields.ts';
import { fileBytes } from './files.ts';
import type { PresetData } from './presets.ts';
import { buildDataset, checkCells, columnNotes, hiddenUnits, inferTask, MAX_HIDDEN_UNITS, parseTable, specForDataset, tableReading, tableText, validationFraction, type Table } from './table.ts';

/** What the dialog's line adds when the text box is edited after a Read (edited). */
export const EDITED = 'Edited: press Read again to check the new text and train on it.';

/** The dialog's controls an error can be about (the line, #import-out, describes the one marked). */
const CONTROLS = ['table-text', 'label-column', 'validation', 'import-hidden'] as const;

/**
 * The control an error's field names: a row, cell or the table itself → the text box (a file's text is put there
 * too), a column's label values → the Label menu, and the two number fields; `features` and a failed load → none.
 */
function controlOf(field: string | undefined): (typeof CONTROLS)[number] | null {
  if (field === undefined) return null;
  if (field === 'hidden units') return 'import-hidden';
  if (field === 'validation %' || field === 'validation') return 'validation';
  if (field === 'label' || field.startsWith('column ')) return 'label-column';
  if (field === 'table' || field.startsWith('row ')) return 'table-text';
  return null;
}

/**
 * A text of at least this many characters is read (parseTable) after a line that says so has been painted: 100 000
 * rows × 20 columns (12.3 MB) blocked the page ~0.8 s in headless Chromium with nothing on screen.
 */
export const BUSY_CHARS = 1_000_000;
/**
 * A table of at least this many rows is built into a data set (buildDataset) and loaded after lines that say so have
 * been painted: 100 000 rows blocked the page ~1.7 s at Train on this data with nothing on screen.
 */
export const BUSY_ROWS = 20_000;

/** The lines of `text` (a last line without its newline counted): the header and the rows, before they are parsed. */
export function lineCount(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.length > 0 && !text.endsWith('\n') ? lines + 1 : lines;
}

/** The line while a big text is read. */
export function readingLine(text: string): string {
  return `Reading ${groupDigits(lineCount(text))} lines (${(text.length / 1e6).toFixed(1)} million characters)…`;
}

export class ImportPanel {
  private table: Table | null = null;
  private fileName = 'your data';
  /** The line's own message, without EDITED (say adds it while the text box has been edited since the last Read). */
  private said = '';
  /** The control the line's error is about (controlOf), marked invalid; null when none. */
  private invalid: string | null = null;
  /** The text box edited since the last Read: the line keeps EDITED (a column's box ticked recomputes the rest). */
  private editedSinceRead = false;
  /** Each Read's number: only the latest lands (NOTE: an older big Read, its frame waited for, overwrote a newer one). */
  private readSeq = 0;
  /**
   * A big Read waiting for its frame, or Train on this data building and loading: Train on this data stays off. NOTE: a
   * box ticked meanwhile turned it back on (describeTask): it trained the table read before, or loaded twice.
   */
  private waiting = false;
  private building = false;
  private readonly dialog = $<HTMLDialogElement>('import-dialog');

  /** `use` loads the data set (it may throw: the message is shown here and the dialog stays open). */
  constructor(private readonly use: (data: PresetData, file: string) => Promise<void>) {
    $('table-read').addEventListener('click', () => void this.read($<HTMLTextAreaElement>('table-text').value, 'pasted table'));
    $('table-text').addEventListener('input', () => this.edited());
    $<HTMLInputElement>('import-table').addEventListener('change', () => void this.readFile($<HTMLInputElement>('import-table')));
    const zone = $('drop-zone');
    zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      const file = e.dataTransfer?.files[0];
      if (file) void this.readText(file);
    });
    $('label-column').addEventListener('change', () => {
      // A new label: every other column is a feature (untick the ones you do not want).
      this.syncFeatures(true);
      this.describeTask();
    });
    $('feature-list').addEventListener('change', () => this.describeTask());
    // Standardised, a feature past float32 is no longer a bad cell (checkCells).
    $('standardise').addEventListener('change', () => this.describeTask());
    $('table-use').addEventListener('click', () => void this.submit());
    // Enter in one of the dialog's fields (hidden units, validation %, a column's box) is its action, Train on this
    // data, as Enter in the editor's fields is Apply: the form's implicit submission pressed its one submit button,
    // Close, and the dialog shut without loading anything. With nothing to train on yet, Enter does nothing.
    $('import-form').addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !(e.target instanceof HTMLInputElement) || e.target.type === 'file') return;
      e.preventDefault();
      const use = $<HTMLButtonElement>('table-use');
      if (!use.disabled) use.click();
    });
    // The field's max is the rule's own (hiddenUnits), not a second copy in the HTML.
    $<HTMLInputElement>('import-hidden').max = String(MAX_HIDDEN_UNITS);
  }

  open(): void {
    if (!this.dialog.open) this.dialog.showModal();
  }

  private async readFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    input.value = '';
    await this.readText(file);
  }

  /**
   * A file's text read (one that cannot be read, a workbook, or bytes that are not UTF-8: its name and why, here) and
   * offered.
   */
  private async readText(file: File): Promise<void> {
    const seq = ++this.readSeq;
    let text: string;
    try {
      text = tableText(await fileBytes(file), file.name);
      if (seq !== this.readSeq) return;
    } catch (err) {
      if (seq !== this.readSeq) return;
      // NOTE: the table read before stayed offered under this file's error: Train on this data trained that one.
      this.editedSinceRead = false;
      this.dropTable();
      // NOTE: the text box kept the file read before, and Read brought its table back as the "pasted table".
      this.showText('');
      this.fail(err);
      return;
    }
    // In the box before it is parsed: the row an error names is there to fix (the box kept the file read before).
    this.showText(text);
    await this.read(text, file.name);
  }

  /** The text box holds `text` (its first 200 000 characters: a longer table is read whole, shown cut). */
  private showText(text: string): void {
    $<HTMLTextAreaElement>('table-text').value = text.length <= 200_000 ? text : `${text.slice(0, 200_000)}\n…`;
  }

  /**
   * The text box edited after a Read (a bad cell fixed there): Train on this data still has the table as read — off
   * after a bad cell until Read checks the fix — and nothing said so. The line says it after what it said, so that a
   * bad cell's row and column stay in view while it is fixed. It stays until Read (or the data is loaded): a column's
   * box ticked or unticked meanwhile recomputes the line from the table as read, and the edit is still not read.
   */
  private edited(): void {
    // NOTE: once per Read: the line is a role="alert", and rewritten at every key typed (the same words) a screen
    // reader read the whole line again over each keystroke.
    if (this.editedSinceRead || (this.table === null && this.said === '')) return;
    this.editedSinceRead = true;
    this.say(this.said, this.invalid);
  }

  /** The line says `text`; `invalid`: the control it is about (marked invalid, described by the line), else none. */
  private say(text: string, invalid: string | null = null): void {
    this.said = text;
    this.invalid = invalid;
    $('import-out').textContent = !this.editedSinceRead ? text : text === '' ? EDITED : `${text} ${EDITED}`;
    // NOTE: the line alone said what was wrong (a role="alert", read once): a screen reader back on the field heard
    // nothing of it. The field now says it is invalid and is described by the line, until the line says otherwise.
    for (const id of CONTROLS) markInvalid($(id), id === invalid ? 'import-out' : null);
  }

  private fail(err: unknown): void {
    const named = err instanceof BackpropError ? err.field : undefined;
    const field = named ? `${named}: ` : '';
    const msg = messageOf(err);
    this.say(msg.startsWith(field) ? msg : field + msg, controlOf(named));
  }

  /**
   * Parse the text and offer its columns: the last column is the label, the others the features. A text of BUSY_CHARS
   * or more is read after readingLine has been painted (the promise resolves once it is read); a smaller one at once.
   */
  read(text: string, name: string): Promise<void> | void {
    const seq = ++this.readSeq;
    if (text.length < BUSY_CHARS) return this.readNow(text, name);
    this.say(readingLine(text));
    // Train on this data would train the table read before while this one waits to be read.
    this.waiting = true;
    $<HTMLButtonElement>('table-use').disabled = true;
    return afterPaint().then(() => {
      // A Read since (a small one landed at once, or a big one waiting its own frame): this one is dropped.
      if (seq === this.readSeq) this.readNow(text, name);
    });
  }

  private readNow(text: string, name: string): void {
    this.waiting = false;
    this.editedSinceRead = false;
    try {
      const t = parseTable(text);
      this.table = t;
      this.fileName = name;
      this.showText(text);
      const list = $('feature-list');
      list.replaceChildren();
      const label = $<HTMLSelectElement>('label-column');
      label.replaceChildren();
      t.header.forEach((h, j) => {
        const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: String(j), checked: j < t.header.length - 1, id: `feature-${j}` });
        const l = Object.assign(document.createElement('label'), { htmlFor: box.id });
        l.append(box, ` ${h}`);
        list.append(l);
        label.append(new Option(h, String(j)));
      });
      label.value = String(t.header.length - 1);
      this.syncFeatures(true);
      $('table-columns').hidden = false;
      this.say('');
      this.describeTask(true);
    } catch (err) {
      this.dropTable();
      this.fail(err);
    }
  }

  /** No table to train on: the columns hidden, Train on this data off (a table or a file that cannot be read). */
  private dropTable(): void {
    this.table = null;
    $('table-columns').hidden = true;
    $<HTMLButtonElement>('table-use').disabled = true;
  }

  /** The label's own box is unticked and disabled; with `all`, every other column is ticked. */
  private syncFeatures(all: boolean): void {
    const label = Number($<HTMLSelectElement>('label-column').value);
    for (const box of $('feature-list').querySelectorAll<HTMLInputElement>('input')) {
      const isLabel = Number(box.value) === label;
      box.disabled = isLabel;
      if (isLabel) box.checked = false;
      else if (all) box.checked = true;
    }
  }

  private choice(): { features: number[]; label: number } {
    const label = Number($<HTMLSelectElement>('label-column').value);
    const features = [...$('feature-list').querySelectorAll<HTMLInputElement>('input:checked')].map((b) => Number(b.value)).filter((j) => j !== label);
    return { features, label };
  }

  /**
   * The task line for the table as read and the columns chosen. `read`: Read's own outcome, written even in the words
   * the line had (a bad cell fixed and read again: "11 rows, 2 features; …" as before), so that it is read out; a box
   * ticked or unticked writes it only when its words change.
   */
  private describeTask(read = false): void {
    const t = this.table;
    if (!t) return;
    const show = (text: string): void => {
      if (read) $('task-out').textContent = text;
      else writeText($('task-out'), text);
    };
    const { features, label } = this.choice();
    let line = '';
    try {
      const labels = inferTask(t, label);
      const { task, classNames } = labels;
      const what = task === 'regression' ? 'real-valued: regression (identity output, MSE)'
        : `${classNames.length} classes (${classNames.slice(0, 8).join(', ')}${classNames.length > 8 ? ', …' : ''}): ${task === 'binary' ? 'sigmoid output, binary cross-entropy' : 'softmax output, cross-entropy (one-hot)'}`;
      // How the file was read last: its delimiter and decimal mark ("semicolon-separated, decimal commas": tableReading).
      line = `${t.rows.length} rows, ${features.length} feature${features.length === 1 ? '' : 's'}; label '${t.header[label]}' is ${what}.${features.length === 2 && task !== 'regression' ? ' Two features: the Output shows the decision boundary.' : ''} Read as ${tableReading(t)}.`;
      // No feature ticked: said here, as Train on this data (buildDataset) would say it; the button was off without a word.
      if (features.length === 0) throw new SpecError('features', 'choose at least one feature column');
      // A bad cell of these columns is named now, as Train on this data names it (the line above stays).
      const standardise = $<HTMLInputElement>('standardise').checked;
      checkCells(t, features, label, task, standardise);
      // What trains but likely should not (an ID or constant column ticked, a huge one unstandardised, classes told
      // apart by case): said after.
      line = [line, ...columnNotes(t, features, labels, standardise)].join(' ');
      // A status line (role="status": what Read found, read out without moving focus): after a box, written only when
      // its words change, so that a box that changes nothing in it (standardise) does not have it read again.
      show(line);
      // A Read waiting or a build under way keeps Train on this data off, and its line ('Reading …', 'Building …').
      const busy = this.waiting || this.building;
      $<HTMLButtonElement>('table-use').disabled = busy || features.length === 0;
      if (!busy) this.say('');
    } catch (err) {
      show(line);
      $<HTMLButtonElement>('table-use').disabled = true;
      this.fail(err);
    }
  }

  /** Build the data set (a bad cell: its row and column named here, nothing loaded) and hand it to the page. */
  private async submit(): Promise<void> {
    const t = this.table;
    if (!t || this.waiting || this.building) return;
    const big = t.rows.length >= BUSY_ROWS;
    this.building = true;
    try {
      const hidden = hiddenUnits(readNumber($<HTMLInputElement>('import-hidden'), 'hidden units'));
      if (big) {
        // Pressed again while it is built, it would load the data set twice.
        $<HTMLButtonElement>('table-use').disabled = true;
        this.say(`Building the data set from ${groupDigits(t.rows.length)} rows…`);
        await afterPaint();
      }
      const d = buildDataset(t, {
        ...this.choice(),
        standardise: $<HTMLInputElement>('standardise').checked,
        validation: validationFraction(readNumber($<HTMLInputElement>('validation'), 'validation %')),
      });
      const name = this.fileName.replace(/\.(csv|tsv|txt)$/i, '');
      const spec = specForDataset(d, `${name}: ${d.featureNames.length}-${hidden}-${d.task === 'multiclass' ? d.classes : 1}`, [hidden]);
      const classification = d.task !== 'regression';
      const data: PresetData = {
        kind: d.featureNames.length === 2 && classification ? '2d' : 'custom',
        spec,
        labels: classification ? d.labels : undefined,
        classes: classification ? d.classes : undefined,
        validation: d.xVal.length > 0 ? { x: d.xVal, y: d.yVal, labels: d.labelsVal } : undefined,
        imported: { file: this.fileName, task: d.task, classNames: d.classNames, features: d.featureNames, label: d.labelName, standardised: d.scale !== undefined },
      };
      if (big) {
        this.say(`Loading the net with ${groupDigits(d.x.length)} training examples…`);
        await afterPaint();
      }
      await this.use(data, this.fileName);
      // Loaded: the next time the dialog opens it starts empty.
      this.table = null;
      $('table-columns').hidden = true;
      $<HTMLButtonElement>('table-use').disabled = true;
      $<HTMLTextAreaElement>('table-text').value = '';
      this.editedSinceRead = false;
      this.building = false;
      this.say('');
      this.dialog.close();
    } catch (err) {
      this.building = false;
      // Train on this data as the columns chosen now allow (a box ticked, or a table read, while it was built).
      this.describeTask();
      this.fail(err);
    }
  }
}
