/**
 * The built course-lab site (`npm run build`'s dist/, here built into a temp folder) as a static host publishes it.
 * GitHub Pages runs Jekyll on what it is given unless the site has a `.nojekyll` file, and Jekyll leaves out every
 * file and folder whose name starts with `_` or `.` (its documented `exclude`/`include` rule; other hosts hide
 * dot-files too). Rollup names the chunk of a virtual module (`\0virtual:mnist-subset`, src/node/mnist-plugin.ts)
 * `_virtual_mnist-subset-<hash>.js`: on such a host it was a 404, and the lab's MNIST preset failed with
 * "LazyCodeError: the MNIST digits did not load" (deploy58: the site served from a sub-path with that file left out).
 * The reference is the list of files the build writes, read from the disk.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabSite } from '../src/node/lab-site.ts';

let outDir = '';
beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'site-static-host-'));
  await buildLabSite(outDir);
});
afterAll(() => { if (outDir) rmSync(outDir, { recursive: true, force: true }); });

/** Every file under `dir`, as a path relative to `root` with '/' between its parts. */
function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(root, path) : [relative(root, path).split(/[\\/]/).join('/')];
  });
}

describe('the built site on a static host', () => {
  it('has no file or folder whose name starts with _ or . (Jekyll, so GitHub Pages, leaves those out)', () => {
    const files = filesUnder(outDir);
    // The build wrote the site: both pages, the digits file, and the MNIST subset's chunk (the file this guards).
    expect(files).toEqual(expect.arrayContaining(['index.html', 'bench.html', 'mnist-digits.bin.gz']));
    expect(files.filter((f) => /mnist-subset-[\w-]+\.js$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => f.split('/').some((part) => part.startsWith('_') || part.startsWith('.')))).toEqual([]);
  });
});
