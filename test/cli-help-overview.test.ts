/**
 * `backprop --help` opens with one line per command (src/cli/main.ts COMMAND_SUMMARY), demo first, before the 80-line
 * usage page: review usr57e found the page's first screen was grad's flags alone, with no word of what the five
 * commands are. The expected list is the commands `backprop COMMAND --help` answers (COMMAND_USAGE's keys).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE, USAGE } from '../src/cli/main.ts';

const commands = Object.keys(COMMAND_USAGE);

describe('backprop --help: the commands first', () => {
  it('every command has a line of its own before "usage:", demo first, within the first 10 lines', () => {
    const lines = USAGE.split('\n');
    const usageAt = lines.indexOf('usage:');
    expect(usageAt).toBeGreaterThan(0);
    expect(usageAt).toBeLessThanOrEqual(10);
    const listed = lines.slice(0, usageAt).map((l) => /^ {2}([a-z]+) +\S/.exec(l)?.[1]).filter((c) => c !== undefined);
    expect([...listed].sort()).toEqual([...commands].sort());
    expect(listed[0]).toBe('demo');
    expect(lines[1]).toBe('commands (backprop COMMAND --help shows one):');
  });

  it('the CLI prints it for --help (stdout, exit 0) and after "no command given" (stderr, exit 2)', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/backprop.js', ...args], { encoding: 'utf8' });
    const help = cli('--help');
    expect([help.status, help.stdout]).toEqual([0, `${USAGE}\n`]);
    const none = cli();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`error: no command given\n\n${USAGE.split('\n').slice(0, 3).join('\n')}`);
  }, 30_000);
});
