/**
 * The network diagram's SVG draws the sign's dash (src/lab/diagram-svg.ts modelToSvg, from the model's `dash`): each
 * negative weight's visible line and its selected copy carry stroke-dasharray "width + 6  width + 3"
 * (diagram-model.ts negativeDash), each negative bias's box "4 2.5"; positive and zero ones are solid. The model had
 * the dash, and the page could still draw every line solid: the sign then was its hue alone (WCAG 1.4.1). Node has no
 * DOM: a minimal document (test/lib/svg-dom.ts) records the elements and attributes modelToSvg makes. The 2-3-1 net of
 * lab-diagram-sign, weights' signs set by hand: W₁ = [[1, −2], [0, 3], [−4, 5]], W₂ = [[−1, 2, 3]],
 * b₁ = [0.5, −0.5, 0], b₂ = [−1]; W₂[0][0] = −1 selected.
 */
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../src/lab/diagram-model.ts';
import { modelToSvg } from '../src/lab/diagram-svg.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';
import { SIGNS } from './lib/diagram-nets.ts';
import { FakeSvgElement, useSvgDocument } from './lib/svg-dom.ts';

useSvgDocument();

const spec = SIGNS;

const drawn = (): FakeSvgElement => {
  const v = validateSpec(spec);
  const m = diagramModel({
    net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: {},
    selected: { kind: 'W', layer: 1, row: 0, col: 0 },
  });
  return modelToSvg(m, undefined) as unknown as FakeSvgElement;
};
const group = (root: FakeSvgElement, c: string): FakeSvgElement => root.all().find((e) => e.tag === 'g' && e.hasClass(c))!;
/** stroke-dasharray as numbers, or null where there is none. */
const dashOf = (el: FakeSvgElement): number[] | null => el.getAttribute('stroke-dasharray')?.trim().split(/[\s,]+/).map(Number) ?? null;

describe("the diagram's SVG dashes a negative weight's line and a negative bias's box", () => {
  it('the nine weight lines in parameter order: −2, −4 and −1 dashed (width + 6, width + 3), the others solid', () => {
    const lines = group(drawn(), 'nd-edges').all().filter((e) => e.hasClass('nd-edge-line'));
    const weights = [1, -2, 0, 3, -4, 5, -1, 2, 3];
    expect(lines).toHaveLength(weights.length);
    lines.forEach((line, k) => {
      const width = Number(line.getAttribute('stroke-width'));
      if (weights[k] < 0) {
        const d = dashOf(line);
        expect(d, `weight ${k} (${weights[k]})`).not.toBeNull();
        expect(d![0]).toBeCloseTo(width + 6, 1);
        expect(d![1]).toBeCloseTo(width + 3, 1);
      } else {
        expect(dashOf(line), `weight ${k} (${weights[k]})`).toBeNull();
      }
    });
  });

  it('the selected −1, drawn again on top, is dashed too (its outline under it solid)', () => {
    const lines = group(drawn(), 'nd-selection').all().filter((e) => e.tag === 'line');
    expect(lines).toHaveLength(2);
    const [outline, copy] = lines;
    expect(outline.hasClass('nd-edge-outline')).toBe(true);
    expect(dashOf(outline)).toBeNull();
    const width = Number(copy.getAttribute('stroke-width'));
    expect(dashOf(copy)![0]).toBeCloseTo(width + 6, 1);
    expect(dashOf(copy)![1]).toBeCloseTo(width + 3, 1);
  });

  it('the bias boxes b₁ = 0.5, −0.5, 0 and b₂ = −1: the two negative ones "4 2.5", the others solid', () => {
    const boxes = group(drawn(), 'nd-biases').all().filter((e) => e.hasClass('nd-bias-box'));
    expect(boxes.map(dashOf)).toEqual([null, [4, 2.5], null, [4, 2.5]]);
  });
});
