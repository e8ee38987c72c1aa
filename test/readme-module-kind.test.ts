/**
 * README's "As a library" says what Node does with the XOR snippet saved as `xor.js` (an ES module by its syntax:
 * `import`, top-level `await`) outside a `"type": "module"` package: under a package.json without `"type"`, Node 20.19
 * and later (22.7 and later on 22) detect the module syntax and run it after a MODULE_TYPELESS_PACKAGE_JSON warning;
 * under `"type": "commonjs"` it stops at the `import`. README said it stopped "in a CommonJS project" — a project
 * without `"type"` is one, and Node 20.20 ran the snippet there (readme52 audit). Both cases are run here on the Node
 * running the tests, with a file of the snippet's syntax that needs no package.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { section } from './lib/readme-text.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const library = section(readme, 'As a library');

/** Whether README's claim of syntax detection covers this Node: 20.19 and later on 20, 22.7 and later on 22, 23 on. */
function detects(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 7;
  return major >= 23;
}

const dir = mkdtempSync(join(tmpdir(), 'readme-module-kind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `node xor.js` in a folder whose package.json is `pkg`; the script has the snippet's syntax (import, top-level await). */
function runXorJs(pkg: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const folder = mkdtempSync(join(dir, 'p-'));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', ...pkg }));
  writeFileSync(join(folder, 'xor.js'), "import { sep } from 'node:path';\nconst s = await Promise.resolve(sep);\nconsole.log(`ran ${s.length}`);\n");
  const r = spawnSync(process.execPath, ['xor.js'], { cwd: folder, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("README: the snippet as xor.js outside a \"type\": \"module\" package", () => {
  it('README says both cases: no "type" runs it after a warning, "type": "commonjs" stops at the import', () => {
    expect(library).toContain('As `xor.js` under a package.json without `"type"`, Node 20.19 and later (22.7 and later on 22) run it too, after a warning (`MODULE_TYPELESS_PACKAGE_JSON`');
    expect(library).toContain('under `"type": "commonjs"` Node stops at the `import`');
    expect(library).not.toContain('in a CommonJS project Node stops');
  });

  it.runIf(detects(process.versions.node))(`without "type", Node ${process.versions.node} runs it after MODULE_TYPELESS_PACKAGE_JSON`, () => {
    const r = runXorJs({});
    expect(r.stderr).toContain('MODULE_TYPELESS_PACKAGE_JSON');
    expect([r.status, r.stdout.trim()]).toEqual([0, 'ran 1']);
  });

  it(`under "type": "commonjs", Node ${process.versions.node} stops at the import`, () => {
    const r = runXorJs({ type: 'commonjs' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Cannot use import statement outside a module');
  });
});
