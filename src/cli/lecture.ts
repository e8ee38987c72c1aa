/**
 * The lecture's printed values ("claims", transcribed in test/fixtures/*.claims.json) and how to read the same
 * quantity out of one engine step, so the demo can put the lecture, the CPU and WebGPU side by side.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Net, NetworkSpec, Params } from '../spec.ts';
import { paramsFromSpec } from '../spec.ts';
import type { PlainGrad, PlainParams } from './browser.ts';
import { readJsonFile } from './io.ts';

/** Where a claim's number lives: Z, A, delta, dLdA (∂L/∂A), fprime (f'(Z)) by layer/unit; dW, W by layer/row/col; db, b by layer/index. */
export interface Quantity {
  of: string;
  layer?: number;
  unit?: number;
  row?: number;
  col?: number;
  index?: number;
}

export interface Erratum {
  printed: number;
  correct: number;
  correctDecimals: number;
  why: string;
}

export interface Claim {
  name: string;
  quantity: Quantity;
  printed: number;
  decimals: number;
  /** Checked at float32 precision rather than at the printed decimals. */
  exact?: boolean;
  line?: number;
  erratum?: Erratum;
}

/** One step's results: the pass before the update (loss, Z, A, delta, dW, db) and the updated params. */
export type StepResult = PlainGrad & { params: PlainParams };

export interface Lecture {
  specFile: string;
  claimsFile: string;
  source: string | undefined;
  spec: NetworkSpec;
  claims: Claim[];
}

export const FIXTURES = 'test/fixtures';
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asClaim(raw: unknown, where: string): Claim | undefined {
  if (!isRecord(raw) || typeof raw.name !== 'string') throw new Error(`${where}: a claim needs a name`);
  if ('formula' in raw) return undefined; // formula claims are checked by the test suite (test/lib/formulas.ts)
  if (!isRecord(raw.quantity) || typeof raw.quantity.of !== 'string') return undefined;
  if (typeof raw.printed !== 'number' || typeof raw.decimals !== 'number') throw new Error(`${where} (${raw.name}): printed and decimals must be numbers`);
  return raw as unknown as Claim;
}

/** Read `<name>.json` and `<name>.claims.json` from test/fixtures (relative to the project root). */
export function loadLecture(name: string): Lecture {
  const specFile = join(FIXTURES, `${name}.json`);
  const claimsFile = join(FIXTURES, `${name}.claims.json`);
  const read = (file: string): unknown => {
    try {
      return readJsonFile(join(PROJECT_ROOT, file));
    } catch (err) {
      throw new Error(`cannot load the lecture fixture ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const spec = read(specFile) as NetworkSpec;
  const raw = read(claimsFile);
  if (!isRecord(raw) || !Array.isArray(raw.claims)) throw new Error(`${claimsFile}: expected {claims: [...]}`);
  const claims = raw.claims.flatMap((c, i) => asClaim(c, `${claimsFile} claims[${i}]`) ?? []);
  return { specFile, claimsFile, source: typeof raw.source === 'string' ? raw.source : undefined, spec, claims };
}

/** f'(z) from z or from a = f(z), for the scalar activations. */
function fprime(activation: string, z: number, a: number): number {
  switch (activation) {
    case 'sigmoid': return a * (1 - a);
    case 'tanh': return 1 - a * a;
    case 'relu': return z > 0 ? 1 : 0;
    case 'identity': return 1;
    default: throw new Error(`f' of ${activation} is not a scalar`);
  }
}

/**
 * The engine's value of `q` for example `c`. `before` are the parameters the step started from (for ∂L/∂A of a
 * hidden layer, W_{l+1}ᵀ·δ_{l+1}); `y` the labels in engine layout.
 */
export function valueOf(q: Quantity, r: StepResult, net: Net, n: number, before: Params, y: Float32Array, c = 0): number {
  const l = q.layer ?? 0;
  const layer = net.layers[l];
  const unit = q.unit ?? q.row ?? q.index ?? 0;
  const at = (m: number[][]) => m[l][unit * n + c];
  const cell = (m: number[][] | Float32Array[]) => m[l][(q.row ?? 0) * layer.fanIn + (q.col ?? 0)];
  switch (q.of) {
    case 'loss': return r.loss;
    case 'Z': return at(r.Z);
    case 'A': return at(r.A);
    case 'delta': return at(r.delta);
    case 'fprime': return fprime(layer.activation, at(r.Z), at(r.A));
    case 'dW': return cell(r.dW);
    case 'W': return cell(r.params.W);
    case 'db': return r.db[l][q.index ?? 0];
    case 'b': return r.params.b[l][q.index ?? 0];
    case 'dLdA': {
      if (l === net.layers.length - 1) {
        if (net.loss !== 'mse') throw new Error(`∂L/∂A of the output layer is only defined here for mse`);
        return at(r.A) - y[unit * n + c];
      }
      const next = net.layers[l + 1];
      let sum = 0;
      for (let k = 0; k < next.units; k++) sum += before.W[l + 1][k * next.fanIn + unit] * r.delta[l + 1][k * n + c];
      return sum;
    }
    default: throw new Error(`unknown quantity '${q.of}'`);
  }
}

/** The starting parameters in engine layout (the spec must have params). */
export function startParams(net: Net, spec: NetworkSpec): Params {
  return paramsFromSpec(net, spec.params);
}

/**
 * Rows for the updated parameters the lecture names (its notation: w1 → "W[0][0][0]", b2 → "b[1][0]",
 * b1 → "b[0] (shared …)") but does not print, so the demo still shows every updated w and b.
 */
export function unprintedUpdates(spec: NetworkSpec, claims: Claim[]): { name: string; quantity: Quantity }[] {
  const claimed = new Set(claims.map((c) => JSON.stringify(c.quantity)));
  const out: { name: string; quantity: Quantity }[] = [];
  for (const [sym, where] of Object.entries(spec.notation ?? {})) {
    if (typeof where !== 'string') continue;
    const w = /^W\[(\d+)\]\[(\d+)\]\[(\d+)\]/.exec(where);
    const b = /^b\[(\d+)\](?:\[(\d+)\])?/.exec(where);
    const quantity: Quantity | undefined = w
      ? { of: 'W', layer: Number(w[1]), row: Number(w[2]), col: Number(w[3]) }
      : b ? { of: 'b', layer: Number(b[1]), index: Number(b[2] ?? 0) } : undefined;
    if (quantity && !claimed.has(JSON.stringify(quantity))) out.push({ name: `new ${sym} = ${sym} − lr·∂L/∂${sym}`, quantity });
  }
  return out;
}

/**
 * ½ unit of the last printed digit (for an `exact` claim: float32 precision, 1e-6·max(1, |printed|)), plus two
 * float32 ulps of the value: the engine computes in float32, which cannot resolve 7 decimals near 0.5.
 */
export function tolerance(decimals: number, value: number, exact = false): number {
  const printed = exact ? 1e-6 * Math.max(1, Math.abs(value)) : 0.5 * 10 ** -decimals;
  return printed + Math.abs(value) * 2 ** -22;
}

export type Verdict = 'match' | 'mismatch' | 'erratum' | 'erratum-mismatch';

/**
 * Does `value` agree with the claim? An erratum is confirmed when the value matches the corrected value and
 * differs from the printed one (the same rule as test/lib/claims.ts); anything else is 'erratum-mismatch'.
 */
export function judge(claim: Claim, value: number): Verdict {
  const close = Math.abs(value - claim.printed) <= tolerance(claim.decimals, claim.printed, claim.exact);
  const e = claim.erratum;
  if (!e) return close ? 'match' : 'mismatch';
  return !close && Math.abs(value - e.correct) <= tolerance(e.correctDecimals, e.correct) ? 'erratum' : 'erratum-mismatch';
}
