/**
 * A stand-in element for the confusion tables' code (src/lab/confusion.ts renderConfusion and confusionTable,
 * class-confusion.ts drawClassConfusion): children, style, text, class, a cell's scope and title, `hidden`, the element
 * placed after it, and `all()` — itself and every descendant, in document order. `tableDoc()` makes them.
 */
export class FakeEl {
  children: FakeEl[] = [];
  readonly style: Record<string, string> = {};
  textContent = '';
  className = '';
  scope = '';
  title = '';
  hidden = false;
  nextElementSibling: FakeEl | null = null;
  constructor(readonly tag: string, public ownerDocument?: unknown) {}
  append(...els: FakeEl[]): void { this.children.push(...els); }
  replaceChildren(...els: FakeEl[]): void { this.children = [...els]; }
  after(el: FakeEl): void { this.nextElementSibling = el; }
  all(): FakeEl[] { return [this, ...this.children.flatMap((c) => c.all())]; }
}

/** A document whose createElement makes FakeEls owned by it. */
export function tableDoc(): Document {
  const doc = { createElement: (tag: string) => new FakeEl(tag, doc) };
  return doc as unknown as Document;
}
