/**
 * The Device & files line (#files-out) and the box a refused Share leaves under it in a frame (src/lab/file-actions.ts
 * filesLine, SHARE_BOX; copy-formula.ts copyBox), in Node on the stand-in DOM of test/lib/fake-dom.ts. The box holds
 * the link the line speaks of ("the link is selected in the box below"): it goes when another action writes the line
 * (Export spec, Import, Diagram SVG, a Share that copied) — it stayed under their lines until a new net loaded.
 * What the actions compute (the spec, the link, the files) is stubbed: only the line and the box are looked at.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabSession } from '../src/lab/session.ts';
import { FakeElement } from './lib/fake-dom.ts';

vi.mock('../src/lab/views.ts', () => ({ chart: { png: async () => new Blob(['png']) }, diagram: { shownModel: () => ({}) }, drawAll: () => {} }));
vi.mock('../src/lab/import-panel.ts', () => ({ ImportPanel: class { open(): void {} } }));
vi.mock('../src/lab/training.ts', () => ({ fitSettings: () => ({}) }));
vi.mock('../src/lab/diagram-export.ts', () => ({ diagramSvgFile: () => '<svg/>' }));
vi.mock('../src/lab/files.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/lab/files.ts')>()),
  checkFitSettings: () => undefined,
  shareLink: () => ({ fragment: 'net=abc' }),
  saveMark: () => ({}),
  ownWorked: () => undefined,
  fileBytes: async () => new Uint8Array(),
  importedData: () => ({ spec: {} }),
}));

const { page } = await import('../src/lab/page.ts');
const { filesLine, SHARE_BOX, wireFiles } = await import('../src/lab/file-actions.ts');
const { AGAIN } = await import('../src/lab/dom.ts');

/** A FakeElement that knows its parent and can remove itself (copyBox's host, shownBox's box, remove()). */
class Node extends FakeElement {
  parent: Node | null = null;
  get parentElement(): Node | null {
    return this.parent;
  }
  override append(...nodes: (FakeElement | string)[]): void {
    for (const n of nodes) if (n instanceof Node) n.parent = this;
    super.append(...nodes);
  }
  remove(): void {
    const siblings = this.parent?.children;
    if (siblings) siblings.splice(siblings.indexOf(this), 1);
    this.parent = null;
  }
}

const URL_SHARED = 'https://lab.example/lab/#net=abc';
let els: Map<string, Node>;
let row: Node;
let clipboardTakes: boolean;
const line = (): string => els.get('files-out')!.textContent ?? '';
/** Share's box under the line, or undefined. */
const box = (): FakeElement | undefined => row.children.find((c) => c.tagName === 'textarea' && c.classList.contains(SHARE_BOX));

/** A click (or change) and the action's awaits run to their end. */
async function press(id: string, type = 'click'): Promise<void> {
  els.get(id)!.dispatch(type);
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

beforeEach(() => {
  els = new Map();
  row = new Node('p');
  for (const id of ['files-out', 'open-import', 'export-spec', 'import-spec', 'share', 'export-csv', 'export-png', 'export-svg', 'output-png']) {
    const e = new Node(id === 'files-out' ? 'span' : id === 'import-spec' ? 'input' : 'button');
    e.id = id;
    els.set(id, e);
  }
  row.append(els.get('files-out')!);
  Object.assign(els.get('import-spec')!, { files: [{ name: 'net.json' }] });
  vi.stubGlobal('document', {
    getElementById: (id: string) => els.get(id) ?? null,
    createElement: (tag: string) => new Node(tag),
    body: { append: () => {}, dataset: {} },
  });
  // In a frame (self is not top), its iframe without allow="clipboard-write": the clipboard refuses, until told not to.
  vi.stubGlobal('window', { self: {}, top: {} });
  clipboardTakes = false;
  vi.stubGlobal('navigator', { clipboard: { writeText: async () => { if (!clipboardTakes) throw new DOMException('denied', 'NotAllowedError'); } } });
  vi.stubGlobal('history', { replaceState: () => {} });
  vi.stubGlobal('location', { origin: 'https://lab.example', pathname: '/lab/' });
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  page.session = { toSpec: () => ({ name: 'xor' }), lab: { batchSize: 4, spec: { name: 'xor' } } } as unknown as LabSession;
  wireFiles(async (_what, work) => { await work(); }, async () => {});
});
afterEach(() => {
  page.session = null;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("Share refused in a frame, then another action writes the Device & files line", () => {
  it('Share: the link selected in a box under the line, which says so', async () => {
    await press('share');
    expect(line()).toMatch(/selected in the box below/);
    expect(box()?.value).toBe(URL_SHARED);
    expect(box()?.wholeSelected).toBe(true);
  });

  it.each([
    ['Export spec', 'export-spec', 'click', /^Saved xor\.json: /],
    ['Diagram SVG', 'export-svg', 'click', /^Saved xor-diagram\.svg: /],
    ['Import', 'import-spec', 'change', /^Loaded net\.json\.$/],
  ])('%s: its line, and the box under the old one gone', async (_name, id, type, said) => {
    await press('share');
    expect(box()).toBeDefined();
    await press(id, type);
    expect(line()).toMatch(said);
    expect(box()).toBeUndefined();
  });

  it('a second Share that copies: its line, no box; refused again: one box, the link in it', async () => {
    await press('share');
    clipboardTakes = true;
    await press('share');
    expect(line()).toBe('Link copied: it opens the lab in a tab of its own.');
    expect(box()).toBeUndefined();
    clipboardTakes = false;
    await press('share');
    await press('share');
    expect(row.children.filter((c) => c.tagName === 'textarea')).toHaveLength(1);
    expect(box()?.value).toBe(URL_SHARED);
  });

  it('the loss curve\'s CSV and PNG write no line: the line and its box stay together', async () => {
    await press('share');
    const before = line();
    await press('export-csv');
    await press('export-png');
    expect(line()).toBe(before);
    expect(box()?.value).toBe(URL_SHARED);
  });

  it('filesLine (main.ts: a new net, a link followed while busy) empties or rewrites the line and takes the box', async () => {
    await press('share');
    filesLine('The link in the address bar opens when Train ends.');
    expect([line(), box()]).toEqual(['The link in the address bar opens when Train ends.', undefined]);
  });
});

describe('the line is a live region (aria-live): the same words again are heard again', () => {
  it('Diagram SVG pressed twice: the second line differs by a no-break space, a third is the first again; emptied: empty', async () => {
    await press('export-svg');
    const first = line();
    expect(first).toBe('Saved xor-diagram.svg: the diagram as drawn now, for slides.');
    await press('export-svg');
    expect(line()).toBe(`${first}${AGAIN}`);
    await press('export-svg');
    expect(line()).toBe(first);
    filesLine('');
    expect(line()).toBe('');
    filesLine('');
    expect(line()).toBe('');
  });
});
