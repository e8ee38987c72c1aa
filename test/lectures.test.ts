/**
 * The lectures' worked examples on the CPU oracle: every printed value (at the decimals printed), every
 * printed formula (evaluated independently in test/lib/formulas.ts), and every erratum (the engine matches
 * the corrected value and provably differs from the printed one). Fixtures: test/fixtures/.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { validateSpec, type NetworkSpec } from '../src/spec.ts';
import {
  type ClaimResult,
  type EngineRuns,
  FIXTURE_FILES,
  LECTURE_FIXTURES,
  checkClaims,
  collectRuns,
  describeResult,
  isFormulaClaim,
} from './lib/claims.ts';
import { LECTURE_FORMULAS } from './lib/formulas.ts';

const cpu = (spec: NetworkSpec) => Model.create(spec, { backend: 'cpu' });

describe('lecture fixtures', () => {
  it('lists every file in test/fixtures', () => {
    const onDisk = readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
    expect([...FIXTURE_FILES].sort()).toEqual(onDisk);
  });

  it.each(LECTURE_FIXTURES.map((f) => [f.id, f] as const))('%s: the spec is a valid network spec with params and data', (_, f) => {
    const valid = validateSpec(f.spec);
    expect(valid.params).toBeDefined();
    expect(valid.batch).toBeDefined();
    expect(valid.lr).toBeDefined();
    expect(f.claims.spec).toBe(f.specFile);
  });

  it.each(LECTURE_FIXTURES.map((f) => [f.id, f] as const))('%s: every claim names its source and quote; formulas exist', (_, f) => {
    expect(f.claims.source).toMatch(/^\.\.\/shared\/lectures\/\d{3}_[0-9a-f]+\.txt$/);
    expect(f.spec.source).toBe(f.claims.source);
    for (const c of f.claims.claims) {
      expect(c.source, c.name).toBe(f.claims.source);
      expect(c.line, c.name).toBeGreaterThan(0);
      expect(c.quote.length, c.name).toBeGreaterThan(0);
      if (isFormulaClaim(c)) {
        const entry = LECTURE_FORMULAS[f.id]?.formulas[c.id];
        expect(entry, `${f.id}: formula ${c.id}`).toBeDefined();
        expect(!!entry!.correct, `${c.id}: corrected formula iff erratum`).toBe(!!c.erratum);
      } else {
        expect(Number.isInteger(c.decimals), c.name).toBe(true);
        if (c.erratum) expect(c.erratum.printed, c.name).toBe(c.printed);
      }
      if (c.erratum) expect(c.erratum.why.length, c.name).toBeGreaterThan(20);
    }
    // Every formula the module defines for this lecture is claimed.
    const ids = new Set(f.claims.claims.filter(isFormulaClaim).map((c) => c.id));
    expect(Object.keys(LECTURE_FORMULAS[f.id]?.formulas ?? {}).sort()).toEqual([...ids].sort());
  });
});

for (const f of LECTURE_FIXTURES) {
  describe(`${f.id} (${f.claims.source.split('/').pop()})`, () => {
    let runs: EngineRuns;
    let results: ClaimResult[];
    beforeAll(async () => {
      runs = await collectRuns(cpu, f.spec);
      results = checkClaims(f, runs);
    });

    for (const claim of f.claims.claims) {
      const label = `${claim.erratum ? 'erratum: ' : ''}${claim.name}`;
      it(label, () => {
        const mine = results.filter((r) => r.name === claim.name);
        expect(mine.length).toBeGreaterThan(0);
        for (const r of mine) {
          expect(Number.isFinite(r.engine), describeResult(r)).toBe(true);
          if (r.erratum) {
            expect(r.erratum.matchesCorrect, describeResult(r)).toBe(true);
            expect(r.erratum.differsFromPrinted, describeResult(r)).toBe(true);
            for (const reading of r.erratum.readings) expect(reading.differs, describeResult(r)).toBe(true);
          }
          expect(r.ok, describeResult(r)).toBe(true);
        }
      });
    }

    if ((f.spec.x?.length ?? 0) > 1) {
      it('the batch gradient (reduction sum) is the sum of the per-example formulas', () => {
        expect(f.spec.reduction).toBe('sum');
        const lecture = LECTURE_FORMULAS[f.id];
        let checked = 0;
        for (const c of f.claims.claims) {
          if (!isFormulaClaim(c) || (c.quantity.of !== 'dW' && c.quantity.of !== 'db') || c.examples) continue;
          const entry = lecture.formulas[c.id];
          const formula = entry.correct ?? entry.printed;
          const expected = f.spec.x!.reduce((s, _, ex) => s + formula(lecture.vars(f.spec, ex)), 0);
          const l = c.quantity.layer ?? 0;
          const k = c.quantity.of === 'dW' ? (c.quantity.row ?? 0) * (l === 0 ? f.spec.inputs : f.spec.layers[l - 1].units) + (c.quantity.col ?? 0) : (c.quantity.index ?? 0);
          const engine = (c.quantity.of === 'dW' ? runs.batch.dW : runs.batch.db)[l][k];
          expect(Math.abs(engine - expected), `${c.name}: engine ${engine}, Σ formula ${expected}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(expected));
          checked++;
        }
        expect(checked).toBe(9);
      });
    }
  });
}

describe('lecture 001: the update is w − lr·∂L/∂w for every parameter', () => {
  it('matches an independent float64 computation of the whole step', async () => {
    // The lecture prints only the updated w5 and w6 (both wrong, see the errata); here every parameter.
    const f = LECTURE_FIXTURES.find((x) => x.id === 'lecture-2-2-1')!;
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const [x1, x2] = [0.05, 0.1];
    const y = 0.01;
    const [w1, w2, w3, w4, w5, w6, b1, b2] = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.35, 0.6];
    const lr = 1e-4;
    const h1 = sig(x1 * w1 + x2 * w2 + b1);
    const h2 = sig(x1 * w3 + x2 * w4 + b1);
    const o = sig(h1 * w5 + h2 * w6 + b2);
    const dOut = (o - y) * o * (1 - o);
    const d1 = dOut * w5 * h1 * (1 - h1);
    const d2 = dOut * w6 * h2 * (1 - h2);
    const expectedW = [[w1 - lr * d1 * x1, w2 - lr * d1 * x2, w3 - lr * d2 * x1, w4 - lr * d2 * x2], [w5 - lr * dOut * h1, w6 - lr * dOut * h2]];
    const expectedB = [[b1 - lr * (d1 + d2)], [b2 - lr * dOut]];
    const model = await cpu(f.spec);
    const { params } = await model.step();
    params.W.forEach((w, l) => w.forEach((v, k) => expect(v).toBeCloseTo(expectedW[l][k], 7)));
    params.b.forEach((b, l) => b.forEach((v, k) => expect(v).toBeCloseTo(expectedB[l][k], 7)));
    model.dispose();
  });
});
