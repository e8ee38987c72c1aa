/**
 * The lab's stylesheet on a tablet (src/lab/style.css): found with puppeteer on an emulated iPad Pro 11 and Galaxy
 * Tab S4 — every element's computed touch-action was auto, so a quick second tap (Forward, then Loss; Step twice; w1
 * then w2 on the diagram) is a double-tap that iOS Safari takes as zoom. `manipulation` on the root keeps panning and
 * pinch-zoom (a student may still zoom the page: WCAG 1.4.4) and drops only the double-tap.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../src/lab/style.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

/** The declarations of the top-level rules whose selector is exactly `selector` (outside any @media). */
function topLevelRules(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    if (css[i] === '{') {
      if (depth === 0 && css.slice(start, i).trim() === selector) out.push(css.slice(i + 1, css.indexOf('}', i)));
      depth++;
    } else if (css[i] === '}') {
      depth--;
      if (depth === 0) start = i + 1;
    }
  }
  return out;
}

describe('touch-action in the lab stylesheet', () => {
  it('the root is manipulation, on every screen (outside any media query)', () => {
    const decls = topLevelRules(':root').join(';');
    expect(/(^|[;{\s])touch-action:\s*manipulation\s*(;|$)/.test(decls), decls).toBe(true);
  });

  it('nothing in the stylesheet turns panning or pinch-zoom off (none, pan-x or pan-y alone)', () => {
    const values = [...css.matchAll(/touch-action:\s*([^;}]+)/g)].map((m) => m[1].trim());
    expect(values).toEqual(['manipulation']);
  });
});
