/**
 * Bytes as base64 text and back, with the browser's btoa/atob (Node has them too): a checkpoint or float32 data in
 * JSON (the browser harness's payloads, src/browser/; the lab's kept net, src/lab/keep.ts).
 */

/** `bytes` as base64, in chunks (String.fromCharCode of a whole MNIST array overflows the argument list). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(s);
}

/**
 * base64 as bytes; atob's DOMException for text that is not base64.
 * NOTE: a plain loop over atob's string, not Uint8Array.from(atob(s), map): on MNIST's 6.3 MB of pixels the map took
 * 1 314 ms in Node 20 and the loop 51 ms (Buffer.from: 27 ms, Node only), 2026-12-03 (the script: that commit's message).
 */
export function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
  return bytes;
}
