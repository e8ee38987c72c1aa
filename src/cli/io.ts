/** Files for the CLI: reading spec files (usage errors, JSON syntax errors with line and column), checking where one is written. */
import { accessSync, closeSync, constants, existsSync, fchmodSync, fchownSync, fstatSync, lstatSync, mkdtempSync, openSync, readFileSync, readSync, realpathSync, renameSync, rmSync, type Stats, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes, getBudget } from '../budget.ts';
import { messageOf } from '../checks.ts';
import { LimitError } from '../errors.ts';
import { valueGuess } from '../suggest.ts';
import { LECTURES } from '../lectures/index.ts';
import { isSafetensors } from '../train/safetensors.ts';
import { shellArg } from './shell.ts';

/** A mistake in how the CLI was called (unknown command or flag, missing file, bad JSON). Exit code 2, with usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file that cannot be read or is not JSON, or an unknown command: exit 2 like a usage error, without the usage text (it would not help). */
export class InputError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Does JSON.parse fail on `text` only because it ends too early (so no syntax error has been seen yet)? */
function incomplete(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    const at = /at position (\d+)/.exec(message);
    return /Unexpected end of JSON input/.test(message) || (at !== null && Number(at[1]) >= text.length);
  }
}

/**
 * The offset of the first character JSON.parse rejects. V8 does not always say ("Unexpected token 'x', … is not
 * valid JSON"), so binary-search the shortest prefix that fails for a reason other than ending early.
 */
export function jsonErrorOffset(text: string): number {
  let lo = 0; // text.slice(0, lo) is incomplete (or valid)
  let hi = text.length; // text.slice(0, hi) has the error
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (incomplete(text.slice(0, mid))) lo = mid;
    else hi = mid;
  }
  return hi - 1;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Parse JSON text; a syntax error becomes an InputError naming the file, line, column and offset. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = messageOf(err);
    if (text.trim() === '') throw new InputError(`${file}: not valid JSON: the file is empty`);
    const offset = incomplete(text) ? text.length : jsonErrorOffset(text);
    const { line, column } = lineColumn(text, offset);
    const where = offset >= text.length ? 'at the end of the file' : `at line ${line}, column ${column} (position ${offset})`;
    throw new InputError(`${file}: not valid JSON ${where}: ${reason.replace(/^(Unexpected token '.+?'), .* is not valid JSON$/s, '$1')}`);
  }
}

/**
 * Where `--flag FILE` will be written after long work (train --save): its folder must exist and be writable, and
 * FILE, if it exists, a writable file — checked before the work, so that a mistyped path costs nothing.
 */
export function checkWritable(file: string, flag: string): void {
  if (file === '') throw new InputError(`--${flag} needs a file name`);
  // '-' is standard output to many tools, and a spec file '-' is refused (readCapped): not a file named '-' made here.
  if (file === '-') throw new InputError(`--${flag} -: standard output is /dev/stdout here (./- for a file named '-')`);
  const why = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);
  let dir: string;
  try {
    dir = dirname(resolve(file));
  } catch (err) {
    // A relative FILE in a working folder removed since the shell entered it: resolve() reads the working folder.
    throw new InputError(`--${flag} ${file}: cannot write in the working folder, which no longer exists (${why(err)})`);
  }
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`--${flag} ${file}: ${dir} is not a folder`);
    accessSync(dir, constants.W_OK);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`--${flag} ${file}: cannot write in ${dir} (${why(err)})`);
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new InputError(`--${flag} ${file}: is a folder`);
  // access(2) is not the answer: root passes it everywhere, and /proc or /sys refuse the file itself. So the file is
  // opened for writing — without truncating it (a run refused later leaves it as it was), created only if it does not
  // exist and then removed again; O_NONBLOCK, so that a FIFO without a reader is refused (ENXIO), not waited on.
  // existsSync follows a symlink: one to a missing file is written through (as the save will), and the file the check
  // made — the link's target, not the link — removed.
  const { O_CREAT, O_NONBLOCK, O_WRONLY } = constants;
  const existed = existsSync(file);
  try {
    closeSync(openSync(file, O_WRONLY | O_CREAT | O_NONBLOCK));
  } catch (err) {
    throw new InputError(`--${flag} ${file}: cannot write (${why(err)})`);
  }
  if (!existed) unlinkSync(realpathSync(file));
}

/**
 * Is FILE this process's stdout — the same file as file descriptor 1 (/dev/stdout, /dev/fd/1, a terminal's
 * /dev/pts/N, or the file stdout is redirected to), so that writing it would mix with what the command prints there?
 * Not the null device (`> /dev/null` with FILE /dev/null mixes nothing), nor a FILE that does not exist yet.
 */
export function namesStdout(file: string): boolean {
  return namesFd(file, 1);
}

/** Is FILE the same file as this process's stderr (`2> FILE`, `2>&1` where stdout is FILE), as namesStdout asks of stdout. */
export function namesStderr(file: string): boolean {
  return namesFd(file, 2);
}

/** Is FILE the same file as this process's open descriptor `fd` (not the null device): namesStdout's test, any fd. */
function namesFd(file: string, fd: number): boolean {
  try {
    const [f, open] = [statSync(file), fstatSync(fd)];
    if (f.isCharacterDevice() && f.rdev === statSync('/dev/null').rdev) return false;
    return f.dev === open.dev && f.ino === open.ino && f.rdev === open.rdev;
  } catch {
    return false;
  }
}

/**
 * FILE's path with every symlink followed, or FILE itself where there is none to give: /dev/fd/3 open on a file since
 * deleted links to "/tmp/x (deleted)", which realpath cannot follow (ENOENT).
 */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * `--flag FILE` (checked by checkWritable) must not be `input`, a file the command reads (described as `what`):
 * the same file by any path — relative, through a symlink, or a hard link — would be replaced by what is written.
 * An InputError (one line, exit 2) before any work.
 */
export function checkNotInput(file: string, flag: string, input: string, what: string): void {
  let out: Stats;
  let from: Stats;
  try {
    out = statSync(file);
    from = statSync(input);
  } catch {
    return; // FILE does not exist yet (or the input is gone): it cannot be the input
  }
  const same = (out.ino !== 0 && out.dev === from.dev && out.ino === from.ino) || realPath(file) === realPath(input);
  if (same) throw new InputError(`--${flag} ${file}: is ${what} ${input}, which the output would overwrite; give another file`);
}

/**
 * `--flag FILE` must not be the file another output flag writes (`--other`), also where neither exists yet: a path
 * through a symlink whose target is missing (dangling) names the same file only once it is made, so each missing one
 * is made for the comparison (both were checked writable, checkWritable) and removed after it. Else the second write
 * would replace the first after the run, and both would be reported written.
 */
export function checkNotOutput(file: string, flag: string, other: string, otherFlag: string): void {
  const made: string[] = [];
  try {
    for (const f of [file, other]) {
      if (existsSync(f)) continue;
      closeSync(openSync(f, constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK));
      made.push(realpathSync(f));
    }
    checkNotInput(file, flag, other, `the --${otherFlag} file`);
  } finally {
    for (const m of made) rmSync(m, { force: true });
  }
}

/**
 * Write an output of a run (train's --save and --plot) whole or not at all. A new file, or a regular one (through a
 * symlink: its target), is written to a temporary file beside it and renamed over it, so a write that fails part way
 * (a full disk, a file-size limit: EFBIG) leaves no partial file and the file as it was — a checkpoint that
 * `--resume m.ckpt --save m.ckpt` continues is not lost to a truncated one. A regular file this process holds open
 * (stdout redirected to it, /dev/fd/N: openDescriptor) is written through that descriptor. Written in place, as
 * before: a device, a FIFO, a pipe or terminal as stdout, a symlink to a missing file, another user's file, and a file
 * whose replacement the system refuses (inPlaceWhen); a file such a write created is removed when it fails.
 * NOTE: the rename gives the path a new file, with the old one's mode (as a write in place would leave it: keptMode),
 * group (and, run as root, owner); its ACLs and extended attributes are not copied, another hard link to the old file
 * keeps the old contents (a hard link to the spec file is refused before training: checkNotInput), nothing is synced
 * to the disk before the rename (a power cut may leave either file), and the folder needs room for both files at once
 * (ENOSPC where a write in place would have fitted: the old file is kept).
 */
export function writeWhole(file: string, data: string | Uint8Array): void {
  let existing: Stats | undefined;
  try {
    existing = statSync(file);
  } catch {
    existing = undefined; // a new file (or a symlink to a missing one: lstat below)
  }
  const dangling = existing === undefined && (() => {
    try {
      return lstatSync(file).isSymbolicLink();
    } catch {
      return false;
    }
  })();
  // A descriptor this process holds open on a regular file (stdout redirected to one, `>` or `>>`; /dev/fd/N): written
  // through the descriptor, at its offset and with its O_APPEND, as the shell's other writes to it are — a new open of
  // the path truncated it (`{ echo A; train --save /dev/stdout; echo B; } > f` lost A and wrote B over the checkpoint).
  const fd = existing?.isFile() ? openDescriptor(file) : undefined;
  if (fd !== undefined) {
    writeFileSync(fd, data);
    return;
  }
  // Another user's file (ours to write, not to own) is written in place: a new file would be ours, and in a sticky
  // folder such as /tmp the rename is refused (EPERM). Root replaces it and gives the new file its owner back (below).
  const uid = process.getuid?.();
  const othersFile = existing !== undefined && uid !== undefined && uid !== 0 && existing.uid !== uid;
  // (stdout needs no test here: a regular file was written through fd 1 above, anything else is not a file.)
  if ((existing !== undefined && !existing.isFile()) || dangling || othersFile || namesStderr(file)) {
    writeInPlace(file, data, existing === undefined);
    return;
  }
  let target: string;
  try {
    target = existing === undefined ? resolve(file) : realpathSync(file);
  } catch {
    // A path to a descriptor whose file has no name (/dev/fd/3 on a file since deleted): written through it.
    writeInPlace(file, data, false);
    return;
  }
  // NOTE: not named after the target: a name of 250 bytes, legal itself, would pass NAME_MAX (255) with a suffix.
  const tmp = join(dirname(target), `.backprop-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let out: number | undefined;
  try {
    // A file being replaced: its owner's alone while it is written (a checkpoint holds the run's data), given the old
    // file's mode after. NOTE: its owner, group and mode are set through the descriptor, never by the path: another
    // user who may write in the folder could put a symlink at the temporary name, and a chown or chmod by path would
    // follow it (root's chown of any file).
    out = openSync(tmp, 'wx', existing === undefined ? 0o666 : 0o600);
    writeFileSync(out, data);
    if (existing !== undefined) {
      const made = fstatSync(out);
      if (uid === 0 ? made.uid !== existing.uid || made.gid !== existing.gid : made.gid !== existing.gid) {
        fchownSync(out, uid === 0 ? existing.uid : -1, existing.gid);
      }
      fchmodSync(out, keptMode(existing.mode, uid === 0));
    }
    closeSync(out);
    out = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (out !== undefined) closeSync(out);
    rmSync(tmp, { force: true });
    if (!inPlaceWhen(err)) throw err;
    writeInPlace(file, data, existing === undefined);
  }
}

/**
 * The mode a replacement of a file of `mode` gets: the same, but as a write in place would leave it where the writer
 * lacks CAP_FSETID (not root): the kernel clears set-user-ID on such a write, and set-group-ID where the group may
 * execute.
 */
function keptMode(mode: number, root: boolean): number {
  if (root) return mode & 0o7777;
  return mode & 0o3777 & ~(mode & 0o010 ? 0o2000 : 0);
}

/**
 * The descriptor of this process that FILE names, if any: 1 for stdout by any path (namesStdout), N for /dev/fd/N or
 * /proc/self/fd/N (the same file as that open descriptor).
 */
function openDescriptor(file: string): number | undefined {
  if (namesStdout(file)) return 1;
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(file);
  return m && namesFd(file, Number(m[1])) ? Number(m[1]) : undefined;
}

/**
 * The errors of making, owning or renaming the temporary file that mean the system refuses a replacement, not a
 * write: the target's folder not writable (EACCES, EROFS: a symlink into a folder the writer may not add to), a group
 * the writer is not in (EPERM), an owner the user namespace does not map (EINVAL: a rootless container), a file system
 * without owners or modes (ENOTSUP, EOPNOTSUPP, ENOSYS), a bind-mounted file (EBUSY), another file system (EXDEV). The
 * file is written in place then. A full disk (ENOSPC, EDQUOT) is not among them: the old file is kept as it was.
 */
function inPlaceWhen(err: unknown): boolean {
  return ['EACCES', 'EPERM', 'EROFS', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EBUSY', 'EXDEV'].includes((err as NodeJS.ErrnoException).code ?? '');
}

/** Write `file` in place (truncating it), a file this write made (`made`) removed when it fails. */
function writeInPlace(file: string, data: string | Uint8Array, made: boolean): void {
  try {
    writeFileSync(file, data);
  } catch (err) {
    if (made) removeTarget(file);
    throw err;
  }
}

/** The file a symlink to a missing file made when written (not the link): removed, if it was made. */
function removeTarget(link: string): void {
  try {
    rmSync(realpathSync(link), { force: true });
  } catch {
    // nothing was made: the link still dangles
  }
}

/** What raises the budget's fileBytes for the CLI, in a file over it (the bench, at the default budget, says what to change instead). */
export const FILE_KNOB = 'BACKPROP_MAX_FILE_BYTES raises it';

/**
 * Read at most `maxBytes` of a file (the budget's fileBytes): a longer file — or an endless one, /dev/zero — is a
 * LimitError naming it, after reading maxBytes + 1 bytes at most.
 */
export function readCapped(file: string, maxBytes = getBudget().fileBytes): Buffer {
  let fd: number;
  try {
    fd = openSync(rerunInputs()[file] ?? file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const stdin = file === '-' ? ' (a spec on standard input is read as the file /dev/stdin)' : '';
    throw new InputError(code === 'ENOENT' ? `${file}: no such file${stdin}${lectureHint(file)}` : `${file}: cannot read (${code ?? String(err)})`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // One read buffer, and a copy of what each read got: a pipe gives 64 KiB a read, and a view of a fresh 1 MiB
    // buffer per read held 16 times the bytes read (a 20 MB spec on a pipe: 306 MiB) until the concat.
    const buffer = Buffer.alloc(Math.min(1 << 20, maxBytes + 1));
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buffer, 0, Math.min(buffer.length, maxBytes + 1 - total), null);
      } catch (err) {
        throw new InputError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      if (got === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, got)));
      total += got;
      if (total > maxBytes) {
        throw new LimitError(file, `the file is larger than the budget's fileBytes, ${formatBytes(maxBytes)} (${FILE_KNOB})`);
      }
    }
    const bytes = Buffer.concat(chunks, total);
    if (!fstatSync(fd).isFile()) singleReads.set(file, bytes);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * The inputs read that are not regular files — a pipe (`/dev/stdin`, `<(…)`), a FIFO, a device — by the path as
 * given, with the bytes read: such an input cannot be read a second time, which the rerun of the whole command in a
 * child process (src/cli/dawn.ts) would do.
 */
const singleReads = new Map<string, Buffer>();

/** Names, in the rerun's environment, the file holding each single-read input's bytes: {path as given: copy}. */
const RERUN_INPUTS_ENV = 'BACKPROP_RERUN_INPUTS';

/** Marks the child run of src/cli/dawn.ts with SwiftShader's environment (so it is never run a third time). */
export const DAWN_RERUN_ENV = 'BACKPROP_DAWN_RERUN';

/** The signals that end a run: train catches them during the fit where it has an output to keep (train.ts stoppedBy), and Dawn's rerun passes them on to its child (dawn.ts onDawn). */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The copies of single-read inputs this process was given, in Dawn's rerun only (elsewhere the variable is ignored). */
function rerunInputs(): Record<string, string> {
  const raw = process.env[DAWN_RERUN_ENV] ? process.env[RERUN_INPUTS_ENV] : undefined;
  return raw ? (JSON.parse(raw) as Record<string, string>) : {};
}

/**
 * For a rerun of the command in a child process: each single-read input read so far is written to a regular file in
 * a new temporary folder, and `env` names them for the child, whose readJsonFile reads the copy in place of the path
 * given (the same argv, and every message names the path as given). `cleanup` removes the folder.
 */
export function inputsForRerun(): { env: Record<string, string>; cleanup: () => void } {
  if (singleReads.size === 0) return { env: {}, cleanup: () => {} };
  const folder = mkdtempSync(join(tmpdir(), 'backprop-rerun-'));
  const copies: Record<string, string> = {};
  [...singleReads].forEach(([file, bytes], k) => {
    copies[file] = join(folder, `input-${k}`);
    writeFileSync(copies[file], bytes, { mode: 0o600 });
  });
  return { env: { [RERUN_INPUTS_ENV]: JSON.stringify(copies) }, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * This package's root folder and its package.json: above this module, src/cli/ in a checkout or dist/lib/cli/ in
 * the installed package (the CLI's own files are found from there, never from the working folder); else undefined.
 */
export function packageRoot(): { dir: string; version?: string } | undefined {
  for (const up of ['../../', '../../../']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'backprop-webgpu') return { dir, version: pkg.version };
    } catch {
      // not there: look one level up
    }
  }
  return undefined;
}

/**
 * Does `backprop-webgpu` resolve from `cwd` (a node_modules at or above it has it, or it is the package's own
 * folder)? Then a command printed for that folder may name the package (`npx backprop`, an import of
 * 'backprop-webgpu/lectures'); else it must name this package's files by path.
 */
export function resolvesFrom(cwd: string): boolean {
  try {
    createRequire(join(cwd, 'noop.js')).resolve('backprop-webgpu/package.json');
    return true;
  } catch {
    return false;
  }
}

/** Is `path` (absolute) `dir` or inside it? (A folder named `..x` inside is inside.) */
export function within(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}

/** `file` (absolute) as a command run in the working folder should name it: relative below it, else absolute; quoted for a shell where needed. */
export function shellPath(file: string): string {
  const path = file !== process.cwd() && within(process.cwd(), file) ? relative(process.cwd(), file) : file;
  return shellArg(path);
}

/**
 * A missing file named like a lecture ('lecture-2-2-1') or its worked-example file (the README's
 * src/lectures/lecture-2-2-1.worked.json, which an installed package does not have): where that file is.
 */
function lectureHint(file: string): string {
  const id = LECTURES.find((l) => l.id === file || `${sep}${file}`.endsWith(`${sep}${l.id}.worked.json`))?.id;
  if (!id) return '';
  return `; ${id === file ? `'${id}' is a lecture id: its` : `lecture ${id}'s`} worked example is src/lectures/${id}.worked.json in a checkout, or write `
    + `JSON.stringify(lecture('${id}').worked) from 'backprop-webgpu/lectures' to a file (README: Worked examples)`;
}

/** What the CLI says after naming a checkpoint given in place of a spec or worked-example file (readJsonFile's default `checkpointHint`). */
export function resumeHint(file: string): string {
  return `train --resume ${shellArg(file)} continues the checkpoint's run, and Model.load loads it (README: Checkpoints)`;
}

/** readJsonFile's optional inputs, each with its default. */
export interface ReadJsonOptions {
  /** The most bytes read (readCapped): the budget's fileBytes unless given (the bench's --spec passes the default budget's). */
  maxBytes?: number;
  /** Said after naming a checkpoint given in place of the file: resumeHint(file) unless given; '' for none. */
  checkpointHint?: string;
  /** What the caller reads, for that message: 'a spec file' unless given (check's 'a worked-example file'). */
  expected?: string;
}

/**
 * The JSON in `file`, read up to `maxBytes` (readCapped). A UTF-8 byte-order mark at its start (some Windows editors
 * write one) is skipped, as RFC 8259 §8.1 lets a parser do: JSON.parse would refuse it as an invisible first character.
 * A safetensors checkpoint is named as one, and as not `expected`, followed by `checkpointHint` (the CLI's: resumeHint;
 * the caller's own in another context, '' for none).
 */
export function readJsonFile(file: string, { maxBytes = getBudget().fileBytes, checkpointHint = resumeHint(file), expected = 'a spec file' }: ReadJsonOptions = {}): unknown {
  const bytes = readCapped(file, maxBytes);
  try {
    return parseJson(bytes.toString('utf8').replace(/^\uFEFF/, ''), file);
  } catch (err) {
    if (isSafetensors(bytes)) {
      throw new InputError(`${file}: not valid JSON: a safetensors checkpoint (as train --save writes), not ${expected}${checkpointHint === '' ? '' : `; ${checkpointHint}`}`);
    }
    // A table where a spec (or a worked example: `expected`, as the checkpoint's message) was asked for: the CLI takes
    // its data as a spec's x and y; the lab reads a CSV (usr56g).
    if (/\.(csv|tsv)$/i.test(file) && err instanceof InputError) {
      throw new InputError(`${err.message}; a CSV or TSV is not ${expected}: the CLI reads data as a spec's x and y (README "The network spec"), and the lab's Your data imports a CSV, whose Export spec JSON writes a spec the CLI reads`);
    }
    throw err;
  }
}

/** Value-taking flags given a negative number (--decimals -1, --lr -.5) as --decimals=-1, so parseArgs reads it as the value. */
export function joinNegativeValues(argv: string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (flags.includes(argv[i]) && i + 1 < argv.length && /^-\.?\d/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/**
 * `value` if it is one of `allowed`, else a UsageError listing them, and the one it was likely meant as where one is
 * close (src/suggest.ts valueGuess): "--backend must be cpu, webgpu or wasm, got 'wsam'; did you mean 'wasm'?".
 */
export function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  throw new UsageError(`--${flag} must be ${list}, got '${value}'${valueGuess(value, allowed)}`);
}

/**
 * A real-number flag value (--lr) in decimal notation — digits with an optional point and exponent: 0.01, 1e-3,
 * -1 (refused later, naming optimizer.lr) — and finite; not '', ' 2', '0x10', '0b11' or 'Infinity' (a UsageError).
 */
export function decimalFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(x)) throw new UsageError(`--${flag} must be a finite number in decimal notation (0.01, 1e-3), got '${v}'`);
  return x;
}

/** An integer flag value in [min, max]: digits only (not '', ' 1', '1e3' or '0x10'), else a UsageError saying so. */
export function integerFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} … ${max}`;
  // NOTE: past 2⁵³ − 1 (MAX_SAFE_INTEGER) a double no longer holds every integer: "1 or more" alone would refuse an
  // integer of 1 or more without saying why. A flag with a smaller maximum names it in its range already.
  const past = max === Number.MAX_SAFE_INTEGER && v > max ? `, past the largest this takes, 2⁵³ − 1 = ${Number.MAX_SAFE_INTEGER}` : '';
  if (!(v >= min && v <= max)) throw new UsageError(`--${name} must be an integer ${range}, got '${raw}'${past}`);
  return v;
}

/** A status line rewritten in place (a terminal's): `show` replaces it, `clear` removes it before ordinary output. */
export interface LiveLine {
  show(text: string): void;
  clear(): void;
}

/**
 * The live line of `stream` when it is a terminal (`isTTY`), else undefined: piped or redirected output gets only the
 * ordinary lines. The line is cut to the terminal's width (`columns`, read at each redraw) less one — a line that
 * wrapped would leave its first row behind — and written with a newline after it, so the cursor always waits on the
 * empty row below: each redraw moves up one row (ANSI `ESC[1A`), returns, rewrites and erases to the end (`ESC[K`);
 * `clear` moves up and erases it, leaving the cursor where the next ordinary line goes. An interrupt (Ctrl-C) thus
 * ends the run at once, as always, with the shell's prompt on a row of its own and the last progress left in view
 * (a SIGINT listener that erased the line would wait for the submission being computed: seconds on a big net; train
 * has one only where it has an output to keep, --save or --plot: stoppedBy in ./train.ts).
 */
export function liveLine(stream: { isTTY?: boolean; columns?: number; write(s: string): unknown }): LiveLine | undefined {
  if (!stream.isTTY) return undefined;
  let shown = false;
  return {
    show(text) {
      const width = stream.columns ? Math.max(1, stream.columns - 1) : Infinity;
      stream.write(`${shown ? '\x1b[1A' : ''}\r${[...text].slice(0, width).join('')}\x1b[K\n`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\x1b[1A\r\x1b[K');
      shown = false;
    },
  };
}
