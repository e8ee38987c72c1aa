/**
 * `train SPEC.json` says what it trains (src/cli/train.ts netLine) before the backend line, as `train --data mnist`
 * does under its MNIST line (left58: a spec file's run printed the backend line first and never named its net). The
 * expected lines are the spec's own net, loss and optimiser, written out by hand, with the flags applied.
 */
import { describe, expect, it } from 'vitest';
import { runTrain } from '../src/cli/train.ts';
import type { NetworkSpec } from '../src/spec.ts';

// XOR's four examples twice: 8, of which validation 0.25 holds out round(2) = 2, so fit trains on 6.
const xor = {
  inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 },
  x: [[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0], [0], [1], [1], [0]],
  batchSize: 4, epochs: 1, optimizer: { name: 'momentum', lr: 0.1 }, validation: 0.25,
};

async function firstLines(spec: object, flags: Record<string, string> = {}): Promise<string[]> {
  const lines: string[] = [];
  const code = await runTrain(spec as NetworkSpec, { json: false, ...flags }, (t) => lines.push(t), (t) => lines.push(t));
  expect(code, lines.join('\n')).toBe(0);
  return lines.slice(0, 2);
}

describe('train SPEC.json: the net line', () => {
  it('the spec\'s net, loss, optimiser and batch, then the backend line', async () => {
    expect(await firstLines(xor)).toEqual(['net: 2 → 4 tanh → 1 sigmoid, bce; momentum lr 0.1, batch 4', 'backend: CPU (in Node)']);
  });

  it('the flags applied; a spec without batchSize: fit\'s 32, at most the 6 examples it trains on', async () => {
    const { batchSize: _, ...noBatch } = xor;
    expect((await firstLines(noBatch, { optimizer: 'adam', lr: '0.01' }))[0]).toBe('net: 2 → 4 tanh → 1 sigmoid, bce; adam lr 0.01, batch 6');
    expect((await firstLines(xor, { batchSize: '3' }))[0]).toBe('net: 2 → 4 tanh → 1 sigmoid, bce; momentum lr 0.1, batch 3');
  });
});
