/**
 * The Network region's selection line (#selection-out, role="status", visually hidden; src/lab/views.ts writes it on
 * every selection): a screen-reader user pressing Enter on the weight already selected heard nothing — no line said
 * what was selected, and one rewritten with the same words is not a change to announce. dom.ts announce writes the
 * same words so that they are a change (a no-break space after them, every other time); words.ts selectionLine says
 * what is selected and where its chain rule is (the page's hint: "its chain rule is under Notation").
 */
import { describe, expect, it } from 'vitest';
import { announce, writeText } from '../src/lab/dom.ts';
import { selectionLine } from '../src/lab/words.ts';
import { FakeElement } from './lib/fake-dom.ts';

describe('the selection line', () => {
  it('names the parameter and where its chain rule is', () => {
    expect(selectionLine('w5')).toBe('w5 selected: its chain rule is under Notation.');
    expect(selectionLine('b²₁')).toBe('b²₁ selected: its chain rule is under Notation.');
  });

  it('Enter on w5, then Enter on w5 again, then again: the line changes every time, and says the same words', () => {
    const out = new FakeElement('p');
    const said: (string | null)[] = [];
    for (let k = 0; k < 3; k++) {
      announce(out, selectionLine('w5'));
      said.push(out.textContent);
    }
    // Each write differs from the one before it (a change a screen reader reads), in words the same line.
    expect(said[1]).not.toBe(said[0]);
    expect(said[2]).not.toBe(said[1]);
    for (const s of said) expect(s?.trim()).toBe('w5 selected: its chain rule is under Notation.');
  });

  it('another parameter: its words, as given', () => {
    const out = new FakeElement('p');
    announce(out, selectionLine('w5'));
    announce(out, selectionLine('w5'));
    announce(out, selectionLine('w6'));
    expect(out.textContent).toBe('w6 selected: its chain rule is under Notation.');
  });

  it('writeText (the badge\'s) is the opposite: the same words leave the line as it was', () => {
    const out = new FakeElement('p');
    writeText(out as unknown as HTMLElement, 'w5 selected: its chain rule is under Notation.');
    const before = out.textContent;
    writeText(out as unknown as HTMLElement, 'w5 selected: its chain rule is under Notation.');
    expect(out.textContent).toBe(before);
  });
});
