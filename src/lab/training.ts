/**
 * The lab's Training controls: Train N steps (the session's chunks or mini-batches), Fit (Model.fit with an
 * optimiser, one curve point per epoch), Stop for either, and the Fit controls' defaults for the net loaded.
 * Progress goes to the progress bar, the text above the curve and the loss curve (views.ts).
 */
import { DivergedError } from '../errors.ts';
import { fmtExact, fmtLossChange } from '../notation/numbers.ts';
import { OPTIMIZERS, type OptimizerName } from '../train/optimizers.ts';
import type { EpochLog } from '../train/fit.ts';
import { deviceName } from './device.ts';
import { $, afterPaintOrLater } from './dom.ts';
import { pageTimer } from './frozen.ts';
import { readNumber } from './fields.ts';
import { enterPresses } from './keyboard.ts';
import { checkFitSettings, defaultFitLr, nextFitLr, type FitSettings } from './files.ts';
import { FIT_SCHEDULES, fitSchedule, type FitScheduleName, scheduleWords } from './fit-schedule.ts';
import { page, type RunAction } from './page.ts';
import { fitValidation } from './presets.ts';
import { checkTrainSteps, MAX_FIT_EPOCHS, MAX_TRAIN_STEPS, type LabSession } from './session.ts';
import { drawAll, drawChartSoon, recordValidation } from './views.ts';
import { count, earlyStopMark, fitDrawingLine, fittedStage, fitStoppedLine, OPTIMISER_LABELS, percent, stoppedMark, trainStopped } from './words.ts';

/** The Fit panel's optimiser when the page opens. */
const FIT_OPTIMIZER: OptimizerName = 'adam';

/** Stop pressed during a Train (checked between chunks; its summary says "(stopped)" only when it ran fewer steps: stoppedMark). */
let stopRequested = false;

/** Stop during a Fit: aborts Model.fit between submissions. */
let fitAbort: AbortController | null = null;

/** The optimiser and net lr the Fit lr field's default was last taken for (nextFitLr: is the field still at it?). */
let lrBasis: { name: OptimizerName; specLr: number } | null = null;

/**
 * The Fit controls' defaults for the net loaded and the optimiser chosen: SGD and momentum take the spec's lr,
 * Adam and AdamW 0.01 (defaultFitLr); the batch is the lab's mini-batch size when it trains in mini-batches, else
 * 32 (or all the examples, when fewer). `optimiserOnly` (another optimiser chosen, or the net's lr edited): only
 * the learning rate follows, and only while the field holds the default it had (an lr typed stays: nextFitLr).
 */
export function fitDefaults(optimiserOnly = false): void {
  const s = page.session;
  if (!s) return;
  const now = { name: $<HTMLSelectElement>('fit-optimizer').value as OptimizerName, specLr: s.lr };
  const lr = $<HTMLInputElement>('fit-lr');
  lr.value = optimiserOnly && lrBasis ? nextFitLr(lr.value, lrBasis, now) : String(defaultFitLr(now.name, now.specLr));
  lrBasis = now;
  if (!optimiserOnly) $<HTMLInputElement>('fit-batch').value = String(Math.min(s.lab.x.length, s.batches > 1 ? s.lab.batchSize : 32));
  showEarlyStop();
}

/** The Fit panel's settings as typed (an empty or non-numeric field is a SpecError naming it under `fit.`, as checkFitSettings does). */
export function fitSettings(): FitSettings {
  const patience = $<HTMLInputElement>('fit-patience');
  // Early stop: empty or 0 is off, and so is the field while it is off (no validation split: showEarlyStop).
  const wait = patience.disabled || (patience.value.trim() === '' && !patience.validity.badInput) ? 0 : readNumber(patience, 'fit.earlyStop.patience');
  const schedule = $<HTMLSelectElement>('fit-schedule').value;
  return {
    optimizer: { name: $<HTMLSelectElement>('fit-optimizer').value as OptimizerName, lr: readNumber($<HTMLInputElement>('fit-lr'), 'fit.optimizer.lr') },
    batchSize: readNumber($<HTMLInputElement>('fit-batch'), 'fit.batchSize'),
    epochs: readNumber($<HTMLInputElement>('fit-epochs'), 'fit.epochs'),
    ...(wait !== 0 && { earlyStop: { patience: wait, restoreBest: $<HTMLInputElement>('fit-restore').checked } }),
    ...(schedule !== 'constant' && { lrSchedule: schedule as FitScheduleName }),
  };
}

/** Why the Fit panel has no early stop (the Fit button's title, where it is off). */
const NO_EARLY_STOP = 'Fit has no early stop here: it watches the validation loss, and this data set has no validation split (Your data… holds one out: its Validation %)';

/**
 * The Fit panel's early stop (and plateau schedule) on or off for the data set on the page: they watch the validation
 * loss (fitValidation: your data's split, MNIST's held-out digits), so where the data has no validation split the
 * early-stop labels are hidden and their fields off, the schedule menu's plateau off, and the Fit button's title says
 * why (the row keeps the schedule menu: test/browser/lab-workspace.test.ts checks the diagram still legible).
 */
function showEarlyStop(): void {
  const has = fitValidation(page.data) !== undefined;
  $('fitstop-es').hidden = !has;
  for (const id of ['fit-patience', 'fit-restore']) $<HTMLInputElement>(id).disabled = !has;
  for (const o of Array.from($<HTMLSelectElement>('fit-schedule').children) as HTMLOptionElement[]) if (o.value === 'plateau') o.disabled = !has;
  $('fit').title = has ? '' : NO_EARLY_STOP;
}

/**
 * Put Fit settings (a link's, checked) in the panel, after fitDefaults. The lr's default is then the restored
 * optimiser's for the net's lr, as on the page that made the link: an lr other than it counts as typed (another
 * optimiser chosen keeps it), the default follows the optimiser.
 */
export function showFitSettings(f: FitSettings): void {
  $<HTMLSelectElement>('fit-optimizer').value = f.optimizer.name;
  $<HTMLInputElement>('fit-lr').value = String(f.optimizer.lr);
  $<HTMLInputElement>('fit-batch').value = String(f.batchSize);
  $<HTMLInputElement>('fit-epochs').value = String(f.epochs);
  $<HTMLInputElement>('fit-patience').value = f.earlyStop ? String(f.earlyStop.patience) : '';
  $<HTMLInputElement>('fit-restore').checked = f.earlyStop?.restoreBest ?? false;
  $<HTMLSelectElement>('fit-schedule').value = f.lrSchedule ?? 'constant';
  if (page.session) lrBasis = { name: f.optimizer.name, specLr: page.session.lr };
}

/** Fit: Model.fit on the data set with the chosen optimiser, one curve point (and validation point) per epoch. */
async function fitNow(): Promise<void> {
  const s = page.session!;
  // The panel's settings by the rules a link's and Share's are checked by (names under fit., epochs capped).
  const { optimizer: { name, lr }, batchSize, epochs, earlyStop, lrSchedule } = checkFitSettings(s.lab, fitSettings());
  // plateau without a validation split (a link's): refused here, naming fit.lrSchedule, before the stage line changes.
  if (lrSchedule) fitSchedule(lrSchedule, epochs, fitValidation(page.data) !== undefined);
  const progress = $<HTMLProgressElement>('train-progress');
  const out = $('train-out');
  const where = deviceName(s.kind);
  fitAbort = new AbortController();
  progress.max = epochs;
  progress.value = 0;
  runningStage(`Fitting ${count(epochs, 'epoch')} on ${where}`);
  // NOTE: painted before the fit starts: Model.fit's loss before the run, its data packing and first epoch run in one
  // task (MNIST's 1000 × 784 on wasm: 717 ms at a phone's 6× CPU slowdown, the page frozen on "… Press Forward.").
  // A page not on screen paints nothing: the fit starts anyway, 100 ms on (a Fit pressed in a tab then hidden).
  await afterPaintOrLater(100);
  const first = s.history.length;
  const before = s.steps;
  // The fit's time, less any the page spent frozen (Back from the Benchmark link: ./frozen.ts).
  const elapsed = pageTimer();
  let val = '';
  let logs = 0;
  let ran = 0;
  /** Early stopping's words for the summary (earlyStopMark), '' without it. */
  let stopMark = '';
  /** Whose loss the summary's "after" is: the last epoch's, or the epoch keep the best epoch went back to. */
  let kept = 'the last epoch\'s mean';
  /** The Fit's epoch keep the best epoch went back to (this Fit's count), undefined where the net holds the last. */
  let heldEpoch: number | undefined;
  /** The last epoch's lr, which the line names with the schedule (scheduleWords). */
  let lastLr: number | undefined;
  const valWords = (e: EpochLog): string => (e.valLoss !== undefined ? `; validation loss ${e.valLoss.toPrecision(4)}${e.valAccuracy !== undefined ? `, accuracy ${percent(e.valAccuracy)}` : ''}` : '');
  out.setAttribute('aria-busy', 'true'); // as Train's: one line an epoch, read at the end
  try {
    const history = await s.fit({ optimizer: { name, lr }, batchSize, epochs, validation: fitValidation(page.data), ...(earlyStop && { earlyStopping: earlyStop }), ...(lrSchedule && { lrSchedule }) }, (e, done) => {
      logs = done;
      lastLr = e.lr;
      progress.value = done;
      val = valWords(e);
      out.textContent = `Fit on ${where}: epoch ${done} of ${epochs}${scheduleWords(lrSchedule, e.lr, 'at')}, loss ${e.loss.toPrecision(5)}${e.accuracy !== undefined ? `, accuracy ${percent(e.accuracy)}` : ''}${val}`;
      drawChartSoon();
    }, fitAbort.signal);
    logs = history.length;
    const last = history.at(-1);
    stopMark = earlyStopMark({ done: logs, epoch: last?.epoch ?? 0, mark: last?.earlyStop, restored: earlyStop?.restoreBest ?? false, asked: epochs });
    // Early stopping ended the Fit: it is done, the bar full (at 7 of 200 it read as cut short, as a Stop leaves it).
    if (last?.earlyStop?.stopped && logs < epochs) progress.max = logs;
    // Keep the best epoch took the net (and the curve the summary reads: session.fit) back to that epoch: the line's
    // loss after and validation loss are that epoch's, not those of the last one run.
    const held = last?.earlyStop && earlyStop?.restoreBest ? history.find((e) => e.epoch === last.earlyStop!.bestEpoch) : undefined;
    if (held && held !== last) {
      heldEpoch = held.epoch - last!.epoch + logs;
      kept = `epoch ${heldEpoch}'s mean, the epoch kept`;
      val = valWords(held);
    }
    ran = elapsed();
    // NOTE: said and painted before the closing redraw (summarise → drawAll: the diagram, the formulas, the curve), a
    // task of 1.3 s at a 10× CPU slowdown, during which a Stop's "epoch 7 of 50" stayed on the screen. Still aria-busy:
    // a screen reader reads the summary, not this.
    out.textContent = fitDrawingLine({ done: logs, asked: epochs, where });
    await afterPaintOrLater(100);
  } catch (err) {
    // Model.fit puts back the weights from before it when it fails (a DivergedError, …); the session keeps a fit that
    // finished before its GPU error scopes caught an error (its step count moved on).
    failed(err, fitStoppedLine({ done: logs, asked: epochs, kept: s.steps > before, where }),
      `the loss diverged at lr ${fmtExact(lr)}; the weights are back to those before the Fit.`, 'Lower the Fit panel\'s lr (fit.optimizer.lr) and Fit again.');
    throw err;
  } finally {
    fitAbort = null;
    out.removeAttribute('aria-busy');
  }
  // The curve's first new point is the loss before the fit (session.fit), the last the last epoch's mean. The time is
  // the fit's, to its end (not the paint after it).
  const seconds = (ran / 1000).toFixed(2);
  // A Stop before early stopping ended the Fit: Model.fit keeps the best epoch only where early stopping ends it.
  const cut = stoppedMark(logs, epochs);
  const mark = stopMark || (cut && earlyStop?.restoreBest ? ' (stopped: by Stop, not early stop, so the best epoch was not kept)' : cut);
  summarise(s, first, (start, end) => `${logs} epoch${logs === 1 ? '' : 's'} of ${OPTIMISER_LABELS[name]} (lr ${fmtExact(lr)}${scheduleWords(lrSchedule, lastLr)}, batch ${batchSize}) on ${where} in ${seconds} s${mark}: loss ${start} before → ${end} (${kept})${val}.`,
    fittedStage(logs, heldEpoch));
}

/** Train: `steps` SGD steps in chunks, the curve growing live. */
async function trainNow(): Promise<void> {
  const s = page.session!;
  // Checked before anything changes: a refused Train (200000 steps) left 'Train stopped after 0 of 200000 steps'
  // under the progress bar and on the stage line, as if it had started.
  const steps = checkTrainSteps(readNumber($<HTMLInputElement>('train-steps'), 'steps'));
  const progress = $<HTMLProgressElement>('train-progress');
  const out = $('train-out');
  stopRequested = false;
  $<HTMLButtonElement>('stop').disabled = false;
  progress.max = steps;
  progress.value = 0;
  runningStage(`Training ${count(steps, 'step')} on ${deviceName(s.kind)}`);
  const first = s.history.length;
  const before = s.steps;
  const elapsed = pageTimer(); // less any time frozen, as Fit's
  let trained = 0;
  // NOTE: the line is rewritten every chunk (~50 a Train); aria-busy keeps a screen reader from reading each one
  // (the progress bar says how far), and it reads the summary when the Train ends.
  out.setAttribute('aria-busy', 'true');
  const done = await s.train(steps, (k) => {
    trained = k;
    progress.value = k;
    recordValidation(s);
    const last = s.history[s.history.length - 1];
    out.textContent = `Training on ${deviceName(s.kind)}: step ${k} of ${steps}, loss ${last.loss.toPrecision(5)}`;
    drawChartSoon();
  }, () => stopRequested).catch((err: unknown) => {
    // The chunks before the one that failed stay trained (a DivergedError puts back only that chunk's start); a device
    // lost mid-Train takes back the steps since the weights were last read: the count is the session's, not `trained`,
    // and so is the bar's.
    const stopped = trainStopped({ kept: s.steps - before, ran: trained, asked: steps, where: deviceName(s.kind) });
    progress.value = stopped.bar;
    failed(err, stopped.line,
      `the loss diverged at η = ${fmtExact(s.lr)}; the weights are those after step ${s.steps}.`, 'Lower the learning rate η (Edit layers, loss, learning rate, batch) and press Reset to start again.');
    throw err;
  }).finally(() => out.removeAttribute('aria-busy'));
  const seconds = (elapsed() / 1000).toFixed(2);
  // SGD at the net's η, full batch or mini-batches, as Fit's line names its optimiser, lr and batch.
  const how = `SGD (η = ${fmtExact(s.lr)}, ${s.batches > 1 ? `mini-batches of ${s.lab.batchSize}` : 'full batch'})`;
  summarise(s, first, (start, end) => `${done} step${done === 1 ? '' : 's'} of ${how} on ${deviceName(s.kind)} in ${seconds} s${stoppedMark(done, steps)}: loss ${start} → ${end}.`,
    `Trained ${s.steps} step${s.steps === 1 ? '' : 's'} in all.`);
}

/**
 * Another net on the page (a preset, your data, a file or link, an edit of other shapes, New seed): the line under
 * the progress bar and the bar held the last net's run ("200 steps … loss 0.27481 → 0.27414" under the circle net).
 */
export function clearTrainLine(): void {
  const out = $('train-out');
  out.textContent = '';
  delete out.dataset.first;
  delete out.dataset.last;
  $<HTMLProgressElement>('train-progress').value = 0;
}

/**
 * The stage line while a Train or Fit runs (`what`: "Training 200 steps on …"): it kept the load's "… Press
 * Forward." (or a pass's line) until the run ended, while Forward was off and the weights moving. summarise or
 * failed writes it again at the end.
 */
function runningStage(what: string): void {
  $('stage-out').textContent = `${what}: Forward and the other steps wait until the run ends (Stop ends it early).`;
}

/**
 * After a Train or Fit that began at curve point `first`: the summary line (`line` gets the first and last loss
 * of the run, at 5 significant digits, more while the two would read alike: fmtLossChange), the raw losses on the
 * line's data-first/data-last, everything redrawn, and the stage line.
 */
function summarise(s: LabSession, first: number, line: (start: string | undefined, end: string | undefined) => string, stage: string): void {
  const out = $('train-out');
  const start = s.history[first]?.loss;
  const end = s.history[s.history.length - 1]?.loss;
  out.textContent = line(...fmtLossChange(start, end));
  out.dataset.first = String(start);
  out.dataset.last = String(end);
  drawAll();
  $('stage-out').textContent = `${stage} Press Forward to see the new weights at work on an example.`;
}

/**
 * After a Train or Fit that failed (run() shows its error): the line under the progress bar, which held the last
 * progress ("step 1 of 200, loss …" as if it were still running), says where it stopped and, when the loss
 * diverged (`diverged`), which learning rate to lower (`advice`); so does the stage line, which still said
 * "Press Forward" (or described a pass no longer shown). Every view is drawn again from the weights the net now
 * holds (they showed the weights before the Train, while the net kept the steps before the chunk that diverged).
 */
function failed(err: unknown, where: string, diverged: string, advice: string): void {
  const out = $('train-out');
  const isDiverged = err instanceof DivergedError;
  out.textContent = `${where}${isDiverged ? `: ${diverged} ${advice}` : '.'}`;
  $('stage-out').textContent = `${where}${isDiverged ? `: the loss diverged. ${advice}` : '.'}`;
  delete out.dataset.first;
  delete out.dataset.last;
  try {
    drawAll();
  } catch {
    // NOTE: the error the student sees is the run's (rethrown by the caller), not a view's that failed after it.
  }
}

/** Train, Stop, the optimiser choice (its defaults) and Fit. */
export function wireTraining(run: RunAction): void {
  $('train').addEventListener('click', () => void run('Train', trainNow));
  $('stop').addEventListener('click', () => {
    stopRequested = true;
    fitAbort?.abort(new Error('stopped'));
  });
  // A Train or Fit pressed from the keyboard moves the focus to Stop (main.ts run()), where a held Enter's
  // auto-repeat then pressed Stop at once: a repeated Enter or Space does nothing there (Chromium clicks a button on
  // Enter's keypress, which a keydown's preventDefault cancels), a fresh press or a click still stops.
  $('stop').addEventListener('keydown', (e) => {
    if (e.repeat && (e.key === 'Enter' || e.key === ' ')) e.preventDefault();
  });
  // The fields' max are the rules' own (session.ts), not a second copy in the HTML.
  $<HTMLInputElement>('train-steps').max = String(MAX_TRAIN_STEPS);
  $<HTMLInputElement>('fit-epochs').max = String(MAX_FIT_EPOCHS);
  // The menu from the labels Fit's line uses (words.ts; errors keep the spec's names, `fit.optimizer.name`).
  $<HTMLSelectElement>('fit-optimizer').replaceChildren(...OPTIMIZERS.map((name) => new Option(OPTIMISER_LABELS[name], name, name === FIT_OPTIMIZER, name === FIT_OPTIMIZER)));
  $('fit-optimizer').addEventListener('change', () => fitDefaults(true));
  $<HTMLSelectElement>('fit-schedule').replaceChildren(...FIT_SCHEDULES.map((n) => new Option(n, n, n === 'constant', n === 'constant')));
  $('fit').addEventListener('click', () => void run('Fit', fitNow));
  enterPresses($('train-steps'), $<HTMLButtonElement>('train'));
  for (const id of ['fit-lr', 'fit-batch', 'fit-epochs', 'fit-patience']) enterPresses($(id), $<HTMLButtonElement>('fit'));
}
