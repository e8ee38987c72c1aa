/**
 * The Device tab in a course page's frame (src/lab/device-panel.ts drawWhy's own-tab link, updateButtons' Diagram
 * SVG button; mut62). On wasm with 1 thread for want of isolation, in a frame (window.self ≠ window.top) over https,
 * the sentence under the switch is device.ts FRAMED_THREADS followed by a link that opens the lab, at the address it
 * has when clicked (a share link's), in a new tab without a hold on this one (rel noopener). Not framed: no link.
 * The page on the stand-in DOM of test/lib/device-page.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { FRAMED_THREADS } from '../src/lab/device.ts';
import { drawDevice, updateButtons, wireDevice } from '../src/lab/device-panel.ts';
import { page } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import { devicePage } from './lib/device-page.ts';
import type { FakeElement } from './lib/fake-dom.ts';

const none = { available: false, reason: 'no WebGPU adapter here' };
const wasm1 = { threads: 1, simd: 'simd', singleThreadReason: 'the page is not cross-origin isolated (COOP/COEP headers)' };
const session = { kind: 'wasm', wasm: wasm1, stage: 'none', pass: null, history: [], verifyAgainst: () => 'cpu' } as unknown as LabSession;

/** The device panel drawn with the window `w` (self and top) at `href`. */
function drawIn(el: (id: string) => FakeElement, w: { self: unknown; top: unknown }, href: string): FakeElement {
  const location = { href };
  vi.stubGlobal('window', w);
  vi.stubGlobal('location', location);
  vi.stubGlobal('isSecureContext', true);
  Object.assign(page, { session });
  wireDevice(async () => undefined, async () => undefined);
  drawDevice();
  return el('device-why');
}

describe('the own-tab link under the switch', () => {
  const el = devicePage({ adapter: none, session: null, gpu: null });

  it('framed: after the frame sentence, a link to the address now, in a new tab, noopener; a click takes the address then', () => {
    const why = drawIn(el, { self: {}, top: {} }, 'https://lms.example/lab/#net=a');
    expect(why.textContent).toContain(FRAMED_THREADS);
    const links = why.children.filter((c) => c.tagName === 'a');
    // The page draws the sentence more than once; a browser's textContent = … drops the links drawn before, the
    // stand-in's keeps them: the last one is the one on screen.
    expect(links.length).toBeGreaterThan(0);
    const a = links.at(-1) as FakeElement & { href: string; target: string; rel: string };
    expect([a.id, a.textContent, a.href, a.target, a.rel]).toEqual(['own-tab', 'Open the lab in its own tab', 'https://lms.example/lab/#net=a', '_blank', 'noopener']);
    // The student changed the net (the address's hash moved on): the link opens that one.
    (globalThis as unknown as { location: { href: string } }).location.href = 'https://lms.example/lab/#net=b';
    a.click();
    expect(a.href).toBe('https://lms.example/lab/#net=b');
  });

  it('in a tab of its own: the headers sentence and no link', () => {
    const w = { self: null as unknown, top: null as unknown };
    w.self = w;
    w.top = w;
    const why = drawIn(el, w, 'https://host.example/lab/');
    expect(why.textContent).not.toContain(FRAMED_THREADS);
    expect(why.children.filter((c) => c.tagName === 'a')).toEqual([]);
  });
});

describe('the Diagram SVG button', () => {
  const el = devicePage({ adapter: none, session: null, gpu: null });
  it('off with no net, on once there is one (the diagram is drawn as soon as a net is)', () => {
    updateButtons();
    expect(el('export-svg').disabled).toBe(true);
    Object.assign(page, { session });
    updateButtons();
    expect(el('export-svg').disabled).toBe(false);
  });
});
