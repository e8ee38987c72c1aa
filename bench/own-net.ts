/**
 * Your own net on the benchmark's command line (bench/bench.ts parseArgs): --layers (with --batch, --activation, --loss,
 * --lr) and --spec FILE.json (read as the CLI reads a spec file) read into configs, each checked against the engine's budget (bench/configs.ts userConfigs,
 * specConfig), GPU memory too on a runner with a GPU system and ours-wasm's own count when the run has ours-wasm; and underOption, an error worded under its option.
 */
import { basename } from 'node:path';
import { DEFAULT_BUDGET } from '../src/budget.ts';
import { messageOf } from '../src/checks.ts';
import { readData } from '../src/data.ts';
import { FILE_KNOB, readJsonFile } from '../src/cli/io.ts';
import { specOf } from '../src/notation/explain.ts';
import { ACTIVATIONS, type ActivationName } from '../src/spec.ts';
import { type BenchConfig, GPU_SIZED_SYSTEMS, specConfig, userConfigs } from './configs.ts';
import { type Runner, RUNNER_SYSTEMS } from './systems.ts';

/** The hidden activations --activation takes: every one but softmax (the output layer's, set by --loss). */
export const HIDDEN_ACTIVATIONS: readonly ActivationName[] = ACTIVATIONS.filter((a) => a !== 'softmax');

/** The flags' values as parseArgs reads them (bench/bench.ts valueReaders): each reader names its flag in its error. */
export interface FlagValues {
  str: (k: string) => string | undefined;
  int: (k: string) => number | undefined;
  num: (k: string) => number | undefined;
}

/** f(), its error's message prefixed with the option it is about (`--spec FILE: …`; bench/bench.ts's `--configs: …` too). */
export function underOption<T>(option: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new Error(`${option}: ${messageOf(err)}`);
  }
}

/** What a checkpoint given to --spec is told after it is named (readJsonFile's checkpointHint). */
const SPEC_HINT = '--spec takes a spec JSON (README: The network spec)';

/**
 * A --spec file's JSON, read as the CLI reads a spec file (src/cli/io.ts readJsonFile: at most the budget's fileBytes
 * — a larger file, or an endless one, refused after that many bytes — and a syntax error by line and column), at the
 * default budget the bench runs under. Its error without the file's name, which underOption puts first, and with what
 * to change in place of the CLI's knob, which the bench does not read.
 */
function readSpecFile(file: string): unknown {
  try {
    // A checkpoint: the bench's own words, not the CLI's train --resume (the bench resumes nothing).
    return readJsonFile(file, { maxBytes: DEFAULT_BUDGET.fileBytes, checkpointHint: SPEC_HINT });
  } catch (err) {
    const message = messageOf(err);
    const own = message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
    throw new Error(own.replace(FILE_KNOB, 'the default budget, which the benchmark reads spec files under: give a smaller file'));
  }
}

/**
 * --layers and --spec (in that order): your own net's configs; none where neither is given. `wasmThreads`: ours-wasm's
 * thread counts when the run has ours-wasm, each also a count the net is checked against (bench/configs.ts budgetCheck).
 */
export function ownConfigs(v: FlagValues, runner: Runner, wasmThreads: readonly number[] = []): BenchConfig[] {
  const { str, int, num } = v;
  const configs: BenchConfig[] = [];
  // Your own net against the engine's budget (configs.ts budgetCheck), GPU memory too on a runner with a GPU system.
  const gpu = RUNNER_SYSTEMS[runner].some((s) => GPU_SIZED_SYSTEMS.includes(s));
  if (str('layers')) {
    const act = (str('activation') ?? 'relu') as ActivationName;
    const loss = (str('loss') ?? 'both') as 'mse' | 'ce' | 'both';
    if (!['mse', 'ce', 'both'].includes(loss)) throw new Error(`--loss wants mse, ce or both, got '${loss}'`);
    if (!HIDDEN_ACTIVATIONS.includes(act)) throw new Error(`--activation wants ${HIDDEN_ACTIVATIONS.slice(0, -1).join(', ')} or ${HIDDEN_ACTIVATIONS.at(-1)}, got '${act}'`);
    // Each width as given: '' (784,,10) is no width, and the error quotes the option's value, not the numbers made of it (NaN, 0).
    const given = str('layers')!;
    const layers = given.split(',').map((w) => (w.trim() === '' ? NaN : Number(w)));
    if (layers.length < 2 || layers.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`--layers wants at least two positive integers (inputs first), got '${given}'`);
    configs.push(...userConfigs({
      layers, batch: int('batch') ?? 64, activation: act, loss, lr: num('lr'), steps: int('steps'), gpu, wasmThreads,
    }));
  }
  if (str('spec')) {
    const file = str('spec')!;
    // An unreadable file (ENOENT …), bad JSON or a spec the engine refuses: each named by the flag and the file.
    const spec = underOption(`--spec ${file}`, () => specOf(readSpecFile(file)) as Parameters<typeof specConfig>[0]);
    if (int('batch') !== undefined && !str('layers') && spec.x !== undefined && spec.y !== undefined) {
      const n = readData(spec.x, 'x').count; // rows or {examples, data}: as the engine counts them
      throw new Error(`--batch: ${basename(file)} has its own x and y (${n} example${n === 1 ? '' : 's'}), so --batch would do nothing`);
    }
    const c = underOption(`--spec ${file}`, () => specConfig(spec, basename(file), int('batch') ?? 64, int('steps') ?? 10, gpu, wasmThreads));
    if (num('lr') !== undefined) c.lr = num('lr')!;
    configs.push(c);
  }
  return configs;
}
