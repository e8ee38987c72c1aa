/**
 * The CLI's one way to WebGPU, for every command that runs it (grad, explain, check, train, demo): Dawn in Node when
 * it has an adapter (src/cli/dawn.ts: the system's Vulkan drivers, then SwiftShader in a child process), else headless
 * Chromium (src/cli/browser.ts), with one line on stderr saying why. BACKPROP_WEBGPU=browser goes straight to
 * Chromium. Either way one line on stderr says which route ran and on what adapter.
 *
 * NOTE: the SwiftShader rerun starts the whole command again in a child process, so a command opens WebGPU before it
 * writes anything to stdout (else the parent's lines would be printed twice).
 */
import { BackpropError, LimitError, SpecError, WebGPUUnavailableError } from '../errors.ts';
import { valueGuess } from '../suggest.ts';
import { KERNEL_VARIANTS } from '../webgpu/variants.ts';
import { type AdapterReport, WebGpuPage } from './browser.ts';
import { DawnGpu, onDawn } from './dawn.ts';
import { choice, UsageError } from './io.ts';
import type { RanOn, WebGpuRouteName } from './ran.ts';

/** The calls the commands make on WebGPU, the same in the page and on Dawn; `where` names the route in words, `route` by name. */
export type WebGpu = { readonly route: WebGpuRouteName } & Pick<WebGpuPage, 'where' | 'adapter' | 'grad' | 'step' | 'fit' | 'openModel' | 'trainModel' | 'modelLoss' | 'closeModel' | 'close'>;

/**
 * BACKPROP_WEBGPU as set: unset (or empty: Dawn first) or 'browser'. Another value is a SpecError naming it (a
 * misspelt 'brower' would otherwise take Dawn without a word); main.ts checks it before any command's work.
 */
export function webGpuRoute(env: Record<string, string | undefined> = process.env): 'browser' | undefined {
  const v = env.BACKPROP_WEBGPU;
  if (v === undefined || v === '') return undefined;
  if (v === 'browser') return v;
  throw new SpecError('BACKPROP_WEBGPU', `must be browser or unset, got '${v}'${valueGuess(v, ['browser'])}`);
}

/** --webgpu-variant's values: the library's webgpuVariant ('auto' and src/webgpu/variants.ts KERNEL_VARIANTS). */
export const WEBGPU_VARIANTS = ['auto', ...KERNEL_VARIANTS] as const;
export type WebGpuVariant = (typeof WEBGPU_VARIANTS)[number];

/**
 * --webgpu-variant as given (undefined when absent): one of WEBGPU_VARIANTS, and only where `backend` (the command's
 * --backend value) runs WebGPU, one of `gpuBackends`; else a UsageError naming the flag, worded as Model.create's
 * SpecError for webgpuVariant with backend 'cpu' or 'wasm' (src/backends.ts checkWebgpuVariant): a variant that would
 * do nothing is refused, not ignored. The value is checked first, as the library does.
 */
export function webgpuVariantFlag(raw: string | undefined, backend: string, gpuBackends: readonly string[]): WebGpuVariant | undefined {
  if (raw === undefined) return undefined;
  const variant = choice('webgpu-variant', raw, WEBGPU_VARIANTS);
  if (!gpuBackends.includes(backend)) {
    const list = gpuBackends.length === 1 ? gpuBackends[0] : `${gpuBackends.slice(0, -1).join(', ')} or ${gpuBackends[gpuBackends.length - 1]}`;
    throw new UsageError(`--webgpu-variant is for a WebGPU backend (--backend ${list}); backend is '${backend}'`);
  }
  return variant;
}

/**
 * A kernel variant the adapter cannot run (WebGpuBackend.create's LimitError naming `variant`: a subgroup variant
 * without the `subgroups` feature) named as the flag that asked for it, as createBackend names it webgpuVariant;
 * another error as it is. The page's errors come back as BackpropErrors with the code (src/cli/browser.ts unwrap).
 */
function asFlag(err: unknown): unknown {
  if (!(err instanceof BackpropError) || err.code !== 'LIMIT' || err.field !== 'variant') return err;
  return new LimitError('--webgpu-variant', err.message.replace(/^variant: /, ''));
}

/**
 * The error for headless Chromium's page without WebGPU, naming the step that failed as the page reports it
 * (AdapterReport.unavailable): an adapter that gave no device ('device': requestDevice failed) is not "no adapter",
 * nor is a page without navigator.gpu ('no-webgpu'); no adapter ('no-adapter', 'adapter-failed': requestAdapter gave
 * null or threw) or no step told is. The error's reason is the page's (else 'no-adapter').
 */
export function chromiumUnavailable(report: Pick<AdapterReport, 'reason' | 'unavailable'>): WebGPUUnavailableError {
  const why = report.reason ?? 'no reason given';
  const kind = report.unavailable ?? 'no-adapter';
  if (kind === 'device') return new WebGPUUnavailableError(`headless Chromium's WebGPU adapter gave no device: ${why}`, kind);
  if (kind === 'no-webgpu') return new WebGPUUnavailableError(`headless Chromium has no WebGPU: ${why}`, kind);
  return new WebGPUUnavailableError(`headless Chromium has no WebGPU adapter: ${why}`, kind);
}

/**
 * WebGPU on Dawn, else in headless Chromium, its kernels `variant` (--webgpu-variant; absent: 'auto', picked per
 * adapter); WebGPUUnavailableError (with the reason: chromiumUnavailable) when the page has no WebGPU either, a LimitError naming
 * --webgpu-variant when the adapter cannot run that variant. May throw RanInChild (the command already ran on
 * SwiftShader in a child process: exit with its status).
 */
export async function openWebGpu(variant?: WebGpuVariant): Promise<WebGpu> {
  let gpu: WebGpu | undefined;
  // The npm package webgpu did not load: installing it is the other way to WebGPU, which a missing puppeteer-core's
  // error names (not under BACKPROP_WEBGPU=browser, nor where Dawn loaded and found no adapter).
  let dawnMissing = false;
  try {
    if (webGpuRoute() !== 'browser') {
      const dawn = await onDawn(() => DawnGpu.open(variant));
      if ('ok' in dawn) gpu = dawn.ok;
      else {
        dawnMissing = dawn.missing;
        process.stderr.write(`backprop: ${dawn.unavailable} — trying headless Chromium instead.\n`);
      }
    }
    gpu ??= await WebGpuPage.open(variant, dawnMissing);
  } catch (err) {
    throw asFlag(err);
  }
  let adapter: Awaited<ReturnType<WebGpu['adapter']>>;
  try {
    adapter = await gpu.adapter();
  } catch (err) {
    await gpu.close(); // the page, its server and Chromium (or Dawn's device): nothing left to keep the process alive
    throw asFlag(err);
  }
  if (!adapter.available) {
    await gpu.close();
    throw chromiumUnavailable(adapter);
  }
  process.stderr.write(`backprop: WebGPU ${gpu.where} — ${adapter.description}\n`);
  return gpu;
}

/** What an open WebGPU runs on: its route and its kernels (the adapter's report of them), as --json says them (src/cli/ran.ts). */
export async function ranOnGpu(gpu: WebGpu): Promise<RanOn> {
  return { route: gpu.route, variant: (await gpu.adapter()).variant };
}

/** openWebGpu (its kernels `variant`), `work` on it, then close it. */
export async function onWebGpu<T>(work: (gpu: WebGpu) => Promise<T>, variant?: WebGpuVariant): Promise<T> {
  const gpu = await openWebGpu(variant);
  try {
    return await work(gpu);
  } finally {
    await gpu.close();
  }
}
