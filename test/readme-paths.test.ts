/**
 * The figures README's "How the WebGPU path runs", "How the wasm path runs", "How fit runs on WebGPU" and "Benchmark"
 * give for a constant or a plan the code computes without a GPU: each is read out of README's text (so a README that says
 * another number fails here) and checked against the code's constant or its pure planning function (so code that
 * changes the number without the README fails too). Times are not checked: they are measured, with their commands.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_E, FULL_CONFIGS, QUICK_E } from '../bench/configs.ts';
import { defaultConfigIds, QUERY_PARAMS } from '../bench/page/query.ts';
import { FIT_ACCURACY_SLACK, FULL_POLICY, QUICK_POLICY } from '../bench/protocol.ts';
import { validateNet } from '../src/spec.ts';
import { BARRIER_SPINS, BARRIER_STALL_MS } from '../src/wasm/barrier.ts';
import { LEAVE_TIMEOUT_MS } from '../src/wasm/backend.ts';
import { RELAXED_TILING, TILING } from '../src/wasm/gemm.ts';
import { MAX_THREADS, THREAD_MIN_WORK } from '../src/wasm/limits.ts';
import { STEPS_PER_SUBMISSION } from '../src/webgpu/backend.ts';
import { fusedCapacity, fusedStepsPerDispatch, fusedThreshold } from '../src/webgpu/fused.ts';
import { planMatmul } from '../src/webgpu/matmul.ts';
import { planUpdate } from '../src/webgpu/update.ts';
import type { KernelVariant } from '../src/webgpu/variants.ts';
import { section as sectionOf } from './lib/readme-text.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = (title: string): string => sectionOf(readme, title);

/** The numbers `pattern`'s groups capture in `text` ("4 096" → 4096), or a failure naming the pattern. */
function figures(text: string, pattern: RegExp): number[] {
  const m = pattern.exec(text);
  expect(m, `README: ${pattern}`).not.toBeNull();
  return m!.slice(1).map((g) => Number(g.replace(/ /g, '')));
}

const num = String.raw`(\d{1,3}(?: \d{3})*)`;
const webgpu = section('How the WebGPU path runs');
const wasm = section('How the wasm path runs');
const fit = section('How fit runs on WebGPU');

describe("README's WebGPU figures are the code's", () => {
  it('submissions of at most STEPS_PER_SUBMISSION steps (train) and batches (fit)', () => {
    expect(figures(webgpu, new RegExp(`one submission per ${num} steps \\(\`STEPS_PER_SUBMISSION\``))).toEqual([STEPS_PER_SUBMISSION]);
    expect(figures(fit, new RegExp(`A submission holds at most ${num} batches \\(as \`train\` holds at most ${num} steps`))).toEqual([STEPS_PER_SUBMISSION, STEPS_PER_SUBMISSION]);
  });

  it("the fused kernel's threshold, capacity and main_tiny's steps per dispatch", () => {
    const [soft, hard] = figures(webgpu, new RegExp(`Σ units·fanIn·N ≤ ${num} on SwiftShader \\(${num} on other adapters`));
    expect([soft, hard]).toEqual([fusedThreshold('group', true), fusedThreshold('group', false)]);
    const [cap] = figures(webgpu, new RegExp(`at most ${num} floats on SwiftShader: \`fusedCapacity\``));
    expect(cap).toBe(fusedCapacity(1 << 20, true));
    const [steps] = figures(webgpu, new RegExp(`${num} steps for \`main_tiny\``));
    const lecture = validateNet({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    expect(steps).toBe(fusedStepsPerDispatch(lecture, 4, 'tiny'));
  });

  it("each GEMM entry point's block: README's rows × columns fill one workgroup, one more row or column takes a second", () => {
    const groups = (v: KernelVariant, R: number, C: number): number => {
      const g = planMatmul(v, 'forward', [R, 1, C], 1, { transL: false, transR: false }, {}).groups;
      return g.x * g.y;
    };
    // [variant, rows, columns] per workgroup, from README's per-invocation blocks and invocations per workgroup.
    const [br, bc] = figures(webgpu, /`main_blocked` \(each invocation computes a (\d+)×(\d+) block/);
    const [sr, sc] = figures(webgpu, /`main_subgroup` instead \(`shaders\/matmul_subgroups.wgsl`: (\d+)×(\d+) blocks per invocation/);
    const [qr, qc] = figures(webgpu, /register blocking at (\d+)×(\d+) per invocation, where the (\d+) invocations/).slice(0, 2);
    const [qn] = figures(webgpu, /where the (\d+) invocations of a workgroup/);
    const [tr, tc] = figures(webgpu, /`main_tiled` \((\d+)×(\d+) tiles/);
    // main_blocked: workgroups of up to 4 × 4 invocations (src/webgpu/matmul.ts); main_subgroup: 64 invocations along the columns.
    const cases: [KernelVariant, number, number][] = [['blocked', 4 * br, 4 * bc], ['subgroup', sr, 64 * sc], ['blocked-subgroup', qr, qn * qc], ['tiled', tr, tc]];
    for (const [v, R, C] of cases) expect([groups(v, R, C), groups(v, R + 1, C), groups(v, R, C + 1)], v).toEqual([1, 2, 2]);
  });

  it("the fold figures: a 2²¹ + 5 batch folds on 'blocked', 'tiled' and 'subgroup' only past README's 4.2 M and 16.8 M columns", () => {
    const folds = (v: KernelVariant, C: number): boolean => planMatmul(v, 'forward', [2, 1, C], 1, { transL: false, transR: false }, {}).groups.y > 1;
    expect(webgpu).toContain('runs a 2²¹ + 5 batch, whose forward GEMM folds');
    expect([folds('blocked', 2 ** 21 + 5), folds('blocked-subgroup', 2 ** 21 + 5), folds('tiled', 2 ** 21 + 5)]).toEqual([true, true, false]);
    const [tiled, subgroup] = figures(webgpu, /need over (\d+\.\d) M and (\d+\.\d) M columns to fold/);
    // The least batch that folds, found by bisection, in millions to one decimal.
    const least = (v: KernelVariant): number => {
      let [lo, hi] = [1, 2 ** 26];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (folds(v, mid)) hi = mid;
        else lo = mid;
      }
      return Number((hi / 1e6).toFixed(1));
    };
    expect([least('tiled'), least('subgroup')]).toEqual([tiled, subgroup]);
  });

  it("update-chunks' lowered limits: README's chunk and net sizes give its chunk count and folds", () => {
    const [chunkBytes, perDim, netBytes, count] = figures(webgpu, new RegExp(`to ${num}-byte chunks and (\\d+) workgroups per dimension: a ${num}-byte net then runs (\\d+) chunks`));
    const [gx, gy] = figures(webgpu, /two of them folded into (\d+) × (\d+) workgroups/);
    const chunks = planUpdate(netBytes, { chunkBytes, groupsPerDimension: perDim });
    expect(chunks.length).toBe(count);
    expect(chunks.filter((c) => c.groups.y > 1).map((c) => [c.groups.x, c.groups.y])).toEqual([[gx, gy], [gx, gy]]);
  });
});

describe("README's wasm figures are the code's", () => {
  it('threads: the minimum work to split, the most threads', () => {
    const m = /Nets below 2([⁰¹²³⁴⁵⁶⁷⁸⁹]+) multiply-adds per forward pass run on one thread \(`THREAD_MIN_WORK`\)/.exec(wasm);
    expect(m, 'README: Nets below 2ⁿ multiply-adds …').not.toBeNull();
    const power = Number([...m![1]!].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(d)).join(''));
    expect(2 ** power).toBe(THREAD_MIN_WORK);
    expect(figures(wasm, /`threads` 1 … (\d+) \(`MAX_THREADS`/)).toEqual([MAX_THREADS]);
  });

  it("the barriers' spins and the two timeouts", () => {
    expect(figures(wasm, new RegExp(`spins \`BARRIER_SPINS\` \\(${num}\\) times`))).toEqual([BARRIER_SPINS]);
    expect(figures(wasm, /\(`BARRIER_STALL_MS`, (\d+) s;/)).toEqual([BARRIER_STALL_MS / 1000]);
    expect(figures(wasm, /\(at most `LEAVE_TIMEOUT_MS`, (\d+) s\)/)).toEqual([LEAVE_TIMEOUT_MS / 1000]);
  });

  it("the GEMM's micro block: strips of MR rows, panels of NR columns, MR·NV registers", () => {
    const [rows, cols, r, c] = figures(wasm, /packed in strips of (\d+) rows, the operand of C's columns in panels of (\d+), a (\d+) × (\d+) block of C/);
    expect([rows, cols, r, c]).toEqual([TILING.MR, 4 * TILING.NV, TILING.MR, 4 * TILING.NV]);
    expect(wasm).toContain('block of C in eight f32x4 registers');
    expect(TILING.MR * TILING.NV).toBe(8);
    // With relaxed SIMD: 6 × 8 in twelve registers.
    expect(figures(wasm, /With relaxed SIMD the strips are of (\d+) rows and a block (\d+) × (\d+) in twelve registers/)).toEqual([RELAXED_TILING.MR, RELAXED_TILING.MR, 4 * RELAXED_TILING.NV]);
    expect(RELAXED_TILING.MR * RELAXED_TILING.NV).toBe(12);
  });
});

describe("README's benchmark protocol figures are bench/'s constants", () => {
  const bench = section('Benchmark');

  it("the agreement run's N per config and its tolerance", () => {
    const [a, b, c, d] = figures(bench, /Each system first trains N steps \(a: (\d+), b: (\d+), c: (\d+), d: (\d+);/);
    const n0 = (group: string) => [...new Set(FULL_CONFIGS.filter((x) => x.group === group).map((x) => x.agreeSteps))];
    expect([n0('a'), n0('b'), n0('c'), n0('d')]).toEqual([[a], [b], [c], [d]]);
    const m = /be within rtol (\S+) \+ atol (\S+) of ours-cpu's/.exec(bench);
    expect(m, 'README: within rtol … + atol …').not.toBeNull();
    for (const x of FULL_CONFIGS) expect([x.rtol, x.atol], x.id).toEqual([Number(m![1]), Number(m![2])]);
  });

  it('repetitions, the calibration bound on s, the row budget and the cap rule, full and --quick', () => {
    expect(figures(bench, /Then (\d+) repetitions, each timed/)).toEqual([FULL_POLICY.reps]);
    expect(bench).toContain(`at s = 2²⁰ (`);
    expect(FULL_POLICY.maxStepsPerRep).toBe(2 ** 20);
    expect(figures(bench, new RegExp(`at s = 2²⁰ \\(${num} with \`--quick\`\\)`))).toEqual([QUICK_POLICY.maxStepsPerRep]);
    expect(figures(bench, /would take more than the row budget \((\d+) s\)/)).toEqual([FULL_POLICY.rowBudgetMs / 1000]);
    const [budget, minReps, budget2] = figures(bench, /would take over (\d+) s at the step time of its first calibration call [^)]*\) gets max\((\d+), ⌊(\d+) s \/ step time⌋\)/);
    expect([budget, minReps, budget2]).toEqual([FULL_POLICY.rowBudgetMs / 1000, FULL_POLICY.minReps, FULL_POLICY.rowBudgetMs / 1000]);
    const [reps, ms, steps, quickBudget] = figures(bench, new RegExp(`(\\d+) repetitions of about (\\d+) ms \\(at most ${num} steps\\), a (\\d+) s row budget`));
    expect([reps, ms, steps, quickBudget * 1000]).toEqual([QUICK_POLICY.reps, QUICK_POLICY.targetRepMs, QUICK_POLICY.maxStepsPerRep, QUICK_POLICY.rowBudgetMs]);
  });

  it("config e's set-up and agreement, and the quick qe's", () => {
    const [batch, full, last, seed] = figures(bench, /batches of (\d+) \((\d+) and a last one of (\d+)\), He start \(seed (\d+)\)/);
    const [train, test] = figures(bench, new RegExp(`the ${num} training and ${num} test digits`));
    const lrs = /`e-sgd` \(lr (\S+)\) and `e-adam` \(lr (\S+);/.exec(bench);
    const [order] = figures(bench, /`epochOrder` of `src\/train\/fit.ts`, seed (\d+)/);
    const rtol = /epoch 1's loss within rtol (\S+) of ours-cpu's/.exec(bench);
    const [slack] = figures(bench, /epoch 1's test accuracy within (\d+) test digits of ours-cpu's/);
    expect([lrs, rtol].every(Boolean), 'README: e-sgd/e-adam lr, epoch 1 rtol').toBe(true);
    for (const c of CONFIG_E) {
      expect([c.batch, Math.floor(c.fit!.train / c.batch), c.fit!.train - (Math.ceil(c.fit!.train / c.batch) - 1) * c.batch, c.fit!.train, c.fit!.test], c.id).toEqual([batch, full, last, train, test]);
      expect([c.weights, c.fit!.shuffleSeed, c.rtol], c.id).toEqual([{ scheme: 'he', seed }, order, Number(rtol![1])]);
    }
    expect(CONFIG_E.map((c) => c.lr)).toEqual([Number(lrs![1]), Number(lrs![2])]);
    expect(slack).toBe(FIT_ACCURACY_SLACK);
    const [epochs, digits] = figures(bench, /`qe-adam` \((\d+) epochs?, (\d+) digits, rtol/);
    const qeRtol = /`qe-adam` \(\d+ epochs?, \d+ digits, rtol ([^\s,)]+)[,)]/.exec(bench)![1];
    for (const c of QUICK_E) expect([c.fit!.epochs, c.fit!.train, c.rtol], c.id).toEqual([epochs, digits, Number(qeRtol)]);
    // Which epochs the agreement compares: e-sgd's 1 … K, e-adam's 1; the quick qe's all of its epochs.
    const [sgdThrough] = figures(bench, /On e-sgd epochs 2 and (\d+) are compared the same way/);
    expect(bench).toContain('e-adam compares epoch 1 only');
    expect(CONFIG_E.map((c) => c.fit!.agreeEpochs)).toEqual([sgdThrough, 1]);
    expect(bench).toMatch(/`qe-adam` \(\d+ epochs, \d+ digits, rtol [^\s,]+, both epochs compared/);
    for (const c of QUICK_E) expect(c.fit!.agreeEpochs! >= c.fit!.epochs && c.fit!.epochs === 2, c.id).toBe(true);
  });

  it("the bench page's parameters and the configs quick=1 (or no quick) ticks", () => {
    const read = /the page reads ([^)]*?)\), a parameter given twice/.exec(bench);
    expect(read, 'README: the page reads …').not.toBeNull();
    expect(read![1]!.split(', ').map((x) => x.replace(/`/g, ''))).toEqual([...QUERY_PARAMS]);
    const ticks = /ticks the configs `npm run bench -- --quick` runs: ([^;]*); without either, ([^)]*)\)/.exec(bench);
    expect(ticks, 'README: ticks the configs …').not.toBeNull();
    const list = (text: string) => text.split(/, | and /);
    expect([list(ticks![1]!), list(ticks![2]!)]).toEqual([defaultConfigIds(true), defaultConfigIds(false)]);
  });
});
