/**
 * bench/configs.ts's Float32Array ⇄ base64 (a batch carried from Node into the bench page), made of src/base64.ts's
 * helpers: the bytes of the view only (a subarray's, not its whole buffer's), little-endian float32. Expected text by
 * hand: 1.0f is 0x3F800000, bytes 00 00 80 3F → 000000 000000 001000 000000 | 001111 11(0000) → "AACAPw==".
 */
import { describe, expect, it } from 'vitest';
import { base64ToF32, f32ToBase64 } from '../bench/configs.ts';

describe("bench configs' float32 base64", () => {
  it('encodes the view\'s bytes (a subarray at an offset) and decodes them back', () => {
    expect(f32ToBase64(Float32Array.of(1))).toBe('AACAPw==');
    expect(f32ToBase64(Float32Array.of(2, 1).subarray(1))).toBe('AACAPw==');
    expect(Array.from(base64ToF32('AACAPw=='))).toEqual([1]);
    const a = Float32Array.of(0.1, -3.5, 1e-30, Infinity);
    expect(Array.from(base64ToF32(f32ToBase64(a)))).toEqual(Array.from(a));
  });
});
