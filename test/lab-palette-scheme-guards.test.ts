/**
 * palette.ts's choice of scheme (mut62): palette() is DARK only where the system prefers dark, the page is not being
 * printed and forced colours (Windows High Contrast) are off; onSchemeChange redraws on a change of either media
 * query, and at once (redrawNow) when printing starts and ends in the dark scheme — not in the light one, where the
 * page is already drawn for paper. matchMedia and the window's print events are stand-ins: each query string its own
 * list, with its 'change' listeners kept so that the test can fire them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DARK, LIGHT, onSchemeChange, palette } from '../src/lab/palette.ts';

const DARK_Q = '(prefers-color-scheme: dark)';
const FORCED_Q = '(forced-colors: active)';

/** The system's state, and the listeners the code added (by media query, and the window's by event name). */
const state = { dark: false, forced: false };
let mqlListeners: Map<string, (() => void)[]>;
let windowListeners: Map<string, (() => void)[]>;

beforeEach(() => {
  state.dark = false;
  state.forced = false;
  mqlListeners = new Map();
  windowListeners = new Map();
  vi.stubGlobal('matchMedia', (q: string) => ({
    get matches(): boolean { return q === DARK_Q ? state.dark : q === FORCED_Q ? state.forced : false; },
    addEventListener: (type: string, f: () => void) => {
      if (type === 'change') mqlListeners.set(q, [...(mqlListeners.get(q) ?? []), f]);
    },
  }));
  vi.stubGlobal('addEventListener', (type: string, f: () => void) => windowListeners.set(type, [...(windowListeners.get(type) ?? []), f]));
});
afterEach(() => vi.unstubAllGlobals());

const fire = (m: Map<string, (() => void)[]>, key: string): void => { for (const f of m.get(key) ?? []) f(); };

describe('palette(): the scheme now', () => {
  it('light system: LIGHT; dark: DARK; dark under forced colours: LIGHT; no matchMedia (Node, a worker): LIGHT', () => {
    expect(palette()).toBe(LIGHT);
    state.dark = true;
    expect(palette()).toBe(DARK);
    state.forced = true;
    expect(palette()).toBe(LIGHT);
    state.dark = false;
    expect(palette()).toBe(LIGHT);
    vi.unstubAllGlobals();
    expect(palette()).toBe(LIGHT);
  });
});

describe('onSchemeChange', () => {
  it("redraws on the scheme's change and on forced colours coming or going", () => {
    const redraw = vi.fn();
    const redrawNow = vi.fn();
    onSchemeChange(redraw, redrawNow);
    fire(mqlListeners, DARK_Q);
    expect(redraw).toHaveBeenCalledTimes(1);
    fire(mqlListeners, FORCED_Q);
    expect(redraw).toHaveBeenCalledTimes(2);
    expect(redrawNow).not.toHaveBeenCalled();
  });

  it('printing in the dark scheme: LIGHT from beforeprint to afterprint, drawn at once at each; DARK again after', () => {
    state.dark = true;
    const redraw = vi.fn();
    const redrawNow = vi.fn();
    onSchemeChange(redraw, redrawNow);
    expect(palette()).toBe(DARK);
    fire(windowListeners, 'beforeprint');
    expect(palette()).toBe(LIGHT);
    expect(redrawNow).toHaveBeenCalledTimes(1);
    fire(windowListeners, 'afterprint');
    expect(palette()).toBe(DARK);
    expect(redrawNow).toHaveBeenCalledTimes(2);
    expect(redraw).not.toHaveBeenCalled();
  });

  it('printing in the light scheme: nothing to draw again (the page is light already)', () => {
    const redrawNow = vi.fn();
    onSchemeChange(vi.fn(), redrawNow);
    fire(windowListeners, 'beforeprint');
    expect(palette()).toBe(LIGHT);
    fire(windowListeners, 'afterprint');
    expect(redrawNow).not.toHaveBeenCalled();
  });

  it('no matchMedia: no listener at all', () => {
    vi.stubGlobal('matchMedia', undefined);
    onSchemeChange(vi.fn());
    expect(windowListeners.size).toBe(0);
  });
});
