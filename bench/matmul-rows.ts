/**
 * How the tables (the Markdown's, the terminal's, the page's) show a bare matmul config (q-matmul, f-matmul:
 * bench/matmul.ts) and its rows: one product a step, no net, no loss; C[0][0] of the last product where a net's rows
 * have their loss. A leaf beside bench/report.ts (which it keeps under 600 lines), with no GPU code.
 */
import { ALL_CONFIGS, type MatmulShape } from './configs.ts';
import type { Row } from './protocol.ts';

/** The bare matmul configs' shapes by id (q-matmul, f-matmul: bench/matmul.ts), which a result's configs do not carry. */
const MATMUL_SHAPES = new Map(ALL_CONFIGS.flatMap((c) => (c.matmul ? [[c.id, c.matmul] as const] : [])));

/** A bare matmul config's product shape, or undefined for a net's config. */
export const matmulShapeOf = (config: string): MatmulShape | undefined => MATMUL_SHAPES.get(config);

/**
 * The loss column's head: a bare matmul has no loss, and its rows fill the column with C[0][0] of their last product
 * (what the systems are compared on: bench/matmul.ts), so the head says so where the rows have one; `fit` the page's
 * note that config e's rows show epoch 1's loss.
 */
export function lossHead(rows: Pick<Row, 'config'>[], fit = false): string {
  const matmul = rows.some((r) => matmulShapeOf(r.config));
  if (matmul && rows.every((r) => matmulShapeOf(r.config))) return 'C[0][0] (bare matmul)';
  const notes = [fit ? 'e: epoch 1' : '', matmul ? 'bare matmul: C[0][0]' : ''].filter(Boolean);
  return `loss after N${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * What a bare matmul config is and what its rows show (the Markdown, under its config table; the page, under its
 * table): one product a step, no net, and C[0][0] where a net's rows have their loss.
 */
export function matmulNote(ids: string[]): string {
  return `${ids.join(', ')}: a bare matmul C = A·B (A R×K, B K×C, U(0, 1)), one product a step, no net: no batch, loss, learning rate or N. Its rows' loss column is C[0][0] of the last product, compared with the reference's within the rtol; each system's product is also checked once, untimed, against float64 dots on sampled entries (|error| ≤ γ_K·Σ|terms|, bench/matmul.ts).`;
}
