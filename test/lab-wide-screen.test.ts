/**
 * The lab's workspace on a big screen (src/lab/style.css, @media (min-width: 1920px) and (min-width: 80em): the wide
 * layout only, test/lab-layout-font.test.ts). Found with puppeteer (wide61):
 * at 2560 × 1440 the middle column took all the room the fixed 300 and 350 px side columns left — the diagram
 * 1846 × 984 px, its unit names 38 px tall — beside a decision boundary of 300 × 300 px and a loss curve 328 px wide
 * and 607 tall. Since then the Loss and Output column is clamp(350px, 22vw, 560px) there, and what the net learned as
 * wide as that column and at most 40vh. The widths are worked here from the rules' numbers by hand (22 % of 1920 is
 * 422.4 px; the Output region's 10 px padding and 1 px border a side leave 22 px less), as the page measured them:
 * 300 | 1157.6 | 422.4 at 1920 × 1080 with a 400 px boundary, 300 | 1660 | 560 at 2560 × 1440 with 538 px.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../src/lab/style.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

/** The declarations of `selector` inside the top-level block `@media <query>` (its text, '' when none). */
function inMedia(query: string, selector: string): string {
  const at = css.indexOf(`@media ${query} {`);
  if (at < 0) return '';
  let depth = 0;
  let end = at;
  for (let i = css.indexOf('{', at); i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) { end = i; break; }
  }
  const body = css.slice(css.indexOf('{', at) + 1, end);
  const rule = [...body.matchAll(/([^{}]+)\{([^}]*)\}/g)].find((m) => m[1].split(',').map((s) => s.trim()).includes(selector));
  return rule ? rule[2] : '';
}

const decl = (decls: string, prop: string): string => decls.match(new RegExp(`(?:^|[;\\s])${prop}:\\s*([^;]+)`))?.[1].trim() ?? '';

/** A CSS length of px, vw, vh and % (of `percentOf`) as px, for min(), max() and clamp() of such terms. */
function px(expr: string, vw: number, vh: number, percentOf: number): number {
  const term = (t: string): number => {
    // calc(<length> * a / b), the curve view's 4 : 3 of a height
    const calc = t.trim().match(/^calc\((.+) \* (\d+) \/ (\d+)\)$/);
    if (calc) return (term(calc[1]) * Number(calc[2])) / Number(calc[3]);
    const m = t.trim().match(/^(-?\d+(?:\.\d+)?)(px|vw|vh|%)$/);
    if (!m) throw new Error(`not a length: ${t}`);
    const n = Number(m[1]);
    return m[2] === 'px' ? n : m[2] === 'vw' ? (n * vw) / 100 : m[2] === 'vh' ? (n * vh) / 100 : (n * percentOf) / 100;
  };
  const fn = expr.trim().match(/^(min|max|clamp)\((.*)\)$/);
  if (!fn) return term(expr);
  const args = fn[2].split(/,(?![^(]*\))/).map((a) => px(a, vw, vh, percentOf));
  if (fn[1] === 'min') return Math.min(...args);
  if (fn[1] === 'max') return Math.max(...args);
  return Math.max(args[0], Math.min(args[1], args[2]));
}

/** A value's space-separated parts, a function's parentheses kept whole ('300px minmax(0, 1fr) …' → 3 parts). */
const tokens = (value: string): string[] => value.split(/\s(?![^(]*\))/);

const QUERY = '(min-width: 1920px) and (min-width: 80em)';

describe('the workspace on a big screen (1920 CSS px wide and more)', () => {
  const columns = decl(inMedia(QUERY, '.workspace'), 'grid-template-columns');
  /** The Loss and Output column's width at a window vw wide. */
  const outputColumn = (vw: number): number => px(tokens(columns)[2] ?? '0px', vw, 0, 0);

  it('the Data column stays 300 px, the middle takes the rest', () => {
    expect(tokens(columns).slice(0, 2)).toEqual(['300px', 'minmax(0, 1fr)']);
  });

  it('the Loss and Output column: 422.4 px at 1920, 560 at 2560 and at 3440 (its most), never under the 350 px of 1280', () => {
    expect(outputColumn(1920)).toBeCloseTo(422.4, 6);
    expect(outputColumn(2560)).toBe(560);
    expect(outputColumn(3440)).toBe(560);
    expect(outputColumn(1500)).toBe(350);
  });

  it('the decision boundary fills that column (less 22 px), at most 40 % of the height: 400.4 px at 1920 × 1080, 538 at 2560 × 1440, 320 at 1920 × 800', () => {
    const width = decl(inMedia(QUERY, '#boundary'), 'width');
    const at = (vw: number, vh: number): number => px(width, vw, vh, outputColumn(vw) - 22);
    expect(at(1920, 1080)).toBeCloseTo(400.4, 6);
    expect(at(2560, 1440)).toBe(538);
    expect(at(1920, 800)).toBe(320);
    // The regression's plot as the boundary; its curve view 4 : 3, as tall as the square at most (40vh).
    expect(decl(inMedia(QUERY, '#fit-plot'), 'width')).toBe(width);
    const curve = decl(inMedia(QUERY, "#fit-plot[data-view='curve']"), 'width');
    expect(px(curve, 2560, 1440, 538)).toBe(538);
    // 1920 × 900: the column leaves 400.4 px; 4 : 3 of 40vh (360 px tall) is 480 wide, so the width is 400.4 and the height 300.3.
    expect(px(curve, 1920, 900, outputColumn(1920) - 22)).toBeCloseTo(400.4, 6);
    // 2560 × 900: the column leaves 538 px, 40vh is 360 px tall: 480 × 360.
    expect(px(curve, 2560, 900, 538)).toBeCloseTo(480, 6);
  });
});
