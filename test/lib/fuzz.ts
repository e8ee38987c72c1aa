/**
 * A seeded generator of malformed input for the fuzz suites (test/fuzz.test.ts, test/browser/fuzz.test.ts):
 * mutations of valid specs, data and worked-example files — wrong types, shapes, sizes and depths, special numbers
 * (±0, denormals, 1e39, 1e308, NaN and ±Infinity through typed arrays), long strings, unicode, prototype keys,
 * huge and empty arrays. Each case is a deterministic function of (seed, index): a failure names both.
 */
import { mulberry32 } from '../../src/init.ts';
import { LECTURES } from '../../src/lectures/index.ts';
import type { NetworkSpec } from '../../src/spec.ts';

export type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** Values that replace a field: every JSON type, special numbers, long and unicode strings, prototype keys. */
function special(rand: Rand): unknown {
  const deep = (depth: number): unknown => {
    let v: unknown = 0.5;
    for (let k = 0; k < depth; k++) v = [v];
    return v;
  };
  const makers: (() => unknown)[] = [
    () => 0, () => -0, () => 5e-324, () => 1e-40, () => 1.17e-38, () => 3.4028234663852886e38, () => 3.5e38, () => 1e39, () => -1e308,
    () => 1e308, () => 2 ** 32 + 1, () => -1, () => 1.5, () => 1e9, () => 1e20, () => Number.MAX_SAFE_INTEGER + 2,
    () => null, () => true, () => false, () => '', () => '1', () => '0.5', () => 'x'.repeat(10_000), () => '∂L/∂w5 💥 \u0000 \u202e',
    () => 'constructor', () => '__proto__', () => [], () => [[]], () => {}, () => ({ constructor: 1, toString: 'x', valueOf: null }),
    () => JSON.parse('{"__proto__": {"polluted": 1}}'), () => deep(1000), () => deep(20_000), () => new Array(100_000).fill(0), () => [1, 2, 3],
  ];
  return pick(rand, makers)();
}

type Path = (string | number)[];

/** Every path into a JSON value (objects and arrays), breadth first, at most `max`. */
function paths(root: unknown, max = 400): Path[] {
  const out: Path[] = [[]];
  const queue: [unknown, Path][] = [[root, []]];
  while (queue.length > 0 && out.length < max) {
    const [v, p] = queue.shift()!;
    if (Array.isArray(v)) v.forEach((c, i) => { out.push([...p, i]); queue.push([c, [...p, i]]); });
    else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) for (const [k, c] of Object.entries(v)) { out.push([...p, k]); queue.push([c, [...p, k]]); }
  }
  return out;
}

function parentOf(root: unknown, p: Path): Record<string | number, unknown> | undefined {
  let v: unknown = root;
  for (const k of p.slice(0, -1)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>) : undefined;
}

/** One mutation, in place, at a random path of `root` (a JSON-like object). Returns a description. */
export function mutate(root: Record<string, unknown>, rand: Rand): string {
  const all = paths(root).filter((p) => p.length > 0);
  const p = pick(rand, all);
  const parent = parentOf(root, p)!;
  const key = p[p.length - 1];
  const where = p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
  const value = parent[key];
  const ops: (() => string)[] = [
    () => { const v = special(rand); parent[key] = v; return `${where} = ${describeValue(v)}`; },
    () => { delete parent[key]; return `delete ${where}`; },
    () => {
      const k = pick(rand, ['bogus', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'ünïcødé', '']);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.defineProperty(value, k, { value: special(rand), enumerable: true, configurable: true, writable: true });
      else parent[key] = { [k]: value };
      return `${where}.${k} added`;
    },
    () => {
      if (Array.isArray(value)) {
        const how = pick(rand, ['truncate', 'grow', 'empty', 'hole']);
        if (how === 'truncate') value.length = Math.max(0, value.length - 1);
        else if (how === 'grow') value.push(structuredClone(value[0] ?? 0));
        else if (how === 'empty') value.length = 0;
        else value.length += 2;
        return `${where} ${how}`;
      }
      parent[key] = [value];
      return `${where} wrapped in []`;
    },
    () => {
      if (typeof value === 'number') {
        const v = pick(rand, [-value, value * 1e30, value + 0.5, value - 1, value * 1e-30, value * 2 ** 32]);
        parent[key] = v;
        return `${where} = ${v}`;
      }
      parent[key] = typeof value === 'object' && value !== null ? JSON.stringify(value) ?? 'object' : String(value);
      return `${where} stringified`;
    },
  ];
  return pick(rand, ops)();
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return v.length > 20 ? `string(${v.length})` : JSON.stringify(v);
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return typeof v === 'object' && v !== null ? 'object' : String(v);
}

/** Valid specs to mutate: the lecture nets and a few others (every loss, activation and bias mode). */
export function baseSpecs(): NetworkSpec[] {
  const lectures = LECTURES.map((l) => l.worked.spec);
  const others: NetworkSpec[] = [
    {
      inputs: 3, layers: [{ units: 4, activation: 'relu', bias: 'none' }, { units: 3, activation: 'softmax', bias: 'shared' }], loss: 'softmax-cross-entropy',
      init: { scheme: 'he', seed: 7 }, x: [[1, -2, 0.5], [0, 0, 1]], y: [[0, 1, 0], [1, 0, 0]], lr: 0.1,
    },
    {
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', reduction: 'sum',
      params: { W: [[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [[0.7, -0.8, 0.9]]], b: [[0, 0.1, -0.1], [0.2]] }, x: [[0, 1], [1, 0], [1, 1]], y: [[1], [1], [0]],
    },
  ];
  return [...lectures, ...others];
}

export interface FuzzCase {
  index: number;
  /** What was changed, e.g. "x[0][1] = 1e39; delete layers[0].bias". */
  what: string;
  spec: Record<string, unknown>;
}

/** Case `index` of the suite seeded `seed`: a valid spec with 1–3 mutations (some into the {examples, data} form). */
export function specCase(seed: number, index: number): FuzzCase {
  const rand = mulberry32((seed * 1_000_003 + index) >>> 0);
  const bases = baseSpecs();
  const spec = structuredClone(bases[Math.floor(rand() * bases.length)]) as unknown as Record<string, unknown>;
  delete spec.notation; // the notation is the scalar side's: mutated in worked cases
  const steps: string[] = [];
  if (rand() < 0.2 && Array.isArray(spec.x)) {
    // The {examples, data} form with typed arrays: the only way NaN and ±Infinity reach the library.
    const rows = spec.x as number[][];
    const flat: unknown[] = rows.flat();
    const k = Math.floor(rand() * flat.length);
    if (rand() < 0.5) {
      const data = Float64Array.from(flat as number[]);
      const v = pick(rand, [NaN, Infinity, -Infinity, 1e39, 5e-324, -0, 0.25]);
      data[k] = v;
      spec.x = { examples: rows.length, data: rand() < 0.5 ? data : Float32Array.from(data) };
      steps.push(`x as {examples, data} (typed) with data[${k}] = ${v}`);
    } else {
      // A plain array: anything at all, as a careless caller hands it over (strings, null, holes…).
      const v = special(rand);
      if (rand() < 0.2) delete flat[k];
      else flat[k] = v;
      spec.x = { examples: rows.length, data: flat };
      steps.push(`x as {examples, data} (array) with data[${k}] = ${k in flat ? describeValue(v) : 'a hole'}`);
    }
  }
  const count = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < count; k++) steps.push(mutate(spec, rand));
  return { index, what: steps.join('; '), spec };
}

/** Case `index` of worked-example files: a lecture's file with 1–3 mutations (claims, formulas, notation, spec). */
export function workedCase(seed: number, index: number): FuzzCase {
  const rand = mulberry32((seed * 2_000_003 + index) >>> 0);
  const worked = structuredClone(LECTURES[Math.floor(rand() * LECTURES.length)].worked) as unknown as Record<string, unknown>;
  const steps: string[] = [];
  const claims = worked.claims as Record<string, unknown>[];
  if (rand() < 0.4) {
    // A formula made of the pieces formulas use, and some they must refuse.
    const parts = ['w5', 'σ', '(', ')', '·', '×', '−', '^', '²', 'e', 'constructor', 'toString', '∂L/∂w5', '½', '1e400', '0.7414', 'log', ' ', '₁', '[', ']', ','];
    const length = 1 + Math.floor(rand() * 40);
    let f = Array.from({ length }, () => pick(rand, parts)).join('');
    if (rand() < 0.2) f = `${'('.repeat(300)}${f}${')'.repeat(300)}`;
    const c = claims[Math.floor(rand() * claims.length)];
    delete c.printed;
    delete c.exact;
    delete c.erratum;
    c.formula = f;
    steps.push(`claim formula ${JSON.stringify(f.length > 60 ? `${f.slice(0, 60)}…` : f)}`);
  }
  const count = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < count; k++) steps.push(mutate(worked, rand));
  return { index, what: steps.join('; '), spec: worked };
}

/** JSON text of a case for the CLI (typed arrays as plain arrays; NaN and ±Infinity become null, as JSON has them). */
export function toJsonText(v: unknown): string | undefined {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as Float64Array) : x));
  } catch {
    return undefined; // nested past JSON.stringify's own recursion (the 20 000-deep arrays): library only
  }
}

/** Every number an accepted spec stores (x, y, params, lr) must be a number, finite as float32. */
export function unstorable(spec: Record<string, unknown>): string | undefined {
  const bad = (v: unknown): boolean => typeof v !== 'number' || !Number.isFinite(Math.fround(v));
  const walk = (v: unknown, where: string, depth: number): string | undefined => {
    if (depth > 8) return undefined;
    if (ArrayBuffer.isView(v)) {
      const k = Array.from(v as Float64Array).findIndex(bad);
      return k >= 0 ? `${where}[${k}]` : undefined;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) return `${where}[${i}] (a hole)`;
        const r = Array.isArray(v[i]) ? walk(v[i], `${where}[${i}]`, depth + 1) : bad(v[i]) ? `${where}[${i}]` : undefined;
        if (r) return r;
      }
      return undefined;
    }
    if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if ('data' in o) return walk(o.data, `${where}.data`, depth + 1);
      return walk(o.W, `${where}.W`, depth + 1) ?? (Array.isArray(o.b) ? o.b.map((b, l) => (typeof b === 'number' ? (bad(b) ? `${where}.b[${l}]` : undefined) : walk(b, `${where}.b[${l}]`, depth + 1))).find((r) => r) : undefined);
    }
    return undefined;
  };
  return walk(spec.x, 'x', 0) ?? walk(spec.y, 'y', 0) ?? (spec.params === undefined ? undefined : walk(spec.params, 'params', 0)) ?? (spec.lr !== undefined && bad(spec.lr) ? 'lr' : undefined);
}

/** Backend options a case is created with: the valid one most often, and misspellings that must be refused. */
export const BACKEND_OPTIONS = ['cpu', 'cpu', 'cpu', 'cpu', 'cpu', 'gpu', 'CPU', 'Cpu', ' cpu', 'webgpu ', 'wasm?'] as const;

/** The number of cases: `fast` by default, FUZZ_COUNT=N for a longer run. */
export function fuzzCount(fast: number): number {
  const env = typeof process === 'undefined' ? undefined : process.env.FUZZ_COUNT;
  const n = env === undefined ? fast : Number(env);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_COUNT must be a positive integer, got '${env}'`);
  return n;
}

/** The seed: FUZZ_SEED or a fixed default, so `npm test` is reproducible. */
export function fuzzSeed(): number {
  const env = typeof process === 'undefined' ? undefined : process.env.FUZZ_SEED;
  return env === undefined ? 11 : Number(env);
}
