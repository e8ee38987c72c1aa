/**
 * A tap on a weight in the one column scrolls its chain rule into view (src/lab/chain-rule-scroll.ts), on a tablet
 * on its side too. Found on a Galaxy Tab S4 in landscape (1138 × 712, puppeteer's touch emulation): a tap on w1
 * selected it and the page stayed where it was, the chain rule ~1000 px below the screen — the one column on a
 * screen wider than tall draws its diagram in a box (style.css --diagram-fit: box), which the page took for the wide
 * workspace. The expected answers are the rule written out: scroll when one column and the block is not wholly
 * between the screen's top and its bottom less a pinned notice's height.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { revealChainRule, type ScrollBlock, type ScrollWindow } from '../src/lab/chain-rule-scroll.ts';

/** A window whose root has these custom properties (and every other element `--diagram-fit: box`: a landscape one column). */
function stand(rootProps: Record<string, string>, innerHeight: number, scrollPaddingBottom = 'auto'): ScrollWindow {
  return {
    innerHeight,
    getComputedStyle: (e) => ({
      getPropertyValue: (name) => (e === ROOT ? rootProps[name] ?? '' : name === '--diagram-fit' ? ' box' : ''),
      scrollPaddingBottom: e === ROOT ? scrollPaddingBottom : 'auto',
    }),
  };
}
const ROOT = {} as Element;

function block(top: number, bottom: number): ScrollBlock & { calls: ScrollIntoViewOptions[] } {
  const calls: ScrollIntoViewOptions[] = [];
  return { calls, getBoundingClientRect: () => ({ top, bottom }), scrollIntoView: (o) => void calls.push(o) };
}

describe('revealChainRule', () => {
  it('one column on a tablet on its side (712 px tall): the chain rule 1424–1822 px down is scrolled to, nearest, as asked', () => {
    const b = block(1424, 1822);
    expect(revealChainRule(ROOT, b, stand({ '--lab-columns': ' one' }, 712), 'smooth')).toBe(true);
    expect(b.calls).toEqual([{ block: 'nearest', behavior: 'smooth' }]);
  });

  it('the wide workspace (no --lab-columns) never scrolls, however far the block is', () => {
    const b = block(1424, 1822);
    expect(revealChainRule(ROOT, b, stand({}, 800), 'smooth')).toBe(false);
    expect(b.calls).toEqual([]);
  });

  it('one column, already on the screen: no scroll; above the screen or under a pinned notice: scrolled', () => {
    const w = stand({ '--lab-columns': 'one' }, 712);
    const on = block(100, 712);
    expect(revealChainRule(ROOT, on, w, 'instant')).toBe(false);
    const above = block(-20, 300);
    expect(revealChainRule(ROOT, above, w, 'instant')).toBe(true);
    expect(above.calls).toEqual([{ block: 'nearest', behavior: 'instant' }]);
    // A notice of 80 px pinned at the bottom: a block ending at 700 px has its last 68 px under it.
    const under = block(400, 700);
    expect(revealChainRule(ROOT, under, stand({ '--lab-columns': 'one' }, 712, '80px'), 'instant')).toBe(true);
    expect(revealChainRule(ROOT, block(400, 632), stand({ '--lab-columns': 'one' }, 712, '80px'), 'instant')).toBe(false);
  });

  it('style.css sets --lab-columns: one in the one column (the media query that stacks the regions), nowhere else', () => {
    const css = readFileSync(new URL('../src/lab/style.css', import.meta.url), 'utf8');
    const sets = [...css.matchAll(/--lab-columns:\s*([^;]+);/g)];
    expect(sets.map((m) => m[1].trim())).toEqual(['one']);
    // The block it is in: from the last @media before it to the end of that block (braces balanced).
    const at = sets[0].index!;
    const open = css.lastIndexOf('@media', at);
    let depth = 0;
    let end = css.indexOf('{', open);
    for (let i = end; i < css.length; i++) {
      if (css[i] === '{') depth++;
      if (css[i] === '}' && --depth === 0) { end = i; break; }
    }
    const media = css.slice(open, css.indexOf('{', open)).trim();
    expect(media).toBe('@media (max-width: 79.99em)');
    expect(end).toBeGreaterThan(at);
    expect(css.slice(open, end)).toContain("grid-template-areas: 'data' 'network' 'training' 'loss' 'output'");
  });
});
