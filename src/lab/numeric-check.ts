/**
 * The Notation tab's finite-difference check (README "The course lab"): the slope of the loss measured by nudging the
 * selected parameter by ±h — (L(p + h) − L(p − h)) / 2h, two float64 forward passes of the scalar engine
 * (src/notation/numeric.ts numericGrad), no chain rule — beside backprop's value the tab already shows: the scalar
 * chain rule's total, and after Backward the backend's dW or db entry of the matrix form. The line with the formula is
 * `backprop explain --numeric`'s (src/notation/numeric-line.ts numericText), the words above it are for a student.
 *
 * On demand (a button), not at every load and step: one parameter is 2 forward passes over the batch, ~0.1–0.6 ms on
 * the lecture nets but ~0.3 s on a 784-32-10 net with 100 examples and ~0.9 s on a 2-8-1 net with 80 000 (Node,
 * 2 shared cores, 2026-12-08) — the tab re-renders at every step. "Check every parameter" (nets of at most EVERY_MAX
 * entries, after Backward: against the backend's dW and db, src/notation/numeric.ts gradCheck) works EVERY_CHUNK
 * entries at a time and lets the page paint between (a re-render stops it).
 *
 * `numericCheck` and `checkEvery` are pure (Node tests); `numericSection` puts them in the page.
 * CSS classes: .explain-numeric (the <section>), .explain-numeric-words (with .ok, .bad or .kink), .explain-numeric-line
 * (the CLI's line), .explain-numeric-table (every parameter's check).
 */
import { messageOf } from '../checks.ts';
import type { MatrixRun } from '../notation/matrix.ts';
import { type Naming, type ParamId, paramKey, paramPlace } from '../notation/names.ts';
import { fmtFull } from '../notation/numbers.ts';
import { numericText } from '../notation/numeric-line.ts';
import { agrees, allParams, GRAD_CHECK_REL, gradCheck, type GradCheckRow, NUMERIC_H, numericGrad, relativeError, relText, smallText } from '../notation/numeric.ts';
import { symText } from '../notation/symbols.ts';
import type { Net, NetworkSpec } from '../spec.ts';
import { afterPaint, alertEl, el, fillRow } from './dom.ts';

/** What the check needs, as the panel has it (explain-panel.ts explanationModel). */
export interface NumericInputs {
  /** The spec the panel explains: its weights and the batch of the pass shown. */
  spec: NetworkSpec;
  net: Net;
  param: ParamId;
  naming: Naming;
  /** The scalar chain rule's total (float64): backprop's value as the tab shows it. */
  total: number;
  /** After Backward: the backend's run (its dW and db) and its entry for `param` (the matrix form's value). */
  run?: MatrixRun;
  value?: number;
}

/** One parameter's check. */
export interface NumericCheck {
  status: 'ok' | 'bad' | 'kink';
  /** (L(p + h) − L(p − h)) / 2h. */
  numeric: number;
  /** Its relative error to the chain rule's total. */
  relErr: number;
  /** In words, for a student. */
  words: string;
  /** The backend's entry against it, in words (after Backward; none at a kink). */
  backend?: string;
  /** `backprop explain --numeric`'s line: the formula and the numbers. */
  line: string;
}

/** Nets of at most this many W and b entries get "Check every parameter". */
export const EVERY_MAX = 300;
/** Entries worked between two paints. */
export const EVERY_CHUNK = 16;


/** h as a decimal (1e-5 → 0.00001): the words' "±0.00001". */
export function decimalText(h: number): string {
  const t = h.toFixed(20);
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
}

/** "dW₂[0][0]" or "db₁ (shared …)": the gradient entry the matrix form shows. */
const gradPlace = (net: Net, p: ParamId): string => `d${paramPlace(net, p)}`;

/** The slope measured for `i.param`, beside backprop's. Pure; never throws (an error is returned). */
export function numericCheck(i: NumericInputs): NumericCheck | { error: string } {
  let n;
  try {
    n = numericGrad(i.spec, { params: [i.param], h: NUMERIC_H }).entries[0];
  } catch (err) {
    return { error: messageOf(err) };
  }
  const name = symText(i.naming.param(i.param));
  const line = numericText(n, name, symText(i.naming.loss), i.total, i.naming);
  const relErr = relativeError(i.total, n.value);
  const nudge = `nudging ${name} by ±${decimalText(n.h)}`;
  if (n.kink) {
    const act = i.net.layers[n.kink.layer].activation === 'leaky_relu' ? 'leaky relu' : 'relu';
    const z = symText(i.naming.node({ kind: 'z', layer: n.kink.layer, unit: n.kink.unit }));
    const words = `Not compared: ${nudge} moves ${z} (example ${n.kink.example + 1}) across 0, where ${act} bends. The loss has a corner there, so the two sides of the nudge have different slopes and the measured one is neither of them.`;
    return { status: 'kink', numeric: n.value, relErr, words, line };
  }
  const ok = agrees(i.total, n.value);
  const words = ok
    ? `The slope of the loss measured by ${nudge} agrees with backprop to ${relText(relErr)} ✓ (measured ${fmtFull(n.value)}, chain rule ${fmtFull(i.total)}).`
    : `The slope of the loss measured by ${nudge}, ${fmtFull(n.value)}, differs from backprop's ${fmtFull(i.total)}: relative error ${relText(relErr)}, more than ${smallText(GRAD_CHECK_REL)} ✗.`;
  const out: NumericCheck = { status: ok ? 'ok' : 'bad', numeric: n.value, relErr, words, line };
  if (i.run && i.value !== undefined) {
    const r = relativeError(i.value, n.value);
    out.backend = `${i.run.backend}'s ${gradPlace(i.net, i.param)} (float32), ${fmtFull(i.value)}, ${agrees(i.value, n.value) ? `agrees with the measured slope to ${relText(r)} ✓` : `differs from the measured slope: relative error ${relText(r)} ✗`}.`;
  }
  return out;
}

/** One row of the every-parameter check. */
export interface EveryRow extends GradCheckRow {
  /** The parameter's name (w5). */
  name: string;
}

/** Every parameter's check against the backend's dW and db, and its worst relative error. */
export interface EveryCheck {
  rows: EveryRow[];
  /** The judged row with the largest relative error (a non-finite one counts as the largest); none when all are kinks. */
  worst?: EveryRow;
  /** What the table shows, its verdict included. */
  caption: string;
}

/** Whether `net` is small enough for checkEvery. */
export const checksEvery = (net: Net): boolean => allParams(net).length <= EVERY_MAX;

/**
 * Every W and b entry's centred difference against `i.run`'s dW and db (gradCheck), EVERY_CHUNK entries between two
 * `pause`s; `progress(done, total)` after each chunk, false to stop (then undefined). Needs a run.
 * @throws {Error} without a run, or past EVERY_MAX entries; numericGrad's errors.
 */
export async function checkEvery(i: NumericInputs, progress: (done: number, total: number) => boolean, pause: () => Promise<void>): Promise<EveryCheck | undefined> {
  const run = i.run;
  if (!run) throw new Error('Run Backward first: every parameter is checked against the backend\'s dW and db.');
  const params = allParams(i.net);
  if (params.length > EVERY_MAX) throw new Error(`This net has ${params.length} parameters; every one is checked on nets of at most ${EVERY_MAX}.`);
  const rows: EveryRow[] = [];
  for (let k = 0; k < params.length; k += EVERY_CHUNK) {
    const num = numericGrad(i.spec, { params: params.slice(k, k + EVERY_CHUNK), h: NUMERIC_H });
    for (const row of gradCheck(num, run)) rows.push({ ...row, name: symText(i.naming.param(row.param)) });
    if (!progress(rows.length, params.length)) return undefined;
    if (rows.length < params.length) await pause();
  }
  const size = (r: EveryRow): number => (Number.isFinite(r.relErr) ? r.relErr : Infinity);
  const worst = rows.filter((r) => r.status !== 'kink').reduce<EveryRow | undefined>((w, r) => (w === undefined || size(r) > size(w) ? r : w), undefined);
  const bad = rows.filter((r) => r.status === 'bad').length;
  const kinks = rows.filter((r) => r.status === 'kink').length;
  const head = `Every parameter's slope measured by nudging it by ±${decimalText(NUMERIC_H)}, against ${run.backend}'s dW and db (float32)`;
  const verdict = worst === undefined ? 'every one crosses a kink: none judged'
    : `worst relative error ${relText(worst.relErr)} at ${worst.name} (${paramPlace(i.net, worst.param)}) ${bad === 0 ? '✓' : `✗ — ${bad} of ${rows.length} disagree`}`;
  return { rows, worst, caption: `${head}: ${verdict}${kinks > 0 ? `; ${kinks} across a kink, not judged` : ''}.` };
}

// ——— DOM ———

const MARK: Record<GradCheckRow['status'], string> = { ok: '✓', bad: '✗', kink: 'kink: not judged' };

function everyTable(every: EveryCheck, net: Net, backend: string): HTMLTableElement {
  const table = el('table', 'explain-numeric-table');
  table.append(el('caption', undefined, every.caption));
  const head = el('thead');
  const tr = el('tr');
  for (const h of ['parameter', 'place', `backprop (${backend}, float32)`, 'measured (float64)', 'relative error', 'verdict']) {
    const th = el('th', undefined, h);
    th.setAttribute('scope', 'col');
    tr.append(th);
  }
  head.append(tr);
  const body = el('tbody');
  for (const r of every.rows) {
    const row = el('tr', r.status);
    row.dataset.param = paramKey(r.param);
    fillRow(row, [r.name, paramPlace(net, r.param), fmtFull(r.analytic), fmtFull(r.numeric), relText(r.relErr), MARK[r.status]]);
    body.append(row);
  }
  table.append(head, body);
  return table;
}

let ids = 0;

/** The section under the matrix form: what the check does, its button(s), and a status region for the result. */
export function numericSection(i: NumericInputs): HTMLElement {
  const sec = el('section', 'explain-numeric');
  const name = symText(i.naming.param(i.param));
  const L = symText(i.naming.loss);
  const hintId = `explain-numeric-hint-${++ids}`;
  const hint = el('p', 'explain-numeric-what', `Is the chain rule's number the slope of ${L}? Measure it without the chain rule: nudge ${name} by ±${decimalText(NUMERIC_H)}, run the net forward twice, and divide the change in ${L} by 2h.`);
  hint.id = hintId;
  const one = el('button', undefined, 'Check by finite differences');
  one.type = 'button';
  one.setAttribute('aria-describedby', hintId);
  const out = el('div', 'explain-numeric-out');
  out.setAttribute('role', 'status');
  const bar = el('div', 'explain-numeric-bar');
  bar.append(one);
  sec.append(el('h3', undefined, 'Finite-difference check'), hint, bar, out);
  one.addEventListener('click', () => {
    out.replaceChildren(el('p', undefined, `Measuring the slope of ${L} at ${name}…`));
    void afterPaint().then(() => {
      const c = numericCheck(i);
      if ('error' in c) {
        out.replaceChildren(alertEl(c.error));
        return;
      }
      const words = el('p', `explain-numeric-words ${c.status}`, c.words);
      const line = el('p', 'explain-numeric-line');
      line.append(el('code', undefined, c.line));
      out.replaceChildren(words, ...(c.backend ? [el('p', 'explain-numeric-words', c.backend)] : []), line);
    });
  });
  if (i.run && checksEvery(i.net)) {
    const every = el('button', undefined, 'Check every parameter');
    every.type = 'button';
    bar.append(every);
    every.addEventListener('click', () => {
      every.disabled = true;
      const line = el('p', undefined, 'Checking every parameter…');
      out.replaceChildren(line);
      const going = (done: number, total: number): boolean => {
        line.textContent = `Checked ${done} of ${total} parameters…`;
        return sec.isConnected;
      };
      checkEvery(i, going, afterPaint).then(
        (r) => { if (r) out.replaceChildren(everyTable(r, i.net, i.run?.backend ?? '')); },
        (err: unknown) => out.replaceChildren(alertEl(messageOf(err))),
      ).finally(() => { every.disabled = false; });
    });
  }
  return sec;
}
