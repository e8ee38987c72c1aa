/**
 * An error the CLI does not expect (not a usage, input or typed error: a bug) ends `main` with exit status 1 and
 * "internal error" on stderr (src/cli/main.ts), never 0: a script must not read a crash as success. The bug is stood
 * in for by a grad that throws a plain Error. Review cmut54: main returning 0 there passed every test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('../src/cli/grad.ts', async (original) => ({
  ...(await original<typeof import('../src/cli/grad.ts')>()),
  runGrad: () => Promise.reject(new Error('a bug stands here')),
}));

const { main } = await import('../src/cli/main.ts');

const dir = mkdtempSync(join(tmpdir(), 'backprop-internal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('main: an unexpected error', () => {
  it('exits 1 with "internal error" and the error on stderr, nothing on stdout', async () => {
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, x: [[1]], y: [[0]] }));
    const stderr: string[] = [];
    const stdout: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true));
    try {
      expect(await main(['grad', file])).toBe(1);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    expect(stderr.join('')).toMatch(/^internal error: Error: a bug stands here\n/);
    expect(stdout).toEqual([]);
  });
});
