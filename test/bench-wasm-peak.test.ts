/**
 * The ours-wasm rows' share of the wasm FMA peak (bench/report.ts wasmPeakLines). The GFLOP/s column counts the
 * issue's 6·batch·Σ in·out a step (configs.ts flopsPerStep), but ours-wasm's step runs no δ for the inputs
 * (src/wasm/program.ts: backward only from layer 2 down), so on a net whose first layer is most of its work the share
 * of the peak on that count passed 100 % (a quick run: `q-ce ours-wasm: 40.8 GFLOP/s = 101% of the 40.6 GFLOP/s
 * wasm relaxed FMA peak`). Each line now also gives the share on the FLOPs the step runs. Expected values worked by
 * hand below; no timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { selectConfigs } from '../bench/configs.ts';
import type { Row } from '../bench/protocol.ts';
import { type BenchResult, describeConfigs, peakLines, wasmPeakLines } from '../bench/report.ts';

const env = { runner: 'browser', cpu: { model: 'x', cores: 2 }, wasm: { threads: 1, simd: 'relaxed', peakGflops: 40 } };

function resultOf(ids: string[], gflops: number): BenchResult {
  const configs = selectConfigs(ids);
  const rows: Row[] = configs.map((c) => ({ system: 'ours-wasm', config: c.id, status: 'ok', agreeSteps: c.agreeSteps, threads: 1, gflops, wasmPeakGflops: 40 }));
  return { configs: describeConfigs(configs), rows, env } as unknown as BenchResult;
}

describe('wasmPeakLines: the share of the FMA peak on the FLOPs ours-wasm runs', () => {
  it('q-ce (784-32-10, batch 16): the issue\'s count and the step\'s own, each against the peak', () => {
    // Counted: 6·16·(784·32 + 32·10) = 6·16·25 408 = 2 439 168 FLOP a step. The inputs' δ (2·16·784·32 = 802 816) is
    // not run: 1 636 352. At 40 GFLOP/s counted, the step runs 40 · 1 636 352 / 2 439 168 = 26.834… GFLOP/s, which is
    // 67.09 % of a 40 GFLOP/s peak (the counted share: 100 %).
    const [line] = wasmPeakLines(resultOf(['q-ce'], 40));
    expect(line).toBe('q-ce ours-wasm: 40.0 GFLOP/s = 100% of the 40.0 GFLOP/s wasm relaxed FMA peak (1 thread); '
      + 'on the FLOPs its step runs (no δ for the inputs): 26.8 GFLOP/s = 67.1%');
  });

  it('d-mse (1024-1024-1024): the step runs 5 of the 6 counted GEMMs', () => {
    // Counted 6·b·(2·1024²), run 6·b·2·1024² − 2·b·1024² = 10·b·1024²: 5/6. At 36 GFLOP/s counted: 30.0 GFLOP/s run,
    // 75.0 % of 40 (counted: 90.0 %).
    const [line] = wasmPeakLines(resultOf(['d-mse'], 36));
    expect(line).toMatch(/= 90\.0% of the 40\.0 GFLOP\/s .*: 30\.0 GFLOP\/s = 75\.0%$/);
  });

  it('results written before the field (no runFlopsPerStep in their configs) keep their one share', () => {
    const result = resultOf(['q-ce'], 40);
    for (const c of result.configs) delete (c as { runFlopsPerStep?: number }).runFlopsPerStep;
    expect(wasmPeakLines(result)).toEqual(['q-ce ours-wasm: 40.0 GFLOP/s = 100% of the 40.0 GFLOP/s wasm relaxed FMA peak (1 thread)']);
  });
});

describe('peakLines: the GPU share on the FLOPs our step runs (configs d and f, --peak-gflops)', () => {
  it('ours-webgpu on d-mse and f: 5/6 of the counted GFLOP/s; a peer and the bare f-matmul keep the one share', () => {
    const configs = selectConfigs(['d-mse', 'f', 'f-matmul']);
    const row = (system: Row['system'], config: string, gflops: number): Row => ({ system, config, status: 'ok', agreeSteps: 2, gflops });
    const result = {
      peakGflops: 1000, configs: describeConfigs(configs), env,
      rows: [row('ours-webgpu', 'd-mse', 300), row('tfjs-webgl', 'd-mse', 240), row('ours-webgpu', 'f', 600), row('ours-webgpu', 'f-matmul', 412)],
    } as unknown as BenchResult;
    // d-mse and f (1024-1024-1024 and 4096-4096-4096): counted 6·b·2·in², run 6·b·2·in² − 2·b·in² = 10·b·in², 5/6.
    // 300 GFLOP/s counted → 250 run, 25.0 % of 1000; 600 → 500, 50.0 %. f-matmul counts 2·R·K·C and runs just that.
    expect(peakLines(result)).toEqual([
      'd-mse ours-webgpu: 300 GFLOP/s = 30.0% of the 1000 GFLOP/s float32 peak; on the FLOPs its step runs (no δ for the inputs): 250 GFLOP/s = 25.0%',
      'd-mse tfjs-webgl: 240 GFLOP/s = 24.0% of the 1000 GFLOP/s float32 peak',
      'f ours-webgpu: 600 GFLOP/s = 60.0% of the 1000 GFLOP/s float32 peak; on the FLOPs its step runs (no δ for the inputs): 500 GFLOP/s = 50.0%',
      'f-matmul ours-webgpu: 412 GFLOP/s = 41.2% of the 1000 GFLOP/s float32 peak',
    ]);
  });
});
