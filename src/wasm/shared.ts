/**
 * One wasm backend per page (one memory and set of worker threads for every model it makes), loaded on first use:
 * the backend's module is imported dynamically, so a page that never picks wasm does not load it.
 */
import type { WasmBackend } from './backend.ts';

let wasm: Promise<WasmBackend> | null = null;
/** What `wasm` resolved to, once it has. */
let made: WasmBackend | null = null;

/**
 * The page's one WasmBackend, created on the first call; a failed creation is forgotten, so the next call tries again,
 * and so is a backend since disposed (a worker that died or stalled disposes it: WasmThreadError `disposed`), so that
 * the next call makes a new one rather than give every later model a backend that refuses it (DisposedError).
 */
export function sharedWasm(): Promise<WasmBackend> {
  if (made?.isDisposed) {
    wasm = null;
    made = null;
  }
  if (!wasm) {
    const making = import('./backend.ts').then((m) => m.WasmBackend.create());
    wasm = making;
    making.then((b) => {
      if (wasm === making) made = b;
    }, () => {
      if (wasm === making) wasm = null;
    });
  }
  return wasm;
}
