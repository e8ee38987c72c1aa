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

/** The stamp of the code under `root` now. */
export function pageBuild(root: string): PageBuild {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const git = (args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let commit: { commit: string; dirty: boolean } | undefined;
  try {
    commit = { commit: git(['rev-parse', '--short', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    commit = undefined;
  }
  return { version, ...(commit ?? {}), built: new Date().toISOString() };
}

/** Vite's `define` entry that puts the stamp into the page. */
export function pageBuildDefine(root: string): Record<string, string> {
  return { __BENCH_PAGE_BUILD__: JSON.stringify(pageBuild(root)) };
}
