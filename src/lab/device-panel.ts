/**
 * The lab page's device region and notices: opening the GPU (probeGpu), the badge and the sentence saying where
 * the net trains and why (drawDevice; the choice itself is device.ts, no DOM), the adapter list, Verify, the
 * WebGPU / wasm / CPU switch, the notice, and which controls are enabled
 * (updateButtons: it depends on the device as much as on the session).
 */
import type { BackendKind } from '../backend.ts';
import { messageOf } from '../checks.ts';
import { BackpropError, WebGPUUnavailableError } from '../errors.ts';
import { noNavigatorGpu } from '../webgpu/gpu.ts';
import { badgeText, chooseDevice, fallbackRow, framedThreads, GPU_PROBE_MS, openWithin, switchOffLine, switchOffReason, threadsRow, unavailableWarning, verifyComparable, verifyLabel, verifyOffLine, whyText } from './device.ts';
import { $, markInvalid, writeText } from './dom.ts';
import { actionControl } from './fields.ts';
import { outputPngOn, outputPngWhy } from './output-shown.ts';
import { page, wasmSimd, type RunAction } from './page.ts';
import { errorLine, verifyLine } from './words.ts';

/**
 * The notice: a warning (no WebGPU) or an error, until the next action, its × button or Escape. Once the page has
 * started it is `pinned`: in the one column (under 1280 px), where the page scrolls, a notice shown on load takes
 * its place under the header (over no region), and a later one (a Fit, Train, Apply or Share that failed further
 * down) is pinned to the bottom of the screen, where the student is. On the wide layout it is fixed at the bottom of the screen,
 * in a strip the workspace gives up for it (wireDevice measures it), so it covers no control (style.css).
 */
function showNotice(kind: 'warn' | 'error', text: string): void {
  markField(null);
  const box = $('notice');
  $('notice-text').textContent = text;
  box.className = `notice ${kind}${document.body.dataset.ready === 'true' ? ' pinned' : ''}`;
  box.hidden = false;
  drawWhy();
}

/** The last control focused outside the notice (the button whose action failed): focus goes back there when it closes. */
let focusBefore: HTMLElement | null = null;

/** Close the notice (× or Escape); focus that was on it goes back to the control used last, else to the workspace. */
function dismissNotice(): void {
  const box = $('notice');
  const had = box.contains(document.activeElement);
  box.hidden = true;
  markField(null);
  drawWhy();
  if (!had) return;
  const back = focusBefore;
  if (back && back.isConnected && !(back as HTMLButtonElement).disabled && back.getClientRects().length > 0) back.focus();
  else $('main').focus();
}

/** The control an action's error is about (fieldControl), marked invalid and described by the notice; null: none. */
let marked: string | null = null;

/**
 * Mark the control with this id (aria-invalid, aria-describedby the notice's text), the one marked before unmarked.
 * NOTE: the notice alone said what was wrong (an alert, read once): a screen reader back on the field heard nothing
 * of it, and a field the browser's min/max does not flag (an empty Steps, an lr of 1e) was announced as fine.
 */
function markField(id: string | null): void {
  const before = marked === null ? null : document.getElementById(marked);
  if (before) markInvalid(before, null);
  marked = null;
  const e = id === null ? null : document.getElementById(id);
  if (!e) return;
  markInvalid(e, 'notice-text');
  marked = id;
}

/** An error on the notice: what failed, the error's name and field, its message, and `then` (what the page did instead). */
export function showError(what: string, err: unknown, then?: string): void {
  showNotice('error', errorLine(what, err, then));
}

/**
 * An action's error on the notice (showError), the control its field names marked — not for a file's or a link's
 * error (actionControl: an imported spec's `lr` is not the editor's).
 */
export function showActionError(what: string, err: unknown): void {
  showError(what, err);
  markField(actionControl(what, err instanceof BackpropError ? err.field : undefined));
}

export function hideError(): void {
  markField(null);
  const box = $('notice');
  // The class goes too: a hidden error box must not keep the device-loss warning from showing (drawDevice).
  if (box.classList.contains('error')) {
    box.hidden = true;
    box.className = 'notice';
    drawWhy();
  }
}

// ——— device ———
/** Open the WebGPU device (or say why there is none); `onLost` runs when the device is lost later. */
export async function probeGpu(onLost: () => void): Promise<void> {
  try {
    // Without navigator.gpu (a browser without WebGPU; any browser on plain http from a LAN address) the backend's code
    // — its chunk and the kernels', ~60 kB gzipped, a round trip more before the page is ready — is not fetched for
    // nothing: the same reason getGpu gives (test/lab-probe-gpu.test.ts).
    if (!navigator.gpu) throw noNavigatorGpu();
    // A dropped connection here said only "WebGPU is unavailable here … Reason: Failed to fetch dynamically imported
    // module: …", as if the browser had none: it names the code and the way to try again (a reload keeps a link's net).
    const { WebGpuBackend } = await import('../webgpu/backend.ts').catch((err: unknown) => {
      throw new Error(`the WebGPU backend's code did not load (${messageOf(err)}); check the connection and reload the page to try again`, { cause: err });
    });
    // Within GPU_PROBE_MS, else the page starts without WebGPU, saying why (a device that comes later is released).
    page.gpu = await openWithin(WebGpuBackend.create(), GPU_PROBE_MS, (late) => late.dispose());
    const info = page.gpu.adapterInfo;
    page.adapter = { available: true, description: page.gpu.description, vendor: info.vendor, architecture: info.architecture, device: info.device, adapterDescription: info.description, isFallbackAdapter: info.isFallbackAdapter };
    // The page never destroys this device, so any loss is real (NOTE: Chromium reports a device lost to a failed
    // canvas swap chain with reason 'destroyed' too). The session's CPU copy of the weights (read back after
    // every Update and Train) goes on on the CPU.
    page.gpu.device.lost.then((lost) => {
      page.adapter = { available: false, reason: `the GPU device was lost (${lost.message || lost.reason})` };
      page.gpu = null;
      onLost();
    });
  } catch (err) {
    page.gpu = null;
    page.adapter = { available: false, reason: err instanceof WebGPUUnavailableError ? err.detail : messageOf(err) };
  }
}

/** The wasm backend in a few words: the SIMD kind and the threads (the full description is the badge's title). */
function wasmBadge(): string {
  const w = page.session?.wasm;
  if (!w) return 'WebAssembly SIMD';
  return `${w.simd === 'relaxed' ? 'relaxed SIMD (FMA)' : 'SIMD (f32x4)'}, ${w.threads} thread${w.threads === 1 ? '' : 's'}`;
}

/**
 * The sentence under the switch (device.ts whyText): while the notice shows WebGPU's reason (its warning, on screen),
 * short — the notice says why — and the full sentence its title (on hover; a screen reader reads the notice, and the
 * sentence's description); the whole sentence again once the notice is dismissed or an error takes its place.
 */
function drawWhy(): void {
  const choice = chooseDevice(page.adapter, wasmSimd);
  const kind = page.session?.kind ?? choice.start;
  const wasm = page.session?.wasm ?? null;
  const box = $('notice');
  const full = whyText(choice, kind, wasm);
  const shown = whyText(choice, kind, wasm, !box.hidden && box.classList.contains('warn'));
  const why = $('device-why');
  // A choice of the switch off for good whose reason is nowhere else on the page, said after it (its title is hover-only).
  const off = switchOffLine(choice, wasmSimd);
  why.textContent = off ? `${shown} ${off}` : shown;
  why.title = shown === full ? '' : off ? `${full} ${off}` : full;
  // In a frame without isolation, the way to threads: the lab in a tab of its own, where its server's headers count.
  if (framedThreads(kind, wasm)) why.append(' ', ownTabLink());
}

/** A link that opens the lab, on the net it shows (a share link's address where it is on one), in a tab of its own. */
function ownTabLink(): HTMLAnchorElement {
  const a = document.createElement('a');
  a.id = 'own-tab';
  a.href = location.href;
  a.target = '_blank';
  a.rel = 'noopener';
  a.textContent = 'Open the lab in its own tab';
  a.addEventListener('click', () => { a.href = location.href; });
  return a;
}

/** The reason of the last "WebGPU is unavailable" warning shown. */
let warnedReason = '';
export function drawDevice(): void {
  const choice = chooseDevice(page.adapter, wasmSimd);
  const kind = page.session?.kind ?? choice.start;
  const badge = $('device-badge');
  // Only when its words change: it is a live region, and drawDevice runs after every action (dom.ts writeText).
  writeText(badge, badgeText(kind, page.adapter, wasmBadge(), wasmSimd));
  badge.title = page.session?.description ?? '';
  badge.className = `badge ${kind}`;
  badge.dataset.backend = kind;
  const webgpuRadio = $<HTMLInputElement>('backend-webgpu');
  webgpuRadio.checked = kind === 'webgpu';
  $<HTMLInputElement>('backend-cpu').checked = kind === 'cpu';
  $<HTMLInputElement>('backend-wasm').checked = kind === 'wasm';
  const dl = $('adapter');
  dl.replaceChildren();
  const row = (k: string, v: string) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  };
  if (page.session) row('backend', page.session.description);
  const threads = threadsRow(kind, page.session?.wasm ?? null);
  if (threads) row('threads', threads);
  if (page.adapter.available) {
    // Named as the WebGPU adapter's: under "backend WebAssembly …" a bare "vendor google, architecture swiftshader"
    // read as where wasm runs.
    row('WebGPU vendor', page.adapter.vendor || '(not reported)');
    row('WebGPU architecture', page.adapter.architecture || '(not reported)');
    row('WebGPU fallback adapter', fallbackRow(page.adapter));
  } else {
    row('WebGPU', 'unavailable');
  }
  // Once per reason (drawDevice runs after every action; a dismissed warning stays dismissed until the reason
  // changes); a warning on screen follows the backend (the student may switch to the CPU). An error on screen stays.
  const warning = unavailableWarning(page.adapter, kind);
  const box = $('notice');
  const reason = page.adapter.available ? '' : page.adapter.reason ?? '';
  if (warning && reason !== warnedReason && !(box.classList.contains('error') && !box.hidden)) {
    warnedReason = reason;
    showNotice('warn', warning);
  } else if (warning && box.classList.contains('warn') && !box.hidden) {
    $('notice-text').textContent = warning;
  }
  drawWhy();
  $<HTMLButtonElement>('verify').title = verifyComparable(page.adapter, wasmSimd) ? '' : 'needs WebGPU or WebAssembly SIMD';
  // Shown under the button too: a title is read on hover alone, and a tablet has none.
  writeText($('verify-why'), verifyOffLine(page.adapter, wasmSimd));
  updateButtons();
}

/** Why the loss curve's files are off (their title, and the line under them). */
export const NO_CURVE_YET = 'no loss curve yet: Update, Train or Fit first';

export function updateButtons(): void {
  const s = page.session;
  const stage = s?.stage ?? 'none';
  const busy = Boolean(document.body.dataset.busy);
  const enable = (id: string, on: boolean) => { $<HTMLButtonElement>(id).disabled = busy || !on; };
  enable('step-forward', Boolean(s));
  enable('step-loss', Boolean(s?.pass) && stage !== 'update' && stage !== 'none');
  enable('step-backward', Boolean(s?.pass) && (stage === 'loss' || stage === 'backward'));
  enable('step-update', Boolean(s));
  enable('train', Boolean(s));
  enable('reset', Boolean(s));
  enable('new-seed', Boolean(s));
  // Loading another net needs no net loaded: once the page has started, these stay on even if its first net failed.
  const started = Boolean(s) || document.body.dataset.ready === 'true';
  enable('open-import', started);
  // Everything that starts an action is off while one runs (run() would drop it) — Stop is the exception.
  const comparable = verifyComparable(page.adapter, wasmSimd);
  enable('verify', Boolean(s) && comparable);
  // What it compares: on the CPU it read "Verify device = CPU" while it compared WebGPU (or wasm) with the CPU; off,
  // with neither to compare, it named wasm ("Verify wasm = CPU") in a browser without SIMD — the plain label then.
  $('verify').textContent = verifyLabel(s && comparable ? s.verifyAgainst() : null);
  enable('surface-draw', Boolean(s));
  enable('share', Boolean(s));
  enable('export-spec', Boolean(s));
  // The diagram is drawn as soon as a net is: its file too (file-actions.ts).
  enable('export-svg', Boolean(s));
  // The loss curve's files once there is a curve (a fresh net, or one Reset, has none: they saved an empty curve, saying
  // nothing), as Loss and Backward wait for their step.
  // Why they are off is shown under them too (#files-why): a title is read on hover alone, and a tablet has none — a
  // student tapping Loss curve CSV before training saw nothing happen and no reason.
  const why = s?.history.length ? '' : NO_CURVE_YET;
  for (const id of ['export-csv', 'export-png']) {
    enable(id, Boolean(s?.history.length));
    $(id).title = why;
  }
  // Output PNG: the Output's plot as drawn now (output-png.ts), off where the Output shows none — saying why, as above.
  const outputWhy = s ? outputPngWhy() : '';
  enable('output-png', outputPngOn(Boolean(s)));
  $('output-png').title = outputWhy;
  writeText($('files-why'), [why === '' ? '' : `Loss curve CSV and PNG: ${why}.`, outputWhy === '' ? '' : `Output PNG: ${outputWhy}.`].filter(Boolean).join(' '));
  for (const id of ['preset', 'import-spec']) $<HTMLInputElement>(id).disabled = busy || !started;
  // It resets the loss surface (views.ts): during a Draw, that disposed the view being drawn.
  $<HTMLInputElement>('surface-soft').disabled = busy;
  // Each choice of the switch off with its reason as its title (on hover, and a screen reader's description of the
  // radio; Verify's button does the same), cleared when it is on.
  for (const kind of ['webgpu', 'wasm', 'cpu'] as const) {
    const reason = switchOffReason(kind, page.adapter, wasmSimd, { busy: document.body.dataset.busy ?? '', hasNet: Boolean(s) });
    const radio = $<HTMLInputElement>(`backend-${kind}`);
    radio.disabled = reason !== '';
    radio.title = reason;
    // The label too: its words are what a student hovers over (the radio's circle is small).
    if (radio.parentElement instanceof HTMLLabelElement) radio.parentElement.title = reason;
  }
  $<HTMLFieldSetElement>('editor-fields').disabled = busy || !s;
  $<HTMLButtonElement>('stop').disabled = document.body.dataset.busy !== 'Train' && document.body.dataset.busy !== 'Fit';
  enable('fit', Boolean(s));
  for (const b of document.querySelectorAll<HTMLButtonElement>('.stepbar button[data-stage]')) {
    b.setAttribute('aria-pressed', String(b.dataset.stage === stage));
  }
}

/** Verify's line emptied (another net: its numbers were the last net's). */
export function clearVerify(): void {
  const out = $('verify-out');
  out.textContent = '';
  delete out.dataset.max;
  delete out.dataset.against;
}

/** The notice's × button and Escape, the backend switch and Verify. `switchBackend` is main.ts's (it reloads the net). */
export function wireDevice(run: RunAction, switchBackend: (kind: BackendKind) => Promise<void>): void {
  $('notice-close').addEventListener('click', dismissNotice);
  // The strip the wide workspace gives up while a notice shows (style.css): its height and the 12 px under it;
  // 0 when hidden (a hidden box measures 0). The observer runs before the next paint: the notice never covers
  // the Train on switch, not even for a frame.
  const box = $('notice');
  new ResizeObserver(() => {
    const h = box.hidden ? 0 : box.getBoundingClientRect().height + 12;
    document.documentElement.style.setProperty('--notice-h', `${h}px`);
  }).observe(box);
  document.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLElement && !$('notice').contains(e.target)) focusBefore = e.target;
  });
  // Escape closes the notice, unless a dialog is open (Escape closes that).
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('notice').hidden && !document.querySelector('dialog[open]')) dismissNotice();
  });
  for (const kind of ['webgpu', 'wasm', 'cpu'] as const) {
    $(`backend-${kind}`).addEventListener('change', () => void run(`Switch to ${kind}`, () => switchBackend(kind)));
  }
  $('verify').addEventListener('click', () => void run('Verify', async () => {
    const r = await page.session!.verify();
    const out = $('verify-out');
    out.textContent = verifyLine(r, page.adapter);
    out.dataset.max = String(r.max);
    out.dataset.against = r.against;
  }));
}
