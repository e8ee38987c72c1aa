/**
 * jax-js wasm without a worker pool, two ways (review bench38 item 1): the built bench page cross-origin isolated with
 * jaxWorkers=0 (bench/jax.ts: no pool, shared memory) against the same page not isolated (no SharedArrayBuffer: no
 * pool, plain memory), and isolated with jaxWorkers=1; page loads alternating, twice over. ours-webgpu beside it for
 * config a's ratio. `quick` as the first argument: the link's quick=1 (25 ms repetitions).
 *
 *   npx vite build --mode lab
 *   python3 -m http.server 4893 --bind 127.0.0.1 --directory dist &    # no COOP/COEP: not isolated
 *   npx vite preview --mode lab --port 4894 --strictPort &              # COOP/COEP: isolated
 *   node bench/probes/jax-wasm-modes.mjs [quick]
 */
import puppeteer from 'puppeteer-core';

const quick = process.argv[2] === 'quick';
const q = `configs=a,b-mse&systems=ours-webgpu,jax-wasm${quick ? '&quick=1' : ''}&autorun=1`;
const modes = [
  ['isolated jaxWorkers=0', `http://127.0.0.1:4894/bench.html?${q}&jaxWorkers=0`],
  ['not isolated (0 workers)', `http://127.0.0.1:4893/bench.html?${q}`],
  ...(quick ? [] : [['isolated jaxWorkers=1', `http://127.0.0.1:4894/bench.html?${q}&jaxWorkers=1`]]),
];
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless=new', '--enable-unsafe-webgpu', '--no-sandbox', '--enable-webgpu-developer-features', '--enable-features=Vulkan', '--use-angle=swiftshader-webgl'],
});
try {
  const page = await browser.newPage();
  for (let k = 0; k < 2; k++) {
    for (const [name, url] of modes) {
      await page.goto(url, { waitUntil: 'load' });
      for (;;) {
        const state = await page.evaluate(() => document.body.dataset.state);
        if (state === 'done' || state === 'error') break;
        await new Promise((r) => setTimeout(r, 300));
      }
      const out = await page.evaluate(() => ({
        isolated: crossOriginIsolated,
        rows: window.benchResults?.rows.map((r) => `${r.config} ${r.system}(${r.threads ?? ''}) ${r.msPerStep?.median.toPrecision(3)} ms`).join(' | '),
        error: window.benchError,
      }));
      console.log(new Date().toISOString(), name, JSON.stringify(out));
    }
  }
} finally {
  await browser.close();
}
