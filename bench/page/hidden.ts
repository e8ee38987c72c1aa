/**
 * Timed work in a hidden tab. A browser throttles a tab in the background (timers clamped to 1 s, then Chrome's
 * intensive throttling after 5 minutes; requestAnimationFrame not run; the renderer's priority may drop), so a time
 * measured while the page was hidden is not the one it would have been in front. The page's driver (./run.ts) times
 * each call as before — nothing here changes a time — and marks the calls that overlapped a hidden period:
 * TrainOut.hidden (a timed repetition: protocol.ts timeRep counts them into Row.hiddenReps) and FitRun.hidden (a
 * config e fit: epochs.ts addFit). The page's table, the JSON, the Markdown and the status line say so (table.ts,
 * report.ts). `npm run bench`'s page is never hidden (headless, one tab) and the Node and Dawn drivers have no
 * document: their rows never carry the mark.
 */
import type { EpochStat } from '../fit-systems.ts';
import type { Driver } from '../protocol.ts';

/** The part of `document` watched: its visibilityState and its visibilitychange events (a stand-in in Node). */
export interface VisibilitySource {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * `during(work)`: whether the page was hidden at any moment of `work`, as the page sees it — hidden when it began,
 * hidden when it ended, or its visibility changed while it ran (a change either way means a hidden moment). A call
 * that runs synchronously (the CPU and wasm systems) sees a change only once it has returned (the event is a task of
 * its own): a hidden period that began inside it then marks the next call, which begins hidden.
 */
export function hiddenWatch(doc: VisibilitySource): <T>(work: () => Promise<T>) => Promise<{ value: T; hidden: boolean }> {
  let changes = 0;
  doc.addEventListener('visibilitychange', () => { changes += 1; });
  return async (work) => {
    const before = changes;
    const value = await work();
    // Hidden at its start and still: hidden at its end; hidden at its start and shown since: a change.
    return { value, hidden: changes !== before || doc.visibilityState === 'hidden' };
  };
}

/**
 * `driver` with its timed calls watched (hiddenWatch): a `train` or `fit` that overlapped a hidden period says so
 * (`hidden: true`); the others, and every untimed call, as they were.
 */
export function watchHidden(driver: Driver, doc: VisibilitySource): Driver {
  const during = hiddenWatch(doc);
  const { fit } = driver;
  return {
    ...driver,
    async train(id, steps) {
      const { value, hidden } = await during(() => driver.train(id, steps));
      return hidden ? { ...value, hidden: true } : value;
    },
    ...(fit ? {
      async fit(system, config, onEpoch?: (e: EpochStat) => void, variant?) {
        const { value, hidden } = await during(() => fit.call(driver, system, config, onEpoch, variant));
        return hidden ? { ...value, hidden: true } : value;
      },
    } : {}),
  };
}
