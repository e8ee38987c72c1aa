/**
 * A spec's `notation` object as read (README, "Naming conventions"): its keys, the conventions and numberings, and
 * the checks of its shape — what names.ts's Naming builds a net's names from, and lossName reads without one. Every
 * refusal is a NotationError naming the field.
 */
import { describe } from '../checks.ts';
import { NotationError } from '../errors.ts';
import { checkKnownKeys, valueGuess } from '../suggest.ts';
import type { Net } from '../spec.ts';
import { parseSym, type Sym } from './symbols.ts';

/** How names are written (README, "Naming conventions"): 'flat' (w1, b1, z_h1; the default), 'to-from' (w^l_{jk} feeds unit j from k, Nielsen) or 'from-to' (w^l_{kj} comes from unit k). */
export type Convention = 'flat' | 'to-from' | 'from-to';
/** The naming conventions `notation.convention` (and explain's `convention`) may take. */
export const CONVENTIONS: readonly Convention[] = Object.freeze(['flat', 'to-from', 'from-to']);
/** How units are numbered in names: 'per-layer' (the default) or 'global' (across layers, as lecture 002: w31 feeds z3). */
export type Numbering = 'per-layer' | 'global';

/** The `notation` object of a spec, as JSON. Every key is optional. */
export interface NotationSpec {
  /** How parameters and nodes are named (README, "Naming conventions"). */
  convention?: Convention;
  /** Numbering of units and weights: 'per-layer' or 'global'. */
  numbering?: Numbering;
  /** Name of the loss (default L). */
  loss?: string;
  /** Name of the learning rate (default η). */
  lr?: string;
  /** Names of the inputs x_j, one per input. */
  inputs?: string[];
  /** Names of the targets y_k, one per output unit. */
  targets?: string[];
  /** z of every unit: z[layer][unit] (layers 0-based). "a|b" gives an alias. */
  z?: string[][];
  /** a of every unit. */
  a?: string[][];
  /** The label a group of paths is named by ("from h1"): units[layer][unit]. */
  units?: string[][];
  /** Single parameters renamed: {"w7": "W[0][0][0]", "b": "b[0][0]"}. */
  params?: Record<string, string>;
  /** Decimals the lecture prints (explain rounds to them). */
  decimals?: number;
}

const NOTATION_KEYS = ['convention', 'numbering', 'loss', 'lr', 'inputs', 'targets', 'z', 'a', 'units', 'params', 'decimals'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A convention given (the option, the CLI's flag, `notation.convention`) must be one of CONVENTIONS: a NotationError naming `field`. */
export function checkConvention(v: unknown, field: string): void {
  if (v !== undefined && !CONVENTIONS.includes(v as Convention)) throw new NotationError(field, `must be flat, to-from or from-to, got ${describe(v)}${valueGuess(v, CONVENTIONS)}`);
}

/**
 * The loss's name under a spec's `notation` (L, or its `loss`: E), without a Naming (which indexes every name of a net
 * with a notation: about a second on a 784-input net). The notation's shape is checked as Naming checks it.
 */
export function lossName(notation: unknown): Sym {
  return lossOf(readNotation(notation));
}

/** The loss's name in a notation as read (readNotation): Naming's and lossName's. */
export function lossOf(n: NotationSpec): Sym {
  return parseSym(n.loss ?? 'L', 'notation.loss');
}

export function readNotation(raw: unknown): NotationSpec {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw new NotationError('notation', 'must be an object');
  checkKnownKeys(raw, NOTATION_KEYS, 'notation.', `notation has ${NOTATION_KEYS.join(', ')}`, NotationError);
  checkConvention(raw.convention, 'notation.convention');
  if (raw.numbering !== undefined && raw.numbering !== 'per-layer' && raw.numbering !== 'global') {
    throw new NotationError('notation.numbering', `must be per-layer or global, got ${describe(raw.numbering)}${valueGuess(raw.numbering, ['per-layer', 'global'])}`);
  }
  if (raw.decimals !== undefined && !(typeof raw.decimals === 'number' && Number.isInteger(raw.decimals) && raw.decimals >= 0 && raw.decimals <= 12)) {
    throw new NotationError('notation.decimals', `must be an integer 0 … 12, got ${describe(raw.decimals)}`);
  }
  for (const key of ['loss', 'lr'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') throw new NotationError(`notation.${key}`, 'must be a string');
  }
  if (raw.params !== undefined && !isRecord(raw.params)) throw new NotationError('notation.params', 'must be an object {name: "W[l][i][j]" | "b[l][i]"}');
  return raw as NotationSpec;
}

export function listOf(raw: unknown, n: number, field: string, dflt: (i: number) => Sym): Sym[] {
  if (raw === undefined) return Array.from({ length: n }, (_, i) => dflt(i));
  if (!Array.isArray(raw) || raw.length !== n) throw new NotationError(field, `must be an array of ${n} names, got ${describe(raw)}`);
  return raw.map((t, i) => parseSym(t as string, `${field}[${i}]`));
}

export function gridOf(raw: unknown, net: Net, field: string, dflt: (l: number, i: number) => Sym): Sym[][] {
  if (raw === undefined) return net.layers.map((layer, l) => Array.from({ length: layer.units }, (_, i) => dflt(l, i)));
  if (!Array.isArray(raw) || raw.length !== net.layers.length) throw new NotationError(field, `must have one array of names per layer (${net.layers.length})`);
  return net.layers.map((layer, l) => {
    const row: unknown = raw[l];
    if (!Array.isArray(row) || row.length !== layer.units) throw new NotationError(`${field}[${l}]`, `must be an array of ${layer.units} names (one per unit)`);
    return row.map((t, i) => parseSym(t as string, `${field}[${l}][${i}]`));
  });
}
