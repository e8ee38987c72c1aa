/**
 * The demo's part (c) lines under the MNIST table (src/cli/demo.ts mnistAgreement): how many correct test digits each
 * backend is off cpu's at its worst epoch. Review usr57e: the table showed cpu 93.35 % beside wasm 93.45 % with no word
 * on why. Expected counts worked by hand: |0.8915 − 0.8910| × 2000 = 1 digit, |0.9335 − 0.9345| × 2000 = 2 digits.
 */
import { describe, expect, it } from 'vitest';
import { mnistAgreement } from '../src/cli/demo.ts';

const run = (backend: string, accs: number[]) => ({ backend, history: accs.map((valAccuracy) => ({ valAccuracy })) });

describe('the demo: mnistAgreement', () => {
  it('the worst epoch\'s digits off cpu, per backend, and the reason once any is off', () => {
    const lines = mnistAgreement([run('cpu', [0.8915, 0.9335]), run('wasm', [0.8910, 0.9345]), run('webgpu', [0.8915, 0.9335])], 2000);
    expect(lines).toEqual([
      "    correct test digits (of 2000) against cpu's: wasm at most 2 digits off (epoch 2); webgpu the same at every epoch",
      '    (cpu, the oracle, sums in float64, wasm and WebGPU in float32: the roundings differ, and Adam carries them on)',
    ]);
  });

  it('one digit off is singular; a worse first epoch is named; all the same: no reason line', () => {
    // epoch 1: |0.9 − 0.8985| × 2000 = 3; epoch 2: |0.95 − 0.9495| × 2000 = 1.
    expect(mnistAgreement([run('cpu', [0.9, 0.95]), run('wasm', [0.8985, 0.9495])], 2000)[0]).toBe(
      "    correct test digits (of 2000) against cpu's: wasm at most 3 digits off (epoch 1)");
    expect(mnistAgreement([run('cpu', [0.9]), run('wasm', [0.9005])], 2000)[0]).toContain('wasm at most 1 digit off (epoch 1)');
    expect(mnistAgreement([run('cpu', [0.9]), run('wasm', [0.9])], 2000)).toEqual(["    correct test digits (of 2000) against cpu's: wasm the same at every epoch"]);
  });

  it('nothing to compare: no lines with cpu alone; an epoch without a test accuracy is not called the same', () => {
    expect(mnistAgreement([run('cpu', [0.9])], 2000)).toEqual([]);
    expect(mnistAgreement([run('cpu', [0.9]), { backend: 'wasm', history: [{}] }], 2000)[0]).toContain('wasm not compared');
  });
});
