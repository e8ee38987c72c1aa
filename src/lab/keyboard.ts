/**
 * The lab's keyboard affordances that are not a browser's own.
 *
 * A menu acted on when the student settles on a choice (the Preset menu): a pick with the mouse, a touch or the open
 * list's Enter acts at once, as its 'change' event; a walk through the CLOSED menu with the keys — Chromium fires
 * 'change' on every ArrowDown there, and loaded a preset at each — acts only on Enter, or when focus leaves the menu.
 * So a screen-reader student hears the presets one by one without loading each (WCAG 3.2.2, "On input").
 */

/** The part of an HTMLSelectElement used here (a stand-in DOM gives it in the tests). */
export interface SettlingSelect {
  readonly value: string;
  addEventListener(type: 'change' | 'keydown' | 'keyup' | 'blur', fn: (e: { key?: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; preventDefault(): void }) => void): void;
}

/**
 * Keys that move a closed menu's choice: the arrows, Home, End, Page Up / Down, and a typed letter (type-ahead). Not
 * Space, which opens the list (its keyup may go to the list, leaving a walk marked, and the list's pick then waited
 * for Enter or Tab: read56b).
 */
export function movesChoice(e: { key?: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean }): boolean {
  if (!e.key || e.altKey || e.ctrlKey || e.metaKey) return false;
  return ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(e.key) || (e.key.length === 1 && e.key !== ' ');
}

/**
 * Call `act(select.value)` when the choice settles: at once for a change that no key of the closed menu made; after a
 * key walk, on Enter or on leaving the menu (once, and only when the choice changed).
 */
export function actOnSettledChange(select: SettlingSelect, act: (value: string) => void): void {
  let walking = false;
  let pending = false;
  // The choice before the walk: a walk back to it (ArrowDown, ArrowUp) changed nothing, and loading it again would
  // start the net on the page over (its training lost).
  let before = select.value;
  select.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && pending) {
      pending = false;
      if (select.value === before) return;
      e.preventDefault();
      act(select.value);
      return;
    }
    walking = movesChoice(e);
    if (walking && !pending) before = select.value;
  });
  // The key's 'change' comes during its keydown: after its keyup a change is not the key's (an arrow at the list's end
  // changes nothing, and the mouse pick after it must act at once).
  select.addEventListener('keyup', () => { walking = false; });
  select.addEventListener('change', () => {
    if (walking) {
      walking = false;
      pending = true;
      return;
    }
    pending = false;
    act(select.value);
  });
  select.addEventListener('blur', () => {
    walking = false;
    if (!pending) return;
    pending = false;
    if (select.value !== before) act(select.value);
  });
}

/** The part of an input used by enterPresses (a stand-in DOM gives it in the tests). */
export interface EnterField {
  addEventListener(type: 'keydown', fn: (e: { key?: string; repeat?: boolean; preventDefault(): void }) => void): void;
}

/**
 * Enter in `field` presses `button` (Steps → Train; Fit's lr, batch and epochs → Fit), as Enter in a form's field
 * submits it — it did nothing there, while Enter in the editor applies and in Your data trains. Not when the button is
 * disabled, nor on a held Enter's auto-repeat. NOTE: the keydown's preventDefault also cancels its keypress, on which
 * Chromium clicks a focused button: the press moves the focus to Stop (main.ts run()), which that keypress would
 * otherwise press at once.
 */
export function enterPresses(field: EnterField, button: { disabled: boolean; click(): void }): void {
  field.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.repeat) return;
    e.preventDefault();
    if (!button.disabled) button.click();
  });
}

/** The part of a beforeinput event decimalCommas reads (a stand-in gives it in the tests). */
export interface TypedText {
  target: unknown;
  /** The text typed or pasted (an <input>'s paste gives it here too). */
  data: string | null;
  preventDefault(): void;
}

/**
 * A comma typed or pasted into a number field that takes decimals (step="any": the learning rates) is written as a
 * decimal point, by `insert` (the page's: document.execCommand('insertText'), which keeps the caret and the undo
 * history). NOTE: an English-language Chromium drops a comma typed into an <input type="number"> without a word: a
 * German student's lr "0,05" read 005, and Fit trained with lr 5 (a German-language Chromium reads it 0.05, as this
 * does). A learning rate has no thousands; a whole-number field (steps, batch, epochs) keeps the browser's reading,
 * where a comma is a thousands separator (10,000 steps). Returns whether the text was replaced.
 */
export function decimalComma(e: TypedText, insert: (text: string) => void): boolean {
  const field = e.target as { type?: unknown; step?: unknown } | null;
  if (field === null || typeof field !== 'object' || field.type !== 'number' || field.step !== 'any') return false;
  if (e.data === null || !e.data.includes(',')) return false;
  e.preventDefault();
  insert(e.data.replaceAll(',', '.'));
  return true;
}

/**
 * The on-screen keyboard a number field asks for (its inputmode): `decimal` where it takes decimals (step="any": the
 * learning rates), a number pad with the tablet's decimal separator (a German one's comma, which decimalComma reads
 * as the point), and `numeric`, digits only, for the whole-number fields (steps, batch, epochs, units, seed,
 * validation %: none below 0). NOTE: type="number" alone gave an iPad its full keyboard.
 */
export function inputModeFor(step: string | null | undefined): 'decimal' | 'numeric' {
  return step === 'any' ? 'decimal' : 'numeric';
}
