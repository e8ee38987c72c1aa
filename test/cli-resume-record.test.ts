/**
 * The run record `train --save` adds to its checkpoint, as --resume reads it (src/cli/resume.ts readResume): its
 * `until` must be at least the epochs the checkpoint has trained — a record that ends before them is refused naming
 * checkpoint.run.until, not taken as a run with a negative number of epochs left. Review cmut54: a surviving mutant
 * dropped that bound.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResume, withRunRecord } from '../src/cli/resume.ts';
import { SpecError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { expectTyped, thrown } from './lib/typed.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const xor = {
  inputs: 2, layers: [{ units: 2, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }], loss: 'bce' as const,
  init: { scheme: 'xavier' as const, seed: 3 }, x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], lr: 0.1,
};

/** A checkpoint of 2 epochs trained, with the run record { data: 'mnist', until }, written to a file of its own. */
async function checkpointUntil(until: number): Promise<string> {
  const model = await Model.create(xor, { backend: 'cpu' });
  await model.fit({ x: xor.x, y: xor.y, epochs: 2 });
  expect(model.epochsTrained).toBe(2);
  const file = join(dir, `until-${until}.ckpt`);
  writeFileSync(file, withRunRecord(await model.save(), { data: 'mnist', until }));
  model.dispose();
  return file;
}

const [file1, file2, file5] = [await checkpointUntil(1), await checkpointUntil(2), await checkpointUntil(5)];

describe('--resume: the run record ends at or after the epochs trained', () => {
  it('until 1 after 2 epochs trained: a SpecError naming checkpoint.run.until and both numbers', () => {
    expectTyped(thrown(() => readResume(file1)), SpecError, 'checkpoint.run.until', /≥ the epochs trained \(2\), got 1$/);
  });

  it('until 2 (the run done) and 5 are read as they are, with the 2 epochs trained', () => {
    expect([readResume(file2), readResume(file5)].map((r) => [r.trained, r.record?.until])).toEqual([[2, 2], [2, 5]]);
  });
});
