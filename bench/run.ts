/**
 * npm run bench [-- options]: every system in one headless Chromium page (bench/browser.ts), then the table,
 * bench/results/latest.{json,md,svg} and a timestamped JSON. Exit status 1 when a system errs or disagrees.
 * Options: bench/bench.ts USAGE (npm run bench -- --help).
 */
import { parseArgs } from './bench.ts';
import { runBrowserBench } from './browser.ts';
import { envLine, peakLines, terminalTable, writeOutputs } from './report.ts';

async function main(): Promise<number> {
  let o;
  try {
    o = parseArgs(process.argv.slice(2), 'browser');
  } catch (err) {
    const e = err as Error & { help?: boolean };
    (e.help ? process.stdout : process.stderr).write(`${e.message}\n`);
    return e.help ? 0 : 2;
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const { result, consoleErrors } = await runBrowserBench(o, command);
  console.log(envLine(result.env));
  console.log(terminalTable(result));
  for (const l of peakLines(result)) console.log(l);
  for (const t of result.targets) console.log(`target ${t.config}: ${t.system} ≥ ${t.want}× ${t.versus}: ${t.got === null ? '—' : `${t.got.toFixed(1)}×`} ${t.met ? 'met' : 'NOT met'}`);
  if (consoleErrors.length) console.log(`page console errors:\n  ${consoleErrors.join('\n  ')}`);
  const files = writeOutputs(result, o.out, o.name, o.stamped);
  console.log(`wrote ${files.join(', ')} (${result.seconds.toFixed(0)} s)`);
  if (!result.ok) {
    console.error(`bench FAILED:\n  ${result.failures.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
