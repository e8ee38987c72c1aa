/**
 * npm run bench:node [-- options]: the CPU path without a browser — ours-cpu (src/cpu through Model), and
 * TF.js 4.22 cpu and wasm in this Node process for the ratios (--systems ours-cpu for ours alone). Same
 * configs, protocol, agreement and outputs as `npm run bench` (bench/results/node-latest.{json,md,svg}).
 * Note: TF.js in Node has no threaded wasm (its backend says Node lacks the support), so tfjs-wasm is single-threaded here.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostEnv, measureAll, parseArgs, prepareData, Progress, type BenchOptions } from './bench.ts';
import { type BenchConfig, materialize } from './configs.ts';
import type { Driver, TrainOut } from './protocol.ts';
import { type BenchResult, finish } from './report.ts';
import { oursTrainer, scalarTrainer, type SystemId, tfTrainer, type Trainer } from './systems.ts';

type Tf = typeof import('@tensorflow/tfjs');

class LocalDriver implements Driver {
  private readonly trainers = new Map<number, Trainer>();
  private nextId = 1;
  constructor(private readonly tf: Tf | null, private readonly data: Map<string, { X: Float32Array; Y: Float32Array }>) {}

  async open(system: SystemId, config: BenchConfig): Promise<{ id: number; description: string }> {
    const m = materialize(config, this.data.get(config.id));
    let t: Trainer;
    if (system === 'ours-cpu') t = await oursTrainer('cpu', config, m);
    else if (system === 'scalar') t = await scalarTrainer(config, m);
    else if ((system === 'tfjs-cpu' || system === 'tfjs-wasm') && this.tf) t = await tfTrainer(this.tf, system === 'tfjs-cpu' ? 'cpu' : 'wasm', config, m);
    else throw new Error(`${system} is not available in the Node runner`);
    const id = this.nextId++;
    this.trainers.set(id, t);
    return { id, description: t.description };
  }

  async train(id: number, steps: number): Promise<TrainOut> {
    const t = this.trainers.get(id)!;
    const t0 = performance.now();
    const { loss } = await t.train(steps);
    return { loss, ms: performance.now() - t0 };
  }

  async inspect(id: number): Promise<Record<string, unknown>> {
    return (await this.trainers.get(id)!.inspect?.()) ?? {};
  }

  async close(id: number): Promise<void> {
    this.trainers.get(id)?.dispose();
    this.trainers.delete(id);
  }
}

/** TF.js for Node: the full package (core, cpu, gradients) and the wasm backend, quiet about tfjs-node. */
async function loadTf(): Promise<Tf> {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    return tf;
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

export async function runNodeBench(o: BenchOptions, command: string): Promise<BenchResult> {
  const progress = new Progress(o.quiet);
  const { configs, data, notes } = await prepareData(o);
  for (const n of notes) if (!o.quiet) process.stderr.write(`${n}\n`);
  const needTf = o.systems.some((s) => s.startsWith('tfjs-'));
  const tf = needTf ? await loadTf() : null;
  const env = { ...hostEnv('node'), ...(tf ? { tfjs: { version: tf.version.tfjs, wasmThreads: 1 } } : {}) };
  return measureAll(new LocalDriver(tf, data), o, configs, env, command, progress);
}

async function main(): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseArgs(process.argv.slice(2), 'node');
  } catch (err) {
    const e = err as Error & { help?: boolean };
    (e.help ? process.stdout : process.stderr).write(`${e.message}\n`);
    return e.help ? 0 : 2;
  }
  const command = `npm run bench:node${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const result = await runNodeBench(o, command);
  return finish(result, { dir: o.out, name: o.name, stamped: o.stamped });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(1);
  });
}
