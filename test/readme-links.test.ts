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
