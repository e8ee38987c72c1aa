/**
 * The wasm backend's barriers in Node: median ms per step of 1 thread, and of 2 threads with the calling thread
 * spinning only (as a browser page's main thread does; with 20 000 worker spins, the barrier before 2026-12-02) and
 * sleeping after `--spins` spins (as Node's main thread does now, ../wasm/barrier.ts), the runs
 * interleaved, on the b-mse and c-mse nets (bench/configs.ts):
 *
 *   npx tsx src/node/wasm-threads.ts [--spins 2000,20000] [--steps 200] [--load 3]
 *
 * --load N starts N busy processes (`for(;;){}`) for the run and ends them after. A developer's tool (README, wasm
 * section): its figures go in notes with the command and the machine's load, never in a test. --help prints the
 * usage; a flag it does not know or a bad value is refused before anything starts (THREADS_TOOL).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { type Net, validateNet } from '../spec.ts';
import { BARRIER_SPINS } from '../wasm/barrier.ts';
import { WasmBackend, type WasmNet } from '../wasm/backend.ts';
import { flagIntegers, flagNumber, readToolArgs, runTool, type Tool } from './flags.ts';

/** The command line: README's synopsis, each flag with its default. */
export const THREADS_TOOL: Tool = {
  synopsis: 'npx tsx src/node/wasm-threads.ts [--spins 2000,20000] [--steps 200] [--load 3]',
  flags: {
    // The wasm backend's own bounds of barrier.spins (src/wasm/backend.ts): 0 sleeps at once.
    spins: { takes: { kind: 'integers', min: 0, max: 2 ** 31 - 1, least: 1 }, dflt: String(BARRIER_SPINS), help: 'spins before a 2-thread barrier sleeps, a run each' },
    steps: { takes: { kind: 'integer', min: 1 }, dflt: '200', help: 'steps of b-mse (c-mse: an eighth of them)' },
    load: { takes: { kind: 'integer', min: 0, max: 64 }, dflt: '0', help: 'busy processes (for(;;){}) started for the run' },
  },
};

export interface ThreadsOptions {
  spinsList: number[];
  steps: number;
  load: number;
}

/** The tool's options from its arguments; throws HelpRequested for --help, else an error naming a bad flag (src/node/flags.ts). */
export function parseThreadsArgs(argv: string[]): ThreadsOptions {
  const v = readToolArgs(argv, THREADS_TOOL);
  return { spinsList: flagIntegers(v, 'spins'), steps: flagNumber(v, 'steps'), load: flagNumber(v, 'load') };
}

const CONFIGS = [
  { id: 'b-mse', sizes: [784, 128, 10], n: 64 },
  { id: 'c-mse', sizes: [784, 256, 256, 10], n: 256 },
];
const netOf = (sizes: number[]): Net => validateNet({
  inputs: sizes[0],
  layers: sizes.slice(1).map((units, l) => ({ units, activation: l === sizes.length - 2 ? 'identity' : 'relu' })),
  loss: 'mse',
});
const median = (a: number[]): number => a.slice().sort((x, y) => x - y)[a.length >> 1];

async function timeBarriers({ spinsList, steps, load }: ThreadsOptions): Promise<void> {
  const busy = Array.from({ length: load }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  // Ctrl-C skips `finally`: end the busy processes here too, or they keep burning the CPU.
  process.once('SIGINT', () => {
    for (const p of busy) p.kill();
    process.exit(130);
  });
  try {
    const backends: [string, WasmBackend][] = [
      ['1 thread', await WasmBackend.create({ threads: 1 })],
      ['2, caller spins (as before 2026-12-02)', await WasmBackend.create({ threads: 2, barrier: { spins: 20000, callerSleeps: false } })],
      ...await Promise.all(spinsList.map(async (spins) => [`2, sleep after ${spins}`, await WasmBackend.create({ threads: 2, barrier: { spins } })] as [string, WasmBackend])),
    ];
    console.log(`wasm barriers, Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, ${load} busy processes added`);
    for (const c of CONFIGS) {
      const net = netOf(c.sizes);
      const X = Float32Array.from({ length: c.sizes[0] * c.n }, (_, i) => ((i * 7919) % 1000) / 1000);
      const Y = Float32Array.from({ length: c.sizes[c.sizes.length - 1] * c.n }, (_, i) => (i % 10 === 0 ? 1 : 0));
      const nets: [string, WasmNet][] = backends.map(([name, b]) => {
        const compiled = b.compile(net, c.n);
        compiled.setThreads(b.threads);
        compiled.writeBatch({ n: c.n, X, Y });
        compiled.run(20, 0.01, true); // warm-up: the engine's optimising tier
        return [name, compiled];
      });
      const times = nets.map((): number[] => []);
      const reps = c.id === 'b-mse' ? steps : Math.ceil(steps / 8);
      for (let r = 0; r < reps; r++) {
        nets.forEach(([, compiled], k) => {
          const t0 = performance.now();
          compiled.run(1, 0.01, true);
          times[k].push(performance.now() - t0);
        });
      }
      const one = median(times[0]);
      console.log(`${c.id} (${reps} steps each): ${nets.map(([name], k) => `${name} ${median(times[k]).toFixed(2)} ms (×${(median(times[k]) / one).toFixed(2)})`).join(' · ')}`);
      for (const [, compiled] of nets) compiled.dispose();
    }
    for (const [, b] of backends) b.dispose();
  } finally {
    for (const p of busy) p.kill();
  }
}

runTool(import.meta.url, parseThreadsArgs, timeBarriers);
