/**
 * A share link whose #spec= or &fit= part is not base64url JSON (src/lab/files.ts decodeJson): the message says which
 * step failed, in words, and never quotes the bytes as text. In the lab, `#spec=garbage` said "(Unexpected token '�',
 * "���j" is not valid JSON)": base64 'garbage' is the bytes 0x81 0xAA 0xDB 0x6A 0x07 (worked by hand: g=32, a=26,
 * r=43, b=27 → 100000 011010 101011 011011 → 0x81 0xAA 0xDB), and 0x81 is a UTF-8 continuation byte, never a
 * character's first.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { readFragment } from '../src/lab/files.ts';

const refusal = (hash: string): SpecError => {
  try {
    readFragment(hash);
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error(`${hash} was read`);
};

describe('a link part that is not base64url JSON', () => {
  it('bytes that are not UTF-8 (#spec=garbage): said so, with no replacement characters quoted', () => {
    const err = refusal('#spec=garbage');
    expect(err.field).toBe('share link');
    expect(err.message).toMatch(/^share link: the #spec= part is not base64url JSON \(its bytes are not UTF-8 text\); a link is #spec=/);
    expect(err.message).not.toMatch(/\uFFFD/);
  });

  it('characters base64url does not use (#spec=a!b): said so', () => {
    expect(refusal('#spec=a!b').message).toMatch(/^share link: the #spec= part is not base64url JSON \(it has characters other than base64url's/);
  });

  it('UTF-8 text that is not JSON: JSON.parse says where ("abc" is YWJj in base64url)', () => {
    const err = refusal('#spec=YWJj');
    expect(err.message).toMatch(/^share link: the #spec= part is not base64url JSON \(.*JSON.*\); a link is/);
    expect(err.message).not.toMatch(/\uFFFD/);
  });
});
