/**
 * bench/output.ts writeOutputs: the files a run writes under --out (README, "npm run bench"): NAME.json, .md, .svg
 * (NAME-tta.svg: test/bench-report.test.ts), and unless the run is quick a timestamped copy of the JSON, `<date>.json`
 * for `latest`, else `NAME-<date>.json`, the date's colons and dot made dashes (README's fair-run-57-2026-12-07T05-06-35-968Z.json).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutputs } from '../bench/output.ts';
import type { BenchResult } from '../bench/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-output-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A committed run without config e (no tta chart), dated as README's example.
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run.json'), 'utf8')) as BenchResult;
const run: BenchResult = { ...fixture, date: '2026-12-06T15:35:57.010Z', rows: fixture.rows.filter((r) => !r.config.startsWith('e-')) };

describe('writeOutputs: names and the timestamped copy', () => {
  it('latest: latest.{json,md,svg} and <date>.json, the same JSON; another name: NAME-<date>.json; not stamped: none', () => {
    const out = join(dir, 'a');
    expect(writeOutputs(run, out, 'latest', true)).toEqual(['latest.json', 'latest.md', 'latest.svg', '2026-12-06T15-35-57-010Z.json'].map((f) => join(out, f)));
    expect(readFileSync(join(out, '2026-12-06T15-35-57-010Z.json'), 'utf8')).toBe(readFileSync(join(out, 'latest.json'), 'utf8'));
    expect(writeOutputs(run, out, 'fair', true)).toContain(join(out, 'fair-2026-12-06T15-35-57-010Z.json'));
    const quiet = join(dir, 'b');
    writeOutputs(run, quiet, 'latest', false);
    expect(readdirSync(quiet).sort()).toEqual(['latest.json', 'latest.md', 'latest.svg']);
  });

  it('makes the --out folder, however deep, when it is not there yet (parseArgs leaves that to the end of the run)', () => {
    const out = join(dir, 'new', 'deeper');
    writeOutputs(run, out, 'x', false);
    expect(readdirSync(out).sort()).toEqual(['x.json', 'x.md', 'x.svg']);
  });
});
