/**
 * Smoke test of `npm run bench -- --quick` (issue 4) on the suite's shared Chromium: the bench page (its own
 * cross-origin-isolated Vite server) runs every system — ours-webgpu, ours-cpu, TF.js webgpu, wasm and cpu, and
 * the notation issue's scalar engine on config a —
 * on the quick configs, and every one of them ran and agreed on the loss after N steps. No timing is asserted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseArgs } from '../../bench/bench.ts';
import { runBrowserBench } from '../../bench/browser.ts';
import { QUICK_CONFIGS } from '../../bench/configs.ts';
import { writeOutputs } from '../../bench/report.ts';
import { SYSTEMS } from '../../bench/systems.ts';

const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.disconnect();
  rmSync(out, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  it('every system runs every quick config in one page, and they agree', async () => {
    browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    const o = { ...parseArgs(['--quick', '--out', out], 'browser'), quiet: true };
    const { result, consoleErrors } = await runBrowserBench(o, 'npm run bench -- --quick', browser);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.env.crossOriginIsolated).toBe(true);
    expect(result.env.webgpu).toMatchObject({ available: true });
    expect(result.rows.map((r) => `${r.config} ${r.system}`)).toEqual(QUICK_CONFIGS.flatMap((c) => SYSTEMS.map((s) => `${c.id} ${s}`)));
    for (const r of result.rows) {
      const what = `${r.config} ${r.system}`;
      if (r.system === 'scalar' && r.config !== 'a') {
        // The scalar engine runs on small configs only: the reduced b has 4·10⁶ chain-rule paths per step.
        expect(r.status, what).toBe('skipped');
        continue;
      }
      expect(r.status, `${what}: ${r.error ?? ''}`).toBe('ok');
      expect(r.agreement?.ok, what).toBe(true);
      expect(Number.isFinite(r.finalLoss), what).toBe(true);
      expect(r.reps, what).toBeGreaterThanOrEqual(5);
      expect(r.msPerStep!.min, what).toBeLessThanOrEqual(r.msPerStep!.median);
    }
    // Ratios to every TF.js backend are present for our systems.
    const ours = result.rows.find((r) => r.config === 'a' && r.system === 'ours-webgpu')!;
    expect(Object.keys(ours.ratios ?? {}).sort()).toEqual(['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgpu']);
    expect(consoleErrors).toEqual([]);
    const files = writeOutputs(result, out, 'quick', false);
    for (const f of files) expect(existsSync(f)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')).env.browser).toMatch(/Chrom/);
  }, 120_000);
});
