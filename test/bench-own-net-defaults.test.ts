/**
 * Your own net's defaults in the benchmark (bench/own-net.ts ownConfigs, bench/configs.ts userConfigs and specConfig)
 * as the usage (bench/bench.ts USAGE, printed for a bad option and --help) and the README ("npm run bench" options,
 * "Agreement") say them: --layers trains at lr 0.01 with MSE and 0.05 with softmax-CE, N = 5 agreement steps; --spec at
 * the file's lr, else 0.01, N = 10. Review surv55: these were documented nowhere, and a mutant of either passed every
 * test. Each test reads the number from the text and from the config parseArgs makes, and both from this file's own
 * reading of the code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, usage } from '../bench/bench.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-own-net-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An option's entry in a runner's usage, its lines joined by single spaces. */
const entry = (option: string): string => new RegExp(` {2}${option} [^]*?(?=\\n {2}--)`).exec(usage('node'))![0].replace(/\s+/g, ' ');
const README = readFileSync('README.md', 'utf8');
/** The README's example line of `npm run bench -- <option>` (the options section's code block). */
const readmeLine = (option: string): string => README.split('\n').find((l) => l.startsWith(`npm run bench -- ${option} `))!;

describe('--layers: lr 0.01 with MSE, 0.05 with softmax-CE, 5 agreement steps', () => {
  const configs = parseArgs(['--layers', '784,16,10'], 'node').configs;

  it('the configs parseArgs makes', () => {
    expect(configs.map((c) => [c.id, c.lr, c.agreeSteps])).toEqual([['user-mse', 0.01, 5], ['user-ce', 0.05, 5]]);
  });

  it('the usage says the same numbers as the configs have', () => {
    const text = entry('--layers');
    const [, mse, ce] = /--lr X \(default ([\d.]+) with mse, ([\d.]+) with ce;/.exec(text) ?? [];
    const [, steps] = /--steps N default (\d+)/.exec(text) ?? [];
    expect([Number(mse), Number(ce), Number(steps)]).toEqual([configs[0].lr, configs[1].lr, configs[0].agreeSteps]);
  });

  it("the README's example line and its Agreement paragraph say them too", () => {
    const [, mse, ce, steps] = /--lr X: default ([\d.]+) with MSE, ([\d.]+) with softmax-CE; N = (\d+) agreement steps unless --steps/.exec(readmeLine('--layers')) ?? [];
    expect([Number(mse), Number(ce), Number(steps)]).toEqual([configs[0].lr, configs[1].lr, configs[0].agreeSteps]);
    const [, agree] = /\*\*Agreement\.\*\* Each system first trains N steps \([^)]*your own net: (\d+) with `--layers`/.exec(README) ?? [];
    expect(Number(agree)).toBe(configs[0].agreeSteps);
  });

  it('--lr and --steps given: both configs take them', () => {
    const c = parseArgs(['--layers', '784,16,10', '--lr', '0.2', '--steps', '7'], 'node');
    expect(c.configs.map((k) => [k.lr, k.agreeSteps])).toEqual([[0.2, 7], [0.2, 7]]);
    expect(c.policy.agreeSteps).toBe(7);
  });
});

describe('--spec: the file\'s lr, else 0.01; 10 agreement steps', () => {
  const file = join(dir, 'net.json');
  writeFileSync(file, JSON.stringify({ inputs: 3, layers: [{ units: 2, activation: 'identity' }], loss: 'mse' }));
  const withLr = join(dir, 'net-lr.json');
  writeFileSync(withLr, JSON.stringify({ inputs: 3, layers: [{ units: 2, activation: 'identity' }], loss: 'mse', lr: 0.3 }));

  it('without an lr: 0.01 and N = 10, as the usage and the README say; with one, its own', () => {
    const [c] = parseArgs(['--spec', file], 'node').configs;
    expect([c.lr, c.agreeSteps]).toEqual([0.01, 10]);
    const [, lr, steps] = /lr \(else ([\d.]+)\); --steps N default (\d+)/.exec(entry('--spec')) ?? [];
    expect([Number(lr), Number(steps)]).toEqual([c.lr, c.agreeSteps]);
    const [, rlr, rsteps] = /its lr \(else ([\d.]+)\); N = (\d+) unless --steps/.exec(readmeLine('--spec')) ?? [];
    expect([Number(rlr), Number(rsteps)]).toEqual([c.lr, c.agreeSteps]);
    expect(parseArgs(['--spec', withLr], 'node').configs[0].lr).toBe(0.3);
  });
});
