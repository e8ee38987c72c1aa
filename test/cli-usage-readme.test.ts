/**
 * Each command's usage (`backprop COMMAND --help`) against README's synopsis of it and against what the command runs:
 * README's `npx backprop COMMAND …` lines (in its sh blocks, with their continuation lines) list exactly the flags
 * the usage lists (README's explain and check synopses lacked --webgpu-variant, which both take), and demo's usage
 * names every backend the demo runs (it said "on the CPU and on WebGPU … on both", the demo runs wasm too).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE } from '../src/cli/main.ts';
import { lecture } from '../src/lectures/index.ts';
import { explain } from '../src/notation/explain.ts';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const COMMANDS = ['grad', 'train', 'demo', 'explain', 'check'] as const;

/** The `--flag` words of a synopsis, --help left out (every command takes it, and README shows it once). */
function flags(text: string): string[] {
  return [...new Set(text.match(/--[a-z][a-z-]*/g) ?? [])].filter((f) => f !== '--help').sort();
}

/** README's synopsis lines of a command: `npx backprop COMMAND …` in a sh block, up to a `#` comment, and the lines
 * that continue it (indented, starting with `[`). */
function readmeSynopsis(command: string): string {
  const lines: string[] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let inSynopsis = false;
    for (const line of block[1].split('\n')) {
      if (line.startsWith(`npx backprop ${command} `)) inSynopsis = true;
      else if (!(inSynopsis && /^\s+\[/.test(line))) inSynopsis = false;
      if (inSynopsis) lines.push(line.replace(/\s#.*$/, ''));
    }
  }
  return lines.join('\n');
}

/** The usage's synopsis: its first line, its other forms (`  or backprop COMMAND …`: train --resume) and the indented lines of flags in brackets after each. */
function usageSynopsis(command: (typeof COMMANDS)[number]): string {
  const [first, ...rest] = COMMAND_USAGE[command].split('\n');
  const more: string[] = [];
  for (const line of rest) {
    if (!/^\s+\[/.test(line) && !line.startsWith(`  or backprop ${command} `)) break;
    more.push(line);
  }
  return [first, ...more].join('\n');
}

describe("README's synopses list the flags of each command's --help", () => {
  for (const command of COMMANDS) {
    it(command, () => {
      const readme = readmeSynopsis(command);
      expect(readme, `README has no npx backprop ${command} line`).not.toBe('');
      expect(flags(readme)).toEqual(flags(usageSynopsis(command)));
    });
  }
});

describe("demo's usage", () => {
  it('names the three backends the demo runs: the CPU, wasm and WebGPU', () => {
    const usage = COMMAND_USAGE.demo;
    expect(usage).toMatch(/\bCPU\b/);
    expect(usage).toMatch(/\bwasm\b/);
    expect(usage).toMatch(/\bWebGPU\b/);
    expect(usage).not.toMatch(/\bon both\b/);
  });
});

describe("explain's usage", () => {
  it("gives --decimals' default as README and explain do: the spec's notation.decimals, else 4 (lecture 000's file shows 7)", () => {
    const worked = lecture('lecture-study-hours-w7').worked;
    expect(worked.spec.notation?.decimals).toBe(7);
    expect(explain(worked, { param: 'w7' }, [], 'text')).toContain('= (−0.0030000) × 0.0029910 × 4.75');
    expect(COMMAND_USAGE.explain).toMatch(/--decimals: rounding shown \(default: the spec's notation\.decimals, else 4\)/);
  });
});
