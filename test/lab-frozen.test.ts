/**
 * src/lab/frozen.ts: the time the lab sat frozen (in the back/forward cache: a Benchmark link followed mid-Fit, then
 * Back; or frozen by the browser) is left out of a Train's or Fit's time. Events from stand-ins, the clock a counter
 * set by hand: every expected number below is the sum of the intervals the test opened and closed.
 */
import { describe, expect, it } from 'vitest';
import { frozenClock, runningTimer, type LifecycleTarget } from '../src/lab/frozen.ts';

/** A stand-in for window or document: `fire(type, persisted)` calls its listeners of that type. */
function target(): LifecycleTarget & { fire(type: string, persisted?: boolean): void } {
  const listeners: [string, (e: { persisted?: boolean }) => void][] = [];
  return {
    addEventListener: (type, listener) => { listeners.push([type, listener]); },
    fire: (type, persisted) => { for (const [t, l] of listeners) if (t === type) l({ persisted }); },
  };
}

function setup() {
  const win = target();
  const doc = target();
  let t = 0;
  const clock = { set: (ms: number) => { t = ms; } };
  const frozen = frozenClock(win, doc, () => t);
  return { win, doc, clock, frozen, now: () => t };
}

describe('frozenClock: the ms the page was frozen', () => {
  it('counts from a persisted pagehide to the persisted pageshow (the back/forward cache)', () => {
    const { win, clock, frozen } = setup();
    clock.set(1000);
    win.fire('pagehide', true);
    clock.set(4000);
    win.fire('pageshow', true);
    expect(frozen()).toBe(3000);
    // A second stay adds to it: 3000 + (9500 − 9000).
    clock.set(9000);
    win.fire('pagehide', true);
    clock.set(9500);
    win.fire('pageshow', true);
    expect(frozen()).toBe(3500);
  });

  it('counts nothing for a pagehide that is not persisted, nor for the first pageshow', () => {
    const { win, clock, frozen } = setup();
    clock.set(500);
    win.fire('pageshow', false); // the page's first load
    clock.set(1000);
    win.fire('pagehide', false); // a reload: the page does not come back
    clock.set(5000);
    win.fire('pageshow', true); // nothing was opened
    expect(frozen()).toBe(0);
  });

  it("counts the cache's freeze/resume and its pagehide/pageshow once, and a lifecycle freeze of its own", () => {
    const { win, doc, clock, frozen } = setup();
    // Into the cache: pagehide, then freeze; back: resume, then pageshow. Frozen from 2000 to 6000.
    clock.set(2000);
    win.fire('pagehide', true);
    clock.set(2001);
    doc.fire('freeze');
    clock.set(6000);
    doc.fire('resume');
    clock.set(6001);
    win.fire('pageshow', true);
    expect(frozen()).toBe(4000);
    // A background tab frozen by the browser: 4000 + (8000 − 7000).
    clock.set(7000);
    doc.fire('freeze');
    clock.set(8000);
    doc.fire('resume');
    expect(frozen()).toBe(5000);
  });
});

describe('runningTimer: a run\'s ms less the ms frozen during it', () => {
  it('leaves out only what was frozen after it started', () => {
    const { win, clock, frozen, now } = setup();
    clock.set(100);
    win.fire('pagehide', true);
    clock.set(300);
    win.fire('pageshow', true); // 200 ms frozen before the run
    clock.set(1000);
    const elapsed = runningTimer(frozen, now); // the run starts at 1000
    clock.set(2500);
    win.fire('pagehide', true);
    clock.set(5500);
    win.fire('pageshow', true); // 3000 ms frozen in it
    clock.set(7000);
    expect(elapsed()).toBe(7000 - 1000 - 3000);
  });
});
