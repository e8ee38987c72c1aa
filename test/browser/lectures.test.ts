/**
 * The lectures' worked examples on WebGPU, in headless Chromium: the same claims as test/lectures.test.ts
 * (every printed value at the decimals printed, every printed formula, every erratum), checked against
 * what the GPU computed. Every GPU call runs inside error scopes (window.bp does that).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../src/spec.ts';
import { type ClaimResult, LECTURE_FIXTURES, type ModelLike, checkClaims, collectRuns, describeResult } from '../lib/claims.ts';
import { harnessPage, unwrap } from './lib.ts';

let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  page = await harnessPage(consoleErrors);
});
afterAll(async () => {
  await page?.close();
});

/** A ModelLike whose every call runs a fresh WebGPU model in the page. */
function gpuModel(spec: NetworkSpec): Promise<ModelLike> {
  return Promise.resolve({
    grad: async (x?: number[][], y?: number[][]) => {
      const s = x && y ? { ...spec, x, y } : spec;
      const r = unwrap(await page.evaluate((p) => window.bp.grad(p, 'webgpu'), s));
      expect(r.backend).toBe('webgpu');
      return r;
    },
    step: async (lr?: number) => unwrap(await page.evaluate((p, rate) => window.bp.step(p, 'webgpu', rate), spec, lr)),
    dispose: () => {},
  });
}

for (const f of LECTURE_FIXTURES) {
  describe(`WebGPU: ${f.id} (${f.claims.source.split('/').pop()})`, () => {
    let results: ClaimResult[];
    beforeAll(async () => {
      results = checkClaims(f, await collectRuns(gpuModel, f.spec));
    });
    for (const claim of f.claims.claims) {
      it(`${claim.erratum ? 'erratum: ' : ''}${claim.name}`, () => {
        const mine = results.filter((r) => r.name === claim.name);
        expect(mine.length).toBeGreaterThan(0);
        for (const r of mine) {
          if (r.erratum) {
            expect(r.erratum.matchesCorrect, describeResult(r)).toBe(true);
            expect(r.erratum.differsFromPrinted, describeResult(r)).toBe(true);
          }
          expect(r.ok, describeResult(r)).toBe(true);
        }
      });
    }
  });
}

describe('the page stayed clean', () => {
  it('no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
