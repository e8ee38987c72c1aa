/**
 * Every number field of the lab asks a tablet for a number pad (inputmode): found with a school tablet's eyes
 * (puppeteer, iPad Pro 11 / Galaxy Tab S4 emulated): of the page's 15 <input type="number">, only the loss surface's
 * four had an inputmode; Steps, the Fit bar's lr, batch and epochs, the editor's units, lr, batch and seed, Your data's
 * Validation % and Hidden units gave an iPad its full keyboard. The rule, written from what each field takes:
 * decimals (step="any", the learning rates) → inputmode="decimal"; whole numbers, none below 0 → "numeric".
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetEditor } from '../src/lab/editor.ts';
import { inputModeFor } from '../src/lab/keyboard.ts';
import { FakeElement, fakeDocument } from './lib/fake-dom.ts';
import { worked } from './lib/lab-nets.ts';

/** index.html's <input type="number"> tags: id → their attributes. */
function numberFields(): Map<string, Record<string, string>> {
  const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
  const out = new Map<string, Record<string, string>>();
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const attrs = Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (attrs.type === 'number') out.set(attrs.id, attrs);
  }
  return out;
}

describe('inputModeFor', () => {
  it('step="any" → decimal; a whole-number step, or none → numeric', () => {
    expect(inputModeFor('any')).toBe('decimal');
    expect(inputModeFor('1')).toBe('numeric');
    expect(inputModeFor('5')).toBe('numeric');
    expect(inputModeFor(null)).toBe('numeric');
    expect(inputModeFor(undefined)).toBe('numeric');
  });
});

describe("index.html's number fields", () => {
  it('each has the inputmode its values need: the lr decimal, the rest numeric', () => {
    const fields = numberFields();
    expect([...fields.keys()].sort()).toEqual(['fit-batch', 'fit-epochs', 'fit-lr', 'fit-patience', 'import-hidden', 'surface-c1', 'surface-c2', 'surface-r1', 'surface-r2', 'train-steps', 'validation'].sort());
    const modes = Object.fromEntries([...fields].map(([id, a]) => [id, a.inputmode]));
    expect(modes).toEqual({
      'train-steps': 'numeric', 'fit-lr': 'decimal', 'fit-batch': 'numeric', 'fit-epochs': 'numeric', 'fit-patience': 'numeric',
      'surface-r1': 'numeric', 'surface-c1': 'numeric', 'surface-r2': 'numeric', 'surface-c2': 'numeric',
      validation: 'numeric', 'import-hidden': 'numeric',
    });
    // A numeric pad has no minus: no field takes a value below 0.
    for (const [id, a] of fields) if (a.inputmode === 'numeric') expect(Number(a.min), id).toBeGreaterThanOrEqual(0);
  });
});

describe("the net editor's number fields", () => {
  beforeEach(() => vi.stubGlobal('document', fakeDocument));
  afterEach(() => vi.unstubAllGlobals());

  it('units, batch and seed numeric; lr decimal', () => {
    const form = new FakeElement('form');
    new NetEditor(form as unknown as HTMLFormElement, () => {}).show(structuredClone(worked.spec), 1, 1);
    const mode = (id: string): string | null => {
      const e = form.byId(id);
      if (!e) throw new Error(`the editor has no #${id}`);
      return e.getAttribute('inputmode');
    };
    expect(mode('layer-0-units')).toBe('numeric');
    expect(mode('layer-1-units')).toBe('numeric');
    expect(mode('lr')).toBe('decimal');
    expect(mode('batch-size')).toBe('numeric');
    expect(mode('seed')).toBe('numeric');
  });
});
