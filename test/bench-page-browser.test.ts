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

/**
 * Browsers whose agent carries another's token (read63c): the Chromium-based ones name themselves after Chrome/
 * (Opera "OPR/", Edge on Android "EdgA/") or before it (Samsung Internet "SamsungBrowser/"), and on iOS, where every
 * browser is WebKit, Chrome and Firefox name themselves "CriOS/" and "FxiOS/" with no Version/, Edge "EdgiOS/" after
 * Safari's Version/. They read "Chrome/…", the whole agent, and "Safari/18.0". Agents in each vendor's published form.
 */
describe('a browser whose agent carries another browser\'s token', () => {
  it('is named by its own token, as Edge is', () => {
    const agents: Array<[string, string]> = [
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0', 'OPR/116.0.0.0'],
      ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36', 'SamsungBrowser/27.0'],
      ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0', 'EdgA/131.0.0.0'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1', 'CriOS/131.0.6778.73'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15', 'FxiOS/133.0'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 EdgiOS/131.2903.68 Mobile/15E148 Safari/605.1.15', 'EdgiOS/131.2903.68'],
    ];
    expect(agents.map(([ua]) => browserOf(ua))).toEqual(agents.map(([, name]) => name));
    // Opera's full version list names Chromium too: still Opera, not Chrome with Chromium's version.
    expect(browserOf(agents[0][0], [{ brand: 'Chromium', version: '131.0.6778.86' }, { brand: 'Opera', version: '116.0.5366.21' }])).toBe('OPR/116.0.0.0');
  });

  it('Chrome and Firefox on Android still read Chrome and Firefox', () => {
    expect(browserOf('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36')).toBe('Chrome/131.0.0.0');
    expect(browserOf('Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0')).toBe('Firefox/133.0');
  });
});
