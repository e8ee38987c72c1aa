/**
 * The net kept across a reload (README "The course lab", **Back, reload and a second tab.**): what the page writes to
 * the tab's sessionStorage after each action and when it is hidden or left (keep-page.ts), and reads back when it
 * loads again — a reload, a tab the browser discarded and restores, a crashed tab reloaded. No DOM here: the entry's
 * text, its checks, and what a LabSession gives and takes.
 *
 * What is kept is what Share carries (the spec, the batch size, the Fit panel's settings, an opened worked example), the
 * spec with its starting weights (those Reset goes back to), and beside it the model's checkpoint (Model.save: the
 * weights now, the optimiser's state, the epochs; base64), the loss curves, the step count and where the pass is, the
 * backend, the Preset menu, the line under the Training buttons (a Fit's summary) and the tab open. MNIST's digits are not kept (784 000 numbers, past the quota as JSON): the
 * entry names the preset, whose digits are fetched again.
 */
import type { BackendKind } from '../backend.ts';
import { toBase64, fromBase64 } from '../base64.ts';
import { describe, isObject, messageOf } from '../checks.ts';
import { SpecError } from '../errors.ts';
import { paramsToSpec, type RowsSpec } from '../spec.ts';
import { loadCheckpoint } from '../train/checkpoint.ts';
import { ownWorked } from './files.ts';
import type { PresetData } from './presets.ts';
import { omitKeys, type LabSession, type LossPoint } from './session.ts';

/** The sessionStorage key of the entry's body (keptBody): one a tab (sessionStorage is the tab's own). */
export const KEEP_KEY = 'backprop-lab:kept-net';

/** The key of where the page stood (KeptPlace as JSON), written on its own: a few characters when the page is hidden. */
export const KEEP_PLACE_KEY = 'backprop-lab:kept-place';

/** The entry's format: an entry of another (an older build's) is ignored. */
export const KEEP_FORMAT = 'backprop-lab kept net 1';

/**
 * The longest entry written, in characters of JSON: sessionStorage holds ~5 MB an origin (Safari's; Chromium's is
 * larger: 5 241 856 characters in one key, measured), shared by the origin's pages in the tab. MNIST's 784-32-10
 * after a Fit of Adam is 939 799 (README "The course lab", **Back, reload and a second tab.**).
 */
export const MAX_KEEP_CHARS = 2_000_000;

/** The presets whose data the entry names instead of holding it, by the data's kind: MNIST's digits, whatever its net. */
const DATA_BY_PRESET = new Map<PresetData['kind'], string>([['mnist', 'mnist']]);
const PRESETS_BY_NAME = new Set(DATA_BY_PRESET.values());

/** The data's parts that Share does not carry and a page made them with (your data's validation rows, its columns). */
export type KeptData = Pick<PresetData, 'labels' | 'classes' | 'validation' | 'imported'>;

/** What the page keeps of its net and its training. */
export interface Kept {
  /** The net: its starting weights as params (Reset's), its rows; none where `preset` names the data. */
  spec: RowsSpec | Omit<RowsSpec, 'x' | 'y'>;
  /** The preset whose data this is (fetched again: MNIST's digits), else undefined. */
  preset?: string;
  batchSize: number;
  data: KeptData;
  /** An opened worked example ({file, example}, as a share link's &worked=). */
  worked?: { file: string; example: unknown };
  /** The Fit panel's settings (checked as a link's when restored), when they were valid. */
  fit?: unknown;
  /** The Preset menu's preset ('' for your own data or net). */
  menu: string;
  kind: BackendKind;
  /** Model.save's bytes: the weights now, the optimiser's state, the epochs. */
  checkpoint: Uint8Array;
  history: LossPoint[];
  validation: LossPoint[];
  steps: number;
  batchIndex: number;
  fits: number;
  /**
   * The line under the Training buttons (#train-out: the last Train's or Fit's summary, "… (stopped early …; the net
   * holds epoch 8, the best): loss … validation loss …"), shown again after the restore; none where it was empty, and
   * none in an entry an earlier build wrote (it still loads).
   */
  line?: string;
}

/** Where the page stood when the entry was written: its address's fragment (a link there) and the tab open. */
export interface KeptPlace {
  address: string;
  tab: string;
}

/** The parts of the page the entry takes (page.ts's). */
export interface KeepSource {
  session: LabSession;
  data: PresetData;
  fit: unknown;
  menu: string;
  /** The line under the Training buttons now ('' or undefined: none). */
  line?: string;
}

/**
 * What there is to keep of `src`, or null where nothing is: no step taken and no fit begun since the net was loaded or
 * Reset (a reload then opens the page's start, as it always did). The checkpoint is read from the model (save()).
 */
export async function keptOf(src: KeepSource): Promise<Kept | null> {
  const { session: s, data } = src;
  if (s.steps === 0 && s.fits === 0) return null;
  const checkpoint = await s.model.save();
  const preset = DATA_BY_PRESET.get(data.kind);
  const start = { ...omitKeys(s.lab.spec, 'init'), params: paramsToSpec(s.net, s.initial) };
  const own = ownWorked(data);
  const extra: KeptData = {};
  for (const key of ['labels', 'classes', 'validation', 'imported'] as const) if (data[key] !== undefined) Object.assign(extra, { [key]: data[key] });
  return {
    spec: preset ? omitKeys(start, 'x', 'y') : start,
    ...(preset && { preset }),
    batchSize: s.lab.batchSize,
    data: extra,
    ...(own && { worked: { file: own.file, example: own.worked } }),
    ...(src.fit !== undefined && { fit: src.fit }),
    menu: src.menu,
    kind: s.kind,
    checkpoint,
    // Copies: the session's curves grow on after this (a Fit), the entry stays that of the checkpoint.
    history: s.history.map((p) => ({ ...p })),
    validation: s.validation.map((p) => ({ ...p })),
    steps: s.steps,
    batchIndex: s.batchIndex,
    fits: s.fits,
    ...(src.line && { line: src.line }),
  };
}

/**
 * The entry's text: the Kept as JSON with the format, its checkpoint in base64 — the costly part (MNIST's ~0.9 M
 * characters: ~26 ms to make, 21–42 ms for Chromium's setItem), made and written when the page is idle after an action
 * (KeepQueue), not when it is hidden: then only the place (KEEP_PLACE_KEY) is written, unless an action's state waits.
 */
export function keptBody(k: Kept): string {
  return JSON.stringify({ format: KEEP_FORMAT, ...k, checkpoint: toBase64(k.checkpoint) });
}

/** Run a callback when the page is idle (keep-page.ts: requestIdleCallback, a timer where there is none). */
export type WhenIdle = (run: () => void) => void;

/**
 * The state actions took (keptOf), waiting to be written (keptBody and setItem: ~50 to 100 ms on MNIST's net) when the
 * page is idle, off the action's path to the next paint: a burst of actions is one write, of the last one's state. A
 * hide writes what waits at once (flush), synchronously: an action, then the tab hidden and discarded before the page
 * was idle, keeps the action's net. Nothing to keep (`null`: Reset, a new net) is written at once: it costs nothing,
 * and a reload after it must not bring back the net before.
 */
export class KeepQueue {
  private pending: { kept: Kept | null } | undefined;
  private scheduled = false;

  constructor(private readonly write: (body: string | null) => void, private readonly whenIdle: WhenIdle) {}

  /** The state an action left (null: nothing to keep), written when the page is idle unless a later one replaces it. */
  take(kept: Kept | null): void {
    this.pending = { kept };
    if (kept === null) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    this.whenIdle(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Write the state waiting now, if one waits (a hide); true if it wrote. */
  flush(): boolean {
    const p = this.pending;
    if (!p) return false;
    this.pending = undefined;
    this.write(p.kept && keptBody(p.kept));
    return true;
  }
}

const KINDS: readonly BackendKind[] = ['cpu', 'wasm', 'webgpu'];

function object(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) throw new SpecError(field, `must be an object, got ${describe(v)}`);
  return v;
}

function backendKind(v: unknown, field: string): BackendKind {
  if (!KINDS.includes(v as BackendKind)) throw new SpecError(field, `must be one of ${KINDS.join(', ')}, got ${describe(v)}`);
  return v as BackendKind;
}

function whole(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new SpecError(field, `must be a whole number ≥ ${min}, got ${describe(v)}`);
  return v;
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new SpecError(field, `must be a string, got ${describe(v)}`);
  return v;
}

function curve(v: unknown, field: string): LossPoint[] {
  if (!Array.isArray(v)) throw new SpecError(field, `must be an array, got ${describe(v)}`);
  return v.map((p, i) => {
    const o = object(p, `${field}[${i}]`);
    const step = whole(o.step, `${field}[${i}].step`);
    if (typeof o.loss !== 'number' || !Number.isFinite(o.loss)) throw new SpecError(`${field}[${i}].loss`, `must be a finite number, got ${describe(o.loss)}`);
    return o.kind === undefined ? { step, loss: o.loss } : { step, loss: o.loss, kind: backendKind(o.kind, `${field}[${i}].kind`) };
  });
}

/**
 * An entry as written (keptBody's text, and its place's JSON), checked: a SpecError naming the field (under `kept.`) for one of another
 * format or build, cut, or edited; the checkpoint as Model.load checks it (loadCheckpoint: its errors name `checkpoint`).
 * The spec, the data and the settings are checked where they load (as a share link's: keep-page.ts).
 */
export function decodeKept(body: string, placeText: string | null): Kept & KeptPlace {
  const parse = (textOf: string, field: string): Record<string, unknown> => {
    let raw: unknown;
    try {
      raw = JSON.parse(textOf);
    } catch (err) {
      throw new SpecError(field, `is not JSON (${messageOf(err)})`);
    }
    return object(raw, field);
  };
  const o = parse(body, 'kept');
  if (placeText === null) throw new SpecError('kept.place', 'missing (written with the net: was it removed?)');
  const place = parse(placeText, 'kept.place');
  if (o.format !== KEEP_FORMAT) throw new SpecError('kept.format', `must be '${KEEP_FORMAT}' (this build's), got ${describe(o.format)}`);
  const spec = object(o.spec, 'kept.spec') as unknown as Kept['spec'];
  const preset = o.preset === undefined ? undefined : text(o.preset, 'kept.preset');
  if (preset !== undefined && !PRESETS_BY_NAME.has(preset)) throw new SpecError('kept.preset', `must be one of ${[...PRESETS_BY_NAME].join(', ')}, got ${describe(preset)}`);
  const kind = backendKind(o.kind, 'kept.kind');
  let checkpoint: Uint8Array;
  try {
    checkpoint = fromBase64(text(o.checkpoint, 'kept.checkpoint'));
  } catch (err) {
    if (err instanceof SpecError) throw err;
    throw new SpecError('kept.checkpoint', `is not base64 (${messageOf(err)})`);
  }
  loadCheckpoint(checkpoint);
  const worked = o.worked === undefined ? undefined : object(o.worked, 'kept.worked');
  // Optional: an entry of a build before the line was kept has none, and loads without it (the format is the same).
  const line = o.line === undefined ? undefined : text(o.line, 'kept.line');
  return {
    address: text(place.address, 'kept.place.address'),
    tab: text(place.tab, 'kept.place.tab'),
    spec,
    ...(preset !== undefined && { preset }),
    batchSize: whole(o.batchSize, 'kept.batchSize', 1),
    data: object(o.data, 'kept.data') as KeptData,
    ...(worked && { worked: { file: text(worked.file, 'kept.worked.file'), example: worked.example } }),
    ...(o.fit !== undefined && { fit: o.fit }),
    menu: text(o.menu, 'kept.menu'),
    kind,
    checkpoint,
    history: curve(o.history, 'kept.history'),
    validation: curve(o.validation, 'kept.validation'),
    steps: whole(o.steps, 'kept.steps'),
    batchIndex: whole(o.batchIndex, 'kept.batchIndex'),
    fits: whole(o.fits, 'kept.fits'),
    ...(line !== undefined && { line }),
  };
}

/** A tab's sessionStorage (or a stand-in in Node). */
export type KeepStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What writeKept did: wrote the entry, removed it (nothing to keep), or kept none as too big (`chars`) or refused (`refused`: the browser's words). */
export type KeepWrite = { kept: number } | { cleared: true } | { tooBig: number } | { refused: string };

/** Both keys removed: no entry. */
export function removeKept(storage: KeepStorage): void {
  storage.removeItem(KEEP_KEY);
  storage.removeItem(KEEP_PLACE_KEY);
}

/**
 * Write `body` (keptBody's text; null: nothing to keep) and `place` as the tab's entry; `written`: the body is the one
 * written last, so only the place is written. A body longer than `max` characters is not written, nor one the storage
 * refuses (QuotaExceededError: the origin's ~5 MB full; SecurityError: storage off), and then the entry before is
 * removed too: a reload must not bring back an older net than the one on the page.
 */
export function writeKept(storage: KeepStorage, body: string | null, place: KeptPlace, max = MAX_KEEP_CHARS, written = false): KeepWrite {
  if (body === null) {
    removeKept(storage);
    return { cleared: true };
  }
  if (body.length > max) {
    removeKept(storage);
    return { tooBig: body.length };
  }
  try {
    if (!written) storage.setItem(KEEP_KEY, body);
    storage.setItem(KEEP_PLACE_KEY, JSON.stringify(place));
  } catch (err) {
    removeKept(storage);
    return { refused: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  return { kept: body.length };
}

/**
 * The tab's entry to restore at `address` (the page's fragment now), or undefined: none, one that does not decode
 * (another build's, cut or edited: `note` says why, for the console), or one written at another link — a link followed
 * wins over the net kept; the same address again is a reload of the page as it was (a link stays in the address bar
 * while its net, trained since, is on the page).
 */
export function readKept(storage: KeepStorage, address: string, isLink: (hash: string) => boolean, note: (line: string) => void): (Kept & KeptPlace) | undefined {
  const body = storage.getItem(KEEP_KEY);
  if (body === null) return undefined;
  let kept: Kept & KeptPlace;
  try {
    kept = decodeKept(body, storage.getItem(KEEP_PLACE_KEY));
  } catch (err) {
    note(`The net kept from before the reload is not restored: ${messageOf(err)}`);
    removeKept(storage);
    return undefined;
  }
  if (isLink(address) && kept.address !== address) return undefined;
  return kept;
}
