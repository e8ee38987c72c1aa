/**
 * Where a claim's value comes from: the scalar engine (float64, path by path) or a matrix backend's results
 * (cpu, wasm or webgpu, float32: Z, A, δ, dW, db of one pass, and the parameters after one SGD step).
 */
import { NotationError, SpecError } from '../errors.ts';
import { lossName, type NodeId, type ParamId, type Ref, describeRef } from '../notation/names.ts';
import type { ScalarEngine } from '../notation/scalar.ts';
import { symText } from '../notation/symbols.ts';
import type { Net, NetworkSpec } from '../spec.ts';
import { LEAKY_SLOPE, validateSpec } from '../spec.ts';
import { specRows } from './runs.ts';

/** Where checkWorked takes values from: 'scalar' (the scalar engine, float64) or a backend's matrix run ('cpu', 'wasm', 'webgpu'). */
export interface ValueSource {
  /** 'scalar', 'cpu', 'wasm', 'webgpu'. */
  name: string;
  /** The value a resolved name has, for example c or (c undefined) for the batch. */
  value(ref: Ref, example: number | undefined, field: string): number;
  /** The source's own numerical error for a value of size |v| (added to every tolerance). */
  eps(v: number): number;
}

/** float64, summed path by path: far below any printed rounding. */
export function scalarSource(engine: ScalarEngine): ValueSource {
  return {
    name: 'scalar',
    value: (ref, example, field) => engine.value(ref, example, field),
    eps: (v) => 1e-12 + 1e-10 * Math.abs(v),
  };
}

type Vec = ArrayLike<number>;

/** One pass of a matrix backend (GradResult, src/calls.ts; or a browser readback). Arrays are (units × n). */
export interface PassLike {
  /** L = scale·Σ_c L_c over the batch (scale 1/N for reduction 'mean', 1 for 'sum'), as GradResult's. */
  loss: number;
  /** Z_l = W_l·A_{l−1} + b_l per layer (units × n, one column per example). */
  Z: Vec[];
  /** A_l = f_l(Z_l) per layer (units × n); the inputs are not in it, the last is the output. */
  A: Vec[];
  /** delta_l = ∂L_c/∂Z_l per layer (units × n), unscaled: the scale is in dW and db. */
  delta: Vec[];
  /** dW_l = scale·delta_l·A_{l−1}ᵀ per layer (units × fanIn, row-major: the layout of W_l). */
  dW: Vec[];
  /** db_l = scale·rowsum(delta_l) per layer: units values (per-unit), one (shared) or none. */
  db: Vec[];
}

/** The runs a claim can be read from. */
export interface MatrixRuns {
  /** grad() on the whole batch. */
  batch: PassLike;
  /** step() at the spec's lr: the pass, then `params` after the update. */
  step: PassLike & {
    /** W and b after the update. */
    params: {
      /** W_l per layer, engine layout (units × fanIn, row-major). */
      W: Vec[];
      /** b_l per layer, engine layout. */
      b: Vec[];
    };
  };
  /** grad() on each example alone (N = 1). */
  perExample: PassLike[];
}

/**
 * A float32 matrix backend as a value source. Gives the loss, forward values, δ (∂L/∂z), ∂L/∂a (from δ and
 * W: Σ_m W_{l+1}[m][i]·δ_{l+1}[m]), ∂L/∂p (dW, db; a shared bias "from" one unit: that unit's δ), the
 * parameters after the step, and the local factors (f' from A, weights, inputs). Other derivatives between
 * nodes are not in a matrix result: asking for one is an error.
 * eps: 1e-6 + 1e-5·|v| (float32 backend against float64 numbers; see src/notation/matrix.ts float32Bound).
 */
export function matrixSource(backend: string, spec: NetworkSpec, runs: MatrixRuns): ValueSource {
  const valid = validateSpec(spec);
  const net: Net = valid.net;
  const params = valid.params;
  const n = valid.batch?.n ?? 0;
  const L = net.layers.length - 1;
  const scale = net.reduction === 'mean' ? 1 / n : 1;
  // The net's loss letter (notation.loss: E, J, …), for its errors' derivatives, as the scalar engine's (check.ts
  // prepare); not through a Naming, which would index a notation's every name again (the caller's did).
  const lossText = symText(lossName(spec.notation));
  type Deriv = Extract<Ref, { kind: 'deriv' }>;
  /** The pass holding example c's values (its own N = 1 pass), or the batch's when the batch is one example. */
  const pass = (c: number | undefined, what: string): PassLike => {
    if (c !== undefined) {
      const r = runs.perExample[c];
      if (!r) throw new NotationError('example', `example ${c} does not exist (the batch has ${n})`);
      return r;
    }
    if (n !== 1) throw new NotationError('example', `${what} is a value per example and the batch has ${n} examples: say which example`);
    return runs.batch;
  };
  const w = (l: number, i: number, j: number) => {
    if (!params) throw new SpecError('params', 'the spec has no params');
    return params.W[l][i * net.layers[l].fanIn + j];
  };
  const given = specRows(spec); // rows also for the {examples, data} form (spec.x[e] was undefined there)
  const xy = (node: Extract<NodeId, { kind: 'x' | 'y' }>, c: number | undefined) => {
    const rows = node.kind === 'x' ? given.x : given.y;
    const e = c ?? (n === 1 ? 0 : undefined);
    if (e === undefined || !rows?.[e]) throw new NotationError('example', `${node.kind} is per example: say which example`);
    return rows[e][node.index];
  };
  const unsupported = (field: string, ref: Ref): never => {
    throw new NotationError(field, `${describeRef(ref)} is not in a matrix backend's result (only the loss's derivatives, δ, and the local factors are); check it against the scalar engine`);
  };
  function fprime(layer: number, a: number): number {
    switch (net.layers[layer].activation) {
      case 'sigmoid': return a * (1 - a);
      case 'tanh': return 1 - a * a;
      case 'relu': return a > 0 ? 1 : 0;
      case 'leaky_relu': return a > 0 ? 1 : LEAKY_SLOPE;
      case 'identity': return 1;
      case 'softmax': throw new NotationError('name', 'the softmax Jacobian is not a single factor');
    }
  }
  /** ∂L/∂p: dW or db (for the batch, or example c's own pass); `via` one unit of p's layer: p's entry or 0, or (a shared bias) that unit's δ, reduced over the batch. */
  function lossByParam(ref: Deriv, p: ParamId, c: number | undefined, field: string): number {
    const r = c === undefined ? runs.batch : pass(c, '∂L_c/∂p');
    if (ref.via) {
      // The paths through one unit of p's own layer ("∂L/∂b1 from h1"): a weight or a per-unit bias feeds one unit, all
      // of whose paths pass it (its whole entry) and none another's (0, as the scalar engine's: that unit's δ was given);
      // a shared bias feeds every unit, and that unit's share is its δ.
      if (ref.via.layer !== p.layer) return unsupported(field, ref);
      const shared = p.kind === 'b' && net.layers[p.layer].bias === 'shared';
      if (!shared) return ref.via.unit === (p.kind === 'W' ? p.row : p.index) ? lossByParam({ ...ref, via: undefined }, p, c, field) : 0;
      const cols = c === undefined ? n : 1;
      const d = r.delta[p.layer];
      let s = 0;
      for (let k = 0; k < cols; k++) s += d[ref.via.unit * cols + k];
      return (c === undefined ? scale : 1) * s;
    }
    return p.kind === 'W' ? r.dW[p.layer][p.row * net.layers[p.layer].fanIn + p.col] : r.db[p.layer][p.index];
  }
  /** ∂L/∂z is δ; ∂L/∂a is the output's loss derivative, or Σ_m W_{l+1}[m][i]·δ_{l+1}[m] below it. */
  function lossByNode(ref: Deriv, node: NodeId, c: number | undefined, field: string): number {
    if (node.kind === 'z') return pass(c, 'δ').delta[node.layer][node.unit];
    if (node.kind !== 'a') return unsupported(field, ref);
    const { layer: l, unit: i } = node;
    const r = pass(c, `∂${lossText}/∂a`);
    if (l === L) {
      const a = r.A[L][i];
      const y = xy({ kind: 'y', index: i }, c);
      if (net.loss === 'mse') return a - y;
      if (net.loss === 'bce') return (a - y) / (a * (1 - a));
      return unsupported(field, ref);
    }
    let s = 0;
    for (let m = 0; m < net.layers[l + 1].units; m++) s += w(l + 1, m, i) * r.delta[l + 1][m];
    return s;
  }
  /** A local factor of the chain rule: f'(z) (from A), a weight, an input or activation below, or 1 / 0 for a bias. */
  function localFactor(ref: Deriv, of: NodeId, c: number | undefined, field: string): number {
    const { wrt } = ref;
    if (of.kind === 'a' && wrt.kind === 'node' && wrt.node.kind === 'z' && wrt.node.layer === of.layer && wrt.node.unit === of.unit) {
      return fprime(of.layer, pass(c, 'f\'').A[of.layer][of.unit]);
    }
    if (of.kind === 'a') {
      // ∂a/∂(something below z) = f'(z) · ∂z/∂(it), when that is a local factor of z.
      const fp = fprime(of.layer, pass(c, 'f\'').A[of.layer][of.unit]);
      const z: NodeId = { kind: 'z', layer: of.layer, unit: of.unit };
      return fp * localFactor({ ...ref, of: z }, z, c, field);
    }
    if (of.kind === 'z' && wrt.kind === 'node' && (wrt.node.kind === 'a' || wrt.node.kind === 'x')) {
      const from = wrt.node.kind === 'x' ? { layer: -1, unit: wrt.node.index } : { layer: wrt.node.layer, unit: wrt.node.unit };
      if (from.layer === of.layer - 1) return w(of.layer, of.unit, from.unit);
    }
    if (of.kind === 'z' && wrt.kind === 'param' && wrt.param.layer === of.layer) {
      const p = wrt.param;
      if (p.kind === 'b') return net.layers[p.layer].bias === 'shared' || p.index === of.unit ? 1 : 0;
      if (p.row !== of.unit) return 0;
      return p.layer === 0 ? xy({ kind: 'x', index: p.col }, c) : pass(c, 'a').A[p.layer - 1][p.col];
    }
    return unsupported(field, ref);
  }
  return {
    name: backend,
    eps: (v) => 1e-6 + 1e-5 * Math.abs(v),
    value(ref, c, field) {
      switch (ref.kind) {
        case 'loss': return c === undefined ? runs.batch.loss : pass(c, 'L_c').loss;
        case 'lr':
          if (valid.lr === undefined) throw new SpecError('lr', 'the spec has no learning rate');
          return valid.lr;
        case 'count': return runs.batch.dW.reduce((s, a) => s + a.length, 0) + runs.batch.db.reduce((s, a) => s + a.length, 0);
        case 'param':
          if (!params) throw new SpecError('params', 'the spec has no params');
          return ref.param.kind === 'W' ? w(ref.param.layer, ref.param.row, ref.param.col) : params.b[ref.param.layer][ref.param.index];
        case 'updated': {
          const p = ref.param;
          return p.kind === 'W' ? runs.step.params.W[p.layer][p.row * net.layers[p.layer].fanIn + p.col] : runs.step.params.b[p.layer][p.index];
        }
        case 'node': {
          const node = ref.node;
          if (node.kind === 'x' || node.kind === 'y') return xy(node, c);
          const r = pass(c, 'a node');
          return (node.kind === 'z' ? r.Z : r.A)[node.layer][node.unit];
        }
        case 'deriv': {
          const { of, wrt } = ref;
          if (of === 'loss' && wrt.kind === 'param') return lossByParam(ref, wrt.param, c, field);
          if (ref.via) return unsupported(field, ref);
          if (of === 'loss') return wrt.kind === 'node' ? lossByNode(ref, wrt.node, c, field) : unsupported(field, ref);
          return localFactor(ref, of, c, field);
        }
      }
    },
  };
}
