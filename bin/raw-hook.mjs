// A Node module hook for running the sources (bin/backprop.js from a checkout): `import X from './f.wgsl?raw'` gives
// the file's text, as Vite does. The built package (dist/lib) has the shaders inlined and does not use it.
import { readFile } from 'node:fs/promises';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('?raw') && context.parentURL) return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('?raw')) return next(url, context);
  const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
