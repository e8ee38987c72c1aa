/**
 * After a tap or click on a weight or bias in the one column (a phone, a tablet either way up, a window under
 * 1280 px), its chain rule — far below the diagram, under the workspace — is scrolled into view when it is not in
 * view (the student tapped and saw nothing happen), in view meaning above a notice pinned to the screen's bottom too
 * (the root's scroll-padding-bottom, style.css): just far enough (block 'nearest'). Not in the wide workspace, one
 * screen with the tabs under it, nor after Enter/Space (views.ts calls this for a pointer only): a keyboard user
 * exploring the diagram stays on it.
 *
 * The layout is the root's `--lab-columns` (style.css sets it to `one` in the one column's media query). NOTE: this
 * read the diagram's --diagram-fit, and took `box` for the wide workspace; but a one column wider than tall (a tablet
 * on its side: iPad Mini 1024 × 768, Galaxy Tab S4 1138 × 712, iPad Pro 11 1194 × 834) draws its diagram in a box too,
 * and there a tap on w1 selected it while its chain rule stayed ~1000 px below the screen, the page unmoved.
 */

/** The parts of the page's window this reads (a stand-in gives them in the tests). */
export interface ScrollWindow {
  innerHeight: number;
  getComputedStyle(e: Element): { getPropertyValue(name: string): string; scrollPaddingBottom: string };
}

/** What is scrolled into view: the chain rule's block. */
export interface ScrollBlock {
  getBoundingClientRect(): { top: number; bottom: number };
  scrollIntoView(options: ScrollIntoViewOptions): void;
}

/** Scroll `block` into view if the page is one column and it is not on the screen; returns whether it scrolled. */
export function revealChainRule(root: Element, block: ScrollBlock, win: ScrollWindow, behavior: ScrollBehavior): boolean {
  const style = win.getComputedStyle(root);
  if (style.getPropertyValue('--lab-columns').trim() !== 'one') return false;
  const r = block.getBoundingClientRect();
  // The screen less the root's scroll-padding-bottom ('auto' without a pinned notice): the notice covers that much.
  const covered = parseFloat(style.scrollPaddingBottom) || 0;
  if (r.top >= 0 && r.bottom <= win.innerHeight - covered) return false;
  block.scrollIntoView({ block: 'nearest', behavior });
  return true;
}
