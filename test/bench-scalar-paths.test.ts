/**
 * Which configs the scalar engine runs (bench/systems.ts unsupported): its chain-rule paths per step against its
 * limit, counted by hand. A count without the batch, or a limit 100× too high, sent the scalar engine into the reduced
 * b (4·10⁶ paths: seconds a step) where its row should say skipped.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_A, QUICK_CONFIGS } from '../bench/configs.ts';
import { unsupported } from '../bench/systems.ts';

describe('the scalar engine runs small configs only: its chain-rule paths per step, counted by hand', () => {
  it('config a (32 paths) runs; the reduced b (4.0e+6) is skipped, naming its count', () => {
    // Paths per step: Σ_l (units_l·fanIn_l + biases_l)·(Π_{s>l} units_s)·n.
    // a (2-2-1, a shared hidden bias, batch 4): ((2·2 + 1)·1 + (1·2 + 1))·4 = (5 + 3)·4 = 32.
    expect(unsupported('scalar', CONFIG_A)).toBeNull();
    // q-mse (784-32-10, batch 16): ((32·784 + 32)·10 + (10·32 + 10))·16 = (251 200 + 330)·16 = 4 024 480.
    const q = QUICK_CONFIGS.find((c) => c.id === 'q-mse')!;
    expect(unsupported('scalar', q)).toMatch(/^4\.0e\+6 chain-rule paths per step > 100000 /);
  });
});
