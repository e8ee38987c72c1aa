/** Plain-text tables and numbers for the CLI, and a net's layers in a line. */

/** Is a finite, non-zero |v| written in exponent form (1.2340e-5, 5.0000e+19): below 1e-4 or from 1e7 on? */
export function inExponentForm(v: number): boolean {
  const a = Math.abs(v);
  return Number.isFinite(v) && a !== 0 && (a < 1e-4 || a >= 1e7);
}

/** A number in at most 7 significant digits, exponent form when very small or large. */
export function fmt(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  if (inExponentForm(v)) return v.toExponential(4);
  return String(Number(v.toPrecision(7)));
}

/** Left-aligned columns separated by two spaces; `right` marks columns to right-align. */
export function table(rows: string[][], right: (col: number) => boolean = () => false): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, c) => { widths[c] = Math.max(widths[c] ?? 0, cell.length); });
  return rows
    .map((row) => row.map((cell, c) => (right(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

const MAX_COLS = 8;

/**
 * A row-major (rows × cols) matrix under a title, rows labelled `rowLabel i`, columns `colLabel j` (1-based), or
 * colLabel(j) where a column is not counted (a vector's one column is headed by its name: db₂).
 * Only the first MAX_COLS columns are shown.
 */
export function matrix(title: string, data: ArrayLike<number>, rows: number, cols: number, rowLabel: string, colLabel: string | ((j: number) => string)): string {
  const shown = Math.min(cols, MAX_COLS);
  const header = ['', ...Array.from({ length: shown }, (_, j) => (typeof colLabel === 'string' ? `${colLabel} ${j + 1}` : colLabel(j)))];
  const body = Array.from({ length: rows }, (_, i) => [
    `${rowLabel} ${i + 1}`,
    ...Array.from({ length: shown }, (_, j) => fmt(data[i * cols + j])),
  ]);
  const left = cols - shown;
  const more = left > 0 ? `\n    … ${left} more ${typeof colLabel === 'string' ? `${colLabel} ` : ''}column${left === 1 ? '' : 's'} not shown` : '';
  const indented = table([header, ...body], (c) => c > 0).replace(/^/gm, '    ');
  return `  ${title}\n${indented}${more}`;
}

/** "64 → 32 relu → 10 softmax": the inputs, then each layer's units and activation (a spec's or a validated net's). */
export function architecture(net: { inputs: number; layers: readonly { units: number; activation: string }[] }): string {
  return [String(net.inputs), ...net.layers.map((l) => `${l.units} ${l.activation}`)].join(' → ');
}
