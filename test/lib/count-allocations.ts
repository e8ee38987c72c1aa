/**
 * Counting typed-array and ArrayBuffer constructions while a function runs (for "the CPU path allocates nothing
 * per step"). Every way the engine makes one is covered:
 * - `new Float32Array(…)`, `Float32Array.from/of` (they construct through `this`) and `new ArrayBuffer(…)`: the
 *   global constructors are replaced by counting Proxies (modules look globals up at call time);
 * - `a.slice()`, `a.map()`, `a.filter()` and `a.subarray()` construct through the intrinsic species constructor,
 *   which a global replacement cannot see: the %TypedArray%.prototype methods are wrapped instead.
 * Everything is restored when `counted` returns (or throws).
 */
const CONSTRUCTORS = [
  'Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer',
] as const;
const METHODS = ['slice', 'map', 'filter', 'subarray'] as const;

export interface Allocations {
  count: number;
  /** What was made, e.g. "new Float32Array", "Float32Array#slice" (first 20). */
  what: string[];
}

/** Install the counters; returns the tally and an uninstall function. */
export function countAllocations(): { tally: Allocations; restore: () => void } {
  const tally: Allocations = { count: 0, what: [] };
  const note = (what: string): void => {
    tally.count++;
    if (tally.what.length < 20) tally.what.push(what);
  };
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const name of CONSTRUCTORS) {
    const original = g[name] as new (...args: unknown[]) => object;
    saved.set(name, original);
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        note(`new ${name}`);
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  const proto = Object.getPrototypeOf(Int8Array.prototype) as Record<string, (...args: unknown[]) => unknown>;
  const savedMethods = new Map<string, (...args: unknown[]) => unknown>();
  for (const m of METHODS) {
    const original = proto[m];
    savedMethods.set(m, original);
    proto[m] = function (this: { constructor: { name: string } }, ...args: unknown[]) {
      note(`${this.constructor.name}#${m}`);
      return original.apply(this, args);
    };
  }
  const restore = (): void => {
    for (const [name, original] of saved) g[name] = original;
    for (const [m, original] of savedMethods) proto[m] = original;
  };
  return { tally, restore };
}

/** Run `fn` with the counters installed; the allocations it made. */
export function counted(fn: () => void): Allocations {
  const { tally, restore } = countAllocations();
  try {
    fn();
  } finally {
    restore();
  }
  return tally;
}
