/**
 * parseWorked names the worked example it is given as checkWorked does, `worked` — a field is the argument's name or a
 * path in it (`spec`, `claims[3].printed`, `options.param`), never words with a space: it was `worked example`
 * (usr56f). With its second argument (the CLI's file path, a lecture's file) the error names that file instead.
 */
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked, parseWorked } from '../src/notation/index.ts';
import { named } from './lib/notation-common.ts';

const spec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' };

describe('parseWorked(raw): a ClaimError naming `worked`, as checkWorked names it', () => {
  const cases: [string, unknown][] = [
    ['null', null],
    ['a number', 3],
    ['an array', []],
    ['a network spec', spec],
    ["a lecture (lecture(id), not its .worked)", lecture('lecture-2-2-1')],
  ];
  for (const [what, raw] of cases) {
    it(`${what}: field worked, as checkWorked's`, () => {
      expect(named(() => parseWorked(raw))).toEqual({ name: 'ClaimError', field: 'worked' });
      expect(named(() => checkWorked(raw as never))).toEqual({ name: 'ClaimError', field: 'worked' });
    });
  }

  it('every field it names is an identifier path (no spaces) without a file', () => {
    for (const [, raw] of cases) expect(String(named(() => parseWorked(raw)).field)).toMatch(/^[A-Za-z_$][\w$]*(\.[\w$]+|\[\d+\])*$/);
  });

  it('with a file, the file is named (the CLI: error [CLAIM] path: …)', () => {
    expect(named(() => parseWorked(null, 'my/file.worked.json'))).toEqual({ name: 'ClaimError', field: 'my/file.worked.json' });
  });
});
