/**
 * The fuzz suite (issue 11): seeded mutations of valid specs, data and worked-example files (test/lib/fuzz.ts)
 * through validation, the library on the CPU and the CLI (in process). Every case must end in a typed error
 * naming its field (BackpropError with a field; DivergedError for a non-finite loss), or in a finite result equal
 * to the float64 oracle's (gradFloat64, within float32 rounding); never another exception, a hang, an allocation
 * over the budget, or a non-finite number printed with exit 0.
 * `npm test` runs a fast count; FUZZ_COUNT=2000 (and FUZZ_SEED=n) for a longer run. WebGPU: test/browser/fuzz.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BUDGET, setBudget } from '../src/budget.ts';
import { main } from '../src/cli/main.ts';
import { gradFloat64 } from '../src/cpu/backend.ts';
import { BackpropError, DivergedError } from '../src/errors.ts';
import { initParams } from '../src/init.ts';
import { Model } from '../src/model.ts';
import { validateSpec } from '../src/spec.ts';
import { checkWorked } from '../src/worked/check.ts';
import { parseWorked } from '../src/worked/worked.ts';
import { BACKEND_OPTIONS, fuzzCount, fuzzSeed, specCase, toJsonText, unstorable, workedCase } from './lib/fuzz.ts';
import { mulberry32 } from '../src/init.ts';

const SEED = fuzzSeed();
const COUNT = fuzzCount(120);
/** A small budget for the suite, so that an allocation past it shows in arrayBuffers. */
const HOST_BUDGET = 64 * 2 ** 20;

const dir = mkdtempSync(join(tmpdir(), 'backprop-fuzz-'));
beforeAll(() => {
  setBudget({ hostBytes: HOST_BUDGET });
});
afterAll(() => {
  setBudget(DEFAULT_BUDGET);
  rmSync(dir, { recursive: true, force: true });
});

/** An error the engine threw on purpose, naming what it is about. */
function typedProblem(err: unknown): string | undefined {
  if (err instanceof DivergedError) return undefined;
  if (!(err instanceof BackpropError)) return `untyped ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : String(err)}`;
  if (typeof err.field !== 'string' || err.field === '') return `${err.name} without a field: ${err.message.slice(0, 200)}`;
  return undefined;
}

async function cliRun(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    setBudget({ hostBytes: HOST_BUDGET }); // main() sets the budget from the environment
  }
}

/** The CLI's invariants: exit 0 with finite JSON, 1 saying what is not finite or wrong, 2 with a typed error; no internal error. */
function cliProblem(r: { status: number; stdout: string; stderr: string }, json: boolean): string | undefined {
  if (r.stderr.includes('internal error')) return `internal error: ${r.stderr.slice(0, 300)}`;
  if (r.status === 2 && !/^error(:| \[[A-Z_]+\])/.test(r.stderr)) return `exit 2 without a typed error: ${r.stderr.slice(0, 200)}`;
  if (r.status === 0 && json && /null|NaN|Infinity/.test(r.stdout)) return `exit 0 with a non-finite number: ${r.stdout.slice(0, 200)}`;
  if (r.status === 0 && !json && /\bNaN\b|Infinity/.test(r.stdout)) return `exit 0 printing NaN/Infinity: ${r.stdout.slice(0, 200)}`;
  if (![0, 1, 2].includes(r.status)) return `exit ${r.status}`;
  return undefined;
}

const allFinite = (arrays: Float32Array[]): boolean => arrays.every((a) => a.every(Number.isFinite));

describe(`fuzz (seed ${SEED}, ${COUNT} cases each)`, () => {
  it('specs and data: validation, Model on the CPU (vs the float64 oracle), CLI grad and explain', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const outcomes = { error: 0, ok: 0 };
    for (let index = 0; index < COUNT; index++) {
      const c = specCase(SEED, index);
      const fail = (what: string) => failures.push(`case ${index} (${c.what}): ${what}`);
      try {
        await specOnce(index, c, fail, outcomes);
      } catch (err) {
        fail(`escaped: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
    expect(failures).toEqual([]);
    // The mutations reach both outcomes.
    expect(outcomes.error).toBeGreaterThan(COUNT / 4);
    expect(outcomes.ok).toBeGreaterThan(0);
  });

  async function specOnce(index: number, c: ReturnType<typeof specCase>, fail: (what: string) => void, outcomes: { error: number; ok: number }): Promise<void> {
    {
      const before = process.memoryUsage().arrayBuffers;
      const t0 = performance.now();
      // Validation.
      let valid: ReturnType<typeof validateSpec> | undefined;
      try {
        valid = validateSpec(c.spec);
        // Accepted: every number it stores is a number, finite as float32 (no coercion, no overflow to ±Infinity).
        const where = unstorable(c.spec);
        if (where) fail(`validateSpec accepted ${where}, which float32 cannot store as given`);
      } catch (err) {
        const p = typedProblem(err);
        if (p) fail(`validateSpec: ${p}`);
      }
      // The library on the CPU (now and then with a misspelt backend, which must be refused).
      const backend = BACKEND_OPTIONS[Math.floor(mulberry32(index)() * BACKEND_OPTIONS.length)];
      try {
        const model = await Model.create(c.spec, { backend: backend as 'cpu' });
        if (backend !== 'cpu') fail(`backend '${backend}' accepted (${model.kind})`);
        try {
          const g = await model.grad();
          outcomes.ok++;
          if (!Number.isFinite(g.loss) || !allFinite([...g.Z, ...g.A, ...g.delta, ...g.dW, ...g.db])) fail('grad resolved with a non-finite number');
          // The float64 oracle on the same (validated) parameters and batch.
          const params = valid!.params ?? initParams(valid!.net, valid!.init!.scheme, valid!.init!.seed);
          const f64 = (a: Float32Array) => Float64Array.from(a);
          const b = valid!.batch!;
          const ref = gradFloat64(valid!.net, params.W.map(f64), params.b.map(f64), f64(b.X), f64(b.Y), b.n);
          // NOTE: every loss is a sum of non-negative terms: float32 is within a few ulps per operation of float64.
          if (Math.abs(g.loss - ref.loss) > 1e-4 * (1 + Math.abs(ref.loss))) fail(`loss ${g.loss} vs the float64 oracle's ${ref.loss}`);
          if (valid!.lr !== undefined) {
            const t = await model.train({ steps: 2 });
            if (!Number.isFinite(t.loss) || !Number.isFinite(t.maxAbsParam)) fail(`train resolved with loss ${t.loss}, max |θ| ${t.maxAbsParam}`);
          }
        } finally {
          model.dispose();
        }
      } catch (err) {
        outcomes.error++;
        const p = typedProblem(err);
        if (p) fail(`Model: ${p}`);
      }
      // The CLI, on the case as JSON text.
      const text = toJsonText(c.spec);
      if (text === undefined) return;
      const file = join(dir, `case-${index}.json`);
      writeFileSync(file, text);
      const json = index % 2 === 0;
      const r = await cliRun(['grad', file, '--backend', 'cpu', ...(json ? ['--json'] : [])]);
      const p = cliProblem(r, json);
      if (p) fail(`grad: ${p}`);
      if (index % 4 === 0) {
        const e = await cliRun(['explain', file, '--backend', index % 8 === 0 ? 'cpu' : 'none']);
        const q = cliProblem(e, false);
        if (q) fail(`explain: ${q}`);
        if (e.status === 1 && !e.stderr.includes('disagree')) fail(`explain exit 1 without saying why: ${e.stderr.slice(0, 200)}`);
      }
      const grown = process.memoryUsage().arrayBuffers - before;
      if (grown > 2 * HOST_BUDGET) fail(`arrayBuffers grew by ${grown} bytes, past the budget`);
      const ms = performance.now() - t0;
      if (ms > 20_000) fail(`took ${ms.toFixed(0)} ms`);
    }
  }

  it('worked-example files: parseWorked and checkWorked, CLI check', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const count = Math.max(1, Math.floor(COUNT / 2));
    for (let index = 0; index < count; index++) {
      const c = workedCase(SEED, index);
      const fail = (what: string) => failures.push(`worked case ${index} (${c.what}): ${what}`);
      try {
        const result = checkWorked(parseWorked(c.spec, 'fuzz'));
        for (const check of result.checks) {
          if (!['match', 'wrong', 'known-erratum', 'stale-erratum'].includes(check.status)) fail(`status ${check.status}`);
          // Object.prototype's methods are not formula functions: a formula using one is never a match.
          const formula = (check.claim as { formula?: unknown }).formula;
          if (check.status === 'match' && typeof formula === 'string' && /constructor|toString/.test(formula)) fail(`'${formula}' judged a match`);
          if (check.status === 'match' && !Number.isFinite(check.value)) fail(`a match on a non-finite value ${check.value}`);
        }
      } catch (err) {
        const p = typedProblem(err);
        if (p) fail(`checkWorked: ${p}`);
      }
      const text = toJsonText(c.spec);
      if (text === undefined) continue;
      const file = join(dir, `worked-${index}.json`);
      writeFileSync(file, text);
      const r = await cliRun(['check', file]);
      const p = cliProblem(r, false);
      if (p) fail(`check: ${p}`);
    }
    expect(failures).toEqual([]);
  });
});
