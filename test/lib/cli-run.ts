/**
 * What the test/cli-*.test.ts files split from test/cli.test.ts share: bin/backprop.js run as a user runs it, in a
 * child process, on the library build (test/lib/built-cli.ts); a temporary folder for spec files, removed after the
 * test file that imports this (vitest evaluates this module once per test file, so afterAll is that file's); the
 * lecture's 2-2-1 net, and grad --json's shape.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { builtCliEnv } from './built-cli.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/backprop.js');
// bin/backprop.js runs a library build of the CLI (test/lib/built-cli.ts; the sources under tsx start 0.3 s slower);
// 'the build and the sources print the same' (test/cli-build.test.ts) runs both.
export const BUILT = builtCliEnv();
/** The environment of every spawn in these files that runs bin/backprop.js (the build). */
export const ENV = { ...process.env, ...BUILT };
export const dir = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return cliEnv({}, ...args);
}

export function cliEnv(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 110_000, env: { ...ENV, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let files = 0;
export function specFile(spec: unknown): string {
  const file = join(dir, `spec-${files++}.json`);
  writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return file;
}

/** The lecture's 2-2-1 net: x = (0.05, 0.10), y = 0.01, w1..w6 = 0.15 … 0.45, shared b1 = 0.35, b2 = 0.60. */
export const lecture = {
  inputs: 2,
  layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid' }],
  loss: 'mse',
  params: { W: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], b: [0.35, [0.6]] },
  x: [[0.05, 0.1]],
  y: [[0.01]],
};

/** |actual − printed| ≤ ½ unit of the printed value's last digit. */
export function expectPrinted(actual: unknown, printed: string): void {
  const decimals = printed.split('.')[1]?.length ?? 0;
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - Number(printed))).toBeLessThanOrEqual(0.5 * 10 ** -decimals);
}

export interface GradJson {
  backend: string;
  threads?: number;
  webgpuRoute?: string;
  webgpuVariant?: string;
  loss: number;
  A: number[][][];
  grads: { W: number[][][]; b: (number | number[])[] };
}

export function gradJson(spec: unknown): GradJson {
  const r = cli('grad', specFile(spec), '--backend', 'cpu', '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as GradJson;
}
