/**
 * The `backprop` command line: `grad` (one forward/backward pass of a spec file), `train` (model.fit), `demo` (= npm start),
 * `explain` (the scalar chain rule beside the matrix form) and `check` (a worked example's claims).
 * Exit codes: 0 ok, 1 a lecture value mismatched, a claim is wrong, or an unexpected failure; 2 usage or input error.
 */
import { parseArgs } from 'node:util';
import { BackpropError } from '../errors.ts';
import { CONVENTIONS, type Convention } from '../notation/names.ts';
import { FORMATS, type Format } from '../notation/format.ts';
import { runCheck, type CheckBackend } from './check.ts';
import { runDemo } from './demo.ts';
import { runExplain, type ExplainBackend } from './explain.ts';
import { runGrad, type BackendArg } from './grad.ts';
import { specOf } from '../notation/explain.ts';
import { readJsonFile, UsageError } from './io.ts';
import { runTrain, type TrainFlags } from './train.ts';

export const USAGE = `usage:
  backprop grad SPEC.json [--backend cpu|webgpu|wasm|both|all] [--json]   (SPEC.json: a network spec or a worked-example file)
      One forward and backward pass (no update) on the spec's batch x, y with its params (or init):
      the loss, every layer's Z, A, delta and the gradients dW, db. Default backend: cpu.
      --json prints one object {loss, A, grads: {W, b}} (A[l]: one row per example; grads shaped like
      params), or {cpu, webgpu, maxAbsDiff} with --backend both (CPU + WebGPU), or {cpu, webgpu, wasm,
      maxAbsDiff: {webgpu, wasm}} with --backend all. wasm (WebAssembly SIMD) runs in Node.
  backprop demo [--steps N] [--epochs E]
      The 2-2-1 lecture example on the CPU and on WebGPU (headless Chromium), checked against the
      lecture's printed values, then a 64-32-10 softmax net trained for N steps (default 300) on both,
      then model.fit on MNIST (784-128-10, Adam lr 1e-3, batch 128) for E epochs (default 5; 0 skips) on both.
  backprop explain SPEC.json [--param NAME] [--convention flat|to-from|from-to] [--format text|md|latex]
                   [--decimals N] [--backend cpu|webgpu|both|none]
      Every parameter's chain-rule expansion (or one: --param w5), path by path, with every factor's
      name and value (scalar engine, float64), beside its matrix line (the entry of δ_l·A_{l−1}ᵀ) from
      the CPU (default) and/or WebGPU backend, and the cost of notation (multiplications per path vs
      matrix form). SPEC.json may be a worked-example file. --decimals: rounding shown (default 4).
  backprop check WORKED.json... [--backend scalar|cpu|webgpu] [--known-ok] [--errata-md]
      Every claim of the worked examples checked against the engine (default: the scalar engine):
      matching (within the printed rounding) or wrong (with the correct value and the error), then the
      errata. Exit 1 when a claim is wrong; --known-ok accepts recorded errata that are confirmed.
      --errata-md prints the errata page as Markdown (src/lectures/ERRATA.md).
  backprop train [SPEC.json] [--data mnist] [--epochs N] [--batch-size B] [--optimizer sgd|momentum|adam|adamw]
                 [--lr X] [--seed S] [--backend cpu|webgpu] [--save CKPT] [--json]
      model.fit on the spec's x, y (its validation fraction held out from the end), or with --data mnist on the
      mnist package's digits: 8 000 training, the other 2 000 the validation (test) set, so val_acc is the test
      accuracy; without SPEC.json a 784-128-10 relu/softmax net, Adam lr 1e-3, batch 128, 5 epochs. The flags
      override the spec's epochs, batchSize, optimizer (--lr its lr) and shuffle ({seed}). One progress line per
      epoch (loss, accuracy, validation, examples/s, time left). --save writes a safetensors checkpoint.
      --json prints {history: [...], params: {W, b}} (progress goes to stderr). Default backend: cpu.
  backprop --help

exit status: 0 ok; 1 a lecture value mismatched (demo), a claim is wrong (check), or an internal error;
2 bad usage or bad input.`;

const BACKENDS: readonly BackendArg[] = ['cpu', 'webgpu', 'wasm', 'both', 'all'];
const TRAIN_FLAGS = ['epochs', 'batch-size', 'optimizer', 'lr', 'seed', 'save', 'data'] as const;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        backend: { type: 'string' },
        json: { type: 'boolean' },
        steps: { type: 'string' },
        param: { type: 'string' },
        convention: { type: 'string' },
        format: { type: 'string' },
        decimals: { type: 'string' },
        'known-ok': { type: 'boolean' },
        'errata-md': { type: 'boolean' },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        optimizer: { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        save: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function run(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    out(USAGE);
    return 0;
  }
  if (command === undefined) throw new UsageError('no command given');
  const only = (allowed: string[]) => {
    for (const flag of ['backend', 'json', 'steps', 'param', 'convention', 'format', 'decimals', 'known-ok', 'errata-md', ...TRAIN_FLAGS] as const) {
      if (values[flag] !== undefined && !allowed.includes(flag)) throw new UsageError(`'${command}' does not take --${flag}`);
    }
  };
  if (command === 'grad') {
    only(['backend', 'json']);
    if (rest.length !== 1) throw new UsageError(rest.length === 0 ? 'grad needs a spec file: backprop grad SPEC.json' : `grad takes one spec file, got ${rest.length}`);
    const backend = values.backend ?? 'cpu';
    if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be cpu, webgpu, wasm, both or all, got '${backend}'`);
    await runGrad(specOf(readJsonFile(rest[0])), backend as BackendArg, values.json ?? false, out);
    return 0;
  }
  if (command === 'demo') {
    only(['steps', 'epochs']);
    if (rest.length > 0) throw new UsageError(`demo takes no arguments, got '${rest[0]}'`);
    const steps = values.steps === undefined ? 300 : Number(values.steps);
    if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a positive integer, got '${values.steps}'`);
    const epochs = values.epochs === undefined ? 5 : Number(values.epochs);
    if (!Number.isInteger(epochs) || epochs < 0) throw new UsageError(`--epochs must be a non-negative integer, got '${values.epochs}'`);
    return runDemo(steps, out, epochs);
  }
  if (command === 'explain') {
    only(['param', 'convention', 'format', 'decimals', 'backend']);
    if (rest.length !== 1) throw new UsageError(rest.length === 0 ? 'explain needs a spec file: backprop explain SPEC.json' : `explain takes one spec file, got ${rest.length}`);
    const format = values.format ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be text, md or latex, got '${format}'`);
    if (values.convention !== undefined && !(CONVENTIONS as readonly string[]).includes(values.convention)) {
      throw new UsageError(`--convention must be flat, to-from or from-to, got '${values.convention}'`);
    }
    const backend = values.backend ?? 'cpu';
    if (!['cpu', 'webgpu', 'both', 'none'].includes(backend)) throw new UsageError(`--backend must be cpu, webgpu, both or none, got '${backend}'`);
    const decimals = values.decimals === undefined ? undefined : Number(values.decimals);
    if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 12)) throw new UsageError(`--decimals must be an integer 0 … 12, got '${values.decimals}'`);
    await runExplain(readJsonFile(rest[0]), { param: values.param, convention: values.convention as Convention | undefined, decimals }, format as Format, backend as ExplainBackend, out);
    return 0;
  }
  if (command === 'check') {
    only(['backend', 'known-ok', 'errata-md']);
    if (rest.length === 0) throw new UsageError('check needs a worked-example file: backprop check WORKED.json');
    const backend = values.backend ?? 'scalar';
    if (!['scalar', 'cpu', 'webgpu'].includes(backend)) throw new UsageError(`--backend must be scalar, cpu or webgpu, got '${backend}'`);
    return runCheck(rest, { backend: backend as CheckBackend, knownOk: values['known-ok'] ?? false, errataMd: values['errata-md'] ?? false }, out);
  }
  if (command === 'train') {
    only(['backend', 'json', ...TRAIN_FLAGS]);
    if (rest.length > 1) throw new UsageError(`train takes at most one spec file, got ${rest.length}`);
    const flags: TrainFlags = {
      epochs: values.epochs, batchSize: values['batch-size'], optimizer: values.optimizer, lr: values.lr, seed: values.seed,
      backend: values.backend, save: values.save, data: values.data, json: values.json ?? false,
    };
    return runTrain(rest.length === 1 ? readJsonFile(rest[0]) : undefined, flags, out, (s) => process.stderr.write(`${s}\n`));
  }
  throw new UsageError(`unknown command '${command}'`);
}

/** Run the CLI on argv (without node and the script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    return await run(argv, out);
  } catch (err) {
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
