/**
 * A resumed run's plot is titled with the spec's name, as the run's first plot was: `train --save` keeps the name in
 * the checkpoint's stored spec (a key a checkpoint's spec may hold; Model.save writes the net and run fields only), and
 * `--resume` reads it back (usr56g: the resumed plot's title had lost it, "2-2-1 net, …"). A checkpoint of Model.save
 * given a run record without a name still resumes, titled by its shape. In process (runTrain), on the CPU.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { withRunRecord } from '../src/cli/resume.ts';
import { runTrain } from '../src/cli/train.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-plot-name-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec: NetworkSpec = {
  name: 'XOR warm-up', inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
  init: { scheme: 'xavier', seed: 3 }, x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]],
  batchSize: 4, optimizer: { name: 'sgd', lr: 0.5 },
};
const quiet = (): void => undefined;
/** The SVG's <title> text. */
const titleOf = (file: string): string => /<title>([^<]*)<\/title>/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';

it("train --save, then --resume --plot: the resumed plot's title starts with the spec's name, as the first run's did", async () => {
  const ckpt = join(dir, 'xor.ckpt');
  const first = join(dir, 'first.svg');
  await runTrain(spec, { save: ckpt, plot: first, epochs: '2', json: false }, quiet, quiet);
  // By hand from plotTitle's rule: the name, then the shape (the name holds no "2-2-1"), the loss, the optimiser.
  expect(titleOf(first)).toMatch(/^learning curves — XOR warm-up: 2-2-1 net, bce, sgd lr 0\.5/);
  const resumed = join(dir, 'resumed.svg');
  await runTrain(undefined, { resume: ckpt, plot: resumed, epochs: '2', json: false }, quiet, quiet);
  expect(titleOf(resumed)).toMatch(/^learning curves — XOR warm-up: 2-2-1 net, bce, sgd lr 0\.5/);
}, 30_000);

it('a checkpoint of Model.save with a run record and no name resumes, its plot titled by the shape', async () => {
  const model = await Model.create(spec, { backend: 'cpu' });
  await model.fit({ epochs: 1 });
  const ckpt = join(dir, 'unnamed.ckpt');
  writeFileSync(ckpt, withRunRecord(await model.save(), { data: { x: spec.x, y: spec.y }, until: 3 }));
  model.dispose();
  const plot = join(dir, 'unnamed.svg');
  await runTrain(undefined, { resume: ckpt, plot, json: false }, quiet, quiet);
  expect(titleOf(plot)).toMatch(/^learning curves — 2-2-1 net, bce, sgd lr 0\.5/);
}, 30_000);
