/**
 * The Markdown's Command line of a run where nothing ran (bench/report.ts markdown): every row skipped — config f on a
 * software GPU, `bench.html?configs=f&systems=ours-webgpu&quick=1&autorun=1` on SwiftShader (usr56l) — said "every
 * system agreed" while the page's status line said "nothing ran (2 skipped)" (table.ts doneLine). No system agreed on
 * anything: it says what the page says.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CONFIGS } from '../bench/configs.ts';
import { QUICK_POLICY, type Row } from '../bench/protocol.ts';
import { type BenchResult, describeConfigs, markdown } from '../bench/report.ts';

const byId = (id: string) => ALL_CONFIGS.find((c) => c.id === id)!;
const md = (rows: Row[]): string => markdown({ mode: 'custom', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY,
  configs: describeConfigs([...new Set(rows.map((r) => r.config))].map(byId)), rows, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
const commandLine = (text: string): string | undefined => text.split('\n').find((l) => l.startsWith('Command: '));
const skipped = (config: string): Row => ({ system: 'ours-webgpu', config, status: 'skipped', agreeSteps: 2, error: 'config f skipped on a software GPU' });
const ok = (system: Row['system']): Row => ({ system, config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.125, stepsPerSec: 1e3, msPerStep: { median: 1, min: 1, max: 1 } });

describe('the Markdown of a run where every row was skipped says nothing ran, not that every system agreed (usr56l)', () => {
  it('all skipped: "nothing ran (2 skipped)", as the page\'s status line', () => {
    expect(commandLine(md([skipped('f'), skipped('f-matmul')]))).toBe('Command: `c` · 0.0 s · nothing ran (2 skipped)');
  });
  it('a row that ran beside a skipped one: every system agreed, as before', () => {
    expect(commandLine(md([ok('ours-cpu'), { ...skipped('a'), system: 'scalar' }]))).toBe('Command: `c` · 0.0 s · every system agreed');
  });
});
