/**
 * The lab page's shared state: the one session on show, its data, the GPU and what the page knows about the
 * adapter, the selected parameter and example. main.ts and the page's modules (device-panel.ts, views.ts,
 * training.ts, file-actions.ts) read and set these fields directly; nothing here draws or wires anything.
 */
import type { AdapterReport } from '../browser/harness.ts';
import type { ParamId } from '../notation/names.ts';
import type { WebGpuBackend } from '../webgpu/backend.ts';
import { simdSupport } from '../wasm/backend.ts';
import type { SaveMark } from './files.ts';
import type { PresetData } from './presets.ts';
import type { LabSession } from './session.ts';

export interface PageState {
  gpu: WebGpuBackend | null;
  adapter: AdapterReport;
  session: LabSession | null;
  data: PresetData | null;
  selected: ParamId | undefined;
  example: number;
  /** The training on screen when Export or Share last saved it (unsavedTraining: the leave-page warning). */
  saved: SaveMark | null;
}

// ——— page state ———
export const page: PageState = {
  gpu: null,
  adapter: { available: false, reason: 'not probed yet' },
  session: null,
  data: null,
  selected: undefined,
  example: 0,
  saved: null,
};

/** Whether this engine validates WebAssembly f32x4 SIMD (the wasm backend). */
export const wasmSimd = simdSupport().simd;

/** main.ts's run(): one user action at a time, the page marked busy, errors shown (the modules' handlers go through it). */
export type RunAction = (what: string, work: () => Promise<void>) => Promise<void>;
