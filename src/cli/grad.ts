/**
 * `backprop grad`: one forward and backward pass (no update) on the spec's batch, on the CPU (in Node), WebGPU
 * (on Dawn in Node, else in headless Chromium: src/cli/webgpu.ts) and/or wasm (in Node), printed as tables or as JSON.
 */
import type { BackendKind } from '../backend.ts';
import type { Net, NetworkSpec, ParamsSpec } from '../spec.ts';
import { paramsToSpec, toRows, validateSpecFor } from '../spec.ts';
import type { PlainGrad } from './browser.ts';
import { checkNotation, subDigits } from '../notation/names.ts';
import { fmt, matrix } from './format.ts';
import { modelGrad } from './in-node.ts';
import { onWebGpu, ranOnGpu, type WebGpuVariant } from './webgpu.ts';
import { netThreadsNote, ranJson, type RanJson, type RanOn, withNetThreads } from './ran.ts';
import { LimitError, NotationError } from '../errors.ts';
import { numericGrad, type NumericGrad } from '../notation/numeric.ts';
import { numericReport } from './grad-numeric.ts';

/** grad's --backend values. */
export const GRAD_BACKENDS = ['cpu', 'webgpu', 'wasm', 'both', 'all'] as const;
export type BackendArg = (typeof GRAD_BACKENDS)[number];
/** The --backend values of grad that run WebGPU (where --webgpu-variant is taken). */
export const GRAD_GPU_BACKENDS = ['webgpu', 'both', 'all'] as const satisfies readonly BackendArg[];

/** The backends each --backend value runs: 'both' is CPU + WebGPU (as before wasm), 'all' adds wasm. */
const RUNS: Record<BackendArg, BackendKind[]> = {
  cpu: ['cpu'], webgpu: ['webgpu'], wasm: ['wasm'], both: ['cpu', 'webgpu'], all: ['cpu', 'webgpu', 'wasm'],
};

/**
 * What `grad --json` prints per backend: what ran (backend, and wasm's threads and netThreads or WebGPU's route and
 * kernels, as the text's backend line says them: src/cli/ran.ts), then the numbers. A[l] has one row per example; grads are shaped
 * like the spec's params.
 */
export interface GradJson extends RanJson {
  loss: number;
  A: number[][][];
  grads: ParamsSpec;
}

/** One pass as a backend ran it, and what it ran on. */
type RanGrad = PlainGrad & { ran: RanOn };

/** The numbers of a GradJson (what maxAbsDiff compares; what ran is not compared). */
const numbersOf = (j: GradJson | undefined): Pick<GradJson, 'loss' | 'A' | 'grads'> | undefined => j && { loss: j.loss, A: j.A, grads: j.grads };

/** The largest |a − b| over every number at matching places in two JSON values (Infinity if shapes differ). */
function maxAbsDiffJson(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Infinity;
    return a.reduce((m: number, v: unknown, i) => Math.max(m, maxAbsDiffJson(v, b[i])), 0);
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return Infinity;
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return ka.reduce((m, k) => Math.max(m, k in rb ? maxAbsDiffJson(ra[k], rb[k]) : Infinity), 0);
  }
  return Infinity;
}

/** (rows × cols) row-major → its transpose, row-major. */
export function transpose(data: ArrayLike<number>, rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

function toGradJson(net: Net, n: number, g: RanGrad): GradJson {
  return {
    ...ranJson(g.backend, g.ran),
    loss: g.loss,
    A: net.layers.map((layer, l) => toRows(transpose(g.A[l], layer.units, n), n, layer.units)),
    grads: paramsToSpec(net, { W: g.dW.map((w) => Float32Array.from(w)), b: g.db.map((b) => Float32Array.from(b)) }),
  };
}

/** Validate a spec for `grad`: it needs parameters (params or init) and a batch (x and y). */
function checkGradSpec(spec: unknown): { net: Net; n: number } {
  const valid = validateSpecFor(spec, undefined, {
    params: 'grad needs parameters: give params {W, b} or init {scheme, seed}',
    batch: 'grad needs a batch: give x and y (one row per example)',
  });
  // The notation too, as explain and check read it (the engine does not look inside it).
  checkNotation(valid.net, (spec as NetworkSpec).notation);
  return { net: valid.net, n: valid.batch.n };
}

export function cpuGrad(spec: unknown): Promise<RanGrad> {
  return modelGrad(spec, 'cpu');
}

/**
 * One pass on WebGPU by openWebGpu's route (Dawn in Node, else headless Chromium), its kernels `variant`
 * (--webgpu-variant), its description naming the route (and the kernels, as the backend's description does), and
 * what it ran on (the route and kernels by name).
 */
export function webgpuGrad(spec: unknown, variant?: WebGpuVariant): Promise<RanGrad> {
  return onWebGpu(async (gpu) => {
    const g = await gpu.grad(spec);
    return { ...g, description: `${g.description} — ${gpu.where}`, ran: await ranOnGpu(gpu) };
  }, variant);
}

/**
 * Human-readable report of one pass: loss, then per layer Z, A, delta, dW, db (README names, l = 1..L). The layer is a
 * subscript (W₂, db₂), as explain's matrix line writes it: a flat name (w5, b2 in explain and check) is one entry, and
 * in a 2-3-2 net b2 is b₁[1], not layer 2's bias vector b₂.
 */
function gradReport(net: Net, n: number, g: RanGrad): string {
  const out = [`backend: ${g.backend} — ${g.description}${netThreadsNote(g.ran, `at its batch of ${n}`)}`, `loss L = ${fmt(g.loss)}  (${net.loss}, ${net.reduction} over ${n} example${n === 1 ? '' : 's'})`,
    'rows: unit i of the layer; columns: example c (ex) or input j (in) — counted from 1, so unit 1, ex 1 is entry [0][0] (as explain writes W₂[0][0], and δ₂[0][0] on a batch)'];
  net.layers.forEach((layer, i) => {
    const l = i + 1;
    const s = subDigits(l);
    const below = subDigits(l - 1);
    out.push('', `layer ${l}: ${layer.units} unit${layer.units === 1 ? '' : 's'}, ${layer.activation}, bias ${layer.bias}`);
    out.push(matrix(`Z${s} = W${s}·A${below}${layer.bias === 'none' ? '' : ` + b${s}`}`, g.Z[i], layer.units, n, 'unit', 'ex'));
    out.push(matrix(`A${s} = ${layer.activation}(Z${s})`, g.A[i], layer.units, n, 'unit', 'ex'));
    out.push(matrix(`delta${s} = ∂L_c/∂Z${s}`, g.delta[i], layer.units, n, 'unit', 'ex'));
    out.push(matrix(`dW${s} = ∂L/∂W${s}  (unit i, in j: dW${s}[i−1][j−1])`, g.dW[i], layer.units, layer.fanIn, 'unit', 'in'));
    const db = g.db[i];
    if (layer.bias === 'none') out.push(`  db${s}: none (layer ${l} has no bias)`);
    else if (layer.bias === 'shared') out.push(`  db${s} = ∂L/∂b${s} (layer ${l}'s one shared bias) = ${fmt(db[0])}`);
    else out.push(matrix(`db${s} = ∂L/∂b${s}  (layer ${l}'s bias vector; unit i: db${s}[i−1])`, db, layer.units, 1, 'unit', () => `db${s}`));
  });
  return out.join('\n');
}

/**
 * Where the first NaN or ±Infinity of a grad result is, named as the text report names it (layer as a subscript, unit
 * and example or input counted from 1, as the tables' labels): "webgpu dW₂ unit 1, in 3", "cpu delta₁ unit 1, ex 1",
 * "cpu db₁" (a shared bias); undefined when all are finite.
 */
function firstNonFinite(net: Net, n: number, g: PlainGrad): string | undefined {
  if (!Number.isFinite(g.loss)) return `${g.backend} loss`;
  for (const key of ['Z', 'A', 'delta', 'dW', 'db'] as const) {
    for (let l = 0; l < g[key].length; l++) {
      const k = g[key][l].findIndex((v) => !Number.isFinite(v));
      if (k < 0) continue;
      const layer = net.layers[l];
      const name = `${g.backend} ${key}${subDigits(l + 1)}`;
      if (key === 'db') return layer.bias === 'shared' ? name : `${name} unit ${k + 1}`;
      const cols = key === 'dW' ? layer.fanIn : n;
      return `${name} unit ${Math.floor(k / cols) + 1}, ${key === 'dW' ? 'in' : 'ex'} ${(k % cols) + 1}`;
    }
  }
  return undefined;
}

/**
 * Returns the exit status: 1 when a result holds NaN or ±Infinity (the backends cannot then be compared: the
 * difference would print as NaN), or (with `numeric`: --numeric, its h) an entry of dW or db disagrees with the
 * centred difference (✗), said on stderr; else 0.
 */
export async function runGrad(spec: unknown, backend: BackendArg, json: boolean, write: (s: string) => void, variant?: WebGpuVariant, numeric?: { h?: number }): Promise<number> {
  const { net, n } = checkGradSpec(spec);
  let num: NumericGrad | undefined;
  try {
    num = numeric && numericGrad(spec, numeric.h === undefined ? {} : { h: numeric.h }); // float64, before any backend runs
  } catch (err) {
    if (err instanceof LimitError) throw new LimitError('--numeric', err.message.replace(/^params: /, ''));
    // An h below an entry's float64 resolution is --numeric-h's (numericGrad names its option h).
    if (err instanceof NotationError && err.field === 'h') throw new NotationError('--numeric-h', err.message.replace(/^h: /, ''));
    throw err;
  }
  const runs: RanGrad[] = [];
  for (const kind of RUNS[backend]) runs.push(kind === 'webgpu' ? await webgpuGrad(spec, variant) : await modelGrad(spec, kind));
  // wasm: the threads the net ran on at its batch too (fewer than the backend's for a small net), as train says it.
  const grads = runs.map((g) => ({ ...g, ran: withNetThreads(g.ran, net, n) }));
  const jsons = grads.map((g) => toGradJson(net, n, g));
  const [cpu, ...others] = grads[0].backend === 'cpu' ? [jsons[0], ...jsons.slice(1)] : [undefined, ...jsons];
  const otherGrads = grads.filter((g) => g.backend !== 'cpu');
  const bad = grads.map((g) => firstNonFinite(net, n, g)).filter((w): w is string => w !== undefined);
  const check = num && numericReport(spec as NetworkSpec, net, num, grads);
  const status = (): number => {
    if (bad.length > 0) process.stderr.write(`✗ not finite: ${bad.join(', ')} (exit status 1)\n`);
    if (check && check.failures.length > 0) {
      process.stderr.write(`✗ ${check.failures.length} gradient entr${check.failures.length === 1 ? 'y disagrees' : 'ies disagree'} with the numeric gradient (exit status 1):\n${check.failures.map((f) => `  ${f}`).join('\n')}\n`);
    }
    return bad.length > 0 || (check !== undefined && check.failures.length > 0) ? 1 : 0;
  };
  if (json) {
    const withNumeric = (o: object): object => (check ? { ...o, numeric: check.json } : o);
    if (jsons.length === 1) write(JSON.stringify(withNumeric(jsons[0])));
    else if (backend === 'both') write(JSON.stringify(withNumeric({ cpu, webgpu: others[0], maxAbsDiff: maxAbsDiffJson(numbersOf(cpu), numbersOf(others[0])) })));
    else {
      const out: Record<string, unknown> = { cpu };
      otherGrads.forEach((g, k) => { out[g.backend] = others[k]; });
      out.maxAbsDiff = Object.fromEntries(otherGrads.map((g, k) => [g.backend, maxAbsDiffJson(numbersOf(cpu), numbersOf(others[k]))]));
      write(JSON.stringify(withNumeric(out)));
    }
    return status();
  }
  write(grads.map((g) => gradReport(net, n, g)).join('\n\n' + '─'.repeat(60) + '\n\n'));
  if (cpu) {
    otherGrads.forEach((g, k) => {
      const b = others[k]!;
      write(`\nmax |cpu − ${g.backend}|: loss ${fmt(Math.abs(cpu.loss - b.loss))}, A ${fmt(maxAbsDiffJson(cpu.A, b.A))}, ` +
        `dW ${fmt(maxAbsDiffJson(cpu.grads.W, b.grads.W))}, db ${fmt(maxAbsDiffJson(cpu.grads.b, b.grads.b))}; overall ${fmt(maxAbsDiffJson(numbersOf(cpu), numbersOf(b)))}`);
    });
  }
  if (check) write(`\n${check.text}`);
  return status();
}
