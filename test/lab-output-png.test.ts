/**
 * Output PNG (src/lab/output-png.ts, output-shown.ts; device-panel.ts updateButtons; fit-plot.ts drawFitOutput): the
 * Output's plot drawn again, light, into an offscreen canvas of the plot's size and copied as a PNG — with the system
 * preferring dark (matchMedia stubbed, as test/lab-dark-contrast.test.ts does) too; the button on only where the Output
 * shows a plot, the Files line saying why where it does not; the file named `<name>-output.png`. Drawn on a recording
 * 2-D context (test/lib/recording-context.ts). Expected colours are the palettes' hex values as written in palette.ts
 * (the heat map's pixel worked by hand from its tint rule); the page's own draw, dark, is checked first, so that a
 * light file shows the export's palette, not a stub that failed to make the page dark.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawBoundary, type BoundaryArgs } from '../src/lab/boundary.ts';
import { updateButtons } from '../src/lab/device-panel.ts';
import { drawCurve, drawFitOutput, drawParity, type CurveArgs, type ParityArgs } from '../src/lab/fit-plot.ts';
import { outputFileName, outputPng } from '../src/lab/output-png.ts';
import { setOutputShown, type OutputShown } from '../src/lab/output-shown.ts';
import { page } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';
import { devicePage } from './lib/device-page.ts';
import { FakeElement } from './lib/fake-dom.ts';
import { recording, styled, type Call } from './lib/recording-context.ts';
import { usePreferDark } from './lib/prefer-dark.ts';

/** The plots' background in each scheme, as palette.ts writes them. */
const LIGHT_BG = '#fff';
const DARK_BG = '#111827';

/** A recording canvas of `w` × `h` (0 × 0: as document.createElement makes one), its toBlob giving `blob` and recording the type. */
function canvasOf(w = 0, h = 0): { canvas: HTMLCanvasElement & { types: string[] }; calls: Call[] } {
  const { ctx, calls } = recording();
  const canvas = {
    width: w, height: h, types: [] as string[],
    getContext: () => ctx,
    setAttribute: () => undefined,
    toBlob(cb: (b: Blob | null) => void, type: string) { this.types.push(type); cb(new Blob(['png'], { type })); },
  };
  return { canvas: canvas as unknown as HTMLCanvasElement & { types: string[] }, calls };
}

/** The fill of each fillRect, in order. */
const rectFills = (calls: Call[]): string[] => styled(calls).filter((s) => s.call[0] === 'fillRect').map((s) => s.fill);
/** The stroke colour of each stroke(), in order. */
const strokes = (calls: Call[]): string[] => styled(calls).filter((s) => s.call[0] === 'stroke').map((s) => s.stroke);

// Points (1, 0) and (21, 20), the line through them (as test/lab-fit-plot-draw.test.ts's).
const curve: CurveArgs = { x: [1, 21], y: [[0], [20]], xRange: [0, 22], xs: [1, 11, 21], line: [0, 10, 20], K: 1, names: ['x', 'ŷ'], outputNames: ['ŷ'] };
const parity: ParityArgs = { y: [[0], [20]], A: [1, 19], K: 1, outputs: 1, names: ['target y', 'output ŷ'], outputNames: ['ŷ'] };

describe('Output PNG with the system preferring dark: drawn light, at the plot\'s size, as a PNG', () => {
  usePreferDark();

  it.each([
    ['curve', (c: HTMLCanvasElement) => drawCurve(c, curve), { kind: 'curve', args: curve, width: 220, height: 180 }],
    ['parity', (c: HTMLCanvasElement) => drawParity(c, parity), { kind: 'parity', args: parity, width: 220, height: 180 }],
  ] as const)('%s: the page draws it on DARK\'s background, the file on LIGHT\'s, sized as the page\'s canvas', async (_kind, onPage, plot) => {
    const shown = canvasOf(220, 180);
    onPage(shown.canvas);
    expect(rectFills(shown.calls)[0]).toBe(DARK_BG);
    const file = canvasOf();
    const blob = await outputPng(plot as OutputShown, () => file.canvas);
    expect([file.canvas.width, file.canvas.height]).toEqual([220, 180]);
    // The background first: the whole canvas, light; no dark fill anywhere in the file.
    expect(file.calls.find((c) => c[0] === 'fillRect')).toEqual(['fillRect', 0, 0, 220, 180]);
    expect(rectFills(file.calls)[0]).toBe(LIGHT_BG);
    expect(rectFills(file.calls)).not.toContain(DARK_BG);
    expect(file.canvas.types).toEqual(['image/png']);
    expect(blob.type).toBe('image/png');
  });

  it("boundary: the heat map mixed into white (not into #111827), the boundary line LIGHT's dark grey", async () => {
    const images: { data: Uint8ClampedArray }[] = [];
    const scratch = new Proxy({}, { get: (_, name) => (name === 'putImageData' ? (im: { data: Uint8ClampedArray }) => void images.push(im) : () => undefined) });
    vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch }) });
    vi.stubGlobal('ImageData', class { constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {} });
    const z = [0, 0];
    const spec = validateSpec({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[z, z]], b: [[0, 0]] } });
    const args: BoundaryArgs = { net: spec.net, params: spec.params!, x: [[0, 0], [1, 1]], labels: [0, 1], classes: 2, resolution: 4 };
    const shown = canvasOf(300, 300);
    drawBoundary(shown.canvas, args);
    const file = canvasOf();
    await outputPng({ kind: 'boundary', args, width: 300, height: 300 }, () => file.canvas);
    // Zero weights: even odds, class 0 (#0072B2) at its faintest, 0.1 of it: into #111827 on the page
    // (17 + (0 − 17)·0.1 = 15.3, 24 + (114 − 24)·0.1 = 33, 39 + (178 − 39)·0.1 = 52.9), into white in the file
    // (255 − 255·0.1 = 229.5, 255 − 141·0.1 = 240.9, 255 − 77·0.1 = 247.3), rounded.
    expect(images).toHaveLength(2);
    expect([...images[0].data.slice(0, 4)]).toEqual([15, 33, 53, 255]);
    expect([...images[1].data.slice(0, 4)]).toEqual([230, 241, 247, 255]);
    expect(strokes(shown.calls)).toContain('#f3f4f6');
    expect(strokes(file.calls)).toContain('rgba(20, 20, 20, 0.85)');
    expect(strokes(file.calls)).not.toContain('#f3f4f6');
    expect([file.canvas.width, file.canvas.height]).toEqual([300, 300]);
  });

  it('no plot: refused, with the reason, and nothing drawn', async () => {
    const file = canvasOf();
    await expect(outputPng({ kind: 'none', no: 'mnist' }, () => file.canvas)).rejects.toThrow(/no Output plot to save: MNIST's Output is its confusion matrix/);
    expect(file.calls).toEqual([]);
  });
});

describe('the file name: <name>-output.png (files.ts fileName)', () => {
  it.each([
    ['lecture-2-2-1', 'lecture-2-2-1-output.png'],
    ['XOR net', 'xor-net-output.png'],
    [undefined, 'network-output.png'],
  ])('%s → %s', (name, want) => {
    expect(outputFileName(name)).toBe(want);
  });
});

describe('Output PNG on only where the Output shows a plot; the Files line says why where not', () => {
  const el = devicePage({ adapter: { available: false, reason: 'none here' }, session: null, gpu: null });
  // A net with one step trained: the loss curve's buttons on, their line empty — the line below is Output PNG's alone.
  const trained = { stage: 'none', pass: null, history: [0.27], verifyAgainst: () => 'wasm' } as unknown as LabSession;
  afterEach(() => setOutputShown({ kind: 'none', no: 'net' }));

  it('no net: off, and the line says nothing of it (as Diagram SVG)', () => {
    setOutputShown({ kind: 'none', no: 'net' });
    updateButtons();
    expect(el('output-png').disabled).toBe(true);
    expect(el('files-why').textContent).toBe('Loss curve CSV and PNG: no loss curve yet: Update, Train or Fit first.');
  });

  it('no net, though a plot was recorded (a net that failed to load after one drawn): off', () => {
    setOutputShown({ kind: 'curve', args: curve, width: 220, height: 220 });
    updateButtons();
    expect(el('output-png').disabled).toBe(true);
  });

  it('a plot shown: on, no reason', () => {
    Object.assign(page, { session: trained });
    setOutputShown({ kind: 'curve', args: curve, width: 220, height: 220 });
    updateButtons();
    expect(el('output-png').disabled).toBe(false);
    expect(el('output-png').title).toBe('');
    expect(el('files-why').textContent).toBe('');
  });

  it.each([
    ['mnist', "Output PNG: MNIST's Output is its confusion matrix and sample digits, no plot."],
    ['tables', 'Output PNG: the Output has no plot for this classification, only its tables.'],
    ['tooBig', 'Output PNG: the Output plot is not drawn for a net this big (the Output says why).'],
  ] as const)('%s: off, its reason the title and on the Files line', (no, line) => {
    Object.assign(page, { session: trained });
    setOutputShown({ kind: 'none', no });
    updateButtons();
    expect(el('output-png').disabled).toBe(true);
    expect(el('output-png').title).toBe(line.slice('Output PNG: '.length, -1));
    expect(el('files-why').textContent).toBe(line);
  });

  it('with no loss curve yet either: both reasons, the curve\'s first', () => {
    Object.assign(page, { session: { ...trained, history: [] } });
    setOutputShown({ kind: 'none', no: 'mnist' });
    updateButtons();
    expect(el('files-why').textContent).toBe("Loss curve CSV and PNG: no loss curve yet: Update, Train or Fit first. Output PNG: MNIST's Output is its confusion matrix and sample digits, no plot.");
  });
});

describe('drawFitOutput says which plot it drew, or why none', () => {
  afterEach(() => vi.unstubAllGlobals());
  function draw(spec: Parameters<typeof validateSpec>[0], x: number[][], y: number[][]): { shown: OutputShown; canvas: FakeElement } {
    const { ctx } = recording();
    const canvas = new FakeElement('canvas');
    Object.assign(canvas, { width: 220, height: 200, getContext: () => ctx, getBoundingClientRect: () => ({ width: 0, height: 0 }) });
    const els = new Map<string, FakeElement>([['fit-plot', canvas], ['fit-out', new FakeElement('p')], ['predictions', new FakeElement('div')]]);
    vi.stubGlobal('document', { getElementById: (id: string) => els.get(id) ?? null, createElement: (tag: string) => new FakeElement(tag) });
    const v = validateSpec(spec);
    const shown = drawFitOutput({ net: v.net, params: v.params!, lab: { x, y } } as never, {} as never, new Naming(v.net, undefined), undefined);
    return { shown, canvas };
  }

  it('one feature: the curve, at the canvas\'s size, its rows as drawn', () => {
    const { shown } = draw({ inputs: 1, loss: 'mse', layers: [{ units: 1, activation: 'linear' }], params: { W: [[[1]]], b: [[0]] } }, [[0], [1]], [[0], [1]]);
    expect(shown.kind).toBe('curve');
    if (shown.kind !== 'curve') return;
    expect([shown.width, shown.height]).toEqual([220, 200]);
    expect(shown.args.x).toEqual([0, 1]);
  });

  it('two features, MSE: ŷ against y', () => {
    const { shown } = draw({ inputs: 2, loss: 'mse', layers: [{ units: 1, activation: 'linear' }], params: { W: [[[1, 1]]], b: [[0]] } }, [[0, 0], [1, 1]], [[0], [2]]);
    expect(shown.kind).toBe('parity');
  });

  it('three features, a classification: no plot, its tables', () => {
    const { shown, canvas } = draw({ inputs: 3, loss: 'bce', layers: [{ units: 1, activation: 'sigmoid' }], params: { W: [[[0, 0, 0]]], b: [[0]] } }, [[0, 0, 0], [1, 1, 1]], [[0], [1]]);
    expect(canvas.hidden).toBe(true);
    expect(shown).toEqual({ kind: 'none', no: 'tables' });
  });
});
