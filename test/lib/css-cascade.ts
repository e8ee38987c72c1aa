/**
 * A small reading of src/lab/style.css for layout tests: its rules in source order, each with the media conditions
 * around it, and an evaluator of those conditions for a window of a given size and default font size (what a media
 * query's `em` is: the browser's font setting, not the page's). Only what style.css uses is understood (width, height,
 * orientation, colour scheme, forced colours, print); anything else throws, so a new query cannot be skipped silently.
 */
import { readFileSync } from 'node:fs';

export interface Rule {
  /** The `@media` preludes around the rule, outermost first (an `@supports` is taken as supported: Chromium ≥ 123). */
  media: string[];
  selectors: string[];
  decls: Map<string, string>;
}

/** The window the page is shown in: CSS px, and the browser's default font size in px (16 usually, 24 "Very large"). */
export interface Screen {
  width: number;
  height: number;
  fontPx: number;
}

export function labCss(): string {
  return readFileSync(new URL('../../src/lab/style.css', import.meta.url), 'utf8');
}

/** Every style rule of `source` (comments dropped), in source order, with its media conditions. */
export function rulesOf(source: string): Rule[] {
  const css = source.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: Rule[] = [];
  const walk = (text: string, media: string[]): void => {
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf('{', i);
      if (open < 0) break;
      const prelude = text.slice(i, open).trim();
      let depth = 0;
      let close = open;
      for (let k = open; k < text.length; k++) {
        if (text[k] === '{') depth++;
        else if (text[k] === '}' && --depth === 0) { close = k; break; }
      }
      const body = text.slice(open + 1, close);
      if (prelude.startsWith('@media')) walk(body, [...media, prelude.slice('@media'.length).trim()]);
      else if (prelude.startsWith('@supports')) walk(body, media);
      else if (!prelude.startsWith('@')) {
        const decls = new Map<string, string>();
        for (const d of body.split(';')) {
          const colon = d.indexOf(':');
          if (colon > 0) decls.set(d.slice(0, colon).trim(), d.slice(colon + 1).trim());
        }
        out.push({ media, selectors: prelude.split(',').map((s) => s.trim()), decls });
      }
      i = close + 1;
    }
  };
  walk(css, []);
  return out;
}

/** A length in a media feature as CSS px: px as they are, em as the default font size. */
function length(v: string, s: Screen): number {
  const m = v.trim().match(/^(\d+(?:\.\d+)?)(px|em)$/);
  if (!m) throw new Error(`media length not understood: ${v}`);
  return Number(m[1]) * (m[2] === 'em' ? s.fontPx : 1);
}

function feature(f: string, s: Screen): boolean {
  const m = f.match(/^\(\s*([a-z-]+)\s*:\s*([^)]+?)\s*\)$/);
  if (!m) throw new Error(`media feature not understood: ${f}`);
  const [, name, value] = m;
  switch (name) {
    case 'max-width': return s.width <= length(value, s);
    case 'min-width': return s.width >= length(value, s);
    case 'max-height': return s.height <= length(value, s);
    case 'min-height': return s.height >= length(value, s);
    case 'orientation': return value === (s.width > s.height ? 'landscape' : 'portrait');
    // A screen in the light scheme, without forced colours.
    case 'prefers-color-scheme': return value === 'light';
    case 'forced-colors': return value === 'none';
    case 'prefers-reduced-motion': return value === 'no-preference';
    default: throw new Error(`media feature not understood: ${f}`);
  }
}

/** Whether a media query list matches on screen `s` (a screen, not paper). */
export function matches(query: string, s: Screen): boolean {
  return query.split(',').some((q) => {
    let text = q.trim();
    let negate = false;
    if (text.startsWith('not ')) {
      negate = true;
      text = text.slice(4).trim();
    }
    const parts = text.split(/\s+and\s+/);
    const ok = parts.every((p) => {
      if (p === 'all' || p === 'screen') return true;
      if (p === 'print') return false;
      return feature(p, s);
    });
    return negate ? !ok : ok;
  });
}

/** The value `property` of `selector` (one of a rule's selectors, exactly) takes on screen `s`: the last rule's that applies. */
export function cascaded(rules: Rule[], selector: string, property: string, s: Screen): string | undefined {
  let value: string | undefined;
  for (const r of rules) {
    if (!r.selectors.includes(selector) || !r.decls.has(property)) continue;
    if (r.media.every((q) => matches(q, s))) value = r.decls.get(property);
  }
  return value;
}
