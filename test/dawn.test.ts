/**
 * WebGPU in Node on Dawn (the npm package webgpu, a devDependency here): the lecture values and a parity sample
 * (test/dawn/run.ts, in a child process with the Vulkan loader pointed at SwiftShader — Debian's chromium's, else the
 * one bundled in @sparticuz/chromium — since those variables only take effect in a fresh process), and
 * `backprop grad --backend webgpu`, which finds SwiftShader itself. Skipped, saying why, where Dawn finds no adapter.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findAnySwiftShaderIcd, swiftShaderEnv } from '../src/node/dawn.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FIXTURE = 'test/fixtures/lecture-2-2-1.json';

function node(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, log: `${r.stdout}\n${r.stderr}` };
}

const NO_ADAPTER = /no adapter|did not load/;

describe('WebGPU in Node on Dawn', () => {
  it('the lectures\' values and a parity sample against the CPU oracle', async (ctx) => {
    const icd = await findAnySwiftShaderIcd();
    const r = node(['--import', './bin/register-source.mjs', 'test/dawn/run.ts'], icd ? swiftShaderEnv(icd) : {});
    if (r.status !== 0 && NO_ADAPTER.test(r.stderr)) {
      console.log(`skipped: Dawn found no WebGPU adapter here (SwiftShader ICD: ${icd ?? 'none'}): ${r.stderr.split('\n').find((l) => NO_ADAPTER.test(l))}`);
      ctx.skip();
    }
    expect(r.status, r.log).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      adapter: string; dawn: boolean; lectures: { id: string; claims: number; failed: string[] }[]; parity: { net: string; violations: string[] }[];
    };
    console.log(`Dawn: ${out.adapter}`);
    expect(out.dawn).toBe(true);
    expect(out.lectures.length).toBeGreaterThanOrEqual(6);
    for (const l of out.lectures) {
      expect(l.claims, l.id).toBeGreaterThan(0);
      expect(l.failed, l.id).toEqual([]);
    }
    expect(out.parity.length).toBeGreaterThanOrEqual(8);
    for (const p of out.parity) expect(p.violations, p.net).toEqual([]);
  }, 300_000);

  it('backprop grad --backend webgpu runs on Dawn (SwiftShader found by the CLI) and matches --backend cpu', async (ctx) => {
    const gpu = node(['bin/backprop.js', 'grad', FIXTURE, '--backend', 'webgpu', '--json']);
    if (gpu.status !== 0 && NO_ADAPTER.test(gpu.stderr)) {
      console.log(`skipped: ${gpu.stderr.trim().split('\n').pop()}`);
      ctx.skip();
    }
    expect(gpu.status, gpu.log).toBe(0);
    // Not the browser: the Chromium fallback would have said so on stderr.
    expect(gpu.stderr).not.toMatch(/headless Chromium instead/);
    const cpu = node(['bin/backprop.js', 'grad', FIXTURE, '--backend', 'cpu', '--json']);
    const [g, c] = [JSON.parse(gpu.stdout), JSON.parse(cpu.stdout)] as { loss: number; grads: { W: number[][][] } }[];
    // The lecture's ∂L/∂w5 = 0.0822 (lecture 001, line 98), on both.
    expect(g!.grads.W[1]![0]![0]).toBeCloseTo(0.0822, 4);
    expect(Math.abs(g!.loss - c!.loss)).toBeLessThanOrEqual(1e-6);
    const text = node(['bin/backprop.js', 'grad', FIXTURE, '--backend', 'webgpu']);
    expect(text.stdout).toMatch(/^backend: webgpu — WebGPU: .* in Node on Dawn/m);
  }, 300_000);
});
