/**
 * What keeping the lab's net for a reload costs (src/lab/keep.ts, keep-page.ts; README "The course lab", **Back,
 * reload and a second tab.**), on MNIST's 784-32-10 after an epoch of Adam:
 * - in Node (CPU backend, random digits of MNIST's shape, medians of 11): keptOf (Model.save), keptBody (JSON +
 *   base64), decodeKept (the reload's read);
 * - in the headless Chromium the browser tests use, on the built lab: sessionStorage's quota (the longest one key
 *   takes, and what it throws past it), the entry's size, the time from a stage button's click (1 Forward … 4 Update,
 *   20 clicks) to its `data-busy` clear and to the frame after (a requestAnimationFrame then a 0 ms timer: the next
 *   paint), a pagehide's write (the tab open alone; medians of 20), setItem of the body (10 times), and the reload.
 *   node --import ./bin/register-source.mjs bench/probes/lab-keep.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeKept, KEEP_PLACE_KEY, keptBody, keptOf } from '../../src/lab/keep.ts';
import { checkLabSpec, LabSession } from '../../src/lab/session.ts';
import { launchChromium } from '../../src/node/chromium.ts';
import { buildLabSite, previewLabSite } from '../../src/node/lab-site.ts';

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const ms = (a: number[]): string => `median ${median(a).toFixed(2)}, ${Math.min(...a).toFixed(2)} to ${Math.max(...a).toFixed(2)}`;

// ——— Node: the cost of the entry's parts ———
{
  let seed = 1;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const x = Array.from({ length: 1000 }, () => Array.from({ length: 784 }, () => Math.round(rand() * 255) / 255));
  const y = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 10 }, (_, c) => (c === i % 10 ? 1 : 0)));
  const lab = checkLabSpec({ name: 'MNIST: 784-32-10', inputs: 784, layers: [{ units: 32, activation: 'sigmoid' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 1 }, x, y, lr: 1 }, 100);
  const s = await LabSession.open(lab, 'cpu', null);
  await s.fit({ optimizer: { name: 'adam', lr: 0.01 }, batchSize: 100, epochs: 1 }, () => {});
  const data = { kind: 'mnist' as const, spec: lab.spec, batchSize: 100 };
  const times = { keptOf: [] as number[], keptBody: [] as number[], decodeKept: [] as number[] };
  let chars = 0;
  for (let k = 0; k < 11; k++) {
    let t0 = performance.now();
    const kept = (await keptOf({ session: s, data, fit: undefined, menu: 'mnist' }))!;
    times.keptOf.push(performance.now() - t0);
    t0 = performance.now();
    const body = keptBody(kept);
    times.keptBody.push(performance.now() - t0);
    chars = body.length;
    t0 = performance.now();
    decodeKept(body, JSON.stringify({ address: '', tab: 'tab-notation' }));
    times.decodeKept.push(performance.now() - t0);
  }
  console.log(`node: entry ${chars} chars; ms: keptOf ${ms(times.keptOf)}; keptBody ${ms(times.keptBody)}; decodeKept ${ms(times.decodeKept)}`);
  s.dispose();
}

// ——— Chromium: the built lab ———
const out = mkdtempSync(join(tmpdir(), 'keep-site-'));
await buildLabSite(out);
const { url, server } = await previewLabSite(out);
const browser = await launchChromium();
const page = await browser.newPage();
page.on('dialog', (d) => void d.accept()); // the leave-page question at the reload
page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
const ready = () => page.waitForFunction(() => document.body.dataset.ready === 'true' && !document.body.dataset.busy, { timeout: 120_000, polling: 50 });
const idle = () => page.waitForFunction(() => !document.body.dataset.busy, { timeout: 300_000, polling: 50 });
const entry = () => page.evaluate(() => sessionStorage.getItem('backprop-lab:kept-net'));
await page.goto(url);
await ready();
const quota = await page.evaluate(() => {
  let lo = 0, hi = 64 * 1024 * 1024, err = '';
  while (hi - lo > 1024) {
    const mid = Math.floor((lo + hi) / 2);
    try {
      sessionStorage.setItem('probe', 'x'.repeat(mid));
      lo = mid;
    } catch (e) {
      hi = mid;
      const d = e as DOMException;
      err = `${d.name} code=${d.code} message=${d.message}`;
    }
    sessionStorage.removeItem('probe');
  }
  return { chars: lo, err };
});
console.log(`quota: ${quota.chars} chars in one key (to 1024); past it ${quota.err}`);
await page.select('#preset', 'mnist');
await idle();
await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '1'; });
await page.$eval('#fit', (e) => (e as HTMLElement).click());
await idle();
console.log('train-out:', await page.$eval('#train-out', (e) => e.textContent));
await page.waitForFunction(() => (sessionStorage.getItem('backprop-lab:kept-net')?.length ?? 0) > 0, { timeout: 10_000 });
console.log('entry chars', (await entry())!.length, 'on', await page.$eval('#device-badge', (e) => (e as HTMLElement).innerText));

// A stage button's click to its busy clear and to the frame after; the stages in order, 20 clicks (5 steps).
const stages = await page.evaluate(async () => {
  const busy: number[] = [], frame: number[] = [];
  const ids = ['step-forward', 'step-loss', 'step-backward', 'step-update'];
  for (let k = 0; k < 20; k++) {
    await new Promise((r) => setTimeout(r, 300)); // the write of the click before, when the page is idle
    await new Promise<void>((done) => {
      const t0 = performance.now();
      const seen = new MutationObserver(() => {
        if (document.body.dataset.busy) return;
        seen.disconnect();
        busy.push(performance.now() - t0);
        requestAnimationFrame(() => setTimeout(() => { frame.push(performance.now() - t0); done(); }, 0));
      });
      seen.observe(document.body, { attributes: true, attributeFilter: ['data-busy'] });
      (document.getElementById(ids[k % 4]) as HTMLButtonElement).click();
    });
  }
  return { busy, frame };
});
console.log(`stage click ms (20): to busy clear ${ms(stages.busy)}; to the next frame ${ms(stages.frame)}`);

// A pagehide's write: the tab open changed each time, the body written before.
const hide = await page.evaluate(() => {
  const t: number[] = [];
  for (let k = 0; k < 20; k++) {
    (document.getElementById(k % 2 ? 'tab-surface' : 'tab-notation') as HTMLElement).click();
    const t0 = performance.now();
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    t.push(performance.now() - t0);
  }
  return t;
});
console.log(`pagehide write ms (20, the place alone): ${ms(hide)}`);
const bodyMs = await page.evaluate(() => {
  const body = sessionStorage.getItem('backprop-lab:kept-net')!;
  const t: number[] = [];
  for (let k = 0; k < 10; k++) {
    const t0 = performance.now();
    sessionStorage.setItem('probe', body + k);
    t.push(performance.now() - t0);
    sessionStorage.removeItem('probe');
  }
  return t;
});
console.log(`body setItem ms (10): ${ms(bodyMs)}`);
const before = await entry();
const t0 = Date.now();
await page.reload();
await ready();
console.log('reload to ready ms', Date.now() - t0);
console.log('stage-out:', await page.$eval('#stage-out', (e) => e.textContent));
const after = await entry();
console.log('entry after the reload the same text:', after === before, 'place', await page.evaluate((k) => sessionStorage.getItem(k), KEEP_PLACE_KEY));
await browser.close();
server.httpServer.close();
process.exit(0);
