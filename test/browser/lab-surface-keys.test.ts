/**
 * The Loss surface's heatmap on the keyboard, on the page (src/lab/surface.ts LossSurface, src/lab/surface-cell.ts):
 * on SwiftShader without "3-D on a software adapter" the Draw shows the heatmap, whose canvas is a Tab stop — and its
 * keys did nothing (the 3-D view's turn it). Now an arrow key marks a grid point and a line (a polite live region)
 * says its w5, w6 and L — shown right under the heatmap, as well as heard (vis57: it was visually hidden); 0 takes
 * it back to the current point. L is checked against the 2-2-1 lecture net worked in
 * float64 here from its published maths (σ hidden and output, b₁ shared, L = ½(a − y)²) at the w5, w6 the line gives.
 * And the view in the one column, opened from the header: on the screen, above a notice pinned to its bottom (left60).
 */
import { describe, expect, it } from 'vitest';
import { lecture } from '../../src/lectures/index.ts';
import { act, idle, openLab, shot, useLab } from './lab-lib.ts';

useLab('surface-keys');

const spec = lecture('lecture-2-2-1').worked.spec as unknown as { params: { W: number[][][]; b: [number, number[]] }; x: number[][]; y: number[][] };
const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
/** The lecture net's loss with w5, w6 replaced (every other parameter as the spec gives it), in float64. */
function lossAt(w5: number, w6: number): number {
  const { W, b } = spec.params;
  const [x1, x2] = spec.x[0];
  const h = W[0].map(([a, c]) => sigma(a * x1 + c * x2 + b[0]));
  const out = sigma(w5 * h[0] + w6 * h[1] + b[1][0]);
  return 0.5 * (out - spec.y[0][0]) ** 2;
}
const num = (s: string): number => Number(s.replace('−', '-'));

describe('the loss-surface heatmap on the keyboard', () => {
  it('ArrowRight marks the grid point right of the current one and says its w5, w6, L; 0 goes back', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.$eval('#tab-surface', (e) => (e as HTMLElement).click());
    await act(page, '#surface-draw');
    await page.waitForFunction(() => /^The loss on the batch/.test(document.getElementById('surface-out')?.textContent ?? ''), { timeout: 60_000 });
    const canvas = '#surface .loss-surface-canvas';
    expect(await page.$eval(canvas, (e) => [e.getAttribute('aria-label'), (e as HTMLElement).tabIndex])).toEqual([expect.stringMatching(/^Heatmap of the loss over w5 \(horizontal\) and w6 \(vertical\);.*arrow keys move a marked point and say its loss$/), 0]);
    const line = () => page.$eval('#surface .loss-surface-point', (e) => ({ text: e.textContent ?? '', live: e.getAttribute('aria-live') }));
    expect(await line()).toEqual({ text: '', live: 'polite' });
    await page.$eval(canvas, (e) => (e as HTMLElement).focus());
    await page.keyboard.press('ArrowRight');
    const right = await line();
    const m = /^w5 = (\S+), w6 = (\S+): L = (\S+)$/.exec(right.text.trim());
    expect(m, right.text).not.toBeNull();
    const [w5, w6, L] = [num(m![1]), num(m![2]), num(m![3])];
    // One grid step right of the current point: w5 above the lecture's 0.4, w6 the lecture's 0.45.
    expect(w5).toBeGreaterThan(0.4);
    expect(w6).toBe(0.45);
    // The page prints 4 significant digits (w5 too): L within that rounding of the float64 value.
    expect(Math.abs(L - lossAt(w5, w6)) / lossAt(w5, w6)).toBeLessThan(2e-3);
    // The line is shown, right under the heatmap and above the caption (vis57: it was visually hidden, a 1 × 1 px box
    // clipped away, so a sighted keyboard user saw the ring move and never its values): a box a line of text high,
    // its text whole (not clipped: its scroll width within its box).
    const box = await page.evaluate(() => {
      const b = (sel: string) => {
        const { top, bottom, width, height } = document.querySelector(`#surface ${sel}`)!.getBoundingClientRect();
        return { top, bottom, width, height };
      };
      const said = document.querySelector('#surface .loss-surface-point') as HTMLElement;
      return { view: b('.loss-surface-view'), said: b('.loss-surface-point'), caption: b('.loss-surface-caption'), clip: getComputedStyle(said).clipPath, whole: said.scrollWidth <= said.clientWidth };
    });
    expect(box.said.height, 'the line a line of text high').toBeGreaterThanOrEqual(14);
    expect(box.said.width, 'the line as wide as its text').toBeGreaterThan(200);
    expect([box.clip, box.whole]).toEqual(['none', true]);
    expect(box.said.top, 'under the heatmap').toBeGreaterThanOrEqual(box.view.bottom);
    expect(box.said.bottom, 'above the caption').toBeLessThanOrEqual(box.caption.top);
    // The marked point drawn (a dark square ring in a white one): test-artifacts/lab/surface-heatmap-marked.png.
    await shot(page, 'surface-heatmap-marked', '#surface');
    await page.keyboard.press('0');
    const back = (await line()).text.trim();
    expect(back).toMatch(/^w5 = 0\.4, w6 = 0\.45: L = \S+ \(the current point\)$/);
    expect(Math.abs(num(/L = (\S+)/.exec(back)![1]) - lossAt(0.4, 0.45)) / lossAt(0.4, 0.45)).toBeLessThan(1e-3);
    expect(errors).toEqual([]);
  });
});

describe('the view in the one column, opened from the header', () => {
  it('1024 × 768 and 800 × 600: on the screen, and above a notice pinned to its bottom (at 1024 × 768 its bottom was 40 px under it)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    // The jump then scrolls at once (scrollMotion), not smoothly over the next frames.
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
    const place = async () => {
      await page.$eval('.jump a[data-tab="tab-surface"]', (e) => (e as HTMLElement).click());
      return page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const view = document.querySelector('.loss-surface-view')!.getBoundingClientRect();
        const notice = document.getElementById('notice')!;
        return { top: view.top, bottom: view.bottom, floor: notice.hidden ? innerHeight : notice.getBoundingClientRect().top, pinned: !notice.hidden && notice.classList.contains('pinned') };
      });
    };
    for (const [width, height] of [[1024, 768], [800, 600]]) {
      await page.setViewport({ width, height });
      if (!(await page.$eval('#notice', (e) => (e as HTMLElement).hidden))) await page.$eval('#notice-close', (e) => (e as HTMLElement).click());
      await page.$eval('#tab-surface', (e) => (e as HTMLElement).click());
      await act(page, '#surface-draw');
      const bare = await place();
      expect(bare.top, `${width} × ${height}`).toBeGreaterThanOrEqual(0);
      expect(bare.bottom, `${width} × ${height}`).toBeLessThanOrEqual(bare.floor);
      // An action's error, after the page started: pinned to the screen's bottom.
      await page.$eval('#fit-batch', (e) => { (e as HTMLInputElement).value = '999'; });
      await page.$eval('#fit', (e) => (e as HTMLElement).click());
      await idle(page);
      const under = await place();
      expect(under.pinned).toBe(true);
      expect(under.top, `${width} × ${height}, notice`).toBeGreaterThanOrEqual(0);
      expect(under.bottom, `${width} × ${height}, notice`).toBeLessThanOrEqual(under.floor);
      await shot(page, `surface-one-column-notice-${width}`);
    }
    expect(errors).toEqual([]);
  });
});
