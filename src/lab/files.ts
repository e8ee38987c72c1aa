/**
 * Files and links: spec JSON out and in (the CLI's format: `backprop grad FILE` reads what Export writes),
 * and a shareable link that carries a small spec in the URL fragment (#spec=<base64url of the JSON>); what the
 * page makes of a spec from a file or a link (dataFor: a lecture's net unchanged, 2-D classes, or a net of its own).
 */
import { SpecError } from '../errors.ts';
import { LECTURES } from '../lectures/index.ts';
import { specOf } from '../notation/explain.ts';
import type { NetworkSpec } from '../spec.ts';
import type { PresetData } from './presets.ts';

/** Specs longer than this (as JSON) are not put in a link: browsers and chat apps cut long URLs. */
export const MAX_SHARE_CHARS = 16_000;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** The URL fragment for a spec, or a SpecError when it is too big for a link. */
export function shareFragment(spec: unknown): string {
  const json = JSON.stringify(spec);
  if (json.length > MAX_SHARE_CHARS) {
    throw new SpecError('share link', `this spec is ${json.length} characters of JSON, more than ${MAX_SHARE_CHARS} fit in a link: use Export spec JSON instead`);
  }
  return `spec=${toBase64Url(new TextEncoder().encode(json))}`;
}

/** The spec in a fragment made by shareFragment ('#spec=…'), the preset it names ('#preset=xor'), or nothing. */
export function readFragment(hash: string): { spec?: unknown; preset?: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const preset = params.get('preset') ?? undefined;
  const encoded = params.get('spec');
  if (encoded === null) return { preset };
  let spec: unknown;
  try {
    spec = JSON.parse(new TextDecoder().decode(fromBase64Url(encoded)));
  } catch (err) {
    throw new SpecError('share link', `the #spec= part is not base64url JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return { spec, preset };
}

/** A spec file as text → a spec: plain JSON, or a worked-example file ({spec, claims}) whose spec is taken. */
export function parseSpecFile(text: string, file: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SpecError(file, `is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return specOf(raw);
}

/** Save a blob as a file (a temporary link clicked). */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a spec's name: "lecture-2-2-1" → "lecture-2-2-1.json". */
export function fileName(name: string | undefined, ext: string): string {
  const base = (name ?? 'network').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'network';
  return `${base}.${ext}`;
}

/**
 * Whether a spec is a lecture's net as the lecture gives it: the same architecture, loss, learning rate, data and
 * weights (each the lecture's number rounded to float32, as an exported or shared spec of it holds them).
 */
export function sameAsLecture(spec: NetworkSpec, lecture: NetworkSpec): boolean {
  const shape = (s: NetworkSpec) => JSON.stringify([s.inputs, s.layers, s.loss, s.reduction ?? 'mean', s.lr, s.x, s.y]);
  if (shape(spec) !== shape(lecture) || !spec.params || !lecture.params) return false;
  const flat = (p: NonNullable<NetworkSpec['params']>) => [...p.W.flat(2), ...p.b.flat()];
  const a = flat(spec.params);
  const b = flat(lecture.params);
  return a.length === b.length && a.every((v, k) => typeof v === 'number' && typeof b[k] === 'number' && Math.fround(v) === Math.fround(b[k]));
}

/**
 * What the page knows about a spec that came from a file or a link: the lecture it is (by name, and only while
 * it is the lecture's net unchanged: its claims table), and for 2-input classification data its class labels
 * (its decision boundary). A lecture's net after training or an edit is a net of its own: `changedLecture` says so.
 */
export function dataFor(spec: NetworkSpec): PresetData {
  const lec = LECTURES.find((l) => l.worked.spec.name === spec.name);
  if (lec && sameAsLecture(spec, lec.worked.spec)) return { kind: 'lecture', spec, worked: lec.worked };
  return { ...dataOf(spec), changedLecture: lec?.worked.title };
}

function dataOf(spec: NetworkSpec): PresetData {
  const y = spec.y;
  const classLike = y !== undefined && y.length > 0 && y.every((r) => r.every((v) => v === 0 || v === 1));
  if (spec.inputs !== 2 || !y || !classLike) return { kind: 'custom', spec };
  const width = y[0].length;
  if (width === 1) return { kind: '2d', spec, labels: y.map((r) => r[0]), classes: 2 };
  return { kind: '2d', spec, labels: y.map((r) => r.indexOf(1)), classes: width };
}
