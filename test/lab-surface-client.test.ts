/**
 * The loss surface's worker protocol (src/lab/surface-client.ts and src/lab/surface-worker.ts) in Node: a stand-in
 * Worker that runs the real worker's handler, its answers held and given back in the order the test chooses. Two
 * requests that overlap each get their own grid (one onmessage replaced per request lost the first's answer: its
 * promise never settled), an error answers its own request only, and a worker that fails to load has every request
 * waiting computed on the page. The reference is lossGrid called directly on each request's arguments.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lossGrid, type LossGrid, type SurfaceArgs } from '../src/lab/surface-grid.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { batchFrom, validateSpec } from '../src/spec.ts';

const spec = lecture('lecture-2-2-1').worked.spec;
const valid = validateSpec(spec);
const batch = batchFrom(valid.net, spec.x, spec.y);
const naming = new Naming(valid.net, spec.notation);

function args(p1: string, p2: string, resolution: number): SurfaceArgs {
  const [a, b] = [naming.resolveParam(p1, 'test'), naming.resolveParam(p2, 'test')];
  return { net: valid.net, params: valid.params!, X: batch.X, Y: batch.Y, n: batch.n, p1: a, p2: b, names: [p1, p2], resolution };
}

/** The stand-in for the page's Worker: it keeps what the client posts; the test hands it to the worker's handler. */
class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { preventDefault(): void }) => void) | null = null;
  sent: unknown[] = [];
  terminated = false;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(data: unknown): void {
    this.sent.push(structuredClone(data));
  }
  terminate(): void {
    this.terminated = true;
  }
}

/** The worker's global: its handler (set by importing surface-worker.ts) and the answers it posts, held. */
const workerSelf: { onmessage: ((e: { data: unknown }) => void) | null; answers: unknown[]; postMessage(a: unknown): void } = {
  onmessage: null,
  answers: [],
  postMessage(a: unknown) {
    this.answers.push(structuredClone(a));
  },
};

/** A promise's state once the microtasks have run: 'pending', or what it settled with. */
function watch<T>(p: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } {
  const w: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  p.then((value) => Object.assign(w, { state: 'resolved', value }), (error: unknown) => Object.assign(w, { state: 'rejected', error }));
  return w;
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function expectGrid(got: LossGrid | undefined, want: LossGrid): void {
  expect(got?.res).toBe(want.res);
  expect(got?.axis1).toEqual(want.axis1);
  expect(got?.axis2).toEqual(want.axis2);
  expect(Array.from(got!.values)).toEqual(Array.from(want.values));
}

describe('the loss surface worker: requests keyed by id', () => {
  beforeEach(async () => {
    vi.resetModules();
    FakeWorker.made = [];
    workerSelf.answers = [];
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('self', workerSelf);
    await import('../src/lab/surface-worker.ts');
  });
  afterEach(() => vi.unstubAllGlobals());

  /** Two requests sent before either is answered (w5, w6 on a 5 × 5 grid; w1, b1 on 7 × 7), and the one worker they went to. */
  async function twoRequests() {
    const { surfaceGrid } = await import('../src/lab/surface-client.ts');
    const first = args('w5', 'w6', 5);
    const second = args('w1', 'b1', 7);
    const a = watch(surfaceGrid(first));
    const b = watch(surfaceGrid(second));
    expect(FakeWorker.made).toHaveLength(1); // one worker for both
    return { surfaceGrid, first, second, a, b, w: FakeWorker.made[0] };
  }

  it('two requests that overlap, answered in the opposite order, each get their own grid from the worker', async () => {
    const { first, second, a, b, w } = await twoRequests();
    for (const request of w.sent) workerSelf.onmessage!({ data: request });
    expect(workerSelf.answers).toHaveLength(2);
    for (const answer of [...workerSelf.answers].reverse()) w.onmessage!({ data: answer });
    await settle();
    expect([a.state, b.state]).toEqual(['resolved', 'resolved']);
    expect([a.value?.where, b.value?.where]).toEqual(['worker', 'worker']);
    expectGrid(a.value?.grid, lossGrid(first));
    expectGrid(b.value?.grid, lossGrid(second));
  });

  it('an error answers its own request: the one beside it still gets its grid', async () => {
    const { surfaceGrid } = await import('../src/lab/surface-client.ts');
    const good = args('w5', 'w6', 5);
    const bad = watch(surfaceGrid(args('w5', 'w6', 1000))); // past the grid's most points a side: lossGrid refuses it
    const ok = watch(surfaceGrid(good));
    const w = FakeWorker.made[0];
    for (const request of w.sent) workerSelf.onmessage!({ data: request });
    for (const answer of [...workerSelf.answers].reverse()) w.onmessage!({ data: answer });
    await settle();
    expect(bad.state).toBe('rejected');
    expect(String((bad.error as Error).message)).toMatch(/^SpecError: resolution\b/);
    expect(ok.state).toBe('resolved');
    expectGrid(ok.value?.grid, lossGrid(good));
  });

  it('a worker that fails to load: every request waiting, and every later one, is computed on the page', async () => {
    const { surfaceGrid, first, second, a, b, w } = await twoRequests();
    let prevented = false;
    w.onerror!({ preventDefault: () => { prevented = true; } });
    await settle();
    expect(prevented).toBe(true);
    expect(w.terminated).toBe(true);
    expect([a.state, a.value?.where, b.state, b.value?.where]).toEqual(['resolved', 'page', 'resolved', 'page']);
    expectGrid(a.value?.grid, lossGrid(first));
    expectGrid(b.value?.grid, lossGrid(second));
    const later = await surfaceGrid(first);
    expect(later.where).toBe('page');
    expect(FakeWorker.made).toHaveLength(1); // no second worker tried
  });

  it('a request the worker cannot be sent (postMessage throws) rejects with that error and leaves the waiting list', async () => {
    const { surfaceGrid } = await import('../src/lab/surface-client.ts');
    const refused = new DOMException('could not be cloned', 'DataCloneError');
    // The first request's postMessage throws; its args count how often the grid's resolution is read (the client's
    // copy for the message reads it once; a grid computed for it on the page would read it again).
    let reads = 0;
    const base = args('w5', 'w6', 5);
    const counted = { ...base, get resolution() { reads += 1; return base.resolution; } };
    let throwNext = true;
    vi.stubGlobal('Worker', class extends FakeWorker {
      override postMessage(data: unknown): void {
        if (throwNext) {
          throwNext = false;
          throw refused;
        }
        super.postMessage(data);
      }
    });
    const a = watch(surfaceGrid(counted));
    await settle();
    expect([a.state, a.error]).toEqual(['rejected', refused]);
    expect(reads).toBe(1);
    // The worker goes on serving the next request; a worker error later computes on the page only the one waiting.
    const good = args('w1', 'b1', 7);
    const b = watch(surfaceGrid(good));
    const w = FakeWorker.made[0];
    expect(w.sent).toHaveLength(1);
    w.onerror!({ preventDefault: () => undefined });
    await settle();
    expect([b.state, b.value?.where]).toEqual(['resolved', 'page']);
    expectGrid(b.value?.grid, lossGrid(good));
    expect(reads).toBe(1); // no grid computed for the request that was refused
  });
});
