/**
 * The bench's usage (printed for --help and a bad option) says what --quick's reduced e trains: bench/configs.ts
 * QUICK_E's epochs and training digits. Since stop 55 qe trains 2 epochs (both compared: the batch order after epoch 1),
 * while the usage still said "qe: 1 epoch". The numbers are read from the text and from the configs.
 */
import { describe, expect, it } from 'vitest';
import { usage } from '../bench/bench.ts';
import { QUICK_E } from '../bench/configs.ts';

describe("--quick's usage: qe's epochs and digits are QUICK_E's", () => {
  it('the browser runner\'s usage names qe\'s epoch count and digits as the configs have them', () => {
    const text = usage('browser').replace(/\s+/g, ' ');
    const m = /a reduced e \(qe: (\d+) (epochs?), (\d+) digits\)/.exec(text);
    expect(m, 'the usage describes qe').not.toBeNull();
    for (const c of QUICK_E) expect([Number(m![1]), Number(m![3])], c.id).toEqual([c.fit!.epochs, c.fit!.train]);
    expect(m![2]).toBe(QUICK_E[0].fit!.epochs === 1 ? 'epoch' : 'epochs');
  });
});
