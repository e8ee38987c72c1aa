/**
 * The Dawn runner (bench/dawn.ts, npm run bench:dawn): its options, and its --quick run of ours-webgpu in Node on
 * Dawn (npm package webgpu) with Chromium's SwiftShader as the Vulkan driver, with the per-kernel profile (--inspect) — in a child process, since the Vulkan
 * loader's environment must be set before dawn.node loads. Skipped, with the reason in its title, where Debian's
 * chromium (which ships vk_swiftshader_icd.json) is not installed. No timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HelpRequested, parseArgs } from '../bench/bench.ts';
import { dawnFlags, findSwiftShaderIcd, parseDawnArgs } from '../bench/dawn.ts';
import type { BenchResult } from '../bench/report.ts';

const out = mkdtempSync(join(tmpdir(), 'bench-dawn-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench:dawn', () => {
  it('parses its own options and passes the rest to the shared ones (ours-webgpu and ours-cpu only)', () => {
    const d = parseDawnArgs(['--quick', '--vulkan-icd', 'swiftshader', '--dawn-flag=backend=vulkan', '--steps', '3']);
    expect(d).toEqual({ vulkanIcd: 'swiftshader', flags: ['backend=vulkan'], rest: ['--quick', '--steps', '3'] });
    const o = parseArgs(d.rest, 'dawn');
    expect(o.systems).toEqual(['ours-webgpu', 'ours-cpu']);
    expect(o.name).toBe('dawn-quick');
    expect(o.policy.inspect).toBe(false);
    expect(parseArgs(['--quick', '--inspect'], 'dawn').policy.inspect).toBe(true);
    expect(parseArgs(['--configs', 'q-mse', '--no-inspect'], 'dawn').policy.inspect).toBe(false);
    expect(parseArgs(['--configs', 'd', '--peak-gflops', '5000'], 'dawn')).toMatchObject({ name: 'dawn-latest', peakGflops: 5000 });
    expect(() => parseArgs(['--systems', 'tfjs-webgpu'], 'dawn')).toThrow(/unknown system/);
    expect(() => parseDawnArgs(['--vulkan-icd'])).toThrow(/needs a value/);
    // --help anywhere is the usage, as for the other runners, also after an option of the Dawn runner's own.
    for (const help of [['--vulkan-icd', '--help'], ['--vulkan-icd=', '-h'], ['--dawn-flag', '--help']]) {
      expect(() => parseArgs(parseDawnArgs(help).rest, 'dawn'), help.join(' ')).toThrow(HelpRequested);
    }
    expect(dawnFlags([])).toEqual(['disable-dawn-features=timestamp_quantization']);
    expect(dawnFlags(['disable-dawn-features=foo'])).toEqual(['disable-dawn-features=foo,timestamp_quantization']);
  });

  const icd = findSwiftShaderIcd();
  const title = 'runs --quick --inspect on Dawn + SwiftShader: an adapter, every step row agrees with ours-cpu, the bare matmul with float64 dots, one count per profiled dispatch';
  it.skipIf(!icd)(icd ? title : `${title} — skipped: no vk_swiftshader_icd.json (Debian's chromium is not installed)`, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/dawn.ts', '--quick', '--inspect', '--vulkan-icd', 'swiftshader', '--out', out], {
      // Generous, as only a hang should reach it: beside the browser files at a lower priority (test/dawn.test.ts's NOTE).
      encoding: 'utf8', timeout: 240_000,
    });
    const log = `${r.stdout}\n${r.stderr}`;
    expect(r.status, log).toBe(0);
    const file = join(out, 'dawn-quick.json');
    expect(existsSync(file), log).toBe(true);
    const result = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
    expect(result.ok).toBe(true);
    expect(result.env.runner).toBe('dawn');
    expect(result.env.dawn?.vulkanIcd).toBe(icd);
    // The Node driver's facts (review item 9): the commit and the load average at the start and the end.
    expect(result.env.git?.commit).toMatch(/^[0-9a-f]{7,}$/);
    expect(result.env.load?.start).toHaveLength(3);
    expect(result.env.load?.end).toHaveLength(3);
    expect(result.env.webgpu).toMatchObject({ available: true, vendor: 'google', architecture: 'swiftshader', variant: 'blocked-subgroup', isFallbackAdapter: true, tinyNets: 'main_lanes' });
    expect(String(result.env.webgpu?.adapterDescription)).toMatch(/SwiftShader/);
    // --quick on Dawn: a, the reduced b and the small bare matmul (ours-webgpu's alone: ours-cpu has none, a skip).
    expect(result.rows.map((x) => `${x.config} ${x.system} ${x.status}`)).toEqual([
      'a ours-webgpu ok', 'a ours-cpu ok', 'q-mse ours-webgpu ok', 'q-mse ours-cpu ok', 'q-ce ours-webgpu ok', 'q-ce ours-cpu ok', 'q-matmul ours-webgpu ok', 'q-matmul ours-cpu skipped',
    ]);
    const gpuRows = result.rows.filter((x) => x.system === 'ours-webgpu');
    for (const row of result.rows.filter((x) => x.status === 'ok')) expect(row.agreement?.ok, `${row.config} ${row.system}: ${row.error ?? ''}`).toBe(true);
    // The product is checked against float64 dots (bench/matmul.ts); the steps against ours-cpu.
    expect(gpuRows.find((x) => x.config === 'q-matmul')?.matmulCheck).toMatchObject({ ok: true });
    for (const row of gpuRows) {
      if (row.config !== 'q-matmul') expect(row.agreement?.ref, row.config).toBe('ours-cpu');
      expect(row.gpuMsPerStep?.median).toBeGreaterThan(0);
      // --inspect: the per-kernel profile (bench/page/gpu-probe.ts) of a one-step call — every dispatch in a timed pass
      // of its own, each label once; the dispatch count is the kernels listed, each counted once (review item 5: it
      // was twice).
      const kernels = row.inspect?.kernels as { label: string; count: number }[];
      expect(kernels.length, row.config).toBeGreaterThan(0);
      expect(kernels.map((k) => k.count), row.config).toEqual(kernels.map(() => 1));
      expect(row.inspect?.dispatchesPerStep, row.config).toBe(kernels.length);
    }
    expect(r.stdout).toMatch(/Dawn \(npm webgpu [\d.]+\) · [^·]+ · backprop-webgpu \d+\.\d+\.\d+ · commit [0-9a-f]{7,}( \(dirty\))? · WebGPU adapter google swiftshader "SwiftShader driver.* · load average \(1 min\) \d+\.\d\d at the start, \d+\.\d\d at the end/);
  }, 270_000);

  const variantsTitle = '--webgpu-variants on Dawn + SwiftShader: one ours-webgpu row per variant, each on its own backend, timed, agreeing with ours-cpu';
  it.skipIf(!icd)(icd ? variantsTitle : `${variantsTitle} — skipped: no vk_swiftshader_icd.json`, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/dawn.ts', '--configs', 'q-mse', '--webgpu-variants', 'tiled,auto,blocked', '--reps', '2', '--no-inspect',
      '--vulkan-icd', 'swiftshader', '--out', out, '--name', 'variants'], { encoding: 'utf8', timeout: 240_000 });
    const log = `${r.stdout}\n${r.stderr}`;
    expect(r.status, log).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'variants.json'), 'utf8')) as BenchResult;
    expect(result.rows.map((x) => [x.system, x.variant, x.status, x.agreement?.ref, x.agreement?.ok])).toEqual([
      ['ours-webgpu', 'tiled', 'ok', 'ours-cpu', true], ['ours-webgpu', 'auto', 'ok', 'ours-cpu', true], ['ours-webgpu', 'blocked', 'ok', 'ours-cpu', true], ['ours-cpu', undefined, 'ok', 'ours-cpu', true],
    ]);
    // Each row's backend is its variant's ('auto': blocked-subgroup on SwiftShader), and each was timed on the GPU (gpu-probe.ts: a device each).
    expect(result.rows.slice(0, 3).map((x) => /, ([\w-]+) kernels$/.exec(x.description ?? '')?.[1])).toEqual(['tiled', 'blocked-subgroup', 'blocked']);
    for (const x of result.rows.slice(0, 3)) expect(x.gpuMsPerStep?.median, x.variant).toBeGreaterThan(0);
  }, 270_000);
});
