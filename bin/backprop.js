#!/usr/bin/env node
// The backprop CLI: registers tsx so Node can load the TypeScript sources, then runs src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
