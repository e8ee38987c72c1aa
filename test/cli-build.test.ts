/**
 * The CLI's library build (test/lib/built-cli.ts runs every other CLI spawn on it): the build and the sources print
 * the same, and build-lib --out and BACKPROP_CLI_LIB refuse what they cannot use.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, cli, cliEnv, dir } from './lib/cli-run.ts';

describe('the build and the sources print the same (test/lib/built-cli.ts: every other spawn here runs the build)', () => {
  const file = 'src/lectures/lecture-2-2-1.worked.json';
  // Timings differ from run to run: a train's seconds in its JSON and its progress lines' ex/s.
  const untimed = (r: { status: number | null; stdout: string; stderr: string }) => ({
    status: r.status,
    stdout: r.stdout.replace(/"seconds":[^,}]+/g, '"seconds":_'),
    stderr: r.stderr.replace(/ +[0-9.]+ ex\/s .*/g, ' …'),
  });
  for (const args of [
    ['--version'],
    ['check', file, '--backend', 'wasm'],
    ['grad', file, '--backend', 'cpu', '--json'],
    ['explain', file, '--param', 'w5'],
    ['train', file, '--epochs', '2', '--backend', 'wasm', '--json'],
    ['grad', file, '--backend', 'gpu'],
  ]) {
    it(`backprop ${args.join(' ').replace(file, 'LECTURE')}`, () => {
      const source = untimed(cliEnv({ BACKPROP_CLI_LIB: '' }, ...args));
      expect(source.stdout.length + source.stderr.length).toBeGreaterThan(0);
      expect(untimed(cli(...args))).toEqual(source);
    });
  }
});

describe('build-lib --out and BACKPROP_CLI_LIB refuse what they cannot use, touching nothing', () => {
  const buildLib = (...args: string[]) => spawnSync(process.execPath, ['src/node/build-lib.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  it('--out: a folder that is not empty, a file, a symbolic link, or no folder named: exit 2, each left as it was', () => {
    const full = join(dir, 'not-empty');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'mine too');
    const a = buildLib('--out', full);
    expect([a.status, a.stderr.trim()]).toEqual([2, `build-lib: --out ${full} is a folder that is not empty; name a new or empty folder`]);
    expect(readdirSync(full)).toEqual(['keep.txt']);
    const b = buildLib('--out', file);
    expect([b.status, b.stderr.trim()]).toEqual([2, `build-lib: --out ${file} is a file; name a new or empty folder`]);
    expect(readFileSync(file, 'utf8')).toBe('mine too');
    // A link to an empty folder: the build's rmSync removed the link and made a folder in its place.
    const target = join(dir, 'link-target');
    mkdirSync(target);
    const link = join(dir, 'link-out');
    symlinkSync(target, link, 'dir');
    const l = buildLib('--out', link);
    expect([l.status, l.stderr.trim()]).toEqual([2, `build-lib: --out ${link} is a symbolic link (to ${target}); name the folder itself, new or empty`]);
    expect([lstatSync(link).isSymbolicLink(), readdirSync(target)]).toEqual([true, []]);
    const c = buildLib('--out');
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('usage: node src/node/build-lib.mjs [--out DIR]');
  });
  it('BACKPROP_CLI_LIB naming a folder with no build: exit 2, saying how to make one', () => {
    const none = join(ROOT, 'node_modules', '.backprop-cli-no-build');
    const r = cliEnv({ BACKPROP_CLI_LIB: none }, '--version');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trim()).toBe(`backprop: BACKPROP_CLI_LIB=${none} holds no cli/main.js; build one with: node src/node/build-lib.mjs --out ${none}`);
  });
  // A stand-in build: it says that it ran, and from where.
  const fakeBuild = (lib: string): void => {
    mkdirSync(join(lib, 'cli'), { recursive: true });
    writeFileSync(join(lib, 'cli', 'main.js'), 'export async function main() { console.log(`ran ${import.meta.url}`); return 0; }\n');
  };
  it('BACKPROP_CLI_LIB naming a build not two folders below the checkout: exit 2 before running it', () => {
    // There the CLI's packageRoot would not find the checkout: --version 'unknown', other lecture paths.
    const elsewhere = join(dir, 'elsewhere-build');
    fakeBuild(elsewhere);
    const r = cliEnv({ BACKPROP_CLI_LIB: elsewhere }, '--version');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trim()).toBe(`backprop: BACKPROP_CLI_LIB=${elsewhere} is not two folders below ${ROOT.replace(/\/$/, '')} (as dist/lib is), where the built CLI finds this checkout's files`);
  });
  it('the installed package (no src/ beside bin/) runs its dist/lib and ignores BACKPROP_CLI_LIB', () => {
    const pkg = join(dir, 'installed');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    writeFileSync(join(pkg, 'bin', 'backprop.js'), readFileSync(BIN));
    fakeBuild(join(pkg, 'dist', 'lib'));
    const other = join(pkg, 'x', 'lib');
    fakeBuild(other);
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'backprop.js')], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, BACKPROP_CLI_LIB: other } });
    expect([r.status, r.stderr, r.stdout.trim()]).toEqual([0, '', `ran file://${join(pkg, 'dist', 'lib', 'cli', 'main.js')}`]);
  });
});
