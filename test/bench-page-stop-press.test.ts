/**
 * The Stop button's presses outside the one that counts (bench/page/stop.ts RunStop): a second press while the run
 * stops, and a press after the run ended, do nothing — no second "stopping" line on the status line, and no abort of
 * an ended run's signal (its controller is dropped at the end). Mutation audit mut57: each of these went unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { RunStop, STOPPING } from '../bench/page/stop.ts';

function page(): { button: { disabled: boolean }; say: (t: string) => void; said: string[] } {
  const said: string[] = [];
  return { button: { disabled: false }, say: (t) => void said.push(t), said };
}

describe('RunStop presses that do nothing', () => {
  it('a second press during the same run says nothing more (pressed once is enough)', () => {
    const p = page();
    const stop = new RunStop(p);
    const signal = stop.begin();
    stop.measuring(); // pressed while a measurement is under way (before it, the line says it stops before the first)
    stop.press();
    stop.press();
    expect(signal.aborted).toBe(true);
    expect(p.said).toEqual([STOPPING]);
    expect(p.button.disabled).toBe(true);
  });

  it('a press after a run ended whole neither aborts that run\'s signal nor says stopping', () => {
    const p = page();
    const stop = new RunStop(p);
    const signal = stop.begin();
    stop.end();
    stop.press();
    expect(signal.aborted).toBe(false);
    expect(p.said).toEqual([]);
    expect(p.button.disabled).toBe(true);
    // Nor does a later run inherit anything: its line is its own.
    stop.begin();
    expect(stop.line('1/4 a · ours-cpu · rep 1/5')).toBe('1/4 a · ours-cpu · rep 1/5');
  });
});
