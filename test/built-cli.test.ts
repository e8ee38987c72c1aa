/**
 * test/lib/built-cli.ts's folders, with a stand-in for the build (a `make` that writes cli/main.js): test files
 * build side by side in node_modules/, in one process too (worker threads share a pid), and clean up after older
 * sources. No real build here (test/cli-build.test.ts runs one).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PREFIX, STALE_MS, sharedBuild } from './lib/built-cli.ts';

const root = mkdtempSync(join(tmpdir(), 'backprop-built-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const modulesDir = (): string => {
  const dir = join(root, `modules-${n++}`);
  mkdirSync(dir);
  return dir;
};
const writeBuild = (dir: string, text = 'export async function main() {}'): void => {
  mkdirSync(join(dir, 'cli'), { recursive: true });
  writeFileSync(join(dir, 'cli', 'main.js'), text);
};
/** A folder `name` in `modules`, last changed `ageMs` before `now`. */
const folder = (modules: string, name: string, now: number, ageMs: number): void => {
  writeBuild(join(modules, name));
  utimesSync(join(modules, name), (now - ageMs) / 1000, (now - ageMs) / 1000);
};

describe('sharedBuild (test/lib/built-cli.ts)', () => {
  it('a build started while another of the same sources is under way writes into a folder of its own', () => {
    const modules = modulesDir();
    const name = `${PREFIX}same`;
    const tmps: string[] = [];
    let kept = false;
    const dir = sharedBuild(modules, name, (outer) => {
      tmps.push(outer);
      writeFileSync(join(outer, 'half-written.js'), '');
      // A second test file in this process (a worker thread: same pid) starts the same build now.
      sharedBuild(modules, name, (inner) => {
        tmps.push(inner);
        writeBuild(inner, 'inner');
      });
      kept = existsSync(join(outer, 'half-written.js'));
      writeBuild(outer, 'outer');
    });
    expect(tmps[0]).not.toBe(tmps[1]);
    expect(kept).toBe(true);
    expect(dir).toBe(join(modules, name));
    expect(existsSync(join(dir, 'cli', 'main.js'))).toBe(true);
    // The outer build found the inner one in place and removed its own folder: nothing else is left.
    expect(readdirSync(modules)).toEqual([name]);
  });

  it('builds of other sources and unfinished folders go once unused for STALE_MS; recent ones stay, other folders too', () => {
    const modules = modulesDir();
    const now = Date.now();
    folder(modules, `${PREFIX}old`, now, STALE_MS + 60_000);
    folder(modules, `${PREFIX}in-use`, now, 60_000); // a run of the sources before an edit, still going
    folder(modules, `${PREFIX}old.tmp-abc123`, now, STALE_MS + 60_000); // a build killed half-way
    folder(modules, `${PREFIX}new.tmp-def456`, now, 1_000); // another file's build under way
    folder(modules, 'other-package', now, STALE_MS * 10);
    sharedBuild(modules, `${PREFIX}new`, writeBuild, now);
    expect(readdirSync(modules).sort()).toEqual([`${PREFIX}in-use`, `${PREFIX}new`, `${PREFIX}new.tmp-def456`, 'other-package']);
  });

  it('an existing build is taken as it is and marked as in use, so a clean-up by other sources leaves it', () => {
    const modules = modulesDir();
    const now = Date.now();
    folder(modules, `${PREFIX}kept`, now, STALE_MS + 60_000);
    const dir = sharedBuild(modules, `${PREFIX}kept`, () => { throw new Error('must not build again'); }, now);
    expect(Math.abs(statSync(dir).mtimeMs - now)).toBeLessThan(1_000);
    sharedBuild(modules, `${PREFIX}other`, writeBuild, now + 1_000);
    expect(readdirSync(modules).sort()).toEqual([`${PREFIX}kept`, `${PREFIX}other`]);
  });

  it('a build that fails leaves no folder behind', () => {
    const modules = modulesDir();
    expect(() => sharedBuild(modules, `${PREFIX}broken`, (tmp) => {
      writeFileSync(join(tmp, 'partial.js'), '');
      throw new Error('build-lib failed');
    })).toThrow('build-lib failed');
    expect(readdirSync(modules)).toEqual([]);
  });
});
