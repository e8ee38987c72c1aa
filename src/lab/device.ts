/**
 * Which device the lab trains on, and why — in words a student can read. No DOM (test/lab-device.test.ts).
 *
 * The lab follows the engine's `'auto'` (src/backends.ts, createBackend): WebGPU on a hardware adapter; on a
 * software adapter — SwiftShader, Chromium's CPU emulation of a GPU, reported as a fallback adapter or named
 * SwiftShader in its vendor, architecture, device or description (../webgpu/software-adapter.ts) — or without
 * WebGPU, the wasm backend (WebAssembly SIMD, the fastest CPU path:
 * an emulated GPU runs every kernel on the CPU behind a GPU driver model, `npm run bench` measures the ratio);
 * the plain CPU path only where the engine has no WebAssembly SIMD. The page says which, and why. And whether Verify's
 * line still holds once the net goes on as another (verifyHolds), and whether the Preset menu may go on naming its
 * preset (keepsPreset).
 */
import type { BackendKind } from '../backend.ts';
import type { AdapterReport } from '../browser/harness.ts';
import { settleWithin } from '../browser/within.ts';
import { WebGPUUnavailableError } from '../errors.ts';
import { adapterOwnName, isSoftwareAdapter as softwareAdapter, namesSwiftShader } from '../webgpu/software-adapter.ts';
import { isFramed } from './framed.ts';
import { noteUnanswered } from './gpu-wait.ts';
import { labLr, type LabNet } from './session.ts';

export interface DeviceChoice {
  /** What the lab starts on (the engine's 'auto' choice). */
  start: BackendKind;
  /** Why 'auto' picks `start`. */
  autoWhy: string;
  /** One sentence for the page: where the lab trains and why. */
  why: string;
  /** A software (emulated) adapter. */
  software: boolean;
  /**
   * `autoWhy` with WebGPU's reason left to the notice (unavailableWarning gives it in full), for the sentence while
   * the notice shows it (whyText's `noticeShown`); only where WebGPU is unavailable.
   */
  briefAutoWhy?: string;
}

/**
 * How long the lab waits for WebGPU's adapter and device before it starts without them (../browser/within.ts, shared
 * with the bench page). A browser's requestAdapter or requestDevice that never settles (a GPU process that hangs) held
 * the page at "Starting…" with no net and no word.
 */
export { GPU_PROBE_MS } from '../browser/within.ts';

/**
 * `opening` (WebGpuBackend.create), or a WebGPUUnavailableError saying it did not answer within `ms`; a backend that
 * comes after that is given to `release` (the page has gone on without it), a late failure dropped. Until it settles,
 * gpu-wait.ts unansweredGpu gives the reason: the page's probe and the loss surface's views ask the same GPU process,
 * so a view need not wait `ms` more on a request of the page's that has no answer (surface-gpu.ts startGpu).
 */
export function openWithin<T>(opening: Promise<T>, ms: number, release: (late: T) => void): Promise<T> {
  return settleWithin(opening, ms, () => {
    const err = new WebGPUUnavailableError(`the browser gave no WebGPU adapter and device within ${ms / 1000} s (its GPU process may hang); reload the page to try again`);
    noteUnanswered(opening, err.detail);
    return err;
  }, release);
}

/** The device's name in a sentence ("Training on …"). */
export function deviceName(kind: BackendKind): string {
  return kind === 'webgpu' ? 'WebGPU' : kind === 'wasm' ? 'WebAssembly SIMD' : 'the CPU';
}

/** Verify's button: what it compares ("Verify WebGPU = CPU": on the CPU it read "Verify device = CPU"); null: no net yet. */
export function verifyLabel(against: 'webgpu' | 'wasm' | null): string {
  return against === null ? 'Verify against the CPU' : `Verify ${shortName(against)} = CPU`;
}

/** The device's short name, as the "Train on" choices show it (the loss chart's axis). */
function shortName(kind: BackendKind): string {
  return kind === 'webgpu' ? 'WebGPU' : kind === 'wasm' ? 'wasm' : 'CPU';
}

/** SwiftShader or another fallback adapter: a GPU emulated on the CPU (the engine's test, ../webgpu/software-adapter.ts). */
export function isSoftwareAdapter(a: AdapterReport): boolean {
  return a.available && softwareAdapter(a);
}

/**
 * The device panel's "WebGPU fallback adapter" row: the browser's flag, with the name the adapter's info gives
 * (SwiftShader, Chromium's; another's vendor and architecture or description), or that it gives none (Firefox's
 * fallback, Mesa's lavapipe, fills no field: "e.g. SwiftShader" there named a GPU it was not); and where the flag is
 * off but the adapter names SwiftShader, that it is an emulated GPU all the same (isSoftwareAdapter).
 */
export function fallbackRow(a: AdapterReport): string {
  if (a.isFallbackAdapter === true) {
    const name = namesSwiftShader(a) ? 'SwiftShader' : adapterOwnName(a, a.adapterDescription);
    return `yes — a CPU emulation of a GPU${name ? `: ${name}` : ', which the browser does not name (no vendor, architecture or description)'}`;
  }
  return isSoftwareAdapter(a) ? 'no, but it names SwiftShader: a CPU emulation of a GPU all the same' : 'no';
}

/**
 * The adapter in the page's words: "SwiftShader, a GPU emulated on the CPU" (or "a fallback adapter, …"), else its
 * name ("NVIDIA GeForce …"; its vendor and architecture where it gives no description).
 */
export function adapterWords(a: AdapterReport): string {
  const name = a.description || [a.vendor, a.architecture].filter(Boolean).join(' ') || 'a WebGPU adapter';
  if (!isSoftwareAdapter(a)) return name;
  return `${namesSwiftShader(a) ? 'SwiftShader' : 'a fallback adapter'}, a GPU emulated on the CPU`;
}

/** `wasmSimd`: whether this engine validates WebAssembly f32x4 SIMD (src/wasm/backend.ts, simdSupport). */
export function chooseDevice(a: AdapterReport, wasmSimd: boolean): DeviceChoice {
  const cpuPath = (reason: string, brief?: string): DeviceChoice => {
    const start: BackendKind = wasmSimd ? 'wasm' : 'cpu';
    const then = wasmSimd ? 'wasm SIMD is the fastest CPU path' : 'no WebAssembly SIMD here';
    const autoWhy = `${reason}; ${then}`;
    const choice: DeviceChoice = { start, autoWhy, software: isSoftwareAdapter(a), why: `Training on ${deviceName(start)}: ${autoWhy}.` };
    // On wasm, why wasm over the CPU ("the fastest CPU path") goes with the reason into the title: the sentence then
    // fits one line of the Training region at 1280 px. Without SIMD the notice does not say why the CPU: it stays.
    return brief === undefined ? choice : { ...choice, briefAutoWhy: wasmSimd ? brief : `${brief}; ${then}` };
  };
  if (!a.available) return cpuPath(`no WebGPU device here (${a.reason ?? 'unknown reason'})`, 'WebGPU is unavailable here (the notice says why)');
  const name = adapterWords(a);
  if (isSoftwareAdapter(a)) return cpuPath(`the adapter is ${name}`);
  const autoWhy = `an adapter (${name}) gave a device`;
  return { start: 'webgpu', autoWhy, software: false, why: `Training on the GPU (${name}): the engine's 'auto' choice, because ${autoWhy}.` };
}

/** The badge: where the net trains now (`kind`, the session's own). `wasmText`: the SIMD kind and threads. */
export function badgeText(kind: BackendKind, a: AdapterReport, wasmText: string, wasmSimd: boolean): string {
  // The backend's description already starts with "WebGPU:" (src/webgpu/backend.ts); the badge says it once.
  const adapter = (a.description ?? 'GPU').replace(/^WebGPU:\s*/, '');
  return kind === 'webgpu'
    ? `Training on WebGPU: ${adapter}${isSoftwareAdapter(a) ? ' (emulated on the CPU)' : ''}`
    : kind === 'wasm'
      ? `Training on wasm: ${wasmText}`
      : `Training on the CPU (Float32Array)${wasmSimd ? '' : ': no WebAssembly SIMD here'}`;
}

/** The wasm backend's threads as the sentence needs them (LabSession.wasm; WasmBackend.threads and singleThreadReason). */
export interface WasmThreads {
  threads: number;
  /** Why there are no worker threads (WasmBackend.singleThreadReason); null when there are, or 1 was all there was. */
  singleThreadReason: string | null;
  /**
   * The threads the current net runs on at the Train batch (WasmBackend.threadsFor): fewer than `threads` where a step
   * is too small to split (under 2¹⁸ multiply-adds: every preset but MNIST's); unknown when absent.
   */
  netThreads?: number;
}

/**
 * On wasm with 1 thread for want of shared memory, why, in the visible sentence (a page served by a plain web server,
 * python -m http.server, is not cross-origin isolated: no COOP/COEP headers, so no SharedArrayBuffer; a page that is
 * not a secure context never is, the headers or not; nor is one in a frame whose embedding page is not: `framed`,
 * framed.ts isFramed); '' otherwise.
 */
export function threadsText(kind: BackendKind, wasm: WasmThreads | null, framed = isFramed()): string {
  if (kind !== 'wasm' || !wasm || wasm.threads > 1 || !wasm.singleThreadReason) return '';
  // 'not': an isolated page whose browser still offers no SharedArrayBuffer (WebKitGTK) gets the backend's own reason.
  const isolation = /not cross-origin isolated/.test(wasm.singleThreadReason);
  // Not a secure context (plain http on a LAN address): browsers ignore COOP/COEP there, so the headers are not what
  // is missing (test/lab-device-insecure.test.ts).
  if (isolation && (globalThis as { isSecureContext?: boolean }).isSecureContext === false) {
    return 'It runs on 1 thread because the page is not cross-origin isolated: served over plain http from an address other than localhost, it cannot be (browsers honour the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers only over https, or on http://localhost / 127.0.0.1).';
  }
  // In a frame (a course page's iframe) the lab's own headers do not isolate it: the page around it must be isolated
  // and allow it. It said the server sent no headers to an instructor whose server sent them (framedThreads: the
  // page puts a link to the lab's own tab after it, device-panel.ts drawWhy; test/lab-framed.test.ts).
  if (isolation && framed) return FRAMED_THREADS;
  return isolation
    ? 'It runs on 1 thread because the page is not cross-origin isolated: its server sent no Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp headers (npm run preview sends them; README says how on a web server).'
    : `It runs on 1 thread: ${wasm.singleThreadReason}.`;
}

/** threadsText's sentence in a frame; the page follows it with a link that opens the lab in a tab of its own. */
export const FRAMED_THREADS = 'It runs on 1 thread because the lab is inside another page (a frame), which is not cross-origin isolated: a frame is isolated only when the page around it is too and allows it, whatever the lab\'s server sends.';

/** Whether the sentence under the switch ends with threadsText's frame sentence (the page then links to the lab's own tab). */
export function framedThreads(kind: BackendKind, wasm: WasmThreads | null, framed = isFramed()): boolean {
  return threadsText(kind, wasm, framed) === FRAMED_THREADS;
}

/**
 * The Device & files tab's 'threads' row on wasm: the backend's threads, and those the current net runs on where
 * fewer (a step too small to split); null on another backend. Not under the switch: a line more there shrinks the
 * diagram above it.
 */
export function threadsRow(kind: BackendKind, wasm: WasmThreads | null): string | null {
  if (kind !== 'wasm' || !wasm) return null;
  const all = `${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}`;
  return wasm.netThreads !== undefined && wasm.netThreads < wasm.threads
    ? `${all}; this net runs on ${wasm.netThreads}: a step of it is under 2¹⁸ multiply-adds, too little to split`
    : all;
}

/**
 * The sentence under the switch: 'auto''s reason when `kind` is what 'auto' takes, else "as you chose"; on wasm
 * held to 1 thread, why (threadsText). `noticeShown`: the notice shows WebGPU's reason (unavailableWarning) — the
 * sentence then leaves it to the notice (briefAutoWhy): repeated, the browser's reason took ~4 lines (75 px) under
 * the switch at 1280 × 800, height the Network region's diagram gave up (its text 7–10 px); the page gives the full
 * sentence as its title, and again once the notice is dismissed (device-panel.ts drawWhy).
 */
export function whyText(choice: DeviceChoice, kind: BackendKind, wasm: WasmThreads | null = null, noticeShown = false): string {
  const threads = threadsText(kind, wasm);
  const withThreads = (s: string) => (threads ? `${s} ${threads}` : s);
  const autoWhy = noticeShown && choice.briefAutoWhy !== undefined ? choice.briefAutoWhy : choice.autoWhy;
  if (kind === choice.start) return withThreads(autoWhy === choice.autoWhy ? choice.why : `Training on ${deviceName(kind)}: ${autoWhy}.`);
  const auto = `(The engine's 'auto' takes ${deviceName(choice.start)}: ${autoWhy}.)`;
  return withThreads(kind === 'webgpu' && choice.software
    ? `Training on WebGPU as you chose: this adapter emulates a GPU on the CPU, so the CPU paths are faster here. ${auto}`
    : `Training on ${deviceName(kind)} as you chose. ${auto}`);
}

/** What the "Train on" switch's choices depend on besides the device: the page's state (device-panel.ts updateButtons). */
export interface SwitchState {
  /** The action running (document.body.dataset.busy: 'Train', 'Switch to wasm', …); '' when none. */
  busy: string;
  /** Whether a net is loaded (none while the page starts, or after its first net failed). */
  hasNet: boolean;
}

/**
 * Why the "Train on" choice of `kind` is off, in words for its title (a disabled radio said nothing on hover or to a
 * screen reader, only the sentence under the switch gave a reason); '' when it is on. The lasting reason first: the
 * device missing here (WebGPU unavailable, with its reason; no WebAssembly SIMD), then no net, then an action running.
 */
export function switchOffReason(kind: BackendKind, a: AdapterReport, wasmSimd: boolean, state: SwitchState): string {
  if (kind === 'webgpu' && !a.available) return `WebGPU is unavailable here: ${a.reason ?? 'unknown reason'}`;
  if (kind === 'wasm' && !wasmSimd) return 'no WebAssembly SIMD here';
  if (!state.hasNet) return 'no net loaded yet';
  return state.busy ? `off while ${state.busy} runs` : '';
}

/**
 * The "Train on" choices off for good whose reason the page shows nowhere else, as a sentence after the one under the
 * switch (device-panel.ts drawWhy); '' when none. A reason in a title alone is read on hover (and by a screen reader):
 * a tablet has none. WebGPU's reason is in the notice, and in that sentence once it is dismissed; wasm's "no
 * WebAssembly SIMD here" is in it too wherever 'auto' falls back to the CPU — only beside a GPU that 'auto' takes it
 * was nowhere. No net yet and an action running are not said: they pass (the page says "Starting…", Stop and the
 * progress bar say what runs), and a line that came and went with every Train moved the regions under it.
 */
export function switchOffLine(choice: DeviceChoice, wasmSimd: boolean): string {
  return choice.start === 'webgpu' && !wasmSimd ? 'The wasm choice is off: no WebAssembly SIMD here.' : '';
}

/** Whether Verify has a device to compare with the CPU: WebGPU, or wasm (WebAssembly SIMD). */
export function verifyComparable(a: AdapterReport, wasmSimd: boolean): boolean {
  return a.available || wasmSimd;
}

/** Verify's reason for being off, shown under it (device-panel.ts drawDevice): '' when it has something to compare. */
export function verifyOffLine(a: AdapterReport, wasmSimd: boolean): string {
  return verifyComparable(a, wasmSimd) ? '' : 'Verify is off: it compares WebGPU or wasm with the CPU, and this browser has neither WebGPU nor WebAssembly SIMD.';
}

/**
 * The notice when WebGPU is unavailable (none, or the device was lost), naming what the lab trains on now; '' when it
 * is available, and '' while the net is still on WebGPU: a device lost mid-Train or mid-Fit leaves the session on it
 * until the action has failed and the page has moved the net (main.ts afterDeviceLoss). Said then, it read "so the lab
 * trains on WebGPU", and, shown once per reason (drawDevice), it was not shown again once the net had moved: after a
 * Train or Fit cut short by the loss the page named no reason at all.
 */
export function unavailableWarning(a: AdapterReport, kind: BackendKind): string {
  return a.available || kind === 'webgpu' ? '' : `WebGPU is unavailable here, so the lab trains on ${deviceName(kind)}. Reason: ${a.reason ?? 'unknown'}`;
}

/**
 * What the loss curve ran on, for its axis: its backends' runs in the order they ran (a backend switch keeps the
 * curve; the runs as the chart's CurveIndex keeps them: LossChart.backends), e.g. "wasm, then CPU"; `current` when
 * the curve is empty or its points name none.
 */
export function curveBackends(runs: readonly BackendKind[], current: BackendKind): string {
  return (runs.length > 0 ? runs : [current]).map(shortName).join(', then ');
}

/**
 * Whether Verify's line, measured on `before`, still describes the net going on as `after` (an edit that kept the
 * weights, a backend switch): Verify ran one forward and backward pass of the weights on the next mini-batch. The same
 * layers, activations, biases, loss and reduction, cut into the same mini-batches, compute that same pass (an edit of
 * the lr or the names; a switch, the line naming the backend it compared); another activation, loss, reduction or
 * batch size computes another, and the line goes (it stayed: the sigmoid net's numbers under its tanh edit).
 */
export function verifyHolds(before: LabNet, after: LabNet): boolean {
  return JSON.stringify(before.net) === JSON.stringify(after.net) && before.batchSize === after.batchSize && before.x.length === after.x.length;
}

/**
 * Whether the Preset menu may go on naming its preset once a load has taken the page from `before` to `after`
 * (`weightsKept`: the weights went on, main.ts load()'s `keep`, as after an Apply of the same shapes): only when
 * the net is the one it was — the same pass (verifyHolds: layers, activations, biases, loss, reduction, the same
 * mini-batches) at the same learning rate — with its weights going on (an Apply that changed nothing, a backend
 * switch). Another layer, activation, loss, η or batch size, or weights drawn again from a seed (a seed typed,
 * Re-initialise, New seed; Reset then returns to the drawn ones) is taken as a net the preset does not load: the menu
 * goes to "(your own data or net)", as after your data, a file or a link, so that choosing the preset loads it again
 * (a browser fires no change for the option already chosen: it stayed on XOR over a 2-8-1 net and choosing XOR loaded
 * nothing). The weights drawn are not compared: Re-initialise with the seed shown on a preset defined by that seed
 * draws the preset's own starting weights, and the menu leaves the preset all the same. Training does not move it:
 * that is the preset's net, trained (Reset returns to its weights).
 */
export function keepsPreset(before: LabNet | undefined, after: LabNet, weightsKept: boolean): boolean {
  if (!before || !weightsKept) return false;
  return verifyHolds(before, after) && labLr(before.spec) === labLr(after.spec);
}
