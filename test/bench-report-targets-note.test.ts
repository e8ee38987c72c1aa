/**
 * The note under the targets table (bench/report.ts targetsNote): it explains the time-to-accuracy rows (seconds to
 * the goal), so it belongs only under a table that has one — a target whose config has a goal. It was shown whenever
 * the run had goals and targets, under a table of steps/s targets alone too. Expected text written from the README's
 * words for the time-to-accuracy ratio (the fastest peer's seconds ÷ ours).
 */
import { describe, expect, it } from 'vitest';
import { targetsNote } from '../bench/report.ts';
import type { TargetCheck } from '../bench/targets.ts';

const stepsTarget: TargetCheck = { config: 'a', system: 'ours-webgpu', versus: 'tfjs-webgl', want: 2, got: 2.5, met: true };
const ttaTarget: TargetCheck = { config: 'e', system: 'ours-wasm', versus: 'tfjs-webgl', want: 2, got: 3, met: true, systemThreads: 2 };

describe('targetsNote: only under a table with a time-to-accuracy target', () => {
  it('goals, but every target a steps/s one (its config has no goal): no note', () => {
    expect(targetsNote({ targets: [stepsTarget], goals: { e: 0.95 } })).toBeNull();
  });

  it('a target on the config with the goal: the note says what the time-to-accuracy rows compare', () => {
    const note = targetsNote({ targets: [stepsTarget, ttaTarget], goals: { e: 0.95 } });
    expect(note).toMatch(/^Time-to-accuracy targets: the fastest peer's seconds to the goal ÷ our fastest system's/);
  });

  it('no goals (no fit config ran): no note', () => {
    expect(targetsNote({ targets: [stepsTarget] })).toBeNull();
  });
});
