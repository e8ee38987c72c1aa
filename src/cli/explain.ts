/**
 * `backprop explain SPEC.json [--param NAME] [--convention flat|to-from|from-to] [--format text|md|latex]
 * [--decimals N] [--backend cpu|webgpu|wasm|both|none]`: the scalar chain rule for every parameter (or one),
 * beside its matrix line from the CPU (default), wasm and/or WebGPU backend (WebGPU on Dawn in Node, else in headless
 * Chromium: src/cli/webgpu.ts, which says on stderr which ran), and the cost of notation.
 * SPEC.json may also be a worked-example file (its spec is explained).
 */
import { validateSpec } from '../spec.ts';
import { explainer, mismatches, specOf, type ExplainOptions } from '../notation/explain.ts';
import { type Format, render } from '../notation/format.ts';
import type { MatrixRun } from '../notation/matrix.ts';
import type { PlainGrad } from './browser.ts';
import { cpuGrad, webgpuGrad } from './grad.ts';
import { modelGrad } from './in-node.ts';
import type { WebGpuVariant } from './webgpu.ts';

/** explain's --backend values. */
export const EXPLAIN_BACKENDS = ['cpu', 'webgpu', 'wasm', 'both', 'none'] as const;
export type ExplainBackend = (typeof EXPLAIN_BACKENDS)[number];
/** The --backend values of explain that run WebGPU (where --webgpu-variant is taken). */
export const EXPLAIN_GPU_BACKENDS = ['webgpu', 'both'] as const satisfies readonly ExplainBackend[];

function toRun(g: PlainGrad, X: Float32Array, n: number): MatrixRun {
  return { backend: g.backend, n, X, A: g.A, delta: g.delta, dW: g.dW, db: g.db };
}

/**
 * Returns the exit status: 1 when a matrix value disagrees with the scalar engine (✗ MISMATCH), else 0. `variant`:
 * the WebGPU kernels (--webgpu-variant).
 */
export async function runExplain(raw: unknown, opts: ExplainOptions, format: Format, backend: ExplainBackend, out: (s: string) => void, variant?: WebGpuVariant): Promise<number> {
  const ex = explainer(raw, { ...opts, fields: { param: '--param', decimals: '--decimals', convention: '--convention', numericH: '--numeric-h', numeric: '--numeric' } }); // every input checked before any backend runs
  const spec = specOf(raw);
  const batch = validateSpec(spec).batch!;
  const runs: MatrixRun[] = [];
  if (ex.params.length > 0) {
    if (backend === 'cpu' || backend === 'both') runs.push(toRun(await cpuGrad(spec), batch.X, batch.n));
    if (backend === 'wasm') runs.push(toRun(await modelGrad(spec, 'wasm'), batch.X, batch.n));
    if (backend === 'webgpu' || backend === 'both') runs.push(toRun(await webgpuGrad(spec, variant), batch.X, batch.n));
  }
  const doc = ex.doc(runs);
  out(render(doc, format));
  const bad = mismatches(doc);
  if (bad.length === 0) return 0;
  const what = opts.numeric ? 'value(s) (matrix or numeric)' : 'matrix value(s)';
  process.stderr.write(`✗ ${bad.length} ${what} disagree with the scalar engine (exit status 1):\n${bad.map((b) => `  ${b}`).join('\n')}\n`);
  return 1;
}
