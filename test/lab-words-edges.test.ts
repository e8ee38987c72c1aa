/**
 * Edges of the lab's sentences (src/lab/words.ts), a field's error (src/lab/fields.ts) and an edited net's name
 * (src/lab/editor.ts editedName) that the other lab tests leave open. Expected sentences written by hand from the
 * functions' documented wording.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { editedName } from '../src/lab/editor.ts';
import { readNumber } from '../src/lab/fields.ts';
import { claimRows, errorLine, lectureDiffers, OPTIMISER_LABELS } from '../src/lab/words.ts';
import { checkWorked } from '../src/worked/check.ts';
import { worked } from './lib/lab-nets.ts';

describe('lectureDiffers: the differences listed', () => {
  it('none: the net is not the lecture\'s own', () => {
    expect(lectureDiffers([])).toBe("is not the lecture's own net");
  });

  it('three are listed whole ("a, b and c"); a fourth is counted', () => {
    expect(lectureDiffers(['its data', 'its loss', 'its weights'])).toBe("differs from the lecture's in its data, its loss and its weights");
    expect(lectureDiffers(['its data', 'its loss', 'its weights', 'its layers'])).toBe("differs from the lecture's in its data, its loss, its weights and 1 more");
  });
});

describe('errorLine: the sentence after the message', () => {
  it('a message that ends with a full stop gets no second one before `then`', () => {
    expect(errorLine('Fit', new Error('the device was lost.'), 'The page is on the CPU.')).toBe('Fit failed — the device was lost. The page is on the CPU.');
    expect(errorLine('Fit', new Error('the device was lost'), 'The page is on the CPU.')).toBe('Fit failed — the device was lost. The page is on the CPU.');
  });
});

describe('claimRows: a claim about one example names it as the lecture counts, from 1', () => {
  it('example index 1 is "(example 2)"', () => {
    const c = checkWorked(worked).checks[0];
    expect(claimRows([{ ...c, example: 1 }])[0][1]).toBe(`${c.claim.name} (example 2)`);
    expect(claimRows([{ ...c, example: 0 }])[0][1]).toBe(`${c.claim.name} (example 1)`);
  });
});

describe('the optimisers as the Fit menu and line name them', () => {
  it('SGD, momentum, Adam, AdamW (the published names; "adam" was the spec\'s id under a menu reading "Adam")', () => {
    expect(OPTIMISER_LABELS).toEqual({ sgd: 'SGD', momentum: 'momentum', adam: 'Adam', adamw: 'AdamW' });
  });
});

describe('readNumber quotes the field as typed', () => {
  it("' 1e ' (a text field): the message shows it with its spaces", () => {
    let err: unknown;
    try {
      readNumber(' 1e ', 'lr');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).message).toBe("lr: must be a number, got ' 1e '");
  });
});

describe('editedName: the same shapes keep any name', () => {
  it('a name without sizes at its end is kept when the shapes did not change', () => {
    expect(editedName('my net', '2-4-1', '2-4-1')).toBe('my net');
    expect(editedName('my net', '2-4-1', '2-5-1')).toBe('my net (2-5-1)');
  });
});
