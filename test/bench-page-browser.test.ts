/**
 * The browser the page records (bench/page/table.ts browserOf) for Microsoft Edge: its user agent carries Chrome/ before
 * Edg/ ("… Chrome/134.0.0.0 Safari/537.36 Edg/134.0.0.0"), and the page recorded an Edge run as Chrome (with Chromium's
 * full version where the browser lists it). Mutation audit bpmut55 (reviews/bpmut55.md).
 */
import { describe, expect, it } from 'vitest';
import { browserOf } from '../bench/page/table.ts';

const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36 Edg/134.0.0.0';

describe('the browser of an Edge page', () => {
  it('is Edge by its Edg/ token, not Chrome, with or without a full version list naming Chromium', () => {
    expect(browserOf(EDGE)).toBe('Edg/134.0.0.0');
    expect(browserOf(EDGE, [{ brand: 'Chromium', version: '134.0.6998.89' }, { brand: 'Microsoft Edge', version: '134.0.3124.51' }])).toBe('Edg/134.0.0.0');
  });

  it('Chrome itself still reads Chrome, with its full version where listed', () => {
    const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36';
    expect(browserOf(chrome, [{ brand: 'Google Chrome', version: '134.0.6998.89' }])).toBe('Chrome/134.0.6998.89');
  });
});
