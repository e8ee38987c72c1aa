#!/usr/bin/env node
/**
 * The library build (npm run build:lib; run by `prepack`, `npm run build` and the package tests):
 * src/ → dist/lib/ as ESM JavaScript + .d.ts, with nothing a consumer's tool has to load specially:
 *
 * - every `import X from '….wgsl?raw'` (any `?raw` import) becomes `const X = "<the file's text>"` — the source keeps
 *   one .wgsl file per kernel, the built JS carries the strings, so Node, esbuild, webpack, Rollup and Vite need no
 *   loader;
 * - every `import X from '….json'` becomes `const X = <the JSON>` (Node's ESM would need an import attribute);
 * - relative `.ts` specifiers become `.js` (TypeScript's rewriteRelativeImportExtensions).
 *
 * Which files: the modules package.json's `exports` point at, the `bin`'s CLI, and whatever they import (TypeScript
 * follows the imports), so a new module or kernel is built as soon as something imports it. Inline loaders for other
 * generated assets go in INLINE below. Then the browser harness page the CLI serves to Chromium is bundled by esbuild
 * into dist/lib/browser/ (one file, shaders inlined the same way).
 *
 * Cleans only dist/lib (dist/ itself is the course-lab site that `vite build --mode lab` makes).
 *
 * `--out DIR` builds into DIR instead, a folder that does not exist yet or is empty (so a mistyped path is never
 * emptied), and not a symbolic link (the build would replace the link with a folder: name its target instead). The tests build the CLI there once and run it through bin/backprop.js with BACKPROP_CLI_LIB=DIR (see that
 * file), which starts faster than the sources under tsx.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawPlugin } from './raw-plugin.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const OUT = join(ROOT, 'dist', 'lib');
/** TypeScript, loaded when a build starts (it takes ~1 s): a command line that is refused is answered at once. */
let ts;

/** How an import of a non-TypeScript file is inlined: its text → a JavaScript expression. */
const INLINE = [
  { test: (spec) => spec.endsWith('?raw'), file: (spec) => spec.slice(0, -'?raw'.length), expr: (text) => JSON.stringify(text) },
  { test: (spec) => spec.endsWith('.json'), file: (spec) => spec, expr: (text) => JSON.stringify(JSON.parse(text)) },
];

/** src/X.ts for each ./dist/lib/X.js that package.json's exports name, plus the CLI. */
export function entries(pkg) {
  const targets = [];
  const walk = (v) => {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  const files = new Set(['src/cli/main.ts']);
  for (const t of targets) {
    const m = /^\.\/dist\/lib\/(.+)\.js$/.exec(t);
    if (m) files.add(`src/${m[1]}.ts`);
  }
  return [...files].map((f) => join(ROOT, f));
}

/** A transformer replacing inlinable imports (`import X from '…'`, default import only) with `const X = …`. */
function inliner(context) {
  const f = context.factory;
  return (sf) => {
    const visit = (node) => {
      if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier)) return node;
      const spec = node.moduleSpecifier.text;
      const rule = INLINE.find((r) => r.test(spec));
      if (!rule) return node;
      const clause = node.importClause;
      if (!clause?.name || clause.namedBindings || clause.isTypeOnly) {
        throw new Error(`${relative(ROOT, sf.fileName)}: inline only \`import X from '${spec}'\` (a default import)`);
      }
      const path = resolve(dirname(sf.fileName), rule.file(spec));
      const value = ts.factory.createIdentifier(rule.expr(readFileSync(path, 'utf8')));
      return f.createVariableStatement(undefined, f.createVariableDeclarationList(
        [f.createVariableDeclaration(clause.name.text, undefined, undefined, value)], ts.NodeFlags.Const));
    };
    return ts.visitEachChild(sf, visit, context);
  };
}

function formatDiagnostics(diags) {
  return ts.formatDiagnosticsWithColorAndContext(diags, {
    getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n',
  });
}

export async function buildLib(out = OUT) {
  ts ??= (await import('typescript')).default;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['@webgpu/types', 'node', 'vite/client'],
    strict: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noCheck: true,
    declaration: true,
    sourceMap: false,
    rootDir: SRC,
    outDir: out,
    newLine: ts.NewLineKind.LineFeed,
  };
  const program = ts.createProgram(entries(pkg), options);
  // Syntax and option errors only: `npm run typecheck` is the type check (a full one here doubles the build time).
  const pre = [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics()];
  if (pre.length) throw new Error(`build-lib: errors\n${formatDiagnostics(pre)}`);
  const written = [];
  const result = program.emit(undefined, (file, text) => {
    // JSON files are inlined where they are imported; TypeScript would also copy them.
    if (file.endsWith('.json')) return;
    mkdirSync(dirname(file), { recursive: true });
    // TypeScript rewrites `.ts` specifiers in the JavaScript only; consumers' resolvers want `.js` in .d.ts too.
    writeFileSync(file, file.endsWith('.d.ts') ? text.replace(/((?:from |import\()['"]\.{1,2}\/[^'"]*)\.ts(['"])/g, '$1.js$2') : text);
    written.push(file);
  }, undefined, false, { before: [inliner] });
  if (result.diagnostics.length) throw new Error(`build-lib: emit errors\n${formatDiagnostics(result.diagnostics)}`);
  const outside = written.filter((f) => relative(out, f).startsWith('..'));
  if (outside.length) throw new Error(`build-lib: wrote outside ${out}: ${outside.join(', ')}`);
  return written;
}

/** The harness page (src/browser/harness.html + harness.ts) as dist/lib/browser/harness.{html,js}, for the CLI's Chromium path. */
export async function buildHarness(out = OUT) {
  const esbuild = await import('esbuild');
  const dir = join(out, 'browser');
  await esbuild.build({
    entryPoints: [join(SRC, 'browser', 'harness.ts')],
    outfile: join(dir, 'harness.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    logLevel: 'warning',
    plugins: [rawPlugin()],
  });
  const html = readFileSync(join(SRC, 'browser', 'harness.html'), 'utf8').replace('./harness.ts', './harness.js');
  if (!html.includes('./harness.js')) throw new Error('build-lib: src/browser/harness.html no longer loads ./harness.ts');
  writeFileSync(join(dir, 'harness.html'), html);
  return [join(dir, 'harness.js'), join(dir, 'harness.html')];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const args = process.argv.slice(2);
  if (!(args.length === 0 || (args.length === 2 && args[0] === '--out' && args[1] !== ''))) {
    console.error(`usage: node src/node/build-lib.mjs [--out DIR]   (default ${relative(ROOT, OUT)}; got: ${args.join(' ')})`);
    process.exit(2);
  }
  const out = args.length === 2 ? resolve(args[1]) : OUT;
  // buildLib empties `out` with rmSync, which on a link removes the link and builds a folder in its place.
  const isLink = (path) => {
    try {
      return lstatSync(path).isSymbolicLink();
    } catch {
      return false; // none there (or a file on the path: the build says so)
    }
  };
  if (out !== OUT && isLink(out)) {
    console.error(`build-lib: --out ${args[1]} is a symbolic link (to ${readlinkSync(out)}); name the folder itself, new or empty`);
    process.exit(2);
  }
  if (out !== OUT && existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
    console.error(`build-lib: --out ${args[1]} is ${statSync(out).isDirectory() ? 'a folder that is not empty' : 'a file'}; name a new or empty folder`);
    process.exit(2);
  }
  try {
    const files = [...(await buildLib(out)), ...(await buildHarness(out))];
    console.error(`build-lib: ${files.length} files in ${args[1] ?? relative(ROOT, OUT)}/ (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
