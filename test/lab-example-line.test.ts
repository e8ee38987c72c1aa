/**
 * The line printed above the diagram (src/lab/words.ts exampleLine; views.ts drawDiagram writes #diagram-example,
 * style.css shows it on paper only): printed, the step bar and its Example menu are hidden, so a many-example net's
 * diagram did not say which example its values were (left60). Expected lines written by hand from the examples.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleLine } from '../src/lab/words.ts';

describe('exampleLine', () => {
  it("XOR's third corner of four: its inputs and target", () => {
    expect(exampleLine(2, 4, [1, 0], [1])).toBe('Example 3 of 4: x = (1, 0), y = 1');
  });

  it('one example in the mini-batch: no line (nothing to choose, the lectures\' nets)', () => {
    expect(exampleLine(0, 1, [0.05, 0.1], [0.01])).toBe('');
  });

  it('one input, several targets, negative and fractional values (as given, the text minus; past 6 decimals, 4)', () => {
    expect(exampleLine(0, 3, [-0.5], [0, 1, 0])).toBe('Example 1 of 3: x = −0.5, y = (0, 1, 0)');
    expect(exampleLine(1, 2, [0.1234567, 2], [0.25])).toBe('Example 2 of 2: x = (0.1235, 2), y = 0.25');
  });

  it("many inputs (MNIST's 784 pixels): their count, not the values", () => {
    const pixels = new Array<number>(784).fill(0);
    expect(exampleLine(6, 100, pixels, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0])).toBe('Example 7 of 100: x: 784 inputs, y = (0, 0, 0, 0, 0, 0, 0, 1, 0, 0)');
    // Eight are still listed; nine are counted.
    expect(exampleLine(0, 2, [1, 2, 3, 4, 5, 6, 7, 8], [1])).toBe('Example 1 of 2: x = (1, 2, 3, 4, 5, 6, 7, 8), y = 1');
    expect(exampleLine(0, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9], [1])).toBe('Example 1 of 2: x: 9 inputs, y = 1');
  });

  it('the page: the line right above the diagram, hidden on the screen, shown on paper when it has words', () => {
    const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
    expect(html).toMatch(/<p id="diagram-example" class="out"><\/p>\n\s*<div id="diagram" class="diagram"><\/div>/);
    const css = readFileSync(new URL('../src/lab/style.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const print = css.slice(css.indexOf('@media print'));
    expect(css.slice(0, css.indexOf('@media print'))).toMatch(/\n#diagram-example \{ display: none; \}/);
    expect(print).toMatch(/#diagram-example:not\(:empty\) \{ display: block;/);
  });
});
