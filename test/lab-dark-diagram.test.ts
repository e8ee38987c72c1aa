/**
 * The network diagram in the dark palette (src/lab/diagram-svg.ts modelToSvg(model, stop, DARK)): on its background
 * (style.css's dark .diagram, palette.ts DARK.diagram.background) each weight's and bias's line ≥ 3:1 (WCAG 1.4.11),
 * the focus ring and the selection's outline — the drawing's ink, drawn along the lines — ≥ 3:1 on the background and
 * on every line colour (2.4.13), and each name and value ≥ 4.5:1 on what it is written on (1.4.3): the thresholds of the
 * light scheme. Without a palette the drawing is the light one (a download stays light whatever the page's scheme).
 * The ratio: test/lib/wcag.ts, from WCAG 2.2's definitions. The net is lab-diagram-dash-svg's 2-3-1 with weights of
 * both signs and a zero (W₁ = [[1, −2], [0, 3], [−4, 5]], W₂ = [[−1, 2, 3]], b₁ = [0.5, −0.5, 0], b₂ = [−1]), W₂[0][0]
 * and then b₂[0] selected. Node has no DOM: a minimal document (test/lib/svg-dom.ts) records the elements and
 * attributes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diagramModel } from '../src/lab/diagram-model.ts';
import { modelToSvg } from '../src/lab/diagram-svg.ts';
import { DARK, type Palette } from '../src/lab/palette.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';
import { SIGNS } from './lib/diagram-nets.ts';
import { FakeSvgElement, useSvgDocument } from './lib/svg-dom.ts';
import { contrast, darkRules, get } from './lib/wcag.ts';

useSvgDocument();

const spec = SIGNS;
const drawn = (kind: 'W' | 'b', pal?: Palette): FakeSvgElement => {
  const v = validateSpec(spec);
  const m = diagramModel({
    net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: {},
    selected: kind === 'W' ? { kind: 'W', layer: 1, row: 0, col: 0 } : { kind: 'b', layer: 1, index: 0 },
  });
  return (pal ? modelToSvg(m, undefined, pal) : modelToSvg(m, undefined)) as unknown as FakeSvgElement;
};
const strokesOf = (root: FakeSvgElement, cls: string): string[] => root.all().filter((e) => e.hasClass(cls)).map((e) => e.getAttribute('stroke')!);

describe('the diagram in the dark palette', () => {
  const bg = get(darkRules(), '.diagram', 'background');
  let root: FakeSvgElement;
  let rootB: FakeSvgElement;
  let ink: string;
  let lines: string[];
  beforeAll(() => {
    root = drawn('W', DARK);
    rootB = drawn('b', DARK);
    ink = root.getAttribute('color')!;
    lines = [...strokesOf(root, 'nd-edge-line'), ...strokesOf(root, 'nd-bias-line')];
  });

  it("the weights and biases drawn in the dark palette's positive, negative and zero colours, each ≥ 3:1 on the background", () => {
    expect(new Set(lines)).toEqual(new Set([DARK.diagram.positive, DARK.diagram.negative, DARK.diagram.zero]));
    for (const c of lines) expect(contrast(c, bg), `${c} on ${bg}`).toBeGreaterThanOrEqual(3);
    for (const box of root.all().filter((e) => e.hasClass('nd-bias-box'))) {
      expect(contrast(box.getAttribute('stroke')!, bg), 'a bias box').toBeGreaterThanOrEqual(3);
    }
  });

  it('the focus ring and the selection outline (the ink) ≥ 3:1 on the background and on every line colour', () => {
    const style = root.all().find((e) => e.tag === 'style')!.textContent;
    expect(style).toContain('stroke:currentColor');
    expect(strokesOf(root, 'nd-edge-outline')).toEqual([ink]);
    expect(strokesOf(root, 'nd-ring').every((s) => s === ink)).toBe(true);
    expect(contrast(ink, bg)).toBeGreaterThanOrEqual(3);
    for (const c of lines) expect(contrast(ink, c), `ring ${ink} along ${c}`).toBeGreaterThanOrEqual(3);
  });

  it('names and values ≥ 4.5:1 on their circles, boxes and halos', () => {
    const pairs: [string, string, string][] = [];
    for (const node of root.all().filter((e) => e.hasClass('nd-node'))) {
      const fill = node.children.find((c) => c.hasClass('nd-node-circle'))!.getAttribute('fill')!;
      pairs.push(['a name', node.children.find((c) => c.hasClass('nd-node-name'))!.getAttribute('fill')!, fill]);
      pairs.push(['values', node.children.find((c) => c.hasClass('nd-node-values'))!.getAttribute('fill')!, fill]);
    }
    for (const r of [root, rootB]) {
      for (const b of r.all().filter((e) => e.hasClass('nd-bias'))) {
        const fill = b.children.find((c) => c.hasClass('nd-bias-box'))!.getAttribute('fill')!;
        pairs.push(['a bias name', b.children.find((c) => c.hasClass('nd-bias-name'))!.getAttribute('fill')!, fill]);
      }
    }
    const labels = root.all().find((e) => e.hasClass('nd-edge-labels'))!;
    for (const l of labels.children) pairs.push(['a weight name on its halo', labels.getAttribute('fill')!, l.getAttribute('stroke')!]);
    // Units and inputs, unselected and selected bias boxes, the weights' names.
    expect(new Set(pairs.map((p) => p[2])).size).toBeGreaterThanOrEqual(4);
    for (const [what, fg, on] of pairs) expect(contrast(fg, on), `${what}: ${fg} on ${on}`).toBeGreaterThanOrEqual(4.5);
  });

  it('without a palette, the light drawing: the light edge colours and ink, not the dark', () => {
    const light = drawn('W');
    expect(new Set(strokesOf(light, 'nd-edge-line'))).toEqual(new Set(['#2563eb', '#ea580c', '#9ca3af']));
    expect(light.getAttribute('color')).toBe('#111827');
  });
});
