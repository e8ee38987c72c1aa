/**
 * The loss surface's grid off the page's thread: res² CPU forward passes (./surface-grid.ts lossGrid, the oracle's
 * kernels) in a module worker, so that a big net's surface does not freeze the page. Each request in (its id and the
 * SurfaceArgs, structured-cloned: Float32Arrays and plain objects) gets one answer out with the same id: the LossGrid,
 * or an error message (./surface-client.ts matches answers to requests by it).
 */
import { shownMessageOf } from '../checks.ts';
import { lossGrid, type LossGrid, type SurfaceArgs } from './surface-grid.ts';

/** One request: `id` is the client's, given back with the answer. */
export interface SurfaceRequest {
  id: number;
  args: SurfaceArgs;
}

/** One answer: the request's `id`, and its grid or the error lossGrid threw. */
export type SurfaceAnswer = { id: number; grid: LossGrid; error?: undefined } | { id: number; grid?: undefined; error: string };

self.onmessage = (e: MessageEvent<SurfaceRequest>) => {
  const { id, args } = e.data;
  const post = (answer: SurfaceAnswer, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(answer, transfer);
  try {
    const grid = lossGrid(args);
    post({ id, grid }, [grid.values.buffer]);
  } catch (err) {
    post({ id, error: shownMessageOf(err) });
  }
};
