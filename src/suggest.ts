/**
 * "Did you mean": the known word a near-miss was probably meant to be, for the CLI's unknown commands and flags
 * (src/cli/main.ts), the library's unknown keys and options of a fixed set (src/spec.ts, src/checks.ts, src/train/,
 * src/data.ts, src/budget.ts, src/notation/, src/worked/, src/lab/files.ts), and a value outside a fixed set of values
 * (valueGuess: an activation, a loss, a backend, a convention, a CLI flag's choice, …); the error of an unknown key
 * and the check of an object's keys against a fixed set (unknownKeyError, checkKnownKeys), here so that every module
 * with such keys, src/data.ts and src/checks.ts among them, can use them without a cycle. A leaf: it imports nothing.
 */

/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

/**
 * Is `name` longer than every word of `among` by more than 2 edits — none of them, nor a prefix of one?
 * NOTE: editDistance fills a (name + 1) × (word + 1) table, and a megabyte-long key or value must not cost a
 * megabyte-long table per word (a 1 MiB unknown key of a spec took 16 s, a 1 MiB activation 8 s): asked first.
 */
function pastEvery(name: string, among: readonly string[]): boolean {
  return name.length > Math.max(0, ...among.map((c) => c.length)) + 2;
}

/**
 * The word of `among` (a command, a flag, a key) `name` was probably meant to be: within 2 edits (1 for short names),
 * or a prefix, letter case aside (`batchsize` is `batchSize`); else undefined.
 */
export function suggest(name: string, among: readonly string[]): string | undefined {
  if (pastEvery(name, among)) return undefined;
  const lower = name.toLowerCase();
  const prefix = among.filter((c) => lower.length >= 2 && c.toLowerCase().startsWith(lower));
  if (prefix.length === 1) return prefix[0];
  const best = among.map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= (lower.length <= 4 ? 1 : 2) ? best.c : undefined;
}

/**
 * The message of an unknown key or option: `head` (`unknown key`), the guess where one known word is close, then
 * `known` (the list as the message has always given it): `unknown key; did you mean 'layers'? Known keys are …`.
 */
function unknownMessage(head: string, name: string, among: readonly string[], known: string): string {
  // One letter is no near-miss: `W` at the top of a spec belongs in params, not 'x'.
  const guess = name.length > 1 ? suggest(name, among) : undefined;
  return guess === undefined ? `${head}; ${known}` : `${head}; did you mean '${guess}'? ${known[0].toUpperCase()}${known.slice(1)}`;
}

/** An error class naming a field (SpecError, NotationError, ClaimError, LimitError): what unknownKeyError makes. */
export type FieldErrorClass<E extends Error> = new (field: string, message: string) => E;

/** The characters of an unknown key its error shows: a longer key is cut (shownKey). */
const KEY_SHOWN = 64;

/** Is the UTF-16 unit at `i` of `text` the first of a surrogate pair (one character, such as an emoji, in two units)? */
function pairAt(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  return unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}

/** The UTF-16 index where `text`'s first `limit` characters (code points) end: text.length if it has no more. */
function charactersEnd(text: string, limit: number): number {
  let i = 0;
  for (let n = 0; n < limit && i < text.length; n++) i += pairAt(text, i) ? 2 : 1;
  return i;
}

/**
 * The characters of `text` as code points: 😀 is one, where `text.length` counts two. NOTE: not what a reader sees as one
 * (a grapheme): 👨‍👩‍👧 is 5 code points, a flag 2, and a cut may fall inside such a sequence — never inside a pair.
 */
export function characterCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; n++) i += pairAt(text, i) ? 2 : 1;
  return n;
}

/**
 * `text` whole up to `limit` characters (code points, so never half a surrogate pair), else its first `limit` and "…":
 * an unknown key in its error (shownKey), any error's field (errors.ts shownField).
 */
export function cutText(text: string, limit: number): string {
  const end = charactersEnd(text, limit);
  return end === text.length ? text : `${text.slice(0, end)}…`;
}

/** `key` as an unknown key's error shows it: whole up to KEY_SHOWN characters, else its first KEY_SHOWN and "…". */
function shownKey(key: string): string {
  return cutText(key, KEY_SHOWN);
}

/**
 * The error of `key`, an unknown key of an object whose keys are `known`: a `Make` naming `prefix` + key (`layers[0].`
 * + `unit`; '' for a key at the top), its message unknownMessage's — `head`, the guess, then `listed` (the known keys
 * as the message has always listed them: `a layer has units, activation, bias`).
 * NOTE: a key past KEY_SHOWN characters is cut in the field (shownKey), and so in the message, which starts with the
 * field, with its length after `head`: `kkkk…: unknown key (1048576 characters); known keys are …` — a megabyte-long
 * key must not make a megabyte message or log line. It gets no guess, and no edit distance of it is computed: it is
 * longer than every known key by more than 2 (suggest's pastEvery, asked first).
 */
export function unknownKeyError<E extends Error>(key: string, known: readonly string[], prefix: string, listed: string, Make: FieldErrorClass<E>, head = 'unknown key'): E {
  const shown = shownKey(key);
  const cutHead = shown === key ? head : `${head} (${characterCount(key)} characters)`;
  return new Make(`${prefix}${shown}`, unknownMessage(cutHead, key, known, listed));
}

/**
 * Every own enumerable key of `raw` is one of `known`, else unknownKeyError of the first that is not (the arguments
 * as there): the one check of an object's keys against a fixed set.
 */
export function checkKnownKeys<E extends Error>(raw: object, known: readonly string[], prefix: string, listed: string, Make: FieldErrorClass<E>, head = 'unknown key'): void {
  for (const key of Object.keys(raw)) if (!known.includes(key)) throw unknownKeyError(key, known, prefix, listed, Make, head);
}

/** Values whose nearest spelling is not what they mean (valueGuess): the allowed value each one means. */
const MEANT: Readonly<Record<string, string>> = { gpu: 'webgpu', markdown: 'md' };

/**
 * The allowed value MEANT gives for `value`, letter case aside; undefined for any other, and for one longer than every
 * key (never lower-cased: a megabyte-long value must cost nothing, as in pastEvery).
 */
function meantBy(value: string): string | undefined {
  if (value.length > Math.max(...Object.keys(MEANT).map((k) => k.length))) return undefined;
  const lower = value.toLowerCase();
  return Object.hasOwn(MEANT, lower) ? MEANT[lower] : undefined;
}

/**
 * The guess that ends the message of a value outside a fixed set (an activation, a loss, a backend, a CLI flag's
 * choice): `; did you mean 'sigmoid'?` where one allowed value is close by suggest's rules (letter case aside; one
 * letter is no near-miss, as for a key), else '' — for a value far from every one, and for one that is not a string.
 */
export function valueGuess(value: unknown, among: readonly string[]): string {
  if (typeof value !== 'string' || value.length <= 1) return '';
  // NOTE: by spelling 'gpu' is one letter from 'cpu', but it means the GPU backend: 'webgpu' where that is allowed,
  // else no guess (never 'cpu', the opposite of what was asked for). 'markdown' is explain's 'md', but 6 letters
  // longer than it: asked before suggest, whose pastEvery would give no guess.
  const meant = meantBy(value);
  if (meant !== undefined) return among.includes(meant) ? `; did you mean '${meant}'?` : '';
  const guess = suggest(value, among);
  return guess === undefined ? '' : `; did you mean '${guess}'?`;
}
