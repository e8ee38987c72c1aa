/**
 * README's file paths and the names it places in them (usr56i): a contributor follows README to a file and a function
 * or constant there. test/readme-paths.test.ts checks README's figures against the constants they quote, and
 * test/readme-links.test.ts its links to its own headings; neither checked that a path README names exists, nor that a
 * name README puts in a file is in that file (README said `targetRows` was in bench/protocol.ts, where it is not:
 * bench/targets.ts; and `compileOn` in src/wasm/program.ts: it is WasmBackend's, src/wasm/backend.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** A project path as README writes it: under one of these folders, a glob's `*` and `{a,b}` allowed. */
const PATH = String.raw`(?:src|bench|test|shaders|bin|\.ci)/[A-Za-z0-9_.*{},/-]*[A-Za-z0-9_*}]`;
/** A function, constant, type or method name. */
const NAME = String.raw`[A-Za-z_$][A-Za-z0-9_$]*`;

/** `{a,b}` expanded (one level, as README writes them). */
function braces(path: string): string[] {
  const m = /\{([^{}]*)\}/.exec(path);
  if (!m) return [path];
  return m[1]!.split(',').flatMap((alt) => braces(path.slice(0, m.index) + alt + path.slice(m.index + m[0].length)));
}

/** A glob as a regular expression: `*` within one path segment, `**` then a slash any folders (none too). */
const globRegex = (glob: string): RegExp => new RegExp(`^${glob.split(/(\*\*\/|\*)/).map((s) =>
  s === '**/' ? '(?:[^/]+/)*' : s === '*' ? '[^/]*' : s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('')}$`);

/** Every file and folder under `dir` (from the root), as paths from the root. */
const walk = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true })
  .flatMap((e) => [`${dir}/${e.name}`, ...(e.isDirectory() ? walk(`${dir}/${e.name}`) : [])]);

/** Whether `path` (from the root; a glob: `*`, `**`) names at least one file or folder. */
function exists(path: string): boolean {
  if (!path.includes('*')) return existsSync(join(ROOT, path));
  const dir = path.slice(0, path.indexOf('*')).replace(/\/[^/]*$/, '');
  if (!existsSync(join(ROOT, dir))) return false;
  const re = globRegex(path);
  return walk(dir).some((f) => re.test(f));
}

/** The .gitignore patterns: the files a run writes and the repository never holds (`bench/results/dawn-latest.*`). */
const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  .map((l) => globRegex(l.replace(/\/$/, '')));
const isOutput = (path: string): boolean => ignored.some((re) => re.test(path) || re.test(path.split('/')[0]!));

/** A path written with a placeholder (`test/NAME.test.ts`, `test/AREA-TOPIC.test.ts`) names no one file. */
const placeholder = (path: string): boolean => /(?<![A-Za-z])(?:NAME|FILE|AREA|TOPIC|ID|DIR)(?![A-Za-z])/.test(path);

/** Every project path README names in backticks or links to, `:line` and `#anchor` suffixes left off. */
function readmePaths(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(new RegExp(String.raw`(?<![A-Za-z0-9_./-])(${PATH})`, 'g'))) {
    const before = text.slice(Math.max(0, m.index - 1), m.index);
    if ((before === '`' || before === '(') && !placeholder(m[1]!)) found.add(m[1]!);
  }
  return [...found];
}

/** A (name, file) README pairs: "`name` in `file`", "`name` (`file`", "`file` `name`", "`file`'s `name`", "`a`, `b` and `c` in `file`". */
function readmeNames(text: string): { name: string; file: string; line: number }[] {
  const file = String.raw`(${PATH}\.(?:ts|mjs|js|wgsl))`;
  const one = String.raw`\`(${NAME})(?:\(\))?\``;
  const pairs: { name: string; file: string; line: number }[] = [];
  const add = (name: string, path: string, at: number) => pairs.push({ name, file: path, line: text.slice(0, at).split('\n').length });
  const nameFirst = [
    new RegExp(String.raw`((?:${one}(?:,\s+|\s+and\s+))*${one})\s+(?:in|of|from)\s+\`${file}\``, 'g'),
    new RegExp(String.raw`${one}\s+\(\`${file}\``, 'g'),
    new RegExp(String.raw`\(${one},\s+\`${file}\``, 'g'),
  ];
  for (const re of nameFirst) {
    for (const m of text.matchAll(re)) {
      const path = m.at(-1)!;
      for (const n of m[0].slice(0, m[0].lastIndexOf(path)).matchAll(new RegExp(one, 'g'))) add(n[1]!, path, m.index);
    }
  }
  for (const m of text.matchAll(new RegExp(String.raw`\`${file}\`(?:'s)?\s+${one}`, 'g'))) add(m[2]!, m[1]!, m.index);
  return pairs;
}

/** Whether `name` is a word of `file`'s text. */
const inFile = (name: string, path: string): boolean =>
  new RegExp(`(?<![A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}(?![A-Za-z0-9_$])`).test(readFileSync(join(ROOT, path), 'utf8'));

describe("README's paths and the names it puts in them", () => {
  it('reads the forms README writes them in (a glob, {a,b}, a name list, a path then its name)', () => {
    expect(braces('bench/results/agree52.{json,md}')).toEqual(['bench/results/agree52.json', 'bench/results/agree52.md']);
    expect(readmePaths('see `src/a.ts`, [x](src/b.md), `bench/r/x.{json,md}`, `bench/r/y.*`, `test/NAME.test.ts` and a test/dev server')).toEqual(
      ['src/a.ts', 'src/b.md', 'bench/r/x.{json,md}', 'bench/r/y.*']);
    expect(readmeNames('(`f`, `g` and `h` in `src/a.ts`), `k` (`src/b.ts`: …), `bench/p.ts`\n`targetRows`, `src/c.ts`\'s `m`').map((p) => `${p.name}@${p.file}`))
      .toEqual(['f@src/a.ts', 'g@src/a.ts', 'h@src/a.ts', 'k@src/b.ts', 'targetRows@bench/p.ts', 'm@src/c.ts']);
  });

  it('every path README names exists (a glob: at least one file), or is a run\'s output that .gitignore keeps out', () => {
    const paths = readmePaths(readme);
    expect(paths.length).toBeGreaterThan(200);
    const missing = paths.filter((p) => !p.startsWith('dist/')).flatMap(braces).filter((p) => !exists(p) && !isOutput(p));
    expect(missing).toEqual([]);
  });

  it('every name README places in a file is in that file', () => {
    const pairs = readmeNames(readme);
    expect(pairs.length).toBeGreaterThan(50);
    const wrong = pairs.filter((p) => !existsSync(join(ROOT, p.file)) || !inFile(p.name, p.file)).map((p) => `README.md:${p.line}: \`${p.name}\` is not in ${p.file}`);
    expect(wrong).toEqual([]);
  });
});
