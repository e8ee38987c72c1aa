/**
 * A wide layer's strip in the network diagram (diagram-model.ts): its units' values in at most STRIP_CELLS cells, and
 * their range, for layers of any width. Pure.
 */

/**
 * Cells a strip has at most: a wider layer's units share cells, STRIP_CELLS of them, each the mean of its units (a
 * rect per unit of a 2-100000-1 net took half a second to make and lay out, and was thinner than a pixel).
 */
export const STRIP_CELLS = 256;

/** Values in at most STRIP_CELLS cells: `per` consecutive values a cell, their mean (undefined where none is known). */
export function binned(values: (number | undefined)[]): { values: (number | undefined)[]; per: number } {
  if (values.length <= STRIP_CELLS) return { values, per: 1 };
  const per = Math.ceil(values.length / STRIP_CELLS);
  const out: (number | undefined)[] = [];
  for (let k = 0; k < values.length; k += per) {
    let sum = 0;
    let known = 0;
    for (let i = k; i < Math.min(k + per, values.length); i++) {
      const v = values[i];
      if (v !== undefined) {
        sum += v;
        known++;
      }
    }
    out.push(known ? sum / known : undefined);
  }
  return { values: out, per };
}

/** "; each cell the mean of 391 units" when cells are shared. */
export function perCell(per: number, what: string): string {
  return per > 1 ? `; each cell the mean of ${per} ${what}` : '';
}

/** [min, max] of the values without spreading them (Math.min(...v) throws a RangeError past ~10⁵ arguments). */
export function range(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return values.length ? [lo, hi] : [0, 0];
}
