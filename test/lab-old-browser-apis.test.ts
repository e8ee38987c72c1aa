/**
 * Nothing newer than the pages' stated minimum (README "The course lab": Chrome/Edge ≥ 100, Safari ≥ 15.4, Firefox ≥
 * 98) in the project's code that the lab or the bench page can run (old60). A regex literal with a lookbehind, `(?<!…)`,
 * is a SyntaxError before Safari 16.4 that no guard can catch: the whole chunk does not parse. src/svg.ts's NOT_XML had
 * one and the bench page's single chunk (bench-*.js) carried it, so on Safari 15.4–16.3 the bench page never started.
 * An API past the minimum called at start (Promise.withResolvers: Chrome 119, Safari 17.4) would do the same at run
 * time. The list names each with the first versions that have it (MDN's compatibility tables); Array.prototype.at,
 * Object.hasOwn and structuredClone are the minimum itself (Safari 15.4), so they are not listed.
 *
 * The modules are every project file either page reaches (static and dynamic imports, and `new URL('./x.ts',
 * import.meta.url)`: the workers), read with TypeScript's parser. Packages (TF.js, jax-js, KaTeX) are not walked:
 * README says what jax-js needs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRIES = ['src/lab/main.ts', 'bench/page/ui.ts'];

/** Too new for the minimum, as a property name (`x.name`) or a global (`name`): where it first shipped. */
const TOO_NEW_MEMBERS: Record<string, string> = {
  withResolvers: 'Promise.withResolvers: Chrome 119, Safari 17.4, Firefox 121',
  fromAsync: 'Array.fromAsync: Chrome 121, Safari 16.4, Firefox 115',
  toSorted: 'Array.prototype.toSorted: Chrome 110, Safari 16, Firefox 115',
  toReversed: 'Array.prototype.toReversed: Chrome 110, Safari 16, Firefox 115',
  toSpliced: 'Array.prototype.toSpliced: Chrome 110, Safari 16, Firefox 115',
  findLast: 'Array.prototype.findLast: Chrome 97, Safari 15.4, Firefox 104',
  findLastIndex: 'Array.prototype.findLastIndex: Chrome 97, Safari 15.4, Firefox 104',
  groupBy: 'Object.groupBy / Map.groupBy: Chrome 117, Safari 17.4, Firefox 119',
  waitAsync: 'Atomics.waitAsync: Chrome 87, Safari 16.4, no Firefox',
  isWellFormed: 'String.prototype.isWellFormed: Chrome 111, Safari 16.4, Firefox 119',
  toWellFormed: 'String.prototype.toWellFormed: Chrome 111, Safari 16.4, Firefox 119',
  symmetricDifference: 'Set.prototype.symmetricDifference: Chrome 122, Safari 17, Firefox 127',
  isSubsetOf: 'Set.prototype.isSubsetOf: Chrome 122, Safari 17, Firefox 127',
};
const TOO_NEW_GLOBALS: Record<string, string> = {
  Iterator: 'Iterator helpers: Chrome 122, Safari 18.4, Firefox 131',
  Float16Array: 'Float16Array: Chrome 135, Safari 18.2, Firefox 129',
};
const TOO_NEW_STATIC_CALLS: Record<string, string> = {
  'AbortSignal.any': 'AbortSignal.any: Chrome 116, Safari 17.4, Firefox 124',
  'AbortSignal.timeout': 'AbortSignal.timeout: Chrome 103, Safari 16, Firefox 100',
};

/** The project files `file` may load: imports, `import()`, and `new URL('./x', import.meta.url)` (workers, wasm). */
function edgesOf(source: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) out.push(node.moduleSpecifier.text);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) out.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) out.push(node.arguments[0].text);
    else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.[0] && ts.isStringLiteralLike(node.arguments[0])) out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out.filter((s) => s.startsWith('.')).map((s) => s.split('?')[0]);
}

/** Every project .ts file either page can run, parsed. */
function pageSources(): Map<string, ts.SourceFile> {
  const seen = new Map<string, ts.SourceFile>();
  const queue = ENTRIES.map((e) => join(ROOT, e));
  while (queue.length > 0) {
    const file = queue.shift()!;
    const name = relative(ROOT, file);
    if (seen.has(name) || !file.endsWith('.ts')) continue;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ESNext, true);
    seen.set(name, source);
    for (const spec of edgesOf(source)) queue.push(resolve(dirname(file), spec));
  }
  return seen;
}

/** What in `source` the minimum browsers lack: "file:line what (why)". */
function tooNew(name: string, source: ts.SourceFile): string[] {
  const found: string[] = [];
  const at = (node: ts.Node, what: string): void => {
    found.push(`${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.text;
      const flags = text.slice(text.lastIndexOf('/') + 1);
      if (/\(\?<[=!]/.test(text)) at(node, `regex lookbehind ${text} (Safari 16.4: a SyntaxError before it, the whole chunk unparsed)`);
      if (flags.includes('v')) at(node, `regex flag v ${text} (Chrome 112, Safari 17, Firefox 116)`);
    }
    if (ts.isClassStaticBlockDeclaration(node)) at(node, 'class static block (Chrome 94, Safari 16.4, Firefox 93)');
    if (ts.isPropertyAccessExpression(node)) {
      const member = node.name.text;
      const full = `${node.expression.getText(source)}.${member}`;
      if (TOO_NEW_STATIC_CALLS[full]) at(node, `${full} (${TOO_NEW_STATIC_CALLS[full]})`);
      else if (Object.prototype.hasOwnProperty.call(TOO_NEW_MEMBERS, member)) at(node, `.${member} (${TOO_NEW_MEMBERS[member]})`);
    }
    if (ts.isIdentifier(node) && Object.prototype.hasOwnProperty.call(TOO_NEW_GLOBALS, node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !ts.isTypeReferenceNode(node.parent)) {
      at(node, `${node.text} (${TOO_NEW_GLOBALS[node.text]})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the pages\' code against the minimum browsers (README: Chrome/Edge 100, Safari 15.4, Firefox 98)', () => {
  const sources = pageSources();

  it('the walk reaches both pages\' code, the workers and src/svg.ts (sanity)', () => {
    for (const f of ['src/lab/views.ts', 'src/lab/surface-worker.ts', 'bench/page/table.ts', 'src/svg.ts', 'src/wasm/backend.ts']) expect(sources.has(f), f).toBe(true);
  });

  it('uses no syntax or API newer than the minimum', () => {
    const found = [...sources].flatMap(([name, source]) => tooNew(name, source));
    expect(found).toEqual([]);
  });

  it('the scan sees each kind it looks for (a snippet with one of each)', () => {
    const snippet = [
      'const r = /(?<!a)b/g;', 'const v = /[a]/v;', 'class C { static { } }', 'const p = Promise.withResolvers();',
      'const s = [1].toSorted();', 'const i = Iterator.from([]);', 'const t = AbortSignal.timeout(5);', 'x.findLast(f);',
    ].join('\n');
    const found = tooNew('snippet.ts', ts.createSourceFile('snippet.ts', snippet, ts.ScriptTarget.ESNext, true));
    expect(found.map((f) => f.split(' ')[0])).toEqual(['snippet.ts:1', 'snippet.ts:2', 'snippet.ts:3', 'snippet.ts:4', 'snippet.ts:5', 'snippet.ts:6', 'snippet.ts:7', 'snippet.ts:8']);
  });
});
