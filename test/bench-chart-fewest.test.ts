/**
 * The steps/s chart's colour base (chart.ts fewestCounts, svgChart) is a system's fewest count among the bars it draws
 * (read56c): a fit row (config e, qe: no steps/s, no bar in this chart) counted, so a 0-worker jax-wasm qe row beside
 * an erred 0-worker q-mse row left the one jax-wasm bar drawn, 1 worker's, pale as if a 0-worker bar stood beside it.
 */
import { describe, expect, it } from 'vitest';
import { type ChartRun, svgChart } from '../bench/chart.ts';
import type { Row } from '../bench/protocol.ts';

const run = (rows: Row[]): ChartRun => ({ configs: [{ id: 'q-mse' }, { id: 'qe-sgd' }], rows, env: { runner: 'browser', browser: 'Chrome/1', cpu: { model: 'x', cores: 2 } }, mode: 'custom', date: '2026-12-07T00:00:00Z' });
const swatch = (svg: string): string[] => [...svg.matchAll(/fill="(#[0-9a-f]{6})"\/>\n<text[^>]*>(jax-wasm[^<]*)<\/text>/g)].map(([, fill, label]) => `${label} ${fill}`);

describe('the steps/s chart colours a system from the fewest count it draws', () => {
  const bar: Row = { system: 'jax-wasm', config: 'q-mse', status: 'ok', agreeSteps: 2, threads: 1, stepsPerSec: 100 };
  const erred: Row = { system: 'jax-wasm', config: 'q-mse', status: 'error', error: 'x', agreeSteps: 2, threads: 0 };
  const fit: Row = { system: 'jax-wasm', config: 'qe-sgd', status: 'ok', agreeSteps: 4, threads: 0, finalLoss: 0.5, epochs: [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.9 }] };
  it('a 0-worker fit row draws no bar here: the 1-worker bar is the hue (#bcbd22), not half-way to white', () => {
    expect(swatch(svgChart(run([erred, bar, fit])))).toEqual(['jax-wasm (1 worker) #bcbd22']);
  });
  it('the bars drawn set the base: ours-wasm on 2 and 4 threads, 2 the hue (#7f7f7f), 4 at 70 % to white (0x7f·0.3 + 255·0.7 = 216.6 → 0xd9)', () => {
    const wasm = (threads: number): Row => ({ system: 'ours-wasm', config: 'q-mse', status: 'ok', agreeSteps: 2, threads, stepsPerSec: 100 * threads });
    const labels = (svg: string): string[] => [...svg.matchAll(/fill="(#[0-9a-f]{6})"\/>\n<text[^>]*>(ours-wasm[^<]*)<\/text>/g)].map(([, fill, label]) => `${label} ${fill}`);
    expect(labels(svgChart(run([wasm(2), wasm(4)])))).toEqual(['ours-wasm (2 threads) #7f7f7f', 'ours-wasm (4 threads) #d9d9d9']);
  });
});
