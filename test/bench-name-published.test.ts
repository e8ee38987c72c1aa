/**
 * A run named as a published one (README's command with its --name but not its --out) is refused before the run:
 * its files in bench/results are committed, and writing them replaced the published JSON, Markdown and SVGs after the
 * whole run (bench/bench.ts outFiles). A name with no committed file there, or another --out, is taken.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';

describe('--name of a published run', () => {
  it('fair-run-52 into bench/results (the default --out) is refused, naming the committed file', () => {
    expect(() => parseArgs(['--name', 'fair-run-52'], 'browser')).toThrow(
      '--name fair-run-52: bench/results/fair-run-52.json is a committed result (a published run), which this run would replace: give another --name, or --out another folder');
    // The Node runner's outputs go in the same folder: the same refusal.
    expect(() => parseArgs(['--name', 'agree52', '--configs', 'a'], 'node')).toThrow(/^--name agree52: bench\/results\/agree52\.json is a committed result/);
  });

  it('the same name with --out elsewhere, a new name, and an uncommitted file of that name are taken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-name-'));
    expect(parseArgs(['--name', 'fair-run-52', '--out', dir], 'browser').name).toBe('fair-run-52');
    expect(parseArgs(['--name', 'my-run-that-was-never-published'], 'browser').out).toBe('bench/results');
    // A file of an earlier run of this name that git does not track (outside any checkout here) is replaced as before.
    writeFileSync(join(dir, 'mine.json'), '{}');
    expect(parseArgs(['--name', 'mine', '--out', dir], 'browser').name).toBe('mine');
  });
});
