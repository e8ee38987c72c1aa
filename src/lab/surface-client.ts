/**
 * The loss surface's grid, computed in a worker (./surface-worker.ts) where the page can start one, else on the
 * page's thread (the same function, lossGrid). `where` says which, for the caption. Requests are keyed by id: the
 * worker answers each with its own, so requests that overlap each get their own grid (one onmessage replaced per
 * request gave the second's handler both answers, and the first request never settled).
 */
import { lossGrid, type LossGrid, type SurfaceArgs } from './surface-grid.ts';
import type { SurfaceAnswer, SurfaceRequest } from './surface-worker.ts';

type SurfaceResult = { grid: LossGrid; where: 'worker' | 'page' };

/** A request the worker has not answered yet: its args (to compute on the page if the worker fails) and its promise's ends. */
interface Pending {
  args: SurfaceArgs;
  resolve: (r: SurfaceResult) => void;
  reject: (err: unknown) => void;
}

let worker: Worker | null = null;
let workerFailed = false;
let lastId = 0;
const pending = new Map<number, Pending>();

/** The grid of `args` on the page's thread, settling `p` (lossGrid's error rejects it). */
function onPage(p: Pending): void {
  try {
    p.resolve({ grid: lossGrid(p.args), where: 'page' });
  } catch (err) {
    p.reject(err);
  }
}

function startWorker(): Worker | null {
  if (workerFailed || typeof Worker === 'undefined') return null;
  if (worker) return worker;
  let w: Worker;
  try {
    w = new Worker(new URL('./surface-worker.ts', import.meta.url), { type: 'module', name: 'loss-surface' });
  } catch {
    workerFailed = true;
    return null;
  }
  w.onmessage = (e: MessageEvent<SurfaceAnswer>) => {
    const p = pending.get(e.data.id);
    if (!p) return; // NOTE: not ours (none is sent twice); a request already settled on the page after a worker error.
    pending.delete(e.data.id);
    if (e.data.grid) p.resolve({ grid: e.data.grid, where: 'worker' });
    else p.reject(new Error(e.data.error || 'the loss-surface worker gave no grid'));
  };
  w.onerror = (e) => {
    // A worker that cannot load (a file:// page, a strict CSP): every request waiting is computed on the page
    // instead, and so is every later one.
    e.preventDefault();
    workerFailed = true;
    w.terminate();
    worker = null;
    const waiting = [...pending.values()];
    pending.clear();
    for (const p of waiting) onPage(p);
  };
  worker = w;
  return w;
}

export async function surfaceGrid(args: SurfaceArgs): Promise<SurfaceResult> {
  const w = startWorker();
  if (!w) return { grid: lossGrid(args), where: 'page' };
  const { grid: _ignored, ...plain } = args;
  void _ignored;
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    pending.set(id, { args, resolve, reject });
    const request: SurfaceRequest = { id, args: plain };
    try {
      w.postMessage(request);
    } catch (err) {
      // NOTE: args that cannot be cloned (a DataCloneError) reach no worker: the request rejects with that error and
      // leaves the waiting list (kept there, a worker error later computed its grid on the page for no one).
      pending.delete(id);
      reject(err);
    }
  });
}
