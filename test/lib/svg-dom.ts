/**
 * A stand-in SVG document for Node tests of the lab's network diagram (src/lab/diagram-svg.ts modelToSvg and hoverEls,
 * src/lab/diagram-export.ts diagramSvgFile): Node has no DOM, and this records the elements and attributes the drawing
 * makes. Just what those call: document.createElementNS, setAttribute, getAttribute, removeAttribute, textContent,
 * append, cloneNode, querySelector (a button's `:scope > title`), querySelectorAll (class selectors only: `.a, .b`;
 * any other selector, as modelToSvg's tabindex query of data attributes, matches nothing); and what the file's writer
 * reads (tagName, attributes in the order first set, children, textContent). Install with useSvgDocument() at the top
 * of a test file.
 */
import { afterAll, beforeAll } from 'vitest';

export class FakeSvgElement {
  readonly attrs = new Map<string, string>();
  readonly children: FakeSvgElement[] = [];
  textContent = '';
  constructor(readonly tag: string) {}
  get tagName(): string { return this.tag; }
  /** As a DOM Element's: each attribute once, in the order first set (a Map keeps a key's place when it is set again). */
  get attributes(): { name: string; value: string }[] { return [...this.attrs].map(([name, value]) => ({ name, value })); }
  setAttribute(k: string, v: string): void { this.attrs.set(k, v); }
  getAttribute(k: string): string | null { return this.attrs.get(k) ?? null; }
  removeAttribute(k: string): void { this.attrs.delete(k); }
  append(...els: FakeSvgElement[]): void { this.children.push(...els); }
  cloneNode(): FakeSvgElement {
    const c = new FakeSvgElement(this.tag);
    for (const [k, v] of this.attrs) c.attrs.set(k, v);
    c.textContent = this.textContent;
    return c;
  }
  querySelectorAll(sel = ''): FakeSvgElement[] {
    const classes = [...sel.matchAll(/\.([\w-]+)/g)].map((m) => m[1]);
    return this.all().slice(1).filter((e) => classes.some((c) => e.hasClass(c)));
  }
  querySelector(): FakeSvgElement { return this.children.find((c) => c.tag === 'title') ?? new FakeSvgElement('title'); }
  /** This element and every one under it, in document order. */
  all(): FakeSvgElement[] { return [this, ...this.children.flatMap((c) => c.all())]; }
  hasClass(c: string): boolean { return (this.attrs.get('class') ?? '').split(' ').includes(c); }
}

/** Sets globalThis.document to the stand-in for the file's tests (beforeAll), and puts back what was there (afterAll). */
export function useSvgDocument(): void {
  const g = globalThis as { document?: unknown };
  let saved: unknown;
  beforeAll(() => {
    saved = g.document;
    g.document = { createElementNS: (_ns: string, tag: string) => new FakeSvgElement(tag) };
  });
  afterAll(() => { g.document = saved; });
}
