/**
 * The bench page's build stamp: backprop-webgpu's package version and the git commit its code was at (short hash,
 * dirty when tracked files differed), put into the page as `__BENCH_PAGE_BUILD__` by Vite's `define` when the page is
 * built (`npm run build`, vite.config.ts) or served (`npm run lab`, and bench/server.ts for `npm run bench`), so a page
 * run in your own browser records them in its results (env.build) as the Dawn runner's standalone build does
 * (bench/build-info.ts). Node side only: the page reads it through bench/page/build-stamp.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PageBuild {
  /** package.json's version. */
  version: string;
  /** `git rev-parse --short HEAD`, absent outside a git checkout or without git. */
  commit?: string;
  dirty?: boolean;
  /** When the stamp was made (ISO 8601): the build, or the dev server's start. */
  built: string;
}

/**
 * The commit the working tree at `cwd` is at (short hash) and whether its tracked files differ from it (`git status`;
 * untracked files, such as earlier results, do not count). Undefined outside a git checkout or without git. The Node
 * runners' results record it too (bench/bench.ts hostEnv).
 */
export function gitState(cwd = process.cwd()): { commit: string; dirty: boolean } | undefined {
  const git = (args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git(['rev-parse', '--short', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    return undefined;
  }
}

/** package.json's version under `root`. */
export function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The stamp of the code under `root` now. */
export function pageBuild(root: string): PageBuild {
  return { version: packageVersion(root), ...(gitState(root) ?? {}), built: new Date().toISOString() };
}

/** Vite's `define` entry that puts the stamp into the page. */
export function pageBuildDefine(root: string): Record<string, string> {
  return { __BENCH_PAGE_BUILD__: JSON.stringify(pageBuild(root)) };
}
