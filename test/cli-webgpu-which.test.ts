/**
 * The CLI's route to WebGPU (src/cli/webgpu.ts openWebGpu) says which route ran: Dawn in Node when it has an adapter,
 * else headless Chromium after one line saying why Dawn did not, straight to Chromium under BACKPROP_WEBGPU=browser.
 * The stderr line "backprop: WebGPU <where> — <adapter>" must name the route that actually ran: a user told "Dawn"
 * while Chromium ran (or the reverse) reads their numbers as the wrong machine's.
 *
 * Both routes are stand-ins here (no GPU, no browser): DawnGpu.open and WebGpuPage.open return objects that say
 * where they are as the real classes do (src/cli/dawn.ts, src/cli/browser.ts) and record being opened and closed.
 * onDawn is the real one, with no SwiftShader driver to be found (so it never reruns the command in a child process).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebGPUUnavailableError, type WebGPUUnavailableReason } from '../src/errors.ts';

const fake = vi.hoisted(() => ({
  dawn: 'ok' as 'ok' | 'no-adapter' | 'no-webgpu',
  chromiumAvailable: true,
  opened: [] as string[],
  closed: [] as string[],
  pageArgs: [] as unknown[][],
}));

function route(name: 'dawn' | 'chromium', where: string, available: () => boolean) {
  return {
    route: name,
    where,
    adapter: async () => (available() ? { available: true, description: `WebGPU: fake ${name} adapter` } : { available: false, reason: 'nothing here', unavailable: 'no-adapter' as const }),
    close: async () => {
      fake.closed.push(name);
    },
  };
}

vi.mock('../src/cli/dawn.ts', async (original) => {
  const real = await original<typeof import('../src/cli/dawn.ts')>();
  const { WebGPUUnavailableError: Unavailable } = await import('../src/errors.ts');
  return {
    ...real,
    DawnGpu: {
      open: async () => {
        fake.opened.push('dawn');
        if (fake.dawn !== 'ok') throw new Unavailable(fake.dawn === 'no-webgpu' ? "the npm package 'webgpu' did not load" : 'Dawn found no adapter', fake.dawn as WebGPUUnavailableReason);
        return route('dawn', 'in Node on Dawn (npm package webgpu)', () => true);
      },
    },
  };
});
// No SwiftShader driver anywhere: onDawn never reruns the command in a child process here.
vi.mock('../src/node/dawn.ts', async (original) => ({
  ...(await original<typeof import('../src/node/dawn.ts')>()),
  findAnySwiftShaderIcd: async () => null,
}));
vi.mock('../src/cli/browser.ts', async (original) => ({
  ...(await original<typeof import('../src/cli/browser.ts')>()),
  WebGpuPage: {
    open: async (...args: unknown[]) => {
      fake.opened.push('chromium');
      fake.pageArgs.push(args);
      return route('chromium', 'in headless Chromium', () => fake.chromiumAvailable);
    },
  },
}));

const { openWebGpu } = await import('../src/cli/webgpu.ts');

let stderr: string[];
beforeEach(() => {
  fake.dawn = 'ok';
  fake.chromiumAvailable = true;
  fake.opened.length = 0;
  fake.closed.length = 0;
  fake.pageArgs.length = 0;
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => stderr.push(String(s)) > 0);
  vi.stubEnv('BACKPROP_WEBGPU', '');
  vi.stubEnv('BACKPROP_DAWN_RERUN', '1');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('openWebGpu says which route ran', () => {
  it('Dawn with an adapter: Dawn, one line naming Dawn, Chromium never opened', async () => {
    const gpu = await openWebGpu();
    expect(gpu.route).toBe('dawn');
    expect(fake.opened).toEqual(['dawn']);
    expect(stderr).toEqual(['backprop: WebGPU in Node on Dawn (npm package webgpu) — WebGPU: fake dawn adapter\n']);
  });

  it('Dawn without an adapter: a line saying so, then Chromium, and the line names Chromium (not Dawn)', async () => {
    fake.dawn = 'no-adapter';
    const gpu = await openWebGpu('tiled');
    expect(gpu.route).toBe('chromium');
    expect(fake.opened).toEqual(['dawn', 'chromium']);
    expect(stderr).toEqual([
      'backprop: WebGPU is unavailable: Dawn found no adapter — trying headless Chromium instead.\n',
      'backprop: WebGPU in headless Chromium — WebGPU: fake chromium adapter\n',
    ]);
    // Dawn loaded (it found no adapter): a missing puppeteer-core's error would name puppeteer-core alone.
    expect(fake.pageArgs).toEqual([['tiled', false]]);
  });

  it('Dawn without an adapter and no SwiftShader driver (not a rerun): the line says none was found and how to get one', async () => {
    vi.stubEnv('BACKPROP_DAWN_RERUN', '');
    fake.dawn = 'no-adapter';
    await openWebGpu();
    expect(stderr[0]).toBe('backprop: WebGPU is unavailable: Dawn found no adapter; and no SwiftShader driver found (Debian: apt-get install chromium) — trying headless Chromium instead.\n');
  });

  it("the npm package webgpu missing: Chromium told so (its error would then name both packages)", async () => {
    fake.dawn = 'no-webgpu';
    await openWebGpu();
    expect(fake.pageArgs).toEqual([[undefined, true]]);
  });

  it('BACKPROP_WEBGPU=browser: Dawn never tried, no Dawn line, the line names Chromium', async () => {
    vi.stubEnv('BACKPROP_WEBGPU', 'browser');
    const gpu = await openWebGpu();
    expect(gpu.route).toBe('chromium');
    expect(fake.opened).toEqual(['chromium']);
    expect(stderr).toEqual(['backprop: WebGPU in headless Chromium — WebGPU: fake chromium adapter\n']);
  });

  it("Chromium's page without an adapter: closed, a WebGPUUnavailableError with the page's reason, no line claiming WebGPU ran", async () => {
    vi.stubEnv('BACKPROP_WEBGPU', 'browser');
    fake.chromiumAvailable = false;
    const err = await openWebGpu().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WebGPUUnavailableError);
    expect((err as WebGPUUnavailableError).message).toBe("WebGPU is unavailable: headless Chromium has no WebGPU adapter: nothing here");
    expect(fake.closed).toEqual(['chromium']);
    expect(stderr).toEqual([]);
  });
});
