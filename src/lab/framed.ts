/**
 * The lab inside another page: an instructor's `<iframe src="https://host/lab/">` on a course page (Moodle, Canvas)
 * of another origin. No DOM beyond `window.self` / `window.top` (test/lab-framed.test.ts).
 *
 * In a frame the browser's address bar is the course page's, and two things the lab asks of the browser are the
 * course page's to give (README "Embedding the lab in a course page (LMS)"): cross-origin isolation (wasm threads) only
 * when the course page is isolated itself and its iframe says `allow="cross-origin-isolated"` — the lab's own
 * COOP/COEP headers do not make a frame isolated —, and the clipboard only with `allow="clipboard-write"`.
 */

/** The parts of a window this reads (a stand-in gives them in the tests). */
export interface FrameWindow {
  readonly self: unknown;
  readonly top: unknown;
}

/**
 * Whether the page is shown inside another (a frame), not in a tab of its own. Reading `top` of a cross-origin
 * parent is allowed, but a browser that throws on it is taken as framed (it throws only for a frame). Node (no
 * window): false.
 */
export function isFramed(w: FrameWindow | undefined = typeof window === 'undefined' ? undefined : window): boolean {
  if (!w) return false;
  try {
    return w.self !== w.top;
  } catch {
    return true;
  }
}

/**
 * The line under Copy share link once the link is made: `copied` whether the clipboard took it; `framed` the lab in a
 * frame (isFramed), where the address bar is the course page's and the link is in no place the user can see — there,
 * refused, the link is in the selected box under the line (file-actions.ts, copy-formula.ts copyBox). `leftOut`:
 * files.ts shareLink's note of a worked example left out ('' when none).
 */
export function shareLine(copied: boolean, framed: boolean, leftOut: string): string {
  const tail = leftOut ? ` ${leftOut}` : '';
  if (!framed) return copied ? `Link copied; it is also in the address bar.${tail}` : `The link is in the address bar (the clipboard is not available here).${tail}`;
  return copied
    ? `Link copied: it opens the lab in a tab of its own.${tail}`
    : `Copying was refused (the page around the lab does not allow the clipboard to it): the link is selected in the box below — press Ctrl+C (⌘C on a Mac).${tail}`;
}
