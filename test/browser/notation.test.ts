/**
 * The scalar chain rule (src/notation/scalar.ts, float64, path by path, in Node) against the matrix form on
 * WebGPU (headless Chromium; SwiftShader without a GPU): every parameter's ∂L/∂p and every unit's δ per
 * example, on every lecture net and on 12 seeded random nets up to depth 4.
 *
 * Tolerance: |scalar − gpu| ≤ 1e-6 + 1e-5·mass (src/notation/matrix.ts float32Bound), mass = scale·Σ|path
 * products| (a factor computed by a cancellation, f' or a − y, counted at a tenth of its size before it): the GPU computes each path's product (folded into δ) in float32 from float32 forward values
 * (SwiftShader's exp/tanh ~1e-6 relative), so each term is good to ~1e-5 relative and the error of the sum
 * is bounded by 1e-5 of the sum of the terms' sizes — not of the (possibly cancelling) sum itself.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlainGrad } from '../../src/browser/harness.ts';
import { LECTURES } from '../../src/lectures/index.ts';
import { explainer } from '../../src/notation/explain.ts';
import { float32Bound, type MatrixRun } from '../../src/notation/matrix.ts';
import { Naming, paramKey } from '../../src/notation/names.ts';
import { ScalarEngine } from '../../src/notation/scalar.ts';
import { type NetworkSpec, validateSpec } from '../../src/spec.ts';
import { notationCases, randomSpec } from '../lib/notation-nets.ts';
import { describeCase } from '../lib/random-nets.ts';
import { unwrap, useHarnessPage } from './lib.ts';

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});
beforeAll(async () => {
  const adapter = await page.evaluate(() => window.bp.adapter());
  expect(adapter.available, adapter.reason).toBe(true);
});

async function gpuGrad(spec: NetworkSpec): Promise<PlainGrad> {
  const g = unwrap(await page.evaluate((s) => window.bp.grad(s, 'webgpu'), spec));
  expect(g.backend).toBe('webgpu');
  return g;
}

/** Every ∂L/∂p and every δ (per example) of the scalar engine against one WebGPU pass; returns the checks made. */
async function agree(spec: NetworkSpec): Promise<number> {
  const engine = new ScalarEngine(spec);
  const naming = new Naming(engine.net, undefined);
  const gpu = await gpuGrad(spec);
  const n = engine.n;
  let checks = 0;
  const close = (scalar: { value: number; mass: number }, g: number, what: string) => {
    expect(Math.abs(scalar.value - g), `${what}: scalar ${scalar.value}, webgpu ${g}, mass ${scalar.mass}`).toBeLessThanOrEqual(float32Bound(scalar.mass));
    checks++;
  };
  close({ value: engine.loss(), mass: Math.abs(engine.loss()) }, gpu.loss, 'loss');
  for (const p of naming.params()) {
    const s = engine.derivative({ kind: 'deriv', of: 'loss', wrt: { kind: 'param', param: p } });
    const layer = engine.net.layers[p.layer];
    close(s, p.kind === 'W' ? gpu.dW[p.layer][p.row * layer.fanIn + p.col] : gpu.db[p.layer][p.index], `∂L/∂${paramKey(p)}`);
  }
  engine.net.layers.forEach((layer, l) => {
    for (let i = 0; i < layer.units; i++) {
      for (let c = 0; c < n; c++) {
        const s = engine.derivative({ kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'z', layer: l, unit: i } } }, c);
        close(s, gpu.delta[l][i * n + c], `δ[${l}][${i}] example ${c}`);
      }
    }
  });
  return checks;
}

describe('WebGPU gradients equal the scalar chain rule, parameter by parameter', () => {
  for (const l of LECTURES) {
    it(`${l.id}: every parameter and every δ`, async () => {
      expect(await agree(l.worked.spec)).toBeGreaterThan(validateSpec(l.worked.spec).net.layers.length);
    });
  }

  const cases = notationCases(12, 9300);
  it('the random cases reach depth 4 and cover every loss', () => {
    expect(cases.some((c) => c.hidden.length === 3)).toBe(true);
    for (const loss of ['mse', 'bce', 'softmax-cross-entropy']) expect(cases.some((c) => c.loss === loss)).toBe(true);
  });
  for (const c of cases) {
    it(describeCase(c), async () => {
      expect(await agree(randomSpec(c))).toBeGreaterThan(0);
    });
  }
});

describe('explain with the WebGPU matrix line', () => {
  it('every matrix line of the 2-2-1 lecture agrees with its scalar total', async () => {
    const spec = LECTURES.find((l) => l.id === 'lecture-2-2-1')!.worked.spec;
    const g = await gpuGrad(spec);
    const batch = validateSpec(spec).batch!;
    const run: MatrixRun = { backend: 'webgpu', n: batch.n, X: batch.X, A: g.A, delta: g.delta, dW: g.dW, db: g.db };
    const doc = explainer(spec, {}).doc([run]);
    expect(doc.items.length).toBe(8);
    for (const item of doc.items) {
      const m = item.matrix[0];
      expect(Math.abs(item.expansion.total - m.value), paramKey(item.param)).toBeLessThanOrEqual(float32Bound(item.expansion.mass));
    }
  });
});

describe('the page stayed clean', () => {
  it('no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
