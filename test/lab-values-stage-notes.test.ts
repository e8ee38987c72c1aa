/**
 * src/lab/views.ts in Node, on the stand-in DOM of test/lib/fake-dom.ts (the diagram, a canvas-measuring class built as
 * views.ts loads, stubbed; the Notation tab's panel records what it is given): (1) the stage line and the Update table
 * while a Train or a Fit runs (drawValues): the line is the run's ("Fitting …") and the session still holds the pass
 * from before it, so an Example or Notation choice wrote that old pass's "Loss on the CPU: L = …" over the run's line
 * (read60b; test/browser/lab-selection checks a Train only); (2) what lecture 001's notes print beside the Update
 * table and the chain rule (lectureNotes, notesButton, showClaimRow), reached before only by the browser test.
 * Expected values by hand: L = 0.2748111 at the stage line's 4 decimals is 0.2748; the notes' lines and verdicts from
 * src/lectures/ERRATA.md (∂L/∂w5 = 0.0822 ✓ on 98 and 225; new w5's errata on 106 and 108; ∂L/∂w2's 0.00135 an
 * erratum on 185, 187 and 219); a second Update is no step the notes print.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from '../src/lab/page.ts';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import { checkWorked } from '../src/worked/check.ts';
import { lecture } from '../src/lectures/index.ts';
import { validateSpec } from '../src/spec.ts';
import { FakeElement } from './lib/fake-dom.ts';

// The Notation tab's panel records what it is given (the notes' marks beside the chain rule among it).
const explained = vi.hoisted((): { notes?: unknown }[] => []);
vi.mock('../src/lab/explain-panel.ts', async (actual) => ({ ...(await actual<object>()), renderExplanation: (_host: unknown, args: { notes?: unknown }) => { explained.push(args); } }));
vi.mock('../src/lab/diagram.ts', () => ({ NetworkDiagram: class { constructor(..._args: unknown[]) {} } }));

class El extends FakeElement {
  readonly style: Record<string, string> = {};
  /** A table row's cells (drawValues appends the notes' marks to them). */
  get cells(): FakeElement[] {
    return this.children;
  }
  scrolled = false;
  scrollIntoView(): void {
    this.scrolled = true;
  }
}

const spec = lecture('lecture-2-2-1').worked.spec;
const els = new Map<string, El>();
const el = (id: string): El => {
  if (!els.has(id)) els.set(id, new El('p'));
  return els.get(id)!;
};
const body: { dataset: Record<string, string | undefined> } = { dataset: {} };
const saved = { ...page };

beforeEach(() => {
  els.clear();
  explained.length = 0;
  body.dataset = {};
  vi.stubGlobal('window', { matchMedia: () => ({ matches: false }) });
  vi.stubGlobal('document', { body, getElementById: el, querySelectorAll: () => [], createElement: (tag: string) => new El(tag), createElementNS: (_: string, tag: string) => new El(tag) });
  // The session as drawValues reads it: the pass from before the run, at the Loss stage, on the CPU.
  Object.assign(page, { session: { pass: { loss: 0.2748111 }, stage: 'loss', kind: 'cpu', net: validateSpec(spec).net, lab: { spec } } });
});
afterEach(() => {
  vi.unstubAllGlobals();
  Object.assign(page, saved);
});

describe('drawValues while a run holds the stage line', () => {
  it.each(['Train', 'Fit'])('a %s running: the run\'s line and the values stay; once it ends the pass is drawn', async (run) => {
    const { drawValues } = await import('../src/lab/views.ts');
    const running = `${run === 'Fit' ? 'Fitting 3 epochs' : 'Training 20 steps'} on the CPU: Forward and the other steps wait`;
    el('stage-out').textContent = running;
    const kept = new El('table');
    el('values').append(kept);
    body.dataset.busy = run;
    drawValues();
    expect(el('stage-out').textContent).toBe(running);
    expect(el('values').children).toEqual([kept]);
    body.dataset.busy = undefined;
    drawValues();
    expect(el('stage-out').textContent).toBe('Loss on the CPU: L = 0.2748');
    expect(el('values').children).toEqual([]);
  });
});

describe("the Update table beside lecture 001's first step: what the notes print (src/lab/views.ts lectureNotes)", () => {
  const marksOf = (row: FakeElement | undefined): string[][] => (row?.children.slice(2) ?? []).map((cell) =>
    cell.children.flatMap((box) => box.children.map((m) => `${m.tagName} ${m.className}: ${m.textContent}`)));

  const worked = lecture('lecture-2-2-1').worked;
  const rowOf = (name: string) => (table: FakeElement | undefined) =>
    table?.children.find((c) => c.tagName === 'tbody')?.children.find((tr) => tr.dataset.param === name);
  /** The Update table after `steps` Updates from the lecture's weights, drawn as the page draws it. */
  async function updated(steps: number): Promise<{ table: FakeElement | undefined; s: LabSession }> {
    const { drawValues } = await import('../src/lab/views.ts');
    const s = await LabSession.open(checkLabSpec(structuredClone(spec)), 'cpu', null);
    for (let k = 0; k < steps; k++) await s.update();
    Object.assign(page, { session: s, data: { kind: 'lecture', spec, worked } });
    el('convention').value = '';
    drawValues();
    return { table: el('values').children.find((c) => c.tagName === 'table'), s };
  }

  it('w5: its gradient ✓ as in the notes (lines 98, 225); new w5 two errata, each a button (lines 106, 108)', async () => {
    const { table, s } = await updated(1);
    try {
      expect(marksOf(rowOf('W[1][0][0]')(table))).toEqual([
        ['span notes-ok: ✓ as in the notes (lines 98, 225)'],
        ['button notes-mark erratum: the notes print 0.40 − (0.00000000) (line 106): an erratum', 'button notes-mark erratum: the notes print 0.399927 (line 108): an erratum'],
      ]);
    } finally {
      s.dispose();
    }
  });

  it("∂L/∂w2's 0.00135 on lines 185, 187, 219: one button, and it opens line 185's Lecture checks row", async () => {
    const { table, s } = await updated(1);
    try {
      const cell = rowOf('W[0][0][1]')(table)?.children[2];
      const buttons = cell?.children.flatMap((box) => box.children) ?? [];
      expect(buttons.map((b) => b.textContent)).toEqual(['the notes print 0.00135 (lines 185, 187, 219): an erratum']);
      const row185 = checkWorked(worked).checks.findIndex((c) => c.claim.line === 185);
      buttons[0].click();
      const tr = el(`claim-row-${row185}`);
      expect({ shown: tr.classList.contains('claim-shown'), focused: tr.focused, scrolled: tr.scrolled }).toEqual({ shown: true, focused: true, scrolled: true });
      for (const line of [187, 219]) expect(el(`claim-row-${checkWorked(worked).checks.findIndex((c) => c.claim.line === line)}`).focused, `line ${line}`).toBe(false);
    } finally {
      s.dispose();
    }
  });

  it("a gradient the notes' 0.0822 is not (a backend's float32 gone astray, stood in here by 0.0830): a button to line 98's row", async () => {
    const { drawValues } = await import('../src/lab/views.ts');
    const { s } = await updated(1);
    try {
      s.pass!.dW[1][0] = 0.083; // ∂L/∂w5 (W₂[0][0]) as the table shows it: 0.0830 at 4 decimals, not 0.0822
      drawValues();
      const table = el('values').children.find((c) => c.tagName === 'table');
      expect(marksOf(rowOf('W[1][0][0]')(table))[0]).toEqual(['button notes-mark differs: the notes print 0.0822 (lines 98, 225)']);
    } finally {
      s.dispose();
    }
  });

  it('after a second Update (no lecture prints that step) no row has a mark', async () => {
    const { table, s } = await updated(2);
    try {
      const rows = table?.children.find((c) => c.tagName === 'tbody')?.children ?? [];
      expect(rows.length).toBe(8); // w1…w6, b1 (shared by the hidden units), b2
      expect(rows.flatMap(marksOf).flat()).toEqual([]);
    } finally {
      s.dispose();
    }
  });
});

describe("the Notation tab beside lecture 001's chain rule (src/lab/views.ts drawExplanation → lectureNotes)", () => {
  it.each(['Forward', 'Update'])("w5 selected, after %s from the lecture's weights: ✓ as in the notes (lines 98, 225), the Lecture checks rows' own verdict", async (stage) => {
    const { drawExplanation } = await import('../src/lab/views.ts');
    const s = await LabSession.open(checkLabSpec(structuredClone(spec)), 'cpu', null);
    try {
      // After Update the tab works the step's pass, at the weights before it: the lecture's, so the marks stay.
      await (stage === 'Forward' ? s.forward() : s.update());
      Object.assign(page, { session: s, data: { kind: 'lecture', spec, worked: lecture('lecture-2-2-1').worked }, selected: { kind: 'W', layer: 1, row: 0, col: 0 }, example: 0 });
      el('convention').value = '';
      drawExplanation();
      expect(explained).toHaveLength(1);
      const notes = explained[0].notes as FakeElement | undefined;
      expect(notes?.children.map((m) => `${m.tagName} ${m.className}: ${m.textContent}`)).toEqual(['span notes-ok: ✓ as in the notes (lines 98, 225)']);
    } finally {
      s.dispose();
    }
  });
});
