/**
 * Printing the lab: a display formula wider than an A4 page's panel is scaled to it on beforeprint (src/lab/print.ts
 * fitFormulasForPrint → --print-scale, read only by style.css's @media print). Stand-ins for the formula boxes and
 * document.createRange give each formula's natural width. The page's room by hand: A4 is 210 mm wide, less 12 mm of
 * margin each side = 186 mm = 186 × 96 / 25.4 = 702.99 CSS px → 702, less the panel's padding and border (12 + 1 px
 * each side, 26) and the formula box's 2 px: 674 px.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitFormulasForPrint, PRINT_FORMULA_PX } from '../src/lab/print.ts';

interface Box { props: Map<string, string>; width: number; hasHtml: boolean }

function host(boxes: Box[]) {
  const els = boxes.map((b) => ({
    style: {
      setProperty: (name: string, value: string) => { b.props.set(name, value); },
      removeProperty: (name: string) => { b.props.delete(name); },
    },
    querySelector: (sel: string) => (sel === '.katex-html' && b.hasHtml ? { width: b.width } : null),
  }));
  return { querySelectorAll: (sel: string) => (sel === '.katex-display' ? els : []) } as unknown as ParentNode;
}

function box(width: number, hasHtml = true): Box {
  return { props: new Map(), width, hasHtml };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fitFormulasForPrint', () => {
  it('the room on an A4 page is 674 CSS px', () => {
    expect(PRINT_FORMULA_PX).toBe(674);
  });

  it('scales each formula wider than the room to it, leaves one that fits (and takes away a scale set before)', () => {
    let selected: { width: number } | undefined;
    vi.stubGlobal('document', {
      createRange: () => ({
        selectNodeContents: (n: { width: number }) => { selected = n; },
        getBoundingClientRect: () => ({ width: selected!.width }),
      }),
    });
    const wide = box(800);
    const fits = box(600);
    fits.props.set('--print-scale', '0.5000'); // from a print before, at another width
    const exact = box(674);
    const none = box(900, false); // no .katex-html: an error alert in its place
    expect(fitFormulasForPrint(host([none, wide, fits, exact]), 674)).toBe(1);
    // 674 / 800 = 0.8425.
    expect(wide.props.get('--print-scale')).toBe('0.8425');
    expect(fits.props.has('--print-scale')).toBe(false);
    expect(exact.props.has('--print-scale')).toBe(false);
    expect(none.props.size).toBe(0);
  });
});
