/**
 * The loss surface writes the net's own loss letter (the Notation tab's, Naming.loss), not always "L": lecture
 * 2-2-1-nobias's notation names its loss E, so its heatmap line said "w31 = 0.45, w32 = 0.1: L = …" and its colour bar
 * and height axis "L" while every other view of the lab wrote E. surfaceLabels (what the page's Draw passes), the
 * scene's letter (buildScene), the heatmap's line (cellLine), the colour-bar title (barTitle) and the 3-D height-axis
 * title (heightTitle), and the caption's scale words (describeScale: they said "log₁₀ L" under a colour bar titled
 * "E (log)", vis57). Expected words written from the lecture's notation ("loss": "E") and a hand-made grid.
 */
import { describe, expect, it } from 'vitest';
import { cellLine } from '../src/lab/surface-cell.ts';
import { barTitle, buildScene, describeScale, heightTitle, type LossGrid, type SurfaceArgs } from '../src/lab/surface-grid.ts';
import { surfaceLabels } from '../src/lab/surface-params.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { batchFrom, validateSpec, type NetworkSpec } from '../src/spec.ts';

const nobias = lecture('lecture-2-2-1-nobias').worked.spec; // notation.loss "E"
const { net, params } = validateSpec(nobias);
const naming = new Naming(net, nobias.notation);
const w31 = naming.resolveParam('w31', 'test');
const w32 = naming.resolveParam('w32', 'test');
const batch = batchFrom(net, nobias.x, nobias.y);

/** 3 × 3, values[i2·3 + i1]; linear (0.1 … 0.9, under 3 decades) or log (1e-4 … 10: 5 decades). */
function grid(values: number[]): LossGrid {
  return { res: 3, axis1: [0.35, 0.45, 0.55], axis2: [0, 0.1, 0.2], values: Float32Array.from(values), current: values[4] };
}
const linear = grid([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
const log = grid([1e-4, 1e-3, 1e-2, 0.1, 1, 2, 3, 4, 10]);

function args(g: LossGrid, loss?: string): SurfaceArgs {
  return { net, params: params!, X: batch.X, Y: batch.Y, n: batch.n, p1: w31, p2: w32, names: ['w31', 'w32'], grid: g, ...(loss === undefined ? {} : { loss }) };
}

describe('the loss surface names the loss with the net\'s letter', () => {
  it('surfaceLabels: lecture 2-2-1-nobias gives w31, w32 and E (its notation\'s "loss")', () => {
    expect(surfaceLabels(naming, w31, w32)).toEqual({ names: ['w31', 'w32'], loss: 'E' });
  });

  it('surfaceLabels: a net whose notation says J gives J; one with no notation gives L', () => {
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', params: { W: [[[0.5]]], b: [[0]] }, x: [[1]], y: [[0]] };
    const j = validateSpec({ ...spec, notation: { loss: 'J' } }).net;
    const jn = new Naming(j, { loss: 'J' });
    const p = jn.params();
    expect(surfaceLabels(jn, p[0], p[1]).loss).toBe('J');
    const plain = new Naming(validateSpec(spec).net, undefined);
    expect(surfaceLabels(plain, p[0], p[1]).loss).toBe('L');
  });

  it('the heatmap\'s line says E = …', () => {
    // (1, 1) is the centre: w31 = 0.45, w32 = 0.1, E = values[4] = 0.5.
    expect(cellLine(linear, ['w31', 'w32'], { i1: 1, i2: 1 }, 'E')).toBe('w31 = 0.45, w32 = 0.1: E = 0.5 (the current point)');
    // (2, 0): w31 = 0.55, w32 = 0, E = values[2] = 0.3.
    expect(cellLine(linear, ['w31', 'w32'], { i1: 2, i2: 0 }, 'E')).toBe('w31 = 0.55, w32 = 0: E = 0.3');
  });

  it('the scene carries the letter given, L when none is; the colour bar and the height axis write it', () => {
    const lin = buildScene(args(linear, 'E'));
    expect(lin.loss).toBe('E');
    expect(barTitle(lin)).toBe('E');
    expect(heightTitle(lin)).toBe('E 0.9');
    const lg = buildScene(args(log, 'E'));
    expect(barTitle(lg)).toBe('E (log)');
    expect(heightTitle(lg)).toBe('E 10 (log scale)');
    const none = buildScene(args(linear));
    expect(none.loss).toBe('L');
    expect(barTitle(none)).toBe('L');
  });

  it('the caption\'s scale words write it too (describeScale): "linear in E", "log₁₀ E"; L when none is given', () => {
    // linear: 0.1 … 0.9 is under a decade; log: 1e-4 … 10 is log₁₀(10 / 1e-4) = 5 decades.
    expect(describeScale(buildScene(args(linear, 'E')))).toBe('height and colour are linear in E');
    expect(describeScale(buildScene(args(log, 'E')))).toBe('height and colour follow log₁₀ E (the range spans 5.0 decades)');
    expect(describeScale(buildScene(args(linear)))).toBe('height and colour are linear in L');
  });
});
