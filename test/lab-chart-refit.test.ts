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
