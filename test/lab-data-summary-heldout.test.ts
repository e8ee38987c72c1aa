/**
 * The Data region's summary on MNIST (src/lab/views.ts drawDataSummary): its held-out digits are Fit's validation set
 * (presets.ts fitValidation), so the summary counts them as validation rows, though the preset has no `validation` of
 * your data's. Node, on the stand-in DOM of test/lib/fake-dom.ts (as test/lab-values-stage-notes.test.ts loads
 * views.ts). Review mut64b: only a browser suite (test/browser/lab-workspace.test.ts) read this line. The expected
 * text by hand: 3 digits trained, 2 held out, 784 inputs, 10 classes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from '../src/lab/page.ts';
import type { MnistPart } from '../src/lab/mnist.ts';
import type { LabSession } from '../src/lab/session.ts';
import { FakeElement } from './lib/fake-dom.ts';

vi.mock('../src/lab/diagram.ts', () => ({ NetworkDiagram: class { constructor(..._args: unknown[]) {} } }));

const els = new Map<string, FakeElement>();
const el = (id: string): FakeElement => {
  if (!els.has(id)) els.set(id, new FakeElement('p'));
  return els.get(id)!;
};
const saved = { ...page };

beforeEach(() => {
  els.clear();
  vi.stubGlobal('window', { matchMedia: () => ({ matches: false }) });
  vi.stubGlobal('document', { body: { dataset: {} }, getElementById: el, querySelectorAll: () => [], createElement: (tag: string) => new FakeElement(tag), createElementNS: (_: string, tag: string) => new FakeElement(tag) });
});
afterEach(() => {
  vi.unstubAllGlobals();
  Object.assign(page, saved);
});

describe("the data summary on MNIST's held-out digits", () => {
  it('counts them as validation rows', async () => {
    const { drawDataSummary } = await import('../src/lab/views.ts');
    const heldOut: MnistPart = { count: 2, images: new Uint8Array(2 * 784), labels: Uint8Array.from([3, 4]) };
    page.session = { net: { inputs: 784, loss: 'softmax-cross-entropy', layers: [{ units: 32 }, { units: 10 }] }, lab: { x: { length: 3 }, batchSize: 3 } } as unknown as LabSession;
    page.data = { kind: 'mnist', heldOut } as unknown as typeof page.data;
    drawDataSummary();
    expect(el('data-summary').textContent).toMatch(/^3 examples \+ 2 validation rows, 784 inputs, 10 classes \(softmax cross-entropy\); /);
  });
});
