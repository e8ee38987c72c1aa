/**
 * `npm run bench -- --browser firefox` through the real driver (bench/browser.ts runBrowserBench, which launches
 * Firefox itself: src/node/firefox.ts, over WebDriver BiDi): a --quick-sized config a with ours-cpu and ours-wasm, in
 * Firefox with its WebGPU as shipped (off on Linux). Both rows ran and agreed; the environment names Firefox and the
 * prefs set (none), and holds no Chromium flags (BiDi has no CDP: bench/browser.ts BIDI_NO_COMMAND_LINE). No time is
 * asserted. Skipped where there is no Firefox (./firefox.ts firefoxSkipReason; REQUIRE_FIREFOX=1 makes that a failure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/bench.ts';
import { runBrowserBench } from '../../bench/browser.ts';
import { firefoxSkipReason } from './firefox.ts';

const skip = firefoxSkipReason();
if (skip) console.log(`bench-firefox: skipped: ${skip}`);
const out = mkdtempSync(join(tmpdir(), 'bench-firefox-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(skip)('the bench in Firefox (--browser firefox)', () => {
  it('config a, --quick: ours-cpu and ours-wasm ran and agreed; the env names Firefox, its prefs, no Chromium flags', async () => {
    const o = { ...parseArgs(['--browser', 'firefox', '--quick', '--configs', 'a', '--systems', 'ours-cpu,ours-wasm', '--out', out], 'browser'), quiet: true };
    const { result, consoleErrors } = await runBrowserBench(o, 'npm run bench -- --browser firefox --quick --configs a --systems ours-cpu,ours-wasm');
    expect(consoleErrors).toEqual([]);
    expect(result.rows.map((r) => [r.config, r.system])).toEqual([['a', 'ours-cpu'], ['a', 'ours-wasm']]);
    for (const r of result.rows) {
      expect(r.status, `${r.system}: ${r.error ?? ''}`).toBe('ok');
      expect(r.agreement?.ok, r.system).toBe(true);
    }
    // The form the page run by hand records (its user agent's Firefox/ token), not the driver's "firefox/153.8.0",
    // which bench:compare took for another browser (ffleft64).
    const ua = String(result.env.userAgent);
    expect(ua).toMatch(/ Firefox\/\d+\.\d+$/);
    expect(result.env.browser).toBe(ua.slice(ua.lastIndexOf(' ') + 1));
    expect(result.env.firefox).toEqual({ prefs: {} });
    expect(result.env.chromium).toBeUndefined();
    // Linux Firefox ships WebGPU off: the page found none (its adapter report), so a WebGPU row would have been an error.
    expect((result.env.webgpu as { available?: boolean } | undefined)?.available).toBe(false);
  }, 120_000);
});
