/**
 * The workspace's columns agree with its areas at every window width and default font size (src/lab/style.css). The
 * one-column break is 80 em (spacing62: a 24 px default font stacks the regions at 1920 px as a zoom does), and the
 * big-screen rule is 1920 px; with a default font above 24 px (Firefox's or Chrome's custom font size: 32 px puts
 * 80 em at 2560 px) both matched from 1920 px up, and the big screen's three columns, coming later, won over the one
 * column's one: the regions, placed by the one column's areas, all went into the first column, 300 px wide, the
 * rest of a 2000 px window empty (measured in headless Chromium with Page.setFontSizes: 300 | 1228 | 440). Worked
 * here from the rules by reading each media query for the window (test/lib/css-cascade.ts), not by running the page.
 */
import { describe, expect, it } from 'vitest';
import { cascaded, labCss, matches, rulesOf, type Screen } from './lib/css-cascade.ts';

const rules = rulesOf(labCss());

/** A grid-template-columns value's tracks ('300px minmax(0, 1fr) 350px' → 3). */
const tracks = (value: string): number => value.trim().split(/\s+(?![^(]*\))/).length;
/** A grid-template-areas value's columns: the words of its first row ("'data network loss' …" → 3). */
const areaColumns = (value: string): number => (value.match(/'([^']*)'|"([^"]*)"/)?.slice(1).find((r) => r !== undefined) ?? '').trim().split(/\s+/).length;

const widths = [320, 390, 768, 1024, 1279, 1280, 1366, 1600, 1919, 1920, 2000, 2239, 2240, 2400, 2559, 2560, 3000, 3440, 3840];
const fonts = [16, 20, 24, 28, 32, 40];
const screens: Screen[] = widths.flatMap((width) => fonts.flatMap((fontPx) => [800, 1440].map((height) => ({ width, height, fontPx }))));

describe('the media query reader (test/lib/css-cascade.ts)', () => {
  it('reads em as the default font and px as they are', () => {
    expect(matches('(max-width: 79.99em)', { width: 1279, height: 800, fontPx: 16 })).toBe(true);
    expect(matches('(max-width: 79.99em)', { width: 1280, height: 800, fontPx: 16 })).toBe(false);
    expect(matches('(max-width: 79.99em)', { width: 1919, height: 800, fontPx: 24 })).toBe(true);
    expect(matches('not all and (max-width: 79.99em)', { width: 1920, height: 800, fontPx: 24 })).toBe(true);
    expect(matches('(min-width: 1920px)', { width: 1920, height: 800, fontPx: 32 })).toBe(true);
    expect(matches('screen and (prefers-color-scheme: dark)', { width: 1920, height: 800, fontPx: 16 })).toBe(false);
    expect(() => matches('(hover: hover)', { width: 1, height: 1, fontPx: 16 })).toThrow(/hover/);
  });
});

describe('the workspace: as many columns as its areas have, at every width and default font size', () => {
  it('each of 19 widths × 6 font sizes × 2 heights: grid-template-columns has the areas\' columns', () => {
    const wrong: string[] = [];
    for (const s of screens) {
      const columns = cascaded(rules, '.workspace', 'grid-template-columns', s)!;
      const areas = cascaded(rules, '.workspace', 'grid-template-areas', s)!;
      if (tracks(columns) !== areaColumns(areas)) wrong.push(`${s.width} × ${s.height} at ${s.fontPx} px: ${columns} for ${areas}`);
    }
    expect(wrong).toEqual([]);
  });

  it("one column exactly where the root says so (--lab-columns: one, which chain-rule-scroll.ts reads), and at 80 em", () => {
    for (const s of screens) {
      const one = cascaded(rules, ':root', '--lab-columns', s) === 'one';
      const areas = cascaded(rules, '.workspace', 'grid-template-areas', s)!;
      expect(areaColumns(areas) === 1, `${s.width} px at ${s.fontPx} px`).toBe(one);
      // Under 80 em of the default font, one column; at 80 em and more, three.
      expect(one, `${s.width} px at ${s.fontPx} px`).toBe(s.width < 80 * s.fontPx);
    }
  });

  it("the big screen's side column, 22vw up to 560 px, only in the wide layout: at 2000 px with a 32 px font the regions take the window in one column", () => {
    expect(cascaded(rules, '.workspace', 'grid-template-columns', { width: 2000, height: 1080, fontPx: 32 })).toBe('minmax(0, 1fr)');
    expect(cascaded(rules, '.workspace', 'grid-template-columns', { width: 2000, height: 1080, fontPx: 16 })).toMatch(/^300px minmax\(0, 1fr\) clamp\(/);
    expect(cascaded(rules, '.workspace', 'grid-template-columns', { width: 1920, height: 1080, fontPx: 24 })).toMatch(/^300px minmax\(0, 1fr\) clamp\(/);
  });
});
