/**
 * The bench's GPU probe (bench/page/gpu-probe.ts) on stand-in WebGPU classes in Node (review bench2 item 10): it acts
 * on ours-webgpu's device only (the one made inside probedDevice) and, but for that device's bind groups, only while
 * armed; TF.js's and jax-js's devices get no feature and their calls go straight through. The real thing (Dawn +
 * SwiftShader: GPU time and the per-kernel profile) is test/bench-dawn.test.ts's.
 */
import { beforeAll, describe, expect, it } from 'vitest';

class FakeBuffer {
  readonly data: BigUint64Array;
  constructor(readonly size: number) {
    this.data = new BigUint64Array(size / 8);
  }
  mapAsync(): Promise<void> {
    return Promise.resolve();
  }
  getMappedRange(): ArrayBuffer {
    return this.data.buffer as ArrayBuffer;
  }
  unmap(): void {}
}

class FakePass {
  dispatched = 0;
  constructor(readonly desc: GPUComputePassDescriptor | undefined) {}
  setPipeline(): void {}
  setBindGroup(): void {}
  dispatchWorkgroups(): void {
    this.dispatched++;
  }
  end(): void {}
}

class FakeEncoder {
  readonly passes: FakePass[] = [];
  resolved = 0;
  beginComputePass(desc?: GPUComputePassDescriptor): FakePass {
    const p = new FakePass(desc);
    this.passes.push(p);
    return p;
  }
  resolveQuerySet(): void {
    this.resolved++;
  }
  copyBufferToBuffer(): void {}
  finish(): object {
    return {};
  }
}

class FakeDevice {
  readonly queue = { submit(): void {} };
  constructor(readonly features: Set<string>) {}
  createCommandEncoder(): FakeEncoder {
    return new FakeEncoder();
  }
  createBindGroup(desc: { label?: string }): { label?: string } {
    return { label: desc.label };
  }
  createQuerySet(): object {
    return {};
  }
  createBuffer(d: { size: number }): FakeBuffer {
    return new FakeBuffer(d.size);
  }
}

class FakeAdapter {
  readonly features = new Set(['timestamp-query']);
  readonly asked: (GPUDeviceDescriptor | undefined)[] = [];
  requestDevice(desc?: GPUDeviceDescriptor): Promise<FakeDevice> {
    this.asked.push(desc);
    return Promise.resolve(new FakeDevice(new Set(desc?.requiredFeatures ?? [])));
  }
}

type Probe = typeof import('../bench/page/gpu-probe.ts');
let probe: Probe;
const adapter = new FakeAdapter() as unknown as GPUAdapter & FakeAdapter;

beforeAll(async () => {
  Object.assign(globalThis, {
    GPUAdapter: FakeAdapter, GPUDevice: FakeDevice, GPUCommandEncoder: FakeEncoder, GPUComputePassEncoder: FakePass,
    GPUBufferUsage: { QUERY_RESOLVE: 1, COPY_SRC: 2, MAP_READ: 4, COPY_DST: 8 }, GPUMapMode: { READ: 1 },
  });
  probe = await import('../bench/page/gpu-probe.ts');
  probe.installGpuProbe();
});

/** A bind group descriptor that counts the reads of its entries (the probe sums their bytes only for ours). */
function counted(label: string): { desc: GPUBindGroupDescriptor; reads: () => number } {
  let reads = 0;
  const desc = { label, layout: {}, get entries() { reads++; return [{ binding: 0, resource: { buffer: { size: 256 }, offset: 0, size: 64 } }]; } };
  return { desc: desc as unknown as GPUBindGroupDescriptor, reads: () => reads };
}

describe('the GPU probe acts on ours-webgpu\'s device only, and only while armed (review bench2 item 10)', () => {
  let peer: GPUDevice & FakeDevice;
  let ours: GPUDevice & FakeDevice;

  it('a peer\'s requestDevice goes through as asked; ours (inside probedDevice) gets timestamp-query', async () => {
    // As TF.js and jax-js ask: timestamp-query of their own (so the checks below tell ours from theirs by device).
    const asked: GPUDeviceDescriptor = { requiredFeatures: ['shader-f16', 'timestamp-query'] as GPUFeatureName[] };
    peer = (await adapter.requestDevice(asked)) as unknown as GPUDevice & FakeDevice;
    expect(adapter.asked.at(-1)).toBe(asked);
    expect([...peer.features]).toEqual(['shader-f16', 'timestamp-query']);
    expect([...((await adapter.requestDevice({ requiredFeatures: [] })) as unknown as FakeDevice).features]).toEqual([]);
    ours = (await probe.probedDevice(() => adapter.requestDevice({ label: 'ours' }))) as unknown as GPUDevice & FakeDevice;
    expect([...ours.features]).toEqual(['timestamp-query']);
    // After it, a device requested is a peer's again.
    expect([...((await adapter.requestDevice()) as unknown as FakeDevice).features]).toEqual([]);
  });

  it('a peer\'s bind groups are not looked at; ours\' bytes are kept for the profile', () => {
    const p = counted('peer group');
    peer.createBindGroup(p.desc);
    expect(p.reads()).toBe(0);
    const o = counted('ours group');
    ours.createBindGroup(o.desc);
    expect(o.reads()).toBe(1);
  });

  it('not armed, nobody\'s pass gets timestamps', () => {
    for (const d of [peer, ours]) {
      const enc = d.createCommandEncoder() as unknown as FakeEncoder;
      const desc = { label: 'x' };
      enc.beginComputePass(desc);
      enc.finish();
      expect(enc.passes[0].desc).toBe(desc);
      expect(enc.resolved).toBe(0);
    }
  });

  it('armed, only ours\' passes are timed and counted (a peer\'s call in the window is left alone)', async () => {
    let encs: FakeEncoder[] = [];
    const run = await probe.probed(false, async () => {
      encs = [peer, ours].map((d) => d.createCommandEncoder() as unknown as FakeEncoder);
      for (const e of encs) {
        const pass = e.beginComputePass({ label: 'step' }) as unknown as GPUComputePassEncoder;
        pass.dispatchWorkgroups(1);
        pass.dispatchWorkgroups(2);
        e.finish();
      }
      return 'done';
    });
    const [p, o] = encs;
    expect(p.passes[0].desc).toEqual({ label: 'step' });
    expect(p.resolved).toBe(0);
    expect(o.passes[0].desc?.timestampWrites).toMatchObject({ beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
    expect(o.resolved).toBe(1);
    expect(run.value).toBe('done');
    expect(run.dispatches).toBe(2);
    expect(run.samples.map((s) => s.label)).toEqual(['step']);
  });

  it('profiled, each of ours\' dispatches is a timed pass of its own, labelled and sized by its bind group, counted once', async () => {
    const o = counted('forward layer 1');
    const bg = ours.createBindGroup(o.desc);
    let enc: FakeEncoder | undefined;
    const run = await probe.probed(true, async () => {
      enc = ours.createCommandEncoder() as unknown as FakeEncoder;
      const pass = enc.beginComputePass({ label: 'step' }) as unknown as GPUComputePassEncoder;
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(4, 2);
      pass.dispatchWorkgroups(3);
      pass.end();
      enc.finish();
    });
    expect(enc!.passes.map((p) => [p.desc?.label, p.dispatched])).toEqual([['forward layer 1', 1], ['forward layer 1', 1]]);
    expect(run.dispatches).toBe(2);
    expect(run.samples.map((s) => [s.label, s.bytes, s.workgroups])).toEqual([['forward layer 1', 64, 8], ['forward layer 1', 64, 3]]);
  });

  it('a second ours device (another kernel variant: --webgpu-variants) is timed beside the first, each on its own query set', async () => {
    const second = (await probe.probedDevice(() => adapter.requestDevice({ label: 'ours, tiled' }))) as unknown as GPUDevice & FakeDevice;
    expect([...second.features]).toEqual(['timestamp-query']);
    const o = counted('second group');
    second.createBindGroup(o.desc);
    expect(o.reads()).toBe(1);
    for (const [d, label] of [[ours, 'first'], [second, 'second'], [ours, 'first again']] as const) {
      let enc: FakeEncoder | undefined;
      const run = await probe.probed(false, async () => {
        enc = d.createCommandEncoder() as unknown as FakeEncoder;
        const pass = enc.beginComputePass({ label }) as unknown as GPUComputePassEncoder;
        pass.dispatchWorkgroups(1);
        enc.finish();
      });
      // Each device's own timer: its first pair of queries, resolved on its own encoder.
      expect(enc!.passes[0].desc?.timestampWrites, label).toMatchObject({ beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
      expect(enc!.resolved, label).toBe(1);
      expect([run.dispatches, run.samples.map((s) => s.label)], label).toEqual([1, [label]]);
    }
  });
  it('a timed call that throws leaves nothing for the next: its passes are not counted as the next call\'s GPU time', async () => {
    const boom = new Error('the step failed');
    let failed: FakeEncoder | undefined;
    await expect(probe.probed(false, async () => {
      failed = ours.createCommandEncoder() as unknown as FakeEncoder;
      failed.beginComputePass({ label: 'failed step' }).dispatchWorkgroups();
      throw boom;
    })).rejects.toBe(boom);
    expect(failed!.passes[0].desc?.timestampWrites).toBeDefined();
    let enc: FakeEncoder | undefined;
    const run = await probe.probed(false, async () => {
      enc = ours.createCommandEncoder() as unknown as FakeEncoder;
      enc.beginComputePass({ label: 'next step' }).dispatchWorkgroups();
      enc.finish();
    });
    // The next call's pass takes the timer's first pair again, and its samples are its own pass only.
    expect(enc!.passes[0].desc?.timestampWrites).toMatchObject({ beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
    expect(run.samples.map((s) => s.label)).toEqual(['next step']);
  });
  it('a call whose timestamps cannot be read back (its device lost) leaves nothing for the next call, on another device', async () => {
    // Chromium rejects every mapAsync on a lost device ("Device is lost"). With --webgpu-variants the next row's call
    // runs on another variant's device: it must neither read the lost device's timer again nor inherit its slots.
    const lost = (await probe.probedDevice(() => adapter.requestDevice({ label: 'ours, lost' }))) as unknown as GPUDevice & FakeDevice;
    const gone = new Error('Device is lost');
    Object.assign(lost, { createBuffer: (d: { size: number }) => Object.assign(new FakeBuffer(d.size), { mapAsync: () => Promise.reject(gone) }) });
    /** One timed call on `d`: one pass of one dispatch, its encoder finished; the encoder and the call's outcome. */
    const timed = async (d: FakeDevice, label: string) => {
      const encs: FakeEncoder[] = [];
      const run = await probe.probed(false, async () => {
        encs.push(d.createCommandEncoder());
        encs[0].beginComputePass({ label }).dispatchWorkgroups();
        encs[0].finish();
      }).catch((e: unknown) => e);
      return { pairs: encs[0].passes[0].desc?.timestampWrites, run };
    };
    expect((await timed(lost, 'lost step')).run).toBe(gone);
    const next = await timed(ours, 'next row');
    expect(next.pairs).toMatchObject({ beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
    expect((next.run as { samples: { label: string }[] }).samples.map((s) => s.label)).toEqual(['next row']);
    // And the lost device's timer starts empty too (its next call's pass takes the first pair, were the device back).
    expect((await timed(lost, 'lost again')).pairs).toMatchObject({ beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
  });
});

describe('what the probe reports: GPU times as end − begin, no timestamps asked of an adapter without them', () => {
  it('a pass\'s time is its end timestamp less its begin, per pass, in the order begun', async () => {
    // Ticks the readback holds (ns): pass 1 from 1000 to 4000 (3000 ns), pass 2 from 5000 to 5500 (500 ns).
    const dev = (await probe.probedDevice(() => adapter.requestDevice({ label: 'ours, ticks' }))) as unknown as GPUDevice & FakeDevice;
    Object.assign(dev, { createBuffer: (d: { size: number }) => { const b = new FakeBuffer(d.size); b.data.set([1000n, 4000n, 5000n, 5500n]); return b; } });
    const run = await probe.probed(false, async () => {
      const enc = dev.createCommandEncoder() as unknown as FakeEncoder;
      for (const label of ['one', 'two']) enc.beginComputePass({ label }).dispatchWorkgroups();
      enc.finish();
    });
    expect(run.samples.map((s) => [s.label, s.ns])).toEqual([['one', 3000], ['two', 500]]);
  });

  it('a pass that already carries timestampWrites (its own) is left as it is', async () => {
    const ownWrites = { querySet: {}, beginningOfPassWriteIndex: 7, endOfPassWriteIndex: 8 } as unknown as GPUComputePassTimestampWrites;
    let enc: FakeEncoder | undefined;
    await probe.probed(false, async () => {
      enc = (await probe.probedDevice(() => adapter.requestDevice({ label: 'ours, own writes' }))).createCommandEncoder() as unknown as FakeEncoder;
      enc.beginComputePass({ label: 'own', timestampWrites: ownWrites });
      enc.finish();
    });
    expect(enc!.passes[0].desc?.timestampWrites).toBe(ownWrites);
  });

  it('an adapter without timestamp-query: ours is not asked for it, and its passes get no timestamps (no samples)', async () => {
    const plain = Object.assign(new FakeAdapter(), { features: new Set<string>() }) as unknown as GPUAdapter & FakeAdapter;
    const dev = (await probe.probedDevice(() => plain.requestDevice({ label: 'ours, no timestamps' }))) as unknown as GPUDevice & FakeDevice;
    expect(plain.asked.at(-1)?.requiredFeatures ?? []).toEqual([]);
    expect([...dev.features]).toEqual([]);
    let enc: FakeEncoder | undefined;
    const run = await probe.probed(false, async () => {
      enc = dev.createCommandEncoder() as unknown as FakeEncoder;
      enc.beginComputePass({ label: 'untimed' }).dispatchWorkgroups();
      enc.finish();
    });
    expect(enc!.passes[0].desc?.timestampWrites).toBeUndefined();
    expect([run.dispatches, run.samples]).toEqual([1, []]);
  });

  it('a query set of 4096 holds 2048 passes: the 2049th of one call gets no timestamps (not indices 4096, 4097)', async () => {
    const dev = (await probe.probedDevice(() => adapter.requestDevice({ label: 'ours, full' }))) as unknown as GPUDevice & FakeDevice;
    let enc: FakeEncoder | undefined;
    await probe.probed(false, async () => {
      enc = dev.createCommandEncoder() as unknown as FakeEncoder;
      for (let i = 0; i < 2049; i++) enc.beginComputePass({ label: `pass ${i}` });
      enc.finish();
    });
    expect(enc!.passes[2047].desc?.timestampWrites).toMatchObject({ beginningOfPassWriteIndex: 4094, endOfPassWriteIndex: 4095 });
    expect(enc!.passes[2048].desc?.timestampWrites).toBeUndefined();
  });
});

describe('summarize: per-kernel totals of a profiled step, biggest first', () => {
  it('sums count, µs (ns / 1000), bytes and workgroups by label, and sorts by time, largest first', () => {
    const s = (label: string, ns: number, bytes: number, workgroups: number) => ({ label, pipeline: `${label} pipe`, ns, bytes, workgroups });
    // a: 1500 + 3000 ns = 4.5 µs over 2 dispatches, 64 + 32 bytes, 8 + 2 workgroups; b: 10 000 ns = 10 µs.
    expect(probe.summarize([s('a', 1500, 64, 8), s('b', 10_000, 16, 1), s('a', 3000, 32, 2)])).toEqual([
      { label: 'b', pipeline: 'b pipe', count: 1, us: 10, bytes: 16, workgroups: 1 },
      { label: 'a', pipeline: 'a pipe', count: 2, us: 4.5, bytes: 96, workgroups: 10 },
    ]);
  });
});
