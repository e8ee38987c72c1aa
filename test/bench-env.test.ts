/**
 * What a results file says about where it ran (review item 9: enough to reproduce a run): the git commit and
 * whether the tree was dirty (bench/bench.ts gitState, on a repository made here), the load average at the start and
 * the end, and the header line (bench/labels.ts envLine) with every field — and, for the bench page in a user's own
 * browser (no Node driver), with only what the page knows, without errors. The browser runner's Chromium flags,
 * WebGL renderer, jax-js adapter and page origin are checked on a real run in test/browser/bench.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitState, hostEnv, withLoadAtEnd } from '../bench/bench.ts';
import { envLine, type RunEnv } from '../bench/labels.ts';

const ROOT_DIR = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench environment', () => {
  it('gitState: the short commit, dirty once a tracked file changes (not for an untracked one); undefined outside git', () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' }).trim();
    expect(gitState(dir)).toBeUndefined();
    git('init', '-q');
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'one');
    const full = git('rev-parse', 'HEAD');
    const clean = gitState(dir)!;
    expect(full.startsWith(clean.commit) && clean.commit.length >= 7).toBe(true);
    expect(clean.dirty).toBe(false);
    writeFileSync(join(dir, 'results.json'), '{}');
    expect(gitState(dir)).toEqual({ commit: clean.commit, dirty: false });
    writeFileSync(join(dir, 'a.txt'), 'two\n');
    expect(gitState(dir)).toEqual({ commit: clean.commit, dirty: true });
  });

  it('hostEnv takes the load average at the start, withLoadAtEnd adds the end; the header line shows them', () => {
    const env = hostEnv('node');
    expect(env.git?.commit).toMatch(/^[0-9a-f]{7,}$/); // this repository
    // backprop-webgpu's version, read from package.json here: the Node runners recorded none (the page's build stamp has it).
    expect(env.version).toBe((JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }).version);
    expect(envLine(env)).toContain(`backprop-webgpu ${env.version} · commit ${env.git!.commit}`);
    expect(env.load?.start).toHaveLength(3);
    expect(env.load?.end).toBeUndefined();
    const done = withLoadAtEnd(env);
    expect(done.load?.start).toBe(env.load?.start);
    expect(done.load?.end).toHaveLength(3);
    const line = envLine({ ...done, load: { start: [0.5, 0.4, 0.3], end: [1.25, 0.5, 0.3] }, git: { commit: 'abc1234', dirty: true } });
    expect(line).toContain('commit abc1234 (dirty)');
    expect(line).toContain('load average (1 min) 0.50 at the start, 1.25 at the end');
    // A page run on its own has no start to end.
    const bare: RunEnv = { runner: 'browser', cpu: { model: 'unknown', cores: 2 } };
    expect(withLoadAtEnd(bare)).toEqual(bare);
  });

  it('the header line with every field of a driven browser run, and with only what a page on its own knows', () => {
    const page: RunEnv = {
      runner: 'browser', browser: 'Chrome/156.0.1.2', cpu: { model: 'unknown (a page cannot see it)', cores: 2 },
      page: { origin: 'https://example.org', served: 'built site' },
      webgpu: { available: true, vendor: 'google', architecture: 'swiftshader', adapterDescription: 'SwiftShader Device', isFallbackAdapter: true },
      tfjs: { version: '4.22.0', wasmThreads: 1, webglRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', webglVendor: 'Google Inc. (Google)' },
      jax: { version: '0.1.25', wasmWorkers: 1, webgpuAdapter: { vendor: 'google', architecture: 'swiftshader', adapterDescription: 'SwiftShader Device', isFallbackAdapter: true } },
    };
    const alone = envLine(page);
    expect(alone).toContain('page from the built site at https://example.org');
    expect(alone).toContain('TF.js webgl on Google Inc. (Google) "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))"');
    expect(alone).toContain('jax-js 0.1.25 (wasm workers: 1; webgpu adapter google swiftshader "SwiftShader Device" (fallback))');
    for (const absent of ['commit', 'Chromium flags', 'load average']) expect(alone).not.toContain(absent);
    const why = envLine({ ...page, jax: { version: '0.1.25', wasmWorkers: 1, webgpuAdapter: "navigator.gpu's adapter" } });
    expect(why).toContain("jax-js 0.1.25 (wasm workers: 1; webgpu: navigator.gpu's adapter)");
    const driven = envLine({
      ...page, page: { origin: 'http://127.0.0.1:5173', served: 'dev server' }, git: { commit: 'abc1234', dirty: false },
      chromium: { flags: ['--enable-unsafe-webgpu', '--enable-webgpu-developer-features'], commandLine: ['--enable-unsafe-webgpu', '--enable-webgpu-developer-features', '--no-first-run'] },
      load: { start: [0.1, 0.1, 0.1], end: [2, 1, 0.5] },
    });
    expect(driven).toContain('commit abc1234 · page from the dev server at http://127.0.0.1:5173 · Chromium flags --enable-unsafe-webgpu --enable-webgpu-developer-features');
    expect(driven).toContain('load average (1 min) 0.10 at the start, 2.00 at the end');
    // Node and the OS of the driver, and whether the page was cross-origin isolated (wasm threads), when known.
    for (const absent of ['Node', 'isolated']) expect(alone).not.toContain(absent);
    const full = envLine({ ...page, node: 'v20.19.0', os: 'linux 6.1 x64', crossOriginIsolated: true });
    expect(full).toContain('Chrome/156.0.1.2 · driven from Node v20.19.0 on linux 6.1 x64 · cross-origin isolated · ');
    expect(envLine({ ...page, crossOriginIsolated: false })).toContain(' · NOT cross-origin isolated (no wasm threads) · ');
    // TF.js's wasm without SIMD (a browser that has none runs its plain binary) is said; with SIMD nothing is added.
    expect(alone).toContain('TF.js 4.22.0 (wasm threads: 1, its default) · ');
    expect(envLine({ ...page, tfjs: { ...page.tfjs, wasmSimd: true } })).toContain('TF.js 4.22.0 (wasm threads: 1, its default) · ');
    expect(envLine({ ...page, tfjs: { ...page.tfjs, wasmSimd: false } })).toContain('TF.js 4.22.0 (wasm threads: 1, its default; its wasm without SIMD (the browser has none)) · ');
    expect(envLine({ runner: 'node', node: 'v20.19.0', os: 'linux 6.1 x64', cpu: { model: 'x', cores: 2 } })).toMatch(/^Node v20\.19\.0 · linux 6\.1 x64 · /);
    // The Dawn runner's create() flags and Vulkan driver (env.dawn), as the browser runner's Chromium flags: the JSON had them, the line did not.
    const dawn: RunEnv = { runner: 'dawn', node: 'v20.19.0', os: 'linux 6.1 x64', cpu: { model: 'x', cores: 2 }, webgpu: { available: true, vendor: 'google', architecture: 'swiftshader' } };
    expect(envLine({ ...dawn, dawn: { package: '0.6.2', flags: ['backend=vulkan', 'disable-dawn-features=timestamp_quantization'], vulkanIcd: '/usr/lib/chromium/vk_swiftshader_icd.json' } }))
      .toMatch(/^Node v20\.19\.0 \+ Dawn \(npm webgpu 0\.6\.2\) · .* · WebGPU adapter google swiftshader · Dawn flags backend=vulkan disable-dawn-features=timestamp_quantization, Vulkan ICD \/usr\/lib\/chromium\/vk_swiftshader_icd\.json · /);
    expect(envLine({ ...dawn, dawn: { package: '0.6.2', flags: [] } })).toContain(" · Dawn flags none, the system's Vulkan drivers · ");
  });
  // WebKit names every GPU "Apple GPU" by "Apple Inc.", the unmasked strings included: WebKitGTK 2.50.6 on Linux under
  // Xvfb (no Apple hardware; test/browser/webkit.ts), measured 2026-12-07 — the line said TF.js webgl ran on an Apple GPU.
  it("WebKit's webgl renderer, \"Apple GPU\" on any machine, is said to be WebKit's name, not the GPU's", () => {
    const wk: RunEnv = { runner: 'browser', browser: 'WebKit on Linux', cpu: { model: 'unknown', cores: 4 }, tfjs: { version: '4.22.0', webglRenderer: 'Apple GPU', webglVendor: 'Apple Inc.' } };
    expect(envLine(wk)).toContain('TF.js webgl on Apple Inc. "Apple GPU" (WebKit\'s name for every GPU: the real one is hidden)');
    // Another renderer is named as the browser gives it, with no such note.
    const other = envLine({ ...wk, tfjs: { version: '4.22.0', webglRenderer: 'Mesa llvmpipe', webglVendor: 'Mesa' } });
    expect(other).toContain('TF.js webgl on Mesa "Mesa llvmpipe"');
    expect(other).not.toContain('hidden');
  });
});
