/**
 * explain's output (src/notation/explain.ts): the lecture's numbers beside the matrix line, every product and sum it
 * prints checked by hand, KaTeX rendering of every LaTeX block, bad input, and its mismatch detector.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { LECTURES, lecture } from '../src/lectures/index.ts';
import { Model } from '../src/model.ts';
import { explain, explainer, mismatches } from '../src/notation/explain.ts';
import { latexBlocks } from '../src/notation/format.ts';
import type { MatrixRun } from '../src/notation/matrix.ts';
import { Naming } from '../src/notation/names.ts';
import { checkWorked } from '../src/worked/check.ts';
import { parseWorked, WORKED_FORMAT } from '../src/worked/worked.ts';
import { type NetworkSpec, type RowsSpec, validateNet, validateSpec } from '../src/spec.ts';
import { notationCases, randomSpec } from './lib/notation-nets.ts';
import { cpuRun, named, spec221 } from './lib/notation-common.ts';

/** A number as printed ("(−1.39891)", "0.05", "−101.8594"), exactly: num / 10^places. Independent of src/notation. */
function printed(s: string): { num: bigint; places: number } {
  const m = /^\(?([−-]?)(\d+)(?:\.(\d+))?\)?$/.exec(s.trim());
  if (!m) throw new Error(`not a printed number: '${s}'`);
  const num = BigInt(m[2] + (m[3] ?? ''));
  return { num: m[1] === '' ? num : -num, places: (m[3] ?? '').length };
}

/** Σ_k Π_j terms[k][j] / divisor, with the numbers as printed, is `result` within half a unit in result's last place. */
function byHand(terms: string[][], result: string, divisor = 1): boolean {
  const products = terms.map((t) => t.map(printed).reduce((a, b) => ({ num: a.num * b.num, places: a.places + b.places }), { num: 1n, places: 0 }));
  const places = Math.max(...products.map((p) => p.places));
  const sum = products.reduce((acc, p) => acc + p.num * 10n ** BigInt(places - p.places), 0n); // Σ = sum / 10^places
  const r = printed(result);
  // |sum/(10^places·N) − r/10^rp| ≤ ½·10^−rp  ⇔  2·|sum·10^rp − r·10^places·N| ≤ 10^places·N
  const scale = 10n ** BigInt(places) * BigInt(divisor);
  const diff = sum * 10n ** BigInt(r.places) - r.num * scale;
  return 2n * (diff < 0n ? -diff : diff) <= scale;
}

/** Every product and sum of numbers that explain's text prints, as [what, terms, result, divisor]. */
function printedArithmetic(text: string): [string, string[][], string, number][] {
  const out: [string, string[][], string, number][] = [];
  const lines = text.split('\n');
  const NUM = String.raw`\(?[−-]?\d+(?:\.\d+)?\)?`;
  const isNum = (s: string) => new RegExp(`^${NUM}$`).test(s.trim());
  /** "(1/N)·((a) × b + c × d)" → terms, divisor; undefined when something other than numbers is in it. */
  const parse = (expr: string): [string[][], number] | undefined => {
    let e = expr.trim();
    let divisor = 1;
    const scaled = /^\(1\/(\d+)\)·(.*)$/.exec(e);
    if (scaled) { divisor = Number(scaled[1]); e = scaled[2]; }
    if (/^\(.*\)$/.test(e) && !isNum(e) && !/^\([^()]*\) × /.test(e)) e = e.slice(1, -1);
    const terms = e.split(' + ').map((t) => t.split(' × ').map((f) => f.trim()));
    return terms.every((t) => t.every(isNum)) ? [terms, divisor] : undefined;
  };
  lines.forEach((line, i) => {
    const steps = /\(step by step: (.*)\)$/.exec(line);
    if (steps) {
      let prev = '';
      for (const step of steps[1].split('; ')) {
        const m = new RegExp(`^(?:(${NUM}) )?× (${NUM}) = (${NUM})$`).exec(step);
        if (!m) throw new Error(`line ${i + 1}: cannot read the step '${step}'`);
        out.push([`line ${i + 1}: ${step}`, [[m[1] ?? prev, m[2]]], m[3], 1]);
        prev = m[3];
      }
      return;
    }
    // "= a × b × c" then "= v": a path's factors and its product.
    const next = lines[i + 1] ?? '';
    const vals = /^\s+= (.* × .*)$/.exec(line);
    const val = new RegExp(`^\\s+= (${NUM})$`).exec(next);
    if (vals && val) {
      const p = parse(vals[1]);
      if (p) out.push([`lines ${i + 1}–${i + 2}: ${vals[1]} = ${val[1]}`, p[0], val[1], p[1]]);
      return;
    }
    // "… = NUMBERS = v" (matrix lines, sums over groups and examples): the last two parts of the line.
    const parts = line.replace(/\s+\((?:sum|mean) over \d+ examples\)$/, '').split(' = ');
    if (parts.length >= 3 && isNum(parts[parts.length - 1])) {
      const p = parse(parts[parts.length - 2]);
      if (p && (p[0].length > 1 || p[0][0].length > 1)) out.push([`line ${i + 1}: ${line.trim()}`, p[0], parts[parts.length - 1].trim(), p[1]]);
    }
  });
  return out;
}

describe('explain', () => {
  it('bad arguments to the library are typed errors naming them (not a TypeError, not another format)', async () => {
    const runs = [await cpuRun(spec221)];
    expect(named(() => explain(spec221, { param: 'w5' }, runs, 'pdf' as never))).toEqual({ name: 'NotationError', field: 'format' });
    expect(named(() => explain(spec221, null as never, runs, 'text'))).toEqual({ name: 'NotationError', field: 'options' });
    expect(named(() => explain(spec221, { param: 'w5' }, null as never, 'text'))).toEqual({ name: 'NotationError', field: 'runs' });
    // the library names its options; the CLI passes its flags' names (test/worked.test.ts: "--param")
    expect(named(() => explain(spec221, { param: 'w99' }, runs, 'text'))).toEqual({ name: 'NotationError', field: 'param' });
    expect(named(() => explain(spec221, { decimals: 13 }, runs, 'text'))).toEqual({ name: 'NotationError', field: 'decimals' });
    expect(named(() => checkWorked(null as never))).toEqual({ name: 'ClaimError', field: 'worked' });
    expect(named(() => lecture('nope'))).toEqual({ name: 'SpecError', field: 'id' });
    for (const format of ['text', 'md', 'latex'] as const) expect(explain(spec221, { param: 'w5' }, runs, format)).toContain('w');
  });

  it('a lecture {id, file, worked} where its worked example belongs is told to pass lecture(id).worked', () => {
    const l = lecture('lecture-2-2-1');
    const told = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return `${(err as Error).name} ${(err as Error).message}`;
      }
      return 'nothing thrown';
    };
    const hint = "this is a lecture {id, file, worked} (what lecture('lecture-2-2-1') returns), not a worked example or a spec: use its worked example, lecture('lecture-2-2-1').worked";
    // Was "SpecError id: unknown key; known keys are inputs, …", "ClaimError worked: … got object", "ClaimError file: unknown key".
    expect(told(() => explain(l, { param: 'w5' }, [], 'text'))).toBe(`SpecError spec: ${hint}`);
    expect(told(() => checkWorked(l as never))).toBe(`ClaimError worked: ${hint}`);
    expect(told(() => parseWorked(l, 'L.json'))).toBe(`ClaimError L.json: ${hint}`);
    // A lecture's id: was "SpecError spec: must be a JSON object".
    expect(told(() => explain('lecture-2-2-1', { param: 'w5' }, [], 'text'))).toBe("SpecError spec: 'lecture-2-2-1' is a lecture's id, not a network spec: pass its worked example, lecture('lecture-2-2-1').worked (import { lecture } from 'backprop-webgpu/lectures')");
    expect(told(() => explain('lecture-9', { param: 'w5' }, [], 'text'))).toBe('SpecError spec: must be a JSON object'); // not a lecture's id
    // Its worked example, and that written to a file and read back, still go through.
    expect(explain(JSON.parse(JSON.stringify(l.worked)), { param: 'w5' }, [], 'text')).toContain('= 0.7414 × 0.1868 × 0.5933');
  });

  it('Model.create / validateSpec / validateNet given a lecture, its worked example or its id is told to pass lecture(id).worked.spec', async () => {
    const l = lecture('lecture-2-2-1');
    const told = async (raw: unknown): Promise<string> => {
      try {
        (await Model.create(raw as NetworkSpec, { backend: 'cpu' })).dispose();
      } catch (err) {
        return `${(err as Error).name} ${(err as Error).message}`;
      }
      return 'nothing thrown';
    };
    // Were "SpecError format: unknown key; known keys are inputs, …" and "SpecError id: unknown key; …".
    expect(await told(l.worked)).toBe("SpecError spec: this is a worked example {format, id, title, source, description, spec, claims}, not a network spec: pass the spec it holds — for lecture('lecture-2-2-1').worked, lecture('lecture-2-2-1').worked.spec");
    expect(await told(l)).toBe("SpecError spec: this is a lecture {id, file, worked} (what lecture('lecture-2-2-1') returns), not a network spec: pass the spec of its worked example, lecture('lecture-2-2-1').worked.spec");
    expect(named(() => validateSpec(JSON.parse(JSON.stringify(l.worked))))).toEqual({ name: 'SpecError', field: 'spec' });
    expect(named(() => validateNet(l.worked))).toEqual({ name: 'SpecError', field: 'spec' }); // was 'format'
    // A lecture's id: was "SpecError spec: must be a JSON object".
    expect(await told('lecture-2-2-1')).toBe("SpecError spec: 'lecture-2-2-1' is a lecture's id, not a network spec: pass the spec of its worked example, lecture('lecture-2-2-1').worked.spec (import { lecture } from 'backprop-webgpu/lectures')");
    expect(() => validateNet('lecture-regression')).toThrow("lecture('lecture-regression').worked.spec");
    // What it says to pass goes through; a spec with one unknown key is still told that key.
    expect(await told(l.worked.spec)).toBe('nothing thrown');
    expect(await told({ ...l.worked.spec, claims: [] })).toMatch(/^SpecError claims: unknown key/);
  });

  it('a misspelt option or a run that is not {backend, n, X, A, delta, dW, db} of this net is a NotationError naming it', async () => {
    // A student's `parm` expanded every parameter instead of w5, the option dropped without a word.
    expect(named(() => explain(spec221, { parm: 'w5' } as never, [], 'text'))).toEqual({ name: 'NotationError', field: 'options.parm' });
    expect(named(() => explainer(spec221, { param: 'w5', backend: 'cpu' } as never))).toEqual({ name: 'NotationError', field: 'options.backend' });
    // The message names every option ExplainOptions has, fields (how errors name param, decimals, convention) too.
    expect(() => explainer(spec221, { feilds: {} } as never)).toThrow(/^options\.feilds: unknown option; did you mean 'fields'\? Explain takes param, convention, decimals, naming, fields, numeric$/);
    expect(() => explainer(spec221, 5 as never)).toThrow(/^options: must be an object \{param, convention, decimals, naming, fields, numeric\} or undefined, got /);
    // naming not a Naming, decimals a Symbol: were TypeErrors (naming.params is not a function; a Symbol in a template).
    for (const naming of [5, {}, 'flat']) expect(named(() => explain(spec221, { naming } as never, [], 'text'))).toEqual({ name: 'NotationError', field: 'naming' });
    // A Naming of another net (a 3-4-2 one for the 2-2-1 spec) printed that net's names for this one's parameters.
    const other = new Naming(validateNet({ inputs: 3, layers: [{ units: 4, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], loss: 'mse' }), undefined);
    expect(named(() => explain(spec221, { param: 'w5', naming: other }, [], 'text'))).toEqual({ name: 'NotationError', field: 'naming' });
    // One of the same net, made by the caller, is taken.
    const same = new Naming(validateSpec(spec221).net, spec221.notation);
    expect(explain(spec221, { param: 'w5', naming: same }, [], 'text')).toContain('∂L/∂w5');
    expect(named(() => explain(spec221, { decimals: Symbol('4') } as never, [], 'text'))).toEqual({ name: 'NotationError', field: 'decimals' });
    const model = await Model.create(spec221, { backend: 'cpu' });
    const grad = await model.grad();
    model.dispose();
    // model.grad()'s result as it is printed `= () = () = 0.0822` and `undefined: dW₂[0][0] = …` with a ✓.
    expect(named(() => explain(spec221, { param: 'w5' }, [grad as never], 'text'))).toEqual({ name: 'NotationError', field: 'runs[0].backend' });
    expect(named(() => explainer(spec221, { param: 'w5' }).doc([grad as never]))).toEqual({ name: 'NotationError', field: 'runs[0].backend' });
    const { X, n } = validateSpec(spec221).batch!;
    const run: MatrixRun = { backend: 'cpu', n, X, ...grad };
    const bad = (patch: Record<string, unknown>) => named(() => explain(spec221, { param: 'w5' }, [{ ...run, ...patch } as never], 'text'));
    expect(bad({ n: 2 })).toEqual({ name: 'NotationError', field: 'runs[0].n' });
    expect(bad({ X: undefined })).toEqual({ name: 'NotationError', field: 'runs[0].X' });
    expect(bad({ X: [0.05] })).toEqual({ name: 'NotationError', field: 'runs[0].X' }); // 2 inputs × 1 example
    expect(bad({ delta: [grad.delta[1]] })).toEqual({ name: 'NotationError', field: 'runs[0].delta' });
    expect(bad({ A: [grad.A[0], ['0.75']] })).toEqual({ name: 'NotationError', field: 'runs[0].A[1]' });
    expect(bad({ dW: [grad.dW[0], new Float32Array(1)] })).toEqual({ name: 'NotationError', field: 'runs[0].dW[1]' }); // W₂ is 1 × 2
    expect(bad({ db: [new Float32Array(2), grad.db[1]] })).toEqual({ name: 'NotationError', field: 'runs[0].db[0]' }); // b1 is shared: 1 value
    expect(named(() => explain(spec221, { param: 'w5' }, [run, null as never], 'text'))).toEqual({ name: 'NotationError', field: 'runs[1]' });
    // The form the message gives, grad's extra keys (loss, Z) included, is the CLI's matrix line (lecture 001: δ_out 0.1385, a_h1 0.5933).
    expect(explain(spec221, { param: 'w5' }, [run], 'text')).toMatch(/= δ₂\[0\] × A₁\[0\] = 0\.1385 × 0\.5933 = 0\.0822\n\s+cpu: dW₂\[0\]\[0\] = 0\.0821670\d+; .* ✓/);
  });

  it('prints the lecture\'s factors and values for w5 and w1, beside the matrix line', async () => {
    const runs = [await cpuRun(spec221)];
    const w5 = explain(spec221, { param: 'w5' }, runs, 'text');
    // Lecture 001, lines 94–98: ∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w5 = 0.7414 × 0.1868 × 0.5933 = 0.0822.
    expect(w5).toContain('∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w5');
    expect(w5).toMatch(/= 0\.7414 × 0\.1868 × 0\.5933\n\s+= 0\.0822\n/);
    // The matrix line: δ₂[0] × A₁[0], δ_out = 0.1385 (line 158).
    expect(w5).toMatch(/∂L\/∂W₂ = δ₂·A₁ᵀ; w5 is entry \[0\]\[0\].*\n\s+= δ₂\[0\] × A₁\[0\] = 0\.1385 × 0\.5933 = 0\.0822/);
    expect(w5).toMatch(/cpu: dW₂\[0\]\[0\] = 0\.0821670\d+; .* ✓/);
    const w1 = explain(spec221, { param: 'w1' }, runs, 'text');
    // Lines 129–166: 0.7414 × 0.1868 = 0.1385, × 0.40 = 0.0554, × 0.2413 = 0.0134, × 0.05 = 0.00067; step by step
    // each intermediate has four significant digits and is the product of the numbers printed before it, by hand:
    // 0.7414 × 0.1868 = 0.13849352, 0.1385 × 0.4 = 0.0554, 0.05540 × 0.2413 = 0.01336802, 0.01337 × 0.05 = 0.0006685.
    expect(w1).toContain('∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂a_h1 · ∂a_h1/∂z_h1 · ∂z_h1/∂w1');
    // At least three significant digits (0.000668, the lecture's 0.00067): the matrix line's δ₁[0] then needs one more
    // decimal to give it by hand (0.0134 × 0.05 = 0.00067, 0.01337 × 0.05 = 0.0006685).
    expect(w1).toMatch(/= 0\.7414 × 0\.1868 × 0\.4 × 0\.2413 × 0\.05\n\s+= 0\.000668\n/);
    expect(w1).toContain('0.7414 × 0.1868 = 0.1385; × 0.4 = 0.05540; × 0.2413 = 0.01337; × 0.05 = 0.0006685');
    expect(w1).toMatch(/= δ₁\[0\] × A₀\[0\] = 0\.01337 × 0\.05 = 0\.000668\n/);
    // Lines 185 and 201: the lecture prints 0.00135 and −0.00150, the engine has 0.0013368 and 0.0014996. With two
    // significant digits explain showed 0.0013 and 0.0015, which hide the erratum (0.00135 against 0.00134).
    const w2 = explain(spec221, { param: 'w2' }, runs, 'text');
    expect(w2).toMatch(/= 0\.7414 × 0\.1868 × 0\.4 × 0\.2413 × 0\.1\n\s+= 0\.00134\n/);
    expect(w2).toMatch(/= δ₁\[0\] × A₀\[1\] = 0\.0134 × 0\.1 = 0\.00134\n/);
    const w4 = explain(spec221, { param: 'w4' }, runs, 'md');
    expect(w4).toContain('| 0.7414 × 0.1868 × 0.45 × 0.2406 × 0.1 | 0.00150 |');
    expect(explain(spec221, { param: 'w4' }, runs, 'latex')).toContain('= 0.0150 \\times 0.1 = 0.00150');
  });

  it("a batch's sums are written as by hand (−0.2506 + 0.6340), and each example's row differentiates that example's loss (∂L₁/∂ŷ)", async () => {
    // The classification lecture (ERRATA.md, line 161): ∂L/∂w²₁₁ is −0.2505628 (example 1) + 0.6340103 (example 2),
    // summed (bce, reduction sum): 0.3834475. A sum needs no parentheses of its own, nor its first term.
    const cls = lecture('lecture-classification').worked;
    const runs = [await cpuRun(cls.spec)];
    const text = explain(cls, { param: 'w²₁₁' }, runs, 'text');
    expect(text).toContain('\n  ∂L/∂w²₁₁ = −0.2506 + 0.6340 = 0.3834   (sum over 2 examples)\n');
    // The matrix line's sum over examples too: δ₂[0][c]·A₁[0][c], no parentheses around the two products.
    expect(text).toMatch(/\n {8}= δ₂\[0\]\[0\]·A₁\[0\]\[0\] \+ δ₂\[0\]\[1\]·A₁\[0\]\[1\] = \(−\d\.\d+\) × \d\.\d+ \+ \d\.\d+ × \d\.\d+ = 0\.3834\n/);
    // L is the sum of the examples' losses L₁ + L₂: example c's row is ∂L_c/∂w = ∂L_c/∂ŷ · …, not ∂L/∂ŷ.
    expect(text).toContain('∂L₁/∂w²₁₁ = ∂L₁/∂ŷ · ∂ŷ/∂z21 · ∂z21/∂w²₁₁');
    expect(text).toContain('∂L₂/∂w²₁₁ = ∂L₂/∂ŷ · ∂ŷ/∂z21 · ∂z21/∂w²₁₁');
    expect(explain(cls, { param: 'w²₁₁' }, runs, 'md')).toContain('| `∂L₁/∂ŷ · ∂ŷ/∂z21 · ∂z21/∂w²₁₁` |');
    const latex = explain(cls, { param: 'w²₁₁' }, runs, 'latex');
    expect(latex).toContain('\\frac{\\partial L_{1}}{\\partial w^{2}_{11}} &= \\frac{\\partial L_{1}}{\\partial \\hat{y}} \\cdot');
    expect(latex).toContain('\\frac{\\partial L}{\\partial w^{2}_{11}} &= -0.2506 + 0.6340 = 0.3834');
    // A mean keeps its parentheses after (1/N)·, and a later negative term its own: (1/2)·(a + (−b)).
    const mean = explain({ ...cls.spec, reduction: 'mean' }, { param: 'w²₁₁' }, [], 'text');
    expect(mean).toContain('\n  ∂L/∂w²₁₁ = (1/2)·(−0.2506 + 0.6340) = 0.1917   (mean over 2 examples)\n');
    const negatives = explain({ ...cls.spec, y: [[1], [1]] }, { param: 'w²₁₁' }, [], 'text');
    expect(negatives).toMatch(/\n {2}∂L\/∂w²₁₁ = −0\.\d+ \+ \(−0\.\d+\) = −0\.\d+ {3}\(sum over 2 examples\)\n/);
  });

  it("relu: the lecture's a2 is the engine's Z₂ and its z is A₂ = ŷ, and explain says so (names list, roles, Markdown)", () => {
    // Lecture 004, line 14: 'z = f(a2) = a2' — the letters z and a mean the opposite of the engine's Z and A.
    const relu = lecture('lecture-relu-exercise').worked.spec;
    const text = explain(relu, {}, [], 'text');
    expect(text).toContain('\nletters: a2 = Z₂ (pre-activation), z = A₂ = ŷ (the output) — this notation\'s z and a are the engine\'s A and Z, not its Z and A\n');
    expect(text).toContain('  v1       W₂[0][0]: feeds a2 (= Z₂) from h1\n');
    expect(text).toContain('  w¹₁₁     W₁[0][0]: feeds z_h1 from x1\n'); // z_h1 is a z: nothing to say
    const md = explain(relu, { param: 'v2' }, [], 'md');
    expect(md).toContain('| `v2` | W₂[0][1] | feeds a2 (= Z₂) from h2 |');
    expect(md).toContain('**Letters:** a2 = Z₂ (pre-activation), z = A₂ = ŷ (the output)');
    // The other lectures' letters are the engine's: no such line.
    for (const l of LECTURES.filter((x) => x.id !== 'lecture-relu-exercise')) expect(explain(l.worked.spec, {}, [], 'text')).not.toContain('letters:');
    // A hidden layer of two units named the other way: each unit by its row, Z₁[i], A₁[i].
    const swapped = { ...relu, name: 'swapped', notation: { convention: 'to-from' as const, z: [['a1', 'a2'], ['q']], a: [['z1', 'z2'], ['p']] } };
    expect(explain(swapped, {}, [], 'text')).toContain('letters: a1 = Z₁[0] (pre-activation), a2 = Z₁[1] (pre-activation), z1 = A₁[0] (activation), z2 = A₁[1] (activation) — ');
    expect(explain(swapped, {}, [], 'text')).toContain('feeds q from z1 (= A₁[0])');
  });

  it('relu: the step-by-step products print an exact integer as the result line does (−1, not −1.0000)', () => {
    const relu = lecture('lecture-relu-exercise').worked.spec;
    const w11 = explain(relu, { param: 'w¹₁₁' }, [], 'text');
    expect(w11).toMatch(/= \(−1\) × 1 × 1 × 1 × 1\n\s+= −1\n/);
    expect(w11).toContain('(step by step: (−1) × 1 = −1; × 1 = −1; × 1 = −1; × 1 = −1)');
    expect(w11).not.toContain('1.0000');
  });

  it('every LaTeX block of every parameter of every lecture net (each convention) renders with KaTeX', async () => {
    let blocks = 0;
    for (const l of LECTURES) {
      const runs = [await cpuRun(l.worked.spec)];
      for (const convention of [undefined, 'flat', 'to-from', 'from-to'] as const) {
        const ex = explainer(l.worked.spec, { convention });
        expect(ex.params.length).toBe(new Naming(ex.engine.net, undefined).params().length);
        for (const b of latexBlocks(ex.doc(runs))) {
          expect(() => katex.renderToString(b, { throwOnError: true, displayMode: true }), b).not.toThrow();
          blocks++;
        }
      }
    }
    expect(blocks).toBeGreaterThan(100);
  });

  it('LaTeX renders for random nets with batches, many paths and negative values too', async () => {
    for (const c of notationCases(8, 9100)) {
      const spec = randomSpec(c);
      const ex = explainer(spec, {});
      for (const b of latexBlocks(ex.doc([await cpuRun(spec)]))) expect(() => katex.renderToString(b, { throwOnError: true, displayMode: true }), b).not.toThrow();
    }
  }, 30_000);

  it('Markdown has a table per parameter and the cost table', async () => {
    const md = explain(spec221, { param: 'b1' }, [await cpuRun(spec221)], 'md');
    expect(md).toContain('| group | path (loss → parameter) | = | values | product |');
    expect(md).toMatch(/\| from h1 \| `∂L\/∂ŷ · ∂ŷ\/∂z_out · ∂z_out\/∂a_h1 · ∂a_h1\/∂z_h1 · ∂z_h1\/∂b1` \|.*\| 0\.0134 \|/);
    expect(md).toContain('| 1 | 5 | 1 | 5 | 24 |');
  });

  it("Markdown's sum over an example's groups is the text form's, labelled: a later negative term in parentheses, example c's own loss", async () => {
    // README's 2-2-3 net (softmax, shared bias), with a second example: ∂L_c/∂b3 = Σ_j (a_j − y_j), and with y = (0, 1, 0)
    // the second term, a₂ − 1, is negative. Markdown printed it `0.5543 (from o1) + −0.8047 (from o2) + …` under
    // `∂L/∂b3 (example 1)`, where the text has `∂L₁/∂b3 = 0.5543 + (−0.8047) + …`.
    const spec: RowsSpec = {
      inputs: 2,
      layers: [{ units: 2, activation: 'sigmoid' }, { units: 3, activation: 'softmax', bias: 'shared' }],
      loss: 'softmax-cross-entropy',
      init: { scheme: 'xavier', seed: 3 },
      x: [[0.5, -1.2], [0.3, 0.8]],
      y: [[0, 1, 0], [0, 1, 0]],
    };
    for (const s of [spec, { ...spec, x: [[0.5, -1.2]], y: [[0, 1, 0]] }]) {
      const runs = [await cpuRun(s)];
      const n = s.x!.length;
      const text = explain(s, { param: 'b3' }, runs, 'text').split('\n');
      const md = explain(s, { param: 'b3' }, runs, 'md').split('\n');
      for (let c = 1; c <= n; c++) {
        const name = n > 1 ? `∂L${'₀₁₂₃'[c]}/∂b3` : '∂L/∂b3';
        const line = text.find((l) => l.trim().startsWith(`${name} = `) && !l.includes('·'))!;
        const [, sum, result] = line.trim().split(' = ');
        const terms = sum.split(' + ');
        expect(terms[1], line).toMatch(/^\(−0\.\d+\)$/);
        expect(md).toContain(`\`${name}\` = ${terms.map((t, j) => `${t} (from o${j + 1})`).join(' + ')} = **${result}**`);
      }
    }
    // Nowhere a bare "+ −": the seeded random nets' every Markdown line (sums over groups with negative terms among them).
    let sums = 0;
    for (const c of notationCases(16)) {
      const s = randomSpec(c);
      const md = explain(s, {}, [await cpuRun(s)], 'md').split('\n');
      sums += md.filter((l) => / \(from \S+\) \+ \(−| \(via \S+\) \+ \(−/.test(l)).length;
      expect(md.filter((l) => l.includes('+ −')), `seed ${c.seed}`).toEqual([]);
    }
    expect(sums).toBeGreaterThan(5);
  }, 30_000);

  it('every product and sum explain prints for every lecture checks by hand (within half a unit in the last place)', async () => {
    let checked = 0;
    const kinds = { steps: 0, paths: 0, sums: 0 };
    for (const l of LECTURES) {
      const run = await cpuRun(l.worked.spec);
      const text = explain(l.worked, {}, [run], 'text');
      // Past float32's precision too (review notation3: at --decimals 5 the regression lecture's b21 line read
      // ((−18.79100) + (−48.86500)) = −67.65601, the float32 sum).
      for (const decimals of [5, 6, 8]) {
        for (const [what, terms, result, divisor] of printedArithmetic(explain(l.worked, { decimals }, [run], 'text'))) {
          expect(byHand(terms, result, divisor), `${l.worked.id} --decimals ${decimals}: ${what}`).toBe(true);
        }
      }
      for (const [what, terms, result, divisor] of printedArithmetic(text)) {
        expect(byHand(terms, result, divisor), `${l.worked.id} ${what}`).toBe(true);
        checked++;
        if (what.includes('×') && !what.includes('lines')) kinds.steps++;
        else if (what.includes('lines')) kinds.paths++;
        else kinds.sums++;
      }
    }
    // 152 step and matrix equations (the reviewer's count), 61 path products, and the sums over groups and examples.
    expect(checked).toBeGreaterThan(230);
    expect(Object.values(kinds).every((k) => k > 10), JSON.stringify(kinds)).toBe(true);
    // A given input stays as written past 6 decimals (the lecture's CGPA 3.3, not its float32 3.29999995).
    const regression = LECTURES.find((l) => l.worked.id === 'lecture-regression')!;
    expect(explain(regression.worked, { decimals: 8, param: 'w¹₁₁' }, [await cpuRun(regression.worked.spec)], 'text')).toMatch(/× 3\.3 \+ \(−24\.\d+\) × 2\.9 = /);
    // The checker itself: the classification lecture's old "0.0334 × 9 = 0.3003" and "−0.0495 × 8 = −0.3964" fail it.
    expect(byHand([['0.0334', '9']], '0.3003')).toBe(false);
    expect(byHand([['(−0.0495)', '8']], '−0.3964')).toBe(false);
    expect(byHand([['(−0.0495)', '8']], '−0.3960')).toBe(true);
    expect(byHand([['(−0.1547)'], ['0.3454']], '0.1908')).toBe(false);
  }, 30_000);

  it('every product and sum checks by hand on a net with drawn weights (init: xavier, not short decimals as written)', async () => {
    // A weight of init is a full float32 (−0.06582…), not a lecture's 0.4: printed at 4 decimals as −0.0658 (three
    // significant digits) and never given more, it made `(−0.5876) × 0.2423 × (−0.0658) × 0.6186 × 0.7893 = 0.00458`,
    // whose factors multiply to 0.00457.
    const spec: NetworkSpec = {
      inputs: 2,
      layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      loss: 'mse',
      init: { scheme: 'xavier', seed: 3 },
      x: [[0.5, -1.2], [0.3, 0.8]],
      y: [[1], [0]],
    };
    const run = await cpuRun(spec);
    let checked = 0;
    for (const decimals of [3, 4, 5]) {
      for (const [what, terms, result, divisor] of printedArithmetic(explain(spec, { decimals }, [run], 'text'))) {
        expect(byHand(terms, result, divisor), `--decimals ${decimals}: ${what}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('LaTeX matrix lines state the parameter\'s derivative, never the parameter, and bold the layer\'s W, b, δ and A', async () => {
    const runs = [await cpuRun(spec221)];
    const w5 = explain(spec221, { param: 'w5' }, runs, 'latex');
    expect(w5).toContain('\\frac{\\partial L}{\\partial \\mathbf{W}_{2}} &= \\boldsymbol{\\delta}_{2} \\mathbf{A}_{1}^{\\top}:\\quad \\frac{\\partial L}{\\partial w_{5}} = \\left(\\boldsymbol{\\delta}_{2} \\mathbf{A}_{1}^{\\top}\\right)_{[0][0]} = ');
    const b2 = explain(spec221, { param: 'b2' }, runs, 'latex');
    expect(b2).toContain('\\frac{\\partial L}{\\partial \\mathbf{b}_{2}} &= \\boldsymbol{\\delta}_{2} \\mathbf{1}:\\quad \\frac{\\partial L}{\\partial b_{2}} = \\boldsymbol{\\delta}_{2}[0] = 0.1385');
    // The shared b1 of layer 1: the vector is \mathbf{b}_{1}, the lecture's parameter b_{1}.
    const b1 = explain(spec221, { param: 'b1' }, runs, 'latex');
    expect(b1).toContain('\\frac{\\partial L}{\\partial \\mathbf{b}_{1}} &= \\textstyle\\sum_i \\sum_c \\boldsymbol{\\delta}_{1}[i][c]:\\quad \\frac{\\partial L}{\\partial b_{1}} = \\boldsymbol{\\delta}_{1}[0] + \\boldsymbol{\\delta}_{1}[1] = 0.0134 + 0.0150 = 0.0284');
    for (const l of LECTURES) {
      for (const block of latexBlocks(explainer(l.worked.spec, {}).doc([await cpuRun(l.worked.spec)]))) {
        for (const row of block.split('\\\\\n').filter((r) => r.includes('\\quad '))) {
          if (row.includes('\\text{')) continue;
          expect(row, `${l.worked.id}: after the matrix, the entry is a derivative`).toMatch(/:\\quad \\frac\{\\partial /);
          expect(row, `${l.worked.id}: no value printed twice`).not.toMatch(/= (-?[\d.]+) = \1(?![\d.])/);
          expect(row, `${l.worked.id}: the matrix is bold`).toMatch(/^\\frac\{\\partial [^}]+\}\{\\partial \\mathbf\{[Wb]\}_\{\d+\}\}/);
        }
        expect(block, `${l.worked.id}: a \\frac in brackets has sized brackets`).not.toMatch(/(?<!\\left)\(\\frac/);
      }
    }
  });

  it('text output: every minus sign is U+2212, big counts are grouped, "1 example"', () => {
    const text = explain(lecture('lecture-study-hours-w7').worked, {}, [], 'text');
    expect(text).toMatch(/scalar total, float64: −4\.262175\d*e-5/);
    for (const l of LECTURES) {
      const t = explain(l.worked, {}, [], 'text');
      expect(t.split('\n').filter((line) => /(?<![\de])-\d/.test(line)), l.worked.id).toEqual([]);
    }
    const deep = randomSpec({ seed: 3, inputs: 10, hidden: [10, 10, 10, 10], outputs: 10, hiddenActivation: 'sigmoid', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 1 });
    expect(explainer(deep, {}).doc([]).note).toMatch(/^Not expanded: every gradient of this net has 1 222 210 paths per example \(× 1 example\) in all, more than 20 000;/);
  });

  it('a worked file of another format version is refused as check refuses it (same typed error)', () => {
    const other = { ...lecture('lecture-2-2-1').worked, format: 'backprop-worked-example/2' };
    const refusal = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return `${(err as Error).name} ${(err as { field?: string }).field}: ${(err as Error).message}`;
      }
      return 'accepted';
    };
    const fromCheck = refusal(() => parseWorked(other));
    expect(fromCheck).toBe(`ClaimError format: format: must be "${WORKED_FORMAT}", got "backprop-worked-example/2"`);
    expect(refusal(() => explainer(other, { param: 'w5' }))).toBe(fromCheck);
    expect(refusal(() => explainer(lecture('lecture-2-2-1').worked, { param: 'w5' }))).toBe('accepted');
  });

  it("a shared bias over a batch: the matrix line gives every δ term, each unit's row summed (text and LaTeX)", async () => {
    // Lecture 001's net (b1 shared by h1 and h2) on its example and a second one. The float64 reference, written from
    // the formulas with the lecture's weights (w1 … w6 = .15 .2 .25 .3 .4 .45, b1 = .35, b2 = .6; L_c = ½(ŷ − y)²):
    // δ_h = (ŷ − y)·ŷ(1 − ŷ)·w_out,h·a_h(1 − a_h), per example c.
    const x = [[0.05, 0.1], [0.2, 0.4]];
    const y = [0.01, 0.5];
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const delta = x.map(([x1, x2], c) => {
      const aH = [sig(0.15 * x1 + 0.2 * x2 + 0.35), sig(0.25 * x1 + 0.3 * x2 + 0.35)];
      const yHat = sig(0.4 * aH[0] + 0.45 * aH[1] + 0.6);
      return [0.4, 0.45].map((w, h) => (yHat - y[c]) * yHat * (1 - yHat) * w * aH[h] * (1 - aH[h]));
    });
    const spec = { ...spec221, x, y: y.map((v) => [v]) };
    const model = await Model.create(spec, { backend: 'cpu' });
    const grad = await model.grad();
    model.dispose();
    const { X, n } = validateSpec(spec).batch!;
    const run: MatrixRun = { backend: 'cpu', n, X, ...grad };
    const line = /= \(1\/2\)·\(\(δ₁\[0\]\[0\] \+ δ₁\[0\]\[1\]\) \+ \(δ₁\[1\]\[0\] \+ δ₁\[1\]\[1\]\)\) = \(1\/2\)·\(\((\S+) \+ (\S+)\) \+ \((\S+) \+ (\S+)\)\) = (\S+)\n/.exec(explain(spec, { param: 'b1' }, [run], 'text'));
    expect(line, 'the text matrix line with its numbers').not.toBeNull();
    // Row i of δ₁ is unit h(i+1) over the examples: δ₁[i][c] = delta[c][i]. Each within half a unit of its last digit.
    const printed = line!.slice(1, 5);
    [delta[0][0], delta[1][0], delta[0][1], delta[1][1]].forEach((want, k) => {
      const decimals = printed[k].split('.')[1].length;
      expect(Math.abs(Number(printed[k]) - want), `term ${k}: ${printed[k]} vs ${want}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
    });
    const total = (delta[0][0] + delta[0][1] + delta[1][0] + delta[1][1]) / 2;
    expect(Math.abs(Number(line![5]) - total)).toBeLessThanOrEqual(0.5 * 10 ** -line![5].split('.')[1].length);
    const latex = latexBlocks(explainer(spec, { param: 'b1' }).doc([run])).join('\n');
    expect(latex).toContain(`= \\tfrac{1}{2}\\left(\\left(${printed[0]} + ${printed[1]}\\right) + \\left(${printed[2]} + ${printed[3]}\\right)\\right) = ${line![5]}`);
  });

  it("a softmax layer's shared bias, whose gradient Σ_j (a_j − y_j) is 0 exactly: its sums print 0.0000 and check by hand", async () => {
    // Float64 gives ~1e-16 of rounding noise, which printed as `0.5543 + (−0.8047) + 0.2504 = 0.000000000000000111`:
    // no digit of it is significant, and the terms do not give it by hand (src/notation/noise.ts).
    const net = (extra: Partial<NetworkSpec>): NetworkSpec => ({
      inputs: 2,
      layers: [{ units: 2, activation: 'tanh' }, { units: 3, activation: 'softmax', bias: 'shared' }],
      loss: 'softmax-cross-entropy',
      init: { scheme: 'xavier', seed: 3 },
      x: [[0.5, -1.2]],
      y: [[0, 1, 0]],
      ...extra,
    });
    // A net that has learnt (every a_j − y_j between 1e-3 and 1e-12, while a_j and y_j are near 1): the noise is then
    // 1e3 … 1e12 times Σ_j |a_j − y_j|, and a bound from the terms alone missed it.
    const learnt = net({
      init: undefined,
      params: { W: [[[2.5, -1.5], [1, 3]], [[9, 8], [-7, -6], [-8, -7]]], b: [[0.1, -0.2], 0.3] },
      x: [[0.5, 1.2], [0.3, 0.8], [0.9, 0.1]],
      y: [[1, 0, 0], [1, 0, 0], [1, 0, 0]],
    });
    const nets = [net({}), net({ x: [[0.5, -1.2], [0.3, 0.8], [-0.7, 0.1]], y: [[0, 1, 0], [1, 0, 0], [0, 0, 1]] }), learnt];
    for (const [k, spec] of nets.entries()) {
      const run = await cpuRun(spec);
      const n = run.n;
      for (const decimals of [4, 6]) {
        const text = explain(spec, { param: 'b3', decimals }, [run], 'text');
        const sums = printedArithmetic(text).filter(([what]) => /∂L[₀-₉]*\/∂b3 = /.test(what));
        expect(sums, `net ${k}: each example's sum over its groups, then the mean`).toHaveLength(n === 1 ? 1 : n + 1);
        for (const [what, terms, result, divisor] of sums) {
          expect(byHand(terms, result, divisor), `net ${k} --decimals ${decimals}: ${what}`).toBe(true);
          expect(result, `net ${k}: ${what}`).toBe(`0.${'0'.repeat(decimals)}`);
        }
      }
      // The matrix check compares the unrounded values: a backend value 0.01 off is still a mismatch.
      const db = run.db.map((b) => Float64Array.from(b));
      db[1][0] += 0.01;
      expect(mismatches(explainer(spec, { param: 'b3' }).doc([run])), `net ${k}`).toEqual([]);
      expect(mismatches(explainer(spec, { param: 'b3' }).doc([{ ...run, db }])), `net ${k}`).toHaveLength(1);
    }
    // The seeded random nets of the notation tests whose softmax output layer has a shared bias: all they print.
    const random = notationCases(120).filter((c) => c.loss === 'softmax-cross-entropy' && c.bias === 'shared');
    expect(random.length).toBeGreaterThan(5);
    for (const c of random) {
      const spec = randomSpec(c);
      for (const [what, terms, result, divisor] of printedArithmetic(explain(spec, {}, [await cpuRun(spec)], 'text'))) {
        expect(byHand(terms, result, divisor), `seed ${c.seed}: ${what}`).toBe(true);
      }
    }
    // Markdown and LaTeX print the same sums: each example's and the total, all 0.0000.
    const run = await cpuRun(learnt);
    const md = explain(learnt, { param: 'b3' }, [run], 'md').split('\n').filter((l) => /^`∂L[₀-₉]*\/∂b3` = /.test(l));
    const latex = explain(learnt, { param: 'b3' }, [run], 'latex').split('\n').filter((l) => /^\\frac\{\\partial L(_\{\d\})?\}\{\\partial b_\{3\}\} &=/.test(l));
    expect([md.length, latex.length]).toEqual([4, 4]);
    for (const l of md) expect(l).toMatch(/ = \*\*0\.0000\*\*$/);
    for (const l of latex) expect(l).toMatch(/= 0\.0000 \\\\$/);
  });

  it('a sum that is small but not noise keeps its significant digits (inputs of 1e-9)', async () => {
    // ∂L/∂w1 = Σ_j (a_j − y_j)·w·x over the two output units: terms of ~1e-9, with nothing cancelling to the last bit.
    const spec: NetworkSpec = {
      inputs: 1,
      layers: [{ units: 2, activation: 'identity' }, { units: 2, activation: 'softmax', bias: 'shared' }],
      loss: 'softmax-cross-entropy',
      params: { W: [[[0.5], [-0.25]], [[0.8, -0.3], [0.2, 0.6]]], b: [[0, 0], 0] },
      x: [[1e-9], [2e-9]],
      y: [[1, 0], [0, 1]],
    };
    const sums = printedArithmetic(explain(spec, { param: 'w1' }, [await cpuRun(spec)], 'text')).filter(([what]) => /∂L[₀-₉]*\/∂w1 = /.test(what));
    expect(sums).toHaveLength(3); // each example's two groups, and the mean over the two examples
    for (const [what, terms, result, divisor] of sums) {
      expect(byHand(terms, result, divisor), what).toBe(true);
      expect(result, what).toMatch(/^−?0\.0{9}[1-9]\d\d$/); // a few 1e-10, three significant digits, not 0.0000
    }
  });

  it('bad input: an unknown parameter, a spec without data, bad decimals', () => {
    expect(() => explainer(spec221, { param: 'w9' })).toThrow(/^param: 'w9' is not a name in this net/);
    expect(() => explainer({ ...spec221, x: undefined, y: undefined }, {})).toThrow(/x: the scalar engine needs a batch/);
    expect(() => explainer({ ...spec221, layers: [{ units: 2, activation: 'sigmoidd' }, spec221.layers[1]] }, {})).toThrow(/layers\[0\]\.activation/);
    expect(() => explainer(spec221, { decimals: 99 })).toThrow(/^decimals: must be an integer 0 … 12/);
  });
});

describe('explain\'s mismatch detector (what text output marks ✗ MISMATCH)', () => {
  // ∂L/∂w5 of the 2-2-1 lecture is 0.0822 (one path; lecture 001 line 98). A float32 backend computes it to within a
  // few float32 roundings of its 5 factors: ~1e-8 absolute here (the float32 spacing at 0.08 is 7.5e-9; with
  // SwiftShader's ~1e-6-relative exp, ~1e-7). A matrix value 2e-5 away (2.4e-4 relative, >100× that) is not a float32
  // result; one 1e-9 away is.
  const shifted = async (delta: number): Promise<string[]> => {
    const run = await cpuRun(spec221);
    const dW = run.dW.map((w) => Float64Array.from(w));
    dW[1][0] += delta; // W₂[0][0] is w5
    return mismatches(explainer(spec221, { param: 'w5' }).doc([{ ...run, dW }]));
  };

  it('flags a matrix value 2e-5 from the scalar total, not one 1e-9 from it', async () => {
    expect(await shifted(0)).toEqual([]);
    expect(await shifted(1e-9)).toEqual([]);
    expect(await shifted(-1e-9)).toEqual([]);
    for (const delta of [2e-5, -2e-5, 1e-2]) {
      const bad = await shifted(delta);
      expect(bad, `${delta}`).toHaveLength(1);
      expect(bad[0]).toMatch(/^w5 on cpu: /);
    }
  });

  it('flags a matrix value that is NaN or ±Infinity', async () => {
    for (const delta of [NaN, Infinity, -Infinity]) {
      const bad = await shifted(delta);
      expect(bad, `${delta}`).toHaveLength(1);
      expect(bad[0]).toMatch(/^w5 on cpu: .*matrix (NaN|-?Infinity)/);
    }
  });
});

describe('the mismatch bound and factors a float32 backend computes with cancellation (review notation42b)', () => {
  // x = 100 (1000) into a tanh (sigmoid) unit at z = 8 (16): f' = 1 − a² = 4.5e-7 (a(1 − a) = 1.1e-7) in float64, while
  // the CPU's float32 a is 1 − 2⁻²² (1 − 2⁻²³) and its f' 4.8e-7 (1.2e-7): good to a float32 rounding of 1, not of f'.
  // Its ∂L/∂w1 = (a − 0)·1·f'·x is 2.7e-6 (8e-6) from the scalar's, over 1e-6 + 1e-5·|path product|.
  it('a right CPU backend on a saturated tanh or sigmoid unit is not ✗ MISMATCH', async () => {
    for (const [activation, w, x] of [['tanh', 0.08, 100], ['sigmoid', 0.016, 1000]] as const) {
      const spec: NetworkSpec = {
        inputs: 1, layers: [{ units: 1, activation }, { units: 1, activation: 'identity' }], loss: 'mse',
        params: { W: [[[w]], [[1]]], b: [[0], [0]] }, x: [[x]], y: [[0]],
      };
      const run = await cpuRun(spec);
      const doc = explainer(spec, {}).doc([run]);
      const [total, cpu] = [doc.items[0].expansion.total, run.dW[0][0]];
      expect(Math.abs(cpu - total) / total, activation).toBeGreaterThan(0.05); // float32 f' has no second digit
      expect(mismatches(doc), activation).toEqual([]);
    }
  });
});

describe('printed operands get more decimals than they print where the result needs them (review notation42b)', () => {
  it('a sum of values below 10^−decimals: each term gets digits past its own, not past --decimals (which added none)', () => {
    // ∂L_c/∂w1 = (0 − y_c)·1·1 = 1.2338e-11 for each of 3 examples; the sum 3.7014e-11 prints 0.0000000000370. At three
    // significant digits the terms are 0.0000000000123, three of which are 0.0000000000369, not 0.0000000000370.
    const tiny: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', reduction: 'sum', params: { W: [[[0]]], b: [[0]] }, x: [[1], [1], [1]], y: [[-1.2338e-11], [-1.2338e-11], [-1.2338e-11]] };
    const line = explain(tiny, { param: 'w1' }, [], 'text').split('\n').find((l) => l.endsWith('(sum over 3 examples)'))!;
    expect(line.trim()).toBe('∂L/∂w1 = 0.00000000001234 + 0.00000000001234 + 0.00000000001234 = 0.0000000000370   (sum over 3 examples)');
    expect(byHand([['0.00000000001234'], ['0.00000000001234'], ['0.00000000001234']], '0.0000000000370')).toBe(true);
  });

  it('a given value whose float32 rounding shows in the product is printed past "as written" (48.18764 of 48.187637329…)', () => {
    // x1 = 48.187637329101562 (a float32 written out) is within a float32 rounding of 48.18764, so shown as that: but
    // 48.1876 × 48.18764 = 2322.0462 and 48.187637 × 48.18764 = 2322.0477, never the path's 2322.0484 = x1².
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1]]], b: [[0]] }, x: [[48.187637329101562]], y: [[0]] };
    expect(explain(spec, { param: 'w1' }, [], 'text')).toContain('= 48.187637 × 1 × 48.187637\n         = 2322.0484\n');
    expect(byHand([['48.187637', '1', '48.187637']], '2322.0484')).toBe(true);
  });

  it('a product of many significant digits gets as many more decimals as its result has digits, beyond six more', () => {
    // x1 = 5.864978313446045 (a float32 written out: as written, 5.864978), ŷ − y = 269800·x1: ∂L/∂w1 = 269800·x1² =
    // 9280572.4725 at 4 decimals, eleven significant digits. 1582371.1490 × 1 × 5.864978 is 9280571.98…; six more
    // decimals of each were still short of eleven digits of x1.
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[269800]]], b: [[0]] }, x: [[5.864978313446045]], y: [[0]] };
    const lines = explain(spec, { param: 'w1' }, [], 'text').split('\n');
    const at = lines.findIndex((l) => l.trim() === '= 9280572.4725');
    const factors = /^\s+= (\S+) × 1 × (\S+)$/.exec(lines[at - 1])!;
    expect(factors, lines[at - 1]).not.toBeNull();
    expect(byHand([[factors[1], '1', factors[2]]], '9280572.4725'), lines[at - 1]).toBe(true);
  });

  it('a sum whose terms cancel far below them gets as many decimals as its result has, beyond six more', () => {
    // Shared bias of two sigmoid outputs (bce), y = (1, 0), z = (−50, 22.4): ∂L/∂b1 = (σ(−50) − 1) + σ(22.4)
    // = −1 + 0.999999999813 = −1.87e-10. Six more decimals gave −1.0000000000 + 1.0000000000 = −0.000000000187.
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', params: { W: [[[-50], [22.4]]], b: [0] }, x: [[1]], y: [[1, 0]] };
    const line = explain(spec, { param: 'b1' }, [], 'text').split('\n').find((l) => l.startsWith('  ∂L/∂b1 = −'))!;
    const m = /^ {2}∂L\/∂b1 = (\S+) \+ (\S+) = (\S+)$/.exec(line)!;
    expect(m, line).not.toBeNull();
    expect(Math.abs(Number(m[3].replace('−', '-')) + 1.87e-10)).toBeLessThan(5e-13);
    expect(byHand([[m[1]], [m[2]]], m[3]), line).toBe(true);
  });
});
