/**
 * src/lab/gpu-wait.ts: a WebGPU request given up on is unanswered, with the reason it was given up, until it settles
 * (resolved or rejected); with two given up, the last one's reason, until both have settled.
 */
import { describe, expect, it } from 'vitest';
import { noteUnanswered, unansweredGpu } from '../src/lab/gpu-wait.ts';

/** A promise and the functions that settle it. */
function pending(): { promise: Promise<void>; resolve: () => void; reject: () => void } {
  let resolve = (): void => {};
  let reject = (): void => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = () => res();
    reject = () => rej(new Error('refused'));
  });
  return { promise, resolve, reject };
}

const settled = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('unansweredGpu', () => {
  it('null at first; the last reason while any request is unanswered; null once all have settled', async () => {
    expect(unansweredGpu()).toBeNull();
    const a = pending();
    const b = pending();
    noteUnanswered(a.promise, 'the adapter took over 10 s');
    expect(unansweredGpu()).toBe('the adapter took over 10 s');
    noteUnanswered(b.promise, 'the device took over 10 s');
    expect(unansweredGpu()).toBe('the device took over 10 s');
    a.resolve();
    await settled();
    expect(unansweredGpu()).toBe('the device took over 10 s');
    b.reject();
    await settled();
    expect(unansweredGpu()).toBeNull();
  });
});
