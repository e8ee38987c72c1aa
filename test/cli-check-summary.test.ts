/**
 * check's closing lines (src/cli/check.ts runCheck): the counts, each status in its own place, and the exit status it
 * says, which is the one returned. The counts are recounted here from the statuses of the same run's --json (a tally
 * written in the test, not the CLI's). Review cmut54: a summary naming the recorded errata as matches, or saying
 * "exit status 0" while returning 1, passed every test.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../src/cli/check.ts';

const LECTURE = fileURLToPath(new URL('../src/lectures/lecture-2-2-1.worked.json', import.meta.url));

async function captured(json: boolean, knownOk: boolean): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCheck([LECTURE], { backend: 'scalar', knownOk, errataMd: false, json }, (s) => lines.push(...s.split('\n')));
  return { code, lines };
}

describe('check: the summary says what ran and what it returns', () => {
  it('the counts line: each status where the line says it, as the checks of --json tally them', async () => {
    const json = await captured(true, false);
    const checks = (JSON.parse(json.lines.join('\n')) as { files: { checks: { status: string }[] }[] }).files[0].checks;
    const tally = (status: string) => checks.filter((c) => c.status === status).length;
    // The lecture has recorded errata (its known-erratum checks) beside its matches: both counts above 0, unequal.
    expect([tally('match') > 0, tally('known-erratum') > 0, tally('match') !== tally('known-erratum')]).toEqual([true, true, true]);
    const text = await captured(false, false);
    expect(text.lines).toContain(`1 worked example, ${checks.length} checks: ${tally('match')} match, ${tally('known-erratum')} wrong as recorded (known errata, confirmed), ${tally('wrong')} wrong and not recorded, ${tally('stale-erratum')} recorded errata that do not hold.`);
  });

  it('the last line names the exit status returned: 1 without --known-ok (the errata are wrong claims), 0 with it', async () => {
    const strict = await captured(false, false);
    expect(strict.code).toBe(1);
    expect(strict.lines.filter(Boolean).at(-1)).toBe('exit status 1: claims are wrong (--known-ok accepts the recorded errata)');
    const ok = await captured(false, true);
    expect(ok.code).toBe(0);
    expect(ok.lines.filter(Boolean).at(-1)).toBe('exit status 0');
  });
});
