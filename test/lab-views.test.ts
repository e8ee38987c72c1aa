/**
 * The lab's views in Node: the editor's name for a net (editedName), the page's number fields (readNumber), a
 * Train's step count (checkTrainSteps), the Lecture checks table's rows (claimRows), the Backward line's formulas
 * (backwardFormulas), and showInstead (a net goes on the page only once every view has drawn it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BackpropError, DisposedError, LimitError, NonFiniteError, SpecError } from '../src/errors.ts';
import { fieldText, readNumber } from '../src/lab/fields.ts';
import { architecture, editedName } from '../src/lab/editor.ts';
import { LabSession, checkLabSpec, checkTrainSteps } from '../src/lab/session.ts';
import { showInstead, type Shown } from '../src/lab/swap.ts';
import type { ParamId } from '../src/notation/names.ts';
import { backwardFormulas, chainRuleHint, CLAIM_COLUMNS, claimRows, errorLine, resetLine } from '../src/lab/words.ts';
import { LECTURES, lecture } from '../src/lectures/index.ts';
import { validateSpec, type NetworkSpec } from '../src/spec.ts';
import { checkWorked } from '../src/worked/check.ts';
import { worked, xorSpec } from './lib/lab-nets.ts';

describe('editedName (the editor: a net of other shapes gets their name)', () => {
  it('replaces the sizes at the end of the name, or adds them; the same shapes keep the name', () => {
    expect(architecture(2, [{ units: 16 }, { units: 8 }, { units: 1 }])).toBe('2-16-8-1');
    expect(editedName('xor: 2-4-1', '2-4-1', '2-16-8-1')).toBe('xor: 2-16-8-1');
    expect(editedName('lecture-2-2-1-nobias', '2-2-1', '2-3-1')).toBe('lecture-2-2-1-nobias (2-3-1)');
    expect(editedName('xor: 2-4-1', '2-4-1', '2-4-1')).toBe('xor: 2-4-1');
  });
});

describe('the Lecture checks table (claimRows)', () => {
  it('gives each claim the lecture line it is printed on, first, as `backprop check` does: rows the same but for it are told apart', () => {
    expect(CLAIM_COLUMNS).toEqual(['line', 'claim', 'printed', 'engine', 'verdict']);
    const rows = claimRows(checkWorked(worked).checks);
    // Lecture 001 prints ŷ = 0.7514 on lines 39 and 41, and new w5 on lines 102, 104, 106 and 108.
    expect(rows.filter((r) => r[1] === 'ŷ' && r[2] === '0.7514').map((r) => r[0])).toEqual(['39', '41']);
    expect(rows.filter((r) => r[1] === 'new w5').map((r) => r[0])).toEqual(['102', '104', '106', '108']);
    // Without the line, rows of every lecture repeated (ŷ 0.7514 twice, ∂L/∂w2 0.00135 three times, new w5 …).
    for (const l of LECTURES) {
      const cells = claimRows(checkWorked(l.worked).checks).map((r) => r.join(' | '));
      expect(cells.length, l.id).toBeGreaterThan(0);
      expect(cells.filter((r, k) => cells.indexOf(r) !== k), l.id).toEqual([]);
    }
    // A claim the file gives no line for: the cell is blank, as check's column is.
    const one = { ...worked, claims: [{ ...worked.claims[0], line: undefined }] };
    expect(claimRows([checkWorked(one).checks[0]])[0][0]).toBe('');
  });

  it("an erratum's verdict is its why, then its doubt where it has one (lecture 004 line 14: J = 1 read amid OCR noise)", () => {
    const relu = lecture('lecture-relu-exercise').worked;
    const j = checkWorked(relu).checks.find((c) => c.claim.line === 14 && c.claim.erratum?.doubt !== undefined)!;
    expect(claimRows([j])[0][4]).toBe(`erratum: ${j.claim.erratum!.why} Doubt: ${j.claim.erratum!.doubt!}`);
    // One without a doubt: its why alone.
    const plain = checkWorked(worked).checks.find((c) => c.status === 'known-erratum' && c.claim.erratum?.doubt === undefined)!;
    expect(claimRows([plain])[0][4]).toBe(`erratum: ${plain.claim.erratum!.why}`);
  });
});

describe('the Backward stage line (backwardFormulas)', () => {
  const net = (spec: NetworkSpec) => validateSpec(spec).net;
  it('writes dW and db per layer with the scale and subscripts, as the Notation tab does (dW₂ = (1/200)·δ₂·A₁ᵀ)', () => {
    // The circle preset's net: 2-8-1, mean over 200 examples.
    const circle = net({ ...xorSpec(), layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], reduction: 'mean' });
    expect(backwardFormulas(circle, 200)).toBe('δ₁ = (W₂ᵀ·δ₂) ⊙ f′(Z₁); dW₂ = (1/200)·δ₂·A₁ᵀ, db₂ = (1/200)·δ₂·1, dW₁ = (1/200)·δ₁·A₀ᵀ (A₀ = X), db₁ = (1/200)·δ₁·1');
    // A sum, or one example: no scale (README: scale is 1/N for a mean, 1 for a sum).
    expect(backwardFormulas(net({ ...xorSpec(), reduction: 'sum' }), 4)).not.toMatch(/1\//);
    // Lecture 001: one example; b1 is one bias shared by both hidden units, so db₁ sums all of δ₁.
    const l221 = backwardFormulas(net(worked.spec), 1);
    expect(l221).toMatch(/^δ₁ = \(W₂ᵀ·δ₂\) ⊙ f′\(Z₁\); dW₂ = δ₂·A₁ᵀ, db₂ = δ₂·1, dW₁ = δ₁·A₀ᵀ \(A₀ = X\), db₁ = Σ δ₁ /);
    // Lecture 002 has no biases: no db at all.
    expect(backwardFormulas(net(lecture('lecture-2-2-1-nobias').worked.spec), 1)).not.toMatch(/db/);
    // Three layers: two recursions, from the output down.
    const deep = backwardFormulas(net({ ...xorSpec(), layers: [{ units: 3, activation: 'tanh' }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] }), 4);
    expect(deep).toMatch(/^δ₂ = \(W₃ᵀ·δ₃\) ⊙ f′\(Z₂\); δ₁ = \(W₂ᵀ·δ₂\) ⊙ f′\(Z₁\); dW₃ = \(1\/4\)·δ₃·A₂ᵀ/);
  });
});

describe("the notice's error line (errorLine)", () => {
  it('names the field once: in the message when it starts with it, else in brackets', () => {
    // A NonFiniteError's message starts with its element ("x[0][0] is 1e+39; …"): it was named a second time in brackets.
    expect(errorLine('Train', new NonFiniteError('x[0][0]', 1e39))).toBe('Train failed — NonFiniteError: x[0][0] is 1e+39; every value must be finite');
    expect(errorLine('Opening the link', new SpecError('preset', "no preset 'x'"), 'The lecture-2-2-1 preset is loaded instead.'))
      .toBe("Opening the link failed — SpecError: preset: no preset 'x'. The lecture-2-2-1 preset is loaded instead.");
    // A message that does not start with its field (or starts with a longer name it is the start of) gets it in brackets.
    expect(errorLine('Loss surface', new BackpropError('SPEC', 'choose two different parameters', 'surface'))).toBe('Loss surface failed — BackpropError (field: surface): choose two different parameters');
    expect(errorLine('Train', new BackpropError('NON_FINITE', 'x[0][1] is NaN', 'x[0]'))).toBe('Train failed — BackpropError (field: x[0]): x[0][1] is NaN');
    // A plain Error's name says only that it is an error: left out, as the bench leaves it out (shownMessageOf, src/checks.ts).
    // It read "Fit failed — Error: boom", and the loss surface's worker error (a plain Error carrying the worker's named
    // text) "Loss surface failed — Error: SpecError: resolution: …".
    expect(errorLine('Fit', new Error('boom'))).toBe('Fit failed — boom');
    expect(errorLine('Train', 'a thrown string')).toBe('Train failed — a thrown string');
    expect(errorLine('Loss surface', new Error('SpecError: resolution: at most 201'))).toBe('Loss surface failed — SpecError: resolution: at most 201');
    expect(errorLine('Fit', new TypeError('x is undefined'), 'Try again.')).toBe('Fit failed — TypeError: x is undefined. Try again.');
    // A plain Error without a message says it is one: "Fit failed — " said nothing (before the prefix rule, "Error: ").
    expect(errorLine('Fit', new Error())).toBe('Fit failed — Error');
    expect(errorLine('Train', new Error(' '), 'Try again.')).toBe('Train failed — Error. Try again.');
    // A named error without a message, its name alone: "Fit failed — TypeError: " said nothing after it.
    expect(errorLine('Fit', new TypeError())).toBe('Fit failed — TypeError');
    expect(errorLine('Fit', new RangeError(''), 'Try again.')).toBe('Fit failed — RangeError. Try again.');
  });
});

describe('checkTrainSteps (Train\'s Steps field, checked before a Train starts)', () => {
  it('takes a whole number 1 … 100000; else a SpecError naming steps', () => {
    for (const bad of [200000, 0, -1, 1.5]) expect(() => checkTrainSteps(bad), String(bad)).toThrow(/^steps: /);
    expect(() => checkTrainSteps(200000)).toThrow(SpecError);
    expect([checkTrainSteps(1), checkTrainSteps(100000)]).toEqual([1, 100000]);
  });
});

describe('readNumber (the page\'s number fields)', () => {
  it('an empty or non-numeric field is a SpecError naming it, never a silent 0; a number is read as typed', () => {
    expect(() => readNumber('', 'lr')).toThrow(SpecError);
    expect(() => readNumber('  ', 'lr')).toThrow(/^lr: must be a number, got an empty field/);
    expect(() => readNumber('abc', 'batchSize')).toThrow(/^batchSize: must be a number, got 'abc'/);
    expect(() => readNumber('Infinity', 'epochs')).toThrow(/^epochs:/);
    expect([readNumber('0', 'lr'), readNumber(' 0.05 ', 'lr'), readNumber('1e-3', 'lr'), readNumber('-1', 'lr')]).toEqual([0, 0.05, 0.001, -1]);
  });

  it('a number field holding typed text that is not a number ("1e": value \'\', badInput) says so, not "an empty field"', () => {
    // As Chromium gives an <input type="number"> with "1e" typed in it (seen on the page: Steps "1e", Train).
    expect(() => readNumber({ value: '', validity: { badInput: true } }, 'steps')).toThrow(/^steps: must be a number; what is typed there is not one \(text, or beyond ±1\.8e308\)$/);
    expect(() => readNumber({ value: '', validity: { badInput: false } }, 'steps')).toThrow(/^steps: must be a number, got an empty field$/);
    expect(readNumber({ value: '200', validity: { badInput: false } }, 'steps')).toBe(200);
    // The editor reads its fields when Apply is pressed: the snapshot keeps the flag.
    const live = { value: '', validity: { badInput: true } };
    const snap = fieldText(live);
    live.validity.badInput = false;
    expect(() => readNumber(snap, 'lr')).toThrow(/what is typed there is not one/);
  });
});

describe('showInstead (a net goes on the page only once every view has drawn it)', () => {
  const wider = (): NetworkSpec => ({ ...xorSpec(), name: 'xor-wide', layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] });
  type Page = Shown<LabSession, string, ParamId>;

  it('a view that throws leaves the previous session, data, example and selection, drawn again; the new session is disposed', async () => {
    const old = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const next = await LabSession.open(checkLabSpec(wider()), 'cpu', null);
    const selected: ParamId = { kind: 'W', layer: 1, row: 0, col: 3 };
    const state: Page = { session: old, data: 'xor data', example: 2, selected };
    const drawn: (string | undefined)[] = [];
    const draw = () => {
      drawn.push(state.session?.net.layers[0].units === 8 ? 'new' : 'old');
      // As the boundary did for a 2-100000-1 net: an allocation the view could not make.
      if (state.session === next) throw new RangeError('Array buffer allocation failed');
    };
    // The Loss surface pickers: reset by every draw (fillSurfaceParams), put back after the old net's redraw.
    let picks = 'W₂[0][3], b₁[2]';
    const kept = { save: () => picks, restore: (p: string) => { drawn.push('restored'); picks = p; } };
    const drawing = () => { picks = 'the net\'s defaults'; draw(); };
    const swap = () => showInstead(state, { session: next, data: 'wide data', example: 0, selected: undefined }, drawing, kept);
    expect(swap).toThrow(LimitError);
    expect(drawn).toEqual(['new', 'old', 'restored']);
    expect(picks).toBe('W₂[0][3], b₁[2]');
    expect(state).toEqual({ session: old, data: 'xor data', example: 2, selected });
    expect(state.session).toBe(old);
    // The old session still steps; the new one is gone.
    await old.forward();
    expect(old.pass?.loss).toBeGreaterThan(0);
    await expect(next.forward()).rejects.toThrow(DisposedError);
    old.dispose();
  });

  it('says so in a LimitError naming views; an error that is not about room passes through as it is', async () => {
    const old = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const state: Page = { session: old, data: 'xor', example: 0, selected: undefined };
    const failing = (err: Error) => async () => {
      const next = await LabSession.open(checkLabSpec(wider()), 'cpu', null);
      showInstead(state, { session: next, data: 'wide', example: 0, selected: undefined }, () => {
        if (state.session === next) throw err;
      });
    };
    await expect(failing(new RangeError('Invalid typed array length: 10000000000'))()).rejects.toThrow(
      /^views: the page could not draw this net \(RangeError: Invalid typed array length: 10000000000\), so it stays on the previous one$/,
    );
    const typed = new SpecError('surface', 'choose two different parameters');
    await expect(failing(typed)()).rejects.toBe(typed);
    expect(state.session).toBe(old);
    old.dispose();
  });

  it('on success the new net is shown and the previous session disposed', async () => {
    const old = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const next = await LabSession.open(checkLabSpec(wider()), 'cpu', null);
    const state: Page = { session: old, data: 'xor', example: 3, selected: undefined };
    const drawn: (LabSession | null)[] = [];
    showInstead(state, { session: next, data: 'wide', example: 0, selected: { kind: 'b', layer: 0, index: 7 } }, () => drawn.push(state.session));
    expect(drawn).toEqual([next]);
    expect(state).toEqual({ session: next, data: 'wide', example: 0, selected: { kind: 'b', layer: 0, index: 7 } });
    await expect(old.forward()).rejects.toThrow(DisposedError);
    await next.forward();
    next.dispose();
  });
});

describe('showInstead with the same session (review mutants4)', () => {
  const session = () => ({ disposed: 0, dispose() { this.disposed++; } });
  type S = ReturnType<typeof session>;

  it('a redraw of the shown session (other data) that succeeds disposes nothing', () => {
    const s = session();
    const state: Shown<S, string, never> = { session: s, data: 'a', example: 0, selected: undefined };
    showInstead(state, { session: s, data: 'b', example: 1, selected: undefined }, () => {});
    expect([s.disposed, state.data]).toEqual([0, 'b']);
  });

  it('a redraw of the shown session that fails puts the state back and disposes nothing', () => {
    const s = session();
    const state: Shown<S, string, never> = { session: s, data: 'a', example: 0, selected: undefined };
    const err = new Error('draw');
    expect(() => showInstead(state, { session: s, data: 'b', example: 1, selected: undefined }, () => { if (state.data === 'b') throw err; })).toThrow(err);
    expect([s.disposed, state.data]).toEqual([0, 'a']);
  });
});

describe('chainRuleHint (the Backward line\'s last sentence)', () => {
  it('with a weight or bias selected, says its chain rule is shown already; with none, asks for one', () => {
    expect(chainRuleHint(true)).toBe("The selected parameter's chain rule is under Notation.");
    expect(chainRuleHint(false)).toBe('Select a parameter to see its chain rule.');
  });
});

describe('resetLine (the stage line after Reset)', () => {
  it('names the first mini-batch only where a pass has several', () => {
    expect(resetLine(1)).toBe('Back to the exact starting weights: the same steps give the same run. Press Forward.');
    expect(resetLine(10)).toBe('Back to the exact starting weights and the first mini-batch: the same steps give the same run. Press Forward.');
  });
});

describe("the page's menus (src/lab/index.html)", () => {
  it('an <option> is text only: the convention menu writes its names in Unicode (its <sub>, <sup> showed "from-to (wlij)")', () => {
    const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
    const options = [...html.matchAll(/<option\b[^>]*>([\s\S]*?)<\/option>/g)].map((m) => m[1]);
    expect(options.length).toBeGreaterThan(0);
    expect(options.filter((o) => o.includes('<'))).toEqual([]);
    // README's convention table: to-from w^l_{jk} (Nielsen), from-to w^l_{kj}.
    expect(options).toContain('to-from (wˡⱼₖ, Nielsen)');
    expect(options).toContain('from-to (wˡₖⱼ)');
  });

  it('every line an action writes its outcome to is a live region, read out while focus stays on the control pressed', () => {
    // WCAG 4.1.3 (status messages): Read the table said what it found (rows, features, the task) in a plain <p>, so a
    // screen reader heard nothing after Read; the others, each the outcome of a button, were live already.
    const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
    const tagOf = (id: string): string => html.match(new RegExp(`<[a-z]+ id="${id}"[^>]*>`))?.[0] ?? `no #${id}`;
    const outcomes = { 'stage-out': 'Step', 'train-out': 'Train, Fit', 'surface-out': 'Draw', 'verify-out': 'Verify', 'files-out': 'Export, Import, Share', 'task-out': 'Read the table', 'import-out': 'Train on this data' };
    const silent = Object.entries(outcomes).filter(([id]) => !/ (aria-live="(polite|assertive)"|role="(status|alert)")/.test(tagOf(id)));
    expect(silent.map(([id, by]) => `#${id} (${by}): ${tagOf(id)}`)).toEqual([]);
  });

  it("Fit's menu and line name every optimiser from one list (the line said \"20 epochs of adam\" under \"Adam\")", () => {
    // A label for each optimiser: tsc holds OPTIMISER_LABELS to one per OptimizerName (a Record). That the menu offers
    // each and Fit's line names it by its label ("5 epochs of AdamW …") is test/browser/lab-workspace.test.ts's 'Fit with
    // each optimiser' (and 'your CSV': "3 epochs of Adam").
    // The menu is filled from them (training.ts wireTraining): the HTML holds no second list, which the line looked its
    // label up in and threw a plain Error for an optimiser missing there, once the Fit had run.
    const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
    const menu = html.slice(html.indexOf('<select id="fit-optimizer">'), html.indexOf('</select>', html.indexOf('<select id="fit-optimizer">')));
    expect(menu).toBe('<select id="fit-optimizer">');
  });
});
