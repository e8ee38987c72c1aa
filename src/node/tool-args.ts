/**
 * The developer tools' command lines (src/node/wasm-profile.ts, src/node/wasm-threads.ts), read before any work from
 * a table of the flags each tool takes: --help (-h) is the usage on stdout and exit 0; an unknown flag (with a guess,
 * src/suggest.ts), a flag without its value, a value the flag does not take, a flag given twice or a stray word is one
 * line naming the flag and what it takes, then the usage hint, on stderr and exit 2 — before a headless Chromium
 * starts or a net is built. (A typo, `--layer 784,10`, was skipped and the defaults ran for minutes; `--batch abc`
 * ran with NaN.) The answer to --help and to an error is the bench runners' (bench/bench.ts argsErrorExit).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { argsErrorExit, HelpRequested } from '../../bench/bench.ts';
import { suggest } from '../suggest.ts';

/** What a flag takes: nothing (a switch), an integer of at least `min` (at most `max`), a comma list of them (at least `least`), a positive number, or one word of `among`. */
export type Takes =
  | { kind: 'switch' }
  | { kind: 'integer'; min: 0 | 1; max?: number }
  | { kind: 'integers'; min: 0 | 1; max?: number; least: number }
  | { kind: 'number' }
  | { kind: 'word'; among: readonly string[] };

/** One flag of a tool: what it takes, its default (as typed; none for a switch) and what it does. */
export interface ToolFlag {
  takes: Takes;
  dflt?: string;
  help: string;
}

/** A tool's command line: its synopsis (as README gives it) and its flags, by name without the dashes. */
export interface Tool {
  synopsis: string;
  flags: Readonly<Record<string, ToolFlag>>;
}

/** A flag's value, read: a switch's on/off, an integer, a list of integers, a number or a word. */
export type ToolValue = boolean | number | number[] | string;

/** What a flag takes, in words, for its usage line and its error: `a positive integer`, `one of relu, tanh`. */
function takesText(t: Takes): string {
  const bound = (t: { min: 0 | 1; max?: number }) => `${t.min ? 'positive' : 'non-negative'} integer${t.max === undefined ? '' : ` up to ${t.max}`}`;
  switch (t.kind) {
    case 'switch': return 'no value';
    case 'integer': return `a ${bound(t)}`;
    case 'integers': return `a comma list of ${t.least > 1 ? `at least ${t.least} ` : ''}${bound(t).replace('integer', 'integers')}`;
    case 'number': return 'a positive number';
    case 'word': return `one of ${t.among.join(', ')}`;
  }
}

/** The placeholder of a flag's value in the usage. */
const PLACEHOLDER: Record<Takes['kind'], string> = { switch: '', integer: ' N', integers: ' N,N,…', number: ' X', word: ' NAME' };

/** The usage --help prints: the synopsis, then one line a flag with what it takes and its default. */
export function toolUsage(tool: Tool): string {
  const rows = Object.entries(tool.flags).map(([name, f]) => [`--${name}${PLACEHOLDER[f.takes.kind]}`, `${f.help}${f.takes.kind === 'switch' ? '' : ` (${takesText(f.takes)}; default ${f.dflt})`}`]);
  rows.push(['-h, --help', 'this usage']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`usage: ${tool.synopsis}`, '', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join('\n');
}

/** The value `raw` of --name as its flag takes it; else an error naming the flag, what it takes and the value as given. */
function readValue(name: string, t: Takes, raw: string): ToolValue {
  const wrong = (extra = '') => new Error(`--${name} wants ${takesText(t)}, got '${raw}'${extra}`);
  // Digits only, as bench/bench.ts reads counts: Number() also reads '', 0x10, 1e1 and ' 2'.
  const integer = (p: string, b: { min: 0 | 1; max?: number }): number => {
    const n = /^[0-9]+$/.test(p) ? Number(p) : NaN;
    if (!Number.isSafeInteger(n) || n < b.min || n > (b.max ?? Number.MAX_SAFE_INTEGER)) throw wrong();
    return n;
  };
  switch (t.kind) {
    case 'switch': throw new Error(`--${name} is a switch and takes no value, got '${raw}'`);
    case 'integer': return integer(raw, t);
    case 'integers': {
      const list = raw.split(',').map((p) => integer(p.trim(), t));
      if (list.length < t.least) throw wrong();
      return list;
    }
    case 'number': {
      const n = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(n) || n <= 0) throw wrong();
      return n;
    }
    case 'word': {
      if (t.among.includes(raw)) return raw;
      const guess = suggest(raw, t.among);
      throw wrong(guess === undefined ? '' : `; did you mean '${guess}'?`);
    }
  }
}

/**
 * The tool's flags from `argv` (`--name value`, `--name=value`, `--switch`), each checked against the table, the
 * others at their defaults: every flag of the table is in the map. Throws HelpRequested (the usage) for --help or -h
 * anywhere, else an Error whose first line names the flag and whose second is the usage hint.
 */
export function readToolArgs(argv: string[], tool: Tool): Map<string, ToolValue> {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(toolUsage(tool));
  const hint = `usage: ${tool.synopsis} (--help: what each flag takes)`;
  const fail = (line: string) => new Error(`${line}\n${hint}`);
  const names = Object.keys(tool.flags);
  const given = new Map<string, ToolValue>();
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (!a.startsWith('--')) throw fail(`unexpected argument '${a}': every flag is --name or --name VALUE`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!Object.hasOwn(tool.flags, name)) {
      const guess = suggest(name, names);
      throw fail(`unknown flag --${name}${guess === undefined ? `; the flags are ${names.map((n) => `--${n}`).join(', ')}` : `; did you mean --${guess}?`}`);
    }
    const flag = tool.flags[name];
    if (given.has(name)) throw fail(`--${name} is given twice; give it once`);
    if (flag.takes.kind === 'switch' && eq < 0) {
      given.set(name, true);
      continue;
    }
    const raw = eq < 0 ? argv[++k] : a.slice(eq + 1);
    // The next flag is no value: `--batch --steps 5` would read '--steps' as the batch.
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw fail(`--${name} needs a value (${takesText(flag.takes)})${raw === undefined ? '' : `, but the next argument is the flag ${raw}`}`);
    try {
      given.set(name, readValue(name, flag.takes, raw));
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  for (const [name, f] of Object.entries(tool.flags)) {
    if (!given.has(name)) given.set(name, f.dflt === undefined ? false : readValue(name, f.takes, f.dflt));
  }
  return given;
}

/** The value of --name as readToolArgs read it; `kind` is what the caller reads it as (a mismatch is the tool's bug, not the user's). */
function valueOf(values: Map<string, ToolValue>, name: string, kind: 'number' | 'integers' | 'word' | 'switch'): ToolValue {
  const v = values.get(name);
  const is = { number: typeof v === 'number', integers: Array.isArray(v), word: typeof v === 'string', switch: typeof v === 'boolean' }[kind];
  if (v === undefined || !is) throw new Error(`--${name}: read as ${kind}, which its flag's table does not give it (the tool's bug)`);
  return v;
}
export const flagNumber = (values: Map<string, ToolValue>, name: string): number => valueOf(values, name, 'number') as number;
export const flagIntegers = (values: Map<string, ToolValue>, name: string): number[] => valueOf(values, name, 'integers') as number[];
export const flagWord = (values: Map<string, ToolValue>, name: string): string => valueOf(values, name, 'word') as string;
export const flagOn = (values: Map<string, ToolValue>, name: string): boolean => valueOf(values, name, 'switch') as boolean;

/**
 * Runs the tool when `moduleUrl` (its import.meta.url) is the program Node was started with, and only then (a test
 * imports the file for its parse): `parse` first, whose HelpRequested or error ends it (0 or 2, argsErrorExit) before
 * `run` starts. NOTE: Node names the main module by its real path but keeps process.argv[1] as typed (bench/dawn.ts):
 * run through a symlinked folder, the tool would do nothing.
 */
export function runTool<O>(moduleUrl: string, parse: (argv: string[]) => O, run: (o: O) => Promise<void>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  let o: O;
  try {
    o = parse(process.argv.slice(2));
  } catch (err) {
    process.exitCode = argsErrorExit(err);
    return;
  }
  run(o).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
