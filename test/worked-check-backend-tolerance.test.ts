/**
 * `check`'s tolerance (src/worked/check.ts): a printed value matches when |value − printed| ≤ ½·10^−decimals plus
 * the value source's own error, eps(v) (src/worked/sources.ts): 1e-12 + 1e-10·|v| on the scalar engine (float64, the
 * default), 1e-6 + 1e-5·|v| on a matrix backend (`--backend cpu|wasm|webgpu`: float32 against float64). README's
 * claim table said only "≤ ½·10^−decimals", so a student checking a hand-worked answer at 6 decimals on a backend was
 * told it matched when it was wrong: lecture 001's new w5 = 0.40 − 0.0001 × 0.0821670 = 0.3999918 (a float64 script
 * of the lecture's formulas), written 0.399995, is 3.2e-6 off — more than ½·10⁻⁶, within 1e-6 + 1e-5 × 0.4.
 *
 * Expected: new w5 = 0.3999917832959436 (float64 by hand, not the engine's); the tolerances from the formulas above.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { collectRuns } from '../src/worked/runs.ts';
import { matrixSource, scalarSource } from '../src/worked/sources.ts';
import { parseWorked } from '../src/worked/worked.ts';
import { Model } from '../src/index.ts';

const HAND_NEW_W5 = 0.3999917832959436;
const base = lecture('lecture-2-2-1').worked;
/** A student's answer for new w5 at 6 decimals, wrong in its 6th: 0.399995 (right: 0.399992). */
const mine = parseWorked({
  format: 'backprop-worked-example/1', id: 'mine', title: 'my homework', source: 'me', description: 'new w5 by hand',
  spec: base.spec, claims: [{ name: 'new w5', printed: 0.399995, decimals: 6 }],
});

describe("check's tolerance: the printed rounding plus the engine's own error", () => {
  it('the scalar engine (default): the wrong 0.399995 is wrong (tolerance ½·10⁻⁶ + 1e-12 + 1e-10 × 0.399995)', () => {
    const [c] = checkWorked(mine, (p) => scalarSource(p.engine)).checks;
    expect(Math.abs(c.value - HAND_NEW_W5)).toBeLessThan(1e-12);
    expect(c.tolerance).toBeCloseTo(0.5e-6 + 1e-12 + 1e-10 * 0.399995, 15);
    expect(c.matches).toBe(false);
  });

  it('the cpu backend: the same answer matches (tolerance ½·10⁻⁶ + 1e-6 + 1e-5 × 0.399995 = 5.5e-6)', async () => {
    const runs = await collectRuns((spec) => Model.create(spec, { backend: 'cpu' }), base.spec);
    const [c] = checkWorked(mine, () => matrixSource('cpu', base.spec, runs)).checks;
    expect(Math.abs(c.value - HAND_NEW_W5)).toBeLessThan(1e-7);
    expect(c.tolerance).toBeCloseTo(0.5e-6 + 1e-6 + 1e-5 * 0.399995, 12);
    expect(c.matches).toBe(true);
  });

  it("README's claim table says so: both eps formulas, and that hand work is checked on the default", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    // The row as rendered: a table cell writes its pipes \|.
    const row = readme.split('\n').find((l) => l.startsWith('| `printed`, `decimals` |'))?.replaceAll('\\|', '|');
    expect(row).toBeDefined();
    expect(row).toContain('1e-12 + 1e-10·|v|');
    expect(row).toContain('1e-6 + 1e-5·|v|');
    expect(row).toContain('0.399995');
  });
});
