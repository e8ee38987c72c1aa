/**
 * The lectures' worked examples on WebGPU, in headless Chromium: the same claims as test/lectures.test.ts
 * (src/lectures/*.worked.json: every printed value at the decimals printed, every printed formula, every
 * erratum), checked against what the GPU computed. Every GPU call runs inside error scopes (window.bp does that).
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClaimCheck, LECTURES, checkLecture, collectRuns, describeCheck, passes } from '../lib/claims.ts';
import { pageModel, useHarnessPage } from './lib.ts';

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});

const gpuModel = pageModel(() => page, 'webgpu');

for (const l of LECTURES) {
  describe(`WebGPU: ${l.id} (${l.worked.source.split('/').pop()})`, () => {
    let results: ClaimCheck[];
    beforeAll(async () => {
      results = checkLecture(l, 'webgpu', await collectRuns(gpuModel, l.worked.spec));
    });
    l.worked.claims.forEach((claim, index) => {
      it(`line ${claim.line}: ${claim.erratum ? 'erratum: ' : ''}${claim.name}`, () => {
        const mine = results.filter((r) => r.index === index);
        expect(mine.length).toBe(claim.examples?.length ?? 1);
        for (const r of mine) {
          if (r.erratum) {
            expect(r.erratum.matchesCorrect, describeCheck(r)).toBe(true);
            expect(r.matches, describeCheck(r)).toBe(false);
          }
          expect(passes(r), describeCheck(r)).toBe(true);
        }
      });
    });
  });
}

describe('the page stayed clean', () => {
  it('no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
