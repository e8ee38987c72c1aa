/**
 * ours-webgpu's kernel variants side by side on SwiftShader (issue 14), through `npm run bench`'s own path
 * (runBrowserBench on the suite's shared Chromium): --webgpu-variants with all five on quick-sized configs a and q-mse
 * (steps) and q-matmul (the bare product), short repetitions (--target-ms 5). Not qe-sgd: a fit's products are the
 * same matmul kernel as a train's (q-mse), its other kernels (gather, update, loss sums) the same in every variant,
 * and its five MNIST fits cost CI about 10 s. SwiftShader has `subgroups`, so every variant runs here
 * ('auto' is blocked-subgroup on it); each row is its own backend with its own kernels, and agrees with ours-cpu (the
 * CPU oracle) under the config's tolerance, or, on q-matmul, holds the float32 summation bound against float64 dots.
 * A variant the adapter cannot run is test/bench-variants.test.ts's (a stand-in adapter). No timing is asserted.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseArgs } from '../../bench/bench.ts';
import { runBrowserBench } from '../../bench/browser.ts';
import { parseQuery } from '../../bench/page/query.ts';
import { BENCH_PAGE, startBenchServer } from '../../bench/server.ts';
import { systemLabel } from '../../bench/labels.ts';
import { WEBGPU_VARIANTS } from '../../bench/systems.ts';

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.disconnect();
});

/** The entry point each variant's product runs (src/webgpu/matmul.ts planMatmul, grad_w on a 96×160·160×80 product). */
const ENTRY = { blocked: /main_blocked\b/, 'blocked-subgroup': /main_blocked_subgroup\b/, tiled: /main_tiled4?\b/, subgroup: /main_subgroup\b/ };

describe('npm run bench -- --webgpu-variants (SwiftShader)', () => {
  it('every variant is its own ours-webgpu row in one run, and each agrees with ours-cpu', async () => {
    browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    const args = ['--quick', '--configs', 'a,q-mse,q-matmul', '--systems', 'ours-webgpu,ours-cpu', '--webgpu-variants', WEBGPU_VARIANTS.join(','), '--reps', '2', '--target-ms', '5'];
    const o = { ...parseArgs(args, 'browser'), quiet: true };
    const { result, consoleErrors } = await runBrowserBench(o, `npm run bench -- ${args.join(' ')}`, browser);
    expect(result.failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
    const auto = (result.env.webgpu as { variant?: string }).variant;
    expect(auto).toBe('blocked-subgroup');
    const labels = [...WEBGPU_VARIANTS.map((v) => `ours-webgpu (${v})`), 'ours-cpu'];
    expect(result.rows.map((r) => `${r.config} ${systemLabel(r)}`)).toEqual(['a', 'q-mse', 'q-matmul'].flatMap((c) => labels.map((l) => `${c} ${l}`)));
    for (const r of result.rows) {
      const what = `${r.config} ${systemLabel(r)}`;
      if (r.config === 'q-matmul' && r.system === 'ours-cpu') {
        expect(r.status, what).toBe('skipped');
        continue;
      }
      expect(r.status, `${what}: ${r.error ?? ''}`).toBe('ok');
      expect(r.agreement?.ok, what).toBe(true);
      if (r.system !== 'ours-webgpu') continue;
      // The row ran the variant it names: its backend says so ('auto': the adapter's choice), and the product its entry point.
      const ran = (r.variant === 'auto' ? auto : r.variant) as keyof typeof ENTRY;
      if (r.config === 'q-matmul') {
        expect(r.description, what).toMatch(new RegExp(`\\(${ran}\\)$`));
        expect(r.description, what).toMatch(ENTRY[ran]);
        expect(r.matmulCheck, what).toMatchObject({ ok: true, entries: 256 });
      } else {
        expect(r.description, what).toContain(`, ${ran} kernels`);
      }
      // The step rows were timed on the GPU too (timestamp-query), each on its own device (bench/page/gpu-probe.ts).
      if ((result.env.webgpu as { timestampQuery?: boolean }).timestampQuery) expect(r.gpuMsPerStep, what).toBeDefined();
    }
    // On the steps configs the variants ran the same steps from the same start: agreement was against ours-cpu each time.
    for (const r of result.rows.filter((x) => x.config !== 'q-matmul')) expect(r.agreement?.ref).toBe('ours-cpu');
  }, 600_000);

  it('the page: webgpuVariants= ticks the form\'s variant boxes, runs one row each, and a run from the form records them in its link', async () => {
    browser ??= await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    const served = await startBenchServer();
    const page = await browser.newPage();
    const finished = async () => {
      await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), { timeout: 240_000, polling: 100 });
      return page.evaluate(() => ({ state: document.body.dataset.state, result: window.benchResults, error: window.benchError }));
    };
    const ticked = () => page.$$eval('input[name="variant"]:checked', (xs) => xs.map((x) => (x as HTMLInputElement).value));
    try {
      await page.goto(new URL(`${BENCH_PAGE}?configs=a&systems=ours-webgpu,ours-cpu&webgpuVariants=tiled,blocked&quick=1&autorun=1`, served.url).href, { timeout: 180_000 });
      const linked = await finished();
      expect(linked.state, linked.error).toBe('done');
      expect(await ticked()).toEqual(['blocked', 'tiled']);
      // The link's order, as for systems and configs.
      expect(linked.result!.rows.map(systemLabel)).toEqual(['ours-webgpu (tiled)', 'ours-webgpu (blocked)', 'ours-cpu']);
      for (const r of linked.result!.rows) expect(r.agreement?.ok, systemLabel(r)).toBe(true);
      // From the form: untick tiled, tick auto (the form's order after the link's), Run.
      await page.evaluate(() => {
        for (const i of document.querySelectorAll<HTMLInputElement>('input[name="variant"]')) i.checked = i.value === 'auto' || i.value === 'blocked';
        document.getElementById('run')!.click();
      });
      const formed = await finished();
      expect(formed.state, formed.error).toBe('done');
      expect(formed.result!.rows.map(systemLabel)).toEqual(['ours-webgpu (blocked)', 'ours-webgpu (auto)', 'ours-cpu']);
      expect(parseQuery(new URL(formed.result!.command).search).webgpuVariants).toEqual(['blocked', 'auto']);
      // No variant ticked, ours-webgpu ticked: nothing starts, and the status says why.
      await page.evaluate(() => {
        for (const i of document.querySelectorAll<HTMLInputElement>('input[name="variant"]')) i.checked = false;
        document.getElementById('run')!.click();
      });
      expect(await page.$eval('#status', (e) => e.textContent)).toMatch(/^nothing to run for ours-webgpu: no kernel variant selected/);
      // The variant boxes are ours-webgpu's: greyed out while it is unticked, back when it is ticked again.
      const variantsOff = () => page.$eval('#variants', (e) => (e.closest('fieldset') as HTMLFieldSetElement).disabled);
      expect(await variantsOff()).toBe(false);
      await page.click('input[name="system"][value="ours-webgpu"]');
      expect(await variantsOff()).toBe(true);
      await page.click('input[name="system"][value="ours-webgpu"]');
      expect(await variantsOff()).toBe(false);
    } finally {
      await page.close();
      await served.close();
    }
  }, 300_000);
});
