/**
 * Writing a run's outputs (Node only): NAME.json, .md, .svg under a folder, and what every runner prints at the end.
 * The formatting itself is bench/report.ts, which the bench page shares.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResult, measuredText, outputTexts, peakLines, shortReps, targetOwn, terminalTable } from './report.ts';
import { countLabel, envLine, rowLabel } from './labels.ts';
import { fitsSpread } from './epochs.ts';
import { fmtSeconds } from './protocol.ts';

/**
 * Write NAME.json, NAME.md, NAME.svg, NAME-tta.svg when the run has config e rows of more than one epoch (else an
 * old one is removed: ttaSvg), and, if `stamped`, a timestamped copy of the JSON, under `dir`.
 */
export function writeOutputs(result: BenchResult, dir: string, name: string, stamped: boolean): string[] {
  mkdirSync(dir, { recursive: true });
  const { json, md, svg, tta } = outputTexts(result);
  const files: [string, string][] = [[`${name}.json`, json], [`${name}.md`, md], [`${name}.svg`, svg]];
  if (tta) files.push([`${name}-tta.svg`, tta]);
  // A run without a tta chart leaves no NAME-tta.svg of an earlier run beside its own NAME.* files.
  else rmSync(join(dir, `${name}-tta.svg`), { force: true });
  if (stamped) files.push([`${name === 'latest' ? '' : `${name}-`}${result.date.replace(/[:.]/g, '-')}.json`, json]);
  const paths: string[] = [];
  for (const [file, text] of files) {
    const path = join(dir, file);
    writeFileSync(path, text);
    paths.push(path);
  }
  return paths;
}

/**
 * What every runner (npm run bench, bench:node, bench:dawn) prints and write at the end: the environment, the table,
 * the peak lines, each target, the output files. Returns the exit status: 1 when a system erred or disagreed.
 */
export function finish(result: BenchResult, out: { dir: string; name: string; stamped: boolean }, consoleErrors: string[] = []): number {
  console.log(envLine(result.env));
  console.log(terminalTable(result));
  const short = result.rows.filter((r) => shortReps(r, result.policy));
  if (short.length) console.log(`†: the median repetition lasted under half the ${result.policy.targetRepMs} ms target (${short.map((r) => `${r.config} ${rowLabel(r, result.env)}`).join(', ')}); each row's repMs is in the JSON`);
  for (const l of peakLines(result)) console.log(l);
  for (const r of result.rows.filter((x) => x.epochs?.length)) {
    const e = r.epochs!;
    console.log(`${r.config} ${rowLabel(r, result.env)}: ${e.map((x) => `${x.at.toFixed(2)} s ${(100 * x.testAccuracy).toFixed(1)}%`).join(' · ')}; to ${result.goals?.[r.config] !== undefined ? `${(100 * result.goals[r.config]).toFixed(1)}%` : 'the goal'}: ${r.timeToAccuracy == null ? '—' : `${r.timeToAccuracy.toFixed(2)} s`}${fitsSpread(r)}`);
  }
  for (const t of result.targets) console.log(`target ${t.config}${t.threads !== undefined ? ` (both ${t.threads})` : ''}: ${targetOwn(t, result.env)} ≥ ${t.want}× ${t.versus}${t.versusThreads !== undefined ? ` (${countLabel(t.versus, t.versusThreads)})` : ''}: ${measuredText(t)} ${t.met ? 'met' : 'NOT met'}`);
  if (consoleErrors.length) console.log(`page console errors:\n  ${consoleErrors.join('\n  ')}`);
  const files = writeOutputs(result, out.dir, out.name, out.stamped);
  console.log(`wrote ${files.join(', ')} (${fmtSeconds(result.seconds)})`);
  if (!result.ok) {
    console.error(`bench FAILED:\n  ${result.failures.join('\n  ')}`);
    return 1;
  }
  return 0;
}
