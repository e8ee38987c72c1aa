/**
 * The device panel's page on the stand-in DOM of ./fake-dom.ts (src/lab/device-panel.ts drawDevice, updateButtons,
 * wireDevice read their elements by id): each element made on first use — an input for the backend radios, the
 * Preset menu, the spec import and the surface's switch, else a p — with the notice hidden; `document` (a started page),
 * HTMLLabelElement and ResizeObserver stubbed, and `page` (src/lab/page.ts) set to `start` before each test and put
 * back after. Called inside a describe: it installs its beforeEach and afterEach there.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { page } from '../../src/lab/page.ts';
import { FakeElement, fakeDocument } from './fake-dom.ts';

const INPUTS = new Set(['preset', 'import-spec', 'surface-soft']);

export function devicePage(start: Partial<typeof page>): (id: string) => FakeElement {
  const els = new Map<string, FakeElement>();
  const el = (id: string): FakeElement => {
    if (!els.has(id)) {
      const e = new FakeElement(id.startsWith('backend-') || INPUTS.has(id) ? 'input' : 'p');
      e.id = id;
      els.set(id, e);
    }
    return els.get(id)!;
  };
  const saved = { ...page };
  beforeEach(() => {
    els.clear();
    el('notice').hidden = true;
    vi.stubGlobal('document', {
      ...fakeDocument, body: { dataset: { ready: 'true' } }, activeElement: null,
      getElementById: el, querySelectorAll: () => [], addEventListener: () => undefined,
    });
    vi.stubGlobal('HTMLLabelElement', class {});
    vi.stubGlobal('ResizeObserver', class { observe(): void {} });
    Object.assign(page, start);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    Object.assign(page, saved);
  });
  return el;
}
