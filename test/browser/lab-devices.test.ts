/**
 * The course lab (src/lab/), built and served as in lab.test.ts (lab-lib.ts): the devices it trains on (WebGPU and
 * wasm switching, Verify against the CPU, no WebGPU, a lost GPU device), export and import of a spec, editing the
 * net, share links, and the loss surface drawn on demand. Screenshots go to test-artifacts/lab/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/node/server.ts';
import { validateSpec } from '../../src/spec.ts';
import { printed, shows, openLab, act, idle, choosePreset, presetMenu, text, errorNotice, coveredByNotice, shot, download, useLab, followDuring } from './lab-lib.ts';

const { downloads: DOWNLOADS } = useLab('devices');

describe('the course lab, built and served', () => {
  it('switches to WebGPU and back, and Verify gives max |WebGPU − CPU| within float32 rounding', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#backend-webgpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('webgpu');
    expect(await text(page, '#device-why')).toMatch(/CPU paths are faster here.*'auto' takes WebAssembly SIMD/);
    await page.click('#backend-cpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('cpu');
    await act(page, '#verify');
    expect(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.against)).toBe('webgpu');
    // It names what it compared, in the words of the sentence under the switch (it read "max |GPU − CPU|").
    expect(await text(page, '#verify-out')).toMatch(/^WebGPU \(the adapter is SwiftShader, a GPU emulated on the CPU\) against the CPU: max \|WebGPU − CPU\| = /);
    const max = Number(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.max));
    // The 2-2-1 net: every value is below 2 in size and every dot product has ≤ 2 terms, so float32 backends
    // agree within the checklist's elementwise bound 1e-6 + 1e-5·|x| ≤ 3e-5 (dot products add 2√2·2⁻²³·Σ|ab| < 1e-6).
    expect(max).toBeLessThanOrEqual(3e-5);
    await page.click('#backend-webgpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('webgpu');
    // An Update, a switch to the CPU, then Reset: back to the lecture's own w5 = 0.40, not the weights at the switch.
    await act(page, '#step-update');
    await page.click('#backend-cpu');
    await idle(page);
    await act(page, '#reset');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const spec = await download(page, '#export-spec', 'lecture-2-2-1.json');
    expect((spec.params as { W: number[][][] }).W[1][0][0]).toBeCloseTo(0.4, 7);
    expect(errors).toEqual([]);
  });

  it('switches to wasm: trains 100 steps (the loss falls) and Verify gives max |wasm − CPU| within float32 rounding', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=circle');
    await page.click('#backend-cpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('cpu');
    await page.click('#backend-wasm');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('wasm');
    expect(await text(page, '#device-badge')).toMatch(/^Training on wasm: .*SIMD/);
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '100'; });
    await act(page, '#train');
    expect(await errorNotice(page)).toBe('');
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await text(page, '#train-out')).toMatch(/^100 steps of SGD \(η = 0\.5, full batch\) on WebAssembly SIMD in /);
    await act(page, '#verify');
    expect(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.against)).toBe('wasm');
    expect(await text(page, '#verify-out')).toMatch(/^WebAssembly SIMD against the CPU: max \|wasm − CPU\| = /);
    // The circle net (2-8-1): values below ~10, dot products of ≤ 8 terms; wasm sums them in another order
    // (f32x4 lanes, FMA): float32 rounding, within the checklist's elementwise bound 1e-6 + 1e-5·|x| ≤ 1e-4.
    const max = Number(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.max));
    expect(max).toBeLessThanOrEqual(1e-4);
    // Another net: the circle's Train and Verify lines go (they stayed under the moons net, its numbers the circle's).
    await choosePreset(page, 'moons');
    expect(await text(page, '#train-out')).toBe('');
    expect(await page.$eval('#train-progress', (e) => (e as HTMLProgressElement).value)).toBe(0);
    expect(await text(page, '#verify-out')).toBe('');
    expect(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.max)).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('says so, and trains on wasm SIMD, when WebGPU is unavailable', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.evaluateOnNewDocument(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    }));
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('wasm');
    const notice = await page.$eval('#notice', (e) => ((e as HTMLElement).hidden ? '' : e.textContent ?? ''));
    expect(notice).toMatch(/WebGPU is unavailable.*Reason: .*navigator\.gpu/);
    expect(await page.$eval('#backend-webgpu', (e) => (e as HTMLInputElement).disabled)).toBe(true);
    // The disabled choice says why (its title: on hover, and a screen reader's description); the ones on say nothing.
    const titles = await page.$$eval('input[name="backend"]', (els) => els.map((e) => `${e.id}: ${(e as HTMLInputElement).title}`));
    expect(titles[0]).toMatch(/^backend-webgpu: WebGPU is unavailable here: .*navigator\.gpu/);
    expect(titles.slice(1)).toEqual(['backend-wasm: ', 'backend-cpu: ']);
    await act(page, '#step-forward');
    const nodes = await page.$$eval('#diagram [data-node]', (els) => els.map((e) => e.textContent ?? '').join(' | '));
    expect(shows(nodes, 'ŷ')).toBe(true);
    // On the wide layout the notice covers no control: not the Train on switch (the student's way out), nor any
    // other (it floated over the switch until dismissed); the workspace's top stays under the header.
    expect(await coveredByNotice(page)).toEqual([]);
    expect(await page.evaluate(() => document.getElementById('main')!.getBoundingClientRect().top - document.querySelector('header')!.getBoundingClientRect().bottom)).toBe(0);
    await shot(page, 'no-webgpu');
    await page.setViewport({ width: 1440, height: 900 });
    expect(await coveredByNotice(page)).toEqual([]);
    await shot(page, 'no-webgpu-1440');
    await page.setViewport({ width: 1280, height: 800 });
    // The warning can be dismissed, and stays dismissed after the next action (drawDevice runs after each).
    const hidden = () => page.$eval('#notice', (e) => (e as HTMLElement).hidden);
    await page.click('#notice-close');
    expect(await hidden()).toBe(true);
    await act(page, '#step-loss');
    expect(await hidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('exports a spec, imports it back into the same state, and rejects a bad file with the field named', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=xor');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '50'; });
    await act(page, '#train');
    const exported = await download(page, '#export-spec', 'xor-2-4-1.json');
    const file = join(DOWNLOADS, 'exported.json');
    copyFileSync(join(DOWNLOADS, 'xor-2-4-1.json'), file);
    await act(page, '#reset');
    // The reset weights differ from the trained ones…
    const afterReset = await download(page, '#export-spec', 'xor-2-4-1.json');
    expect(afterReset.params).not.toEqual(exported.params);
    // …and importing the file brings the trained state back exactly.
    const input = await page.$('#import-spec');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await idle(page);
    const again = await download(page, '#export-spec', 'xor-2-4-1.json');
    expect(again).toEqual(exported);
    // The CLI's format: a spec `backprop grad` accepts (validated by the engine's own validateSpec).
    expect(() => validateSpec(exported)).not.toThrow();
    const cli = spawnSync(process.execPath, ['bin/backprop.js', 'grad', file, '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(cli.status, cli.stderr).toBe(0);
    expect(Number.isFinite((JSON.parse(cli.stdout) as { loss: number }).loss)).toBe(true);
    // A bad file: a typed error naming the field, and the state unchanged.
    const bad = join(DOWNLOADS, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...exported, layers: [{ units: 4, activation: 'tanhh' }, (exported.layers as unknown[])[1]] }));
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(bad);
    await idle(page);
    expect(await errorNotice(page)).toMatch(/layers\[0\]\.activation/);
    expect(await download(page, '#export-spec', 'xor-2-4-1.json')).toEqual(exported);
    // The Preset menu says the net came from a file: it stayed on XOR, a net no longer loaded, where a student choosing
    // XOR again changed nothing (a browser fires no change for the option already chosen; puppeteer's select does, so
    // the menu's value is what is checked). Choosing XOR then loads the preset: its starting weights, the reset ones.
    expect(await presetMenu(page)).toEqual(['', '(your own data or net)']);
    await choosePreset(page, 'xor');
    expect(await presetMenu(page)).toEqual(['xor', 'XOR: 2-4-1 (the four corners)']);
    expect((await download(page, '#export-spec', 'xor-2-4-1.json')).params).toEqual(afterReset.params);
    expect(errors).toEqual([]);
  });

  it('edits the net: a wider hidden layer is applied; a bad learning rate is refused, naming the field', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=xor');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '20'; });
    await act(page, '#train');
    await act(page, '#verify');
    const verified = await text(page, '#verify-out');
    expect(verified).toMatch(/^WebAssembly SIMD against the CPU: max \|wasm − CPU\| = /);
    const trained = await download(page, '#export-spec', 'xor-2-4-1.json');
    await page.click('#editor-box summary');
    // The Preset menu names XOR while the net is XOR's, trained, and after an Apply that changed nothing (presets.ts
    // keepsPreset); an edit (the lr below) puts it on "(your own data or net)".
    const onXor = ['xor', 'XOR: 2-4-1 (the four corners)'];
    await act(page, '#editor button[type="submit"]');
    expect(await presetMenu(page)).toEqual(onXor);
    // The units field takes what Apply takes (XOR 2-100000-1 builds): its max="4096" marked 100000 out of range.
    expect(await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '100000'; return (e as HTMLInputElement).validity.valid; })).toBe(true);
    // The editor's group is named by its heading, the summary (a fieldset without a legend was an unnamed group).
    const group = await page.accessibility.snapshot({ root: (await page.$('#editor-fields'))!, interestingOnly: false });
    expect([group?.role, group?.name]).toEqual(['group', 'Edit layers, loss, learning rate, batch']);
    // A layer's units field shows four digits whole (at 3em beside Chromium's spin arrows '10' read '1', '128' '12'),
    // and the layer table still fits its box in the Data column.
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '4096'; });
    expect(await page.$eval('#layer-0-units', (e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.$eval('#editor .layers-box', (e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '4'; });
    // Adding a layer keeps what was typed in the other fields, and the focus in the editor.
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.3'; });
    await page.click('#add-layer');
    expect(await page.$eval('#lr', (e) => (e as HTMLInputElement).value)).toBe('0.3');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-layer');
    expect(await page.$$eval('#editor table.layers tbody tr', (r) => r.length)).toBe(3);
    await page.click('#editor table.layers tbody tr:nth-child(2) button');
    expect(await page.$$eval('#editor table.layers tbody tr', (r) => r.length)).toBe(2);
    // A new learning rate, same shapes: training goes on from the trained weights.
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.5'; });
    await page.focus('#editor button[type="submit"]');
    await page.keyboard.press('Enter');
    await idle(page);
    // Apply from the keyboard rebuilds the editor: the focus is on the new Apply, not dropped to the page (review38c).
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('editor-apply');
    const relr = await download(page, '#export-spec', 'xor-2-4-1.json');
    expect(relr.params).toEqual(trained.params);
    expect(relr.lr).toBe(0.5);
    expect(await presetMenu(page)).toEqual(['', '(your own data or net)']);
    // Verify's line stays: the same weights, net and mini-batch make the same pass (device.ts verifyHolds).
    expect(await text(page, '#verify-out')).toBe(verified);
    // The curve goes on after a new learning rate; another loss starts a new one (from the step count so far).
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(/step 0 loss .* to step 19 loss/);
    // A Fit of one epoch (one full batch of the 4: step 21), then another loss: Fit's state cannot go on to another net
    // (its moments were the BCE's gradients), and the stage line says so (it said nothing: session.ts fitRestarted).
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '1'; });
    await act(page, '#fit');
    await page.select('#loss', 'mse');
    await act(page, '#editor button[type="submit"]');
    expect(await text(page, '#stage-out')).toMatch(/a new loss, mse, mean: a new curve\)\. Fit starts afresh: the optimiser's state \(momentum, Adam's moments\) and the epoch count belonged to the net before the edit\. Press Forward\.$/);
    // The Train line goes with the curve: its "loss A → B" was the BCE's (it stayed beside the new MSE curve); so does
    // Verify's, its numbers the BCE's pass.
    expect(await text(page, '#train-out')).toBe('');
    expect(await text(page, '#verify-out')).toBe('');
    await act(page, '#train');
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(/: \d+ points, step 21 loss .* to step 40 loss/);
    // A batch size that does not divide the 4 examples: the summary says how they are cut (never "full batch").
    await page.$eval('#batch-size', (e) => { (e as HTMLInputElement).value = '3'; });
    await act(page, '#editor button[type="submit"]');
    expect(await text(page, '#data-summary')).toMatch(/; 2 mini-batches a pass: 1 of 3 examples and a last one of 1\.$/);
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '6'; e.dispatchEvent(new Event('change')); });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toBe('');
    expect(await page.$$eval('#diagram [data-node^="z:0:"]', (els) => els.length)).toBe(6);
    // The name follows the new shapes (the file too, below: xor-2-6-1.json).
    expect(await text(page, '#stage-out')).toMatch(/^XOR: 2-6-1 loaded/);
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '-1'; });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toMatch(/\blr\b/);
    // Unchanged: still six hidden units, and training still works.
    expect(await page.$$eval('#diagram [data-node^="z:0:"]', (els) => els.length)).toBe(6);
    // An empty learning rate is named, not taken as 0 (Number('') is 0).
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = ''; });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toMatch(/SpecError: lr: must be a number, got an empty field/);
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.5'; });
    // So is an empty count of units, after a redraw too (adding a layer keeps it empty).
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = ''; e.dispatchEvent(new Event('change')); });
    await page.click('#add-layer');
    expect(await page.$eval('#layer-0-units', (e) => (e as HTMLInputElement).value)).toBe('');
    await page.click('#editor table.layers tbody tr:nth-child(2) button');
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toMatch(/SpecError: layers\[0\]\.units: must be a number, got an empty field/);
    expect(await page.$$eval('#diagram [data-node^="z:0:"]', (els) => els.length)).toBe(6);
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '6'; e.dispatchEvent(new Event('change')); });
    // The seed shown is the one the weights were drawn with, after an Apply that keeps them too; another seed typed
    // and applied draws that seed's weights.
    await act(page, '#new-seed');
    const seed = Number(/New seed (\d+)/.exec(await text(page, '#train-out'))![1]);
    const seeded = await download(page, '#export-spec', 'xor-2-6-1.json');
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.4'; });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toBe('');
    expect(Number(await page.$eval('#seed', (e) => (e as HTMLInputElement).value))).toBe(seed);
    expect((await download(page, '#export-spec', 'xor-2-6-1.json')).params).toEqual(seeded.params);
    await page.$eval('#seed', (e, v) => { (e as HTMLInputElement).value = String(v); }, seed + 1);
    await act(page, '#editor button[type="submit"]');
    expect(Number(await page.$eval('#seed', (e) => (e as HTMLInputElement).value))).toBe(seed + 1);
    expect((await download(page, '#export-spec', 'xor-2-6-1.json')).params).not.toEqual(seeded.params);
    await shot(page, 'editor', '#region-data');
    // Choosing XOR again loads the preset: 2-4-1 at its lr (a browser fires no change for the option already chosen:
    // the menu left on XOR over this 2-6-1 net loaded nothing).
    expect(await presetMenu(page)).toEqual(['', '(your own data or net)']);
    await choosePreset(page, 'xor');
    expect(await presetMenu(page)).toEqual(onXor);
    const back = await download(page, '#export-spec', 'xor-2-4-1.json');
    expect([(back.layers as { units: number }[]).map((l) => l.units), back.lr]).toEqual([[4, 1], 1]);
    expect(errors).toEqual([]);
  });

  it('makes a share link that opens the same net', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=lecture-relu-exercise');
    await act(page, '#share');
    const link = await page.evaluate(() => location.hash);
    expect(link).toMatch(/^#spec=/);
    const other = await openLab(errors, link);
    expect(await errorNotice(other)).toBe('');
    const a = await page.$eval('#preset-about', (e) => e.textContent);
    expect(await other.$eval('#preset-about', (e) => e.textContent)).toBe(a);
    expect(await other.$eval('#lecture-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    // The link's net is the lecture's own (its checks shown): the Preset menu names the lecture (it said "(your own data
    // or net)" over the lecture's checks).
    expect((await presetMenu(other))[0]).toBe('lecture-relu-exercise');
    // The link stays in the address bar while the page's net is the one it names, and goes (no new history entry) once
    // another is loaded — a preset, an edit — so that a reload does not open the old net.
    const address = (p: Page) => p.evaluate(() => [location.hash, history.length] as const);
    const [, entries] = await address(page);
    expect(await text(page, '#files-out')).toMatch(/address bar/);
    await choosePreset(page, 'xor');
    expect(await address(page)).toEqual(['', entries]);
    // The line under Copy share link goes with the link: it said "it is also in the address bar" with XOR's bare address there.
    expect(await text(page, '#files-out')).toBe('');
    // A link followed in this tab (pasted into the address bar: the fragment changes, nothing reloads) opens its net:
    // the page stayed on XOR with the link in the address bar, which a reload then opened (review labsoak51).
    const follow = (p: Page, hash: string) => p.evaluate((h) => { location.hash = h; }, hash);
    const presetIs = (p: Page, id: string) => p.waitForFunction((v) => (document.getElementById('preset') as HTMLSelectElement).value === v && !document.body.dataset.busy, { timeout: 60_000, polling: 50 }, id);
    await follow(page, link);
    await presetIs(page, 'lecture-relu-exercise');
    expect(await address(page)).toEqual([link, entries + 1]);
    // The page's own anchor loads nothing; a link that cannot be opened leaves the net and puts the address back.
    await follow(page, '#more');
    const broken = `#spec=${Buffer.from(JSON.stringify({ inputs: 2, layers: [{ units: 0, activation: 'sigmoid' }], loss: 'mse' })).toString('base64url')}`;
    await follow(page, broken);
    await page.waitForFunction(() => location.hash === '#more' && !document.body.dataset.busy, { timeout: 60_000, polling: 50 });
    expect(await errorNotice(page)).toMatch(/^Opening the link failed — SpecError: layers\[0\]\.units: .*\. The net on the page stays\./);
    expect((await presetMenu(page))[0]).toBe('lecture-relu-exercise');
    // With training unsaved it asks first, as a reload does (the browser asks nothing for a fragment): refused, the net
    // and the address stay; during a Fit the link opens when the Fit ends.
    await choosePreset(page, 'xor');
    await act(page, '#step-update');
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await follow(page, link);
    await page.waitForFunction(() => location.hash === '#more', { timeout: 60_000, polling: 50 });
    expect(asked).toEqual([expect.stringMatching(/^Open the link\? The training on this page has not been exported or shared/)]);
    expect((await presetMenu(page))[0]).toBe('xor');
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '10000'; });
    await page.$eval('#fit', (e) => (e as HTMLElement).click());
    await page.waitForFunction(() => document.body.dataset.busy === 'Fit', { timeout: 60_000, polling: 20 });
    await follow(page, link);
    await page.waitForFunction(() => /opens when Fit ends/.test(document.getElementById('files-out')!.textContent ?? ''), { timeout: 60_000, polling: 20 });
    expect((await presetMenu(page))[0]).toBe('xor');
    page.once('dialog', (d) => { asked.push(d.message()); void d.accept(); });
    await page.$eval('#stop', (e) => (e as HTMLElement).click());
    await presetIs(page, 'lecture-relu-exercise');
    expect(asked.length).toBe(2);
    expect(await address(page)).toEqual([link, entries + 5]);
    // A link followed while an action writes the address (review51; the event sent at once, in the action, where a
    // paste's comes a task later): a preset's load took it off as a link to another net and it was lost, the page on
    // the preset with a bare address; a link that failed put the address before it back over the one followed during it.
    expect(await followDuring(page, 'lecture-2-2-1', '#preset=xor')).toBe('Load preset');
    await page.waitForFunction(() => !document.body.dataset.busy, { timeout: 60_000, polling: 50 });
    expect([(await presetMenu(page))[0], (await address(page))[0]]).toEqual(['xor', '#preset=xor']);
    expect(await followDuring(page, broken, '#preset=lecture-2-2-1')).toBe('Open link');
    await page.waitForFunction(() => !document.body.dataset.busy, { timeout: 60_000, polling: 50 });
    expect([(await presetMenu(page))[0], (await address(page))[0]]).toEqual(['lecture-2-2-1', '#preset=lecture-2-2-1']);
    // Gone back to an address without a link during the action (Back after a paste): the link no longer opens.
    expect(await followDuring(page, 'xor', '#preset=lecture-relu-exercise', '')).toBe('Load preset');
    await page.waitForFunction(() => !document.body.dataset.busy, { timeout: 60_000, polling: 50 });
    expect([(await presetMenu(page))[0], (await address(page))[0], await text(page, '#files-out')]).toEqual(['xor', '', '']);
    // Before the page's first Load (during probeGpu) a link is left to it (openLink reads the address): it opened beside it.
    expect(await followDuring(page, 'start', '#preset=xor')).toBeUndefined();
    expect((await address(other))[0]).toBe(link);
    await act(other, '#editor button[type="submit"]');
    expect((await address(other))[0]).toBe('');
    // That Apply changed nothing: the net is the lecture's, its checks stay. Another η makes it a net of its own (presets.ts
    // keepsPreset): the checks of the lecture's first step at its η are not this net's — the tab says whose they are.
    expect(await other.$eval('#lecture-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    const lectureLr = await other.$eval('#lr', (e) => (e as HTMLInputElement).value);
    await other.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.37'; });
    await act(other, '#editor button[type="submit"]');
    expect(await other.$eval('#lecture-box', (e) => (e as HTMLElement).hidden)).toBe(true);
    // Both name what differs — the learning rate alone (lecture-relu-exercise's η is 0.1), not every kind of difference.
    const differs = "this net differs from the lecture's in its learning rate (0.37; the lecture's 0.1), so";
    expect(await text(other, '#no-claims')).toMatch(/^The lecture checks of "[^"]+" are for the lecture's own net, as printed; .* Choose the lecture in Data → Preset/);
    expect(await text(other, '#no-claims')).toContain(`${differs} they do not apply here.`);
    // The line under the preset: what differs first, then the lecture's text (after it, it fell out of view: walk49).
    expect(await text(other, '#preset-about')).toMatch(/^This net differs from the lecture's in its learning rate \(0\.37; the lecture's 0\.1\), so the Lecture checks do not apply to it\. The lecture's text \("[^"]+"\) follows: \S/);
    expect(await presetMenu(other)).toEqual(['', '(your own data or net)']);
    // η typed back to the lecture's, on the weights not yet trained: the lecture's own net again, its checks and the
    // menu back (files.ts editedData); it stayed a net of its own until the lecture was chosen again.
    await other.$eval('#lr', (e, lr) => { (e as HTMLInputElement).value = String(lr); }, lectureLr);
    await act(other, '#editor button[type="submit"]');
    expect(await other.$eval('#lecture-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect((await presetMenu(other))[0]).toBe('lecture-relu-exercise');
    // η 0.37 again, then trained: what differs grows with the training (views.ts, changeNow): the weights too, where the
    // list named at the Apply stayed until the next edit.
    await other.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.37'; });
    await act(other, '#editor button[type="submit"]');
    await other.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '3'; });
    await act(other, '#train');
    const grown = "this net differs from the lecture's in its learning rate (0.37; the lecture's 0.1) and its weights (not the lecture's starting ones), so";
    expect(await text(other, '#preset-about')).toContain(`T${grown.slice(1)} the Lecture checks do not apply to it. The lecture's text (`);
    expect(await text(other, '#no-claims')).toContain(`${grown} they do not apply here.`);
    // η back (the weights alone differ), then Reset to the starting weights, which are the lecture's: the lecture again,
    // its checks and the menu (it said "This net is not the lecture's own net": review49c).
    await other.$eval('#lr', (e, lr) => { (e as HTMLInputElement).value = String(lr); }, lectureLr);
    await act(other, '#editor button[type="submit"]');
    expect(await text(other, '#preset-about')).toMatch(/^This net differs from the lecture's in its weights \(not the lecture's starting ones\), so/);
    await act(other, '#reset');
    expect(await other.$eval('#lecture-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect((await presetMenu(other))[0]).toBe('lecture-relu-exercise');
    expect(await text(other, '#preset-about')).not.toMatch(/^This net/);
    // A link the engine refuses (a layer of 0 units) or an unknown preset: the error stays on screen, naming the
    // field, and the default lecture is loaded instead, with every control working.
    const zeroUnits = Buffer.from(JSON.stringify({ inputs: 2, layers: [{ units: 0, activation: 'sigmoid' }], loss: 'mse' })).toString('base64url');
    const bad = await openLab(errors, `#spec=${zeroUnits}`);
    expect(await errorNotice(bad)).toMatch(/^Opening the link failed — SpecError: layers\[0\]\.units: .*\. The lecture-2-2-1 preset is loaded instead\./);
    expect(await bad.$eval('#preset', (e) => (e as HTMLSelectElement).value)).toBe('lecture-2-2-1');
    for (const id of ['preset', 'import-spec', 'open-import', 'train', 'step-forward', 'backend-cpu', 'editor-fields']) {
      expect(await bad.$eval(`#${id}`, (e) => (e as HTMLInputElement).disabled), id).toBe(false);
    }
    await choosePreset(bad, 'xor');
    expect(await errorNotice(bad)).toBe('');
    expect(await text(bad, '#stage-out')).toMatch(/^XOR/);
    // The link carries the editor's batch size and the Fit settings. Leaving asks first only while training is
    // unsaved: not on a fresh net, yes after a step, not after Share (or Export) of that state.
    const wouldWarn = (p: Page) => p.evaluate(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; });
    expect(await wouldWarn(bad)).toBe(false);
    await bad.$eval('#batch-size', (e) => { (e as HTMLInputElement).value = '2'; });
    await act(bad, '#editor button[type="submit"]');
    await act(bad, '#step-update');
    expect(await wouldWarn(bad)).toBe(true);
    // Momentum at its default lr (the net's, XOR's 1): a link restores it as the default, not as typed (below).
    await bad.select('#fit-optimizer', 'momentum');
    const setField = (p: Page, id: string, v: string) => p.$eval(id, (e, value) => { (e as HTMLInputElement).value = value; }, v);
    await setField(bad, '#fit-epochs', '7');
    // Fit, Share and a link check the panel by one rule, the fields named under fit.: an empty lr, epochs past the
    // field's max (a typo such as 1e9 would run for hours).
    const lr = await bad.$eval('#fit-lr', (e) => (e as HTMLInputElement).value);
    await setField(bad, '#fit-lr', '');
    await act(bad, '#share');
    expect(await errorNotice(bad)).toMatch(/^Share failed — SpecError: fit\.optimizer\.lr: must be a number, got an empty field/);
    await setField(bad, '#fit-lr', lr);
    await setField(bad, '#fit-epochs', '20000');
    await act(bad, '#fit');
    expect(await errorNotice(bad)).toMatch(/^Fit failed — SpecError: fit\.epochs: must be an integer 1 … 10000 \(the Fit panel's most\), got 20000/);
    expect(await bad.$eval('#fit-epochs', (e) => (e as HTMLInputElement).max)).toBe('10000');
    await setField(bad, '#fit-epochs', '7');
    // A link that would not open is not made: Fit's batch past the 4 examples is refused as opening it would be.
    await setField(bad, '#fit-batch', '9');
    await act(bad, '#share');
    expect(await errorNotice(bad)).toMatch(/^Share failed — SpecError: fit\.batchSize: is 9, more than the 4 examples/);
    expect(await wouldWarn(bad)).toBe(true);
    await setField(bad, '#fit-batch', '3');
    await act(bad, '#share');
    expect(await errorNotice(bad)).toBe('');
    expect(await wouldWarn(bad)).toBe(false);
    const withSettings = await bad.evaluate(() => location.hash);
    expect(withSettings).toMatch(/^#spec=[\w-]+&batch=2&fit=[\w-]+$/);
    await act(bad, '#step-update');
    expect(await wouldWarn(bad)).toBe(true);
    await (await bad.createCDPSession()).send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    expect((await download(bad, '#export-spec', 'xor-2-4-1.json')).name).toBe('XOR: 2-4-1');
    expect(await wouldWarn(bad)).toBe(false);
    const fitOf = (p: Page) => p.evaluate(() => ['fit-optimizer', 'fit-lr', 'fit-batch', 'fit-epochs', 'batch-size'].map((id) => (document.getElementById(id) as HTMLInputElement).value));
    const restored = await openLab(errors, withSettings);
    expect(await errorNotice(restored)).toBe('');
    expect(await fitOf(restored)).toEqual(['momentum', '1', '3', '7', '2']);
    expect(await text(restored, '#data-summary')).toMatch(/2 mini-batches of 2 examples a pass/);
    expect(await wouldWarn(restored)).toBe(false);
    // The restored lr is momentum's default, as it was where the link was made: Adam then takes its own default on
    // both pages (it kept 1 here when the restore left the lr's default at Adam's 0.01).
    await restored.select('#fit-optimizer', 'adam');
    await bad.select('#fit-optimizer', 'adam');
    expect(await restored.$eval('#fit-lr', (e) => (e as HTMLInputElement).value)).toBe(await bad.$eval('#fit-lr', (e) => (e as HTMLInputElement).value));
    expect(await restored.$eval('#fit-lr', (e) => (e as HTMLInputElement).value)).toBe('0.01');
    // The skip link moves focus to the workspace and leaves the link in the address bar (as #main, a reload lost it).
    await restored.focus('a.skip');
    await restored.keyboard.press('Enter');
    expect(await restored.evaluate(() => [location.hash, document.activeElement?.id])).toEqual([withSettings, 'main']);
    // A bad Fit setting in a link is refused as a bad spec is: the default lecture, the field named, the panel's defaults.
    const badFit = withSettings.replace(/fit=[\w-]+/, `fit=${Buffer.from(JSON.stringify({ optimizer: { name: 'adam', lr: 0.01 }, batchSize: 5, epochs: 7 })).toString('base64url')}`);
    const refused = await openLab(errors, badFit);
    expect(await errorNotice(refused)).toMatch(/^Opening the link failed — SpecError: fit\.batchSize: is 5, more than the 4 examples.*\. The lecture-2-2-1 preset is loaded instead\./);
    expect(await refused.$eval('#preset', (e) => (e as HTMLSelectElement).value)).toBe('lecture-2-2-1');
    // The panel as on any fresh lecture net (README: Adam, lr 0.01, batch all of its 1 example, 20 epochs; full batch).
    expect(await fitOf(refused)).toEqual(['adam', '0.01', '1', '20', '1']);
    for (const id of ['preset', 'train', 'fit', 'share', 'editor-fields']) {
      expect(await refused.$eval(`#${id}`, (e) => (e as HTMLInputElement).disabled), id).toBe(false);
    }
    // At phone width the notice takes its own place above the regions: it covers no part of them (nor the diagram).
    await refused.setViewport({ width: 390, height: 844 });
    await idle(refused);
    const place = await refused.evaluate(() => {
      const r = (id: string) => document.getElementById(id)!.getBoundingClientRect();
      return { notice: r('notice').bottom, main: r('main').top, diagram: r('diagram').top, noticeTop: r('notice').top };
    });
    expect(place.noticeTop).toBeGreaterThanOrEqual(0);
    expect(place.notice).toBeLessThanOrEqual(place.main);
    expect(place.notice).toBeLessThanOrEqual(place.diagram);
    await shot(refused, 'phone-notice');
    // An error from an action further down (Fit, scrolled to the Training region) is pinned to the screen's bottom,
    // in view (in the flow it was off screen). Escape closes it and focus goes back to Fit.
    await refused.$eval('#region-training', (e) => e.scrollIntoView());
    await setField(refused, '#fit-batch', '999');
    await refused.focus('#fit');
    await refused.keyboard.press('Enter');
    await idle(refused);
    expect(await errorNotice(refused)).toMatch(/^Fit failed — SpecError: fit\.batchSize: is 999, more than the 1 example\b/);
    const pinned = await refused.evaluate(() => {
      const r = document.getElementById('notice')!.getBoundingClientRect();
      return { scrollY: window.scrollY, top: r.top, bottom: r.bottom, h: window.innerHeight };
    });
    expect(pinned.scrollY).toBeGreaterThan(0);
    expect(pinned.top).toBeGreaterThanOrEqual(0);
    expect(pinned.bottom).toBeLessThanOrEqual(pinned.h);
    await shot(refused, 'phone-notice-pinned');
    await refused.focus('#notice-close');
    await refused.keyboard.press('Escape');
    expect(await refused.evaluate(() => [document.getElementById('notice')!.hidden, document.activeElement?.id])).toEqual([true, 'fit']);
    const unknown = await openLab(errors, '#preset=nosuch');
    expect(await errorNotice(unknown)).toMatch(/^Opening the link failed — SpecError: preset: no preset 'nosuch'; there are lecture-study-hours-w7, .*\. The lecture-2-2-1 preset is loaded instead\./);
    expect(await unknown.$eval('#preset', (e) => (e as HTMLSelectElement).disabled)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('keeps the weights and goes on on wasm when the GPU device is lost, every label saying so', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#backend-webgpu');
    await idle(page);
    await act(page, '#step-update');
    // An error shown and then hidden by the next action must not keep the device-loss warning away.
    await page.$eval('#fit-batch', (e) => { (e as HTMLInputElement).value = '0'; });
    await act(page, '#fit');
    expect(await errorNotice(page)).toMatch(/Fit failed — SpecError: fit\.batchSize: /);
    expect(await coveredByNotice(page)).toEqual([]); // a later notice, on the wide layout, covers no control either
    // A WebGPU canvas on SwiftShader in headless Chromium loses the device (and every device of the page):
    // the lab's way to lose its training device for real. Where the canvas works, nothing is lost.
    await page.click('#tab-surface');
    await page.click('#surface-soft');
    await act(page, '#surface-draw');
    await page.waitForFunction(() => document.querySelector('#device-badge')?.getAttribute('data-backend') !== 'webgpu', { timeout: 10_000 }).catch(() => undefined);
    await idle(page);
    const backend = await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend);
    const caption = await text(page, '#surface');
    if (backend === 'webgpu') {
      expect(caption).not.toMatch(/3-D view needs WebGPU/);
    } else {
      expect(caption).toMatch(/3-D view failed: .*lost/);
      // The line under the view says so too (it said only what the heatmap showed).
      expect(await text(page, '#surface-out')).toMatch(/ The 3-D view failed — .*lost.*; showing a heatmap instead\.$/);
      // Chromium here has WebAssembly SIMD: 'auto' without WebGPU is wasm, and the badge, the sentence under the
      // switch and the notice all name it; the student chose nothing.
      expect(backend).toBe('wasm');
      expect(await text(page, '#device-badge')).toMatch(/^Training on wasm: /);
      // The notice shows the reason: the sentence leaves it there, the full sentence its title (vis58b).
      expect(await text(page, '#device-why')).toMatch(/^Training on WebAssembly SIMD: WebGPU is unavailable here \(the notice says why\)/);
      expect(await page.$eval('#device-why', (e) => (e as HTMLElement).title)).toMatch(/^Training on WebAssembly SIMD: .*lost/);
      expect(await text(page, '#device-why')).not.toMatch(/as you chose/);
      expect(await page.$eval('#notice', (e) => (e as HTMLElement).hidden ? '' : e.textContent)).toMatch(/trains on WebAssembly SIMD\. Reason: .*GPU device was lost/);
      expect(await page.$eval('#backend-webgpu', (e) => (e as HTMLInputElement).disabled)).toBe(true);
      // The GPU process went with the device: the 2-D canvases lost their contexts and came back blank; the loss
      // curve and the surface's heatmap are drawn again (opaque background: every pixel inked).
      const inked = (sel: string) => page.$eval(sel, (c) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n / (d.length / 4);
      });
      for (const sel of ['#loss-chart', '#surface canvas.loss-surface-canvas']) {
        await page.waitForFunction((s) => {
          const canvas = document.querySelector(s) as HTMLCanvasElement;
          const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          return d[3] > 0 && d[d.length - 1] > 0;
        }, { timeout: 15_000, polling: 100 }, sel).catch(() => undefined);
        expect(await inked(sel), sel).toBeGreaterThan(0.5);
      }
    }
    // Either way the weights after the Update survive: new w5 = 0.40 − 0.0001 × 0.0822 (the lecture's expression).
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const spec = await download(page, '#export-spec', 'lecture-2-2-1.json');
    const w5 = (spec.params as { W: number[][][] }).W[1][0][0];
    expect(Math.abs(w5 - (0.4 - 0.0001 * printed('∂L/∂w5').value))).toBeLessThanOrEqual(0.0001 * 0.00005 + 1e-7);
    await act(page, '#step-forward');
    expect(await text(page, '#stage-out')).toMatch(backend === 'webgpu' ? /on WebGPU/ : /on WebAssembly SIMD/);
    expect(await errorNotice(page)).toBe('');
    expect(errors.filter((e) => !/device|WebGPU|swap ?chain|SharedImage/i.test(e))).toEqual([]);
  });

  it('draws the loss surface over w5 and w6 on demand (a placeholder until then), and reads at phone width', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#tab-surface');
    // No empty box: the placeholder says what Draw does.
    expect(await text(page, '#surface')).toMatch(/press Draw/);
    // Its drawing code (surface.ts, surface-gpu.ts and wgpu-matrix: the chunk assets/surface-*.js, not the grid's
    // worker surface-worker-*.js) comes with the first Draw, not at start; the MNIST subset not at all (a cold start on
    // a slow link fetched it all: README's lab section). Its Draw says what it loads (src/lab/lazy.ts).
    const scripts = (): Promise<string[]> => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.slice(e.name.lastIndexOf('/') + 1)).filter((n) => n.endsWith('.js')));
    const surfaceChunk = (names: string[]) => names.filter((n) => /^surface-/.test(n) && !/^surface-worker-/.test(n));
    expect(surfaceChunk(await scripts())).toEqual([]);
    expect((await scripts()).filter((n) => n.includes('mnist-subset'))).toEqual([]);
    // The 3-D box resets the view: off while Draw runs (ticked then, it disposed the view being drawn, and the
    // surface's line came under the placeholder).
    expect(await page.$eval('#surface-draw', (b) => {
      (b as HTMLButtonElement).click();
      return (document.getElementById('surface-soft') as HTMLInputElement).disabled;
    })).toBe(true);
    await idle(page);
    expect(surfaceChunk(await scripts())).toHaveLength(1);
    expect(await page.$eval('#surface-soft', (e) => (e as HTMLInputElement).disabled)).toBe(false);
    expect(await errorNotice(page)).toBe('');
    expect(await page.$$eval('#surface canvas', (c) => c.length)).toBeGreaterThan(0);
    await page.$eval('#surface', (e) => e.scrollIntoView());
    await shot(page, 'loss-surface', '#surface-box');
    await page.setViewport({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone-390');
    // Another net: the placeholder again, not the 2-2-1's surface over w5 and w6 and its line (they stayed).
    await choosePreset(page, 'xor');
    expect(await text(page, '#surface')).toMatch(/press Draw/);
    expect(await page.$$eval('#surface canvas', (c) => c.length)).toBe(0);
    expect(await text(page, '#surface-out')).toBe('');
    expect(errors).toEqual([]);
  });
});
