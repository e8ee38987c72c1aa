/**
 * WebGPU (headless Chromium; SwiftShader without a GPU) against the CPU oracle (Node) on 60 seeded random
 * nets: every activation, loss and bias mode, depths 1–4, widths 1, 3, 17, 64, 65, 257, batches 1 … 1024.
 * Every element of Z, A, delta, dW, db and the loss must lie within the bound of test/lib/tolerance.ts.
 * Every GPU call runs inside validation / out-of-memory / internal error scopes (window.bp does that).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlainGrad, PlainParams } from '../../src/browser/harness.ts';
import { Model } from '../../src/model.ts';
import { validateSpec, type NetworkSpec } from '../../src/spec.ts';
import { describeCase, parityCases, randomSpec } from '../lib/random-nets.ts';
import { compareWithin, describeViolations, parityBounds } from '../lib/tolerance.ts';
import { gradAgainstCpu } from '../lib/grad-parity.ts';
import { bpCall, harnessPage, unwrap } from './lib.ts';
import { ELEMENTWISE } from '../lib/activations.ts';

const cases = parityCases();
let page: Page;
const consoleErrors: string[] = [];
const worstRatios: number[] = [];

beforeAll(async () => {
  page = await harnessPage(consoleErrors);
  const adapter = await page.evaluate(() => window.bp.adapter());
  expect(adapter.available, adapter.reason).toBe(true);
  console.log(`parity on ${adapter.description}`);
});

afterAll(async () => {
  await page?.close();
  const sorted = [...worstRatios].sort((a, b) => a - b);
  if (sorted.length) {
    console.log(`parity: ${sorted.length} nets; worst |gpu − cpu| / bound: median ${sorted[sorted.length >> 1].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)}`);
  }
});

describe('the case list covers what the issue asks', () => {
  it('every activation, loss, bias mode, depth 1–4, widths 1/3/17/64/65/257, batch 1 and 1024', () => {
    const has = (f: (c: (typeof cases)[number]) => boolean) => cases.some(f);
    expect(cases.length).toBeGreaterThanOrEqual(50);
    for (const act of ELEMENTWISE) {
      expect(has((c) => c.hidden.length > 0 && c.hiddenActivation === act), `hidden ${act}`).toBe(true);
      expect(has((c) => c.outputActivation === act), `output ${act}`).toBe(true);
    }
    for (const loss of ['mse', 'bce', 'softmax-cross-entropy'] as const) expect(has((c) => c.loss === loss), loss).toBe(true);
    for (const bias of ['per-unit', 'shared', 'none'] as const) expect(has((c) => c.bias === bias), bias).toBe(true);
    for (const depth of [1, 2, 3, 4]) expect(has((c) => c.hidden.length + 1 === depth), `depth ${depth}`).toBe(true);
    for (const w of [1, 3, 17, 64, 65, 257]) expect(has((c) => [c.inputs, ...c.hidden, c.outputs].includes(w)), `width ${w}`).toBe(true);
    for (const n of [1, 1024]) expect(has((c) => c.batch === n), `batch ${n}`).toBe(true);
    expect(has((c) => c.reduction === 'sum')).toBe(true);
  });
});

async function gpuGrad(spec: NetworkSpec): Promise<PlainGrad> {
  return unwrap(await bpCall(page, 'grad', spec, 'webgpu'));
}

describe('WebGPU equals the CPU oracle within the stated bound', () => {
  for (const c of cases) {
    it(describeCase(c), async () => {
      const gpu = await gpuGrad(randomSpec(c));
      expect(gpu.backend).toBe('webgpu');
      const { worst, violations } = await gradAgainstCpu(c, gpu);
      worstRatios.push(worst);
      expect(violations, describeViolations(violations)).toEqual([]);
    });
  }
});

describe('k steps in one WebGPU submission equal k CPU steps', () => {
  // Parameters after k steps differ by at most the sum over steps of lr·(the gradient bound), which grows as
  // the two trajectories separate; bound: 2·k·lr·(first step's dW/db bound) + atol 1e-6 + rtol 1e-5.
  const K = 8;
  for (const c of cases.filter((_, i) => i % 6 === 0)) {
    it(`${describeCase(c)}, ${K} steps`, async () => {
      const spec = randomSpec(c);
      const valid = validateSpec(spec);
      const lr = spec.lr!;
      const model = await Model.create(spec, { backend: 'cpu' });
      const first = await model.grad();
      await model.train({ steps: K });
      const cpuParams = await model.getParams();
      model.dispose();
      const b = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, first);
      const gpu: { params: PlainParams; losses: number[] } = unwrap(await bpCall(page, 'train', spec, 'webgpu', K, 1));
      const violations = valid.net.layers.flatMap((_, l) => [
        ...compareWithin(`W${l + 1}`, gpu.params.W[l], cpuParams.W[l], b.dW[l].map((e, k) => 2 * K * lr * e + 1e-6 + 1e-5 * Math.abs(cpuParams.W[l][k]))).violations,
        ...compareWithin(`b${l + 1}`, gpu.params.b[l], cpuParams.b[l], b.db[l].map((e, k) => 2 * K * lr * e + 1e-6 + 1e-5 * Math.abs(cpuParams.b[l][k]))).violations,
      ]);
      expect(violations, describeViolations(violations)).toEqual([]);
    });
  }
});

describe('the page stayed clean', () => {
  it('no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
