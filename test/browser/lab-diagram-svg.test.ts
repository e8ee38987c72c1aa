/**
 * The lab's Diagram SVG and Output PNG downloads (src/lab/file-actions.ts, diagram-export.ts), built and served as in lab.test.ts
 * (lab-lib.ts): the lecture's 2-2-1 net after Forward, a weight selected, the page in a dark colour scheme; the file
 * saved, read back by the browser's XML parser and loaded as an <img>. The values are the lecture's published ones
 * (Mazur's worked example: z_h1 = 0.3775, a_h1 = 0.593269992, z_o1 = 1.10590597, a_o1 = 0.75136507).
 */
import { describe, expect, it } from 'vitest';
import { openLab, act, downloaded, useLab } from './lab-lib.ts';

const { downloads: DOWNLOADS } = useLab('diagram-svg');

describe('Diagram SVG', () => {
  it('saves the diagram as drawn, light and without its interactive layers, a file a browser opens at its size', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    expect(await page.$eval('#export-svg', (e) => (e as HTMLButtonElement).disabled)).toBe(false);
    await act(page, '#step-forward');
    // A weight selected on the page (a click with no place: its target's) and the page dark: neither reaches the file.
    await page.$eval('#diagram [data-param="W[1][0][1]"]', (e) => e.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(await page.$eval('#diagram [data-param="W[1][0][1]"]', (e) => e.getAttribute('aria-pressed'))).toBe('true');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const svg = (await downloaded(page, '#export-svg', 'lecture-2-2-1-diagram.svg')).toString('utf8');
    expect(await page.$eval('#files-out', (e) => e.textContent)).toBe('Saved lecture-2-2-1-diagram.svg: the diagram as drawn now, for slides.');
    const file = await page.evaluate(async (text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      const els = [...doc.querySelectorAll('*')];
      const img = new Image();
      const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
      img.src = url;
      const decoded = await img.decode().then(() => 'decoded', (e: unknown) => String(e));
      URL.revokeObjectURL(url);
      // Drawn on a canvas at its size: the top-left pixel is the file's background.
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        root: [root.namespaceURI, root.localName, root.getAttribute('width'), root.getAttribute('height'), root.getAttribute('viewBox')],
        title: doc.querySelector('svg > title')?.textContent,
        attrs: [...new Set(els.flatMap((e) => e.getAttributeNames()))].filter((a) => /^(class|id|style|tabindex|role|cursor|pointer-events)$|^aria-|^data-|^on/.test(a)),
        titles: doc.querySelectorAll('title').length,
        texts: [...doc.querySelectorAll('text:not([stroke])')].map((t) => t.textContent),
        opacities: [...new Set([...doc.querySelectorAll('line[stroke-opacity]')].map((l) => l.getAttribute('stroke-opacity')))],
        fills: [...new Set([...doc.querySelectorAll('circle, rect')].map((e) => e.getAttribute('fill')))].sort(),
        decoded,
        natural: [img.naturalWidth, img.naturalHeight],
        corner: [...ctx.getImageData(0, 0, 1, 1).data],
      };
    }, svg);
    expect(file.errors).toBe(0);
    const [ns, tag, width, height, viewBox] = file.root;
    expect([ns, tag]).toEqual(['http://www.w3.org/2000/svg', 'svg']);
    expect(viewBox).toBe(`0 0 ${width} ${height}`);
    expect(file.title).toBe('lecture-2-2-1: 2-2-1 net, example 1 of 1');
    expect(file.attrs).toEqual([]);
    expect(file.titles).toBe(1);
    // The Forward's values as on the screen: h1's z and a, o1's a (Mazur's), in the diagram's 4 decimals.
    expect(file.texts).toEqual(expect.arrayContaining(['z 0.3775', 'a 0.5933', 'z 1.1059', 'a 0.7514', 'w6']));
    // Nothing selected (the selected weight is drawn opaque, the others at 0.85), and light: white and light grey.
    expect(file.opacities).toEqual(['0.85']);
    expect(file.fills).toEqual(['#f3f4f6', '#ffffff']);
    expect(file.decoded).toBe('decoded');
    expect(file.natural).toEqual([Number(width), Number(height)]);
    expect(file.corner).toEqual([255, 255, 255, 255]);
    expect(errors).toEqual([]);
  });

  it('Output PNG: the lecture net\'s ŷ-against-y plot as drawn, light in a dark page, a PNG at the canvas\'s pixel size', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    // The plot on the page redrawn dark (palette.ts DARK's plot background #111827 = 17, 24, 39).
    await page.waitForFunction(() => {
      const c = document.querySelector<HTMLCanvasElement>('#fit-plot')!;
      return !c.hidden && c.getContext('2d')!.getImageData(1, 1, 1, 1).data[0] < 64;
    });
    expect(await page.$eval('#output-png', (e) => (e as HTMLButtonElement).disabled)).toBe(false);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const png = await downloaded(page, '#output-png', 'lecture-2-2-1-output.png');
    expect(await page.$eval('#files-out', (e) => e.textContent)).toBe('Saved lecture-2-2-1-output.png: the Output\'s plot as drawn now, for slides.');
    // PNG's signature, then the file decoded in the page at the page canvas's size, its corner LIGHT's white.
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const file = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const img = new Image();
      const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
      img.src = url;
      await img.decode();
      URL.revokeObjectURL(url);
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const onPage = document.querySelector<HTMLCanvasElement>('#fit-plot')!;
      return {
        natural: [img.naturalWidth, img.naturalHeight],
        pageSize: [onPage.width, onPage.height],
        corner: [...ctx.getImageData(1, 1, 1, 1).data],
        pageCorner: [...onPage.getContext('2d')!.getImageData(1, 1, 1, 1).data],
      };
    }, png.toString('base64'));
    expect(file.natural).toEqual(file.pageSize);
    expect(file.corner).toEqual([255, 255, 255, 255]);
    // The page's own canvas is still dark after the export (drawn offscreen, not redrawn on the page).
    expect(file.pageCorner).toEqual([17, 24, 39, 255]);
    expect(errors).toEqual([]);
  });
});
