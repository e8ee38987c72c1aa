/**
 * bench/compare.ts sameBrowser, the edge mut64's mutants found unpinned (reviews/mut64.md): a string that only begins
 * "Name/version" is not of that form. browserOf (bench/page/table.ts) gives a user agent it cannot read back whole
 * ("Mozilla/5.0 (…) …"): two such agents are one browser only where the strings are equal, not because both begin
 * "Mozilla/5.0".
 */
import { describe, expect, it } from 'vitest';
import { sameBrowser } from '../bench/compare.ts';

describe('sameBrowser on strings not of the form Name/version', () => {
  it('two unread user agents that share only their "Mozilla/5.0" start are two browsers', () => {
    const a = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Epiphany/48';
    const b = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) SomeOtherBrowser';
    expect(sameBrowser(a, b)).toBe(false);
    expect(sameBrowser(a, a)).toBe(true);
  });

  it('a Firefox or Chrome string with anything after its version is not read as reduced', () => {
    expect(sameBrowser('Firefox/153.0 (nightly)', 'Firefox/153.8.0')).toBe(false);
    expect(sameBrowser('Chrome/156.0.0.0 Safari/537.36', 'Chrome/156.0.8078.114')).toBe(false);
  });
});
