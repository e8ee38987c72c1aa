/**
 * The `variants` part of test/dawn/run.ts: the kernels Dawn's default device never runs, against the CPU oracle.
 *
 * Dawn's SwiftShader adapter has the `subgroups` feature, so 'auto' takes shaders/matmul_subgroups.wgsl
 * (main_blocked_subgroup) and the rest of test/dawn/run.ts never reaches matmul.wgsl's own entry points. They are
 * asked for here as a user would (WebGpuBackend.create's documented `variant` option, src/webgpu/backend.ts):
 * 'blocked' (main_blocked) and 'tiled' (main_tiled, and main_tiled4 where each operand's contiguous dimension is a
 * multiple of 4), with the fused small-net kernel off so every net takes the per-kernel path. Each net's sizes are
 * not multiples of the tile, so the edge guards and clamps run; the workgroup arithmetic is beside each case. And
 * train_small.wgsl's main_tiny on a shared-bias net with reduction 'mean' and 3 examples: db = (1/n)·Σ_i Σ_c δ
 * (grad_b's shared branch), whose 1/n a batch of 1 cannot show. And matmul_subgroups.wgsl's main_subgroup in
 * workgroups narrower than a subgroup (narrowSubgroupWorkgroup: one product, exact, against the host's).
 *
 * Each net: grad, then train({steps: 5}), then (matmul variants) a 2-epoch fit with a partial last batch, against the
 * same calls on the CPU oracle. Bounds, the ones the browser tests use for the same comparisons:
 *   grad       parityBounds (test/lib/tolerance.ts), as the parity sample above and test/browser/webgpu-smoke.test.ts;
 *   train(K)   the parameters within kStepBounds and the K-th step's loss within stepLossBound (test/lib/cpu-steps.ts),
 *              as webgpu-smoke's 'train(k) in one submission' and test/browser/small-net.test.ts;
 *   fit        5e-6·steps relative, accuracies exact (test/lib/fit-compare.ts), as the optimiser part above.
 * main_tiny gets no fit: fit's nets always take the per-kernel path (src/webgpu/train.ts compiles them fused 'off'),
 * whatever the backend's fusedEntry — so main_tiny's backend also compiles and makes fit's trainer for a net 'tiny'
 * cannot take (offTakesAnyNet).
 *
 * Which entry points each net used is recorded from the backend's pipeline requests (kernels.pipeline), so the
 * test sees that the net reached the kernel it is meant for.
 */
import { Model } from '../../src/model.ts';
import { validateSpec } from '../../src/spec.ts';
import { WebGpuBackend, type KernelVariant } from '../../src/webgpu/backend.ts';
import { matmulPipeline, planMatmul } from '../../src/webgpu/matmul.ts';
import { afterStepsProblems, cpuSteps } from '../lib/cpu-steps.ts';
import { fitAgainstCpu } from '../lib/fit-compare.ts';
import { type NetCase, describeCase, randomSpec } from '../lib/random-nets.ts';
import { describeViolations, gradWithin } from '../lib/tolerance.ts';

export interface VariantResult {
  /**
   * 'blocked' / 'tiled' (matmul.wgsl through WebGpuBackend.create({ variant })), 'tiny' (WebGpuBackend.create({
   * fusedEntry: 'tiny' })), 'lanes' (the shared device's 'auto') or
   * 'subgroup' (main_subgroup's narrow workgroups on the shared device).
   */
  variant: KernelVariant | 'tiny' | 'lanes';
  net: string;
  /** Kernel entry points the net's calls asked for, as `kernel.entry`: matmul's and train_small's, sorted. */
  entries: string[];
  problems: string[];
}

/** Steps of train() and its rate (as small-net.test.ts's rateFor for 'mean'). */
const K = 5;
const LR = 0.05;

/**
 * The nets, each with fit's batch size. matmul.ts: main_blocked covers 12 rows × 8 columns an invocation, in
 * workgroups of up to 4 × 4 invocations (48 × 32 outputs); main_tiled a 64 × 64 tile per workgroup, K in steps of 16.
 * The GEMMs of a layer (src/webgpu/net.ts): forward [units, fanIn, n], backward [fanIn_next, units_next, n] (Wᵀ),
 * grad_w [units, n, fanIn] (A_prevᵀ) as [R, K, C].
 */
const CASES: { variant: 'blocked' | 'tiled'; c: NetCase; batchSize: number }[] = [
  // forward 1 [50, 13, 37]: 5 row blocks (the last 2 of 12 rows) in 2 workgroups of 4 × 4, 5 column blocks (the last
  // 5 of 8 columns); grad_w 1 [50, 37, 13]: 2 column blocks, the last 5 wide; fit: batches 16, 16, 5.
  { variant: 'blocked', batchSize: 16, c: { seed: 6101, inputs: 13, hidden: [50], outputs: 3, hiddenActivation: 'tanh', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 37 } },
  // Depth 3, shared bias: forward 1 [26, 7, 70] (3 row blocks, the last 2 rows; 9 column blocks in 3 workgroups,
  // the last 6 wide), backward 2 [9, 5, 70], grad_w 2 [9, 70, 26]; fit: batches 32, 32, 6.
  { variant: 'blocked', batchSize: 32, c: { seed: 6102, inputs: 7, hidden: [26, 9], outputs: 5, hiddenActivation: 'relu', outputActivation: 'identity', loss: 'mse', bias: 'shared', reduction: 'mean', batch: 70 } },
  // main_tiled (67, 70, 66 are not multiples of 4): forward 1 [70, 67, 66] is 2 × 2 tiles, 6 rows and 2 columns
  // past 64, K = 4·16 + 3; grad_w 1 [70, 66, 67], K = 4·16 + 2; fit: batches 40 (its grad_w main_tiled4), 26.
  { variant: 'tiled', batchSize: 40, c: { seed: 6103, inputs: 67, hidden: [70], outputs: 3, hiddenActivation: 'sigmoid', outputActivation: 'sigmoid', loss: 'bce', bias: 'shared', reduction: 'mean', batch: 66 } },
  // main_tiled4 (webgpu-smoke's 68-132-12 at 20: every contiguous dimension a multiple of 4, none of 64): forward 1
  // [132, 68, 20] is 3 row tiles (4 rows in the last), K = 4·16 + 4, 20 of 64 columns; fit: batches 8, 8, 4.
  { variant: 'tiled', batchSize: 8, c: { seed: 6104, inputs: 68, hidden: [132], outputs: 12, hiddenActivation: 'relu', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 20 } },
];

/** main_tiny and main_lanes: every width ≤ 4 and the batch ≤ 4 (src/webgpu/fused.ts tinyFits); both layers' bias shared, 'mean', n = 3. */
const TINY: NetCase = { seed: 6105, inputs: 3, hidden: [4], outputs: 2, hiddenActivation: 'tanh', outputActivation: 'sigmoid', loss: 'bce', bias: 'shared', reduction: 'mean', batch: 3 };

/** Record the matmul and train_small entry points `backend`'s nets ask for while `fn` runs. */
async function recordEntries(backend: WebGpuBackend, fn: () => Promise<string[]>): Promise<{ entries: string[]; problems: string[] }> {
  const kernels = backend.kernels;
  const own = Object.prototype.hasOwnProperty.call(kernels, 'pipeline');
  const pipeline = kernels.pipeline;
  const seen = new Set<string>();
  kernels.pipeline = function (this: typeof kernels, name, entryPoint, constants) {
    if (name === 'matmul' || name === 'train_small') seen.add(`${name}.${entryPoint}`);
    return pipeline.call(this, name, entryPoint, constants);
  };
  try {
    const problems = await fn();
    return { entries: [...seen].sort(), problems };
  } finally {
    if (own) kernels.pipeline = pipeline;
    else delete (kernels as { pipeline?: unknown }).pipeline;
  }
}

/** grad, train({steps: K}) and (with `batchSize`) fit of case `c` on `backend` against the CPU oracle: what differs. */
async function checkNet(backend: WebGpuBackend, c: NetCase, batchSize?: number): Promise<string[]> {
  const spec = randomSpec(c);
  const cpu = await cpuSteps(spec, LR, [K]);
  const problems: string[] = [];
  const report = (what: string, v: Parameters<typeof describeViolations>[0]) => {
    if (v.length > 0) problems.push(`${what}: ${describeViolations(v.slice(0, 3)).replace(/\n/g, '; ')}`);
  };
  const m = await Model.create(spec, { shared: backend });
  try {
    report('grad', gradWithin(await m.grad(), cpu.grad, cpu.bounds).violations);
    const { loss } = await m.train({ steps: K, lr: LR });
    problems.push(...afterStepsProblems(cpu.after[0]!, loss, await m.getParams()));
  } finally {
    m.dispose();
  }
  if (batchSize !== undefined) {
    const [g, o] = [await Model.create(spec, { shared: backend }), await Model.create(spec, { backend: 'cpu' })];
    try {
      const run = { batchSize, epochs: 2, optimizer: { name: 'sgd' as const, lr: LR }, shuffle: { seed: 7 } };
      const fit = await fitAgainstCpu(g, o, run, 2 * Math.ceil(c.batch / batchSize));
      problems.push(...fit.problems.map((q) => `fit: ${q}`));
    } finally {
      g.dispose();
      o.dispose();
    }
  }
  return problems;
}

/** main_subgroup's invocations per workgroup in narrowSubgroupWorkgroup: fewer than any subgroup's lanes (WebGPU: at least 4). */
const NARROW_SG_WG = 2;

/**
 * matmul_subgroups.wgsl's main_subgroup where the subgroup is wider than the workgroup — a GPU with 128-lane subgroups
 * runs the 64 invocations of matmul.ts's workgroup so — as SG_WG = 2 on SwiftShader's 4-lane subgroups: one grad_w
 * product [R, K, C] = [11, 13, 9] (K past several chunks, R and C ragged) in the plain and both-transposed layouts,
 * of small integers (every sum exact in float32) against the host's. What differs, one a line.
 */
async function narrowSubgroupWorkgroup(gpu: WebGpuBackend): Promise<string[]> {
  const [R, K, C] = [11, 13, 9];
  const problems: string[] = [];
  for (const layout of [{ transL: false, transR: false }, { transL: true, transR: true }]) {
    const plan = planMatmul('subgroup', 'grad_w', [R, K, C], 1, layout, {});
    plan.constants.SG_WG = NARROW_SG_WG;
    // matmul.ts's groups for SG_WG = 2 (8 rows, 4·SG_WG columns a workgroup), in matmul.wgsl's Dims: groups_x, total.
    const [gx, gy] = [Math.ceil(C / (4 * NARROW_SG_WG)), Math.ceil(R / 8)];
    new DataView(plan.dims).setUint32(12, gx, true);
    new DataView(plan.dims).setUint32(16, gx * gy, true);
    // lhs(r, k) and rhs(k, c) as stored: lhs K × R when transL, rhs C × K when transR.
    const lhs = Float32Array.from({ length: R * K }, (_, i) => (i % 7) - 3);
    const rhs = Float32Array.from({ length: K * C }, (_, i) => (i % 5) - 2);
    const l = (r: number, k: number) => lhs[layout.transL ? k * R + r : r * K + k]!;
    const rr = (k: number, c: number) => rhs[layout.transR ? c * K + k : k * C + c]!;
    const made: GPUBuffer[] = [];
    const buffer = (label: string, size: number, usage: GPUBufferUsageFlags, data?: Float32Array<ArrayBuffer> | ArrayBuffer): GPUBuffer => {
      const b = gpu.createBuffer(`narrow subgroup: ${label}`, size, usage | GPUBufferUsage.COPY_DST);
      made.push(b);
      if (data) gpu.device.queue.writeBuffer(b, 0, data);
      return b;
    };
    try {
      const S = GPUBufferUsage.STORAGE;
      const out = buffer('out', 4 * R * C, S | GPUBufferUsage.COPY_SRC);
      const staging = buffer('staging', 4 * R * C, GPUBufferUsage.MAP_READ);
      const bound = [buffer('dims', 32, GPUBufferUsage.UNIFORM, plan.dims), buffer('lhs', 4 * R * K, S, lhs), buffer('rhs', 4 * K * C, S, rhs), buffer('aux', 16, S), out, buffer('out2', 16, S)];
      const bindGroup = gpu.device.createBindGroup({
        label: 'narrow subgroup: matmul', layout: gpu.kernels.layouts.matmul, entries: bound.map((b, binding) => ({ binding, resource: { buffer: b } })),
      });
      const encoder = gpu.device.createCommandEncoder({ label: 'narrow subgroup' });
      const pass = encoder.beginComputePass({ label: 'narrow subgroup: main_subgroup' });
      pass.setPipeline(matmulPipeline(gpu, plan));
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(gx * gy);
      pass.end();
      encoder.copyBufferToBuffer(out, 0, staging, 0, 4 * R * C);
      gpu.device.queue.submit([encoder.finish()]);
      await gpu.mapRead(staging);
      const got = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      const wrong: string[] = [];
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < C; c++) {
          let want = 0;
          for (let k = 0; k < K; k++) want += l(r, k) * rr(k, c);
          if (got[r * C + c] !== want) wrong.push(`[${r}][${c}] ${got[r * C + c]} (want ${want})`);
        }
      }
      if (wrong.length > 0) problems.push(`transL ${layout.transL}, transR ${layout.transR}: ${wrong.length} of ${R * C} wrong, ${wrong.slice(0, 3).join(', ')}`);
    } finally {
      for (const b of made) gpu.destroyBuffer(b);
    }
  }
  return problems;
}

/**
 * fused 'off' on a backend made with fusedEntry 'tiny': no net runs fused, so the entry point asks nothing of the net.
 * A net 'tiny' cannot take (13-50-3 at 37) compiles fused 'off' to the per-kernel path, and fit's trainer (which
 * compiles its nets fused 'off', src/webgpu/train.ts) is made for it. What differs, as strings (outside
 * recordEntries: its per-kernel pipelines are not main_tiny's).
 */
function offTakesAnyNet(tiny: WebGpuBackend): string[] {
  const spec = randomSpec(CASES[0].c);
  const { net, batch } = validateSpec(spec);
  const problems: string[] = [];
  const attempt = (what: string, make: () => { dispose(): void; runKind?: string }): void => {
    try {
      const made = make();
      if (made.runKind !== undefined && made.runKind !== 'kernels') problems.push(`${what}: runKind ${made.runKind}`);
      made.dispose();
    } catch (err) {
      problems.push(`${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    }
  };
  attempt(`fusedEntry 'tiny', compile fused 'off' of ${describeCase(CASES[0].c)}`, () => tiny.compile(net, batch!.n, { fused: 'off' }));
  attempt(`fusedEntry 'tiny', fit's trainer (batch size 16) of ${describeCase(CASES[0].c)}`, () => tiny.trainer(net, 16, 'sgd'));
  return problems;
}

/**
 * Every case: the matmul variants on their own backends (disposed here), main_tiny on `shared` (the default device),
 * and main_subgroup in workgroups narrower than a subgroup on `shared` (which has `subgroups`).
 */
export async function variantChecks(shared: WebGpuBackend): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (const variant of ['blocked', 'tiled'] as const) {
    const backend = await WebGpuBackend.create({ variant, fused: 'off' });
    try {
      for (const { c, batchSize } of CASES.filter((k) => k.variant === variant)) {
        const r = await recordEntries(backend, () => checkNet(backend, c, batchSize));
        if (backend.variant !== variant) r.problems.push(`the backend took '${backend.variant}' kernels`);
        results.push({ variant, net: describeCase(c), ...r });
      }
    } finally {
      backend.dispose();
    }
  }
  // main_tiny asked for (the default device has `subgroups`, so 'auto' takes main_lanes there: the next line).
  const tiny = await WebGpuBackend.create({ fusedEntry: 'tiny' });
  try {
    const r = await recordEntries(tiny, () => checkNet(tiny, TINY));
    r.problems.push(...offTakesAnyNet(tiny));
    results.push({ variant: 'tiny', net: describeCase(TINY), ...r });
  } finally {
    tiny.dispose();
  }
  results.push({ variant: 'lanes', net: describeCase(TINY), ...await recordEntries(shared, () => checkNet(shared, TINY)) });
  results.push({ variant: 'subgroup', net: `[11, 13, 9] in workgroups of ${NARROW_SG_WG}`, ...await recordEntries(shared, () => narrowSubgroupWorkgroup(shared)) });
  return results;
}

/**
 * The public way to pick the kernels: Model.create's `webgpuVariant` (src/backends.ts) makes a backend with them, a
 * net's GEMMs take them (main_tiled on 67-70-3 at 66, recorded as above; grad and train(5) against the CPU oracle),
 * and rebuild() without options keeps them. What differs, as strings.
 */
export async function webgpuVariantOption(): Promise<string[]> {
  const c = CASES.find((k) => k.variant === 'tiled')!.c;
  const m = await Model.create(randomSpec(c), { backend: 'webgpu', webgpuVariant: 'tiled' });
  let rebuilt: Model | undefined;
  try {
    const backend = m.backend as WebGpuBackend;
    const problems: string[] = [];
    if (backend.variant !== 'tiled') problems.push(`variant: ${backend.variant}`);
    if (!backend.description.endsWith(', tiled kernels')) problems.push(`description: ${backend.description}`);
    const r = await recordEntries(backend, () => checkNet(backend, c));
    problems.push(...r.problems);
    if (!r.entries.includes('matmul.main_tiled')) problems.push(`entries: ${r.entries.join(', ')}`);
    rebuilt = await m.rebuild();
    if ((rebuilt.backend as WebGpuBackend).variant !== 'tiled') problems.push(`rebuild(): ${(rebuilt.backend as WebGpuBackend).variant}`);
    return problems;
  } finally {
    m.dispose();
    rebuilt?.dispose();
  }
}
