/**
 * src/base64.ts on bytes past its 32 768-byte chunk (String.fromCharCode a chunk at a time): the text is Node's own
 * base64 of the bytes (Buffer, an independent encoder), and reads back to them. Review mut64b: a chunk that overlapped
 * the next by a byte went unseen where every array tested was under one chunk.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../src/base64.ts';

describe('base64 past one chunk', () => {
  it('70 001 bytes (two whole chunks and a part): Buffer\'s base64, and back', () => {
    const bytes = Uint8Array.from({ length: 70_001 }, (_, k) => (k * 131 + 7) % 256);
    const text = toBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(text)).toEqual(bytes);
  });
});
