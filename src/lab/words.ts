/**
 * Sentences the lab's views print around a count, the count and its words agreeing ("1 is an erratum", "its one
 * example"), the Lecture checks table's rows, the Backward stage line's formulas, the Training lines' counts, the
 * optimisers' labels and the notice's error line. No DOM (test/lab-files.test.ts).
 */
import { messageOf, withoutPlainError } from '../checks.ts';
import { BackpropError } from '../errors.ts';
import type { ClaimCheck } from '../worked/check.ts';
import { claimEngine, claimPrinted, engineDecimals, erratumWhy } from '../worked/report.ts';
import { subDigits } from '../notation/ids.ts';
import { fmtGiven } from '../notation/numbers.ts';
import type { Net } from '../spec.ts';
import type { OptimizerName } from '../train/optimizers.ts';
import type { FitRestart } from './session.ts';
import type { AdapterReport } from '../browser/harness.ts';
import { adapterWords, deviceName } from './device.ts';
import type { VerifyReport } from './verify.ts';
import type { LectureChange } from './presets.ts';

/**
 * A fraction 0 … 1 as a percentage with one decimal ("93.9 %"), more where one would round a miss (or a hit) away:
 * 1999 of 2000 right is "99.95 %", never "100.0 %", and 1 of 30 000 "0.003 %", never "0.0 %" (the CLI's progress
 * line prints two decimals).
 */
export function percent(v: number): string {
  const rounded = (d: number): string => (100 * v).toFixed(d);
  let d = 1;
  while (d < 6 && ((v < 1 && rounded(d) === (100).toFixed(d)) || (v > 0 && Number(rounded(d)) === 0))) d++;
  return `${rounded(d)} %`;
}

/** The most differences a sentence names (lectureDiffers): more are counted ("and 2 more"). */
const DIFFERS_SHOWN = 3;

/**
 * How a net differs from the lecture's, as a clause after "this net": "differs from the lecture's in its learning rate
 * (0.37; the lecture's 0.1)"; two joined by "and", three by commas and "and", more cut to the first three and how many
 * more ("…, its learning rate (…) and 1 more": a bare "…" before ", so" read as a sentence cut off).
 */
export function lectureDiffers(differs: readonly string[]): string {
  if (differs.length === 0) return "is not the lecture's own net";
  const shown = differs.slice(0, DIFFERS_SHOWN);
  const list = differs.length > DIFFERS_SHOWN ? `${shown.join(', ')} and ${differs.length - DIFFERS_SHOWN} more`
    : shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `differs from the lecture's in ${list}`;
}

/**
 * The line before the preset's text when the net on the page is no longer that lecture's own: what differs, first (after
 * the text it fell below a lecture's long paragraph, out of view in the Data panel at 1280 × 900; walk49); then that the
 * text after it is the lecture's (`text`: the spec has one; else the lecture is named alone).
 */
export function changedLectureLine(change: LectureChange, text: boolean): string {
  if (change.own) {
    const whose = text ? ` The example's text ("${change.title}", ${change.own.file}) follows:` : ` (Your worked example: "${change.title}", ${change.own.file}.)`;
    return `This net ${lectureDiffers(change.differs).replaceAll("the lecture's", "the example's")}, so the checks of your worked example do not apply to it.${whose}`;
  }
  const whose = text ? ` The lecture's text ("${change.title}") follows:` : ` (The lecture: "${change.title}".)`;
  return `This net ${lectureDiffers(change.differs)}, so the Lecture checks do not apply to it.${whose}`;
}

/**
 * The Lecture checks tab without its table: which nets have checks, and (`change`: the lecture the net on the page was,
 * before an edit, or as a file or link of it trained or edited, and what differs) that they are that lecture's own net's,
 * with the way back to it. The table of the lecture's net stayed under an edited one (2-3-1, another η), as if it checked it.
 */
export function noClaimsLine(change?: LectureChange): string {
  if (change === undefined) return 'The lecture checks are for the lecture presets (Data → Preset → Lecture examples).';
  if (change.own) {
    return `The checks of your worked example ${change.own.file} are for its own net, as printed; this net ${lectureDiffers(change.differs).replaceAll("the lecture's", "the example's")}, `
      + `so they do not apply here. Open ${change.own.file} again (Device & files → Open), or the link it came in, to load its net and see them again.`;
  }
  return `The lecture checks of "${change.title}" are for the lecture's own net, as printed; this net ${lectureDiffers(change.differs)}, `
    + 'so they do not apply here. Choose the lecture in Data → Preset to load its net and see them again.';
}

/**
 * Lecture checks' summary: how many printed claims match, are errata, are unexplained; `doubted`: errata with a doubt
 * (an OCR reading or a truncation under which the notes may be right), wrong only as transcribed. `of`: whose claims
 * ('the lecture'; an opened worked example's: 'your worked example').
 */
export function checksSummary(total: number, counts: { match: number; erratum: number; wrong: number; doubted?: number }, of = 'the lecture'): string {
  const doubted = counts.doubted ?? 0;
  const doubt = doubted === 0 ? '' : `; ${doubted === counts.erratum ? (doubted === 1 ? 'it has' : 'all have') : `${doubted} of them ${doubted === 1 ? 'has' : 'have'}`} a doubt: the notes may be right after all, a misread OCR or a truncation — see its Doubt`;
  return `${total} printed ${total === 1 ? 'value or formula' : 'values and formulas'}: ${counts.match} ${counts.match === 1 ? 'matches' : 'match'}, `
    + `${counts.erratum} ${counts.erratum === 1 ? 'is an erratum' : 'are errata'} (${of} as transcribed is wrong; the engine gives the right value${doubt}), `
    + `${counts.wrong} unexplained. Checked on ${of}'s own starting weights and data, as printed — not on the net on screen once it has trained.`;
}

/**
 * The stage line after Reset. "and the first mini-batch" only where a pass is cut into `batches` > 1 (MNIST's 10): on
 * a full-batch net (every lecture) it named a mini-batch the net does not have.
 */
export function resetLine(batches: number): string {
  return `Back to the exact starting weights${batches > 1 ? ' and the first mini-batch' : ''}: the same steps give the same run. Press Forward.`;
}

/** A count and its noun, agreeing: "1 validation row", "24 validation rows". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * How the data set is cut, in words: "full batch" only when one batch holds every example; otherwise the
 * mini-batch size, and the last one's when it is smaller (`batchPlan(4, 3)`: "2 mini-batches a pass: 1 of 3 examples and
 * a last one of 1").
 */
export function batchPlan(n: number, batchSize: number): string {
  if (batchSize >= n) return 'full batch';
  const whole = Math.floor(n / batchSize);
  const rest = n - whole * batchSize;
  if (rest === 0) return `${whole} mini-batches of ${count(batchSize, 'example')} a pass`;
  return `${whole + 1} mini-batches a pass: ${whole} of ${batchSize} examples and a last one of ${rest}`;
}

/**
 * The Data region's summary: "clouds.csv: 96 examples + 24 validation rows, 2 inputs, 2 classes (BCE); full batch."
 * (`from` the file's name, `task` and `plan` in words; no validation part for 0 rows). It said "1 validation rows".
 */
export function dataSummary(o: { from?: string; worked?: { claims: number; errata: number }; examples: number; validation: number; inputs: number; task: string; plan: string }): string {
  const val = o.validation > 0 ? ` + ${count(o.validation, 'validation row')}` : '';
  const worked = o.worked ? `your worked example (${count(o.worked.claims, 'claim')}, ${o.worked.errata} ${o.worked.errata === 1 ? 'erratum' : 'errata'}); ` : '';
  return `${o.from ? `${o.from}: ` : ''}${worked}${count(o.examples, 'example')}${val}, ${count(o.inputs, 'input')}, ${o.task}; ${o.plan}.`;
}

/**
 * Each optimiser as the Fit panel's menu names it, and Fit's line after it ("20 epochs of Adam": it said "adam" under a
 * menu reading "Adam"). The one list: training.ts fills the menu from it, so every optimiser has its label (the line
 * looked its label up in the menu, and an optimiser missing there threw a plain Error once the Fit had run).
 */
export const OPTIMISER_LABELS: Readonly<Record<OptimizerName, string>> = { sgd: 'SGD', momentum: 'momentum', adam: 'Adam', adamw: 'AdamW' };

/**
 * The mark a Train's or Fit's summary line gets when the run was cut short: " (stopped)" for fewer steps or epochs
 * `done` than `asked`, else nothing. A Stop pressed once the last chunk or epoch had finished stopped nothing: the
 * line said "200 steps … (stopped)" after all 200.
 */
export function stoppedMark(done: number, asked: number): string {
  return done < asked ? ' (stopped)' : '';
}

/**
 * Fit's mark for early stopping (the Fit panel's "early stop"), in place of stoppedMark: from the last epoch's
 * `earlyStop` (`mark`; undefined: none, ''), the Fit's epochs `done` and the last one's `epoch` (fit counts epochs
 * across fits; the line counts this Fit's: best = bestEpoch − epoch + done), and whether the best was kept
 * (`restored`): ` (stopped early: the validation loss did not improve for 3 epochs after epoch 9; the net holds epoch
 * 9, the best)`, or on a Fit that ran all its `asked` epochs ` (the best epoch, 18, kept)` / ` (best validation loss at epoch 18)`.
 */
export function earlyStopMark(o: { done: number; epoch: number; mark: { stopped: boolean; bestEpoch: number } | undefined; restored: boolean; asked: number }): string {
  if (!o.mark) return '';
  const best = o.mark.bestEpoch - o.epoch + o.done;
  // Stopped at the Fit's last epoch (`asked`, the epochs asked for): every epoch ran, so not "stopped early".
  if (!o.mark.stopped || o.done >= o.asked) return o.restored ? ` (the best epoch, ${best}, kept)` : ` (best validation loss at epoch ${best})`;
  const held = o.restored ? `the net holds epoch ${best}, the best` : `epoch ${best} was the best; the net holds the last`;
  return ` (stopped early: the validation loss did not improve for ${count(o.done - best, 'epoch')} after epoch ${best}; ${held})`;
}

/**
 * The stage line's first words after a Fit of `done` epochs: with keep the best epoch (`held`: the Fit's epoch the net
 * went back to, earlyStopMark's `best`; undefined where it holds the last) it said "Fitted 10 epochs." while the net
 * held epoch 8.
 */
export function fittedStage(done: number, held?: number): string {
  return `Fitted ${count(done, 'epoch')}${held === undefined ? '' : `; the net holds epoch ${held}, the best`}.`;
}

/**
 * Where a failed Train stopped, and the progress bar's value under its line: the steps of it the net kept (`kept`: the
 * session's step count after it less before) of `asked`, on `where`. Fewer kept than `ran` (the last progress) when the
 * device was lost mid-Train: the steps run since the weights were last read are taken back (session.ts forgetSteps),
 * and the line says so. It said "after 11 of 100 steps" while the net went on from the weights before the Train, and
 * the bar stayed at the steps that ran ("11 of 100" under "stopped after 0 of 100 steps (11 more steps ran, lost with
 * the device)"), as if the net had them: the bar is the steps kept, as the line counts them. All `asked` kept (a GPU
 * error caught after the last chunk had run) is said as fitStoppedLine says it: the line said "Train stopped after
 * 100 of 100 steps".
 */
export function trainStopped(o: { kept: number; ran: number; asked: number; where: string }): { line: string; bar: number } {
  const bar = Math.min(o.kept, o.asked);
  // Every step kept (session.ts train: the last chunk had run when its GPU error scopes caught an error), as Fit's.
  if (o.kept >= o.asked) return { line: `Train failed on ${o.where} once its ${count(o.asked, 'step')} had run (the net keeps them)`, bar };
  const lost = o.ran - o.kept;
  const taken = lost > 0 ? ` (${count(lost, 'more step')} ran, lost with the device)` : '';
  return { line: `Train stopped after ${o.kept} of ${count(o.asked, 'step')} on ${o.where}${taken}`, bar };
}

/**
 * Where a failed Fit stopped: in the epoch after the `done` it had finished, of `asked`, on `where` — Model.fit put the
 * weights back. Unless the net `kept` it (session.ts fit: every epoch had run when its GPU error scopes caught an error,
 * and the model keeps the fit): the line said "Fit stopped in epoch 4 of 3".
 */
export function fitStoppedLine(o: { done: number; asked: number; kept: boolean; where: string }): string {
  if (o.kept) return `Fit failed on ${o.where} once its ${count(o.asked, 'epoch')} had run (the net keeps them)`;
  return `Fit stopped in epoch ${Math.min(o.done + 1, o.asked)} of ${o.asked} on ${o.where}`;
}

/**
 * The line under the progress bar when a Fit has ended, painted before everything is drawn again from the weights it
 * left (training.ts fitNow): `done` epochs of `asked` on `where`, fewer when Stop ended it. That redraw (the diagram,
 * the formulas, the curve) took 1.3 s at a 10× CPU slowdown with "epoch 7 of 50" on the screen, as if Stop had not
 * been heard.
 */
export function fitDrawingLine(o: { done: number; asked: number; where: string }): string {
  const what = o.done < o.asked ? `stopped after ${o.done} of ${count(o.asked, 'epoch')}` : `finished its ${count(o.done, 'epoch')}`;
  return `Fit on ${o.where} ${what}: drawing the views from the weights it left…`;
}

/**
 * The stage line's word when a net goes on (a switch, an edit that kept the weights) after a Fit whose state could not
 * go on with it (session.ts continueFrom, `fitRestarted`): the next Fit starts the optimiser's state and epoch count
 * from zero, and without this the page said nothing of it (only the weights, curve and step count showed as going on).
 */
export function fitRestartedNote(why: FitRestart | null): string {
  if (why === null) return '';
  const lost = why === 'another net' ? 'belonged to the net before the edit' : 'were lost with the GPU device';
  return ` Fit starts afresh: the optimiser's state (momentum, Adam's moments) and the epoch count ${lost}.`;
}

/**
 * Verify's line: what it compared — the backend by the page's name, WebGPU with its adapter ("the adapter is SwiftShader,
 * a GPU emulated on the CPU": it read "max |GPU − CPU|" there too) — then the largest |device − CPU| and each
 * quantity's, over a pass of the batch (it read "1 example(s)").
 */
export function verifyLine(r: VerifyReport, adapter: AdapterReport): string {
  const e = (v: number) => v.toExponential(1);
  const device = r.against === 'webgpu' ? `${deviceName('webgpu')} (the adapter is ${adapterWords(adapter)})` : deviceName('wasm');
  return `${device} against the CPU: max |${r.against === 'webgpu' ? 'WebGPU' : 'wasm'} − CPU| = ${r.max.toExponential(2)} over one forward and backward pass of ${count(r.n, 'example')} (loss ${e(r.loss)}, Z ${e(r.Z)}, A ${e(r.A)}, δ ${e(r.delta)}, dW ${e(r.dW)}, db ${e(r.db)}).`;
}

/** Which examples the Output table shows: the first `shown` of `total` ("first 8 of 20 examples", "all 3 examples", "its one example"). */
export function examplesShown(shown: number, total: number): string {
  if (shown >= total) return total === 1 ? 'its one example' : `all ${total} examples`;
  return shown === 1 ? `the first of ${total} examples` : `first ${shown} of ${total} examples`;
}

/** The Lecture checks table's columns: the line first, as `backprop check` prints it. */
export const CLAIM_COLUMNS = ['line', 'claim', 'printed', 'engine', 'verdict'] as const;

/**
 * The Lecture checks table's rows (CLAIM_COLUMNS), one a claim: the lecture's line the claim is printed on (blank when
 * the file gives none, as `backprop check` leaves it), the claim's name (and its example), the claim as printed, the
 * engine's value — every row of a quantity rounded alike (report.ts engineDecimals: L read 0.274811 on one row and
 * 0.2748111 on another) — and the verdict (an erratum's why, and its doubt where it has one). The line tells apart rows
 * otherwise the same (ŷ 0.7514 on lines 39 and 41).
 */
export function claimRows(checks: readonly ClaimCheck[]): string[][] {
  const places = engineDecimals(checks);
  return checks.map((c, i) => {
    const e = c.claim.erratum;
    const verdict = c.status === 'match' ? '✓ matches' : c.status === 'known-erratum' ? `erratum: ${e ? erratumWhy(e) : ''}` : `✗ ${c.status}`;
    return [c.claim.line === undefined ? '' : String(c.claim.line), c.claim.name + (c.example !== undefined ? ` (example ${c.example + 1})` : ''), claimPrinted(c.claim), claimEngine(c, places[i]), verdict];
  });
}

/** The N the gradients of a pass over `n` examples are divided by: n for a mean over more than one, else none (a sum, one example). */
export function meanOver(net: Net, n: number): number | undefined {
  return net.reduction === 'mean' && n > 1 ? n : undefined;
}

/**
 * The Network region's status line (#selection-out, visually hidden) after a weight or bias is selected — a click, a
 * tap, or Enter/Space on the focused one — `name` as the diagram writes it: what is selected and where its chain rule is.
 */
export function selectionLine(name: string): string {
  return `${name} selected: its chain rule is under Notation.`;
}

/**
 * The Backward stage line's last sentence: where the chain rule is. A net just loaded has one selected (w5 in the
 * 2-2-1) and the Notation tab shows it already: "Select a parameter to see its chain rule" sent the student looking for
 * one to select. `selected`: whether a weight or bias is selected (MNIST summarised has none to select).
 */
export function chainRuleHint(selected: boolean): string {
  return selected
    ? "The selected parameter's chain rule is under Notation."
    : 'Select a parameter to see its chain rule.';
}

/**
 * The Backward stage line's formulas for `net` on a batch of `n` examples, layer by layer from the output, as the
 * Notation tab writes them (dW₂ = (1/200)·δ₂·A₁ᵀ): δ's recursion below the output, and each layer's dW and db with
 * the scale — 1/n for a mean over n > 1 examples, none for a sum or one example (README: dW_l = scale·delta_l·A_{l−1}ᵀ).
 * A shared bias's db is the sum of all of its δ; a layer without bias has none.
 */
export function backwardFormulas(net: Net, n: number): string {
  const N = meanOver(net, n);
  const scale = N === undefined ? '' : `(1/${N})·`;
  const L = net.layers.length;
  const deltas: string[] = [];
  const grads: string[] = [];
  for (let l = L; l >= 1; l--) {
    const [s, up, down] = [subDigits(l), subDigits(l + 1), subDigits(l - 1)];
    if (l < L) deltas.push(`δ${s} = (W${up}ᵀ·δ${up}) ⊙ f′(Z${s})`);
    grads.push(`dW${s} = ${scale}δ${s}·A${down}ᵀ${l === 1 ? ' (A₀ = X)' : ''}`);
    const bias = net.layers[l - 1].bias;
    if (bias === 'per-unit') grads.push(`db${s} = ${scale}δ${s}·1`);
    else if (bias === 'shared') grads.push(`db${s} = ${scale}Σ δ${s} (b${s} is shared: the sum of all of δ${s})`);
  }
  return [...deltas, grads.join(', ')].join('; ');
}

/**
 * The notice's line for an error: what failed, the error's name and field, its message, and `then` (what the page did
 * instead). The field once: "(field: x)" only when the message does not start with it — "preset: …" (a SpecError),
 * "x[0][0] is 1e+39; …" (a NonFiniteError: it read "NonFiniteError (field: x[0][0]): x[0][0] is 1e+39").
 */
export function errorLine(what: string, err: unknown, then?: string): string {
  const name = err instanceof Error ? err.name : 'Error';
  const message = messageOf(err);
  const f = err instanceof BackpropError ? err.field : undefined;
  const named = f !== undefined && message.startsWith(f) && /^($|[:\s;,])/.test(message.slice(f.length));
  const field = f && !named ? ` (field: ${f})` : '';
  // A plain Error's name is left out, as shownMessageOf leaves it out (the bench's rows too): "Fit failed — boom".
  return `${what} failed — ${withoutPlainError(`${name}${field}: ${message}`)}${then ? `${/[.!?]$/.test(message) ? '' : '.'} ${then}` : ''}`;
}

/** The most inputs exampleLine lists one by one (a 2-D point's two, a lecture's few); past it, their count. */
export const EXAMPLE_LINE_INPUTS = 8;

/**
 * The line printed above the diagram (views.ts drawDiagram, #diagram-example; style.css shows it on paper only): which
 * example of the mini-batch shown the diagram's values are, with its inputs x and target y as given (the diagram's input units write them so) — "Example 3 of 4: x = (1,
 * 0), y = 1". On paper the step bar and its Example menu are not printed, and a many-example net's diagram did not
 * say whose values it showed. `c` counts from 0; '' when the mini-batch has one example (nothing to choose).
 */
export function exampleLine(c: number, n: number, x: readonly number[], y: readonly number[]): string {
  if (n <= 1) return '';
  const list = (v: readonly number[]) => (v.length === 1 ? fmtGiven(v[0], 4) : `(${v.map((e) => fmtGiven(e, 4)).join(', ')})`);
  const inputs = x.length <= EXAMPLE_LINE_INPUTS ? `x = ${list(x)}` : `x: ${count(x.length, 'input')}`;
  return `Example ${c + 1} of ${n}: ${inputs}, y = ${list(y)}`;
}
