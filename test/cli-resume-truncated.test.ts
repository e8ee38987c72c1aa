/**
 * A checkpoint cut short inside its header (a copy or download stopped early: the header of train --save's checkpoint
 * holds the run's x and y, so on a spec's data most of the file is header) is named as what it is: `--resume F`
 * reports the truncation as Model.load does ("the header says N bytes of JSON but the file has M after the length
 * (truncated?)") — not "not a checkpoint (…); a spec file is given as SPEC.json, without --resume" (usr56g). A safetensors
 * file starts with its header's length, 8 bytes little-endian, then the header's JSON, which begins with '{'
 * (https://huggingface.co/docs/safetensors, "Format"): N below is read from those 8 bytes, not from the code under test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResume, withRunRecord } from '../src/cli/resume.ts';
import { Model } from '../src/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-truncated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const xor = {
  inputs: 2, layers: [{ units: 2, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }], loss: 'bce' as const,
  init: { scheme: 'xavier' as const, seed: 3 }, x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], lr: 0.1,
};

/** What the call throws (or undefined). */
function thrown(f: () => unknown): Error | undefined {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  return undefined;
}

describe('a checkpoint cut short inside its header', async () => {
  const model = await Model.create(xor, { backend: 'cpu' });
  await model.fit({ epochs: 1 });
  const whole = withRunRecord(await model.save(), { data: { x: xor.x, y: xor.y }, until: 3 });
  model.dispose();
  const n = Number(Buffer.from(whole).readBigUInt64LE(0));
  const cut = join(dir, 'cut.ckpt');
  // 8 bytes of length, then 10 bytes less of the header than it says.
  writeFileSync(cut, whole.subarray(0, 8 + n - 10));

  it('--resume names the truncation, naming the flag', () => {
    expect(readFileSync(cut)[8]).toBe('{'.charCodeAt(0));
    const err = thrown(() => readResume(cut));
    expect(err?.message).toBe(`--resume ${cut}: checkpoint: not a valid safetensors file: the header says ${n} bytes of JSON but the file has ${n - 10} after the length (truncated?)`);
  });

  it('a spec file, and bytes that do not start as a safetensors file, are still not a checkpoint', () => {
    const spec = join(dir, 'xor.json');
    writeFileSync(spec, JSON.stringify(xor));
    expect(thrown(() => readResume(spec))?.message).toBe(`--resume ${spec}: not a checkpoint (the safetensors file train --save writes); a spec file is given as SPEC.json, without --resume`);
    // A small length but no '{' after it; and '{' after a length past 2⁵³ (text: the top bytes are not 0).
    const noBrace = join(dir, 'no-brace.bin');
    writeFileSync(noBrace, Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('[1,2]')]));
    expect(thrown(() => readResume(noBrace))?.message).toMatch(/: not a checkpoint \(/);
    const text = join(dir, 'text.bin');
    writeFileSync(text, 'abcdefgh{}');
    expect(thrown(() => readResume(text))?.message).toMatch(/: not a checkpoint \(/);
  });
});
