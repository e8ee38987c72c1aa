/**
 * The Notation tab's Copy LaTeX and Copy text (src/lab/copy-formula.ts, put by src/lab/explain-panel.ts under each
 * formula section): the clipboard gets the LaTeX the tab typeset — checked against the 2-2-1 lecture's w5 written
 * out by hand from the lecture's values (x = (0.05, 0.1), y = 0.01, w1…w6 = 0.15…0.45, b = 0.35, 0.6), worked here
 * in float64 — and it compiles in KaTeX; where the clipboard is refused, a read-only box holds it, selected, and the
 * status line says to press Ctrl+C. A selected KaTeX formula copies as a mess of duplicated glyphs (its HTML and its
 * MathML), which is why the buttons exist. KaTeX's render is a stand-in recording what it was given, on the stand-in
 * DOM of test/lib/fake-dom.ts; the real KaTeX compiles the copied strings.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as KatexModule from 'katex';
import { lecture } from '../src/lectures/index.ts';
import { FakeElement } from './lib/fake-dom.ts';
import { cpuRun, W } from './lib/explain-nets.ts';

class El extends FakeElement {
  readonly style: Record<string, string> = {};
}
const doc = { createElement: (tag: string) => new El(tag) };

const spec221 = lecture('lecture-2-2-1').worked.spec;

// ——— the lecture's w5 by hand (float64, its scalar formulas) ———
const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const h1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35); // a_h1 = 0.5933
const h2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35); // a_h2 = 0.5969
const o = sig(h1 * 0.4 + h2 * 0.45 + 0.6); // ŷ = 0.7514
const dOut = (o - 0.01) * o * (1 - o); // δ_out = 0.1385
const f4 = (v: number): string => v.toFixed(4);

/** The chain rule block, as lecture 001 writes it, in the net's names (ŷ, z_out, a_h1). */
const SCALAR_LATEX = [
  '\\begin{aligned}',
  '\\frac{\\partial L}{\\partial w_{5}} &= \\frac{\\partial L}{\\partial \\hat{y}} \\cdot \\frac{\\partial \\hat{y}}{\\partial z_{\\mathrm{out}}} \\cdot \\frac{\\partial z_{\\mathrm{out}}}{\\partial w_{5}} \\\\',
  '&= \\left(\\hat{y} - y\\right) \\cdot \\hat{y}(1 - \\hat{y}) \\cdot a_{h1} \\\\',
  `&= ${f4(o - 0.01)} \\times ${f4(o * (1 - o))} \\times ${f4(h1)} = ${f4(dOut * h1)}`,
  '\\end{aligned}',
].join('\n');

/**
 * The matrix form: ∂L/∂W₂ = δ₂·A₁ᵀ, δ₂'s row and A₁ᵀ's column in use coloured, the entry dW₂[0][0] boxed — copied in
 * colours of LaTeX xcolor's base set (purple, yellow), which KaTeX reads too; the tab typesets its own #rrggbb ones.
 */
const USED = 'purple';
const ENTRY = 'yellow';
const MATRIX_LATEX = [
  '\\begin{gathered}',
  [
    '\\frac{\\partial L}{\\partial \\mathbf{W}_{2}} = \\mathbf{dW}_{2} = \\boldsymbol{\\delta}_{2}\\,\\mathbf{A}_{1}^{\\top}',
    `\\underset{1 \\times 1}{\\boldsymbol{\\delta}_{2}} = \\begin{pmatrix} \\textcolor{${USED}}{${f4(dOut)}} \\end{pmatrix}`,
    `\\underset{1 \\times 2}{\\mathbf{A}_{1}^{\\top}} = \\begin{pmatrix} \\textcolor{${USED}}{${f4(h1)}} & ${f4(h2)} \\end{pmatrix}`,
    `\\underset{1 \\times 2}{\\mathbf{dW}_{2}} = \\boldsymbol{\\delta}_{2}\\,\\mathbf{A}_{1}^{\\top} = \\begin{pmatrix} \\colorbox{${ENTRY}}{$${f4(dOut * h1)}$} & ${f4(dOut * h2)} \\end{pmatrix}`,
    `\\begin{aligned} \\mathbf{dW}_{2}[0][0] &= \\textstyle\\sum_{c} \\boldsymbol{\\delta}_{2}[0][c]\\; \\mathbf{A}_{1}[0][c] \\\\ &= ${f4(dOut)} \\times ${f4(h1)} = \\colorbox{${ENTRY}}{$${f4(dOut * h1)}$} \\end{aligned}`,
  ].join(' \\\\\n'),
  '\\end{gathered}',
].join('\n');

/** The CLI's text format of the chain rule (`backprop explain … --param w5`), its lines for w5. */
const SCALAR_TEXT = [
  '∂L/∂w5   (w5 = W₂[0][0]: feeds z_out from a_h1; 1 path of 3 factors per example)',
  '  ∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w5',
  '         = (ŷ − y) · ŷ(1 − ŷ) · a_h1',
  `         = ${f4(o - 0.01)} × ${f4(o * (1 - o))} × ${f4(h1)}`,
  `         = ${f4(dOut * h1)}`,
  `  scalar total, float64: ${(dOut * h1).toPrecision(10)}`,
].join('\n');

/** What the stand-in KaTeX was given, block by block, and the element it typeset into. */
let typeset: { tex: string; into: FakeElement }[] = [];

const sections = (host: FakeElement) => ({ scalar: host.children[0], matrix: host.children[1] });
const bar = (section: FakeElement): FakeElement => {
  const found = section.children.filter((c) => c.className === 'explain-copy');
  expect(found).toHaveLength(1);
  return found[0];
};
const button = (b: FakeElement, label: string): FakeElement => {
  const found = b.children.find((c) => c.tagName === 'button' && c.textContent === label);
  if (!found) throw new Error(`no ${label} button in ${b.children.map((c) => c.textContent).join(', ')}`);
  return found;
};
const status = (b: FakeElement): FakeElement => b.children.find((c) => c.getAttribute('role') === 'status') as FakeElement;
/** The TeX typeset into a section's blocks (the matrix row's blocks are one level down), in page order. */
const texIn = (section: FakeElement): string[] => typeset.filter((t) => section.contains(t.into)).map((t) => t.tex);

async function explained(): Promise<FakeElement> {
  const { renderExplanation } = await import('../src/lab/explain-panel.ts');
  const host = new FakeElement('div');
  renderExplanation(host as unknown as HTMLElement, { spec: spec221, param: W(1, 0, 0), run: await cpuRun(spec221) });
  await vi.waitFor(() => expect(host.children.map((c) => c.className)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
  return host;
}

describe('Copy LaTeX and Copy text in the Notation tab', () => {
  let written: string[];
  let katex: typeof KatexModule.default;
  beforeEach(async () => {
    vi.resetModules();
    typeset = [];
    written = [];
    katex = (await vi.importActual<typeof KatexModule>('katex')).default;
    vi.doMock('katex', () => ({ default: { render: (tex: string, e: FakeElement) => { typeset.push({ tex, into: e }); e.textContent = tex; } } }));
    vi.stubGlobal('document', doc);
    vi.stubGlobal('navigator', { clipboard: { writeText: async (s: string) => { written.push(s); } } });
  });
  afterEach(() => {
    vi.doUnmock('katex');
    vi.unstubAllGlobals();
  });

  it("w5's chain rule: the clipboard gets the LaTeX the tab typeset, the lecture's by hand, and it compiles in KaTeX", async () => {
    const { scalar } = sections(await explained());
    const b = bar(scalar);
    expect(b.children.filter((c) => c.tagName === 'button').map((c) => c.textContent)).toEqual(['Copy LaTeX', 'Copy text']);
    button(b, 'Copy LaTeX').click();
    await vi.waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]).toBe(SCALAR_LATEX);
    expect(texIn(scalar)).toEqual([written[0]]);
    expect(() => katex.renderToString(written[0], { throwOnError: true, displayMode: true })).not.toThrow();
    await vi.waitFor(() => expect(status(b).textContent).toBe("Copied the LaTeX of ∂L/∂w5's chain rule"));
    // WCAG's label in name (2.5.3): the name starts with the visible words, so "click Copy LaTeX" (voice control) finds it.
    expect(button(b, 'Copy LaTeX').getAttribute('aria-label')).toBe("Copy LaTeX of ∂L/∂w5's chain rule");
    expect(button(b, 'Copy text').getAttribute('aria-label')).toBe("Copy text of ∂L/∂w5's chain rule");
  });

  it("w5's matrix form: the statement and the blocks the tab typeset, one display (gathered), compiling in KaTeX", async () => {
    const { matrix } = sections(await explained());
    const b = bar(matrix);
    expect(b.children.filter((c) => c.tagName === 'button').map((c) => c.textContent)).toEqual(['Copy LaTeX']);
    button(b, 'Copy LaTeX').click();
    await vi.waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]).toBe(MATRIX_LATEX);
    // What the tab typeset, its KaTeX-only colours (xcolor refuses #rrggbb) named as xcolor names them.
    const shown = `\\begin{gathered}\n${texIn(matrix).join(' \\\\\n')}\n\\end{gathered}`;
    expect(shown).toContain('\\textcolor{#7c3aed}');
    expect(written[0]).toBe(shown.replaceAll('\\textcolor{#7c3aed}', '\\textcolor{purple}').replaceAll('\\colorbox{#fde68a}', '\\colorbox{yellow}'));
    expect(written[0]).not.toContain('#');
    expect(() => katex.renderToString(written[0], { throwOnError: true, displayMode: true })).not.toThrow();
    await vi.waitFor(() => expect(status(b).textContent).toBe("Copied the LaTeX of ∂L/∂w5's matrix form"));
  });

  it("Copy text: the CLI's text format of w5's chain rule", async () => {
    const { scalar } = sections(await explained());
    const b = bar(scalar);
    button(b, 'Copy text').click();
    await vi.waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]).toBe(SCALAR_TEXT);
    await vi.waitFor(() => expect(status(b).textContent).toBe("Copied the text of ∂L/∂w5's chain rule"));
  });

  it.each([
    ['refused (writeText rejects)', { clipboard: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } }],
    ['absent (an http:// page: no navigator.clipboard)', {}],
    ['without writeText (a navigator.clipboard that cannot write text)', { clipboard: {} }],
  ])('a clipboard %s: the LaTeX in a read-only box, selected and focused, and the status line says Ctrl+C', async (_, nav) => {
    vi.stubGlobal('navigator', nav);
    const { scalar } = sections(await explained());
    const b = bar(scalar);
    button(b, 'Copy LaTeX').click();
    await vi.waitFor(() => expect(b.children.some((c) => c.tagName === 'textarea')).toBe(true));
    const box = b.children.find((c) => c.tagName === 'textarea') as FakeElement & { readOnly?: boolean };
    expect(box.value).toBe(SCALAR_LATEX);
    expect({ readOnly: box.readOnly, selected: box.wholeSelected, focused: box.focused }).toEqual({ readOnly: true, selected: true, focused: true });
    expect(status(b).textContent).toBe("Copying was refused here: the LaTeX of ∂L/∂w5's chain rule is selected in the box below — press Ctrl+C (⌘C on a Mac).");
    expect(box.getAttribute('aria-label')).toBe("The LaTeX of ∂L/∂w5's chain rule");
    // Copy text then puts the text in the same box, named for what it now holds (a screen reader reads the name).
    button(b, 'Copy text').click();
    await vi.waitFor(() => expect(box.value).toBe(SCALAR_TEXT));
    expect(b.children.filter((c) => c.tagName === 'textarea')).toHaveLength(1);
    expect(box.getAttribute('aria-label')).toBe("The text of ∂L/∂w5's chain rule");
    expect(status(b).textContent).toBe("Copying was refused here: the text of ∂L/∂w5's chain rule is selected in the box below — press Ctrl+C (⌘C on a Mac).");
  });

  it("a net whose notes call the loss J (lecture 004, its v1 = W[1][0][0]): the buttons and status lines say ∂J/∂v1, not ∂L", async () => {
    const { renderExplanation } = await import('../src/lab/explain-panel.ts');
    const spec = lecture('lecture-relu-exercise').worked.spec;
    const host = new FakeElement('div');
    renderExplanation(host as unknown as HTMLElement, { spec, param: W(1, 0, 0), run: await cpuRun(spec) });
    await vi.waitFor(() => expect(host.children.map((c) => c.className)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
    const { scalar, matrix } = sections(host);
    expect(button(bar(scalar), 'Copy text').getAttribute('aria-label')).toBe("Copy text of ∂J/∂v1's chain rule");
    button(bar(scalar), 'Copy LaTeX').click();
    await vi.waitFor(() => expect(status(bar(scalar)).textContent).toBe("Copied the LaTeX of ∂J/∂v1's chain rule"));
    button(bar(matrix), 'Copy LaTeX').click();
    await vi.waitFor(() => expect(status(bar(matrix)).textContent).toBe("Copied the LaTeX of ∂J/∂v1's matrix form"));
  });

  it('the copy bar (buttons, status line, the box) is left out of print: style.css hides .explain-copy under @media print', () => {
    const css = readFileSync(new URL('../src/lab/style.css', import.meta.url), 'utf8');
    const print = css.slice(css.indexOf('@media print'));
    const hidden = print.slice(0, print.indexOf('{ display: none !important; }'));
    const selectors = hidden.slice(hidden.lastIndexOf('}') + 1).split(',').map((x) => x.trim());
    expect(selectors).toContain('.explain-copy');
  });
});
