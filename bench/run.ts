/**
 * npm run bench [-- options]: every system in one headless Chromium page (--browser firefox: Firefox; bench/browser.ts), then the table,
 * bench/results/latest.{json,md,svg} and a timestamped JSON. Exit status 1 when a system errs or disagrees.
 * Options: bench/bench.ts USAGE (npm run bench -- --help).
 */
import { BackpropError } from '../src/errors.ts';
import { argsErrorExit, commandLine, parseArgs } from './bench.ts';
import { runBrowserBench } from './browser.ts';
import { finish } from './output.ts';

async function main(): Promise<number> {
  let o;
  try {
    o = parseArgs(process.argv.slice(2), 'browser');
  } catch (err) {
    return argsErrorExit(err);
  }
  const command = commandLine('bench');
  let run;
  try {
    run = await runBrowserBench(o, command);
  } catch (err) {
    // No browser to run (src/node/chromium.ts, firefox.ts): its one line, which says what to install or set, not a stack.
    if (err instanceof BackpropError && err.code === 'BROWSER') {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  return finish(run.result, { dir: o.out, name: o.name, stamped: o.stamped }, run.consoleErrors);
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
