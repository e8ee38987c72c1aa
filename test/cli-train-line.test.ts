/**
 * backprop train's flags and progress line as a user meets them: --plot's extension and stdout (refused before any
 * training where they cannot work), an error about a flag's value naming the flag, the time left in m:ss or h:mm:ss,
 * and a resumed run's bar counting the whole run as its numbers do (src/cli/train.ts, its lines src/cli/progress-line.ts).
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchLine, progressLine, timeLeft } from '../src/cli/progress-line.ts';
import { runTrain } from '../src/cli/train.ts';
import { SpecError } from '../src/errors.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { BIN, ENV, ROOT, cli, dir, specFile } from './lib/cli-run.ts';

const xor = {
  inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 },
  x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], batchSize: 4, epochs: 2, optimizer: { name: 'sgd', lr: 0.1 },
};

/**
 * train on xor with `flags`, stdout a fresh file `name` — as a shell's `> name` makes it (spawnSync's own stdout is a
 * socket, which cannot be opened by path) — and stderr piped; `ino`, the file stdout was when train ended.
 */
function trainToFile(name: string, ...flags: string[]): { file: string; r: SpawnSyncReturns<string>; ino: number } {
  const file = join(mkdtempSync(join(dir, 'stdout-')), name);
  const fd = openSync(file, 'w');
  const r = spawnSync(process.execPath, [BIN, 'train', specFile(xor), ...flags], { cwd: ROOT, encoding: 'utf8', env: ENV, stdio: ['ignore', fd, 'pipe'] });
  const { ino } = fstatSync(fd);
  closeSync(fd);
  return { file, r, ino };
}

/** Is util-linux `script` here, to run a command under a pseudo-terminal? */
const hasScript = spawnSync('script', ['--version']).status === 0;

/** train on xor with `flags` under a pseudo-terminal (`script`): stdout and stderr one tty, both in r.stdout. */
function trainOnTerminal(...flags: string[]): SpawnSyncReturns<string> {
  const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, BIN, 'train', specFile(xor), ...flags].map(quote).join(' ');
  return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: ENV });
}

describe('train --plot FILE: an SVG, and not on stdout beside --json', () => {
  it('a FILE whose extension is not .svg (out.png) is a usage error naming --plot and the extension, before any training; nothing written', () => {
    const png = join(dir, 'curves.png');
    const r = cli('train', specFile(xor), '--plot', png);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.split('\n')[0]).toBe(`error: --plot ${png}: the learning curves are an SVG, not a '.png' file; give a file ending in .svg (or a path without an extension, such as /dev/stdout)`);
    expect(r.stderr).toContain('\nusage:\n  backprop train ');
    expect(existsSync(png)).toBe(false);
  });

  it('.svg in any case, or no extension at all, is written', async () => {
    for (const name of ['curves.SVG', 'curves']) {
      const file = join(mkdtempSync(join(dir, 'plot-')), name);
      const out: string[] = [];
      expect(await runTrain(xor as NetworkSpec, { plot: file, json: false }, (s) => out.push(s), (s) => out.push(s))).toBe(0);
      expect(out.at(-1)).toBe(`learning curves written to ${file} (SVG)`);
      expect(existsSync(file)).toBe(true);
    }
  });

  it('--plot /dev/stdout with --json: a usage error naming both, before any training', () => {
    const r = cli('train', specFile(xor), '--plot', '/dev/stdout', '--json');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.split('\n')[0]).toBe('error: --plot /dev/stdout with --json: both would write to stdout (the SVG and the JSON); give --plot a file, or leave --json out');
  });

  it('--plot /dev/stdout without --json (stdout redirected to a file): stdout is the SVG alone, the progress lines go to stderr', () => {
    const { file, r } = trainToFile('curves.svg', '--plot', '/dev/stdout');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg [^]*<\/svg>\n$/);
    expect(r.stderr).toMatch(/^net: 2 → 4 tanh → 1 sigmoid, bce; sgd lr 0\.1, batch 4\nbackend: CPU \(in Node\)\nepoch 1\/2 [^]*\nlearning curves written to \/dev\/stdout \(SVG\)\n$/);
  });

  // stderr where the SVG goes: its lines would be in the SVG (`> curves.svg 2>&1` wrote the line saying the curves
  // were written over the SVG's second line). Refused before any training: the file holds the one error line.
  it.each([
    ['--plot /dev/stdout > curves.svg 2>&1', '/dev/stdout', 'both', 'the progress lines (on stderr, as stdout holds the SVG) and any error'],
    ['--plot curves.svg 2> curves.svg', 'FILE', 'stderr', "an error or a Ctrl-C's line"],
  ])('%s: refused before any training, naming stderr', (_shell, plot, shared, what) => {
    const file = join(mkdtempSync(join(dir, 'stderr-')), 'curves.svg');
    const fd = openSync(file, 'w');
    const flag = plot === 'FILE' ? file : plot;
    const r = spawnSync(process.execPath, [BIN, 'train', specFile(xor), '--plot', flag], { cwd: ROOT, encoding: 'utf8', env: ENV, stdio: ['ignore', shared === 'both' ? fd : 'pipe', fd] });
    closeSync(fd);
    expect([r.status, r.stdout ?? '']).toEqual([2, '']);
    expect(readFileSync(file, 'utf8')).toBe(`error: --plot ${flag}: stderr goes to the same file, so ${what} would be written into the SVG; send stderr elsewhere (2> train.log, 2> /dev/null) or give --plot a file of its own\n`);
  });

  // A terminal is let be (README: --plot): the SVG shows between the progress lines and the line saying it was written,
  // nothing being kept there. Run under a pseudo-terminal (util-linux `script`; skipped where it is missing).
  it('--plot /dev/stdout on a terminal (stdout and stderr one tty): runs, the SVG and the progress lines both shown', (ctx) => {
    if (!hasScript) ctx.skip();
    const r = trainOnTerminal('--plot', '/dev/stdout');
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/epoch 2\/2 [^]*<svg [^]*<\/svg>[^]*learning curves written to \/dev\/stdout \(SVG\)/);
  });
});

// --save to stdout as --plot's FILE may be: the progress lines had stayed on stdout, inside the checkpoint's bytes
// (`--save /dev/stdout > m.ckpt` made a file --resume refused); '-' made a file named '-'.
describe('train --save CKPT on stdout', () => {
  it('--save /dev/stdout (stdout redirected to a file): the file is the checkpoint alone, which --resume continues; the progress lines go to stderr', () => {
    const { file, r, ino } = trainToFile('m.ckpt', '--save', '/dev/stdout');
    expect(r.status, r.stderr).toBe(0);
    // Written in place: stdout (the file the shell holds open) is still the file at that path, not one renamed over it.
    expect(statSync(file).ino).toBe(ino);
    expect(r.stderr).toMatch(/^net: 2 → 4 tanh → 1 sigmoid, bce; sgd lr 0\.1, batch 4\nbackend: CPU \(in Node\)\nepoch 1\/2 [^]*\ncheckpoint written to \/dev\/stdout \(\d+ bytes, safetensors\)\n$/);
    const resumed = cli('train', '--resume', file, '--epochs', '1', '--json');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as { history: { epoch: number }[] }).history.map((h) => h.epoch)).toEqual([3]);
  });

  it('--save /dev/stdout with --json, and --save - : usage errors before any training, nothing written', () => {
    const json = cli('train', specFile(xor), '--save', '/dev/stdout', '--json');
    expect([json.status, json.stdout]).toEqual([2, '']);
    expect(json.stderr.split('\n')[0]).toBe('error: --save /dev/stdout with --json: both would write to stdout (the checkpoint and the JSON); give --save a file, or leave --json out');
    const cwd = mkdtempSync(join(dir, 'save-dash-'));
    const dash = spawnSync(process.execPath, [BIN, 'train', specFile(xor), '--save', '-'], { cwd, encoding: 'utf8', env: ENV });
    expect([dash.status, dash.stdout]).toEqual([2, '']);
    expect(dash.stderr.split('\n')[0]).toBe("error: --save -: standard output is /dev/stdout here (./- for a file named '-')");
    expect(existsSync(join(cwd, '-'))).toBe(false);
  });

  // On a terminal the checkpoint's bytes were printed between the progress lines (review50b). Under a pseudo-terminal
  // (util-linux `script`; skipped where it is missing).
  it('--save /dev/stdout on a terminal: a usage error before any training', (ctx) => {
    if (!hasScript) ctx.skip();
    const r = trainOnTerminal('--save', '/dev/stdout');
    expect(r.status, r.stdout).toBe(2);
    expect(r.stdout).toMatch(/^error: --save \/dev\/stdout: stdout is a terminal, and the checkpoint is binary; redirect stdout to a file \(> m\.ckpt\) or give --save a file\r?\n/);
    expect(r.stdout).not.toMatch(/epoch 1/);
  });
});

describe('train: an error about a value a flag gave names the flag', () => {
  const one = { ...xor, x: [[0, 1]], y: [[1]], batchSize: 1 };
  const failed = (spec: unknown, flags: Record<string, string>) => runTrain(spec as NetworkSpec, { ...flags, json: false }, () => {}, () => {}).then(() => undefined, (e: unknown) => e);

  it('--batch-size 2 on one example: --batch-size (batchSize), a SpecError; the spec\'s own batchSize keeps its field', async () => {
    const err = await failed(one, { batchSize: '2' });
    expect(err).toBeInstanceOf(SpecError);
    expect([(err as SpecError).field, (err as SpecError).message]).toEqual(['--batch-size', '--batch-size (batchSize): is 2, more than the 1 example of x']);
    const own = await failed({ ...one, batchSize: 2 }, {});
    expect([(own as SpecError).field, (own as SpecError).message]).toEqual(['batchSize', 'batchSize: is 2, more than the 1 example of x']);
  });

  it('--lr -1: --lr (optimizer.lr)', async () => {
    const err = await failed(xor, { lr: '-1' });
    expect([(err as SpecError).code, (err as SpecError).field, (err as SpecError).message]).toEqual(['SPEC', '--lr', '--lr (optimizer.lr): must be ≥ 0, got -1']);
  });

  it('as the command prints it', () => {
    const r = cli('train', specFile(one), '--batch-size', '2');
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', 'error [SPEC] --batch-size (batchSize): is 2, more than the 1 example of x\n']);
  });
});

describe('the progress line', () => {
  const epoch = (n: number) => ({ epoch: n, loss: 0.5, lr: 0.1, maxAbsParam: 1, seconds: 2 });

  it('the time left in whole seconds under a minute, m:ss from one, h:mm:ss from an hour', () => {
    expect([0.4, 42.4, 59.4, 59.6, 61, 754, 3599.4, 3599.6, 4213, 36000].map(timeLeft))
      .toEqual(['0 s', '42 s', '59 s', '1:00', '1:01', '12:34', '59:59', '1:00:00', '1:10:13', '10:00:00']);
    // Epoch 1 of 2107 at 2 s an epoch: 2106 × 2 = 4212 s left, 1:10:12.
    expect(progressLine(epoch(1), 2107, 0, 100, 2)).toMatch(/ {2}~1:10:12 left$/);
    expect(progressLine(epoch(1), 3, 0, 100, 2)).toMatch(/ {2}~4 s left$/);
  });

  it('a resumed run: the bar counts the whole run, as the epoch numbers do; the time left this command\'s epochs', () => {
    // Resumed after epoch 3 of 20 (17 more): epoch 4's bar is 4/20 of 20 cells, not 1/17; 16 epochs left at 2 s: 32 s.
    expect(progressLine(epoch(4), 17, 3, 100, 2)).toMatch(/^epoch {2}4\/20 █{4}░{16} {2}loss 0\.5000 .* {2}~32 s left$/);
    expect(progressLine(epoch(20), 17, 3, 100, 34)).toMatch(/^epoch 20\/20 █{20} .* {2}done$/);
    // Inside epoch 4, half its batches: 3.5/20 of 20 cells, 3.5 → 4 (not 0.5/17 → 1).
    expect(batchLine({ epoch: 4, batch: 8, batches: 16 }, 17, 3)).toBe('epoch  4/20 ████░░░░░░░░░░░░░░░░  batch 8/16');
  });

  it('a run resumed by train --resume prints that bar', async () => {
    const ckpt = join(mkdtempSync(join(dir, 'resume-')), 'run.ckpt');
    const quiet = () => {};
    expect(await runTrain(xor as NetworkSpec, { save: ckpt, json: false }, quiet, quiet)).toBe(0);
    const lines: string[] = [];
    expect(await runTrain(undefined, { resume: ckpt, epochs: '2', json: false }, (s) => lines.push(s), (s) => lines.push(s))).toBe(0);
    // Epochs 3 and 4 of 4: 15 and 20 cells of 20 (before: 10 and 20, the bar over this command's 2).
    expect(lines.filter((l) => l.startsWith('epoch')).map((l) => l.split('  ')[0])).toEqual(['epoch 3/4 ███████████████░░░░░', 'epoch 4/4 ████████████████████']);
  });
});
