/**
 * KaTeX comes with the first explanation, not with the page (src/lab/explain-panel.ts loadKatex; the Notation tab is
 * under the workspace, below the first screen: test/lab-start-graph.test.ts keeps it out of the start). Until it has
 * come the explanation says the formulas load; one that does not come (a dropped connection) is an alert naming it,
 * and the next explanation fetches it again. KaTeX is a stand-in here (its render writes the TeX as the block's text),
 * on the stand-in DOM of test/lib/fake-dom.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExplainArgs } from '../src/lab/explain-panel.ts';
import { FakeElement } from './lib/fake-dom.ts';
import { s232, W } from './lib/explain-nets.ts';

/** FakeElement with the inline styles the explanation's blocks and alerts set. */
class El extends FakeElement {
  readonly style: Record<string, string> = {};
}
const doc = { createElement: (tag: string) => new El(tag) };

const ARGS: ExplainArgs = { spec: s232, param: W(1, 0, 0) };

/** Chromium's words for a chunk that did not come. */
const FETCH_FAILED = 'Failed to fetch dynamically imported module: http://127.0.0.1/assets/katex-x.js';

function failingKatex(): void {
  vi.doMock('katex', () => { throw new TypeError(FETCH_FAILED); });
}
function workingKatex(): void {
  vi.doMock('katex', () => ({ default: { render: (tex: string, e: FakeElement) => { e.textContent = tex; } } }));
}

/** The classes of host's children, and the text of the first. */
const shown = (host: FakeElement) => ({ classes: host.children.map((c) => c.className), first: host.children[0]?.textContent });

describe('the explanation before KaTeX has come', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubGlobal('document', doc);
  });
  afterEach(() => {
    vi.doUnmock('katex');
    vi.unstubAllGlobals();
  });

  it('says the formulas load, then shows the explanation once KaTeX has come (and at once after that)', async () => {
    workingKatex();
    const { renderExplanation } = await import('../src/lab/explain-panel.ts');
    const host = new FakeElement('div');
    renderExplanation(host as unknown as HTMLElement, ARGS);
    expect(shown(host)).toEqual({ classes: ['explain-loading'], first: 'Loading the formulas…' });
    await vi.waitFor(() => expect(shown(host).classes).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
    // The scalar chain rule's blocks hold TeX (the stand-in writes it): ∂L/∂w for the selected weight.
    const blocks = host.children[0].children.filter((c) => c.className === 'explain-tex');
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0].textContent).toMatch(/\\partial/);
    const again = new FakeElement('div');
    renderExplanation(again as unknown as HTMLElement, ARGS);
    expect(shown(again).classes).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']);
  });

  it('a KaTeX that does not come is an alert naming it and how to try again; the next explanation fetches it again', async () => {
    failingKatex();
    const { renderExplanation } = await import('../src/lab/explain-panel.ts');
    const host = new FakeElement('div');
    renderExplanation(host as unknown as HTMLElement, ARGS);
    await vi.waitFor(() => expect(shown(host).classes).toEqual(['explain-error']));
    expect(host.children[0].getAttribute('role')).toBe('alert');
    expect(host.children[0].textContent).toMatch(/^the formulas' typesetting \(KaTeX\) did not load \(.+\); check the connection and try again — .* \(select a weight or bias in the diagram to try again\)$/s);
    // The connection is back: the next explanation (another weight selected) fetches KaTeX again.
    vi.doUnmock('katex');
    workingKatex();
    renderExplanation(host as unknown as HTMLElement, ARGS);
    expect(shown(host).classes).toEqual(['explain-loading']);
    await vi.waitFor(() => expect(shown(host).classes).toEqual(['explain-scalar', 'explain-matrix', 'explain-numeric']));
  });

  it.each([
    ['comes', () => workingKatex(), ['explain-scalar', 'explain-matrix', 'explain-numeric']],
    ['does not come: the alert only where the line still waits (mut59)', () => failingKatex(), ['explain-error']],
  ] as const)('leaves a host written since alone (the net changed, nothing selected) when KaTeX %s', async (_, katex, otherShows) => {
    katex();
    const { renderExplanation } = await import('../src/lab/explain-panel.ts');
    const host = new FakeElement('div');
    renderExplanation(host as unknown as HTMLElement, ARGS);
    const since = new FakeElement('p');
    host.replaceChildren(since);
    // A second explanation waits on the same load, its callback queued after the first's: once it shows (its
    // explanation, or its alert), the first's ran.
    const other = new FakeElement('div');
    renderExplanation(other as unknown as HTMLElement, ARGS);
    await vi.waitFor(() => expect(shown(other).classes).toEqual(otherShows));
    expect(host.children).toEqual([since]);
  });
});
