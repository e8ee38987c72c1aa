/**
 * Where WebGPU comes from: navigator.gpu in a browser (and in Deno, or wherever a host defines it); in Node, Dawn —
 * Chromium's WebGPU implementation — from the npm package `webgpu` (an optional peer dependency: `npm install webgpu`).
 * Nothing here runs at import time, and the package name is not a literal import, so browser bundles never look
 * for it.
 *
 * NOTE: Dawn keeps Node alive while its GPU object is referenced (node_modules/webgpu/README.md, "Lifetime"). Each
 * backend gets its own create() and drops it with its device (WebGpuBackend.dispose), so a script exits once its
 * models are disposed.
 */
import { messageOf } from '../checks.ts';
import { WebGPUUnavailableError } from '../errors.ts';

/** The npm package that gives Node WebGPU. */
export const DAWN_PACKAGE = 'webgpu';

/** Flags for Dawn's create(), space-separated (node_modules/webgpu/README.md: backend=vulkan, adapter=NAME, …). */
const DAWN_FLAGS_ENV = 'BACKPROP_DAWN_FLAGS';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

export function inNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

function dawnFlags(): string[] {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return (p?.env?.[DAWN_FLAGS_ENV] ?? '').split(' ').filter(Boolean);
}

/**
 * Why a page has no navigator.gpu when the cause is its origin: browsers define it only in a secure context (https,
 * http://localhost, http://127.0.0.1), so a page served over plain http on another address has none whatever the
 * browser and GPU. undefined where the context is secure or there is no such notion (Node: isSecureContext undefined).
 */
export function insecureContextReason(): string | undefined {
  return (globalThis as { isSecureContext?: boolean }).isSecureContext === false
    ? 'the page is not a secure context (WebGPU needs https, or http://localhost / 127.0.0.1)'
    : undefined;
}

/**
 * Where a browser that ships WebGPU switched off lets its user switch it on, as a clause to add to the reason ('' for
 * any other browser): Firefox, by its user agent's `Firefox/`, has it off by default on Linux (ESR 153 too) and on
 * Windows before 141, and reports only that navigator.gpu is undefined. Not Firefox for Android (`Android` in its
 * user agent): its release builds do not open about:config (read63b). Firefox on iOS is WebKit (FxiOS/, no Firefox/).
 */
export function webgpuSwitchHint(userAgent: string | undefined): string {
  return userAgent !== undefined && /\bFirefox\/\d/.test(userAgent) && !/\bAndroid\b/.test(userAgent)
    ? '; in Firefox, where it is off by default on Linux (and on Windows before version 141), set dom.webgpu.enabled to true in about:config'
    : '';
}

/** The user agent of the page's browser; undefined outside one (Node before 21 has no navigator). */
export const userAgent = (): string | undefined => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;

/**
 * Why there is no navigator.gpu, the one sentence for every place that says it (getGpu's error and the lab's probe on a
 * page; createBackend's 'webgpu' error and 'auto' notice, src/backends.ts): the page's origin where that is the cause
 * (the browser may well have WebGPU); `node` (the caller runs in Node, which has none): where WebGPU comes from there;
 * else the browser's, with where Firefox switches it on (webgpuSwitchHint).
 */
export function noNavigatorGpuReason(node = false): string {
  const insecure = insecureContextReason();
  if (insecure) return `navigator.gpu is not defined: ${insecure}`;
  if (node) return "navigator.gpu is not defined (Node has none: WebGPU there is backend: 'webgpu' with the npm package `webgpu`, Dawn, installed)";
  return `navigator.gpu is not defined (a browser without WebGPU, or WebGPU disabled)${webgpuSwitchHint(userAgent())}`;
}

/**
 * The error of a browser without navigator.gpu (noNavigatorGpuReason). A page asks `navigator.gpu` itself and throws
 * this before it fetches the WebGPU backend's code (the course lab's probe, src/lab/device-panel.ts: ~60 kB gzipped it
 * would fetch for nothing).
 */
export function noNavigatorGpu(): WebGPUUnavailableError {
  return new WebGPUUnavailableError(noNavigatorGpuReason(), 'no-webgpu');
}

/** navigator.gpu, or in Node a fresh Dawn GPU; WebGPUUnavailableError (naming the package in Node) when neither. */
export async function getGpu(): Promise<{ gpu: GPU; dawn: boolean }> {
  const nav = typeof navigator === 'undefined' ? undefined : navigator.gpu;
  if (nav) return { gpu: nav, dawn: false };
  if (!inNode()) throw noNavigatorGpu();
  let mod: DawnModule;
  try {
    const name = DAWN_PACKAGE;
    mod = (await import(/* @vite-ignore */ name)) as DawnModule;
  } catch (err) {
    // The cause as its own sentence, before the advice: in parentheses after the advice's it nested, or sat beside them.
    const why = messageOf(err).split('\n')[0].replace(/\.$/, '');
    throw new WebGPUUnavailableError(
      `in Node, WebGPU comes from the npm package '${DAWN_PACKAGE}' (Dawn), which did not load: ${why}. npm install ${DAWN_PACKAGE} (npm install -g ${DAWN_PACKAGE} for a global backprop-webgpu)`,
      'no-webgpu',
    );
  }
  // GPUBufferUsage, GPUMapMode, … as in a browser, for the engine's flags.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  return { gpu: mod.create(dawnFlags()), dawn: true };
}
