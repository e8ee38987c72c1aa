/**
 * The one flag reader of the bench runners (bench/bench.ts parseArgs, bench/dawn.ts) and the developer tools
 * (src/node/wasm-profile.ts, src/node/wasm-threads.ts), read before any work from a table of what each flag takes:
 * --help (-h), anywhere, is the usage (HelpRequested: stdout, exit 0); an unknown option (with a guess, src/suggest.ts),
 * an option without its value (the next option is none), a switch given a value, an option given twice or a stray
 * word is one line naming the option, then the caller's hint (the bench: its usage), on stderr and exit 2
 * (argsErrorExit). Values are read by readValue, digits only for a count: one wording and one rule for both. (A typo,
 * `--layer 784,10`, was skipped and the defaults ran for minutes; `--batch abc` ran with NaN.)
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf } from '../checks.ts';
import { suggest } from '../suggest.ts';

/** --help: the readers throw this, the usage as its message; the program prints it on stdout and exits 0. */
export class HelpRequested extends Error {
  constructor(usage: string) {
    super(usage);
    this.name = 'HelpRequested';
  }
}

/** A program's answer to an error from its flags: the usage on stdout and 0 for --help, else the message on stderr and 2. */
export function argsErrorExit(err: unknown): number {
  const help = err instanceof HelpRequested;
  (help ? process.stdout : process.stderr).write(`${messageOf(err)}\n`);
  return help ? 0 : 2;
}

/**
 * What a flag takes: nothing (a switch), an integer of at least `min` (at most `max`), a comma list of them (at least
 * `least`), a positive number, one word of `among`, or a text the caller reads itself (a name, a path or a list: not
 * empty, `--out ''` would fall back to a default or name nothing; `list` for the twice error's hint).
 */
export type Takes =
  | { kind: 'switch' }
  | { kind: 'integer'; min: 0 | 1; max?: number }
  | { kind: 'integers'; min: 0 | 1; max?: number; least: number }
  | { kind: 'number' }
  | { kind: 'word'; among: readonly string[] }
  | { kind: 'text'; list?: true };

/** A flag's value, read: a switch's on/off, an integer, a list of integers, a number or a word (or text). */
export type ToolValue = boolean | number | number[] | string;

/** What a flag takes, in words, for the usage and the errors: `a positive integer`, `one of relu, tanh` ('' for text). */
function takesText(t: Takes): string {
  const bound = (t: { min: 0 | 1; max?: number }) => `${t.min ? 'positive' : 'non-negative'} integer${t.max === undefined ? '' : ` up to ${t.max}`}`;
  switch (t.kind) {
    case 'switch': return 'no value';
    case 'integer': return `a ${bound(t)}`;
    case 'integers': return t.least > 1 ? `a comma list of at least ${t.least} ${bound(t).replace('integer', 'integers')}` : `a ${bound(t)} or a list (${t.min},2)`;
    case 'number': return 'a positive number';
    case 'word': return `one of ${t.among.join(', ')}`;
    case 'text': return '';
  }
}

/** The value `raw` of --name as its flag takes it; else an error naming the flag, what it takes and the value as given. */
export function readValue(name: string, t: Takes, raw: string): ToolValue {
  const wrong = (extra = '') => new Error(`--${name} wants ${takesText(t)}, got '${raw}'${extra}`);
  // Digits only, as the page's query and the CLI's counts take them: Number() also reads '', 0x10, 1e1 and ' 2'.
  const integer = (p: string, b: { min: 0 | 1; max?: number }): number => {
    const n = /^[0-9]+$/.test(p) ? Number(p) : NaN;
    if (!Number.isSafeInteger(n) || n < b.min || n > (b.max ?? Number.MAX_SAFE_INTEGER)) throw wrong();
    return n;
  };
  switch (t.kind) {
    case 'switch': throw new Error(`--${name} is a switch and takes no value (got '--${name}=${raw}'): give --${name} alone, or leave it out`);
    case 'integer': return integer(raw, t);
    case 'integers': {
      const list = raw.split(',').map((p) => integer(p.trim(), t));
      if (list.length < t.least) throw wrong();
      return list;
    }
    case 'number': {
      // Decimal only, as a count: Number() also reads 0x10, ' 2' and '' (0).
      const n = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(n) || n <= 0) throw wrong();
      return n;
    }
    case 'word': {
      if (t.among.includes(raw)) return raw;
      const guess = suggest(raw, t.among);
      throw wrong(guess === undefined ? '' : `; did you mean '${guess}'?`);
    }
    case 'text':
      if (raw.trim() === '') throw new Error(`--${name} needs a value, got '${raw}'`);
      return raw;
  }
}

/** --name's value at argv[k] (`inline`: given as --name=VALUE) and the index of its last argument; an error ending in `hint` when there is none. */
export function optionValue(argv: string[], k: number, name: string, inline: string | undefined, t: Takes, hint: string): { raw: string; k: number } {
  const raw = inline ?? argv[k + 1];
  const what = takesText(t) ? ` (${takesText(t)})` : '';
  if (raw === undefined) throw new Error(`--${name} needs a value${what}\n${hint}`);
  // The next option is no value: `--name --quick` named the files '--quick' and ran the full set (--name=--x gives one).
  if (inline === undefined && raw.startsWith('--')) throw new Error(`--${name} needs a value${what}, but the next argument is the option ${raw}: give --${name} its value first (or --${name}=VALUE)\n${hint}`);
  return { raw, k: inline === undefined ? k + 1 : k };
}

/** Whether `argv` asks for the usage: --help or -h anywhere (readFlags; bench/dawn.ts before its own options). */
export function asksHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * The flags of `argv` (`--name value`, `--name=value`, `--switch`) against the table: a switch's true, else the value as
 * given (a text checked not empty; the rest for readValue). Throws HelpRequested (`usage`) for --help or -h anywhere,
 * else an Error whose first line names the option and whose second is `hint`.
 */
export function readFlags(argv: string[], flags: Readonly<Record<string, Takes>>, usage: string, hint = usage): Map<string, string | true> {
  if (asksHelp(argv)) throw new HelpRequested(usage);
  const fail = (line: string) => new Error(`${line}\n${hint}`);
  const given = new Map<string, string | true>();
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (!a.startsWith('--')) throw fail(`unexpected argument '${a}': every option is --name or --name VALUE`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : a.slice(eq + 1);
    if (!Object.hasOwn(flags, name)) {
      const guess = suggest(name, Object.keys(flags));
      throw fail(`unknown option --${name}${guess === undefined ? '' : `; did you mean --${guess}?`}`);
    }
    const t = flags[name];
    if (given.has(name)) throw fail(`--${name} is given twice; give it once${t.kind === 'integers' || (t.kind === 'text' && t.list) ? ` (a list in one value: --${name} a,b)` : ''}`);
    if (t.kind === 'switch' && inline === undefined) {
      given.set(name, true);
      continue;
    }
    const v = optionValue(argv, k, name, inline, t, hint);
    k = v.k;
    try {
      if (t.kind === 'switch' || t.kind === 'text') readValue(name, t, v.raw);
    } catch (err) {
      throw fail(messageOf(err));
    }
    given.set(name, v.raw);
  }
  return given;
}

/** A value as readValue read it, as the caller reads it (`kind`): a mismatch is the program's bug, not the user's. */
function valueAs(v: ToolValue | undefined, name: string, kind: 'number' | 'integers' | 'word' | 'switch'): ToolValue {
  const is = { number: typeof v === 'number', integers: Array.isArray(v), word: typeof v === 'string', switch: typeof v === 'boolean' }[kind];
  if (v === undefined || !is) throw new Error(`--${name}: read as ${kind}, which its flag's table does not give it (the program's bug)`);
  return v;
}

/**
 * Lazy readers of the flags readFlags read (bench/bench.ts: its checks run in their order): a value as given (str), or
 * read by the table when asked; undefined when the flag is not given.
 */
export function valueReaders(given: Map<string, string | true>, flags: Readonly<Record<string, Takes>>) {
  const str = (k: string): string | undefined => {
    const raw = given.get(k);
    return typeof raw === 'string' ? raw : undefined;
  };
  const read = (k: string, kind: 'number' | 'integers' | 'word'): ToolValue | undefined => {
    const raw = str(k);
    return raw === undefined ? undefined : valueAs(readValue(k, flags[k], raw), k, kind);
  };
  return {
    str,
    // An integer flag's reader: its table says so (an integer read where the table takes any number would take 2.5).
    int: (k: string) => {
      if (flags[k]?.kind !== 'integer') throw new Error(`flags.ts: --${k} is read as an integer, but the table says it takes ${flags[k]?.kind ?? 'nothing'}`);
      return read(k, 'number') as number | undefined;
    },
    num: (k: string) => read(k, 'number') as number | undefined,
    ints: (k: string) => read(k, 'integers') as number[] | undefined,
    word: (k: string) => read(k, 'word') as string | undefined,
  };
}

/** One flag of a developer tool: what it takes, its default (as typed; none for a switch) and what it does. */
export interface ToolFlag {
  takes: Takes;
  dflt?: string;
  help: string;
}

/** A developer tool's command line: its synopsis (as README gives it) and its flags, by name without the dashes. */
export interface Tool {
  synopsis: string;
  flags: Readonly<Record<string, ToolFlag>>;
}

/** The placeholder of a flag's value in the usage. */
const PLACEHOLDER: Record<Takes['kind'], string> = { switch: '', integer: ' N', integers: ' N,N,…', number: ' X', word: ' NAME', text: ' VALUE' };

/** The usage --help prints: the synopsis, then one line a flag with what it takes and its default. */
export function toolUsage(tool: Tool): string {
  const rows = Object.entries(tool.flags).map(([name, f]) => [`--${name}${PLACEHOLDER[f.takes.kind]}`, `${f.help}${f.takes.kind === 'switch' ? '' : ` (${takesText(f.takes)}; default ${f.dflt})`}`]);
  rows.push(['-h, --help', 'this usage']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`usage: ${tool.synopsis}`, '', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join('\n');
}

/**
 * The tool's flags from `argv` (readFlags), each value read (readValue), the others at their defaults: every flag of
 * the table is in the map. Throws HelpRequested (the usage) for --help or -h, else an Error whose second line is the
 * usage hint.
 */
export function readToolArgs(argv: string[], tool: Tool): Map<string, ToolValue> {
  const hint = `usage: ${tool.synopsis} (--help: what each option takes)`;
  const given = readFlags(argv, Object.fromEntries(Object.entries(tool.flags).map(([name, f]) => [name, f.takes])), toolUsage(tool), hint);
  const values = new Map<string, ToolValue>();
  for (const [name, f] of Object.entries(tool.flags)) {
    const raw = given.get(name) ?? f.dflt;
    try {
      values.set(name, raw === undefined ? false : raw === true ? true : readValue(name, f.takes, raw));
    } catch (err) {
      throw new Error(`${messageOf(err)}\n${hint}`);
    }
  }
  return values;
}

export const flagNumber = (values: Map<string, ToolValue>, name: string): number => valueAs(values.get(name), name, 'number') as number;
export const flagIntegers = (values: Map<string, ToolValue>, name: string): number[] => valueAs(values.get(name), name, 'integers') as number[];
export const flagWord = (values: Map<string, ToolValue>, name: string): string => valueAs(values.get(name), name, 'word') as string;
export const flagOn = (values: Map<string, ToolValue>, name: string): boolean => valueAs(values.get(name), name, 'switch') as boolean;

/**
 * Whether `moduleUrl` (a module's import.meta.url) is the program Node was started with (a test imports the file and
 * runs nothing): the tools (runTool), bench/node.ts and bench/dawn.ts. NOTE: Node names the main module by its real
 * path (symlinks resolved) but keeps process.argv[1] as typed, so run through a symlinked folder (macOS's /tmp and
 * os.tmpdir()) this is false and the program would do nothing, silently.
 */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;
}

/**
 * Runs the tool when `moduleUrl` (its import.meta.url) is the program Node was started with, and only then (isMain):
 * `parse` first, whose HelpRequested or error ends it (0 or 2, argsErrorExit) before `run` starts.
 */
export function runTool<O>(moduleUrl: string, parse: (argv: string[]) => O, run: (o: O) => Promise<void>): void {
  if (!isMain(moduleUrl)) return;
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
