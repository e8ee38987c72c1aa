/**
 * The environment line's jax-js part in a browser without WebAssembly (bench/labels.ts envLine): jax-js started no wasm
 * device (its JaxEnv devices `cpu, webgpu`), yet the line said `jax-js 0.1.25 (wasm workers: 1; …)` beside TF.js's,
 * which leaves its wasm threads out there (usr56l: Chromium with --js-flags=--jitless, the bench page's line and its
 * chart footers). A worker count for a device that did not start: the line says it has none.
 */
import { describe, expect, it } from 'vitest';
import { envLine, type RunEnv } from '../bench/labels.ts';

const base: RunEnv = { runner: 'browser', browser: 'Chrome/156.0.1.2', cpu: { model: 'unknown (a page cannot see it)', cores: 2 } };
const adapter = { vendor: 'google', architecture: 'swiftshader', adapterDescription: '', isFallbackAdapter: true };

describe('jax-js without a wasm device: no worker count (usr56l)', () => {
  it('devices cpu, webgpu: "no wasm device", not "wasm workers: 1"', () => {
    const line = envLine({ ...base, jax: { version: '0.1.25', devices: ['cpu', 'webgpu'], wasmWorkers: 1, webgpuAdapter: adapter } });
    expect(line).toContain('jax-js 0.1.25 (no wasm device; webgpu adapter google swiftshader (fallback))');
    expect(line).not.toContain('wasm workers');
  });
  it('with its wasm device (or a JaxEnv that names no devices), the count as before', () => {
    expect(envLine({ ...base, jax: { version: '0.1.25', devices: ['cpu', 'wasm', 'webgpu'], wasmWorkers: 0, webgpuAdapter: adapter } }))
      .toContain('jax-js 0.1.25 (wasm workers: 0; webgpu adapter google swiftshader (fallback))');
    expect(envLine({ ...base, jax: { version: '0.1.25', wasmWorkers: 2 } })).toContain('jax-js 0.1.25 (wasm workers: 2)');
  });
});
