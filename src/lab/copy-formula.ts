/**
 * The Notation tab's Copy LaTeX and Copy text buttons, under each formula section (the chain rule, the matrix form):
 * selecting a KaTeX formula and copying it gives its HTML and MathML glyphs twice over ("∂\n𝐿\n∂\n𝑤\n5 … ∂w \n5\n​"),
 * and the LaTeX it was typeset from sat only in a MathML annotation no copy reaches. Copy LaTeX writes the exact
 * LaTeX the tab rendered (displayLatex of its blocks, src/notation/format.ts); Copy text the CLI's text format of the
 * chain rule (`backprop explain --format text`). The strings come from the notation code (explain-panel.ts's model);
 * this file only puts them on the clipboard.
 *
 * Where the clipboard is refused (no navigator.clipboard on an http:// page other than localhost, a denied
 * permission), the string is put in a read-only textarea, selected and focused, and the status line says to press
 * Ctrl+C. The status line (role="status") says what was copied, for screen readers too. The whole bar (.explain-copy)
 * is left out of print (style.css).
 */
import { announce } from './dom.ts';

/** One thing a button copies: its label ("LaTeX", "text") and the string, or what makes it at the press. */
export interface CopyItem {
  what: 'LaTeX' | 'text';
  value: string | (() => string);
}

const valueOf = (item: CopyItem): string => (typeof item.value === 'string' ? item.value : item.value());

/** The status line after a copy: "Copied the LaTeX of ∂L/∂w5's chain rule". */
export function copiedLine(item: CopyItem, of: string): string {
  return `Copied the ${item.what} of ${of}`;
}

/** The status line where the clipboard was refused and the string is selected in the box below. */
export function refusedLine(item: CopyItem, of: string): string {
  return `Copying was refused here: the ${item.what} of ${of} is selected in the box below — press Ctrl+C (⌘C on a Mac).`;
}

/** The clipboard's writeText where the page has one (a secure context), else undefined. */
function clipboardWrite(): ((s: string) => Promise<void>) | undefined {
  const clip = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
  return clip && typeof clip.writeText === 'function' ? (s) => clip.writeText(s) : undefined;
}

/** The class of copyBox's box (style.css styles it): the Notation tab's, and Copy share link's in a frame (file-actions.ts). */
export const COPY_BOX = 'explain-copy-box';

/** copyBox's box in `host` (a child of it), if there is one. */
export function shownBox(host: HTMLElement, className: string): HTMLTextAreaElement | undefined {
  return Array.from(host.children).find((c): c is HTMLTextAreaElement => c.tagName.toLowerCase() === 'textarea' && c.classList.contains(className));
}

/**
 * Where the clipboard is refused: `value` in a read-only textarea of class `className` in `host` (made there once, at
 * its end, then reused), named `label` for a screen reader, focused and selected for Ctrl+C. Also Copy share link's
 * in a frame (file-actions.ts).
 */
export function copyBox(host: HTMLElement, className: string, label: string, value: string): HTMLTextAreaElement {
  let box = shownBox(host, className);
  if (!box) {
    box = document.createElement('textarea');
    box.className = className;
    box.readOnly = true;
    host.append(box);
  }
  box.setAttribute('aria-label', label);
  box.value = value;
  box.focus();
  box.select();
  return box;
}

/**
 * A bar of buttons, one per item ("Copy LaTeX", "Copy text"), each named for `of` ("Copy LaTeX of ∂L/∂w5's chain
 * rule") for a screen reader, with a status line. Ordinary buttons: Tab reaches them, Enter and Space press them.
 */
export function copyBar(items: readonly CopyItem[], of: string): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'explain-copy';
  const status = document.createElement('p');
  status.className = 'explain-copied';
  status.setAttribute('role', 'status');
  const refused = (item: CopyItem): void => {
    copyBox(bar, COPY_BOX, `The ${item.what} of ${of}`, valueOf(item));
    announce(status, refusedLine(item, of));
  };
  for (const item of items) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `Copy ${item.what}`;
    // Its visible words first (WCAG's label in name): "click Copy LaTeX" by voice finds it.
    button.setAttribute('aria-label', `Copy ${item.what} of ${of}`);
    button.addEventListener('click', () => {
      const write = clipboardWrite();
      if (!write) return refused(item);
      write(valueOf(item)).then(() => announce(status, copiedLine(item, of)), () => refused(item));
    });
    bar.append(button);
  }
  bar.append(status);
  return bar;
}
