/**
 * Naming.name is resolve's inverse (nmut58 mutation audit): a derivative through one unit keeps its "from h1" — the
 * 2-2-1 lecture's ∂L/∂b1 is the sum of ∂L/∂b1 from h1 and ∂L/∂b1 from h2 (lecture 001, the shared b1), and a name that
 * dropped the unit would name the whole derivative, a different number. The names are the lecture's.
 */
import { describe, expect, it } from 'vitest';
import { Naming } from '../src/notation/names.ts';
import { lecture } from '../src/lectures/index.ts';
import { validateSpec } from '../src/spec.ts';

describe('Naming.name(resolve(text)) gives the text back', () => {
  const spec = lecture('lecture-2-2-1').worked.spec;
  const naming = new Naming(validateSpec(spec).net, spec.notation);

  it('∂L/∂b1 from h1 and from h2 keep their unit; ∂L/∂b1 has none', () => {
    for (const text of ['∂L/∂b1 from h1', '∂L/∂b1 from h2', '∂L/∂b1', '∂L/∂w5', "w5'"]) {
      expect(naming.name(naming.resolve(text, 'name'))).toBe(text);
    }
    // "via" names the same paths; the name writes them "from".
    expect(naming.name(naming.resolve('∂L/∂b1 via h2', 'name'))).toBe('∂L/∂b1 from h2');
  });
});
