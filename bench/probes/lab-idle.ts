/**
 * What the built lab does while nobody touches it (idle63): per scenario, over IDLE_MS of a visible, idle tab in the
 * headless Chromium the browser tests use, the CDP Performance metrics' growth (TaskDuration, ScriptDuration,
 * LayoutCount, RecalcStyleCount), the requestAnimationFrame callbacks and timer firings the page scheduled (an init
 * script wraps them), and the CPU ticks of Chromium's processes (/proc/PID/stat utime + stime, by --type).
 *   node --import ./bin/register-source.mjs bench/probes/lab-idle.ts [IDLE_MS] [scenario …]
 */
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchChromium } from '../../src/node/chromium.ts';
import { buildLabSite, previewLabSite } from '../../src/node/lab-site.ts';
import { IDLE_COUNT } from './idle-count.ts';

const IDLE_MS = Number(process.argv[2] ?? 10_000);
const only = process.argv.slice(3);



/** Chromium's processes (the browser and its descendants), each pid's --type and utime + stime in ticks. */
function ticks(root: number): Map<string, number> {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch { /* gone */ }
  }
  const out = new Map<string, number>();
  const walk = (pid: number) => {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? (pid === root ? 'browser' : 'other');
      const key = type === 'utility' ? `utility:${/--utility-sub-type=[\w.]*?(\w+)(?:\s|\0|$)/.exec(cmd)?.[1] ?? '?'}` : type;
      out.set(key, (out.get(key) ?? 0) + Number(f[11]) + Number(f[12]));
      if (type === 'renderer') {
        for (const t of readdirSync(`/proc/${pid}/task`)) {
          const ts = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
          const comm = ts.slice(ts.indexOf('(') + 1, ts.lastIndexOf(')')).replace(/\s+/g, '_');
          const tf = ts.slice(ts.lastIndexOf(')') + 2).split(' ');
          const k = `  r.${comm}`;
          out.set(k, (out.get(k) ?? 0) + Number(tf[11]) + Number(tf[12]));
        }
      }
    } catch { /* gone */ }
    for (const k of kids.get(pid) ?? []) walk(k);
  };
  walk(root);
  return out;
}

const site = mkdtempSync(join(tmpdir(), 'lab-idle-'));
await buildLabSite(site);
const { url, server } = await previewLabSite(site);
const browser = await launchChromium();
const root = browser.process()!.pid!;

const ready = async (page: Page) => {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('#explain .explain-loading'), { timeout: 60_000 });
};
const idle = (page: Page) => page.waitForFunction(() => !document.body.dataset.busy, { timeout: 300_000, polling: 50 });
const act = async (page: Page, sel: string) => {
  await page.waitForFunction((s) => !(document.querySelector(s) as HTMLButtonElement | null)?.disabled, { timeout: 60_000 }, sel);
  await page.$eval(sel, (e) => (e as HTMLElement).click());
  await idle(page);
};
const setValue = (page: Page, sel: string, v: string) => page.$eval(sel, (e, x) => { (e as HTMLInputElement).value = x; }, v);

const SCENARIOS: Record<string, [string, (p: Page) => Promise<unknown>]> = {
  loaded: ['', async () => {}],
  train: ['', async (p) => { await setValue(p, '#train-steps', '200'); await act(p, '#train'); }],
  'train-webgpu': ['', async (p) => { await p.click('#backend-webgpu'); await idle(p); await setValue(p, '#train-steps', '200'); await act(p, '#train'); }],
  'fit-mnist': ['#preset=mnist', async (p) => { await setValue(p, '#fit-epochs', '1'); await act(p, '#fit'); }],
  'surface-2d': ['', async (p) => { await p.$eval('#tab-surface', (e) => (e as HTMLElement).click()); await act(p, '#surface-draw'); }],
  // NOTE: the 3-D view draws on an unpresented texture, counted (frames): ./idle-count.ts.
  'surface-3d': ['', async (p) => {
    await p.$eval('#tab-surface', (e) => (e as HTMLElement).click());
    await p.$eval('#surface-soft', (e) => (e as HTMLElement).click());
    await act(p, '#surface-draw');
  }],
  notation: ['', async (p) => { await p.$eval('#tab-notation', (e) => (e as HTMLElement).click()); }],
  // The instruments' own check: a page left with a rAF loop and a worker that spins must show both.
  control: ['', (p) => p.evaluate(`(() => {
    const loop = () => requestAnimationFrame(loop);
    loop();
    new Worker(URL.createObjectURL(new Blob(['for (;;);'], { type: 'text/javascript' })));
  })()`)],
  'fit-stop': ['#preset=mnist', async (p) => {
    // Stopped in its second epoch (a 50-epoch Fit of the 1000 digits ended in 2.4 s, before a Stop at 3 s).
    await setValue(p, '#fit-epochs', '200');
    await p.evaluate(`new MutationObserver(() => {
      if (/epoch 2 of 200/.test(document.getElementById('train-out').textContent)) document.getElementById('stop').click();
    }).observe(document.getElementById('train-out'), { childList: true, characterData: true, subtree: true })`);
    await act(p, '#fit');
  }],
};

const METRICS = ['TaskDuration', 'ScriptDuration', 'LayoutCount', 'RecalcStyleCount', 'LayoutDuration'];
for (const [name, [hash, setup]] of Object.entries(SCENARIOS)) {
  if (only.length && !only.includes(name)) continue;
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.evaluateOnNewDocument(IDLE_COUNT);
  const cdp = await page.createCDPSession();
  await cdp.send('Performance.enable');
  await page.goto(url + hash);
  await ready(page);
  const t = Date.now();
  await setup(page);
  const took = ((Date.now() - t) / 1000).toFixed(1);
  const caption = await page.evaluate(() => [document.querySelector('#surface .loss-surface-caption')?.textContent?.slice(0, 60) ?? '',
    document.querySelector('#train-out')?.textContent?.slice(0, 90) ?? '', document.querySelector('#surface-out')?.textContent ?? ''].filter(Boolean).join(' / '));
  const backend = await page.$eval('#device-badge', (e) => (e as HTMLElement).innerText);
  await new Promise((r) => setTimeout(r, Number(process.env.SETTLE_MS ?? 1000))); // let the action's last frames settle
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const counts = () => page.evaluate(() => ({ ...(window as unknown as { __idle: Record<string, number> }).__idle }));
  const [m0, c0, t0] = [await metric(), await counts(), ticks(root)];
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const [m1, c1, t1] = [await metric(), await counts(), ticks(root)];
  const d: Record<string, string> = {};
  for (const k of METRICS) d[k] = k.endsWith('Duration') ? `${((m1[k] - m0[k]) * 1000).toFixed(1)}ms` : String(m1[k] - m0[k]);
  for (const k of Object.keys(c1)) d[k] = String(c1[k] - c0[k]);
  const cpu = [...t1].map(([k, v]) => [k, v - (t0.get(k) ?? 0)] as const).filter(([k, v]) => !k.startsWith(' ') || v > 0).map(([k, v]) => `${k.trim()}=${v}`).join(' ');
  console.log(`${name.padEnd(11)} (setup ${took} s) ${Object.entries(d).map(([k, v]) => `${k}=${v}`).join(' ')} | ticks(1/100 s) ${cpu} | ${backend.replace(/\s+/g, ' ')}${caption ? ` | ${caption.slice(0, 300)}` : ''}`);
  await page.close();
}
await browser.close();
await server.httpServer.close();
