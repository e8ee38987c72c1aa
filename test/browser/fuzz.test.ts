/**
 * A sample of the fuzz suite's cases (test/lib/fuzz.ts, the same seed as test/fuzz.test.ts) through WebGPU in the
 * page: each ends, on WebGPU as on the CPU, in the same typed error (name and field), or in results within the
 * parity bounds of test/lib/tolerance.ts (the checklist's measured float32 facts, propagated through the layers).
 * FUZZ_COUNT scales it (a sixth of the Node suite's count; default 16).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { PlainGrad, Result } from '../../src/browser/harness.ts';
import { initParams } from '../../src/init.ts';
import type { GradResult } from '../../src/model.ts';
import { validateSpec } from '../../src/spec.ts';
import { fuzzSeed, specCase, toJsonText } from '../lib/fuzz.ts';
import { compareWithin, parityBounds } from '../lib/tolerance.ts';
import { useHarnessPage } from './lib.ts';

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});

const SEED = fuzzSeed();
const COUNT = process.env.FUZZ_COUNT === undefined ? 16 : Math.max(1, Math.floor(Number(process.env.FUZZ_COUNT) / 6));

const f32 = (rows: number[][]): Float32Array[] => rows.map((r) => Float32Array.from(r));
const asGrad = (g: PlainGrad): GradResult => ({ loss: g.loss, Z: f32(g.Z), A: f32(g.A), delta: f32(g.delta), dW: f32(g.dW), db: f32(g.db) });

describe(`fuzz sample on WebGPU (seed ${SEED}, ${COUNT} cases)`, () => {
  it('every case: the CPU\'s typed error, or results within the parity bounds', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    let compared = 0;
    for (let index = 0; index < COUNT; index++) {
      const c = specCase(SEED, index);
      const text = toJsonText(c.spec);
      if (text === undefined) continue; // nested too deep for JSON: the Node suite covers it
      const [gpu, cpu] = await page.evaluate(async (t) => {
        const spec = JSON.parse(t) as unknown;
        return [await window.bp.grad(spec, 'webgpu'), await window.bp.grad(spec, 'cpu')] as [Result<PlainGrad>, Result<PlainGrad>];
      }, text);
      const fail = (what: string) => failures.push(`case ${index} (${c.what}): ${what}`);
      if ('error' in gpu || 'error' in cpu) {
        const describe = (r: Result<PlainGrad>) => ('error' in r ? `${r.error.name} ${r.error.field}` : 'ok');
        if (describe(gpu) !== describe(cpu)) fail(`webgpu ${describe(gpu)} vs cpu ${describe(cpu)}`);
        if ('error' in gpu && !gpu.error.code) fail(`untyped error on WebGPU: ${gpu.error.name}: ${gpu.error.message}`);
        continue;
      }
      compared++;
      const valid = validateSpec(JSON.parse(text));
      const params = valid.params ?? initParams(valid.net, valid.init!.scheme, valid.init!.seed);
      const b = valid.batch!;
      const ref = asGrad(cpu.ok);
      const bounds = parityBounds(valid.net, params, b.X, b.Y, b.n, ref);
      const got = asGrad(gpu.ok);
      const bad = [compareWithin('loss', [got.loss], [ref.loss], [bounds.loss])];
      for (const key of ['Z', 'A', 'delta', 'dW', 'db'] as const) got[key].forEach((g, l) => bad.push(compareWithin(`${key}[${l}]`, g, ref[key][l], bounds[key][l])));
      const violations = bad.flatMap((r) => r.violations);
      if (violations.length > 0) fail(`${violations.length} values outside the bounds, first ${JSON.stringify(violations[0])}`);
    }
    expect(failures).toEqual([]);
    expect(compared, 'some cases reach a result on both backends').toBeGreaterThan(0);
  });

  it('left no page errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
