/**
 * Parts of README's text, for the tests that check what it says against the code or a run's record. Each fails naming
 * the marker it did not find: `text.slice(text.indexOf(from), text.indexOf(to))` with a marker missing slices from or
 * to −1 (the last character), and a later assertion may then pass on the wrong text.
 */

/** The text under heading `title` (to the next heading of the same or a higher level), whitespace made single spaces. */
export function section(readme: string, title: string): string {
  const m = new RegExp(`^(#+) ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(readme);
  if (!m) throw new Error(`README has no heading '${title}'`);
  const rest = readme.slice(m.index + m[0].length);
  const next = new RegExp(`^#{1,${m[1]!.length}} `, 'm').exec(rest);
  return (next ? rest.slice(0, next.index) : rest).replace(/\s+/g, ' ');
}

/** `text` from `from` (kept) up to the first `to` after it (left out), or to the end when `to` is not given. */
export function cut(text: string, from: string, to?: string): string {
  const start = text.indexOf(from);
  if (start < 0) throw new Error(`README's text has no '${from}'`);
  if (to === undefined) return text.slice(start);
  const end = text.indexOf(to, start + from.length);
  if (end < 0) throw new Error(`README's text has no '${to}' after '${from}'`);
  return text.slice(start, end);
}
