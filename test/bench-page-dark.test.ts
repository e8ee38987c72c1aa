/**
 * The bench page (src/lab/bench.html) in the dark scheme is as readable as the lab's: every text colour at least 4.5:1
 * on what it is written on (WCAG 1.4.3), and the table's borders, a failed row's shading and the controls' accent
 * (a ticked box, the progress bar's value) at least 3:1 on the page (WCAG 1.4.11). The colours are read from the
 * `@media screen and (prefers-color-scheme: dark)` block of the page's inline <style>; the ratio is WCAG 2.2's, worked
 * in float64 from its definitions (test/lib/wcag.ts, checked by test/lab-dark-contrast.test.ts: black on white 21:1).
 * The charts keep their light drawing (the downloadable SVGs, white): they sit on a white card.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrast, darkRulesOf, get } from './lib/wcag.ts';

const html = readFileSync(new URL('../src/lab/bench.html', import.meta.url), 'utf8');
/** The page's inline style sheets' text (the <noscript> one and the page's own). */
const sheets = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
const DARK = '@media screen and (prefers-color-scheme: dark)';
const sheet = sheets.find((s) => s.includes(DARK)) ?? '';

describe("bench.html's dark block: text 4.5:1, borders, shading and accent 3:1", () => {
  const rules = darkRulesOf(sheet, 'bench.html');
  const page = get(rules, 'body', 'background');
  const env = get(rules, '#env', 'background');
  const bad = get(rules, 'tr.bad td, tr.bad th', 'background');
  const text: [string, string, string][] = [
    ['text on the page', get(rules, 'body', 'color'), page],
    // #env sets no colour of its own: the page's text.
    ['the environment line', get(rules, 'body', 'color'), env],
    ["a table's note", get(rules, '#table .note, #targets .note', 'color'), page],
    ['a link on the page', get(rules, 'a', 'color'), page],
    ["a failed row's text", get(rules, 'tr.bad td, tr.bad th', 'color'), bad],
    ['the error', get(rules, '#error', 'color'), get(rules, '#error', 'background')],
  ];
  for (const [what, fg, bg] of text) {
    it(`${what}: ${fg} on ${bg} ≥ 4.5:1`, () => expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5));
  }
  const parts: [string, string][] = [
    ["a table cell's border", get(rules, 'th, td', 'border-color')],
    ["a fieldset's border", get(rules, 'fieldset', 'border-color')],
    ["a failed row's shading", bad],
    ["the controls' accent (a ticked box, the progress bar)", get(rules, 'progress, input', 'accent-color')],
  ];
  for (const [what, c] of parts) {
    it(`${what}: ${c} on the page (${page}) ≥ 3:1`, () => expect(contrast(c, page)).toBeGreaterThanOrEqual(3));
  }
  it('the page is dark (its text light): not the light scheme again', () => {
    // Below 0.05 relative luminance: #111827 is 0.0098, the light scheme's white 1.
    expect(contrast(page, '#000000')).toBeLessThan(2);
    expect(contrast(get(rules, 'body', 'color'), '#ffffff')).toBeLessThan(2);
  });
  it('the charts (drawn light, white) on a white card with room around them', () => {
    expect(contrast(get(rules, '#chart svg', 'background'), '#ffffff')).toBe(1);
    expect(parseFloat(get(rules, '#chart svg', 'padding'))).toBeGreaterThan(0);
  });
});

describe("bench.html's schemes", () => {
  const css = sheet.replace(/\/\*[\s\S]*?\*\//g, '');
  it('one dark block, screen only (a printout stays light)', () => {
    expect(sheets.filter((s) => s.includes('prefers-color-scheme'))).toHaveLength(1);
    expect(css.match(/prefers-color-scheme/g)).toHaveLength(1);
  });
  it('the form controls and the canvas follow the scheme (color-scheme: light dark), light in print', () => {
    expect(css).toMatch(/(^|\})\s*:root\s*\{\s*color-scheme:\s*light dark;?\s*\}/);
    expect(css).toMatch(/@media print\s*\{\s*:root\s*\{\s*color-scheme:\s*light;?\s*\}\s*\}/);
  });
});
