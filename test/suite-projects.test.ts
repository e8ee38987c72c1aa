/**
 * vite.config.ts's two projects, as vitest itself resolves them (`vitest list --filesOnly --json`, no test run): every
 * test file under test/ belongs to exactly one project — those under test/browser/ to the browser project (its Chromium
 * and Vite server), every other to the node project — so that no file is left out of `npm test` (a wrong include
 * pattern would leave a project with no files, or a file with no project) and none runs twice. The expected list is
 * this file's own walk of test/.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

it('each test/**/*.test.ts file is in one project: test/browser/ in browser, the rest in node', () => {
  const walked = (readdirSync(join(ROOT, 'test'), { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name).slice(ROOT.length))
    .map((file) => `${file.startsWith('test/browser/') ? 'browser' : 'node'} ${file}`)
    .sort();
  const r = spawnSync(process.execPath, [VITEST, 'list', '--filesOnly', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const listed = (JSON.parse(r.stdout) as { file: string; projectName: string }[]).map((f) => `${f.projectName} ${f.file.slice(ROOT.length)}`).sort();
  expect(walked.filter((l) => l.startsWith('browser')).length).toBeGreaterThan(10);
  expect(walked.filter((l) => l.startsWith('node')).length).toBeGreaterThan(10);
  expect(listed).toEqual(walked);
}, 120_000);
