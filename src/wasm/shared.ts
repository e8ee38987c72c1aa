/**
 * One wasm backend per page (one memory and set of worker threads for every model it makes), loaded on first use:
 * the backend's module is imported dynamically, so a page that never picks wasm does not load it.
 */
import { SharedBackend } from '../backend.ts';
import type { WasmBackend } from './backend.ts';

/**
 * The page's one WasmBackend, created on the first call; a failed creation is forgotten, so the next call tries again,
 * and so is a backend since disposed (a worker that died or stalled disposes it: WasmThreadError `disposed`), so that
 * the next call makes a new one rather than give every later model a backend that refuses it (DisposedError).
 */
const wasm = new SharedBackend(() => import('./backend.ts').then((m) => m.WasmBackend.create()), (b: WasmBackend) => b.isDisposed);

export function sharedWasm(): Promise<WasmBackend> {
  return wasm.get();
}
