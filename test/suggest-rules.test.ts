/**
 * "Did you mean" (src/suggest.ts suggest) at the edges of its stated rule: a guess within 2 edits (1 for a name of 4
 * letters or fewer) or a unique prefix of 2 letters or more, letter case aside; else none. Each expected value is worked
 * by hand below (edit distance with neighbour swaps counted as one edit), not taken from the code. A wrong guess here
 * is what a user reads as the key or flag they meant (review cmut54: each case was a surviving mutant).
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { characterCount, cutText, suggest } from '../src/suggest.ts';
import { validateSpec } from '../src/spec.ts';
import { thrown } from './lib/typed.ts';

describe('suggest: the stated bounds', () => {
  it('a name 2 letters longer than every known word, 2 insertions from one, is still guessed', () => {
    // 'epochsxx' → 'epochs': delete x, delete x = 2 edits; 8 letters (> 4) allow 2. Not "past every" word: 8 ≤ 6 + 2.
    expect(suggest('epochsxx', ['epochs', 'lr'])).toBe('epochs');
    // 3 longer is past the bound (9 > 6 + 2), and 3 edits anyway: no guess.
    expect(suggest('epochsxxx', ['epochs', 'lr'])).toBeUndefined();
  });

  it('a 4-letter name gets a guess 1 edit away, not 2', () => {
    // 'bise' → 'bias': b-i-s-e vs b-i-a-s, substitute s→a and e→s = 2 edits (no neighbour swap makes it 1): a name of
    // 4 letters allows 1, so no guess. 'bais' → 'bias' is one swap of neighbours: guessed.
    expect(suggest('bise', ['bias', 'units'])).toBeUndefined();
    expect(suggest('bais', ['bias', 'units'])).toBe('bias');
  });

  it('a prefix guesses only where one word has it; a one-letter name is no prefix', () => {
    // 'in' is a prefix of both 'inputs' and 'init': no word is meant more than the other; as edits, 'in' → 'init' is
    // 2 insertions (a 2-letter name allows 1), 'in' → 'inputs' 4: no guess.
    expect(suggest('in', ['inputs', 'init', 'loss'])).toBeUndefined();
    // 'inp' is a prefix of 'inputs' alone.
    expect(suggest('inp', ['inputs', 'init', 'loss'])).toBe('inputs');
    // 'e' is a prefix of 'epochs' alone, but one letter says nothing ('e' → 'epochs' is 5 insertions).
    expect(suggest('e', ['epochs', 'lr'])).toBeUndefined();
  });

  it('a spec key "in" is told the known keys, without a guess between inputs and init', () => {
    const spec = {
      inputs: 2, in: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
    };
    const err = thrown(() => validateSpec(spec));
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).field).toBe('in');
    expect((err as SpecError).message).not.toContain('did you mean');
  });
});

describe('cutText and characterCount: a surrogate pair is a high one then a low one', () => {
  it('two high surrogates in a row are two characters, not a pair: a cut after one keeps one unit', () => {
    const hh = '\ud83d\ud83dx'; // high, high, 'x': 3 code points (a lone surrogate is one)
    expect(characterCount(hh)).toBe(3);
    expect(cutText(hh, 1)).toBe('\ud83d…');
    // A real pair (😀 = U+1F600 = \ud83d\ude00) is one character, never cut in half.
    expect(characterCount('\ud83d\ude00x')).toBe(2);
    expect(cutText('\ud83d\ude00x', 1)).toBe('\ud83d\ude00…');
  });
});
