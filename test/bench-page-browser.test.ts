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

/**
 * WebKit on Linux (WebKitGTK's MiniBrowser 2.50.6, test/browser/webkit.ts; WPE): its agent is Safari's form with a
 * Version/ of its own, 60.5, that no Safari has ever had (Safari runs only on Apple's systems), and the page recorded
 * "Safari/60.5". An Android WebView's agent carries Version/4.0 before Chrome/: it read "Safari/4.0".
 */
describe('a WebKit or WebView agent that is not Safari', () => {
  it('WebKitGTK 2.50.6 (as MiniBrowser sent it, measured 2026-12-07) reads as WebKit on Linux, not Safari', () => {
    const gtk = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15';
    expect(browserOf(gtk)).toBe('WebKit on Linux (WebKitGTK or WPE; its agent says Version/60.5)');
  });

  it('an Android WebView is Chrome by its Chrome/ token, not Safari by the Version/4.0 before it', () => {
    const webview = 'Mozilla/5.0 (Linux; Android 10; K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36';
    expect(browserOf(webview)).toBe('Chrome/120.0.6099.230');
  });

  it('Safari on a Mac and on an iPhone still reads Safari', () => {
    expect(browserOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15')).toBe('Safari/18.2');
    expect(browserOf('Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1')).toBe('Safari/18.2');
  });
});
