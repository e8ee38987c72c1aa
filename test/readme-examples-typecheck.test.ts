/**
 * README's code examples type-check against the package's API (readme61): every ```` ```ts ```` block (API, Training
 * on data: fit, A sweep in one process) and every ```` ```js ```` block (As a library, explain), compiled as TypeScript modules that import
 * `backprop-webgpu`, `backprop-webgpu/notation` and `backprop-webgpu/lectures` as README does, those names mapped to
 * the sources the package is built from (src/index.ts, src/notation/index.ts, src/lectures/index.ts), strict. The ```js
 * blocks are run as printed only by test/browser/package.test.ts (the packed tarball, in the slow browser project), and
 * the ```ts blocks by nothing: a method renamed, an option or a result field that no longer exists, or a call whose
 * arguments changed, left README's examples wrong without a test in the node project seeing it.
 *
 * The ```ts blocks are fragments: they use names they do not define (`spec`, `x`, `y`, `xt`, `yt`, `bar`,
 * `controller`, and `Model` in the fit block, which goes on from the API block). Each block gets a declaration of those
 * it uses and does not declare itself, typed as a reader's own values would be (FREE below); a block that uses another
 * undefined name fails with TypeScript's "Cannot find name". An error names README's line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** README's fenced blocks of `lang`, with the line each starts on (for the failure's message). */
function blocks(text: string, lang: 'ts' | 'js'): { line: number; code: string }[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))]
    .map((m) => ({ line: text.slice(0, m.index).split('\n').length, code: m[1]! }));
}

/** The names README's fragments use without defining them, as a reader's values: a spec, rows, a progress bar, an
 * AbortController; and `Model`, which the fit block uses as imported by the API block above it. */
const FREE: Record<string, string> = {
  Model: "typeof import('backprop-webgpu').Model", // the fit block goes on from the API block's import
  spec: "import('backprop-webgpu').NetworkSpec",
  x: 'number[][]',
  y: 'number[][]',
  xt: 'number[][]',
  yt: 'number[][]',
  bar: '{ update(fraction: number): void }',
  controller: 'AbortController',
};

/** The names a block declares at its top level (const, let, function, class, import), destructured ones included. */
function declared(code: string): Set<string> {
  const sf = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) names.add(s.name.text);
    else if (ts.isImportDeclaration(s) && s.importClause) {
      if (s.importClause.name) names.add(s.importClause.name.text);
      const nb = s.importClause.namedBindings;
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) names.add(e.name.text);
    }
  }
  return names;
}

/** A block as a module: the declarations of the free names it uses and does not declare, then the block. The
 * declarations take one line, so that a diagnostic's line (from 0) is the line in the block (from 1). */
function moduleOf(code: string): string {
  const own = declared(code);
  const used = Object.keys(FREE).filter((n) => !own.has(n) && new RegExp(`(?<![\\w$.])${n}(?![\\w$])`).test(code));
  return `${used.map((n) => `declare const ${n}: ${FREE[n]};`).join(' ')} export {};\n${code}`;
}

/** TypeScript's errors for the given modules (file name → text), compiled with the project's options, the package's
 * names mapped to its sources. */
function typeErrors(files: Record<string, string>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    // A fragment may destructure a result it does not go on to use (`const { loss, accuracy } = …`).
    noUnusedLocals: false,
    baseUrl: ROOT,
    paths: {
      'backprop-webgpu': ['src/index.ts'],
      'backprop-webgpu/notation': ['src/notation/index.ts'],
      'backprop-webgpu/lectures': ['src/lectures/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const paths = Object.fromEntries(Object.entries(files).map(([name, text]) => [join(ROOT, 'test', name), text]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, fresh) => file in paths
    ? ts.createSourceFile(file, paths[file]!, lang, true, ts.ScriptKind.TS)
    : getSourceFile(file, lang, onError, fresh);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file in paths || fileExists(file);
  const program = ts.createProgram(Object.keys(paths), options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && d.file.fileName in paths)
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const fence = /-at-line-(\d+)\.ts$/.exec(d.file!.fileName);
      const where = fence ? `README.md:${Number(fence[1]) + line}` : `${d.file!.fileName.slice(ROOT.length)}:${line}`;
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe("README's code examples against the package's types", () => {
  const ts_ = blocks(README, 'ts');
  const js = blocks(README, 'js');

  it('finds the blocks (API, fit and A sweep in one process in ```ts, As a library and explain in ```js)', () => {
    expect(ts_.map((b) => b.code.includes('Model.create'))).toEqual([true, true, true]);
    expect(ts_[1]!.code).toContain('model.fit(');
    expect(ts_[2]!.code).toContain('model.dispose()');
    expect(js.length).toBeGreaterThanOrEqual(2);
    expect(js.some((b) => b.code.includes("from 'backprop-webgpu/notation'"))).toBe(true);
  });

  it('a fragment gets the free names it uses, not those it declares', () => {
    expect(moduleOf('const y = 1;\nf(x, y, xt);').split('\n')[0])
      .toBe('declare const x: number[][]; declare const xt: number[][]; export {};');
    expect(moduleOf('const { spec } = g();\nspec.x;').split('\n')[0]).toBe(' export {};');
  });

  it('every ```ts and ```js block compiles, strict, against src/ as the package exports it', () => {
    const files: Record<string, string> = {};
    for (const [lang, list] of [['ts', ts_], ['js', js]] as const) {
      for (const b of list) files[`.readme-${lang}-at-line-${b.line}.ts`] = moduleOf(b.code);
    }
    expect(typeErrors(files)).toEqual([]);
  }, 120_000);

  it('goes red on an API README does not have: a misspelt method and a wrong argument are errors', () => {
    const errors = typeErrors({
      '.readme-probe.ts': moduleOf("import { Model } from 'backprop-webgpu';\nconst model = await Model.create(spec);\n"
        + 'await model.getParameters();\nawait model.train({ steps: 1, learningRate: 0.1 });\n'),
    });
    expect(errors.some((e) => e.includes("'getParameters' does not exist"))).toBe(true);
    expect(errors.some((e) => e.includes("'learningRate' does not exist"))).toBe(true);
  }, 120_000);
});
