/**
 * The course lab for a reader who spaces text out or sets a larger font (spacing62): the WCAG 2.2 SC 1.4.12 text
 * spacing (line-height 1.5, paragraph spacing 2 em, letter-spacing 0.12 em, word-spacing 0.16 em: the "text spacing
 * bookmarklet", as a user stylesheet present from the page's start) and Chrome's "Very large" default font (24 px,
 * 20 px fixed; CDP Page.setFontSizes: text grows, px boxes do not, unlike a zoom). Measured, not looked at: no text
 * cut by a box that hides its overflow (its own or an ancestor's), no region or panel scrolling sideways, no two
 * controls on top of each other (where each is seen: a region's scrolled-away part is not), no number field showing
 * less than its number. Built and served as in lab.test.ts (lab-lib.ts); screenshots to test-artifacts/lab/.
 * KaTeX's insides are left out (its MathML copy is hidden by design; the formulas scroll sideways in their box).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { openLab, act, choosePreset, shot, useLab } from './lab-lib.ts';

useLab('text-spacing');

/** The bookmarklet's rules (WCAG 2.2 Understanding SC 1.4.12), !important as a reader's stylesheet is. */
const SPACING = '*{line-height:1.5!important;letter-spacing:0.12em!important;word-spacing:0.16em!important}p{margin-bottom:2em!important}';

/** Before the page loads: the 24 px default font (`font`) and the spacing stylesheet, in from the document's start. */
const reader = (font: boolean) => async (p: Page) => {
  if (font) {
    const cdp = await p.createCDPSession();
    await cdp.send('Page.enable');
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 24, fixed: 20 } });
  }
  await p.evaluateOnNewDocument((rule: string) => {
    const add = () => { const s = document.createElement('style'); s.textContent = rule; document.documentElement.append(s); };
    if (document.documentElement) add();
    else new MutationObserver((_, o) => { if (document.documentElement) { o.disconnect(); add(); } }).observe(document, { childList: true });
  }, SPACING);
};

/**
 * What the page loses, each as `kind element`: `cut` text (or a field's value) past a box that hides its overflow,
 * `sideways` a region, panel, open dialog, the header or the tabs wider than its box, `overlap` two controls whose
 * seen parts (each clipped by its scrolling ancestors) meet by more than 1 px; inside an open modal dialog, its own
 * controls only (the page under it is inert). After two frames.
 */
const losses = (page: Page) => page.evaluate(async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} "${(e.textContent || (e as HTMLInputElement).value || '').replace(/\s+/g, ' ').trim().slice(0, 30)}"`;
  const shown = (e: Element) => {
    const r = e.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.visually-hidden, [hidden]');
  };
  const hides = (v: string) => v === 'hidden' || v === 'clip';
  const out: string[] = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e instanceof SVGElement || e.closest('.katex') || !shown(e)) continue;
    const field = e instanceof HTMLInputElement || e instanceof HTMLSelectElement || e instanceof HTMLButtonElement;
    if (!field && ![...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
    const h = e as HTMLElement;
    const s = getComputedStyle(e);
    // A field's value (an input's inner editor scrolls; what is past its width is not seen).
    if ((e instanceof HTMLInputElement || hides(s.overflowX)) && h.scrollWidth > h.clientWidth + 1) out.push(`cut ${name(e)} ${h.scrollWidth} > ${h.clientWidth} wide`);
    if (hides(s.overflowY) && h.scrollHeight > h.clientHeight + 1) out.push(`cut ${name(e)} ${h.scrollHeight} > ${h.clientHeight} tall`);
    const r = e.getBoundingClientRect();
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const ps = getComputedStyle(p);
      const c = p.getBoundingClientRect();
      if ((hides(ps.overflowX) && (r.left < c.left - 1 || r.right > c.right + 1)) || (hides(ps.overflowY) && (r.top < c.top - 1 || r.bottom > c.bottom + 1)))
        out.push(`cut ${name(e)} by ${name(p)}`);
    }
  }
  for (const e of document.querySelectorAll('.region, .panel, dialog[open], .top, .tabs')) {
    const h = e as HTMLElement;
    if (shown(e) && h.scrollWidth > h.clientWidth + 1) out.push(`sideways ${name(e)} ${h.scrollWidth} > ${h.clientWidth}`);
  }
  const seen = (e: Element) => {
    let { left, top, right, bottom } = e.getBoundingClientRect();
    for (let p = e.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflow === 'visible') continue;
      const c = p.getBoundingClientRect();
      left = Math.max(left, c.left); top = Math.max(top, c.top); right = Math.min(right, c.right); bottom = Math.min(bottom, c.bottom);
    }
    return { left, top, right, bottom };
  };
  const scope = document.querySelector('dialog[open]') ?? document;
  const controls = [...scope.querySelectorAll('button, input:not([type=file]), select, a[href], label, summary, [role=tab]')].filter(shown);
  for (let i = 0; i < controls.length; i++) for (let j = i + 1; j < controls.length; j++) {
    const a = controls[i]!, b = controls[j]!;
    if (a.contains(b) || b.contains(a)) continue;
    const p = seen(a), q = seen(b);
    if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1 && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1) out.push(`overlap ${name(a)} ${name(b)}`);
  }
  return out;
});

/** Every number field of the Training region and the layers table with the longest number it was sized for. */
const LONG: [string, string][] = [['#fit-lr', '0.000125'], ['#fit-epochs', '10000'], ['#fit-batch', '4096'], ['#train-steps', '100000'], ['#layer-0-units', '4096']];
const longNumbers = (page: Page) => page.evaluate((long) => long.map(([sel, v]) => {
  const i = document.querySelector(sel) as HTMLInputElement;
  i.value = v;
  return `${sel} ${i.scrollWidth <= i.clientWidth + 1 ? 'whole' : `cut (${i.scrollWidth} > ${i.clientWidth})`}`;
}), LONG);

/** Where the empty Loss chart's line ends: its last column of ink in the middle band, and the canvas's width (device px). */
const lossLineEnd = (page: Page) => page.$eval('#loss-chart', (e) => {
  const c = e as HTMLCanvasElement;
  const d = c.getContext('2d')!.getImageData(0, Math.round(c.height * 0.3), c.width, Math.round(c.height * 0.4)).data;
  let last = -1;
  for (let i = 0; i < d.length; i += 4) if (d[i]! < 200) last = Math.max(last, (i / 4) % c.width);
  return { last, width: c.width };
});

describe('the lab with a text-spacing stylesheet and a large default font', () => {
  it('WCAG 1.4.12 spacing, 1280 × 800: nothing cut or sideways, no control on another, every number whole', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', reader(false));
    // The empty Loss chart's canvas text takes the spacing too: its one line ran past the canvas's right edge.
    const end = await lossLineEnd(page);
    expect(end.last).toBeGreaterThan(0);
    expect(end.last).toBeLessThan(end.width - 4);
    expect(await losses(page)).toEqual([]);
    // MNIST: its confusion matrix was 341 px in the Output region's 338 (the region scrolled sideways).
    await choosePreset(page, 'mnist');
    await act(page, '#step-forward');
    await shot(page, 'text-spacing-mnist');
    expect(await losses(page)).toEqual([]);
    await choosePreset(page, 'xor');
    await act(page, '#train');
    await page.$eval('#editor-box', (e) => { (e as HTMLDetailsElement).open = true; });
    // "0.000125" read "0.00012", 10000 "1000" in the fields sized to show them at the normal spacing.
    expect(await longNumbers(page)).toEqual(LONG.map(([sel]) => `${sel} whole`));
    expect(await losses(page)).toEqual([]);
    await page.$eval('#open-import', (e) => (e as HTMLElement).click());
    await page.waitForSelector('dialog[open]');
    expect(await losses(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('24 px default font and the spacing: 1280 × 800 in the one column, 1920 × 1080 wide, nothing lost', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', reader(true));
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('24px');
    // The layout's break is 80 em: text half as large again stacks the regions at 1280 as a 150 % zoom does (in the
    // wide layout the Network region kept 16 px of the diagram, and MNIST's caption was cut by the diagram's box).
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--lab-columns').trim())).toBe('one');
    await choosePreset(page, 'mnist');
    await act(page, '#step-forward');
    await shot(page, 'text-spacing-24px-mnist');
    expect(await losses(page)).toEqual([]);
    // 1920 × 1080 is wide at 24 px: the Data column's fields (8 em boxes beside their names) ran 16 px past it, and
    // MNIST's matrix 98 px past the Output column.
    await page.setViewport({ width: 1920, height: 1080 });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--lab-columns').trim())).toBe('');
    expect(await losses(page)).toEqual([]);
    await choosePreset(page, 'xor');
    await act(page, '#train');
    await page.$eval('#editor-box', (e) => { (e as HTMLDetailsElement).open = true; });
    await shot(page, 'text-spacing-24px-wide-editor');
    // The layers table (449 px) scrolls sideways in its 211 px box, by design; its caption stays in the box's view,
    // wrapped to it (as wide as the table, its sentence ran on under the box's edge: "… fixed by the data").
    expect(await page.$eval('.layers-box', (box) => {
      const b = box.getBoundingClientRect(), c = box.querySelector('caption')!.getBoundingClientRect();
      return { scrolls: box.scrollWidth > box.clientWidth, captionInView: c.right <= b.right + 0.5 };
    })).toEqual({ scrolls: true, captionInView: true });
    expect(await longNumbers(page)).toEqual(LONG.map(([sel]) => `${sel} whole`));
    expect(await losses(page)).toEqual([]);
    for (const tab of ['tab-checks', 'tab-surface', 'tab-files']) {
      await page.$eval(`#${tab}`, (e) => (e as HTMLElement).click());
      expect(await losses(page)).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
});
