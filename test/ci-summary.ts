/**
 * .ci/run's closing lines (`node --import ./bin/register-source.mjs test/ci-summary.ts REPORT`): every failed test with
 * the first lines of its message, then the counts (test/lib/suite-plan.ts `closingLines`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closingLines, type SuiteReport } from './lib/suite-plan.ts';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8')) as SuiteReport;
console.log(closingLines(report, fileURLToPath(new URL('..', import.meta.url))).join('\n'));
