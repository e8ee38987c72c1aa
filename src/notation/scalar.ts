/**
 * The scalar engine: the chain rule one number at a time, as the lectures write it.
 *
 * It has its own float64 forward pass (./scalar-forward.ts: one example at a time, unit by unit) and its own local
 * derivatives, and reads nothing from the matrix code (src/cpu, src/webgpu): agreement between the two is evidence.
 *
 * ∂top/∂bottom is the sum, over every path from `top` down to `bottom`, of the product of the local
 * derivatives along the path (the lectures' "∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂a_h1 · ∂a_h1/∂z_h1 · ∂z_h1/∂w1").
 * A path passes through one unit per layer; the factors, from the loss down, are
 *   ∂L/∂a_k · ∂a_k/∂z_k                 at the output unit k (softmax-cross-entropy: ∂L/∂z_k, see below)
 *   ∂z_s[u]/∂a_{s−1}[v] · ∂a_{s−1}[v]/∂z_{s−1}[v]   for each layer crossed (the first is the weight W_s[u][v])
 *   ∂z_l[i]/∂p                          at the bottom: a_{l−1}[j] for W_l[i][j], 1 for a bias.
 * Paths are grouped by the first unit at which they part ("from h1", "from h2" for the 2-2-1 lecture's
 * shared b1; "via …" for a deeper weight). For the loss and a parameter the batch reduction follows:
 * ∂L/∂p = scale · Σ_c ∂L_c/∂p, scale = 1/N (mean) or 1 (sum).
 *
 * NOTE: softmax-cross-entropy is expanded from the logits: its first factor is ∂L/∂z_k = a_k − y_k (the
 * loss as a function of z), not ∂L/∂a_k · ∂a_k/∂z_k, whose softmax Jacobian is not diagonal.
 * NOTE: for a sigmoid unit 1 − a is computed as σ(−z), not as 1 − σ(z): BCE's ∂L/∂ŷ = −y/ŷ + (1−y)/(1−ŷ)
 * and ŷ(1 − ŷ) then stay finite and non-zero while σ(z) rounds to 1 (z > 37), as long as |z| < 745. A 0/1 label the
 * output agrees with gives ∂L/∂ŷ = ∓1 at any z (the term of a 0 coefficient is left out), and past 745 a product of 0.
 * One it contradicts has ∂L/∂ŷ ≈ e^|z|, past float64's 1.8e308 from |z| = 709.78 (later for a label inside (0, 1)):
 * ∞ × ŷ(1 − ŷ) was ∞ up to 745 and ∞ × 0 = NaN past it, where the backend's δ = ŷ − y is right. There (∂L/∂ŷ not
 * finite) the path's first two factors are one, ∂L/∂z_k = ŷ_k − y_k, as softmax-cross-entropy's: factors(units, c).
 * NOTE: tanh is not clamped here (the matrix kernels clamp z to ±15; in float64 that changes tanh by < 2e-13).
 */
import { NotationError, SpecError } from '../errors.ts';
import { initParams } from '../init.ts';
import type { Net } from '../spec.ts';
import { LEAKY_SLOPE, validateSpecFor } from '../spec.ts';
import { batchRows } from '../worked/runs.ts';
import type { NodeId, ParamId, Ref, UnitId } from './names.ts';
import { type Forward, scalarForward } from './scalar-forward.ts';

/** One local derivative on a path (layers 0-based). */
export type FactorDesc =
  /** ∂L/∂a_k of output unit k. */
  | {
    /** ∂L/∂a_k. */
    kind: 'dL/da';
    /** k, the output unit (0-based). */
    unit: number;
  }
  /** ∂L/∂z_k of output unit k (softmax-cross-entropy; bce where ∂L/∂ŷ_k overflows: the NOTE at the top of this file). */
  | {
    /** ∂L/∂z_k. */
    kind: 'dL/dz';
    /** k, the output unit (0-based). */
    unit: number;
  }
  /** ∂a/∂z = f'(z) of a unit. */
  | {
    /** ∂a/∂z = f'(z). */
    kind: 'da/dz';
    /** The unit's layer. */
    layer: number;
    /** The unit within it. */
    unit: number;
  }
  /** ∂z_layer[unit]/∂a_{layer−1}[from] = W_layer[unit][from] (an input x_from when layer is 0). */
  | {
    /** ∂z/∂a of the layer below: a weight. */
    kind: 'dz/da';
    /** The layer of z. */
    layer: number;
    /** The unit of z. */
    unit: number;
    /** The unit of the layer below (an input when layer is 0). */
    from: number;
  }
  /** ∂z_layer[unit]/∂p: a_{layer−1}[col] (x_col for layer 0) for a weight, 1 for a bias. */
  | {
    /** ∂z/∂p of the parameter p the path ends at. */
    kind: 'dz/dp';
    /** The layer of z. */
    layer: number;
    /** The unit of z. */
    unit: number;
    /** p. */
    param: ParamId;
  };

export type DerivRef = Extract<Ref, { kind: 'deriv' }>;

/** The paths of one derivative: a path takes one unit in each layer l0 … lt, from `choices[s − l0]`. */
export interface Chain {
  /** The derivative ∂of/∂wrt whose paths these are. */
  ref: DerivRef;
  /** The first layer a path takes a unit in (0-based). */
  l0: number;
  /** The last layer a path takes a unit in (0-based). */
  lt: number;
  /** The units a path may take in each layer l0 … lt: choices[s − l0]. */
  choices: number[][];
  /**
   * The factors of the path through `units` (units[s − l0] is the unit in layer s), loss end first, for example c: bce's
   * ∂L/∂ŷ · ∂ŷ/∂z is one factor ∂L/∂z where ∂L/∂ŷ overflows for c (the NOTE above); c undefined: the lectures' form.
   */
  factors(units: readonly number[], c?: number): FactorDesc[];
  /** The layer whose unit names the path's group (−1: one group). */
  groupLayer: number;
  /** How a group is worded: "from h1" or "via h1". */
  groupWord: 'from' | 'via';
  /** Is the derivative ∂x/∂x (one empty path, value 1)? */
  identity: boolean;
}

/** One path of a derivative: the unit it takes in each layer, its local derivatives (loss end first) and their product. */
export interface PathTerm {
  /** The unit taken in each layer of the chain. */
  units: number[];
  /** The path's local derivatives, loss end first. */
  values: number[];
  /** Their product. */
  value: number;
}

/** The paths of one example that part at the same unit ("from h1", "via h2"; `via` undefined: one group), with their sum. */
export interface GroupTerm {
  /** The unit the group's paths part at (undefined: one group). */
  via: UnitId | undefined;
  /** How the group is worded: "from" or "via". */
  word: 'from' | 'via';
  /** The group's paths. */
  paths: PathTerm[];
  /** The sum of the group's path products. */
  value: number;
}

/** One example c's term ∂L_c/∂p (or the derivative asked for): its path groups and their sum `value`. */
export interface ExampleTerm {
  /** The example c, 0-based (a column of X). */
  example: number;
  /** Its path groups. */
  groups: GroupTerm[];
  /** Its term: the sum of its groups' values (unscaled). */
  value: number;
  /** Σ over paths of Π size(factor) (factorSize: |v|, or a tenth of its size before cancellation): the size of the terms that cancel in `value` (sets the float32 error of the matrix form). */
  mass: number;
}

/** A derivative expanded path by path: the chain, each example's term, and `total` (scale · Σ_c value_c when `reduced`). */
export interface Expansion {
  /** The chain of paths expanded. */
  chain: Chain;
  /** Each example's term. */
  examples: ExampleTerm[];
  /** The batch reduction applies (loss and a parameter): total = scale · Σ_c value_c. */
  reduced: boolean;
  /** scale: 1/N for reduction 'mean', 1 for 'sum' (applied when `reduced`). */
  scale: number;
  /** The derivative: scale · Σ_c value_c when reduced, else the one example's value. */
  total: number;
  /** The examples' mass (scaled as total is): the size of the terms that cancel in total; float32Bound's argument. */
  mass: number;
  /** Paths per example (the same for every example). */
  pathsPerExample: number;
}

/** Paths beyond this many (over all examples) are refused: the point of the matrix form. */
export const MAX_PATHS = 2_000_000;

/** The chain rule one number at a time, in float64, as the lectures write it: each ∂L/∂W and ∂L/∂b as a sum over paths, beside the matrix form's dW and db. `new ScalarEngine(spec)` validates the spec as Model.create does; it throws SpecError naming `params` (none and no `init`) or `x` (no batch). */
export class ScalarEngine {
  /** The validated net. */
  readonly net: Net;
  /** The batch size N (examples in x). */
  readonly n: number;
  /** The batch reduction's scale: 1/N for 'mean', 1 for 'sum'. */
  readonly scale: number;
  /** The spec's lr (undefined when it has none). */
  readonly lr: number | undefined;
  /** Parameters in float64 as the spec writes them: W[l][i][j], b[l][k]. */
  readonly W: number[][][];
  /** b in float64, b[l][k] (a shared b is one number, [v]; none is []). */
  readonly b: number[][];
  /** Data, one row per example, float64. */
  readonly x: number[][];
  /** The labels y, one row per example, float64. */
  readonly y: number[][];
  /** Each example's forward pass, computed when first asked for (a summary of a huge batch needs none). */
  private readonly fwdCache: (Forward | undefined)[];
  /** The net's loss letter as its Naming writes it ("L", or the notation's "E", "J"): its errors' derivatives use it. */
  private readonly lossText: string;

  /** `options.loss`: the loss letter of the net's Naming (symText(naming.loss)); "L" when not given. */
  constructor(spec: unknown, options: {
    /** The loss letter of the net's Naming (symText(naming.loss)), which its errors' derivatives write; "L" when not given. */
    loss?: string;
  } = {}) {
    const valid = validateSpecFor(spec, undefined, {
      params: 'the scalar engine needs parameters: give params {W, b} or init {scheme, seed}',
      batch: 'the scalar engine needs a batch: give x and y (one row per example)',
    });
    const s = spec as { params?: { W: number[][][]; b: (number[] | number)[] }; x: unknown; y: unknown };
    this.net = valid.net;
    this.lossText = options.loss ?? 'L';
    this.n = valid.batch.n;
    this.scale = this.net.reduction === 'mean' ? 1 / this.n : 1;
    this.lr = valid.lr;
    if (s.params) {
      this.W = s.params.W.map((m) => m.map((row) => row.slice()));
      this.b = s.params.b.map((v) => (typeof v === 'number' ? [v] : v.slice()));
    } else {
      // The same generated parameters every backend starts from (float32 values, held in float64).
      const p = initParams(valid.net, valid.init!.scheme, valid.init!.seed);
      this.W = this.net.layers.map((layer, l) => Array.from({ length: layer.units }, (_, i) => Array.from(p.W[l].subarray(i * layer.fanIn, (i + 1) * layer.fanIn))));
      this.b = p.b.map((v) => Array.from(v));
    }
    // The numbers as given (float64) in either form: rows, or {examples, data} cut into rows (batchRows).
    this.x = batchRows(s.x, this.net.inputs, 'x');
    this.y = batchRows(s.y, this.net.layers[this.net.layers.length - 1].units, 'y');
    this.fwdCache = new Array<Forward | undefined>(this.n);
  }

  private fwd(c: number): Forward {
    let f = this.fwdCache[c];
    if (!f) {
      f = scalarForward(this.net, this.W, this.b, this.x[c], this.y[c]);
      this.fwdCache[c] = f;
      this.computed++;
    }
    return f;
  }

  private computed = 0;

  /** How many examples' forward passes have been computed so far (each once, when first needed). */
  get forwardPasses(): number {
    return this.computed;
  }

  private ex(c: number | undefined, what: string): number {
    if (c === undefined) {
      if (this.n === 1) return 0;
      throw new NotationError('example', `${what} is a value per example and the batch has ${this.n} examples: say which example`);
    }
    if (!Number.isInteger(c) || c < 0 || c >= this.n) throw new NotationError('example', `example ${c} does not exist: the batch has examples 0 … ${this.n - 1}`);
    return c;
  }

  /** z, a, x or y of example c. */
  nodeValue(node: NodeId, c?: number): number {
    const e = this.ex(c, 'a node');
    switch (node.kind) {
      case 'x': return this.x[e][node.index];
      case 'y': return this.y[e][node.index];
      case 'z': return this.fwd(e).z[node.layer][node.unit];
      case 'a': return this.fwd(e).a[node.layer][node.unit];
    }
  }

  /** The value of W_l[i][j] or b_l[k] named by `p`, in float64. */
  paramValue(p: ParamId): number {
    return p.kind === 'W' ? this.W[p.layer][p.row][p.col] : this.b[p.layer][p.index];
  }

  /** The per-example loss L_c, or (no example) the reduced loss scale · Σ_c L_c. */
  loss(c?: number): number {
    if (c !== undefined) return this.fwd(this.ex(c, 'L_c')).loss;
    let sum = 0;
    for (let e = 0; e < this.n; e++) sum += this.fwd(e).loss;
    return this.scale * sum;
  }

  /** The value of one local derivative for example c. */
  factorValue(f: FactorDesc, c: number): number {
    const fw = this.fwd(c);
    const L = this.net.layers.length - 1;
    switch (f.kind) {
      case 'dL/da': {
        const a = fw.a[L][f.unit];
        const y = this.y[c][f.unit];
        if (this.net.loss === 'mse') return a - y; // ∂[½(a − y)²]/∂a
        // = (a − y)/(a(1 − a)); a term whose coefficient y or 1 − y is 0 is 0, not computed: past |z| ≈ 745 its a or
        // 1 − a is 0 in float64, and 0/0 made a confident right answer (z = 1000, y = 1) NaN where a − y is 0.
        if (this.net.loss === 'bce') return (y === 0 ? 0 : -y / a) + (y === 1 ? 0 : (1 - y) / fw.oneMinusA[L][f.unit]);
        throw new Error('softmax-cross-entropy is expanded from the logits');
      }
      case 'dL/dz': return fw.a[L][f.unit] - this.y[c][f.unit];
      case 'da/dz': {
        const a = fw.a[f.layer][f.unit];
        switch (this.net.layers[f.layer].activation) {
          case 'identity': return 1;
          case 'sigmoid': return a * fw.oneMinusA[f.layer][f.unit];
          case 'tanh': return 1 - a * a;
          case 'relu': return fw.z[f.layer][f.unit] > 0 ? 1 : 0;
          case 'leaky_relu': return fw.z[f.layer][f.unit] > 0 ? 1 : LEAKY_SLOPE;
          case 'softmax': throw new Error('the softmax Jacobian is not expanded');
        }
        break;
      }
      case 'dz/da': return this.W[f.layer][f.unit][f.from];
      case 'dz/dp':
        if (f.param.kind === 'b') return 1;
        return f.layer === 0 ? this.x[c][f.param.col] : fw.a[f.layer - 1][f.param.col];
    }
  }

  /**
   * A factor's part in `mass` (float32Bound's argument): |v|, or a tenth of its size before cancellation where that is
   * more. A float32 backend computes f' = a(1 − a) or 1 − a² from its float32 a, and a − y from its float32 a, to about
   * 10⁻⁶ of that size (a few float32 roundings of SwiftShader's exp and tanh), not of the value: a saturated unit's f'
   * (1 − a² = 2.5e-7 at z = 8) or an output that has learnt its y (a − y = 1e-4 of a = 3) is far below its size, and
   * with |v| alone the bound 1e-6 + 1e-5·mass flagged a right backend ✗ MISMATCH. Sizes: |a| + |y| for a − y (bce:
   * the backend's δ = a − y, held by ∂L/∂ŷ, whose ∂ŷ/∂z it does not compute), a(1 + a) for a sigmoid's a(1 − a), 1 + a²
   * for 1 − a²; every other factor is a value the backend holds (a weight, an input, an activation): |v|.
   */
  private factorSize(f: FactorDesc, v: number, c: number): number {
    const fw = this.fwd(c);
    const L = this.net.layers.length - 1;
    let size = 0;
    if (f.kind === 'dL/da' || f.kind === 'dL/dz') {
      const a = fw.a[L][f.unit];
      size = Math.abs(a) + Math.abs(this.y[c][f.unit]);
      if (f.kind === 'dL/da' && this.net.loss === 'bce') size /= a * fw.oneMinusA[L][f.unit];
    } else if (f.kind === 'da/dz' && !(f.layer === L && this.net.loss === 'bce')) {
      const a = Math.abs(fw.a[f.layer][f.unit]);
      const act = this.net.layers[f.layer].activation;
      size = act === 'sigmoid' ? a * (1 + a) : act === 'tanh' ? 1 + a * a : 0;
    }
    const floor = 0.1 * size;
    return Number.isFinite(floor) && floor > Math.abs(v) ? floor : Math.abs(v);
  }

  /** Is bce's ∂L/∂ŷ_k of example c past float64 (the NOTE above)? Then its path's loss factor is ∂L/∂z_k = ŷ_k − y_k. */
  private lossOverflows(k: number, c: number): boolean {
    return this.net.loss === 'bce' && !Number.isFinite(this.factorValue({ kind: 'dL/da', unit: k }, c));
  }

  /** The paths of a derivative (checks that it can be expanded). */
  chain(ref: DerivRef, field = 'name'): Chain {
    const net = this.net;
    const L = net.layers.length - 1;
    const all = (l: number) => Array.from({ length: net.layers[l].units }, (_, i) => i);
    const top = ref.of;
    const bottom = ref.wrt;
    if (top === 'loss' && bottom.kind === 'node' && bottom.node.kind === 'a' && bottom.node.layer === L) {
      // ∂L/∂a_k of an output unit: one factor.
      if (net.loss === 'softmax-cross-entropy') throw new NotationError(field, `softmax-cross-entropy is expanded from the logits: ∂${this.lossText}/∂z_k = a_k − y_k; ∂${this.lossText}/∂a_k is not used`);
      const k = bottom.node.unit;
      return { ref, l0: L, lt: L, choices: [[k]], factors: () => [{ kind: 'dL/da', unit: k }], groupLayer: -1, groupWord: 'via', identity: false };
    }
    // Bottom: the first layer of the path, its units, and the last factor.
    let l0: number;
    let first: number[];
    let bottomFactor: ((u: number) => FactorDesc) | undefined;
    let shared = false;
    if (bottom.kind === 'param') {
      const p = bottom.param;
      l0 = p.layer;
      shared = p.kind === 'b' && net.layers[p.layer].bias === 'shared';
      first = p.kind === 'W' ? [p.row] : shared ? all(p.layer) : [p.index];
      bottomFactor = (u) => ({ kind: 'dz/dp', layer: p.layer, unit: u, param: p });
    } else {
      const nd = bottom.node;
      if (nd.kind === 'y') throw new NotationError(field, 'nothing depends on a target y through the net');
      if (nd.kind === 'z') { l0 = nd.layer; first = [nd.unit]; }
      else {
        const below = nd.kind === 'x' ? -1 : nd.layer;
        l0 = below + 1;
        first = l0 <= L ? all(l0) : [];
        const from = nd.kind === 'x' ? nd.index : nd.unit;
        bottomFactor = (u) => ({ kind: 'dz/da', layer: l0, unit: u, from });
      }
    }
    // Top: the last layer of the path, its units, and the first factors.
    let lt: number;
    let last: number[];
    let topFactors: (u: number, c?: number) => FactorDesc[];
    if (top === 'loss') {
      lt = L;
      last = all(L);
      const fused = (u: number, c?: number) => net.loss === 'softmax-cross-entropy' || (c !== undefined && this.lossOverflows(u, c));
      topFactors = (u, c) => (fused(u, c) ? [{ kind: 'dL/dz', unit: u }] : [{ kind: 'dL/da', unit: u }, { kind: 'da/dz', layer: L, unit: u }]);
    } else {
      if (top.kind !== 'z' && top.kind !== 'a') throw new NotationError(field, 'the numerator of a derivative is the loss or a z or a of a unit');
      lt = top.layer;
      last = [top.unit];
      if (top.kind === 'a' && net.layers[lt].activation === 'softmax') throw new NotationError(field, `a softmax output depends on every logit of its layer: expand ∂${this.lossText}/∂… (from the logits) instead`);
      topFactors = top.kind === 'a' ? (u) => [{ kind: 'da/dz', layer: lt, unit: u }] : () => [];
    }
    const bn = bottom.kind === 'node' ? bottom.node : undefined;
    const identity = top !== 'loss' && bn !== undefined && (bn.kind === 'z' || bn.kind === 'a') && bn.kind === top.kind && bn.layer === top.layer && bn.unit === top.unit;
    const choices: number[][] = [];
    for (let s = l0; s <= lt; s++) {
      let c = s === l0 ? first : all(s);
      if (s === lt) c = c.filter((u) => last.includes(u));
      choices.push(c);
    }
    if (ref.via && (ref.via.layer < l0 || ref.via.layer > lt)) {
      throw new NotationError(field, `no path of this derivative passes through unit ${ref.via.unit + 1} of layer ${ref.via.layer + 1} (paths cross layers ${l0 + 1} … ${lt + 1})`);
    }
    const factors = (units: readonly number[], c?: number): FactorDesc[] => {
      if (identity) return [];
      const out: FactorDesc[] = [...topFactors(units[lt - l0], c)];
      for (let s = lt; s > l0; s--) {
        out.push({ kind: 'dz/da', layer: s, unit: units[s - l0], from: units[s - 1 - l0] });
        out.push({ kind: 'da/dz', layer: s - 1, unit: units[s - 1 - l0] });
      }
      if (bottomFactor) out.push(bottomFactor(units[0]));
      return out;
    };
    let groupLayer = -1;
    for (let s = l0; s <= lt; s++) if (choices[s - l0].length > 1) { groupLayer = s; break; }
    const groupWord = groupLayer === l0 && shared ? 'from' : 'via';
    return { ref, l0, lt: Math.max(lt, l0 - 1), choices: lt < l0 ? [] : choices, factors, groupLayer, groupWord, identity };
  }

  /** How many paths a chain has per example. */
  static pathCount(chain: Chain): number {
    if (chain.identity) return 1;
    if (chain.choices.length === 0) return 0;
    return chain.choices.reduce((p, c) => p * c.length, 1);
  }

  /** Visit every path of the chain for example c: its units (one per layer l0 … lt). */
  private forEachPath(chain: Chain, visit: (units: number[]) => void): void {
    if (chain.identity) { visit([]); return; }
    const k = chain.choices.length;
    if (k === 0 || chain.choices.some((c) => c.length === 0)) return;
    const idx = new Array<number>(k).fill(0);
    for (;;) {
      visit(idx.map((i, s) => chain.choices[s][i]));
      let s = k - 1;
      while (s >= 0 && ++idx[s] === chain.choices[s].length) { idx[s] = 0; s--; }
      if (s < 0) return;
    }
  }

  private guard(chain: Chain, examples: number, field: string): void {
    const paths = ScalarEngine.pathCount(chain) * examples;
    if (paths > MAX_PATHS) {
      throw new NotationError(field, `the per-path expansion has ${paths.toExponential(2)} paths (${ScalarEngine.pathCount(chain)} per example × ${examples}); more than ${MAX_PATHS} are not enumerated — this is why backprop uses the matrix form`);
    }
  }

  /** The full expansion of ∂top/∂bottom: every path, every factor value, per example, grouped, reduced. */
  expand(ref: DerivRef, example?: number, field = 'name'): Expansion {
    const chain = this.chain(ref, field);
    const reduced = ref.of === 'loss' && ref.wrt.kind === 'param';
    const cs = example !== undefined ? [this.ex(example, 'example')] : reduced ? this.x.map((_, c) => c) : [this.ex(undefined, this.describe(ref))];
    this.guard(chain, cs.length, field);
    const examples = cs.map((c): ExampleTerm => {
      const groups = new Map<number, GroupTerm>();
      let mass = 0;
      this.forEachPath(chain, (units) => {
        if (ref.via && !(ref.via.layer >= chain.l0 && ref.via.layer <= chain.lt && units[ref.via.layer - chain.l0] === ref.via.unit)) return;
        const fs = chain.factors(units, c);
        const values = fs.map((f) => this.factorValue(f, c));
        const value = values.reduce((p, v) => p * v, 1);
        mass += values.reduce((p, v, k) => p * this.factorSize(fs[k], v, c), 1);
        const key = chain.groupLayer < 0 ? -1 : units[chain.groupLayer - chain.l0];
        let g = groups.get(key);
        if (!g) {
          g = { via: key < 0 ? undefined : { layer: chain.groupLayer, unit: key }, word: chain.groupWord, paths: [], value: 0 };
          groups.set(key, g);
        }
        g.paths.push({ units, values, value });
        g.value += value;
      });
      const list = [...groups.values()];
      return { example: c, groups: list, value: list.reduce((s, g) => s + g.value, 0), mass };
    });
    const scale = reduced && example === undefined ? this.scale : 1;
    const total = scale * examples.reduce((s, e) => s + e.value, 0);
    const mass = scale * examples.reduce((s, e) => s + e.mass, 0);
    return { chain, examples, reduced: reduced && example === undefined, scale, total, mass, pathsPerExample: ScalarEngine.pathCount(chain) };
  }

  /** ∂top/∂bottom as one number (the sum over paths; reduced over the batch for the loss and a parameter). */
  derivative(ref: DerivRef, example?: number, field = 'name'): {
    /** The derivative: the sum over paths of each path's product (times the scale when reduced). */
    value: number;
    /** The same sum of each path's size (Π of its factors' sizes, factorSize), scaled as value: float32Bound's argument. */
    mass: number;
  } {
    const chain = this.chain(ref, field);
    const reduced = ref.of === 'loss' && ref.wrt.kind === 'param' && example === undefined;
    const cs = example !== undefined ? [this.ex(example, 'example')] : reduced ? this.x.map((_, c) => c) : [this.ex(undefined, this.describe(ref))];
    this.guard(chain, cs.length, field);
    let value = 0;
    let mass = 0;
    for (const c of cs) {
      this.forEachPath(chain, (units) => {
        if (ref.via && !(ref.via.layer >= chain.l0 && ref.via.layer <= chain.lt && units[ref.via.layer - chain.l0] === ref.via.unit)) return;
        let p = 1;
        let m = 1;
        for (const f of chain.factors(units, c)) {
          const v = this.factorValue(f, c);
          p *= v;
          m *= this.factorSize(f, v, c);
        }
        value += p;
        mass += m;
      });
    }
    const scale = reduced ? this.scale : 1;
    return { value: scale * value, mass: scale * mass };
  }

  private describe(ref: DerivRef): string {
    return ref.of === 'loss' && ref.wrt.kind === 'node' ? `∂${this.lossText}/∂(a node)` : 'a derivative between nodes';
  }

  /**
   * The value of anything a name can mean (src/notation/names.ts Ref): for example c, or for the batch
   * (the loss and ∂L/∂parameter reduced; everything per-example needs c unless the batch has one example).
   */
  value(ref: Ref, example?: number, field = 'name'): number {
    switch (ref.kind) {
      case 'loss': return this.loss(example);
      case 'lr':
        if (this.lr === undefined) throw new SpecError('lr', 'the spec has no learning rate');
        return this.lr;
      case 'count': return this.net.layers.reduce((s, l) => s + l.units * l.fanIn + (l.bias === 'per-unit' ? l.units : l.bias === 'shared' ? 1 : 0), 0);
      case 'param': return this.paramValue(ref.param);
      case 'node': return this.nodeValue(ref.node, example);
      case 'updated': {
        if (this.lr === undefined) throw new SpecError('lr', 'an updated parameter needs the spec\'s learning rate lr');
        return this.paramValue(ref.param) - this.lr * this.derivative({ kind: 'deriv', of: 'loss', wrt: { kind: 'param', param: ref.param } }, undefined, field).value;
      }
      case 'deriv': return this.derivative(ref, example, field).value;
    }
  }
}
