/**
 * Files and links: spec JSON out and in (the CLI's format: `backprop grad FILE` reads what Export writes),
 * and a shareable link that carries a small spec in the URL fragment (#spec=<base64url of the JSON>).
 */
import { SpecError } from '../errors.ts';
import { specOf } from '../notation/explain.ts';

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
