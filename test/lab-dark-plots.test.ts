/**
 * The Output tab's drawings and the loss surface in the dark scheme (src/lab/palette.ts DARK.plot, .confusion,
 * .surface, .digits): every new dark pair readable — text 4.5:1 (WCAG 1.4.3), lines, markers and frames 3:1 (1.4.11) —
 * with the ratio worked from WCAG 2.2's definitions in float64 (test/lib/wcag.ts), not from the lab's code; and each
 * drawer, with the system preferring dark (matchMedia stubbed), drawing on DARK's background into a recording context
 * (test/lib/recording-context.ts), its texts and lines in colours that read on it. Colour meaning kept: class k is
 * Okabe–Ito's k-th in both schemes (the dark one's eighth, black, white).
 */
import { describe, expect, it, vi } from 'vitest';
import { drawBoundary } from '../src/lab/boundary.ts';
import { cellShade, renderSamples } from '../src/lab/confusion.ts';
import { drawCurve, drawParity } from '../src/lab/fit-plot.ts';
import { DARK, LIGHT } from '../src/lab/palette.ts';
import { drawHeatmap } from '../src/lab/surface.ts';
import { buildScene } from '../src/lab/surface-grid.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { batchFrom, validateSpec } from '../src/spec.ts';
import { markers } from './lib/boundary-markers.ts';
import { FakeEl } from './lib/fake-table.ts';
import { type Call, recording, styled } from './lib/recording-context.ts';
import { contrast, darkRules, get } from './lib/wcag.ts';
import { usePreferDark } from './lib/prefer-dark.ts';

const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const hex = (rgb: readonly number[]): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
const panel = get(darkRules(), ':root', '--panel');
const fg = get(darkRules(), ':root', '--fg');

describe('DARK: every new pair at 4.5:1 (text) or 3:1 (lines, markers, frames)', () => {
  const p = DARK.plot;
  const s = DARK.surface;
  const text: [string, string, string][] = [
    ['plot text', p.text, p.background],
    ['tick values', p.tickText, p.background],
    ['legend words on the legend box', p.text, p.legend],
    ["the fit plots' legend words", p.text, p.fitLegend],
    ["the surface's text", s.text, s.background],
    ['a digit: ink on paper', DARK.digits.ink, DARK.digits.paper],
  ];
  for (const [what, a, b] of text) it(`${what}: ${a} on ${b} ≥ 4.5:1`, () => expect(contrast(a, b)).toBeGreaterThanOrEqual(4.5));
  const graphics: [string, string, string][] = [
    ['the axes', p.axis, p.background],
    ['the boundary lines', p.boundaryLine, p.background],
    ['a marker outline', p.outline, p.background],
    ["the one output's line", p.fitLine, p.background],
    ['y = x', p.identity, p.background],
    ['the hollow marker of the key', p.hollowKey, p.fitLegend],
    ["the heatmap's frame", s.frame, s.background],
    ["the 3-D view's frame", hex(s.frame3d.map((c) => c * 255)), hex(s.clear.map((c) => c * 255))],
    ["the 3-D view's stem", hex(s.stem3d.map((c) => c * 255)), hex(s.clear.map((c) => c * 255))],
    ["a digit's frame on the panel", DARK.digits.frame, panel],
    ...p.classes.map((c, k): [string, string, string] => [`class ${k}'s colour (points, fit lines, legend swatches)`, c, p.background]),
  ];
  for (const [what, a, b] of graphics) it(`${what}: ${a} on ${b} ≥ 3:1`, () => expect(contrast(a, b)).toBeGreaterThanOrEqual(3));

  it("class colours keep their meaning: Okabe–Ito's in both schemes, the dark one's black white", () => {
    expect(LIGHT.plot.classes).toEqual(OKABE_ITO);
    expect(DARK.plot.classes).toEqual([...OKABE_ITO.slice(0, 7), '#ffffff']);
  });

  it("the confusion shading's base is style.css's dark panel; the surface's and the plots' the page's --bg", () => {
    expect(DARK.confusion.base).toBe(panel);
    expect(p.background).toBe(get(darkRules(), ':root', '--bg'));
    expect(s.background).toBe(get(darkRules(), ':root', '--bg'));
  });
});

describe('cellShade in DARK: every count 4.5:1 on its cell', () => {
  it('worked by hand: 20 of 20 hits paint #0072b2 (α 1), white text; 1 of 20 misses α 0.164 over #1f2937 paint #403c2e, the page text', () => {
    // α = 0.12 + 0.88 × 0.05 = 0.164: 31 + 199 × 0.164 = 63.6, 41 + 118 × 0.164 = 60.4, 55 − 55 × 0.164 = 46.0.
    expect(cellShade(true, 20, 20, DARK)).toEqual({ background: '#0072b2', color: '#fff' });
    expect(cellShade(false, 1, 20, DARK)).toEqual({ background: '#403c2e', color: undefined });
  });
  it('every share of rows of 1 … 30, hit and miss, reads at 4.5:1 (no colour: the page text --fg)', () => {
    for (let total = 1; total <= 30; total++) {
      for (let v = 1; v <= total; v++) {
        for (const hit of [true, false]) {
          const sh = cellShade(hit, v, total, DARK)!;
          const t = sh.color ?? fg;
          expect(contrast(t, sh.background), `${hit ? 'hit' : 'miss'} ${v}/${total}: ${t} on ${sh.background}`).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
  });
});

/** Each fillRect's fill, each fillText's fill, and each stroke's colour at lineWidth ≥ `wide`. */
function read(calls: Call[], wide = 2): { rects: string[]; texts: string[]; lines: string[]; strokes: string[] } {
  const out = { rects: [] as string[], texts: [] as string[], lines: [] as string[], strokes: [] as string[] };
  for (const { call: c, fill, stroke, width } of styled(calls)) {
    if (c[0] === 'fillRect') out.rects.push(fill);
    if (c[0] === 'fillText') out.texts.push(fill);
    if (c[0] === 'stroke' || c[0] === 'strokeRect') out.strokes.push(stroke);
    if (c[0] === 'stroke' && width >= wide) out.lines.push(stroke);
  }
  return out;
}

describe('the drawers with the system preferring dark', () => {
  usePreferDark();

  it("drawBoundary: the regions mixed into DARK's background, legend and ticks readable, points in DARK's class colours", () => {
    const { ctx, calls } = recording();
    const images: ImageData[] = [];
    const scratch = new Proxy({}, { get: (_, name) => (name === 'putImageData' ? (im: ImageData) => void images.push(im) : () => undefined) });
    vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch }) });
    vi.stubGlobal('ImageData', class { constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {} });
    const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
    const z = [0, 0];
    const spec = validateSpec({ inputs: 2, layers: [{ units: 8, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[z, z, z, z, z, z, z, z]], b: [[0, 0, 0, 0, 0, 0, 0, 0]] } });
    const x = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5], [0.2, 0.8], [0.8, 0.2], [0.3, 0.3]];
    drawBoundary(canvas, { net: spec.net, params: spec.params!, x, labels: [0, 1, 2, 3, 4, 5, 6, 7], classes: 8, resolution: 4 });
    // Zero weights: even odds everywhere, class 0 (the first of the tie) at its faintest, 0.1 of #0072B2 into #111827:
    // 17 − 17 × 0.1 = 15.3, 24 + 90 × 0.1 = 33, 39 + 139 × 0.1 = 52.9 (into white it was 230, 241, 247).
    expect(images).toHaveLength(1);
    expect([...images[0].data.slice(0, 4)]).toEqual([15, 33, 53, 255]);
    const bg = DARK.plot.background;
    const r = read(calls);
    expect(r.rects).toEqual([DARK.plot.legend]);
    expect(r.texts.length).toBeGreaterThan(8);
    for (const t of r.texts) expect(contrast(t, bg), `text ${t}`).toBeGreaterThanOrEqual(4.5);
    // The axes, the boundary line, then 8 legend swatches and 8 points, each outlined in DARK's light outline.
    expect(r.strokes.slice(0, 2)).toEqual([DARK.plot.axis, DARK.plot.boundaryLine]);
    expect(r.strokes.slice(2)).toEqual(Array(16).fill(DARK.plot.outline));
    // The legend's swatches then the points, class 0 … 7 each.
    expect(markers(calls).map((m) => m.fill)).toEqual([...DARK.plot.classes, ...DARK.plot.classes]);
  });

  it("drawCurve and drawParity: DARK's background, text 4.5:1 and every line 3:1 on it", () => {
    for (const draw of ['curve', 'parity'] as const) {
      const { ctx, calls } = recording();
      const canvas = { width: 220, height: 220, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
      if (draw === 'curve') drawCurve(canvas, { x: [1, 21], y: [[0], [20]], valX: [5], valY: [[4]], xRange: [0, 22], xs: [1, 11, 21], line: [0, 10, 20], K: 1, names: ['x', 'ŷ'], outputNames: ['ŷ'] });
      else drawParity(canvas, { y: [[0, 1], [2, 3]], A: [0.1, 2.1, 1.1, 2.9], K: 2, outputs: 2, names: ['target y', 'output ŷ'], outputNames: ['a', 'b'] });
      const r = read(calls, 1.5);
      const bg = DARK.plot.background;
      expect(r.rects, draw).toEqual([bg, DARK.plot.fitLegend]);
      expect(r.texts.length, draw).toBeGreaterThan(4);
      for (const t of r.texts) expect(contrast(t, bg), `${draw}: text ${t}`).toBeGreaterThanOrEqual(4.5);
      // curve: the line, the hollow marker's outline (twice: plot and key), the key's line; parity: y = x and its key line.
      expect(r.lines.length, draw).toBe(draw === 'curve' ? 4 : 2);
      for (const l of r.lines) expect(contrast(l, bg), `${draw}: line ${l}`).toBeGreaterThanOrEqual(3);
      // The hollow (validation) marker's inside is the plot's background, not white.
      if (draw === 'curve') expect(calls.some((c) => c[0] === 'set fillStyle' && c[1] === '#fff'), draw).toBe(false);
    }
  });

  it("the loss surface's heatmap: DARK.surface's background, frame and text; the colour map as in the light", () => {
    const rec = recording();
    const calls = rec.calls;
    // The colour bar's gradient: a stand-in (the recording context returns nothing).
    const ctx = new Proxy(rec.ctx, { get: (t, name) => (name === 'createLinearGradient' ? () => ({ addColorStop: () => undefined }) : Reflect.get(t, name)) });
    const scratch = { createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(4 * w * h) }), putImageData: () => undefined };
    vi.stubGlobal('window', { devicePixelRatio: 1 });
    vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch }) });
    const spec = lecture('lecture-2-2-1').worked.spec;
    const valid = validateSpec(spec);
    const batch = batchFrom(valid.net, spec.x, spec.y);
    const nm = new Naming(valid.net, spec.notation);
    const scene = buildScene({ net: valid.net, params: valid.params!, X: batch.X, Y: batch.Y, n: batch.n, p1: nm.resolveParam('w5', 'test'), p2: nm.resolveParam('w6', 'test'), names: ['w5', 'w6'], radius: 1, resolution: 5 });
    const canvas = { clientWidth: 480, clientHeight: 360, width: 0, height: 0, getContext: () => ctx } as unknown as HTMLCanvasElement;
    expect(drawHeatmap(canvas, scene, null)).not.toBeNull();
    const r = read(calls);
    expect(r.rects[0]).toBe(DARK.surface.background);
    expect(calls.filter((c, k) => c[0] === 'strokeRect' && calls.slice(0, k).filter((d) => d[0] === 'set strokeStyle').at(-1)?.[1] === DARK.surface.frame)).toHaveLength(1);
    expect(r.texts.length).toBeGreaterThan(6);
    expect(new Set(r.texts)).toEqual(new Set([DARK.surface.text]));
  });

  it("MNIST's digits: light ink on DARK's paper (0 → paper, 255 → ink), framed in DARK.digits.frame", () => {
    const images: { data: Uint8ClampedArray }[] = [];
    const doc = {
      createElement: (tag: string) => {
        const el = new FakeEl(tag, doc) as FakeEl & Record<string, unknown>;
        el.setAttribute = () => undefined;
        el.getContext = () => ({
          createImageData: (w: number, h: number) => { const im = { data: new Uint8ClampedArray(4 * w * h) }; images.push(im); return im; },
          putImageData: () => undefined,
        });
        return el;
      },
    };
    const host = new FakeEl('div', doc);
    const images784 = new Uint8Array(784);
    images784[1] = 255;
    renderSamples(host as unknown as HTMLElement, { count: 1, images: images784, labels: new Uint8Array([3]) }, [3], 1);
    expect(images).toHaveLength(1);
    expect(hex([...images[0].data.slice(0, 3)])).toBe(DARK.digits.paper);
    expect(hex([...images[0].data.slice(4, 7)])).toBe(DARK.digits.ink);
    const canvas = host.all().find((e) => e.tag === 'canvas')! as unknown as { style: { cssText: string } };
    expect(canvas.style.cssText).toContain(`border:1px solid ${DARK.digits.frame}`);
  });
});
