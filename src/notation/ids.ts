/**
 * What a name refers to: a parameter (ParamId), a node (NodeId), a unit (UnitId), or anything a name may mean (Ref),
 * with the small functions on them that need no Naming — a parameter's key, value and place in the matrices, a
 * reference described for a message, a place like "W[0][1][0]" parsed. Naming (names.ts) maps them to and from names.
 */
import { describe } from '../checks.ts';
import { NotationError } from '../errors.ts';
import type { Net } from '../spec.ts';
import { matrixEntry } from './matrix.ts';

/** A trainable parameter, 0-based: W[layer][row][col] or b[layer][index] (index 0 for a shared bias). */
export type ParamId = {
  /** A weight. */
  kind: 'W';
  /** The layer, 0-based (index l is layer l + 1). */
  layer: number;
  /** The unit it feeds, 0-based: a row of W_l. */
  row: number;
  /** The unit (or input, in layer 0) it comes from, 0-based: a column of W_l. */
  col: number;
} | {
  /** A bias. */
  kind: 'b';
  /** The layer, 0-based (index l is layer l + 1). */
  layer: number;
  /** The unit, 0-based (0 for a shared bias). */
  index: number;
};

/** A node of the graph: input x_j, target y_k, or z / a of a unit (layer 0-based). */
export type NodeId = {
  /** An input x_j. */
  kind: 'x';
  /** j, 0-based: a row of X. */
  index: number;
} | {
  /** A target y_k. */
  kind: 'y';
  /** k, 0-based: a row of Y. */
  index: number;
} | {
  /** A unit's z (before f) or a (after). */
  kind: 'z' | 'a';
  /** The layer, 0-based (index l is layer l + 1). */
  layer: number;
  /** The unit within the layer, 0-based. */
  unit: number;
};

/** A unit, 0-based: unit `unit` of layer `layer`. */
export interface UnitId {
  /** The layer, 0-based (index l is layer l + 1). */
  layer: number;
  /** The unit within the layer, 0-based: a row of Z_l, A_l, delta_l. */
  unit: number;
}

/** What a name refers to. */
export type Ref =
  | {
    /** The loss L. */
    kind: 'loss';
  }
  | {
    /** The learning rate. */
    kind: 'lr';
  }
  | {
    /** The number of trainable parameters ("parameters"). */
    kind: 'count';
  }
  | {
    /** A parameter's value. */
    kind: 'param';
    /** Which parameter. */
    param: ParamId;
  }
  | {
    /** A node's value. */
    kind: 'node';
    /** Which node. */
    node: NodeId;
  }
  | {
    /** A parameter after one SGD step ("w5'", "new w5"). */
    kind: 'updated';
    /** Which parameter. */
    param: ParamId;
  }
  /** ∂of/∂wrt; `via` keeps only the paths through that unit ("∂L/∂b1 from h1"). */
  | {
    /** A derivative ∂of/∂wrt. */
    kind: 'deriv';
    /** What is differentiated: the loss or a node. */
    of: 'loss' | NodeId;
    /** With respect to what: a parameter or a node. */
    wrt: {
      /** A parameter. */
      kind: 'param';
      /** Which parameter. */
      param: ParamId;
    } | {
      /** A node. */
      kind: 'node';
      /** Which node. */
      node: NodeId;
    };
    /** Only the paths through this unit ("from h1"); all paths when absent. */
    via?: UnitId;
  };

/** How many bias values a layer of `units` units has under `bias` (per-unit: one a unit; shared: one; none: 0). */
export const biasCount = (bias: string, units: number): number => (bias === 'per-unit' ? units : bias === 'shared' ? 1 : 0);

/** The key of a parameter, 0-based as in `params`: "W[l][i][j]" or "b[l][k]" (what `notation.params` maps names to). */
export function paramKey(p: ParamId): string {
  return p.kind === 'W' ? `W[${p.layer}][${p.row}][${p.col}]` : `b[${p.layer}][${p.index}]`;
}

/** A parameter's value in engine-layout arrays (params, or gradients dW/db): W[l][row·fanIn + col], b[l][index]. */
export function paramValue(net: Net, arrays: { W: ArrayLike<number>[]; b: ArrayLike<number>[] }, p: ParamId): number {
  return p.kind === 'W' ? arrays.W[p.layer][p.row * net.layers[p.layer].fanIn + p.col] : arrays.b[p.layer][p.index];
}

/** "W₂[0][0]" / "b₁ (shared)": where the parameter sits in the matrices (layer 1-based, indices 0-based). */
export function paramPlace(net: Net, p: ParamId): string {
  const l = subDigits(p.layer + 1);
  if (p.kind === 'W') return `W${l}[${p.row}][${p.col}]`;
  return net.layers[p.layer].bias === 'shared' ? `b${l} (shared by the ${net.layers[p.layer].units} unit${net.layers[p.layer].units === 1 ? '' : 's'} of layer ${p.layer + 1})` : `b${l}[${p.index}]`;
}

export function subDigits(n: number): string {
  return [...String(n)].map((d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]).join('');
}

/** Whether p is a parameter of net: W[layer][row][col] inside units × fanIn, b[layer][index] one of its bias values. */
export function isParamOf(net: Net, p: ParamId): boolean {
  const layer = net.layers[p.layer];
  if (!layer || !Number.isInteger(p.layer) || p.layer < 0) return false;
  if (p.kind === 'W') return Number.isInteger(p.row) && Number.isInteger(p.col) && p.row >= 0 && p.col >= 0 && p.row < layer.units && p.col < layer.fanIn;
  return p.kind === 'b' && Number.isInteger(p.index) && p.index >= 0 && p.index < biasCount(layer.bias, layer.units);
}

/**
 * A short description of a reference for messages ("parameter W[1][0][0]", "z of unit 2 of layer 1", "input 1",
 * "the loss"): counted in words from 1, as names number layers and units ("unit 2 of layer 1"); a place in brackets
 * is 0-based, as in the spec's params (W[1][0][0]).
 */
export function describeRef(ref: Ref): string {
  switch (ref.kind) {
    case 'loss': return 'the loss';
    case 'lr': return 'the learning rate';
    case 'count': return 'the number of trainable parameters';
    case 'param': return `parameter ${paramKey(ref.param)}`;
    case 'node': return ref.node.kind === 'x' || ref.node.kind === 'y'
      ? `${ref.node.kind === 'x' ? 'input' : 'target'} ${ref.node.index + 1}`
      : `${ref.node.kind} of unit ${ref.node.unit + 1} of layer ${ref.node.layer + 1}`;
    case 'updated': return `updated ${paramKey(ref.param)}`;
    case 'deriv': return 'a derivative';
  }
}

/** "W[l][i][j]" or "b[l][i]" / "b[l]" (0-based, as in the spec's params) → the parameter, checked against the net. */
export function parseParamPlace(net: Net, where: unknown, field: string): ParamId {
  if (typeof where !== 'string') throw new NotationError(field, `must be a place like "W[0][1][0]" or "b[1][0]", got ${describe(where)}`);
  const w = /^W\[(\d+)\]\[(\d+)\]\[(\d+)\]$/.exec(where.trim());
  const b = /^b\[(\d+)\](?:\[(\d+)\])?$/.exec(where.trim());
  if (w) {
    const [l, i, j] = [Number(w[1]), Number(w[2]), Number(w[3])];
    const layer = net.layers[l];
    if (!layer || i >= layer.units || j >= layer.fanIn) throw new NotationError(field, `${where} is outside the net (W[l] is units × fanIn: ${net.layers.map((x) => `${x.units}×${x.fanIn}`).join(', ')})`);
    return { kind: 'W', layer: l, row: i, col: j };
  }
  if (b) {
    const l = Number(b[1]);
    const i = Number(b[2] ?? 0);
    const layer = net.layers[l];
    const nb = layer ? biasCount(layer.bias, layer.units) : 0;
    if (!layer || i >= nb) throw new NotationError(field, `${where} is not a bias of this net`);
    return { kind: 'b', layer: l, index: i };
  }
  // explain's names list writes W₂[0][0] (layer from 1): say what that is here, 0-based as the spec's params.
  const e = matrixEntry(where);
  const same = e && !e.gradient && isParamOf(net, e.param) ? `; ${where} (layers from 1, as explain prints it) is "${paramKey(e.param)}" here` : '';
  throw new NotationError(field, `must be a place like "W[0][1][0]" (layer, row = unit fed, column = unit below; 0-based) or "b[1][0]", got '${where}'${same}`);
}
