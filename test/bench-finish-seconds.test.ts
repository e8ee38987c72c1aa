/**
 * The runners' last line (bench/output.ts finish): "wrote FILES (N s)" gives a run's seconds as the page's status line
 * and the Markdown do (protocol.ts fmtSeconds): one decimal under 10 s. A --quick run read "(0 s)" there after the
 * page and the Markdown had learned to say "3.4 s" (read56b).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALL_CONFIGS } from '../bench/configs.ts';
import { finish } from '../bench/output.ts';
import { QUICK_POLICY, type Row } from '../bench/protocol.ts';
import { type BenchResult, describeConfigs } from '../bench/report.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const row: Row = { system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.125, stepsPerSec: 1e3, msPerStep: { median: 1, min: 1, max: 1 } };
const result = (seconds: number): BenchResult => ({
  mode: 'custom', date: '2026-12-07T00:00:00.000Z', command: 'c', env: { runner: 'node', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY,
  configs: describeConfigs([ALL_CONFIGS.find((c) => c.id === 'a')!]), rows: [row], targets: [], ok: true, failures: [], seconds,
} as unknown as BenchResult);

/** finish's last console line for a run of `seconds`. */
function lastLine(seconds: number): string {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const dir = mkdtempSync(join(tmpdir(), 'bench-finish-'));
  expect(finish(result(seconds), { dir, name: 'run', stamped: false })).toBe(0);
  return lines[lines.length - 1];
}

describe('the runners\' "wrote … (N s)" line: one decimal under 10 s, as the page and the Markdown', () => {
  it('3.44 s → (3.4 s), 0.2 s → (0.2 s); 417.4 s → (417 s)', () => {
    expect(lastLine(3.44)).toMatch(/^wrote .*run\.json, .*run\.md, .*run\.svg \(3\.4 s\)$/);
    expect(lastLine(0.2)).toMatch(/ \(0\.2 s\)$/);
    expect(lastLine(417.4)).toMatch(/ \(417 s\)$/);
  });
});
