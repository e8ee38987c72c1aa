/**
 * A stand-in document for a LossSurface (src/lab/surface.ts) in Node: elements laid out at 480 × 360, whose canvases'
 * contexts come from the document's `context` (a recording 2-D context, or a stand-in WebGPU one), and that the view
 * may replace or remove without effect. test/lab-dark-surface-repaint.test.ts and lab-surface-gpu-colours-guards.test.ts.
 */
import { FakeElement } from './fake-dom.ts';

export class SurfaceEl extends FakeElement {
  style: Record<string, string> = {};
  tabIndex = -1;
  width = 0;
  height = 0;
  clientWidth = 480;
  clientHeight = 360;
  constructor(tag: string, readonly ownerDocument: SurfaceDoc) {
    super(tag);
  }
  getContext(kind: string): unknown {
    return this.ownerDocument.context(kind);
  }
  removeEventListener(): void {}
  replaceWith(): void {}
  remove(): void {}
}

export class SurfaceDoc {
  activeElement: SurfaceEl | null = null;
  /** `context(kind)`: what a canvas's getContext(kind) gives. */
  constructor(readonly context: (kind: string) => unknown) {}
  createElement(tag: string): SurfaceEl {
    return new SurfaceEl(tag, this);
  }
}
