/**
 * The net editor's Apply in Node (src/lab/editor.ts NetEditor, on the stand-in DOM of test/lib/fake-dom.ts): which
 * fields it reads and under which names an empty one is refused, when it keeps the weights and when it draws new ones
 * (README: "The editor changes layers, activations, bias mode, loss, reduction, learning rate, batch size and seed …
 * a bad value gives its typed error naming the field"). Expected specs are written out by hand from the lecture's
 * 2-2-1 net (lecture-2-2-1.worked.json: layer 1 has one shared bias, its own notation, params, lr 0.0001).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { NetEditor, type EditorValue } from '../src/lab/editor.ts';
import type { RowsSpec } from '../src/spec.ts';
import { FakeElement, fakeDocument } from './lib/fake-dom.ts';
import { worked } from './lib/lab-nets.ts';

interface Editing {
  form: FakeElement;
  field(id: string): FakeElement;
  /** Apply (the form's submit); the edit as onApply got it, read when called. */
  apply(): () => EditorValue;
  reinit(): () => EditorValue;
}

function editing(spec: RowsSpec, batchSize = 1, examples = 1, seed?: number): Editing {
  const form = new FakeElement('form');
  let got: (() => EditorValue) | undefined;
  const editor = new NetEditor(form as unknown as HTMLFormElement, (value) => { got = value; });
  editor.show(spec, batchSize, examples, seed);
  const take = (): (() => EditorValue) => {
    if (!got) throw new Error('onApply was not called');
    const v = got;
    got = undefined;
    return v;
  };
  const field = (id: string): FakeElement => {
    const e = form.byId(id);
    if (!e) throw new Error(`the editor has no #${id}`);
    return e;
  };
  return {
    form,
    field,
    apply: () => {
      form.dispatch('submit');
      return take();
    },
    reinit: () => {
      field('editor-reinit').click();
      return take();
    },
  };
}

const fieldError = (read: () => unknown): SpecError => {
  try {
    read();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('no SpecError');
};

const lecture = (): RowsSpec => structuredClone(worked.spec);

beforeEach(() => {
  vi.stubGlobal('document', fakeDocument);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the net editor: Apply keeps the weights or draws them again', () => {
  it('nothing changed: the same net, its params, notation and name kept, no init', () => {
    const spec = lecture();
    const { spec: next, batchSize } = editing(spec).apply()();
    expect(batchSize).toBe(1);
    expect(next.params).toEqual({ W: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], b: [0.35, [0.6]] });
    expect(next.init).toBeUndefined();
    expect(next.name).toBe('lecture-2-2-1');
    expect(next.notation).toEqual(spec.notation);
    expect(next.lr).toBe(0.0001);
  });

  it('a seed typed other than the one shown draws that seed\'s weights (Xavier), the params dropped', () => {
    const e = editing(lecture());
    e.field('seed').value = '5';
    const { spec: next } = e.apply()();
    expect(next.params).toBeUndefined();
    expect(next.init).toEqual({ scheme: 'xavier', seed: 5 });
  });

  it('Re-initialise with the same shapes and seed draws the weights again, the seed shown', () => {
    const { spec: next } = editing(lecture(), 1, 1, 3).reinit()();
    expect(next.params).toBeUndefined();
    expect(next.init).toEqual({ scheme: 'xavier', seed: 3 });
    // The shapes are the lecture's: its names still fit.
    expect(next.name).toBe('lecture-2-2-1');
    expect(next.notation).toEqual(worked.spec.notation);
  });

  it('Re-initialise keeps the scheme the net was drawn with (He stays He)', () => {
    const { params: _, ...rest } = lecture();
    const he: RowsSpec = { ...rest, init: { scheme: 'he', seed: 9 } };
    const { spec: next } = editing(he, 1, 1, 9).reinit()();
    expect(next.init).toEqual({ scheme: 'he', seed: 9 });
  });

  it('another bias mode, same units: other shapes (one shared bias → two), so new weights and the default names', () => {
    const e = editing(lecture());
    e.field('layer-0-bias').value = 'per-unit';
    e.field('layer-0-bias').dispatch('change');
    const { spec: next } = e.apply()();
    expect(next.layers[0]).toEqual({ units: 2, activation: 'sigmoid', bias: 'per-unit' });
    expect(next.params).toBeUndefined();
    expect(next.init).toEqual({ scheme: 'xavier', seed: 1 });
    expect(next.notation).toBeUndefined();
  });

  it('units typed (no change event yet) are read at Apply: 2-3-1, the sizes in its name too, its lecture names dropped', () => {
    const e = editing(lecture());
    e.field('layer-0-units').value = '3';
    const { spec: next } = e.apply()();
    expect(next.layers.map((l) => l.units)).toEqual([3, 1]);
    expect(next.name).toBe('lecture-2-3-1'); // the sizes at the end of the name are the new ones
    expect(next.notation).toBeUndefined();
    expect(next.params).toBeUndefined();
    expect(next.init).toEqual({ scheme: 'xavier', seed: 1 });
  });

  it('loss, reduction, η and batch size as typed', () => {
    const e = editing(lecture(), 1, 4);
    e.field('loss').value = 'bce';
    e.field('reduction').value = 'sum';
    e.field('lr').value = '0.5';
    e.field('batch-size').value = '2';
    const { spec: next, batchSize } = e.apply()();
    expect([next.loss, next.reduction, next.lr, batchSize]).toEqual(['bce', 'sum', 0.5, 2]);
  });
});

describe('the net editor: an empty or unreadable field is a SpecError naming it, inside the action', () => {
  it.each([
    ['lr', 'lr'],
    ['batch-size', 'batch size'],
    ['seed', 'seed'],
    ['layer-0-units', 'layers[0].units'],
  ])('#%s empty: SpecError(%s) "must be a number, got an empty field"', (id, field) => {
    const e = editing(lecture());
    e.field(id).value = '';
    const value = e.apply(); // reading the edit is the action's: Apply itself does not throw
    const err = fieldError(value);
    expect(err.field).toBe(field);
    expect(err.message).toBe(`${field}: must be a number, got an empty field`);
  });

  it('text the browser cannot read as a number (badInput, value empty) is said so, not "an empty field"', () => {
    const e = editing(lecture());
    const lr = e.field('lr');
    lr.value = '';
    lr.validity = { badInput: true };
    expect(fieldError(e.apply()).message).toBe('lr: must be a number; what is typed there is not one (text, or beyond ±1.8e308)');
  });

  it('the fields are read when Apply is pressed, not when the action runs', () => {
    const e = editing(lecture());
    e.field('lr').value = '0.25';
    const value = e.apply();
    e.field('lr').value = '';
    expect(value().spec.lr).toBe(0.25);
  });
});

describe('the net editor: adding a layer keeps what was typed', () => {
  it('η, batch size and seed as typed, an emptied units field still empty (not 0), the new hidden layer 4 tanh', () => {
    const e = editing(lecture(), 1, 4);
    e.field('lr').value = '0.3';
    e.field('batch-size').value = '';
    e.field('seed').value = '7';
    const units = e.field('layer-0-units');
    units.value = '';
    units.dispatch('change');
    e.field('add-layer').click();
    expect(e.field('lr').value).toBe('0.3');
    expect(e.field('batch-size').value).toBe('');
    expect(e.field('seed').value).toBe('7');
    expect(e.field('layer-0-units').value).toBe('');
    expect(e.field('layer-1-units').value).toBe('4');
    expect(e.field('layer-1-activation').value).toBe('tanh');
    expect(e.field('layer-2-units').disabled).toBe(true);
    expect(e.field('add-layer').focused).toBe(true);
    expect(fieldError(e.apply()).field).toBe('layers[0].units');
  });
});

describe('the editor\'s fields as a screen reader names them', () => {
  // The batch size's label shows how many examples there are, "batch size (of 4)" (its max); its name was "batch
  // size" alone, so a screen reader did not say the 4. Written out by hand for 4 examples, and 1.
  it('the batch size is named with the number of examples, as its label shows it', () => {
    expect(editing(lecture(), 2, 4).field('batch-size').getAttribute('aria-label')).toBe('batch size (of 4)');
    expect(editing(lecture(), 1, 1).field('batch-size').getAttribute('aria-label')).toBe('batch size (of 1)');
  });
});
