/**
 * A small WebAssembly emitter: the binary format for the handful of things the kernels need (functions,
 * imported memory and math, SIMD, atomics), and expression helpers that read like the text format.
 *
 * An expression is a byte array (`Code`) that leaves its value on the stack; helpers compose them:
 *   f64.add(f64.load(p), get(bias))          ≡  (f64.add (f64.load (local.get $p)) (local.get $bias))
 * Statements are Code too (leave nothing). Nothing here knows about nets: ./kernels.ts and ./gemm.ts write the
 * kernels with these helpers, ./program.ts the per-net `run` driver.
 *
 * Reference: the WebAssembly core spec (binary format, §5), the SIMD, relaxed-SIMD and threads proposals.
 */

export type Code = number[];

/** Value types. */
export const i32t = 0x7f;
const i64t = 0x7e;
export const f32t = 0x7d;
export const f64t = 0x7c;
export const v128t = 0x7b;
export type ValType = typeof i32t | typeof i64t | typeof f32t | typeof f64t | typeof v128t;

function uleb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): Code {
  const out: Code = [];
  let value = BigInt(n);
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const utf8 = (s: string): Code => [...new TextEncoder().encode(s)];
const name = (s: string): Code => [...uleb(utf8(s).length), ...utf8(s)];
const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];

/** Concatenate statements. */
export const seq = (...parts: Code[]): Code => parts.flat();

// ——— locals, constants, calls ———
export const get = (local: number): Code => [0x20, ...uleb(local)];
export const set = (local: number, value: Code): Code => [...value, 0x21, ...uleb(local)];
export const i32c = (n: number): Code => [0x41, ...sleb(n | 0)];
export const i64c = (n: number): Code => [0x42, ...sleb(n)];
export const f64c = (x: number): Code => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)];
export const drop = (value: Code): Code => [...value, 0x1a];
/** (select a b cond): a when cond ≠ 0, else b. */
export const select = (a: Code, b: Code, cond: Code): Code => [...a, ...b, ...cond, 0x1b];

// ——— control ———
export const block = (...body: Code[]): Code => [0x02, 0x40, ...body.flat(), 0x0b];
export const loop = (...body: Code[]): Code => [0x03, 0x40, ...body.flat(), 0x0b];
export const ifThen = (cond: Code, then: Code, otherwise?: Code): Code =>
  [...cond, 0x04, 0x40, ...then, ...(otherwise ? [0x05, ...otherwise] : []), 0x0b];
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number, cond: Code): Code => [...cond, 0x0d, ...uleb(depth)];
export const ret: Code = [0x0f];

/**
 * for (i = from; i < to; i += step) body   — `to` is re-evaluated each time round; body may not branch out.
 * Inside body, depth 0 is the loop (continue) and depth 1 the enclosing block (break).
 */
export function forRange(i: number, from: Code, to: Code, body: Code, step = 1): Code {
  return seq(
    set(i, from),
    block(
      brIf(0, i32.ge_s(get(i), to)),
      loop(body, set(i, i32.add(get(i), i32c(step))), brIf(0, i32.lt_s(get(i), to))),
    ),
  );
}

/**
 * for k in [from, to): `wide` at k while `step` elements remain (k += step), then `one` at each of the last
 * (to − from) mod step — a SIMD loop and its remainder. `end` is an i32 local (the wide part's end); `to` is read
 * more than once.
 */
export function forSteps(k: number, end: number, from: Code, to: Code, step: number, wide: Code, one: Code): Code {
  return seq(
    set(k, from),
    set(end, i32.add(get(k), i32.and(i32.sub(to, get(k)), i32c(-step)))),
    forRange(k, get(k), get(end), wide, step),
    forRange(k, get(k), to, one),
  );
}

const mem = (op: Code, align: number, offset: number): Code => [...op, align, ...uleb(offset)];
const bin = (op: Code) => (a: Code, b: Code): Code => [...a, ...b, ...op];
const un = (op: Code) => (a: Code): Code => [...a, ...op];

export const i32 = {
  add: bin([0x6a]), sub: bin([0x6b]), mul: bin([0x6c]), div_s: bin([0x6d]), div_u: bin([0x6e]), rem_u: bin([0x70]),
  and: bin([0x71]), or: bin([0x72]), shl: bin([0x74]),
  eqz: un([0x45]), eq: bin([0x46]), ne: bin([0x47]), lt_s: bin([0x48]), gt_s: bin([0x4a]), le_s: bin([0x4c]), ge_s: bin([0x4e]),
  load: (addr: Code, offset = 0): Code => [...addr, ...mem([0x28], 2, offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, ...mem([0x36], 2, offset)],
  /** Atomics (threads proposal): natural alignment is required. */
  atomicLoad: (addr: Code): Code => [...addr, ...mem([0xfe, 0x10], 2, 0)],
  atomicStore: (addr: Code, value: Code): Code => [...addr, ...value, ...mem([0xfe, 0x17], 2, 0)],
  atomicAdd: (addr: Code, value: Code): Code => [...addr, ...value, ...mem([0xfe, 0x1e], 2, 0)],
  /** i32.atomic.rmw.cmpxchg addr expected replacement → the old value (replaced only when it was `expected`). */
  atomicCmpxchg: (addr: Code, expected: Code, replacement: Code): Code => [...addr, ...expected, ...replacement, ...mem([0xfe, 0x48], 2, 0)],
  /** memory.atomic.wait32 addr expected timeout(ns, i64; −1 forever) → 0 ok, 1 not-equal, 2 timed out. */
  atomicWait: (addr: Code, expected: Code, timeout: Code): Code => [...addr, ...expected, ...timeout, ...mem([0xfe, 0x01], 2, 0)],
  /** memory.atomic.notify addr count → woken. */
  atomicNotify: (addr: Code, count: Code): Code => [...addr, ...count, ...mem([0xfe, 0x00], 2, 0)],
};

/** The byte address of f32 element `index` of the array at `base` (both i32 locals): base + index·4. */
export const f32At = (base: number, index: number): Code => i32.add(get(base), i32.shl(get(index), i32c(2)));

export const f32 = {
  load: (addr: Code, offset = 0): Code => [...addr, ...mem([0x2a], 2, offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, ...mem([0x38], 2, offset)],
  demote: un([0xb6]),
};

export const f64 = {
  load: (addr: Code, offset = 0): Code => [...addr, ...mem([0x2b], 3, offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, ...mem([0x39], 3, offset)],
  add: bin([0xa0]), sub: bin([0xa1]), mul: bin([0xa2]), div: bin([0xa3]), min: bin([0xa4]), max: bin([0xa5]),
  abs: un([0x99]), neg: un([0x9a]), sqrt: un([0x9f]),
  eq: bin([0x61]), ne: bin([0x62]), lt: bin([0x63]), gt: bin([0x64]), ge: bin([0x66]),
  promote: un([0xbb]),
  convert_i32_s: un([0xb7]),
};

/** SIMD (0xfd prefix): f32x4 only, and v128 loads / stores. */
export const v128 = {
  load: (addr: Code, offset = 0): Code => [...addr, ...mem([0xfd, 0x00], 4, offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, ...mem([0xfd, 0x0b], 4, offset)],
  /** v128.load32_splat: one f32 from memory into all four lanes. */
  load32Splat: (addr: Code, offset = 0): Code => [...addr, ...mem([0xfd, 0x09], 2, offset)],
  zero: (): Code => [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  /** v128.load64_zero: 8 bytes (two f32) into the low half, the high half 0. */
  load64Zero: (addr: Code, offset = 0): Code => [...addr, ...mem([0xfd, ...uleb(0x5d)], 3, offset)],
  /** v128.store64_lane 0: the low 8 bytes (two f32) to memory. */
  store64Low: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, ...mem([0xfd, ...uleb(0x5b)], 3, offset), 0],
  /**
   * i8x16.shuffle on 32-bit lanes: lane q of the result is lane `lanes[q]` of a (0 … 3) or of b (4 … 7) — the
   * instruction's 16 byte indices, four per lane.
   */
  shuffle32: (a: Code, b: Code, lanes: readonly [number, number, number, number]): Code =>
    [...a, ...b, 0xfd, 0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])],
  /** v128.and: bitwise (with a comparison's lane mask: the lane where it holds, +0 where not). */
  and: bin([0xfd, ...uleb(0x4e)]),
};

/** f64x2: two float64 lanes, each computed as the scalar f64 operation (IEEE, correctly rounded). */
export const f64x2 = {
  splat: un([0xfd, ...uleb(0x14)]),
  add: bin([0xfd, ...uleb(0xf0)]), sub: bin([0xfd, ...uleb(0xf1)]), mul: bin([0xfd, ...uleb(0xf2)]), div: bin([0xfd, ...uleb(0xf3)]),
  sqrt: un([0xfd, ...uleb(0xef)]),
  /** f64x2.promote_low_f32x4: the two low f32 lanes, each as f64.promote. */
  promoteLow: un([0xfd, ...uleb(0x5f)]),
  /** f32x4.demote_f64x2_zero: each lane as f32.demote, into the two low f32 lanes (the high two 0). */
  demoteZero: un([0xfd, ...uleb(0x5e)]),
};

export const f32x4 = {
  splat: un([0xfd, ...uleb(0x13)]),
  add: bin([0xfd, ...uleb(0xe4)]),
  /** f32x4.gt: per lane, all ones where a > b, else all zeros (NaN: zeros). */
  gt: bin([0xfd, ...uleb(0x44)]),
  mul: bin([0xfd, ...uleb(0xe6)]),
  /** Relaxed SIMD: a·b + c, fused or not as the engine decides (the same way every time on one engine). */
  relaxedMadd: (a: Code, b: Code, c: Code): Code => [...a, ...b, ...c, 0xfd, ...uleb(0x105)],
};

// ——— module ———

/** A function: its signature, locals and body. Local indices: parameters first, then `local()`s in order. */
export class Func {
  readonly locals: ValType[] = [];
  body: Code = [];
  constructor(readonly index: number, readonly name: string, readonly params: ValType[], readonly results: ValType[], readonly exported: boolean) {}

  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }
}

export const call = (fn: Func, ...args: Code[]): Code => [...args.flat(), 0x10, ...uleb(fn.index)];

interface FuncImport { index: number; module: string; field: string; params: ValType[]; results: ValType[] }

export class ModuleBuilder {
  private readonly imports: FuncImport[] = [];
  private readonly funcs: Func[] = [];
  private memory: { initial: number; maximum: number; shared: boolean } | null = null;

  /** Import `env.memory`; shared memory (threads) needs a maximum. */
  importMemory(initial: number, maximum: number, shared: boolean): void {
    this.memory = { initial, maximum, shared };
  }

  /** Import a function from `env` (all imports come before any function is declared). */
  importFunc(field: string, params: ValType[], results: ValType[]): Func {
    if (this.funcs.length) throw new Error('imports must come before functions');
    const fn = new Func(this.imports.length, field, params, results, false);
    this.imports.push({ index: fn.index, module: 'env', field, params, results });
    return fn;
  }

  /** Declare a function (its body is filled in afterwards, so functions can call each other in any order). */
  func(name: string, params: ValType[], results: ValType[], exported = false): Func {
    const fn = new Func(this.imports.length + this.funcs.length, name, params, results, exported);
    this.funcs.push(fn);
    return fn;
  }

  bytes(): Uint8Array<ArrayBuffer> {
    const sigs: string[] = [];
    const typeOf = (params: ValType[], results: ValType[]): number => {
      const key = `${params.join(',')}:${results.join(',')}`;
      let k = sigs.indexOf(key);
      if (k < 0) k = sigs.push(key) - 1;
      return k;
    };
    const importTypes = this.imports.map((f) => typeOf(f.params, f.results));
    const funcTypes = this.funcs.map((f) => typeOf(f.params, f.results));
    const types = sigs.map((key) => {
      const [p, r] = key.split(':').map((s) => (s ? s.split(',').map(Number) : []));
      return [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))];
    });
    const imports: Code[] = this.imports.map((f, k) => [...name(f.module), ...name(f.field), 0x00, ...uleb(importTypes[k])]);
    if (this.memory) {
      const { initial, maximum, shared } = this.memory;
      imports.push([...name('env'), ...name('memory'), 0x02, shared ? 0x03 : 0x01, ...uleb(initial), ...uleb(maximum)]);
    }
    const exports = this.funcs.filter((f) => f.exported).map((f) => [...name(f.name), 0x00, ...uleb(f.index)]);
    const bodies = this.funcs.map((f) => {
      const groups: Code[] = f.locals.map((t) => [1, t]);
      const body = [...vec(groups), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    });
    return new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, vec(types)),
      ...section(2, vec(imports)),
      ...section(3, vec(funcTypes.map((t) => uleb(t)))),
      ...section(7, vec(exports)),
      ...section(10, vec(bodies)),
      // The "name" custom section: function names for profilers and stack traces.
      ...section(0, [...name('name'), 1, ...(() => {
        const names = vec([...this.imports.map((f) => [...uleb(f.index), ...name(f.field)]), ...this.funcs.map((f) => [...uleb(f.index), ...name(f.name)])]);
        return [...uleb(names.length), ...names];
      })()]),
    ]);
  }
}
