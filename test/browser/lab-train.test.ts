/**
 * The course lab's training on its built, served page (as lab.test.ts: ./site.ts builds it once a run), in the shared
 * headless Chromium: Train on the circle preset (the loss falls, the curve and the boundary are drawn, what the
 * screen reader is told) and MNIST in mini-batches with its confusion matrix. Moved out of lab.test.ts (695 lines).
 * Screenshots go to test-artifacts/lab/ (git-ignored).
 */
import type { SerializedAXNode } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { NEGATIVE, POSITIVE } from '../../src/lab/diagram-model.ts';
import { openLab, act, idle, text, shot, downloaded, useLab } from './lab-lib.ts';

const { downloads: DOWNLOADS } = useLab('train');
describe('the course lab trains', () => {
  it('trains 200 steps: the loss falls and the curve is drawn; the boundary is drawn', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=circle');
    const blank = await page.$eval('#loss-chart', (c) => (c as HTMLCanvasElement).toDataURL());
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '200'; });
    // The line under the bar changes every chunk: marked aria-busy meanwhile, so a screen reader reads the summary
    // once at the end, not each chunk's line.
    await page.$eval('#train-out', (e) => {
      const seen: string[] = [];
      (window as unknown as { trainOutSeen: string[] }).trainOutSeen = seen;
      new MutationObserver((records) => {
        for (const r of records) seen.push(r.type === 'attributes' ? `busy ${e.getAttribute('aria-busy')}` : `text while ${e.getAttribute('aria-busy') ?? 'idle'}`);
      }).observe(e, { attributes: true, attributeFilter: ['aria-busy'], childList: true, characterData: true, subtree: true });
    });
    // The stage line while a run goes says so: it kept the load's '… (a preset). Press Forward.' until the run ended,
    // Forward off meanwhile. Each text it had while the page was busy, and the run's name then.
    await page.$eval('#stage-out', (e) => {
      const seen: string[] = [];
      (window as unknown as { stageSeen: string[] }).stageSeen = seen;
      new MutationObserver(() => { if (document.body.dataset.busy) seen.push(`${document.body.dataset.busy}: ${e.textContent}`); })
        .observe(e, { childList: true, characterData: true, subtree: true });
    });
    const stageSeen = () => page.evaluate(() => [...new Set((window as unknown as { stageSeen: string[] }).stageSeen)]);
    // From the keyboard: Train turns off while it runs, and focus on it dropped to the page; it goes to Stop (the one
    // control on), then back to Train.
    await page.$eval('#stop', (e) => e.addEventListener('focus', () => { (window as unknown as { stopFocused: boolean }).stopFocused = true; }));
    await page.focus('#train');
    await page.keyboard.press('Enter');
    await idle(page);
    expect(await page.evaluate(() => [(window as unknown as { stopFocused?: boolean }).stopFocused, document.activeElement?.id])).toEqual([true, 'train']);
    const seen = await page.evaluate(() => [...new Set((window as unknown as { trainOutSeen: string[] }).trainOutSeen)]);
    expect(seen).toEqual(['busy true', 'text while true', 'busy null', 'text while idle']);
    // The run's line, then (the run's end, still busy) the summary's; no 'Press Forward' before the run ended.
    const device = await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend);
    const where = device === 'webgpu' ? 'WebGPU' : device === 'wasm' ? 'WebAssembly SIMD' : 'the CPU';
    expect(await stageSeen()).toEqual([
      `Train: Training 200 steps on ${where}: Forward and the other steps wait until the run ends (Stop ends it early).`,
      'Train: Trained 200 steps in all. Press Forward to see the new weights at work on an example.',
    ]);
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await page.$eval('#train-progress', (e) => (e as HTMLProgressElement).value)).toBe(200);
    expect(await page.$eval('#loss-chart', (c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(blank);
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(/\d+ points, step 0 loss .* to step 199 loss/);
    // The chart names the backend that trained, as the badge does (wasm here: SwiftShader's WebGPU is slower).
    const backend = await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend);
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(new RegExp(`^Loss curve on ${backend === 'webgpu' ? 'WebGPU' : backend === 'wasm' ? 'wasm' : 'CPU'}:`));
    expect(await page.$eval('#boundary-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await text(page, '#boundary-out')).toMatch(/accuracy/);
    await shot(page, 'train-circle');
    // The page as a screen reader gets it (the accessibility tree, after training): every control, the diagram's
    // weights and biases and the canvases have a name; the workspace's headings are its regions' own (the Loss
    // heading read "Loss log scale", its checkbox inside the h2), and no heading skips a level.
    const ax = await page.accessibility.snapshot({ interestingOnly: false });
    const NAMED = new Set(['button', 'link', 'checkbox', 'radio', 'combobox', 'listbox', 'spinbutton', 'textbox', 'slider', 'tab', 'DisclosureTriangle', 'image']);
    const unnamed: string[] = [];
    const doubled: string[] = [];
    const headings: [number, string][] = [];
    const walk = (n: SerializedAXNode) => {
      if (NAMED.has(n.role) && !(n.name ?? '').trim()) unnamed.push(`${n.role} ${String(n.value ?? '')}`);
      // A description that repeats the name is read twice (the diagram's buttons and units, named by an aria-label
      // and described by their <title>, the same words).
      if (n.description && n.description === n.name) doubled.push(`${n.role} ${n.name}`);
      if (n.role === 'heading') headings.push([n.level ?? 0, n.name ?? '']);
      n.children?.forEach(walk);
    };
    walk(ax!);
    expect(unnamed).toEqual([]);
    expect(doubled).toEqual([]);
    expect(headings.slice(0, 6)).toEqual([[1, 'backprop-webgpu lab'], [2, 'Data'], [2, 'Network'], [2, 'Training'], [2, 'Loss'], [2, 'What the net learned']]);
    headings.forEach(([level], k) => expect(level, headings[k][1]).toBeLessThanOrEqual(k === 0 ? 1 : headings[k - 1][0] + 1));
    // The tabs' h3s sit under the tabs' own heading (an h2), not under "What the net learned": the nearest heading
    // above each of a lower level.
    const parentOf = (name: string) => {
      const k = headings.findIndex(([, n]) => n === name);
      expect(k, name).toBeGreaterThan(0);
      return headings.slice(0, k).reverse().find(([level]) => level < headings[k][0]);
    };
    for (const h3 of ['Scalar chain rule', 'Matrix form']) expect(parentOf(h3), h3).toEqual([2, 'Notation, lecture checks, loss surface, device and files']);
    // The device badge is named by the text it shows (its title, the backend's full description, named it) and
    // described by that title.
    const badgeAx = await page.accessibility.snapshot({ root: (await page.$('#device-badge'))!, interestingOnly: false });
    const badgeShown = await page.$eval('#device-badge', (e) => ({ text: (e as HTMLElement).innerText, title: (e as HTMLElement).title }));
    expect(badgeShown.text).toMatch(/^Training on /);
    expect(badgeShown.title).not.toBe(badgeShown.text);
    expect([badgeAx?.role, badgeAx?.name, badgeAx?.description]).toEqual(['status', badgeShown.text, badgeShown.title]);
    // A weight focused from the keyboard has a ring (WCAG 2.2 focus appearance): its band under the line, opaque,
    // ≥ 2 px each side on screen, ≥ 3:1 against white and against both edge colours (relative luminance and
    // contrast ratio as WCAG 2 defines them).
    const ring = await page.$eval('#diagram [data-param="W[0][0][0]"]', (g) => {
      (g as SVGGElement).focus();
      const hit = g.querySelector('.nd-edge-hit')!;
      const line = g.querySelector('.nd-edge-line')!;
      const m = (g as SVGGElement).getScreenCTM()!;
      const [h, l] = [getComputedStyle(hit), getComputedStyle(line)];
      const out = {
        focusVisible: g.matches(':focus-visible'), stroke: h.stroke, opacity: Number(h.strokeOpacity),
        under: Boolean(hit.compareDocumentPosition(line) & Node.DOCUMENT_POSITION_FOLLOWING),
        sidePx: ((parseFloat(h.strokeWidth) - parseFloat(l.strokeWidth)) / 2) * Math.hypot(m.a, m.b),
      };
      (g as SVGGElement).blur();
      return out;
    });
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    expect(ring.focusVisible).toBe(true);
    expect(ring.under, 'the ring is drawn under the line').toBe(true);
    expect(ring.opacity).toBe(1);
    const rgb = ring.stroke.match(/^rgb\((\d+), (\d+), (\d+)\)$/);
    expect(rgb, ring.stroke).not.toBeNull();
    const ringHex = `#${rgb!.slice(1).map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
    for (const next of ['#ffffff', POSITIVE, NEGATIVE]) expect(contrast(ringHex, next), `${ringHex} against ${next}`).toBeGreaterThanOrEqual(3);
    expect(ring.sidePx).toBeGreaterThanOrEqual(2);
    // Its ring on top of every other weight: w2 (x2 → h1) is crossed by weights drawn after it (x1 → h2 …), which hid its
    // band where they crossed. A copy of it (.nd-focus, no clicks, aria-hidden) follows every weight in the DOM, shown
    // while it is focus-visible, with the ring's stroke; the focused element itself stays where it is.
    const onTop = await page.$eval('#diagram', (host) => {
      const g = host.querySelector<SVGGElement>('[data-param="W[0][0][1]"]')!;
      const seg = (l: Element) => ['x1', 'y1', 'x2', 'y2'].map((a) => Number(l.getAttribute(a)));
      const [ax, ay, bx, by] = seg(g.querySelector('.nd-edge-line')!);
      const side = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) => Math.sign((qx - px) * (ry - py) - (qy - py) * (rx - px));
      const edges = [...host.querySelectorAll('.nd-edge')];
      const crossedBy = edges.slice(edges.indexOf(g) + 1).filter((e) => {
        const [cx, cy, dx, dy] = seg(e.querySelector('.nd-edge-line')!);
        return side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) < 0 && side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) < 0;
      }).length;
      const layer = host.querySelector('.nd-focus')!;
      const shown = () => getComputedStyle(layer).display !== 'none';
      const hiddenBefore = !shown();
      g.focus();
      const hit = layer.querySelector('.nd-edge-hit');
      const h = hit && getComputedStyle(hit);
      const out = {
        crossedBy: crossedBy > 0, hiddenBefore, focusVisible: g.matches(':focus-visible'), active: document.activeElement === g, shown: shown(),
        afterEveryWeight: edges.every((e) => Boolean(e.compareDocumentPosition(layer) & Node.DOCUMENT_POSITION_FOLLOWING)),
        ariaHidden: layer.getAttribute('aria-hidden'), clicks: h?.pointerEvents, stroke: h?.stroke, width: h?.strokeWidth,
        same: hit ? seg(hit).join() === [ax, ay, bx, by].join() : false,
      };
      g.blur();
      return { ...out, hiddenAfter: !shown() };
    });
    expect(onTop).toEqual({
      crossedBy: true, hiddenBefore: true, focusVisible: true, active: true, shown: true, afterEveryWeight: true, ariaHidden: 'true', clicks: 'none',
      stroke: ring.stroke, width: '16px', same: true, hiddenAfter: true,
    });
    // Drawn again with the weight still focused (Enter selects it: the diagram is redrawn, a new SVG): the new layer
    // holds the copy of the weight focused now, at its line.
    await page.$eval('#diagram [data-param="W[0][0][1]"]', (g) => (g as SVGGElement).focus());
    await page.keyboard.press('Enter');
    const redrawn = await page.$eval('#diagram', (host) => {
      const g = document.activeElement!;
      const seg = (l: Element | null) => (l ? ['x1', 'y1', 'x2', 'y2'].map((a) => l.getAttribute(a)).join() : null);
      const layer = host.querySelector('.nd-focus')!;
      const out = {
        focused: g.getAttribute('data-param'), selected: g.classList.contains('selected'), shown: getComputedStyle(layer).display !== 'none',
        copies: layer.querySelectorAll('.nd-edge-hit').length, same: seg(layer.querySelector('.nd-edge-line')) === seg(g.querySelector('.nd-edge-line')),
      };
      (g as SVGGElement).blur();
      return out;
    });
    expect(redrawn).toEqual({ focused: 'W[0][0][1]', selected: true, shown: true, copies: 1, same: true });
    // The page's focus ring, ≥ 3:1 against the background it is drawn on: the Train button on its light panel, the
    // Benchmark link on the dark header (the light amber ring was 2.1:1 on the panels).
    const outlines = await page.evaluate(() => ['#train', '#bench-link'].map((sel) => {
      const e = document.querySelector(sel) as HTMLElement;
      e.focus();
      const visible = e.matches(':focus-visible');
      const ring = getComputedStyle(e).outlineColor;
      let under: Element | null = e.parentElement;
      while (under && getComputedStyle(under).backgroundColor === 'rgba(0, 0, 0, 0)') under = under.parentElement;
      e.blur();
      return { sel, visible, ring, bg: under ? getComputedStyle(under).backgroundColor : 'rgb(255, 255, 255)' };
    }));
    const hexOf = (css: string) => `#${css.match(/\d+/g)!.slice(0, 3).map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
    for (const o of outlines) {
      expect(o.visible, o.sel).toBe(true);
      expect(contrast(hexOf(o.ring), hexOf(o.bg)), `${o.sel}: ${o.ring} on ${o.bg}`).toBeGreaterThanOrEqual(3);
    }
    // The curve as CSV (one row per chunk: the first, of one step, is the loss before training; the last ends at
    // step 199) and as a PNG.
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const csv = await downloaded(page, '#export-csv', 'circle-2-8-1-loss.csv');
    const rows = csv.toString('utf8').trim().split('\n');
    expect(rows[0]).toBe('step,loss');
    expect(rows[1].split(',')[0]).toBe('0');
    expect(Number(rows[1].split(',')[1])).toBeCloseTo(first, 6);
    const end = rows[rows.length - 1].split(',');
    expect(end[0]).toBe('199');
    expect(Number(end[1])).toBeCloseTo(last, 6);
    const png = await downloaded(page, '#export-png', 'circle-2-8-1-loss.png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await shot(page, 'boundary-circle', '#boundary-box');
    // The chain rule works example 1 path by path; with another example chosen for the diagram, its note says so (it
    // showed example 1's factors beside the diagram's example 2, unsaid).
    expect(await text(page, '#explain .explain-note')).toBe('Every path is worked for example 1, examples 2 … 4 by their totals, the other 196 in the sum.');
    await page.select('#example', '1');
    expect(await text(page, '#explain .explain-note')).toBe('Every path is worked for example 1, examples 2 … 4 by their totals, the other 196 in the sum (the diagram shows example 2).');
    // The loss surface over the output layer's first two weights, with the path those 200 steps took.
    await page.click('#tab-surface');
    await act(page, '#surface-draw');
    expect(await text(page, '#surface-out')).toMatch(/in a background worker/);
    expect(await text(page, '#surface')).toMatch(/the orange line is the path training took/);
    await shot(page, 'surface-path', '#surface-box');
    // A held Enter on Train: the focus goes to Stop while the run goes and the key's auto-repeat lands there (it
    // stopped the run at once); a repeated key does not press Stop, a fresh press does. So with Space: held since
    // before the Enter (Train pressed only on its release), its auto-repeat lands on Stop too, and its release there
    // presses nothing.
    await page.$eval('#stop', (stop) => {
      const seen: string[] = [];
      (window as unknown as { stopSeen: string[] }).stopSeen = seen;
      stop.addEventListener('keydown', (e) => seen.push(`${(e as KeyboardEvent).repeat ? 'repeat ' : ''}${(e as KeyboardEvent).key} in ${document.body.dataset.busy}`));
      stop.addEventListener('click', () => seen.push(`click in ${document.body.dataset.busy}`));
    });
    const stopSeen = () => page.evaluate(() => (window as unknown as { stopSeen: string[] }).stopSeen);
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '100000'; });
    await page.focus('#train');
    // puppeteer sends a key down again before its up as an auto-repeat (KeyboardEvent.repeat).
    await page.keyboard.down(' ');
    for (let k = 0; k < 3; k++) await page.keyboard.down('Enter');
    await page.keyboard.down(' ');
    await page.keyboard.up(' ');
    await page.keyboard.up('Enter');
    const held = ['repeat Enter in Train', 'repeat Enter in Train', 'repeat   in Train'];
    expect(await stopSeen()).toEqual(held);
    await page.keyboard.press('Enter');
    await idle(page);
    expect(await stopSeen()).toEqual([...held, 'Enter in Train', 'click in Train']);
    expect(await text(page, '#train-out')).toMatch(/^\d+ steps? of SGD .* \(stopped\): loss /);
    // Stop pressed once the last chunk or epoch has run (its progress line just written, the summary not yet) stops
    // nothing: the summary said '20 steps … (stopped)' although all 20 ran. So for a Fit's last epoch.
    await page.$eval('#train-out', (out) => new MutationObserver(() => {
      if (/^(Training on .*: step (\d+) of \2,|Fit on .*: epoch (\d+) of \3,)/.test(out.textContent ?? '')) (document.getElementById('stop') as HTMLButtonElement).click();
    }).observe(out, { childList: true, characterData: true, subtree: true }));
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '20'; });
    await act(page, '#train');
    expect(await text(page, '#train-out')).toMatch(/^20 steps of SGD \(η = [^)]*\) on .* in [\d.]+ s: loss /);
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '3'; });
    await act(page, '#fit');
    expect(await stopSeen()).toEqual([...held, 'Enter in Train', 'click in Train', 'click in Train', 'click in Fit']);
    expect(await text(page, '#train-out')).toMatch(/^3 epochs of .* in [\d.]+ s: loss .* before → /);
    expect(await text(page, '#stage-out')).toMatch(/^Fitted 3 epochs\./);
    expect((await stageSeen()).filter((t) => t.startsWith('Fit: '))).toEqual([
      `Fit: Fitting 3 epochs on ${where}: Forward and the other steps wait until the run ends (Stop ends it early).`,
      'Fit: Fitted 3 epochs. Press Forward to see the new weights at work on an example.',
    ]);
    expect(errors).toEqual([]);
  });

  it('trains MNIST in mini-batches and shows the confusion matrix', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=mnist');
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '30'; });
    // A keyboard user on the Expand toggle keeps the focus through a Train's redraws (each made the toggle anew and
    // dropped the focus to the page: review38c).
    await page.focus('#diagram .strip-toggle');
    await act(page, '#train');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('strip-toggle'))).toBe(true);
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await page.$$eval('#confusion table tbody tr', (r) => r.length)).toBe(10);
    // The corner header on one line (it wrapped to four in 3.5em), and the table still inside its box.
    const corner = await page.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('#confusion .confusion-corner')!);
      const box = document.getElementById('confusion')!;
      return { lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, scroll: box.scrollWidth, width: box.clientWidth };
    });
    expect(corner.lines, 'lines of the corner header').toBe(1);
    expect(corner.scroll).toBeLessThanOrEqual(corner.width);
    // Update moves on to the next mini-batch; the views keep showing the one the step used, so the
    // backend's dW entry and the scalar chain rule on those 100 digits agree.
    await act(page, '#step-update');
    const check = await text(page, '#explain');
    expect(check).toMatch(/✓ the same number/);
    expect(check).not.toMatch(/✗/);
    // The three matrices side by side fit their boxes at 1280 × 800: KaTeX's tall parentheses (δ₂ is 10 × 100) reach
    // 2 px past a formula's box, and each got a scroll bar of its own for those 2 px, under it (vis58c).
    const scrolled = await page.$$eval('#explain .katex-display, #explain .explain-tex', (els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => `${e.className} ${e.scrollWidth} > ${e.clientWidth}`));
    expect(scrolled).toEqual([]);
    // After the Update the diagram shows that pass: the digit, the hidden strip coloured by its activations.
    expect(await page.$eval('#diagram .nd-strip:not(.nd-image) > title', (e) => e.textContent)).toMatch(/activations a for example 1, from/);
    await shot(page, 'mnist-trained');
    await page.$eval('#mnist-box', (e) => e.scrollIntoView());
    await shot(page, 'mnist-confusion', '#mnist-box');
    expect(errors).toEqual([]);
  });

  it("fits MNIST with early stop on its held-out digits: the Fit line gives their loss, the stop, and the confusion matrix's caption names them", async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=mnist');
    expect(await page.$eval('#fitstop-es', (e) => (e as HTMLElement).hidden)).toBe(false);
    // The panel's Adam (lr 0.01, batch 100) for up to 60 epochs, patience 3: the held-out digits' loss stops falling well
    // before (README "The course lab", Fit: lowest at epoch 11 of the wasm run in Node).
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '60'; });
    await page.$eval('#fit-patience', (e) => { (e as HTMLInputElement).value = '3'; });
    await page.$eval('#fit-restore', (e) => { (e as HTMLInputElement).checked = true; });
    await act(page, '#fit');
    expect(await text(page, '#train-out')).toMatch(/ \(stopped early: the validation loss did not improve for 3 epochs after epoch (\d+); the net holds epoch \1, the best\): loss .*; validation loss [0-9.]+, accuracy [0-9.]+ %\.$/);
    expect(await page.$eval('#confusion caption', (e) => e.textContent)).toMatch(/^Accuracy [0-9.]+ % \(\d+ of 200 held-out digits, Fit's validation set\)\./);
    expect(errors).toEqual([]);
  });
});
