/**
 * WebGpuBackend.create's variant guard, with no GPU: a stand-in navigator.gpu whose adapter lacks the `subgroups`
 * feature. Asking for a subgroup variant there must throw LimitError naming 'variant' before any device is made
 * (the stand-in's requestDevice records the call and fails); so must the fused entry point 'lanes'. The variants themselves run against the CPU oracle in
 * test/browser/webgpu-smoke.test.ts, and 'blocked' and 'tiled' in Node on Dawn too (test/dawn/variants.ts); SwiftShader
 * has `subgroups`, so neither can show this error.
 * An unknown option or value (variant, fused, fusedEntry) is a SpecError naming it, before any adapter is asked for;
 * so is bad input to Model.create and Model.load with backend 'webgpu' (reliability checklist items 1–4: before any GPU
 * work, here before the adapter).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackend } from '../src/backends.ts';
import { BackpropError, LimitError, SpecError, WebGPUUnavailableError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { WebGpuBackend } from '../src/webgpu/backend.ts';
import { getGpu } from '../src/webgpu/gpu.ts';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

afterEach(() => {
  vi.unstubAllGlobals();
  if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

/** navigator.gpu with one adapter of the given features; returns the requestAdapter count and requestDevice calls. */
function fakeGpu(features: string[], isFallbackAdapter = false): { requestAdapter: number; requestDevice: unknown[] } {
  const calls: { requestAdapter: number; requestDevice: unknown[] } = { requestAdapter: 0, requestDevice: [] };
  const adapter = {
    features: new Set(features),
    limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28, maxComputeWorkgroupStorageSize: 16384 },
    info: { vendor: 'test', architecture: 'stand-in', device: '', description: 'no subgroups', isFallbackAdapter },
    requestDevice: async (descriptor: unknown) => {
      calls.requestDevice.push(descriptor);
      throw new Error('stand-in adapter: requestDevice is not expected here');
    },
  };
  const gpu = {
    requestAdapter: async () => {
      calls.requestAdapter++;
      return adapter;
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return calls;
}

describe('WebGPU kernel variant needing subgroups, on an adapter without them', () => {
  for (const variant of ['subgroup', 'blocked-subgroup'] as const) {
    it(`'${variant}': LimitError naming 'variant', before any device`, async () => {
      const calls = fakeGpu(['timestamp-query']);
      const err = await WebGpuBackend.create({ variant }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LimitError);
      expect((err as LimitError).field).toBe('variant');
      expect((err as Error).message).toContain(`'${variant}'`);
      expect(calls.requestDevice).toEqual([]);
    });
  }

  it("fusedEntry 'lanes' (the fused kernel's subgroup entry point): LimitError naming 'fusedEntry', before any device; 'tiny' goes on", async () => {
    const calls = fakeGpu([]);
    const err = await WebGpuBackend.create({ fusedEntry: 'lanes' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect([(err as LimitError).field, (err as Error).message]).toEqual(['fusedEntry', "fusedEntry: 'lanes' needs an adapter with the 'subgroups' feature; this one has none"]);
    expect(calls.requestDevice).toEqual([]);
    const tiny = await WebGpuBackend.create({ fusedEntry: 'tiny' }).catch((e: unknown) => e);
    expect([(tiny as Error).name, (tiny as WebGPUUnavailableError).reason]).toEqual(['WebGPUUnavailableError', 'device']);
  });

  it("fusedEntry 'lanes' with fused 'off' (no net runs fused, the entry point is not used): no LimitError, a device is asked for", async () => {
    const calls = fakeGpu([]);
    const err = await WebGpuBackend.create({ fused: 'off', fusedEntry: 'lanes' }).catch((e: unknown) => e);
    expect([(err as Error).name, (err as WebGPUUnavailableError).reason]).toEqual(['WebGPUUnavailableError', 'device']);
    expect(calls.requestDevice).toHaveLength(1);
  });

  it("'auto' and 'blocked' go on to request a device (the stand-in's fails: WebGPUUnavailableError, reason 'device')", async () => {
    for (const variant of ['auto', 'blocked'] as const) {
      const calls = fakeGpu([]);
      const err = await WebGpuBackend.create({ variant }).catch((e: unknown) => e);
      expect((err as Error).name).toBe('WebGPUUnavailableError');
      expect((err as WebGPUUnavailableError).reason).toBe('device');
      expect(calls.requestDevice).toHaveLength(1);
    }
  });
});

describe("createBackend's and Model.create's webgpuVariant reach WebGpuBackend.create's variant", () => {
  const SPEC = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, x: [[1, 2]], y: [[0]] };

  it("a subgroup variant on this adapter: LimitError naming 'webgpuVariant' (the option given), before any device; 'auto' does not fall back from it", async () => {
    for (const choice of ['webgpu', 'auto'] as const) {
      const calls = fakeGpu([]);
      const onNotice = vi.fn();
      const err = await createBackend(choice, onNotice, { webgpuVariant: 'subgroup' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LimitError);
      expect([(err as LimitError).field, (err as Error).message]).toEqual(['webgpuVariant', "webgpuVariant: 'subgroup' kernels need an adapter with the 'subgroups' feature; this one has none"]);
      expect(calls.requestDevice).toEqual([]);
      expect(onNotice).not.toHaveBeenCalled();
    }
    fakeGpu([]);
    const err = await Model.create(SPEC, { backend: 'webgpu', webgpuVariant: 'blocked-subgroup' }).catch((e: unknown) => e);
    expect([(err as Error).name, (err as LimitError).field]).toEqual(['LimitError', 'webgpuVariant']);
  });

  it('Model.load and rebuild(options) pass webgpuVariant on too; a bad one is refused before the checkpoint is read', async () => {
    const model = await Model.create(SPEC, { backend: 'cpu' });
    try {
      const bytes = await model.save();
      const calls = fakeGpu([]);
      const loaded = await Model.load(bytes, { backend: 'webgpu', webgpuVariant: 'subgroup' }).catch((e: unknown) => e);
      expect([(loaded as Error).name, (loaded as LimitError).field]).toEqual(['LimitError', 'webgpuVariant']);
      const rebuilt = await model.rebuild({ backend: 'webgpu', webgpuVariant: 'blocked-subgroup' }).catch((e: unknown) => e);
      expect([(rebuilt as Error).name, (rebuilt as LimitError).field]).toEqual(['LimitError', 'webgpuVariant']);
      expect(calls.requestDevice).toEqual([]);
      // The model stays as it was; bytes that are no checkpoint are not looked at before the option is refused.
      expect(Number.isFinite((await model.step(0.1)).loss)).toBe(true);
      const refused = await Model.load(new Uint8Array([1, 2, 3]), { backend: 'wasm', webgpuVariant: 'tiled' }).catch((e: unknown) => e);
      expect([(refused as Error).name, (refused as SpecError).field]).toEqual(['SpecError', 'webgpuVariant']);
    } finally {
      model.dispose();
    }
  });

  it("'auto' on a software adapter without subgroups: a subgroup variant changes nothing ('auto' does not use that adapter; it was a LimitError)", async () => {
    // With backend 'auto' a software (fallback) adapter is never the model's backend: wasm is, with a notice. Asking
    // for kernels of the GPU path must not turn that into an error only where the adapter lacks subgroups (the same
    // call on Chromium's SwiftShader, which has them, falls back). The stand-in's requestDevice fails, so both calls
    // end in the fallback for reason 'device'; what matters is that they end the same way.
    const outcome = async (options: { webgpuVariant?: 'subgroup' | 'blocked-subgroup' }) => {
      const calls = fakeGpu([], true);
      const notices: string[] = [];
      const made = await createBackend('auto', (m) => notices.push(m), options).catch((e: unknown) => e as Error);
      if (made instanceof Error) return { error: made.name, devices: calls.requestDevice.length };
      made.backend.dispose();
      return { kind: made.backend.kind, fallback: made.fallback, notices: notices.length, devices: calls.requestDevice.length };
    };
    const plain = await outcome({});
    expect(plain).toEqual({ kind: 'wasm', fallback: 'device', notices: 1, devices: 1 });
    for (const webgpuVariant of ['subgroup', 'blocked-subgroup'] as const) expect(await outcome({ webgpuVariant }), webgpuVariant).toEqual(plain);
    // 'webgpu' on the same adapter still refuses it: that backend would be the model's.
    fakeGpu([], true);
    await expect(createBackend('webgpu', undefined, { webgpuVariant: 'subgroup' })).rejects.toMatchObject({ name: 'LimitError', field: 'webgpuVariant' });
  });

  it("'blocked', and no webgpuVariant at all, get past the variant check to requestDevice (the stand-in's fails: reason 'device')", async () => {
    for (const options of [{ webgpuVariant: 'blocked' as const }, {}]) {
      const calls = fakeGpu([]);
      const err = await createBackend('webgpu', undefined, options).catch((e: unknown) => e);
      expect((err as WebGPUUnavailableError).reason).toBe('device');
      expect(calls.requestDevice).toHaveLength(1);
    }
  });
});

describe('WebGPUUnavailableError.reason (what the CLI acts on: src/cli/dawn.ts reruns on SwiftShader only for no-adapter)', () => {
  const withAdapter = (requestAdapter: () => Promise<unknown>) => Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter } }, configurable: true, writable: true });
  it("requestAdapter gives null: 'no-adapter'", async () => {
    withAdapter(async () => null);
    const err = await WebGpuBackend.create().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGPUUnavailableError);
    expect((err as WebGPUUnavailableError).reason).toBe('no-adapter');
    // Shown to students in an ordinary browser (the lab's notice): the causes there first, the headless flag as such.
    // (It read "no adapter; headless Chromium needs --enable-unsafe-webgpu": the flag as the one cause, in any browser.)
    const m = (err as Error).message;
    expect(m).toMatch(/no GPU it can use/);
    expect(m).toMatch(/WebGPU blocked|switched off/);
    expect(m.indexOf('no GPU it can use')).toBeLessThan(m.indexOf('headless'));
    expect(m).not.toMatch(/no adapter; headless/);
  });
  it("requestAdapter throws: 'adapter-failed'", async () => {
    withAdapter(async () => { throw new Error('stand-in: no'); });
    const err = await WebGpuBackend.create().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGPUUnavailableError);
    expect((err as WebGPUUnavailableError).reason).toBe('adapter-failed');
  });
});

describe('WebGpuBackend.create: an unknown option or value is a SpecError naming it, before any adapter is asked for', () => {
  const bad: [string, unknown, string][] = [
    ["variant 'nonsense'", { variant: 'nonsense' }, 'variant'],
    ["variant 'Blocked'", { variant: 'Blocked' }, 'variant'],
    ["fused 'yes'", { fused: 'yes' }, 'fused'],
    ['fusedEntry 3', { fusedEntry: 3 }, 'fusedEntry'],
    ['an unknown option', { varient: 'blocked' }, 'varient'],
    ['options not an object', 'blocked', 'options'],
  ];
  for (const [what, options, field] of bad) {
    it(`${what}: SpecError naming '${field}'`, async () => {
      const calls = fakeGpu(['subgroups']);
      const err = await WebGpuBackend.create(options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe(field);
      expect(calls.requestAdapter).toBe(0);
      expect(calls.requestDevice).toEqual([]);
    });
  }
  it('the known options it lists are the public ones (softwareFallback is createBackend\'s own, accepted, not offered)', async () => {
    fakeGpu(['subgroups']);
    const err = await WebGpuBackend.create({ varient: 'blocked' } as never).catch((e: unknown) => e);
    expect((err as SpecError).message).toMatch(/unknown option; did you mean 'variant'\? Known: variant, fused, fusedEntry$/);
    // Accepted all the same: create goes on to the adapter (whose stand-in device then fails, not the options).
    const calls = fakeGpu(['subgroups']);
    const given = await WebGpuBackend.create({ softwareFallback: true }).catch((e: unknown) => e);
    expect(given).not.toBeInstanceOf(SpecError);
    expect(calls.requestAdapter).toBe(1);
  });
});

describe("Model.create and Model.load with backend 'webgpu': bad input is a typed error naming it before any adapter is asked for", () => {
  const SPEC = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x: [[1, 2], [0, 1]], y: [[0], [1]] };
  const bad: [string, unknown, string][] = [
    ['a layer of 0 units', { ...SPEC, layers: [{ units: 0, activation: 'sigmoid' }] }, 'SPEC layers[0].units'],
    ['params of the wrong shape', { ...SPEC, init: undefined, params: { W: [[[1, 2, 3]]], b: [[0]] } }, 'SHAPE params.W[0][0]'],
    ['NaN in x', { ...SPEC, x: [[1, 2], [NaN, 1]] }, 'NON_FINITE x[1][0]'],
    ['Infinity in y', { ...SPEC, y: [[Infinity], [1]] }, 'NON_FINITE y[0][0]'],
    ['bce label 1.5', { ...SPEC, y: [[0], [1.5]] }, 'LABEL_RANGE y[1][0]'],
    ['bce label −0.1', { ...SPEC, y: [[-0.1], [1]] }, 'LABEL_RANGE y[0][0]'],
    ['x and y of different counts', { ...SPEC, y: [[0]] }, 'SHAPE y'],
    ['an empty batch', { ...SPEC, x: [], y: [] }, 'EMPTY_BATCH x'],
  ];
  const code = (e: unknown) => (e instanceof BackpropError ? `${e.code} ${e.field}` : String(e));
  for (const [what, spec, want] of bad) {
    it(`create, ${what}: ${want}`, async () => {
      const calls = fakeGpu(['subgroups']);
      expect(await Model.create(spec, { backend: 'webgpu' }).then(() => 'resolved', code)).toBe(want);
      expect(calls.requestAdapter).toBe(0);
    });
  }
  it('load, a truncated checkpoint and garbage: SpecError naming checkpoint', async () => {
    const model = await Model.create(SPEC, { backend: 'cpu' });
    const bytes = await model.save();
    model.dispose();
    const calls = fakeGpu(['subgroups']);
    for (const b of [bytes.subarray(0, bytes.length - 9), new Uint8Array(64)]) expect(await Model.load(b, { backend: 'webgpu' }).then(() => 'resolved', code)).toBe('SPEC checkpoint');
    expect(calls.requestAdapter).toBe(0);
    // The same calls with good input do ask (the stand-in's device fails: WebGPUUnavailableError, reason 'device').
    expect(await Model.load(bytes, { backend: 'webgpu' }).then(() => 'resolved', (e: Error) => e.name)).toBe('WebGPUUnavailableError');
    expect(await Model.create(SPEC, { backend: 'webgpu' }).then(() => 'resolved', (e: Error) => e.name)).toBe('WebGPUUnavailableError');
    expect(calls.requestAdapter).toBe(2);
  });
});

/**
 * `start()` as on a page: no Node `process` up to its first await, where getGpu and createBackend decide what to say
 * without navigator.gpu; `process` is back before anything else runs (createBackend's wasm then loads as in Node).
 */
function asPage<T>(start: () => Promise<T>): Promise<T> {
  const proc = globalThis.process;
  try {
    (globalThis as { process?: unknown }).process = undefined;
    return start();
  } finally {
    globalThis.process = proc;
  }
}

describe('no navigator.gpu on a page that is not a secure context (plain http on a LAN address): the reason names the origin', () => {
  /** getGpu as on a page. */
  const onPage = (): Promise<unknown> => {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    return asPage(() => getGpu()).then(() => 'resolved', (e: unknown) => e);
  };
  const SECURE = /the page is not a secure context \(WebGPU needs https, or http:\/\/localhost \/ 127\.0\.0\.1\)/;

  it("getGpu (the lab's probe, WebGpuBackend.create): 'no-webgpu', saying why", async () => {
    vi.stubGlobal('isSecureContext', false);
    const err = await onPage();
    expect(err).toBeInstanceOf(WebGPUUnavailableError);
    expect((err as WebGPUUnavailableError).reason).toBe('no-webgpu');
    expect((err as Error).message).toMatch(SECURE);
    expect((err as Error).message).not.toMatch(/a browser without WebGPU/);
    // A secure page without navigator.gpu: the browser's, as before.
    vi.stubGlobal('isSecureContext', true);
    const secure = await onPage();
    expect((secure as Error).message).toMatch(/a browser without WebGPU, or WebGPU disabled/);
    expect((secure as Error).message).not.toMatch(SECURE);
  });

  it("'auto' falls back to wasm with the notice naming the insecure context; fallbackReason stays 'no-webgpu'", async () => {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    vi.stubGlobal('isSecureContext', false);
    const notices: string[] = [];
    const made = await createBackend('auto', (m) => notices.push(m));
    try {
      expect(made.backend.kind).toBe('wasm');
      expect(made.fallback).toBe('no-webgpu');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(SECURE);
      expect(made.notice).toBe(notices[0]);
    } finally {
      made.backend.dispose();
    }
    // Where isSecureContext is not false (Node has none): in Node, where WebGPU comes from there.
    vi.unstubAllGlobals();
    const plain = await createBackend('auto', () => {});
    try {
      expect(plain.notice).not.toMatch(SECURE);
      expect(plain.notice).toMatch(/^WebGPU is unavailable: navigator\.gpu is not defined \(Node has none: WebGPU there is backend: 'webgpu' with the npm package `webgpu`, Dawn, installed\) — training on /);
    } finally {
      plain.backend.dispose();
    }
  });

  // ffleft64: src/backends.ts wrote its own sentence ("navigator.gpu is not defined here: WebGPU needs a browser with
  // WebGPU, or in Node backend: 'webgpu' with …", Node named on a page) where getGpu, the lab's probe, wrote another.
  it("on a secure page, createBackend's 'webgpu' error and 'auto' notice give getGpu's sentence, word for word", async () => {
    vi.stubGlobal('isSecureContext', true);
    const probe = (await onPage()) as Error;
    expect(probe.message).toBe('WebGPU is unavailable: navigator.gpu is not defined (a browser without WebGPU, or WebGPU disabled)');
    const webgpu = await asPage(() => createBackend('webgpu')).then(() => null, (e: unknown) => e as Error);
    expect(webgpu).toBeInstanceOf(WebGPUUnavailableError);
    expect(webgpu!.message).toBe(probe.message);
    expect((webgpu as WebGPUUnavailableError).reason).toBe('no-webgpu'); // mut64's G7: createBackend's own reason code
    const notices: string[] = [];
    const made = await asPage(() => createBackend('auto', (m) => notices.push(m)));
    try {
      expect(made.backend.kind).toBe('wasm');
      expect(notices).toHaveLength(1);
      expect(notices[0].startsWith(`${probe.message} — training on WebAssembly SIMD instead (`)).toBe(true);
    } finally {
      made.backend.dispose();
    }
  });
});

describe("no navigator.gpu in Firefox (off by default on Linux): 'auto' says where to switch WebGPU on", () => {
  it("'auto' falls back to wasm, its notice naming about:config's dom.webgpu.enabled; Chrome's does not", async () => {
    const ua = (userAgent: string) => Object.defineProperty(globalThis, 'navigator', { value: { userAgent }, configurable: true, writable: true });
    const previous = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    try {
      ua('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0');
      const firefox = await asPage(() => createBackend('auto', () => {}));
      firefox.backend.dispose();
      expect(firefox.backend.kind).toBe('wasm');
      expect(firefox.notice).toMatch(/; in Firefox, where it is off by default on Linux \(and on Windows before version 141\), set dom\.webgpu\.enabled to true in about:config — training on WebAssembly/);
      ua('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36');
      const chrome = await asPage(() => createBackend('auto', () => {}));
      chrome.backend.dispose();
      expect(chrome.notice).not.toMatch(/Firefox|about:config/);
    } finally {
      if (previous) Object.defineProperty(globalThis, 'navigator', previous);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });
});
