/**
 * One wasm backend per page (one memory and set of worker threads for every model it makes), loaded on first use:
 * the backend's module is imported dynamically, so a page that never picks wasm does not load it.
 */
import type { WasmBackend } from './backend.ts';

let wasm: Promise<WasmBackend> | null = null;

/** The page's one WasmBackend, created on the first call; a failed creation is forgotten, so the next call tries again. */
export function sharedWasm(): Promise<WasmBackend> {
  if (!wasm) {
    wasm = import('./backend.ts').then((m) => m.WasmBackend.create());
    wasm.catch(() => { wasm = null; });
  }
  return wasm;
}
