#!/usr/bin/env node
// The backprop CLI. From a checkout (src/ beside bin/): runs the TypeScript sources through ./register-source.mjs,
// so they are always current. From the installed package: the built dist/lib/cli/main.js (no tsx, no Vite).
import { existsSync } from 'node:fs';

const fromSource = existsSync(new URL('../src/cli/main.ts', import.meta.url));
// `backprop … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// stderr closed early (`backprop train --json 2>&1 >out.json | head -1`): the progress and notices are lost, the
// run and its stdout (the JSON result) are not; writes after the first failure fail alike and are dropped too.
process.stderr.on('error', (err) => {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
  throw err;
});
let main;
if (fromSource) {
  await import('./register-source.mjs');
  ({ main } = await import('../src/cli/main.ts'));
} else {
  ({ main } = await import('../dist/lib/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
