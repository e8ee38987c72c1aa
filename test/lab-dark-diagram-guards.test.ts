/**
 * The network diagram's dark drawing, the parts test/lab-dark-diagram.test.ts does not reach (src/lab/diagram-svg.ts
 * modelToSvg(model, stop, DARK), hoverEls; mut62): a selected bias's outline, the bias boxes' sign colours, the fills
 * of inputs, units and boxes, a strip's frame, the "⋯ +k" markers' halo, and the hover layer's halo. Each is worked
 * as WCAG 2.2 contrast (test/lib/wcag.ts) on the dark diagram's background #111827, or named by hand where it is
 * a choice of the palette's (the inputs' #2d3748 against the units' #1f2937, a selected bias's #713f12).
 * The 2-3-1 net of lab-dark-diagram (b₁ = [0.5, −0.5, 0]: a bias of each sign), and a 2-14-1 net: with `summarise`
 * its 14 units are a strip, without it some are drawn and a "⋯ +k" marker stands for the rest.
 */
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../src/lab/diagram-model.ts';
import { hoverEls, modelToSvg } from '../src/lab/diagram-svg.ts';
import { DARK, LIGHT } from '../src/lab/palette.ts';
import { Naming } from '../src/notation/names.ts';
import { type NetworkSpec, validateSpec } from '../src/spec.ts';
import { SIGNS, WIDE } from './lib/diagram-nets.ts';
import { FakeSvgElement, useSvgDocument } from './lib/svg-dom.ts';
import { contrast } from './lib/wcag.ts';

useSvgDocument();

const BG = '#111827';
const small = SIGNS;
const wide = WIDE;

function drawn(spec: NetworkSpec, extra: Record<string, unknown> = {}, pal = DARK): FakeSvgElement {
  const v = validateSpec(spec);
  const m = diagramModel({ net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: {}, ...extra });
  return modelToSvg(m, undefined, pal) as unknown as FakeSvgElement;
}
const byClass = (root: FakeSvgElement, c: string): FakeSvgElement[] => root.all().filter((e) => e.hasClass(c));

describe('the dark diagram: biases', () => {
  it("a selected bias: its outline in the ink (#f3f4f6), ≥ 3:1 on #111827; its box #713f12, the others' the panel's #1f2937", () => {
    const root = drawn(small, { selected: { kind: 'b', layer: 1, index: 0 } });
    const outlines = byClass(root, 'nd-edge-outline').map((e) => e.getAttribute('stroke')!);
    expect(outlines.length).toBeGreaterThan(0);
    for (const s of outlines) {
      expect(s).toBe('#f3f4f6');
      expect(contrast(s, BG)).toBeGreaterThanOrEqual(3);
    }
    const fills = byClass(root, 'nd-bias-box').map((e) => e.getAttribute('fill'));
    expect(fills.filter((f) => f === '#713f12')).toHaveLength(1);
    expect(fills.filter((f) => f === '#1f2937')).toHaveLength(fills.length - 1);
  });

  it("each unselected bias box is outlined in its own line's dark sign colour (b₁ = 0.5 blue-500 #3b82f6, −0.5 #ea580c, 0 #6b7280)", () => {
    const root = drawn(small);
    const biases = byClass(root, 'nd-bias');
    const pairs = biases.map((b) => [byClass(b, 'nd-bias-box')[0].getAttribute('stroke'), byClass(b, 'nd-bias-line')[0]?.getAttribute('stroke')]);
    expect(pairs.length).toBe(4);
    for (const [box, line] of pairs) expect(box).toBe(line);
    expect(new Set(pairs.map((p) => p[0]))).toEqual(new Set(['#3b82f6', '#ea580c', '#6b7280']));
  });
});

describe('the dark diagram: fills', () => {
  it('inputs #2d3748 and units #1f2937 (light: #f3f4f6 and #ffffff): an input told from a unit', () => {
    for (const [pal, input, unit] of [[DARK, '#2d3748', '#1f2937'], [LIGHT, '#f3f4f6', '#ffffff']] as const) {
      const circles = byClass(drawn(small, {}, pal), 'nd-node-circle').map((c) => c.getAttribute('fill'));
      // 2 inputs, then 3 hidden units and the output.
      expect(circles, pal.name).toEqual([input, input, unit, unit, unit, unit]);
    }
  });
});

describe('the dark diagram: a wide layer', () => {
  it("drawn as a strip: the strip's frame in the ink, ≥ 3:1 on #111827", () => {
    const root = drawn(wide, { summarise: true });
    const strip = root.all().find((e) => e.tag === 'g' && e.attrs.get('shape-rendering') === 'crispEdges')!;
    const frame = strip.children.filter((c) => c.tag === 'rect' && c.getAttribute('fill') === 'none' && !c.hasClass('nd-ring'));
    expect(frame).toHaveLength(1);
    expect(frame[0].getAttribute('stroke')).toBe('#f3f4f6');
    expect(contrast(frame[0].getAttribute('stroke')!, BG)).toBeGreaterThanOrEqual(3);
  });

  it('elided: the "⋯ +k" marker in the muted grey on a halo of the background, 4.5:1', () => {
    const more = byClass(drawn(wide), 'nd-more');
    expect(more.length).toBeGreaterThan(0);
    for (const m of more) {
      expect(m.textContent).toMatch(/^⋯ \+\d+$/);
      expect(m.getAttribute('stroke')).toBe(BG);
      expect(contrast(m.getAttribute('fill')!, m.getAttribute('stroke')!)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('hoverEls: the hovered weight over a halo of the scheme\'s ink', () => {
  it('dark: the halo #f3f4f6 (the light ink; #111827 would vanish on the background), light: #111827', () => {
    const root = drawn(small);
    const edge = byClass(root, 'nd-edge')[0];
    for (const [pal, ink] of [[DARK, '#f3f4f6'], [LIGHT, '#111827']] as const) {
      const els = hoverEls(edge as unknown as SVGGElement, pal.diagram) as unknown as FakeSvgElement[];
      const halos = els.filter((e) => e.getAttribute('stroke-opacity') === '0.3');
      expect(halos, pal.name).toHaveLength(1);
      expect(halos[0].getAttribute('stroke')).toBe(ink);
    }
  });
});
