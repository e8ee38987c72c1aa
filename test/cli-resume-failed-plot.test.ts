/**
 * A resumed run (`train --resume CKPT --plot F`) whose fit fails part way: the line and the plot's title count this
 * command's epochs as the other lines of a resumed run do — "the 2 more epochs done (to epoch 4) before the fit
 * failed", as "the 3 more epochs done (to epoch 5) before Ctrl-C (SIGINT) stopped the fit" (README: Continuing a run) —
 * not "the 2 epochs done", which read as the run's first two under a plot of epochs 3 and 4 (usr56g). In process
 * (runTrain), on the CPU.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { withRunRecord } from '../src/cli/resume.ts';
import { runTrain } from '../src/cli/train.ts';
import { DivergedError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-failed-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One linear unit without a bias, w = 1, on x = 1, y = 0; mse (½·(a − y)², one example: the loss is ½w²), SGD lr
 * 100001, one step an epoch: dL/dw = w, so w ← w − 100001·w = −10⁵·w, and after k epochs |w| ≈ 10^(5k). Epoch k + 1's
 * loss, taken before its update, is ½·10^(10k): epochs 1 … 4 finite (½·10³⁰ the largest), epoch 5's a² ≈ 10⁴⁰ past
 * float32's 3.4e38: Infinity, the fit fails in epoch 5.
 */
const spec: NetworkSpec = {
  name: 'grow', inputs: 1, layers: [{ units: 1, activation: 'linear', bias: 'none' }], loss: 'mse',
  params: { W: [[[1]]], b: [[]] }, x: [[1]], y: [[0]], batchSize: 1, optimizer: { name: 'sgd', lr: 100001 },
};

it('resumed after epoch 2 of 8, failing in epoch 5: "the 2 more epochs done (to epoch 4) before the fit failed"', async () => {
  const model = await Model.create(spec, { backend: 'cpu' });
  await model.fit({ epochs: 2 });
  const ckpt = join(dir, 'at-2.ckpt');
  writeFileSync(ckpt, withRunRecord(await model.save(), { data: { x: spec.x, y: spec.y }, until: 8 }));
  model.dispose();
  const svg = join(dir, 'failed.svg');
  const lines: string[] = [];
  const say = (t: string): void => void lines.push(t);
  const err = await runTrain(undefined, { resume: ckpt, plot: svg, json: false }, say, say).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DivergedError);
  expect((err as Error).message).toMatch(/\(in epoch 5\)/);
  expect(lines.filter((l) => l.startsWith('epoch ')).map((l) => l.split(/\s+/)[1])).toEqual(['3/8', '4/8']);
  // By hand: epochs 3 and 4 ran in this command (2 more), the run's last finished epoch is 4 — not "2 epochs done"
  // (the run's count would be 4), not "to epoch 2" or "to epoch 5" (the checkpoint's, the failed one).
  const ended = 'the 2 more epochs done (to epoch 4) before the fit failed';
  expect(lines).toContain(`learning curves of ${ended} written to ${svg} (SVG)`);
  const text = readFileSync(svg, 'utf8');
  expect(text).toContain(`— (${ended})</title>`);
  // Epochs 3 and 4 drawn, at the plot area's ends (x = 72 and 696: the first and last epochs of the history).
  expect(/<polyline data-series="loss" points="([^"]*)"/.exec(text)?.[1].split(' ').map((p) => p.split(',')[0])).toEqual(['72', '696']);
}, 30_000);
