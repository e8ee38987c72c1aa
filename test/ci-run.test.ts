/**
 * .ci/run, with `npm` and `chromium` stand-ins first on PATH (the real `node` runs test/ci-summary.ts): CI's status is
 * `npm ci`'s if that fails, else `npm test`'s, and its closing lines name each failed test and count the tests from the
 * JSON report `npm test` wrote. Expected lines are worked from the report written here, not from the summary's code.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CI_RUN = fileURLToPath(new URL('../.ci/run', import.meta.url));

// `npm ci` exits $STUB_NPM_CI; `npm test -- ARGS` copies $STUB_REPORT (when set) to --outputFile.json's file, as
// vitest writes it only with its JSON reporter among ARGS, and exits $STUB_NPM_TEST. Each call is logged.
const NPM = `#!/usr/bin/env bash
echo "npm $*" >> "$STUB_LOG"
case "$1" in
  ci) exit "\${STUB_NPM_CI:-0}" ;;
  test) json=""; for a in "$@"; do [ "$a" = --reporter=json ] && json=1; done
        for a in "$@"; do case "$a" in --outputFile.json=*) [ -n "\${STUB_REPORT:-}" ] && [ -n "$json" ] && cp "$STUB_REPORT" "\${a#--outputFile.json=}" ;; esac; done
        exit "\${STUB_NPM_TEST:-0}" ;;
esac
exit 3
`;

/** A vitest 4 JSON report (its shape as the JSON reporter writes it): a file with a passed, a skipped and, if `fail`, a failed test. */
function vitestReport(fail: boolean): object {
  const tests = [
    { fullName: 'net ok', status: 'passed', failureMessages: [] },
    { fullName: 'net later', status: 'skipped', failureMessages: [] },
    ...(fail ? [{ fullName: 'net dW matches', status: 'failed', failureMessages: ['AssertionError: expected 1 to be 2\n    at /x/test/net.test.ts:9:3'] }] : []),
  ];
  return {
    numTotalTests: tests.length, numPassedTests: 1, numFailedTests: fail ? 1 : 0, numPendingTests: 1, numTodoTests: 0, startTime: 1, success: !fail,
    testResults: [{ name: join(ROOT, 'test/net.test.ts'), status: fail ? 'failed' : 'passed', message: '', assertionResults: tests }],
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ci-run-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/npm'), NPM, { mode: 0o755 });
  writeFileSync(join(dir, 'bin/chromium'), '#!/bin/sh\necho "Chromium (stand-in)"\n', { mode: 0o755 });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ciRun(env: Record<string, string>): { status: number | null; stdout: string; npm: string[] } {
  const log = join(dir, 'log');
  writeFileSync(log, '');
  const r = spawnSync('bash', [CI_RUN], {
    encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, TMPDIR: dir, CI_NO_APT: '1', STUB_LOG: log, ...env },
  });
  return { status: r.status, stdout: r.stdout, npm: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' ')) };
}

/** The report the stand-in npm test writes. */
function reportFile(fail: boolean): string {
  const f = join(dir, 'report.json');
  writeFileSync(f, JSON.stringify(vitestReport(fail)));
  return f;
}

describe('.ci/run', () => {
  it('npm test fails: CI exits 1, its last lines name the failed test (file relative to the repository) and count 1 failed', () => {
    const r = ciRun({ STUB_NPM_TEST: '1', STUB_REPORT: reportFile(true) });
    expect(r.status).toBe(1);
    expect(r.npm).toEqual(['npm ci', 'npm test']);
    // The tail: the failed test, its message's first lines, then passed 1, failed 1, skipped 1 (pending 1 + todo 0).
    expect(r.stdout.trimEnd().split('\n').slice(-4)).toEqual([
      'FAILED test/net.test.ts > net dW matches',
      '      AssertionError: expected 1 to be 2',
      '          at /x/test/net.test.ts:9:3',
      'vitest: 1 passed, 1 failed, 1 skipped',
    ]);
  });

  it('npm test passes: CI exits 0, its last line the counts, no test named as failed (a skipped one is not)', () => {
    const r = ciRun({ STUB_NPM_TEST: '0', STUB_REPORT: reportFile(false) });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('FAILED');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('vitest: 1 passed, 0 failed, 1 skipped');
  });

  it('npm test fails before any report (the type check): CI exits with its status', () => {
    expect(ciRun({ STUB_NPM_TEST: '2' }).status).toBe(2);
  });

  it('npm ci fails: CI stops with its status, and npm test never runs', () => {
    const r = ciRun({ STUB_NPM_CI: '1', STUB_REPORT: reportFile(false) });
    expect(r.status).toBe(1);
    expect(r.npm).toEqual(['npm ci']);
  });
});

// apt, as root and as a sudo user. The stand-in `sudo` does what Debian's does by default (sudoers `env_reset`): the
// command gets a fresh environment, so a `VAR=value` put before `sudo` does not reach it. The stand-in `apt-get` logs
// its arguments and the DEBIAN_FRONTEND it got; `dpkg -s` says mesa-vulkan-drivers is missing, so Firefox's packages
// are wanted whatever this machine has.
describe('.ci/run installs with apt non-interactively, as root and through sudo', () => {
  for (const [who, uid] of [['root', 0], ['a sudo user', 1000]] as const) {
    it(`${who}: every apt-get install gets DEBIAN_FRONTEND=noninteractive (no debconf question in CI)`, () => {
      const apt = join(dir, 'apt.log');
      writeFileSync(apt, '');
      writeFileSync(join(dir, 'bin/id'), `#!/bin/sh\necho ${uid}\n`, { mode: 0o755 });
      writeFileSync(join(dir, 'bin/sudo'), '#!/bin/sh\nexec env -i PATH="$PATH" "$@"\n', { mode: 0o755 });
      writeFileSync(join(dir, 'bin/dpkg'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      writeFileSync(join(dir, 'bin/apt-get'), `#!/bin/sh\necho "$* DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-}" >> '${apt}'\n`, { mode: 0o755 });
      const r = ciRun({ CI_NO_APT: '', FIREFOX_PATH: '', STUB_NPM_TEST: '0', STUB_REPORT: reportFile(false) });
      expect(r.status).toBe(0);
      const installs = readFileSync(apt, 'utf8').trim().split('\n').filter((l) => l.startsWith('install '));
      expect(installs.some((l) => l.includes('firefox-esr mesa-vulkan-drivers'))).toBe(true);
      for (const l of installs) expect(l).toMatch(/ DEBIAN_FRONTEND=noninteractive$/);
    });
  }
});
