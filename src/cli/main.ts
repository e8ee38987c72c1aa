/**
 * The `backprop` command line: `grad` (one forward/backward pass of a spec file) and `demo` (= npm start).
 * Exit codes: 0 ok, 1 a lecture value mismatched or an unexpected failure, 2 usage or input error.
 */
import { parseArgs } from 'node:util';
import { BackpropError } from '../errors.ts';
import { runDemo } from './demo.ts';
import { runGrad, type BackendArg } from './grad.ts';
import { readJsonFile, UsageError } from './io.ts';

export const USAGE = `usage:
  backprop grad SPEC.json [--backend cpu|webgpu|both] [--json]
      One forward and backward pass (no update) on the spec's batch x, y with its params (or init):
      the loss, every layer's Z, A, delta and the gradients dW, db. Default backend: cpu.
      --json prints one object {loss, A, grads: {W, b}} (A[l]: one row per example; grads shaped like
      params), or {cpu, webgpu, maxAbsDiff} with --backend both.
  backprop demo [--steps N]
      The 2-2-1 lecture example on the CPU and on WebGPU (headless Chromium), checked against the
      lecture's printed values, then a 64-32-10 softmax net trained for N steps (default 300) on both.
  backprop --help

exit status: 0 ok; 1 a lecture value mismatched (demo) or an internal error; 2 bad usage or bad input.`;

const BACKENDS: readonly BackendArg[] = ['cpu', 'webgpu', 'both'];

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
    for (const flag of ['backend', 'json', 'steps'] as const) {
      if (values[flag] !== undefined && !allowed.includes(flag)) throw new UsageError(`'${command}' does not take --${flag}`);
    }
  };
  if (command === 'grad') {
    only(['backend', 'json']);
    if (rest.length !== 1) throw new UsageError(rest.length === 0 ? 'grad needs a spec file: backprop grad SPEC.json' : `grad takes one spec file, got ${rest.length}`);
    const backend = values.backend ?? 'cpu';
    if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be cpu, webgpu or both, got '${backend}'`);
    await runGrad(readJsonFile(rest[0]), backend as BackendArg, values.json ?? false, out);
    return 0;
  }
  if (command === 'demo') {
    only(['steps']);
    if (rest.length > 0) throw new UsageError(`demo takes no arguments, got '${rest[0]}'`);
    const steps = values.steps === undefined ? 300 : Number(values.steps);
    if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a positive integer, got '${values.steps}'`);
    return runDemo(steps, out);
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
