/**
 * ours-webgpu's kernel variants side by side in one run (issue 14: "tune [the GEMM kernel's] variants per adapter"):
 * `npm run bench -- --webgpu-variants auto,tiled,…` and the page's webgpuVariants=… give ours-webgpu one row per
 * variant, in the same round-robin as the other systems, each row labelled with its variant; targets are judged on
 * the 'auto' row only (or the only row). Bad input: an unknown variant, one given twice, a runner without ours-webgpu
 * or a run without it is a usage error naming the flag (or the link's parameter) before anything runs; a variant the
 * adapter cannot run is that row's error with the engine's LimitError text, and the other rows still run.
 * Against a stub driver here (no timing asserted); on SwiftShader in a real page: test/browser/bench-variants.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { measureAll, parseArgs, Progress, USAGE } from '../bench/bench.ts';
import { type BenchConfig, CONFIG_E } from '../bench/configs.ts';
import { timeToAccuracy } from '../bench/epochs.ts';
import { runNodeBench } from '../bench/node.ts';
import { formLink, parseQuery, queryOf, readQuery } from '../bench/page/query.ts';
import { nothingToRun, pageTable } from '../bench/page/table.ts';
import type { Driver, Row } from '../bench/protocol.ts';
import { type BenchResult, markdown, peakLines, ttaSvg } from '../bench/report.ts';
import { systemLabel } from '../bench/labels.ts';
import { rowColor, svgChart } from '../bench/chart.ts';
import type { SystemId, WebGpuVariant } from '../bench/systems.ts';
import { WebGpuBackend } from '../src/webgpu/backend.ts';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
afterEach(() => {
  if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

/**
 * navigator.gpu with one adapter without the `subgroups` feature (as test/webgpu-variant.test.ts): the engine refuses
 * 'subgroup' and 'blocked-subgroup' there with LimitError before asking for a device; any other variant reaches
 * requestDevice, which this stand-in fails.
 */
function gpuWithoutSubgroups(): void {
  const adapter = {
    features: new Set<string>(),
    limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28, maxComputeWorkgroupStorageSize: 16384 },
    info: { vendor: 'test', architecture: 'stand-in', device: '', description: 'no subgroups', isFallbackAdapter: false },
    requestDevice: async () => {
      throw new Error('stand-in adapter: no device');
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => adapter } }, configurable: true, writable: true });
}

const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 }, webgpu: { variant: 'blocked-subgroup' } };

/**
 * A driver whose systems train at scripted ms/step (ours-webgpu's by variant) with the same loss; 'subgroup' opens
 * through the real engine on the stand-in adapter above (its LimitError); every train call is recorded.
 */
function variantDriver(ms: Partial<Record<SystemId | WebGpuVariant, number>>): { driver: Driver; opened: [SystemId, WebGpuVariant | undefined][]; order: string[] } {
  const opened: [SystemId, WebGpuVariant | undefined][] = [];
  const order: string[] = [];
  const open = new Map<number, string>();
  const driver: Driver = {
    async open(system, _config: BenchConfig, variant) {
      opened.push([system, variant]);
      if (variant === 'subgroup') await WebGpuBackend.create({ variant });
      const who = systemLabel({ system, variant });
      open.set(opened.length, who);
      return { id: opened.length, description: who };
    },
    async train(id, steps) {
      const who = open.get(id)!;
      order.push(who);
      const key = (/\((.+)\)$/.exec(who)?.[1] ?? who) as SystemId | WebGpuVariant;
      return { loss: 0.25, ms: steps * ms[key]! };
    },
    async close(id) {
      open.delete(id);
    },
  };
  return { driver, opened, order };
}

describe('--webgpu-variants (npm run bench, npm run bench:dawn)', () => {
  it('reads a list of known variants in the order given; absent, there is no list (one ours-webgpu row, no variant)', () => {
    expect(parseArgs(['--webgpu-variants', 'tiled,auto,subgroup'], 'browser').webgpuVariants).toEqual(['tiled', 'auto', 'subgroup']);
    expect(parseArgs(['--webgpu-variants=blocked-subgroup', '--systems', 'ours-webgpu'], 'dawn').webgpuVariants).toEqual(['blocked-subgroup']);
    expect(parseArgs([], 'browser').webgpuVariants).toBeUndefined();
    expect(USAGE).toMatch(/--webgpu-variants V,… +ours-webgpu's kernel variants.*auto, blocked, blocked-subgroup, tiled, subgroup/s);
  });

  it('an unknown variant, one given twice, the Node runner (no ours-webgpu) or a run without ours-webgpu is a usage error naming the flag', () => {
    expect(() => parseArgs(['--webgpu-variants', 'auto,fast,tile'], 'browser')).toThrow("--webgpu-variants: unknown variants 'fast', 'tile'; known: auto, blocked, blocked-subgroup, tiled, subgroup");
    expect(() => parseArgs(['--webgpu-variants', ''], 'browser')).toThrow("--webgpu-variants needs a value, got ''");
    expect(() => parseArgs(['--webgpu-variants', 'tiled,auto,tiled'], 'browser')).toThrow("--webgpu-variants: 'tiled' given twice");
    expect(() => parseArgs(['--webgpu-variants', 'tiled'], 'node')).toThrow('--webgpu-variants: the node runner has no ours-webgpu');
    expect(() => parseArgs(['--systems', 'ours-cpu,tfjs-webgl', '--webgpu-variants', 'tiled'], 'browser')).toThrow('--webgpu-variants: ours-webgpu is not among --systems');
  });
});

describe('webgpuVariants= (the bench page\'s link)', () => {
  it('reads the variants; writes them back; a run from the form records them in its link', () => {
    expect(parseQuery('?systems=ours-webgpu&webgpuVariants=auto,tiled')).toEqual({ systems: ['ours-webgpu'], quick: false, autorun: false, driven: false, webgpuVariants: ['auto', 'tiled'] });
    const q = { configs: ['a'], quick: true, autorun: true, driven: false, webgpuVariants: ['subgroup', 'blocked'] as WebGpuVariant[] };
    expect(queryOf(q)).toBe('?configs=a&quick=1&webgpuVariants=subgroup,blocked&autorun=1');
    expect(parseQuery(queryOf(q))).toEqual(q);
    const link = formLink('http://x/bench.html', { configs: ['a'], systems: ['ours-webgpu'], quick: true, webgpuVariants: ['auto', 'tiled'] }, parseQuery(''));
    expect(parseQuery(new URL(link).search).webgpuVariants).toEqual(['auto', 'tiled']);
    expect(parseQuery(new URL(formLink('http://x/bench.html', { configs: ['a'], systems: ['ours-webgpu'], quick: true }, parseQuery(''))).search).webgpuVariants).toBeUndefined();
  });

  it('a run from the form without ours-webgpu records no variants: its link is one the page accepts, even with no variant box ticked', () => {
    // query.ts formRun (ui.ts formRequest's) passes the ticked boxes as they are: none ticked is [] (Run starts only because
    // ours-webgpu is unticked).
    // (With ours-webgpu and none ticked Run starts nothing, table.ts nothingToRun; its link still is not a refused one.)
    for (const [systems, webgpuVariants] of [[['ours-cpu'], []], [['ours-cpu'], ['tiled']], [['ours-webgpu'], []]] as [SystemId[], WebGpuVariant[]][]) {
      const link = formLink('http://x/bench.html', { configs: ['a'], systems, quick: true, webgpuVariants }, parseQuery(''));
      const { query, errors } = readQuery(new URL(link).search);
      expect(errors.map((e) => e.message), link).toEqual([]);
      expect(query.webgpuVariants, link).toBeUndefined();
    }
  });

  it('an unknown variant or one given twice is an error naming webgpuVariants; the form keeps the known ones, once (README: a list\'s known items)', () => {
    for (const [search, message, kept] of [
      ['?webgpuVariants=tiled,fast', "the link's webgpuVariants: unknown variant 'fast'; known: auto, blocked, blocked-subgroup, tiled, subgroup", ['tiled']],
      ['?webgpuVariants=', "the link's webgpuVariants: names no variant (got '')", undefined],
      ['?webgpuVariants=tiled,tiled', "the link's webgpuVariants: 'tiled' given twice (each variant is one ours-webgpu row)", ['tiled']],
      ['?webgpuVariants=subgroup,fast,blocked,subgroup', "the link's webgpuVariants: unknown variant 'fast'; known: auto, blocked, blocked-subgroup, tiled, subgroup", ['subgroup', 'blocked']],
    ] as [string, string, WebGpuVariant[] | undefined][]) {
      const { query, errors } = readQuery(search);
      expect(errors.map((e) => [e.param, e.message]), search).toEqual([['webgpuVariants', message]]);
      expect(query.webgpuVariants, search).toEqual(kept);
    }
    expect(readQuery('?webgpuvariants=auto').errors[0].message).toMatch(/did you mean webgpuVariants\?/);
  });

  it('webgpuVariants with systems= that leaves out ours-webgpu is an error naming webgpuVariants (it would do nothing), as --webgpu-variants without it on --systems', () => {
    const { query, errors } = readQuery('?systems=ours-cpu,tfjs-webgl&webgpuVariants=tiled');
    expect(errors.map((e) => [e.param, e.message])).toEqual([['webgpuVariants', "the link's webgpuVariants: ours-webgpu is not among systems, so it would do nothing"]]);
    expect(query.systems).toEqual(['ours-cpu', 'tfjs-webgl']);
    // Without systems= every system but scalar runs, ours-webgpu among them.
    expect(readQuery('?webgpuVariants=tiled').errors).toEqual([]);
    expect(readQuery('?webgpuVariants=tiled&systems=tfjs-webgl,ours-webgpu').errors).toEqual([]);
  });

  it('Run with ours-webgpu ticked and no variant ticked says so instead of starting', () => {
    expect(nothingToRun(1, 2, 0)).toMatch(/^nothing to run for ours-webgpu: no kernel variant selected/);
    expect(nothingToRun(1, 2, 1)).toBeNull();
    expect(nothingToRun(1, 2)).toBeNull();
  });
});

describe('variants in one run: one row each, round-robin, labelled; targets from the auto row', () => {
  it('two variants and two peers: rows in the order asked, each its own label and agreement, the reps interleaved', async () => {
    const { driver, opened, order } = variantDriver({ auto: 1, tiled: 2, 'ours-cpu': 3, 'tfjs-webgl': 4 });
    const o = { ...parseArgs(['--configs', 'b-mse', '--systems', 'ours-webgpu,ours-cpu,tfjs-webgl', '--webgpu-variants', 'tiled,auto', '--rep-steps', '1', '--reps', '3'], 'browser'), quiet: true };
    const result = await measureAll(driver, o, o.configs, env, 'test', new Progress(true));
    expect(opened).toEqual([['ours-webgpu', 'tiled'], ['ours-webgpu', 'auto'], ['ours-cpu', undefined], ['tfjs-webgl', undefined]]);
    expect(result.rows.map(systemLabel)).toEqual(['ours-webgpu (tiled)', 'ours-webgpu (auto)', 'ours-cpu', 'tfjs-webgl']);
    expect(result.rows.map((r) => [r.status, r.variant, r.agreement?.ref, r.agreement?.ok])).toEqual([
      ['ok', 'tiled', 'ours-cpu', true], ['ok', 'auto', 'ours-cpu', true], ['ok', undefined, 'ours-cpu', true], ['ok', undefined, 'ours-cpu', true],
    ]);
    // The 3 × 4 timed calls go round-robin, the variants' rows among the others (each row's agreement run first).
    expect(order.slice(-12)).toEqual(Array.from({ length: 3 }, () => ['ours-webgpu (tiled)', 'ours-webgpu (auto)', 'ours-cpu', 'tfjs-webgl']).flat());
    // Each row's ratio to the peer is its own (ms/step 2 and 1 against 4).
    expect(result.rows.slice(0, 2).map((r) => r.ratios?.['tfjs-webgl'])).toEqual([2, 4]);
    // Targets: ours-webgpu's from its auto row only (the faster tiled row would have met 2× as well: the auto row's 4× is the one stated).
    const webgpu = result.targets.filter((t) => t.system === 'ours-webgpu');
    expect(webgpu.map((t) => [t.versus, t.variant, t.got])).toEqual([['tfjs-webgl', 'auto', 4]]);
    // The JSON (rows carry `variant`), the Markdown, the page's table and the SVG say which row is which variant.
    expect(JSON.parse(JSON.stringify(result)).rows[0].variant).toBe('tiled');
    const md = markdown(result as BenchResult);
    expect(md).toContain('| b-mse | ours-webgpu (tiled) |');
    expect(md).toContain('| b-mse: ours-webgpu (auto: blocked-subgroup) vs tfjs-webgl | ≥ 2× | 4.00× | yes |'); // the kernels auto picked: env.webgpu.variant
    expect(md).toMatch(/`ours-webgpu \(V\)`: ours-webgpu with kernel variant V \(--webgpu-variants\).*`auto` is the engine's choice for this adapter \(blocked-subgroup\), and only its row \(or the only one\) is held to the targets/);
    expect(pageTable(result.rows).body.map((c) => c[1])).toEqual(['ours-webgpu (tiled)', 'ours-webgpu (auto)', 'ours-cpu', 'tfjs-webgl']);
    const svg = svgChart(result);
    for (const label of ['ours-webgpu (tiled)', 'ours-webgpu (auto: blocked-subgroup)']) expect(svg).toContain(`>${label}</text>`);
    expect(rowColor(result.rows[0])).not.toBe(rowColor(result.rows[1]));
    expect(result.ok).toBe(true);
  });

  it('a variant the adapter cannot run is that row\'s error with the engine\'s LimitError; the other rows run; the run fails naming it', async () => {
    gpuWithoutSubgroups();
    const { driver, order } = variantDriver({ auto: 1, tiled: 2, 'ours-cpu': 3 });
    const o = { ...parseArgs(['--configs', 'b-mse', '--systems', 'ours-webgpu,ours-cpu', '--webgpu-variants', 'auto,subgroup,tiled', '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true };
    const result = await measureAll(driver, o, o.configs, env, 'test', new Progress(true));
    const sub = result.rows[1];
    expect([sub.variant, sub.status, sub.error]).toEqual(['subgroup', 'error', "LimitError: variant: 'subgroup' kernels need an adapter with the 'subgroups' feature; this one has none"]);
    expect(result.rows.filter((r) => r !== sub).map((r) => [systemLabel(r), r.status, r.reps])).toEqual([['ours-webgpu (auto)', 'ok', 2], ['ours-webgpu (tiled)', 'ok', 2], ['ours-cpu', 'ok', 2]]);
    expect(order.some((w) => w.includes('subgroup'))).toBe(false);
    expect(result.failures).toEqual([`b-mse ours-webgpu (subgroup): ${sub.error}`]);
    // The JSON names the failure's row beside the text (its variant; no threads: none is written).
    expect(JSON.parse(JSON.stringify(result)).failedRows).toEqual([{ config: 'b-mse', system: 'ours-webgpu', variant: 'subgroup', status: 'error', reason: sub.error }]);
  });

  it('in the Dawn runner\'s driver, each row\'s variant reaches the engine: the subgroup row has its LimitError, ours-cpu runs', async () => {
    gpuWithoutSubgroups();
    const o = { ...parseArgs(['--configs', 'a', '--systems', 'ours-webgpu,ours-cpu', '--webgpu-variants', 'subgroup,tiled', '--rep-steps', '1', '--reps', '2', '--no-inspect'], 'dawn'), quiet: true };
    const result = await runNodeBench(o, 'test', { package: 'stand-in', flags: [] });
    expect(result.rows.map((r) => [systemLabel(r), r.status, r.error?.split(':')[0]])).toEqual([
      // tiled gets past the variant check to requestDevice, which the stand-in adapter fails.
      ['ours-webgpu (subgroup)', 'error', 'LimitError'], ['ours-webgpu (tiled)', 'error', 'WebGPUUnavailableError'], ['ours-cpu', 'ok', undefined],
    ]);
  });

  it('without ours-cpu the first variant\'s row is the reference, and only it: the others are judged against it and say so', async () => {
    const { driver } = variantDriver({ blocked: 1, tiled: 2 });
    const o = { ...parseArgs(['--configs', 'b-mse', '--systems', 'ours-webgpu', '--webgpu-variants', 'blocked,tiled', '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true };
    const result = await measureAll(driver, o, o.configs, env, 'test', new Progress(true));
    expect(result.rows.map((r) => r.agreement && [r.agreement.ref, r.agreement.refVariant, r.agreement.ok])).toEqual([['ours-webgpu', 'blocked', true], ['ours-webgpu', 'blocked', true]]);
    const md = markdown(result);
    expect(md).toMatch(/\| b-mse \| ours-webgpu \(blocked\) \|.*\| ref \|/);
    expect(md).toMatch(/\| b-mse \| ours-webgpu \(tiled\) \|.*\| 0\.0e\+0 \|/);
    expect(md).toContain('ref = ours-webgpu (blocked) (ours-cpu was not in the run: the first row with a loss)');
    const t = pageTable(result.rows);
    expect(t.body.map((c) => c[t.head.indexOf('agreement')])).toEqual(['reference (the others are judged against it)', 'agrees with ours-webgpu (blocked) (rel. err 0.0e+0)']);
  });

  it('targets: several variants without auto hold none of them to a target; a single variant is held (the only row)', async () => {
    const run = async (variants: string) => {
      const { driver } = variantDriver({ auto: 1, tiled: 1, blocked: 1, 'tfjs-webgl': 4 });
      const o = { ...parseArgs(['--configs', 'b-mse', '--systems', 'ours-webgpu,tfjs-webgl', '--webgpu-variants', variants, '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true };
      return (await measureAll(driver, o, o.configs, env, 'test', new Progress(true))).targets.filter((t) => t.system === 'ours-webgpu').map((t) => t.variant);
    };
    expect(await run('tiled,blocked')).toEqual([]);
    expect(await run('tiled')).toEqual(['tiled']);
    expect(await run('blocked,auto,tiled')).toEqual(['auto']);
  });

  it('config e: the time-to-accuracy target is ours-webgpu\'s auto row\'s, not a faster variant\'s', () => {
    const e = CONFIG_E[0];
    const fit = (system: SystemId, at: number, variant?: WebGpuVariant): Row => ({
      system, config: e.id, status: 'ok', agreeSteps: 1, ...(variant ? { variant } : {}), epochs: [{ epoch: 1, at, loss: 0.5, testAccuracy: 0.9 }],
    });
    // Peer 8 s; auto 5 s (1.6×: not met); tiled 2 s (4×) would meet it.
    const t = timeToAccuracy([fit('ours-webgpu', 5, 'auto'), fit('ours-webgpu', 2, 'tiled'), fit('tfjs-webgl', 8)], e)!;
    expect([t.checks[0].system, t.checks[0].variant, t.checks[0].got, t.checks[0].met]).toEqual(['ours-webgpu', 'auto', 1.6, false]);
  });

  it('the charts\' legends and tooltips name the kernels auto picked, as the tables do; bars, lines and colours stay one per row', () => {
    const e = CONFIG_E[0];
    const epochs = [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.9 }, { epoch: 2, at: 2, loss: 0.4, testAccuracy: 0.93 }];
    const row = (config: string, variant: WebGpuVariant): Row => ({
      system: 'ours-webgpu', config, status: 'ok', agreeSteps: 1, variant, ...(config === e.id ? { epochs } : { stepsPerSec: variant === 'auto' ? 200 : 100 }),
    });
    const rows = ['b-mse', e.id].flatMap((c) => [row(c, 'auto'), row(c, 'tiled')]);
    const result = { mode: 'test', date: '2026-01-01T00:00:00.000Z', env, configs: [{ id: 'b-mse' }, { id: e.id }], rows, goals: {} } as unknown as BenchResult;
    const auto = 'ours-webgpu (auto: blocked-subgroup)'; // env.webgpu.variant, as markdown's rowLabel says it
    const esc = (t: string) => t.replace(/[()]/g, '\\$&');
    const swatch = (svg: string, label: string) => svg.match(new RegExp(`fill="(#[0-9a-f]{6})"/>\\n?<text x="(\\d+)"[^>]*>${esc(label)}</text>`));
    const [autoColor, tiledColor] = [rowColor(rows[0]), rowColor(rows[1])];
    expect(autoColor).not.toBe(tiledColor);
    for (const [svg, tip, paint] of [
      [svgChart(result), `<title>b-mse ${auto}: 200 steps/s</title>`, 'fill'],
      [ttaSvg(result)!, `<title>${auto}</title>`, 'stroke'],
    ] as const) {
      expect(svg).not.toContain('ours-webgpu (auto)');
      expect(swatch(svg, auto)?.[1]).toBe(autoColor);
      expect(swatch(svg, 'ours-webgpu (tiled)')?.[1]).toBe(tiledColor);
      // The tooltip is on the auto row's own bar (line): its colour.
      expect(svg).toMatch(new RegExp(`${paint}="${autoColor}"[^>]*>${esc(tip)}`));
      // The longer label fits: ~6 px a character at font-size 11, from the legend text's x.
      expect(Number(swatch(svg, auto)![2]) + 6 * auto.length).toBeLessThanOrEqual(Number(svg.match(/<svg[^>]* width="(\d+)"/)![1]));
    }
    expect(ttaSvg(result)).toContain(`<title>${auto} epoch 2: `);
  });

  it('--peak-gflops: each variant\'s peak line names its variant (the f-matmul comparison README suggests)', () => {
    const r = (variant: WebGpuVariant, gflops: number): Row => ({ system: 'ours-webgpu', config: 'f-matmul', status: 'ok', agreeSteps: 1, variant, gflops });
    const result = { peakGflops: 1000, rows: [r('auto', 500), r('tiled', 250)], env } as unknown as BenchResult;
    // 100 · 500 / 1000 = 50.0 %, 100 · 250 / 1000 = 25.0 %.
    expect(peakLines(result)).toEqual([
      'f-matmul ours-webgpu (auto: blocked-subgroup): 500 GFLOP/s = 50.0% of the 1000 GFLOP/s float32 peak', // env.webgpu.variant: auto's kernels
      'f-matmul ours-webgpu (tiled): 250 GFLOP/s = 25.0% of the 1000 GFLOP/s float32 peak',
    ]);
  });
});
