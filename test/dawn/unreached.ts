/**
 * The `unreached` part of test/dawn/run.ts: kernel code the rest of the Dawn run never executes, found by a mutation
 * audit of the WGSL shaders and src/webgpu (one textual change at a time — a dropped scale, a removed phase, a stride
 * halved — run through test/dawn/run.ts; these mutants went through it green). Against the CPU oracle or exact values:
 * - train_small.wgsl's main_single (fusedEntry 'single': the default device never picks it) and main_group in
 *   workgroups of 64 (a real GPU's size; SwiftShader's default of 4 is one SIMD group, where a missing barrier
 *   cannot show);
 * - train_tiny.wgsl's main_tiny (fusedEntry 'tiny') on the branches test/dawn/variants.ts's tanh / sigmoid, shared-bias
 *   net leaves out: per-unit and no bias, relu, identity, softmax, mse, depth 3, reduction 'sum';
 * - main_lanes' and main_tiny's example mask on a hidden A, where a padded example's unmasked A overflows the next Z;
 * - max_abs.wgsl over more than one invocation's 64 vec4s, the largest |θ| in a vec4 the second half of the stride
 *   reaches and in its y component (the host's maxAbsOf of the parameters read back, exactly: the kernel only
 *   compares bit patterns);
 * - a dispatch folded into 2-D (more than 65 535 workgroups): reduce_rows.wgsl's db of a 65 537-unit layer.
 * Each fused net: grad, then K steps of SGD, through backend.compile with the entry point asked for (Model has no per-net
 * option), as test/browser/small-net.test.ts runs them in the browser. Bounds: the grad's parityBounds and train(K)'s
 * kStepBounds / stepLossBound (test/lib/cpu-steps.ts), as test/dawn/variants.ts's checkNet.
 */
import { maxAbsOf } from '../../src/backend.ts';
import { initParams } from '../../src/init.ts';
import { Model } from '../../src/model.ts';
import type { CompileOptions, WebGpuBackend } from '../../src/webgpu/backend.ts';
import { type NetworkSpec, validateSpec } from '../../src/spec.ts';
import { afterStepsProblems, cpuSteps } from '../lib/cpu-steps.ts';
import { type NetCase, describeCase, randomSpec } from '../lib/random-nets.ts';
import { describeViolations, gradWithin, parityBounds } from '../lib/tolerance.ts';

/** Steps of the run and its rate (as variants.ts). */
const K = 5;
const LR = 0.05;

/** main_single (both) and main_group (64: the second): depth 3, shared and per-unit bias, mse and softmax; batches not a multiple of 4 or 64. */
const FUSED: NetCase[] = [
  { seed: 7101, inputs: 5, hidden: [9, 6], outputs: 2, hiddenActivation: 'sigmoid', outputActivation: 'identity', loss: 'mse', bias: 'shared', reduction: 'mean', batch: 11 },
  { seed: 7102, inputs: 3, hidden: [7, 5], outputs: 4, hiddenActivation: 'relu', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 13 },
];

/** main_tiny (every width and the batch ≤ 4) on what variants.ts's TINY (tanh / sigmoid, bce, shared) leaves out. */
const TINY: NetCase[] = [
  { seed: 7103, inputs: 2, hidden: [3], outputs: 3, hiddenActivation: 'relu', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 4 },
  { seed: 7104, inputs: 4, hidden: [2, 3], outputs: 2, hiddenActivation: 'identity', outputActivation: 'sigmoid', loss: 'mse', bias: 'none', reduction: 'sum', batch: 3 },
];

/**
 * main_lanes' padded lanes and main_tiny's padded columns (examples c ≥ n, X and Y zero): a hidden A is multiplied by
 * the example mask (train_lanes.wgsl lane_step, train_tiny.wgsl rows_mask), so a padded
 * lane's Z is its bias alone. Here that matters: one example of 1-1-1 relu / identity mse, b_1 = 3e38 and W_1 = −3.4e38
 * (the real example's z_1 = −4e37, a_1 = 0), W_2 = 10: unmasked, a padded lane's z_2 = 10·3e38 = ∞ and its δ_L = ∞·0 =
 * NaN, summed into dW_2 and db_2 by subgroupAdd. Finite and the CPU's with the mask.
 */
const PADDED: NetworkSpec = {
  inputs: 1, layers: [{ units: 1, activation: 'relu' }, { units: 1, activation: 'identity' }], loss: 'mse',
  params: { W: [[[-3.4e38]], [[10]]], b: [[3e38], [0.5]] }, x: [[1]], y: [[0.25]],
};

/** grad, then K steps, of `spec` (`name` in what it returns) compiled on `gpu` with `options`, against the CPU oracle: what differs. */
async function checkCompiled(gpu: WebGpuBackend, spec: NetworkSpec, name: string, options: CompileOptions, entry: string): Promise<string[]> {
  const { net, params, batch } = validateSpec(spec);
  const cpu = await cpuSteps(spec, LR, [K]);
  const wg = gpu.compile(net, batch!.n, options);
  const problems: string[] = [];
  const report = (what: string, v: Parameters<typeof describeViolations>[0]) => {
    if (v.length > 0) problems.push(`${what}: ${describeViolations(v.slice(0, 3)).replace(/\n/g, '; ')}`);
  };
  try {
    if (wg.fusedEntry !== entry) problems.push(`ran ${wg.runKind} ${wg.fusedEntry}, not ${entry}`);
    wg.writeParams(params!);
    wg.writeBatch(batch!);
    wg.run(1, 0, false);
    const r = await wg.read({ loss: true, Z: true, A: true, delta: true, grads: true });
    report('grad', gradWithin({ loss: r.loss!, Z: r.Z!, A: r.A!, delta: r.delta!, dW: r.dW!, db: r.db! }, cpu.grad, cpu.bounds).violations);
    wg.writeParams(params!);
    wg.run(K, LR, true);
    const t = await wg.read({ loss: true, params: true });
    problems.push(...afterStepsProblems(cpu.after[0]!, t.loss!, t.params!));
  } finally {
    wg.dispose();
  }
  return problems.map((p) => `${entry} ${name}: ${p}`);
}

/**
 * max_abs.wgsl on a 1-300-1 net (W_1, b_1, W_2 each 75 vec4s in 80-vec4 blocks, b_2 one block: 256 vec4s, one
 * workgroup of 64 invocations, each looping with stride 64): the largest |θ|, −7.5, put at W_1[281] — vec4 70,
 * component y — then in W_2's last vec4 (w) and b_2 (x). lr 0: the run's update
 * leaves every parameter as written, so the kernel's max is maxAbsOf of them, exactly. What differs.
 */
async function maxAbsReach(gpu: WebGpuBackend): Promise<string[]> {
  const spec = { inputs: 1, layers: [{ units: 300, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', x: [[0.5]], y: [[1]] };
  const { net, batch } = validateSpec(spec);
  const params = initParams(net, 'xavier', 3);
  const problems: string[] = [];
  // [layer, W or b, index]: vec4 70 of the buffer (y), W_2's vec4 225 (w), b_2 (vec4 240, x).
  const places: [number, 'W' | 'b', number][] = [[0, 'W', 281], [1, 'W', 263], [1, 'b', 0]];
  {
    const wg = gpu.compile(net, batch!.n);
    try {
      wg.writeBatch(batch!);
      for (const [l, which, i] of places) {
        const p = { W: params.W.map((w) => w.slice()), b: params.b.map((b) => b.slice()) };
        p[which][l]![i] = -7.5;
        wg.writeParams(p);
        wg.run(1, 0, true);
        const r = await wg.read({ maxAbs: true, params: true });
        if (r.maxAbs !== maxAbsOf(r.params!) || r.maxAbs !== 7.5) problems.push(`max_abs, −7.5 at ${which}${l + 1}[${i}]: max |θ| ${r.maxAbs}, the parameters' ${maxAbsOf(r.params!)}`);
      }
    } finally {
      wg.dispose();
    }
  }
  return problems;
}

/**
 * A dispatch folded into 2-D (src/webgpu/matmul.ts fold: past 65 535 workgroups in x, y > 1), which every kernel
 * turns back into a linear index `wid.y·nwg.x + wid.x` and guards against the total: reduce_rows.wgsl's db over a
 * 65 537-unit layer, one workgroup a row (65 535 × 2 dispatched), on the per-kernel path, against the CPU oracle's
 * grad within the parity bounds. The other kernels fold only past a million outputs a GEMM. What differs.
 */
async function foldedDispatch(gpu: WebGpuBackend): Promise<string[]> {
  const units = 65_537;
  const spec = {
    inputs: 1, layers: [{ units, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', x: [[0.5], [-1]], y: [[1], [0.25]],
    params: { W: [Array.from({ length: units }, (_, i) => [Math.sin(i)]), [Array.from({ length: units }, (_, i) => Math.cos(i) / 256)]], b: [Array.from({ length: units }, (_, i) => 0.1 * Math.sin(3 * i)), [0.5]] },
  };
  const { net, params, batch } = validateSpec(spec);
  const [c, g] = [await Model.create(spec, { backend: 'cpu' }), await Model.create(spec, { shared: gpu })];
  try {
    const cpu = await c.grad();
    const b = parityBounds(net, params!, batch!.X, batch!.Y, batch!.n, cpu);
    const v = gradWithin(await g.grad(), cpu, b).violations;
    return v.length > 0 ? [`folded dispatch, ${units} units: ${describeViolations(v.slice(0, 3)).replace(/\n/g, '; ')}`] : [];
  } finally {
    c.dispose();
    g.dispose();
  }
}

/** Every check above on `shared` (the default device): what differs, one a line. */
export async function unreachedChecks(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  for (const c of FUSED) problems.push(...await checkCompiled(shared, randomSpec(c), describeCase(c), { fused: 'on', fusedEntry: 'single' }, 'single'));
  // The relu / softmax net: ~7 units an invocation's share of 64 at each phase, so a barrier left out shows.
  problems.push(...await checkCompiled(shared, randomSpec(FUSED[1]!), describeCase(FUSED[1]!), { fused: 'on', fusedEntry: 'group', fusedWorkgroup: 64 }, 'group'));
  for (const c of TINY) problems.push(...await checkCompiled(shared, randomSpec(c), describeCase(c), { fused: 'on', fusedEntry: 'tiny' }, 'tiny'));
  for (const entry of ['lanes', 'tiny'] as const) problems.push(...await checkCompiled(shared, PADDED, '1-1-1 relu/identity mse, b1 3e38', { fused: 'on', fusedEntry: entry }, entry));
  problems.push(...await maxAbsReach(shared));
  problems.push(...await foldedDispatch(shared));
  return problems;
}
