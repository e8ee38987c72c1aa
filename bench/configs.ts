/**
 * The benchmark's configurations (issue 4: a–d, a reduced b for --quick, and the user's own), and how each
 * one's starting weights and batch are made. Used by Node (bench/run.ts, bench/node.ts) and by the bench page:
 * a config is plain JSON, and `materialize` turns it into the same Float32Arrays wherever it runs, so every
 * system of one run starts from the same weights and data.
 *
 * Layouts: parameters in engine layout (W[l] row-major units × fanIn, see src/spec.ts); the batch
 * example-major (X is n × inputs, Y is n × outputs, one row per example) — what TF.js wants and what
 * Model.train's {examples, data} input takes.
 */
import { fromBase64, toBase64 } from '../src/base64.ts';
import { checkBudget, DEFAULT_BUDGET, DEVICE_KNOB, HOST_KNOB, type OwnMemory } from '../src/budget.ts';
import { LimitError } from '../src/errors.ts';
import { initParams, mulberry32 } from '../src/init.ts';
import type { ActivationName, BiasMode, InitScheme, Loss, Net, NetworkSpec, Params, ParamsSpec, Reduction } from '../src/spec.ts';
import { dataAsRows, paramsFromSpec, validateNet } from '../src/spec.ts';
import { readData } from '../src/data.ts';
import { wasmMemory } from '../src/wasm/budget.ts';
import { RELAXED_TILING, TILING, type Tiling } from '../src/wasm/gemm.ts';
import type { Row } from './protocol.ts';

export interface BenchLayer {
  units: number;
  activation: ActivationName;
  bias: BiasMode;
}

/** Where a config's batch comes from. 'given': rows from a spec file; 'mnist': digits sent by Node (bench/mnist.ts). */
export type DataSource =
  | { kind: 'xor' }
  | { kind: 'random'; seed: number }
  | { kind: 'mnist' }
  | { kind: 'given'; x: number[][]; y: number[][] };

export interface BenchConfig {
  /** 'a', 'b-mse', 'b-ce', …, 'q-mse', 'user-mse', 'spec'. */
  id: string;
  /** The letter (or 'q', 'user'): --configs b selects b-mse and b-ce. */
  group: string;
  title: string;
  inputs: number;
  layers: BenchLayer[];
  loss: Loss;
  reduction: Reduction;
  batch: number;
  lr: number;
  /** Starting weights: seeded init, or the spec's params. */
  weights: { scheme: InitScheme; seed: number } | { params: ParamsSpec };
  data: DataSource;
  /** N: the steps every system trains from the shared start before their losses are compared. */
  agreeSteps: number;
  /** Relative and absolute tolerance of the loss after N steps (see TOLERANCE). */
  rtol: number;
  atol: number;
  /** Config f's bare GEMM row (bench/matmul.ts): one R × K by K × C product per step instead of a training step. */
  matmul?: MatmulShape;
  /** Config e (time to accuracy): trained by each system's own fit for some epochs instead of timed steps (bench/epochs.ts). */
  fit?: FitConfig;
}

/**
 * Config e's training run: `train` examples of the MNIST split's training part and `test` of its test part
 * (src/train/mnist.ts mnistSplitOf, built in the page from the site's digits file, bench/page/mnist.ts), `epochs` epochs in the order epochOrder(train, {seed: shuffleSeed},
 * epoch) of src/train/fit.ts (what Model.fit draws), the optimiser at the config's lr (Adam: β1 0.9, β2 0.999, eps 1e-8
 * for every system: PyTorch's defaults, which Model.fit uses; TF.js's own default eps is 1e-7).
 */
export interface FitConfig {
  epochs: number;
  train: number;
  test: number;
  optimizer: 'sgd' | 'adam';
  shuffleSeed: number;
  /**
   * The agreement compares epochs 1 … min(agreeEpochs, epochs) with the reference's (default 1: epoch 1 only):
   * epoch 1 in bench/protocol.ts agree, the later ones in bench/agree-epochs.ts, which says why each config's count.
   */
  agreeEpochs?: number;
}

export interface MatmulShape {
  R: number;
  K: number;
  C: number;
}

/** Adam's constants for every system of config e. */
export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/**
 * Loss agreement after N steps: |L − L_ref| ≤ rtol·|L_ref| + atol, L_ref from ours-cpu (the oracle; float64
 * accumulation rounded to float32 per element), else from the first system that ran.
 *
 * Why these numbers: every system computes in float32 but sums in its own order (TF.js cpu: float32 loops;
 * wasm: XNNPACK with SIMD partial sums; WebGPU: per-thread blocks; ours-cpu: float64 sums rounded once). One
 * K-term dot product then differs by ~√K·2⁻²⁴·Σ|terms| (≈ 1e-6 relative for K = 1024), and each SGD step feeds
 * that difference back into the weights; on well-conditioned nets the loss after N steps stays within a few
 * float32 ulps (measured on this machine: ≤ 7.26e-7 relative for every system and config a–d in the fair runs of
 * 2026-12-03 and 2026-12-05, bench/results/fair-run.json and fair-run-38.json, the worst jax-js wasm on d-ce in both;
 * 4.6e-7 in the 2026-11-22 run; an
 * ill-conditioned start — c-mse at lr 0.01, whose second step overshoots — grew to 3e-5).
 * rtol = 1e-4 leaves > 100× room for other orders and other hardware while still catching real mistakes: a
 * missing ½ or 1/N moves the loss by 2× or n×, a learning rate 10% off moves it by 9.4e-4 (d-ce, N = 2) to 9.2e-2
 * (d-mse, lr ×0.9; ×1.1 6.4e-2) relative on b–d (measured again 2026-12-05, README "Agreement"), a wrong transpose or a skipped update by more (N ≥ 2 everywhere, so that at least one update is
 * inside the comparison; bench.ts refuses --steps 1).
 * NOTE: N must stop before the loss flattens. Config a (XOR) reaches its 0.125 plateau by step ~100, where the loss
 * no longer tells learning rates apart: measured on ours-cpu (2026-12-03), relative change of the loss at N = 100
 * for lr ×0.9 1.4e-5 (1.448e-5), ×1.1 4.8e-6, ×2 (a gradient twice too big, a missing ½) 1.1e-5 — all under rtol. At N = 10,
 * still on the way down: ×0.9 9.6e-3, ×1.1 9.1e-3, ×2 7.0e-2, ×0.25 8.3e-2 — ≥ 90× rtol. So a compares at N = 10.
 */
const TOLERANCE = { rtol: 1e-4, atol: 1e-7 } as const;

const he = (seed: number) => ({ scheme: 'he' as const, seed });

/** The 2-2-1 lecture net (test/fixtures/lecture-2-2-1.json: its weights, its shared hidden bias) on XOR's 4 examples. */
const LECTURE_PARAMS: ParamsSpec = { W: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], b: [0.35, [0.6]] };

function mlp(
  id: string, group: string, title: string, sizes: number[], batch: number, loss: 'mse' | 'ce',
  hidden: ActivationName, agreeSteps: number, lr: number, seed: number,
): BenchConfig {
  const [inputs, ...widths] = sizes;
  const last = widths.length - 1;
  return {
    id, group, title: `${title}, ${loss === 'ce' ? 'softmax-CE' : 'MSE'}`,
    inputs,
    layers: widths.map((units, l) => ({
      units,
      activation: l === last ? (loss === 'ce' ? 'softmax' : 'identity') : hidden,
      bias: 'per-unit',
    })),
    loss: loss === 'ce' ? 'softmax-cross-entropy' : 'mse',
    reduction: 'mean',
    batch,
    lr,
    weights: he(seed),
    data: { kind: 'random', seed: seed + 1000 },
    agreeSteps,
    ...TOLERANCE,
  };
}

export const CONFIG_A: BenchConfig = {
  id: 'a',
  group: 'a',
  title: '2-2-1 sigmoid, batch 4 (the lecture net), MSE',
  inputs: 2,
  layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }],
  loss: 'mse',
  reduction: 'mean',
  batch: 4,
  lr: 0.5,
  weights: { params: LECTURE_PARAMS },
  data: { kind: 'xor' },
  agreeSteps: 10, // before XOR's plateau: see TOLERANCE
  ...TOLERANCE,
};

/**
 * Configs a–d of the issue; b–d with MSE (identity output) and with softmax-cross-entropy, ReLU hidden layers,
 * He init, inputs U(0, 1), one-hot labels. Learning rates keep the first N steps smooth: at lr 0.01 c-mse's
 * second step overshoots (loss 5.03 → 1.44) and float32 summation differences grow to 3e-5 relative by step 10;
 * at 0.003 they stay at float32 resolution.
 */
export const FULL_CONFIGS: BenchConfig[] = [
  CONFIG_A,
  mlp('b-mse', 'b', '784-128-10, batch 64', [784, 128, 10], 64, 'mse', 'relu', 20, 0.01, 2),
  mlp('b-ce', 'b', '784-128-10, batch 64', [784, 128, 10], 64, 'ce', 'relu', 20, 0.05, 2),
  mlp('c-mse', 'c', '784-256-256-10, batch 256', [784, 256, 256, 10], 256, 'mse', 'relu', 10, 0.003, 3),
  mlp('c-ce', 'c', '784-256-256-10, batch 256', [784, 256, 256, 10], 256, 'ce', 'relu', 10, 0.05, 3),
  mlp('d-mse', 'd', '1024-1024-1024, batch 1024', [1024, 1024, 1024], 1024, 'mse', 'relu', 2, 0.001, 4),
  mlp('d-ce', 'd', '1024-1024-1024, batch 1024', [1024, 1024, 1024], 1024, 'ce', 'relu', 2, 0.05, 4),
];

/** --quick: a and a reduced b (784-32-10, batch 16), both losses. */
export const QUICK_CONFIGS: BenchConfig[] = [
  CONFIG_A,
  mlp('q-mse', 'q', 'reduced b: 784-32-10, batch 16', [784, 32, 10], 16, 'mse', 'relu', 10, 0.01, 5),
  mlp('q-ce', 'q', 'reduced b: 784-32-10, batch 16', [784, 32, 10], 16, 'ce', 'relu', 10, 0.05, 5),
];

/**
 * Config f (issue 14), GPU-sized: 4096-4096-4096, batch 4096 — 3 × 2·4096³ ≈ 412 GFLOP of matmuls a step. Only by
 * name (--configs f), for the GPU systems, and skipped on a fallback adapter (SwiftShader: minutes a step) unless
 * --gpu-sized-on-fallback. Report it with --peak-gflops P: GFLOP/s and the share of P. Not measured here (no GPU).
 * Its bare 4096³ matmul row is CONFIG_F_MATMUL below (bench/matmul.ts).
 */
export const CONFIG_F: BenchConfig = mlp('f', 'f', '4096-4096-4096, batch 4096', [4096, 4096, 4096], 4096, 'mse', 'relu', 2, 0.001, 6);

/**
 * Config e (issue 14), time to accuracy: MNIST 784-128-10 ReLU/softmax-CE, the split's 8 000 training and 2 000 test
 * digits, batches of 128 (62 of 128 and a last one of 64 per epoch), 5 epochs, the same start (He, seed 8) and the
 * same batch order for every system; SGD at lr 0.1 (e-sgd) and Adam at lr 1e-3 (e-adam). Each system trains through
 * its own fit (bench/epochs.ts): seconds per epoch (the first with compiles), test accuracy after each.
 * --epochs E changes the epoch count (bench/bench.ts).
 *
 * Agreement: the mean training loss of epoch 1 (each batch's loss before its update, as Model.fit and TF.js's
 * model.fit report it), |L − L_ref| ≤ rtol·|L_ref| + atol against ours-cpu.
 *  - e: rtol = 1e-3. Epoch 1 is 63 updates (a–d compare after ≤ 20), and Adam divides each update by √v, which
 *    turns float32 differences in small gradients into full-size steps. Measured (npm run bench -- --configs e,
 *    2026-12-02, this machine): standardised inputs, worst 1.5e-5 (ours-webgpu and TF.js webgl with Adam); an
 *    earlier run on pixels / 255, TF.js webgl with Adam 1.0e-4. 1e-3 leaves 10× room over the worst seen.
 *  - the quick run's qe (4 updates an epoch): rtol = 1e-4, the a–d rule. Measured ≤ 1.1e-6; another batch order moves the
 *    epoch-1 loss by more (qe-sgd 1.5e-2, qe-adam 3.2e-3; test/bench-tta.test.ts checks that it fails the agreement), a
 *    10% learning rate error more.
 *  - the batch order itself: on e-adam another shuffle seed moves the epoch-1 loss only 1.7e-4 (under rtol), so the
 *    agreement also compares epoch 1's test accuracy (bench/protocol.ts FIT_ACCURACY_SLACK: ≤ 2 test digits off).
 *  - the later epochs' order: e-sgd's epochs 2 and 3 and qe's (2, or 3 with --epochs 3) are compared as epoch 1 is
 *    (agreeEpochs; bench/agree-epochs.ts gives the measurements); e-adam's later epochs drift apart by as much as
 *    another order moves them, so the quick run's qe-adam checks the peers' Adam loops after epoch 1.
 * Inputs: the split's standardised pixels (src/train/mnist.ts MNIST_STANDARDIZE, mnistData's default).
 */
const E_TOLERANCE = { rtol: 1e-3, atol: 1e-6 } as const;

function mnistFit(id: string, group: string, title: string, optimizer: 'sgd' | 'adam', lr: number, fit: Omit<FitConfig, 'optimizer' | 'shuffleSeed'>, tol: { rtol: number; atol: number } = E_TOLERANCE): BenchConfig {
  const c = mlp(id, group, `${title}, ${optimizer === 'adam' ? 'Adam' : 'SGD'} lr ${lr}`, [784, 128, 10], 128, 'ce', 'relu', Math.ceil(fit.train / 128), lr, 8);
  return { ...c, data: { kind: 'mnist' }, fit: { ...fit, optimizer, shuffleSeed: 14 }, ...tol };
}

export const CONFIG_E: BenchConfig[] = [
  mnistFit('e-sgd', 'e', 'time to accuracy: MNIST 784-128-10, 8000/2000, batch 128', 'sgd', 0.1, { epochs: 5, train: 8000, test: 2000, agreeEpochs: 3 }),
  mnistFit('e-adam', 'e', 'time to accuracy: MNIST 784-128-10, 8000/2000, batch 128', 'adam', 1e-3, { epochs: 5, train: 8000, test: 2000, agreeEpochs: 1 }),
];

/**
 * --quick's reduced e: 2 epochs on 512 training digits (4 batches of 128 an epoch), 256 test digits; both epochs
 * compared (up to 3 with --epochs), so that the quick run checks every system's batch order after epoch 1 too.
 */
export const QUICK_E: BenchConfig[] = [
  mnistFit('qe-sgd', 'qe', 'reduced e: MNIST 784-128-10, 512/256, batch 128, 2 epochs', 'sgd', 0.1, { epochs: 2, train: 512, test: 256, agreeEpochs: 3 }, TOLERANCE),
  mnistFit('qe-adam', 'qe', 'reduced e: MNIST 784-128-10, 512/256, batch 128, 2 epochs', 'adam', 1e-3, { epochs: 2, train: 512, test: 256, agreeEpochs: 3 }, TOLERANCE),
];

/**
 * A fit config (e, qe) trained for `epochs` epochs (--epochs): its fit's count, and its title's where the title states
 * one (qe's '2 epochs': a run of --configs qe --epochs 3 was headed '… 1 epoch …' in its results when qe trained 1).
 */
export function withEpochs(c: BenchConfig & { fit: FitConfig }, epochs: number): BenchConfig {
  return { ...c, fit: { ...c.fit, epochs }, title: c.title.replace(/\b\d+ epochs?\b/, `${epochs} epoch${epochs === 1 ? '' : 's'}`) };
}

/** The systems config e runs on: ours and the peers with a fit of their own (TF.js webgl, jax-js webgpu and wasm). */
export const FIT_SYSTEMS = ['ours-webgpu', 'ours-wasm', 'ours-cpu', 'tfjs-webgl', 'jax-webgpu', 'jax-wasm'];

/**
 * The bare GEMM row of config f: C = A·B at 4096³ (137 GFLOP a product), GFLOP/s and (--peak-gflops) its share of
 * the peak, GPU systems only, skipped on a fallback adapter like f; and its small twin in --quick (96 × 160 × 80,
 * on any adapter), whose products bench/matmul.ts checks against float64 dots.
 * Agreement: C[0][0] (all terms positive, U(0, 1) operands) of two float32 sums of K terms differ by at most
 * 2γ_K·C[0][0], γ_K ≈ K·2⁻²⁴: rtol = 2.5·K·2⁻²⁴ (2.4e-5 at K = 160, 6.1e-4 at K = 4096).
 */
function matmulConfig(id: string, group: string, s: MatmulShape): BenchConfig {
  const c = mlp(id, group, `bare matmul ${s.R}×${s.K} · ${s.K}×${s.C}`, [s.K, s.R], s.C, 'mse', 'relu', 1, 0, 9);
  return { ...c, title: `bare matmul: (${s.R}×${s.K})·(${s.K}×${s.C}), one product a step`, matmul: s, rtol: 2.5 * s.K * 2 ** -24, atol: 0 };
}

export const CONFIG_F_MATMUL = matmulConfig('f-matmul', 'f', { R: 4096, K: 4096, C: 4096 });
export const QUICK_MATMUL = matmulConfig('q-matmul', 'qm', { R: 96, K: 160, C: 80 });

/** The systems config f runs on (the CPU ones would take minutes a step). */
export const GPU_SIZED_SYSTEMS = ['ours-webgpu', 'tfjs-webgpu', 'tfjs-webgl', 'jax-webgpu'];
/** The bare matmul row's systems. */
export const MATMUL_SYSTEMS = GPU_SIZED_SYSTEMS;

/**
 * `--quick` on the browser runner (npm run bench -- --quick) and the bench page's `quick=1` default: a, the reduced b,
 * the reduced e and the small bare matmul. The Node runners' --quick is the part their systems run (bench/bench.ts
 * configsOf): no fit on either; the Dawn runner's ours-webgpu runs q-matmul, the Node runner has no GPU system.
 */
export const QUICK_BROWSER_CONFIGS: BenchConfig[] = [...QUICK_CONFIGS, ...QUICK_E, QUICK_MATMUL];

export const ALL_CONFIGS: BenchConfig[] = [...FULL_CONFIGS, ...CONFIG_E, ...QUICK_CONFIGS.filter((c) => c.id !== 'a'), ...QUICK_E, QUICK_MATMUL, CONFIG_F, CONFIG_F_MATMUL];

/**
 * Whether a run has an e or qe config (a fit: time to accuracy), what --fits and --epochs (the page's fits=) act on.
 * One test for the command line (bench/bench.ts) and the page (bench/page/query.ts, ./run.ts).
 */
export const hasFit = (configs: readonly BenchConfig[]): boolean => configs.some((c) => c.fit !== undefined);

/** The ids of the configs with a fit (e-sgd, e-adam, qe-sgd, qe-adam). */
const FIT_IDS: ReadonlySet<string> = new Set(ALL_CONFIGS.filter((c) => c.fit).map((c) => c.id));

/**
 * Whether a row is a fit's (config e's: time to accuracy, no timed step), whatever became of it — fitted, still
 * fitting, erred or skipped: its config is a fit config, or it has epochs (a result written with other config ids).
 * One rule for the Markdown (bench/report.ts: the timing line's parts) and the page's table (bench/page/table.ts:
 * which columns it shows); a planned row, `{ config }`, asks it of a config before any row has come.
 */
export const isFitRow = (r: Pick<Row, 'config' | 'epochs'>): boolean => r.epochs !== undefined || FIT_IDS.has(r.config);

/** The browser runner's default set: with --quick QUICK_BROWSER_CONFIGS, else a–e (npm run bench); the page's quick=1 ticks the first. */
export const defaultSet = (quick: boolean): BenchConfig[] => (quick ? QUICK_BROWSER_CONFIGS : [...FULL_CONFIGS, ...CONFIG_E]);

/** A run's name: its result's `mode`, the report's "# Benchmark: quick run". */
export type RunMode = 'full' | 'quick' | 'custom';

/**
 * What a run is called, from what it runs, by the command line and the page alike: 'quick' (with --quick, the page's
 * quick=1 or its box) or 'full' (without) when its configs are the runner's default set for that (`defaults`: the
 * browser runner's, defaultSet; any order, --epochs aside), else 'custom' — `--configs a --quick` and
 * `?configs=a&quick=1` are custom runs, `--quick` and a page with the quick set ticked quick runs.
 */
export function runMode(configs: readonly BenchConfig[], quick: boolean, defaults: readonly BenchConfig[] = defaultSet(quick)): RunMode {
  const ids = (cs: readonly BenchConfig[]): string => cs.map((c) => c.id).sort().join(',');
  return ids(configs) !== ids(defaults) ? 'custom' : quick ? 'quick' : 'full';
}

/**
 * The message for names not among `known` (configs, systems, kernel variants), every one of them, then the known ones:
 * one wording for the command line and the bench page's links.
 */
export function unknownNames(what: string, bad: string[], known: readonly string[]): string {
  return `unknown ${what}${bad.length > 1 ? 's' : ''} ${quoted(bad)}; known: ${known.join(', ')}`;
}

/** Names as the bench's messages quote them: 'a', 'b'. */
export const quoted = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');

/** The names a config can be selected by: each group ('b') and id ('b-mse'), in the pool's order. */
export function configNames(pool: BenchConfig[] = ALL_CONFIGS): string[] {
  return [...new Set(pool.flatMap((c) => [c.group, c.id]))];
}

/**
 * --configs: ids ('b-ce') or groups ('b' = b-mse and b-ce), comma-separated. Unknown names throw, naming every one and
 * listing the known ones.
 */
export function selectConfigs(names: string[], pool: BenchConfig[] = ALL_CONFIGS): BenchConfig[] {
  const known = configNames(pool);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(unknownNames('config', unknown, known));
  const out: BenchConfig[] = [];
  for (const name of names) {
    for (const c of pool) if ((c.id === name || c.group === name) && !out.includes(c)) out.push(c);
  }
  return out;
}

export interface UserNetOptions {
  /** Layer widths, inputs first: 784,256,10. */
  layers: number[];
  batch: number;
  activation: ActivationName;
  loss: 'mse' | 'ce' | 'both';
  lr?: number;
  steps?: number;
  seed?: number;
  /** Check the net's GPU memory too (budgetCheck): a runner with a GPU system. */
  gpu?: boolean;
  /** ours-wasm's thread counts, one a page load, when the run has ours-wasm: its own count too (budgetCheck). */
  wasmThreads?: readonly number[];
}

/**
 * ours-wasm's own count on `threads` threads with one of the page's two tilings, its name saying which: a refusal
 * names the tiling whose count refused (a 5-5 net at 7 200 000 examples fits 6 × 2 blocks but not 4 × 2).
 */
export function wasmCount(threads: number, tiling: Tiling): OwnMemory {
  const which = tiling === RELAXED_TILING ? 'the tiling with relaxed SIMD' : 'the tiling without relaxed SIMD';
  return wasmMemory(threads, tiling, `${tiling.MR} × ${tiling.NV} blocks, ${which}`);
}

/**
 * Your own net (--layers, --spec) against the engine's resource budget (src/budget.ts, README "Resource budget"), before
 * anything is made: past it, ours' rows failed one by one inside the page (Model.create's LimitError) after Chromium had
 * started. At the default budget (the page and the Dawn runner set no other), GPU memory too with `gpu`, and ours-wasm's
 * own count at each of `wasmThreads` (none: the run has no ours-wasm); `n` examples from `batch` (--batch, or the
 * spec's x). The error is the engine's LimitError words — the field (`field` may gloss it) and what is over, by how
 * much — with the library's knobs, which the bench does not read, replaced by what to change.
 */
function budgetCheck(net: Net, n: number, gpu: boolean, batch: '--batch' | 'x', field: (f: string) => string = (f) => f, wasmThreads: readonly number[] = []): void {
  const batchField = batch === 'x' ? 'x' : `--batch ${n}`;
  // NOTE: the wasm backend counts its memory from the net's layout (src/wasm/budget.ts), more than the portable count
  // for narrow layers at large batches (a 1-1 net at 20 000 000 examples on 1 thread: 2.46 GiB, 2.09 GiB of it wasm memory, against 1.12 GiB), which the page's
  // Model.create refused row by row. Its tiling is the page's — 6 × 2 where the browser has relaxed SIMD (Chromium),
  // 4 × 2 without — not known before Chromium starts: both are counted, and a refusal names its tiling (wasmCount).
  const wasm = [...new Set(wasmThreads)].flatMap((t) => [RELAXED_TILING, TILING].map((tiling) => wasmCount(t, tiling)));
  try {
    checkBudget(net, n, { device: gpu, batchField, budget: DEFAULT_BUDGET });
    for (const own of wasm) checkBudget(net, n, { own, batchField, budget: DEFAULT_BUDGET });
  } catch (err) {
    if (!(err instanceof LimitError)) throw err;
    const fix = `the default budget, which ours run under in the benchmark: give a smaller net or ${batch === 'x' ? 'fewer examples' : 'a smaller --batch'}`;
    throw new Error(`${field(err.field)}${err.message.slice(err.field.length).replace(HOST_KNOB, fix).replace(DEVICE_KNOB, fix)}`);
  }
}

/** The user's net from --layers/--batch/--activation: hidden layers `activation`, output identity (MSE) or softmax (CE). */
export function userConfigs(o: UserNetOptions): BenchConfig[] {
  if (o.layers.length < 2 || o.layers.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`--layers wants at least two positive integers (inputs first), got ${o.layers.join(',')}`);
  }
  if (!Number.isInteger(o.batch) || o.batch < 1) throw new Error(`--batch wants a positive integer, got ${o.batch}`);
  const title = `${o.layers.join('-')} ${o.activation}, batch ${o.batch}`;
  const seed = o.seed ?? 7;
  const losses: ('mse' | 'ce')[] = o.loss === 'both' ? ['mse', 'ce'] : [o.loss];
  // Softmax over one unit is always 1 (src/spec.ts refuses it naming layers[L].units, and advises a loss the bench has
  // no flag for): refused here in the bench's flags.
  if (losses.includes('ce') && o.layers[o.layers.length - 1] < 2) {
    throw new Error(`--layers ${o.layers.join(',')}: its softmax-CE net (--loss ${o.loss}) needs a last width of at least 2 (softmax over 1 unit is always 1: loss 0, nothing trains); give --loss mse, or a last width ≥ 2`);
  }
  const configs = losses.map((loss) => mlp(`user-${loss}`, 'user', title, o.layers, o.batch, loss, o.activation, o.steps ?? 5, o.lr ?? (loss === 'ce' ? 0.05 : 0.01), seed));
  const nets = configs.map(netOf);
  // Both losses' nets have the same shapes. Its fields inputs and layers[l].units are widths 1 and l + 2 of --layers.
  const width = (f: string): string => {
    const l = f === 'inputs' ? -1 : Number(/^layers\[(\d+)\]\.units$/.exec(f)?.[1] ?? NaN);
    return Number.isNaN(l) ? f : `${f} (width ${l + 2}, ${o.layers[l + 1]})`;
  };
  budgetCheck(nets[0], o.batch, o.gpu ?? false, '--batch', (f) => `--layers ${o.layers.join(',')}: ${width(f)}`, o.wasmThreads);
  return configs;
}

/**
 * A spec file (src/spec.ts format) as a config: its params (else its init, else He with seed 7), its x and y
 * (else `batch` random examples), its lr (else 0.01); checked against the budget as userConfigs' nets are.
 */
export function specConfig(spec: NetworkSpec, name: string, batch = 64, steps = 10, gpu = false, wasmThreads: readonly number[] = []): BenchConfig {
  const net = validateNet(spec);
  const given = spec.x !== undefined && spec.y !== undefined;
  // The examples counted as the engine's budget counts them (rows or {examples, data}; 0 for a malformed x), before
  // any conversion: an x over the budget is refused unconverted.
  budgetCheck(net, given ? readData(spec.x, 'x').count : batch, gpu, given ? 'x' : '--batch', undefined, wasmThreads);
  // The spec's x and y as rows (DataSource 'given'), either form checked and converted here (a typed error naming x or y).
  const data: DataSource = given
    ? { kind: 'given', x: dataAsRows(spec.x, net.inputs, 'x'), y: dataAsRows(spec.y, net.layers[net.layers.length - 1].units, 'y') }
    : { kind: 'random', seed: 1007 };
  const examples = data.kind === 'given' ? data.x.length : batch;
  const c: BenchConfig = {
    id: 'spec',
    group: 'user',
    title: `${name}: ${[net.inputs, ...net.layers.map((l) => l.units)].join('-')}, batch ${examples}, ${net.loss}`,
    inputs: net.inputs,
    layers: net.layers.map((l) => ({ units: l.units, activation: l.activation, bias: l.bias })),
    loss: net.loss,
    reduction: net.reduction,
    batch: examples,
    lr: spec.lr ?? 0.01,
    weights: spec.params ? { params: spec.params } : spec.init ? { ...spec.init } : he(7),
    data,
    agreeSteps: steps,
    ...TOLERANCE,
  };
  materialize(c); // validate params and data now, with the spec's field names in any error
  return c;
}

/** The validated net of a config. */
export function netOf(c: BenchConfig): Net {
  return validateNet({ inputs: c.inputs, layers: c.layers, loss: c.loss, reduction: c.reduction });
}

/** Multiply-adds of one forward pass per example: Σ_l fanIn·units. One SGD step is 6·batch·this FLOPs. */
function macsPerExample(c: BenchConfig): number {
  let fanIn = c.inputs;
  let sum = 0;
  for (const l of c.layers) {
    sum += fanIn * l.units;
    fanIn = l.units;
  }
  return sum;
}

/** FLOPs of one full step (forward, backward, weight gradients): 6·batch·Σ in·out (the count). */
export function flopsPerStep(c: BenchConfig): number {
  if (c.matmul) return 2 * c.matmul.R * c.matmul.K * c.matmul.C;
  return 6 * c.batch * macsPerExample(c);
}

/**
 * FLOPs of the GEMMs our step runs, on every backend: flopsPerStep less the inputs' δ, which no step of ours computes
 * (backward from the last layer down to layer 2 only: src/cpu/step.ts step, src/wasm/program.ts, src/webgpu/net.ts),
 * 6·batch·Σ in·out − 2·batch·in₁·out₁ — 5/6 of the count on d and f, about 2/3 on b's 784-128-10. The shares of the
 * peaks are taken on this too (report.ts peakLines, wasmPeakLines).
 */
export function runFlopsPerStep(c: BenchConfig): number {
  if (c.matmul || !c.layers.length) return flopsPerStep(c);
  return flopsPerStep(c) - 2 * c.batch * c.inputs * c.layers[0].units;
}

export interface Materialized {
  net: Net;
  params: Params;
  /** n × inputs, example-major. */
  X: Float32Array;
  /** n × outputs, example-major. */
  Y: Float32Array;
}

/** One-hot label rows: example c gets class ⌊rand·outputs⌋ (valid for MSE, BCE and softmax-CE alike). */
function randomBatch(seed: number, n: number, inputs: number, outputs: number): { X: Float32Array; Y: Float32Array } {
  const rand = mulberry32(seed);
  const X = new Float32Array(n * inputs);
  for (let k = 0; k < X.length; k++) X[k] = rand();
  const Y = new Float32Array(n * outputs);
  for (let c = 0; c < n; c++) Y[c * outputs + Math.min(outputs - 1, Math.floor(rand() * outputs))] = 1;
  return { X, Y };
}

/** The config's net and starting parameters (the same bits in Node and in the page). */
export function startOf(c: BenchConfig): { net: Net; params: Params } {
  const net = netOf(c);
  return { net, params: 'params' in c.weights ? paramsFromSpec(net, c.weights.params) : initParams(net, c.weights.scheme, c.weights.seed) };
}

/**
 * The config's starting parameters and batch. `given` carries data made elsewhere (MNIST from Node).
 * Deterministic: the same config gives the same bits in Node and in the page.
 */
export function materialize(c: BenchConfig, given?: { X: Float32Array; Y: Float32Array }): Materialized {
  const { net, params } = startOf(c);
  const outputs = net.layers[net.layers.length - 1].units;
  let X: Float32Array;
  let Y: Float32Array;
  const src = c.data;
  if (given) {
    ({ X, Y } = given);
  } else if (src.kind === 'xor') {
    if (c.inputs !== 2 || outputs !== 1) throw new Error(`config ${c.id}: XOR data needs 2 inputs and 1 output`);
    const xs = [0, 0, 0, 1, 1, 0, 1, 1];
    const ys = [0, 1, 1, 0];
    X = Float32Array.from({ length: 2 * c.batch }, (_, k) => xs[k % 8]);
    Y = Float32Array.from({ length: c.batch }, (_, k) => ys[k % 4]);
  } else if (src.kind === 'random') {
    ({ X, Y } = randomBatch(src.seed, c.batch, c.inputs, outputs));
  } else if (src.kind === 'given') {
    X = Float32Array.from(src.x.flat());
    Y = Float32Array.from(src.y.flat());
  } else {
    throw new Error(`config ${c.id}: MNIST data must be loaded in Node (bench/mnist.ts) and passed in`);
  }
  if (X.length !== c.batch * c.inputs || Y.length !== c.batch * outputs) {
    throw new Error(`config ${c.id}: the batch is ${X.length} × ${Y.length} values, want ${c.batch}·${c.inputs} and ${c.batch}·${outputs}`);
  }
  return { net, params, X, Y };
}

/** Float32Array ⇄ base64 (to carry a batch from Node into the page in one string): src/base64.ts on its bytes. */
export function f32ToBase64(a: Float32Array): string {
  return toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

export function base64ToF32(s: string): Float32Array {
  return new Float32Array(fromBase64(s).buffer);
}
