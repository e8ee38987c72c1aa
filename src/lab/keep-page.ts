/**
 * The page's side of keep.ts: the net kept in the tab's sessionStorage after each action (main.ts run(); written when the
 * page is idle: KeepQueue) and again when
 * the page is hidden or left (`visibilitychange` to hidden, `pagehide`: the last moments a phone's browser gives a tab it
 * may discard; `beforeunload` does not come there), and restored when the page opens without another link (main.ts
 * openLink). sessionStorage, not localStorage: it is the tab's own, so that two tabs of the lab each keep their own net
 * and a new tab opens the page's start; it outlives a reload and a discarded tab's restore.
 */
import type { BackendKind } from '../backend.ts';
import { messageOf } from '../checks.ts';
import { deviceName } from './device.ts';
import { LazyCodeError } from './lazy.ts';
import { $ } from './dom.ts';
import { checkFitSettings, checkLink, dataFor, isLink, type FitSettings } from './files.ts';
import { KeepQueue, keptOf, MAX_KEEP_CHARS, readKept, removeKept, writeKept, type Kept, type KeepStorage, type WhenIdle } from './keep.ts';
import { page, wasmSimd } from './page.ts';
import { preset, showPreset, shownPreset, type PresetData } from './presets.ts';
import { showTab } from './tabs.ts';
import { fitSettings, showFitSettings } from './training.ts';
import { drawAll } from './views.ts';
import { count } from './words.ts';

/** The tab's sessionStorage, or null where the page may not use it (a sandboxed frame: SecurityError). */
function storage(): KeepStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** The state to keep (the queue's last written) as keptBody's text, null for none. */
let latest: string | null = null;
/** The body last written (none: null): a hide after an action's write writes only the place. */
let written: string | null = null;
/** keepNow's calls: only the last one's state is kept (an earlier one may end after it). */
let asked = 0;
/**
 * The entry could not be restored for now (its MNIST digits did not load: offline): it stays, for the next reload,
 * until a trained net of this page replaces it — not removed by an action that leaves nothing to keep, nor by a hide.
 */
let held = false;
/** Said once a page: the net is not kept (too big, the storage refused it, or there is none: tell). */
let told = false;

const openTab = (): string => document.querySelector('.tabs [role="tab"][aria-selected="true"]')?.id ?? '';

/** The entry written now: the state last made a body, with the address and the tab open now (or removed: nothing to keep). */
function writeNow(): void {
  const store = storage();
  if (held) return;
  if (!store) {
    // A frame the browser gives no storage (third-party storage blocked: an LMS's iframe), or storage turned off.
    if (latest !== null) tell('the browser gives this page no storage here');
    return;
  }
  const r = writeKept(store, latest, { address: location.hash, tab: openTab() }, MAX_KEEP_CHARS, latest !== null && latest === written);
  written = 'kept' in r ? latest : null;
  if ('refused' in r) console.info(`The net is not kept for a reload: the browser refused it (${r.refused}).`);
  if ('tooBig' in r) tell(`it is ${r.tooBig.toLocaleString('en')} characters, more than the ${MAX_KEEP_CHARS.toLocaleString('en')} the page keeps`);
  else if ('refused' in r) tell('the browser refused it (its storage is full)');
}

/** Say once a page, under the Training buttons, why the net is not kept. */
function tell(why: string): void {
  if (told) return;
  told = true;
  const out = $('train-out');
  out.textContent = `${out.textContent ?? ''} This net is not kept for a reload (${why}): Export spec keeps it.`.trim();
}

/**
 * When the page is idle (requestIdleCallback; within a second if it never is), else — WebKit has none — a timer past the
 * next paint.
 */
const whenIdle: WhenIdle = (run) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1_000 });
  else setTimeout(run, 100);
};

/** The states actions took, written when the page is idle (or hidden: wireKeep). */
const queue = new KeepQueue((body) => {
  latest = body;
  writeNow();
}, whenIdle);

/**
 * Take the page's state to keep now (after an action: its checkpoint read with Model.save), written when the page is
 * idle (the queue: a burst of actions, one write) or at once where it is hidden already. A save that
 * fails (a lost device, a net replaced since) keeps what was kept before, the console saying why.
 */
export async function keepNow(): Promise<void> {
  const n = ++asked;
  const { session, data } = page;
  let k: Kept | null = null;
  try {
    if (session && data) {
      let fit: unknown;
      try {
        fit = checkFitSettings(session.lab, fitSettings());
      } catch {
        fit = undefined; // a field being typed: the panel's defaults come back
      }
      k = await keptOf({ session, data, fit, menu: shownPreset(), line: $('train-out').textContent ?? '' });
    }
  } catch (err) {
    if (n === asked) console.info(`The net is not kept for a reload: ${messageOf(err)}`);
    return;
  }
  if (n !== asked || (held && k === null)) return;
  held = false;
  queue.take(k);
  if (document.visibilityState === 'hidden') queue.flush();
}

/** Hidden or left: the state an action took and the queue has not written yet, else the place alone (the tab open now). */
function onHide(): void {
  if (!queue.flush()) writeNow();
}

/** Keep on hiding and leaving (main.ts start). */
export function wireKeep(): void {
  window.addEventListener('pagehide', onHide);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') onHide(); });
}

/** main.ts's load() as restoreKept calls it. */
export type LoadKept = (data: PresetData, why: string, options: { kind?: BackendKind; fromLink?: boolean; preset?: string }) => Promise<void>;

/**
 * Restore the tab's kept net (readKept: none, another build's, or one of another link: false), as a share link of it
 * opens (checkLink, dataFor; MNIST's digits fetched again, `progress` showing it), on the backend it was on where this
 * page has it, then its checkpoint, curves and counts (LabSession.resumeKept), the Fit panel, the Preset menu, the
 * line under the Training buttons and the tab. Anything refused on the way is a console note, not an error on the
 * page: false, and the page opens as without it — but for data or code that did not load (a LazyCodeError: offline),
 * thrown, the entry kept for the next reload.
 */
export async function restoreKept(load: LoadKept, progress: (line: string) => void): Promise<boolean> {
  const store = storage();
  if (!store) return false;
  const k = readKept(store, location.hash, isLink, (line) => console.info(line));
  if (!k) return false;
  try {
    let data: PresetData | undefined;
    let fit: FitSettings | undefined;
    if (k.preset !== undefined) {
      data = await preset(k.preset)!.load(progress);
      const link = checkLink({ spec: { ...k.spec, x: data.spec.x, y: data.spec.y }, batchSize: k.batchSize, fit: k.fit });
      data = { ...data, spec: link.lab.spec, batchSize: k.batchSize };
      fit = link.fit;
    } else {
      const link = checkLink({ spec: k.spec, batchSize: k.batchSize, fit: k.fit, worked: k.worked });
      data = dataFor(link.lab.spec, k.batchSize, link.own);
      fit = link.fit;
    }
    const kind = k.kind === 'wasm' && !wasmSimd ? undefined : k.kind;
    await load({ ...data, ...k.data }, 'restored from before the reload', { kind, fromLink: true, preset: k.menu });
    const s = page.session!;
    await s.resumeKept(k);
    showPreset(preset(k.menu) ? k.menu : '');
    if (fit) showFitSettings(fit);
    // The Fit's summary (its loss, validation loss, where early stop ended it): load emptied the line (clearTrainLine).
    if (k.line !== undefined) $('train-out').textContent = k.line;
    if (document.getElementById(k.tab)?.matches('.tabs [role="tab"]')) showTab(k.tab);
    drawAll();
    const moved = s.kind === k.kind ? '' : ` (it was on ${deviceName(k.kind)}, which this page does not have)`;
    $('stage-out').textContent = `Restored your net from before the reload: ${count(s.steps, 'step')} and its loss curve, on ${deviceName(s.kind)}${moved}. Reset starts over from its starting weights.`;
    return true;
  } catch (err) {
    if (err instanceof LazyCodeError) {
      held = true;
      throw err;
    }
    console.info(`The net kept from before the reload is not restored: ${messageOf(err)}`);
    removeKept(store);
    return false;
  }
}
