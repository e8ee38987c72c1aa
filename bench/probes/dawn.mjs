/**
 * What the SwiftShader probes share: Dawn (npm package `webgpu`) installed as the global WebGPU API, a device,
 * and the CPU time of SwiftShader's worker threads — every thread but Node's main one, where Dawn polls — which
 * is steadier on this shared 2-core machine than wall time.
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
