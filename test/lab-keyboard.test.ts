/**
 * The lab's keyboard affordances (src/lab/keyboard.ts). The Preset menu on the keyboard (src/lab/keyboard.ts actOnSettledChange, wired in src/lab/main.ts): Chromium
 * fires 'change' on every ArrowDown in a closed <select>, and the lab loaded a preset at each — a screen-reader student
 * walking the list with the arrows loaded six presets to hear six names (usr56h). Now a walk loads on Enter or when
 * focus leaves the menu; a pick with the mouse (a change no key made) loads at once. Events are fired on a stand-in
 * element in the order Chromium fires them: keydown, (change, during the keydown), keyup.
 */
import { describe, expect, it } from 'vitest';
import { actOnSettledChange, decimalComma, enterPresses, movesChoice } from '../src/lab/keyboard.ts';
import { FakeElement } from './lib/fake-dom.ts';

function menu(): { sel: FakeElement; loaded: string[]; key(k: string, changeTo?: string): boolean } {
  const sel = new FakeElement('select');
  const loaded: string[] = [];
  actOnSettledChange(sel as unknown as HTMLSelectElement, (v) => loaded.push(v));
  // One key press: keydown, the change its default action makes (if it moves the choice), keyup.
  const key = (k: string, changeTo?: string): boolean => {
    const notPrevented = sel.dispatch('keydown', { key: k });
    if (changeTo !== undefined) {
      sel.value = changeTo;
      sel.dispatch('change');
    }
    sel.dispatch('keyup', { key: k });
    return notPrevented;
  };
  return { sel, loaded, key };
}

describe('the Preset menu walked with the keys', () => {
  it('six ArrowDowns load nothing; Enter loads the sixth once', () => {
    const m = menu();
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) m.key('ArrowDown', id);
    expect(m.loaded).toEqual([]);
    expect(m.key('Enter')).toBe(false); // Enter taken (preventDefault): it loaded
    expect(m.loaded).toEqual(['f']);
    // A second Enter has nothing pending: nothing loads again.
    expect(m.key('Enter')).toBe(true);
    expect(m.loaded).toEqual(['f']);
  });

  it('leaving the menu (Tab: blur) after a walk loads the choice; a blur with nothing walked loads nothing', () => {
    const m = menu();
    m.key('ArrowUp', 'x');
    m.key('End', 'z');
    m.sel.dispatch('blur');
    expect(m.loaded).toEqual(['z']);
    m.sel.dispatch('blur');
    expect(m.loaded).toEqual(['z']);
  });

  it('a pick with the mouse (a change no key made) loads at once, after a walk that changed nothing too', () => {
    const m = menu();
    m.sel.value = 'p';
    m.sel.dispatch('change');
    expect(m.loaded).toEqual(['p']);
    // An ArrowDown at the list's end moves nothing (no change); the mouse pick after its keyup is not the key's.
    m.key('ArrowDown');
    m.sel.value = 'q';
    m.sel.dispatch('change');
    expect(m.loaded).toEqual(['p', 'q']);
  });

  it('a typed letter walks too (type-ahead); Alt+ArrowDown (opening the list), Tab and Enter do not', () => {
    expect(movesChoice({ key: 'm' })).toBe(true);
    expect(movesChoice({ key: 'PageDown' })).toBe(true);
    expect(movesChoice({ key: 'ArrowDown', altKey: true })).toBe(false);
    expect(movesChoice({ key: 'Tab' })).toBe(false);
    expect(movesChoice({ key: ' ' })).toBe(false); // Space opens the list: its pick there loads at once
    expect(movesChoice({ key: 'Enter' })).toBe(false);
    const m = menu();
    m.key('m', 'mnist');
    expect(m.loaded).toEqual([]);
    m.key('Enter');
    expect(m.loaded).toEqual(['mnist']);
  });

  it('a walk back to the preset it started on loads nothing, on Enter or on leaving (it would start the net over)', () => {
    const m = menu();
    m.sel.value = 'lecture';
    m.key('ArrowDown', 'xor');
    m.key('ArrowUp', 'lecture');
    expect(m.key('Enter')).toBe(true); // not taken: nothing loaded
    m.key('ArrowDown', 'xor');
    m.key('ArrowUp', 'lecture');
    m.sel.dispatch('blur');
    expect(m.loaded).toEqual([]);
    // A walk that ends elsewhere still loads, once.
    m.key('ArrowDown', 'xor');
    m.sel.dispatch('blur');
    expect(m.loaded).toEqual(['xor']);
  });
});

describe('Enter in Steps or a Fit field presses Train or Fit (enterPresses)', () => {
  function field(disabled = false): { input: FakeElement; presses: () => number; button: { disabled: boolean; click(): void } } {
    const input = new FakeElement('input');
    let n = 0;
    const button = { disabled, click: () => { n++; } };
    enterPresses(input as unknown as HTMLInputElement, button);
    return { input, presses: () => n, button };
  }

  it('Enter presses the button once, its keydown default prevented (no keypress left to press Stop, where focus goes)', () => {
    const f = field();
    expect(f.input.dispatch('keydown', { key: 'Enter' })).toBe(false);
    expect(f.presses()).toBe(1);
  });

  it('a held Enter\'s auto-repeat, another key, and a disabled button (no net yet, or a run under way) press nothing', () => {
    const f = field();
    expect(f.input.dispatch('keydown', { key: 'Enter', repeat: true })).toBe(true);
    expect(f.input.dispatch('keydown', { key: '5' })).toBe(true);
    expect(f.presses()).toBe(0);
    const off = field(true);
    off.input.dispatch('keydown', { key: 'Enter' });
    expect(off.presses()).toBe(0);
    // Enabled again (the run ended): Enter presses it.
    off.button.disabled = false;
    off.input.dispatch('keydown', { key: 'Enter' });
    expect(off.presses()).toBe(1);
  });
});

describe('a comma typed into a learning rate (decimalComma)', () => {
  /** One beforeinput on a field of this type and step: what was inserted in its place, and whether it was prevented. */
  const typed = (type: string, step: string, data: string | null): { replaced: boolean; inserted: string[]; prevented: boolean } => {
    const inserted: string[] = [];
    let prevented = false;
    const replaced = decimalComma({ target: { type, step }, data, preventDefault: () => { prevented = true; } }, (t) => inserted.push(t));
    return { replaced, inserted, prevented };
  };

  it('in a number field that takes decimals (step any) a comma is written as a decimal point, typed or pasted', () => {
    expect(typed('number', 'any', ',')).toEqual({ replaced: true, inserted: ['.'], prevented: true });
    expect(typed('number', 'any', '0,05')).toEqual({ replaced: true, inserted: ['0.05'], prevented: true });
  });

  it('anything else is left to the browser: other keys, deletions, whole-number fields (a thousands comma), text fields', () => {
    const untouched = { replaced: false, inserted: [], prevented: false };
    expect(typed('number', 'any', '5')).toEqual(untouched);
    expect(typed('number', 'any', null)).toEqual(untouched);
    expect(typed('number', '1', ',')).toEqual(untouched);
    expect(typed('number', '', '1,000')).toEqual(untouched);
    expect(typed('text', 'any', ',')).toEqual(untouched);
  });
});
