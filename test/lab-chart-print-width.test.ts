/**
 * The loss curve's drawn width kept for printing (src/lab/loss-chart.ts fitCanvas → --drawn-w, read by style.css's
 * @media print): printing redraws nothing, so the printed curve takes the CSS width it was drawn for. A canvas
 * stand-in records the style properties set; the widths are the stand-in's box, by hand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitCanvas } from '../src/lab/loss-chart.ts';

function canvas(width: number, height: number) {
  const props = new Map<string, string>();
  const c = {
    width: 300,
    height: 150,
    getBoundingClientRect: () => ({ width, height }),
    style: { setProperty: (name: string, value: string) => { props.set(name, value); } },
  };
  return { c: c as unknown as HTMLCanvasElement, props };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fitCanvas keeps the width drawn for (--drawn-w)', () => {
  it('is the box\'s CSS width, not its pixels\' at a device pixel ratio of 2', () => {
    vi.stubGlobal('devicePixelRatio', 2);
    const { c, props } = canvas(328, 216);
    expect(fitCanvas(c)).toBe(2);
    expect(c.width).toBe(656);
    expect(props.get('--drawn-w')).toBe('328px');
  });

  it('a canvas not laid out (under 10 px) is left as it was: no width kept', () => {
    const { c, props } = canvas(0, 0);
    expect(fitCanvas(c)).toBe(1);
    expect(props.size).toBe(0);
  });
});
