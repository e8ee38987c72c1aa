/**
 * The built course-lab site (`vite build --mode lab`: dist/index.html + dist/bench.html + the MNIST digits file),
 * built once per test run and shared by the lab files (lab-lib.ts) and bench.test.ts (each built it before: ~12–20 s a build on
 * this 2-core machine). It lives in the run's scratch folder (test/browser/setup.ts makes it and removes it after
 * the run); the files only read it (each serves it with its own `vite preview`). Test files run one after another
 * (fileParallelism false), so the first caller builds and the next ones find the marker.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { buildLabSite } from '../../src/node/lab-site.ts';

export async function builtSite(): Promise<string> {
  const outDir = join(inject('scratchDir'), 'site');
  const marker = join(inject('scratchDir'), 'site.built');
  if (!existsSync(marker)) {
    await buildLabSite(outDir);
    writeFileSync(marker, '');
  }
  return outDir;
}
