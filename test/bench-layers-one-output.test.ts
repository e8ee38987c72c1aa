/**
 * bench --layers whose last width is 1 with softmax-CE (--loss ce, or both, the default): softmax over one unit is
 * e^z / e^z = 1 whatever z, so its loss is 0 and δ_L = A − Y = 0 — nothing trains (src/spec.ts refuses such a net,
 * naming layers[L].units, since stop 55). The bench's refusal names the flags the user gave (--layers, --loss) and
 * what to give instead; before, the engine's SpecError came out as `layers[1].units: … use 1 'sigmoid' unit with
 * loss 'bce' …`, a field and a loss the bench has no flag for, and `--layers 4,3,1` with the default --loss both
 * ran nothing. MSE over one output unit is a real net and still runs.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';

const refusal = (layers: string, loss: string): string =>
  `--layers ${layers}: its softmax-CE net (--loss ${loss}) needs a last width of at least 2 (softmax over 1 unit is always 1: loss 0, nothing trains); give --loss mse, or a last width ≥ 2`;

describe('bench --layers with one output unit', () => {
  it('--loss both (the default) and --loss ce are refused naming --layers and --loss', () => {
    expect(() => parseArgs(['--layers', '4,3,1'], 'node')).toThrow(refusal('4,3,1', 'both'));
    expect(() => parseArgs(['--layers', '4,3,1', '--loss', 'ce'], 'node')).toThrow(refusal('4,3,1', 'ce'));
    expect(() => parseArgs(['--layers', '7,1', '--loss', 'both'], 'node')).toThrow(refusal('7,1', 'both'));
  });

  it('--loss mse with one output unit runs (an identity output: a real regression net); two softmax units run with ce', () => {
    const mse = parseArgs(['--layers', '4,3,1', '--loss', 'mse'], 'node').configs;
    expect(mse.map((c) => [c.id, c.layers.at(-1)!.units, c.layers.at(-1)!.activation])).toEqual([['user-mse', 1, 'identity']]);
    const ce = parseArgs(['--layers', '4,3,2', '--loss', 'ce'], 'node').configs;
    expect(ce.map((c) => [c.id, c.layers.at(-1)!.units, c.layers.at(-1)!.activation])).toEqual([['user-ce', 2, 'softmax']]);
  });
});
