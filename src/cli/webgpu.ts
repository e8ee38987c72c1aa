/**
 * The CLI's one way to WebGPU, for every command that runs it (grad, explain, check, train, demo): Dawn in Node when
 * it has an adapter (src/cli/dawn.ts: the system's Vulkan drivers, then SwiftShader in a child process), else headless
 * Chromium (src/cli/browser.ts), with one line on stderr saying why. BACKPROP_WEBGPU=browser goes straight to
 * Chromium. Either way one line on stderr says which route ran and on what adapter.
 *
 * NOTE: the SwiftShader rerun starts the whole command again in a child process, so a command opens WebGPU before it
 * writes anything to stdout (else the parent's lines would be printed twice).
 */
import { SpecError, WebGPUUnavailableError } from '../errors.ts';
import { WebGpuPage } from './browser.ts';
import { DawnGpu, onDawn } from './dawn.ts';

/** The calls the commands make on WebGPU, the same in the page and on Dawn; `where` names the route. */
export type WebGpu = Pick<WebGpuPage, 'where' | 'adapter' | 'grad' | 'step' | 'fit' | 'openModel' | 'trainModel' | 'modelLoss' | 'closeModel' | 'close'>;

/**
 * BACKPROP_WEBGPU as set: unset (or empty: Dawn first) or 'browser'. Another value is a SpecError naming it (a
 * misspelt 'brower' would otherwise take Dawn without a word); main.ts checks it before any command's work.
 */
export function webGpuRoute(env: Record<string, string | undefined> = process.env): 'browser' | undefined {
  const v = env.BACKPROP_WEBGPU;
  if (v === undefined || v === '') return undefined;
  if (v === 'browser') return v;
  throw new SpecError('BACKPROP_WEBGPU', `must be browser or unset, got '${v}'`);
}

/**
 * WebGPU on Dawn, else in headless Chromium; WebGPUUnavailableError (with the reason) when the page has no adapter
 * either. May throw RanInChild (the command already ran on SwiftShader in a child process: exit with its status).
 */
export async function openWebGpu(): Promise<WebGpu> {
  let gpu: WebGpu | undefined;
  if (webGpuRoute() !== 'browser') {
    const dawn = await onDawn(() => DawnGpu.open());
    if ('ok' in dawn) gpu = dawn.ok;
    else process.stderr.write(`backprop: ${dawn.unavailable} — trying headless Chromium instead.\n`);
  }
  gpu ??= await WebGpuPage.open();
  let adapter: Awaited<ReturnType<WebGpu['adapter']>>;
  try {
    adapter = await gpu.adapter();
  } catch (err) {
    await gpu.close(); // the page, its server and Chromium (or Dawn's device): nothing left to keep the process alive
    throw err;
  }
  if (!adapter.available) {
    await gpu.close();
    throw new WebGPUUnavailableError(`headless Chromium has no WebGPU adapter: ${adapter.reason ?? 'no reason given'}`, 'no-adapter');
  }
  process.stderr.write(`backprop: WebGPU ${gpu.where} — ${adapter.description}\n`);
  return gpu;
}

/** openWebGpu, `work` on it, then close it. */
export async function onWebGpu<T>(work: (gpu: WebGpu) => Promise<T>): Promise<T> {
  const gpu = await openWebGpu();
  try {
    return await work(gpu);
  } finally {
    await gpu.close();
  }
}
