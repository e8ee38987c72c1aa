/**
 * The Notation tab's chain rule on a big batch (src/lab/explain-panel.ts renderExplanation, IN_VIEW_EXAMPLES): the
 * scalar engine works every example of the batch (the total over it, the check against the matrix form), and Your
 * data's full batch of 80 000 examples cost ~0.6 s of every load with the tab below the first screen. Past 1000
 * examples it is worked once the tab is on the screen (an IntersectionObserver), after a line saying so is painted.
 * The work is counted as the scalar forward passes (one per example read), on the stand-in DOM of test/lib/fake-dom.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeElement } from './lib/fake-dom.ts';
import { s232, W } from './lib/explain-nets.ts';
import { bigSpec, Observer } from './lib/in-view.ts';

class El extends FakeElement {
  readonly style: Record<string, string> = {};
}

let forwards = 0;
const frames: (() => void)[] = [];

async function panel() {
  vi.doMock('katex', () => ({ default: { render: (tex: string, e: FakeElement) => { e.textContent = tex; } } }));
  vi.doMock('../src/notation/scalar-forward.ts', async (importOriginal) => {
    const real = await importOriginal<typeof import('../src/notation/scalar-forward.ts')>();
    return { ...real, scalarForward: (...a: Parameters<typeof real.scalarForward>) => { forwards++; return real.scalarForward(...a); } };
  });
  return import('../src/lab/explain-panel.ts');
}

const classes = (host: FakeElement) => host.children.map((c) => c.className);

describe('the chain rule of a big batch waits for the Notation tab to be on the screen', () => {
  beforeEach(() => {
    vi.resetModules();
    forwards = 0;
    frames.length = 0;
    Observer.all = [];
    vi.stubGlobal('document', { createElement: (tag: string) => new El(tag) });
    vi.stubGlobal('IntersectionObserver', Observer);
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => { frames.push(f); return frames.length; });
  });
  afterEach(() => {
    vi.doUnmock('katex');
    vi.doUnmock('../src/notation/scalar-forward.ts');
    vi.unstubAllGlobals();
  });

  it('1 001 examples: no example read until the tab is on the screen, then a line painted first, then every example once', async () => {
    const { renderExplanation } = await panel();
    const host = new El('div');
    renderExplanation(host as unknown as HTMLElement, { spec: bigSpec(1001), param: W(0, 0, 0) });
    expect(forwards).toBe(0);
    expect(host.children.map((c) => c.textContent)).toEqual(["The chain rule over the batch's 1 001 examples is worked when this tab is on the screen."]);
    expect(Observer.all).toHaveLength(1);
    expect(Observer.all[0].observed).toEqual([host]);
    Observer.all[0].fire(false); // another tab, or scrolled away
    expect(forwards).toBe(0);
    Observer.all[0].fire(true);
    // The line says it works them, and nothing is read before a frame and a task have let it be painted.
    expect(host.children.map((c) => c.textContent)).toEqual(['Working the chain rule over 1 001 examples…']);
    expect(forwards).toBe(0);
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(forwards).toBe(0);
    await vi.waitFor(() => expect(classes(host)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
    // Every example's forward pass, once: the total over the batch is the one the tab showed before.
    expect(forwards).toBe(1001);
    expect(Observer.all[0].disconnected).toBe(true);
  });

  it('1 000 examples and the 2 of the lecture-sized net are worked at once, with no observer', async () => {
    const { renderExplanation, IN_VIEW_EXAMPLES } = await panel();
    expect(IN_VIEW_EXAMPLES).toBe(1000);
    const host = new El('div');
    renderExplanation(host as unknown as HTMLElement, { spec: bigSpec(1000), param: W(0, 0, 0) });
    await vi.waitFor(() => expect(classes(host)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
    expect(forwards).toBe(1000);
    renderExplanation(host as unknown as HTMLElement, { spec: s232, param: W(1, 0, 0) });
    expect(classes(host)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']);
    expect(forwards).toBe(1002);
    expect(Observer.all).toHaveLength(0);
  });

  it('the host written since (Select a weight or bias) stops the wait at the observer\'s next call, in view or not', async () => {
    const { renderExplanation } = await panel();
    const host = new El('div');
    renderExplanation(host as unknown as HTMLElement, { spec: bigSpec(5000), param: W(0, 0, 0) });
    host.replaceChildren(new El('p'));
    Observer.all[0].fire(false);
    expect(Observer.all[0].disconnected).toBe(true);
    expect(forwards).toBe(0);
    expect(frames).toHaveLength(0);
  });

  it('a newer explanation stops the wait: the big batch is never read', async () => {
    const { renderExplanation } = await panel();
    const host = new El('div');
    renderExplanation(host as unknown as HTMLElement, { spec: bigSpec(5000), param: W(0, 0, 0) });
    renderExplanation(host as unknown as HTMLElement, { spec: s232, param: W(1, 0, 0) });
    expect(Observer.all[0].disconnected).toBe(true);
    await vi.waitFor(() => expect(classes(host)).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
    expect(forwards).toBe(2);
  });
});
