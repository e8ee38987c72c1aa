/**
 * Smoke tests of the bench page on the suite's shared Chromium. No timing is asserted.
 *  - `npm run bench -- --quick` (issues 4, 14): the page (its own cross-origin-isolated Vite server) runs every
 *    system — ours-webgpu, ours-cpu, TF.js webgpu, webgl, wasm and cpu, jax-js webgpu and wasm, and the notation
 *    issue's scalar engine on config a — on the quick configs; every one ran and agreed on the loss after N steps.
 *  - the built site's dist/bench.html (npm run build; built once per run, ./site.ts), served cross-origin isolated by `vite preview`, runs quick
 *    configs (a and the reduced e, qe-sgd) from a link with autorun=1 and leaves window.benchResults with every row
 *    agreeing; qe trains on the split the page builds from the site's MNIST digits file, byte for byte Node's; a
 *    corrupt or missing digits file stops the run with an error naming it. The page shows each qe row's test
 *    accuracy and fit seconds and each epoch on its status line; at 390 px wide only the table scrolls sideways;
 *    Run with no config ticked says so; every config's title is also text under "What each config is"; a driven
 *    page (driven=1) says it waits for npm run bench until its driver's first request, then shows the environment.
 *  - the built page's Stop (stop57a), pressed once config a's rows are in: the run ends with state `stopped`, a's rows
 *    kept, b-mse's not run, a's target alone; Run again runs whole.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseArgs } from '../../bench/bench.ts';
import { runBrowserBench } from '../../bench/browser.ts';
import { parseQuery } from '../../bench/page/query.ts';
import { targetTable } from '../../bench/page/table.ts';
import type { RunRequest } from '../../bench/page/run.ts';
import { FIT_SYSTEMS, MATMUL_SYSTEMS, QUICK_CONFIGS, QUICK_E, QUICK_MATMUL } from '../../bench/configs.ts';
import { writeOutputs } from '../../bench/output.ts';
import { type BenchResult, markdown, ttaSvg, wasmPeakLines } from '../../bench/report.ts';
import { svgChart } from '../../bench/chart.ts';
import { SYSTEMS } from '../../bench/systems.ts';
import { mnistAll, mnistFileOrder } from '../../src/node/mnist.ts';
import { decodeDigits, MNIST_ASSET, MNIST_STANDARDIZE, MNIST_TEST, MNIST_TRAIN } from '../../src/train/mnist.ts';
import { previewLabSite } from '../../src/node/lab-site.ts';
import { builtSite } from './site.ts';
import { disconnectSitePages, withSitePage } from './site-page.ts';

const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.disconnect();
  await disconnectSitePages();
  rmSync(out, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  it('every system runs every quick config in one page, and they agree', async () => {
    browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    const o = { ...parseArgs(['--quick', '--out', out], 'browser'), quiet: true };
    const { result, consoleErrors } = await runBrowserBench(o, 'npm run bench -- --quick', browser);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.env.crossOriginIsolated).toBe(true);
    // SwiftShader has `subgroups`: 'auto' gives config a's net main_lanes, and the record says so.
    expect(result.env.webgpu).toMatchObject({ available: true, tinyNets: 'main_lanes' });
    expect(result.rows.map((r) => `${r.config} ${r.system}`)).toEqual([...QUICK_CONFIGS, ...QUICK_E, QUICK_MATMUL].flatMap((c) => SYSTEMS.map((s) => `${c.id} ${s}`)));
    for (const r of result.rows.filter((x) => x.config.startsWith('qe'))) {
      // The reduced e (issue 14): ours and the peers each trained 2 epochs through their own fit from the same start in
      // the same order; each epoch's mean training loss agreed (rtol 1e-4, bench/configs.ts) and its test accuracy
      // (≤ 2 digits): epoch 2 checks each loop's batch order after epoch 1 (bench/agree-epochs.ts).
      const what = `${r.config} ${r.system}`;
      if (!FIT_SYSTEMS.includes(r.system)) {
        expect(r.status, what).toBe('skipped');
        continue;
      }
      expect(r.status, `${what}: ${r.error ?? ''}`).toBe('ok');
      expect(r.agreement?.ok, what).toBe(true);
      expect(r.epochs, what).toHaveLength(2);
      expect(r.agreement?.later, what).toMatchObject({ through: 2, ok: true });
      expect(r.epochs![0].testAccuracy, what).toBeGreaterThan(0.1);
      expect(r.timeToAccuracy, what).toBeGreaterThan(0);
    }
    expect(result.targets.filter((t) => t.config.startsWith('qe')).map((t) => t.config)).toEqual(['qe-sgd', 'qe-adam']);
    for (const r of result.rows.filter((x) => x.config === 'q-matmul')) {
      // Config f's bare matmul row, small (issue 14): one matmul.wgsl dispatch, tf.matMul and np.matmul, each product
      // within the float32 summation bound of float64 dots on sampled entries, and C[0][0] agreeing.
      const what = `${r.config} ${r.system}`;
      if (!MATMUL_SYSTEMS.includes(r.system)) {
        expect(r.status, what).toBe('skipped');
        continue;
      }
      expect(r.status, `${what}: ${r.error ?? ''}`).toBe('ok');
      expect(r.matmulCheck, what).toMatchObject({ ok: true, entries: 256 });
      expect(r.agreement?.ok, what).toBe(true);
      expect(r.gflops, what).toBeGreaterThan(0);
    }
    for (const r of result.rows.filter((x) => !x.config.startsWith('qe') && x.config !== 'q-matmul')) {
      const what = `${r.config} ${r.system}`;
      if (r.system === 'scalar' && r.config !== 'a') {
        // The scalar engine runs on small configs only: the reduced b has 4·10⁶ chain-rule paths per step.
        expect(r.status, what).toBe('skipped');
        continue;
      }
      expect(r.status, `${what}: ${r.error ?? ''}`).toBe('ok');
      expect(r.agreement?.ok, what).toBe(true);
      expect(Number.isFinite(r.finalLoss), what).toBe(true);
      // ≥ 5 repetitions, or the cap rule's minimum when a loaded machine makes a row outrun its budget (marked capped).
      expect(r.reps, what).toBeGreaterThanOrEqual(r.capped ? o.policy.minReps : 5);
      expect(r.msPerStep!.min, what).toBeLessThanOrEqual(r.msPerStep!.median);
    }
    // Ratios to every peer (TF.js's and jax-js's backends) are present for our systems.
    const ours = result.rows.find((r) => r.config === 'a' && r.system === 'ours-webgpu')!;
    expect(Object.keys(ours.ratios ?? {}).sort()).toEqual(['jax-wasm', 'jax-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu']);
    expect(result.env.jax).toMatchObject({ version: '0.1.25', wasmWorkers: 1 });
    expect(ours.description).toMatch(/WebGPU/);
    expect(result.rows.find((r) => r.system === 'jax-wasm')!.description).toMatch(/jax-js 0\.1\.25 wasm, 1 worker/);
    // ours-wasm (issue 10): ran and agreed above on every quick config; its row states its backend and thread
    // count, the page measured the wasm FMA peak at that count, and each of its rows is reported as a share of it.
    const wasmRows = result.rows.filter((r) => r.system === 'ours-wasm' && r.status !== 'skipped');
    expect(wasmRows.length).toBe(QUICK_CONFIGS.length + QUICK_E.length);
    for (const r of wasmRows) expect(r.description).toMatch(/WebAssembly: .*1 thread/);
    expect(result.env.wasm).toMatchObject({ threads: 1, simd: 'relaxed', tiling: '6 × 2' });
    expect((result.env.wasm as { peakGflops: number }).peakGflops).toBeGreaterThan(0);
    expect(wasmPeakLines(result).length).toBe(wasmRows.filter((r) => r.gflops).length);
    expect(Object.keys(wasmRows[0].ratios ?? {})).toEqual(expect.arrayContaining(['tfjs-wasm', 'jax-wasm']));
    expect(consoleErrors).toEqual([]);
    // What a reader needs to reproduce the run (review item 9): the commit, Chromium's flags (the suite's Chromium:
    // src/node/chromium.ts's), the WebGL renderer TF.js webgl drew on, jax-js's WebGPU adapter, the page's origin and
    // the load average at the start and the end — in the JSON's env and in the Markdown's header line.
    const env = result.env;
    expect(env.git?.commit).toMatch(/^[0-9a-f]{7,}$/);
    expect(env.chromium?.flags).toEqual(expect.arrayContaining(['--enable-unsafe-webgpu', '--enable-features=PdfOopif,Vulkan']));
    expect(env.chromium?.commandLine).toEqual(expect.arrayContaining(['--enable-unsafe-webgpu', '--enable-automation']));
    expect(env.chromium?.flags).not.toContain('--enable-automation'); // puppeteer's default
    expect(env.chromium?.commandLine.some((f) => f.startsWith('--user-data-dir'))).toBe(false);
    expect(env.page).toMatchObject({ served: 'dev server', origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(env.tfjs?.webglRenderer).toMatch(/\S/);
    expect(env.jax?.webgpuAdapter).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String), adapterDescription: expect.any(String) });
    expect(env.load?.start).toHaveLength(3);
    expect(env.load?.end).toHaveLength(3);
    const header = markdown(result).split('\n')[2];
    for (const part of [`commit ${env.git!.commit}`, 'page from the dev server at http://127.0.0.1:', 'Chromium flags ', '--enable-unsafe-webgpu', 'TF.js webgl on ', 'webgpu adapter', 'load average (1 min) ']) {
      expect(header).toContain(part);
    }
    const files = writeOutputs(result, out, 'quick', false);
    for (const f of files) expect(existsSync(f)).toBe(true);
    // The quick qe trained two epochs a system: its time-to-accuracy chart beside its epoch table (quick.md).
    expect(files.some((f) => f.endsWith('quick-tta.svg'))).toBe(true);
    expect(markdown(result)).toContain('## Time to accuracy: qe-sgd');
    expect(JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')).env.browser).toMatch(/Chrom/);
  }, 300_000);

  it('the built dist/bench.html runs quick configs from a link (autorun=1), the reduced e from the site\'s MNIST digits file', async () => {
    browser ??= await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    // The site as `npm run build` makes it (built once per run, shared with the lab files: ./site.ts).
    const outDir = await builtSite();
    expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toContain('href="./bench.html"');
    // The digits file (src/node/mnist-plugin.ts): gzip of the package's 10 000 digits, unpacked here by zlib.
    const gz = readFileSync(join(outDir, MNIST_ASSET));
    expect(gz.length).toBeLessThan(2_000_000);
    const fileOrder = mnistFileOrder();
    const fromFile = decodeDigits(gunzipSync(gz), MNIST_ASSET);
    expect(Buffer.from(fromFile.images).equals(Buffer.from(fileOrder.images))).toBe(true);
    const { url: siteUrl, server } = await previewLabSite(outDir);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    // The digits file as the page gets it: first a corrupt copy (one byte of the gzip stream flipped), then a 404,
    // then the real one; every other request goes through.
    let serve: 'corrupt' | 'missing' | 'real' = 'corrupt';
    const corrupt = Buffer.from(gz);
    corrupt[gz.length >> 1] ^= 0xff;
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      if (!req.url().endsWith(`/${MNIST_ASSET}`) || serve === 'real') return void req.continue();
      void req.respond(serve === 'corrupt' ? { status: 200, contentType: 'application/octet-stream', body: corrupt } : { status: 404, contentType: 'text/plain', body: 'Not found' });
    });
    const finished = async () => {
      await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), { timeout: 240_000, polling: 100 });
      return page.evaluate(() => ({ state: document.body.dataset.state, result: window.benchResults, error: window.benchError, status: document.getElementById('status')!.textContent }));
    };
    const runAgain = () => page.evaluate(() => { document.getElementById('run')!.click(); });
    try {
      // Opened as a file (review page item 6): the hint is npm run preview, for its COOP/COEP; a plain static server
      // loses the wasm threads.
      await page.goto(pathToFileURL(join(outDir, 'bench.html')).href);
      expect(await page.$eval('#env', (e) => e.textContent)).toMatch(/Run npm run preview \(it sends the COOP\/COEP headers .*\) and open it there\. A plain static server .* loses the wasm threads/);
      // A bad link (review page item 4; bench2 items 6, 7): an unknown config, system or parameter name, or a flag
      // other than 1 or 0, is said in an alert at the top of the page (above the form) and in benchError, the state is
      // 'error' at once (no uncaught error, nothing starts), and the form keeps the link's valid parts.
      const bads = [
        ['configs=a,zz&systems=ours-cpu&quick=1&autorun=1', /^the link's configs: unknown config 'zz'/, { configs: ['a'], systems: ['ours-cpu'], quick: true }],
        ['configs=b&systems=jax-wasm,bogus,ours-cpu&quick=true&autorun=1&system=x', /^the link's systems: unknown system 'bogus'.*; the link's quick: wants 1 \(on\) or 0 \(off\), got 'true'; the link's system: unknown parameter \(did you mean systems\?\)/, { configs: ['b-mse', 'b-ce'], systems: ['ours-cpu', 'jax-wasm'], quick: false }],
        // quick=1 without configs= ticks what npm run bench -- --quick runs (bench2 item 11).
        ['systems=ours-cpu,zz&quick=1', /^the link's systems: unknown system 'zz'/, { configs: parseArgs(['--quick'], 'browser').configs.map((c) => c.id), systems: ['ours-cpu'], quick: true }],
      ] as const;
      for (const [query, why, form] of bads) {
        await page.goto(new URL(`bench.html?${query}`, siteUrl).href, { timeout: 120_000 });
        const bad = await page.evaluate(() => {
          const alert = document.getElementById('error')!;
          const ticked = (name: string) => [...document.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
          return {
            state: document.body.dataset.state, error: window.benchError, alert: alert.textContent, role: alert.getAttribute('role'),
            shown: !alert.hidden && alert.getBoundingClientRect().height > 0, aboveForm: alert.getBoundingClientRect().bottom <= document.querySelector('form')!.getBoundingClientRect().top,
            color: getComputedStyle(alert).color, form: { configs: ticked('config'), systems: ticked('system'), quick: (document.getElementById('quick') as HTMLInputElement).checked },
            title: document.querySelector('input[value="b-ce"]')!.parentElement!.title,
            // The same as text under "What each config is" (a title shows only on hover: not on a phone, not to the keyboard).
            boxes: document.querySelectorAll('input[name="config"]').length,
            help: [...document.querySelectorAll('#config-help > summary + ul#config-list > li')].map((li) => li.textContent),
          };
        });
        expect(bad.state, query).toBe('error');
        expect(bad.error, query).toMatch(why);
        expect(bad.alert, query).toBe(bad.error);
        expect([bad.role, bad.shown, bad.aboveForm, bad.color], query).toEqual(['alert', true, true, 'rgb(153, 27, 27)']);
        expect(bad.form, query).toEqual(form);
        // Each config box says what the config is (bench2 item 11c).
        expect(bad.title, query).toMatch(/^b-ce: 784-128-10 \(relu hidden, softmax output\), loss softmax-cross-entropy, batch 64, /);
        expect(bad.help, query).toHaveLength(bad.boxes);
        expect(bad.help, query).toContain(bad.title);
      }
      // A driven page (driven=1, the link npm run bench opens): until its driver's first request it says it waits for
      // one and Run stays pressable; that request sets the counts, and from then on the environment line shows what the
      // run runs on, as a page without driven=1 does, with the driver's facts (its CPU) and counts (jax-js's workers).
      await page.goto(new URL('bench.html?driven=1', siteUrl).href, { timeout: 120_000 });
      const waiting = await page.evaluate(() => ({ env: document.getElementById('env')!.textContent, run: (document.getElementById('run') as HTMLButtonElement).disabled }));
      expect(waiting).toEqual({ env: expect.stringMatching(/^driven=1: waiting for npm run bench .* press Run/), run: false });
      const q = parseArgs(['--quick', '--configs', 'a', '--systems', 'ours-cpu'], 'browser');
      const request: RunRequest = {
        mode: q.mode, configs: q.configs, systems: q.systems, policy: q.policy, command: 'the test\'s driver',
        env: { jaxWasmWorkers: 0, oursWasmThreads: 1 }, host: { cpu: { model: 'the driver\'s CPU', cores: 3 } },
      };
      const driven = await page.evaluate(async (req) => {
        const env = document.getElementById('env')!;
        // Run as the environment line changes: still disabled (the driver's run is going on).
        const runWhenShown: boolean[] = [];
        new MutationObserver(() => runWhenShown.push((document.getElementById('run') as HTMLButtonElement).disabled)).observe(env, { childList: true, characterData: true, subtree: true });
        const result = await window.benchRun!(req);
        return { env: env.textContent, runWhenShown, rows: result.rows.map((r) => `${r.config} ${r.system} ${r.status}`), runAfter: (document.getElementById('run') as HTMLButtonElement).disabled };
      }, request);
      expect(driven.rows).toEqual(['a ours-cpu ok']);
      expect(driven.env).not.toMatch(/waiting/);
      expect(driven.env).toMatch(/^Chrome\/[\d.]+ · backprop-webgpu [\d.]+ · .* · cross-origin isolated \(wasm threads possible\)$/);
      expect(driven.env).toContain(' · jax-js 0.1.25 (wasm workers: 0; ');
      expect(driven.env).toContain(" · CPU the driver's CPU, 3 logical cores · ");
      expect([driven.runWhenShown, driven.runAfter]).toEqual([[true], false]);
      // Not the form's order (bench2 item 11d): the run follows the link's.
      const url = new URL('bench.html?configs=qe-sgd,a&systems=ours-cpu,jax-wasm,ours-webgpu,tfjs-webgl&quick=1&autorun=1', siteUrl);
      await page.goto(url.href, { timeout: 120_000 });
      // A corrupt or missing digits file stops the run before any row, with an error naming the file.
      for (const [kind, why] of [['corrupt', /mnist-digits\.bin\.gz is not the MNIST digits file \(its gzip stream is corrupt: /], ['missing', /could not fetch the MNIST digits file \S*mnist-digits\.bin\.gz: HTTP 404/]] as const) {
        if (kind === 'missing') {
          serve = 'missing';
          await runAgain();
        }
        const failed = await finished();
        expect(failed.state, kind).toBe('error');
        expect(failed.error, kind).toMatch(why);
        expect(failed.status, kind).toMatch(why);
      }
      serve = 'real';
      // Every status line of the real run (each epoch of a fit is one: the page's own line, not only a driver's).
      await page.evaluate(() => {
        const status = document.getElementById('status')!;
        const seen: string[] = [];
        const busy: (string | null)[] = [];
        Object.assign(window, { statusLines: seen, statusBusy: busy });
        new MutationObserver((records) => {
          for (const r of records) for (const n of r.addedNodes) { seen.push(n.textContent ?? ''); busy.push(status.getAttribute('aria-busy')); }
        }).observe(status, { childList: true, characterData: true, subtree: true });
      });
      await runAgain();
      const { state, result, error } = await finished();
      expect(state, error).toBe('done');
      expect(error, 'the missing-file run\'s error is gone (review page item 8)').toBeUndefined();
      expect(result!.env.crossOriginIsolated).toBe(true);
      // In a user's browser the page says what it knows (review item 9): the built site's origin, TF.js webgl's
      // renderer, jax-js's adapter; no commit, Chromium flags or load average (a Node driver's), and no error for it.
      expect(result!.env.page).toEqual({ origin: new URL(siteUrl).origin, served: 'built site' });
      expect(result!.env.tfjs?.webglRenderer).toMatch(/\S/);
      expect(result!.env.jax?.webgpuAdapter).toBeDefined();
      for (const k of ['git', 'chromium', 'load'] as const) expect(result!.env[k], k).toBeUndefined();
      // What code ran, from the build's stamp (review bench38 item 5): the package version and the commit.
      expect(result!.env.build).toMatchObject({ version: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version, commit: expect.stringMatching(/^[0-9a-f]{7,}$/) });
      expect(await page.$eval('#env', (e) => e.textContent)).toMatch(/backprop-webgpu [\d.]+ · commit [0-9a-f]{7,}( \(dirty\))? \(the page's build, /);
      expect(await page.$eval('#env', (e) => e.textContent)).toMatch(/page from the built site at http:\/\/[^ ]+ · .*TF\.js webgl on /);
      // The adapter's name (its description, else its device), or why there is none (bench2 item 11): the suite's
      // Chromium runs without --enable-webgpu-developer-features, which npm run bench passes.
      expect(await page.$eval('#env', (e) => e.textContent)).toMatch(/WebGPU adapter [^·"]*("[^"]+"|, its name hidden \(Chromium shows it with --enable-webgpu-developer-features\))/);
      const systems = ['ours-cpu', 'jax-wasm', 'ours-webgpu', 'tfjs-webgl'];
      expect(result!.rows.map((r) => `${r.config} ${r.system}`)).toEqual(['qe-sgd', 'a'].flatMap((c) => systems.map((s) => `${c} ${s}`)));
      // The browser's full version (bench2 item 11a), as the browser itself reports it, not the user agent's 156.0.0.0.
      expect(result!.env.browser).toBe(`Chrome/${(await browser!.version()).split('/')[1]}`);
      for (const r of result!.rows) expect(r.agreement?.ok, `${r.config} ${r.system}: ${r.error ?? ''}`).toBe(true);
      for (const r of result!.rows.filter((x) => x.config === 'qe-sgd')) {
        expect(r.epochs, r.system).toHaveLength(2);
        expect(r.epochs![0].testAccuracy, r.system).toBeGreaterThan(0.5);
      }
      // The split the page trained on is Node's (src/node/mnist.ts mnistAll, read from the package's JSON here):
      // every byte of the 8 000 training and 2 000 test digits and their labels.
      const split = await page.evaluate(async () => {
        const s = await window.benchMnist!();
        const b64 = (b: Uint8Array) => { let t = ''; for (let k = 0; k < b.length; k += 0x8000) t += String.fromCharCode(...b.subarray(k, k + 0x8000)); return btoa(t); };
        return { standardize: s.standardize, parts: [s.train, s.test].map((p) => ({ count: p.count, images: b64(p.images), labels: b64(p.labels) })) };
      });
      const all = mnistAll();
      expect(split.standardize).toEqual({ ...MNIST_STANDARDIZE });
      split.parts.forEach((p, k) => {
        const [from, n] = k === 0 ? [0, MNIST_TRAIN] : [MNIST_TRAIN, MNIST_TEST];
        expect(p.count).toBe(n);
        expect(Buffer.from(p.labels, 'base64').equals(Buffer.from(all.labels.subarray(from, from + n)))).toBe(true);
        expect(Buffer.from(p.images, 'base64').equals(Buffer.from(all.images.subarray(from * 784, (from + n) * 784)))).toBe(true);
      });
      // The page shows what it measured: one table row per system and config, the chart, the downloads enabled.
      expect(await page.$$eval('#table tbody tr', (rows) => rows.length)).toBe(8);
      expect(await page.$eval('#chart', (e) => e.innerHTML)).toContain('<svg');
      // Its targets (usr56m), as the Markdown's targets table words them (table.ts targetTable, report.ts targetVerdicts).
      const targets = await page.$eval('#targets', (e) => ({ hidden: (e as HTMLElement).hidden, caption: e.querySelector('caption')?.textContent, rows: [...e.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)) }));
      const want = targetTable(result!)!;
      expect(want.rows.length).toBeGreaterThan(0);
      expect(targets).toEqual({ hidden: false, caption: want.caption, rows: want.rows });
      // To a screen reader the chart is one named picture (an unnamed graphic before, its title and tick labels loose
      // words in the page's text).
      type Node = { role: string; name?: string; children?: Node[] };
      const nodes = (n: Node): Node[] => [n, ...(n.children ?? []).flatMap(nodes)];
      const shown = nodes((await page.accessibility.snapshot()) as Node).map((n) => `${n.role}: ${n.name ?? ''}`);
      expect(shown.filter((n) => /per config and system/.test(n))).toEqual([expect.stringMatching(/^image: Chart of steps\/s per config .*table above/)]);
      expect(await page.$eval('#dl-json', (e) => (e as HTMLButtonElement).disabled)).toBe(false);
      // The charts as SVG files (bench2 item 11b): the steps/s chart and, qe-sgd having trained two epochs, the
      // time-to-accuracy chart (a run of one epoch draws none and hides its button: bench2 item 11).
      const files = await page.evaluate(async () => {
        const clicked: { name: string; href: string }[] = [];
        const click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) { clicked.push({ name: this.download, href: this.href }); };
        try {
          document.getElementById('dl-svg')!.click();
          document.getElementById('dl-tta')!.click();
        } finally {
          HTMLAnchorElement.prototype.click = click;
        }
        return Promise.all(clicked.map(async ({ name, href }) => { const b = await (await fetch(href)).blob(); return { name, type: b.type, text: await b.text() }; }));
      });
      expect(files.map((f) => [f.name.replace(/\d/g, '0'), f.type])).toEqual([['bench-0000-00-00T00-00-00-000Z.svg', 'image/svg+xml'], ['bench-0000-00-00T00-00-00-000Z-tta.svg', 'image/svg+xml']]);
      expect(files.map((f) => f.text)).toEqual([svgChart(result!), ttaSvg(result!)]);
      expect(await page.$eval('#dl-tta', (e) => (e as HTMLButtonElement).hidden)).toBe(false);
      // Config e on the page (review item 4): each qe row shows its test accuracy and its fit's seconds, and the
      // status line heard every system's epoch as it ended.
      const table = await page.$$eval('#table tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
      const col = (h: string) => table[0].indexOf(h);
      for (const cells of table.filter((r) => r[0] === 'qe-sgd')) {
        expect(cells[col('test accuracy (e)')], cells[1]).toMatch(/^\d+\.\d% after 2 epochs$/);
        // Ours's rows with epoch 1's phases as its fit measured them (fitPhases), the peers' without.
        const phases = cells[1].startsWith('ours') ? ' — data \\d+, trainer \\d+, upload \\d+, batches \\d+, validation \\d+ ms' : '';
        expect(cells[col('fit time (e)')], cells[1]).toMatch(new RegExp(`^\\d+\\.\\d\\d s \\(epoch 1 \\d+\\.\\d\\d s${phases}, then \\d+\\.\\d\\d s/epoch\\)$`));
      }
      // Counts and ratios as in the Markdown (review page item 2): jax-wasm's row says its workers; ours-webgpu's ratio
      // to jax-wasm says which row it is against.
      expect(table[0].slice(-2)).toEqual(['vs tfjs-webgl', 'vs jax-wasm']);
      const aRow = (sys: string) => table.find((r) => r[0] === 'a' && r[1].startsWith(sys))!;
      expect(aRow('jax-wasm')[1]).toBe('jax-wasm (1 worker)');
      expect(aRow('ours-webgpu')[col('vs jax-wasm')]).toMatch(/^[\d.]+× \(vs 1 worker\)$/);
      expect(aRow('ours-webgpu')[col('vs tfjs-webgl')]).toMatch(/^[\d.]+×$/);
      // The agreement column names the reference (review page item 5).
      expect(aRow('ours-cpu')[col('agreement')]).toBe('reference (the others are judged against it)');
      expect(aRow('jax-wasm')[col('agreement')]).toMatch(/^agrees with ours-cpu \(rel\. err /);
      const lines = await page.evaluate(() => (window as unknown as { statusLines: string[] }).statusLines);
      for (const sys of systems) for (const k of [1, 2]) expect(lines.some((l) => new RegExp(`qe-sgd · ${sys} · fit, epoch ${k}/2: .* test accuracy`).test(l)), `${sys} epoch ${k}`).toBe(true);
      expect(await page.$eval('#status', (e) => e.textContent)).toMatch(/^done in \d+(\.\d)? s: 8 rows ran and agreed$/);
      // A screen reader hears the status line (a live region), not each of the run's ~40 lines: busy while it runs, and
      // the progress bar has a name.
      // (The observer reads the attribute after the fact: the last line's records arrive once the run has ended.)
      const notBusy = await page.evaluate(() => {
        const w = window as unknown as { statusBusy: (string | null)[]; statusLines: string[] };
        return w.statusLines.slice(0, -1).filter((_, k) => w.statusBusy[k] !== 'true');
      });
      expect(notBusy).toEqual([]);
      expect(await page.evaluate(() => {
        const [status, bar] = [document.getElementById('status')!, document.getElementById('progress')!];
        return [status.getAttribute('role'), status.getAttribute('aria-busy'), bar.getAttribute('aria-label')];
      })).toEqual(['status', null, 'the run\'s progress']);
      // 390 × 844 (review item 9): the page does not scroll sideways; the table scrolls inside its own box.
      await page.setViewport({ width: 390, height: 844 });
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, table: document.getElementById('table')!.scrollWidth }));
      expect(widths.page).toBeLessThanOrEqual(390);
      expect(widths.table).toBeGreaterThan(390);
      // Run with no config ticked (review item 8) says so and starts nothing; the last run's result, table, targets and
      // chart go with it (usr56m: state `error` stood beside the last run's benchResults and table).
      const empty = await page.evaluate(() => {
        for (const i of document.querySelectorAll<HTMLInputElement>('input[name="config"]')) i.checked = false;
        document.getElementById('run')!.click();
        return { state: document.body.dataset.state, results: window.benchResults, rows: document.querySelectorAll('#table tr').length, targets: document.getElementById('targets')!.hidden, chart: document.getElementById('chart')!.innerHTML };
      });
      expect(await page.$eval('#status', (e) => e.textContent)).toMatch(/^nothing to run: no config selected/);
      expect(empty).toEqual({ state: 'error', results: undefined, rows: 0, targets: true, chart: '' });
      // A run from the form (review page items 8 and 3): the moment it starts, the last run's table, chart, results and
      // error are gone, the new run's table has its heads and its row to come (bench48: it was empty until the first
      // rows); it is recorded as the link of the form's choices, which reads back to them. The ours-wasm row to come
      // carries its thread count from Run, as its row will (walk49: it read `ours-wasm` until the config's rows came —
      // the table was drawn at Run without the page's environment, which the adapter's skips need too).
      const atStart = await page.evaluate(() => {
        for (const i of document.querySelectorAll<HTMLInputElement>('input[name="config"], input[name="system"]')) i.checked = ['a', 'ours-cpu', 'ours-wasm'].includes(i.value);
        document.getElementById('run')!.click();
        const table = [...document.querySelectorAll('#table tr')].map((tr) => [...tr.children].map((c) => c.textContent ?? ''));
        return { state: document.body.dataset.state, table, chart: document.getElementById('chart')!.innerHTML, results: window.benchResults, error: window.benchError };
      });
      const wasmLabel = atStart.table.find((r) => r[1].startsWith('ours-wasm'))?.[1] ?? '';
      expect(wasmLabel).toMatch(/^ours-wasm \(\d+ threads?\)$/);
      expect(atStart).toEqual({
        state: 'running', chart: '', results: undefined, error: undefined,
        table: [['config', 'system', 'time/step (median)', 'steps/s', 'loss after N', 'agreement'], ['a', 'ours-cpu', '', '', '', 'running…'], ['a', wasmLabel, '', '', '', 'running…']],
      });
      const again = await finished();
      expect(again.state, again.error).toBe('done');
      expect(await page.$$eval('#table tbody tr th[scope="row"]:nth-child(2)', (cells) => cells.map((e) => e.textContent))).toEqual(['ours-cpu', wasmLabel]);
      const link = new URL(again.result!.command);
      expect(link.pathname).toMatch(/\/bench\.html$/);
      expect(parseQuery(link.search)).toEqual({ configs: ['a'], systems: ['ours-cpu', 'ours-wasm'], quick: true, autorun: true, driven: false });
      expect(again.result!.rows.map((r) => `${r.config} ${r.system}`)).toEqual(['a ours-cpu', 'a ours-wasm']);
      // No e row, no time-to-accuracy chart: its download button goes.
      expect(await page.$eval('#dl-tta', (e) => (e as HTMLButtonElement).hidden)).toBe(true);
      expect(markdown(again.result!)).toContain(`Command: \`${again.result!.command}\``);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  }, 300_000);

  it('Stop, pressed once config a\'s rows are in, ends the run: a\'s rows kept, b-mse\'s not run, state stopped; Run again runs whole', async () => {
    await withSitePage(async (page, siteUrl, errors) => {
      await page.goto(new URL('bench.html?configs=a,b-mse&systems=ours-cpu,tfjs-cpu&quick=1', siteUrl).href, { timeout: 120_000 });
      await page.waitForFunction(() => document.body.dataset.state === 'ready', { timeout: 120_000, polling: 100 });
      const before = await page.$eval('#stop', (e) => ({ disabled: (e as HTMLButtonElement).disabled, name: e.getAttribute('aria-label') }));
      expect(before).toEqual({ disabled: true, name: 'Stop the run' });
      // Run, then Stop as soon as a's rows are drawn (a MutationObserver on the table: no poll's delay), Stop then enabled.
      const stopped = await page.evaluate(() => new Promise<{ enabledWhenPressed: boolean; state?: string; stopAfter: boolean; runAfter: boolean; status: string | null; result?: unknown }>((resolve) => {
        const stop = document.getElementById('stop') as HTMLButtonElement;
        let enabledWhenPressed = false;
        new MutationObserver((_, obs) => {
          const aRows = [...document.querySelectorAll('#table tbody tr')].filter((tr) => tr.children[0]?.textContent === 'a');
          if (aRows.length !== 2 || aRows.some((tr) => /running|waiting/.test(tr.textContent ?? ''))) return;
          obs.disconnect();
          enabledWhenPressed = !stop.disabled;
          stop.click();
        }).observe(document.getElementById('table')!, { childList: true, subtree: true });
        const poll = setInterval(() => {
          if (document.body.dataset.state === 'running') return;
          clearInterval(poll);
          resolve({ enabledWhenPressed, state: document.body.dataset.state, stopAfter: stop.disabled, runAfter: (document.getElementById('run') as HTMLButtonElement).disabled, status: document.getElementById('status')!.textContent, result: window.benchResults });
        }, 50);
        document.getElementById('run')!.click();
      }));
      expect(stopped.state).toBe('stopped');
      expect([stopped.enabledWhenPressed, stopped.stopAfter, stopped.runAfter]).toEqual([true, true, false]);
      const result = stopped.result as BenchResult;
      expect(result.stopped).toBe(true);
      expect(result.rows.map((r) => `${r.config} ${r.system} ${r.status}${r.status === 'skipped' ? `: ${r.error}` : ''}`)).toEqual([
        'a ours-cpu ok', 'a tfjs-cpu ok', 'b-mse ours-cpu skipped: not run (the run was stopped)', 'b-mse tfjs-cpu skipped: not run (the run was stopped)',
      ]);
      expect(result.targets.map((t) => t.config)).toEqual(['a']);
      expect(stopped.status).toMatch(/^stopped after \S+ s: 2 rows ran and agreed \(2 not run\)$/);
      expect(await page.$eval('#dl-md', (e) => (e as HTMLButtonElement).disabled)).toBe(false);
      // Run again: a fresh, whole run (the stopped one cleared), Stop disabled once it is done.
      await page.click('#run');
      await page.waitForFunction(() => ['done', 'stopped', 'error'].includes(document.body.dataset.state ?? ''), { timeout: 240_000, polling: 100 });
      const again = await page.evaluate(() => ({ state: document.body.dataset.state, stopped: window.benchResults?.stopped, rows: window.benchResults?.rows.map((r) => r.status), stop: (document.getElementById('stop') as HTMLButtonElement).disabled }));
      expect(again).toEqual({ state: 'done', stopped: undefined, rows: ['ok', 'ok', 'ok', 'ok'], stop: true });
      expect(errors).toEqual([]);
    });
  }, 300_000);
});
