/**
 * SVG text shared by the CLI's plot (src/cli/plot.ts) and the benchmark's charts (bench/report.ts, bench/epochs.ts).
 */

/**
 * A character XML 1.0 does not allow (outside its Char production): the C0 controls but tab, LF and CR; U+FFFE, U+FFFF;
 * a lone surrogate. Not even as a character reference: one in a file makes it no XML at all.
 * NOTE: with the u flag the pattern reads code points, so a surrogate pair is one code point past U+FFFF and only a lone
 * surrogate matches [\uD800-\uDFFF]. It was a lookbehind, (?<![\uD800-\uDBFF])[\uDC00-\uDFFF]: a SyntaxError before
 * Safari 16.4 that kept the bench page's whole chunk from parsing (old60; test/lab-old-browser-apis.test.ts).
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/**
 * Text for SVG: & < > " ' escaped (in text and in attribute values alike), and a character XML cannot hold (NOT_XML: a
 * spec name's "\u0001") written as U+FFFD, the replacement character, so that the file stays XML.
 */
export function escapeXml(s: string): string {
  return s
    .replace(NOT_XML, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
