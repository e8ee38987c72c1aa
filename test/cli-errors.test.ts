/**
 * The CLI's errors, run as a user runs it: `node bin/backprop.js …` in a child process (test/lib/cli-run.ts): bad
 * specs, flags and files, help at the edges, a reader that stops early.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE } from '../src/cli/main.ts';
import { BIN, ENV, ROOT, cli, dir, lecture, specFile } from './lib/cli-run.ts';
import { encodeSafetensors } from '../src/train/safetensors.ts';

/** A safetensors file (a checkpoint's format: train --save writes one) given where a JSON file belongs. */
const CKPT = join(dir, 'run.ckpt');
writeFileSync(CKPT, encodeSafetensors({ W_1: { dtype: 'F32', shape: [1], data: new Float32Array(1) } }, {}));

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
    // The README's examples name the checkout's file, which an installed package does not have.
    [['explain', join(dir, 'src/lectures/lecture-2-2-1.worked.json'), '--param', 'w1'], `${join(dir, 'src/lectures/lecture-2-2-1.worked.json')}: no such file; lecture lecture-2-2-1's worked example is src/lectures/lecture-2-2-1.worked.json in a checkout, or write JSON.stringify(lecture('lecture-2-2-1').worked) from 'backprop-webgpu/lectures' to a file`],
    [['check', join(dir, 'x-lecture-2-2-1.worked.json')], 'x-lecture-2-2-1.worked.json: no such file\n'],
    [['grad', dir], 'cannot read (EISDIR)'],
    // A short word (4 letters or fewer) is guessed within one edit only: 'grzz' is two from 'grad' (review mutn).
    [['grzz'], "unknown command 'grzz' (commands:"],
    // A checkpoint where a file of JSON belongs: named as one, and as not what the command reads — grad, explain and
    // train read a spec or a worked-example file (they said "not a spec file"), check a worked-example file.
    ...(['grad', 'explain', 'train'] as const).map((c): [string[], string] => [[c, CKPT], `${CKPT}: not valid JSON: a safetensors checkpoint (as train --save writes), not a spec or worked-example file; train --resume ${CKPT} continues`]),
    [['check', CKPT], `${CKPT}: not valid JSON: a safetensors checkpoint (as train --save writes), not a worked-example file`],
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
    // A flag the command does not take is named as such, given once or twice (train --param x --param y said
    // "--param is given twice", and once one was removed, "'train' does not take --param").
    [['train', 'x.json', '--param', 'w5', '--param', 'w1'], 'train', "error: 'train' does not take --param\n"],
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
    expect([lr.status, lr.stderr.split('\n')[0]]).toEqual([2, 'error [SPEC] --lr (optimizer.lr): must be ≥ 0, got -0.5']);
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

describe('stdout or stderr that cannot be written (fuzzcli50)', () => {
  const shell = (line: string) => spawnSync('bash', ['-c', line, 'bash', process.execPath, BIN], { cwd: ROOT, encoding: 'utf8', env: ENV, timeout: 60_000 });

  it.skipIf(process.platform !== 'linux')('`backprop grad SPEC > /dev/full`: one line saying stdout cannot be written, exit 2 (not a stack trace, exit 1)', () => {
    const r = shell(`"$1" "$2" grad '${specFile(lecture)}' > /dev/full`);
    expect([r.status, r.stderr]).toEqual([2, 'error: cannot write to standard output (ENOSPC): stopped, the output is lost\n']);
  });

  it.skipIf(process.platform !== 'linux')('`backprop grad MISSING 2> /dev/full`: the error line is lost, its exit status is not (2, not 1)', () => {
    const r = shell(`"$1" "$2" grad '${join(dir, 'no-such.json')}' 2> /dev/full`);
    expect(r.status).toBe(2);
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
