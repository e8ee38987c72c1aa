/**
 * The pointers the source's comments give a reader (source60): a shader's "CPU twin: step() in src/cpu/step.ts" and a
 * comment's README "Matrix layout" / bench/RESULTS.md "…" send a learner to a function or a section, and they went
 * stale without a test noticing — train_small.wgsl and train_tiny.wgsl named step() in src/cpu/backend.ts after it
 * moved to src/cpu/step.ts, and matmul.wgsl, matmul_subgroups.wgsl and two bench probes sent the reader to README
 * "Where ours-webgpu stands", a section that had moved to bench/RESULTS.md. test/readme-names.test.ts checks the same
 * for README's own names; this reads the comments of src/, shaders/ and bench/.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The source files under `dir` (from the root): .ts, .mjs and .wgsl, bench's run outputs left out. */
const sources = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
  const path = `${dir}/${e.name}`;
  if (e.isDirectory()) return path === 'bench/results' ? [] : sources(path);
  return /\.(?:ts|mjs|wgsl)$/.test(e.name) ? [path] : [];
});

/** A file's text with comment line breaks joined (`\n  // ` and `\n * ` become one space), so a wrapped pointer reads whole. */
const joined = (text: string): string => text.replace(/\n[ \t]*(?:\/\/|\*)[ \t]?/g, ' ');

/** Every "name() in path" of the comments: the function and the file it is said to be in. */
function twinPointers(text: string): { name: string; path: string }[] {
  return [...joined(text).matchAll(/\b([A-Za-z_]\w*)\(\) in ((?:src|shaders|bench)\/[\w/.-]+\.(?:ts|mjs|wgsl))\b/g)]
    .map((m) => ({ name: m[1]!, path: m[2]! }));
}

/** Every README "Title" / bench/RESULTS.md "Title" of the comments. */
function sectionPointers(text: string): { doc: string; title: string }[] {
  return [...joined(text).matchAll(/\b(README|bench\/RESULTS\.md)(?:'s)?,? "([^"]{2,200})"/g)].map((m) => ({ doc: m[1]!, title: m[2]! }));
}

/** Whether `path` defines `name`: a TypeScript function or a WGSL fn of that name. */
const defines = (path: string, name: string): boolean =>
  existsSync(join(ROOT, path)) && new RegExp(`\\b(?:function\\*?|fn)\\s+${name}\\s*[<(]`).test(readFileSync(join(ROOT, path), 'utf8'));

/**
 * Whether a Markdown document has a section called `title`: a heading that begins with it (backticks left out:
 * "Scalar notation beside the matrix form: explain"), a bold paragraph lead (`**Printing a handout.**`) or a line
 * that begins with it and a colon or a parenthesis ("How it measures (`bench/protocol.ts`):").
 */
function hasSection(markdown: string, title: string): boolean {
  const esc = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const plain = markdown.replace(/`/g, '');
  return new RegExp(`^#+ ${esc}`, 'm').test(plain) || plain.includes(`**${title}.**`) || plain.includes(`**${title}**`)
    || new RegExp(`^(?:- )?${esc} ?[(:]`, 'm').test(plain);
}

const FILES = [...sources('src'), ...sources('shaders'), ...sources('bench')];
const DOCS: Record<string, string> = {
  README: readFileSync(join(ROOT, 'README.md'), 'utf8'),
  'bench/RESULTS.md': readFileSync(join(ROOT, 'bench/RESULTS.md'), 'utf8'),
};

describe("the source's comments point at functions and sections that exist", () => {
  it('reads the forms the comments write them in (wrapped across comment lines too)', () => {
    expect(twinPointers('// CPU twin: step() in src/cpu/step.ts, step by step\n * see dots() in\n * src/cpu/kernels.ts.')).toEqual([
      { name: 'step', path: 'src/cpu/step.ts' }, { name: 'dots', path: 'src/cpu/kernels.ts' }]);
    expect(sectionPointers('// (README "Matrix layout"; bench/RESULTS.md "ours-webgpu on\n// SwiftShader: x")')).toEqual([
      { doc: 'README', title: 'Matrix layout' }, { doc: 'bench/RESULTS.md', title: 'ours-webgpu on SwiftShader: x' }]);
    expect(hasSection('## Worked examples and `check`\n**Printing a handout.** …\nHow it measures (`x`):', 'Worked examples and check')).toBe(true);
    expect(hasSection('## Worked examples and `check`\n**Printing a handout.** …', 'Printing a handout')).toBe(true);
    expect(hasSection('## Matrix layout', 'Where ours-webgpu stands')).toBe(false);
  });

  it('every "name() in path" names a function (TypeScript) or fn (WGSL) that the file defines', () => {
    const pointers = FILES.flatMap((file) => twinPointers(readFileSync(join(ROOT, file), 'utf8')).map((p) => ({ file, ...p })));
    // The shaders' "CPU twin:" lines at least (matmul, output, reduce_rows, gather, epoch_sums, max_abs, train_small, train_tiny).
    expect(pointers.filter((p) => p.file.startsWith('shaders/')).length).toBeGreaterThanOrEqual(8);
    const wrong = pointers.filter((p) => !defines(p.path, p.name)).map((p) => `${p.file}: ${p.name}() is not defined in ${p.path}`);
    expect(wrong).toEqual([]);
  });

  it('every README "Title" and bench/RESULTS.md "Title" is a section of that document', () => {
    const pointers = FILES.flatMap((file) => sectionPointers(readFileSync(join(ROOT, file), 'utf8')).map((p) => ({ file, ...p })));
    expect(pointers.length).toBeGreaterThan(40);
    const wrong = pointers.filter((p) => !hasSection(DOCS[p.doc]!, p.title)).map((p) => `${p.file}: ${p.doc} has no section "${p.title}"`);
    expect(wrong).toEqual([]);
  });
});
