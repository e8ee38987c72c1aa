/**
 * A stand-in DOM, just enough for the lab's net editor (src/lab/editor.ts) in Node: elements made by
 * document.createElement, their children, attributes, listeners and `#id` lookups; a select's value is its selected
 * option's (the first's when none is), as a browser gives it. Install with `vi.stubGlobal('document', fakeDocument)`.
 */

type Listener = (e: FakeEvent) => void;

export interface FakeEvent {
  type: string;
  preventDefault(): void;
  /** A key event's key and whether it is an auto-repeat. */
  key?: string;
  repeat?: boolean;
  /** A pointer or click event's position (CSS px from the viewport's top-left). */
  clientX?: number;
  clientY?: number;
}

export class FakeElement {
  readonly children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  private readonly listeners = new Map<string, Listener[]>();
  id = '';
  name = '';
  type = '';
  private text = '';
  textContent: string | null = '';
  className = '';
  title = '';
  disabled = false;
  selected = false;
  noValidate = false;
  /** An `<input>`'s max (set as a property). */
  max = '';
  checked = false;
  hidden = false;
  htmlFor = '';
  /** A `<dialog>`'s state (showModal, close). */
  open = false;
  readonly classList = {
    names: new Set<string>(),
    add: (c: string): void => { this.classList.names.add(c); },
    remove: (c: string): void => { this.classList.names.delete(c); },
    /** Added, or named in `className` (as the page sets a notice's: `notice warn pinned`). */
    contains: (c: string): boolean => this.classList.names.has(c) || this.className.split(/\s+/).includes(c),
  };
  /** An `<input type="number">`'s validity: badInput when the browser holds text it cannot read as a number. */
  validity = { badInput: false };
  focused = false;
  readonly dataset: Record<string, string> = {};

  constructor(readonly tagName: string) {}

  get value(): string {
    return this.text;
  }

  /** An `<input type="number">` holds a number or nothing, as a browser's sanitises it (String(NaN) shows empty). */
  set value(v: string) {
    this.text = this.tagName === 'input' && this.type === 'number' && !/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) ? '' : v;
  }

  append(...nodes: (FakeElement | string)[]): void {
    for (const n of nodes) if (typeof n !== 'string') this.children.push(n);
  }

  replaceChildren(...nodes: (FakeElement | string)[]): void {
    this.children.length = 0;
    this.append(...nodes);
  }

  setAttribute(k: string, v: string): void {
    this.attributes.set(k, v);
  }

  getAttribute(k: string): string | null {
    return this.attributes.get(k) ?? null;
  }

  removeAttribute(k: string): void {
    this.attributes.delete(k);
  }

  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  /** Fire `type` (with `extra`: a key, repeat, a position) at this element's listeners; true when none called preventDefault. */
  dispatch(type: string, extra: { key?: string; repeat?: boolean; clientX?: number; clientY?: number } = {}): boolean {
    let prevented = false;
    const e: FakeEvent = { ...extra, type, preventDefault: () => { prevented = true; } };
    for (const fn of this.listeners.get(type) ?? []) fn(e);
    return !prevented;
  }

  click(): void {
    this.dispatch('click');
  }

  /** Whether `node` is this element or one below it. */
  contains(node: unknown): boolean {
    return node === this || this.children.some((c) => c.contains(node));
  }

  focus(): void {
    this.focused = true;
  }

  /** A textarea's or input's select(): its whole text selected. */
  wholeSelected = false;
  select(): void {
    this.wholeSelected = true;
  }

  showModal(): void {
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  /** Only 'input' and 'input:checked': the inputs below, depth first. */
  querySelectorAll(sel: string): FakeElement[] {
    if (sel !== 'input' && sel !== 'input:checked') throw new Error(`fake DOM: querySelectorAll('${sel}') is not supported`);
    const out: FakeElement[] = [];
    const walk = (e: FakeElement): void => {
      for (const c of e.children) {
        if (c.tagName === 'input' && (sel === 'input' || c.checked)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }

  /** Only `#id`, searched depth first. */
  querySelector(sel: string): FakeElement | null {
    if (!sel.startsWith('#')) throw new Error(`fake DOM: querySelector('${sel}') is not supported`);
    return this.byId(sel.slice(1));
  }

  byId(id: string): FakeElement | null {
    for (const c of this.children) {
      if (c.id === id) return c;
      const inner = c.byId(id);
      if (inner) return inner;
    }
    return null;
  }
}

export class FakeSelect extends FakeElement {
  constructor() {
    super('select');
  }

  override get value(): string {
    const options = this.children.filter((c) => c.tagName === 'option');
    return (options.find((o) => o.selected) ?? options[0])?.value ?? '';
  }

  override set value(v: string) {
    for (const o of this.children) o.selected = o.value === v;
  }
}

/** `new Option(text, value, defaultSelected, selected)`, as the page's code makes a select's options. */
export function fakeOption(text: string, value: string, _defaultSelected = false, selected = false): FakeElement {
  const o = new FakeElement('option');
  Object.assign(o, { textContent: text, value, selected });
  return o;
}

export const fakeDocument = {
  createElement: (tag: string): FakeElement => (tag === 'select' ? new FakeSelect() : new FakeElement(tag)),
};
