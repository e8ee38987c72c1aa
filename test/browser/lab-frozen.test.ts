/**
 * The lab's start (src/lab/main.ts) watches the page's lifecycle (src/lab/frozen.ts watchFrozen), so a Train's time
 * leaves out the time the page sat frozen (test/lab-frozen-runs.test.ts checks training.ts's arithmetic in Node; only
 * the built page shows that main.ts wires it). Mid-Train — when #train-out turns aria-busy, just after the Train's
 * stopwatch started — the page is frozen and resumed (document freeze/resume, as Chrome fires them around the
 * back/forward cache) while its clock jumps 600 s, as it does across a stay in that cache. The summary's time leaves
 * the 600 s out: a 20-step Train of the circle preset reads well under it (without watchFrozen it read ≥ 600 s).
 */
import { describe, expect, it } from 'vitest';
import { act, openLab, text, useLab } from './lab-lib.ts';

useLab('frozen');

describe("a Train's time without the page's frozen time", () => {
  it('a 600 s jump of the clock between freeze and resume, mid-Train, is not in "in … s"', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=circle');
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '20'; });
    await page.evaluate(() => {
      const real = performance.now.bind(performance);
      let jump = 0;
      performance.now = () => real() + jump;
      const out = document.getElementById('train-out')!;
      let done = false;
      new MutationObserver(() => {
        if (done || out.getAttribute('aria-busy') !== 'true') return;
        done = true;
        document.dispatchEvent(new Event('freeze'));
        jump += 600_000;
        document.dispatchEvent(new Event('resume'));
      }).observe(out, { attributes: true, attributeFilter: ['aria-busy'] });
    });
    await act(page, '#train');
    const line = await text(page, '#train-out');
    expect(line).toMatch(/^20 steps of SGD .* in [\d.]+ s: loss /);
    // The 600 s between freeze and resume are left out; the Train itself, 20 steps of a 2-4-1 net, takes far less.
    expect(Number(line.match(/ in ([\d.]+) s/)![1])).toBeLessThan(600);
    expect(errors).toEqual([]);
  }, 120_000);
});
