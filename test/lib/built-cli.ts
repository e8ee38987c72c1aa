/**
 * The CLI as a library build, for the tests that spawn `node bin/backprop.js` many times. From a checkout the bin
 * runs the sources through tsx, ~0.5 s a start on this machine; with BACKPROP_CLI_LIB naming a build
 * (`node src/node/build-lib.mjs --out DIR`) it starts in ~0.2 s, which is 40 s of the test/cli-*.test.ts files.
 *
 * The build goes to node_modules/.backprop-cli-<hash>/, named by a hash of everything it is built from (src/,
 * shaders/, package.json, package-lock.json), so an edit to any of them gives a new build, and a build in use is
 * never replaced: test files running side by side share it, or build it at the same time and use whichever copy
 * is renamed into place first. Each build is made in a fresh folder of its own (`…<hash>.tmp-XXXXXX`, not named by
 * the pid: worker threads share one) and renamed into place, so no build ever writes into another's folder. Builds
 * of other sources, and folders of builds that never finished, are removed once nothing has used them for STALE_MS
 * (a test file marks the build it takes), so a run of older sources still going (an edit made during a run) keeps
 * its build. It sits two folders below the checkout, as dist/lib does, so the CLI finds the checkout's package.json
 * and worked-example files as it would.
 * test/cli-build.test.ts checks that the build and the sources print the same; test/built-cli.test.ts the folders.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PREFIX = '.backprop-cli-';
/** Unused this long, a build of other sources (or an unfinished one: a build takes seconds) is removed. Longer than any test file runs. */
export const STALE_MS = 30 * 60_000;

function sourcesHash(): string {
  const h = createHash('sha256');
  const add = (rel: string): void => {
    const path = join(ROOT, rel);
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(rel, name));
      return;
    }
    h.update(`${rel}\0`).update(readFileSync(path)).update('\0');
  };
  for (const rel of ['src', 'shaders', 'package.json', 'package-lock.json']) add(rel);
  return h.digest('hex').slice(0, 16);
}

let built: string | Error | undefined;

/**
 * The environment that makes bin/backprop.js run the build (made on first call, if this source has none yet). A build
 * that failed is not tried again: every later call throws its error (a file calling this per test, as
 * test/dawn.test.ts does, would build again for each, up to 120 s a time).
 */
export function builtCliEnv(): { BACKPROP_CLI_LIB: string } {
  if (built === undefined) {
    try {
      built = sharedBuild(join(ROOT, 'node_modules'), PREFIX + sourcesHash(), (tmp) => {
        const r = spawnSync(process.execPath, ['src/node/build-lib.mjs', '--out', tmp], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
        if (r.status !== 0) throw new Error(`node src/node/build-lib.mjs --out ${tmp} failed (${r.status ?? r.signal}):\n${r.stderr}`);
      });
    } catch (err) {
      built = err instanceof Error ? err : new Error(String(err));
    }
  }
  if (built instanceof Error) throw built;
  return { BACKPROP_CLI_LIB: built };
}

/**
 * `modules/name`, holding a build (`cli/main.js`): the one there, marked as in use, else one that `make(tmp)` writes
 * into a new empty folder of its own and that is renamed into place (where another was placed first, that one). Then
 * removes the PREFIX folders beside it unused for STALE_MS. Exported for test/built-cli.test.ts.
 */
export function sharedBuild(modules: string, name: string, make: (tmp: string) => void, now = Date.now()): string {
  const dir = join(modules, name);
  if (existsSync(join(dir, 'cli', 'main.js'))) {
    utimesSync(dir, now / 1000, now / 1000);
  } else {
    const tmp = mkdtempSync(`${dir}.tmp-`);
    try {
      make(tmp);
      renameSync(tmp, dir);
    } catch (err) {
      // Another test file built the same sources first (the rename found its folder): use that one.
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(dir, 'cli', 'main.js'))) throw err;
    }
  }
  for (const other of readdirSync(modules)) {
    if (!other.startsWith(PREFIX) || other === name) continue;
    const path = join(modules, other);
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another test file's clean-up
    }
  }
  return dir;
}
