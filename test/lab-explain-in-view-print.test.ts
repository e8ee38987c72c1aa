/**
 * A big batch's chain rule waiting for the Notation tab to be on the screen (src/lab/explain-panel.ts whenInView) is
 * worked when the page is printed: printing lays the page out without scrolling it, so the IntersectionObserver
 * never fires, and a page printed above the tab printed "… is worked when this tab is on the screen." in place of the
 * chain rule. The work is counted as scalar forward passes (one an example), on the stand-in DOM of test/lib/fake-dom.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeElement } from './lib/fake-dom.ts';
import { s232, W } from './lib/explain-nets.ts';
import { bigSpec, Observer } from './lib/in-view.ts';

/** The host's children's classes when print.ts's fitFormulasForPrint looked for formulas in it. */
let fitted: string[][] = [];

class El extends FakeElement {
  readonly style: Record<string, string> = {};
  override querySelectorAll(sel: string): FakeElement[] {
    if (sel !== '.katex-display') return super.querySelectorAll(sel);
    fitted.push(this.children.map((c) => c.className));
    return [];
  }
}

/** The window's beforeprint listeners. */
const printing = new Set<() => void>();
const print = (): void => { for (const f of [...printing]) f(); };
let forwards = 0;

async function panel() {
  vi.doMock('katex', () => ({ default: { render: (tex: string, e: FakeElement) => { e.textContent = tex; } } }));
  vi.doMock('../src/notation/scalar-forward.ts', async (importOriginal) => {
    const real = await importOriginal<typeof import('../src/notation/scalar-forward.ts')>();
    return { ...real, scalarForward: (...a: Parameters<typeof real.scalarForward>) => { forwards++; return real.scalarForward(...a); } };
  });
  const p = await import('../src/lab/explain-panel.ts');
  // KaTeX loaded by a first, small explanation (as a page has it by the time it prints).
  const other = new El('div');
  p.renderExplanation(other as unknown as HTMLElement, { spec: s232, param: W(1, 0, 0) });
  await vi.waitFor(() => expect(other.children.map((c) => c.className)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
  forwards = 0;
  fitted = [];
  return p;
}

const classes = (host: FakeElement) => host.children.map((c) => c.className);
const on = (type: string, f: () => void) => { if (type === 'beforeprint') printing.add(f); };
const off = (type: string, f: () => void) => { if (type === 'beforeprint') printing.delete(f); };

describe('printing works the chain rule that waits for the Notation tab', () => {
  beforeEach(() => {
    vi.resetModules();
    Observer.all = [];
    printing.clear();
    vi.stubGlobal('document', { createElement: (tag: string) => new El(tag) });
    vi.stubGlobal('window', { addEventListener: on, removeEventListener: off });
    vi.stubGlobal('IntersectionObserver', Observer);
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => { setTimeout(f, 0); return 1; });
  });
  afterEach(() => {
    vi.doUnmock('katex');
    vi.doUnmock('../src/notation/scalar-forward.ts');
    vi.unstubAllGlobals();
  });

  it('before print, the 1 001 examples are worked at once, then its formulas fitted to the paper; the wait ends', async () => {
    const { renderExplanation } = await panel();
    const host = new El('div');
    renderExplanation(host as unknown as HTMLElement, { spec: bigSpec(1001), param: W(0, 0, 0) });
    expect([forwards, printing.size]).toEqual([0, 1]);
    print();
    // In the beforeprint listener itself: the page is laid out for print when it returns.
    expect(classes(host)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']);
    expect(forwards).toBe(1001);
    expect(fitted).toEqual([['explain-scalar', 'explain-matrix', 'explain-numeric']]);
    expect([Observer.all[0].disconnected, printing.size]).toEqual([true, 0]);
  });

  it('the tab on the screen first: worked once, printing works nothing again', async () => {
    const { renderExplanation } = await panel();
    const host = new El('div');
    renderExplanation(host as unknown as HTMLElement, { spec: bigSpec(1001), param: W(0, 0, 0) });
    Observer.all[0].fire(true);
    await vi.waitFor(() => expect(classes(host)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
    expect(printing.size).toBe(0);
    print();
    expect(forwards).toBe(1001);
  });

  it('the host written since (Select a weight or bias): printing works nothing and ends the wait', async () => {
    const { renderExplanation } = await panel();
    const host = new El('div');
    renderExplanation(host as unknown as HTMLElement, { spec: bigSpec(5000), param: W(0, 0, 0) });
    const select = new El('p');
    host.replaceChildren(select);
    print();
    expect([forwards, fitted.length, printing.size, Observer.all[0].disconnected]).toEqual([0, 0, 0, true]);
    expect(host.children).toEqual([select]);
  });
});
