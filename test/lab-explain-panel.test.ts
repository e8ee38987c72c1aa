/**
 * The course lab's explanation panel (src/lab/explain-panel.ts), its pure part in Node (no DOM): the chain rule and
 * the matrix form as LaTeX, rendered with KaTeX. Expected numbers are the 2-2-1 lecture's (lecture 001:
 * ∂L/∂w5 = 0.7414 × 0.1868 × 0.5933 = 0.0822, ∂L/∂b1 = 0.0284). The diagram's model: test/lab-diagram.test.ts.
 */
import { readFileSync } from 'node:fs';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { ENTRY_BACKGROUND, exampleNote, explanationModel, labNaming, matrixTex, PENDING, pickIndices, USED_COLOR } from '../src/lab/explain-panel.ts';
import { LECTURES, lecture } from '../src/lectures/index.ts';
import { Naming, type ParamId, paramKey } from '../src/notation/names.ts';
import { symText } from '../src/notation/symbols.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { B, cpuRun, s232, W } from './lib/explain-nets.ts';

const spec221 = lecture('lecture-2-2-1').worked.spec;
const renders = (tex: string): void => {
  expect(() => katex.renderToString(tex, { throwOnError: true, displayMode: true }), tex).not.toThrow();
};

describe('explanation panel LaTeX', () => {
  it('w5: the lecture\'s chain rule, and the matrix form with δ₂ row 0, A₁ᵀ column 0 and dW₂[0][0] highlighted', async () => {
    const run = await cpuRun(spec221);
    const e = explanationModel({ spec: spec221, param: W(1, 0, 0), run });
    expect(e.name).toBe('w5');
    expect(e.role).toContain('feeds z_out from a_h1');
    if ('error' in e.scalar || 'error' in e.matrix) throw new Error(JSON.stringify(e));
    expect(e.scalar.tex.join('\n')).toContain('0.7414 \\times 0.1868 \\times 0.5933 = 0.0822');
    expect(e.matrix.statement).toContain('\\boldsymbol{\\delta}_{2}\\,\\mathbf{A}_{1}^{\\top}');
    expect(e.matrix.where).toContain('entry [0][0] of dW₂');
    const [delta, aT, dW, sum] = e.matrix.blocks;
    expect(delta).toContain(`\\textcolor{${USED_COLOR}}{0.1385}`);
    expect(aT).toContain(`\\textcolor{${USED_COLOR}}{0.5933}`);
    expect(aT).toContain('& 0.5969'); // a_h2: in A₁ᵀ, not used
    expect(aT).not.toContain(`{${USED_COLOR}}{0.5969}`);
    expect(dW).toContain(`\\colorbox{${ENTRY_BACKGROUND}}{$0.0822$} & 0.0827`);
    expect(sum).toContain('0.1385 \\times 0.5933');
    expect(sum).toContain(`{$0.0822$}`);
    expect(e.matrix.check).toContain('✓');
    for (const tex of [...e.scalar.tex, e.matrix.statement, ...e.matrix.blocks]) renders(tex);
  });

  it('biases: shared b1 is the sum of all of δ₁ (0.0134 + 0.0150 = 0.0284); b2 is row 0 of δ₂', async () => {
    const run = await cpuRun(spec221);
    const b1 = explanationModel({ spec: spec221, param: B(0, 0), run });
    if ('error' in b1.matrix) throw new Error(b1.matrix.error);
    expect(b1.matrix.where).toContain('sum of all of δ₁');
    expect(b1.matrix.blocks.join('\n')).toContain('0.0134 + 0.0150');
    expect(b1.matrix.blocks.join('\n')).toContain(`{$0.0284$}`);
    const b2 = explanationModel({ spec: spec221, param: B(1, 0), run });
    if ('error' in b2.matrix) throw new Error(b2.matrix.error);
    expect(b2.matrix.statement).toContain('\\boldsymbol{\\delta}_{2}\\,\\mathbf{1}');
    expect(b2.matrix.blocks.join('\n')).toContain(`{$0.1385$}`);
    // A shared bias of a one-unit layer: "the 1 unit", not "the 1 units" (its place and its where line).
    const one: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid', bias: 'shared' }], loss: 'mse', params: { W: [[[0.5]]], b: [0.1] }, x: [[1]], y: [[0]] };
    const b = explanationModel({ spec: one, param: B(0, 0) });
    if ('error' in b.matrix) throw new Error(b.matrix.error);
    expect(b.role).toContain('b₁ (shared by the 1 unit of layer 1)');
    expect(b.matrix.where).toContain('is one bias shared by the 1 unit of layer 1:');
  });

  it('with several examples, a note says the chain rule works example 1 path by path, and which one the diagram shows', () => {
    const cls = lecture('lecture-classification').worked.spec;
    const note = (example?: number, spec = cls) => {
      const m = explanationModel({ spec, param: W(1, 0, 0), example });
      return 'error' in m.scalar ? m.scalar.error : m.scalar.note;
    };
    // Example 2 chosen: the diagram showed its z, a, δ while the chain rule's factors were example 1's, unsaid.
    expect(note(1)).toBe('Every path is worked for example 1, example 2 by its total (the diagram shows example 2).');
    expect(note(0)).toBe('Every path is worked for example 1, example 2 by its total.');
    expect(note()).toBe(note(0));
    expect(note(0, spec221)).toBeUndefined();
    // The LaTeX gives 4 examples rows of their own, then "… (96 more examples)": those are only in the sum.
    expect(exampleNote(100, 56, 2)).toBe('Every path is worked for example 1, examples 2 … 4 by their totals, the other 96 in the sum (the diagram shows example 57).');
    expect(exampleNote(3, 0, 1)).toBe('Every path is worked for example 1, examples 2 … 3 by their totals.');
    // A deeper net (1-1-2-3-3-1, as built in the lab's editor): the paths of w¹ are grouped by the unit they pass in
    // layer 2, and each group reaches the loss by 3 × 3 = 9 paths; the LaTeX works the first 8 of a group and says
    // "+ … (1 more paths)": the note must not say every path is worked.
    const deep: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'tanh' }, { units: 2, activation: 'tanh' }, { units: 3, activation: 'tanh' }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      params: { W: [[[0.5]], [[0.8], [-0.6]], [[0.1, 0.2], [-0.2, 0.3], [0.3, -0.4]], [[0.1, 0.2, 0.3], [-0.1, 0.2, -0.3], [0.4, -0.5, 0.6]], [[0.7, -0.8, 0.9]]], b: [[0], [0, 0], [0, 0, 0], [0, 0, 0], [0]] },
      x: [[0.5], [-1]], y: [[1], [0]],
    };
    const d = explanationModel({ spec: deep, param: W(0, 0, 0) });
    if ('error' in d.scalar) throw new Error(d.scalar.error);
    expect(d.scalar.tex.join('\n')).toContain('1 more paths');
    expect(d.scalar.note).toBe("Up to 8 paths of a group are worked for example 1 (the rest only in the group's total), example 2 by its total.");
    const d2 = explanationModel({ spec: deep, param: W(0, 0, 0), example: 1 });
    expect('error' in d2.scalar ? d2.scalar.error : d2.scalar.note).toBe("Up to 8 paths of a group are worked for example 1 (the rest only in the group's total), example 2 by its total (the diagram shows example 2).");
  });

  it('without a run the matrix form says to run Backward; bad input becomes an error message, not a throw', () => {
    const e = explanationModel({ spec: spec221, param: W(1, 0, 0) });
    if ('error' in e.matrix) throw new Error(e.matrix.error);
    expect(e.matrix.pending).toBe(PENDING);
    expect(e.matrix.blocks).toEqual([]);
    renders(e.matrix.statement);
    const outside = explanationModel({ spec: spec221, param: W(3, 0, 0) });
    expect('error' in outside.scalar && outside.scalar.error).toMatch(/not a parameter/);
    const noData = structuredClone(spec221);
    delete noData.x;
    delete noData.y;
    const nd = explanationModel({ spec: noData, param: W(1, 0, 0) });
    expect('error' in nd.scalar && nd.scalar.error).toMatch(/needs a batch/);
    expect('pending' in nd.matrix && nd.matrix.pending).toBe(PENDING);
  });

  it('every parameter of every lecture net, in every convention, renders with KaTeX and matches its backend', async () => {
    let blocks = 0;
    for (const l of LECTURES) {
      const spec = l.worked.spec;
      const run = await cpuRun(spec);
      const naming = new Naming(validateNet(spec), spec.notation);
      for (const convention of [undefined, 'flat', 'to-from', 'from-to'] as const) {
        for (const param of naming.params()) {
          const e = explanationModel({ spec, param, convention, run });
          if ('error' in e.scalar) throw new Error(`${l.id} ${paramKey(param)}: ${e.scalar.error}`);
          if ('error' in e.matrix) throw new Error(`${l.id} ${paramKey(param)}: ${e.matrix.error}`);
          expect(e.matrix.check, `${l.id} ${e.name}`).toContain('✓');
          for (const tex of [...e.scalar.tex, e.matrix.statement, ...e.matrix.blocks]) {
            renders(tex);
            blocks++;
          }
        }
      }
    }
    expect(blocks).toBeGreaterThan(200);
    // ~2 s alone; several times that on the shared 2-core machine while other suites run.
  }, 30_000);

  it('the lab\'s names in a chosen convention keep the lecture\'s decimals, as explain --convention does', () => {
    // lecture-study-hours-w7.worked.json: a 3-1 net, notation.decimals 7, its weight named w7. The lab built its
    // names in a chosen convention without the notation, so its panels showed 4 decimals where the CLI shows 7.
    const spec = lecture('lecture-study-hours-w7').worked.spec;
    const net = validateNet(spec);
    const w = { kind: 'W', layer: 0, row: 0, col: 0 } as const;
    expect(symText(labNaming(net, spec.notation, undefined).param(w))).toBe('w7');
    for (const [convention, name] of [['flat', 'w1'], ['to-from', 'w¹₁₁'], ['from-to', 'w¹₁₁']] as const) {
      const nm = labNaming(net, spec.notation, convention);
      expect(nm.decimals, convention).toBe(7);
      expect(symText(nm.param(w)), convention).toBe(name);
    }
    // An edited net the lecture's names no longer fit (3 inputs named, 2 here) gets the defaults, as before.
    const edited = labNaming(validateNet({ ...spec, inputs: 2 }), spec.notation, 'to-from');
    expect(edited.decimals).toBeUndefined();
    expect(symText(edited.param(w))).toBe('w¹₁₁');
  });

  it("the Notation menu's first choice is the net's own names: a lecture's as it writes them, else the default (flat)", () => {
    // The choice (value "": no convention, views.ts conventionChoice) read "as the lecture writes it" for XOR, the 2-D
    // sets and a lecture net edited to other shapes too, which no lecture writes.
    const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
    const first = /<select id="convention">\s*<option value="">([^<]*)<\/option>/.exec(html)?.[1];
    expect(first).toBeDefined();
    expect(first).not.toMatch(/the lecture writes/);
    const w = (layer: number, row: number, col: number): ParamId => ({ kind: 'W', layer, row, col });
    // Lecture 002 writes w31 (to-from, units numbered across layers); the flat convention would say w5.
    const nobias = lecture('lecture-2-2-1-nobias').worked.spec;
    expect(symText(labNaming(validateNet(nobias), nobias.notation, undefined).param(w(1, 0, 0)))).toBe('w31');
    expect(symText(labNaming(validateNet(nobias), nobias.notation, 'flat').param(w(1, 0, 0)))).toBe('w5');
    // A net with no notation (XOR, a 2-D set: 2-4-1) and the lecture net edited to 2-3-1 (the editor drops the notation
    // of other shapes, editor.ts): flat, w1 … w8 in layer 1, so W₂[0][0] is w9 (w7 for 2-3-1).
    const xor: NetworkSpec = { inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' };
    expect(symText(labNaming(validateNet(xor), undefined, undefined).param(w(1, 0, 0)))).toBe('w9');
    const edited = validateNet({ ...nobias, layers: [{ ...nobias.layers[0], units: 3 }, nobias.layers[1]] });
    expect(symText(labNaming(edited, undefined, undefined).param(w(1, 0, 0)))).toBe('w7');
  });

  it('a value that is not finite is \\text{NaN} in the matrix form, not KaTeX\'s product N·a·N (review diff7 item 5)', async () => {
    const run = await cpuRun(spec221);
    const delta = run.delta.map((d) => Float32Array.from(d));
    delta[1][0] = NaN;
    const e = explanationModel({ spec: spec221, param: W(1, 0, 0), run: { ...run, delta }, decimals: 4 });
    if ('error' in e.matrix) throw new Error(e.matrix.error);
    const last = e.matrix.blocks[e.matrix.blocks.length - 1];
    expect(last).toContain('\\text{NaN}');
    expect(last).not.toMatch(/[^{]NaN/);
    renders(last);
  });

  it('the matrix form\'s sum checks by hand: its printed numbers give its printed result within half a unit in its last place', async () => {
    // NOTE: exact decimal arithmetic (BigInt) on the numbers as the panel prints them, written here independently of
    // src/notation/hand.ts. With every operand at the panel's 4 decimals, lecture-classification's w¹₁₁ read
    // (−0.0152) × 3.3 + 0.0334 × 2.9 = 0.0466, which is 0.0467 by hand.
    const exact = (t: string): { num: bigint; den: bigint } => {
      const m = /^\(?(-?)(\d+)(?:\.(\d+))?\)?$/.exec(t.trim());
      if (!m) throw new Error(`not a plain decimal: ${t}`);
      const num = BigInt(m[2] + (m[3] ?? ''));
      return { num: m[1] ? -num : num, den: 10n ** BigInt((m[3] ?? '').length) };
    };
    const lines: string[] = [];
    const checkSum = (where: string, tex: string): void => {
      const m = /\\\\ &= (.*) = \\colorbox\{[^}]*\}\{\$([^$]*)\$\}/.exec(tex);
      if (!m) return; // no numbers line (one example's bias, or too many terms)
      let body = m[1];
      let divisor = 1n;
      // The sum after its 1/N as explain's LaTeX writes it (scaledSum): \tfrac{1}{N}\,\left(…\right).
      const scale = /^\\tfrac\{1\}\{(\d+)\}\\,\\left\((.*)\\right\)$/.exec(body);
      if (scale) [divisor, body] = [BigInt(scale[1]), scale[2]];
      let num = 0n;
      let den = 1n;
      for (const term of body.split(' + ')) {
        let tn = 1n;
        let td = 1n;
        for (const f of term.split(' \\times ').map(exact)) [tn, td] = [tn * f.num, td * f.den];
        [num, den] = [num * td + tn * den, den * td];
      }
      den *= divisor;
      const r = exact(m[2]);
      // |num/den − r| ≤ ½ unit in r's last place  ⇔  2·|num·r.den − r.num·den| ≤ den
      const diff = num * r.den - r.num * den;
      lines.push(`${where}: ${body} = ${m[2]}`);
      expect(2n * (diff < 0n ? -diff : diff) <= den, `${where}: ${m[1]} = ${m[2]}`).toBe(true);
    };
    const s2331: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'sigmoid', bias: 'shared' }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      params: { W: [[[0.15, -0.2], [0.25, 0.3], [-0.35, 0.4]], [[0.5, -0.6, 0.7], [0.8, 0.9, -1], [0.11, 0.12, 0.13]], [[1.5, -2.5, 0.75]]], b: [0.35, [0.1, -0.2, 0.3], [0.05]] },
      x: [[0.05, 0.1], [1.5, -2], [3, 4]], y: [[1], [0], [1]],
    };
    // Inputs with more digits than shown (review diff7 item 2): the given X of the first layer's line must widen too.
    const wide: NetworkSpec = {
      inputs: 3, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'mse',
      params: { W: [[[0.31, -0.52, 0.27], [0.44, 0.18, -0.61]], [[0.83, -0.47]]], b: [[0.1, -0.05], [0.02]] },
      x: [[-0.69953117, 0.12345678, 1.98765432], [0.55555555, -0.33333333, 0.71428571]], y: [[0.9], [0.1]],
    };
    // A shared bias over more than one example, with few enough terms to show (review mut3 N12): ½ the sum of every
    // entry of δ₁, unit by unit and example by example — 2 units × 2 examples, 4 terms.
    const two221: NetworkSpec = { ...spec221, x: [[0.05, 0.1], [0.3, -0.2]], y: [[0.01], [0.99]] };
    const nets: [string, NetworkSpec][] = [...LECTURES.map((l): [string, NetworkSpec] => [l.id, l.worked.spec]), ['2-3-2', s232], ['2-3-3-1', s2331], ['3-2-1 many-digit x', wide], ['2-2-1 2 examples', two221]];
    for (const [id, spec] of nets) {
      const run = await cpuRun(spec);
      for (const param of new Naming(validateNet(spec), spec.notation).params()) {
        for (const decimals of [undefined, 2]) { // the lecture's own decimals (else 4), and 2
          const e = explanationModel({ spec, param, run, decimals });
          if ('error' in e.matrix) throw new Error(`${id} ${paramKey(param)}: ${e.matrix.error}`);
          checkSum(`${id} ${e.name}${decimals ? ` (decimals ${decimals})` : ''}`, e.matrix.blocks[e.matrix.blocks.length - 1]);
        }
      }
    }
    expect(lines.length).toBeGreaterThan(100);
    // The reviewer's cases, as explain prints them (README, "Scalar notation beside the matrix form").
    expect(lines).toContain('lecture-classification w¹₁₁: (-0.01520) \\times 3.3 + 0.03337 \\times 2.9 = 0.0466');
    expect(lines.find((x) => x.startsWith('lecture-study-hours-w7 w7: '))).toContain('(-0.00000897) \\times 4.75 = -0.0000426');
    const b1 = lines.find((x) => x.startsWith('2-2-1 2 examples b1: '));
    expect(b1).toBeDefined();
    expect(b1!.split(' = ')[0].split(' + ')).toHaveLength(4);
  }, 30_000);

  it('the matrix form writes a layer\'s matrices and vectors in bold: b4 of a 2-3-2 net is entry [0] of 𝐝𝐛₂, never b_{2} (the flat b2)', async () => {
    const spec = s232;
    const run = await cpuRun(spec);
    const e = explanationModel({ spec, param: B(1, 0), run });
    expect(e.name).toBe('b4');
    if ('error' in e.matrix) throw new Error(e.matrix.error);
    const tex = [e.matrix.statement, ...e.matrix.blocks];
    expect(e.matrix.statement).toContain('\\partial \\mathbf{b}_{2}} = \\mathbf{db}_{2} = \\tfrac{1}{2}\\,\\boldsymbol{\\delta}_{2}\\,\\mathbf{1}');
    expect(e.matrix.blocks.join('\n')).toContain('\\mathbf{db}_{2}[0]');
    // Nothing of layer 2 is written plain: b_{2}, db_{2}, δ_{2} only inside \mathbf{…} / \boldsymbol{…}.
    for (const t of tex) {
      const plain = t.replace(/\\(mathbf|boldsymbol)\{[^{}]*(\{[^{}]*\})?\}_\{\d+\}/g, '');
      expect(plain, t).not.toMatch(/(^|[^a-zA-Z\\])(b|db|dW|W|A|\\delta)_\{\d+\}/);
      renders(t);
    }
    const w = explanationModel({ spec, param: W(0, 1, 0), run });
    if ('error' in w.matrix) throw new Error(w.matrix.error);
    for (const t of [w.matrix.statement, ...w.matrix.blocks]) {
      expect(t.replace(/\\(mathbf|boldsymbol)\{[^{}]*(\{[^{}]*\})?\}_\{\d+\}/g, ''), t).not.toMatch(/(^|[^a-zA-Z\\])(b|db|dW|W|A|\\delta)_\{\d+\}/);
      renders(t);
    }
    expect(w.matrix.statement).toContain('(\\mathbf{A}_{0} = \\mathbf{X})');
  });

  it('big matrices are cut to 6 × 6 with ⋯ ⋮ ⋱ and keep the highlighted row, column and entry', () => {
    expect(pickIndices(4, 6)).toEqual([0, 1, 2, 3]);
    expect(pickIndices(20, 6)).toEqual([0, 1, 2, 3, null, 19]);
    expect(pickIndices(20, 6, 12)).toEqual([0, 1, null, 12, null, 19]);
    expect(pickIndices(20, 6, 18)).toEqual([0, 1, null, 18, 19]);
    const tex = matrixTex({ rows: 20, cols: 30, at: (r, c) => r * 100 + c + 0.5, decimals: 1, entry: { row: 12, col: 25 } });
    expect(tex).toContain(`\\colorbox{${ENTRY_BACKGROUND}}{$1225.5$}`);
    expect(tex).toContain('\\vdots');
    expect(tex).toContain('\\cdots');
    expect(tex).toContain('\\ddots');
    expect(tex.split('\\\\')).toHaveLength(6);
    renders(tex);
    const neg = matrixTex({ rows: 1, cols: 2, at: (_, c) => (c === 0 ? -0.25 : 0.5), decimals: 4, markCol: 0 });
    expect(neg).toBe(`\\begin{pmatrix} \\textcolor{${USED_COLOR}}{-0.2500} & 0.5000 \\end{pmatrix}`);
    renders(neg);
  });
});
