/**
 * The loss surface's grid, computed in a worker (./surface-worker.ts) where the page can start one, else on the
 * page's thread (the same function, lossGrid). `where` says which, for the caption.
 */
import { lossGrid, type LossGrid, type SurfaceArgs } from './surface-grid.ts';

let worker: Worker | null = null;
let workerFailed = false;

function startWorker(): Worker | null {
  if (workerFailed || typeof Worker === 'undefined') return null;
  try {
    worker ??= new Worker(new URL('./surface-worker.ts', import.meta.url), { type: 'module', name: 'loss-surface' });
    return worker;
  } catch {
    workerFailed = true;
    return null;
  }
}

export async function surfaceGrid(args: SurfaceArgs): Promise<{ grid: LossGrid; where: 'worker' | 'page' }> {
  const w = startWorker();
  if (!w) return { grid: lossGrid(args), where: 'page' };
  const { grid: _ignored, ...plain } = args;
  void _ignored;
  return new Promise((resolve, reject) => {
    w.onmessage = (e: MessageEvent<{ grid?: LossGrid; error?: string }>) => {
      if (e.data.grid) resolve({ grid: e.data.grid, where: 'worker' });
      else reject(new Error(e.data.error ?? 'the loss-surface worker gave no grid'));
    };
    w.onerror = (e) => {
      // A worker that cannot load (a file:// page, a strict CSP): compute on the page instead, once and for all.
      e.preventDefault();
      workerFailed = true;
      worker?.terminate();
      worker = null;
      try {
        resolve({ grid: lossGrid(args), where: 'page' });
      } catch (err) {
        reject(err);
      }
    };
    w.postMessage(plain);
  });
}
