/**
 * explain's text output lists the names its gradients use, as the Markdown does (test/explain-md-names.test.ts):
 * with --param only that parameter's line, then "… N parameters in all (convention …)" — the count line that says the
 * list is not the whole net (mutation audit mut57: dropping it from the text's names block went unnoticed; only the
 * Markdown's was tested). The 2-2-1 lecture net: 4 + 2 weights and one shared bias a layer, 8 parameters.
 */
import { expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { explain } from '../src/notation/explain.ts';

/** The lines of the names block: "names:" and the indented lines under it. */
const namesBlock = (text: string): string[] => {
  const lines = text.split('\n');
  const at = lines.indexOf('names:');
  const out = [lines[at]];
  for (let k = at + 1; k < lines.length && lines[k].startsWith('  '); k++) out.push(lines[k]);
  return out;
};

it('--param w5: the w5 line, then "… 8 parameters in all (convention flat)"', () => {
  const text = explain(lecture('lecture-2-2-1').worked, { param: 'w5' }, [], 'text');
  expect(namesBlock(text)).toEqual(['names:', '  w5       W₂[0][0]: feeds z_out from a_h1', '  … 8 parameters in all (convention flat)']);
});

it('without --param: all 8 names, and no count line (the list is the whole net)', () => {
  const block = namesBlock(explain(lecture('lecture-2-2-1').worked, {}, [], 'text'));
  expect(block.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2']);
  expect(block.join('\n')).not.toContain('parameters in all');
});
