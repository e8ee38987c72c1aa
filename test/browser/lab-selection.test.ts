/**
 * The lab's selection line on the page (src/lab/views.ts: the diagram's onSelect writes #selection-out with dom.ts
 * announce): Enter on a weight says it is selected, and Enter again on that same weight says it again — a change to
 * the status line a screen reader reads (it heard nothing: no line said what was selected). The words are written
 * from the page's hint, "its chain rule is under Notation"; w6 is the 2-2-1 lecture's second output weight. A
 * comma typed into a learning rate (src/lab/keyboard.ts decimalComma): what the field then holds, as typed keys. And
 * the chain rule on paper: the lab printed (style.css's @media print, src/lab/print.ts; README "Printing a handout").
 * And under forced colours (Windows High Contrast: style.css's @media (forced-colors: active); README "Forced colours").
 * The Notation menu on a 360 px phone screen (a Moto G4's, many a cheap Android's): on the screen, the page not wider.
 * And a worked-example file of another course opened with Device & files → Open (files.ts importedData; the views'
 * side, which Node cannot see: test/lab-worked-open.test.ts has its model, and the hand values of this net).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { act, choosePreset, errorNotice, idle, openLab, text, useLab } from './lab-lib.ts';

useLab('selection');

describe('the selection line', () => {
  it('Enter on w6, then Enter on w6 again: the status line says "w6 selected" both times, changed each time', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    const out = () => page.$eval('#selection-out', (e) => ({ raw: e.textContent ?? '', role: e.getAttribute('role') }));
    expect((await out()).role).toBe('status');
    await page.$eval('#diagram [data-param="W[1][0][1]"]', (e) => (e as SVGElement).focus());
    await page.keyboard.press('Enter');
    await idle(page);
    const first = await out();
    expect(first.raw.trim()).toBe('w6 selected: its chain rule is under Notation.');
    // The redraw keeps the focus on w6: Enter again on the weight already selected.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-param'))).toBe('W[1][0][1]');
    await page.keyboard.press('Enter');
    await idle(page);
    const second = await out();
    expect(second.raw.trim()).toBe('w6 selected: its chain rule is under Notation.');
    expect(second.raw, 'rewritten as a change').not.toBe(first.raw);
    expect(errors).toEqual([]);
  });

  it('printed (print media, an A4 page\'s width): no control shown, the loss curve drawn, every formula and Lecture check whole on the page', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    // A screen of device pixel ratio 2 (a laptop's): the loss curve has twice the pixels of its box.
    await page.setViewport({ width: 1280, height: 800, deviceScaleFactor: 2 });
    await act(page, '#train');
    const drawn = await page.$eval('#loss-chart', (c) => c.getBoundingClientRect().width);
    // What A4 portrait leaves inside style.css's 12 mm margins: 186 mm, 703 CSS px.
    await page.emulateMediaType('print');
    await page.setViewport({ width: 703, height: 1000, deviceScaleFactor: 2 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // Shown controls: the open tab alone, as its panel's heading (the preset and the notation's menu print as text).
    const controls = () => page.$$eval('button, input, progress, select:not(#preset, #convention), summary, .file-button', (els) =>
      els.filter((e) => getComputedStyle(e).display !== 'none' && (e as HTMLElement).offsetParent !== null).map((e) => e.id || e.tagName));
    expect(await controls()).toEqual(['tab-notation']);
    // The loss curve as wide as it was drawn on the screen (not its pixels' count, twice that; nor the page's width).
    // Its proportions are not checked here: the viewport's resize redraws it to its print box, as printing does not.
    const chart = await page.$eval('#loss-chart', (e) => {
      const c = e as HTMLCanvasElement;
      const r = c.getBoundingClientRect();
      return { shown: getComputedStyle(c).display !== 'none', inPage: r.left >= 0 && r.right <= innerWidth, width: r.width };
    });
    expect(chart).toMatchObject({ shown: true, inPage: true });
    expect(drawn).toBeGreaterThan(100);
    expect(chart.width).toBeCloseTo(drawn, 0);
    // Each display formula: its content (never wrapped) inside its box, nothing scrolled out of sight, the box on the
    // page. The browser's beforeprint first (print.ts scales what is wider than the page).
    const formulas = () => page.evaluate(() => {
      dispatchEvent(new Event('beforeprint'));
      return [...document.querySelectorAll<HTMLElement>('#explain .katex-display')].map((box) => {
        const range = document.createRange();
        range.selectNodeContents(box.querySelector('.katex-html')!);
        const c = range.getBoundingClientRect();
        const b = box.getBoundingClientRect();
        return c.width > 0 && c.left >= b.left - 1 && c.right <= b.right + 1 && b.right <= innerWidth && box.scrollWidth <= box.clientWidth + 1;
      });
    });
    expect(await formulas()).toEqual([true, true]);
    // The Lecture checks: every row printed (a 70vh scroll box showed 17 of 97).
    await page.$eval('#tab-checks', (e) => (e as HTMLElement).click());
    const claims = await page.$eval('#claims', (e) => ({ rows: e.querySelectorAll('tbody tr').length, clipped: e.scrollHeight > e.clientHeight + 1 }));
    expect(claims.rows).toBeGreaterThan(90);
    expect(claims.clipped).toBe(false);
    // MNIST's sum over its 100 examples is wider than the page: drawn smaller, whole.
    await page.$eval('#tab-notation', (e) => (e as HTMLElement).click());
    await choosePreset(page, 'mnist');
    const mnist = await formulas();
    expect(mnist.length).toBeGreaterThan(0);
    expect(mnist.every(Boolean), JSON.stringify(mnist)).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);

  it('printed, a many-example net: a line above the diagram names the example its values are (the Example menu does not print)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await choosePreset(page, 'xor');
    await act(page, '#step-forward');
    await page.select('#example', '2');
    await idle(page);
    // The third of XOR's four corners, as the diagram's input units show it (their <title>: "x1 = 1").
    const inputs = await page.$$eval('#diagram [data-node^="x:"] > title', (ts) =>
      ts.map((t) => t.textContent ?? '').filter((t) => /^x\d = /.test(t)).map((t) => t.split(' = ')[1]));
    expect(inputs).toHaveLength(2);
    const line = () => page.$eval('#diagram-example', (e) => ({ text: e.textContent ?? '', shown: getComputedStyle(e).display !== 'none' }));
    expect(await line()).toMatchObject({ shown: false });
    await page.emulateMediaType('print');
    expect(await line()).toEqual({ text: expect.stringMatching(new RegExp(`^Example 3 of 4: x = \\(${inputs.join(', ')}\\), y = [01]$`)), shown: true });
    // The Forward line printed above it names the same example (it kept "example 1", written before the choice).
    expect(await page.$eval('#stage-out', (e) => e.textContent)).toMatch(/the nodes show z and a of example 3\)/);
    // The lecture's net has one example: no line.
    await choosePreset(page, 'lecture-2-2-1');
    expect(await line()).toEqual({ text: '', shown: false });
    expect(errors).toEqual([]);
  });

  it('an Example or Notation chosen while a Train runs: the stage line keeps the run\'s words (it drew the pass from before the run)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await choosePreset(page, 'xor');
    await act(page, '#step-forward');
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '2000'; });
    // In one task: Train pressed (its first words written before its first await), then example 3 chosen.
    const line = await page.evaluate(() => {
      (document.getElementById('train') as HTMLButtonElement).click();
      const menu = document.getElementById('example') as HTMLSelectElement;
      menu.value = '2';
      menu.dispatchEvent(new Event('change'));
      const names = document.getElementById('convention') as HTMLSelectElement;
      names.value = 'flat';
      names.dispatchEvent(new Event('change'));
      return { busy: document.body.dataset.busy, text: document.getElementById('stage-out')?.textContent ?? '' };
    });
    expect(line.busy).toBe('Train');
    expect(line.text).toMatch(/^Training 2000 steps on .*: Forward and the other steps wait until the run ends/);
    await idle(page);
    expect(errors).toEqual([]);
  });

  it('a comma typed into Fit\'s lr is its decimal point: "0,05" reads 0.05 (Chromium dropped the comma: 005, lr 5)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    const type = async (id: string, text: string): Promise<string> => {
      await page.$eval(`#${id}`, (i) => { (i as HTMLInputElement).value = ''; });
      await page.focus(`#${id}`);
      await page.keyboard.type(text);
      return page.$eval(`#${id}`, (i) => (i as HTMLInputElement).value);
    };
    expect(await type('fit-lr', '0,05')).toBe('0.05');
    // A whole-number field keeps the browser's reading, the comma a thousands separator.
    expect(await type('fit-epochs', '1,000')).toBe('1000');
    expect(errors).toEqual([]);
  });

  it('forced colours (Windows High Contrast): the selected tab and the pressed step button stand out, and the diagram keeps its light surface, where its dark selection outline shows', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    const cdp = await page.createCDPSession();
    await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }, { name: 'prefers-color-scheme', value: 'dark' }] });
    await act(page, '#step-forward');
    const looks = await page.evaluate(() => {
      const bg = (sel: string): string => getComputedStyle(document.querySelector(sel)!).backgroundColor;
      const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      return {
        forced: matchMedia('(forced-colors: active)').matches,
        tab: bg('#tab-notation'), otherTab: bg('#tab-checks'),
        pressed: bg('.stepbar button[aria-pressed="true"]'), unpressed: bg('.stepbar button[aria-pressed="false"]:not(:disabled)'),
        diagram: rgb(bg('#diagram')),
      };
    });
    expect(looks.forced).toBe(true);
    // Forced, every button's background was the theme's ButtonFace: the selected tab looked like the others.
    expect(looks.tab).not.toBe(looks.otherTab);
    expect(looks.pressed).not.toBe(looks.unpressed);
    // The selected weight's outline and the focus rings are #111827 (relative luminance 0.0093); the diagram's
    // surface at least 3:1 against it: luminance ≥ 3 · 0.0593 − 0.05 = 0.128 (the theme's black, 0, was 1.2:1).
    const lin = (c: number): number => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    const [r, g, b] = looks.diagram.map(lin);
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b, `diagram background rgb(${looks.diagram.join(', ')})`).toBeGreaterThanOrEqual(0.128);
    expect(errors).toEqual([]);
  });

  it('at 360 × 640 (a small phone): the Notation menu is inside its panel and the screen; the page does not scroll sideways', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.setViewport({ width: 360, height: 640, isMobile: true, hasTouch: true });
    await idle(page);
    const seen = await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const menu = document.getElementById('convention')!.getBoundingClientRect();
      const panel = document.getElementById('panel-explain')!.getBoundingClientRect();
      // The screen's width: clientWidth (a phone's page wider than its screen is zoomed out to fit: innerWidth grew to 366).
      const screen = document.documentElement.clientWidth;
      return { menuIn: menu.width > 100 && menu.left >= panel.left && menu.right <= panel.right && menu.right <= screen, overflow: document.documentElement.scrollWidth - screen };
    });
    // Its label and menu side by side were 338 px wide, 5 px past the panel's right edge and the screen's.
    expect(seen).toEqual({ menuIn: true, overflow: 0 });
    expect(errors).toEqual([]);
  });
});

describe('a worked-example file of your own, opened', () => {
  it('its claims are the Lecture checks (caption naming the file), the Data region counts them, the Update table marks them; a bad claim changes nothing', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    // A 2-3-1 tanh/sigmoid net worked by hand (test/lab-worked-open.test.ts): ∂L/∂w9 = δ·h3 = −0.0136827, printed 0.0137 (an erratum).
    const worked = {
      format: 'backprop-worked-example/1', id: 'week5', title: 'Week 5', source: 'slides', description: 'one step',
      spec: {
        inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'mse', lr: 0.5,
        params: { W: [[[0.1, 0.4], [-0.3, 0.2], [0.25, -0.1]], [[0.3, -0.2, 0.5]]], b: [[0.05, -0.05, 0.1], [0.1]] }, x: [[0.5, -0.2]], y: [[0.8]],
      },
      claims: [
        { name: 'L', printed: 0.0269, decimals: 4, line: 14 },
        { name: '∂L/∂w9', printed: 0.0137, decimals: 4, line: 17, erratum: { correct: -0.0137, correctDecimals: 4, why: 'the sign dropped' } },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'lab-worked-'));
    const input = (await page.$('#import-spec')) as unknown as { uploadFile(p: string): Promise<void> };
    const bad = join(dir, 'bad.worked.json');
    writeFileSync(bad, JSON.stringify({ ...worked, claims: [{ name: 'L', printed: 0.0269, line: 14 }] }));
    const before = await page.$eval('#data-summary', (e) => e.textContent);
    await input.uploadFile(bad);
    await idle(page);
    expect(await errorNotice(page)).toMatch(/ClaimError: bad\.worked\.json: claims\[0\]/);
    expect(await page.$eval('#data-summary', (e) => e.textContent)).toBe(before);
    const file = join(dir, 'week5.worked.json');
    writeFileSync(file, JSON.stringify(worked));
    await input.uploadFile(file);
    await idle(page);
    expect(await page.$eval('#data-summary', (e) => e.textContent)).toMatch(/^week5\.worked\.json: your worked example \(2 claims, 1 erratum\); 1 example/);
    expect(await page.$eval('#lecture-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#claims caption', (e) => e.textContent)).toBe('week5.worked.json — Week 5: each number your worked example prints, checked');
    expect(await page.$$eval('#claims tbody tr', (rs) => rs.map((r) => r.className))).toEqual(['match', 'known-erratum']);
    for (const s of ['#step-forward', '#step-loss', '#step-backward', '#step-update']) await act(page, s);
    expect(await page.$$eval('.update-table tr[data-param="W[1][0][2]"] .notes-mark', (bs) => bs.map((b) => b.textContent))).toEqual(['the notes print 0.0137 (line 17): an erratum']);
    expect(errors).toEqual([]);
  });
});

describe('your own regression in the Output (src/lab/fit-plot.ts; the numbers: test/lab-fit-stats.test.ts)', () => {
  it('one feature: the points and the net\'s line, named by the CSV\'s columns; RMSE and R² in the sentence as the table\'s rows give them, again after Train', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#open-import');
    await page.$eval('#table-text', (e) => { (e as HTMLTextAreaElement).value = 'hours,score\n1,2.5\n2,3.1\n4,7.4'; });
    await page.click('#table-read');
    await page.$eval('#validation', (e) => { (e as HTMLInputElement).value = '0'; });
    await act(page, '#table-use');
    expect(await page.$eval('#import-dialog', (d) => (d as HTMLDialogElement).open)).toBe(false);
    const plot = () => page.$eval('#fit-plot', (e) => {
      const c = e as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      // The one output's line is vermilion (#D55E00): its pixels, not the points' blue.
      let line = 0;
      for (let k = 0; k < px.length; k += 4) if (px[k] === 0xd5 && px[k + 1] === 0x5e && px[k + 2] === 0x00) line++;
      return { shown: !c.hidden && c.getBoundingClientRect().width > 100, view: c.dataset.view, label: c.getAttribute('aria-label') ?? '', line };
    });
    // RMSE and R² from the table's three rows (its outputs at 4 decimals), by the definitions: targets 2.5, 3.1, 7.4
    // (not whole numbers: 2, 3, 7 read as 3 classes), mean 13/3, SS_tot = 1.8333² + 1.2333² + 3.0667² = 14.2867.
    const scores = async () => {
      const outs = await page.$$eval('#predictions tbody tr', (trs) => trs.map((tr) => Number(tr.cells[2].textContent!.replace('−', '-'))));
      const res = [2.5, 3.1, 7.4].reduce((s, y, c) => s + (y - outs[c]) ** 2, 0);
      const said = (await text(page, '#fit-out')).match(/RMSE (\S+) and R² (\S+) on 3 training rows\.$/);
      expect(said, 'the sentence has the scores').not.toBeNull();
      return { said: said!.slice(1).map((v) => Number(v.replace('−', '-'))), table: [Math.sqrt(res / 3), 1 - res / (1.8333333333 ** 2 + 1.2333333333 ** 2 + 3.0666666667 ** 2)] };
    };
    const before = await plot();
    expect(before).toMatchObject({ shown: true, view: 'curve' });
    expect(before.label).toMatch(/^The net's output as a line over hours \(standardised\) from .* as points; score from /);
    expect(before.line).toBeGreaterThan(50);
    const first = await scores();
    expect(first.said[0]).toBeCloseTo(first.table[0], 2);
    expect(first.said[1]).toBeCloseTo(first.table[1], 2);
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '300'; });
    await act(page, '#train');
    const after = await scores();
    expect(after.said[0]).toBeCloseTo(after.table[0], 2);
    expect(after.said[1]).toBeCloseTo(after.table[1], 2);
    expect(after.said[0], 'redrawn after Train: a better fit').toBeLessThan(first.said[0]);
    expect(errors).toEqual([]);
  });
});

describe('your own one-feature classification in the Output (src/lab/fit-plot.ts; the names: test/lab-fit-curve-names.test.ts)', () => {
  it('three classes: the vertical axis a probability\'s, each line named with its class, not the label column', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#open-import');
    await page.$eval('#table-text', (e) => { (e as HTMLTextAreaElement).value = 'x,kind\n1,a\n2,b\n3,c\n4,a\n5,b\n6,c'; });
    await page.click('#table-read');
    await page.$eval('#validation', (e) => { (e as HTMLInputElement).value = '0'; });
    await act(page, '#table-use');
    const label = await page.$eval('#fit-plot', (e) => ({ view: (e as HTMLCanvasElement).dataset.view, hidden: (e as HTMLCanvasElement).hidden, label: e.getAttribute('aria-label') ?? '' }));
    expect(label).toMatchObject({ view: 'curve', hidden: false });
    // Classes a, b, c are outputs 1, 2, 3 one-hot (table.ts): each line the probability of its own.
    expect(label.label).toMatch(/^The net's output \S+ = P\(a\), \S+ = P\(b\), \S+ = P\(c\) as 3 lines over x \(standardised\) from .*; probability \(targets one-hot\) from /);
    expect(label.label).not.toContain('kind');
    expect(errors).toEqual([]);
  });
});

describe('your own classification of four features in the Output (src/lab/class-confusion.ts; the tally: test/lab-class-confusion.test.ts)', () => {
  it('three classes: a confusion table of the training rows under the (empty) fit sentence, its counts as the first rows\' outputs give them, and one of the validation rows', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#open-import');
    // Rows 1 and 10 and rows 2 and 9 are the same features of another class: whatever the net learns, it misses one
    // of each pair (an off-diagonal count, so a table written transposed differs).
    const csv = ['f1,f2,f3,f4,kind', '1,0,0,1,a', '0,1,0,1,b', '0,0,1,1,c', '1,1,0,0,a', '0,1,1,0,b', '1,0,1,0,c', '2,0,0,1,a', '0,2,0,1,b', '0,1,0,1,c', '1,0,0,1,b'].join('\n');
    await page.$eval('#table-text', (e, t) => { (e as HTMLTextAreaElement).value = t as string; }, csv);
    await page.click('#table-read');
    await page.$eval('#validation', (e) => { (e as HTMLInputElement).value = '20'; });
    await act(page, '#table-use');
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '40'; });
    await act(page, '#train');
    const box = await page.$eval('#class-box', (b) => ({
      shown: !(b as HTMLElement).hidden && b.getBoundingClientRect().height > 0,
      after: b.previousElementSibling?.id,
      tables: [...b.querySelectorAll('table')].map((t) => ({
        caption: t.caption?.textContent ?? '',
        cols: [...t.querySelectorAll('thead th')].map((th) => [th.getAttribute('scope'), th.textContent]),
        rows: [...t.querySelectorAll('tbody tr')].map((tr) => [tr.querySelector('th')?.getAttribute('scope'), tr.querySelector('th')?.textContent, ...[...tr.querySelectorAll('td')].map((td) => Number(td.textContent))]),
      })),
    }));
    expect(box.shown).toBe(true);
    expect(box.after).toBe('fit-out');
    expect(box.tables.length).toBe(2);
    expect(box.tables[0].cols).toEqual([['col', 'true ↓ / predicted →'], ['col', 'a'], ['col', 'b'], ['col', 'c']]);
    expect(box.tables[0].rows.map((r) => r.slice(0, 2))).toEqual([['row', 'a'], ['row', 'b'], ['row', 'c']]);
    // The 8 training rows are all in the first-rows table: each one's true class (its one-hot target) and the class
    // of its largest output, tallied here.
    const shown = await page.$$eval('#predictions tbody tr', (trs) => trs.map((tr) => [tr.cells[1].textContent!, tr.cells[2].textContent!]));
    expect(shown.length).toBe(8);
    const want = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (const [y, out] of shown) {
      const t = y.split(', ').map(Number).indexOf(1);
      const o = out.split(', ').map((v) => Number(v.replace('−', '-')));
      want[t][o.indexOf(Math.max(...o))]++;
    }
    expect(box.tables[0].rows.map((r) => r.slice(2))).toEqual(want);
    const right = want[0][0] + want[1][1] + want[2][2];
    expect(box.tables[0].caption).toMatch(new RegExp(`^Training rows: accuracy [0-9.]+ % \\(${right} of 8\\)\\. Rows: true class; columns: predicted class\\. Recall, .* — a: .*; b: .*; c: .*\\.$`));
    // The validation rows' table: 2 rows, its accuracy the one the first-rows table's caption says.
    expect(box.tables[1].rows.flatMap((r) => r.slice(2) as number[]).reduce((a, b) => a + b, 0)).toBe(2);
    const said = (await text(page, '#predictions caption')).match(/validation accuracy ([0-9.]+ %)/)![1];
    expect(box.tables[1].caption).toMatch(new RegExp(`^Validation rows: accuracy ${said.replace('.', '\\.')} \\(`));
    expect(errors).toEqual([]);
  });
});
