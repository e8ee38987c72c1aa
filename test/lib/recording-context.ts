/**
 * A 2-D canvas context for Node tests of the lab's drawing code (src/lab/boundary.ts and the like): it records every
 * call and every style set, in order, and measures text at 6 px a character, so that sizes and positions can be worked
 * by hand.
 */
export type Call = [string, ...unknown[]];

export function recording(): { ctx: CanvasRenderingContext2D; calls: Call[] } {
  const calls: Call[] = [];
  const ctx = new Proxy({}, {
    get: (_, name) => (name === 'measureText' ? (t: string) => ({ width: 6 * t.length }) : (...args: unknown[]) => void calls.push([String(name), ...args])),
    set: (_, name, value) => {
      calls.push([`set ${String(name)}`, value]);
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}
