/**
 * src/lab/frozen.ts as Train and Fit use it (src/lab/training.ts pageTimer, after frozen.ts watchFrozen): the time in a
 * run's summary leaves out the time the page sat in the back/forward cache during it (a Benchmark link followed
 * mid-run, then Back), read from `window`'s pagehide/pageshow and `document`'s freeze/resume. Node, on the stand-in DOM
 * of test/lib/training-panel.ts, `performance.now` a clock set by hand: every expected time below is the run's span less
 * the interval the test opened and closed, worked out in the comments.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunAction } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import type { FakeElement } from './lib/fake-dom.ts';
import { fillFit, trainingPanel } from './lib/training-panel.ts';

vi.mock('../src/lab/views.ts', () => ({ drawAll: () => {}, drawChartSoon: () => {}, recordValidation: () => {} }));
vi.mock('../src/lab/files.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/lab/files.ts')>();
  return { ...real, checkFitSettings: (_lab: unknown, f: ReturnType<typeof real.checkFitSettings>) => f };
});

const { page } = await import('../src/lab/page.ts');
const { wireTraining } = await import('../src/lab/training.ts');
const { watchFrozen } = await import('../src/lab/frozen.ts');

type Listener = (e: { persisted?: boolean }) => void;
/** A stand-in window or document: its listeners by type, `fire` calls them. */
function lifecycle() {
  const on: [string, Listener][] = [];
  return {
    addEventListener: (type: string, l: Listener) => { on.push([type, l]); },
    fire: (type: string, persisted?: boolean) => { for (const [t, l] of on) if (t === type) l({ persisted }); },
  };
}

let els: Map<string, FakeElement>;
let running: Promise<void> | undefined;
let t = 0;
let win: ReturnType<typeof lifecycle>;
let doc: ReturnType<typeof lifecycle>;

/** During the run: 1 s of work, 12 s in the back/forward cache (persisted pagehide … pageshow), 1.5 s of work. */
function runWithBackForward(): void {
  t += 1000;
  win.fire('pagehide', true);
  t += 12_000;
  win.fire('pageshow', true);
  t += 1500;
}

/** During the run: 2 s of work, 5 s frozen by the browser (document freeze … resume), 0.25 s of work. */
function runWithFreeze(): void {
  t += 2000;
  doc.fire('freeze');
  t += 5000;
  doc.fire('resume');
  t += 250;
}

let during: () => void;
const session = (): LabSession => ({
  kind: 'wasm', history: [] as { loss: number }[], steps: 0, lr: 0.5, batches: 1, lab: { batchSize: 4 },
  async fit(o: { epochs: number }, onEpoch: (e: { loss: number }, done: number) => void) {
    during();
    for (let k = 1; k <= o.epochs; k++) {
      (this as { history: { loss: number }[] }).history.push({ loss: 1 / k });
      onEpoch({ loss: 1 / k }, k);
    }
    return Array.from({ length: o.epochs }, (_, k) => ({ loss: 1 / (k + 1) }));
  },
  async train(steps: number, onChunk: (k: number) => void) {
    const self = this as { history: { loss: number }[]; steps: number };
    self.history.push({ loss: 1 });
    during();
    self.history.push({ loss: 0.5 });
    self.steps += steps;
    onChunk(steps);
    return steps;
  },
}) as unknown as LabSession;

beforeEach(() => {
  els = trainingPanel();
  win = lifecycle();
  doc = lifecycle();
  t = 500;
  // trainingPanel's document (getElementById) with the lifecycle's listeners; the clock the test's.
  vi.stubGlobal('document', { ...(globalThis.document as object), addEventListener: doc.addEventListener });
  vi.stubGlobal('window', win);
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
  vi.spyOn(performance, 'now').mockImplementation(() => t);
  watchFrozen();
  const run: RunAction = (_what, work) => (running = work());
  wireTraining(run);
  page.session = session();
});
afterEach(() => {
  page.session = null;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("a run's time in its summary leaves out the time the page was frozen", () => {
  it('Fit: 14.5 s on the clock, 12 s of it in the back/forward cache: "in 2.50 s"', async () => {
    during = runWithBackForward;
    fillFit(els, 2);
    els.get('fit')!.click();
    await running;
    // 1000 + 12 000 + 1500 ms since the Fit's start, less the 12 000 ms from pagehide to pageshow: 2500 ms.
    expect(els.get('train-out')!.textContent).toMatch(/ on WebAssembly SIMD in 2\.50 s: loss /);
  });

  it('Train: 7.25 s on the clock, 5 s of it frozen (freeze … resume): "in 2.25 s"', async () => {
    during = runWithFreeze;
    els.get('train-steps')!.value = '10';
    els.get('train')!.click();
    await running;
    // 2000 + 5000 + 250 ms since the Train's start, less the 5000 ms from freeze to resume: 2250 ms.
    expect(els.get('train-out')!.textContent).toMatch(/^10 steps of SGD \(η = 0\.5, full batch\) on WebAssembly SIMD in 2\.25 s: loss /);
  });
});
