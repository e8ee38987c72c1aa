/**
 * The time the page spent frozen, and a Train's or Fit's time without it (training.ts). A student who follows the
 * header's Benchmark link (or any link) mid-Fit and presses Back finds the lab as it was, from the browser's
 * back/forward cache: nothing of the page ran while it sat there, the run went on from where it stood (README "The
 * course lab", **Back, reload and a second tab.**), but `performance.now()` moved on, so the run's summary said
 * "… on WebAssembly SIMD in 14.04 s" for ~12 s of training and ~2 s on the bench page. Frozen: from a `pagehide`
 * whose `persisted` is true (the page goes into that cache) to the `pageshow` that brings it back, and between
 * Page Lifecycle's `freeze` and `resume` (Chrome freezes some background tabs; it fires them around the cache too, so
 * an interval already open is not opened twice). A hidden tab that is not frozen still runs, throttled, and counts.
 */

/** What is watched: `window` (pagehide, pageshow) and `document` (freeze, resume), or stand-ins in Node. */
export interface LifecycleTarget {
  addEventListener(type: string, listener: (e: { persisted?: boolean }) => void): void;
}

/** The ms frozen so far (an interval still open counts once it ends: nothing runs in it to ask). */
export function frozenClock(win: LifecycleTarget, doc: LifecycleTarget, now: () => number): () => number {
  let total = 0;
  let since: number | undefined;
  const freeze = (): void => { since ??= now(); };
  const resume = (): void => {
    if (since === undefined) return;
    total += now() - since;
    since = undefined;
  };
  // A pagehide without `persisted` is the page going for good (a reload, another address typed): nothing comes back.
  win.addEventListener('pagehide', (e) => { if (e.persisted) freeze(); });
  win.addEventListener('pageshow', (e) => { if (e.persisted) resume(); });
  doc.addEventListener('freeze', freeze);
  doc.addEventListener('resume', resume);
  return () => total;
}

/** A stopwatch started now: the ms since, less the ms frozen since (`frozen`: a frozenClock). */
export function runningTimer(frozen: () => number, now: () => number): () => number {
  const t0 = now();
  const f0 = frozen();
  return () => now() - t0 - (frozen() - f0);
}

let pageFrozen: () => number = () => 0;

/** Watch this page (main.ts start), before any run. */
export function watchFrozen(): void {
  pageFrozen = frozenClock(window, document, () => performance.now());
}

/** runningTimer on this page's clock (watchFrozen). */
export const pageTimer = (): (() => number) => runningTimer(() => pageFrozen(), () => performance.now());
