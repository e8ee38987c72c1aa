#!/usr/bin/env node
// The backprop CLI. From a checkout (src/ beside bin/): runs the TypeScript sources through ./register-source.mjs,
// so they are always current. From the installed package: the built dist/lib/cli/main.js (no tsx, no Vite).
// From a checkout, BACKPROP_CLI_LIB=DIR runs a library build in DIR instead (`node src/node/build-lib.mjs --out
// DIR`), which starts faster than the sources under tsx (README, "The package", gives measured times): the tests
// build one once and run it. DIR must sit two folders below the checkout (as dist/lib does), where the CLI looks for
// its package.json and the worked-example files: elsewhere it would print version 'unknown' and other paths, so it
// is refused. The installed package has no sources to build from and ignores the variable.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const checkout = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const lib = checkout ? process.env.BACKPROP_CLI_LIB : undefined;
const fromSource = checkout && !lib;
// `backprop … | head` closes the pipe early: that is the reader's choice, not an error. Any other failure to write
// stdout (a full disk, `> /dev/full`; a file-size limit) stops the command where it is — a train at its first progress
// line, before it trains or saves — in one line and exit 2, not a stack trace and exit 1.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`error: cannot write to standard output (${err.code ?? err.message}): stopped, the output is lost\n`);
  process.exit(2);
});
// stderr closed early (`backprop train --json 2>&1 >out.json | head -1`) or that cannot be written (`2> /dev/full`):
// the progress, notices and error lines are lost, the run, its stdout (the JSON result) and its exit status are not;
// writes after the first failure fail alike and are dropped too. There is nowhere left to report it.
process.stderr.on('error', () => {});
let main;
if (fromSource) {
  await import('./register-source.mjs');
  ({ main } = await import('../src/cli/main.ts'));
} else if (lib) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const real = (path) => (existsSync(path) ? realpathSync(path) : resolve(path));
  if (real(dirname(dirname(resolve(lib)))) !== real(root)) {
    console.error(`backprop: BACKPROP_CLI_LIB=${lib} is not two folders below ${root} (as dist/lib is), where the built CLI finds this checkout's files`);
    process.exit(2);
  }
  const entry = pathToFileURL(`${lib}/cli/main.js`);
  if (!existsSync(entry)) {
    console.error(`backprop: BACKPROP_CLI_LIB=${lib} holds no cli/main.js; build one with: node src/node/build-lib.mjs --out ${lib}`);
    process.exit(2);
  }
  ({ main } = await import(entry.href));
} else {
  ({ main } = await import('../dist/lib/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
