/**
 * `train --early-stop P [--restore-best] [--monitor M]` (src/cli/early-stop.ts; README "CLI", Early stopping), in
 * process (main, runTrain) on the CPU, on the net and data of test/lib/early-stop-fit.ts (its 24 training and 24
 * validation examples in one spec, `validation: 0.5` holding out the last 24): where the run stops and which epoch is
 * best are Keras' rule (kerasStop, written from Keras' source apart from the engine's) run over the history of the
 * same run without --early-stop; the checkpoint of --restore-best is the model a fresh fit of the best epoch's count
 * leaves, bitwise. Bad flags: exit 2 naming the flag, before any line is printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mainRun as cliRun } from './lib/main-run.ts';
import { runTrain, type TrainFlags } from '../src/cli/train.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import type { EpochLog } from '../src/train/fit.ts';
import { bits } from './lib/fit-nets.ts';
import { ES_SPEC, ES_TRAIN, ES_VAL, kerasStop } from './lib/early-stop-fit.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-train-es-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const EPOCHS = 60;
/** ES_TRAIN then ES_VAL in one spec: validation 0.5 holds out the last 24 examples, ES_VAL. */
const SPEC: NetworkSpec = {
  ...ES_SPEC, x: [...ES_TRAIN.x, ...ES_VAL.x], y: [...ES_TRAIN.y, ...ES_VAL.y], validation: 0.5, batchSize: 4, optimizer: { name: 'adam', lr: 0.02 }, epochs: EPOCHS,
};
const { validation: _v, ...NO_VALIDATION } = SPEC;

/** runTrain's exit status, its lines (stdout and progress alike), and the --json result where asked. */
async function train(spec: NetworkSpec, flags: Partial<TrainFlags>) {
  const lines: string[] = [];
  const status = await runTrain(spec, { json: false, ...flags }, (t) => lines.push(t), (t) => lines.push(t));
  const json = flags.json ? JSON.parse(lines.find((l) => l.startsWith('{'))!) as { history: EpochLog[]; earlyStop?: Record<string, unknown> } : undefined;
  return { status, lines, json };
}

/** The history of the run without early stopping: what Keras' rule is run over. */
let plain: EpochLog[] | undefined;
async function unstopped(): Promise<EpochLog[]> {
  plain ??= (await train(SPEC, { json: true })).json!.history;
  return plain;
}

describe('train --early-stop: the run stops where Keras\' rule says, and says so', () => {
  it('the line after the fit, the last epoch line "done", --json\'s earlyStop, and the history cut there', async () => {
    const h = await unstopped();
    const ref = kerasStop(h.map((e) => e.valLoss!), 3, 0, false);
    // The scenario must stop early (the validation loss wanders as the net learns the flipped labels).
    expect(ref.epochs).toBeLessThan(EPOCHS);
    const r = await train(SPEC, { earlyStop: '3', json: true });
    expect(r.status).toBe(0);
    expect(r.json!.history.map((e) => e.valLoss)).toEqual(h.slice(0, ref.epochs).map((e) => e.valLoss));
    expect(r.json!.earlyStop).toEqual({ monitor: 'valLoss', patience: 3, stopped: true, bestEpoch: ref.best, restored: false });
    const epochLines = r.lines.filter((l) => l.startsWith('epoch'));
    expect(epochLines).toHaveLength(ref.epochs);
    expect(epochLines.at(-1)).toMatch(/ done$/);
    const best = h[ref.best - 1].valLoss!.toPrecision(4);
    expect(r.lines).toContain(`early stop: val_loss did not improve for ${ref.epochs - ref.best} epochs after epoch ${ref.best}: stopped after epoch ${ref.epochs} of ${EPOCHS}; best epoch ${ref.best} (val_loss ${best}), not restored (the model is epoch ${ref.epochs}'s; --restore-best keeps the best)`);
  }, 60_000);

  it('--restore-best on a run Ctrl-C ended first: a line says the model and checkpoint are the last epoch\'s, not the best', async () => {
    const saved = join(dir, 'cut.ckpt');
    const lines: string[] = [];
    const say = (t: string): void => {
      lines.push(t);
      if (/^epoch +5\/60 /.test(t)) process.emit('SIGINT', 'SIGINT'); // as test/cli-resume-interrupt.test.ts
    };
    const code = await runTrain(SPEC, { json: false, earlyStop: '50', restoreBest: true, save: saved }, say, say);
    expect(code, lines.join('\n')).toBe(130);
    expect(lines).toContain('early stop: Ctrl-C stopped the fit first, so nothing was restored: the model and its checkpoint are epoch 5\'s (--restore-best keeps the best where early stopping ends the run)');
    // Without --restore-best there is nothing to say: the model is the last epoch's, as asked.
    const plainLines: string[] = [];
    const plainSay = (t: string): void => {
      plainLines.push(t);
      if (/^epoch +5\/60 /.test(t)) process.emit('SIGINT', 'SIGINT');
    };
    expect(await runTrain(SPEC, { json: false, earlyStop: '50', save: saved }, plainSay, plainSay)).toBe(130);
    expect(plainLines.filter((l) => l.startsWith('early stop'))).toEqual([]);
  }, 60_000);

  it('a stop at the run\'s last epoch is no early stop: "ran all", as where it never stopped', async () => {
    const h = await unstopped();
    const ref = kerasStop(h.map((e) => e.valLoss!), 3, 0, false);
    // --epochs the very epoch Keras' rule stops at: fit marks it stopped, but every epoch asked ran.
    const r = await train(SPEC, { earlyStop: '3', epochs: String(ref.epochs) });
    const best = h[ref.best - 1].valLoss!.toPrecision(4);
    expect(r.lines).toContain(`early stop: ran all ${ref.epochs} epochs; best epoch ${ref.best} (val_loss ${best}), not restored (the model is epoch ${ref.epochs}'s; --restore-best keeps the best)`);
  }, 60_000);

  it('--monitor loss on a spec without validation: stops by the training loss', async () => {
    const h = (await train(NO_VALIDATION as NetworkSpec, { json: true, epochs: '30' })).json!.history;
    const ref = kerasStop(h.map((e) => e.loss), 1, 0, false);
    expect(ref.epochs).toBeLessThan(30);
    const r = await train(NO_VALIDATION as NetworkSpec, { json: true, epochs: '30', earlyStop: '1', monitor: 'loss' });
    expect(r.json!.history).toHaveLength(ref.epochs);
    expect(r.json!.earlyStop).toMatchObject({ monitor: 'loss', stopped: true, bestEpoch: ref.best });
  }, 60_000);

  it('--restore-best --save: the checkpoint is a fresh fit of the best epoch\'s count, bitwise; its run is done (--resume needs --epochs)', async () => {
    const h = await unstopped();
    const ref = kerasStop(h.map((e) => e.valLoss!), 3, 0, false);
    const ckpt = join(dir, 'best.ckpt');
    const plot = join(dir, 'best.svg');
    const r = await train(SPEC, { earlyStop: '3', restoreBest: true, save: ckpt, plot });
    expect(r.lines.find((l) => l.startsWith('early stop:'))).toMatch(new RegExp(`; best epoch ${ref.best} \\(val_loss [0-9.]+\\), restored$`));
    expect(r.lines.find((l) => l.startsWith('checkpoint'))).toMatch(new RegExp(`^checkpoint of the best epoch, ${ref.best}, written to `));
    const loaded = await Model.load(readFileSync(ckpt), { backend: 'cpu' });
    const fresh = await Model.create(SPEC, { backend: 'cpu' });
    try {
      await fresh.fit({ epochs: ref.best });
      expect(loaded.epochsTrained).toBe(ref.best);
      expect(bits(await loaded.getParams())).toBe(bits(await fresh.getParams()));
    } finally {
      loaded.dispose();
      fresh.dispose();
    }
    // The plot: the line in its title, a dotted line at the best epoch in each panel (loss, accuracy: bce, one output).
    const svg = readFileSync(plot, 'utf8');
    expect(svg).toContain(`best epoch ${ref.best}`);
    expect(svg.match(new RegExp(`data-best-epoch="${ref.best}"`, 'g'))).toHaveLength(2);
    // The run is done at the best epoch: --resume without --epochs has nothing left to run.
    await expect(runTrain(undefined, { json: false, resume: ckpt }, () => {}, () => {})).rejects.toThrow(`--epochs: the run of ${ckpt} is done (epoch ${ref.best} of ${ref.best})`);
  }, 60_000);
});

describe('train --early-stop: resumed, without --restore-best, on MNIST, and a Ctrl-C at the stop (review mut64b)', () => {
  it('--resume: the stop is "of" the epoch the run ends at (2 before it + 58); the checkpoint line names no best epoch without --restore-best', async () => {
    const first = join(dir, 'two.ckpt');
    const next = join(dir, 'next.ckpt');
    expect((await train(SPEC, { epochs: '2', save: first })).status).toBe(0);
    const r = await train(undefined as unknown as NetworkSpec, { resume: first, epochs: '58', earlyStop: '3', save: next });
    expect(r.status).toBe(0);
    const line = r.lines.find((l) => l.startsWith('early stop:'));
    const at = /stopped after epoch (\d+) of 60; /.exec(line ?? '');
    expect(at, line).not.toBeNull();
    expect(Number(at![1])).toBeGreaterThan(2);
    expect(r.lines.find((l) => l.startsWith('checkpoint'))).toMatch(/^checkpoint written to /);
  }, 60_000);

  it('--data mnist has a validation set (its test digits): --early-stop is not refused (the run goes on to --save\'s check)', async () => {
    const bad = join(dir, 'no-such-folder', 'm.ckpt');
    await expect(runTrain(undefined, { json: false, data: 'mnist', earlyStop: '2', epochs: '1', save: bad }, () => {}, () => {})).rejects.toThrow(/^--save/);
  }, 60_000);

  it('Ctrl-C (with --save) at the epoch early stopping ends the fit: the best is restored, and no line says Ctrl-C stopped it', async () => {
    const h = await unstopped();
    const ref = kerasStop(h.map((e) => e.valLoss!), 3, 0, false);
    const lines: string[] = [];
    const say = (t: string): void => {
      lines.push(t);
      if (new RegExp(`^epoch +${ref.epochs}/60 `).test(t)) process.emit('SIGINT', 'SIGINT');
    };
    const saved = join(dir, 'at-stop.ckpt');
    expect(await runTrain(SPEC, { json: false, earlyStop: '3', restoreBest: true, save: saved }, say, say)).toBe(130);
    expect(lines.find((l) => l.startsWith('early stop:'))).toMatch(new RegExp(`; best epoch ${ref.best} \\(val_loss [0-9.]+\\), restored$`));
    expect(lines.filter((l) => l.startsWith('early stop: Ctrl-C'))).toEqual([]);
    // Early stopping ended the fit, not the Ctrl-C: the checkpoint is the best epoch's (it said "of the N epochs done
    // before Ctrl-C stopped the fit", and the last line "Ctrl-C stopped the fit at the end of epoch N").
    expect(lines.find((l) => l.startsWith('checkpoint'))).toMatch(new RegExp(`^checkpoint of the best epoch, ${ref.best}, written to `));
    expect(lines.at(-1)).toBe(`train: early stopping ended the fit after epoch ${ref.epochs} of 60, before Ctrl-C (SIGINT) could stop it; checkpoint written to ${saved}`);
    expect((await Model.load(readFileSync(saved), { backend: 'cpu' })).epochsTrained).toBe(ref.best);
  }, 60_000);
});

describe('bad early-stopping flags: exit 2 naming the flag, nothing printed before', () => {
  const file = join(dir, 'es.json');
  const noVal = join(dir, 'es-noval.json');
  const mse = join(dir, 'mse.json');
  it.each([
    [['--early-stop', '0'], "error: --early-stop must be an integer 1 or more, got '0'"],
    [['--early-stop', '1.5'], "error: --early-stop must be an integer 1 or more, got '1.5'"],
    [['--early-stop', '-2'], "error: --early-stop must be an integer 1 or more, got '-2'"],
    [['--early-stop'], 'error: --early-stop needs a value'],
    [['--restore-best'], 'error: --restore-best is for early stopping: give --early-stop PATIENCE too'],
    [['--monitor', 'loss'], 'error: --monitor is for early stopping: give --early-stop PATIENCE too'],
    [['--early-stop', '2', '--monitor', 'val_loss'], "error: --monitor must be valLoss, loss, valAccuracy or accuracy, got 'val_loss'"],
    [['--early-stop', '2', '--restore-best=yes'], 'error: --restore-best takes no value'],
  ])('%j', async (flags, message) => {
    writeFileSync(file, JSON.stringify(SPEC));
    const r = await cliRun(['train', file, ...flags]);
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.startsWith(message)).toBe(true);
  });

  it('a validation monitor on a run with no validation set: the flag named, and how to get one (not fit\'s earlyStopping.monitor)', async () => {
    writeFileSync(noVal, JSON.stringify(NO_VALIDATION));
    const r = await cliRun(['train', noVal, '--early-stop', '2']);
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: --early-stop watches the validation loss \(val_loss, the default --monitor\), but this run has no validation set: give the spec "validation": 0\.2 .*or --monitor loss/);
    const acc = await cliRun(['train', noVal, '--early-stop', '2', '--monitor', 'valAccuracy']);
    expect(acc.err).toMatch(/^error: --monitor valAccuracy is a validation score, but this run has no validation set: .*or --monitor accuracy/);
    // With the validation set the same flags run.
    writeFileSync(file, JSON.stringify({ ...SPEC, epochs: 2 }));
    expect((await cliRun(['train', file, '--early-stop', '2'])).status).toBe(0);
  }, 60_000);

  it('--monitor accuracy where the loss has none (mse): the flag named', async () => {
    writeFileSync(mse, JSON.stringify({ ...SPEC, loss: 'mse', layers: [{ units: 16, activation: 'tanh' }, { units: 1, activation: 'linear' }] }));
    const r = await cliRun(['train', mse, '--early-stop', '2', '--monitor', 'accuracy']);
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: --monitor accuracy: this net's loss \(mse, 1 output\) has no accuracy .*: --monitor loss/);
  });
});
