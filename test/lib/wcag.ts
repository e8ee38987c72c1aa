/**
 * WCAG 2.2's contrast ratio, worked from its definitions in float64 (not from the lab's code): an sRGB channel c/255
 * is linearised (c ≤ 0.04045: c / 12.92, else ((c + 0.055) / 1.055)^2.4), the relative luminance is
 * 0.2126 R + 0.7152 G + 0.0722 B, and the ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter. And style.css's dark
 * block (or another sheet's: the bench page's), read as selector → property → value, for the dark-scheme tests.
 */
import { readFileSync } from 'node:fs';

function channels(css: string): number[] {
  const m = /^#([0-9a-f]+)$/i.exec(css.trim());
  if (!m || (m[1].length !== 3 && m[1].length !== 6)) throw new Error(`not a #rgb or #rrggbb colour: ${css}`);
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}
export function luminance(css: string): number {
  const [r, g, b] = channels(css).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** style.css's `@media screen and (prefers-color-scheme: dark)` block: each rule's declarations by its selector. */
export function darkRules(): Map<string, Map<string, string>> {
  return darkRulesOf(readFileSync(new URL('../../src/lab/style.css', import.meta.url), 'utf8'), 'style.css');
}

/**
 * The `@media screen and (prefers-color-scheme: dark)` block of a style sheet's text `source` (named `where` in the
 * error when it has none; comments dropped): each rule's declarations by its selector.
 */
export function darkRulesOf(source: string, where: string): Map<string, Map<string, string>> {
  const css = source.replace(/\/\*[\s\S]*?\*\//g, '');
  const start = css.indexOf('@media screen and (prefers-color-scheme: dark)');
  if (start < 0) throw new Error(`${where} has no dark block`);
  let depth = 0;
  let open = css.indexOf('{', start);
  let end = open;
  for (; end < css.length; end++) {
    if (css[end] === '{') depth++;
    if (css[end] === '}' && --depth === 0) break;
  }
  const rules = new Map<string, Map<string, string>>();
  for (const m of css.slice(open + 1, end).matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls = new Map<string, string>();
    for (const d of m[2].split(';')) {
      const i = d.indexOf(':');
      if (i > 0) decls.set(d.slice(0, i).trim(), d.slice(i + 1).replace('!important', '').trim());
    }
    rules.set(m[1].trim().replace(/\s+/g, ' '), decls);
  }
  return rules;
}

export function get(rules: Map<string, Map<string, string>>, selector: string, property: string): string {
  const v = rules.get(selector)?.get(property);
  if (v === undefined) throw new Error(`the dark block sets no ${property} for ${selector}`);
  return v;
}

