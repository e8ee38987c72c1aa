/**
 * `check --backend wasm` over nets of different sizes: --json's netThreads is the most any net ran on (src/cli/check.ts
 * runCheck's `made`), whichever file comes first — a lecture's 2-2-1 net runs on 1 thread, a 512-512 net on every
 * thread — and the text's first line adds "each net runs on 1" only where every net did. Review surv55: a mutant
 * reporting one net's threads (the last's or the first's) for all passed every test. In process, with
 * `navigator.hardwareConcurrency` stubbed to 2, as test/cli-ran.test.ts does (Node 20 has none: 1 thread).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../src/cli/check.ts';

const LECTURE = 'src/lectures/lecture-2-2-1.worked.json';
const NOBIAS = 'src/lectures/lecture-2-2-1-nobias.worked.json';

const dir = mkdtempSync(join(tmpdir(), 'backprop-check-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllGlobals());

// A 512-512 identity net on one example: 512·512·1 = 2¹⁸ multiply-adds a step, not under 2¹⁸ (THREAD_MIN_WORK), so it
// runs on both threads; the lecture's 2-2-1 on one example, 2·2 + 2·1 = 6, on 1. Its one claim, by hand: x = 0, so
// Z = W·0 + b = 0 (xavier's b is 0), y = 0, and L = 0.
const WIDE = join(dir, 'wide.worked.json');
writeFileSync(WIDE, JSON.stringify({
  format: 'backprop-worked-example/1', id: 'wide-512', title: 'a 512-512 net', source: 'none', description: 'a net big enough to split',
  spec: {
    inputs: 512, layers: [{ units: 512, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
    x: [Array.from({ length: 512 }, () => 0)], y: [Array.from({ length: 512 }, () => 0)], lr: 0.1,
  },
  claims: [{ name: 'L', printed: 0, decimals: 1 }],
}));

async function check(files: string[], json: boolean): Promise<{ code: number; text: string }> {
  vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
  const out: string[] = [];
  const code = await runCheck(files, { backend: 'wasm', knownOk: true, errataMd: false, json }, (s) => out.push(s));
  return { code, text: out.join('') };
}

describe('check --backend wasm, nets of different sizes: netThreads is the most any ran on', () => {
  it.each([
    ['the wide net first', [WIDE, LECTURE]],
    ['the wide net last', [LECTURE, WIDE]],
  ])('--json, %s: threads 2, netThreads 2 (not the lecture net\'s 1)', async (_, files) => {
    const r = await check(files, true);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.text) as { backend: string; threads: number; netThreads: number; files: { id: string; checks: { name: string; value: number; status: string }[] }[] };
    expect([j.backend, j.threads, j.netThreads]).toEqual(['wasm', 2, 2]);
    const wide = j.files.find((f) => f.id === 'wide-512')!;
    expect(wide.checks.map((c) => [c.name, c.value, c.status])).toEqual([['L', 0, 'match']]);
  });

  it('--json, two small nets (the lecture\'s two 2-2-1): netThreads 1', async () => {
    const j = JSON.parse((await check([LECTURE, NOBIAS], true)).text) as { threads: number; netThreads: number };
    expect([j.threads, j.netThreads]).toEqual([2, 1]);
  });

  it('text, the wide net first: the backend line says 2 threads and nothing of a net on fewer', async () => {
    const r = await check([WIDE, LECTURE], false);
    expect(r.text.split('\n')[0]).toMatch(/^backend: wasm — WebAssembly: .*, 2 threads on shared memory$/);
  });
});
