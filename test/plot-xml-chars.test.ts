/**
 * `train --plot`'s SVG holds only characters XML 1.0 allows (its Char production: #x9 | #xA | #xD | [#x20-#xD7FF] |
 * [#xE000-#xFFFD] | [#x10000-#x10FFFF]; https://www.w3.org/TR/xml/#charsets). The title is the spec's free-text `name`
 * and the paths on the command line, which may hold any character JSON can write (`"\u0001"`); one outside Char,
 * written as it was, made the whole file not XML — a browser shows a parse error instead of the curves
 * (usr56g: a name with U+0001, Python's expat: "not well-formed (invalid token)"). Such a character is written as
 * U+FFFD, the replacement character; the others stay as they are.
 */
import { describe, expect, it } from 'vitest';
import { learningCurvesSvg } from '../src/cli/plot.ts';
import { escapeXml } from '../src/svg.ts';

/** The first character of `doc` outside XML 1.0's Char production (as a code point in hex), or ''. Written from the spec. */
function nonXmlChar(doc: string): string {
  for (const ch of doc) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return '';
}

const history = [{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: 0.4 }];

describe('the SVG holds only XML characters', () => {
  it('a title with C0 controls, U+FFFE / U+FFFF and a lone surrogate: each written as U+FFFD, the file XML', () => {
    const name = 'a\u0001b\u001fc\u0000d\uffffe\ufffef\ud800g';
    const svg = learningCurvesSvg(history, [`${name}: 1-1 net, mse, sgd lr 0.1`]);
    expect(nonXmlChar(svg)).toBe('');
    expect(svg).toContain('<title>learning curves — a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg: 1-1 net, mse, sgd lr 0.1</title>');
  });

  it('a lone low surrogate, a low before a high (no pair), a pair then a lone low: each lone one written as U+FFFD', () => {
    // UTF-16 by hand: a pair is a high (D800–DBFF) then a low (DC00–DFFF); U+1F600 😀 is D83D DE00.
    expect(escapeXml('x\udc00y')).toBe('x\ufffdy');
    expect(escapeXml('\udc00\ud800')).toBe('\ufffd\ufffd');
    expect(escapeXml('\ud83d\ude00\ude00')).toBe('😀\ufffd');
    expect(escapeXml('a\ud83d')).toBe('a\ufffd');
  });

  it('tab, newline, carriage return, other text and a surrogate pair stay as they are (escaped where XML needs it)', () => {
    expect(escapeXml('a\tb\nc\rd é — 😀 <&>"\'')).toBe('a\tb\nc\rd é — 😀 &lt;&amp;&gt;&quot;&#39;');
  });
});
