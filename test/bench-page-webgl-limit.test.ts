/**
 * TF.js's webgl backend waits on the GPU as it starts, as webgpu does (README "In your own browser": "TF.js's webgpu and
 * webgl backends" each have GPU_PROBE_MS): one that never answers gives way at the limit, and its name leaves TF.js's
 * registry (bench/page/limits.ts setBackendWithin). Mutation audit bpmut55 (reviews/bpmut55.md).
 */
import { describe, expect, it } from 'vitest';
import { NoAnswerError, setBackendWithin, type TfSetUp } from '../bench/page/limits.ts';

describe("TF.js's webgl backend within its limit", () => {
  it('a webgl set-up that never answers is a NoAnswerError naming it at the limit, and webgl is removed', async () => {
    const removed: string[] = [];
    const hung: TfSetUp = { setBackend: () => new Promise<boolean>(() => undefined), removeBackend: (name) => { removed.push(name); } };
    // A 20 ms limit: "within 0.02 s" (ms / 1000).
    // Waited for at most 2 s here: a set-up not raced would wait for good.
    const giveUp = new Promise<string>((r) => setTimeout(() => r('still waiting after 2 s'), 2000));
    const err = await Promise.race([setBackendWithin(hung, 'webgl', 20).then(() => null, (e: unknown) => e), giveUp]);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as Error).message).toBe("TF.js's webgl backend did not answer within 0.02 s (the browser's GPU process may hang)");
    expect(removed).toEqual(['webgl']);
  });
});
