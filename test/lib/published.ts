/**
 * What the tests of README's published benchmark figures share (test/bench-published*.test.ts): README's text, a
 * committed results file of bench/results/, a table's rows, a printed figure against the JSON's value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { BenchResult } from '../../bench/report.ts';
import { cut } from './readme-text.ts';

export const README_TEXT = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
/** bench/RESULTS.md, where README's earlier runs live (their figures are checked there as they were in README). */
export const RESULTS_TEXT = readFileSync(join(import.meta.dirname, '..', '..', 'bench', 'RESULTS.md'), 'utf8');
/** RESULTS.md's copy of README's target-table verdict on target a or e before its history moved there, whitespace made single spaces. */
export const verdictHistory = (target: 'a' | 'e'): string => cut(RESULTS_TEXT, target === 'a' ? 'Target a (ours-webgpu ≥ 1000× every peer): ' : "Target e (our fastest ≤ ½ the fastest peer's time): ", '\n\n').replace(/\s+/g, ' ');
export const resultsFile = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'bench', 'results', name), 'utf8')) as BenchResult;
/**
 * `f()`, computed on the first call and kept: a describe's cut of README, and the results files it reads
 * (`once(() => resultsFile(…))`), run inside its tests, so that a missing marker or JSON fails those tests by name
 * (cut's error, or ENOENT naming the file) rather than the whole file while it is collected.
 */
export function once<T>(f: () => T): () => T {
  let kept: { value: T } | undefined;
  return () => (kept ??= { value: f() }).value;
}
/** The body rows (cells trimmed) of the first Markdown table in `text` whose header line starts with `head`. */
export function tableIn(text: string, head: string): string[][] {
  const lines = cut(text, head).split('\n');
  const body = lines.slice(2, lines.findIndex((l, i) => i > 1 && !l.startsWith('|')));
  return body.map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
}
/** `printed` (spaces between thousands and a `*` allowed) is `value` to its last digit. */
export function nearPrinted(printed: string, value: number, what: string): void {
  const t = printed.replace(/[\s*]/g, '');
  expect(t, what).toMatch(/^\d+(\.\d+)?$/);
  expect(Math.abs(Number(t) - value), `${what}: README ${printed}, JSON ${value}`).toBeLessThanOrEqual(0.5 * 10 ** -(t.split('.')[1] ?? '').length + 1e-9);
}
/** The one row of `result` for config, system and (when given) thread count. */
export function rowOf(result: BenchResult, config: string, system: string, threads?: number) {
  const r = result.rows.filter((x) => x.config === config && x.system === system && (threads === undefined || x.threads === threads));
  expect(r, `${config} ${system} ${threads ?? ''}`).toHaveLength(1);
  return r[0]!;
}

/** The k-th row (in the run's order) of config, system and thread count: ours-wasm on 1 thread ran in two page loads. */
export const rowIn = (result: BenchResult) => (config: string, system: string, threads?: number, k = 0): BenchResult['rows'][number] => {
  const r = result.rows.filter((x) => x.config === config && x.system === system && (threads === undefined || x.threads === threads));
  expect(r.length, `${config} ${system} ${threads ?? ''}`).toBe(system === 'ours-wasm' && threads === 1 ? 2 : 1);
  return r[k]!;
};

/** Target e's two sides in a run: our fastest row's seconds to the goal and the fastest peer's, whatever their counts. */
export function fastestToGoal(result: BenchResult, config: string): { ours: number; peer: number } {
  const tta = (systems: readonly string[]) => Math.min(...result.rows.filter((r) => r.config === config && systems.includes(r.system) && r.timeToAccuracy).map((r) => r.timeToAccuracy!));
  return { ours: tta(['ours-wasm', 'ours-webgpu', 'ours-cpu']), peer: tta(['tfjs-webgl', 'jax-webgpu', 'jax-wasm']) };
}
