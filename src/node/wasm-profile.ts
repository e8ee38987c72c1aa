/**
 * Per-kernel profile of the wasm backend's step (src/wasm/profile.ts), one thread, in Node (plain SIMD: Node 20's
 * V8 has no relaxed SIMD) and in headless Chromium (relaxed SIMD), mse and softmax-CE, the two runs interleaved:
 *
 *   npx tsx src/node/wasm-profile.ts [--layers 1024,1024,1024] [--batch 1024] [--hidden relu] [--steps 5] [--rounds 2] [--lr 0.05] [--no-browser]
 *
 * Prints one table per engine: median ms per kernel, and the GFLOP/s of each GEMM (2·M·N·P flops). A developer's
 * tool (README, wasm section): its figures go in notes with the command and the machine's load, never in a test.
 * --help prints the usage; a flag it does not know or a bad value is refused before anything starts (PROFILE_TOOL).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { type ActivationName, validateNet, type Net } from '../spec.ts';
import { type ProfileResult, profileNet } from '../wasm/profile.ts';
import { launchChromium } from './chromium.ts';
import { flagIntegers, flagNumber, flagOn, flagWord, readToolArgs, runTool, type Tool } from './flags.ts';
import { BENCH_PAGE, startBenchServer } from '../../bench/server.ts';
import { HIDDEN_ACTIVATIONS } from '../../bench/own-net.ts';

/** The command line: README's synopsis, each flag with its default. */
export const PROFILE_TOOL: Tool = {
  synopsis: 'npx tsx src/node/wasm-profile.ts [--layers 1024,1024,1024] [--batch 1024] [--hidden relu] [--steps 5] [--rounds 2] [--lr 0.05] [--no-browser]',
  flags: {
    layers: { takes: { kind: 'integers', min: 1, least: 2 }, dflt: '1024,1024,1024', help: "the net's widths, inputs first" },
    batch: { takes: { kind: 'integer', min: 1 }, dflt: '1024', help: 'examples a step' },
    hidden: { takes: { kind: 'word', among: HIDDEN_ACTIVATIONS }, dflt: 'relu', help: "the hidden layers' activation" },
    steps: { takes: { kind: 'integer', min: 1 }, dflt: '5', help: "steps a round, each kernel's time their median" },
    rounds: { takes: { kind: 'integer', min: 1 }, dflt: '2', help: "rounds, each kernel's time the best of theirs" },
    lr: { takes: { kind: 'number' }, dflt: '0.05', help: 'the learning rate η of the steps' },
    'no-browser': { takes: { kind: 'switch' }, help: 'Node only, no headless Chromium' },
  },
};

export interface ProfileOptions {
  sizes: number[];
  batch: number;
  hidden: ActivationName;
  steps: number;
  rounds: number;
  lr: number;
  browser: boolean;
}

/** The tool's options from its arguments; throws HelpRequested for --help, else an error naming a bad flag (src/node/flags.ts). */
export function parseProfileArgs(argv: string[]): ProfileOptions {
  const v = readToolArgs(argv, PROFILE_TOOL);
  const sizes = flagIntegers(v, 'layers');
  // The ce net's softmax over one unit is always 1 (src/spec.ts refuses it naming layers[L].units): said in the flag's words.
  if (sizes[sizes.length - 1] < 2) {
    throw new Error(`--layers ${sizes.join(',')}: the tool profiles a softmax-CE net too, which needs a last width of at least 2 (softmax over 1 unit is always 1: loss 0, nothing trains)`);
  }
  return {
    sizes,
    batch: flagNumber(v, 'batch'),
    hidden: flagWord(v, 'hidden') as ActivationName, // one of HIDDEN_ACTIVATIONS: readToolArgs checked it
    steps: flagNumber(v, 'steps'),
    rounds: flagNumber(v, 'rounds'),
    lr: flagNumber(v, 'lr'),
    browser: !flagOn(v, 'no-browser'),
  };
}

const netFor = ({ sizes, hidden }: ProfileOptions, loss: 'mse' | 'ce'): Net => validateNet({
  inputs: sizes[0],
  layers: sizes.slice(1).map((units, l) => ({ units, activation: l === sizes.length - 2 ? (loss === 'ce' ? 'softmax' : 'identity') : hidden })),
  loss: loss === 'ce' ? 'softmax-cross-entropy' : 'mse',
});

function table({ sizes, hidden, batch, rounds, steps }: ProfileOptions, title: string, runs: ProfileResult[][]): string {
  // runs[round][k]: merge rounds by taking each kernel's best median (the least disturbed by the other jobs).
  const best = runs[0].map((_, k) => {
    const r = runs.map((round) => round[k]);
    return {
      stepMs: Math.min(...r.map((x) => x.stepMs)),
      kernels: r[0].kernels.map((kt, j) => ({ label: kt.label, ms: Math.min(...r.map((x) => x.kernels[j].ms)) })),
      simd: r[0].simd,
    };
  });
  const lines = [`${title} (${best[0].simd}), ${sizes.join('-')} ${hidden}, batch ${batch}; ms per kernel (best of ${rounds} rounds of the median of ${steps} steps)`];
  lines.push(`| kernel | ${['mse', 'ce'].map((l) => `${l} ms | ${l} GFLOP/s`).join(' | ')} |`);
  lines.push('|---|---:|---:|---:|---:|');
  const labels = [...new Set(best.flatMap((b) => b.kernels.map((k) => k.label)))];
  for (const label of labels) {
    const m = /gemm (\d+)×(\d+)×(\d+)/.exec(label);
    const flops = m ? 2 * Number(m[1]) * Number(m[2]) * Number(m[3]) : 0;
    const cells = best.map((b) => {
      const k = b.kernels.find((x) => x.label === label);
      return k ? `${k.ms.toFixed(2)} | ${flops ? (flops / k.ms / 1e6).toFixed(1) : ''}` : '— | ';
    });
    lines.push(`| ${label.replace(/ \([^)]*\)$/, (s) => s)} | ${cells.join(' | ')} |`);
  }
  lines.push(`| whole step | ${best.map((b) => `${b.stepMs.toFixed(2)} | `).join(' | ')} |`);
  return lines.join('\n');
}

async function profile(o: ProfileOptions): Promise<void> {
  const nets = [netFor(o, 'mse'), netFor(o, 'ce')];
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (${os.cpus().length} cpus)`);

  const nodeRuns: ProfileResult[][] = [];
  const pageRuns: ProfileResult[][] = [];
  let page: import('puppeteer-core').Page | null = null;
  let chromium: import('puppeteer-core').Browser | null = null;
  let served: Awaited<ReturnType<typeof startBenchServer>> | null = null;
  try {
    if (o.browser) {
      const bundle = await build({
        entryPoints: [fileURLToPath(new URL('../wasm/profile.ts', import.meta.url))],
        bundle: true, write: false, format: 'iife', globalName: 'wasmProfile', platform: 'browser', target: 'es2022',
      });
      chromium = await launchChromium();
      page = await chromium.newPage();
      // NOTE: a cross-origin-isolated page (the bench server's COOP/COEP): its performance.now() ticks in 5 µs; on
      // about:blank it ticks in 100 µs, and every kernel under 0.1 ms read 0.00 (config c's ReLU epilogues among them).
      served = await startBenchServer();
      await page.goto(new URL(BENCH_PAGE, served.url).href);
      if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the profile page is not cross-origin isolated: its timer would tick in 100 µs');
      await page.addScriptTag({ content: bundle.outputFiles[0].text });
    }
    for (let r = 0; r < o.rounds; r++) {
      nodeRuns.push(nets.map((net) => profileNet(net, o.batch, { relaxed: false, steps: o.steps, lr: o.lr })));
      if (page) {
        pageRuns.push(await page.evaluate((netsJson: string, n: number, s: number, rate: number) => {
          const w = (globalThis as unknown as { wasmProfile: { profileNet: typeof profileNet } }).wasmProfile;
          return (JSON.parse(netsJson) as Net[]).map((net) => w.profileNet(net, n, { relaxed: true, steps: s, lr: rate }));
        }, JSON.stringify(nets), o.batch, o.steps, o.lr));
      }
    }
  } finally {
    await chromium?.close();
    await served?.close();
  }
  console.log(table(o, 'Node', nodeRuns));
  if (pageRuns.length) console.log(`\n${table(o, 'Chromium', pageRuns)}`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`);
}

runTool(import.meta.url, parseProfileArgs, profile);
