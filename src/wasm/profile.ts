/**
 * Per-kernel profile of one net's wasm step, on one thread: the net's module built with `mark` calls after
 * each kernel (./program.ts, ModuleOptions.profile), timed by the host with performance.now(). The same
 * kernels and addresses as the backend's module; only the marks differ. Runs in Node and in a browser page
 * (src/node/wasm-profile.ts drives both). For finding what to speed up, never for a test's verdict.
 */
import { initParams, mulberry32 } from '../init.ts';
import type { Net } from '../spec.ts';
import { type Tiling, tilingFor } from './gemm.ts';
import { HOST_IMPORTS, PAGE, RUN_MODE, layoutOf, netModule } from './program.ts';
import type { RunFn } from './net.ts';

export interface KernelTime {
  label: string;
  /** Median over the timed steps, milliseconds. */
  ms: number;
}

export interface ProfileResult {
  simd: 'relaxed' | 'simd';
  steps: number;
  /** Median ms of a whole step (sum of the kernels' medians may differ a little). */
  stepMs: number;
  kernels: KernelTime[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Profile `steps` steps (after `warm` untimed ones) of `net` on batches of `n`, He weights, inputs U(0, 1), one-hot labels. */
export function profileNet(net: Net, n: number, o: { relaxed: boolean; steps?: number; warm?: number; tiling?: Tiling; update?: boolean; lr?: number; shared?: boolean }): ProfileResult {
  const steps = o.steps ?? 5;
  const tiling = o.tiling ?? tilingFor(o.relaxed ? 'relaxed' : 'simd'); // the backend's for that SIMD kind
  const layout = layoutOf(net, n, 16, 1, tiling);
  const shared = o.shared ?? false;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(layout.end / PAGE), maximum: 32768, shared });
  const labels: string[] = [];
  const bytes = netModule(net, n, layout, { relaxed: o.relaxed, tiling, shared, maxPages: 32768, profile: { labels } });
  const stamps: number[] = [];
  const mark = (id: number): void => {
    stamps.push(id, performance.now());
  };
  const run = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, ...HOST_IMPORTS, mark } }).exports.run as RunFn;

  const params = initParams(net, 'he', 4);
  const f32 = (at: number, length: number) => new Float32Array(memory.buffer, at, length);
  net.layers.forEach((layer, l) => {
    f32(layout.layers[l].W, layer.units * layer.fanIn).set(params.W[l]);
    f32(layout.layers[l].b, params.b[l].length).set(params.b[l]);
  });
  const rand = mulberry32(1004);
  const outputs = net.layers[net.layers.length - 1].units;
  f32(layout.X, net.inputs * n).set(Float32Array.from({ length: net.inputs * n }, rand));
  const Y = f32(layout.Y, outputs * n);
  Y.fill(0);
  for (let c = 0; c < n; c++) Y[Math.floor(rand() * outputs) * n + c] = 1;

  const update = o.update ?? true ? RUN_MODE.update : RUN_MODE.step;
  const lr = o.lr ?? 1e-6;
  for (let k = 0; k < (o.warm ?? 2); k++) run(1, lr, update, 0, 1);
  const per = new Map<string, number[]>();
  const whole: number[] = [];
  for (let k = 0; k < steps; k++) {
    stamps.length = 0;
    const t0 = performance.now();
    run(1, lr, update, 0, 1);
    const t1 = performance.now();
    whole.push(t1 - t0);
    let prev = t0;
    for (let s = 0; s < stamps.length; s += 2) {
      const label = labels[stamps[s]];
      const t = stamps[s + 1];
      per.set(label, [...(per.get(label) ?? []), t - prev]);
      prev = t;
    }
  }
  return {
    simd: o.relaxed ? 'relaxed' : 'simd',
    steps,
    stepMs: median(whole),
    kernels: [...per.entries()].map(([label, ts]) => ({ label, ms: median(ts) })),
  };
}
