/**
 * Every command that runs WebGPU, on a machine with neither a Dawn adapter nor Chromium: the same route (src/cli/webgpu.ts),
 * the same notices, and --webgpu-variant refused before any work. Run as a user runs it (test/lib/cli-run.ts).
 *
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE } from '../src/cli/main.ts';
import { KERNEL_VARIANTS } from '../src/webgpu/variants.ts';
import { cli, cliEnv, dir, specFile } from './lib/cli-run.ts';

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
    [['train', spec221, '--backend', 'webgpu', '--webgpu-variant', 'tild'], `--webgpu-variant must be ${['auto', ...KERNEL_VARIANTS].slice(0, -1).join(', ')} or subgroup, got 'tild'; did you mean 'tiled'?`],
    [['grad', spec221, '--backend', 'all', '--webgpu-variant', 'Tiled'], "--webgpu-variant must be auto, blocked, blocked-subgroup, tiled or subgroup, got 'Tiled'; did you mean 'tiled'?"],
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
    expect(r.stdout).toMatch(/^ {4}WebGPU unavailable, as the webgpu line at the top says: trained on cpu and wasm only\.$/m);
  }, 60_000);
});
