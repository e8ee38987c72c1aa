/**
 * The fused small-net kernel (shaders/train_small.wgsl: whole SGD steps in one dispatch) against the CPU
 * oracle and against the per-kernel WebGPU path, in headless Chromium (SwiftShader without a GPU).
 *
 * The page imports the modules itself (as the smoke test's lifecycle test does) and drives WebGpuBackend
 * directly: `compile(net, n, { fused, fusedEntry })` picks the path per net on one device, and the compiled
 * net's `runKind` / `lastRunKind` say which path ran.
 *
 * Tolerance: the derived bounds of test/lib/tolerance.ts, with the CPU oracle run in Node (test/lib/cpu-steps.ts):
 * the grad within parityBounds, each example's loss L_c within its term of the loss's bound (Bounds.losses); after K steps the parameters within parity.test.ts's k-step bound (kStepBounds:
 * 2·K·lr·(the first step's dW/db bound) + 1e-6 + 1e-5·|p|) and the K-th step's loss within stepLossBound. The
 * fused kernel against the per-kernel path: twice those bounds (each is within them of the CPU).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/browser/harness.ts';
import { type NetworkSpec, validateSpec } from '../../src/spec.ts';
import { type NetCase, randomSpec } from '../lib/random-nets.ts';
import { evaluatePacked, unwrap, useHarnessPage } from './lib.ts';
import { lecture as lectureOf } from '../../src/lectures/index.ts';
import { type GradArrays, compareWithin, describeViolations, gradWithin, type Violation } from '../lib/tolerance.ts';
import { cpuSteps } from '../lib/cpu-steps.ts';
import { CpuBackend } from '../../src/cpu/backend.ts';
import { lecture221Mismatches } from '../lib/lecture221.ts';
import { ELEMENTWISE } from '../lib/activations.ts';

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});

/**
 * How a net is run: the CPU oracle; the fused kernel — main_group with the adapter's workgroup ('fused': 4 on
 * SwiftShader), main_group with 64 invocations (real GPUs' size; on SwiftShader 16 SIMD groups that take turns
 * at every barrier, so a missing barrier shows: dropping the one after the first layer's forward fails 9 of the
 * nets below, where 4 invocations — one SIMD group — hide it), main_single or main_tiny (nets whose widths and
 * batch are ≤ 4, in registers as 4×4 matrices), main_lanes (the same nets on 4 invocations, one example each,
 * subgroupAdd over them); the per-kernel path; or the backend's choice.
 */
type Config = 'cpu' | 'fused' | 'group64' | 'single' | 'tiny' | 'lanes' | 'kernels' | 'auto';

interface State {
  runKind: string;
  fusedEntry: string | null;
  lastRunKind: string | null;
  stepsPerDispatch: number | null;
  loss: number;
  /** The per-example losses L_c of the step (n; WebGPU only: see lossesOf in runInPage), empty for the CPU. */
  losses: number[];
  Z: number[][];
  A: number[][];
  delta: number[][];
  dW: number[][];
  db: number[][];
}

interface Trained {
  steps: number[];
  loss: number;
  W: number[][];
  b: number[][];
  lastRunKind: string | null;
}

interface Outcome {
  grad: State;
  /** One entry per plan: params (and the loss) after the runs of that plan, each starting from the spec's params. */
  trained: Trained[];
}

/**
 * In the page: compile `spec` on each configuration, run grad (1 step, no update), then for each plan start
 * again from the spec's parameters and run its steps (one run per entry, each one submission). Every GPU call
 * runs inside error scopes. The WebGPU backend (one device) is made once per page.
 */
function runInPage(spec: NetworkSpec, configs: Config[], plans: number[][], lr: number): Promise<Record<string, Outcome>> {
  return evaluatePacked(page, async (s: unknown, cs: Config[], ps: number[][], rate: number) => {
    type BackendModule = typeof import('../../src/webgpu/backend.ts');
    type CpuModule = typeof import('../../src/cpu/backend.ts');
    type SpecModule = typeof import('../../src/spec.ts');
    // A plain import() here would be rewritten by vitest's transform before the function reaches the page.
    const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
    const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as BackendModule;
    const { CpuBackend } = (await load('/src/cpu/backend.ts')) as CpuModule;
    const { validateSpec } = (await load('/src/spec.ts')) as SpecModule;
    const g = globalThis as unknown as { smallNetGpu?: ReturnType<typeof WebGpuBackend.create> };
    g.smallNetGpu ??= WebGpuBackend.create();
    const gpu = await g.smallNetGpu;
    const v = validateSpec(s);
    const n = v.batch!.n;
    const plain = (arrays: ArrayLike<number>[]): number[][] => arrays.map((a) => Array.from(a));
    type Range = { buffer: GPUBuffer; offset: number; size: number };
    // The per-example losses L_c of the last run's last step, as the net left them. No read returns them (ReadRequest
    // has no such field; fit, predict and evaluate read them, from per-kernel nets), so from the net's own range:
    // WebGpuNet's private lossPerExample — a buffer of its own on the per-kernel path, a range of `acts` on the fused
    // one, which main_tiny's store_losses and main_lanes' lanes c < n write.
    const lossesOf = async (net: object): Promise<number[]> => {
      const r = (net as { lossPerExample?: Range }).lossPerExample;
      if (!r || r.size !== 4 * n) throw new Error(`the net's lossPerExample range: ${JSON.stringify(r && { offset: r.offset, size: r.size })}, not ${n} floats`);
      const staging = gpu.createBuffer('small-net test: per-example losses', 4 * n, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      try {
        const encoder = gpu.device.createCommandEncoder({ label: 'small-net test: per-example losses' });
        encoder.copyBufferToBuffer(r.buffer, r.offset, staging, 0, 4 * n);
        gpu.device.queue.submit([encoder.finish()]);
        await gpu.mapRead(staging);
        const losses = Array.from(new Float32Array(staging.getMappedRange().slice(0)));
        staging.unmap();
        return losses;
      } finally {
        gpu.destroyBuffer(staging);
      }
    };
    const out: Record<string, unknown> = {};
    try {
      for (const config of cs) {
        out[config] = await gpu.withErrorScopes(`small net (${config})`, async () => {
          const wg = config === 'cpu' ? null : gpu.compile(v.net, n, {
            fused: config === 'kernels' ? 'off' : config === 'auto' ? 'auto' : 'on',
            fusedEntry: config === 'single' || config === 'tiny' || config === 'lanes' || config === 'auto' ? config : 'group',
            ...(config === 'group64' ? { fusedWorkgroup: 64 } : {}),
          });
          const net = wg ?? new CpuBackend().compile(v.net, n);
          try {
            net.writeParams(v.params!);
            net.writeBatch(v.batch!);
            net.run(1, 0, false);
            const r = await net.read({ loss: true, Z: true, A: true, delta: true, grads: true });
            const grad = {
              runKind: wg ? wg.runKind : 'cpu', fusedEntry: wg ? wg.fusedEntry : null, lastRunKind: wg ? wg.lastRunKind : null, stepsPerDispatch: wg ? wg.stepsPerDispatch : null,
              loss: r.loss!, losses: wg ? await lossesOf(wg) : [], Z: plain(r.Z!), A: plain(r.A!), delta: plain(r.delta!), dW: plain(r.dW!), db: plain(r.db!),
            };
            const trained = [];
            for (const steps of ps) {
              net.writeParams(v.params!);
              for (const k of steps) net.run(k, rate, true);
              const t = await net.read({ loss: true, params: true });
              trained.push({ steps, loss: t.loss!, W: plain(t.params!.W), b: plain(t.params!.b), lastRunKind: wg ? wg.lastRunKind : null });
            }
            return { grad, trained };
          } finally {
            net.dispose();
          }
        });
      }
    } catch (err) {
      return { error: { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) } };
    }
    return { ok: out };
  }, spec as unknown, configs, plans, lr).then((r) => unwrap(r as Result<Record<string, Outcome>>));
}


/**
 * The CPU oracle's per-example losses L_c at the spec's parameters: its trainer's predict (forward and output over
 * the batch, src/cpu/train.ts), the public place they come back.
 */
async function cpuLosses(spec: NetworkSpec): Promise<Float32Array> {
  const v = validateSpec(spec);
  const trainer = new CpuBackend().trainer(v.net, v.batch!.n, 'sgd');
  try {
    trainer.writeParams(v.params!);
    return (await trainer.predict(trainer.upload(v.batch!))).losses;
  } finally {
    trainer.dispose();
  }
}

/**
 * `which`'s grad (its per-example losses too) and trained results within the derived bounds of the CPU oracle's,
 * and twice them of the per-kernel path's.
 */
async function expectMatchesOracle(spec: NetworkSpec, r: Record<string, Outcome>, which: Config, plans: number[][], lr: number): Promise<void> {
  const o = await cpuSteps(spec, lr, plans.map((p) => p.reduce((a, b) => a + b, 0)));
  const report = (what: string, v: Violation[]): string => `${which} vs ${what}\n${describeViolations(v)}`;
  const g = r[which].grad;
  const losses = await cpuLosses(spec);
  for (const [other, scale] of [['cpu', 1], ['kernels', 2]] as const) {
    const ref: GradArrays = other === 'cpu' ? o.grad : r.kernels.grad;
    const { violations } = gradWithin(g, ref, o.bounds, scale);
    expect(violations, report(`${other} (grad)`, violations)).toEqual([]);
    const perExample = compareWithin('L_c', g.losses, other === 'cpu' ? losses : r.kernels.grad.losses, Array.from(o.bounds.losses, (e) => scale * e)).violations;
    expect(perExample, report(`${other} (per-example losses)`, perExample)).toEqual([]);
  }
  r[which].trained.forEach((t, k) => {
    expect(t.lastRunKind).toBe('fused');
    expectTrainedWithin(`${which} after ${t.steps} step(s)`, t, o.after[k], r.kernels?.trained[k]);
  });
}

/** Trained results within the CPU's (`o`) bounds, and (if given) within twice them of the per-kernel path's. */
function expectTrainedWithin(what: string, t: Trained, o: Awaited<ReturnType<typeof cpuSteps>>['after'][number], kernels?: Trained): void {
  for (const [ref, scale] of [[{ loss: o.loss, W: o.params.W, b: o.params.b }, 1], ...(kernels ? [[kernels, 2] as const] : [])] as const) {
    const vs = scale === 1 ? 'cpu' : 'kernels';
    expect(Math.abs(t.loss - ref.loss), `${what} vs ${vs}: loss ${t.loss} vs ${ref.loss}`).toBeLessThanOrEqual(scale * o.lossBound);
    const violations = t.W.flatMap((_, l) => [
      ...compareWithin(`W${l + 1}`, t.W[l], ref.W[l], o.bound.W[l].map((e) => scale * e)).violations,
      ...compareWithin(`b${l + 1}`, t.b[l], ref.b[l], o.bound.b[l].map((e) => scale * e)).violations,
    ]);
    expect(violations, `${what} vs ${vs}\n${describeViolations(violations)}`).toEqual([]);
  }
}

const bits = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0];
const bitsOf = (arrays: number[][]): number[][] => arrays.map((a) => a.map(bits));

/** Small nets: every activation, loss, bias mode and reduction; depth 1–4; widths 1–16; batch 1–64. */
const CASES: NetCase[] = [
  { seed: 1, inputs: 1, hidden: [], outputs: 1, hiddenActivation: 'identity', outputActivation: 'identity', loss: 'mse', bias: 'none', reduction: 'mean', batch: 1 },
  { seed: 2, inputs: 2, hidden: [2], outputs: 1, hiddenActivation: 'sigmoid', outputActivation: 'sigmoid', loss: 'mse', bias: 'shared', reduction: 'mean', batch: 1 },
  { seed: 3, inputs: 3, hidden: [16], outputs: 1, hiddenActivation: 'relu', outputActivation: 'sigmoid', loss: 'bce', bias: 'per-unit', reduction: 'sum', batch: 64 },
  { seed: 4, inputs: 4, hidden: [8, 8], outputs: 3, hiddenActivation: 'tanh', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'shared', reduction: 'mean', batch: 32 },
  { seed: 5, inputs: 16, hidden: [16, 16, 16], outputs: 2, hiddenActivation: 'sigmoid', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'sum', batch: 8 },
  { seed: 6, inputs: 5, hidden: [7], outputs: 3, hiddenActivation: 'relu', outputActivation: 'tanh', loss: 'mse', bias: 'none', reduction: 'mean', batch: 17 },
  { seed: 7, inputs: 2, hidden: [4, 4, 4], outputs: 2, hiddenActivation: 'tanh', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'sum', batch: 5 },
  { seed: 8, inputs: 6, hidden: [3], outputs: 1, hiddenActivation: 'identity', outputActivation: 'sigmoid', loss: 'bce', bias: 'shared', reduction: 'mean', batch: 64 },
  { seed: 9, inputs: 1, hidden: [16, 16], outputs: 1, hiddenActivation: 'relu', outputActivation: 'relu', loss: 'mse', bias: 'shared', reduction: 'mean', batch: 13 },
  { seed: 10, inputs: 8, hidden: [12], outputs: 6, hiddenActivation: 'sigmoid', outputActivation: 'sigmoid', loss: 'bce', bias: 'none', reduction: 'sum', batch: 3 },
  { seed: 11, inputs: 16, hidden: [], outputs: 5, hiddenActivation: 'identity', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 64 },
  { seed: 12, inputs: 3, hidden: [9, 9, 9], outputs: 4, hiddenActivation: 'relu', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 32 },
  { seed: 13, inputs: 16, hidden: [16, 16, 16], outputs: 16, hiddenActivation: 'tanh', outputActivation: 'identity', loss: 'mse', bias: 'shared', reduction: 'mean', batch: 12 },
  { seed: 14, inputs: 7, hidden: [5, 11], outputs: 1, hiddenActivation: 'identity', outputActivation: 'tanh', loss: 'mse', bias: 'none', reduction: 'sum', batch: 50 },
  { seed: 15, inputs: 5, hidden: [9, 6], outputs: 3, hiddenActivation: 'leaky_relu', outputActivation: 'leaky_relu', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 19 },
];

const describeCase = (c: NetCase): string =>
  `#${c.seed} ${[c.inputs, ...c.hidden, c.outputs].join('-')} ${c.hidden.length ? `${c.hiddenActivation}/` : ''}${c.outputActivation} ${c.loss} bias=${c.bias} ${c.reduction} n=${c.batch}`;

/** A learning rate that moves the parameters about as much for 'sum' as for 'mean'. */
const rateFor = (c: NetCase): number => (c.reduction === 'sum' ? 0.05 / c.batch : 0.05);

const PLANS = [[1], [7], [100]];

describe('the case list covers what the issue asks', () => {
  it('every activation, loss, bias mode, reduction; depth 1–4; widths 1–16; batch 1–64', () => {
    const has = (f: (c: NetCase) => boolean): boolean => CASES.some(f);
    expect(CASES.length).toBeGreaterThanOrEqual(12);
    for (const act of ELEMENTWISE) {
      expect(has((c) => c.hidden.length > 0 && c.hiddenActivation === act), `hidden ${act}`).toBe(true);
      expect(has((c) => c.outputActivation === act), `output ${act}`).toBe(true);
    }
    for (const loss of ['mse', 'bce', 'softmax-cross-entropy'] as const) expect(has((c) => c.loss === loss), loss).toBe(true);
    for (const bias of ['per-unit', 'shared', 'none'] as const) expect(has((c) => c.bias === bias), bias).toBe(true);
    for (const reduction of ['mean', 'sum'] as const) expect(has((c) => c.reduction === reduction), reduction).toBe(true);
    for (const depth of [1, 2, 3, 4]) expect(has((c) => c.hidden.length + 1 === depth), `depth ${depth}`).toBe(true);
    for (const w of [1, 16]) expect(has((c) => [c.inputs, ...c.hidden, c.outputs].includes(w)), `width ${w}`).toBe(true);
    for (const n of [1, 64]) expect(has((c) => c.batch === n), `batch ${n}`).toBe(true);
    for (const c of CASES) expect(Math.max(c.inputs, c.outputs, ...c.hidden, c.batch / 4)).toBeLessThanOrEqual(16);
  });
});

describe('fused kernel = CPU oracle = per-kernel path (grad, then train(1), train(7), train(100))', () => {
  for (const c of CASES) {
    it(describeCase(c), async () => {
      const spec = randomSpec(c);
      const r = await runInPage(spec, ['fused', 'group64', 'single', 'kernels'], PLANS, rateFor(c));
      expect(r.fused.grad.runKind).toBe('fused');
      expect(r.fused.grad.lastRunKind).toBe('fused');
      expect(r.kernels.grad.runKind).toBe('kernels');
      expect(r.kernels.grad.lastRunKind).toBe('kernels');
      await expectMatchesOracle(spec, r, 'fused', PLANS, rateFor(c));
      // One invocation or a workgroup of any size: every element is computed by one invocation with the same loop.
      for (const other of ['single', 'group64'] as const) {
        expect(r[other].grad.runKind).toBe('fused');
        expect(bits(r[other].grad.loss), `${other} vs fused loss`).toBe(bits(r.fused.grad.loss));
        for (const key of ['Z', 'A', 'delta', 'dW', 'db'] as const) {
          expect(bitsOf(r[other].grad[key]), `${other} vs fused ${key}`).toEqual(bitsOf(r.fused.grad[key]));
        }
        r[other].trained.forEach((t, k) => {
          expect(bits(t.loss), `${other} vs fused loss after ${t.steps}`).toBe(bits(r.fused.trained[k].loss));
          expect(bitsOf(t.W), `${other} vs fused W after ${t.steps}`).toEqual(bitsOf(r.fused.trained[k].W));
          expect(bitsOf(t.b), `${other} vs fused b after ${t.steps}`).toEqual(bitsOf(r.fused.trained[k].b));
        });
      }
    });
  }

  it('a run longer than one dispatch equals the same steps run in pieces (bitwise) and the CPU', async () => {
    const c = CASES[12]; // 16-16-16-16-16 at batch 12: Σ units·fanIn·n = 12 288, about 100 steps a dispatch
    const spec = randomSpec(c);
    const r = await runInPage(spec, ['fused'], [[250], [100, 150], [1, 1, 1, 47, 200]], 0.01);
    const per = r.fused.grad.stepsPerDispatch!;
    expect(per).toBeGreaterThan(1);
    expect(per).toBeLessThan(125); // 250 = two full dispatches and a remainder
    const [whole, ...pieces] = r.fused.trained;
    for (const p of pieces) {
      expect(bitsOf(p.W), `W: 250 vs ${p.steps.join('+')}`).toEqual(bitsOf(whole.W));
      expect(bitsOf(p.b), `b: 250 vs ${p.steps.join('+')}`).toEqual(bitsOf(whole.b));
      expect(bits(p.loss)).toBe(bits(whole.loss));
    }
    expectTrainedWithin('fused after 250 steps', whole, (await cpuSteps(spec, 0.01, [250])).after[0]);
  });
});

/**
 * main_tiny's and main_lanes' nets (inputs, units and batch ≤ 4): every activation, loss, bias mode, reduction and depth 1–4, and
 * the padding edges (width 1, width 4, batch 1 and 4). Two of CASES fit too (#1, #2).
 */
const TINY_CASES: NetCase[] = [
  ...CASES.filter((c) => Math.max(c.inputs, c.outputs, c.batch, ...c.hidden) <= 4),
  { seed: 31, inputs: 3, hidden: [4, 4], outputs: 2, hiddenActivation: 'tanh', outputActivation: 'softmax', loss: 'softmax-cross-entropy', bias: 'per-unit', reduction: 'mean', batch: 3 },
  { seed: 32, inputs: 4, hidden: [3], outputs: 1, hiddenActivation: 'relu', outputActivation: 'sigmoid', loss: 'bce', bias: 'shared', reduction: 'sum', batch: 4 },
  { seed: 33, inputs: 2, hidden: [2, 3, 2], outputs: 1, hiddenActivation: 'identity', outputActivation: 'tanh', loss: 'mse', bias: 'none', reduction: 'mean', batch: 2 },
  { seed: 34, inputs: 4, hidden: [4, 4, 4], outputs: 4, hiddenActivation: 'sigmoid', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'sum', batch: 4 },
  { seed: 35, inputs: 1, hidden: [], outputs: 3, hiddenActivation: 'identity', outputActivation: 'relu', loss: 'mse', bias: 'shared', reduction: 'mean', batch: 4 },
  { seed: 37, inputs: 3, hidden: [4, 2], outputs: 2, hiddenActivation: 'leaky_relu', outputActivation: 'leaky_relu', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 3 },
];

describe('main_tiny and main_lanes (nets ≤ 4 wide, batch ≤ 4) = CPU oracle = per-kernel path', () => {
  it('the tiny cases cover every activation, loss, bias mode, reduction and depth', () => {
    const has = (f: (c: NetCase) => boolean): boolean => TINY_CASES.some(f);
    for (const act of [...ELEMENTWISE, 'softmax'] as const) expect(has((c) => c.outputActivation === act || (c.hidden.length > 0 && c.hiddenActivation === act)), act).toBe(true);
    for (const loss of ['mse', 'bce', 'softmax-cross-entropy'] as const) expect(has((c) => c.loss === loss), loss).toBe(true);
    for (const bias of ['per-unit', 'shared', 'none'] as const) expect(has((c) => c.bias === bias), bias).toBe(true);
    for (const depth of [1, 2, 3, 4]) expect(has((c) => c.hidden.length + 1 === depth), `depth ${depth}`).toBe(true);
    // n < 4: examples n … 3 are padding (main_lanes' lanes c ≥ n, main_tiny's columns), whose losses must not be stored.
    for (const n of [1, 2, 3, 4]) expect(has((c) => c.batch === n), `batch ${n}`).toBe(true);
  });

  for (const c of TINY_CASES) {
    it(describeCase(c), async () => {
      const spec = randomSpec(c);
      const r = await runInPage(spec, ['tiny', 'lanes', 'kernels', 'auto'], PLANS, rateFor(c));
      expect(r.tiny.grad.fusedEntry).toBe('tiny');
      expect(r.lanes.grad.fusedEntry).toBe('lanes');
      expect(r.auto.grad.fusedEntry, "'auto' picks main_lanes for a net it takes, on a device with subgroups").toBe('lanes');
      await expectMatchesOracle(spec, r, 'tiny', PLANS, rateFor(c));
      await expectMatchesOracle(spec, r, 'lanes', PLANS, rateFor(c));
    });
  }

  it("every layer its own activation and bias mode (TINY_CASES' layers share theirs): each layer's override constants", async () => {
    const acts = ['sigmoid', 'relu', 'tanh', 'identity'] as const;
    const biases = ['shared', 'none', 'per-unit', 'shared'] as const;
    const base = randomSpec({ seed: 36, inputs: 3, hidden: [4, 2, 3], outputs: 2, hiddenActivation: 'tanh', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'mean', batch: 3 });
    const b = base.params as { W: number[][][]; b: number[][] };
    const spec: NetworkSpec = {
      ...base,
      layers: base.layers.map((l, k) => ({ ...l, activation: acts[k], bias: biases[k] })),
      params: { W: b.W, b: b.b.map((row, k) => (biases[k] === 'per-unit' ? row : biases[k] === 'shared' ? row[0] : [])) },
    };
    const r = await runInPage(spec, ['tiny', 'lanes', 'kernels'], PLANS, 0.05);
    for (const entry of ['tiny', 'lanes'] as const) await expectMatchesOracle(spec, r, entry, PLANS, 0.05);
  });

  it('a padded example (c ≥ n) whose hidden activations would overflow leaks nothing into dW, db or the loss', async () => {
    // n = 1: examples 1–3 are padding, X = 0 there, so their Z_1 is b_1 = 1e30 and relu keeps it, while the real
    // example's Z_1 = −2e30 + 1e30 gives A_1 = 0. Unmasked, a padded Z_2 = 1e10·1e30 overflows to ∞ and its
    // δ_2 = ∞·0 is NaN in dW_2 and db_2; the CPU and the per-kernel path never compute a padded example.
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'relu' }, { units: 1, activation: 'identity' }], loss: 'mse',
      params: { W: [[[-2e30]], [[1e10]]], b: [[1e30], [0]] }, x: [[1]], y: [[0.5]],
    };
    const r = await runInPage(spec, ['tiny', 'lanes', 'kernels'], PLANS, 0.05);
    for (const entry of ['tiny', 'lanes'] as const) await expectMatchesOracle(spec, r, entry, PLANS, 0.05);
  });

  it("a run longer than one dispatch (32 768 steps) equals the same steps in pieces, bitwise; 'tiny' and 'lanes' refuse a wider net", async () => {
    const spec = randomSpec(TINY_CASES[TINY_CASES.length - 2]);
    const r = await runInPage(spec, ['tiny', 'lanes'], [[40_000], [1, 32_767, 7_232]], 0.01);
    for (const entry of ['tiny', 'lanes'] as const) {
      expect(r[entry].grad.stepsPerDispatch).toBe(32_768);
      const [whole, pieces] = r[entry].trained;
      expect(bitsOf(pieces.W), entry).toEqual(bitsOf(whole.W));
      expect(bitsOf(pieces.b), entry).toEqual(bitsOf(whole.b));
      expect(bits(pieces.loss), entry).toBe(bits(whole.loss));
      await expect(runInPage(randomSpec(CASES[2]), [entry], [], 0)).rejects.toThrow(new RegExp(`fusedEntry: '${entry}' takes nets of at most 4 layers`));
    }
  });
});

/** The 2-2-1 net of lecture 001, from its single transcription (src/lectures/lecture-2-2-1.worked.json). */
const lecture: NetworkSpec = lectureOf('lecture-2-2-1').worked.spec;

describe('the fused kernel on the lectures and on its own', () => {
  it('reproduces the 2-2-1 lecture example (and takes the fused path by default)', async () => {
    const r = await runInPage(lecture, ['auto'], [], 0);
    const g = r.auto.grad;
    expect(g.runKind).toBe('fused');
    expect(g.fusedEntry, "SwiftShader has 'subgroups': main_lanes").toBe('lanes');
    expect(g.lastRunKind).toBe('fused');
    // the lecture's net worked in float64 from its scalar formulas (test/lib/lecture221.ts), not literals
    expect(lecture221Mismatches(g)).toEqual([]);
  });

  it('repeats grad and train(100) bitwise over 10 runs', async () => {
    const spec = randomSpec(CASES[3]);
    const runs: Outcome[] = [];
    for (let k = 0; k < 10; k++) runs.push((await runInPage(spec, ['fused'], [[100]], 0.05)).fused);
    for (const r of runs.slice(1)) {
      expect(bits(r.grad.loss)).toBe(bits(runs[0].grad.loss));
      for (const key of ['Z', 'A', 'delta', 'dW', 'db'] as const) expect(bitsOf(r.grad[key]), key).toEqual(bitsOf(runs[0].grad[key]));
      expect(bits(r.trained[0].loss)).toBe(bits(runs[0].trained[0].loss));
      expect(bitsOf(r.trained[0].W)).toEqual(bitsOf(runs[0].trained[0].W));
      expect(bitsOf(r.trained[0].b)).toEqual(bitsOf(runs[0].trained[0].b));
    }
  });

  it("'auto' uses the fused kernel only for small nets that fit; 'off' never", async () => {
    const probe = (c: NetCase, config: Config = 'auto'): Promise<string> =>
      runInPage(randomSpec(c), [config], [], 0).then((r) => {
        const g = r[config].grad;
        expect(g.lastRunKind).toBe(g.runKind);
        return g.runKind;
      });
    const base = { hiddenActivation: 'tanh', outputActivation: 'identity', loss: 'mse', bias: 'per-unit', reduction: 'mean' } as const;
    // Σ units·fanIn·n = (4·8 + 8·8 + 3·8)·32 = 3840: under the threshold, fits.
    expect(await probe({ ...base, seed: 21, inputs: 4, hidden: [8, 8], outputs: 3, batch: 32 })).toBe('fused');
    expect(await probe({ ...base, seed: 21, inputs: 4, hidden: [8, 8], outputs: 3, batch: 32 }, 'kernels')).toBe('kernels');
    // (32·32 + 32·32)·64 = 131 072: above the threshold (SwiftShader 12 288, GPUs 65 536).
    expect(await probe({ ...base, seed: 22, inputs: 32, hidden: [32], outputs: 32, batch: 64 })).toBe('kernels');
    // (2·64 + 64·128 + 128)·1 = 8 448: small work, but its 8 641 parameters alone overflow 32 KiB of workgroup
    // memory ('on' cannot take it either).
    expect(await probe({ ...base, seed: 23, inputs: 2, hidden: [64, 128], outputs: 1, batch: 1 }, 'fused')).toBe('kernels');
    // Depth 5: more layers than the kernel's description holds.
    expect(await probe({ ...base, seed: 24, inputs: 2, hidden: [2, 2, 2, 2], outputs: 1, batch: 1 }, 'fused')).toBe('kernels');
  });
});

describe('the page stayed clean', () => {
  it('no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
