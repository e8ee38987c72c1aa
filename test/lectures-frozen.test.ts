/**
 * The lecture transcriptions of backprop-webgpu/lectures are one set of objects per process: lecture(id) and LECTURES
 * return them, the course lab's presets and `backprop check` compare against them. A consumer's write to one (a spec
 * tweaked in place for an exercise) changed every later lecture(id), and checkWorked of it then reported the
 * lecture's own correct claims as wrong. They are frozen deep: a write throws a TypeError (strict code) and nothing
 * changes; structuredClone gives a copy to change.
 */
import { describe, expect, it } from 'vitest';
import { LECTURES, lecture } from '../src/lectures/index.ts';
import { LECTURE_IDS } from '../src/lectures/ids.ts';
import { checkWorked } from '../src/worked/check.ts';

describe('the lectures are frozen', () => {
  it('LECTURES: a lecture, its worked example and its spec, deep, cannot be changed for later callers', () => {
    const l = lecture('lecture-2-2-1');
    const W = l.worked.spec.params as { W: number[][][] };
    // the 2-2-1 lecture's w1 (README, The network spec): 0.15
    expect(() => { W.W[0]![0]![0] = 99; }).toThrow(TypeError);
    expect(() => { (l.worked.spec as { lr?: number }).lr = 0.5; }).toThrow(TypeError);
    expect(() => { l.worked.claims.length = 0; }).toThrow(TypeError);
    expect(() => { (l as { id: string }).id = 'x'; }).toThrow(TypeError);
    expect(() => { (LECTURES as unknown[]).pop(); }).toThrow(TypeError);
    expect((lecture('lecture-2-2-1').worked.spec.params as { W: number[][][] }).W[0]![0]![0]).toBe(0.15);
    expect(LECTURES.map((x) => x.id)).toEqual([...LECTURE_IDS]);
    // a copy is the user's own to change
    const mine = structuredClone(l.worked.spec) as { lr?: number };
    mine.lr = 0.5;
    expect(mine.lr).toBe(0.5);
  });

  it('every lecture is frozen to its leaves', () => {
    const open: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (typeof v !== 'object' || v === null) return;
      if (!Object.isFrozen(v)) open.push(at);
      for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    walk(LECTURES, 'LECTURES');
    expect(open).toEqual([]);
    // and checking them still works on the frozen objects
    expect(checkWorked(lecture('lecture-2-2-1').worked).checks.length).toBeGreaterThan(0);
  });
});
