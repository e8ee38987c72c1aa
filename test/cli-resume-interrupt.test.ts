/**
 * A resumed run (`train --resume CKPT --save …`) stopped by the first Ctrl-C: its lines count the epochs of the whole
 * run, the checkpoint's and this run's together — "the 3 more epochs done (to epoch 5)", "at the end of epoch 5 of 8"
 * (src/cli/train.ts, `more` and the last progress line) — and the checkpoint it writes ends its run where the resumed
 * one was to end (run.until 8). Review surv55: a mutant changing the "to epoch N" (off by one, or this run's count
 * alone) passed every test. In process, the SIGINT as the terminal's would come (process.emit, heard by stoppedBy's
 * listener), as test/cli-train.test.ts does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readResume, withRunRecord } from '../src/cli/resume.ts';
import { runTrain } from '../src/cli/train.ts';
import { Model } from '../src/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const xor = {
  inputs: 2, layers: [{ units: 2, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }], loss: 'bce' as const,
  init: { scheme: 'xavier' as const, seed: 3 }, x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], lr: 0.1,
};

it('resumed after epoch 2 of 8, Ctrl-C at epoch 5: "the 3 more epochs done (to epoch 5)", "end of epoch 5 of 8", exit 130', async () => {
  // The checkpoint: 2 epochs trained of a run that was to end at epoch 8 (so --resume runs 6 more, epochs 3 … 8).
  const model = await Model.create(xor, { backend: 'cpu' });
  await model.fit({ x: xor.x, y: xor.y, epochs: 2 });
  const ckpt = join(dir, 'at-2.ckpt');
  writeFileSync(ckpt, withRunRecord(await model.save(), { data: { x: xor.x, y: xor.y }, until: 8 }));
  model.dispose();
  const [saved, svg] = [join(dir, 'at-5.ckpt'), join(dir, 'at-5.svg')];
  const lines: string[] = [];
  const say = (t: string): void => {
    lines.push(t);
    // By hand: epochs 3, 4, 5 run, the Ctrl-C comes in epoch 5's line; the fit stops at the end of epoch 5. Trained in
    // this run: 3 (5 − 2); the run's epoch: 5 — neither 3 (this run's count) nor 4 or 6 (off by one) nor 8 (the end).
    if (t.startsWith('epoch 5/8 ')) process.emit('SIGINT', 'SIGINT');
  };
  const code = await runTrain(undefined, { resume: ckpt, save: saved, plot: svg, json: false }, say, say);
  expect(code, lines.join('\n')).toBe(130);
  expect(lines).toContain(`resuming ${ckpt} after epoch 2: 6 more epochs, to epoch 8 (on the spec's x, y it holds)`);
  expect(lines.filter((l) => l.startsWith('epoch ')).map((l) => l.split(' ')[1])).toEqual(['3/8', '4/8', '5/8']);
  const ended = 'the 3 more epochs done (to epoch 5) before Ctrl-C (SIGINT) stopped the fit';
  expect(lines.filter((l) => /^(train|checkpoint|learning curves)\b/.test(l))).toEqual([
    // The epoch it says it finishes is not asserted: emitted inside epoch 5's own line (after its onEpoch counted it),
    // the SIGINT comes where no real one can (between the epoch's end and onEpoch's reply), and the line names epoch 6.
    expect.stringMatching(/^train: Ctrl-C \(SIGINT\): finishing epoch \d+ of 8, then writing the checkpoint/),
    expect.stringMatching(new RegExp(`^checkpoint of ${ended.replace(/[()]/g, '\\$&')} written to ${saved.replace(/[.]/g, '\\.')} \\(\\d+ bytes, safetensors\\)$`)),
    `learning curves of ${ended} written to ${svg} (SVG)`,
    `train: Ctrl-C (SIGINT) stopped the fit at the end of epoch 5 of 8; checkpoint written to ${saved}`,
  ]);
  // The plot's title says it too.
  expect(readFileSync(svg, 'utf8')).toContain(`(${ended})`);
  // The checkpoint written: 5 epochs trained, its run still to end at epoch 8 (2 + 6).
  expect([readResume(saved).trained, readResume(saved).record?.until]).toEqual([5, 8]);
}, 30_000);
