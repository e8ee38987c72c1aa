// A page that trains off its main thread (test/browser/package.test.ts): lecture-run.ts in a module Web Worker
// (worker.js, bundled beside this file) on cpu, wasm with 2 threads and webgpu, one after another; on the main
// thread the CPU oracle and wasm on 1 thread. window.result: {isolated, main, worker} or {error}.
import type { ModelOptions } from 'backprop-webgpu';
import { type LectureRun, lectureRun } from './lecture-run.ts';

const w = window as unknown as { result?: unknown };
// NOTE: no wide net on webgpu (it is there for the wasm threads); SwiftShader's compile of fit's kernels (which
// predict uses too) is most of this page's time: 3.6 s of the worker's 5.3 s on webgpu, 2026-12-04 on this 2-core machine.
const IN_WORKER: [ModelOptions, { fit: boolean; wide: boolean }][] = [
  [{ backend: 'cpu' }, { fit: true, wide: true }],
  [{ backend: 'wasm', threads: 2 }, { fit: true, wide: true }],
  [{ backend: 'webgpu' }, { fit: true, wide: false }],
];

/** Runs lectureRun in `worker`; once the worker has failed (an error event: it did not load, or threw outside a run), every run rejects. */
function runner(worker: Worker): (options: ModelOptions, also: { fit: boolean; wide: boolean }) => Promise<LectureRun> {
  let failed: Error | null = null;
  let pending: { resolve: (r: LectureRun) => void; reject: (e: Error) => void } | null = null;
  worker.onerror = (e) => {
    failed ??= new Error(`the worker failed: ${e.message}`);
    pending?.reject(failed);
  };
  worker.onmessage = (e: MessageEvent<{ run?: LectureRun; error?: string }>) => (e.data.run ? pending?.resolve(e.data.run) : pending?.reject(new Error(e.data.error)));
  return (options, also) => new Promise((resolve, reject) => {
    if (failed) return reject(failed);
    pending = { resolve, reject };
    worker.postMessage({ options, also });
  });
}

try {
  const all = { fit: true, wide: true };
  const main = { cpu: await lectureRun({ backend: 'cpu' }, all), wasm: await lectureRun({ backend: 'wasm', threads: 1 }, all) };
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const inWorker = runner(worker);
  const inside: Record<string, LectureRun | { error: string }> = {};
  for (const [options, also] of IN_WORKER) {
    inside[options.backend!] = await inWorker(options, also).catch((err: unknown) => ({ error: String(err) }));
  }
  worker.terminate();
  w.result = { isolated: crossOriginIsolated, main, worker: inside };
} catch (err) {
  w.result = { error: String(err) };
}
