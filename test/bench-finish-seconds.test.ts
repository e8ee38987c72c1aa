/**
 * The runners' closing lines (bench/output.ts finish). Its `target …` line writes the measured ratio as the targets
 * table does (report.ts measuredText): a met time-to-accuracy target whose peer never reached the goal read
 * 'Infinity×' there. The last line: "wrote FILES (N s)" gives a run's seconds as the page's status line
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
import type { TargetCheck } from '../bench/targets.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const row: Row = { system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.125, stepsPerSec: 1e3, msPerStep: { median: 1, min: 1, max: 1 } };
const result = (seconds: number, targets: TargetCheck[] = []): BenchResult => ({
  mode: 'custom', date: '2026-12-07T00:00:00.000Z', command: 'c', env: { runner: 'node', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY,
  configs: describeConfigs([ALL_CONFIGS.find((c) => c.id === 'a')!]), rows: [row], targets, ok: true, failures: [], seconds,
} as unknown as BenchResult);

/** finish's console lines for a run of `seconds` with `targets`. */
function linesOf(seconds: number, targets: TargetCheck[] = []): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const dir = mkdtempSync(join(tmpdir(), 'bench-finish-'));
  expect(finish(result(seconds, targets), { dir, name: 'run', stamped: false })).toBe(0);
  return lines;
}

/** finish's last console line for a run of `seconds`. */
const lastLine = (seconds: number): string => linesOf(seconds).at(-1)!;

describe('the runners\' "wrote … (N s)" line: one decimal under 10 s, as the page and the Markdown', () => {
  it('3.44 s → (3.4 s), 0.2 s → (0.2 s); 417.4 s → (417 s)', () => {
    expect(lastLine(3.44)).toMatch(/^wrote .*run\.json, .*run\.md, .*run\.svg \(3\.4 s\)$/);
    expect(lastLine(0.2)).toMatch(/ \(0\.2 s\)$/);
    expect(lastLine(417.4)).toMatch(/ \(417 s\)$/);
  });
});

describe("the runners' target line writes the ratio as the targets table", () => {
  it('a met time-to-accuracy target whose peer never reached the goal: ∞ (the peer never reached the goal), not Infinity×', () => {
    const never: TargetCheck = { config: 'e-sgd', system: 'ours-wasm', versus: 'tfjs-webgl', want: 2, got: Infinity, met: true };
    const ratio: TargetCheck = { config: 'e-adam', system: 'ours-wasm', versus: 'tfjs-webgl', want: 2, got: 2.5, met: true };
    const targets = linesOf(3, [never, ratio]).filter((l) => l.startsWith('target '));
    expect(targets).toEqual([
      'target e-sgd: ours-wasm ≥ 2× tfjs-webgl: ∞ (the peer never reached the goal) met',
      'target e-adam: ours-wasm ≥ 2× tfjs-webgl: 2.50× met',
    ]);
  });
});
