/**
 * Printing the lab (style.css's @media print; README "Printing a handout"). On the screen a display formula wider
 * than its panel scrolls sideways; on paper what is past the page's edge is lost (MNIST's ∂L/∂w sum ran 175 px past
 * an A4 page, its last terms cut). So when the browser is about to print, each formula wider than a printed page's
 * panel is given the scale that fits it there (--print-scale, read only by the print stylesheet: the screen is
 * unchanged).
 */

/** CSS pixels a millimetre (96 to the inch). */
const PX_PER_MM = 96 / 25.4;

/**
 * The width a formula has on paper, in CSS px: A4 portrait (210 mm wide, the narrower of A4 and US Letter's 8.5 in)
 * less style.css's @page margins (12 mm each side), the panel's padding and border (12 + 1 px each side) and the
 * formula box's 2 px on the right. A wider page (US Letter, landscape) leaves room to spare.
 */
export const PRINT_FORMULA_PX = Math.floor((210 - 2 * 12) * PX_PER_MM) - 2 * (12 + 1) - 2;

/**
 * Give every KaTeX display formula in `host` wider than `room` (its natural width: the formula never wraps) the
 * scale that brings it to `room`, as --print-scale; a formula that fits has none. Formulas in a hidden tab measure 0
 * and are left alone (only the open tab prints). Returns how many were scaled.
 */
export function fitFormulasForPrint(host: ParentNode = document, room = PRINT_FORMULA_PX): number {
  let scaled = 0;
  for (const box of host.querySelectorAll<HTMLElement>('.katex-display')) {
    box.style.removeProperty('--print-scale');
    const html = box.querySelector('.katex-html');
    if (!html) continue;
    const range = document.createRange();
    range.selectNodeContents(html);
    const width = range.getBoundingClientRect().width;
    if (width > room) {
      box.style.setProperty('--print-scale', (room / width).toFixed(4));
      scaled++;
    }
  }
  return scaled;
}

/** Fit the formulas each time the browser prints (Ctrl+P, the menu's Print, window.print()). */
export function wirePrint(): void {
  window.addEventListener('beforeprint', () => fitFormulasForPrint());
}
