/**
 * The stage line names a net as the Preset menu does (src/lab/presets.ts netTitle): a lecture's net is named by its
 * preset's id ("lecture-2-2-1 loaded on …") where the menu shows "Lecture 001". Nets named otherwise keep their name.
 */
import { describe, expect, it } from 'vitest';
import { netTitle } from '../src/lab/presets.ts';

describe('netTitle', () => {
  it("a preset's id gives the menu's text for it, where the menu is on that preset", () => {
    expect(netTitle('lecture-2-2-1', 'lecture-2-2-1')).toBe('Lecture 001');
    expect(netTitle('lecture-study-hours-w7', 'lecture-study-hours-w7')).toBe('Lecture 000');
    expect(netTitle('lecture-classification', 'lecture-classification')).toBe('Lecture 003 (classification)');
  });

  it('any other name stays as it is; no name is "net"', () => {
    expect(netTitle('XOR: 2-4-1', '')).toBe('XOR: 2-4-1');
    expect(netTitle('clouds: 2-8-1', '')).toBe('clouds: 2-8-1');
    expect(netTitle(undefined, '')).toBe('net');
  });

  it('your own net named like a preset (an edited preset\'s exported spec, "circle") keeps its name: the menu is not on it', () => {
    expect(netTitle('circle', 'circle')).toBe('Circle in a ring: 2-8-1'); // the preset's own net: the menu's text
    expect(netTitle('circle', '')).toBe('circle');
    expect(netTitle('lecture-2-2-1', 'xor')).toBe('lecture-2-2-1');
  });
});
