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

/** A recorded call with the styles in force when it was made. */
export interface Styled { call: Call; fill: string; stroke: string; width: number }

/** Each call with the fill and stroke style and the line width set before it (none set: '', '' and a canvas's 1). */
export function styled(calls: readonly Call[]): Styled[] {
  let fill = '';
  let stroke = '';
  let width = 1;
  return calls.map((call) => {
    if (call[0] === 'set fillStyle') fill = String(call[1]);
    if (call[0] === 'set strokeStyle') stroke = String(call[1]);
    if (call[0] === 'set lineWidth') width = Number(call[1]);
    return { call, fill, stroke, width };
  });
}
