/**
 * What a lecture's notes print about a value the lab shows, for the mark beside it (views.ts draws it): the notes'
 * printed number (or, for an erratum, the printed formula) and whether it is an erratum, the value as the notes print it
 * (✓ as in the notes, to their digits) or a number the lab rounds otherwise — each with its row in the Lecture checks
 * table (checkWorked's checks, in the table's order). Pure: no DOM, tested in Node (test/lab-notes-marks.test.ts).
 *
 * Only the lecture's own net at the lecture's own step has these values: `atLectureStep` says whether the weights a
 * pass started from (and its batch, data, rate) are the lecture's, so an Update from there is the notes' "new w5".
 */
import type { Naming, Ref } from '../notation/names.ts';
import type { RowsSpec } from '../spec.ts';
import type { ClaimCheck } from '../worked/check.ts';
import type { WorkedExample } from '../worked/worked.ts';
import { claimPrinted } from '../worked/report.ts';
import { isFormulaClaim } from '../worked/worked.ts';
import { lectureDifferences } from './files.ts';
import type { PresetData } from './presets.ts';

/** How the notes' number stands to the value: an erratum (Lecture checks confirm it), as printed (✓), or otherwise rounded. */
export type NotesVerdict = 'erratum' | 'as-printed' | 'differs';

/** One thing the notes print about a value the lab shows. */
export interface NotesMark {
  /** Its row in the Lecture checks table: the index in checkWorked's checks (claimRows keeps that order). */
  row: number;
  /** The notes' line (undefined where the worked example gives none). */
  line: number | undefined;
  /** What the notes print: the number at its printed decimals, or the printed formula (an erratum's). */
  printed: string;
  /** An erratum, the value to the notes' digits, or a number the value does not round to (no erratum recorded). */
  verdict: NotesVerdict;
  /** An erratum with a doubt: the notes may be right, as transcribed (the Lecture checks row says why). */
  doubted: boolean;
}

/**
 * The notes' claims about `target` (a name of the lecture's net: a parameter, an updated one, a derivative, a node),
 * for `example` (0-based; undefined: the batch, or the only example), checked against `shown`, the value the lab shows
 * (undefined: the engine's float64 value of the claim, as the Notation tab's scalar chain rule works it).
 * A printed number is marked: an erratum when Lecture checks confirm one, else ✓ when |shown − printed| ≤ ½·10^−decimals
 * (the notes' digits), else 'differs'. A printed formula is marked only where it is an erratum (its value is no number
 * the notes print). `naming` is the lecture's (its spec's notation): claims are matched by what their names resolve to,
 * so "∂L/∂w5" and "\frac{\partial L}{\partial w_5}" are one quantity. A "from h1" derivative matches only its own target.
 */
export function notesMarks(checks: readonly ClaimCheck[], naming: Naming, target: Ref, shown: number | undefined, example?: number): NotesMark[] {
  if (shown !== undefined && !Number.isFinite(shown)) return [];
  const want = naming.name(target);
  const out: NotesMark[] = [];
  checks.forEach((c, row) => {
    if (c.example !== example) return;
    if (naming.name(naming.resolve(c.claim.name, `claims[${c.index}].name`)) !== want) return;
    const erratum = c.status === 'known-erratum';
    const base = { row, line: c.claim.line, printed: claimPrinted(c.claim), doubted: erratum && c.claim.erratum?.doubt !== undefined };
    if (isFormulaClaim(c.claim)) {
      if (erratum) out.push({ ...base, verdict: 'erratum' });
      return;
    }
    // Without a value shown, the Lecture checks row's own verdict (the scalar engine's, its rule in check.ts). With
    // one (a backend's float32), half a unit of the notes' last digit — the slack: 0.0822 is 0.08220000000000001 in
    // binary, and a value ending in 5 at the next digit rounds either way — or, for a claim the notes print as exact
    // (hand arithmetic on small integers: h1 = max(0, 1) = 1), float32's own rounding, not ±0.5.
    const tolerance = c.claim.exact ? 2 ** -23 * Math.max(1, Math.abs(c.claim.printed)) : 0.5 * 10 ** -c.claim.decimals * (1 + 1e-9);
    const asPrinted = shown === undefined ? c.matches : Math.abs(shown - c.claim.printed) <= tolerance;
    out.push({ ...base, verdict: erratum ? 'erratum' : asPrinted ? 'as-printed' : 'differs' });
  });
  return out;
}

/** Marks of one printed text and verdict, together: the notes print 0.00135 on lines 185, 187 and 219. */
export interface NotesGroup {
  /** Their Lecture checks rows, in order (a button opens the first). */
  rows: number[];
  /** Their lines (those the worked example gives). */
  lines: number[];
  printed: string;
  verdict: NotesVerdict;
  doubted: boolean;
}

/** The marks grouped by what the notes print and its verdict (and doubt), in the order each first appears. */
export function groupMarks(marks: readonly NotesMark[]): NotesGroup[] {
  const out: NotesGroup[] = [];
  for (const m of marks) {
    const g = out.find((x) => x.printed === m.printed && x.verdict === m.verdict && x.doubted === m.doubted);
    const line = m.line === undefined ? [] : [m.line];
    if (g) {
      g.rows.push(m.row);
      g.lines.push(...line);
    } else out.push({ rows: [m.row], lines: line, printed: m.printed, verdict: m.verdict, doubted: m.doubted });
  }
  return out;
}

/** " (line 108)", " (lines 185, 187, 219)", or '' without a line. */
function where(lines: readonly number[]): string {
  return lines.length === 0 ? '' : ` (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`;
}

/**
 * A group in words, short: "the notes print 0.399927 (line 108): an erratum" (", doubted" where the erratum has a
 * doubt), "the notes print 0.0823 (line 98)" for a number the value does not round to, "✓ as in the notes (lines 98,
 * 225)" for the value to the notes' digits (their number is the value's: it is not repeated).
 */
export function notesMarkText(g: NotesGroup): string {
  if (g.verdict === 'as-printed') return `✓ as in the notes${where(g.lines)}`;
  if (g.verdict === 'erratum') return `the notes print ${g.printed}${where(g.lines)}: an erratum${g.doubted ? ', doubted' : ''}`;
  return `the notes print ${g.printed}${where(g.lines)}`;
}

/**
 * Is a pass from `before` (the page's spec with the weights the pass started from) the lecture's own step: the
 * lecture's layers, activations, loss, rate, data, whole batch and starting weights (lectureDifferences, float32)?
 * Only then does the lab show the values the notes print (after one Update, the second is no lecture's).
 */
export function atLectureStep(before: RowsSpec, batchSize: number | undefined, lecture: RowsSpec): boolean {
  return lectureDifferences(before, batchSize, lecture).length === 0;
}

/**
 * The worked example whose notes mark the values of a pass from `before` (the page's spec with the weights the pass
 * started from, cut in batches of `batchSize`): the page's — a lecture preset's or a worked-example file opened here
 * (files.ts dataFor gives both as `worked`) — at its own first step (atLectureStep), else undefined (no marks).
 */
export function marksExample(data: Pick<PresetData, 'worked'> | null | undefined, before: RowsSpec, batchSize: number | undefined): WorkedExample | undefined {
  const w = data?.worked;
  return w && atLectureStep(before, batchSize, w.spec) ? w : undefined;
}
