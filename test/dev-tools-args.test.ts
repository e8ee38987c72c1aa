/**
 * The developer tools' command lines (src/node/wasm-profile.ts, src/node/wasm-threads.ts; src/node/flags.ts):
 * --help is the usage, and an unknown flag, a flag without its value or a value it does not take is a usage error
 * naming the flag, before any work — `--help` started a full profile (minutes, a headless Chromium), `--layer 784,10`
 * was skipped and the defaults ran, `--batch abc` ran with NaN. The parse is called here; each tool is also started
 * once with --help and once with a typo, and must answer at once (a run would be stopped at 20 s and fail the test).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HelpRequested } from '../bench/bench.ts';
import { parseProfileArgs, PROFILE_TOOL } from '../src/node/wasm-profile.ts';
import { parseThreadsArgs, THREADS_TOOL } from '../src/node/wasm-threads.ts';
import { valueReaders } from '../src/node/flags.ts';

const helpOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof HelpRequested) return err.message;
    throw err;
  }
  throw new Error('no HelpRequested');
};

/** The first line of the error `f` throws (the second is the usage hint). */
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    const [line, hint] = (err as Error).message.split('\n');
    expect(hint).toMatch(/^usage: npx tsx src\/node\/wasm-(profile|threads)\.ts \[--/);
    return line;
  }
  throw new Error('no error');
};

describe('wasm-profile: its flags read strictly', () => {
  it('reads the flags as README documents them, the defaults where none is given', () => {
    expect(parseProfileArgs([])).toEqual({ sizes: [1024, 1024, 1024], batch: 1024, hidden: 'relu', steps: 5, rounds: 2, lr: 0.05, browser: true });
    expect(parseProfileArgs(['--layers', '784,256,256,10', '--batch', '256', '--steps', '20', '--rounds=3', '--hidden', 'tanh', '--lr', '1e-3', '--no-browser']))
      .toEqual({ sizes: [784, 256, 256, 10], batch: 256, hidden: 'tanh', steps: 20, rounds: 3, lr: 0.001, browser: false });
  });

  it('--help (or -h, anywhere) is the usage: the synopsis, then each flag with its default', () => {
    const usage = helpOf(() => parseProfileArgs(['--batch', '8', '--help']));
    expect(helpOf(() => parseProfileArgs(['-h']))).toBe(usage);
    expect(usage.split('\n')[0]).toBe('usage: npx tsx src/node/wasm-profile.ts [--layers 1024,1024,1024] [--batch 1024] [--hidden relu] [--steps 5] [--rounds 2] [--lr 0.05] [--no-browser]');
    for (const [flag, dflt] of [['layers', '1024,1024,1024'], ['batch', '1024'], ['hidden', 'relu'], ['steps', '5'], ['rounds', '2'], ['lr', '0.05']]) {
      expect(usage, flag).toMatch(new RegExp(`^ {2}--${flag} .*; default ${dflt.replace('.', '\\.')}\\)$`, 'm'));
    }
    expect(usage).toMatch(/^ {2}--no-browser {2,}Node only/m);
  });

  it('an unknown flag, a missing value or a value the flag does not take is one line naming the flag', () => {
    expect(errorOf(() => parseProfileArgs(['--layer', '784,10']))).toBe('unknown option --layer; did you mean --layers?');
    expect(errorOf(() => parseProfileArgs(['--step', '5']))).toBe('unknown option --step; did you mean --steps?');
    expect(errorOf(() => parseProfileArgs(['--frobnicate']))).toBe('unknown option --frobnicate'); // the hint's synopsis names every flag
    expect(errorOf(() => parseProfileArgs(['--batch']))).toBe('--batch needs a value (a positive integer)');
    expect(errorOf(() => parseProfileArgs(['--batch', '--steps', '2']))).toBe('--batch needs a value (a positive integer), but the next argument is the option --steps: give --batch its value first (or --batch=VALUE)');
    for (const v of ['abc', '0', '-4', '2.5', '1e3', '0x10', ' 8', '']) {
      expect(errorOf(() => parseProfileArgs(['--batch', v])), v).toBe(`--batch wants a positive integer, got '${v}'`);
    }
    expect(errorOf(() => parseProfileArgs(['--steps=0']))).toBe("--steps wants a positive integer, got '0'");
    expect(errorOf(() => parseProfileArgs(['--rounds', 'two']))).toBe("--rounds wants a positive integer, got 'two'");
    for (const v of ['784', '784,,10', '784,0,10', '784,NaN,10', '784,10,']) {
      expect(errorOf(() => parseProfileArgs(['--layers', v])), v).toBe(`--layers wants a comma list of at least 2 positive integers, got '${v}'`);
    }
    for (const v of ['0', '-0.1', 'abc', 'Infinity', '']) expect(errorOf(() => parseProfileArgs(['--lr', v])), v).toBe(`--lr wants a positive number, got '${v}'`);
    // The output layer's softmax is the ce run's own: not a hidden activation.
    expect(errorOf(() => parseProfileArgs(['--hidden', 'softmax']))).toBe("--hidden wants one of identity, linear, sigmoid, relu, leaky_relu, tanh, got 'softmax'");
    expect(errorOf(() => parseProfileArgs(['--hidden', 'rleu']))).toBe("--hidden wants one of identity, linear, sigmoid, relu, leaky_relu, tanh, got 'rleu'; did you mean 'relu'?");
    expect(errorOf(() => parseProfileArgs(['--no-browser=1']))).toBe("--no-browser is a switch and takes no value (got '--no-browser=1'): give --no-browser alone, or leave it out");
    expect(errorOf(() => parseProfileArgs(['--batch', '8', '--batch', '16']))).toBe('--batch is given twice; give it once');
    expect(errorOf(() => parseProfileArgs(['784,10']))).toBe("unexpected argument '784,10': every option is --name or --name VALUE");
  });
});

describe('wasm-threads: its flags read strictly', () => {
  it('reads the flags, the defaults where none is given (the wasm backend\'s 20 000 spins, no load)', () => {
    expect(parseThreadsArgs([])).toEqual({ spinsList: [20000], steps: 200, load: 0 });
    expect(parseThreadsArgs(['--spins', '0,2000,20000', '--steps=8', '--load', '3'])).toEqual({ spinsList: [0, 2000, 20000], steps: 8, load: 3 });
  });

  it('--help is the usage; a bad flag or value is one line naming the flag', () => {
    const usage = helpOf(() => parseThreadsArgs(['--help']));
    expect(usage.split('\n')[0]).toBe('usage: npx tsx src/node/wasm-threads.ts [--spins 2000,20000] [--steps 200] [--load 3]');
    for (const [flag, dflt] of [['spins', '20000'], ['steps', '200'], ['load', '0']]) expect(usage, flag).toMatch(new RegExp(`^ {2}--${flag} .*; default ${dflt}\\)$`, 'm'));
    expect(errorOf(() => parseThreadsArgs(['--step', '5']))).toBe('unknown option --step; did you mean --steps?');
    expect(errorOf(() => parseThreadsArgs(['--steps', 'abc']))).toBe("--steps wants a positive integer, got 'abc'");
    // --load starts that many busy processes: a mistyped 3000 would start 3000 before the first figure.
    for (const v of ['-1', '65']) expect(errorOf(() => parseThreadsArgs(['--load', v])), v).toBe(`--load wants a non-negative integer up to 64, got '${v}'`);
    expect(parseThreadsArgs(['--load', '64']).load).toBe(64);
    // The wasm backend takes barrier.spins from 0 to 2³¹ − 1 (it refused more only after --load's processes started).
    for (const v of ['2000,', '2147483648', 'x']) {
      expect(errorOf(() => parseThreadsArgs(['--spins', v])), v).toBe(`--spins wants a non-negative integer up to 2147483647 or a list (0,2), got '${v}'`);
    }
  });
});

describe("README's synopses are the tools' own", () => {
  it('README gives each tool the synopsis its --help prints', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const tool of [PROFILE_TOOL, THREADS_TOOL]) expect(readme).toContain(`\`${tool.synopsis}\``);
  });
});

/**
 * The tool run as README's developer runs it, in a child process: its exit code and output. A child still running when
 * the test ends (a tool that hangs: the test times out) is stopped then.
 * NOTE: not given a time of its own: it was stopped after 20 s, and at nice 10 beside four busy processes a --help
 * under tsx took longer than that (status null; flaky53). It waits for the exit; the test's own timeout is the limit.
 */
function runTool(file: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', './bin/register-source.mjs', file, ...args], { cwd: process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // NOTE: SIGTERM first, so that a profile which has started closes its Chromium (puppeteer's SIGTERM handler).
    onTestFinished(() => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code, stdout, stderr }));
  });
}

describe('each tool answers --help and a typo at once, running nothing', () => {
  for (const [file, typo, named] of [['src/node/wasm-profile.ts', '--layer', 'did you mean --layers?'], ['src/node/wasm-threads.ts', '--step', 'did you mean --steps?']]) {
    it(`${file}`, async () => {
      const help = await runTool(file, ['--help']);
      expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
      expect(help.stdout).toMatch(new RegExp(`^usage: npx tsx ${file.replace('.', '\\.')} \\[--`));
      const bad = await runTool(file, [typo, '5']);
      expect({ status: bad.status, stdout: bad.stdout }).toEqual({ status: 2, stdout: '' }); // no table, no load line
      expect(bad.stderr).toBe(`unknown option ${typo}; ${named}\n${/^usage: .*/.exec(help.stdout)![0]} (--help: what each option takes)\n`);
    }, 180_000); // NOTE: generous, as only a hang should reach it: ~2 s a start under tsx alone, past 20 s under load (runTool)
  }
});

describe('the shared readers (src/node/flags.ts valueReaders)', () => {
  it('int reads only a flag its table reads as an integer: a number flag read as one would take 2.5', () => {
    const v = valueReaders(new Map([['n', '3'], ['x', '2.5']]), { n: { kind: 'integer', min: 1 }, x: { kind: 'number' } });
    expect(v.int('n')).toBe(3);
    expect(v.num('x')).toBe(2.5);
    expect(() => v.int('x')).toThrow("flags.ts: --x is read as an integer, but the table says it takes number");
  });
});
