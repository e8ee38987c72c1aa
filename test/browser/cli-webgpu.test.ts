/**
 * The CLI's WebGPU runs in headless Chromium, end to end: `explain --backend both`, `grad --backend all` (and `--backend
 * both --webgpu-variant tiled`), `check --backend webgpu` and `train --data mnist --backend webgpu` start their own
 * Vite server and headless Chromium (src/node/session.ts) and read the values back. BACKPROP_WEBGPU=browser: Chromium is the fallback route, taken
 * here even where Dawn has an adapter (the Dawn route: test/dawn.test.ts). Lives in the browser project because it
 * needs Chromium; the numbers come from the lecture transcription (src/lectures/).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/node/server.ts';

const BIN = 'bin/backprop.js';
const LECTURE = 'src/lectures/lecture-2-2-1.worked.json';
function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, BACKPROP_WEBGPU: 'browser' } });
}

/** The line every WebGPU command writes on stderr naming its route. */
const CHROMIUM_ROUTE = /^backprop: WebGPU in headless Chromium — WebGPU: /m;

describe('backprop CLI on WebGPU', () => {
  it('explain --backend both shows ∂L/∂w5 from the CPU and from WebGPU, each agreeing with the scalar chain rule', () => {
    const r = cli('explain', LECTURE, '--param', 'w5', '--backend', 'both');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(CHROMIUM_ROUTE);
    // The lecture prints ∂L/∂w5 = 0.0822; each backend's entry of δ₂·A₁ᵀ is checked against the float64 chain rule.
    for (const backend of ['cpu', 'webgpu']) {
      const line = r.stdout.split('\n').find((l) => l.trim().startsWith(`${backend}: dW₂[0][0] = `));
      expect(line, r.stdout).toBeDefined();
      const value = Number(/= (0\.\d+)/.exec(line!)![1]);
      expect(Math.abs(value - 0.0822)).toBeLessThanOrEqual(0.00005);
      expect(line).toMatch(/✓$/);
    }
  });

  it('grad --backend all --json: the CPU, WebGPU and wasm passes, each within 1e-6 of the CPU on the lecture net', () => {
    const r = cli('grad', LECTURE, '--backend', 'all', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(CHROMIUM_ROUTE);
    const out = JSON.parse(r.stdout) as { cpu: { loss: number }; webgpu: { loss: number }; wasm: { loss: number }; maxAbsDiff: Record<string, number> };
    expect(Object.keys(out).sort()).toEqual(['cpu', 'maxAbsDiff', 'wasm', 'webgpu']);
    expect(Object.keys(out.maxAbsDiff).sort()).toEqual(['wasm', 'webgpu']);
    // 2-2-1 net, K ≤ 2: one or two float32 roundings apart (≈ 1e-7 at these magnitudes).
    for (const d of Object.values(out.maxAbsDiff)) expect(d).toBeLessThan(1e-6);
    expect(Math.abs(out.wasm.loss - 0.2748)).toBeLessThan(5e-5);
  });

  it('grad --backend both --webgpu-variant tiled --json: the page runs the tiled kernels (not auto\'s blocked-subgroup), within 1e-6 of the CPU', () => {
    const r = cli('grad', LECTURE, '--backend', 'both', '--webgpu-variant', 'tiled', '--json');
    expect(r.status, r.stderr).toBe(0);
    // The page's backend description names its kernels (WebGpuBackend.variant), on the route's line.
    expect(r.stderr).toMatch(/^backprop: WebGPU in headless Chromium — WebGPU: .*, tiled kernels$/m);
    const out = JSON.parse(r.stdout) as { maxAbsDiff: number };
    // As grad --backend all above: one or two float32 roundings apart on the 2-2-1 net.
    expect(out.maxAbsDiff).toBeLessThan(1e-6);
  });

  it('check --backend webgpu --known-ok: every lecture 001 claim matches or is a confirmed erratum (exit 0)', () => {
    const r = cli('check', LECTURE, '--backend', 'webgpu', '--known-ok');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(CHROMIUM_ROUTE);
    expect(r.stdout).toMatch(/values: the webgpu backend/);
    expect(r.stdout).toMatch(/0 wrong and not recorded, 0 recorded errata that do not hold/);
  });

  it.skipIf(process.env.BACKPROP_MNIST_FIT === '0')('train --data mnist --backend webgpu --epochs 1: the progress line, and the same digits right as the CPU run within 3 of 2 000', () => {
    const run = (backend: string) => {
      const r = cli('train', '--data', 'mnist', '--epochs', '1', '--backend', backend);
      expect(r.status, r.stderr).toBe(0);
      const m = /\nepoch 1\/1 [█░]{20} {2}loss (\d\.\d{4}) .* val_acc (\d+\.\d\d) % .* done\n/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      return { stdout: r.stdout, stderr: r.stderr, loss: Number(m![1]), valAccuracy: Number(m![2]) / 100 };
    };
    const g = run('webgpu');
    const c = run('cpu');
    expect(g.stdout).toMatch(/x = \(pixel\/255 − 0\.1307\) \/ 0\.3081\nnet: 784 → 128 relu → 10 softmax, softmax-cross-entropy; adam lr 0\.001, batch 128\nbackend: WebGPU in headless Chromium\n/);
    expect(g.stderr).toMatch(CHROMIUM_ROUTE);
    // NOTE: one epoch of 63 Adam steps; float32 sums in another order move a few borderline digits at most
    // (measured: 89.10 % webgpu, 89.15 % cpu). A payload that lost the standardisation would be far off.
    expect(Math.abs(g.valAccuracy - c.valAccuracy)).toBeLessThanOrEqual(3 / 2000 + 1e-9);
    expect(Math.abs(g.loss - c.loss)).toBeLessThanOrEqual(1e-3);
  }, 300_000);
});
