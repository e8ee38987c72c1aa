#!/usr/bin/env node
// The backprop CLI: registers tsx so Node can load the TypeScript sources, then runs src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
// `backprop … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
