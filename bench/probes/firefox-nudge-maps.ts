/**
 * Probe (not part of the engine or of `npm run bench`): N maps pending at once on one device in headless Firefox with
 * WebGPU on (Mesa's lavapipe), each through settleNudged (src/webgpu/firefox-poll.ts) as a readback of N buffers does
 * (src/webgpu/readback.ts), against one settleNudged on all N; the wall time from the maps' start to the last's settle
 * and the empty submits made, the median of 20 after 5 warm-ups. Run, from the checkout:
 *
 *   node --import ./bin/register-source.mjs bench/probes/firefox-nudge-maps.ts
 *
 * 2026-12-07, Firefox ESR 153.8.0, 2 cores with other work running: with a loop per wait (before ffleft64), 16 maps
 * "each" 4.02 ms and 36 submits against "one" 0.50 ms and 1; with one loop a device, 0.72 ms and 1 against 0.66 ms and 1.
 */
import { launchFirefox } from '../../src/node/firefox.ts';
import { openHarness } from '../../src/node/session.ts';
import { startServer } from '../../src/node/server.ts';
const served = await startServer();
const b = await launchFirefox({ webgpu: true });
try {
  const page = await openHarness(b, served.url);
  const out = await page.evaluate(`(async () => {
    const { settleNudged } = await import('/src/webgpu/firefox-poll.ts');
    const adapter = await navigator.gpu.requestAdapter();
    const device = await adapter.requestDevice();
    const src = device.createBuffer({ size: 4096, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const res = {};
    for (const k of [1, 4, 16]) {
      const staging = Array.from({ length: k }, () => device.createBuffer({ size: 4096, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
      for (const mode of ['each', 'one']) {
        const times = []; const subs = [];
        for (let r = 0; r < 25; r++) {
          let n = 0;
          const counted = { createCommandEncoder: () => device.createCommandEncoder(), queue: { submit: (x) => { n++; device.queue.submit(x); } } };
          const enc = device.createCommandEncoder();
          for (const s of staging) enc.copyBufferToBuffer(src, 0, s, 0, 4096);
          device.queue.submit([enc.finish()]);
          const t0 = performance.now();
          if (mode === 'each') await Promise.all(staging.map((s) => settleNudged(counted, s.mapAsync(GPUMapMode.READ))));
          else await settleNudged(counted, Promise.all(staging.map((s) => s.mapAsync(GPUMapMode.READ))));
          const t = performance.now() - t0;
          for (const s of staging) s.unmap();
          if (r >= 5) { times.push(t); subs.push(n); }
        }
        times.sort((a, b) => a - b); subs.sort((a, b) => a - b);
        res[k + ' ' + mode] = 'median ' + times[times.length >> 1].toFixed(2) + ' ms (min ' + times[0].toFixed(2) + ', max ' + times[times.length - 1].toFixed(2) + '), empty submits median ' + subs[subs.length >> 1];
      }
    }
    return res;
  })()`);
  console.log(JSON.stringify(out, null, 1));
} finally { await b.close(); await served.close(); }
