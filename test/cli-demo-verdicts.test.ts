/**
 * The demo's lecture table (src/cli/demo.ts lectureRows): `ok` — which decides the closing line and the exit status —
 * is false as soon as one verdict fails, and the errata's footnotes are numbered from [1], each verdict citing its own.
 * The engine values here are the lecture's own numbers (the JSON's printed values, and an erratum's correct value), not
 * the engine's. Review cmut54: an `ok` that ignored the verdicts, and footnotes numbered from [0], passed every test.
 */
import { describe, expect, it } from 'vitest';
import { lectureRows } from '../src/cli/demo.ts';
import { loadLecture } from '../src/cli/lecture.ts';
import type { ValueSource } from '../src/worked/sources.ts';

const lecture = loadLecture('lecture-2-2-1');
const key = (ref: unknown): string => JSON.stringify(ref);
/** Each claim's value as the lecture has it: the printed number, or for an erratum the correct one. */
const right = new Map(lecture.claims.map((c) => [key(c.ref), c.erratum ? c.erratum.correct : c.printed]));
const source = (value: (ref: unknown) => number): ValueSource => ({ name: 'cpu', value, eps: (x) => 1e-6 + 1e-5 * Math.abs(x) });

describe('the demo: lectureRows', () => {
  it('ok with the lecture\'s own values for every claim; not ok once one claim is off', () => {
    expect(lectureRows(lecture, ['cpu'], [source((ref) => right.get(key(ref)) ?? 0)]).ok).toBe(true);
    // One claim (the first) 1 off, every other right: one MISMATCH, so not ok.
    const first = key(lecture.claims[0].ref);
    const one = lectureRows(lecture, ['cpu'], [source((ref) => (key(ref) === first ? right.get(first)! + 1 : right.get(key(ref)) ?? 0))]);
    expect(one.rows.filter((r) => r.at(-1)!.startsWith('✗ MISMATCH')).length).toBe(1);
    expect(one.ok).toBe(false);
  });

  it('the errata footnotes are numbered from [1], and each erratum\'s verdict cites its own', () => {
    const { rows, notes } = lectureRows(lecture, ['cpu'], [source((ref) => right.get(key(ref)) ?? 0)]);
    const errata = lecture.claims.filter((c) => c.erratum);
    expect(errata.length).toBeGreaterThan(0);
    expect(notes.map((n) => /^ {2}\[(\d+)\] line /.exec(n)?.[1])).toEqual(errata.map((_, k) => String(k + 1)));
    errata.forEach((c, k) => {
      expect(rows.find((r) => r[0] === String(c.line) && r[2] === c.printedText)!.at(-1)).toMatch(new RegExp(`^✓ lecture erratum \\[${k + 1}\\]: `));
    });
  });
});
