/**
 * GPU time and per-kernel costs of ours-webgpu, measured from outside the engine (src/webgpu is not touched):
 * the bench page (and the Dawn runner in Node, bench/dawn.ts) wraps a few WebGPU methods before any device exists.
 * The wrappers act on ours-webgpu's devices (each made inside probedDevice: one per kernel variant a run asks for), and, but for their bind groups, only while
 * `armed` (during one of its timed or profiled calls, `probed`):
 *
 *  - requestDevice, inside probedDevice only: adds 'timestamp-query' to the required features when the adapter has
 *    it, and takes the device as the probe's;
 *  - createBindGroup on the probe's device: remembers each bind group's bytes (the profile's column);
 *  - createCommandEncoder on the probe's device, while armed: remembers the encoder;
 *  - beginComputePass on such an encoder: adds timestampWrites (begin and end of the pass) → GPU time of a run;
 *    in `profile` mode it instead returns a stand-in that puts every dispatch in a pass of its own, with its
 *    own timestamps, labelled by its bind group (the engine labels bind groups by dispatch: "forward layer 1");
 *  - dispatchWorkgroups on such a pass: counts it (in profile mode too: the stand-in's own passes count once each);
 *  - finish: resolves the encoder's timestamps into a buffer, read after the run (the run's own loss readback
 *    has already waited for the GPU, so reading them adds nothing to the timed region).
 * Every other call — TF.js's and jax-js's, and ours while not armed — goes straight through (one flag or device
 * check). Their devices get no feature from the probe: both request 'timestamp-query' themselves where the adapter
 * has it (TF.js 4.22 for tf.time, jax-js 0.1.25 for its traces), page or not. Passes already carrying
 * timestampWrites are left alone.
 * Chromium quantises timestamps (to 100 µs) unless started with --enable-webgpu-developer-features (bench/run.ts does).
 */

export interface KernelSample {
  label: string;
  pipeline: string;
  /** Bytes of every buffer range bound (inputs and outputs): an upper bound of the bytes it moves. */
  bytes: number;
  workgroups: number;
  ns: number;
}

interface Slot {
  label: string;
  pipeline: string;
  bytes: number;
  workgroups: number;
}

const CAPACITY = 4096; // queries per set (2 per pass)

class Timer {
  readonly querySet: GPUQuerySet;
  readonly resolve: GPUBuffer;
  readonly readback: GPUBuffer;
  slots: Slot[] = [];

  constructor(readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ label: 'bench timestamps', type: 'timestamp', count: CAPACITY });
    this.resolve = device.createBuffer({ label: 'bench timestamps resolved', size: CAPACITY * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.readback = device.createBuffer({ label: 'bench timestamps readback', size: CAPACITY * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  /** The next pair of queries, or null when full. */
  take(slot: Slot): GPUComputePassTimestampWrites | null {
    if (2 * (this.slots.length + 1) > CAPACITY) return null;
    const k = this.slots.length;
    this.slots.push(slot);
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * k, endOfPassWriteIndex: 2 * k + 1 };
  }

  async collect(): Promise<KernelSample[]> {
    const count = this.slots.length;
    if (count === 0) return [];
    const enc = this.device.createCommandEncoder({ label: 'bench timestamps copy' });
    enc.copyBufferToBuffer(this.resolve, 0, this.readback, 0, count * 16);
    this.device.queue.submit([enc.finish()]);
    await this.readback.mapAsync(GPUMapMode.READ, 0, count * 16);
    const t = new BigUint64Array(this.readback.getMappedRange(0, count * 16).slice(0));
    this.readback.unmap();
    const out = this.slots.map((s, k) => ({ ...s, ns: Number(t[2 * k + 1] - t[2 * k]) }));
    this.slots = [];
    return out;
  }
}

const state = {
  installed: false,
  armed: false,
  profile: false,
  dispatches: 0,
  /** probedDevice calls under way: a device requested now is the probe's. */
  claiming: 0,
  /** ours-webgpu's devices (one per kernel variant a run asks for: --webgpu-variants): the only ones the wrappers act on. */
  devices: new WeakSet<GPUDevice>(),
  timers: new WeakMap<GPUDevice, Timer>(),
  /** The timers of the armed run's passes: probed collects them. */
  used: new Set<Timer>(),
  /** The probe's devices' encoders made while armed (with their device), and their passes. */
  encoders: new WeakMap<GPUCommandEncoder, GPUDevice>(),
  passes: new WeakSet<GPUComputePassEncoder>(),
  encodersWithTimes: new WeakSet<GPUCommandEncoder>(),
  bindGroupBytes: new WeakMap<GPUBindGroup, number>(),
};

/** A probe's device's timer, or null without one or without timestamp-query. */
function timer(device: GPUDevice | undefined): Timer | null {
  if (!device || !device.features.has('timestamp-query')) return null;
  let t = state.timers.get(device);
  if (!t) state.timers.set(device, (t = new Timer(device)));
  return t;
}

/**
 * Make ours-webgpu's backend: the device requested while `make` runs becomes one of the probe's (with 'timestamp-query'
 * added when the adapter has it), beside any earlier one (a backend per kernel variant: --webgpu-variants). Nothing
 * else may request a device meanwhile (the page and the Node driver make theirs one at a time).
 */
export async function probedDevice<T>(make: () => Promise<T>): Promise<T> {
  installGpuProbe();
  state.claiming++;
  try {
    return await make();
  } finally {
    state.claiming--;
  }
}

/** Install the wrappers (idempotent). Must run before the engine requests its device. */
export function installGpuProbe(): void {
  if (state.installed || typeof GPUAdapter === 'undefined') return;
  state.installed = true;
  const adapterProto = GPUAdapter.prototype;
  const requestDevice = adapterProto.requestDevice;
  adapterProto.requestDevice = function (this: GPUAdapter, desc?: GPUDeviceDescriptor) {
    if (state.claiming === 0) return requestDevice.call(this, desc);
    if (this.features.has('timestamp-query')) {
      const required = new Set([...(desc?.requiredFeatures ?? []), 'timestamp-query' as GPUFeatureName]);
      desc = { ...desc, requiredFeatures: [...required] };
    }
    return requestDevice.call(this, desc).then((device) => {
      state.devices.add(device);
      return device;
    });
  };
  const deviceProto = GPUDevice.prototype;
  const createCommandEncoder = deviceProto.createCommandEncoder;
  deviceProto.createCommandEncoder = function (this: GPUDevice, desc?: GPUCommandEncoderDescriptor) {
    const enc = createCommandEncoder.call(this, desc);
    if (state.armed && state.devices.has(this)) state.encoders.set(enc, this);
    return enc;
  };
  const createBindGroup = deviceProto.createBindGroup;
  deviceProto.createBindGroup = function (this: GPUDevice, desc: GPUBindGroupDescriptor) {
    const bg = createBindGroup.call(this, desc);
    if (!state.devices.has(this)) return bg;
    // ours' bind groups are made when a net is built (not armed), and profiled later: their bytes are kept now.
    let bytes = 0;
    for (const e of desc.entries) {
      const r = e.resource as GPUBufferBinding;
      if (r && typeof r === 'object' && 'buffer' in r) bytes += r.size ?? r.buffer.size - (r.offset ?? 0);
    }
    state.bindGroupBytes.set(bg, bytes);
    return bg;
  };
  const encProto = GPUCommandEncoder.prototype;
  const beginComputePass = encProto.beginComputePass;
  encProto.beginComputePass = function (this: GPUCommandEncoder, desc?: GPUComputePassDescriptor) {
    if (!state.armed || !state.encoders.has(this)) return beginComputePass.call(this, desc);
    const t = desc?.timestampWrites ? null : timer(state.encoders.get(this));
    if (t) {
      state.used.add(t);
      state.encodersWithTimes.add(this);
      if (state.profile) return new SplitPass(this, t, beginComputePass) as unknown as GPUComputePassEncoder;
      const writes = t.take({ label: desc?.label ?? 'pass', pipeline: 'pass', bytes: 0, workgroups: 0 });
      if (writes) desc = { ...desc, timestampWrites: writes };
    }
    const pass = beginComputePass.call(this, desc);
    state.passes.add(pass);
    return pass;
  };
  const finish = encProto.finish;
  encProto.finish = function (this: GPUCommandEncoder, desc?: GPUCommandBufferDescriptor) {
    if (state.armed && state.encodersWithTimes.has(this)) {
      const t = timer(state.encoders.get(this));
      if (t && t.slots.length > 0) this.resolveQuerySet(t.querySet, 0, 2 * t.slots.length, t.resolve, 0);
    }
    return finish.call(this, desc);
  };
  const passProto = GPUComputePassEncoder.prototype;
  const dispatch = passProto.dispatchWorkgroups;
  passProto.dispatchWorkgroups = function (this: GPUComputePassEncoder, x: number, y?: number, z?: number) {
    if (state.armed && state.passes.has(this)) state.dispatches++;
    return dispatch.call(this, x, y, z);
  };
}

/** Stand-in for a compute pass in profile mode: each dispatch becomes a pass of its own, timed. */
class SplitPass {
  label = 'split pass';
  private pipeline: GPUComputePipeline | null = null;
  private groups: [GPUBindGroup | null, Iterable<number> | undefined][] = [];

  constructor(
    private readonly encoder: GPUCommandEncoder,
    private readonly timer: Timer,
    private readonly begin: (this: GPUCommandEncoder, d?: GPUComputePassDescriptor) => GPUComputePassEncoder,
  ) {}

  setPipeline(p: GPUComputePipeline): void {
    this.pipeline = p;
  }

  setBindGroup(index: number, bg: GPUBindGroup | null, offsets?: Iterable<number>): void {
    this.groups[index] = [bg, offsets];
  }

  dispatchWorkgroups(x: number, y = 1, z = 1): void {
    // Not counted here: the real pass's dispatchWorkgroups below is the wrapped one, still armed, and counts it
    // (the pass is the probe's: state.passes)
    // (counting here too made every profiled dispatch count twice: 22 for config b's 11).
    const bg = this.groups[0]?.[0] ?? null;
    const writes = this.timer.take({
      label: bg?.label || 'dispatch',
      pipeline: this.pipeline?.label || 'pipeline',
      bytes: this.groups.reduce((s, g) => s + (g[0] ? state.bindGroupBytes.get(g[0]) ?? 0 : 0), 0),
      workgroups: x * y * z,
    });
    const pass = this.begin.call(this.encoder, { label: bg?.label, ...(writes ? { timestampWrites: writes } : {}) });
    state.passes.add(pass);
    if (this.pipeline) pass.setPipeline(this.pipeline);
    this.groups.forEach((g, i) => {
      if (g && g[0]) pass.setBindGroup(i, g[0], g[1] ? [...g[1]] : []);
    });
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
  }

  end(): void {}
  pushDebugGroup(): void {}
  popDebugGroup(): void {}
  insertDebugMarker(): void {}
  dispatchWorkgroupsIndirect(): void {
    throw new Error('bench profile: indirect dispatch is not supported');
  }
}

/**
 * Run `fn` armed: every compute pass it begins is timed (or, with profile, every dispatch).
 * Returns fn's result, the dispatches it made and the timed samples (empty without timestamp-query).
 */
export async function probed<T>(profile: boolean, fn: () => Promise<T>): Promise<{ value: T; dispatches: number; samples: KernelSample[] }> {
  state.armed = true;
  state.profile = profile;
  state.dispatches = 0;
  const samples: KernelSample[] = [];
  try {
    let value: T;
    try {
      value = await fn();
    } finally {
      state.armed = false;
      state.profile = false;
    }
    for (const t of state.used) samples.push(...(await t.collect()));
    return { value, dispatches: state.dispatches, samples };
  } finally {
    // Whatever happened, nothing is left for the next timed call (maybe another row's repetition, or another variant's
    // on another device): a failed call's passes may never have been submitted, so their slots are dropped, not read,
    // and a readback that failed (mapAsync rejects on a lost device) must not be read again.
    for (const t of state.used) t.slots = [];
    state.used.clear();
  }
}

/** Per-kernel totals of one profiled step, biggest first. */
export function summarize(samples: KernelSample[]): { label: string; pipeline: string; count: number; us: number; bytes: number; workgroups: number }[] {
  const by = new Map<string, { label: string; pipeline: string; count: number; us: number; bytes: number; workgroups: number }>();
  for (const s of samples) {
    const k = by.get(s.label) ?? { label: s.label, pipeline: s.pipeline, count: 0, us: 0, bytes: 0, workgroups: 0 };
    k.count++;
    k.us += s.ns / 1e3;
    k.bytes += s.bytes;
    k.workgroups += s.workgroups;
    by.set(s.label, k);
  }
  return [...by.values()].sort((a, b) => b.us - a.us);
}
