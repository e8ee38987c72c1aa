/**
 * Probe (not part of the engine or of `npm run bench`): where a WebGPU call's wall time goes in headless Firefox (wgpu
 * in its GPU process; here on Mesa's lavapipe) against headless Chromium (Dawn on SwiftShader) — README Benchmark,
 * **In Firefox.** Run, from the checkout:
 *
 *   node --import ./bin/register-source.mjs bench/probes/readback-latency.ts [firefox|chromium|both] [reps]   # both 12
 *
 * On one device of its own, each case `reps` times back to back (the first time shown apart: a first-call cost), ms:
 *   submit            queue.submit's return (one trivial dispatch: one workgroup writes one u32)
 *   done              submit, then onSubmittedWorkDone's resolve
 *   done, idle        onSubmittedWorkDone with nothing submitted
 *   map               submit (dispatch + copy to a staging buffer), then mapAsync's resolve
 *   map after done    as map, but onSubmittedWorkDone awaited first; the mapAsync alone is timed
 *   second map        as map, started right after a map resolved and its buffer was unmapped
 *   map, nudged       as map, with an empty queue.submit on each turn of the event loop while it is pending (what
 *                     jax-js's firefoxPoll.ts does in Firefox: wgpu's server polls its devices after a submit)
 *   popErrorScope     push, submit, pop: the pop's resolve
 * and our engine's call as the bench times it: Model.train({ steps }) on config a's net (2-2-1, XOR, lr 0.5), one
 * submission and a readback of the loss and max |θ| (src/webgpu/readback.ts), after a warm-up call.
 */
import type { Browser } from 'puppeteer-core';
import { launchChromium } from '../../src/node/chromium.ts';
import { launchFirefox } from '../../src/node/firefox.ts';
import { openHarness } from '../../src/node/session.ts';
import { startServer } from '../../src/node/server.ts';

const which = process.argv[2] ?? 'both';
const reps = Number(process.argv[3] ?? 12);
if (!['firefox', 'chromium', 'both'].includes(which)) throw new Error(`browser: firefox, chromium or both, not ${which}`);
if (!(Number.isInteger(reps) && reps >= 2)) throw new Error(`reps: an integer ≥ 2, not ${process.argv[3]}`);

// A string, not a function: the page imports the engine through the Vite server.
const probe = (n: number): string => `(async () => {
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice();
  const module = device.createShaderModule({ code: '@group(0) @binding(0) var<storage, read_write> o: array<u32>; @compute @workgroup_size(1) fn main() { o[0] = o[0] + 1u; }' });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const out = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const staging = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
  const submit = (copy) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, group); pass.dispatchWorkgroups(1); pass.end();
    if (copy) enc.copyBufferToBuffer(out, 0, staging, 0, 16);
    device.queue.submit([enc.finish()]);
  };
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  const turn = () => new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); });
  const time = async (f) => { const t0 = performance.now(); await f(); return performance.now() - t0; };
  const cases = {
    'submit': async () => time(() => submit(false)),
    'done': async () => time(async () => { submit(false); await device.queue.onSubmittedWorkDone(); }),
    'done, idle': async () => time(() => device.queue.onSubmittedWorkDone()),
    'map': async () => { const t = await time(async () => { submit(true); await staging.mapAsync(GPUMapMode.READ); }); staging.unmap(); return t; },
    'map after done': async () => { submit(true); await device.queue.onSubmittedWorkDone(); const t = await time(() => staging.mapAsync(GPUMapMode.READ)); staging.unmap(); return t; },
    'second map': async () => {
      submit(true); await staging.mapAsync(GPUMapMode.READ); staging.unmap();
      const t = await time(async () => { submit(true); await staging.mapAsync(GPUMapMode.READ); }); staging.unmap(); return t;
    },
    'map, nudged': async () => {
      const t = await time(async () => {
        submit(true);
        let settled = false;
        const mapped = staging.mapAsync(GPUMapMode.READ).finally(() => { settled = true; });
        while (!settled) { await turn(); if (!settled) device.queue.submit([device.createCommandEncoder().finish()]); }
        await mapped;
      });
      staging.unmap(); return t;
    },
    'popErrorScope': async () => time(async () => { device.pushErrorScope('validation'); submit(false); await device.popErrorScope(); }),
  };
  const rows = {};
  for (const [name, f] of Object.entries(cases)) { const ms = []; for (let k = 0; k < ${n}; k++) ms.push(await f()); rows[name] = ms; }
  device.destroy();
  const { Model } = await import('/src/model.ts');
  const { CONFIG_A, materialize } = await import('/bench/configs.ts');
  const { net, X, Y } = materialize(CONFIG_A);
  const rowsOf = (a, w) => Array.from({ length: a.length / w }, (_, r) => Array.from(a.subarray(r * w, (r + 1) * w)));
  const model = await Model.create({ inputs: net.inputs, layers: CONFIG_A.layers, loss: CONFIG_A.loss, lr: CONFIG_A.lr,
    params: CONFIG_A.weights.params, x: rowsOf(X, net.inputs), y: rowsOf(Y, 1) }, { backend: 'webgpu' });
  for (const steps of [1, 100, 3606, 100000]) {
    await model.train({ steps });
    const ms = [];
    for (let k = 0; k < ${n}; k++) ms.push(await time(() => model.train({ steps })));
    rows['Model.train, ' + steps + ' steps'] = ms;
  }
  model.dispose();
  return { description: model.backend?.description ?? '', rows };
})()`;

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const f = (x: number): string => x.toFixed(x < 1 ? 3 : 1).padStart(8);

async function run(name: string, launch: () => Promise<Browser>): Promise<void> {
  const served = await startServer();
  const browser = await launch();
  try {
    const page = await openHarness(browser, served.url, [], served.harness);
    const { description, rows } = await page.evaluate(probe(reps)) as { description: string; rows: Record<string, number[]> };
    console.log(`\n${name} (${browser.process()?.spawnfile ?? ''}; ${await browser.version()}): ms, ${reps} times each${description ? `; ${description}` : ''}`);
    console.log(`${'case'.padEnd(28)}${'first'.padStart(8)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}  (of the rest)`);
    for (const [c, ms] of Object.entries(rows)) {
      const rest = ms.slice(1);
      console.log(`${c.padEnd(28)}${f(ms[0])}${f(median(rest))}${f(Math.min(...rest))}${f(Math.max(...rest))}`);
    }
  } finally {
    await browser.close();
    await served.close();
  }
}

if (which !== 'chromium') await run('Firefox, WebGPU on', () => launchFirefox({ webgpu: true }));
if (which !== 'firefox') await run('Chromium', () => launchChromium({ args: [] }));
