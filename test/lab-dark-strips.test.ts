/**
 * The diagram's input image and strips in the palette they are drawn in (src/lab/diagram-svg.ts modelToSvg(model,
 * stop, pal)): the model keeps each cell's value and how it is shaded (diagram-model.ts's `shade`, scheme-free), and
 * the drawing colours it with its palette. An input's cell: its ink share v (clamped to 0 … 1) of the way from the
 * paper to the ink (palette.ts `digits`, the Output tab's sample digits: black on white, light on #111827); an
 * activation's: its sign's colour (the palette's positive, negative) |a| / top of the way from the strip's base (the
 * strongest |a| of the column at full colour); a unit without a value yet, the palette's unknown grey.
 * The light colours were written by hand from the code's formula before the palette reached the strips (channel =
 * Math.round(from + (to − from) · t)); they are the light page's and the SVG download's, unchanged.
 * The dark ones are worked the same way from DARK's colours: paper #111827 = (17, 24, 39), ink #f3f4f6 = (243, 244,
 * 246), positive #3b82f6 = (59, 130, 246), negative #ea580c = (234, 88, 12), the strip's base the background.
 */
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../src/lab/diagram-model.ts';
import { modelToSvg } from '../src/lab/diagram-svg.ts';
import { DARK, LIGHT, type Palette } from '../src/lab/palette.ts';
import { validateNet } from '../src/spec.ts';
import { Naming } from '../src/notation/names.ts';
import { FakeSvgElement, useSvgDocument } from './lib/svg-dom.ts';
import { lightColours } from './lib/diagram-nets.ts';
import { contrast, darkRules, get } from './lib/wcag.ts';

useSvgDocument();

/** 784 inputs (the image) → 12 sigmoid units (a strip) → 2; one example. */
function mnistModel(withValues = true) {
  const net = validateNet({ inputs: 784, layers: [{ units: 12, activation: 'sigmoid' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
  const params = { W: [new Float32Array(12 * 784), new Float32Array(2 * 12)], b: [new Float32Array(12), new Float32Array(2)] };
  const X = new Float32Array(784);
  // Pixels 0 … 5: full ink, half, a quarter, none, past full (2: full), below none (−1: none).
  X.set([1, 0.5, 0.25, 0, 2, -1]);
  // Units 1 … 5: −1, −0.5, 0, 0.5, 1 (the strongest |a| 1), the rest 0.
  const A = [new Float32Array(12), new Float32Array(2)];
  A[0].set([-1, -0.5, 0, 0.5, 1]);
  return diagramModel({ net, naming: new Naming(net, undefined), params, X, n: 1, example: 0, values: withValues ? { A } : {}, summarise: true });
}

/** 12 inputs (a strip of ink, not an image) → 12 units → 1. */
function inputStripModel() {
  const net = validateNet({ inputs: 12, layers: [{ units: 12, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
  const params = { W: [new Float32Array(144), new Float32Array(12)], b: [new Float32Array(12), new Float32Array(1)] };
  const X = new Float32Array(12);
  X.set([1, 0.5, 0]);
  return diagramModel({ net, naming: new Naming(net, undefined), params, X, n: 1, example: 0, values: {}, summarise: true });
}

type Model = ReturnType<typeof mnistModel>;
const svgOf = (m: Model, pal?: Palette): FakeSvgElement => (pal ? modelToSvg(m, undefined, pal) : modelToSvg(m, undefined)) as unknown as FakeSvgElement;
/** Each strip's cells' fills, in reading order, by column, and its frame's stroke. */
function stripsOf(root: FakeSvgElement): Map<number, { cells: string[]; frame: string }> {
  const out = new Map<number, { cells: string[]; frame: string }>();
  for (const st of root.all().filter((e) => e.hasClass('nd-strip'))) {
    const rects = st.children.filter((c) => c.tag === 'rect' && !c.hasClass('nd-ring'));
    const frames = rects.filter((r) => r.getAttribute('fill') === 'none');
    expect(frames).toHaveLength(1);
    out.set(Number(st.getAttribute('data-strip')), { cells: rects.filter((r) => r !== frames[0]).map((r) => r.getAttribute('fill')!), frame: frames[0].getAttribute('stroke')! });
  }
  return out;
}

describe('the input image and the activation strips follow the palette they are drawn in', () => {
  it('light (no palette: the download; and LIGHT: the light page): the colours as they were', () => {
    for (const root of [svgOf(mnistModel()), svgOf(mnistModel(), LIGHT)]) {
      const s = stripsOf(root);
      expect(s.get(0)!.cells.slice(0, 6)).toEqual(['rgb(0,0,0)', 'rgb(128,128,128)', 'rgb(191,191,191)', 'rgb(255,255,255)', 'rgb(0,0,0)', 'rgb(255,255,255)']);
      expect(s.get(0)!.cells.slice(6).every((c) => c === 'rgb(255,255,255)')).toBe(true);
      expect(s.get(1)!.cells.slice(0, 6)).toEqual(['rgb(234,88,12)', 'rgb(239,166,129)', 'rgb(243,244,246)', 'rgb(140,172,241)', 'rgb(37,99,235)', 'rgb(243,244,246)']);
      expect(s.get(1)!.frame).toBe('#111827');
    }
    expect(stripsOf(svgOf(mnistModel(false))).get(1)!.cells).toEqual(Array(12).fill('#e5e7eb'));
    expect(stripsOf(svgOf(inputStripModel())).get(0)!.cells.slice(0, 4)).toEqual(['rgb(0,0,0)', 'rgb(128,128,128)', 'rgb(255,255,255)', 'rgb(255,255,255)']);
  });

  it("the default drawing's cells are stripColour's in LIGHT, cell by cell", () => {
    const m = mnistModel();
    const s = stripsOf(svgOf(m));
    for (const st of m.strips) expect(s.get(st.column)!.cells).toEqual(lightColours(st));
  });

  it('dark: ink light on the background (0 → #111827, full ink → #f3f4f6), as the Output tab draws the digits', () => {
    const s = stripsOf(svgOf(mnistModel(), DARK));
    expect(s.get(0)!.cells.slice(0, 6)).toEqual(['rgb(243,244,246)', 'rgb(130,134,143)', 'rgb(74,79,91)', 'rgb(17,24,39)', 'rgb(243,244,246)', 'rgb(17,24,39)']);
    expect(s.get(0)!.cells.slice(6).every((c) => c === 'rgb(17,24,39)')).toBe(true);
    expect(stripsOf(svgOf(inputStripModel(), DARK)).get(0)!.cells.slice(0, 4)).toEqual(['rgb(243,244,246)', 'rgb(130,134,143)', 'rgb(17,24,39)', 'rgb(17,24,39)']);
    // The paper is the diagram's background (style.css's dark .diagram) and the Output tab's digits' paper and ink.
    expect(get(darkRules(), '.diagram', 'background')).toBe('#111827');
    expect([DARK.digits.paper, DARK.digits.ink]).toEqual(['#111827', '#f3f4f6']);
  });

  it("dark: an activation in the dark palette's sign colours from the background, stronger with |a|; no value yet a dark grey", () => {
    const s = stripsOf(svgOf(mnistModel(), DARK));
    expect(s.get(1)!.cells.slice(0, 6)).toEqual(['rgb(234,88,12)', 'rgb(126,56,26)', 'rgb(17,24,39)', 'rgb(38,77,143)', 'rgb(59,130,246)', 'rgb(17,24,39)']);
    expect([DARK.diagram.positive, DARK.diagram.negative]).toEqual(['#3b82f6', '#ea580c']);
    expect(stripsOf(svgOf(mnistModel(false), DARK)).get(1)!.cells).toEqual(Array(12).fill('#1f2937'));
  });

  it("dark: each strip's frame (the ink) ≥ 3:1 on the background", () => {
    const bg = get(darkRules(), '.diagram', 'background');
    const strips = [...stripsOf(svgOf(mnistModel(), DARK)).values(), ...stripsOf(svgOf(inputStripModel(), DARK)).values()];
    expect(strips).toHaveLength(4);
    for (const st of strips) expect(contrast(st.frame, bg), `frame ${st.frame} on ${bg}`).toBeGreaterThanOrEqual(3);
  });
});
