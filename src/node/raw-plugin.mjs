/**
 * An esbuild plugin inlining every `?raw` import (the WGSL kernels) as the file's text, for the bundles made with
 * esbuild: the CLI's harness page (src/node/build-lib.mjs) and the standalone Dawn benchmark (bench/build-dawn.mjs).
 * dist/lib's modules get the same strings from build-lib.mjs's TypeScript transformer `inliner`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function rawPlugin() {
  return {
    name: 'raw',
    setup(b) {
      // Paths relative to the project: esbuild names each module in a comment of the bundle, which must not carry
      // the build machine's folders into the package.
      b.onResolve({ filter: /\?raw$/ }, (a) => ({ path: relative(ROOT, resolve(a.resolveDir, a.path.slice(0, -'?raw'.length))), namespace: 'raw' }));
      b.onLoad({ filter: /.*/, namespace: 'raw' }, (a) => ({ contents: readFileSync(join(ROOT, a.path), 'utf8'), loader: 'text' }));
    },
  };
}
