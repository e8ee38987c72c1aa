/**
 * The lab inside another page (an instructor's iframe on a course page of another origin): src/lab/framed.ts
 * (isFramed, shareLine) and device.ts threadsText's `framed` sentence. A frame is cross-origin isolated only when the
 * page around it is and its iframe says allow="cross-origin-isolated" (HTML, "cross-origin isolation" of a browsing
 * context group; the Permissions Policy feature), whatever the lab's own server sends; the sentence blamed the server.
 * In a frame the address bar is the course page's: the Share line said the link was there. The page as a whole in a
 * frame: test/browser/lab-framed.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { framedThreads, threadsText } from '../src/lab/device.ts';
import { isFramed, shareLine } from '../src/lab/framed.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const ISOLATION = { threads: 1, singleThreadReason: 'the page is not cross-origin isolated (COOP/COEP headers)' };

describe('isFramed', () => {
  it('a window that is its own top: not framed; another top: framed; a top that throws: framed; no window (Node): not', () => {
    const w = { self: null as unknown, top: null as unknown };
    w.self = w;
    w.top = w;
    expect(isFramed(w)).toBe(false);
    expect(isFramed({ self: {}, top: {} })).toBe(true);
    const throwing = { self: {}, get top(): unknown { throw new DOMException('Blocked a frame', 'SecurityError'); } };
    expect(isFramed(throwing)).toBe(true);
    expect(isFramed(undefined)).toBe(false);
    expect(isFramed()).toBe(false);
  });
});

describe('threadsText in a frame', () => {
  it('names the frame as the reason, and not the server\'s headers', () => {
    vi.stubGlobal('isSecureContext', true);
    expect(threadsText('wasm', ISOLATION, true)).toBe(
      "It runs on 1 thread because the lab is inside another page (a frame), which is not cross-origin isolated: a frame is isolated only when the page around it is too and allows it, whatever the lab's server sends.",
    );
    expect(framedThreads('wasm', ISOLATION, true)).toBe(true);
  });

  it('not framed: the headers sentence, and no own-tab link', () => {
    vi.stubGlobal('isSecureContext', true);
    expect(threadsText('wasm', ISOLATION, false)).toMatch(/^It runs on 1 thread because the page is not cross-origin isolated: its server sent no Cross-Origin-Opener-Policy/);
    expect(framedThreads('wasm', ISOLATION, false)).toBe(false);
  });

  it('framed, but not a secure context: the https sentence (isolation in a frame would not help there)', () => {
    vi.stubGlobal('isSecureContext', false);
    expect(threadsText('wasm', ISOLATION, true)).toMatch(/^It runs on 1 thread because the page is not cross-origin isolated: served over plain http/);
    expect(framedThreads('wasm', ISOLATION, true)).toBe(false);
  });

  it('framed, 1 thread for a reason other than isolation, or threads: not the frame', () => {
    vi.stubGlobal('isSecureContext', true);
    expect(threadsText('wasm', { threads: 1, singleThreadReason: 'no Worker here' }, true)).toBe('It runs on 1 thread: no Worker here.');
    expect(threadsText('wasm', { threads: 4, singleThreadReason: null }, true)).toBe('');
    expect(threadsText('webgpu', ISOLATION, true)).toBe('');
    expect(framedThreads('wasm', { threads: 1, singleThreadReason: 'no Worker here' }, true)).toBe(false);
  });
});

describe('shareLine', () => {
  const LEFT = 'The link carries the net but not your worked example.';
  it('in a tab of its own: the address bar, copied or not', () => {
    expect(shareLine(true, false, '')).toBe('Link copied; it is also in the address bar.');
    expect(shareLine(false, false, LEFT)).toBe(`The link is in the address bar (the clipboard is not available here). ${LEFT}`);
  });

  it('in a frame: never the address bar (the course page\'s); refused, the box to copy from', () => {
    expect(shareLine(true, true, '')).toBe('Link copied: it opens the lab in a tab of its own.');
    expect(shareLine(true, true, LEFT)).toBe(`Link copied: it opens the lab in a tab of its own. ${LEFT}`);
    const refused = shareLine(false, true, LEFT);
    expect(refused).not.toMatch(/address bar/);
    expect(refused).toBe(`Copying was refused (the page around the lab does not allow the clipboard to it): the link is selected in the box below — press Ctrl+C (⌘C on a Mac). ${LEFT}`);
  });
});
