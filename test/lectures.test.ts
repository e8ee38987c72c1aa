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
import { checkWorked, evalFormula, prepare } from '../src/worked/check.ts';
import { errataText } from '../src/worked/report.ts';
import { matrixSource } from '../src/worked/sources.ts';
import { isFormulaClaim, parseWorked, WORKED_FORMAT } from '../src/worked/worked.ts';
import { validateSpec, type NetworkSpec } from '../src/spec.ts';
import { type ClaimCheck, type MatrixRuns, LECTURES, checkLecture, collectRuns, describeCheck, passes } from './lib/claims.ts';
import { lecture221 } from './lib/lecture221.ts';

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

describe('a worked spec whose x and y are {examples, data} (README, "The network spec") checks on a backend as its rows do', () => {
  // collectRuns read spec.x.length (undefined for the object: no example had its own pass) and matrixSource spec.x[e]:
  // every per-example claim was "a value per example … give the claim examples" on --backend cpu.
  it.each(LECTURES.filter((l) => l.worked.spec.x!.length > 1).map((l) => [l.id, l] as const))('%s', async (_, l) => {
    const rows = l.worked.spec;
    const spec: NetworkSpec = { ...rows, x: { examples: rows.x!.length, data: rows.x!.flat() }, y: { examples: rows.y!.length, data: new Float64Array(rows.y!.flat()) } } as unknown as NetworkSpec;
    const statuses = async (s: NetworkSpec) => {
      const worked = { ...l.worked, spec: s };
      const runs = await collectRuns(cpu, s);
      return checkWorked(worked, () => matrixSource('cpu', s, runs)).checks.map((c) => `${c.index} ${c.example} ${c.status}`);
    };
    const want = await statuses(rows);
    expect(want.filter((c) => !c.includes(' undefined ')).length, 'per-example checks').toBeGreaterThan(10);
    expect(await statuses(spec)).toEqual(want);
  });
});

describe('"from"/"via" a unit of the parameter\'s own layer: the same value on a backend as on the scalar engine', () => {
  // 2-2-1, per-unit biases: b1 feeds only h1, w1 only h1 (W₁[0][0]). No path of ∂L/∂b1 or ∂L/∂w1 passes h2: 0 (the
  // CPU source gave h2's δ for b1, and refused w1); every path passes h1: the whole gradient.
  it('∂L/∂b1 and ∂L/∂w1 from h1 are the gradient, from h2 are 0, on cpu too', async () => {
    const spec: NetworkSpec = {
      inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse',
      params: { W: [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]], b: [[0.25, -0.35], [0.6]] }, x: [[0.05, 0.1]], y: [[0.01]], lr: 0.5,
    };
    const names = ['∂L/∂b1 from h1', '∂L/∂b1 from h2', '∂L/∂w1 via h1', '∂L/∂w1 via h2', '∂L/∂b1', '∂L/∂w1'];
    const worked = parseWorked({ format: WORKED_FORMAT, id: 'via', title: 't', source: 's', description: 'd', spec, claims: names.map((name) => ({ name, printed: 0, decimals: 9 })) }, 'w');
    const scalar = checkWorked(worked).checks.map((c) => c.value);
    expect(scalar[0]).toBe(scalar[4]);
    expect(scalar[2]).toBe(scalar[5]);
    expect([scalar[1], scalar[3]]).toEqual([0, 0]);
    const runs = await collectRuns(cpu, spec);
    const onCpu = checkWorked(worked, () => matrixSource('cpu', spec, runs)).checks.map((c) => c.value);
    onCpu.forEach((v, k) => expect(Math.abs(v - scalar[k]), names[k]).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(scalar[k])));
  });
});

describe('lecture 001: the update is w − lr·∂L/∂w for every parameter', () => {
  it('matches an independent float64 computation of the whole step', async () => {
    // The lecture prints only the updated w5 and w6 (both wrong, see the errata); here every parameter.
    const spec = lecture('lecture-2-2-1').worked.spec;
    const lr = 1e-4;
    const L = lecture221();
    const expectedW = L.W.map((w, l) => w.map((v, k) => v - lr * L.dW[l][k]));
    const expectedB = L.b.map((b, l) => b.map((v, k) => v - lr * L.db[l][k]));
    // the lecture's numbers are the spec's
    expect([[...spec.params!.W[0].flat(), ...spec.params!.W[1].flat()], spec.params!.b.flat(), spec.x, spec.y]).toEqual([L.W.flat(), L.b.flat(), [L.x], [[L.y]]]);
    const model = await cpu(spec);
    const { params } = await model.step();
    params.W.forEach((w, l) => w.forEach((v, k) => expect(v).toBeCloseTo(expectedW[l][k], 7)));
    params.b.forEach((b, l) => b.forEach((v, k) => expect(v).toBeCloseTo(expectedB[l][k], 7)));
    model.dispose();
  });
});

describe('the transcription, line by line against the notes (an independent read; values by hand)', () => {
  const checksOf = (id: string, line: number, name: string) => {
    const hits = checkWorked(lecture(id).worked).checks.filter((k) => k.claim.line === line && k.claim.name === name);
    expect(hits.length, `${id} line ${line} ${name}`).toBeGreaterThan(0);
    return hits;
  };
  it('lecture 001: a product written on a line of its own, its result on a later line, is a claim of that arithmetic', () => {
    // line 72: 0.7514 × (1 − 0.7514) = 0.18679804 (0.1868, line 76); line 147: 0.5933 × (1 − 0.5933) = 0.24129511
    // (0.2413, line 148); line 164: 0.0134 × 0.05 = 0.00067 (line 166)
    for (const [line, name, byHand] of [[72, '∂ŷ/∂z_out', 0.18679804], [147, '∂a_h1/∂z_h1', 0.24129511], [164, '∂L/∂w1', 0.00067]] as const) {
      const [k] = checksOf('lecture-2-2-1', line, name).filter((c) => isFormulaClaim(c.claim));
      expect(k.shown.value, `line ${line}`).toBeCloseTo(byHand, 10);
      expect(k.status, `line ${line}`).toBe('match');
    }
  });
  it('an erratum an OCR misreading may explain is confirmed as transcribed, with its doubt: 001 line 122, 002 line 140', () => {
    for (const [id, line, name] of [['lecture-2-2-1', 122, 'new w6'], ['lecture-2-2-1-nobias', 140, '∂E/∂w22']] as const) {
      const [k] = checksOf(id, line, name);
      expect(k.status).toBe('known-erratum');
      expect(k.claim.erratum?.doubt, `${id} line ${line}`).toMatch(/OCR/);
    }
  });
  it('values the notes print under a mislabelled or garbled left side are claims: 003 line 195 (CGPA), 004 line 14 (z = a2, f\' = 1)', () => {
    // classification example 1 is (CGPA, IQ) = (3.3, 8), example 2 (2.9, 9); the ReLU output is linear: z = a2 = 1, ∂z/∂a2 = 1
    expect(checksOf('lecture-classification', 195, '∂z11/∂w¹₁₁').map((k) => [k.status, k.value])).toEqual([['match', 3.3], ['match', 2.9]]);
    expect(checksOf('lecture-relu-exercise', 14, 'z').map((k) => [k.status, k.value])).toEqual([['match', 1], ['match', 1]]);
    expect(checksOf('lecture-relu-exercise', 14, '∂z/∂a2').map((k) => [k.status, k.value])).toEqual([['match', 1]]);
  });
  it('the errata list gives a corrected product the value of its own numbers, as a reader multiplies them (001 line 259)', () => {
    // .7414 × .1868 × .45 × .2406 × 1 = 0.0149946934 by hand; the engine's ∂L/∂b1 from h2, 0.0149960755, is the value
    // it is checked against (within the claim's 4 decimals), not what those numbers give.
    const l = lecture('lecture-2-2-1');
    const text = errataText([{ result: checkWorked(l.worked), file: l.file }]);
    expect(text).toContain('correct .7414 × .1868 × .45 × .2406 × 1 = 0.01499469\n');
    expect(text).not.toContain('0.01499608');
  });
});
