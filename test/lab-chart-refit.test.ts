/**
 * The loss curve follows its box (src/lab/loss-chart.ts LossChart): the box can change size with no window resize
 * (main.ts redraws on 'resize' only) — in WebKitGTK 2.50 at 1280 × 800 the lab drew the empty chart 161 px tall and
 * the layout then gave the canvas 125 px (the Training region below grew by its device sentence's two more lines), so
 * the picture was squashed to 125 / 161 of its height, its text with it. A canvas stand-in whose box the test sets, a
 * ResizeObserver and requestAnimationFrame that the test fires by hand; the sizes are the box's, by hand.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LossChart } from '../src/lab/loss-chart.ts';

let observers: Array<() => void> = [];
let frames: Array<() => void> = [];
const fire = (): void => { for (const o of observers) o(); };
const flush = (): void => {
  const now = frames;
  frames = [];
  for (const f of now) f();
};

beforeEach(() => {
  observers = [];
  frames = [];
  vi.stubGlobal('ResizeObserver', class {
    constructor(private readonly cb: () => void) {}
    observe(): void { observers.push(this.cb); }
    disconnect(): void {}
  });
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => { frames.push(f); return frames.length; });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A canvas whose box is `box` (the test changes it), counting the chart's draws (one getContext a draw). */
function stand(box: { width: number; height: number }) {
  const ctx = new Proxy({}, {
    get: (_, name) => (name === 'measureText' ? (t: string) => ({ width: 6 * t.length }) : () => undefined),
    set: () => true,
  });
  let draws = 0;
  const canvas = {
    width: 300, height: 150,
    getBoundingClientRect: () => ({ ...box }),
    style: { setProperty: () => undefined },
    getContext: () => { draws += 1; return ctx; },
    setAttribute: () => undefined,
  };
  return { canvas, el: canvas as unknown as HTMLCanvasElement, draws: () => draws };
}

describe('LossChart follows its box when the layout, not the window, resizes it', () => {
  it('drawn 328 × 161, the box then 328 × 125: drawn again the next frame at 328 × 125 pixels', () => {
    vi.stubGlobal('devicePixelRatio', 1);
    const box = { width: 328, height: 161 };
    const s = stand(box);
    const chart = new LossChart(s.el);
    chart.draw([], 'wasm');
    expect([s.canvas.width, s.canvas.height]).toEqual([328, 161]);
    box.height = 125;
    fire();
    flush();
    expect([s.canvas.width, s.canvas.height]).toEqual([328, 125]);
    expect(s.draws()).toBe(2);
  });

  it('at a device pixel ratio of 2, a curve: 656 × 250 pixels for a 328 × 125 box', () => {
    vi.stubGlobal('devicePixelRatio', 2);
    const box = { width: 328, height: 161 };
    const s = stand(box);
    const chart = new LossChart(s.el);
    chart.draw([{ step: 0, loss: 0.7, kind: 'wasm' }, { step: 1, loss: 0.5, kind: 'wasm' }], 'wasm');
    box.height = 125;
    fire();
    flush();
    expect([s.canvas.width, s.canvas.height]).toEqual([656, 250]);
  });

  it('not drawn again when the box is the size drawn for, nor before the first draw', () => {
    vi.stubGlobal('devicePixelRatio', 1);
    const box = { width: 328, height: 161 };
    const s = stand(box);
    const chart = new LossChart(s.el);
    fire();
    flush();
    expect(s.draws()).toBe(0);
    chart.draw([], 'wasm');
    fire();
    fire();
    expect(frames).toHaveLength(1); // one look a frame, however many notices
    flush();
    expect(s.draws()).toBe(1);
  });
});

/**
 * Printed, the chart is not refitted (read63c). style.css's @media print gives the canvas `height: auto` (its height
 * from its pixels' proportions) inside a 1 px border (border-box): its box is then its pixels' height + 2, so each
 * refit to the box made the box 2 px taller, and the next frame refitted again. Measured in Chromium 156 with the print
 * media emulated (DevTools' "Emulate CSS media type", puppeteer's emulateMediaType): at 1280 × 800 and a device pixel
 * ratio of 2, 89 redraws in 1.5 s, the canvas 432 → 521 pixels tall and growing. The print layout prints the curve
 * as drawn (style.css's comment: printing redraws nothing).
 */
describe('LossChart is not refitted while the page is laid out for print', () => {
  it('the print box (its pixels + a 2 px border) over ten frames: drawn once, its pixels as first drawn', () => {
    vi.stubGlobal('devicePixelRatio', 1);
    let printing = false;
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: q === 'print' && printing, media: q }));
    const screen = { width: 328, height: 161 };
    let s: ReturnType<typeof stand> | undefined;
    // height: auto inside 1 px borders: the box is the canvas's pixel height (dpr 1) plus 2.
    const box = { width: 328, get height() { return printing ? s!.canvas.height + 2 : screen.height; } };
    s = stand(box);
    const chart = new LossChart(s.el);
    chart.draw([], 'wasm');
    expect([s.canvas.width, s.canvas.height]).toEqual([328, 161]);
    printing = true;
    for (let i = 0; i < 10; i++) {
      fire();
      flush();
    }
    expect([s.canvas.width, s.canvas.height, s.draws()]).toEqual([328, 161, 1]);
  });
});
