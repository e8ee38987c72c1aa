/**
 * `backprop check WORKED.json… [--backend scalar|cpu|wasm|webgpu] [--known-ok] [--slack U] [--errata-md]`: every claim of
 * every worked example checked (src/worked/check.ts), a verdict per claim, then the errata. WebGPU runs on Dawn in
 * Node, else in headless Chromium (src/cli/webgpu.ts, which says on stderr which ran). Every file is
 * read, validated and every claim resolved before anything is printed: a claim that cannot be resolved is
 * an error naming it (exit 2), never skipped; with --json such a file is an entry {file, error} in its place and the
 * other files are checked (exit 2).
 * Exit status: 1 when any claim is wrong (with --known-ok: unless it is a recorded erratum, confirmed);
 * --errata-md prints the errata page instead (src/lectures/ERRATA.md, of the lecture files; a page about the files
 * given, of others), and fails only on an unexpected result.
 */
import { isDeepStrictEqual } from 'node:util';
import { BackpropError, underField } from '../errors.ts';
import { LECTURES } from '../lectures/index.ts';
import { Model } from '../model.ts';
import { type NetworkSpec, validateSpec } from '../spec.ts';
import { type ClaimCheck, checkPrepared, failed, prepare, type Prepared, type WorkedCheck } from '../worked/check.ts';
import { errataMarkdown, errataText, reportText, countStatuses } from '../worked/report.ts';
import { collectRuns, type ModelLike } from '../worked/runs.ts';
import { matrixSource, scalarSource, type ValueSource } from '../worked/sources.ts';
import { parseWorked } from '../worked/worked.ts';
import { InputError, readJsonFile } from './io.ts';
import { openWebGpu, ranOnGpu, type WebGpu, type WebGpuVariant } from './webgpu.ts';
import { netThreadsNote, ranJson, ranOnBackend, type RanOn, withNetThreads } from './ran.ts';

/** check's --backend values. */
export const CHECK_BACKENDS = ['scalar', 'cpu', 'wasm', 'webgpu'] as const;
export type CheckBackend = (typeof CHECK_BACKENDS)[number];

export interface CheckOptions {
  backend: CheckBackend;
  knownOk: boolean;
  errataMd: boolean;
  /** One JSON object on stdout instead of the report. */
  json?: boolean;
  /** --webgpu-variant: the kernels of backend 'webgpu' (absent: 'auto', picked per adapter). */
  webgpuVariant?: WebGpuVariant;
  /** --slack: a claim matches within this many units of its last printed digit (absent: 0.5, the printed rounding). */
  slack?: number;
}

/**
 * One check as --json prints it: the claim's name and place, what it claims (a formula claim's formula; the decimals
 * it is printed at), the engine's value, the text's, the verdict. `shown` is the printed value, or a formula's value
 * at the net's values: without `formula` a gradebook said "you wrote 0.0013…" of a student who wrote a formula.
 */
function checkJson(c: ClaimCheck) {
  return {
    index: c.index,
    name: c.claim.name,
    line: c.claim.line,
    ...(c.example !== undefined ? { example: c.example } : {}),
    ...('formula' in c.claim ? { formula: c.claim.formula } : {}),
    ...(c.claim.decimals !== undefined ? { decimals: c.claim.decimals } : {}),
    value: c.value,
    shown: Number.isFinite(c.shown.value) ? c.shown.value : null,
    ...(c.shown.unresolved.length ? { unresolved: c.shown.unresolved } : {}),
    tolerance: c.tolerance,
    error: Number.isFinite(c.error) ? c.error : null,
    matches: c.matches,
    status: c.status,
    ...(c.erratum ? { erratum: { correct: c.erratum.correct, matchesCorrect: c.erratum.matchesCorrect } } : {}),
  };
}

function gpuModel(gpu: WebGpu, spec: NetworkSpec): ModelLike {
  return {
    grad: (x, y) => gpu.grad(x && y ? { ...spec, x, y } : spec),
    step: (lr) => gpu.step(spec, lr),
    dispose: () => {},
  };
}

/**
 * The values of `p` from `backend`; `made` is told of every model made in this process and the spec it was made of
 * (what --json says it ran on).
 */
async function sourceFor(p: Prepared, backend: CheckBackend, gpu: WebGpu | undefined, made: (m: Model, spec: NetworkSpec) => void): Promise<ValueSource> {
  if (backend === 'scalar') return scalarSource(p.engine);
  const spec = p.worked.spec;
  const runs = backend === 'cpu' || backend === 'wasm'
    ? await collectRuns(async (s) => {
      const m = await Model.create(s, { backend });
      made(m, s);
      return m;
    }, spec)
    : await collectRuns(async (s) => gpuModel(gpu!, s), spec);
  return matrixSource(backend, spec, runs);
}

/**
 * `work` on one of the files: a typed error it raises names the file in front of its field (same class and code;
 * "C.json: claims[3] ("∂L/∂w9").name: …"), as the errors of reading it do ("C.json: no such file"): with several
 * files the field alone does not say where. One that names the file already (parseWorked's "this is a network
 * spec") is left as it is. The library's errors (parseWorked, prepare) name fields inside one worked example.
 */
async function inFile<T>(file: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof BackpropError) || err.field === file) throw err;
    throw underField(file, err, ': ');
  }
}

/**
 * Whether the files checked are the lecture notes' transcription, every one of them once (by content, so a lecture
 * written out of backprop-webgpu/lectures counts too): --errata-md then prints their ERRATA.md; other files (an
 * instructor's own) get a page about them, not one titled for the lectures that names src/lectures/.
 */
function areTheLectures(results: { result: WorkedCheck }[]): boolean {
  return results.length === LECTURES.length && LECTURES.every((l) => results.filter((r) => isDeepStrictEqual(r.result.worked, l.worked)).length === 1);
}

/**
 * Why --json could not check a file, as the CLI's error line says it: `code` the BackpropError's (CLAIM, NOTATION,
 * SPEC, LIMIT, …), or 'INPUT' where the file cannot be read or is not JSON (the line `error: …` without a code);
 * `field` where the error names one (under the file). Any other error is not the file's: it is thrown.
 */
export interface CheckFileError {
  code: string;
  field?: string;
  message: string;
}

function fileError(err: unknown): CheckFileError {
  if (err instanceof BackpropError) return { code: err.code, ...(err.field !== undefined ? { field: err.field } : {}), message: err.message };
  if (err instanceof InputError) return { code: 'INPUT', message: err.message };
  throw err;
}

export async function runCheck(files: string[], opts: CheckOptions, out: (s: string) => void): Promise<number> {
  // With --json a file that cannot be read, parsed or checked is an entry of its own, {file, error}, in its place
  // among the others, which are checked (a class's files graded in one run: one bad file stopped them all), and the
  // exit status is 2; without it, the first such file is the error (the text is printed only of files all checked).
  const errors = new Map<number, CheckFileError>();
  const prepared: { file: string; at: number; p: Prepared }[] = [];
  for (const [at, file] of files.entries()) {
    try {
      prepared.push({ file, at, p: await inFile(file, () => prepare(parseWorked(readJsonFile(file, { expected: 'a worked-example file' }), file))) });
    } catch (err) {
      if (!opts.json) throw err;
      errors.set(at, fileError(err));
    }
  }
  const gpu = opts.backend === 'webgpu' ? await openWebGpu(opts.webgpuVariant) : undefined;
  const results: { file: string; at: number; result: WorkedCheck }[] = [];
  // What ran (--json says it beside the backend: wasm's threads and netThreads, WebGPU's route and kernels; the text
  // names wasm's threads in its first line, as grad's does, the kernels in each report, and the route's line on
  // stderr the route and kernels). netThreads: the most any net ran on, at its batch (the spec's x; a run of one
  // example alone runs on no more), so fewer than threads only where every net did.
  let ran: RanOn = {};
  let description = '';
  // The batch of the last net made (its spec's x), read once: the text names it where one file was checked.
  let batch = 1;
  const made = (m: Model, spec: NetworkSpec): void => {
    batch = Array.isArray(spec.x) ? spec.x.length : validateSpec(spec).batch?.n ?? 1; // also x as {examples, data}
    const on = withNetThreads(ranOnBackend(m.backend), m.net, batch);
    ran = on.netThreads !== undefined ? { ...on, netThreads: Math.max(on.netThreads, ran.netThreads ?? 1) } : on;
    description = m.backend.description;
  };
  try {
    if (gpu) ran = await ranOnGpu(gpu);
    for (const { file, at, p } of prepared) {
      try {
        results.push({ file, at, result: await inFile(file, async () => checkPrepared(p, await sourceFor(p, opts.backend, gpu, made), { slack: opts.slack })) });
      } catch (err) {
        if (!opts.json) throw err;
        errors.set(at, fileError(err));
      }
    }
  } finally {
    await gpu?.close();
  }
  if (opts.errataMd) {
    out(errataMarkdown(results, { lectures: areTheLectures(results) }));
    return failed(results.map((r) => r.result), true) ? 1 : 0;
  }
  const all = results.flatMap((r) => r.result.checks);
  const n = countStatuses(all);
  const bad = failed(results.map((r) => r.result), opts.knownOk);
  if (opts.json) {
    const checked = new Map(results.map((r) => [r.at, r]));
    out(JSON.stringify({
      ...ranJson(opts.backend, ran),
      ...(opts.slack !== undefined ? { slack: opts.slack } : {}),
      files: files.map((file, at) => {
        const r = checked.get(at);
        return r ? { file, id: r.result.worked.id, checks: r.result.checks.map(checkJson) } : { file, error: errors.get(at)! };
      }),
      counts: n,
      failed: bad,
      errors: errors.size,
    }));
    return errors.size > 0 ? 2 : bad ? 1 : 0;
  }
  // wasm's threads, in the words of grad's backend line and train's line after the fit.
  if (ran.threads !== undefined) {
    const note = results.length === 1 ? netThreadsNote(ran, `at its batch of ${batch}`) : netThreadsNote(ran, 'at its batch', 'each net');
    out(`backend: ${opts.backend} — ${description}${note}\n`);
  }
  if (opts.slack !== undefined) out(`slack: a claim matches within ${opts.slack} unit${opts.slack === 1 ? '' : 's'} of its last printed digit (--slack; the printed rounding is 0.5)\n`);
  for (const r of results) out(`${reportText(r.result, r.file, ran.variant)}\n`);
  out(errataText(results));
  out(`\n${results.length} worked example${results.length === 1 ? '' : 's'}, ${all.length} checks: ${n.match} match, ${n['known-erratum']} wrong as recorded (known errata, confirmed), ${n.wrong} wrong and not recorded, ${n['stale-erratum']} recorded errata that do not hold.`);
  out(bad ? `exit status 1: ${opts.knownOk ? 'a claim is wrong that is not a confirmed, recorded erratum' : 'claims are wrong (--known-ok accepts the recorded errata)'}` : 'exit status 0');
  return bad ? 1 : 0;
}
