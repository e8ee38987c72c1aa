/**
 * Files and links: spec JSON out and in (the CLI's format: `backprop grad FILE` reads what Export writes),
 * and a shareable link that carries a small spec in the URL fragment (#spec=<base64url of the JSON>), with the
 * lab's batch size (&batch=N) and the Fit panel's settings (&fit=<base64url of their JSON>); what the page makes
 * of a spec from a file or a link (dataFor: a lecture's net unchanged, 2-D classes, or a net of its own); and
 * whether the training on screen is saved (unsavedTraining: the page's leave-page warning).
 */
import { describe, integerIn, messageOf, shownMessageOf } from '../checks.ts';
import { BackpropError, SpecError, underField } from '../errors.ts';
import { checkKnownKeys, cutText } from '../suggest.ts';
import { LECTURES, type LectureExample } from '../lectures/index.ts';
import { specOf } from '../notation/explain.ts';
import type { RowsSpec } from '../spec.ts';
import { checkFit } from '../train/fit.ts';
import type { OptimizerName } from '../train/optimizers.ts';
import { isSafetensors } from '../train/safetensors.ts';
import { checkWorked } from '../worked/check.ts';
import { parseWorked, WORKED_FORMAT } from '../worked/worked.ts';
import { classesOf, labelsFromTargets } from './class-tally.ts';
import { checkFitSchedule, type FitScheduleName } from './fit-schedule.ts';
import type { LectureChange, OwnWorked, PresetData } from './presets.ts';
import { checkLabSpec, fitEpochs, labLr, type LabNet, type LossPoint, MAX_FIT_EPOCHS } from './session.ts';
import { checkWorkedSize } from './worked-bounds.ts';
import { count } from './words.ts';

/** Specs longer than this (as JSON) are not put in a link: browsers and chat apps cut long URLs. */
export const MAX_SHARE_CHARS = 16_000;

/** Text (a link part's JSON) as base64url of its UTF-8 bytes. */
function toBase64Url(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** The Fit panel's settings (Model.fit's options as the panel sets them): what `&fit=` carries. */
export interface FitSettings {
  optimizer: { name: OptimizerName; lr: number };
  batchSize: number;
  epochs: number;
  /**
   * Early stopping (the panel's "Early stop" patience, "keep the best epoch"): fit's earlyStopping on the validation
   * loss; absent where it is off (the field empty or 0, or a data set with no validation split).
   */
  earlyStop?: { patience: number; restoreBest: boolean };
  /** The panel's lr schedule (./fit-schedule.ts): cosine, step or plateau; absent where it is constant (and in links made before it). */
  lrSchedule?: FitScheduleName;
}

/** What a share link carries beside the spec: the editor's batch size (`&batch=`) and the Fit panel's settings (`&fit=`). */
export interface LinkSettings {
  batchSize: number;
  fit: FitSettings;
}

/** A link's fragment as read: the spec, the preset, the batch size and the Fit settings, each unchecked. */
export interface Fragment {
  spec?: unknown;
  preset?: string;
  batchSize?: number;
  fit?: unknown;
  /** An opened worked example the link carries (`&worked=`: {file, example}, shareLink's). */
  worked?: unknown;
}

/**
 * The URL fragment for a spec (`spec=…`) and, given, the lab's settings (`&batch=N&fit=…`); a SpecError when the
 * spec is too big for a link. The settings are written as given: the page checks them first (checkFitSettings).
 */
export function shareFragment(spec: unknown, settings?: LinkSettings): string {
  const json = JSON.stringify(spec);
  if (json.length > MAX_SHARE_CHARS) {
    throw new SpecError('share link', `this spec is ${json.length} characters of JSON, more than ${MAX_SHARE_CHARS} fit in a link: use Export spec JSON instead`);
  }
  const base = `spec=${toBase64Url(json)}`;
  if (!settings) return base;
  return `${base}&batch=${settings.batchSize}&fit=${toBase64Url(JSON.stringify(settings.fit))}`;
}

/**
 * A link part's JSON, decoded from base64url; a SpecError naming the field and saying which step failed. Bytes that
 * are not UTF-8 are said so: decoded leniently, JSON.parse's message quoted them as replacement characters
 * (`#spec=garbage`: "Unexpected token '�', "���j" is not valid JSON").
 */
function decodeJson(encoded: string, field: string, part: string): unknown {
  const refuse = (why: string): never => {
    throw new SpecError(field, `the ${part} part is not base64url JSON (${why}); ${LINK_HINT}`);
  };
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(encoded);
  } catch {
    return refuse('it has characters other than base64url\'s A–Z, a–z, 0–9, - and _');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('its bytes are not UTF-8 text');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    return refuse(messageOf(err));
  }
}

/** A link's text as an error quotes it: its first 40 characters (suggest.ts cutText: never half an emoji). */
const cut = (text: string): string => cutText(text, 40);

/** What a refused link's message ends with: what a link is, and what may have happened to this one. */
const LINK_HINT = 'a link is #spec=…&batch=N&fit=… (&worked=… with a worked example: Copy share link) or #preset=ID — was it edited or cut?';

/** The parameters a link may have, each once: what shareFragment and shareLink write, and `preset`. */
const LINK_PARAMS = ['spec', 'batch', 'fit', 'worked', 'preset'];

/** A fragment that is a link (to a net, or one refused): neither none nor the page's own anchors '#main' and '#more'. */
export function isLink(hash: string): boolean {
  return !['', 'main', 'more'].includes(hash.replace(/^#/, ''));
}

/**
 * What a fragment holds: the spec made by shareFragment ('#spec=…') with the batch size ('&batch=N', digits:
 * SpecError 'batch' otherwise) and the Fit settings ('&fit=…', base64url JSON: SpecError 'fit' otherwise) and an
 * opened worked example ('&worked=…', shareLink's {file, example}, base64url JSON: SpecError 'worked' otherwise), the preset it names ('#preset=xor'), or nothing ('', or the page's own anchors '#main' and '#more'). A parameter
 * of another name, or one given twice, is a SpecError naming it (a hand-edited or cut link is refused, not half
 * read). `batch` and `fit` go together (Copy share link writes both: one alone is a link cut after `&batch=N`), and
 * only with a spec, as `worked` does; a preset goes alone. Their values are checked against the spec by checkLink.
 */
export function readFragment(hash: string): Fragment {
  if (!isLink(hash)) return {};
  const text = hash.replace(/^#/, '');
  const params = new URLSearchParams(text);
  // '#&' (no parameter) opened the default lecture without a word; '#=x' (one without a name) was named '' ("SpecError: : …").
  if (params.size === 0) throw new SpecError('link', `has no parameter ('#${cut(text)}'); ${LINK_HINT}`);
  if (params.has('')) throw new SpecError('link', `has a parameter without a name ('=${cut(params.get('') ?? '')}'); ${LINK_HINT}`);
  for (const key of new Set(params.keys())) {
    if (!LINK_PARAMS.includes(key)) throw new SpecError(key, `unknown link parameter; ${LINK_HINT}`);
    const n = params.getAll(key).length;
    if (n > 1) throw new SpecError(key, `given ${n} times in the link; a link has each parameter once`);
  }
  const preset = params.get('preset') ?? undefined;
  const encoded = params.get('spec');
  const batch = params.get('batch');
  const fit = params.get('fit');
  const worked = params.get('worked');
  if (encoded === null) {
    const alone = batch !== null ? 'batch' : fit !== null ? 'fit' : worked !== null ? 'worked' : undefined;
    if (alone) throw new SpecError(alone, `goes with a #spec= link (the settings of a net shared with Copy share link), not ${preset === undefined ? 'alone' : 'with #preset='}`);
    return { preset };
  }
  if (preset !== undefined) throw new SpecError('preset', 'goes alone (#preset=ID), not with a #spec= link');
  if ((batch === null) !== (fit === null)) {
    const [missing, given] = batch === null ? ['batch', 'fit'] : ['fit', 'batch'];
    throw new SpecError(missing, `missing: a link has &batch=N and &fit=… together (Copy share link writes both), this one only &${given}= — was it cut or edited?`);
  }
  const out: Fragment = { spec: decodeJson(encoded, 'share link', '#spec=') };
  if (batch !== null) {
    // Copy share link writes digits; anything else (0x10, 1e1, ' 4', 1.5) was typed or cut, and is refused as given.
    if (!/^[0-9]+$/.test(batch)) throw new SpecError('batch', `must be a whole number in digits (Copy share link writes &batch=16), got '${batch}'`);
    out.batchSize = Number(batch);
    // 400 digits read as Infinity: checkLabSpec said "got Infinity" of a link that holds no such word.
    if (!Number.isSafeInteger(out.batchSize)) throw new SpecError('batch', `is ${batch.length} digits long, more than any data set's examples (Copy share link writes &batch=16)`);
  }
  if (fit !== null) out.fit = decodeJson(fit, 'fit', '&fit=');
  if (worked !== null) out.worked = decodeJson(worked, 'worked', '&worked=');
  return out;
}

/** The Fit panel's keys: the settings a link may carry (the panel has no field for another optimiser option). */
const FIT_PANEL_KEYS = ['optimizer', 'batchSize', 'epochs'];

/** A plain object with `keys` (and any of `optional`), or a SpecError naming `field`. */
function record(v: unknown, field: string, shape: string, keys: string[], optional: string[] = []): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SpecError(field, `must be ${shape}, got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  checkKnownKeys(o, [...keys, ...optional], `${field}.`, `the Fit panel has ${shape}`, SpecError);
  for (const key of keys) if (o[key] === undefined) throw new SpecError(`${field}.${key}`, `missing; the Fit panel has ${shape}`);
  return o;
}

/**
 * Fit settings (from a link, or the panel's before Fit runs them or Share writes them) checked against the net and data loaded:
 * the panel's shape here ({optimizer: {name, lr}, batchSize, epochs}, with early stop on an earlyStop {patience,
 * restoreBest}: checkEarlyStop; a schedule other than constant as lrSchedule: checkFitSchedule; no other key), every value by the engine's
 * own rules (checkFit, as Model.fit checks them when Fit is pressed: the optimiser and its lr, a whole batchSize
 * of at most the examples, whole epochs ≥ 1), and epochs at most the panel's (fitEpochs: MAX_FIT_EPOCHS). Errors name
 * the field under `fit.` ("fit.batchSize"). Fit, Share and an opened link all check the panel's settings here.
 */
export function checkFitSettings(lab: LabNet, fit: unknown): FitSettings {
  const shape = '{optimizer: {name, lr}, batchSize, epochs, earlyStop?, lrSchedule?}';
  const f = record(fit, 'fit', shape, FIT_PANEL_KEYS, ['earlyStop', 'lrSchedule']);
  const optimizer = record(f.optimizer, 'fit.optimizer', '{name, lr}', ['name', 'lr']);
  try {
    checkFit(lab.net, { x: lab.x, y: lab.y, optimizer: { ...optimizer } as FitSettings['optimizer'], batchSize: f.batchSize as number, epochs: f.epochs as number }, lab.spec.lr);
  } catch (err) {
    // The engine names its own option ("batchSize"); in a link it is under fit.
    if (err instanceof SpecError && err.field !== undefined) throw underField('fit', err);
    throw err;
  }
  const earlyStop = f.earlyStop === undefined ? undefined : checkEarlyStop(f.earlyStop);
  return { optimizer: { name: optimizer.name as OptimizerName, lr: optimizer.lr as number }, batchSize: f.batchSize as number, epochs: fitEpochs(f.epochs, 'fit.epochs'), ...(earlyStop && { earlyStop }), ...(f.lrSchedule !== undefined && { lrSchedule: checkFitSchedule(f.lrSchedule) }) };
}

/**
 * The panel's early stopping as a link carries it: {patience, restoreBest}, patience whole 1 … MAX_FIT_EPOCHS (the
 * panel's 0 or empty is off, written as no earlyStop), restoreBest true or false; a SpecError naming fit.earlyStop….
 */
function checkEarlyStop(v: unknown): NonNullable<FitSettings['earlyStop']> {
  const e = record(v, 'fit.earlyStop', '{patience, restoreBest}', ['patience', 'restoreBest']);
  const patience = integerIn(e.patience, 'fit.earlyStop.patience', 1, MAX_FIT_EPOCHS, 'the Fit panel\'s epochs at most');
  if (typeof e.restoreBest !== 'boolean') throw new SpecError('fit.earlyStop.restoreBest', `must be true or false, got ${describe(e.restoreBest)}`);
  return { patience, restoreBest: e.restoreBest };
}

/** The Fit panel's learning rate by default for an optimiser: the spec's lr for SGD and momentum, 0.01 for Adam and AdamW. */
export function defaultFitLr(name: OptimizerName, specLr: number): number {
  return name === 'sgd' || name === 'momentum' ? specLr : 0.01;
}

/**
 * The Fit lr field when the optimiser or the net's lr changes, from `was` to `now`: the new default while the field
 * holds the default of `was` (as a number: "0.50" is 0.5), else the field as it is (an lr typed, or a link's own).
 * Whether an lr is the student's own thus depends only on the field, the optimiser and the net's lr — all three in
 * a share link — so the page a link opens treats its lr as the page that made the link did.
 */
export function nextFitLr(value: string, was: { name: OptimizerName; specLr: number }, now: { name: OptimizerName; specLr: number }): string {
  const held = value.trim() !== '' && Number(value) === defaultFitLr(was.name, was.specLr);
  return held ? String(defaultFitLr(now.name, now.specLr)) : value;
}

/**
 * A link's spec with its settings, all checked before anything loads: the spec and the batch size as the lab
 * checks them (checkLabSpec: the engine's spec rules, a whole batch size of 1 … N, named 'batch' as in the link), the Fit settings by
 * checkFitSettings. A link without them (made before links carried them) gives the lab's defaults: full batch,
 * and `fit` undefined (the panel keeps its defaults for the net).
 */
export function checkLink(link: Fragment): { lab: LabNet; fit?: FitSettings; own?: OwnWorked } {
  const lab = checkLabSpec(link.spec, link.batchSize, 'batch');
  const fit = link.fit === undefined ? undefined : checkFitSettings(lab, link.fit);
  const own = link.worked === undefined ? undefined : linkedWorked(link.worked);
  return { lab, ...(fit && { fit }), ...(own && { own }) };
}

/** A link's `&worked=` ({file, example}: shareLink's) as the lab opens it (openedWorked); a SpecError naming `worked` otherwise. */
function linkedWorked(v: unknown): OwnWorked {
  const o = v as { file?: unknown; example?: unknown } | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || typeof o.file !== 'string' || o.file === '' || o.example === undefined) {
    // Described, not quoted whole (JSON.stringify of a value nested 200 000 deep was a RangeError, not this SpecError).
    const got = typeof o === 'object' && o !== null && !Array.isArray(o) ? `file ${describe(o.file)}${o.example === undefined ? ' and no example' : ''}` : describe(v);
    throw new SpecError('worked', `must be {file, example} (Copy share link writes it), got ${got}; ${LINK_HINT}`);
  }
  checkKnownKeys(o as Record<string, unknown>, ['file', 'example'], 'worked.', 'a link\'s worked example is {file, example}', SpecError);
  return openedWorked(o.example, o.file);
}

/** A share link's fragment (shareLink): and, where the net's worked example could not go in it, why (said where Share is pressed). */
export interface ShareLink {
  fragment: string;
  /**
   * What the link leaves out, said where Share is pressed: the opened worked example's claims (too long for one), your
   * data's validation rows (a spec has none); undefined when it leaves out nothing.
   */
  leftOut?: string;
}

/** Share's words on the validation rows a link leaves out (`rows` of them), and with them Fit's early stop (`settings.fit.earlyStop`). */
function validationLeftOut(rows: number, settings: LinkSettings): string | undefined {
  if (rows <= 0) return undefined;
  const stop = settings.fit?.earlyStop;
  return `The link carries the net and its training rows, not your data's ${count(rows, 'validation row')} (a spec has none): where it opens, Fit has no validation loss${stop ? `, and so no early stop (the link's patience ${stop.patience} waits in the panel, off)` : ''}${settings.fit?.lrSchedule === 'plateau' ? ', and no plateau schedule (it watches the validation loss: Fit refuses it there)' : ''}.`;
}

/**
 * The share link of the net on the page (`spec`, `settings`: shareFragment's) and, where the net is (or was) a worked
 * example opened here (`own`), that example too (`&worked=`: its file's name and the example), so the link opens with
 * its claims checked as the file does. Where the spec and the example together are longer than a link holds
 * (MAX_SHARE_CHARS of JSON), the link carries the net alone and `leftOut` says so: the claims are not dropped unsaid;
 * nor your data's `validationRows` (the page's validation split: a spec, and so a link, has none; nor, where it opens,
 * Fit's validation loss and early stop).
 */
export function shareLink(spec: unknown, settings: LinkSettings, own: OwnWorked | undefined, validationRows = 0): ShareLink {
  const fragment = shareFragment(spec, settings);
  const rows = validationLeftOut(validationRows, settings);
  const withRows = (link: ShareLink): ShareLink => (rows ? { ...link, leftOut: link.leftOut ? `${link.leftOut} ${rows}` : rows } : link);
  if (!own) return withRows({ fragment });
  const worked = JSON.stringify({ file: own.file, example: own.worked });
  const total = JSON.stringify(spec).length + worked.length;
  if (total > MAX_SHARE_CHARS) {
    const n = own.worked.claims.length;
    return withRows({ fragment, leftOut: `The link carries the net but not your worked example's ${count(n, 'claim')}: with them it would be ${total} characters of JSON, more than ${MAX_SHARE_CHARS} fit in a link. Send ${own.file} with it (Device & files → Open checks its claims).` });
  }
  return withRows({ fragment: `${fragment}&worked=${toBase64Url(worked)}` });
}

/**
 * What Export or Share last saved: the session's loss curve (that array: a Reset or a new net makes another), its
 * length then, and the fits that had run by then (LabSession.fits).
 */
export interface SaveMark {
  history: readonly LossPoint[];
  points: number;
  fits: number;
}

/** The training on screen as unsavedTraining reads it (a LabSession). */
export interface TrainingState {
  steps: number;
  /** Fits that ran since the starting weights (LabSession.fits): a running fit has taken steps that `steps` counts only at its end. */
  fits: number;
  history: readonly LossPoint[];
}

/** A mark of the training on screen now (after an Export or a Share). */
export function saveMark(s: TrainingState): SaveMark {
  return { history: s.history, points: s.history.length, fits: s.fits };
}

/**
 * Whether leaving the page would lose training: steps were taken (Update, Train or Fit: each adds a point to the
 * curve) or a fit started (running, or stopped before its first epoch ended: its steps are not yet counted, nor on
 * the curve), and that is not the state of the last Export or Share (the same curve at the same length, no fit
 * started since). A fresh net (no step), or one Reset to its starting weights, has nothing to lose.
 */
export function unsavedTraining(s: TrainingState, saved: SaveMark | null): boolean {
  if (s.steps === 0 && s.fits === 0) return false;
  return !saved || saved.history !== s.history || saved.points !== s.history.length || saved.fits !== s.fits;
}

/**
 * A chosen or dropped file's bytes (Your data decodes them: table.ts tableText; an imported spec: importedData names a
 * checkpoint by them). One that cannot be read (a folder dropped, a file moved or changed since it was chosen) is a
 * SpecError naming the file: it went unsaid (a rejection nothing caught; Your data showed nothing).
 */
export async function fileBytes(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<Uint8Array> {
  return new Uint8Array(await readFile(file.name, () => file.arrayBuffer()));
}

async function readFile<T>(name: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw new SpecError(name, `could not be read (${shownMessageOf(err)}); choose it again`);
  }
}

/** A spec file as text → a spec: plain JSON, or a worked-example file ({spec, claims}) whose spec is taken. */
export function parseSpecFile(text: string, file: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SpecError(file, `is not JSON: ${messageOf(err)}`);
  }
  return specOf(raw);
}

/**
 * A file name from a spec's name: "lecture-2-2-1" → "lecture-2-2-1.json"; letters and digits of any script kept
 * (composed: NFC), lower-cased, each run of anything else one hyphen, at most MAX_NAME_CHARS of them. NOTE: only a–z and 0–9 were kept: your
 * data from Größe-Daten.csv was saved as gr-e-daten-2-8-1.json, from 身高.csv as 2-8-1.json.
 */
export function fileName(name: string | undefined, ext: string): string {
  const slug = (name ?? 'network').normalize('NFC').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
  // NOTE: a file system takes 255 bytes a name (ext4; Windows 255 UTF-16 units), and a letter is up to 4 bytes of
  // UTF-8 (身 is 3): a long file's name saved nothing. Its first MAX_NAME_CHARS characters (code points) are kept.
  const base = Array.from(slug).slice(0, MAX_NAME_CHARS).join('').replace(/-$/, '') || 'network';
  return `${base}.${ext}`;
}

/** The characters of a saved file's name before its extension: 60 × 4 bytes + ".json" stays under 255 bytes. */
export const MAX_NAME_CHARS = 60;

/** A layer by its place: "hidden layer" (the one hidden layer), "hidden layer 2" (of several), "output layer". */
function layerName(l: number, layers: number): string {
  if (l === layers - 1) return 'output layer';
  return layers === 2 ? 'hidden layer' : `hidden layer ${l + 1}`;
}

/** The parameters as one list of numbers, W then b; undefined when a spec has none (its weights are drawn from `init`). */
function flatParams(spec: RowsSpec): unknown[] | undefined {
  return spec.params && [...spec.params.W.flat(2), ...spec.params.b.flat()];
}

/**
 * How the net on the page (`spec`, its params as LabSession.toSpec gives them, cut into batches of `batchSize`;
 * undefined: all of x) differs from a lecture's worked net, in this order: its layers (inputs and units), activations,
 * biases, loss and reduction, learning rate, batch size, data, weights — one short phrase each, naming the values where
 * they are short ("its learning rate (0.37; the lecture's 0.1)"). Empty: it is the lecture's own net, as the lecture
 * gives it, in full batches (its Lecture checks apply). Weights are compared as float32 (an exported or shared spec
 * holds the lecture's numbers rounded to float32), and said only where the layers have the lecture's shapes (other
 * shapes are other weights: the layers' phrase says so).
 */
export function lectureDifferences(spec: RowsSpec, batchSize: number | undefined, lecture: RowsSpec): string[] {
  const out: string[] = [];
  const L = spec.layers.length;
  const sameCount = L === lecture.layers.length;
  const sizes = (s: RowsSpec) => [s.inputs, ...s.layers.map((layer) => layer.units)].join('-');
  if (!sameCount || spec.inputs !== lecture.inputs) out.push(`its layers (${sizes(spec)}; the lecture's ${sizes(lecture)})`);
  else spec.layers.forEach((layer, l) => {
    const was = lecture.layers[l].units;
    if (layer.units !== was) out.push(`its ${layerName(l, L)}'s units (${layer.units}; the lecture's ${was})`);
  });
  // 'linear' is 'identity' by its other name (the editor offers both; validateNet reads one as the other).
  const sameAct = (a: string, b: string) => (a === 'linear' ? 'identity' : a) === (b === 'linear' ? 'identity' : b);
  if (sameCount) spec.layers.forEach((layer, l) => {
    const was = lecture.layers[l].activation;
    if (!sameAct(layer.activation, was)) out.push(`its ${layerName(l, L)}'s activation (${layer.activation}; the lecture's ${was})`);
  });
  const bias = (s: RowsSpec, l: number) => s.layers[l].bias ?? 'per-unit';
  if (sameCount) spec.layers.forEach((_, l) => {
    if (bias(spec, l) !== bias(lecture, l)) out.push(`its ${layerName(l, L)}'s bias (${bias(spec, l)}; the lecture's ${bias(lecture, l)})`);
  });
  const loss = (s: RowsSpec) => `${s.loss}, ${s.reduction ?? 'mean'}`;
  if (loss(spec) !== loss(lecture)) out.push(`its loss (${loss(spec)}; the lecture's ${loss(lecture)})`);
  if (labLr(spec) !== labLr(lecture)) out.push(`its learning rate (${labLr(spec)}; the lecture's ${labLr(lecture)})`);
  const examples = spec.x?.length ?? 0;
  if (batchSize !== undefined && batchSize < examples) out.push(`its batch size (${batchSize} of ${examples} examples)`);
  const lectureExamples = lecture.x?.length ?? 0;
  if (JSON.stringify([spec.x, spec.y]) !== JSON.stringify([lecture.x, lecture.y])) {
    out.push(examples === lectureExamples ? 'its data' : `its data (${count(examples, 'example')}; the lecture's ${lectureExamples})`);
  }
  const sameShapes = sameCount && sizes(spec) === sizes(lecture) && spec.layers.every((_, l) => bias(spec, l) === bias(lecture, l));
  const a = flatParams(spec);
  const b = flatParams(lecture);
  const sameWeights = a !== undefined && b !== undefined && a.length === b.length
    && a.every((v, k) => typeof v === 'number' && typeof b[k] === 'number' && Math.fround(v) === Math.fround(b[k]));
  if (sameShapes && !sameWeights) out.push("its weights (not the lecture's starting ones)");
  return out;
}

/** The worked example a change names: an opened file's (`own`), else the lecture of its title. */
function lectureOf(change: LectureChange | undefined): LectureExample | undefined {
  return change?.own?.worked ?? LECTURES.find((l) => l.worked.title === change?.title)?.worked;
}

/** A lecture's (or an opened worked example's: `own`) net no longer its own: its title and how the net differs (lectureDifferences). */
function changeFrom(lecture: LectureExample, spec: RowsSpec, batchSize: number | undefined, own?: OwnWorked): LectureChange {
  const change: LectureChange = { title: lecture.title, differs: lectureDifferences(spec, batchSize, lecture.spec) };
  return own ? { ...change, own } : change;
}

/**
 * `change` named anew for the net as it is now (`spec`: its weights as trained since the load or edit that named it;
 * views.ts drawViews): the weights differ once it has trained, which the load's list did not say.
 */
export function changeNow(change: LectureChange, spec: RowsSpec, batchSize: number | undefined): LectureChange {
  const lecture = lectureOf(change);
  return lecture ? changeFrom(lecture, spec, batchSize, change.own) : change;
}

/**
 * What the page knows about a spec that came from a file or a link, or that an edit made (editedData), cut into
 * mini-batches of `batchSize` (undefined: all of x): the lecture it is (by name, and only while it is the lecture's net
 * unchanged in full batches: its claims table, which checks the lecture's printed first step, a step on all of its
 * examples), and for 2-input classification data its class labels (its decision boundary). A lecture's net after
 * training or an edit is a net of its own: `changedLecture` names the lecture and what differs from its net.
 */
export function dataFor(spec: RowsSpec, batchSize?: number, own?: OwnWorked): PresetData {
  // An opened worked example's claims are the file's, whatever its net's name (a file of a lecture's net with claims of its own).
  const worked = own?.worked ?? LECTURES.find((l) => l.worked.spec.name === spec.name)?.worked;
  const change = worked && changeFrom(worked, spec, batchSize, own);
  if (worked && change?.differs.length === 0) {
    // Your worked example keeps its own kind (2-D classes: the boundary too); a lecture's is the preset's 'lecture'.
    return own ? { ...dataOf(spec), batchSize, worked, workedFile: own.file } : { kind: 'lecture', spec, worked, batchSize };
  }
  return { ...dataOf(spec), batchSize, changedLecture: change };
}

/** The opened worked example `data` is, or was before it changed (its claims and file), else undefined (a lecture's, or none). */
export function ownWorked(data: Pick<PresetData, 'worked' | 'workedFile' | 'changedLecture'> | null | undefined): OwnWorked | undefined {
  if (data?.worked && data.workedFile !== undefined) return { worked: data.worked, file: data.workedFile };
  return data?.changedLecture?.own;
}

/** Is `raw` (a parsed JSON file) a worked-example file ({format, …, spec, claims}) rather than a network spec? */
function isWorkedFile(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (Object.hasOwn(raw, 'claims') || (raw as { format?: unknown }).format === WORKED_FORMAT);
}

/** `f()`, its field errors named under `spec.` (a worked file's spec: "spec.x", as checkWorked names them). */
function underSpec<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof BackpropError && err.field !== undefined) throw underField('spec', err);
    throw err;
  }
}

/**
 * A worked-example file's parsed JSON `raw` as the lab opens it (`file`: its name): the file parsed (parseWorked), its
 * spec checked by the lab's rules (checkLabSpec: its x and y as rows), and every claim checked against the net
 * (checkWorked, as `backprop check` does: a name the net does not have is refused here, not when the tab is drawn).
 * Errors are named under the file ("my.worked.json: claims[3].printed"), before anything loads.
 */
export function openedWorked(raw: unknown, file: string): OwnWorked {
  try {
    const parsed = parseWorked(raw, file);
    const { spec, net, x } = underSpec(() => checkLabSpec(parsed.spec));
    // Its claims' names resolve through every name of the net, on every example: bounded before they do (a link's
    // 3 kB &worked= of 10 × 640 units froze the page for half a minute), for a net no one works by hand.
    checkWorkedSize(net, x.length, parsed.claims);
    const worked: LectureExample = { ...parsed, spec };
    checkWorked(worked);
    return { worked, file };
  } catch (err) {
    // parseWorked names the whole file by `file` already; a claim or spec field is put under it, as `backprop check` does.
    if (err instanceof BackpropError && err.field !== undefined && err.field !== file) throw underField(file, err, ': ');
    throw err;
  }
}

/**
 * The data an edit of the page's net (an editor Apply, New seed; main.ts load()'s `edit`) loads it with. A lecture's net
 * stays the lecture's — its Lecture checks table, which checks the lecture's printed first step on the lecture's own
 * weights, data and η — while the Preset menu goes on naming it (`presetsNet`: device.ts keepsPreset of the edit,
 * which main.ts load() asks once for both: the same pass and η, the weights going on, trained or not). Any other edit
 * (another layer size, activation, loss, η or batch size; new weights) makes it a net of its own, as the same net from
 * a file or a link is (dataFor): `changedLecture` names the lecture and what differs, and the Lecture checks tab says whose net its
 * checks are for (its table of the lecture's net stayed under a 2-3-1 net, as if it checked that net) — unless the edit
 * made it the lecture's own net again (η typed back to the lecture's on weights not yet trained): then it is the lecture,
 * checks and all (dataFor), as the same spec from a file is.
 */
export function editedData(data: PresetData, presetsNet: boolean): PresetData {
  const was = data.worked ?? lectureOf(data.changedLecture);
  if (was === undefined) return data;
  const own = ownWorked(data);
  // The preset's net going on (trained since, perhaps): still the lecture, or still a net of its own, named anew.
  if (presetsNet) return data.changedLecture ? { ...data, changedLecture: changeFrom(was, data.spec, data.batchSize, own) } : data;
  const again = dataFor(data.spec, data.batchSize, own);
  return again.worked ? again : { ...again, changedLecture: changeFrom(was, data.spec, data.batchSize, own) };
}

/**
 * The batch size an imported spec file loads with: the page's, when the file is the net on the page (by name: Export
 * writes no batch size, so a file exported here comes back cut as it was) and the file has that many examples; else
 * none (full batch). A file of that name with fewer examples (the same net on other data) was refused, naming a
 * 'batch size' the file does not have.
 */
export function importBatchSize(current: Pick<PresetData, 'spec' | 'batchSize'> | null, spec: RowsSpec): number | undefined {
  if (!current || current.spec.name !== spec.name || current.batchSize === undefined) return undefined;
  return spec.x !== undefined && current.batchSize <= spec.x.length ? current.batchSize : undefined;
}

/**
 * An imported file (its text or bytes, and its name) → the data the page loads it with: the spec (parseSpecFile) checked by the lab's
 * rules (checkLabSpec: the engine's, a SpecError or ShapeError naming the field) before dataFor and importBatchSize read
 * its name, y, layers and params, and with `current`'s batch size where importBatchSize keeps it. A link is checked
 * first too (checkLink); a file was not: `null`, `"y": "ab"` or a lecture's name over layers that are not an array
 * was a TypeError (`Cannot read properties of null (reading 'name')`).
 */
export function importedData(content: string | Uint8Array, file: string, current: Pick<PresetData, 'spec' | 'batchSize'> | null): PresetData {
  // NOTE: a checkpoint's bytes decoded as text are JSON.parse's "Unexpected token '@', "@\u0004…"": named as the CLI names it.
  if (typeof content !== 'string' && isSafetensors(content)) {
    throw new SpecError(file, 'is a safetensors checkpoint (as Model.save and backprop train --save write), not a spec file: the lab imports a spec\'s JSON (Export spec JSON writes one; Model.load loads a checkpoint)');
  }
  const text = typeof content === 'string' ? content : decodeText(content);
  const spec = parseSpecFile(text, file);
  // A worked-example file keeps its claims (the Lecture checks tab checks them, the notes marks mark its values): parsed
  // and checked whole here, so a bad claim is refused (a ClaimError naming it) before anything changes.
  const raw: unknown = JSON.parse(text);
  if (isWorkedFile(raw)) {
    // In full batches: its claims are about a step on all of its examples (the page's batch size is not kept).
    const own = openedWorked(raw, file);
    // A lecture's own file (src/lectures/ID.worked.json, its claims those of the lecture) is that lecture: its preset, as its spec is.
    const lecture = dataFor(own.worked.spec);
    if (lecture.kind === 'lecture' && lecture.worked?.id === own.worked.id && JSON.stringify(lecture.worked.claims) === JSON.stringify(own.worked.claims)) return lecture;
    return dataFor(own.worked.spec, undefined, own);
  }
  // The checked spec, its x and y rows (an {examples, data} file converted once, by checkLabSpec).
  const { spec: checked } = checkLabSpec(spec);
  return dataFor(checked, importBatchSize(current, checked));
}

/**
 * A file's bytes as text, as Chromium's Blob.text() read an imported spec: UTF-16 where a UTF-16 byte-order mark starts
 * it (a Windows "Unicode" save), else UTF-8 (its own mark dropped); a bad byte is read as U+FFFD.
 */
export function decodeText(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}

function dataOf(spec: RowsSpec): PresetData {
  const y = spec.y;
  // Classes: 0 / 1 in one column, or one-hot rows (exactly one 1: class-tally.ts labelsFromTargets, as the Output's
  // confusion tables read them). Rows of several 1s (several labels at once) or none were taken for classes too, each
  // row's class its first 1 (or −1, no class): the boundary coloured them by it.
  const labels = spec.inputs === 2 && y ? labelsFromTargets(y) : undefined;
  if (!y || !labels) return { kind: 'custom', spec };
  return { kind: '2d', spec, labels, classes: classesOf(y[0].length) };
}
