/**
 * Whether a WebGPU adapter is a software one — a GPU emulated on the CPU, such as SwiftShader (Chromium's WebGPU
 * fallback) — decided once for the engine (backend.ts: kernel variant, fused sizes, 'auto' leaving it for wasm), the
 * lab (lab/device.ts: where it trains, its words; lab/surface-gpu.ts: the 3-D surface's refusal), the CLI's demo note
 * and the bench (bench/measure.ts skipReason: config f). Imports nothing, so the bench page, the lab and Node share it.
 *
 * True where the adapter says isFallbackAdapter, or names SwiftShader (any case) in its vendor, architecture, device
 * or description: Chromium has reported SwiftShader with and without the flag, and a browser that drops the flag must
 * not make an emulated GPU read as a real one. Reports that keep the engine's description in `description` (the
 * bench's env, the CLI's and the lab's AdapterReport) carry the adapter's own as `adapterDescription`: both are read.
 */

/** The fields of a GPUAdapterInfo (or a report of one) that say what the adapter is; any may be absent. */
export interface AdapterIdentity {
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** The adapter's own description where `description` is the engine's (bench/report.ts adapterNames). */
  adapterDescription?: string;
}

/** The names that are SwiftShader, in any case and anywhere in a field ('Google SwiftShader', 'swiftshader'). */
const SOFTWARE_NAME = /swiftshader/i;

/** A software (emulated) adapter: the fallback flag, or SwiftShader named in vendor, architecture, device or a description. */
export function isSoftwareAdapter(info: AdapterIdentity): boolean {
  if (info.isFallbackAdapter === true) return true;
  return [info.vendor, info.architecture, info.device, info.description, info.adapterDescription].some((f) => typeof f === 'string' && SOFTWARE_NAME.test(f));
}

/** SwiftShader named in any of the adapter's names (the flag aside): the lab's words say "SwiftShader" then. */
export function namesSwiftShader(info: AdapterIdentity): boolean {
  return isSoftwareAdapter({ ...info, isFallbackAdapter: false });
}

/**
 * The adapter's own name, from what its info holds: vendor and architecture ("google swiftshader"), else its own
 * description, else its device; '' where the browser fills none of them (Firefox 153 on Mesa's lavapipe: every
 * GPUAdapterInfo field ''). `ownDescription`: GPUAdapterInfo's description (a report's adapterDescription, where its
 * `description` is the engine's).
 */
export function adapterOwnName(info: AdapterIdentity, ownDescription: string | undefined): string {
  return [info.vendor, info.architecture].filter(Boolean).join(' ') || ownDescription || info.device || '';
}
