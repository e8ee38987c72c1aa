/**
 * Where a diagram node's text goes (src/lab/diagram-model.ts places the nodes, src/lab/diagram.ts draws them): the
 * unit's name, then its value lines, inside its circle. Pure (no DOM), so that the Node tests check that every value
 * line fits its circle without a browser: the monospace values' width is their length × MONO_ADVANCE em.
 */

/** Stroke width (viewBox units) of a node's circle. */
export const NODE_STROKE = 2;

/** A node's text: the name (bold, FONT), then the value lines (monospace), baselines relative to the node's centre. */
export interface NodeText {
  nameSize: number;
  nameDy: number;
  valueSize: number;
  valueDys: number[];
}

/** Advance of one character of the monospace value font, in em (DejaVu Sans Mono, Menlo, SF Mono: 0.6; Consolas 0.55). */
export const MONO_ADVANCE = 0.6;
/** Height of the value lines' tallest glyph (δ, the digits) above the baseline, in em; none goes below it. */
export const VALUE_ASCENT = 0.76;

/** Room under the name's baseline for its descenders, in em of the name's size. */
const NAME_DESCENT = 0.22;
/** Height of the name's capitals and ascenders above its baseline, in em. */
const NAME_ASCENT = 0.76;

/**
 * The name and value lines of a node of radius r: the sizes scale with the circle, but not below 0.85 of the normal
 * size (dense layouts show fewer lines instead). The name, then one line per value, the glyphs' block (the name's
 * capitals to the last line's baseline) centred on the node's centre; the value lines then shrink until each
 * (MONO_ADVANCE wide a character, VALUE_ASCENT tall) lies inside the circle's stroke, where a long one ran past it
 * ("a −0.0049" in a dense circle by 2.3 units, "δ 0.0134" on the bottom line of a normal one by 0.5).
 */
export function nodeText(r: number, name: string, lines: string[]): NodeText {
  const k = Math.max(r / 48, 0.85);
  const nameSize = k * (name.length <= 4 ? 18 : name.length <= 6 ? 14 : 11);
  const lineHeight = k * 16;
  const longest = Math.max(0, ...lines.map((line) => line.length));
  const inner = r - NODE_STROKE / 2;
  /** Baselines below the name's, the first value line's capitals 2k under the name's descenders, shifted to centre. */
  const place = (size: number): NodeText => {
    const first = NAME_DESCENT * nameSize + 2 * k + VALUE_ASCENT * size;
    const below = lines.map((_, i) => first + i * lineHeight);
    const shift = -((below.length > 0 ? below[below.length - 1] : 0) - NAME_ASCENT * nameSize) / 2;
    return { nameSize, nameDy: shift, valueSize: size, valueDys: below.map((b) => b + shift) };
  };
  const inside = (t: NodeText): boolean => lines.every((line, i) => {
    const half = (MONO_ADVANCE * t.valueSize * line.length) / 2;
    const dy = Math.max(Math.abs(t.valueDys[i]), Math.abs(t.valueDys[i] - VALUE_ASCENT * t.valueSize));
    return half * half + dy * dy <= inner * inner;
  });
  const full = k * (longest <= 8 ? 14 : 12);
  let t = place(full);
  for (let step = 1; step < 100 && !inside(t); step++) t = place(full * (1 - step / 100));
  return t;
}
