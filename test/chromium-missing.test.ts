/**
 * An installed backprop-webgpu with neither optional package (webgpu, puppeteer-core): the Chromium path's error —
 * the demo's `webgpu: UNAVAILABLE` line — names both ways to WebGPU, each once, in plain words (no parentheses inside
 * parentheses). puppeteer-core is made to fail to load here (a mock that throws) as where it is not installed.
 */
import { describe, expect, it, vi } from 'vitest';
import { BackpropError } from '../src/errors.ts';
import { installArg, loadPuppeteer } from '../src/node/chromium.ts';

vi.mock('puppeteer-core', () => {
  throw new Error("Cannot find package 'puppeteer-core'");
});

/** How deep parentheses nest in `text`. */
function depth(text: string): number {
  let d = 0;
  let most = 0;
  for (const c of text) {
    if (c === '(') most = Math.max(most, ++d);
    if (c === ')') d--;
  }
  return most;
}

describe('loadPuppeteer without puppeteer-core', () => {
  it('names either package as a way to WebGPU, and why puppeteer-core did not load', async () => {
    const err = await loadPuppeteer().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackpropError);
    expect((err as BackpropError).code).toBe('BROWSER');
    const message = (err as BackpropError).message;
    // vitest words the failed import its own way (a mocked module's error); the first line of it is the cause given.
    expect(message).toMatch(/^the npm package puppeteer-core did not load: \S.*\. Either /);
    expect(message).toContain('Either npm install webgpu (WebGPU on Dawn in Node) or ');
    expect(message).toContain(`npm install ${installArg('puppeteer-core')} (headless Chromium) gives WebGPU`);
    expect(message).toContain('npm install -g');
    expect(depth(message)).toBe(1);
  });
});
