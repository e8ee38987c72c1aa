/**
 * The loss surface's grid off the page's thread: res² CPU forward passes (./surface-grid.ts lossGrid, the oracle's
 * kernels) in a module worker, so that a big net's surface does not freeze the page. One message in (the
 * SurfaceArgs, structured-cloned: Float32Arrays and plain objects), one out: the LossGrid, or an error message.
 */
import { namedMessageOf } from '../checks.ts';
import { lossGrid, type SurfaceArgs } from './surface-grid.ts';

self.onmessage = (e: MessageEvent<SurfaceArgs>) => {
  try {
    const grid = lossGrid(e.data);
    (self as unknown as Worker).postMessage({ grid }, [grid.values.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ error: namedMessageOf(err) });
  }
};
