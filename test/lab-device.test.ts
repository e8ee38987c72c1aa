/**
 * The lab's device choice (src/lab/device.ts), the engine's 'auto' (src/backends.ts, createBackend): WebGPU on a
 * hardware adapter; on a software adapter or without WebGPU the wasm backend, saying why; the CPU only without
 * WebAssembly SIMD. And what stays once the net on the page goes on as another: Verify's line (verifyHolds) and the
 * Preset menu's preset (keepsPreset).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendKind } from '../src/backend.ts';
import { readFileSync } from 'node:fs';
import { badgeText, chooseDevice, curveBackends, deviceName, GPU_PROBE_MS, isSoftwareAdapter, keepsPreset, openWithin, switchOffReason, threadsRow, unavailableWarning, verifyHolds, whyText } from '../src/lab/device.ts';
import { WebGPUUnavailableError } from '../src/errors.ts';
import { CurveIndex } from '../src/lab/curve-index.ts';
import { PRESETS } from '../src/lab/presets.ts';
import { startGpu, Unavailable } from '../src/lab/surface-gpu.ts';
import { checkLabSpec, LabSession, omitKeys } from '../src/lab/session.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { xorSpec } from './lib/lab-nets.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const swiftshader = [
  { available: true, vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false },
  { available: true, vendor: 'google', architecture: '', isFallbackAdapter: true },
];
const hardware = { available: true, vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false, description: 'NVIDIA H200' };

describe('chooseDevice', () => {
  it('no WebGPU: wasm SIMD with the reason; the CPU where wasm SIMD is missing too', () => {
    const none = { available: false, reason: 'navigator.gpu is undefined' };
    const c = chooseDevice(none, true);
    expect(c).toMatchObject({ start: 'wasm', software: false });
    expect(c.why).toMatch(/navigator\.gpu is undefined.*fastest CPU path/);
    const plain = chooseDevice(none, false);
    expect(plain.start).toBe('cpu');
    expect(plain.why).toMatch(/navigator\.gpu is undefined.*no WebAssembly SIMD/);
  });

  it('SwiftShader (a fallback adapter, or architecture swiftshader): starts on wasm and says why; the CPU without wasm SIMD', () => {
    for (const a of swiftshader) {
      expect(isSoftwareAdapter(a)).toBe(true);
      const c = chooseDevice(a, true);
      expect(c).toMatchObject({ start: 'wasm', software: true });
      expect(c.why).toMatch(/^Training on WebAssembly SIMD: .*(SwiftShader|fallback adapter).*emulated on the CPU.*fastest CPU path/);
      expect(chooseDevice(a, false)).toMatchObject({ start: 'cpu', software: true });
    }
  });

  it('a hardware adapter: WebGPU, with or without wasm SIMD', () => {
    expect(isSoftwareAdapter(hardware)).toBe(false);
    for (const simd of [true, false]) {
      const c = chooseDevice(hardware, simd);
      expect(c).toMatchObject({ start: 'webgpu', software: false });
      expect(c.why).toMatch(/NVIDIA H200/);
    }
  });

  it('names each device in words', () => {
    expect([deviceName('webgpu'), deviceName('wasm'), deviceName('cpu')]).toEqual(['WebGPU', 'WebAssembly SIMD', 'the CPU']);
  });
});

describe('the device panel\'s words (badge, sentence, notice) follow the backend that runs', () => {
  const lost = { available: false, reason: 'the GPU device was lost (destroyed)' };

  it('the badge names WebGPU once (the backend description starts with "WebGPU:")', () => {
    const sw = { ...swiftshader[0], description: 'WebGPU: google swiftshader (fallback adapter)' };
    expect(badgeText('webgpu', sw, '', true)).toBe('Training on WebGPU: google swiftshader (fallback adapter) (emulated on the CPU)');
    expect(badgeText('webgpu', { ...hardware, description: 'WebGPU: NVIDIA H200' }, '', true)).toBe('Training on WebGPU: NVIDIA H200');
    expect(badgeText('wasm', lost, 'SIMD (f32x4), 2 threads', true)).toBe('Training on wasm: SIMD (f32x4), 2 threads');
    expect(badgeText('cpu', lost, '', false)).toBe('Training on the CPU (Float32Array): no WebAssembly SIMD here');
  });

  it('after a lost device: on what auto takes (wasm, else the CPU) the sentence gives the reason, no "as you chose"', () => {
    for (const simd of [true, false]) {
      const c = chooseDevice(lost, simd);
      const why = whyText(c, c.start);
      expect(why).toMatch(simd ? /^Training on WebAssembly SIMD: .*lost/ : /^Training on the CPU: .*lost/);
      expect(why).not.toMatch(/as you chose/);
      expect(unavailableWarning(lost, c.start)).toBe(`WebGPU is unavailable here, so the lab trains on ${simd ? 'WebAssembly SIMD' : 'the CPU'}. Reason: the GPU device was lost (destroyed)`);
    }
    // The student's own switch to the CPU: "as you chose", and the notice names the CPU, not wasm.
    const c = chooseDevice(lost, true);
    expect(whyText(c, 'cpu')).toMatch(/^Training on the CPU as you chose\. \(The engine's 'auto' takes WebAssembly SIMD/);
    expect(unavailableWarning(lost, 'cpu')).toMatch(/^WebGPU is unavailable here, so the lab trains on the CPU\./);
    expect(unavailableWarning(hardware, 'webgpu')).toBe('');
    expect(whyText(chooseDevice(swiftshader[0], true), 'webgpu')).toMatch(/^Training on WebGPU as you chose: this adapter emulates a GPU/);
  });

  it('a device lost mid-Train or mid-Fit: no notice while the net is still on WebGPU, the one shown once it has moved', () => {
    // The Train's last chunk fails and the page draws its views (drawAll, drawDevice) before it moves the net: the
    // session is still on WebGPU. A notice then said "so the lab trains on WebGPU" and, shown once per reason, was not
    // shown again on wasm (headless Chromium, device.destroy() mid-Train: the page ended with no notice).
    expect(unavailableWarning(lost, 'webgpu')).toBe('');
    expect(unavailableWarning(lost, chooseDevice(lost, true).start)).toMatch(/trains on WebAssembly SIMD\. Reason: the GPU device was lost/);
  });
});

describe('the "Train on" switch: each choice that is off says why (its title)', () => {
  const none = { available: false, reason: 'navigator.gpu is not defined' };
  const idle = { busy: '', hasNet: true };
  const kinds = ['webgpu', 'wasm', 'cpu'] as const;

  it('with a net loaded and nothing running, every device here is on, with no reason', () => {
    for (const kind of kinds) expect(switchOffReason(kind, hardware, true, idle), kind).toBe('');
  });

  it('a device missing here: WebGPU with the reason it is unavailable, wasm without WebAssembly SIMD; the CPU stays on', () => {
    expect(switchOffReason('webgpu', none, true, idle)).toBe('WebGPU is unavailable here: navigator.gpu is not defined');
    expect(switchOffReason('webgpu', { available: false }, true, idle)).toBe('WebGPU is unavailable here: unknown reason');
    expect(switchOffReason('wasm', hardware, false, idle)).toBe('no WebAssembly SIMD here');
    expect(switchOffReason('wasm', none, true, idle)).toBe('');
    expect(switchOffReason('cpu', none, false, idle)).toBe('');
  });

  it('no net yet, or an action running: every choice off, saying so; the missing device is said before either', () => {
    for (const kind of kinds) {
      expect(switchOffReason(kind, hardware, true, { busy: '', hasNet: false }), kind).toBe('no net loaded yet');
      expect(switchOffReason(kind, hardware, true, { busy: 'Train', hasNet: true }), kind).toBe('off while Train runs');
    }
    expect(switchOffReason('webgpu', none, true, { busy: 'Fit', hasNet: false })).toMatch(/^WebGPU is unavailable here: navigator\.gpu/);
  });
});

describe('wasm on 1 thread for want of cross-origin isolation: the visible sentence says so and how to serve the page', () => {
  it('a page without COOP/COEP (python -m http.server): the sentence under the switch names it, the two headers and npm run preview', async () => {
    // The backend as such a page makes it: crossOriginIsolated false, so no shared memory (WasmBackend's own reason).
    vi.stubGlobal('crossOriginIsolated', false);
    const b = await WasmBackend.create({ threads: 2 });
    try {
      expect(b.threads).toBe(1);
      const wasm = { threads: b.threads, singleThreadReason: b.singleThreadReason };
      const none = { available: false, reason: 'navigator.gpu is not defined' };
      for (const [a, kind] of [[none, 'wasm'], [swiftshader[0], 'wasm']] as const) {
        const c = chooseDevice(a, true);
        const why = whyText(c, kind, wasm);
        expect(why.startsWith(c.why)).toBe(true);
        // The two headers by name and value, as whoever serves the page must send them (a TA, not the student: README
        // "Putting the lab on a course's web server").
        expect(why).toMatch(/1 thread because the page is not cross-origin isolated: its server sent no Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp headers \(npm run preview sends them/);
      }
      // The student's own switch to wasm (auto takes WebGPU): the same clause after "as you chose".
      expect(whyText(chooseDevice(hardware, true), 'wasm', wasm)).toMatch(/^Training on WebAssembly SIMD as you chose\..*1 thread because the page is not cross-origin isolated/);
      // Not on another backend, and not when wasm has its threads (or 1 was asked for: no reason).
      expect(whyText(chooseDevice(none, true), 'cpu', wasm)).not.toMatch(/thread/);
      expect(whyText(chooseDevice(none, true), 'wasm', { threads: 2, singleThreadReason: null })).not.toMatch(/thread/);
      expect(whyText(chooseDevice(none, true), 'wasm', { threads: 1, singleThreadReason: null })).not.toMatch(/thread/);
    } finally {
      b.dispose();
    }
  });

  it("the Device & files tab's threads row: a net too small to split is said to run on 1 of them; the sentence under the switch stays as it was", () => {
    const none = chooseDevice({ available: false, reason: 'navigator.gpu is not defined' }, true);
    expect(threadsRow('wasm', { threads: 2, singleThreadReason: null, netThreads: 1 })).toBe('2 threads; this net runs on 1: a step of it is under 2¹⁸ multiply-adds, too little to split');
    expect(threadsRow('wasm', { threads: 2, singleThreadReason: null, netThreads: 2 })).toBe('2 threads');
    expect(threadsRow('wasm', { threads: 1, singleThreadReason: null, netThreads: 1 })).toBe('1 thread');
    expect(threadsRow('cpu', { threads: 2, singleThreadReason: null, netThreads: 1 })).toBeNull();
    // No line more under the switch (it would shrink the diagram above it: XOR's bias names to 8 px at 1280 × 800).
    expect(whyText(none, 'wasm', { threads: 2, singleThreadReason: null, netThreads: 1 })).not.toMatch(/thread/);
  });

  it('another reason for 1 thread is given as the backend words it', () => {
    expect(whyText(chooseDevice(hardware, true), 'wasm', { threads: 1, singleThreadReason: 'no Worker here' })).toMatch(/It runs on 1 thread: no Worker here\.$/);
  });
});

describe('curveBackends (the loss chart\'s axis)', () => {
  it('names what each stretch of the curve ran on, in order; the current backend for an empty curve', () => {
    // The points' backends as the chart hands them over: their runs, kept by its CurveIndex (LossChart.backends).
    const axis = (kinds: BackendKind[], current: BackendKind) => curveBackends(new CurveIndex().sync(kinds.map((kind, step) => ({ step, loss: 1, kind }))).runs, current);
    expect(axis([], 'wasm')).toBe('wasm');
    expect(axis(['wasm', 'wasm'], 'wasm')).toBe('wasm');
    // Trained on wasm, switched to the CPU (the curve carries over) before training there: still only wasm ran.
    expect(axis(['wasm'], 'cpu')).toBe('wasm');
    expect(axis(['webgpu', 'wasm', 'wasm', 'cpu'], 'cpu')).toBe('WebGPU, then wasm, then CPU');
  });
});

describe('verifyHolds', () => {
  it("Verify's line stays after an edit that computes the same pass (the lr, the names, a switch) and goes after one that does not", async () => {
    // XOR in mini-batches of 2, 3 steps trained: the next step (and a Verify) is on examples 2 and 3.
    const s = await LabSession.open(checkLabSpec(xorSpec(), 2), 'cpu', null);
    await s.train(3, () => undefined);
    const pass = async (t: LabSession) => {
      const rows = t.currentRows();
      const g = await t.model.grad(rows.x, rows.y);
      return JSON.stringify([g.loss, ...[g.Z, g.A, g.delta, g.dW, g.db].map((q) => q.map((a) => Array.from(a))), rows.x.length]);
    };
    const was = await pass(s);
    const layers = s.lab.spec.layers;
    const edits: [string, Partial<NetworkSpec>, number, boolean][] = [
      ['the lr', { lr: 0.3 }, 2, true],
      ['the names', { name: 'renamed', description: 'edited' }, 2, true],
      ['an activation', { layers: [{ ...layers[0], activation: 'sigmoid' }, layers[1]] }, 2, false],
      ['the loss', { loss: 'mse' }, 2, false],
      ['the reduction', { reduction: 'sum' }, 2, false],
      ['the batch size', {}, 4, false],
    ];
    for (const [what, edit, batch, holds] of edits) {
      // The page's Apply (main.ts): the edited spec with the weights as they are, going on from the session.
      const next = await LabSession.openFrom(checkLabSpec({ ...s.toSpec(), ...edit }, batch), 'cpu', null, s);
      expect(await pass(next) === was, `${what}: a Verify now runs the same pass`).toBe(holds);
      expect(verifyHolds(s.lab, next.lab), what).toBe(holds);
      next.dispose();
    }
    // A switch: the same net and cut on another backend (the line names the backend it compared).
    const switched = await LabSession.openFrom(checkLabSpec(s.toSpec(), 2), 'wasm', null, s);
    expect(verifyHolds(s.lab, switched.lab)).toBe(true);
    for (const t of [s, switched]) t.dispose();
  });
});

describe('keepsPreset', () => {
  it('the Preset menu stays on XOR only while the net is XOR\'s going on (an Apply that changed nothing); any other edit or weights drawn again from a seed take it off', async () => {
    // The XOR preset loaded and trained 3 steps; each edit as the page's Apply makes it (main.ts): the spec with the
    // weights as they are (`kept`), or without them and a seed (another seed typed, Re-initialise, New seed).
    const xor = await PRESETS.find((p) => p.id === 'xor')!.load();
    const s = await LabSession.open(checkLabSpec(xor.spec), 'cpu', null);
    await s.train(3, () => undefined);
    const going = s.toSpec();
    const [hidden, out] = going.layers;
    const reseeded = { ...omitKeys(going, 'params'), init: { scheme: 'xavier', seed: 7 } } as const;
    const edits: [string, NetworkSpec, number, boolean, boolean][] = [
      ['nothing changed', going, 4, true, true],
      ['the lr', { ...going, lr: 0.5 }, 4, true, false],
      ['an activation', { ...going, layers: [{ ...hidden, activation: 'sigmoid' }, out] }, 4, true, false],
      ['the loss', { ...going, loss: 'mse' }, 4, true, false],
      ['the reduction', { ...going, reduction: 'sum' }, 4, true, false],
      ['the batch size', going, 2, true, false],
      ['2-8-1 (new weights)', { ...reseeded, layers: [{ ...hidden, units: 8 }, out] }, 4, false, false],
      ['New seed', reseeded, 4, false, false],
      ['Re-initialise with the seed shown', { ...omitKeys(going, 'params'), init: { scheme: 'xavier', seed: 1 } }, 4, false, false],
    ];
    for (const [what, spec, batch, kept, stays] of edits) expect(keepsPreset(s.lab, checkLabSpec(spec, batch), kept), what).toBe(stays);
    // The lab's lr for a spec without one is the editor's field's default (0.1): the same net either way.
    const noLr = checkLabSpec(omitKeys(going, 'lr'));
    expect(keepsPreset(noLr, checkLabSpec({ ...going, lr: 0.1 }), true)).toBe(true);
    expect(keepsPreset(noLr, checkLabSpec({ ...going, lr: 0.2 }), true)).toBe(false);
    // The first net the page opens: no preset to keep.
    expect(keepsPreset(undefined, s.lab, true)).toBe(false);
    s.dispose();
  });
});

describe('a browser whose WebGPU never answers (requestAdapter or requestDevice that never settles)', () => {
  // Measured: headless Chromium 156 with requestAdapter replaced by a promise that never settles held the lab at
  // "Starting…" with no net and no word, and a Train pressed then failed with a TypeError (no session).
  it('the probe gives up after GPU_PROBE_MS with the reason, and a device that comes later is released', async () => {
    vi.useFakeTimers();
    const released: string[] = [];
    let answer: (v: string) => void = () => undefined;
    const opening = openWithin(new Promise<string>((r) => { answer = r; }), GPU_PROBE_MS, (late) => released.push(late));
    let settled = false;
    const outcome = opening.then(() => 'opened', (err: unknown) => err).finally(() => { settled = true; });
    await vi.advanceTimersByTimeAsync(GPU_PROBE_MS - 1);
    expect(settled).toBe(false); // a slow probe is waited for until the time is up
    await vi.advanceTimersByTimeAsync(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(WebGPUUnavailableError);
    expect((err as WebGPUUnavailableError).detail).toMatch(new RegExp(`no WebGPU adapter and device within ${GPU_PROBE_MS / 1000} s .*reload the page`));
    // The words the page shows (chooseDevice's sentence, the notice) carry the reason.
    const a = { available: false, reason: (err as WebGPUUnavailableError).detail };
    expect(chooseDevice(a, true).why).toMatch(/^Training on WebAssembly SIMD: no WebGPU device here \(the browser gave no WebGPU adapter and device within/);
    answer('late device');
    await vi.runAllTimersAsync();
    expect(released).toEqual(['late device']);
  });

  it('a probe that answers in time is the page\'s, its failure passed on as it is', async () => {
    vi.useFakeTimers();
    const released: string[] = [];
    await expect(openWithin(Promise.resolve('device'), GPU_PROBE_MS, (late) => released.push(late))).resolves.toBe('device');
    const refused = new WebGPUUnavailableError('requestAdapter returned null', 'no-adapter');
    await expect(openWithin(Promise.reject(refused), GPU_PROBE_MS, (late) => released.push(late))).rejects.toBe(refused);
    await vi.runAllTimersAsync();
    expect(released).toEqual([]);
  });

  it('the loss surface\'s own adapter and device: given up after GPU_PROBE_MS too, the reason its caption, a device that comes later destroyed', async () => {
    // Probed in headless Chromium with requestAdapter that never settles: the page started on wasm after 15 s, and
    // Draw on the Loss surface tab then stayed busy (40 s and on), every control of the page disabled.
    vi.useFakeTimers();
    let answer: (adapter: unknown) => void = () => undefined;
    let asked = 0;
    vi.stubGlobal('navigator', { gpu: { requestAdapter: () => new Promise((r) => { asked++; answer = r; }) } });
    let settled = false;
    const starting = startGpu({} as HTMLCanvasElement, {}).then(() => 'started', (err: unknown) => err).finally(() => { settled = true; });
    await vi.advanceTimersByTimeAsync(GPU_PROBE_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true); // it waited for good: Draw never ended
    const err = await starting;
    expect(err).toBeInstanceOf(Unavailable); // the view's own error: surface.ts draws the heatmap with its message
    expect((err as Unavailable).message).toMatch(new RegExp(`^the browser gave no WebGPU adapter and device within ${GPU_PROBE_MS / 1000} s`));
    // The next view (another net's first Draw: resetSurface makes a new one) while that request is still unanswered:
    // the heatmap at once, with the same reason — it waited GPU_PROBE_MS again, every control of the page disabled.
    let again: unknown = 'waiting';
    void startGpu({} as HTMLCanvasElement, {}).then(() => 'started', (e: unknown) => e).then((e) => { again = e; });
    await vi.advanceTimersByTimeAsync(0);
    expect(again).toBeInstanceOf(Unavailable);
    expect((again as Unavailable).message).toBe((err as Unavailable).message);
    expect(asked).toBe(1); // no second request piled on the hung one
    const destroyed: string[] = [];
    answer({ info: {}, requestDevice: async () => ({ destroy: () => destroyed.push('late device') }) });
    await vi.runAllTimersAsync();
    expect(destroyed).toEqual(['late device']);
    // Answered at last (destroyed): a later view asks again.
    void startGpu({} as HTMLCanvasElement, {}).catch(() => undefined);
    expect(asked).toBe(2);
  });

  it("the page's own probe given up on: the loss surface's first Draw draws the heatmap at once with its reason, and asks once that request has answered", async () => {
    // The page started on wasm after its probe (device-panel.ts probeGpu) waited GPU_PROBE_MS; the Loss surface tab's
    // first Draw then asked the same hung GPU process for its own adapter and waited GPU_PROBE_MS more, every control
    // of the page disabled, before the heatmap.
    vi.useFakeTimers();
    let answer: (adapter: unknown) => void = () => undefined;
    let asked = 0;
    vi.stubGlobal('navigator', { gpu: { requestAdapter: () => new Promise((r) => { asked++; answer = r; }) } });
    const { WebGpuBackend } = await import('../src/webgpu/backend.ts');
    const probe = openWithin(WebGpuBackend.create(), GPU_PROBE_MS, (late) => late.dispose()).then(() => 'opened', (err: unknown) => err);
    await vi.advanceTimersByTimeAsync(GPU_PROBE_MS);
    const reason = await probe;
    expect(reason).toBeInstanceOf(WebGPUUnavailableError);
    expect(asked).toBe(1);
    let drawn: unknown = 'waiting';
    void startGpu({} as HTMLCanvasElement, {}).then(() => 'started', (e: unknown) => e).then((e) => { drawn = e; });
    await vi.advanceTimersByTimeAsync(0);
    expect(drawn).toBeInstanceOf(Unavailable); // the heatmap at once, not after GPU_PROBE_MS more
    expect((drawn as Unavailable).message).toBe((reason as WebGPUUnavailableError).detail);
    expect(asked).toBe(1); // no request piled on the page's hung one
    // The page's request answers at last (a refusal here): the next Draw asks for its own adapter.
    answer(null);
    await vi.runAllTimersAsync();
    void startGpu({} as HTMLCanvasElement, {}).catch(() => undefined);
    expect(asked).toBe(2);
  });

  it('every control that acts on the net starts disabled in the page (updateButtons turns them on once it has started)', () => {
    const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
    const needsNet = ['step-forward', 'step-loss', 'step-backward', 'step-update', 'train', 'reset', 'new-seed', 'fit', 'verify', 'surface-draw', 'share', 'export-spec', 'export-svg', 'output-png', 'export-csv', 'export-png', 'backend-webgpu', 'backend-wasm', 'backend-cpu', 'editor-fields'];
    const enabled = needsNet.filter((id) => !new RegExp(`<[a-z]+ [^>]*id="${id}"[^>]*\\bdisabled\\b[^>]*>`).test(html));
    expect(enabled).toEqual([]);
  });
});
