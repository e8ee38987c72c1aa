/** A stub driver for the benchmark's tests in Node (test/bench*.test.ts): no engine, scripted losses and times. */
import type { Driver } from '../../bench/protocol.ts';
import type { SystemId } from '../../bench/systems.ts';

/** A driver whose systems return scripted losses and times (no engine). */
export function stubDriver(losses: Partial<Record<SystemId, number>>, msPerStep = 1): Driver {
  const open = new Map<number, SystemId>();
  let id = 0;
  return {
    async open(system) {
      open.set(++id, system);
      return { id, description: system };
    },
    async train(i, steps) {
      return { loss: losses[open.get(i)!] ?? 1, ms: steps * msPerStep };
    },
    async close(i) {
      open.delete(i);
    },
  };
}
