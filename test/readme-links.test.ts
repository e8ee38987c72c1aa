/**
 * README's links within itself (the contents list and every `](#anchor)` in the text) land on a heading: a renamed
 * heading would otherwise leave its links pointing nowhere, on GitHub and on npm's page alike. A heading's anchor is
 * GitHub's: the text in lower case, every character that is not a letter, mark, digit, connector, space or hyphen
 * dropped, spaces made hyphens (github-slugger's rule; a heading repeated gets -1, -2: there are none, checked too).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cut } from './lib/readme-text.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
// Headings outside fenced code blocks only.
const prose = readme.replace(/^```[\s\S]*?^```/gm, '');
const headings = [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]!);
const slug = (h: string): string => h.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');

describe("README's links to its own headings", () => {
  it('every heading has its own anchor', () => {
    const anchors = headings.map(slug);
    expect(anchors.filter((a, i) => anchors.indexOf(a) !== i)).toEqual([]);
  });

  it('every #anchor names a heading, and the contents list names every ## and ### heading', () => {
    const anchors = new Set(headings.map(slug));
    const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
    const contents = cut(prose, 'Contents:', '\n## ');
    const listed = new Set([...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!));
    const sections = [...prose.matchAll(/^#{2,3} (.+)$/gm)].map((m) => slug(m[1]!));
    expect(sections.filter((a) => !listed.has(a))).toEqual([]);
  });
});

/**
 * The sections README and bench/RESULTS.md name in quotes ("Config e at the end of stop 41" below, README's "How it
 * measures"): each is a heading, a bold run-in (`**The full run.**`) or a paragraph's own line (`How it measures (…):`)
 * of the file it points to, above or below where it says (a quoted phrase that is no section's name, with neither, is
 * left alone). RESULTS.md's history moved out of README: a name of README's left unmarked there pointed at nothing in
 * RESULTS.md.
 */
describe('sections named in quotes, in README and bench/RESULTS.md', () => {
  const results = readFileSync(new URL('../bench/RESULTS.md', import.meta.url), 'utf8');
  // Fenced code left out (a `# comment` is no heading); a quoted name may wrap, so whitespace counts as one space.
  const prose = (text: string): string => text.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ' '));
  const one = (name: string): string => name.replace(/\s+/g, ' ');
  type Section = { name: string; at: number };
  const sectionsOf = (text: string): Section[] => [
    ...text.matchAll(/^#{1,6} (.+)$/gm), ...text.matchAll(/\*\*([^*]+)\*\*/g), ...text.matchAll(/^([A-Z][^\n:]{3,60}):$/gm),
  ].map((m) => ({ name: one(m[1]!), at: m.index }));
  const [readmeText, resultsText] = [prose(readme), prose(results)];
  const [readmeSections, resultsSections] = [sectionsOf(readmeText), sectionsOf(resultsText)];
  const named = (list: Section[], quoted: string): Section[] => list.filter((s) => s.name.startsWith(quoted));
  /** `"name" below` / `"name", above`: a section of the same file there (without either: anywhere in it). */
  const placed = (list: Section[], quoted: string, at: number, where: string | undefined): boolean =>
    named(list, quoted).some((s) => where === undefined || (where === 'below' ? s.at > at : s.at < at));
  const quotes = (text: string, first: string) => [...text.matchAll(new RegExp(`"(${first}[^"]{3,160})"(?:,?\\s+(below|above)\\b)?`, 'g'))]
    .map((m) => ({ quoted: one(m[1]!), where: m[2], at: m.index }));

  it("RESULTS.md's: its own sections where they are; README's said to be README's", () => {
    const wrong: string[] = [];
    const names = quotes(resultsText, '[A-Z]');
    expect(names.length).toBeGreaterThan(15);
    for (const { quoted, where, at } of names) {
      const readmes = /README/.test(resultsText.slice(Math.max(0, at - 12), at));
      if (where !== undefined) {
        if (!placed(resultsSections, quoted, at, where)) wrong.push(`"${quoted}" ${where}: not ${where} in RESULTS.md`);
      } else if (readmes) {
        if (named(readmeSections, quoted).length === 0) wrong.push(`README's "${quoted}": no such section in README`);
      } else if (named(resultsSections, quoted).length === 0 && named(readmeSections, quoted).length > 0) {
        wrong.push(`"${quoted}": README's, not said to be`);
      }
      // Else a quoted phrase that names no section (a label, a word): nothing to check.
    }
    expect(wrong).toEqual([]);
  });

  it("README's: `bench/RESULTS.md`, \"…\" a section there; \"…\" below or above one of its own there", () => {
    const wrong: string[] = [];
    for (const m of readmeText.matchAll(/RESULTS\.md`,\s+"([^"]+)"/g)) {
      if (named(resultsSections, one(m[1]!)).length === 0) wrong.push(`bench/RESULTS.md, "${one(m[1]!)}": no such section`);
    }
    const refs = quotes(readmeText, '').filter((q) => q.where !== undefined);
    expect(refs.length).toBeGreaterThan(3);
    for (const { quoted, where, at } of refs) {
      if (!placed(readmeSections, quoted, at, where)) wrong.push(`"${quoted}" ${where}: not ${where} in README`);
    }
    expect(wrong).toEqual([]);
  });
});
