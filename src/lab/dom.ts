/** The lab page's element lookup, a canvas as a PNG, how it scrolls something into view, and how a control is marked invalid. */

/** The element with this id, or an Error naming the id the page lacks. */
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
};

/** `canvas`'s pixels as a PNG file (toBlob copies them when called): the Loss curve PNG's and the Output PNG's. */
export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'));
}

/** How the page scrolls what it brings into view: smoothly, or at once when the user prefers reduced motion. */
export const scrollMotion = (): ScrollBehavior => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'instant' : 'smooth');

/**
 * Write `text` into `e`, unless it already says it. NOTE: a live region (role="status", aria-live) whose text is
 * rewritten with the same words is read again by a screen reader: the device badge, redrawn after every action,
 * said "Training on wasm: …" after each Step, Train and Fit.
 */
export function writeText(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** What announce puts after words a live region already says (a no-break space): the lab's and the bench page's (bench/page/voice.ts). */
export const AGAIN = '\u00a0';

/**
 * Write `text` into live region `e` so that a screen reader reads it every time, the same words again too: where it
 * already says them, they are written with a no-break space after (and the next time without), a change the reader
 * announces. writeText is for the opposite (a line redrawn with the same words is not to be read again); this is for a
 * line that answers a key: Enter on the weight already selected heard nothing (its line said the same).
 */
export function announce(e: { textContent: string | null }, text: string): void {
  e.textContent = e.textContent === text ? `${text}${AGAIN}` : text;
}

/**
 * Mark `e` invalid and described by the message in `describedBy` (aria-invalid, aria-describedby), or, with null,
 * unmark it: the Your data dialog's controls (import-panel.ts) and the field an action's error names (device-panel.ts).
 */
export function markInvalid(e: Element, describedBy: string | null): void {
  if (describedBy === null) {
    e.removeAttribute('aria-invalid');
    e.removeAttribute('aria-describedby');
    return;
  }
  e.setAttribute('aria-invalid', 'true');
  e.setAttribute('aria-describedby', describedBy);
}

/**
 * Resolves once what was written before it has been painted: the next animation frame, then a task (a frame's
 * callbacks run before its paint). A line that says what a long synchronous step does is written, then this awaited,
 * then the step run: without it the page sat frozen on the words it had before.
 */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * afterPaint, or `ms` later if no frame comes first: a page that is not on screen (a background tab, a window under
 * another) paints no frame, and an action that waited for one did not start until it was shown again (its Stop
 * could not end it either). The browser may stretch the timer there (about 1 s in a background tab).
 */
export function afterPaintOrLater(ms = 100): Promise<void> {
  return Promise.race([afterPaint(), new Promise<void>((resolve) => setTimeout(resolve, ms))]);
}

/** A table row: cell `head` (the first by default) is the row's header (th scope=row), the others data cells. */
export function fillRow(tr: HTMLTableRowElement, cells: string[], head = 0): void {
  cells.forEach((text, k) => {
    const cell = document.createElement(k === head ? 'th' : 'td');
    if (k === head) cell.setAttribute('scope', 'row');
    cell.textContent = text;
    tr.append(cell);
  });
}

/** An element of `tag` with class `cls` and text `text` (the Notation tab's pieces: explain-panel.ts, numeric-check.ts). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A <p role="alert" class="explain-error"> with `message`: the Notation tab's errors. */
export function alertEl(message: string): HTMLParagraphElement {
  const p = el('p', 'explain-error', message);
  p.setAttribute('role', 'alert');
  return p;
}
