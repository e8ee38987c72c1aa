/**
 * The Diagram SVG writer's rules one by one (src/lab/diagram-export.ts svgFileText, xmlText, xmlAttr; mut62), on a
 * drawing made by hand (an SvgSource: tag, attributes in order, children, text) so that each rule has a case the
 * screen's drawing may not hold: an attribute drawn first on its element, a page layer whose class is its only
 * attribute, a text whose paint-order is not 'stroke', ']]>' in a name, controls in an attribute. The expected file
 * lines are written by hand from XML 1.0 (§2.2 characters, §2.4 ']]>' not in text, §3.3.3 attribute-value
 * normalisation turning a literal tab, LF or CR into a space) and the writer's documented layout (two spaces a depth).
 */
import { describe, expect, it } from 'vitest';
import { type SvgSource, svgFileText, xmlAttr, xmlText } from '../src/lab/diagram-export.ts';
import type { DiagramModel } from '../src/lab/diagram-model.ts';

const el = (tagName: string, attrs: [string, string][], children: SvgSource[] = [], text = ''): SvgSource => ({
  tagName, attributes: attrs.map(([name, value]) => ({ name, value })), children, textContent: text,
});
const model = { width: 100, height: 50, title: '2-1 net, example 1 of 1', caption: 'C', description: 'C' } as unknown as DiagramModel;
const line = (): SvgSource => el('line', [['x1', '1'], ['y1', '2'], ['x2', '3'], ['y2', '4'], ['stroke', '#2563eb']]);

const drawing = el('svg', [['xmlns', 'http://www.w3.org/2000/svg'], ['width', '100%'], ['viewBox', '0 0 100 50'], ['class', 'diagram'], ['role', 'img'], ['aria-label', 'net'], ['preserveAspectRatio', 'xMidYMid meet']], [
  el('g', [['class', 'nd-params']], [line(), el('g', [['class', 'nd-hover']], [line()])]),
  // A layer whose class is its one attribute (the last, and the first).
  el('g', [['class', 'nd-tap']], [el('rect', [['width', '9'], ['height', '9']])]),
  el('g', [['class', 'nd-selection']], [line()]),
  el('g', [['class', 'nd-focus']], [line()]),
  el('text', [['x', '5'], ['y', '6'], ['stroke', '#ffffff'], ['paint-order', 'normal'], ['fill', '#111827']], [], 'a <b> & c'),
]);

/** The file's lines after its white background (the title, desc and background are the other tests'). */
function body(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(lines.findIndex((l) => l.startsWith('  <rect x="0" y="0"')) + 1);
}

describe('svgFileText on a drawing made by hand', () => {
  it('the root: its own size in px, the page\'s attributes dropped, the rest kept', () => {
    expect(svgFileText(drawing, model, undefined).split('\n')[1]).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50" preserveAspectRatio="xMidYMid meet">');
  });

  it('every attribute drawn, the first too; the page\'s layers out; 2 spaces a depth; a text not haloed written once, escaped', () => {
    expect(body(svgFileText(drawing, model, undefined))).toEqual([
      '  <g>',
      '    <line x1="1" y1="2" x2="3" y2="4" stroke="#2563eb"/>',
      '  </g>',
      '  <text x="5" y="6" stroke="#ffffff" paint-order="normal" fill="#111827">a &lt;b&gt; &amp; c</text>',
      '</svg>',
      '',
    ]);
  });

  it('the title: a blank name is none; a name is trimmed', () => {
    const titleOf = (name: string | undefined): string => svgFileText(drawing, model, name).split('\n')[2];
    expect(titleOf('   ')).toBe('  <title>2-1 net, example 1 of 1</title>');
    expect(titleOf('  xor \t')).toBe('  <title>xor: 2-1 net, example 1 of 1</title>');
  });
});

describe('xmlText and xmlAttr', () => {
  it("XML's forbidden characters become U+FFFD (every C0 control but tab, LF, CR; U+FFFE, U+FFFF); tab, LF and CR stay in text", () => {
    expect(xmlText('\u0000\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF|\t\n\r')).toBe('\uFFFD'.repeat(8) + '|\t\n\r');
  });

  it("']]>' cannot stand in text: > is escaped", () => {
    expect(xmlText('a]]>b')).toBe('a]]&gt;b');
  });

  it('in an attribute, " and the whitespace a parser would turn into spaces are references', () => {
    expect(xmlAttr('a\tb\nc\rd"e<&>')).toBe('a&#9;b&#10;c&#13;d&quot;e&lt;&amp;&gt;');
  });
});
