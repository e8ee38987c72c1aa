/**
 * What made the lab draw everything again, named in the error if the redraw fails (src/lab/palette.ts onSchemeChange
 * and redrawWhat; main.ts redrawRestored): it said "Redrawing after the GPU process came back" also when a colour
 * scheme change or printing made it. matchMedia and the window's print events are stand-ins here: each event is fired
 * by hand, and the cause the callbacks get is read.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onSchemeChange, type RedrawCause, redrawWhat } from '../src/lab/palette.ts';

type Handler = () => void;
/** The listeners on each media query (by its text) and on the window (by event type). */
let onQuery: Map<string, Handler[]>;
let onWindow: Map<string, Handler[]>;
let dark: boolean;
const fire = (where: Map<string, Handler[]>, key: string): void => { for (const h of where.get(key) ?? []) h(); };
const add = (where: Map<string, Handler[]>, key: string, h: Handler): void => { where.set(key, [...(where.get(key) ?? []), h]); };

beforeEach(() => {
  onQuery = new Map();
  onWindow = new Map();
  dark = true;
  vi.stubGlobal('matchMedia', (q: string) => ({
    get matches() { return q === '(prefers-color-scheme: dark)' && dark; },
    addEventListener: (_type: string, h: Handler) => add(onQuery, q, h),
  }));
  vi.stubGlobal('addEventListener', (type: string, h: Handler) => add(onWindow, type, h));
});
afterEach(() => {
  fire(onWindow, 'afterprint'); // palette.ts's printing flag back to false for the other tests
  vi.unstubAllGlobals();
});

describe('onSchemeChange: each callback told what made it', () => {
  it('the scheme changing, forced colours coming or going: redraw; printing starting and ending in dark: redrawNow', () => {
    const soon: RedrawCause[] = [];
    const now: RedrawCause[] = [];
    onSchemeChange((c) => soon.push(c), (c) => now.push(c));
    fire(onQuery, '(prefers-color-scheme: dark)');
    fire(onQuery, '(forced-colors: active)');
    fire(onWindow, 'beforeprint');
    fire(onWindow, 'afterprint');
    expect(soon).toEqual(['scheme', 'forced']);
    expect(now).toEqual(['print', 'afterprint']);
  });

  it('printing in the light scheme redraws nothing (paper is light anyway)', () => {
    dark = false;
    const calls: RedrawCause[] = [];
    onSchemeChange((c) => calls.push(c));
    fire(onWindow, 'beforeprint');
    fire(onWindow, 'afterprint');
    expect(calls).toEqual([]);
  });
});

describe('redrawWhat: the words of the error\'s title', () => {
  it('names the one cause', () => {
    expect(redrawWhat(['context'])).toBe('Redrawing after the GPU process came back');
    expect(redrawWhat(['scheme'])).toBe('Redrawing after the colour scheme changed');
    expect(redrawWhat(['forced'])).toBe('Redrawing after forced colours were turned on or off');
    expect(redrawWhat(['print'])).toBe('Redrawing for printing');
    expect(redrawWhat(['afterprint'])).toBe('Redrawing after printing');
  });

  it('several in one frame: each once, in the order they came; none: just "Redrawing"', () => {
    expect(redrawWhat(['scheme', 'context', 'scheme'])).toBe('Redrawing after the colour scheme changed and after the GPU process came back');
    expect(redrawWhat([])).toBe('Redrawing');
  });
});
