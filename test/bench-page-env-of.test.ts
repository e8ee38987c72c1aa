/**
 * bench/page/run.ts envOf, the merge mut64's mutants found unpinned in Node (reviews/mut64.md): the runner's facts
 * (CPU model, Node, OS, …) over the page's "unknown" CPU, and the browser always the page's own reading of its user
 * agent (bench/page/table.ts browserOf), even where a runner's host (an old driver, a caller past the type) names one.
 */
import { describe, expect, it, vi } from 'vitest';
import type { PageEnv } from '../bench/page/main.ts';

// The page's modules set their window hooks as they load: a bare stand-in window is all envOf's import needs.
vi.stubGlobal('window', {});
const { envOf } = await import('../bench/page/run.ts');

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';
const PAGE: PageEnv = {
  userAgent: FIREFOX, crossOriginIsolated: true, hardwareConcurrency: 2,
  webgpu: { available: false, reason: 'none here' }, tfjs: { version: '4', backends: {} },
};

describe('envOf', () => {
  it("the runner's CPU and Node over the page's unknown; the browser the page's 'Firefox/153.0'", () => {
    const host = { cpu: { model: 'AMD EPYC 7B13', cores: 2 }, node: 'v24.1.0', browser: 'firefox/153.8.0' };
    const env = envOf(PAGE, host as Parameters<typeof envOf>[1]);
    expect(env.cpu).toEqual({ model: 'AMD EPYC 7B13', cores: 2 });
    expect(env.node).toBe('v24.1.0');
    expect(env.browser).toBe('Firefox/153.0');
    expect(env.runner).toBe('browser');
  });

  it('no host: the page cannot see its CPU model, only its cores', () => {
    expect(envOf(PAGE).cpu).toEqual({ model: 'unknown (a page cannot see it)', cores: 2 });
  });
});
