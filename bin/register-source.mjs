// Run the TypeScript sources in plain Node (`node --import ./bin/register-source.mjs file.ts`, and bin/backprop.js
// from a checkout): tsx for TypeScript, then ./raw-hook.mjs for Vite's `?raw` shader imports (registered last, so it
// runs first). The built package (dist/lib) needs neither.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./raw-hook.mjs', import.meta.url);
