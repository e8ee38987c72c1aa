/**
 * What the SwiftShader probes share: Dawn (npm package `webgpu`) installed as the global WebGPU API, a device,
 * and the CPU time of SwiftShader's worker threads — every thread but Node's main one, where Dawn polls — which
 * is steadier on this shared 2-core machine than wall time; a product probe's dispatch, readback and interleaved timing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dawn = require('webgpu');
for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) globalThis[k] = v;

/** Nanoseconds of CPU time used so far by every thread of this process but the main one. */
export function workerNs() {
  let t = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    if (Number(tid) === process.pid) continue;
    try { t += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { /* thread gone */ }
  }
  return t;
}

// NOTE: kept for the life of the process: a collected Dawn instance takes its devices with it (a segfault).
const gpu = dawn.create([]);

/** A device (with `features`), GPU errors printed; logs the adapter and `what`. */
export async function probeDevice(features, what) {
  const adapter = await gpu.requestAdapter();
  const device = await adapter.requestDevice({ requiredFeatures: features });
  device.onuncapturederror = (e) => console.error('GPU error:', e.error.message);
  console.log(`adapter: ${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}${what}`);
  return device;
}

/** `go(n)`: n dispatches of `pipeline` (gx × gy workgroups, one compute pass each) in one submission, awaited. */
export function dispatcher(device, pipeline, bindGroup, gx, gy) {
  return async (n) => {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < n; i++) {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(gx, gy); pass.end();
    }
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
}

/** The first `count` floats of `buffer` (COPY_SRC), copied back to the host. */
export async function readFloats(device, buffer, count) {
  const read = device.createBuffer({ size: count * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buffer, 0, read, 0, count * 4);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const floats = new Float32Array(read.getMappedRange().slice(0));
  read.destroy();
  return floats;
}

/**
 * Each run's `go` timed in interleaved repetitions (3 of 1 call for products over 1e8 multiply-adds, else 5 of 8),
 * as worker CPU ms per call, pushed to its `ms`.
 */
export async function timeInterleaved(runs, big) {
  const perRep = big ? 1 : 8;
  for (let rep = 0; rep < (big ? 3 : 5); rep++) {
    for (const r of runs) {
      const t0 = workerNs();
      await r.go(perRep);
      r.ms.push((workerNs() - t0) / 1e6 / perRep);
    }
  }
}
