/**
 * `train --data mnist` says what trains on the digits (src/cli/train.ts netLine), under the MNIST line. Review
 * usr57e: without a spec the run printed the data and the backend, and the net and optimiser only --help said. The
 * expected line is the default net --help describes (784-128-10 relu/softmax, Adam), with this run's flags applied.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('train --data mnist: the net line', () => {
  it('names the default net, loss and optimiser with the flags applied, between the MNIST line and the backend line', () => {
    const r = spawnSync(process.execPath, ['bin/backprop.js', 'train', '--data', 'mnist', '--epochs', '1', '--backend', 'wasm', '--batch-size', '256', '--lr', '0.002'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^MNIST \(the mnist package\): /);
    expect(lines[1]).toBe('net: 784 → 128 relu → 10 softmax, softmax-cross-entropy; adam lr 0.002, batch 256');
    expect(lines[2]).toMatch(/^backend: wasm/);
  }, 120_000);

  it('a spec without batchSize: fit\'s default batch, 32 (src/train/fit-types.ts), not "all"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'usr57e-'));
    const spec = join(dir, 'one-layer.json');
    writeFileSync(spec, JSON.stringify({ inputs: 784, layers: [{ units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 1 } }));
    const r = spawnSync(process.execPath, ['bin/backprop.js', 'train', spec, '--data', 'mnist', '--epochs', '1', '--backend', 'wasm', '--optimizer', 'momentum', '--lr', '0.05'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('net: 784 → 10 softmax, softmax-cross-entropy; momentum lr 0.05, batch 32');
  }, 120_000);
});
