/**
 * The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {string: string}} (padded
 * with spaces to a multiple of 8), then the tensors' bytes (offsets relative to the end of the header).
 * Only what checkpoints use: F32 and I64 tensors, little-endian.
 */
import { SpecError } from '../errors.ts';

export type Tensor = { dtype: 'F32'; shape: number[]; data: Float32Array } | { dtype: 'I64'; shape: number[]; data: BigInt64Array };

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  const raw = new TextEncoder().encode(json);
  json += ' '.repeat((8 - (raw.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

/** Parse a safetensors file. Throws SpecError('checkpoint…') on a truncated or malformed file. */
export function decodeSafetensors(bytes: Uint8Array): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const bad = (why: string): never => {
    throw new SpecError('checkpoint', `not a valid safetensors file: ${why}`);
  };
  if (!(bytes instanceof Uint8Array)) bad('expected a Uint8Array');
  if (bytes.length < 8) bad(`${bytes.length} bytes, shorter than the 8-byte header length`);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + n > bytes.length) bad(`the header says ${n} bytes of JSON but the file has ${bytes.length - 8} after the length (truncated?)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch {
    return bad('the header is not JSON');
  }
  const base = 8 + n;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors: Record<string, Tensor> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const info = v as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const [begin, end] = info.data_offsets ?? [NaN, NaN];
    if (!(begin >= 0 && end >= begin)) bad(`tensor ${name} has bad data_offsets`);
    if (base + end > bytes.length) bad(`tensor ${name} ends at byte ${base + end} but the file has ${bytes.length} (truncated?)`);
    const shape = info.shape ?? [];
    const count = shape.reduce((a, b) => a * b, 1);
    const copy = bytes.slice(base + begin, base + end);
    if (info.dtype === 'F32' && end - begin === 4 * count) tensors[name] = { dtype: 'F32', shape, data: new Float32Array(copy.buffer) };
    else if (info.dtype === 'I64' && end - begin === 8 * count) tensors[name] = { dtype: 'I64', shape, data: new BigInt64Array(copy.buffer) };
    else bad(`tensor ${name}: dtype ${info.dtype} with shape [${shape}] does not fit ${end - begin} bytes (F32 and I64 only)`);
  }
  return { tensors, metadata };
}
