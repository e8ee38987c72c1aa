/**
 * The lab's and the bench page's inline scripts on a browser too old for the module script (old60): a module that
 * loads but does not parse (a syntax the engine does not know) or that throws as the page starts (an API it lacks:
 * Object.hasOwn before Safari 15.4) reports to the window, never to its script element, so the script-load handler
 * alone left the lab at "Starting…" and the bench at "setting up…" for ever (seen in headless Chromium with a
 * chunk made unparsable, and with Object.hasOwn deleted before the page's scripts ran). Here each page's inline
 * script runs in a vm with a stand-in DOM and is sent the events a browser sends; the minimum versions it names
 * must be README's ("The course lab").
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** The page's inline (non-module) script: the one `<script>` without attributes. */
function inlineScript(html: string): string {
  const m = /<script>([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no inline <script> in the page');
  return m[1];
}

interface FakeElement { textContent: string; hidden: boolean; style: { display?: string } }
type Listener = (e: Record<string, unknown>) => void;

/** Runs `script` as a page at https://host/lab/ whose elements by id are `ids` (with their starting text). */
function pageWith(script: string, ids: Record<string, string>) {
  const els: Record<string, FakeElement> = {};
  for (const [id, text] of Object.entries(ids)) els[id] = { textContent: text, hidden: false, style: {} };
  const hideable = ['main', 'more', 'jump', 'skip'].map((k): FakeElement => (els[`#${k}`] = { textContent: '', hidden: false, style: {} }));
  const listeners: Record<string, Listener[]> = {};
  class HTMLScriptElement { type = 'module'; src = 'https://host/lab/assets/index-x.js'; }
  const win: Record<string, unknown> = {
    location: { protocol: 'https:', origin: 'https://host' },
    document: {
      getElementById: (id: string) => els[id] ?? null,
      querySelectorAll: () => hideable,
    },
    addEventListener: (type: string, f: Listener) => { (listeners[type] ??= []).push(f); },
    HTMLScriptElement,
    String,
  };
  win.window = win;
  runInNewContext(script, win);
  // The window as the script sees it (a vm hands back its global proxy, not the object given): an event's target.
  const self: unknown = runInNewContext('window', win);
  const send = (type: string, e: Record<string, unknown>): void => { for (const f of listeners[type] ?? []) f(e); };
  return { els, hideable, send, win: self, script: new HTMLScriptElement() };
}

const VERSIONS = /Chrome\/Edge ≥ (\d+), Safari ≥ (\d+(?:\.\d+)?) or Firefox ≥ (\d+)/;
const readmeVersions = (): string[] => {
  const m = VERSIONS.exec(read('README.md'));
  if (!m) throw new Error('README names no minimum browser versions (Chrome/Edge ≥ N, Safari ≥ N or Firefox ≥ N)');
  return m.slice(1);
};

const pages = [
  // controls: what does nothing without JavaScript (the lab's workspace and its links into it; the bench's form and
  // its progress), hidden by the <noscript> style with the state line.
  { file: 'src/lab/index.html', id: 'device-badge', start: 'Starting…', says: "This browser could not run the lab's script", hides: true, controls: ['#main', '#more', '.jump', '.skip'] },
  { file: 'src/lab/bench.html', id: 'env', start: 'setting up TF.js, jax-js and WebGPU…', says: "This browser could not run the benchmark's script", hides: false, controls: ['form', '#progress'] },
];

describe.each(pages)('$file on a browser that cannot run its module script', ({ file, id, start, says, hides }) => {
  const script = inlineScript(read(file));

  it('a module that does not parse (the window\'s error event, a SyntaxError): it says so and names the browsers that run it', () => {
    const p = pageWith(script, { [id]: start });
    p.send('error', { target: p.win, error: new SyntaxError("Unexpected token '='"), message: "Uncaught SyntaxError: Unexpected token '='", filename: 'https://host/lab/assets/engine-x.js' });
    const text = p.els[id].textContent;
    const said = `${says} (SyntaxError: Unexpected token '='): it needs `;
    expect(text.slice(0, said.length)).toBe(said);
    expect(VERSIONS.exec(text)?.slice(1)).toEqual(readmeVersions());
    // An error of the page's own on a browser that has those versions lands here too: it is told to reload and report it.
    expect(text).toMatch(/; if it is one of those already, reload, and report the error if it stays\.$/);
    if (hides) for (const el of p.hideable) expect([el.hidden, el.style.display]).toEqual([true, 'none']);
  });

  it('an API missing as the page starts (an unhandled rejection: Object.hasOwn in an async start) says the same', () => {
    const p = pageWith(script, { [id]: start });
    p.send('unhandledrejection', { reason: new TypeError('Object.hasOwn is not a function') });
    const said = `${says} (TypeError: Object.hasOwn is not a function): it needs `;
    expect(p.els[id].textContent.slice(0, said.length)).toBe(said);
  });

  it('once the page has started, and for another origin\'s error (an extension), it leaves the page alone', () => {
    const started = pageWith(script, { [id]: start });
    started.els[id].textContent = 'Training on wasm';
    started.send('error', { target: started.win, error: new TypeError('x is undefined'), filename: 'https://host/lab/assets/index-x.js' });
    started.send('unhandledrejection', { reason: new TypeError('x is undefined') });
    expect(started.els[id].textContent).toBe('Training on wasm');
    const other = pageWith(script, { [id]: start });
    other.send('error', { target: other.win, error: new SyntaxError('x'), filename: 'chrome-extension://abc/content.js' });
    expect(other.els[id].textContent).toBe(start);
    for (const el of other.hideable) expect(el.hidden).toBe(false);
  });

  it("another origin's script without CORS (an extension's injected script): its muted error, 'Script error.' with no file and no error, leaves the page alone", () => {
    // The browser hides such a script's error from the page (HTML's muted errors): message "Script error.", filename
    // "", error null. With no file to test, it passed as the page's own and hid the lab's workspace as it started.
    const p = pageWith(script, { [id]: start });
    p.send('error', { target: p.win, error: null, message: 'Script error.', filename: '', lineno: 0, colno: 0 });
    expect(p.els[id].textContent).toBe(start);
    for (const el of p.hideable) expect([el.hidden, el.style.display]).toEqual([false, undefined]);
  });

  it('a module script that did not load still says so (its element\'s error, as before)', () => {
    const p = pageWith(script, { [id]: start });
    p.send('error', { target: p.script });
    expect(p.els[id].textContent).toMatch(/^This page's script did not load \(https:\/\/host\/lab\/assets\/index-x\.js\)/);
  });
});

describe.each(pages)('$file with JavaScript switched off (a school\'s policy)', ({ file, id, controls }) => {
  const html = read(file);

  it('a <noscript> sentence says the page needs JavaScript and names README\'s browsers; a <noscript> style in the head hides the never-changing state line', () => {
    const said = /<noscript><p id="no-script"[^>]*>([^<]*)<\/p><\/noscript>/.exec(html)?.[1] ?? '';
    expect(said).toMatch(/^This (lab|page) needs JavaScript, which is switched off in this browser/);
    expect(VERSIONS.exec(said)?.slice(1)).toEqual(readmeVersions());
    const head = html.slice(0, html.indexOf('</head>'));
    const hidden = /<noscript><style>([^{<]*)\{ display: none !important; \}<\/style><\/noscript>/.exec(head)?.[1] ?? '';
    expect(hidden.split(',').map((sel) => sel.trim())).toContain(`#${id}`);
  });

  it('the same <noscript> style hides the controls that would do nothing (mut60b: the bench\'s form was not checked)', () => {
    const head = html.slice(0, html.indexOf('</head>'));
    const hidden = /<noscript><style>([^{<]*)\{ display: none !important; \}<\/style><\/noscript>/.exec(head)?.[1] ?? '';
    expect(hidden.split(',').map((sel) => sel.trim())).toEqual(expect.arrayContaining(controls));
  });
});

describe('the minimum browser versions', () => {
  it("README's are the ones both pages name", () => {
    for (const { file } of pages) expect(VERSIONS.exec(inlineScript(read(file)))?.slice(1), file).toEqual(readmeVersions());
  });
});
