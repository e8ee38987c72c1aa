/**
 * Counting typed-array and ArrayBuffer constructions while a function runs (for "the CPU path allocates nothing
 * per step"). Every way the engine makes one is covered:
 * - `new Float32Array(…)`, `Float32Array.from/of` (they construct through `this`) and `new ArrayBuffer(…)`: the
 *   global constructors are replaced by counting Proxies (modules look globals up at call time);
 * - `a.slice()`, `a.map()`, `a.filter()` and `a.subarray()` construct through the intrinsic species constructor,
 *   which a global replacement cannot see: the %TypedArray%.prototype methods are wrapped instead.
 * Everything is restored when `counted` returns (or throws). trackBuffers hooks the same places to hold the buffers
 * made weakly: which of them a fit still holds during its epochs.
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

/**
 * Replace the constructors and wrap the methods; `made(what, result, args)` is called for each array or buffer made
 * ("new Float32Array", "Float32Array#slice"). Returns the uninstall function.
 */
function hook(made: (what: string, result: unknown, args: unknown[]) => void): () => void {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const name of CONSTRUCTORS) {
    const original = g[name] as new (...args: unknown[]) => object;
    saved.set(name, original);
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        const r = Reflect.construct(target, args, newTarget);
        made(`new ${name}`, r, args);
        return r;
      },
    });
  }
  const proto = Object.getPrototypeOf(Int8Array.prototype) as Record<string, (...args: unknown[]) => unknown>;
  const savedMethods = new Map<string, (...args: unknown[]) => unknown>();
  for (const m of METHODS) {
    const original = proto[m];
    savedMethods.set(m, original);
    proto[m] = function (this: { constructor: { name: string } }, ...args: unknown[]) {
      const r = original.apply(this, args);
      made(`${this.constructor.name}#${m}`, r, args);
      return r;
    };
  }
  return (): void => {
    for (const [name, original] of saved) g[name] = original;
    for (const [m, original] of savedMethods) proto[m] = original;
  };
}

/** Install the counters; returns the tally and an uninstall function. */
export function countAllocations(): { tally: Allocations; restore: () => void } {
  const tally: Allocations = { count: 0, what: [] };
  const restore = hook((what) => {
    tally.count++;
    if (tally.what.length < 20) tally.what.push(what);
  });
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

/**
 * The buffers of at least `minBytes` made while installed (by the same constructors and methods as countAllocations;
 * a view of a buffer that already existed is not one), held weakly: `liveBytes()` is what of them is still reachable.
 * Call it after `collect()` in a later turn than the allocations (a WeakRef keeps its target alive until the turn it
 * was made or read in ends).
 */
export function trackBuffers(minBytes: number): { liveBytes: () => number; restore: () => void } {
  const made: WeakRef<ArrayBufferLike>[] = [];
  const seen = new WeakSet<ArrayBufferLike>();
  const restore = hook((what, r, args) => {
    // subarray and new Float32Array(buffer, …) are views of a buffer made before: not a new one.
    if (what.endsWith('#subarray') || args[0] instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && args[0] instanceof SharedArrayBuffer)) return;
    const buf = r instanceof ArrayBuffer ? r : ArrayBuffer.isView(r) ? r.buffer : undefined;
    if (!buf || seen.has(buf) || buf.byteLength < minBytes) return;
    seen.add(buf);
    made.push(new WeakRef(buf));
  });
  return { liveBytes: () => made.reduce((sum, ref) => sum + (ref.deref()?.byteLength ?? 0), 0), restore };
}

/** A full garbage collection (V8's gc(), exposed for this process with --expose-gc set at run time). */
export async function collect(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
