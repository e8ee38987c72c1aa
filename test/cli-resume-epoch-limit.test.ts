/**
 * `train --resume CKPT --epochs N` whose run would end past epoch 2⁵³ − 1: refused (a UsageError naming --epochs and
 * the most it may take) before any line, where it printed "resuming … to epoch 9007199254740996" — a number past what
 * a double counts one by one — and failed only then (usr56g). The largest N that fits still runs up to its first line.
 * In process (runTrain), on the CPU.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withRunRecord } from '../src/cli/resume.ts';
import { UsageError } from '../src/cli/io.ts';
import { runTrain } from '../src/cli/train.ts';
import { Model } from '../src/model.ts';
import { decodeSafetensors, encodeSafetensors } from '../src/train/safetensors.ts';
import type { NetworkSpec } from '../src/spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-epoch-limit-'));
const ckpt = join(dir, 'at-2.ckpt');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec: NetworkSpec = {
  name: 'tiny', inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse',
  params: { W: [[[0.5]]], b: [[0]] }, x: [[1]], y: [[0]], batchSize: 1, optimizer: { name: 'sgd', lr: 0.1 },
};

beforeAll(async () => {
  const model = await Model.create(spec, { backend: 'cpu' });
  await model.fit({ epochs: 2 });
  writeFileSync(ckpt, withRunRecord(await model.save(), { data: { x: spec.x, y: spec.y }, until: 8 }));
  model.dispose();
});

// 2⁵³ − 1 written out by hand; after the checkpoint's 2 epochs, 2⁵³ − 3 more is the most that keeps the end there.
const LARGEST = 9007199254740991;

it('--epochs 2⁵³ − 1 after 2 epochs trained: a UsageError naming --epochs and 9007199254740989, nothing printed', async () => {
  const lines: string[] = [];
  const say = (t: string): void => void lines.push(t);
  const err = await runTrain(undefined, { resume: ckpt, epochs: String(LARGEST), json: false }, say, say).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(/^--epochs 9007199254740991 with --resume /);
  expect((err as Error).message).toContain('give --epochs 9007199254740989 or fewer');
  expect(lines).toEqual([]);
});

it('--epochs 2⁵³ − 3 (ending at 2⁵³ − 1) passes that check: its resuming line names the end, epoch 9007199254740991', async () => {
  const lines: string[] = [];
  // Ended at its first epoch line (a run of 2⁵³ − 3 epochs is not to be waited for): the line's writer throws, which
  // fails the fit there.
  const say = (t: string): void => {
    lines.push(t);
    if (t.startsWith('epoch ')) throw new Error('enough');
  };
  await runTrain(undefined, { resume: ckpt, epochs: String(LARGEST - 2), json: false }, say, say).then(() => undefined, (e: unknown) => e);
  expect(lines.find((l) => l.startsWith('resuming '))).toContain('to epoch 9007199254740991 ');
}, 30_000);

it('a checkpoint already at epoch 2⁵³ − 1: --epochs 1 is refused as no more can be trained, not "give --epochs 0 or fewer"', async () => {
  // The same checkpoint with its metadata epochs (and its run's until) set to 2⁵³ − 1, written out by hand.
  const { tensors, metadata } = decodeSafetensors(readFileSync(ckpt));
  const full = join(dir, 'at-max.ckpt');
  writeFileSync(full, encodeSafetensors(tensors, { ...metadata, epochs: '9007199254740991', run: JSON.stringify({ data: { x: spec.x, y: spec.y }, until: LARGEST }) }));
  const lines: string[] = [];
  const say = (t: string): void => void lines.push(t);
  const err = await runTrain(undefined, { resume: full, epochs: '1', json: false }, say, say).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toBe(`--resume ${full}: its run has trained 9007199254740991 epochs, 2⁵³ − 1, the largest this counts: it cannot train more`);
  expect(lines).toEqual([]);
});
