/**
 * A page load's BenchResult made by hand around `rows` (the browser run's stand-in page loads: bench-browser-stopped,
 * bench-browser-outcome-edges): the fields a result must have, set to fixed values; `stopped` as the page's Stop marks it.
 */
import type { Row } from '../../bench/protocol.ts';
import type { BenchResult } from '../../bench/report.ts';

export function resultOf(rows: Row[], stopped: boolean): BenchResult {
  return {
    tool: 'backprop-webgpu bench', version: 1, date: '2026-12-07T00:00:00.000Z', mode: 'quick', command: 'x', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } },
    policy: {} as BenchResult['policy'], configs: [], systems: [...new Set(rows.map((r) => r.system))], rows, targets: [], ok: true, failures: [], failedRows: [], seconds: 1,
    ...(stopped ? { stopped: true as const } : {}),
  } as BenchResult;
}
