/**
 * Lines of prose on a big screen (wide61): the bench page (src/lab/bench.html) and the lab's tabs (src/lab/style.css)
 * filled the window's width, so at 2560 × 1440 and 3440 × 1440 (dpr 1), or 1920 × 1080 zoomed out to 67 %, a
 * paragraph was one line of 180–380 characters — the eye loses the next line's start. Readable prose is 45–100
 * characters a line; a `ch` is the width of a "0", wider than the average letter, so 90ch holds ~100 characters.
 * The rules are read from the stylesheets (top-level: no media query may limit them to some screens).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const uncomment = (css: string): string => css.replace(/\/\*[\s\S]*?\*\//g, '');

/** The max-width of each top-level rule (outside any @media) whose selector list has `selector` as one of its members. */
function topLevelMaxWidths(css: string, selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    if (css[i] === '{') {
      if (depth === 0) {
        const selectors = css.slice(start, i).split(',').map((s) => s.trim().replace(/\s+/g, ' '));
        const decls = css.slice(i + 1, css.indexOf('}', i));
        const m = decls.match(/(?:^|[;\s])max-width:\s*([^;}]+)/);
        if (m && selectors.includes(selector)) out.push(m[1].trim());
      }
      depth++;
    } else if (css[i] === '}') {
      depth--;
      if (depth === 0) start = i + 1;
    }
  }
  return out;
}

/** The cap in characters ('90ch' → 90), NaN when the width is not in ch (px or % would not follow the font). */
const chars = (width: string): number => (/^\d+(\.\d+)?ch$/.test(width) ? Number.parseFloat(width) : Number.NaN);

function expectCapped(css: string, selector: string): void {
  const widths = topLevelMaxWidths(css, selector);
  expect(widths, `${selector}: no top-level max-width`).toHaveLength(1);
  const n = chars(widths[0]);
  expect(n, `${selector}: max-width ${widths[0]}`).toBeGreaterThanOrEqual(45);
  expect(n, `${selector}: max-width ${widths[0]}`).toBeLessThanOrEqual(100);
}

describe('prose lines at most ~100 characters on a wide screen', () => {
  it('the bench page: its paragraphs and the configs\' help', () => {
    const html = readFileSync(new URL('../src/lab/bench.html', import.meta.url), 'utf8');
    const style = uncomment([...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n'));
    for (const selector of ['p', '#config-help li']) expectCapped(style, selector);
  });

  it('the lab: the regions\' lines (hint, training and device lines) and the tabs\' text (Notation, checks, files)', () => {
    const css = uncomment(readFileSync(new URL('../src/lab/style.css', import.meta.url), 'utf8'));
    for (const selector of ['.region > p', '.more p', '.more li']) expectCapped(css, selector);
  });
});
