/**
 * The CLI, run as a user runs it: `node bin/backprop.js …` in a child process (CPU backend only; the WebGPU
 * CLI path is exercised by hand / by the browser project). Expected numbers are the ones lecture 001 prints
 * for its 2-2-1 example, each checked to half a unit of its last printed digit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inputsForRerun, integerFlag, jsonErrorOffset, liveLine, readJsonFile, shellPath, within } from '../src/cli/io.ts';
import { batchLine, runTrain } from '../src/cli/train.ts';
import { fitInNode } from '../src/cli/in-node.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { COMMAND_USAGE } from '../src/cli/main.ts';
import { KERNEL_VARIANTS } from '../src/webgpu/variants.ts';
import { fmt, matrix, table } from '../src/cli/format.ts';
import { lecturePointers, lectureRows, verdictText } from '../src/cli/demo.ts';
import { loadLecture, verdicts } from '../src/cli/lecture.ts';
import { Model } from '../src/model.ts';
import { type NetworkSpec, validateSpec } from '../src/spec.ts';
import { checkWorked } from '../src/worked/check.ts';
import type { ValueSource } from '../src/worked/sources.ts';
import { builtCliEnv } from './lib/built-cli.ts';
import { parityCases, randomSpec } from './lib/random-nets.ts';
import { compareWithin, parityBounds } from './lib/tolerance.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/backprop.js');
// bin/backprop.js runs a library build of the CLI (test/lib/built-cli.ts; the sources under tsx start 0.3 s slower);
// 'the build and the sources print the same' below runs both.
const BUILT = builtCliEnv();
/** The environment of every spawn here that runs bin/backprop.js (the build). */
const ENV = { ...process.env, ...BUILT };
const dir = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return cliEnv({}, ...args);
}

function cliEnv(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 110_000, env: { ...ENV, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let files = 0;
function specFile(spec: unknown): string {
  const file = join(dir, `spec-${files++}.json`);
  writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return file;
}

/** The lecture's 2-2-1 net: x = (0.05, 0.10), y = 0.01, w1..w6 = 0.15 … 0.45, shared b1 = 0.35, b2 = 0.60. */
const lecture = {
  inputs: 2,
  layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid' }],
  loss: 'mse',
  params: { W: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], b: [0.35, [0.6]] },
  x: [[0.05, 0.1]],
  y: [[0.01]],
};

/** |actual − printed| ≤ ½ unit of the printed value's last digit. */
function expectPrinted(actual: unknown, printed: string): void {
  const decimals = printed.split('.')[1]?.length ?? 0;
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - Number(printed))).toBeLessThanOrEqual(0.5 * 10 ** -decimals);
}

interface GradJson {
  backend: string;
  threads?: number;
  webgpuRoute?: string;
  webgpuVariant?: string;
  loss: number;
  A: number[][][];
  grads: { W: number[][][]; b: (number | number[])[] };
}

function gradJson(spec: unknown): GradJson {
  const r = cli('grad', specFile(spec), '--backend', 'cpu', '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as GradJson;
}

describe('backprop grad --backend wasm --json', () => {
  it('agrees with the oracle on a random net within the parity bound, and says it ran on wasm', async () => {
    const c = parityCases()[11];
    const spec = randomSpec(c);
    const r = cli('grad', specFile(spec), '--backend', 'wasm', '--json');
    expect(r.status, r.stderr).toBe(0);
    const wasm = JSON.parse(r.stdout) as GradJson;
    const valid = validateSpec(spec);
    const model = await Model.create(spec, { backend: 'cpu' });
    const cpu = await model.grad();
    model.dispose();
    // The bound of test/lib/tolerance.ts (wasm sums the same float32 products in another order).
    const b = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, cpu);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThanOrEqual(b.loss);
    valid.net.layers.forEach((_, l) => {
      expect(compareWithin(`dW${l + 1}`, wasm.grads.W[l].flat(), cpu.dW[l], b.dW[l]).violations).toEqual([]);
    });
    const text = cli('grad', specFile(spec), '--backend', 'wasm');
    expect(text.stdout).toMatch(/backend: wasm — WebAssembly: f32x4 SIMD/);
    // --json says what ran as the text's backend line does: wasm, on the threads the line counts ("1 thread", "N threads").
    const threads = Number(/^backend: wasm — WebAssembly: .*, (\d+) threads?\b/m.exec(text.stdout)![1]);
    expect([wasm.backend, wasm.threads, wasm.webgpuRoute, wasm.webgpuVariant]).toEqual(['wasm', threads, undefined, undefined]);
  }, 60_000);
});

describe('backprop grad --backend cpu --json', () => {
  it('gives the lecture 2-2-1 loss, activations and gradients', () => {
    const g = gradJson(lecture);
    // What ran: the CPU, nothing more to say (no threads, no route, no kernels).
    expect([g.backend, g.threads, g.webgpuRoute, g.webgpuVariant]).toEqual(['cpu', undefined, undefined, undefined]);
    expectPrinted(g.loss, '0.2748');
    expectPrinted(g.A[0][0][0], '0.5933'); // a_h1
    expectPrinted(g.A[0][0][1], '0.5969'); // a_h2
    expectPrinted(g.A[1][0][0], '0.7514'); // a_out
    const [[[w1, w2], [w3, w4]], [[w5, w6]]] = g.grads.W;
    expectPrinted(w1, '0.00067');
    // The lecture prints 0.00135 for w2, but its own product is 0.0134 × 0.10 = 0.00134 (an erratum).
    expectPrinted(w2, '0.00134');
    expectPrinted(w3, '0.00075');
    expectPrinted(w4, '0.00150'); // 'All gradients: w4 = .00150' (the w4 section's minus sign is an erratum)
    expectPrinted(w5, '0.0822');
    expectPrinted(w6, '0.0827');
    expectPrinted(g.grads.b[0], '0.0284'); // the shared b1: 0.0134 (via h1) + 0.0150 (via h2)
    expectPrinted((g.grads.b[1] as number[])[0], '0.1385');
  });

  it('reads a worked-example file as its spec (src/lectures/lecture-2-2-1.worked.json)', () => {
    const r = cli('grad', 'src/lectures/lecture-2-2-1.worked.json', '--backend', 'cpu', '--json');
    expect(r.status, r.stderr).toBe(0);
    const g = JSON.parse(r.stdout) as GradJson;
    expectPrinted(g.grads.W[1][0][0], '0.0822'); // ∂L/∂w5, lecture line 98
    expectPrinted(g.grads.W[0][0][0], '0.00067'); // ∂L/∂w1
    expectPrinted(g.grads.b[0], '0.0284'); // ∂L/∂b1 (shared): a single number
  });

  it('text: a layer\'s matrices and vectors carry the layer as a subscript (W₂, db₂), never a flat name like b2', () => {
    // In a 2-3-2 net the flat name b2 (explain, check) is b₁[1], one bias value; layer 2's bias vector is b₂.
    const s232 = {
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      params: { W: [[[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], [[0.7, -0.4, 0.3], [-0.2, 0.5, 0.9]]], b: [[0.1, -0.1, 0.05], [0, 0.2]] },
      x: [[1, 2], [-0.5, 0.3]], y: [[1, 0], [0, 1]],
    };
    const r = cli('grad', specFile(s232), '--backend', 'cpu');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[WbZA]\d|(?:dW|db|delta)\d/); // no W2, ∂L/∂b2, db2, Z1, A0, delta1
    for (const label of ['Z₂ = W₂·A₁ + b₂', 'A₂ = softmax(Z₂)', 'delta₂ = ∂L_c/∂Z₂', 'dW₂ = ∂L/∂W₂', 'db₂ = ∂L/∂b₂', 'db₁ = ∂L/∂b₁', 'A₀']) expect(r.stdout).toContain(label);
    // db₂'s unit 1 is explain's ∂L/∂b4 (−0.1794903, numpy float64 by the notation2 review); db₁'s unit 2 is ∂L/∂b2 (−0.1132357).
    // A bias vector's one column is headed by its name, as dW's columns by their input (was 'value 1').
    const db2 = r.stdout.slice(r.stdout.indexOf('db₂ = '));
    expect(db2).toMatch(/^db₂ = .*\n {4} +db₂\n {4}unit 1 +-0\.17949/);
    const db1 = r.stdout.slice(r.stdout.indexOf('db₁ = '));
    expect(db1).toMatch(/^db₁ = .*\n {4} +db₁\n {4}unit 1 .*\n {4}unit 2 +-0\.11323/);
    // The tables count from 1 and say which 0-based entry that is (explain's dW₂[0][0] is unit 1, in 1).
    expect(r.stdout).toContain('dW₂ = ∂L/∂W₂  (unit i, in j: dW₂[i−1][j−1])');
    expect(r.stdout).toContain('counted from 1, so unit 1, ex 1 is entry [0][0]');
    const shared = cli('grad', specFile(lecture), '--backend', 'cpu');
    expect(shared.stdout).toMatch(/db₁ = ∂L\/∂b₁ \(layer 1's one shared bias\) = 0\.02836/);
  });

  it('shapes A with one row per example and grads like the spec params', () => {
    const g = gradJson(lecture);
    expect(Object.keys(g).sort()).toEqual(['A', 'backend', 'grads', 'loss']); // the CPU: what ran is its backend alone
    expect(g.A.map((a) => [a.length, a[0].length])).toEqual([[1, 2], [1, 1]]);
    expect(g.grads.W.map((w) => [w.length, w[0].length])).toEqual([[2, 2], [1, 2]]);
    expect(typeof g.grads.b[0]).toBe('number'); // shared bias: one number
    expect(g.grads.b[1]).toHaveLength(1); // per-unit: one per unit

    // Three examples, the first the lecture's; an output layer without bias.
    const three = {
      ...lecture,
      layers: [lecture.layers[0], { units: 1, activation: 'sigmoid', bias: 'none' }],
      params: { W: lecture.params.W, b: [0.35, []] },
      x: [[0.05, 0.1], [1, -1], [0.5, 0.5]],
      y: [[0.01], [0.5], [0.99]],
    };
    const g3 = gradJson(three);
    expect(g3.A.map((a) => a.map((row) => row.length))).toEqual([[2, 2, 2], [1, 1, 1]]);
    expectPrinted(g3.A[0][0][0], '0.5933'); // example 0's hidden activations are the lecture's
    expectPrinted(g3.A[0][0][1], '0.5969');
    expect(g3.A[0][1][0]).not.toBeCloseTo(g3.A[0][0][0], 3);
    expect(g3.grads.b).toEqual([expect.any(Number), []]);
  });
});

describe('backprop errors', () => {
  it.each([
    ['an unknown activation', { ...lecture, layers: [{ units: 2, activation: 'sigmoidd', bias: 'shared' }, lecture.layers[1]] }, 'SPEC', 'layers[0].activation'],
    ['a W of the wrong shape', { ...lecture, params: { W: [[[0.15, 0.2]], [[0.4, 0.45]]], b: [0.35, [0.6]] } }, 'SHAPE', 'params.W[0]'],
    ['an unknown key', { ...lecture, lerning_rate: 0.1 }, 'SPEC', 'lerning_rate'],
    ['a string in x', { ...lecture, x: [[0.05, '0.1']] }, 'SPEC', 'x[0][1]'],
    ['a null (JSON for NaN) in x', { ...lecture, x: [[null, 0.1]] }, 'SPEC', 'x[0][0]'],
    ['a missing y', { ...lecture, y: undefined }, 'SPEC', 'y'],
    ['no data at all', { ...lecture, x: undefined, y: undefined }, 'SPEC', 'x'],
  ])('%s exits 2 naming the field', (_what, spec, code, field) => {
    const r = cli('grad', specFile(spec), '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error [${code}] ${field}:`);
  });

  it('reports bad JSON with its line and column, without the usage after it', () => {
    const r = cli('grad', specFile('{"inputs": 2,\n  "layers": [1, 2,]\n}'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON at line 2, column 19 .*Unexpected token '\]'/);
    expect(r.stderr).not.toContain('usage:');
  });

  it.each([
    [['frob'], "unknown command 'frob'"],
    [['grd', 'x.json'], "unknown command 'grd'; did you mean 'grad'?"],
    [['explian'], "did you mean 'explain'?"],
    [['grad', join(dir, 'missing.json')], 'no such file'],
    [['grad', '-'], '-: no such file (a spec on standard input is read as the file /dev/stdin)'],
    [['explain', 'lecture-2-2-1', '--param', 'w5'], "lecture-2-2-1: no such file; 'lecture-2-2-1' is a lecture id: its worked example is src/lectures/lecture-2-2-1.worked.json"],
    [['grad', dir], 'cannot read (EISDIR)'],
    // A short word (4 letters or fewer) is guessed within one edit only: 'grzz' is two from 'grad' (review mutn).
    [['grzz'], "unknown command 'grzz' (commands:"],
  ])('input error %j exits 2 with one line, no usage', (args, message) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a usage error shows that command\'s usage only', () => {
    const r = cli('grad', 'x.json', '--backend', 'gpu');
    expect(r.stderr).toContain('backprop grad SPEC.json');
    expect(r.stderr).not.toContain('backprop check WORKED.json');
  });

  // Flag values checked by the command (integerFlag, train's flags) are that command's usage errors too.
  it.each([
    [['train', '--data', 'mnist', '--epochs', 'abc'], 'train', "--epochs must be an integer 1 or more, got 'abc'"],
    [['train', '--data', 'mnist', '--optimizer', 'Adam'], 'train', '--optimizer must be'],
    [['demo', '--steps', '-1'], 'demo', '--steps must be'],
    [['explain', 'x.json', '--decimals', '-1'], 'explain', '--decimals must be'],
    // An unknown flag: the CLI's own message with a guess (not Node's parseArgs text), then the command's usage.
    [['explain', 'x.json', '--parm', 'w5'], 'explain', "error: unknown flag '--parm'; did you mean '--param'?"],
    [['train', '--epoch=3'], 'train', "error: unknown flag '--epoch'; did you mean '--epochs'?"],
    [['grad', 'x.json', '--frobnicate'], 'grad', "error: unknown flag '--frobnicate' (backprop grad --help lists the flags)"],
    // The guess is a flag the command takes: grad refuses --param, so '--parm' gets none there (review diff7 item 4).
    [['grad', 'x.json', '--parm', 'w5'], 'grad', "error: unknown flag '--parm' (backprop grad --help lists the flags)"],
    [['demo', '--seeds', '3'], 'demo', "error: unknown flag '--seeds'; did you mean '--steps'?"],
    // --help is among the guesses (review mut3 C2).
    [['grad', 'x.json', '--hlep'], 'grad', "error: unknown flag '--hlep'; did you mean '--help'?"],
    // A word of short flags is named as typed (Node names one letter of it: `-v=1` was "unknown flag '-'").
    [['grad', 'x.json', '-v=1'], 'grad', "error: unknown flag '-v=1' (backprop grad --help lists the flags)"],
    [['train', '-hx'], 'train', "error: unknown flag '-hx' (backprop train --help lists the flags)"],
    // A flag given twice is refused, not the last one kept (review cli 5).
    [['explain', 'x.json', '--param=w5', '--param', 'w1'], 'explain', 'error: --param is given twice; give it once\n'],
    [['grad', 'x.json', '--json', '--json'], 'grad', 'error: --json is given twice; give it once\n'],
    // A flag without its value, or a switch given one: the CLI's message naming the flag, not Node's "Option '--backend
    // <value>' argument missing" (review mut3 X8 and its note).
    [['grad', 'x.json', '--backend'], 'grad', 'error: --backend needs a value\n'],
    [['train', '--data', '--json'], 'train', "error: --data needs a value; '--json' after it is a flag (a value that starts with '-' is written --data=VALUE)\n"],
    [['grad', 'x.json', '--json=1'], 'grad', 'error: --json takes no value\n'],
    [['check', 'x.json', '--decimals'], 'check', "error: 'check' does not take --decimals\n"],
    // (review mutn) the two outputs of check exclude each other; demo trains at least one step.
    [['check', 'x.json', '--json', '--errata-md'], 'check', 'error: --json and --errata-md: choose one\n'],
    [['demo', '--steps', '0'], 'demo', "error: --steps must be an integer 1 or more, got '0'\n"],
  ])('%j: the message, then the usage of %s only', (args, command, message) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain("Option '");
    expect(r.stderr.match(/^ {2}backprop [a-z]+/gm)).toEqual([`  backprop ${command}`]);
  });

  it.each(['grad', 'demo', 'explain', 'check'])('%s --help prints its own usage and exits 0', (command) => {
    const r = cli(command, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`backprop ${command}`);
    expect(r.stdout.match(/^ {2}backprop /gm)).toHaveLength(1);
  });

  it('--version prints the package version', () => {
    const r = cli('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`backprop-webgpu ${(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version}`);
  });

  it('check --json: one object with every check; exit 1 on the lectures\' errata, 0 with --known-ok', () => {
    const file = 'src/lectures/lecture-2-2-1.worked.json';
    const strict = cli('check', file, '--json');
    expect(strict.status).toBe(1);
    const ok = cli('check', file, '--json', '--known-ok');
    expect(ok.status).toBe(0);
    const out = JSON.parse(ok.stdout) as { files: { id: string; checks: { name: string; status: string; value: number }[] }[]; counts: Record<string, number>; failed: boolean };
    expect(out.failed).toBe(false);
    expect(out.files[0]!.id).toBe('lecture-2-2-1');
    const w5 = out.files[0]!.checks.find((c) => c.name === '∂L/∂w5')!;
    expect(w5.status).toBe('match');
    expect(w5.value).toBeCloseTo(0.0822, 4);
    expect(out.counts['known-erratum']).toBeGreaterThan(0);
    expect(cli('check', file, '--json', '--errata-md').status).toBe(2);
  }, 60_000);

  it('check and explain --backend wasm: the same statuses as the CPU oracle, values within float32 rounding', () => {
    const file = 'src/lectures/lecture-2-2-1.worked.json';
    type Out = { backend: string; threads?: number; files: { checks: { name: string; status: string; value: number }[] }[] };
    const [cpu, wasm] = ['cpu', 'wasm'].map((b) => {
      const r = cli('check', file, '--json', '--known-ok', '--backend', b);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Out;
    });
    expect(wasm.backend).toBe('wasm');
    // What ran, named as grad --json and train --json name it: wasm's threads (a count, 1 or more); the CPU's nothing more.
    expect([cpu.threads, Number.isInteger(wasm.threads) && wasm.threads! >= 1]).toEqual([undefined, true]);
    const c = cpu.files[0]!.checks, w = wasm.files[0]!.checks;
    expect(w.map((x) => [x.name, x.status])).toEqual(c.map((x) => [x.name, x.status]));
    // Both compute in float32 from the same inputs; the values printed are ≤ 1e-3, so 1e-6 is a few float32 ulps.
    w.forEach((x, i) => expect(Math.abs(x.value - c[i]!.value), x.name).toBeLessThan(1e-6));
    const e = cli('explain', file, '--param', 'w5', '--backend', 'wasm');
    expect(e.status, e.stderr).toBe(0);
    expect(e.stdout).toContain('wasm');
  }, 60_000);

  it.each([
    [[], 'no command given'],
    [['grad'], 'grad needs a spec file'],
    [['grad', 'x.json', '--backend', 'gpu'], '--backend must be cpu, webgpu, wasm, both or all'],
    [['grad', 'x.json', '--frobnicate'], "unknown flag '--frobnicate'"],
    [['demo', '--json'], "'demo' does not take --json"],
    [['explain'], 'explain needs a spec file'],
    [['explain', 'x.json', '--format', 'pdf'], '--format must be text, md or latex'],
    [['explain', 'x.json', '--convention', 'sideways'], '--convention must be flat, to-from or from-to'],
    [['check'], 'check needs a worked-example file'],
    [['check', 'x.json', '--param', 'w1'], "'check' does not take --param"],
    [['check', 'x.json', '--decimals', '3'], "'check' does not take --decimals"], // explain's flag (review mut3 C6)
  ])('usage error %j exits 2 with usage', (args, message) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage:');
  });

  it('--help prints usage and exits 0', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('backprop grad SPEC.json');
    expect(r.stdout).toContain('backprop explain SPEC.json');
    expect(r.stdout).toContain('backprop check WORKED.json');
  });
});

describe('jsonErrorOffset', () => {
  it('finds the offending character even where V8 gives no position', () => {
    expect(jsonErrorOffset('{"a": x}')).toBe(6);
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('{"a":1,}')).toBe(7);
    expect(jsonErrorOffset('{"a": 1} 2')).toBe(9);
  });
});

describe('backprop demo without WebGPU', () => {
  it('says so, checks the lecture on the CPU and wasm (errata flagged, no mismatch) and trains', () => {
    // BACKPROP_WEBGPU=browser: no Dawn (it would find SwiftShader here), and no Chromium either.
    const r = cliEnv({ BACKPROP_WEBGPU: 'browser', CHROME_PATH: join(dir, 'no-such-chromium'), BACKPROP_CHROMIUM: 'system' }, 'demo', '--steps', '1', '--epochs', '1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/webgpu: UNAVAILABLE — CHROME_PATH is set to .*no-such-chromium/);
    // Two value columns: cpu, then wasm.
    expect(r.stdout).toMatch(/new w5 = w5 − η·∂L\/∂w5 +0\.399927 +0\.39999\d* +0\.39999\d* +✓ lecture erratum \[1\]: correct 0\.3999918/);
    expect(r.stdout).toMatch(/ 98 +∂L\/∂w5 +0\.0822 +0\.0821670\d* +0\.0821670\d* +✓ match/);
    expect(r.stdout).not.toContain('MISMATCH');
    expect(r.stdout).toMatch(/WebGPU unavailable \(.*\): trained on cpu and wasm only\./);
    // Part (b)'s progress line gives train's loss, step 1's before its update: the table's loss at start, not after.
    const line = /cpu +step 1\/1 +loss (\S+) +\(before step 1's update\)/.exec(r.stdout);
    const row = /\n +cpu +(\S+) +(\S+) +\d+\n/.exec(r.stdout);
    expect([line?.[1], row?.[1]]).toEqual([row?.[1], line?.[1]]);
    expect(row?.[2]).not.toBe(row?.[1]);
    expect(r.stdout).toMatch(/\(c\) model\.fit on MNIST/);
    expect(r.stdout).toMatch(/cpu +epoch 1: test accuracy \d+\.\d\d %/);
  }, 120_000);
});

describe('every command that runs WebGPU takes the same route (src/cli/webgpu.ts)', () => {
  // Dawn without an adapter (the Vulkan loader pointed at no driver; BACKPROP_DAWN_RERUN=1: no SwiftShader rerun),
  // and no Chromium: each command must say that Dawn had no adapter and then fail on Chromium, before printing anything.
  const env = () => ({ VK_ICD_FILENAMES: join(dir, 'no-such-icd.json'), BACKPROP_DAWN_RERUN: '1', CHROME_PATH: join(dir, 'no-such-chromium'), BACKPROP_CHROMIUM: 'system' });
  const lectureFile = 'src/lectures/lecture-2-2-1.worked.json';
  it.each([
    ['grad', lectureFile, '--backend', 'webgpu'],
    ['explain', lectureFile, '--param', 'w5', '--backend', 'webgpu'],
    ['check', lectureFile, '--backend', 'webgpu'],
    ['train', lectureFile, '--backend', 'webgpu', '--epochs', '1'],
  ])('%s: Dawn first, then Chromium, nothing on stdout', (...args) => {
    const r = cliEnv(env(), ...args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    const dawn = lines.findIndex((l) => /^backprop: .*Dawn .*found no adapter.* — trying headless Chromium instead\.$/.test(l));
    const chromium = lines.findIndex((l) => /^error \[BROWSER\] CHROME_PATH is set to .*no-such-chromium/.test(l));
    expect(dawn, r.stderr).toBeGreaterThanOrEqual(0);
    expect(chromium, r.stderr).toBeGreaterThan(dawn);
  }, 60_000);

  it('train: a bad x is a SpecError before any WebGPU route is tried (no Dawn notice, no browser error)', () => {
    const bad = specFile({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', x: [[0, 'a']], y: [[1]], epochs: 1 });
    const r = cliEnv(env(), 'train', bad, '--backend', 'webgpu');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error \[SPEC\] x\[0\]\[1\]/m);
    expect(r.stderr).not.toMatch(/Dawn|Chromium|BROWSER/);
  }, 60_000);

  it.each([
    [['--epochs', '0'], /^error: --epochs must be an integer 1 or more, got '0'$/m],
    [['--seed=-1'], /^error: --seed must be an integer 0 … 4294967295, got '-1'$/m],
  ])('train --data mnist %j: the flag\'s error before any WebGPU route and before any line on stdout', (flags, error) => {
    const r = cliEnv(env(), 'train', '--data', 'mnist', '--backend', 'webgpu', ...flags);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(error);
    // a flag's usage error: the message, then train's usage (which names Dawn and Chromium itself), nothing else
    const [message, usage] = r.stderr.split('\n\nusage:\n');
    expect(message).not.toMatch(/Dawn|Chromium|BROWSER/);
    expect(usage).toBe(`${COMMAND_USAGE.train}\n`);
  }, 60_000);

  // --webgpu-variant (the library's webgpuVariant): refused, naming the flag, where the command's --backend runs no
  // WebGPU (as Model.create refuses webgpuVariant with 'cpu' or 'wasm'), or for a value that is no variant (the list is
  // the library's: src/webgpu/variants.ts); either way before any work: no WebGPU route tried, nothing on stdout.
  const spec221 = 'test/fixtures/lecture-2-2-1.json';
  it.each([
    [['train', spec221, '--webgpu-variant', 'tiled'], "--webgpu-variant is for a WebGPU backend (--backend webgpu); backend is 'cpu'"],
    [['train', spec221, '--backend', 'wasm', '--webgpu-variant', 'auto'], "--webgpu-variant is for a WebGPU backend (--backend webgpu); backend is 'wasm'"],
    [['grad', spec221, '--backend', 'wasm', '--webgpu-variant', 'blocked'], "--webgpu-variant is for a WebGPU backend (--backend webgpu, both or all); backend is 'wasm'"],
    [['explain', lectureFile, '--backend', 'none', '--webgpu-variant', 'tiled'], "--webgpu-variant is for a WebGPU backend (--backend webgpu or both); backend is 'none'"],
    [['check', lectureFile, '--webgpu-variant', 'subgroup'], "--webgpu-variant is for a WebGPU backend (--backend webgpu); backend is 'scalar'"],
    [['train', spec221, '--backend', 'webgpu', '--webgpu-variant', 'tild'], `--webgpu-variant must be ${['auto', ...KERNEL_VARIANTS].slice(0, -1).join(', ')} or subgroup, got 'tild'`],
    [['grad', spec221, '--backend', 'all', '--webgpu-variant', 'Tiled'], "--webgpu-variant must be auto, blocked, blocked-subgroup, tiled or subgroup, got 'Tiled'"],
    [['check', lectureFile, '--backend', 'webgpu', '--webgpu-variant', ''], "--webgpu-variant must be auto, blocked, blocked-subgroup, tiled or subgroup, got ''"],
    // A bad value is named before a backend that runs no WebGPU, as the library checks webgpuVariant's value first.
    [['explain', lectureFile, '--webgpu-variant', 'fast'], "--webgpu-variant must be auto, blocked, blocked-subgroup, tiled or subgroup, got 'fast'"],
    [['demo', '--webgpu-variant', 'tiled'], "'demo' does not take --webgpu-variant"],
  ])('%j: refused before any WebGPU route, naming the flag, then the command\'s usage', (args, message) => {
    const r = cliEnv(env(), ...args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const [first, usage] = r.stderr.split('\n\nusage:\n');
    expect(first).toBe(`error: ${message}`);
    expect(usage).toBe(`${COMMAND_USAGE[args[0] as keyof typeof COMMAND_USAGE]}\n`);
  }, 60_000);

  it('--help of each command that runs WebGPU documents --webgpu-variant with every variant; demo\'s does not', () => {
    for (const command of ['grad', 'explain', 'check', 'train'] as const) {
      const r = cli(command, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout, command).toContain('[--webgpu-variant V]');
      expect(r.stdout, command).toContain(`--webgpu-variant V: the WebGPU kernels (Model.create's webgpuVariant)`);
      expect(r.stdout, command).toContain(['auto', ...KERNEL_VARIANTS].join('|'));
    }
    expect(cli('demo', '--help').stdout).not.toContain('--webgpu-variant');
  });

  it('demo: the same two notices, then WebGPU UNAVAILABLE, and cpu and wasm only', () => {
    const r = cliEnv(env(), 'demo', '--steps', '2', '--epochs', '0');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^backprop: .*Dawn .*found no adapter.* — trying headless Chromium instead\.$/m);
    expect(r.stdout).toMatch(/webgpu: UNAVAILABLE — CHROME_PATH is set to .*no-such-chromium/);
    expect(r.stdout).toMatch(/WebGPU unavailable \(.*\): trained on cpu and wasm only\./);
  }, 60_000);
});

describe('demo lecture verdicts: backprop check\'s, claim for claim', () => {
  // The demo and `backprop check` judge the same claims: a value must never be "match" in one and "wrong" in the
  // other. Probes sit just inside and just outside each claim's tolerance (and its erratum's corrected value's),
  // where two different rules would disagree; eps is a float32 matrix backend's (src/worked/sources.ts).
  const lecture = loadLecture('lecture-2-2-1');
  const worked = lecture.prepared.worked;
  const probe = (v: number): ValueSource => ({ name: 'cpu', value: () => v, eps: (x) => 1e-6 + 1e-5 * Math.abs(x) });
  const byClaim = checkWorked(worked, () => probe(0)).checks;
  it('every numeric claim is one the checker checks', () => {
    expect(lecture.claims.length).toBeGreaterThan(40);
    for (const c of lecture.prepared.claims) expect(worked.claims).toContain(c.claim);
  });
  it('the demo\'s verdict equals check\'s for values on either side of every tolerance', () => {
    let compared = 0;
    lecture.prepared.claims.forEach(({ claim }, k) => {
      const c = byClaim.find((x) => x.claim === claim)!;
      const centres = [[c.shown.value, c.tolerance], ...(c.erratum ? [[c.erratum.correct, c.erratum.correctTolerance]] : [])];
      for (const [centre, tol] of centres) {
        for (const v of [centre, centre - tol * 1.001, centre - tol * 0.999, centre + tol * 0.999, centre + tol * 1.001]) {
          const check = checkWorked(worked, () => probe(v)).checks.find((x) => x.claim === claim)!.status;
          expect(verdicts(lecture, probe(v))[k], `${claim.name} (line ${claim.line}) at ${v}`).toBe(check);
          compared++;
        }
      }
    });
    expect(compared).toBeGreaterThan(5 * lecture.claims.length);
  });
  it('anchors from the lecture\'s own numbers, and the verdict column each status gives', () => {
    // ∂L/∂w5 printed 0.0822 (line 98): within half a unit of the 4th decimal (plus float32 rounding) or not.
    const w5 = lecture.prepared.claims.findIndex(({ claim }) => claim.line === 98);
    expect(verdicts(lecture, probe(0.08224))[w5]).toBe('match');
    expect(verdicts(lecture, probe(0.08226))[w5]).toBe('wrong');
    // new w5 printed 0.399927 (line 108), an erratum: 0.40 − 0.0001 × 0.0821670406 = 0.3999917833 confirms it, the
    // printed value does not.
    const neww5 = lecture.prepared.claims.findIndex(({ claim }) => claim.line === 108);
    expect(verdicts(lecture, probe(0.3999917833))[neww5]).toBe('known-erratum');
    expect(verdicts(lecture, probe(0.399927))[neww5]).toBe('stale-erratum');
    const [plain, erratum] = [lecture.claims[w5]!, lecture.claims[neww5]!];
    const text = (claim: typeof plain, v: Parameters<typeof verdictText>[1][number]['v']) => verdictText(claim, [{ backend: 'cpu', v }, { backend: 'webgpu', v: claim.erratum ? 'known-erratum' : 'match' }]);
    expect(text(plain, 'match')).toEqual({ text: '✓ match', failed: false });
    expect(text(plain, 'wrong')).toEqual({ text: '✗ MISMATCH (cpu)', failed: true });
    // The correction, 0.3999918 at its 7 decimals, in the verdict (the lecture column shows the lecture's 0.399927).
    expect(text(erratum, 'known-erratum')).toEqual({ text: '✓ lecture erratum: correct 0.3999918', failed: false });
    expect(text(erratum, 'stale-erratum')).toEqual({ text: '✗ MISMATCH (cpu): erratum not confirmed (lecture erratum: correct 0.3999918)', failed: true });
  });
  it('the lecture column is what the lecture prints, by check\'s claimPrinted; an update it does not print says so', () => {
    // An engine that gives the exact values: ∂L/∂w4 = δ_h2·x2 = 0.0149960755 × 0.10 (lecture 001, line 201 prints
    // "-0.00150", an erratum), and every update w − 0.0001·∂L/∂w.
    const exact: Record<number, number> = { 201: 0.00149960755, 108: 0.3999917833 };
    const cpu: ValueSource = { name: 'cpu', value: (ref) => (ref.kind === 'updated' ? 0.1499999 : 0), eps: (x) => 1e-6 + 1e-5 * Math.abs(x) };
    const byLine = (line: number): ValueSource => ({ ...cpu, value: () => exact[line] });
    const { rows } = lectureRows(lecture, ['cpu'], [cpu]);
    const w4 = rows.find((r) => r[0] === '201')!;
    expect(w4[2]).toBe('−0.00150'); // the Unicode minus and the printed zero, as `backprop check` prints the claim
    expect(lectureRows(lecture, ['cpu'], [byLine(201)]).rows.find((r) => r[0] === '201')![4]).toMatch(/^✓ lecture erratum \[\d+\]: correct 0\.0014996$/);
    expect(rows.find((r) => r[0] === '108')![2]).toBe('0.399927');
    // new w1 … new b2: the lecture prints none of them (line 168 stops at "="): no lecture value is made up.
    const unprinted = rows.filter((r) => r[0] === '');
    expect(unprinted.map((r) => r[1].split(' = ')[0])).toEqual(['new w1', 'new w2', 'new w3', 'new w4', 'new b1', 'new b2']);
    for (const r of unprinted) expect([r[2], r[4]]).toEqual(['not printed', '—']);
    // a negative engine value with the same minus
    expect(lectureRows(lecture, ['cpu'], [{ ...cpu, value: () => -0.5 }]).rows[0]![3]).toBe('−0.5');
  });
});

describe('help, numbers and files at the edges (review cli)', () => {
  it('help on a word that is no command is the unknown command\'s error (exit 2, with a guess), not the usage (exit 0)', () => {
    for (const args of [['tarin', '--help'], ['help', 'tarin']]) {
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: unknown command 'tarin'; did you mean 'train'\?/);
      expect(r.stdout).toBe('');
    }
    const ok = cli('help', 'train');
    expect([ok.status, ok.stdout]).toEqual([0, `usage:\n${COMMAND_USAGE.train}\n`]);
    // `help help`, and help asked with a repeated flag or twice (-h --help), are the usage, exit 0 (review diff11).
    const usage = cli('--help').stdout;
    for (const args of [['help', 'help'], ['-h', '--help']]) expect(cli(...args), args.join(' ')).toMatchObject({ status: 0, stdout: usage });
    expect(cli('grad', '--help', '--json', '--json')).toMatchObject({ status: 0, stdout: `usage:\n${COMMAND_USAGE.grad}\n` });
  });

  it('a negative value written -.5 follows its flag (--lr -.5 reaches the lr check); an integer flag past 2⁵³ − 1 says so', () => {
    const spec = specFile(lecture);
    const lr = cli('train', spec, '--lr', '-.5');
    expect([lr.status, lr.stderr.split('\n')[0]]).toEqual([2, 'error [SPEC] optimizer.lr: must be ≥ 0, got -0.5']);
    const huge = cli('train', spec, '--epochs', '99999999999999999999');
    expect(huge.status).toBe(2);
    expect(huge.stderr.split('\n')[0]).toBe("error: --epochs must be an integer 1 or more, got '99999999999999999999', past the largest this takes, 2⁵³ − 1 = 9007199254740991");
  });

  it('a spec file that starts with a UTF-8 byte-order mark reads as without it', () => {
    const plain = cli('grad', specFile(lecture), '--json');
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(lecture)}`);
    const bom = cli('grad', file, '--json');
    expect(bom.status, bom.stderr).toBe(0);
    expect(bom.stdout).toBe(plain.stdout);
  });
});

describe('a reader that stops early', () => {
  it('`backprop grad BIG --json | head -c 100` exits 0 without an EPIPE trace', () => {
    // ~40 000 gradient values (~850 kB of JSON): far more than a pipe buffer (64 KiB), so the writer is still writing when head exits.
    const big = specFile({ inputs: 200, layers: [{ units: 200, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x: [Array(200).fill(0.5)], y: [[1]] });
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" grad "${big}" --json | head -c 100`], { cwd: ROOT, encoding: 'utf8', env: ENV, timeout: 60_000 });
    expect(r.stdout.length).toBe(100);
    expect(r.stderr).not.toMatch(/EPIPE|internal error/);
    expect(r.status).toBe(0);
  });

  it('`backprop train SPEC --json 2>&1 >OUT | head -c 1`: stderr closed early, the run ends and its JSON is written, exit 0', () => {
    // 3000 epochs: ~300 kB of progress lines on stderr, far more than a pipe buffer, so writes fail after head exits.
    const spec = specFile({
      inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 },
      x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], batchSize: 4, epochs: 3000, optimizer: { name: 'sgd', lr: 0.1 },
    });
    const out = join(dir, 'stderr-closed.json');
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" train "${spec}" --json 2>&1 >"${out}" | head -c 1`], { cwd: ROOT, encoding: 'utf8', env: ENV, timeout: 100_000 });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { history: unknown[] };
    expect(result.history).toHaveLength(3000);
  }, 110_000);
});

describe('backprop train', () => {
  const xor = {
    inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 },
    x: [[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0], [0], [1], [1], [0]],
    batchSize: 4, epochs: 3, optimizer: { name: 'momentum', lr: 0.1 }, validation: 0.25,
  };

  it('--data mnist with a spec that has x, y and validation says they are not used (review cli 16)', async () => {
    const x = [Array(784).fill(0), Array(784).fill(1)];
    const spec = { inputs: 784, layers: [{ units: 4, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 1 }, x, y: [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]], validation: 0.5 };
    const lines: string[] = [];
    const code = await runTrain(spec as NetworkSpec, { epochs: '1', data: 'mnist', json: false }, (t) => lines.push(t), (t) => lines.push(t));
    expect(code).toBe(0);
    expect(lines.find((l) => l.startsWith('MNIST'))).toMatch(/\(the spec's x, y, validation: not used with --data mnist\)$/);
    const bare = { ...spec, x: undefined, y: undefined, validation: undefined };
    const plain: string[] = [];
    await runTrain(bare as NetworkSpec, { epochs: '1', data: 'mnist', json: false }, (t) => plain.push(t), (t) => plain.push(t));
    expect(plain.find((l) => l.startsWith('MNIST'))).not.toMatch(/not used/);
  }, 60_000);

  it('on a terminal, a live line inside each epoch (fit\'s onBatch), cleared before each epoch\'s line; none when piped', async () => {
    // 40 examples (validation 0.25 holds out 10), batches of 2: 15 a epoch, in submissions of 16 (fit's default) → one
    // report per epoch; batch size 1: 30, reported at 16 and 30.
    const x = Array.from({ length: 40 }, (_, k) => [k % 2, (k >> 1) % 2]);
    const spec = { ...xor, x, y: x.map(([a, b]) => [a ^ b]) };
    const events: string[] = [];
    const live = { show: (t: string) => events.push(`show ${t}`), clear: () => events.push('clear') };
    const out = (t: string) => events.push(`out ${t}`);
    const code = await runTrain(spec as NetworkSpec, { epochs: '2', batchSize: '1', json: false }, out, out, live);
    expect(code).toBe(0);
    const kinds = events.map((e) => (e.startsWith('show') ? `show ${/batch (\d+\/\d+)$/.exec(e)?.[1]}` : e.startsWith('out epoch') ? `out epoch ${e.split(' ')[2]}` : e.split(' ')[0]));
    expect(kinds).toEqual(['clear', 'out', 'show 16/30', 'show 30/30', 'clear', 'out epoch 1/2', 'show 16/30', 'show 30/30', 'clear', 'out epoch 2/2', 'clear']);
    // The bar is the run's, as on the epoch lines: epoch 1 at batch 16/30 is (0 + 16/30)/2 of 20 cells, 5.3 → 5; epoch 2
    // at 16/30 is (1 + 16/30)/2 of 20, 15.3 → 15; the epoch lines 10 and 20: it never goes back.
    const shown = events.filter((e) => e.startsWith('show'));
    expect(shown[0]).toMatch(/^show epoch 1\/2 █{5}░{15} {2}batch 16\/30$/);
    expect(shown[2]).toMatch(/^show epoch 2\/2 █{15}░{5} {2}batch 16\/30$/);
    expect(events.find((e) => e.startsWith('out epoch 1/2'))).toMatch(/^out epoch 1\/2 █{10}░{10} /);
    // Not a terminal: no live line at all.
    expect(liveLine({ isTTY: false, write: () => true })).toBeUndefined();
    const written: string[] = [];
    const tty = liveLine({ isTTY: true, write: (t: string) => written.push(t) })!;
    tty.clear();
    tty.show('a');
    tty.show('b');
    tty.clear();
    tty.clear();
    expect(written).toEqual(['\ra\x1b[K\n', '\x1b[1A\rb\x1b[K\n', '\x1b[1A\r\x1b[K']);
    // Cut to the terminal's width less one (12 columns: 11 characters, the bar's cells counted as one each).
    const narrow: string[] = [];
    liveLine({ isTTY: true, columns: 12, write: (t: string) => narrow.push(t) })!.show('epoch 1/2 ██████░░  batch 3/8');
    expect(narrow).toEqual(['\repoch 1/2 █\x1b[K\n']);
  });

  it('on a terminal the line is redrawn in place, ordinary lines take its row, and the cursor waits on a row of its own (Ctrl-C, the prompt)', () => {
    // A terminal as far as the live line uses one: rows of text, a cursor; \r, \n, ESC[1A (up), ESC[K (erase to the end).
    const screen: string[] = [''];
    let row = 0;
    let col = 0;
    const write = (t: string): void => {
      for (const part of t.split(/(\x1b\[1A|\x1b\[K|\r|\n)/).filter(Boolean)) {
        if (part === '\r') col = 0;
        else if (part === '\n') { row++; col = 0; screen[row] ??= ''; }
        else if (part === '\x1b[1A') row = Math.max(0, row - 1);
        else if (part === '\x1b[K') screen[row] = screen[row].slice(0, col);
        else { screen[row] = screen[row].slice(0, col) + part + screen[row].slice(col + part.length); col += part.length; }
      }
    };
    const tty = liveLine({ isTTY: true, columns: 80, write })!;
    const line = (t: string): void => { tty.clear(); write(`${t}\n`); };
    line('backend: cpu');
    tty.show('epoch 1/2 ███░  batch 16/30');
    tty.show('epoch 1/2 ████  batch 30/30');
    line('epoch 1/2 loss 0.5');
    tty.show('epoch 2/2 ██░░  batch 16/30');
    // Killed here (Ctrl-C: no listener, the default action, at once): the last progress in view, the cursor at the
    // start of an empty row below it, where the terminal's ^C and the shell's prompt go.
    expect(screen).toEqual(['backend: cpu', 'epoch 1/2 loss 0.5', 'epoch 2/2 ██░░  batch 16/30', '']);
    expect([row, col]).toEqual([3, 0]);
    line('epoch 2/2 loss 0.4');
    expect(screen.slice(0, row)).toEqual(['backend: cpu', 'epoch 1/2 loss 0.5', 'epoch 2/2 loss 0.4']);
    expect([screen[row], col]).toEqual(['', 0]);
  });

  it('--json prints {history, params} shaped as in the spec; flags override the spec', () => {
    const r = cli('train', specFile(xor), '--epochs', '4', '--batch-size', '3', '--optimizer', 'adam', '--lr', '0.05', '--seed', '2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { history: { epoch: number; loss: number; accuracy: number; valLoss: number }[]; params: { W: number[][][]; b: number[][] } };
    expect(out.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(out.history.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.valLoss) && e.accuracy >= 0)).toBe(true);
    expect(out.params.W.map((w) => [w.length, w[0].length])).toEqual([[4, 2], [1, 4]]);
    expect(r.stderr).toMatch(/epoch 4\/4 .* loss \d\.\d{4} .* val_loss .* ex\/s/); // progress goes to stderr with --json
  }, 30_000);

  it('prints a progress line per epoch and writes a checkpoint that loads', async () => {
    const ckpt = join(dir, 'xor.safetensors');
    const r = cli('train', specFile(xor), '--save', ckpt);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('epoch '))).toHaveLength(3);
    const { Model } = await import('../src/model.ts');
    const { readFileSync } = await import('node:fs');
    const model = await Model.load(new Uint8Array(readFileSync(ckpt)), { backend: 'cpu' });
    expect(model.epochsTrained).toBe(3);
    expect(model.optimizerState()?.name).toBe('momentum');
  }, 30_000);

  it('--backend wasm trains in Node and agrees with the CPU oracle', () => {
    const run = (backend: string, ...more: string[]) => {
      const r = cli('train', specFile(xor), '--backend', backend, '--json', ...more);
      expect(r.status, r.stderr).toBe(0);
      return { ...(JSON.parse(r.stdout) as { backend: string; threads?: number; netThreads?: number; history: { epoch: number; loss: number }[]; params: { W: number[][][]; b: number[][] } }), stderr: r.stderr };
    };
    const w = run('wasm');
    const c = run('cpu');
    // --json says what ran, as the line after the fit does: wasm on its threads ("1 thread", "2 threads"); the CPU.
    const linedThreads = (stderr: string) => Number(/^\(WebAssembly: .*, (\d+) threads?\b/m.exec(stderr)![1]);
    expect([w.backend, w.threads, c.backend, c.threads]).toEqual(['wasm', linedThreads(w.stderr), 'cpu', undefined]);
    expect(w.stderr).toMatch(/backend: wasm \(WebAssembly, in Node\)\n[^]*\n\(WebAssembly: /);
    expect(w.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // NOTE: 3 epochs × 2 batches = 6 steps; the bound of test/wasm-fit.test.ts (5e-6 relative per step).
    const flat = (p: { W: number[][][]; b: number[][] }) => [...p.W.flat(2), ...p.b.flat()];
    const [pw, pc] = [flat(w.params), flat(c.params)];
    expect(pw.length).toBe(pc.length);
    pw.forEach((v, i) => expect(Math.abs(v - pc[i]), `param ${i}`).toBeLessThan(3e-5 * Math.max(1, Math.abs(pc[i]))));
    w.history.forEach((e, i) => expect(Math.abs(e.loss - c.history[i].loss)).toBeLessThan(3e-5));
    // --threads: the backend's threads (worker_threads); any count gives the same bits (rows split, never a sum).
    const t = run('wasm', '--threads', '2');
    // The XOR net at batches of 4 is 4·2·4 + 1·4·4 = 48 multiply-adds a step, under 2¹⁸: it runs on 1 of the 2 threads,
    // and the line and --json say so (as the bench's rows and the lab do).
    expect(t.stderr).toMatch(/\(WebAssembly: .*, 2 threads on shared memory; this net runs on 1 at batches of 4: a step of it is under 2¹⁸ multiply-adds, too little to split\)/);
    expect([t.backend, t.threads, t.netThreads]).toEqual(['wasm', 2, 1]);
    // A 64-64-8 net at batches of 64 is 64·64·64 + 8·64·64 = 294 912 ≥ 2¹⁸: it runs on both, and the line says nothing more.
    const wide = { inputs: 64, layers: [{ units: 64, activation: 'tanh' }, { units: 8, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 3 },
      x: Array.from({ length: 64 }, (_, c) => Array.from({ length: 64 }, (_, k) => Math.sin(64 * c + k))), y: Array.from({ length: 64 }, (_, c) => Array.from({ length: 8 }, (_, k) => ((c + k) % 3) / 2)),
      batchSize: 64, epochs: 1 };
    const big = cli('train', specFile(wide), '--backend', 'wasm', '--threads', '2', '--json');
    expect(big.status, big.stderr).toBe(0);
    expect(big.stderr).toMatch(/\(WebAssembly: .*, 2 threads on shared memory\)$/m);
    expect((JSON.parse(big.stdout) as { netThreads?: number }).netThreads).toBe(2);
    expect(w.stderr).toMatch(/\(WebAssembly: .*, 1 thread\)/);
    const untimed = (h: object[]) => h.map((e) => ({ ...e, seconds: 0 }));
    expect([untimed(t.history), t.params]).toEqual([untimed(w.history), w.params]);
  }, 60_000);

  it('bad input: exit 2 with the field named', () => {
    const b = cli('train', specFile(xor), '--backend', 'gpu');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--backend must be cpu, webgpu or wasm, got 'gpu'/);
    const r = cli('train', specFile(xor), '--epochs', '0');
    expect(r.status).toBe(2);
    const t = cli('train', specFile(xor), '--threads', '2');
    // Worded as the library's SpecError for threads with backend 'cpu' (src/backends.ts), naming the flag, as --webgpu-variant's.
    expect([t.status, t.stderr.split('\n')[0]]).toEqual([2, "error: --threads is for a wasm backend (--backend wasm); backend is 'cpu'"]);
    const z = cli('train', specFile(xor), '--backend', 'wasm', '--threads', '0');
    expect([z.status, z.stderr.split('\n')[0]]).toEqual([2, "error: --threads must be an integer 1 … 64, got '0'"]);
    expect(r.stderr).toMatch(/^error: --epochs must be an integer 1 or more, got '0'\n\nusage:\n {2}backprop train /);
    // a negative value as its own argument reaches the flag's check (not the argument parser's "ambiguous")
    const n = cli('train', specFile(xor), '--lr', '-1');
    expect(n.status).toBe(2);
    expect(n.stderr).toMatch(/error \[SPEC\] optimizer.lr: must be ≥ 0, got -1/);
    const o = cli('train', specFile(xor), '--optimizer', 'rmsprop');
    expect(o.status).toBe(2);
    expect(o.stderr).toMatch(/--optimizer must be sgd, momentum, adam or adamw, got 'rmsprop'/);
    expect(cli('train').status).toBe(2);
  }, 30_000);

  it.each([
    [join(dir, 'no-such-folder', 'x.ckpt'), /^error: --save .*no-such-folder.*x\.ckpt: cannot write in .*no-such-folder \(ENOENT\)$/],
    [dir, /^error: --save .*: is a folder$/],
    ['', /^error: --save needs a file name$/],
  ])('--save %s: one line, exit 2, before any training', (target, message) => {
    const r = cli('train', specFile(xor), '--save', target);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(message);
  }, 30_000);

  it('--plot FILE.svg with --json: stdout the JSON, the file the learning curves (a line of 3 points per series, the run in the title)', () => {
    const svg = join(dir, 'curves.svg');
    const r = cli('train', specFile({ ...xor, name: 'xor <&>' }), '--plot', svg, '--json');
    expect(r.status, r.stderr).toBe(0);
    const { history } = JSON.parse(r.stdout) as { history: { loss: number; valLoss: number; accuracy: number }[] };
    expect(history).toHaveLength(3);
    expect(r.stderr).toContain(`learning curves written to ${svg} (SVG)`);
    const text = readFileSync(svg, 'utf8');
    const points = (series: string) => [...text.matchAll(/<polyline data-series="(\w+)" points="([^"]*)"/g)].filter((m) => m[1] === series).map((m) => m[2].split(' ').map((p) => p.split(',').map(Number)));
    for (const series of ['loss', 'valLoss', 'accuracy', 'valAccuracy']) expect(points(series).map((p) => p.length), series).toEqual([3]);
    // The layout's x (test/plot.test.ts): epochs 1 … 3 at 72, 384, 696; the loss falls, so its line goes down the page.
    const [loss] = points('loss');
    expect(loss.map((p) => p[0])).toEqual([72, 384, 696]);
    expect(Math.sign(loss[2][1] - loss[0][1])).toBe(-Math.sign(history[2].loss - history[0].loss));
    expect(text).toContain('>xor &lt;&amp;&gt;: 2-4-1 net, bce, momentum lr 0.1</text>');
    expect(text).toContain('>backend: CPU (in Node)</text>');
  }, 30_000);

  it("--plot's title: the lr as the plot's numbers are written (4 significant digits), a name carrying the shape not repeated", () => {
    const svg = join(dir, 'named.svg');
    const r = cli('train', specFile({ ...xor, name: 'xor-2-4-1' }), '--lr', '0.1234567', '--plot', svg);
    expect(r.status, r.stderr).toBe(0);
    // 0.1234567 to 4 significant digits by hand: 0.1235; the name's run 2-4-1 is the net's shape.
    expect(readFileSync(svg, 'utf8')).toContain('>xor-2-4-1: bce, momentum lr 0.1235</text>');
  }, 30_000);

  it.each([
    ['no such folder', () => join(dir, 'no-such-folder', 'p.svg'), /^error: --plot .*p\.svg: cannot write in .*no-such-folder \(ENOENT\)$/],
    ['a folder', () => dir, /^error: --plot .*: is a folder$/],
    ['the spec file', (spec: string) => spec, /^error: --plot (.*): is the spec file \1, which the output would overwrite; give another file$/],
    ['the --save file', () => join(dir, 'both.out'), /^error: --plot .*both\.out: is the --save file too; give another file$/],
  ])('--plot to %s: one line, exit 2, before any training, the spec intact', (_what, target, message) => {
    const spec = specFile(xor);
    const before = readFileSync(spec, 'utf8');
    const r = cli('train', spec, '--plot', target(spec), '--save', join(dir, 'both.out'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(message);
    expect(readFileSync(spec, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'both.out'))).toBe(false);
  }, 30_000);

  it('--plot that fails after the fit (its folder removed meanwhile): the --json result printed first, then the error naming the flag', async () => {
    const sub = join(dir, 'plot-gone');
    mkdirSync(sub);
    const printed: string[] = [];
    const run = runTrain(xor as NetworkSpec, { plot: join(sub, 'p.svg'), json: true }, (t) => printed.push(t), () => rmSync(sub, { recursive: true, force: true }));
    await expect(run).rejects.toThrow(`--plot ${join(sub, 'p.svg')}: cannot write the plot (ENOENT)`);
    expect(printed).toHaveLength(1);
    expect((JSON.parse(printed[0]) as { history: unknown[] }).history).toHaveLength(3);
  });

  it('--plot through a symlink to an existing --save file: refused, exit 2, before any training, the file intact', () => {
    const ckpt = join(dir, 'kept.safetensors');
    writeFileSync(ckpt, 'old');
    const link = join(dir, 'kept-link.svg');
    symlinkSync(ckpt, link);
    const r = cli('train', specFile(xor), '--save', ckpt, '--plot', link);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`error: --plot ${link}: is the --save file ${ckpt}, which the output would overwrite; give another file\n`);
    expect(readFileSync(ckpt, 'utf8')).toBe('old');
  }, 30_000);

  it('--plot through a symlink to the --save file that does not exist yet (dangling): refused before any training, nothing left behind', () => {
    // The plot would have replaced the checkpoint after the fit, both reported written, exit 0 (review35).
    for (const [plotLink, saveLink] of [[true, false], [false, true]]) {
      const sub = mkdtempSync(join(dir, 'dangling-'));
      const [ckpt, svg] = [join(sub, 'out.ckpt'), join(sub, 'plot.svg')];
      const [plot, save] = [plotLink ? join(sub, 'link.svg') : svg, saveLink ? join(sub, 'link.ckpt') : ckpt];
      symlinkSync(plotLink ? ckpt : svg, plotLink ? plot : save); // to a file that does not exist
      const r = cli('train', specFile(xor), '--save', save, '--plot', plot);
      expect([r.status, r.stdout], r.stderr).toEqual([2, '']);
      expect(r.stderr).toBe(`error: --plot ${plot}: is the --save file ${save}, which the output would overwrite; give another file\n`);
      expect([existsSync(ckpt), existsSync(svg)]).toEqual([false, false]);
    }
  }, 30_000);
});

describe('live line (review mutants4)', () => {
  const liveSpec = specFile({
    inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 },
    x: [[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0], [0], [1], [1], [0]],
    batchSize: 1, epochs: 2, optimizer: { name: 'momentum', lr: 0.1 }, validation: 0.25,
  });

  it('batchLine: the total counts the epochs trained before (first), the epoch padded to its width', () => {
    // A model that trained 2 epochs, fitting 2 more: epoch 3 of 4; the bar is this run's, as the epoch lines' is:
    // (0 epochs of this run done + 1/4) of 2, of 20 cells: 2.5 → 3.
    expect(batchLine({ epoch: 3, batch: 1, batches: 4 }, 2, 2)).toMatch(/^epoch 3\/4 █{3}░{17} {2}batch 1\/4$/);
    // 10 epochs: ' 1/10', as the per-epoch lines pad it; the first epoch's last batch: 1/10 of 20 cells.
    expect(batchLine({ epoch: 1, batch: 2, batches: 2 }, 10, 0)).toMatch(/^epoch {2}1\/10 █{2}░{18} {2}batch 2\/2$/);
  });

  it('a 1-column terminal still shows one character (width at least 1)', () => {
    const w: string[] = [];
    liveLine({ isTTY: true, columns: 1, write: (t: string) => w.push(t) })!.show('abc');
    expect(w).toEqual(['\ra\x1b[K\n']);
  });

  it('the live line goes to the stream of the progress lines: stdout on a terminal; under --json stderr (never into the JSON)', () => {
    // script(1) gives the CLI a terminal for stdout; stderr is redirected to a file (not a terminal).
    const run = (extra: string) => spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" train "${liveSpec}" ${extra} 2>/dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: ENV, timeout: 110_000 });
    const plain = run('');
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/\repoch 1\/2 .* batch 6\/6\x1b\[K\r?\n/);
    const json = run('--json');
    expect(json.status).toBe(0);
    expect(json.stdout).not.toContain('\x1b[K'); // stderr is not a terminal: no live line anywhere
    expect(JSON.parse(json.stdout.trim()).history).toHaveLength(2);
  }, 60_000);

  it("--help=1 says the switch takes no value (not that the command does not take --help)", () => {
    const r = cli('grad', liveSpec, '--help=1');
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, 'error: --help takes no value']);
  });

  it('--threads -1 (its own argument) reaches the flag check, not the parser\'s "needs a value"', () => {
    const r = cli('train', liveSpec, '--backend', 'wasm', '--threads', '-1');
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, "error: --threads must be an integer 1 … 64, got '-1'"]);
  });

  it('fitInNode on a shared wasm backend (the demo\'s part (c)): that backend runs the fit and stays open; the same bits as a backend of its own', async () => {
    const spec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 2 },
      x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], batchSize: 2, epochs: 2, optimizer: { name: 'sgd', lr: 0.5 } };
    const shared = await WasmBackend.create({ threads: 1 });
    try {
      const compile = vi.spyOn(shared, 'compile');
      const on = await fitInNode(spec, {}, false, () => {}, 'wasm', { shared });
      expect(compile).toHaveBeenCalledTimes(1);
      expect(shared.isDisposed).toBe(false);
      // wasm gives the same bits on any threads (rows split, never a sum: test --threads above), so one of its own too.
      const own = await fitInNode(spec, {}, false, () => {}, 'wasm', { threads: 1 });
      const losses = (r: typeof on) => r.history.map((e) => [e.epoch, e.loss, e.accuracy]);
      expect(losses(on)).toEqual(losses(own));
      expect(on.params).toEqual(own.params);
      expect(on.description).toBe(shared.description);
    } finally {
      shared.dispose();
    }
  });

  it('--threads with --backend webgpu is refused before anything else, naming the backend', async () => {
    // No spec and no --data: the mutant's run would stop at "train needs a spec file" (no GPU is opened either way).
    await expect(runTrain(undefined, { backend: 'webgpu', threads: '2', json: false }, () => {}, () => {}))
      .rejects.toThrow(/^--threads is for a wasm backend \(--backend wasm\); backend is 'webgpu'$/);
  });
});

describe('within, shellPath (review mutants5)', () => {
  it('within: the parent folder is not inside; a folder named ..x inside is', () => {
    expect(within('/a/b', '/a')).toBe(false); // relative() is '..' exactly
    expect(within('/a/b', '/a/b/..x')).toBe(true); // relative() is '..x'
    expect(within('/a/b', '/a/b/..x/y')).toBe(true);
    expect(within('/a/b', '/a/c')).toBe(false);
  });

  it('shellPath: the working folder itself is named absolute, not as an empty word', () => {
    expect(shellPath(process.cwd())).not.toBe("''");
  });

  it('shellPath: a path outside the working folder with a space or a quote is quoted for a shell', () => {
    expect(shellPath('/no-such-root/a b/c.json')).toBe("'/no-such-root/a b/c.json'");
    expect(shellPath("/no-such-root/it's/c.json")).toBe("'/no-such-root/it'\\''s/c.json'");
  });
});

describe('integerFlag at 2⁵³ − 1 (review mutants5)', () => {
  it('2⁵³ − 1 itself past a smaller maximum is refused without "past the largest"', () => {
    let message = '';
    try {
      integerFlag('threads', '9007199254740991', 1, 64);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe("--threads must be an integer 1 … 64, got '9007199254740991'");
  });

  it('past 2⁵³ − 1, a flag with a smaller maximum names only its own range (--seed is 0 … 2³² − 1, not 2⁵³ − 1)', () => {
    const refusal = (name: string, max: number): string => {
      try {
        integerFlag(name, '99999999999999999999', 0, max);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal('seed', 4294967295)).toBe("--seed must be an integer 0 … 4294967295, got '99999999999999999999'");
    expect(refusal('threads', 64)).toBe("--threads must be an integer 0 … 64, got '99999999999999999999'");
  });
});

describe('readJsonFile: only a leading byte-order mark is skipped (review mutants5)', () => {
  it('a U+FEFF inside a string value is kept', () => {
    const file = join(dir, 'inner-bom.json'); // cli.test's temporary folder
    writeFileSync(file, '{"a": "\uFEFFx"}');
    expect(readJsonFile(file)).toEqual({ a: '\uFEFFx' });
  });
});

describe('inputsForRerun (review mutants5)', () => {
  it.skipIf(process.platform === 'win32')('a FIFO read once is copied to a private regular file, a regular file is not; cleanup removes the copy', () => {
    const text = JSON.stringify({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const plain = join(dir, 'rerun-plain.json');
    writeFileSync(plain, text);
    expect(readJsonFile(plain)).toEqual(JSON.parse(text));
    expect(inputsForRerun().env).toEqual({}); // only regular files read so far: nothing to copy
    const fifo = join(dir, 'rerun-spec.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', 'printf %s "$1" > "$2"', 'sh', text, fifo], { stdio: 'ignore' });
    expect(readJsonFile(fifo)).toEqual(JSON.parse(text));
    writer.unref();
    const { env, cleanup } = inputsForRerun();
    const copies = JSON.parse(env.BACKPROP_RERUN_INPUTS!) as Record<string, string>;
    expect(Object.keys(copies)).toEqual([fifo]);
    const copy = copies[fifo]!;
    expect(statSync(copy).isFile()).toBe(true);
    expect(statSync(copy).mode & 0o777).toBe(0o600); // the spec may be private: not readable by others
    expect(readFileSync(copy, 'utf8')).toBe(text);
    cleanup();
    expect(existsSync(copy)).toBe(false);
  });
});

describe('an unknown short flag after a known one (review mutants5)', () => {
  it("'-v -q' names -q, the word the unknown letter is in, not -v", () => {
    const r = cli('grad', 'x.json', '-v', '-q');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("error: unknown flag '-q' (backprop grad --help lists the flags)");
  });

  it("'-param=w1' (one dash) names the word as typed and guesses from its name without the value: --param", () => {
    const r = cli('explain', 'x.json', '-param=w1');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("error: unknown flag '-param=w1'; did you mean '--param'?");
  });

  it("'--=3': named as typed (the value is cut off a flag's name, not off the bare '--')", () => {
    const r = cli('grad', 'x.json', '--=3');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("error: unknown flag '--=3' (backprop grad --help lists the flags)");
  });
});

describe('demo inside the checkout names the worked-example file relative to the working folder (review mutants5)', () => {
  it('from a subfolder of the checkout: a relative path that exists there, in both the "from" line and the commands', () => {
    const cwd = join(ROOT, 'src');
    const r = spawnSync(process.execPath, [BIN, 'demo', '--steps', '1', '--epochs', '0'], {
      cwd, encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, BACKPROP_WEBGPU: 'browser', CHROME_PATH: join(dir, 'no-such-chromium'), BACKPROP_CHROMIUM: 'system' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('lecture values from lectures/lecture-2-2-1.worked.json (');
    expect(r.stdout).toContain('(npx backprop check lectures/lecture-2-2-1.worked.json checks every claim');
    expect(r.stdout).toContain('npx backprop explain lectures/lecture-2-2-1.worked.json --param w1');
  }, 70_000);
});

describe("grad's tables: numbers, columns, alignment (src/cli/format.ts; review mutn)", () => {
  it('fmt: 7 significant digits below 10⁷, exponent form from 10⁷ on and below 10⁻⁴', () => {
    expect(fmt(1.23456789)).toBe('1.234568');
    expect(fmt(9_999_999)).toBe('9999999');
    expect(fmt(1e7)).toBe('1.0000e+7');
    expect(fmt(1e-4)).toBe('0.0001');
    expect(fmt(9.999e-5)).toBe('9.9990e-5');
  });

  it('table: right-aligned columns pad on the left', () => {
    expect(table([['a', '1'], ['bb', '22']], (c) => c === 1)).toBe('a    1\nbb  22');
  });

  it('matrix: the first 8 columns, then how many more', () => {
    const m = matrix('dW', Array.from({ length: 9 }, (_, j) => j + 1), 1, 9, 'unit', 'in');
    expect(m).toContain('in 8');
    expect(m).not.toContain('in 9');
    expect(m).toContain('… 1 more in column(s) not shown');
  });
});

describe('the build and the sources print the same (test/lib/built-cli.ts: every other spawn here runs the build)', () => {
  const file = 'src/lectures/lecture-2-2-1.worked.json';
  // Timings differ from run to run: a train's seconds in its JSON and its progress lines' ex/s.
  const untimed = (r: { status: number | null; stdout: string; stderr: string }) => ({
    status: r.status,
    stdout: r.stdout.replace(/"seconds":[^,}]+/g, '"seconds":_'),
    stderr: r.stderr.replace(/ +[0-9.]+ ex\/s .*/g, ' …'),
  });
  for (const args of [
    ['--version'],
    ['check', file, '--backend', 'wasm'],
    ['grad', file, '--backend', 'cpu', '--json'],
    ['explain', file, '--param', 'w5'],
    ['train', file, '--epochs', '2', '--backend', 'wasm', '--json'],
    ['grad', file, '--backend', 'gpu'],
  ]) {
    it(`backprop ${args.join(' ').replace(file, 'LECTURE')}`, () => {
      const source = untimed(cliEnv({ BACKPROP_CLI_LIB: '' }, ...args));
      expect(source.stdout.length + source.stderr.length).toBeGreaterThan(0);
      expect(untimed(cli(...args))).toEqual(source);
    });
  }
});

describe('build-lib --out and BACKPROP_CLI_LIB refuse what they cannot use, touching nothing', () => {
  const buildLib = (...args: string[]) => spawnSync(process.execPath, ['src/node/build-lib.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  it('--out: a folder that is not empty, a file, a symbolic link, or no folder named: exit 2, each left as it was', () => {
    const full = join(dir, 'not-empty');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'mine too');
    const a = buildLib('--out', full);
    expect([a.status, a.stderr.trim()]).toEqual([2, `build-lib: --out ${full} is a folder that is not empty; name a new or empty folder`]);
    expect(readdirSync(full)).toEqual(['keep.txt']);
    const b = buildLib('--out', file);
    expect([b.status, b.stderr.trim()]).toEqual([2, `build-lib: --out ${file} is a file; name a new or empty folder`]);
    expect(readFileSync(file, 'utf8')).toBe('mine too');
    // A link to an empty folder: the build's rmSync removed the link and made a folder in its place.
    const target = join(dir, 'link-target');
    mkdirSync(target);
    const link = join(dir, 'link-out');
    symlinkSync(target, link, 'dir');
    const l = buildLib('--out', link);
    expect([l.status, l.stderr.trim()]).toEqual([2, `build-lib: --out ${link} is a symbolic link (to ${target}); name the folder itself, new or empty`]);
    expect([lstatSync(link).isSymbolicLink(), readdirSync(target)]).toEqual([true, []]);
    const c = buildLib('--out');
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('usage: node src/node/build-lib.mjs [--out DIR]');
  });
  it('BACKPROP_CLI_LIB naming a folder with no build: exit 2, saying how to make one', () => {
    const none = join(ROOT, 'node_modules', '.backprop-cli-no-build');
    const r = cliEnv({ BACKPROP_CLI_LIB: none }, '--version');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trim()).toBe(`backprop: BACKPROP_CLI_LIB=${none} holds no cli/main.js; build one with: node src/node/build-lib.mjs --out ${none}`);
  });
  // A stand-in build: it says that it ran, and from where.
  const fakeBuild = (lib: string): void => {
    mkdirSync(join(lib, 'cli'), { recursive: true });
    writeFileSync(join(lib, 'cli', 'main.js'), 'export async function main() { console.log(`ran ${import.meta.url}`); return 0; }\n');
  };
  it('BACKPROP_CLI_LIB naming a build not two folders below the checkout: exit 2 before running it', () => {
    // There the CLI's packageRoot would not find the checkout: --version 'unknown', other lecture paths.
    const elsewhere = join(dir, 'elsewhere-build');
    fakeBuild(elsewhere);
    const r = cliEnv({ BACKPROP_CLI_LIB: elsewhere }, '--version');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trim()).toBe(`backprop: BACKPROP_CLI_LIB=${elsewhere} is not two folders below ${ROOT.replace(/\/$/, '')} (as dist/lib is), where the built CLI finds this checkout's files`);
  });
  it('the installed package (no src/ beside bin/) runs its dist/lib and ignores BACKPROP_CLI_LIB', () => {
    const pkg = join(dir, 'installed');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    writeFileSync(join(pkg, 'bin', 'backprop.js'), readFileSync(BIN));
    fakeBuild(join(pkg, 'dist', 'lib'));
    const other = join(pkg, 'x', 'lib');
    fakeBuild(other);
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'backprop.js')], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, BACKPROP_CLI_LIB: other } });
    expect([r.status, r.stderr, r.stdout.trim()]).toEqual([0, '', `ran file://${join(pkg, 'dist', 'lib', 'cli', 'main.js')}`]);
  });
});

describe("demo's pointers to the lecture file from an installed package (lecturePointers, src/cli/demo.ts)", () => {
  // An installed package's root: no src/lectures/ beside its bin/.
  const installed = join(dir, 'installed-root');
  const file = 'src/lectures/lecture-2-2-1.worked.json';
  it('where the package does not resolve (a global install, a bin run by its path): the import by file URL, the bin by path; the command writes the file', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'backprop-elsewhere-'));
    try {
      const lectures = pathToFileURL(join(BUILT.BACKPROP_CLI_LIB, 'lectures', 'index.js'));
      const { where, lines } = lecturePointers(file, installed, cwd, lectures);
      expect(where).toBe("lecture('lecture-2-2-1') of backprop-webgpu/lectures");
      const write = lines[1].trim();
      expect(write).toContain(`from '${lectures.href}'`);
      // Run as printed: it was `import … from 'backprop-webgpu/lectures'`, ERR_MODULE_NOT_FOUND outside a project that has it.
      const r = spawnSync('bash', ['-c', write], { cwd, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(readFileSync(join(cwd, 'lecture-2-2-1.worked.json'), 'utf8')) as { id: string }).id).toBe('lecture-2-2-1');
      expect(lines[2]).toBe(`   node ${join(installed, 'bin', 'backprop.js')} check lecture-2-2-1.worked.json checks every claim, formulas included;`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
  it('in a project that has the package installed: the import by its name, and npx', () => {
    const project = join(dir, 'project');
    const pkg = join(project, 'node_modules', 'backprop-webgpu');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'backprop-webgpu', exports: { './package.json': './package.json' } }));
    const { lines } = lecturePointers(file, pkg, project, new URL('file:///nowhere/lectures/index.js'));
    expect(lines[1]).toContain("from 'backprop-webgpu/lectures'");
    expect(lines[2]).toBe('   npx backprop check lecture-2-2-1.worked.json checks every claim, formulas included;');
  });
});
