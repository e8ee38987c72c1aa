/**
 * --webgpu-variant on both of the CLI's WebGPU routes (src/cli/webgpu.ts openWebGpu), without a GPU: Dawn in Node
 * (src/cli/dawn.ts DawnGpu) and headless Chromium (src/cli/browser.ts WebGpuPage driving the harness page,
 * src/browser/harness.ts). Only two things are replaced: WebGpuBackend.create, by a fake adapter without the
 * `subgroups` feature that records the options it is given (so a subgroup variant is its LimitError naming `variant`,
 * as src/webgpu/backend.ts throws it), and the browser session, by one whose page.evaluate runs the harness in this
 * process. The variant each route asks the backend for, the variant it reports, and the LimitError named as the flag
 * (as createBackend names it webgpuVariant) are checked. The real runs, on SwiftShader: test/dawn.test.ts (Dawn) and
 * test/browser/cli-webgpu.test.ts (Chromium).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackpropError, GpuValidationError, LimitError, ShaderCompileError, WebGPUUnavailableError } from '../src/errors.ts';

/** The options each WebGpuBackend.create call was given; `stand.fail`: the error every create throws instead, while set. */
const created: unknown[] = [];
const stand = { fail: undefined as (() => Error) | undefined };

vi.mock('../src/webgpu/backend.ts', async () => {
  const { LimitError: Limit } = await import('../src/errors.ts');
  return {
    WebGpuBackend: {
      // An adapter without `subgroups`: the check src/webgpu/backend.ts makes before a device (its wording).
      create: async (options: { variant?: string } = {}) => {
        created.push(options);
        if (stand.fail) throw stand.fail();
        const choice = options.variant ?? 'auto';
        if (choice === 'subgroup' || choice === 'blocked-subgroup') throw new Limit('variant', `'${choice}' kernels need an adapter with the 'subgroups' feature; this one has none`);
        const variant = choice === 'auto' ? 'tiled' : choice;
        return {
          variant, description: `WebGPU: fake adapter, ${variant} kernels`,
          adapterInfo: { vendor: 'fake', architecture: '', device: '', description: '', isFallbackAdapter: false },
          device: { features: new Set<string>() },
          dispose: () => {},
        };
      },
    },
  };
});

// The browser session: page.evaluate runs its function here, on the harness's window.bp (imported below).
vi.mock('../src/node/session.ts', () => ({
  startBrowserSession: async () => ({
    page: { evaluate: (fn: (...a: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve(fn(...args)) },
    close: async () => {},
  }),
}));

beforeAll(async () => {
  vi.stubGlobal('window', {});
  await import('../src/browser/harness.ts');
});

afterEach(async () => {
  stand.fail = undefined;
  // Each command gets a fresh page; here one harness serves every session: back to its defaults ('auto').
  await (window as unknown as { bp: { useVariant: (v: 'auto') => Promise<unknown> } }).bp.useVariant('auto');
  created.length = 0;
  vi.unstubAllEnvs();
});

const { chromiumUnavailable, openWebGpu } = await import('../src/cli/webgpu.ts');

describe.each([
  ['Dawn in Node', undefined, 'in Node on Dawn (npm package webgpu)'],
  ['headless Chromium', 'browser', 'in headless Chromium'],
])('openWebGpu on %s', (_name, route, where) => {
  const open = (variant?: Parameters<typeof openWebGpu>[0]) => {
    if (route) vi.stubEnv('BACKPROP_WEBGPU', route);
    return openWebGpu(variant);
  };

  it('opens the variant asked for (the backend is made with it) and reports it as the one that runs', async () => {
    const gpu = await open('blocked');
    expect(gpu.where).toBe(where);
    expect((await gpu.adapter()).variant).toBe('blocked');
    await gpu.close();
    expect(created.map((o) => (o as { variant?: string }).variant)).toEqual(['blocked']);
  });

  it('without --webgpu-variant the backend picks (asked for no variant, or for auto)', async () => {
    const gpu = await open();
    expect((await gpu.adapter()).variant).toBe('tiled'); // the fake's pick for 'auto'
    await gpu.close();
    // (The harness's backend may already be made, by afterEach's reset: no call then.)
    expect(created.filter((o) => ((o as { variant?: string }).variant ?? 'auto') !== 'auto')).toEqual([]);
  });

  it('a variant the adapter cannot run: its LimitError, named as the flag (not "no adapter")', async () => {
    const err = await open('subgroup').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect((err as BackpropError).field).toBe('--webgpu-variant');
    expect((err as BackpropError).message).toBe("--webgpu-variant: 'subgroup' kernels need an adapter with the 'subgroups' feature; this one has none");
  });
});

// Review cliprov35: an error at backend creation that is not WebGPU's absence is reported as what it is (its class,
// code and message) on both routes, never as "headless Chromium has no WebGPU adapter" (which would send a user
// looking for a missing GPU); the real no-adapter case keeps that wording.
describe.each([
  ['Dawn in Node', undefined],
  ['headless Chromium', 'browser'],
])('openWebGpu on %s: an error at backend creation', (_name, route) => {
  const open = () => {
    if (route) vi.stubEnv('BACKPROP_WEBGPU', route);
    return openWebGpu('blocked').then(() => undefined, (e: unknown) => e);
  };

  it.each([
    ['a shader that does not compile', () => new ShaderCompileError('shaders/matmul.wgsl', 'error: unresolved identifier'), ShaderCompileError, 'SHADER_COMPILE'],
    ['a validation error in the kernels\' setup', () => new GpuValidationError('kernel setup', 'invalid bind group layout'), GpuValidationError, 'GPU_VALIDATION'],
  ] as const)('%s: that error, its code and message', async (_what, make, cls, code) => {
    stand.fail = make;
    const err = await open();
    expect(err).toBeInstanceOf(BackpropError);
    // Through the page the class comes back as a BackpropError with the code (src/cli/browser.ts unwrap); on Dawn as itself.
    if (!route) expect(err).toBeInstanceOf(cls);
    expect([(err as BackpropError).code, (err as BackpropError).message]).toEqual([code, make().message]);
  });
});

// Review cli36: an adapter that gave no device is not "no adapter": the page says which step failed
// (AdapterReport.unavailable, from WebGPUUnavailableError.reason) and the message says that one, "WebGPU is
// unavailable" once.
it.each([
  ['no adapter: still "headless Chromium has no WebGPU adapter"', 'requestAdapter returned null: this browser offers no WebGPU adapter', 'no-adapter', 'headless Chromium has no WebGPU adapter'],
  ['an adapter that gives no device: "… WebGPU adapter gave no device"', 'requestDevice failed: OperationError: limits exceeded', 'device', "headless Chromium's WebGPU adapter gave no device"],
] as const)('headless Chromium with %s, WEBGPU_UNAVAILABLE, its reason, "WebGPU is unavailable" said once', async (_what, why, reason, words) => {
  vi.stubEnv('BACKPROP_WEBGPU', 'browser');
  stand.fail = () => new WebGPUUnavailableError(why, reason);
  const err = await openWebGpu('blocked').then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WebGPUUnavailableError);
  expect((err as BackpropError).message).toBe(`WebGPU is unavailable: ${words}: ${why}`);
  expect((err as WebGPUUnavailableError).reason).toBe(reason);
});

describe('chromiumUnavailable: the message for the step the page reports failed', () => {
  it.each([
    ['device', "headless Chromium's WebGPU adapter gave no device: R", 'device'],
    ['no-adapter', 'headless Chromium has no WebGPU adapter: R', 'no-adapter'],
    ['adapter-failed', 'headless Chromium has no WebGPU adapter: R', 'adapter-failed'],
    ['no-webgpu', 'headless Chromium has no WebGPU: R', 'no-webgpu'],
    [undefined, 'headless Chromium has no WebGPU adapter: R', 'no-adapter'],
  ] as const)('%s', (unavailable, message, reason) => {
    const err = chromiumUnavailable({ reason: 'R', ...(unavailable ? { unavailable } : {}) });
    expect([err.message, err.reason]).toEqual([`WebGPU is unavailable: ${message}`, reason]);
  });
  it('no reason given says so', () => {
    expect(chromiumUnavailable({ unavailable: 'device' }).message).toBe("WebGPU is unavailable: headless Chromium's WebGPU adapter gave no device: no reason given");
  });
});
