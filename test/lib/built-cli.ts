/**
 * The CLI as a library build, for the tests that spawn `node bin/backprop.js` many times. From a checkout the bin
 * runs the sources through tsx, ~0.5 s a start on this machine; with BACKPROP_CLI_LIB naming a build
 * (`node src/node/build-lib.mjs --out DIR`) it starts in ~0.2 s, which is 40 s of test/cli.test.ts.
 *
 * The build goes to node_modules/.backprop-cli-<hash>/, named by a hash of everything it is built from (src/,
 * shaders/, package.json, package-lock.json), so an edit to any of them gives a new build, and a build in use is
 * never replaced: test files running side by side share it or wait on their own. It sits two folders below the
 * checkout, as dist/lib does, so the CLI finds the checkout's package.json and worked-example files as it would.
 * test/cli.test.ts checks that the build and the sources print the same.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PREFIX = '.backprop-cli-';

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

let built: string | undefined;

/** The environment that makes bin/backprop.js run the build (made on first call, if this source has none yet). */
export function builtCliEnv(): { BACKPROP_CLI_LIB: string } {
  built ??= build();
  return { BACKPROP_CLI_LIB: built };
}

function build(): string {
  const modules = join(ROOT, 'node_modules');
  const name = PREFIX + sourcesHash();
  const dir = join(modules, name);
  if (existsSync(join(dir, 'cli', 'main.js'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const r = spawnSync(process.execPath, ['src/node/build-lib.mjs', '--out', tmp], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`node src/node/build-lib.mjs --out ${tmp} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    // Another test file built the same sources first: use that one.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'cli', 'main.js'))) throw err;
  }
  // Builds of earlier sources (not their in-progress .tmp folders) are of no further use.
  for (const old of readdirSync(modules)) {
    if (old.startsWith(PREFIX) && old !== name && !old.includes('.tmp-')) rmSync(join(modules, old), { recursive: true, force: true });
  }
  return dir;
}
