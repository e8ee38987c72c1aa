/**
 * The page's status line at the end of a stopped run (bench/page/table.ts doneLine) in the two cases the Stop tests
 * did not reach (mutation audit mut57): a stopped run with a failure says "stopped (N not run): …", not "done: …";
 * and a stopped run's rows not run are counted apart from the rows skipped for another reason (no WebGPU …), each
 * row in one count only. Results made by hand; every expected line worked out from doneLine's documented form.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';
import type { Row } from '../bench/protocol.ts';
import { doneLine } from '../bench/page/table.ts';

const NOT_RUN = 'not run (the run was stopped)';
const row = (config: string, system: Row['system'], status: Row['status'], error?: string): Row => ({ config, system, status, agreeSteps: 8, ...(error ? { error } : {}) });
const result = (rows: Row[], extra: Partial<BenchResult>): BenchResult => ({ rows, ok: true, failures: [], seconds: 3, ...extra }) as unknown as BenchResult;

describe('doneLine of a stopped run', () => {
  it('with a failure: "stopped (2 not run): " and the failure, where a whole run says "done: "', () => {
    const rows = [row('a', 'ours-cpu', 'ok'), row('a', 'tfjs-cpu', 'ok'), row('b-mse', 'ours-cpu', 'skipped', NOT_RUN), row('b-mse', 'tfjs-cpu', 'skipped', NOT_RUN)];
    const failures = ['a tfjs-cpu: final loss 2 vs ours-cpu 1'];
    expect(doneLine(result(rows, { ok: false, failures, stopped: true }))).toBe('stopped (2 not run): a tfjs-cpu: final loss 2 vs ours-cpu 1');
    expect(doneLine(result(rows.slice(0, 2), { ok: false, failures }))).toBe('done: a tfjs-cpu: final loss 2 vs ours-cpu 1');
  });

  it('rows not run and rows skipped counted apart: 1 ran, 1 not run, 1 skipped', () => {
    const rows = [row('a', 'ours-cpu', 'ok'), row('a', 'ours-webgpu', 'skipped', 'no WebGPU in this browser'), row('b-mse', 'ours-cpu', 'skipped', NOT_RUN)];
    expect(doneLine(result(rows, { stopped: true }))).toBe('stopped after 3.0 s: 1 row ran and agreed (1 not run, 1 skipped)');
    // A whole run with the same ran and skipped rows: no "not run" part.
    expect(doneLine(result(rows.slice(0, 2), {}))).toBe('done in 3.0 s: 1 row ran and agreed (1 skipped)');
  });
});
