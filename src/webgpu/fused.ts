/**
 * The fused small-net path: shaders/train_small.wgsl runs whole SGD steps of a small net in one dispatch.
 * This file holds what the host needs to know about it — when a net counts as small, the packed `acts`
 * layout, and the net description (the shader's `Desc` uniform block) — so that ./net.ts only wires buffers.
 *
 * When: the per-kernel path costs ~10 dispatches a step whatever the net's size (15–25 µs each on SwiftShader);
 * the fused kernel costs its arithmetic, done by one workgroup. So the fused kernel wins below some amount of
 * arithmetic per step, counted as
 *   work = Σ_l units_l · fanIn_l · n       (the forward pass's multiply-adds; backward and grads are ~2× more)
 * and 'auto' uses it when work ≤ fusedThreshold(…) and the net fits (fusedFits: depth ≤ 4, and its whole state
 * in workgroup memory: fusedCapacity, 4096 floats on SwiftShader, the device's limit elsewhere).
 */
import type { Net } from '../spec.ts';
import { biasLength, paramCount } from '../spec.ts';
import { ACT_CODE, BIAS_CODE, LOSS_CODE } from './kernels.ts';

/**
 * Which entry point of train_small.wgsl: one invocation, one workgroup, one invocation with the whole net in
 * registers as 4×4 matrices held by rows (main_tiny: every width and the batch ≤ 4, see tinyFits), or the same nets
 * on four invocations, one example each (main_lanes, shaders/train_lanes.wgsl: needs the `subgroups` feature).
 */
export const FUSED_ENTRIES = ['single', 'group', 'tiny', 'lanes'] as const;
export type FusedEntry = typeof FUSED_ENTRIES[number];

/** The entry points for nets that tinyFits, sharing their constants (tinyConstants) and steps a dispatch. */
export const isTinyEntry = (entry: FusedEntry | 'auto'): entry is 'tiny' | 'lanes' => entry === 'tiny' || entry === 'lanes';

/** The LimitError message for 'lanes' where the device has no `subgroups`. */
export const LANES_NEED_SUBGROUPS = "'lanes' needs an adapter with the 'subgroups' feature; this one has none";

/** 'auto': fused for nets at or under the threshold; 'off': never; 'on': every net the kernel can take (tests, measurements). */
export const FUSED_MODES = ['auto', 'off', 'on'] as const;
export type FusedMode = typeof FUSED_MODES[number];

/** Layers the net description has room for (MAX_LAYERS in the WGSL; the step is unrolled over them). */
const FUSED_MAX_LAYERS = 4;

/**
 * main_group's workgroup size. SwiftShader runs a workgroup as SIMD groups of 4 lanes on one thread and
 * switches between the groups at every barrier: 4 (one SIMD group) measured fastest there — 2.6× one
 * invocation on a 4-8-8-3 net at batch 32, and 3.4× a workgroup of 16 on the 2-2-1 net. 64 on real GPUs.
 */
export function fusedWorkgroupSize(swiftshader: boolean): number {
  return swiftshader ? 4 : 64;
}

/**
 * Largest `work` (Σ units·fanIn·n) for which 'auto' uses the fused kernel.
 *
 * NOTE: measured on SwiftShader (Chromium, 2 CPU cores shared with other jobs, so ±30 %): steps/s of train(k)
 * plus one loss read, k grown until a run takes ≥ 0.3 s; the per-kernel 'blocked' path against the fused kernel
 * (not re-measured against 'blocked-subgroup', ≤ 1.3× faster per product: nets this small are dispatch-bound)
 * (capacity raised to 8192 floats for the measurement); tanh hidden layers, identity output, mse; two runs:
 *   net, batch           work    per-kernel       main_group (4)     main_single
 *   2-2-1, 1                6   3 900–4 800    157 000–173 000   164 000–179 000
 *   4-8-8-3, 32         3 840   1 950–2 210      7 700–7 900       1 900–2 550
 *   2-32-1, 64          6 144   2 310–2 410      3 880–4 070       1 130–1 190
 *   16-16-16-16-16, 12 12 288         1 515            3 000                 820
 *   1-64-64-1, 4       16 896   1 200–1 500        910–2 030         380–650
 *   16-32-1, 32        17 408   1 770–2 370      2 480–2 750         850–890
 *   64-32-4, 8         17 408   2 000–2 290      2 920–2 970         800–950
 *   4-16-16-1, 64      21 504   1 770–1 890      1 650–1 710         450–540
 *   8-48-48-4, 8       23 040   1 050–1 300      1 600–1 650         460–540
 *   32-32-32, 16       32 768   1 560–1 570      1 270–1 360         425–430
 * main_group (4) stops winning between work ≈ 1.7·10⁴ and 2.5·10⁴ (it depends on the shape), so it switches
 * at 12 288 (≥ 2× faster there); main_single, ~3× slower, at 2 048. Real GPUs (main_group, 64 invocations): not
 * measured (no GPU in this environment); 65 536 is an estimate (a dispatch costs a few µs there rather than 20,
 * but 64 lanes work instead of 4) — in practice their workgroup memory (8192 floats) caps a fused net first.
 */
export function fusedThreshold(entry: FusedEntry, swiftshader: boolean): number {
  if (entry === 'single') return 2_048;
  return swiftshader ? 12_288 : 65_536;
}

/**
 * The entry point 'auto' gives a net that tinyFits: main_lanes (four invocations, one example each) where the
 * device has the `subgroups` feature, main_tiny (one invocation) where not.
 */
export function tinyEntryFor(subgroups: boolean): 'lanes' | 'tiny' {
  return subgroups ? 'lanes' : 'tiny';
}

/** main_tiny's matrices are mat4x4f: inputs, every layer's units and the batch at most this. */
const TINY_MAX = 4;

/**
 * Can main_tiny (and main_lanes) take this net: at most FUSED_MAX_LAYERS layers, inputs, units and n all ≤ TINY_MAX.
 * 'auto' picks one of them (tinyEntryFor) for every such net on any adapter: a step as register arithmetic beats a
 * workgroup that synchronises at every phase (on SwiftShader the 2-2-1 step at batch 4: ~3.5× main_group (4) for the
 * first main_tiny, one run, see train_tiny.wgsl); on a GPU a lecture-sized step has no parallelism worth a barrier
 * either.
 */
export function tinyFits(net: Net, n: number): boolean {
  return net.layers.length <= FUSED_MAX_LAYERS && n <= TINY_MAX && net.inputs <= TINY_MAX && net.layers.every((l) => l.units <= TINY_MAX);
}

/**
 * main_tiny's override constants for a net that tinyFits: depth, each layer's activation code, the loss code, the
 * inputs, each layer's units and bias mode (a missing layer's 1 unit, no bias: its code never runs).
 */
export function tinyConstants(net: Net): Record<string, number> {
  const act = (l: number): number => (l < net.layers.length ? ACT_CODE[net.layers[l].activation] : 0);
  const units = (l: number): number => (l < net.layers.length ? net.layers[l].units : 1);
  const bias = (l: number): number => (l < net.layers.length ? BIAS_CODE[net.layers[l].bias] : 0);
  return {
    TINY_LAYERS: net.layers.length, TINY_ACT1: act(0), TINY_ACT2: act(1), TINY_ACT3: act(2), TINY_ACT4: act(3), TINY_LOSS: LOSS_CODE[net.loss],
    TINY_IN: net.inputs, TINY_UNITS1: units(0), TINY_UNITS2: units(1), TINY_UNITS3: units(2), TINY_UNITS4: units(3),
    TINY_BIAS1: bias(0), TINY_BIAS2: bias(1), TINY_BIAS3: bias(2), TINY_BIAS4: bias(3),
  };
}

/** Σ_l units_l · fanIn_l · n: the forward pass's multiply-adds per step. */
export function fusedWork(net: Net, n: number): number {
  return net.layers.reduce((sum, layer) => sum + layer.units * layer.fanIn, 0) * n;
}

/**
 * Work per dispatch before a run is split into several dispatches (each still a loop of steps), counting a
 * step as 3·work (forward, backward, grads) + 2048 (its fixed cost: ~5 µs on SwiftShader, ~ that many
 * multiply-adds). Keeps a dispatch around 10–50 ms on SwiftShader whatever `steps` (no GPU watchdog trips), while
 * the extra dispatches (~20–30 µs each: launch, zeroing workgroup memory, copies in and out) cost < 1 %.
 */
const FUSED_DISPATCH_WORK = 1 << 22;

/**
 * Steps one dispatch runs at most (≥ 1). main_tiny's and main_lanes' step, counted as 128: 32 768 steps a dispatch
 * (config a's 2-2-1 step ~0.12 µs on SwiftShader with main_lanes: ~4 ms a dispatch, where 8 192 steps, ~1 ms, lost
 * 3–5 % to the dispatches: `npm run bench -- --configs a --systems ours-webgpu`, three alternating pairs,
 * 2026-12-06 ~00:00 UTC, 8.93 / 8.82 / 8.41 against 8.67 / 8.38 / 8.17 M steps/s).
 */
export function fusedStepsPerDispatch(net: Net, n: number, entry: FusedEntry = 'group'): number {
  if (isTinyEntry(entry)) return FUSED_DISPATCH_WORK / 128;
  return Math.max(1, Math.floor(FUSED_DISPATCH_WORK / (3 * fusedWork(net, n) + 2048)));
}

/** Offsets (in floats) of everything in the packed `acts` buffer. */
export interface ActsLayout {
  X: number;
  Y: number;
  Z: number[];
  A: number[];
  delta: number[];
  lossPerExample: number;
  loss: number;
  /** Total floats. */
  size: number;
}

export function actsLayout(net: Net, n: number): ActsLayout {
  let cursor = 0;
  const take = (floats: number): number => {
    const at = cursor;
    cursor += floats;
    return at;
  };
  const X = take(net.inputs * n);
  const Y = take(net.layers[net.layers.length - 1].units * n);
  const Z: number[] = [];
  const A: number[] = [];
  const delta: number[] = [];
  for (const layer of net.layers) {
    Z.push(take(layer.units * n));
    A.push(take(layer.units * n));
    delta.push(take(layer.units * n));
  }
  const lossPerExample = take(n);
  const loss = take(1);
  return { X, Y, Z, A, delta, lossPerExample, loss, size: cursor };
}

/**
 * The most workgroup memory (in floats) a fused net may use: the device's maxComputeWorkgroupStorageSize / 4,
 * but at most 4096 on SwiftShader.
 * NOTE: SwiftShader's pipeline compile time grows faster than linearly with the size of a workgroup array
 * (measured for a minimal shader: 256 floats 0.1 s, 1024 0.25 s, 2048 0.7 s, 4096 1.6 s, 8192 4–6 s, paid again
 * on every new device): 4096 keeps the worst first-use cost near 2 s. Hence also fusedCap's size classes.
 */
export function fusedCapacity(maxWorkgroupStorageBytes: number, swiftshader: boolean): number {
  const device = Math.floor(maxWorkgroupStorageBytes / 4);
  return swiftshader ? Math.min(4096, device) : device;
}

/** Floats of workgroup memory a net needs: acts, then the packed parameters. */
function fusedNeed(net: Net, n: number): number {
  return actsLayout(net, n).size + paramCount(net); // every W_l and b_l, packed without padding
}

/** The shader's CAP for a net: its need rounded up to a power of two, at least 256 (one pipeline per size class). */
export function fusedCap(net: Net, n: number): number {
  return Math.max(256, 2 ** Math.ceil(Math.log2(fusedNeed(net, n))));
}

/** Can train_small.wgsl take this net at all: at most FUSED_MAX_LAYERS layers, and acts + params fit in its CAP? */
export function fusedFits(net: Net, n: number, capacity: number): boolean {
  return net.layers.length <= FUSED_MAX_LAYERS && fusedCap(net, n) <= capacity;
}

/** Byte size of the WGSL `Desc` struct: 12 u32 of header, then FUSED_MAX_LAYERS `Layer`s of 12 u32. */
export const DESC_BYTES = 4 * 12 * (1 + FUSED_MAX_LAYERS);
/** Byte offset of the run fields (steps, lr, scale, update), rewritten by every run that changes them. */
export const DESC_RUN_OFFSET = 12;

/**
 * The `Desc` block for `net` on batches of n, with steps = 0 and lr = 0 (the run fields are written per run).
 * wOff / bOff are byte offsets in the params buffer (as ./net.ts lays it out); in workgroup memory the
 * parameters follow the acts part, packed: W_1 b_1 W_2 b_2 …
 */
export function fusedDesc(net: Net, n: number, scale: number, wOff: number[], bOff: number[], acts: ActsLayout): ArrayBuffer {
  const buf = new ArrayBuffer(DESC_BYTES);
  const v = new DataView(buf);
  const u32 = (word: number, value: number): void => v.setUint32(4 * word, value, true);
  u32(0, net.layers.length);
  u32(1, n);
  u32(2, LOSS_CODE[net.loss]);
  u32(3, 0); // steps
  v.setFloat32(16, 0, true); // lr
  v.setFloat32(20, scale, true);
  u32(6, 0); // update
  u32(7, acts.Y);
  u32(8, acts.lossPerExample);
  u32(9, acts.loss);
  u32(10, acts.Z[0]); // in_end: X and Y come first
  u32(11, acts.size); // acts_end
  let mem = acts.size;
  net.layers.forEach((layer, l) => {
    const base = 12 * (l + 1);
    u32(base + 0, layer.units);
    u32(base + 1, layer.fanIn);
    u32(base + 2, ACT_CODE[layer.activation]);
    u32(base + 3, BIAS_CODE[layer.bias]);
    u32(base + 4, mem);
    mem += layer.units * layer.fanIn;
    u32(base + 5, mem);
    mem += biasLength(layer);
    u32(base + 6, l === 0 ? acts.X : acts.A[l - 1]);
    u32(base + 7, acts.Z[l]);
    u32(base + 8, acts.A[l]);
    u32(base + 9, acts.delta[l]);
    u32(base + 10, wOff[l] / 4);
    u32(base + 11, bOff[l] / 4);
  });
  return buf;
}

/** The run fields of `Desc` (steps, lr, scale, update) as written at DESC_RUN_OFFSET. */
export function fusedRunFields(steps: number, lr: number, scale: number, update: boolean): ArrayBuffer {
  const buf = new ArrayBuffer(16);
  const v = new DataView(buf);
  v.setUint32(0, steps, true);
  v.setFloat32(4, lr, true);
  v.setFloat32(8, scale, true);
  v.setUint32(12, update ? 1 : 0, true);
  return buf;
}
