/**
 * A worked-example file of another course opened in the lab (Device & files → Open: files.ts importedData; a share
 * link of it: shareLink, readFragment, checkLink): its claims kept, checked in the Lecture checks table's model
 * (claims-table.ts), marked beside the values at its own first step (notes-marks.ts marksExample), counted in the Data
 * region (words.ts dataSummary), and a bad claim refused naming it.
 *
 * The net is an instructor's own 2-3-1 (tanh hidden, sigmoid output, L = ½(ŷ − y)², mean over 1 example), worked by
 * hand in float64 from the formulas: x = (0.5, −0.2), W1 = [[0.1, 0.4], [−0.3, 0.2], [0.25, −0.1]], b1 = (0.05, −0.05,
 * 0.1), W2 = [[0.3, −0.2, 0.5]], b2 = 0.1, y = 0.8, η = 0.5:
 *   z = (0.02, −0.24, 0.245), h = tanh z = (0.0199973338, −0.2354957495, 0.2402128647)
 *   z_out = 0.2732047824, ŷ = σ(z_out) = 0.5678795046, L = ½(ŷ − y)² = 0.0269399622
 *   δ = (ŷ − y)·ŷ(1 − ŷ) = −0.0569605992; ∂L/∂w7 = δ·h1 = −0.0011390601; ∂L/∂w9 = δ·h3 = −0.0136826687
 *   new w7 = 0.3 − 0.5·(−0.0011390601) = 0.3005695301
 * The slides print ŷ = 0.5679, L = 0.0269, ∂L/∂w7 = −0.00114, new w7 = 0.3006 (all right at their digits) and
 * ∂L/∂w9 = 0.0137 (the minus sign dropped: recorded as an erratum, correct −0.0137).
 */
import { describe, expect, it } from 'vitest';
import { ClaimError, NotationError, SpecError } from '../src/errors.ts';
import { claimsTable, workedCounts } from '../src/lab/claims-table.ts';
import { checkLink, dataFor, editedData, importedData, MAX_SHARE_CHARS, readFragment, shareLink } from '../src/lab/files.ts';
import { marksExample, notesMarks } from '../src/lab/notes-marks.ts';
import { dataSummary, noClaimsLine } from '../src/lab/words.ts';
import { Naming } from '../src/notation/names.ts';
import { lecture } from '../src/lectures/index.ts';
import { validateSpec, type RowsSpec } from '../src/spec.ts';
import { checkWorked } from '../src/worked/check.ts';

const FILE = 'week5.worked.json';

function week5(): Record<string, unknown> & { spec: RowsSpec; claims: Record<string, unknown>[] } {
  return {
    format: 'backprop-worked-example/1',
    id: 'course60-tanh-2-3-1',
    title: 'Week 5: one step of a 2-3-1 tanh/sigmoid net',
    source: 'slides/week5.pdf',
    description: 'Slides 12–18: one step of a 2-3-1 net.',
    spec: {
      name: 'course60-tanh-2-3-1',
      inputs: 2,
      layers: [{ units: 3, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }],
      loss: 'mse',
      reduction: 'mean',
      params: { W: [[[0.1, 0.4], [-0.3, 0.2], [0.25, -0.1]], [[0.3, -0.2, 0.5]]], b: [[0.05, -0.05, 0.1], [0.1]] },
      x: [[0.5, -0.2]],
      y: [[0.8]],
      lr: 0.5,
    },
    claims: [
      { name: 'ŷ', printed: 0.5679, decimals: 4, line: 13 },
      { name: 'L', printed: 0.0269, decimals: 4, line: 14 },
      { name: '∂L/∂w7', printed: -0.00114, decimals: 5, line: 16 },
      { name: '∂L/∂w9', printed: 0.0137, decimals: 4, line: 17, erratum: { correct: -0.0137, correctDecimals: 4, why: 'the slide drops the minus sign' } },
      { name: 'new w7', printed: 0.3006, decimals: 4, line: 18 },
    ],
  };
}

const open = (raw: unknown) => importedData(JSON.stringify(raw), FILE, null);

describe('a worked-example file opened in the lab keeps its claims', () => {
  it('importedData: the claims kept and named by the file, the Lecture checks table checks them (its caption names the file)', () => {
    const data = open(week5());
    expect(data.workedFile).toBe(FILE);
    expect(data.worked?.claims.map((c) => c.name)).toEqual(['ŷ', 'L', '∂L/∂w7', '∂L/∂w9', 'new w7']);
    expect(data.changedLecture).toBeUndefined();
    const table = claimsTable(data.worked!, checkWorked(data.worked!).checks, data.workedFile);
    expect(table.caption).toBe(`${FILE} — Week 5: one step of a 2-3-1 tanh/sigmoid net: each number your worked example prints, checked`);
    // The hand values above: four within half a unit of their last digit, ∂L/∂w9's printed sign wrong (its erratum confirmed).
    expect(table.rows.map((r) => [r.cells[0], r.cells[1], r.cells[2], r.status])).toEqual([
      ['13', 'ŷ', '0.5679', 'match'], ['14', 'L', '0.0269', 'match'], ['16', '∂L/∂w7', '−0.00114', 'match'],
      ['17', '∂L/∂w9', '0.0137', 'known-erratum'], ['18', 'new w7', '0.3006', 'match'],
    ]);
    expect(table.summary).toMatch(/^5 printed values and formulas: 4 match, 1 is an erratum \(your worked example as transcribed is wrong; .*0 unexplained\. Checked on your worked example's own starting weights/);
    // A slide wrong with no erratum recorded is shown as such (✗), not refused: the table is there to find it.
    const slip = week5();
    slip.claims[1] = { name: 'L', printed: 0.0296, decimals: 4, line: 14 };
    const d2 = open(slip);
    expect(checkWorked(d2.worked!).checks.map((c) => c.status)).toEqual(['match', 'wrong', 'match', 'known-erratum', 'match']);
  });

  it("a lecture's own file is that lecture (its preset's data); the same net with claims of another course is the file's", () => {
    const l = lecture('lecture-2-2-1').worked;
    const own = importedData(JSON.stringify(l), 'lecture-2-2-1.worked.json', null);
    expect(own.kind).toBe('lecture');
    expect(own.worked).toBe(l);
    expect(own.workedFile).toBeUndefined();
    // Lecture 001's net with one claim of its own: ∂L/∂w5 = (ŷ − y)·ŷ(1 − ŷ)·a_h1 = 0.0821670406 (its ERRATA.md value), printed 0.0822.
    const mine = { ...structuredClone(l), id: 'my-2-2-1', claims: [{ name: '∂L/∂w5', printed: 0.0822, decimals: 4 }] };
    const d = importedData(JSON.stringify(mine), 'mine.worked.json', null);
    expect([d.kind, d.workedFile, d.worked?.claims.length]).toEqual(['custom', 'mine.worked.json', 1]);
    expect(checkWorked(d.worked!).checks.map((c) => c.status)).toEqual(['match']);
  });

  it('the Data region counts its claims and errata; a lecture preset and a plain spec say nothing of it', () => {
    const data = open(week5());
    expect(workedCounts(data)).toEqual({ claims: 5, errata: 1 });
    expect(dataSummary({ from: FILE, worked: workedCounts(data), examples: 1, validation: 0, inputs: 2, task: 'regression (MSE)', plan: 'full batch' }))
      .toBe(`${FILE}: your worked example (5 claims, 1 erratum); 1 example, 2 inputs, regression (MSE); full batch.`);
    const { claims: _c, ...rest } = week5();
    expect(workedCounts(open(rest.spec))).toBeUndefined();
    expect(workedCounts(dataFor(structuredClone(week5().spec)))).toBeUndefined();
  });

  it('the notes marks mark its values at its own first step, not after a step', () => {
    const data = open(week5());
    const spec = data.spec;
    const w = marksExample(data, spec, undefined);
    expect(w).toBe(data.worked);
    const naming = new Naming(validateSpec(w!.spec).net, w!.spec.notation);
    const checks = checkWorked(w!).checks;
    const mark = (name: string, shown: number) => notesMarks(checks, naming, naming.resolve(name, 'test'), shown).map((m) => [m.line, m.verdict]);
    expect(mark('∂L/∂w7', -0.0011390601)).toEqual([[16, 'as-printed']]);
    expect(mark('∂L/∂w9', -0.0136826687)).toEqual([[17, 'erratum']]);
    // After one Update (new weights), or in mini-batches of another size, the values are no longer the slides'.
    const stepped = structuredClone(spec);
    stepped.params!.W[1][0][0] = 0.3005695301;
    expect(marksExample(data, stepped, undefined)).toBeUndefined();
    expect(marksExample({}, spec, undefined)).toBeUndefined();
  });

  it('a bad claim is refused naming it under the file, before any data is made', () => {
    const noDecimals = week5();
    noDecimals.claims[2] = { name: '∂L/∂w7', printed: -0.00114, line: 16 };
    expect(() => open(noDecimals)).toThrow(ClaimError);
    expect(() => open(noDecimals)).toThrow(new RegExp(`^${FILE}: claims\\[2\\]`));
    const badName = week5();
    badName.claims[4] = { name: 'new w99', printed: 0.3006, decimals: 4 };
    expect(() => open(badName)).toThrow(NotationError);
    expect(() => open(badName)).toThrow(new RegExp(`^${FILE}: claims\\[4\\]`));
    const noData = week5();
    delete (noData.spec as Partial<RowsSpec>).y;
    expect(() => open(noData)).toThrow(new RegExp(`^${FILE}: spec\\.`));
  });

  it('trained or edited it is a net of its own, naming the file; back at its weights (Reset) it is the example again', () => {
    const data = open(week5());
    const trained = structuredClone(data.spec);
    trained.params!.W[1][0][0] = 0.3005695301;
    const edited = editedData({ ...data, spec: trained }, false);
    expect(edited.worked).toBeUndefined();
    expect(edited.changedLecture?.own?.file).toBe(FILE);
    expect(noClaimsLine(edited.changedLecture)).toMatch(new RegExp(`^The checks of your worked example ${FILE.replace('.', '\\.')} are for its own net, as printed; this net differs from the example's in its weights.*Open ${FILE.replace('.', '\\.')} again \\(Device & files → Open\\), or the link it came in, to load its net`));
    // A student who opened a share link has no file: the link it came in is offered too (read60d).
    const back = dataFor(structuredClone(data.spec), undefined, edited.changedLecture?.own);
    expect(back.worked).toBe(data.worked);
    expect(back.workedFile).toBe(FILE);
  });

  it('a share link carries it (&worked=) and opens with its claims; one too long says it left them out', () => {
    const data = open(week5());
    const own = { worked: data.worked!, file: FILE };
    const settings = { batchSize: 1, fit: { optimizer: { name: 'sgd' as const, lr: 0.5 }, batchSize: 1, epochs: 10 } };
    const link = shareLink(data.spec, settings, own);
    expect(link.leftOut).toBeUndefined();
    expect(link.fragment).toMatch(/&worked=[A-Za-z0-9_-]+$/);
    const checked = checkLink(readFragment(`#${link.fragment}`));
    expect(checked.own?.file).toBe(FILE);
    const opened = dataFor(checked.lab.spec, undefined, checked.own);
    expect(opened.worked?.claims.map((c) => ('printed' in c ? c.printed : c.formula))).toEqual([0.5679, 0.0269, -0.00114, 0.0137, 0.3006]);
    // Without an opened example: no &worked=.
    expect(shareLink(data.spec, settings, undefined).fragment).not.toContain('worked=');
    // A net whose spec fits a link but not with the example beside it: the net alone, and why.
    const big = week5();
    big.spec.x = Array.from({ length: 300 }, (_, k) => [k / 300, -k / 600]);
    big.spec.y = Array.from({ length: 300 }, () => [0.8]);
    big.claims = [{ name: 'w7', printed: 0.3, decimals: 1 }];
    const bigData = open(big);
    const specChars = JSON.stringify(bigData.spec).length;
    expect(specChars).toBeLessThanOrEqual(MAX_SHARE_CHARS);
    const long = shareLink(bigData.spec, settings, { worked: bigData.worked!, file: FILE });
    expect(long.fragment).not.toContain('worked=');
    expect(long.leftOut).toMatch(new RegExp(`^The link carries the net but not your worked example's 1 claim: .* more than ${MAX_SHARE_CHARS} fit in a link\\. Send ${FILE.replace('.', '\\.')} with it`));
    // &worked= goes with a #spec= link only, and must be {file, example}.
    expect(() => readFragment('#worked=e30')).toThrow(SpecError);
    expect(() => checkLink(readFragment(`#${shareLink(data.spec, settings, undefined).fragment}&worked=e30`))).toThrow(/^worked: must be \{file, example\}/);
  });
});

describe("a share link made on your data's validation rows", () => {
  it('says it leaves them out (a spec has none), and so the early stop it carries is off where it opens', () => {
    const data = open(week5());
    const fit = { optimizer: { name: 'adam' as const, lr: 0.05 }, batchSize: 4, epochs: 200 };
    const stopping = { batchSize: 4, fit: { ...fit, earlyStop: { patience: 3, restoreBest: true } } };
    expect(shareLink(data.spec, stopping, undefined, 40).leftOut).toBe('The link carries the net and its training rows, not your data\'s 40 validation rows (a spec has none): where it opens, Fit has no validation loss, and so no early stop (the link\'s patience 3 waits in the panel, off).');
    expect(shareLink(data.spec, { batchSize: 4, fit }, undefined, 1).leftOut).toBe('The link carries the net and its training rows, not your data\'s 1 validation row (a spec has none): where it opens, Fit has no validation loss.');
    // No validation rows: nothing to say.
    expect(shareLink(data.spec, stopping, undefined, 0).leftOut).toBeUndefined();
    expect(shareLink(data.spec, stopping, undefined).leftOut).toBeUndefined();
    // Both left out (review mut64b): the worked example's claims, then the validation rows, in one note.
    const big = week5();
    big.spec.x = Array.from({ length: 300 }, (_, k) => [k / 300, -k / 600]);
    big.spec.y = Array.from({ length: 300 }, () => [0.8]);
    big.claims = [{ name: 'w7', printed: 0.3, decimals: 1 }];
    const bigData = open(big);
    const both = shareLink(bigData.spec, { batchSize: 4, fit }, { worked: bigData.worked!, file: FILE }, 2).leftOut;
    expect(both).toMatch(new RegExp(`^The link carries the net but not your worked example's 1 claim: .* with it \\(Device & files → Open checks its claims\\)\\. The link carries the net and its training rows, not your data's 2 validation rows \\(a spec has none\\): where it opens, Fit has no validation loss\\.$`));
  });
});
