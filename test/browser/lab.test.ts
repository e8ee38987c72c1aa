/**
 * The course lab (src/lab/) on the lecture net, built with `vite build --mode lab` (once per run, ./site.ts) and served
 * by `vite preview`, driven in the shared headless Chromium (WebGPU on SwiftShader here): opening on the 2-2-1 lecture
 * net, stepping forward, loss, backward and update, the presets, training, MNIST. Devices, files and share links are
 * in lab-devices.test.ts, the workspace in lab-workspace.test.ts; what they share in lab-lib.ts. Expected numbers come
 * from the lecture's own transcription (src/lectures/lecture-2-2-1.worked.json: what the lecture printed), never
 * from the lab. Screenshots of the main views go to test-artifacts/lab/ (git-ignored).
 */
import type { KeyInput, Page, SerializedAXNode } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { lecture } from '../../src/lectures/index.ts';
import { PRESETS } from '../../src/lab/presets.ts';
import { NEGATIVE, POSITIVE } from '../../src/lab/diagram-model.ts';
import { shows, openLab, act, idle, choosePreset, text, errorNotice, tex, shot, downloaded, useLab } from './lab-lib.ts';

const { downloads: DOWNLOADS } = useLab('lecture');

describe('the course lab, built and served', () => {
  it('opens on the 2-2-1 lecture net; on SwiftShader it starts on wasm SIMD (the engine\'s auto) and says why', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    // SwiftShader is a fallback adapter: the page must say so, and that wasm SIMD is the fastest CPU path.
    expect(await text(page, '#adapter')).toMatch(/fallback adapter\s*yes/);
    // The adapter's rows are named as WebGPU's: on wasm, "vendor google, architecture swiftshader" read as where it ran.
    expect(await page.$$eval('#adapter dt', (es) => es.map((e) => e.textContent))).toEqual(['backend', 'threads', 'WebGPU vendor', 'WebGPU architecture', 'WebGPU fallback adapter']);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('wasm');
    // The backend's own description: the SIMD kind (Chromium 156 has relaxed SIMD) and the threads.
    expect(await text(page, '#device-badge')).toMatch(/^Training on wasm: relaxed SIMD \(FMA\), \d+ threads?$/);
    expect(await text(page, '#adapter')).toMatch(/backend\s*WebAssembly: f32x4 SIMD with relaxed-SIMD FMA, \d+ threads?/);
    // The threads row: the lecture's 2-2-1 net is far under 2¹⁸ multiply-adds a step, so on 2 threads or more it runs on 1.
    expect(await text(page, '#adapter')).toMatch(/threads\s*(1 thread|\d+ threads; this net runs on 1: a step of it is under 2¹⁸ multiply-adds, too little to split)/);
    const why = await text(page, '#device-why');
    expect(why).toMatch(/SwiftShader, a GPU emulated on the CPU.*fastest CPU path/);
    expect(await page.$eval('#backend-wasm', (e) => (e as HTMLInputElement).checked)).toBe(true);
    for (const id of ['#backend-webgpu', '#backend-wasm', '#backend-cpu']) {
      expect(await page.$eval(id, (e) => (e as HTMLInputElement).disabled), id).toBe(false);
    }
    expect(await page.$eval('#preset', (e) => (e as HTMLSelectElement).value)).toBe('lecture-2-2-1');
    await shot(page, 'main-1280x800');
    expect(errors).toEqual([]);
  });

  it('steps forward, loss, backward and update and shows the lecture\'s numbers', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    // The device badge is a live region (role="status"): a screen reader reads it again whenever it is rewritten, so
    // it is written only when its words change — the four steps leave it as it is (each rewrote it with the same words).
    await page.$eval('#device-badge', (badge) => {
      const seen = { writes: 0 };
      new MutationObserver((ms) => { seen.writes += ms.length; }).observe(badge, { childList: true, characterData: true, subtree: true });
      (window as unknown as { badgeWrites: typeof seen }).badgeWrites = seen;
    });
    await act(page, '#step-forward');
    const nodes = await page.$$eval('#diagram [data-node]', (els) => els.map((e) => e.textContent ?? '').join(' | '));
    for (const name of ['z_h1', 'z_h2', 'a_h1', 'a_h2', 'z_out', 'ŷ']) expect(shows(nodes, name), `${name} in ${nodes}`).toBe(true);
    await act(page, '#step-loss');
    expect(shows(await text(page, '#stage-out'), 'L')).toBe(true);
    await act(page, '#step-backward');
    // The stage line writes dW and db per layer, with subscripts (it said 'dW = δ·Aᵀ, db = δ·1' for every net); one
    // example, so no 1/N; b1 is one bias shared by both hidden units.
    expect(await text(page, '#stage-out')).toMatch(/^Backward on .* \(L = 0\.2748\): δ₁ = \(W₂ᵀ·δ₂\) ⊙ f′\(Z₁\); dW₂ = δ₂·A₁ᵀ, db₂ = δ₂·1, dW₁ = δ₁·A₀ᵀ \(A₀ = X\), db₁ = Σ δ₁ /);
    // w5 is selected and its chain rule shown: the line says so (it said "Select a parameter to see its chain rule").
    expect(await text(page, '#stage-out')).toMatch(/\. The selected parameter's chain rule is under Notation\.$/);
    // w5 is selected by default: ∂L/∂w5 = 0.7414 × 0.1868 × 0.5933 = 0.0822, and its matrix form δ₂·A₁ᵀ.
    const w5 = await tex(page, '#explain');
    expect(await page.$$eval('#explain .explain-at', (e) => e.length), 'no line on the weights before an Update').toBe(0);
    for (const name of ['∂L/∂ŷ', '∂ŷ/∂z_out', '∂z_out/∂w5', 'δ_out']) expect(shows(w5, name), `${name} in ${w5}`).toBe(true);
    expect(shows(w5.replace(/\\times/g, ' '), '∂L/∂w5')).toBe(true);
    await shot(page, 'explain-w5', '#panel-explain');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'step-backward');
    // Select w1 with the keyboard. The units, inputs, weights and biases are one Tab stop (a roving tabindex), the
    // selected w5: Tab from the control before the diagram lands on it. The arrows move (the 2-2-1 is drawn left → right:
    // Left / Right between the lists x1 x2 | w1 w2 w3 w4 b1 | h1 h2 | w5 w6 b2 | out, at the same place in the list or
    // its last; Up / Down within one; no wrapping), Home / End go to the first / last, and the one focused is the Tab
    // stop. Enter selects a weight or bias; drawn again, it keeps focus and the Tab stop.
    const keyboard = () => page.$eval('#diagram', (host) => {
      const items = [...host.querySelectorAll('[data-param],[data-node],[data-strip]')];
      const key = (e: Element | null) => e?.getAttribute('data-param') ?? e?.getAttribute('data-node') ?? e?.tagName;
      return {
        focused: key(document.activeElement),
        stops: items.filter((e) => e.getAttribute('tabindex') === '0').map(key),
        others: items.filter((e) => e.getAttribute('tabindex') !== '0').every((e) => e.getAttribute('tabindex') === '-1'),
        group: host.querySelector('[data-param]')!.closest('[role="group"]')!.getAttribute('aria-label'),
        // The focused item's group: a unit's too says what the keys do (units sat outside the weights' group).
        focusGroup: document.activeElement?.closest('[role="group"]')?.getAttribute('aria-label'),
      };
    });
    // A focused unit or input shows its values (the hover tooltip's): in its name, and in a tooltip at the page's
    // text size inside the diagram's box (MNIST's output units' value lines are ~7 px at 1280 × 800); Escape hides it.
    const tip = async () => {
      const focused = await page.accessibility.snapshot({ root: (await page.evaluateHandle(() => document.activeElement)).asElement()!, interestingOnly: false });
      return {
        name: focused?.name, role: focused?.role,
        ...await page.$eval('#diagram', (host) => {
          const t = host.querySelector<HTMLElement>('.nd-tip');
          const box = host.getBoundingClientRect();
          const r = t?.getBoundingClientRect();
          return {
            text: t && !t.hidden ? t.textContent : null, px: t ? parseFloat(getComputedStyle(t).fontSize) : 0,
            inside: Boolean(r && r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom),
          };
        }),
      };
    };
    await page.$eval('#editor-box summary', (e) => (e as HTMLElement).focus());
    await page.keyboard.press('Tab');
    const GROUP = 'Inputs, units, weights and biases: arrow keys move, Enter selects a weight or bias';
    expect(await keyboard()).toEqual({ focused: 'W[1][0][0]', stops: ['W[1][0][0]'], others: true, group: GROUP, focusGroup: GROUP });
    const moves: [KeyInput, string][] = [
      ['ArrowDown', 'W[1][0][1]'], ['ArrowLeft', 'z:0:1'], ['ArrowLeft', 'W[0][0][1]'], ['ArrowDown', 'W[0][1][0]'], ['ArrowDown', 'W[0][1][1]'],
      ['ArrowDown', 'b[0][0]'], ['ArrowRight', 'z:0:1'], ['ArrowRight', 'W[1][0][1]'], ['ArrowRight', 'z:1:0'], ['ArrowDown', 'z:1:0'],
      ['Home', 'x:0'], ['ArrowLeft', 'x:0'], ['End', 'z:1:0'], ['ArrowLeft', 'W[1][0][0]'], ['Home', 'x:0'], ['ArrowRight', 'W[0][0][0]'],
    ];
    const tips = new Map<string, Awaited<ReturnType<typeof tip>>>();
    for (const [key, to] of moves) {
      await page.keyboard.press(key);
      expect(await keyboard(), `${key} → ${to}`).toMatchObject({ focused: to, stops: [to], others: true, focusGroup: GROUP });
      tips.set(to, await tip());
    }
    // The lecture's printed values (after Backward), not the lab's: h2's z and a, ŷ, x1; a weight has no tooltip.
    const h2 = tips.get('z:0:1')!;
    const out = tips.get('z:1:0')!;
    for (const [t, names] of [[h2, ['z_h2', 'a_h2']], [out, ['z_out', 'ŷ']]] as const) {
      expect(t.text, names.join()).toBe(t.name);
      for (const name of names) expect(shows(t.text ?? '', name), `${name} in ${t.text}`).toBe(true);
      expect(t.text).toMatch(/δ_\w+ = −?\d\.\d{4}$/);
      // δ_out against the lecture's printed value (h2's δ is not printed).
      if (t === out) expect(shows(t.text ?? '', 'δ_out'), `δ_out in ${t.text}`).toBe(true);
      expect(t, t.text ?? '').toMatchObject({ role: 'image', inside: true });
      expect(t.px).toBeGreaterThanOrEqual(12);
    }
    expect(tips.get('x:0')).toMatchObject({ text: 'x1 = 0.05', name: 'x1 = 0.05' });
    expect(tips.get('W[0][0][0]')!.text).toBeNull();
    await page.keyboard.press('End');
    await page.keyboard.press('Escape');
    expect(await tip()).toMatchObject({ name: out.name, text: null });
    // Space on a unit does not scroll the page (its default prevented: it was, on a weight or bias only).
    await page.evaluate(() => window.addEventListener('keydown', (e) => { (window as unknown as { spaceKept?: boolean }).spaceKept = e.key === ' ' && !e.defaultPrevented; }, { once: true }));
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => (window as unknown as { spaceKept?: boolean }).spaceKept)).toBe(false);
    // Escape sticks while the unit stays focused: the diagram drawn again (Forward, Loss, Backward again, from
    // code: focus stays on the output unit) showed the tooltip again each time; moving to another item shows its own.
    for (const step of ['#step-forward', '#step-loss', '#step-backward']) {
      await act(page, step);
      expect(await keyboard(), step).toMatchObject({ focused: 'z:1:0' });
      expect((await tip()).text, step).toBeNull();
    }
    // A click or tap on a unit focuses it and shows the same tooltip (a touch screen has no hover). Meanwhile the
    // browser's own tooltip there (the <title> of the nearest element above that has one, Chromium's HitTestResult)
    // is empty, not the same words again after the hover delay, and a screen reader gets its name as before, once
    // (a name beside a <title> made the <title> its description: read twice); focus elsewhere or Escape, it is back.
    const unit = async (key: string, words?: string) => {
      const shown = await page.$eval(`#diagram [data-node="${key}"]`, (g) => {
        let el: Element | null = g;
        while (el && !el.querySelector(':scope > title')) el = el.parentElement;
        return el?.querySelector(':scope > title')?.textContent ?? null;
      });
      const ax: string[] = [];
      const walk = (n: SerializedAXNode) => {
        if ([n.name, n.description].includes(words ?? shown ?? '')) ax.push(`${n.role} "${n.name}" described "${n.description ?? ''}"`);
        n.children?.forEach(walk);
      };
      walk((await page.accessibility.snapshot({ root: (await page.$('#diagram svg'))!, interestingOnly: false }))!);
      return { shown, ax };
    };
    const h1 = await unit('z:0:0');
    expect(h1.shown).toMatch(/^z_h1 = .*, a_h1 = .*, δ_h1 = /);
    expect(h1.ax).toEqual([`image "${h1.shown}" described ""`]);
    const hc = await page.$eval('#diagram [data-node="z:0:0"] .nd-node-circle', (c) => { const r = c.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
    await page.mouse.click(hc[0], hc[1]);
    expect(await keyboard()).toMatchObject({ focused: 'z:0:0', stops: ['z:0:0'] });
    expect((await tip()).text).toBe(h1.shown);
    expect(await unit('z:0:0', h1.shown!)).toEqual({ shown: '', ax: h1.ax });
    // Back on the output unit (another item was focused in between): its tooltip shows again, and h1's <title>.
    await page.keyboard.press('End');
    expect((await tip()).text).toBe(out.text);
    expect(await unit('z:0:0')).toEqual(h1);
    expect((await unit('z:1:0')).shown).toBe('');
    await page.keyboard.press('Escape');
    expect(await unit('z:1:0')).toEqual({ shown: out.text, ax: [`image "${out.text}" described ""`] });
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    expect(await keyboard()).toMatchObject({ focused: 'W[0][0][0]', stops: ['W[0][0][0]'], others: true });
    expect(await page.$eval('#diagram .selected', (e) => e.getAttribute('data-param'))).toBe('W[0][0][0]');
    const w1 = await tex(page, '#explain');
    for (const name of ['∂a_h1/∂z_h1', 'δ_h1', '∂L/∂w1']) expect(shows(w1, name), `${name} in ${w1}`).toBe(true);
    // The one focused last (w2, not selected) stays the Tab stop when the diagram is drawn again with focus elsewhere.
    await page.keyboard.press('ArrowDown');
    await page.$eval('#step-update', (e) => (e as HTMLElement).focus());
    await act(page, '#step-update');
    expect(await keyboard()).toMatchObject({ focused: 'BUTTON', stops: ['W[0][0][1]'], others: true });
    expect(await page.evaluate(() => (window as unknown as { badgeWrites: { writes: number } }).badgeWrites.writes), 'the device badge rewritten over the four steps').toBe(0);
    expect(await text(page, '#device-badge')).toMatch(/^Training on /);
    // The Notation tab still works the step's pass (by design), and now says at which weights: it said nothing.
    expect(await text(page, '#explain .explain-at')).toBe('After Update: the gradient at the weights before the step (the pass the step used); the diagram shows the weights after it.');
    expect(await tex(page, '#explain')).toContain('0.7414 \\times 0.1868'); // the lecture's ∂L/∂ŷ, ∂ŷ/∂z_out: before the step
    const row = await page.$eval('.update-table tr[data-param="W[1][0][0]"]', (e) => e.textContent ?? '');
    // new w5 = 0.40 − 0.0001 × 0.0822 (the lecture's expression; its own decimal slip is an erratum).
    expect(row).toMatch(/0\.399991/);
    // Beside it what the notes print (src/lectures/ERRATA.md, lines 106 and 108: errata), each a button to its row in
    // Lecture checks (notes-marks.ts; the table said it only there).
    const w5Notes = '.update-table tr[data-param="W[1][0][0]"] .notes-mark';
    expect(await page.$$eval(w5Notes, (bs) => bs.map((b) => b.textContent))).toEqual(['the notes print 0.40 − (0.00000000) (line 106): an erratum', 'the notes print 0.399927 (line 108): an erratum']);
    await page.click(`${w5Notes}:last-child`);
    expect(await page.evaluate(() => ({ shown: !document.getElementById('panel-checks')!.hidden, line: document.activeElement?.querySelector('td')?.textContent }))).toEqual({ shown: true, line: '108' });
    // The tabs below from the keyboard (the WAI-ARIA tabs pattern): End to the last, Home to the first, the arrows
    // wrap; each key's default is prevented (Home and End scrolled the page to its top and bottom).
    await page.$eval('.tabs', (bar) => (bar as HTMLElement).addEventListener('keydown', (e) => { (window as unknown as { tabKey: string }).tabKey = `${e.key} prevented ${e.defaultPrevented}`; }));
    const tabs = () => page.evaluate(() => ({
      selected: document.querySelector('.tabs [aria-selected="true"]')?.id, focused: document.activeElement?.id,
      shown: [...document.querySelectorAll<HTMLElement>('[role="tabpanel"]')].filter((p) => !p.hidden).map((p) => p.id),
      key: (window as unknown as { tabKey: string }).tabKey,
    }));
    await page.focus('#tab-notation');
    for (const [key, tab, panel] of [['End', 'tab-files', 'panel-files'], ['Home', 'tab-notation', 'panel-explain'], ['ArrowLeft', 'tab-files', 'panel-files'], ['ArrowRight', 'tab-notation', 'panel-explain']] as const) {
      await page.keyboard.press(key);
      expect(await tabs(), key).toEqual({ selected: tab, focused: tab, shown: [panel], key: `${key} prevented true` });
    }
    // A header link to a tab under prefers-reduced-motion: reduce scrolls to the tabs at once, already done when the
    // click returns (it scrolled smoothly whatever the preference: still at the top then, the first frame to come).
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
    expect(await page.evaluate(() => {
      window.scrollTo(0, 0);
      document.querySelector<HTMLAnchorElement>('.jump a[data-tab="tab-checks"]')!.click();
      const more = document.getElementById('more')!.getBoundingClientRect().top + window.scrollY;
      const end = Math.min(more, document.documentElement.scrollHeight - window.innerHeight);
      return { end: end > 0, at: Math.abs(window.scrollY - end) <= 1, shown: !document.getElementById('panel-checks')!.hidden };
    })).toEqual({ end: true, at: true, shown: true });
    // Each claim's name on one line at 1280 × 800: ∂z_h1/∂w2 broke after its slash, a fraction in two halves from the
    // back of a lecture hall, beside a verdict column with room to spare (vis58c).
    const { names, broken } = await page.$$eval('#claims tbody th', (ths) => ({
      names: ths.length,
      broken: ths.filter((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
      }).map((th) => th.textContent),
    }));
    // Rows there to look at (an empty table would pass the check below), then none broken.
    expect(names).toBeGreaterThan(30);
    expect(broken).toEqual([]);
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'no-preference' }]);
    expect(await errorNotice(page)).toBe('');
    expect(errors).toEqual([]);
  });

  /**
   * A student's too-large learning rate, η = 1 on the lecture's linear regression net: Train's first chunk (one
   * step) is kept and the next diverges (DivergedError puts back that chunk's start). The line under the progress
   * bar said 'step 1 of 200, loss 1370.4' as if still running, and the Output kept the starting weights' outputs
   * (1.2090, 1.1350) while the net held those after the step. A diverged Fit puts back the weights before it.
   */
  async function divergesAtLr1(page: Page): Promise<void> {
    // Bad input is refused before any work: the lines stay as they were (they said 'Train stopped after 0 of 200000
    // steps', as if it had started); Fit's fields too.
    const lines = async () => [await text(page, '#stage-out'), await text(page, '#train-out')];
    const before = await lines();
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '200000'; });
    await act(page, '#train');
    expect(await errorNotice(page)).toMatch(/^Train failed — SpecError: steps: must be an integer 1 … 100000, got 200000/);
    expect(await lines()).toEqual(before);
    // Typed text that is not a number ("1e": value '', badInput) is said to be so, not "an empty field".
    await page.click('#train-steps', { clickCount: 3 }).then(() => page.keyboard.type('1e')).then(() => act(page, '#train'));
    expect(await errorNotice(page)).toMatch(/^Train failed — SpecError: steps: must be a number; what is typed there is not one/);
    expect(await lines()).toEqual(before);
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '20000'; });
    await act(page, '#fit');
    expect(await errorNotice(page)).toMatch(/^Fit failed — SpecError: fit\.epochs: /);
    expect(await lines()).toEqual(before);
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '20'; });
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '200'; });
    await page.click('#editor-box summary');
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '1'; });
    await act(page, '#editor button[type="submit"]');
    await act(page, '#train');
    expect(await errorNotice(page)).toMatch(/^Train failed — DivergedError: /);
    expect(await text(page, '#train-out')).toMatch(/^Train stopped after 1 of \d+ steps on .*: the loss diverged at η = 1; .* Lower the learning rate η \(Edit layers, loss, learning rate, batch\) and press Reset/);
    // The stage line says so too (it said '… Press Forward.', from the net's load).
    expect(await text(page, '#stage-out')).toMatch(/^Train stopped after 1 of \d+ steps on .*: the loss diverged\. Lower the learning rate η \(Edit layers, loss, learning rate, batch\) and press Reset to start again\.$/);
    // ŷ after one full-batch SGD step at η = 1 from the lecture's weights, in float64 by the formulas (linear units,
    // L = Σ_c ½(ŷ_c − y_c)²: δ₂ = ŷ − y, δ₁ = W₂ᵀδ₂, dW = Σ_c δ·aᵀ, db = Σ_c δ), then a forward pass.
    const { x, y, params } = lecture('lecture-regression').worked.spec as { x: number[][]; y: number[][]; params: { W: number[][][]; b: number[][] } };
    const W1 = params.W[0].map((r) => [...r]), b1 = [...params.b[0]], W2 = [...params.W[1][0]];
    let b2 = params.b[1][0];
    const fwd = (xc: number[]) => { const h = W1.map((r, i) => r[0] * xc[0] + r[1] * xc[1] + b1[i]); return { h, out: W2[0] * h[0] + W2[1] * h[1] + b2 }; };
    const g = { W1: [[0, 0], [0, 0]], b1: [0, 0], W2: [0, 0], b2: 0 };
    x.forEach((xc, c) => {
      const { h, out } = fwd(xc);
      const d2 = out - y[c][0];
      g.b2 += d2;
      for (let i = 0; i < 2; i++) {
        g.W2[i] += d2 * h[i];
        g.b1[i] += W2[i] * d2;
        for (let j = 0; j < 2; j++) g.W1[i][j] += W2[i] * d2 * xc[j];
      }
    });
    for (let i = 0; i < 2; i++) { W2[i] -= g.W2[i]; b1[i] -= g.b1[i]; for (let j = 0; j < 2; j++) W1[i][j] -= g.W1[i][j]; }
    b2 -= g.b2;
    const shown = await page.$$eval('#predictions tbody tr', (rows) => rows.map((r) => Number(r.children[2].textContent)));
    // float32 training and a 4-decimal table: within 1e-5 relative (ŷ ≈ 3.9e5; the starting ŷ were 1.2090, 1.1350).
    expect(shown.length).toBe(2);
    shown.forEach((v, c) => expect(Math.abs(v - fwd(x[c]).out), `example ${c + 1}: ${v}`).toBeLessThanOrEqual(1e-5 * Math.abs(fwd(x[c]).out)));
    await act(page, '#reset');
    await page.select('#fit-optimizer', 'sgd');
    // lr 1.2345678e30: the line writes it unrounded with no '+' in the exponent (fmtExact), not String's 1.2345678e+30
    // nor the CLI plot title's 4 digits (1.235e30).
    await page.$eval('#fit-lr', (e) => { (e as HTMLInputElement).value = '1.2345678e30'; });
    await act(page, '#fit');
    expect(await errorNotice(page)).toMatch(/^Fit failed — DivergedError: /);
    expect(await text(page, '#train-out')).toMatch(/^Fit stopped in epoch \d+ of \d+ on .*: the loss diverged at lr 1\.2345678e30; the weights are back to those before the Fit\. Lower the Fit panel's lr \(fit\.optimizer\.lr\)/);
    expect(await text(page, '#stage-out')).toMatch(/^Fit stopped in epoch \d+ of \d+ on .*: the loss diverged\. Lower the Fit panel's lr \(fit\.optimizer\.lr\) and Fit again\.$/);
  }

  it('loads every preset without an error', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    let biasPresets = 0;
    // The Tab stop of a net just shown is its selected parameter, not the item focused last in the one before
    // (x1, focused and left: the next net draws an x:0 too, and it was the Tab stop).
    let stopChecks = 0;
    for (const p of PRESETS) {
      const leftOn = await page.$eval('#diagram', (host) => {
        const x1 = host.querySelector<SVGGElement>('[data-node="x:0"]');
        x1?.focus();
        (document.getElementById('preset') as HTMLElement).focus();
        return x1 ? host.querySelector('[tabindex="0"]')?.getAttribute('data-node') : null;
      });
      await choosePreset(page, p.id);
      const stop = await page.$eval('#diagram', (host) => ({
        stops: [...host.querySelectorAll('[tabindex="0"]')].map((e) => e.getAttribute('data-param') ?? e.getAttribute('data-node')),
        selected: host.querySelector('.selected[data-param]')?.getAttribute('data-param'),
      }));
      if (leftOn === 'x:0' && stop.selected) {
        expect(stop.stops, p.id).toEqual([stop.selected]);
        stopChecks += 1;
      }
      expect(await errorNotice(page), p.id).toBe('');
      expect(await page.$$eval('#diagram [data-node]', (els) => els.length), p.id).toBeGreaterThan(0);
      // The stage line names the net once: "lecture-2-2-1 loaded on … (a preset)", not "… (preset lecture-2-2-1)".
      const stage = await text(page, '#stage-out');
      expect(stage, p.id).toMatch(/ loaded on .* \(a preset\)\./);
      expect(stage.split(p.id).length - 1, stage).toBeLessThanOrEqual(1);
      // The Preset menu shows its choice whole in the 300 px Data column (it cut "Lecture 003 (classification): the
      // sa"); a long title's rest is the line under it. The room: the select's content box less its arrow (~20 px).
      const menu = await page.$eval('#preset', (e) => {
        const s = e as HTMLSelectElement;
        const cs = getComputedStyle(s);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const shown = s.selectedOptions[0].text;
        const line = document.getElementById('preset-title')!;
        return { room: s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20, width: ctx.measureText(shown).width, shown, rest: line.hidden ? '' : line.textContent };
      });
      expect(menu.width, `${p.id}: "${menu.shown}"`).toBeLessThanOrEqual(menu.room);
      expect(menu.rest ? `${menu.shown}: ${menu.rest}` : menu.shown, p.id).toBe(p.title);
      // Unit and bias names at least 9 px tall at 1280 × 800 for every preset: the two spirals (2-16-16-1, its wide
      // layers strips) ran top → bottom, a narrow drawing scaled to the box's height, its names ~7 px.
      const names = await page.$$eval('#diagram .nd-node-name', (els) => els.map((e) => e.getBoundingClientRect().height));
      expect(names.length, p.id).toBeGreaterThan(0);
      expect(Math.min(...names), p.id).toBeGreaterThanOrEqual(9);
      // Bias names too: the dense layouts' (2-8-1 …) were 8.4 units in their 18-unit squares, ~6 px; XOR's 2-4-1 ran
      // left to right, its whole drawing scaled to 0.42 (its bias names, values and weight names ~6 px).
      // A turned name (top to bottom, in a box wider than tall) reads bottom to top: its height on screen is its width.
      const biases = await page.$$eval('#diagram .nd-bias-name', (els) => els.map((e) => (e.hasAttribute('transform') ? e.getBoundingClientRect().width : e.getBoundingClientRect().height)));
      // (9 px less float rounding: the 3-1 study-hours net's 14-unit name measured 8.99998 when it ran left to right.)
      if (biases.length > 0) expect(Math.min(...biases), p.id).toBeGreaterThanOrEqual(8.99);
      biasPresets += biases.length > 0 ? 1 : 0;
      // The caption: HTML text under the drawing at the page's size, the SVG's description. In the SVG it scaled with
      // the drawing: MNIST's was 6.7 px at 1280 × 800, XOR's 7.4, the circle net's 8.6.
      const caption = await page.$eval('#diagram svg', (svg) => {
        const c = document.getElementById(svg.getAttribute('aria-describedby') ?? '');
        return c && { px: parseFloat(getComputedStyle(c).fontSize), text: c.textContent ?? '', inSvg: svg.contains(c) };
      });
      expect(caption, p.id).not.toBeNull();
      expect(caption!.text, p.id).toMatch(/\w/);
      expect(caption!.inSvg, p.id).toBe(false);
      expect(caption!.px, p.id).toBeGreaterThanOrEqual(11);
      if (p.id === 'lecture-study-hours-w7') {
        // The 3-1 net (no layer of 4) ran left → right: 310 × 494 units in the 566 × 274 px box its caption leaves, scale
        // 0.555 (bias, value and weight names 9 px). Top → bottom it is 494 × 310, scale min(566 / 494, 274 / 310) = 0.884.
        const drawn = await page.$eval('#diagram svg', (e) => {
          const r = e.getBoundingClientRect();
          const vb = (e as SVGSVGElement).viewBox.baseVal;
          const cy = (key: string) => Number(e.querySelector(`[data-node="${key}"] circle`)!.getAttribute('cy'));
          return { scale: Math.min(r.width / vb.width, r.height / vb.height), outBelowInputs: cy('z:0:0') > cy('x:0') && cy('z:0:0') > cy('x:2') };
        });
        expect(drawn.outBelowInputs, 'study-hours: layers top to bottom').toBe(true);
        expect(drawn.scale, 'study-hours: scale').toBeGreaterThan(0.8);
      }
      if (p.id === 'lecture-classification') await shot(page, 'preset-classification');
      if (p.id === 'lecture-regression') await divergesAtLr1(page);
      if (p.id === 'mnist') {
        expect(await page.$eval('#mnist-box', (e) => (e as HTMLElement).hidden)).toBe(false);
      }
    }
    expect(biasPresets, 'presets with bias squares').toBeGreaterThan(5);
    expect(stopChecks, 'nets whose Tab stop was checked').toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

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
});
