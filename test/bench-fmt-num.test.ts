/**
 * The bench's short numbers (bench/labels.ts fmtNum): the configs table's FLOP a step, the steps/s and GFLOP/s
 * columns. Config d's step, 6·1024·(1024·1024 + 1024·1024) = 12 884 901 888 FLOP, printed 12884.90M (the published
 * runs' Markdown); with a G it reads 12.88G. Expected strings worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { selectConfigs, flopsPerStep } from '../bench/configs.ts';
import { fmtNum } from '../bench/labels.ts';

describe('fmtNum', () => {
  it('config d\'s and f\'s FLOP a step in G: 12.88G and 824.63G (6·4096·2·4096² = 824 633 720 832)', () => {
    const [d, f] = selectConfigs(['d-mse', 'f']);
    expect(flopsPerStep(d)).toBe(12_884_901_888);
    expect(fmtNum(flopsPerStep(d))).toBe('12.88G');
    expect(fmtNum(flopsPerStep(f))).toBe('824.63G');
  });

  it('keeps M, k and plain digits below 1e9: 999 999 999 → 1000.00M, 5 430 000 → 5.43M, 101 700 → 101.7k, 2434, 45.8', () => {
    expect(fmtNum(999_999_999)).toBe('1000.00M');
    expect(fmtNum(1e9)).toBe('1.00G');
    expect(fmtNum(5_430_000)).toBe('5.43M');
    expect(fmtNum(101_700)).toBe('101.7k');
    expect(fmtNum(2434)).toBe('2434');
    expect(fmtNum(45.8)).toBe('45.8');
    expect(fmtNum(undefined)).toBe('—');
  });
});
