/**
 * Nets whose matmul sums pass float32's range (|v| > 3.4e38), for every backend against float32 arithmetic worked out
 * here from the formulas (not from the engine): test/overflow.test.ts (cpu, wasm) and test/dawn/run.ts (WebGPU on Dawn).
 *
 * wasm and WebGPU sum W·A_prev, Wᵀ·δ and δ·A_prevᵀ in float32, where a product or a running sum past the range is
 * ±Infinity and +∞ + −∞ is NaN; the CPU oracle sums in float64, where neither happens, and takes float32's ±Infinity or
 * NaN only where float32's sum has one (src/cpu/kernels.ts float32Overflow). Three nets, one example each of:
 * - products of ±1e39 that cancel: z is NaN in float32 (b in float64), so the loss is NaN: grad and train are a
 *   DivergedError with a non-finite loss, the parameters kept;
 * - products of +1e39 that add: Z = +Infinity (the float64 z, 2e39, is stored as that too) and A = σ(+∞) = 1, a
 *   finite loss of 0 and zero gradients: grad gives those values, and train takes a step that changes nothing;
 * - dW's sum over 4 examples of 0.95·1e38 passes the range while its mean (0.95e38) does not: dW = +Infinity, the loss
 *   finite; train's update makes W −∞, a DivergedError with that finite loss and a non-finite maxAbs.
 * Finite values within 1e-6 relative (+ 1e-30: a few float32 ulps; exp and log differ by an ulp or two on WebGPU);
 * ±Infinity exactly; NaN as "not finite".
 */
import { DivergedError } from '../../src/errors.ts';
import type { Model } from '../../src/model.ts';
import type { NetworkSpec, Params } from '../../src/spec.ts';

const f32 = Math.fround;

/** Σ_k w_k·a_k as float32 arithmetic gives it: each product and each running sum rounded to float32, k ascending. */
export function dot32(w: number[], a: number[]): number {
  let sum = 0;
  for (let k = 0; k < w.length; k++) sum = f32(sum + f32(f32(w[k]!) * f32(a[k]!)));
  return sum;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** BCE from the logit: −[y log σ(z) + (1 − y) log(1 − σ(z))]. */
const bce = (z: number, y: number): number => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));

/** What grad() gives on one of the nets (one unit, so one value a layer), or that it is a DivergedError (`diverges`). */
interface GradWant {
  diverges?: true;
  loss?: number;
  Z?: number;
  A?: number;
  delta?: number[];
  dW?: number[];
  db?: number;
}

/** What train({ steps: 1, lr }) gives: its loss, or a DivergedError with this loss (NaN: not finite) and a non-finite maxAbs or none. */
interface TrainWant {
  lr: number;
  diverges: boolean;
  loss: number;
  maxAbsFinite?: boolean;
}

export interface OverflowNet {
  name: string;
  spec: NetworkSpec;
  grad: GradWant;
  train: TrainWant;
}

function cancelling(): OverflowNet {
  // z = dot32([1e20, −1e20], [1e19, 1e19]) + 0.5: 1e39 and −1e39 are ±∞ in float32, ∞ − ∞ = NaN (test/overflow.test.ts checks dot32 says so)
  return {
    name: 'products of ±1e39 that cancel',
    spec: { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', params: { W: [[[1e20, -1e20]]], b: [[0.5]] }, x: [[1e19, 1e19]], y: [[1]] },
    grad: { diverges: true },
    train: { lr: 1, diverges: true, loss: NaN },
  };
}

function adding(): OverflowNet {
  const x = [1e19, 1e19];
  const z = f32(dot32([1e20, 1e20], x) + 0.5); // +∞
  const a = sigmoid(z); // 1
  const delta = (a - 1) * a * (1 - a); // mse: (a − y)·σ'(z) = 0
  return {
    name: 'products of +1e39 that add',
    spec: { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', params: { W: [[[1e20, 1e20]]], b: [[0.5]] }, x: [x], y: [[1]] },
    grad: { loss: 0.5 * (a - 1) ** 2, Z: z, A: a, delta: [delta], dW: x.map((v) => delta * v), db: delta },
    train: { lr: 1, diverges: false, loss: 0.5 * (a - 1) ** 2 },
  };
}

function dWPastRange(): OverflowNet {
  const n = 4;
  const w = 3e-38;
  const x = 1e38;
  const z = f32(dot32([w], [x]) + 0); // ≈ 3
  const a = f32(sigmoid(z)); // ≈ 0.95, y = 0: δ = a
  const loss = f32(bce(z, 0)); // every example alike: the mean is one example's loss
  const dW = dot32(Array(n).fill(a), Array(n).fill(x)) / n; // Σ_c δ_c·x_c passes 3.4e38 at the 4th term: +∞ / 4
  return {
    name: "dW's sum over 4 examples past the range",
    spec: {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', reduction: 'mean',
      params: { W: [[[w]]], b: [[0]] }, x: Array.from({ length: n }, () => [x]), y: Array.from({ length: n }, () => [0]),
    },
    grad: { loss, Z: z, A: a, delta: Array(n).fill(a), dW: [dW], db: a },
    train: { lr: 1e-30, diverges: true, loss, maxAbsFinite: false }, // W − 1e-30·∞ = −∞
  };
}

export const OVERFLOW_NETS: OverflowNet[] = [cancelling(), adding(), dWPastRange()];

/** got against want: equal where want is ±Infinity, not finite where want is NaN, else within 1e-6·|want| + 1e-30. */
function near(got: number, want: number): boolean {
  if (Number.isNaN(want)) return !Number.isFinite(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= 1e-6 * Math.abs(want) + 1e-30;
}

/** The call's result (ok) or what it threw (err). */
async function settle<T>(call: Promise<T>): Promise<{ ok: T; err?: undefined } | { ok?: undefined; err: unknown }> {
  try {
    return { ok: await call };
  } catch (err) {
    return { err };
  }
}

const paramsText = (p: Params): string => JSON.stringify([p.W.map((a) => [...a]), p.b.map((a) => [...a])]);

/** grad and train on each of OVERFLOW_NETS on the backend `make` gives, against the float32 values above: what differs, one a line (none: passed). */
export async function overflowProblems(make: (spec: NetworkSpec) => Promise<Model>): Promise<string[]> {
  const out: string[] = [];
  const check = (what: string, got: number | undefined, want: number | undefined): void => {
    if (want !== undefined && (got === undefined || !near(got, want))) out.push(`${what}: ${got}, want ${want}`);
  };
  for (const net of OVERFLOW_NETS) {
    const model = await make(net.spec);
    try {
      const before = await model.getParams();
      const g = await settle(model.grad());
      if (net.grad.diverges) {
        if (!(g.err instanceof DivergedError) || Number.isFinite(g.err.loss)) out.push(`${net.name}: grad gave ${g.ok ? `loss ${g.ok.loss}` : String(g.err)}, want a DivergedError with a non-finite loss`);
      } else if (!g.ok) {
        out.push(`${net.name}: grad threw ${String(g.err)}`);
      } else {
        check(`${net.name}: grad loss`, g.ok.loss, net.grad.loss);
        check(`${net.name}: Z`, g.ok.Z[0]![0], net.grad.Z);
        check(`${net.name}: A`, g.ok.A[0]![0], net.grad.A);
        net.grad.delta?.forEach((d, c) => check(`${net.name}: delta[${c}]`, g.ok!.delta[0]![c], d));
        net.grad.dW?.forEach((d, j) => check(`${net.name}: dW[${j}]`, g.ok!.dW[0]![j], d));
        check(`${net.name}: db`, g.ok.db[0]![0], net.grad.db);
      }
      const t = await settle(model.train({ steps: 1, lr: net.train.lr }));
      if (net.train.diverges) {
        if (!(t.err instanceof DivergedError)) out.push(`${net.name}: train gave ${t.ok ? `loss ${t.ok.loss}, maxAbsParam ${t.ok.maxAbsParam}` : String(t.err)}, want a DivergedError`);
        else {
          check(`${net.name}: DivergedError.loss`, t.err.loss, net.train.loss);
          if (net.train.maxAbsFinite !== undefined && Number.isFinite(t.err.maxAbs) !== net.train.maxAbsFinite) out.push(`${net.name}: DivergedError.maxAbs ${t.err.maxAbs}`);
          if (paramsText(await model.getParams()) !== paramsText(before)) out.push(`${net.name}: parameters not restored`);
        }
      } else if (!t.ok) {
        out.push(`${net.name}: train threw ${String(t.err)}`);
      } else {
        check(`${net.name}: train loss`, t.ok.loss, net.train.loss);
      }
    } finally {
      model.dispose();
    }
  }
  return out;
}
