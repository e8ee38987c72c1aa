/**
 * The lectures' worked examples on the CPU oracle: every printed value (at the decimals printed), every
 * printed formula (evaluated on the scalar engine's independent float64 values), and every erratum (the
 * engine matches the corrected value and provably differs from the printed one). The lectures:
 * src/lectures/*.worked.json (the single transcription; `backprop check` reads the same files).
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { Model } from '../src/model.ts';
import { type ParamId, paramKey } from '../src/notation/names.ts';
import { evalFormula, prepare } from '../src/worked/check.ts';
import { isFormulaClaim } from '../src/worked/worked.ts';
import { validateSpec, type NetworkSpec } from '../src/spec.ts';
import { type ClaimCheck, type MatrixRuns, LECTURES, checkLecture, collectRuns, describeCheck, passes } from './lib/claims.ts';

const cpu = (spec: NetworkSpec) => Model.create(spec, { backend: 'cpu' });

describe('lecture worked examples', () => {
  it('lists every worked-example file in src/lectures', () => {
    const onDisk = readdirSync(new URL('../src/lectures/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
    expect(LECTURES.map((l) => l.file.split('/').pop()).sort()).toEqual(onDisk);
  });

  it.each(LECTURES.map((l) => [l.id, l] as const))('%s: the spec is a valid network spec with params, data and lr', (_, l) => {
    const valid = validateSpec(l.worked.spec);
    expect(valid.params).toBeDefined();
    expect(valid.batch).toBeDefined();
    expect(valid.lr).toBeDefined();
  });

  it.each(LECTURES.map((l) => [l.id, l] as const))('%s: every claim names its line and quote; every erratum says why; every name resolves', (_, l) => {
    expect(l.worked.source).toMatch(/^\.\.\/shared\/lectures\/\d{3}_[0-9a-f]+\.txt$/);
    expect(l.worked.spec.source).toBe(l.worked.source);
    for (const c of l.worked.claims) {
      expect(c.line, c.name).toBeGreaterThan(0);
      expect(c.quote?.length ?? 0, c.name).toBeGreaterThan(0);
      if (c.erratum) expect(c.erratum.why.length, c.name).toBeGreaterThan(20);
    }
    expect(() => prepare(l.worked)).not.toThrow();
  });
});

for (const l of LECTURES) {
  describe(`${l.id} (${l.worked.source.split('/').pop()})`, () => {
    let runs: MatrixRuns;
    let results: ClaimCheck[];
    beforeAll(async () => {
      runs = await collectRuns(cpu, l.worked.spec);
      results = checkLecture(l, 'cpu', runs);
    });

    l.worked.claims.forEach((claim, index) => {
      it(`line ${claim.line}: ${claim.erratum ? 'erratum: ' : ''}${claim.name}${isFormulaClaim(claim) ? ` = ${claim.formula}` : ` = ${claim.printed}`}`, () => {
        const mine = results.filter((r) => r.index === index);
        expect(mine.length).toBe(claim.examples?.length ?? 1);
        for (const r of mine) {
          expect(Number.isFinite(r.value), describeCheck(r)).toBe(true);
          if (r.erratum) {
            expect(r.erratum.matchesCorrect, describeCheck(r)).toBe(true);
            expect(r.matches, describeCheck(r)).toBe(false);
            for (const reading of r.erratum.readings) expect(reading.differs, describeCheck(r)).toBe(true);
          }
          expect(passes(r), describeCheck(r)).toBe(true);
        }
      });
    });

    if ((l.worked.spec.x?.length ?? 0) > 1) {
      it('the batch gradient (reduction sum) is the sum of the per-example formulas, for every parameter', () => {
        expect(l.worked.spec.reduction).toBe('sum');
        const p = prepare(l.worked);
        const n = l.worked.spec.x!.length;
        const covered = new Set<string>();
        let checked = 0;
        for (const c of p.claims) {
          const ref = c.ref;
          if (!c.formula || ref.kind !== 'deriv' || ref.of !== 'loss' || ref.wrt.kind !== 'param' || ref.via) continue;
          if (c.examples.length !== n) continue;
          const formula = c.correct ?? c.formula;
          const expected = c.examples.reduce((s: number, ex) => s + evalFormula(p, formula, ex, c.field).value, 0);
          const param: ParamId = ref.wrt.param;
          const engine = param.kind === 'W' ? runs.batch.dW[param.layer][param.row * p.engine.net.layers[param.layer].fanIn + param.col] : runs.batch.db[param.layer][param.index];
          expect(Math.abs(engine - expected), `${c.field}: engine ${engine}, Σ formula ${expected}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(expected));
          covered.add(paramKey(param));
          checked++;
        }
        expect(checked).toBeGreaterThanOrEqual(9);
        expect(covered.size).toBe(9); // every parameter of the 2-2-1 net has a per-example formula
      });
    }
  });
}

describe('lecture 001: the update is w − lr·∂L/∂w for every parameter', () => {
  it('matches an independent float64 computation of the whole step', async () => {
    // The lecture prints only the updated w5 and w6 (both wrong, see the errata); here every parameter.
    const spec = lecture('lecture-2-2-1').worked.spec;
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
    const model = await cpu(spec);
    const { params } = await model.step();
    params.W.forEach((w, l) => w.forEach((v, k) => expect(v).toBeCloseTo(expectedW[l][k], 7)));
    params.b.forEach((b, l) => b.forEach((v, k) => expect(v).toBeCloseTo(expectedB[l][k], 7)));
    model.dispose();
  });
});
