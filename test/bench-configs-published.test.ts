/**
 * The configs the bench runs (bench/configs.ts) are the ones its published numbers were measured with and README
 * states: sizes, batches, learning rates, N, losses, tolerances and FLOPs against the published run's own record
 * (bench/results/fair-run-57.json, README's "published run"), and ours-cpu's loss after N against the loss that run
 * measured (which pins each config's starting weights and data too). A batch, a learning rate, an N or a data seed
 * changed in configs.ts changed every number the bench prints while every other test passed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_E, CONFIG_F_MATMUL, FULL_CONFIGS, flopsPerStep, materialize, QUICK_CONFIGS, QUICK_E, QUICK_MATMUL, selectConfigs, specConfig, withEpochs } from '../bench/configs.ts';
import type { Row } from '../bench/protocol.ts';
import { type BenchResult, describeConfigs } from '../bench/report.ts';
import { oursTrainer } from '../bench/systems.ts';

const published = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-57.json'), 'utf8')) as BenchResult & { rows: Row[] };

describe('the configs are the published run\'s (fair-run-57)', () => {
  it('a–e as that run recorded them: title, sizes, batch, loss, lr, N, tolerances, layers, FLOPs, data', () => {
    // Its command gave no --steps, so each config's N is its own.
    expect(published.command).not.toMatch(/--steps/);
    // runFlopsPerStep too (what our step runs, no δ for the inputs: test/bench-wasm-peak.test.ts); b-mse's by hand:
    // 6·64·101 632 less the input layer's δ, 2·64·784·128 = 12 845 056: 39 026 688 − 12 845 056 = 26 181 632.
    expect(describeConfigs([...FULL_CONFIGS, ...CONFIG_E])).toEqual(published.configs);
    expect(published.configs.find((c) => c.id === 'b-mse')!.runFlopsPerStep).toBe(26_181_632);
  });

  it('README\'s sizes and batches, and FLOPs worked by hand from them: 6·batch·Σ fanIn·units a step', () => {
    const shape = (id: string) => {
      const c = [...FULL_CONFIGS, ...CONFIG_E, ...QUICK_CONFIGS].find((x) => x.id === id)!;
      return { sizes: [c.inputs, ...c.layers.map((l) => l.units)], batch: c.batch, flops: flopsPerStep(c) };
    };
    // b: 784-128-10, batch 64: 6·64·(784·128 + 128·10) = 384·(100 352 + 1 280) = 384·101 632 = 39 026 688.
    expect(shape('b-ce')).toEqual({ sizes: [784, 128, 10], batch: 64, flops: 39_026_688 });
    // c: 784-256-256-10, batch 256: 6·256·(200 704 + 65 536 + 2 560) = 1 536·268 800 = 412 876 800.
    expect(shape('c-mse')).toEqual({ sizes: [784, 256, 256, 10], batch: 256, flops: 412_876_800 });
    // d: 1024-1024-1024, batch 1024: 6·1024·(2·1 048 576) = 12 884 901 888.
    expect(shape('d-ce')).toEqual({ sizes: [1024, 1024, 1024], batch: 1024, flops: 12_884_901_888 });
    // --quick's reduced b: 784-32-10, batch 16: 6·16·(25 088 + 320) = 96·25 408 = 2 439 168.
    expect(shape('q-mse')).toEqual({ sizes: [784, 32, 10], batch: 16, flops: 2_439_168 });
    expect(shape('q-ce')).toEqual({ sizes: [784, 32, 10], batch: 16, flops: 2_439_168 });
    // e: 784-128-10, batches of 128: 6·128·101 632 = 78 053 376.
    expect(shape('e-adam')).toEqual({ sizes: [784, 128, 10], batch: 128, flops: 78_053_376 });
  });

  it('config e\'s fit as README states it: 5 epochs of the 8 000 training digits, 2 000 test, shuffle seed 14; epoch 1 is 63 updates; the agreement compares e-sgd\'s epochs 1–3, e-adam\'s epoch 1', () => {
    for (const c of CONFIG_E) {
      expect({ id: c.id, ...c.fit }).toEqual({ id: c.id, epochs: 5, train: 8000, test: 2000, optimizer: c.id === 'e-adam' ? 'adam' : 'sgd', shuffleSeed: 14, agreeEpochs: c.id === 'e-adam' ? 1 : 3 });
      // 8 000 / 128 = 62.5: 62 batches of 128 and a last one of 64 — 63 updates, epoch 1's loss is their mean.
      expect(c.agreeSteps).toBe(63);
      expect(c.weights).toEqual({ scheme: 'he', seed: 8 });
    }
  });

  it('the bare matmuls as README states them: f-matmul 4096³, q-matmul 96 × 160 × 80; FLOPs 2·R·K·C, rtol 2.5·K·2⁻²⁴', () => {
    expect(QUICK_MATMUL.matmul).toEqual({ R: 96, K: 160, C: 80 });
    expect(flopsPerStep(QUICK_MATMUL)).toBe(2_457_600); // 2·96·160·80
    expect(QUICK_MATMUL.rtol).toBeCloseTo(2.4e-5, 6); // 2.5·160/16 777 216 = 2.384e-5, README's "rtol 2.4e-5"
    expect(CONFIG_F_MATMUL.matmul).toEqual({ R: 4096, K: 4096, C: 4096 });
    expect(CONFIG_F_MATMUL.rtol).toBeCloseTo(6.1e-4, 5); // 2.5·4096/16 777 216 = 6.10e-4
    // The title names the product the row times (README: `bare matmul (96×160)·(160×80)`).
    expect(QUICK_MATMUL.title).toContain('(96×160)·(160×80)');
  });

  it('ours-cpu\'s loss after N on a, b and c is the published run\'s (its weights, its data, its lr, its N)', async () => {
    // ours-cpu is the agreement's reference (float64 sums rounded once): on the same start and batch it gives the
    // same loss here; 1e-4 relative is the agreement's own rtol. d is left out (two 1024³ steps on the CPU).
    for (const c of FULL_CONFIGS.filter((x) => !x.id.startsWith('d'))) {
      const want = published.rows.find((r) => r.config === c.id && r.system === 'ours-cpu')!;
      expect(want.agreeSteps).toBe(c.agreeSteps);
      const t = await oursTrainer('cpu', c, materialize(c));
      try {
        const { loss } = await t.train(c.agreeSteps);
        expect(Math.abs(loss - want.finalLoss!) / want.finalLoss!, `${c.id}: ${loss} vs ${want.finalLoss}`).toBeLessThan(1e-4);
      } finally {
        t.dispose();
      }
    }
  }, 120_000);
});

describe('selecting configs (--configs, configs=) and --epochs', () => {
  it('a group and one of its ids together run each config once (two b-mse rows would each be a reference)', () => {
    expect(selectConfigs(['b', 'b-mse', 'a']).map((c) => c.id)).toEqual(['b-mse', 'b-ce', 'a']);
  });

  it('--epochs E: the fit runs E epochs and the title says so, singular for one', () => {
    // qe-sgd's title states its count ('… 2 epochs'): a run of --epochs 3 was headed '1 epoch' in its results (qe trained 1 then).
    const qe = { ...QUICK_E[0], fit: QUICK_E[0].fit! };
    expect(qe.fit.epochs).toBe(2);
    expect(qe.title).toMatch(/\b2 epochs\b/);
    const three = withEpochs(qe, 3);
    expect(three.fit?.epochs).toBe(3);
    expect(three.title).toMatch(/\b3 epochs\b/);
    const one = withEpochs(three as typeof qe, 1);
    expect(one.fit?.epochs).toBe(1);
    expect(one.title).toMatch(/\b1 epoch\b/);
    expect(one.title).not.toMatch(/epochs/);
  });

  it('--spec: the file\'s own lr is the one every system trains at; a file without one, 0.01', () => {
    const spec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' as const }], loss: 'mse' as const };
    expect(specConfig({ ...spec, lr: 0.3 }, 'own.json').lr).toBe(0.3);
    expect(specConfig(spec, 'own.json').lr).toBe(0.01);
  });
});
