/**
 * The built course-lab site (`npm run build`'s dist/, here built into a temp folder) as a static host publishes it.
 * GitHub Pages runs Jekyll on what it is given unless the site has a `.nojekyll` file, and Jekyll leaves out every
 * file and folder whose name starts with `_` or `.` (its documented `exclude`/`include` rule; other hosts hide
 * dot-files too). Rollup names the chunk of a virtual module (`\0virtual:mnist-subset`, src/node/mnist-plugin.ts)
 * `_virtual_mnist-subset-<hash>.js`: on such a host it was a 404, and the lab's MNIST preset failed with
 * "LazyCodeError: the MNIST digits did not load" (deploy58: the site served from a sub-path with that file left out).
 * The reference is the list of files the build writes, read from the disk.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabSite } from '../src/node/lab-site.ts';

let outDir = '';
beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'site-static-host-'));
  await buildLabSite(outDir);
});
afterAll(() => { if (outDir) rmSync(outDir, { recursive: true, force: true }); });

/** Every file under `dir`, as a path relative to `root` with '/' between its parts. */
function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(root, path) : [relative(root, path).split(/[\\/]/).join('/')];
  });
}

describe('the built site on a static host', () => {
  it('has no file or folder whose name starts with _ or . (Jekyll, so GitHub Pages, leaves those out)', () => {
    const files = filesUnder(outDir);
    // The build wrote the site: both pages, the digits file, and the MNIST subset's chunk (the file this guards).
    expect(files).toEqual(expect.arrayContaining(['index.html', 'bench.html', 'mnist-digits.bin.gz']));
    expect(files.filter((f) => /mnist-subset-[\w-]+\.js$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => f.split('/').some((part) => part.startsWith('_') || part.startsWith('.')))).toEqual([]);
  });
});

/**
 * What the built lab fetches before it runs: the page's module script and its modulepreloads, and every chunk those
 * import statically (`import … from "./x.js"`, not `import("./x.js")`), read from the files the build wrote. The build
 * is not minified (vite.config.ts), and Rolldown heads each module's code with a `// <path>` line: the modules of a
 * chunk. On a slow school link every one of them is the student's wait before the page is ready (README's lab
 * section); the source-graph walk (test/lab-start-graph.test.ts) cannot see where the bundler puts a module.
 */
function startModules(): { chunks: string[]; modules: string[] } {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const first = [...html.matchAll(/<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"|<link rel="modulepreload"[^>]*href="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? m[2]);
  const chunks = new Set<string>();
  const queue = [...first];
  while (queue.length > 0) {
    const chunk = queue.shift()!;
    if (chunks.has(chunk)) continue;
    chunks.add(chunk);
    const code = readFileSync(join(outDir, chunk), 'utf8');
    for (const m of code.matchAll(/^(?:import|export)\s[^;]*?from\s*"\.\/([^"]+\.js)"|^import\s*"\.\/([^"]+\.js)"/gm)) queue.push(`assets/${m[1] ?? m[2]}`);
  }
  const modules = [...chunks].flatMap((c) => [...readFileSync(join(outDir, c), 'utf8').matchAll(/^\/\/ ((?:src|node_modules|bench)\/\S+)$/gm)].map((m) => m[1]));
  return { chunks: [...chunks], modules };
}

describe("the built lab's start (the chunks its page loads before any import())", () => {
  it('holds the lab and the engine, and not KaTeX, the MNIST digits, the loss surface, the WebGPU backend, TF.js or jax-js', () => {
    const { chunks, modules } = startModules();
    // Sanity: the walk found the entry's chunks and their modules (the lab's page, the model, the explanation panel).
    expect(chunks.length).toBeGreaterThan(1);
    for (const m of ['src/lab/main.ts', 'src/model.ts', 'src/lab/explain-panel.ts']) expect(modules, m).toContain(m);
    const early = modules.filter((m) =>
      m.startsWith('node_modules/katex/') || // the first explanation's (src/lab/explain-panel.ts loadKatex)
      m === 'src/lab/surface.ts' || m.startsWith('node_modules/wgpu-matrix/') || // the Loss surface tab's Draw
      m === 'src/webgpu/backend.ts' || m === 'src/webgpu/kernels.ts' || // the probe's, where there is navigator.gpu
      m.startsWith('node_modules/@tensorflow/') || m.startsWith('node_modules/@jax-js/') || m.startsWith('bench/'));
    expect(early).toEqual([]);
    // The MNIST subset is a virtual module (no path line): its chunk by name. And no chunk of the start is named after
    // MNIST: Rolldown named the engine's shared chunk (src/model.ts, the backends; 89 kB gzipped) after one of its
    // modules, src/train/mnist.ts (two constants) — `mnist-<hash>.js` at start read, in a browser's network panel, as
    // the digits fetched before the MNIST preset.
    expect(chunks.filter((c) => /mnist/i.test(c))).toEqual([]);
    // The engine's shared chunk (the one holding src/model.ts) is named for what it is: engine-<hash>.js (mut59).
    const engine = chunks.filter((c) => readFileSync(join(outDir, c), 'utf8').includes('\n// src/model.ts\n'));
    expect(engine).toHaveLength(1);
    expect(engine[0]).toMatch(/(^|\/)engine-[\w-]+\.js$/);
  });
});
